//! `ros check-configuration [FILE]`.

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use clap::Args;
use ros::config::{
    load, locate, render_json, render_text, LoadOptions, Location, Probe, CONFIG_ENV, DEFAULT_FILE,
};

use crate::args::ConfigArgs;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check (else --config, ROS_CONFIG, ./configuration.yml).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

impl CheckArgs {
    pub fn for_file(file: PathBuf) -> CheckArgs {
        CheckArgs {
            file: Some(file),
            config: ConfigArgs::default(),
            format: "text".to_string(),
        }
    }
}

pub fn exec(args: CheckArgs) -> i32 {
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ros check-configuration: {e:#}");
            crate::exit::USAGE
        }
    }
}

fn run(args: CheckArgs) -> anyhow::Result<i32> {
    let explicit = match (&args.file, &args.config.config) {
        (Some(_), Some(_)) => bail!("give the file either as FILE or with --config, not both"),
        (file, config) => file.as_deref().or(config.as_deref()),
    };
    let env = crate::args::environment();
    let cwd = std::env::current_dir().context("cannot determine the current directory")?;
    let file = match locate(explicit, &env, &cwd)? {
        Location::File(file) => file,
        Location::Development => bail!(
            "no configuration file: give FILE or --config, set {CONFIG_ENV}, or create \
             ./{DEFAULT_FILE} (`ros init` writes one)"
        ),
    };
    let report = load(&LoadOptions {
        file: Some(file),
        env,
        overrides: args.config.overrides(),
        cwd,
        probe: Probe { ports: true },
    })?;
    if args.format == "json" {
        println!("{:#}", render_json(&report));
    } else {
        print!("{}", render_text(&report));
    }
    Ok(if report.is_valid() {
        crate::exit::OK
    } else {
        crate::exit::FAILED
    })
}
