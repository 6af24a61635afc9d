//! `ros user`: manage users, online through a running server's admin API or, with
//! `--root DIR`, offline on a stopped server's data directory.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use clap::{Args, Subcommand};
use ros::admin::ops::{NewPasswordUser, UserChanges};
use ros::client::{AdminClient, ClientError, Users, UsersError};

use crate::output::{self, Format};

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub target: Target,
    #[command(subcommand)]
    pub verb: Verb,
}

/// Where the users are, and how to show them.
#[derive(Debug, Args)]
pub struct Target {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The server's http service, such as http://127.0.0.1:27080 (else ROS_URL, else
    /// the local configuration's).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// The admin token or an admin's token (else ROS_TOKEN, ROS_TOKEN_FILE, else
    /// the local configuration's admin token file).
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Work offline on this stopped server's data directory (storage.root_path).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Configuration file of the local server (else ROS_CONFIG, else ./configuration.yml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Verb {
    /// List every user.
    List,
    /// Show one user.
    Show { user: String },
    /// Create a user who logs in with USER as username and a password.
    Add {
        user: String,
        /// Make the user an admin.
        #[arg(long)]
        admin: bool,
        /// Read the password from standard input (one line) instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user (its Realms are kept).
    Remove {
        user: String,
        /// Do not ask for confirmation (needed without a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Set a user's password.
    Passwd {
        user: String,
        /// Read the password from standard input (one line) instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Make a user an admin.
    GrantAdmin { user: String },
    /// Take admin rights from a user.
    RevokeAdmin { user: String },
    /// Disable a user: no logins, every token refused.
    Disable { user: String },
    /// Enable a disabled user again.
    Enable { user: String },
}

/// A failure and its exit code.
struct Failure(i32, anyhow::Error);

impl From<UsersError> for Failure {
    fn from(e: UsersError) -> Failure {
        let code = match &e {
            UsersError::Client(ClientError::Unreachable { .. }) => crate::exit::UNREACHABLE,
            UsersError::Client(ClientError::BadUrl(_)) => crate::exit::USAGE,
            _ => crate::exit::FAILED,
        };
        Failure(code, e.into())
    }
}

fn usage(e: anyhow::Error) -> Failure {
    Failure(crate::exit::USAGE, e)
}

pub fn exec(args: UserArgs) -> i32 {
    match run(args) {
        Ok(()) => crate::exit::OK,
        Err(Failure(code, e)) => {
            eprintln!("ros user: {e:#}");
            code
        }
    }
}

fn connect(target: &Target) -> Result<Users, Failure> {
    if let Some(root) = &target.root {
        return Ok(Users::offline(root)?);
    }
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
    Ok(Users::Online(
        AdminClient::new(&url, token).map_err(|e| usage(e.into()))?,
    ))
}

/// A password from standard input (`--password-stdin`, one line) or asked twice
/// without echo on a terminal; never asked for without one.
fn password(user: &str, from_stdin: bool) -> Result<String, Failure> {
    if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the password from standard input")
            .map_err(usage)?;
        let line = text.strip_suffix('\n').unwrap_or(&text);
        return Ok(line.strip_suffix('\r').unwrap_or(line).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage(anyhow!(
            "no terminal to ask for the password on; pipe it in with --password-stdin"
        )));
    }
    dialoguer::Password::new()
        .with_prompt(format!("Password for {user}"))
        .with_confirmation("Repeat the password", "The passwords do not match")
        .interact()
        .map_err(|e| Failure(crate::exit::FAILED, e.into()))
}

fn confirm_removal(user: &str, yes: bool) -> Result<bool, Failure> {
    if yes {
        return Ok(true);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(usage(anyhow!(
            "refusing to remove {user:?} without confirmation; give --yes"
        )));
    }
    dialoguer::Confirm::new()
        .with_prompt(format!("Remove user {user}? Its Realms are kept."))
        .default(false)
        .interact()
        .map_err(|e| Failure(crate::exit::FAILED, e.into()))
}

fn run(args: UserArgs) -> Result<(), Failure> {
    let format = args.target.format;
    let flags = |name: &str, changes: UserChanges| -> Result<(), Failure> {
        let users = connect(&args.target)?;
        output::user(format, &users.update(name, changes)?);
        Ok(())
    };
    match &args.verb {
        Verb::List => output::users(format, &connect(&args.target)?.list()?),
        Verb::Show { user } => output::user(format, &connect(&args.target)?.show(user)?),
        Verb::Add {
            user,
            admin,
            password_stdin,
        } => {
            let password = password(user, *password_stdin)?;
            let users = connect(&args.target)?;
            let new = NewPasswordUser {
                username: user.clone(),
                password,
                is_admin: *admin,
            };
            output::user(format, &users.add(new)?);
        }
        Verb::Remove { user, yes } => {
            let users = connect(&args.target)?;
            let shown = users.show(user)?;
            if !confirm_removal(user, *yes)? {
                return Err(Failure(crate::exit::FAILED, anyhow!("not removed")));
            }
            output::removal(format, &users.remove(&shown.user_id)?);
        }
        Verb::Passwd {
            user,
            password_stdin,
        } => {
            let password = password(user, *password_stdin)?;
            output::user(
                format,
                &connect(&args.target)?.set_password(user, &password)?,
            );
        }
        Verb::GrantAdmin { user } => flags(
            user,
            UserChanges {
                is_admin: Some(true),
                disabled: None,
            },
        )?,
        Verb::RevokeAdmin { user } => flags(
            user,
            UserChanges {
                is_admin: Some(false),
                disabled: None,
            },
        )?,
        Verb::Disable { user } => flags(
            user,
            UserChanges {
                is_admin: None,
                disabled: Some(true),
            },
        )?,
        Verb::Enable { user } => flags(
            user,
            UserChanges {
                is_admin: None,
                disabled: Some(false),
            },
        )?,
    }
    Ok(())
}
