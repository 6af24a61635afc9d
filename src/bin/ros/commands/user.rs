//! `ros user`: manage users, online through a running server's admin API or, with
//! `--data-root DIR` (or `--root DIR`), offline on a stopped server's data root.

use anyhow::anyhow;
use clap::{Args, Subcommand};
use ros::admin::ops::{NewPasswordUser, UserChanges};

use crate::error::{Classify as _, CliError, CliResult};
use crate::output;
use crate::shared::confirm::confirm;
use crate::shared::password;
use crate::shared::remote::Target;

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
    /// Set a user's password; this ends every session of the user unless
    /// `--keep-sessions`.
    Passwd {
        user: String,
        /// Read the password from standard input (one line) instead of asking.
        #[arg(long)]
        password_stdin: bool,
        /// Keep the user's sessions: by default the change logs them out
        /// everywhere, so a stolen refresh token stops working.
        #[arg(long)]
        keep_sessions: bool,
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

pub fn exec(args: UserArgs) -> CliResult {
    let format = args.target.format();
    let flags = |name: &str, changes: UserChanges| -> CliResult {
        let users = args.target.users()?;
        output::user(format, &users.update(name, changes).classify()?);
        Ok(())
    };
    match &args.verb {
        Verb::List => output::users(format, &args.target.users()?.list().classify()?),
        Verb::Show { user } => output::user(format, &args.target.users()?.show(user).classify()?),
        Verb::Add {
            user,
            admin,
            password_stdin,
        } => {
            let password = password::read(user, *password_stdin, password::Ask::Twice)?;
            let users = args.target.users()?;
            let new = NewPasswordUser {
                username: user.clone(),
                password,
                is_admin: *admin,
            };
            output::user(format, &users.add(new).classify()?);
        }
        Verb::Remove { user, yes } => {
            let users = args.target.users()?;
            let shown = users.show(user).classify()?;
            let question = format!("Remove user {user}? Its Realms are kept.");
            if !confirm(&format!("remove user {user:?}"), &question, *yes)? {
                return Err(CliError::failed(anyhow!("not removed")));
            }
            output::removal(format, &users.remove(&shown.user_id).classify()?);
        }
        Verb::Passwd {
            user,
            password_stdin,
            keep_sessions,
        } => {
            let password = password::read(user, *password_stdin, password::Ask::Twice)?;
            output::user(
                format,
                &args
                    .target
                    .users()?
                    .set_password(user, &password, *keep_sessions)
                    .classify()?,
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
