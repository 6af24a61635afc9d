//! `ros user`: manage users, online through a running server's admin API or, with
//! `--root DIR`, offline on a stopped server's data directory.

use std::io::{IsTerminal, Read};

use anyhow::{anyhow, Context as _};
use clap::{Args, Subcommand};
use ros::admin::ops::{NewPasswordUser, UserChanges};
use ros::client::{Users, UsersError};

use super::remote::{client, client_code, usage, Failure, Target};
use crate::output;

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub target: Target,
    #[command(subcommand)]
    pub verb: Verb,
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

impl From<UsersError> for Failure {
    fn from(e: UsersError) -> Failure {
        let code = match &e {
            UsersError::Client(c) => client_code(c),
            _ => crate::exit::FAILED,
        };
        Failure(code, e.into())
    }
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
    match &target.root {
        Some(root) => Ok(Users::offline(root)?),
        None => Ok(Users::Online(client(target)?)),
    }
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
