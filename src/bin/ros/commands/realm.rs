//! `ros realm`: the Realms the server knows, their owners and permission entries.

use clap::{Args, Subcommand};

use anyhow::anyhow;

use crate::error::{Classify as _, CliError, CliResult};
use crate::output;
use crate::shared::confirm::confirm;
use crate::shared::remote::Target;

#[derive(Debug, Args)]
pub struct RealmArgs {
    #[command(flatten)]
    pub target: Target,
    #[command(subcommand)]
    pub verb: Verb,
}

#[derive(Debug, Subcommand)]
pub enum Verb {
    /// List the Realms you manage (every Realm, for an admin).
    List {
        /// Only Realms of this owner (id or username).
        #[arg(long, value_name = "USER")]
        owner: Option<String>,
    },
    /// Show a Realm: its owner and every permission entry on it.
    Show {
        /// A path like /<user id>/tasks, or a partition value like '"tasks"'.
        path: String,
    },
    /// Delete a Realm: its data, and its permission entries and offers.
    /// Clients bound to it are told to reset (sync error 217); with the
    /// server stopped, the Realm is removed from the data root directly.
    Delete {
        /// A path like /<user id>/tasks, or a partition value like '"tasks"'.
        path: String,
        /// Do not ask (needed without a terminal).
        #[arg(long)]
        yes: bool,
    },
}

pub fn exec(args: RealmArgs) -> CliResult {
    let format = args.target.format();
    let sharing = args.target.sharing()?;
    match args.verb {
        Verb::List { owner } => {
            output::realms(format, &sharing.list_realms(owner.as_deref()).classify()?)
        }
        Verb::Show { path } => output::realm(format, &sharing.show_realm(&path).classify()?),
        Verb::Delete { path, yes } => {
            let question =
                format!("Delete Realm {path} with all its data? Clients that have it must reset.");
            if !confirm(&format!("delete Realm {path}"), &question, yes)? {
                return Err(CliError::failed(anyhow!("nothing deleted")));
            }
            output::realm_deleted(format, &sharing.delete_realm(&path).classify()?)
        }
    }
    Ok(())
}
