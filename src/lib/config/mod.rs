//! The server's configuration: `configuration.yml`, the `ROS_*` environment and the
//! command-line overrides, merged in that order over built-in defaults.
//!
//! Two layers, as in ripgrep: a raw layer that keeps what the operator literally
//! wrote together with where (file, line, column; environment variable; flag), and
//! the typed [`Config`], derived from it, in which every value is checked.
//! Diagnostics are produced from the raw layer so they can point at the spot.
//! `ros check-configuration` and `ros serve` both go through [`load`].

pub mod apps;
mod checks;
mod convert;
mod finding;
mod hints;
mod layer;
mod locate;
mod messages;
mod model;
mod problem;
mod render;
pub mod schema;
mod sources;
mod spans;
mod start;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use apps::{App, CustomToken, CustomTokenKey, SharedPartition, Userpass};
pub use checks::Probe;
pub use convert::parse_duration;
pub use finding::{Finding, Position, Severity, Source};
pub use locate::{locate, Environment, LocateError, Location, CONFIG_ENV, DEFAULT_FILE};
pub use model::*;
pub use render::{finding_text, render_json, render_text};
pub use start::{plan_start, StartError, StartFlags, StartPlan};

use layer::{Layer, Origin};
use spans::{key_path, SpanIndex};

/// How a report names the missing file when the configuration came from the
/// environment and flags alone.
pub const NO_FILE: &str = "(no configuration file)";

/// What [`load`] needs: the file [`locate`] found, the environment and the flags.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// `None` for a server configured by its environment and flags alone (`ros start`).
    pub file: Option<PathBuf>,
    pub env: Environment,
    pub overrides: Overrides,
    /// Relative paths from the environment and flags resolve against it.
    pub cwd: PathBuf,
    pub probe: Probe,
}

/// The file itself could not be read: there is nothing to check.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the configuration file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Every finding about one configuration, and the configuration itself when no
/// finding is an error.
#[derive(Debug, Clone)]
pub struct Report {
    file: Option<PathBuf>,
    text: String,
    findings: Vec<Finding>,
    config: Option<Config>,
}

impl Report {
    /// The file read, `None` when there was none.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// How findings and the summary name the file (or its absence).
    pub fn file_label(&self) -> String {
        self.file
            .as_ref()
            .map_or_else(|| NO_FILE.to_string(), |f| f.display().to_string())
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// `Some` exactly when no finding is an error.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    pub fn into_config(self) -> Option<Config> {
        self.config
    }

    pub fn is_valid(&self) -> bool {
        self.config.is_some()
    }

    /// Line `n` (1-based) of the file, for showing a finding in context.
    pub fn line(&self, n: usize) -> Option<&str> {
        self.text.lines().nth(n.checked_sub(1)?)
    }
}

/// Reads, merges and checks one configuration.
pub fn load(options: &LoadOptions) -> Result<Report, LoadError> {
    let file = options.file.as_ref().map(|f| options.cwd.join(f));
    let bytes = match &file {
        Some(file) => std::fs::read(file).map_err(|source| LoadError::Read {
            path: file.clone(),
            source,
        })?,
        None => Vec::new(),
    };
    let base = match &file {
        Some(file) => file.parent().unwrap_or(Path::new("/")).to_path_buf(),
        None => options.cwd.clone(),
    };
    let mut layer = Layer::default();
    let mut raw = Vec::new();
    let (text, index) = match String::from_utf8(bytes) {
        Ok(text) => {
            let index = sources::file(&text, &base, &mut layer, &mut raw);
            (text, index)
        }
        Err(_) => {
            raw.push((
                problem::Problem::Syntax {
                    detail: "the file is not UTF-8 text".into(),
                    colon: false,
                },
                Origin::File(None),
            ));
            (String::new(), SpanIndex::default())
        }
    };
    sources::env(&options.env, &options.cwd, &mut layer, &mut raw);
    sources::flags(&options.overrides, &options.cwd, &mut layer, &mut raw);
    let parsed = !raw.iter().any(|(p, _)| p.stops_checks());
    let config = if parsed {
        checks::run(&layer, file.as_deref(), options.probe, &mut raw)
    } else {
        None
    };
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .map(|(problem, origin)| {
            let path = file.clone().unwrap_or_else(|| PathBuf::from(NO_FILE));
            finding(&path, &index, problem, origin)
        })
        .collect();
    findings.sort_by_key(|f| match &f.source {
        Source::File { position, .. } => (0, position.is_none(), *position),
        Source::Env { .. } => (1, false, None),
        Source::Flag { .. } => (2, false, None),
    });
    let valid = findings.iter().all(|f| f.severity != Severity::Error);
    Ok(Report {
        file,
        text,
        findings,
        config: config.filter(|_| valid),
    })
}

fn finding(file: &Path, index: &SpanIndex, problem: problem::Problem, origin: Origin) -> Finding {
    let source = match origin {
        Origin::File(position) => Source::File {
            path: file.to_path_buf(),
            position,
        },
        Origin::Default(key) => Source::File {
            path: file.to_path_buf(),
            position: index.value(&key_path(key.path())),
        },
        Origin::Env(variable) => Source::Env { variable },
        Origin::Flag(flag) => Source::Flag {
            flag: flag.to_string(),
        },
    };
    Finding {
        severity: problem.severity(),
        code: problem.code(),
        message: problem.message(),
        hint: problem.hint(),
        source,
    }
}
