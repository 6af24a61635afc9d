//! `ros probe bench`: load a sync server with N sessions uploading changesets
//! and integrating each other's (`ros::client::probe_bench`); exit 0 ok, 1 a
//! failure or a regression past --max-regression, 2 usage, 3 unreachable.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context as _};
use clap::Args;
use ros::client::probe::{FailureKind, ProbeOptions};
use ros::client::probe_bench::{self, BenchOptions, BenchReport, Mode, Progress, Readers};

use crate::error::{CliError, CliResult, ExitCode};
use crate::output;
use crate::shared::flags::{ConfigFile, FormatFlag};
use crate::shared::sync_target::{duration, resolve, Target};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReadersArg {
    Integrate,
    Parse,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The server: a ws:// or wss:// sync URL, or an http(s):// base (else
    /// ROS_URL, else the local configuration's sync listener).
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// Concurrent sessions.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub sessions: u32,
    /// Connections the sessions share, round robin (several sessions on one
    /// connection, as an app with several Realms) [default: one per session].
    #[arg(long, value_name = "C", value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub connections: Option<u32>,
    /// Sessions per Realm that upload (the first ones of each Realm); the others
    /// only read [default: all]. `--writers 1` is a fan-out: one writer, many readers.
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u32).range(0..))]
    pub writers: Option<u32>,
    /// What the sessions that only read do with each DOWNLOAD: `integrate`
    /// (check, merge and apply it, as a real client) or `parse` (decode it and
    /// note its arrival only, which leaves the CPU to the server when the bench
    /// runs on the server's machine).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = ReadersArg::Integrate)]
    pub readers: ReadersArg,
    /// Changesets each writer uploads (with --duration: at most this many; 0 = no limit).
    #[arg(long, value_name = "M", default_value_t = 100)]
    pub changesets: u32,
    /// Instructions per changeset: one object creation, then updates of it.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100000))]
    pub instructions: u32,
    /// Scratch Realms the sessions are spread over (/__probe/bench-<random>-<i>).
    #[arg(long, value_name = "R", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub realms: u32,
    /// Open loop: changesets per second over all sessions [default: closed
    /// loop, each session uploads once its previous changeset is acknowledged].
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// Closed loop: wait this long after each acknowledgement before the
    /// next upload (a user's pause between changes) [default: none].
    #[arg(long, value_name = "DURATION", value_parser = duration, conflicts_with_all = ["rate", "offline"])]
    pub think: Option<Duration>,
    /// Stop uploading after this long (else after --changesets each).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub duration: Option<Duration>,
    /// Writers commit all their changesets before connecting, then sync them
    /// at once (clients coming back online); throughput is acknowledgements
    /// until the last one.
    #[arg(long, conflicts_with_all = ["rate", "duration"])]
    pub offline: bool,
    /// The token to connect with (else --token-file, ROS_TOKEN, ROS_TOKEN_FILE,
    /// else the local configuration's admin token).
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    pub token: Option<String>,
    /// A file holding the token.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The limit of connecting and of waiting for the server after the last upload.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = duration)]
    pub timeout: Duration,
    /// Accept any TLS certificate (wss://).
    #[arg(long)]
    pub insecure: bool,
    /// Trust the CA certificates in this PEM file (wss://).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Compare with a previous JSON report: print the change of each figure and
    /// exit 1 when one regressed past --max-regression.
    #[arg(long, value_name = "OLD.json")]
    pub compare: Option<PathBuf>,
    /// The regression, in percent, --compare tolerates (throughput lower or latency higher).
    #[arg(long, value_name = "PCT", default_value_t = 20.0, requires = "compare")]
    pub max_regression: f64,
    /// Compare this saved JSON report instead of running a bench (with --compare).
    #[arg(long, value_name = "NEW.json", requires = "compare")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatFlag,
    #[command(flatten)]
    pub config: ConfigFile,
}

fn read_report(file: &std::path::Path, what: &str) -> Result<BenchReport, CliError> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{what} {}", file.display()))
        .map_err(CliError::usage)?;
    serde_json::from_str(&text)
        .with_context(|| {
            format!(
                "{what} {}: not a `ros probe bench --format json` report",
                file.display()
            )
        })
        .map_err(CliError::usage)
}

