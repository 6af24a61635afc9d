//! `ros probe`: connect to a sync server as a client would, walk a session step
//! by step and time each step (`ros::client::probe`); exit 0 healthy, 1 a step
//! failed or a threshold was missed, 2 usage, 3 unreachable.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;
use ros::client::probe::{self, Expectation, FailureKind, ProbeOptions, Protocols};

use crate::error::{CliError, CliResult, ExitCode};
use crate::output;
use crate::shared::flags::{ConfigFile, FormatFlag};
use crate::shared::sync_target::{duration, resolve, resolve_app, Target};

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The server: a ws:// or wss:// sync URL, or an http(s):// base whose
    /// /realm-sync is probed (else ROS_URL, else the local configuration's sync
    /// listener).
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// The Realm to bind [default: /__probe/health, or with --write a new
    /// scratch Realm, /__probe/<random>].
    #[arg(long, value_name = "PATH")]
    pub realm: Option<String>,
    /// The token to connect with (else --token-file, ROS_TOKEN, ROS_TOKEN_FILE,
    /// else the local configuration's admin token).
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    pub token: Option<String>,
    /// A file holding the token.
    #[arg(long, value_name = "FILE", conflicts_with = "username")]
    pub token_file: Option<PathBuf>,
    /// Log in as this user of the password provider (POST /auth on the URL's
    /// http service, or the local server's) and probe with the user's token.
    #[arg(long, value_name = "USER", conflicts_with = "token")]
    pub username: Option<String>,
    /// Read the password from standard input (else it is asked for on the terminal).
    #[arg(long)]
    pub password_stdin: bool,
    /// Log in as a Realm SDK does through the app client API of app ID
    /// (location, login, profile, each timed), then probe the sync route the
    /// location names with the access token, binding the user's own partition
    /// unless --realm is given.
    #[arg(long, value_name = "ID", conflicts_with_all = ["token", "token_file", "username"])]
    pub app_id: Option<String>,
    /// With --app-id: log in as this email/password user.
    #[arg(
        long,
        value_name = "EMAIL",
        requires = "app_id",
        conflicts_with = "anonymous"
    )]
    pub email: Option<String>,
    /// With --app-id: log in anonymously.
    #[arg(long, requires = "app_id")]
    pub anonymous: bool,
    /// The limit of each step (connecting: DNS, TCP, TLS and upgrade together).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    pub timeout: Duration,
    /// Accept any TLS certificate (wss://).
    #[arg(long)]
    pub insecure: bool,
    /// Trust the CA certificates in this PEM file (wss://).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// The sync protocol versions to offer: one (8) or a range (2-7)
    /// [default: 2-14, as current clients].
    #[arg(long, value_name = "VERSIONS", default_value = "2-14")]
    pub protocol: Protocols,
    /// Also upload a small changeset and time it until it arrives on a second connection.
    #[arg(long)]
    pub write: bool,
    /// A threshold, STEP<DURATION (e.g. roundtrip<50ms, connect<1s); with
    /// --count the step's p99 is compared. A missed one exits 1.
    #[arg(long, value_name = "CHECK")]
    pub expect: Vec<Expectation>,
    /// How many probes to run.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// The time from the start of one probe to the start of the next.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = duration)]
    pub interval: Duration,
    #[command(flatten)]
    pub format: FormatFlag,
    #[command(flatten)]
    pub config: ConfigFile,
}

pub fn exec(args: ProbeArgs) -> CliResult {
    if args.password_stdin && args.username.is_none() && args.email.is_none() {
        return Err(CliError::usage(anyhow!(
            "--password-stdin needs --username or --email"
        )));
    }
    let target = Target {
        url: args.url.clone(),
        token: args.token.clone(),
        token_file: args.token_file.clone(),
        username: args.username.clone(),
        password_stdin: args.password_stdin,
        ca_cert: args.ca_cert.clone(),
        insecure: args.insecure,
        timeout: args.timeout,
        config: &args.config,
    };
    // Where to connect, with what, which Realm by default, and steps timed before.
    let (url, token, tls, realm, preface, http) = match &args.app_id {
        Some(app_id) => {
            if args.email.is_none() && !args.anonymous {
                return Err(CliError::usage(anyhow!(
                    "--app-id needs --email EMAIL or --anonymous"
                )));
            }
            let (session, tls) = resolve_app(&target, app_id, args.email.as_deref())?;
            let own = format!("\"{}\"", session.user_id);
            let url = session.sync_route;
            // An app user's token may not delete Realms: nothing to clean up with.
            (url, session.access_token, tls, own, session.timings, None)
        }
        None => {
            let resolved = resolve(target)?;
            let preface = resolved.login.map(|d| ("login", d)).into_iter().collect();
            let realm = probe::default_realm(args.write);
            let (url, token, tls) = (resolved.url, resolved.token, resolved.tls);
            (url, token, tls, realm, preface, resolved.http)
        }
    };
    let options = ProbeOptions {
        url,
        token: Some(token),
        realm: args.realm.clone().unwrap_or(realm),
        timeout: args.timeout,
        tls,
        write: args.write,
        protocols: args.protocol,
        preface,
        // Only the scratch Realm the probe chose; a Realm the caller named stays.
        cleanup: http.filter(|_| args.write && args.realm.is_none()),
    };
    run(&args, options)
}

/// Probes `options` as the flags ask and maps the outcome to the exit code.
fn run(args: &ProbeArgs, options: ProbeOptions) -> CliResult {
    if let Some(e) = args.expect.iter().find(|e| e.step == "roundtrip") {
        if !args.write {
            return Err(CliError::usage(anyhow!(
                "--expect {}<…: the roundtrip is measured only with --write",
                e.step
            )));
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(anyhow!("cannot start the async runtime: {e}")))?;
    let run = runtime.block_on(probe::probe_repeatedly(
        &options,
        args.count as usize,
        args.interval,
        &args.expect,
    ));
    output::probe(args.format.format, &run);
    if let Some(failure) = run.failure() {
        let code = match failure.kind {
            FailureKind::Unreachable => ExitCode::Unreachable,
            FailureKind::Usage => ExitCode::Usage,
            FailureKind::Failed => ExitCode::Failed,
        };
        let mut error = CliError::new(code, anyhow!("{failure}"));
        if failure.step == "tls" && options.tls.ca_pem.is_none() && !options.tls.insecure {
            error = error.hint("give --ca-cert FILE with the server's CA, or --insecure");
        }
        return Err(error);
    }
    if let Some(missed) = run.violation() {
        let observed = missed
            .observed_ms
            .map_or("not measured".to_string(), |o| format!("{o:.3} ms"));
        return Err(CliError::failed(anyhow!(
            "threshold missed: {} took {observed}, expected < {:.3} ms",
            missed.step,
            missed.limit_ms
        )));
    }
    Ok(())
}
