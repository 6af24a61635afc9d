//! The one error type of the CLI. Every command's `exec` returns
//! `Result<(), CliError>`; only `main` prints it (one line,
//! `ros <command>: <message>`, then any hint lines) and turns it into the exit code.

use std::fmt;

/// The exit codes of the CLI conventions (docs/architecture.md, "One library, one thin binary").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success.
    Ok = 0,
    /// The check or operation ran and failed.
    Failed = 1,
    /// Usage or configuration error.
    Usage = 2,
    /// The server could not be reached.
    Unreachable = 3,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// A failure and its exit code. Without an error, the command's output already
/// said what went wrong (a configuration report, an invalid token's inspection)
/// and only the exit code is left to give.
pub struct CliError {
    pub code: ExitCode,
    pub error: Option<anyhow::Error>,
    pub hints: Vec<String>,
}

pub type CliResult = Result<(), CliError>;

impl CliError {
    pub fn new(code: ExitCode, error: impl Into<anyhow::Error>) -> CliError {
        CliError {
            code,
            error: Some(error.into()),
            hints: Vec::new(),
        }
    }

    /// The check or operation failed (exit 1).
    pub fn failed(error: impl Into<anyhow::Error>) -> CliError {
        CliError::new(ExitCode::Failed, error)
    }

    /// Usage or configuration error (exit 2).
    pub fn usage(error: impl Into<anyhow::Error>) -> CliError {
        CliError::new(ExitCode::Usage, error)
    }

    /// The server could not be reached (exit 3).
    pub fn unreachable(error: impl Into<anyhow::Error>) -> CliError {
        CliError::new(ExitCode::Unreachable, error)
    }

    /// Exit with `code` and print nothing more: the output said it already.
    pub fn silent(code: ExitCode) -> CliError {
        CliError {
            code,
            error: None,
            hints: Vec::new(),
        }
    }

    /// A line telling what to do next, printed under the message.
    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Debug for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CliError({:?}, {:?})", self.code, self.error)
    }
}

/// Anything else that goes wrong (`?` on an I/O or library error) is a failure.
impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(e: E) -> CliError {
        CliError::failed(e)
    }
}

/// Exit code for an admin API client error: 3 when the server cannot be reached,
/// 2 for a bad URL, 1 for a refusal.
pub fn client_code(e: &ros::client::ClientError) -> ExitCode {
    match e {
        ros::client::ClientError::Unreachable { .. } => ExitCode::Unreachable,
        ros::client::ClientError::BadUrl(_) => ExitCode::Usage,
        _ => ExitCode::Failed,
    }
}

/// Gives an admin client's error its exit code (`?` alone would make every one
/// a plain failure, exit 1): `users.list().classify()?`.
pub trait Classify<T> {
    fn classify(self) -> Result<T, CliError>;
}

impl<T> Classify<T> for Result<T, ros::client::UsersError> {
    fn classify(self) -> Result<T, CliError> {
        self.map_err(|e| {
            let code = match &e {
                ros::client::UsersError::Client(c) => client_code(c),
                _ => ExitCode::Failed,
            };
            CliError::new(code, e)
        })
    }
}

impl<T> Classify<T> for Result<T, ros::client::SharingClientError> {
    fn classify(self) -> Result<T, CliError> {
        use ros::client::SharingClientError as E;
        self.map_err(|e| {
            let code = match &e {
                E::Client(c) | E::Open(ros::client::UsersError::Client(c)) => client_code(c),
                E::Invalid(_) => ExitCode::Usage,
                _ => ExitCode::Failed,
            };
            CliError::new(code, e)
        })
    }
}