pub fn exec(args: BenchArgs) -> CliResult {
    if let Some(c) = args.connections.filter(|c| *c > args.sessions) {
        return Err(CliError::usage(anyhow!(
            "--connections {c} is more than --sessions {}",
            args.sessions
        )));
    }
    if args.rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
        return Err(CliError::usage(anyhow!("--rate must be a positive number")));
    }
    if args.changesets == 0 && args.duration.is_none() {
        return Err(CliError::usage(anyhow!("--changesets 0 needs --duration")));
    }
    if !(args.max_regression.is_finite() && args.max_regression >= 0.0) {
        return Err(CliError::usage(anyhow!(
            "--max-regression must be a percentage ≥ 0"
        )));
    }
    let old = match &args.compare {
        Some(file) => Some(read_report(file, "--compare")?),
        None => None,
    };
    let report = match &args.report {
        Some(file) => read_report(file, "--report")?,
        None => run(&args)?,
    };
    let Some(old) = old else {
        output::bench(args.format.format, &report);
        return if report.ok {
            Ok(())
        } else {
            Err(CliError::failed(anyhow!(
                "the bench did not complete: {}",
                incomplete(&report)
            )))
        };
    };
    let changes = probe_bench::compare(&old, &report, args.max_regression);
    output::bench_comparison(args.format.format, &report, &changes);
    let regressed: Vec<&str> = changes
        .iter()
        .filter(|c| c.regressed)
        .map(|c| c.figure.as_str())
        .collect();
    if !regressed.is_empty() {
        return Err(CliError::failed(anyhow!(
            "regressed past {}%: {}",
            args.max_regression,
            regressed.join(", ")
        )));
    }
    if !report.ok {
        return Err(CliError::failed(anyhow!(
            "the bench did not complete: {}",
            incomplete(&report)
        )));
    }
    Ok(())
}

fn incomplete(report: &BenchReport) -> String {
    let c = &report.changesets;
    let mut parts = vec![format!(
        "{} of {} changesets acknowledged, {} of {} received",
        c.acknowledged, c.uploaded, c.received, c.expected_received
    )];
    for (code, n) in &report.errors {
        parts.push(format!("{n}× error {code}"));
    }
    parts.join("; ")
}

/// Uploads a complete run makes (`None` when --duration decides).
fn planned_uploads(args: &BenchArgs) -> Option<u64> {
    if args.duration.is_some() {
        return None;
    }
    let (sessions, realms) = (u64::from(args.sessions), u64::from(args.realms).max(1));
    let writers: u64 = (0..realms.min(sessions))
        .map(|r| {
            let on_realm = sessions / realms + u64::from(r < sessions % realms);
            args.writers
                .map_or(on_realm, |w| u64::from(w).min(on_realm))
        })
        .sum();
    Some(writers * u64::from(args.changesets))
}

fn run(args: &BenchArgs) -> Result<BenchReport, CliError> {
    let resolved = resolve(Target {
        url: args.url.clone(),
        token: args.token.clone(),
        token_file: args.token_file.clone(),
        username: None,
        password_stdin: false,
        ca_cert: args.ca_cert.clone(),
        insecure: args.insecure,
        timeout: args.timeout,
        config: &args.config,
    })?;
    let options = BenchOptions {
        target: ProbeOptions {
            url: resolved.url,
            token: Some(resolved.token),
            realm: String::new(),
            timeout: args.timeout,
            tls: resolved.tls,
            write: true,
            protocols: Default::default(),
            preface: Vec::new(),
            cleanup: resolved.http,
        },
        sessions: args.sessions as usize,
        connections: args.connections.map(|c| c as usize),
        changesets: args.changesets as usize,
        instructions: args.instructions as usize,
        realms: args.realms as usize,
        writers: args.writers.map(|w| w as usize),
        readers: match args.readers {
            ReadersArg::Integrate => Readers::Integrate,
            ReadersArg::Parse => Readers::Parse,
        },
        mode: match (args.offline, args.rate) {
            (true, _) => Mode::Offline,
            (false, Some(rate)) => Mode::Open { rate },
            (false, None) => Mode::Closed {
                think: args.think.unwrap_or_default(),
            },
        },
        duration: args.duration,
        progress: Arc::new(Progress::default()),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(anyhow!("cannot start the async runtime: {e}")))?;
    // A connection per session: as many descriptors as the system lets us have.
    if let Err(e) = ros::server::raise_open_files_limit() {
        tracing::debug!(error = %e, "cannot raise the open-files limit");
    }
    let bar = output::bench_progress(planned_uploads(args), options.progress.clone());
    let result = runtime.block_on(probe_bench::run(&options));
    drop(bar);
    result.map_err(|f| {
        let code = match f.kind {
            FailureKind::Unreachable => ExitCode::Unreachable,
            FailureKind::Usage => ExitCode::Usage,
            FailureKind::Failed => ExitCode::Failed,
        };
        CliError::new(code, anyhow!("{f}"))
    })
}
