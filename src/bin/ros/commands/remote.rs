//! What `ros user`, `ros permission` and `ros realm` share: the flags that say
//! which server to talk to (or which stopped data root to open) and the rule that
//! finds its URL and token (flags, then `ROS_URL` / `ROS_TOKEN` /
//! `ROS_TOKEN_FILE`, then the local configuration).

use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use clap::Args;
use ros::client::AdminClient;

use crate::output::Format;

/// Where the data is, and how to show it.
#[derive(Debug, Args)]
pub struct Target {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The server's http service, such as http://127.0.0.1:27080 (else ROS_URL, else
    /// the local configuration's).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// The admin token or a user's token (else ROS_TOKEN, ROS_TOKEN_FILE, else the
    /// local configuration's admin token file).
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Work offline on this stopped server's data directory (storage.root_path).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Configuration file of the local server (else ROS_CONFIG, else ./configuration.yml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// A failure and its exit code.
pub struct Failure(pub i32, pub anyhow::Error);

pub fn usage(e: anyhow::Error) -> Failure {
    Failure(crate::exit::USAGE, e)
}

/// Exit code for a client error: 3 when the server cannot be reached, 2 for a bad
/// URL, 1 for a refusal.
pub fn client_code(e: &ros::client::ClientError) -> i32 {
    match e {
        ros::client::ClientError::Unreachable { .. } => crate::exit::UNREACHABLE,
        ros::client::ClientError::BadUrl(_) => crate::exit::USAGE,
        _ => crate::exit::FAILED,
    }
}

/// The admin API client for `target` (which has no `--root`).
pub fn client(target: &Target) -> Result<AdminClient, Failure> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut local = None;
    let mut config = || -> Result<ros::config::Config, Failure> {
        if local.is_none() {
            local =
                Some(crate::commands::site::local_config(target.config.as_deref()).map_err(usage)?);
        }
        local
            .clone()
            .ok_or_else(|| usage(anyhow!("no configuration")))
    };
    let url = match target.url.clone().or_else(|| env("ROS_URL")) {
        Some(url) => url,
        None => ros::client::server_url(&config()?).ok_or_else(|| {
            Failure(
                crate::exit::UNREACHABLE,
                anyhow!("the local server is not running (its lock file names no address); give --url or ROS_URL"),
            )
        })?,
    };
    let token = match (
        target.token.clone().or_else(|| env("ROS_TOKEN")),
        env("ROS_TOKEN_FILE"),
    ) {
        (Some(token), _) => token,
        (None, Some(file)) => std::fs::read_to_string(&file)
            .with_context(|| format!("ROS_TOKEN_FILE {file}"))
            .map_err(usage)?
            .trim()
            .to_string(),
        (None, None) => {
            let root = config()?.storage.root_path;
            ros::token::read_admin_token(&root)
                .map_err(|e| usage(e.into()))?
                .ok_or_else(|| {
                    usage(anyhow!(
                        "no token: give --token, ROS_TOKEN or ROS_TOKEN_FILE ({} has no admin token yet)",
                        root.display()
                    ))
                })?
        }
    };
    AdminClient::new(&url, token).map_err(|e| usage(e.into()))
}
