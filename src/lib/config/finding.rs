//! What a check reports: a severity, a message, where it comes from and what to do.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A spot in the configuration file, both 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where the value a finding is about came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The configuration file; no position when the finding is about something
    /// the file leaves out (a missing key, a default value).
    File {
        path: PathBuf,
        position: Option<Position>,
    },
    Env {
        variable: String,
    },
    Flag {
        flag: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable, kebab-case name of the check, for scripts.
    pub code: &'static str,
    pub message: String,
    pub source: Source,
    pub hint: Option<String>,
}
