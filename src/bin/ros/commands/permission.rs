//! `ros permission`: who may read, write and manage which Realm, and offers that
//! share a Realm by token. Online through a running server's admin API (as the
//! token's user, or everything with the admin token) or offline with
//! `--data-root` (or `--root`).

use clap::{Args, Subcommand};
use ros::admin::Rights;
use ros::client::ChangeRequest;

use crate::error::{Classify as _, CliResult};
use crate::output;
use crate::shared::flags::{self, Lifetime};
use crate::shared::remote::Target;

#[derive(Debug, Args)]
pub struct PermissionArgs {
    #[command(flatten)]
    pub target: Target,
    #[command(subcommand)]
    pub verb: Verb,
}

/// Flags to set; a flag not given keeps its value (false on a new entry).
#[derive(Debug, Args)]
pub struct Flags {
    /// Allow reading (downloading) the Realm.
    #[arg(long, conflicts_with = "no_read")]
    pub read: bool,
    /// Allow writing (uploading); needs read as well.
    #[arg(long, conflicts_with = "no_write")]
    pub write: bool,
    /// Allow managing the Realm's permissions.
    #[arg(long, conflicts_with = "no_manage")]
    pub manage: bool,
    /// Take reading away.
    #[arg(long)]
    pub no_read: bool,
    /// Take writing away.
    #[arg(long)]
    pub no_write: bool,
    /// Take managing away.
    #[arg(long)]
    pub no_manage: bool,
}

fn tri(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

#[derive(Debug, Subcommand)]
pub enum Verb {
    /// List permission entries, optionally of one Realm or one user.
    List {
        /// Only entries on this Realm.
        #[arg(long, value_name = "PATH")]
        realm: Option<String>,
        /// Only entries of this user (id or username), or `*` for default entries.
        #[arg(long, value_name = "USER")]
        user: Option<String>,
    },
    /// Set flags on USER's entry (or with `*` the Realm's default entry) for PATH
    /// (`*` for every Realm the requester owns). Without flags, an entry that
    /// grants nothing is created: it denies, even below a permissive default.
    Grant {
        /// A user id, a username, or `*` for the default entry.
        user: String,
        /// The Realm: a path like /<user id>/tasks, a partition value like '"tasks"', or `*`.
        path: String,
        #[command(flatten)]
        flags: Flags,
    },
    /// Remove USER's entry (or the default entry) on PATH; the user falls back to
    /// the Realm's default entry.
    Revoke { user: String, path: String },
    /// Offers: tokens that grant flags on a Realm to whoever accepts them.
    Offer {
        #[command(subcommand)]
        verb: OfferVerb,
    },
}

#[derive(Debug, Subcommand)]
pub enum OfferVerb {
    /// Make an offer for PATH and print its token.
    Create {
        path: String,
        /// Offer reading.
        #[arg(long)]
        read: bool,
        /// Offer writing (needs --read).
        #[arg(long)]
        write: bool,
        /// Offer managing.
        #[arg(long)]
        manage: bool,
        /// The offer expires after this long (10m, 1h, 30d); default never.
        #[arg(long, value_name = "DURATION", value_parser = flags::lifetime)]
        expires_in: Option<Lifetime>,
    },
    /// Accept an offer: as the token's user, or for --user (admins, and offline).
    Accept {
        /// The offer's token.
        #[arg(value_name = "TOKEN")]
        offer: String,
        /// The user who accepts (id or username).
        #[arg(long, value_name = "USER")]
        user: Option<String>,
    },
    /// List the offers you made (every offer, for an admin).
    List,
    /// Revoke an offer: it can no longer be accepted; what it granted stays.
    Revoke {
        /// The offer's token.
        #[arg(value_name = "TOKEN")]
        offer: String,
    },
}

pub fn exec(args: PermissionArgs) -> CliResult {
    let format = args.target.format();
    match args.verb {
        Verb::List { realm, user } => {
            let list = args
                .target
                .sharing()?
                .list_permissions(realm.as_deref(), user.as_deref())
                .classify()?;
            output::permissions(format, &list);
        }
        Verb::Grant { user, path, flags } => {
            let request = ChangeRequest {
                realm: path,
                user,
                may_read: tri(flags.read, flags.no_read),
                may_write: tri(flags.write, flags.no_write),
                may_manage: tri(flags.manage, flags.no_manage),
            };
            output::change(format, &args.target.sharing()?.change(&request).classify()?);
        }
        Verb::Revoke { user, path } => {
            output::revoked(
                format,
                &args.target.sharing()?.revoke(&user, &path).classify()?,
            );
        }
        Verb::Offer { verb } => offer(&args.target, verb)?,
    }
    Ok(())
}

fn offer(target: &Target, verb: OfferVerb) -> CliResult {
    let format = target.format();
    match verb {
        OfferVerb::Create {
            path,
            read,
            write,
            manage,
            expires_in,
        } => {
            let expires = match expires_in {
                None | Some(Lifetime::Never) => None,
                Some(Lifetime::After(d)) => Some(d),
            };
            let rights = Rights::new(read, write, manage);
            output::offer(
                format,
                &target
                    .sharing()?
                    .create_offer(&path, rights, expires)
                    .classify()?,
            );
        }
        OfferVerb::Accept { offer, user } => {
            output::accepted(
                format,
                &target
                    .sharing()?
                    .accept_offer(&offer, user.as_deref())
                    .classify()?,
            );
        }
        OfferVerb::List => output::offers(format, &target.sharing()?.list_offers().classify()?),
        OfferVerb::Revoke { offer } => {
            output::offer(format, &target.sharing()?.revoke_offer(&offer).classify()?);
        }
    }
    Ok(())
}
