//! `ros token`: key pairs, the admin token, tokens minted by the operator, and
//! what a token says.

use std::io::Read;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{anyhow, bail, Context as _};
use clap::{Args, Subcommand};
use ros::auth::{Expiry, MintRequest};
use ros::token::{Access, Right};
use serde_json::json;

use crate::output::{self, Format};

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Configuration file of the local server (else ROS_CONFIG, else ./configuration.yml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
        #[arg(long, value_name = "DURATION")]
        expires_in: Option<String>,
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

pub fn exec(args: TokenArgs) -> i32 {
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ros token: {e:#}");
            crate::exit::FAILED
        }
    }
}

fn rights(words: &[String]) -> anyhow::Result<Access> {
    if words.is_empty() {
        return Ok(Access::NONE.with(Right::Download).with(Right::Upload));
    }
    words
        .iter()
        .map(|w| {
            Right::ALL
                .into_iter()
                .find(|r| r.as_str() == w.trim())
                .ok_or_else(|| anyhow!("unknown right {w:?}: use download, upload, manage"))
        })
        .collect()
}

fn expiry(text: Option<&str>) -> anyhow::Result<Expiry> {
    match text {
        None => Ok(Expiry::Default),
        Some("never") => Ok(Expiry::Never),
        Some(t) => ros::config::parse_duration(t)
            .filter(|d| !d.is_zero())
            .map(Expiry::After)
            .ok_or_else(|| anyhow!("--expires-in {t:?}: use 10m, 1h, 30d or never")),
    }
}

fn show_token(format: Format, token: &str, extra: serde_json::Value) {
    match format {
        Format::Table => println!("{token}"),
        Format::Json => {
            let mut value = json!({ "token": token });
            if let (Some(map), serde_json::Value::Object(more)) = (value.as_object_mut(), extra) {
                map.extend(more);
            }
            output::json(&value);
        }
    }
}

fn run(args: TokenArgs) -> anyhow::Result<i32> {
    let format = args.format;
    let config = || crate::commands::site::local_config(args.config.as_deref());
    match args.verb {
        Verb::Keygen { out_dir, force } => {
            let files = ros::init::keygen(&out_dir, force)?;
            match format {
                Format::Json => output::json(&json!({
                    "private_key": files.private_key,
                    "public_key": files.public_key,
                })),
                Format::Table => output::table(
                    &["FILE", "WHAT"],
                    vec![
                        vec![
                            files.private_key.display().to_string(),
                            "private key (mode 0600)".into(),
                        ],
                        vec![files.public_key.display().to_string(), "public key".into()],
                    ],
                ),
            }
        }
        Verb::Admin { rotate } => {
            let token = ros::auth::admin_token(&config()?, rotate, SystemTime::now())?;
            show_token(format, &token, json!({ "rotated": rotate }));
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
                expires: expiry(expires_in.as_deref())?,
                jwt,
            };
            let minted = ros::auth::mint(&config()?, &request, SystemTime::now())?;
            let claims = ros::auth::ClaimsJson::from(&minted.claims);
            show_token(format, &minted.token, json!({ "claims": claims }));
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
                bail!("the token is empty");
            }
            let verifier = if public_key.is_empty() {
                ros::auth::load_verifier(&config()?)?
            } else {
                ros::auth::verifier_of(&public_key)?
            };
            let inspection = ros::auth::inspect(&verifier, &token, SystemTime::now());
            match format {
                Format::Json => output::json(&inspection),
                Format::Table => {
                    let mut value = serde_json::to_value(&inspection.claims)?;
                    if let Some(map) = value.as_object_mut() {
                        map.insert("valid".into(), json!(inspection.valid));
                        map.insert("error".into(), json!(inspection.error));
                    } else {
                        value = json!({"valid": inspection.valid, "error": inspection.error});
                    }
                    output::fields(&value);
                }
            }
            if !inspection.valid {
                return Ok(crate::exit::FAILED);
            }
        }
    }
    Ok(crate::exit::OK)
}
