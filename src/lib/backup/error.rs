//! What can go wrong in a backup, a verify or a restore. Every error names the
//! file it is about, so an operator knows where to look (docs/backup.md,
//! "Exit codes").

use std::path::PathBuf;

use crate::realm::RealmError;
use crate::root::LockError;

/// What is wrong with one file of a backup.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("{0}")]
    Manifest(String),
    #[error("missing: the manifest lists it but the backup does not have it")]
    Missing,
    #[error("not in the manifest: a backup holds only what its manifest lists")]
    Extra,
    #[error("{found} bytes, the manifest says {expected}")]
    Size { expected: u64, found: u64 },
    #[error("SHA-256 {found}, the manifest says {expected}")]
    Digest { expected: String, found: String },
    #[error("{0}")]
    Database(#[from] RealmError),
    #[error("{0}")]
    Facts(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A backup, verify or restore that failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A file of the backup (or of the source while copying it) is bad or
    /// unreadable; `path` is the file.
    #[error("{}: {problem}", .path.display())]
    File { path: PathBuf, problem: Problem },
    /// The source is not a data root.
    #[error("{}: {reason}", .path.display())]
    Source { path: PathBuf, reason: String },
    /// The target of a backup exists and holds something.
    #[error("{} exists and is not empty; a backup goes into a new or empty directory", .path.display())]
    TargetNotEmpty { path: PathBuf },
    /// The target is inside the source, which would back up the backup.
    #[error("{} is inside the data root {}; choose a target outside it", .target.display(), .source_root.display())]
    TargetInSource {
        target: PathBuf,
        source_root: PathBuf,
    },
    /// The data root to restore into is held by a running server.
    #[error("{0}")]
    Locked(#[from] LockError),
    /// Writing the target (or the staged root) failed.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl BackupError {
    pub(super) fn file(path: impl Into<PathBuf>, problem: impl Into<Problem>) -> BackupError {
        BackupError::File {
            path: path.into(),
            problem: problem.into(),
        }
    }

    pub(super) fn write(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> BackupError {
        let path = path.into();
        move |source| BackupError::Write { path, source }
    }

    /// Whether the refusal is about the arguments (exit 2) rather than a
    /// failure while working (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            BackupError::Source { .. }
                | BackupError::TargetNotEmpty { .. }
                | BackupError::TargetInSource { .. }
        )
    }
}
