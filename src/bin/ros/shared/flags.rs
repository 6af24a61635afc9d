//! Flags that more than one command takes, each defined (and parsed) once.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::output::Format;

/// `--config FILE`.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigFile {
    /// Configuration file (else ROS_CONFIG, else ./configuration.yml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `--format table|json`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct FormatFlag {
    /// Output format: table for people, json for scripts (docs/cli-json.md);
    /// `text` is accepted as another name for table.
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value_t = Format::Table)]
    pub format: Format,
}

/// Where the configuration comes from and what a service manager overrides
/// (`serve` and `check-configuration`).
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub file: ConfigFile,
    /// Data root directory (storage.root_path).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// PEM public key that verifies tokens (auth.public_key_path).
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// PEM private key that signs tokens (auth.private_key_path).
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,
    /// Address of the HTTP proxy listener (proxy.http.listen_address).
    #[arg(long, value_name = "ADDRESS")]
    pub listen: Option<String>,
    /// Port of the HTTP proxy listener (proxy.http.listen_port; 0 = any free port).
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,
    /// Log level: all, trace, debug, detail, info, warn, error, fatal, off.
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

impl ConfigArgs {
    pub fn overrides(&self) -> ros::config::Overrides {
        ros::config::Overrides {
            root: self.root.clone(),
            public_key: self.public_key.clone(),
            private_key: self.private_key.clone(),
            listen: self.listen.clone(),
            port: self.port.clone(),
            log_level: self.log_level.clone(),
            settings: Vec::new(),
        }
    }
}

/// The value of `--expires-in`: `never` or a duration above zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    Never,
    After(Duration),
}

/// Parses `--expires-in` (10m, 1h, 30d with s, m, h, d; or never) for clap.
pub fn lifetime(text: &str) -> Result<Lifetime, String> {
    if text == "never" {
        return Ok(Lifetime::Never);
    }
    ros::config::parse_duration(text)
        .filter(|d| !d.is_zero())
        .map(Lifetime::After)
        .ok_or_else(|| "use 10m, 1h, 30d or never".to_string())
}

/// The process environment as the library takes it; variables that are not
/// Unicode cannot be configuration and are left out.
pub fn environment() -> ros::config::Environment {
    ros::config::Environment::new(
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
    )
}

/// The test-only pause after each file of a backup or restore
/// (docs/backup.md, "Testing"): how tests kill one mid-way.
pub fn test_pause() -> Option<std::time::Duration> {
    std::env::var(ros::backup::PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(std::time::Duration::from_millis)
}

/// The test-only cap on databases a backup copies through memory
/// (docs/backup.md, "Testing").
pub fn test_memory_cap() -> Option<u64> {
    std::env::var(ros::backup::MEMORY_CAP_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
}
