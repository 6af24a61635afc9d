//! Find the configuration, load it, report what is wrong: the one sequence behind
//! `serve`, `start`, `check-configuration` and every command that acts on this
//! machine's server (`token`, and `user` / `permission` / `realm` when they look
//! for the local server's address and admin token).

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _};
use ros::config::{
    locate, Config, Environment, LoadOptions, Location, Overrides, Probe, Severity, CONFIG_ENV,
    DEFAULT_FILE,
};

use crate::error::{CliError, ExitCode};
use crate::output::{self, Format};

/// Where the file comes from.
pub enum Source<'a> {
    /// `--config` (or a FILE argument), else `ROS_CONFIG`, else `./configuration.yml`;
    /// with none of them, `when_none` decides.
    Locate {
        flag: Option<&'a Path>,
        when_none: WhenNone,
    },
    /// No file: the environment and overrides alone (`ros start`).
    NoFile,
}

/// What to do when no configuration file is found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WhenNone {
    /// A configuration error.
    Refuse,
    /// Use the development server in `./ros-data`, set up when missing (`serve`).
    SetUpDevelopment,
    /// Use the development server in `./ros-data` if it exists (the local server
    /// of `token`, `user`, ...).
    ExistingDevelopment,
}

/// How the findings are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reporting {
    /// The whole report on standard output; invalid exits 1 (`check-configuration`).
    Report(Format),
    /// The findings on standard error; invalid refuses to go on (exit 2).
    Findings,
    /// Nothing shown; invalid refuses to go on (exit 2) naming the errors.
    Quiet,
}

pub struct Request<'a> {
    pub source: Source<'a>,
    pub env: Environment,
    pub overrides: Overrides,
    pub probe_ports: bool,
    pub reporting: Reporting,
}

/// A configuration that has no errors.
pub struct Loaded {
    pub config: Config,
    /// The development server's directory when that is what was found.
    pub development: Option<PathBuf>,
}

fn no_file() -> CliError {
    CliError::usage(anyhow!(
        "no configuration file: give --config FILE, set {CONFIG_ENV}, or create \
         ./{DEFAULT_FILE} (`ros init` writes one)"
    ))
}

/// Finds, loads and reports a configuration; an `Err` is the exit the command
/// ends with.
pub fn load(request: Request) -> Result<Loaded, CliError> {
    let cwd = std::env::current_dir()
        .context("cannot determine the current directory")
        .map_err(CliError::usage)?;
    let (file, development) = match request.source {
        Source::NoFile => (None, None),
        Source::Locate { flag, when_none } => {
            match locate(flag, &request.env, &cwd).map_err(CliError::usage)? {
                Location::File(file) => (Some(file), None),
                Location::Development => {
                    let dir = cwd.join(ros::init::DEVELOPMENT_DIR);
                    match when_none {
                        WhenNone::Refuse => return Err(no_file()),
                        WhenNone::SetUpDevelopment => {
                            let file = ros::init::development(&dir).map_err(CliError::usage)?;
                            (Some(file), Some(dir))
                        }
                        WhenNone::ExistingDevelopment => {
                            let file = dir.join(ros::init::CONFIG_FILE);
                            if !file.exists() {
                                return Err(no_file());
                            }
                            (Some(file), None)
                        }
                    }
                }
            }
        }
    };
    let report = ros::config::load(&LoadOptions {
        file,
        env: request.env,
        overrides: request.overrides,
        cwd,
        probe: Probe {
            ports: request.probe_ports,
        },
    })
    .map_err(CliError::usage)?;
    let errors: Vec<String> = report
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone())
        .collect();
    match request.reporting {
        Reporting::Report(format) => output::config_report(format, &report),
        Reporting::Findings => output::config_findings(&report),
        Reporting::Quiet => {}
    }
    let label = report.file_label();
    match report.into_config() {
        Some(config) => Ok(Loaded {
            config,
            development,
        }),
        None => Err(match request.reporting {
            Reporting::Report(_) => CliError::silent(ExitCode::Failed),
            Reporting::Findings => CliError::usage(anyhow!(
                "the configuration has errors ({}); not starting. `ros check-configuration` \
                 shows the same findings",
                errors.len()
            )),
            Reporting::Quiet => CliError::usage(anyhow!(
                "{label} has errors ({}); `ros check-configuration` shows them",
                errors.join("; ")
            )),
        }),
    }
}

/// The configuration of this machine's server, found as `ros serve` finds it
/// (without creating a development server), for commands that act on it.
pub fn local(flag: Option<&Path>) -> Result<Config, CliError> {
    load(Request {
        source: Source::Locate {
            flag,
            when_none: WhenNone::ExistingDevelopment,
        },
        env: crate::shared::flags::environment(),
        overrides: Overrides::default(),
        probe_ports: false,
        reporting: Reporting::Quiet,
    })
    .map(|loaded| loaded.config)
}
