//! What `ros user`, `ros permission` and `ros realm` share: the flags that say
//! which server to talk to (or which stopped server's data root to open) and the
//! rule that finds its URL and token (flags, then `ROS_URL` / `ROS_TOKEN` /
//! `ROS_TOKEN_FILE`, then the local configuration).

use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use clap::Args;
use ros::client::{AdminClient, Sharing, Users};

use super::flags::{ConfigFile, FormatFlag};
use crate::error::{Classify as _, CliError};
use crate::output::Format;

/// Where the data is, and how to show it.
#[derive(Debug, Args)]
pub struct Target {
    #[command(flatten)]
    pub format: FormatFlag,
    /// The server's http service, such as http://127.0.0.1:27080 (else ROS_URL, else
    /// the local configuration's).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// The admin token or a user's token (else ROS_TOKEN, ROS_TOKEN_FILE, else the
    /// local configuration's admin token file).
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Work offline, as the operator, on this stopped server's data root
    /// (storage.root_path); `--root` is the same.
    #[arg(
        long = "data-root",
        visible_alias = "root",
        global = true,
        value_name = "DIR"
    )]
    pub data_root: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigFile,
}

impl Target {
    pub fn format(&self) -> Format {
        self.format.format
    }

    /// The users of the running server, or of the data root given.
    pub fn users(&self) -> Result<Users, CliError> {
        match &self.data_root {
            Some(root) => Users::offline(root).classify(),
            None => Ok(Users::Online(self.client()?)),
        }
    }

    /// Permissions, offers and Realms of the running server, or of the data root given.
    pub fn sharing(&self) -> Result<Sharing, CliError> {
        match &self.data_root {
            Some(root) => Sharing::offline(root).classify(),
            None => Ok(Sharing::Online(self.client()?)),
        }
    }

    /// The admin API client (no data root given).
    fn client(&self) -> Result<AdminClient, CliError> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut local = None;
        let mut config = || -> Result<ros::config::Config, CliError> {
            if local.is_none() {
                local = Some(super::config::local(self.config.config.as_deref())?);
            }
            local
                .clone()
                .ok_or_else(|| CliError::usage(anyhow!("no configuration")))
        };
        let url = match self.url.clone().or_else(|| env("ROS_URL")) {
            Some(url) => url,
            None => ros::client::server_url(&config()?).ok_or_else(|| {
                CliError::unreachable(anyhow!(
                    "the local server is not running (its lock file names no address)"
                ))
                .hint("give --url or ROS_URL, or start it with `ros serve`")
            })?,
        };
        let token = match (
            self.token.clone().or_else(|| env("ROS_TOKEN")),
            env("ROS_TOKEN_FILE"),
        ) {
            (Some(token), _) => token,
            (None, Some(file)) => std::fs::read_to_string(&file)
                .with_context(|| format!("ROS_TOKEN_FILE {file}"))
                .map_err(CliError::usage)?
                .trim()
                .to_string(),
            (None, None) => {
                let root = config()?.storage.root_path;
                ros::token::read_admin_token(&root)
                    .map_err(CliError::usage)?
                    .ok_or_else(|| {
                        CliError::usage(anyhow!(
                            "no token: give --token, ROS_TOKEN or ROS_TOKEN_FILE ({} has no admin token yet)",
                            root.display()
                        ))
                    })?
            }
        };
        AdminClient::new(&url, token).map_err(CliError::usage)
    }
}
