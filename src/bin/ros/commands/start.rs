//! `ros start`: the original 3.x server's flags (docs/original-server.md §1), mapped onto
//! `ros serve`, so scripts written for the original keep working.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use ros::config::{plan_start, StartFlags};

use crate::error::{CliError, CliResult};
use crate::output;
use crate::shared::config::{self, Reporting, Request, Source};
use crate::shared::flags::environment;
use crate::shared::server;

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Data root (the original's default: ./data).
    #[arg(
        short = 'd',
        long = "data",
        value_name = "PATH",
        default_value = "./data"
    )]
    pub data: PathBuf,
    /// Address of the public HTTP listener.
    #[arg(
        short = 'a',
        long = "address",
        value_name = "ADDRESS",
        default_value = "0.0.0.0"
    )]
    pub address: String,
    /// Port of the public HTTP listener (1-65535).
    #[arg(
        short = 'p',
        long = "port",
        value_name = "PORT",
        default_value = "9080"
    )]
    pub port: String,
    /// all, trace, debug, detail, info, warn, error, fatal, off.
    #[arg(
        short = 'l',
        long = "loglevel",
        value_name = "LEVEL",
        default_value = "info"
    )]
    pub loglevel: String,
    /// Append the log to this file.
    #[arg(short = 'f', long = "logfile", value_name = "FILE")]
    pub logfile: Option<PathBuf>,
    /// Do not generate the key pair when it is missing.
    #[arg(long = "no-auto-keygen")]
    pub no_auto_keygen: bool,
    /// PEM private key (default: DATA/keys/auth.key).
    #[arg(long = "private-key", value_name = "PATH")]
    pub private_key: Option<PathBuf>,
    /// PEM public key (default: DATA/keys/auth.pub).
    #[arg(long = "public-key", value_name = "PATH")]
    pub public_key: Option<PathBuf>,
    /// Also listen with HTTPS.
    #[arg(long)]
    pub https: bool,
    /// PEM key of the HTTPS listener.
    #[arg(long = "https-key", value_name = "PATH")]
    pub https_key: Option<PathBuf>,
    /// PEM certificate chain of the HTTPS listener.
    #[arg(long = "https-cert", value_name = "PATH")]
    pub https_cert: Option<PathBuf>,
    /// Address of the HTTPS listener.
    #[arg(
        long = "https-address",
        value_name = "ADDRESS",
        default_value = "0.0.0.0"
    )]
    pub https_address: String,
    /// Port of the HTTPS listener (1-65535).
    #[arg(long = "https-port", value_name = "PORT", default_value = "9443")]
    pub https_port: String,
    /// Lifetime of refresh tokens in seconds (default 315360000, ten years).
    #[arg(long = "refresh-token-ttl", value_name = "SECONDS")]
    pub refresh_token_ttl: Option<String>,
    /// Lifetime of access tokens in seconds (default 600).
    #[arg(long = "access-token-ttl", value_name = "SECONDS")]
    pub access_token_ttl: Option<String>,
}

pub fn exec(args: StartArgs) -> CliResult {
    let flags = StartFlags {
        data: args.data,
        address: args.address,
        port: args.port,
        loglevel: args.loglevel,
        logfile: args.logfile,
        auto_keygen: !args.no_auto_keygen,
        private_key: args.private_key,
        public_key: args.public_key,
        https: args.https,
        https_key: args.https_key,
        https_cert: args.https_cert,
        https_address: args.https_address,
        https_port: args.https_port,
        access_token_ttl: args.access_token_ttl,
        refresh_token_ttl: args.refresh_token_ttl,
    };
    let cwd = std::env::current_dir()
        .context("cannot determine the current directory")
        .map_err(CliError::usage)?;
    let plan = plan_start(&flags, &cwd).map_err(CliError::usage)?;
    ros::init::ensure_root(&plan.root).map_err(CliError::usage)?;
    if plan.auto_keygen
        && ros::init::ensure_key_pair(&plan.private_key, &plan.public_key)
            .map_err(CliError::usage)?
    {
        output::note(
            "start",
            &format!(
                "generated the key pair {} and {}",
                plan.private_key.display(),
                plan.public_key.display()
            ),
        );
    }
    let loaded = config::load(Request {
        source: Source::NoFile,
        env: environment(),
        overrides: plan.overrides,
        probe_ports: false,
        reporting: Reporting::Findings,
    })?;
    server::run(loaded.config, None)
}
