//! `ros token`: key pairs, the admin token, tokens minted by the operator, and
//! what a token says.

use std::io::Read;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{anyhow, Context as _};
use clap::{Args, Subcommand};
use ros::auth::{Expiry, MintRequest};
use ros::token::{Access, Right};
use serde_json::json;

use crate::error::{CliError, CliResult, ExitCode};
use crate::output;
use crate::shared::config;
use crate::shared::flags::{self, ConfigFile, FormatFlag, Lifetime};

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub format: FormatFlag,
    #[command(flatten)]
    pub config: ConfigFile,
    #[command(subcommand)]
    pub verb: Verb,
}

#[derive(Debug, Subcommand)]
pub enum Verb {
    /// Write a new RSA key pair: auth.key (mode 0600) and auth.pub.
    Keygen {
        /// Directory for the two files.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out_dir: PathBuf,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
    },
    /// Print the admin token of the local server (made when missing).
    Admin {
        /// Replace it with a new one; the old one stops working at once, also on
        /// the running server.
        #[arg(long)]
        rotate: bool,
    },
    /// Sign a token with the local server's private key.
    Create {
        /// Whom the token speaks for: a user id, `__admin`, or any identity.
        #[arg(long, value_name = "ID")]
        identity: String,
        /// The one Realm an access token opens (default: none, for the HTTP API).
        #[arg(long, value_name = "PATH")]
        path: Option<String>,
        /// Rights of an access token, comma separated [default: download,upload].
        #[arg(
            long,
            value_name = "RIGHTS",
            value_delimiter = ',',
            conflicts_with = "refresh"
        )]
        access: Vec<String>,
        /// A refresh token (a new login session of that user).
        #[arg(long)]
        refresh: bool,
        /// Mark the token's holder as an admin.
        #[arg(long)]
        admin: bool,
        /// Lifetime: 10m, 1h, 30d (s, m, h, d), or never [default: the configured TTL].
        #[arg(long, value_name = "DURATION", value_parser = flags::lifetime)]
        expires_in: Option<Lifetime>,
        /// Write a JWT (RS256) instead of the legacy form.
        #[arg(long)]
        jwt: bool,
    },
    /// Check a token's signature and times and show what it says (exit 1 if not valid).
    Inspect {
        /// The token, or - to read it from standard input.
        token: String,
        /// Verify with these PEM public keys instead of the configuration's.
        #[arg(long, value_name = "FILE")]
        public_key: Vec<PathBuf>,
    },
}

fn rights(words: &[String]) -> Result<Access, CliError> {
    if words.is_empty() {
        return Ok(Access::NONE.with(Right::Download).with(Right::Upload));
    }
    words
        .iter()
        .map(|w| {
            Right::ALL
                .into_iter()
                .find(|r| r.as_str() == w.trim())
                .ok_or_else(|| {
                    CliError::usage(anyhow!("unknown right {w:?}: use download, upload, manage"))
                })
        })
        .collect()
}

fn expiry(lifetime: Option<Lifetime>) -> Expiry {
    match lifetime {
        None => Expiry::Default,
        Some(Lifetime::Never) => Expiry::Never,
        Some(Lifetime::After(d)) => Expiry::After(d),
    }
}

pub fn exec(args: TokenArgs) -> CliResult {
    let format = args.format.format;
    let config = || config::local(args.config.config.as_deref());
    match args.verb {
        Verb::Keygen { out_dir, force } => {
            output::key_files(format, &ros::init::keygen(&out_dir, force)?);
        }
        Verb::Admin { rotate } => {
            let token = ros::auth::admin_token(&config()?, rotate, SystemTime::now())?;
            output::token(format, &token, json!({ "rotated": rotate }));
        }
        Verb::Create {
            identity,
            path,
            access,
            refresh,
            admin,
            expires_in,
            jwt,
        } => {
            let request = MintRequest {
                identity,
                path,
                access: rights(&access)?,
                refresh,
                admin,
                expires: expiry(expires_in),
                jwt,
            };
            let minted = ros::auth::mint(&config()?, &request, SystemTime::now())?;
            let claims = ros::auth::ClaimsJson::from(&minted.claims);
            output::token(format, &minted.token, json!({ "claims": claims }));
        }
        Verb::Inspect { token, public_key } => {
            let token = if token == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("reading the token from standard input")?;
                text.trim().to_string()
            } else {
                token
            };
            if token.is_empty() {
                return Err(CliError::usage(anyhow!("the token is empty")));
            }
            let verifier = if public_key.is_empty() {
                ros::auth::load_verifier(&config()?)?
            } else {
                ros::auth::verifier_of(&public_key)?
            };
            let inspection = ros::auth::inspect(&verifier, &token, SystemTime::now());
            output::inspection(format, &inspection);
            if !inspection.valid {
                // The inspection shown says why.
                return Err(CliError::silent(ExitCode::Failed));
            }
        }
    }
    Ok(())
}
