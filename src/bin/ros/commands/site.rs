//! The local configuration, found as `ros serve` finds it (`--config`, `ROS_CONFIG`,
//! `./configuration.yml`, else an existing development server's `./ros-data`), for
//! the commands that act on this machine's server.

use std::path::Path;

use anyhow::{bail, Context as _};
use ros::config::{load, locate, Config, LoadOptions, Location, Overrides, Probe, Severity};

pub fn local_config(flag: Option<&Path>) -> anyhow::Result<Config> {
    let env = crate::args::environment();
    let cwd = std::env::current_dir().context("cannot determine the current directory")?;
    let file = match locate(flag, &env, &cwd)? {
        Location::File(file) => file,
        Location::Development => {
            let dev = cwd
                .join(ros::init::DEVELOPMENT_DIR)
                .join(ros::init::CONFIG_FILE);
            if !dev.exists() {
                bail!("no configuration found: give --config FILE, set ROS_CONFIG, or run where configuration.yml is");
            }
            dev
        }
    };
    let report = load(&LoadOptions {
        file: Some(file),
        env,
        overrides: Overrides::default(),
        cwd,
        probe: Probe { ports: false },
    })?;
    let label = report.file_label();
    let errors: Vec<String> = report
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone())
        .collect();
    match report.into_config() {
        Some(config) => Ok(config),
        None => bail!(
            "{label} has errors ({}); `ros check-configuration` shows them",
            errors.join("; ")
        ),
    }
}
