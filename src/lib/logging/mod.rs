//! Logging: the original server's nine levels mapped onto `tracing`, written to the
//! console or appended to `logging.path`, as text or JSON lines.
//!
//! `tracing` has five levels; the original has nine. `detail` sits between debug and
//! info, so it is "info, plus debug events under the `detail` target"; `fatal` is
//! "only error events under the `fatal` target". Use [`DETAIL`] and [`FATAL`] as
//! targets for such events.
//!
//! Colour (ANSI escapes) is written only to a terminal and never when `NO_COLOR` is
//! set; [`use_colour`] decides it, for the log and for every command's output.

mod file;

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::PathBuf;

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

use crate::config::{LogFormat, LogLevel, Logging};

pub use file::ReopenableFile;

/// Target of debug-level events that `logging.level: detail` shows.
pub const DETAIL: &str = "detail";
/// Target of error-level events that `logging.level: fatal` still shows.
pub const FATAL: &str = "fatal";

#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("cannot open the log file {path} (logging.path): {source}", path = .path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("logging is already set up in this process")]
    AlreadySet,
}

/// What the running server keeps of its logging: the file to reopen on SIGHUP.
#[derive(Debug, Clone)]
pub struct LogHandle {
    file: Option<ReopenableFile>,
}

impl LogHandle {
    /// Reopens the log file (after logrotate moved it); a no-op on the console.
    pub fn reopen(&self) -> std::io::Result<()> {
        match &self.file {
            Some(file) => file.reopen(),
            None => Ok(()),
        }
    }
}

/// Whether to colour what goes to a stream: only when it is a terminal and the
/// `NO_COLOR` environment variable is unset or empty (<https://no-color.org>).
pub fn use_colour(stream_is_terminal: bool) -> bool {
    colour(stream_is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// [`use_colour`] with the value of `NO_COLOR` given rather than read.
pub fn colour(stream_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stream_is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// The filter for one of the nine levels.
pub fn filter(level: LogLevel) -> Targets {
    let base = |l: LevelFilter| Targets::new().with_default(l);
    match level {
        LogLevel::All | LogLevel::Trace => base(LevelFilter::TRACE),
        LogLevel::Debug => base(LevelFilter::DEBUG),
        LogLevel::Detail => base(LevelFilter::INFO).with_target(DETAIL, LevelFilter::DEBUG),
        LogLevel::Info => base(LevelFilter::INFO),
        LogLevel::Warn => base(LevelFilter::WARN),
        LogLevel::Error => base(LevelFilter::ERROR),
        LogLevel::Fatal => base(LevelFilter::OFF).with_target(FATAL, LevelFilter::ERROR),
        LogLevel::Off => base(LevelFilter::OFF),
    }
}

/// Installs the process-wide logger described by `logging`.
pub fn init(logging: &Logging) -> Result<LogHandle, LoggingError> {
    let file = match &logging.path {
        Some(path) => Some(
            ReopenableFile::open(path).map_err(|source| LoggingError::Open {
                path: path.clone(),
                source,
            })?,
        ),
        None => None,
    };
    // A file never gets colour; stderr only when it is a terminal.
    let ansi = file.is_none() && use_colour(std::io::stderr().is_terminal());
    let layer = match (&file, logging.format) {
        (Some(f), LogFormat::Text) => fmt_text(ansi).with_writer(f.clone()).boxed(),
        (Some(f), LogFormat::Json) => fmt_json().with_writer(f.clone()).boxed(),
        (None, LogFormat::Text) => fmt_text(ansi).with_writer(std::io::stderr).boxed(),
        (None, LogFormat::Json) => fmt_json().with_writer(std::io::stderr).boxed(),
    };
    tracing_subscriber::registry()
        .with(layer.with_filter(filter(logging.level)))
        .try_init()
        .map_err(|_| LoggingError::AlreadySet)?;
    Ok(LogHandle { file })
}

fn fmt_text<S>(ansi: bool) -> tracing_subscriber::fmt::Layer<S> {
    tracing_subscriber::fmt::layer()
        .with_target(false)
        .with_ansi(ansi)
}

fn fmt_json<S>() -> tracing_subscriber::fmt::Layer<
    S,
    tracing_subscriber::fmt::format::JsonFields,
    tracing_subscriber::fmt::format::Format<tracing_subscriber::fmt::format::Json>,
> {
    tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .json()
        .flatten_event(true)
        .with_current_span(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    fn shows(level: LogLevel, target: &str, event: Level) -> bool {
        filter(level).would_enable(target, &event)
    }

    #[test]
    fn nine_levels_map_onto_tracing() {
        assert!(shows(LogLevel::All, "ros", Level::TRACE));
        assert!(!shows(LogLevel::Debug, "ros", Level::TRACE));
        assert!(shows(LogLevel::Debug, "ros", Level::DEBUG));
        assert!(shows(LogLevel::Detail, DETAIL, Level::DEBUG));
        assert!(!shows(LogLevel::Detail, "ros", Level::DEBUG));
        assert!(shows(LogLevel::Detail, "ros", Level::INFO));
        assert!(!shows(LogLevel::Info, DETAIL, Level::DEBUG));
        assert!(!shows(LogLevel::Warn, "ros", Level::INFO));
        assert!(shows(LogLevel::Error, "ros", Level::ERROR));
        assert!(!shows(LogLevel::Fatal, "ros", Level::ERROR));
        assert!(shows(LogLevel::Fatal, FATAL, Level::ERROR));
        assert!(!shows(LogLevel::Off, FATAL, Level::ERROR));
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(colour(true, None));
        assert!(colour(true, empty), "an empty NO_COLOR is as if unset");
        assert!(!colour(true, set));
        assert!(!colour(true, Some(OsStr::new("0"))), "any non-empty value");
        assert!(!colour(false, None));
        assert!(!colour(false, empty));
        assert!(!colour(false, set));
    }
}
