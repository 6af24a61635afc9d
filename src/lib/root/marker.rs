//! The data-format version marker: a one-line file naming the layout of everything
//! below the root. A server refuses a root whose format it does not know, so an older
//! binary never misreads (and then overwrites) data written by a newer one.

use std::path::{Path, PathBuf};

/// File name of the marker in the root.
pub const MARKER_FILE: &str = "ros-format";

/// A data-format version this binary can name. Only versions it knows exist as values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FormatVersion(u32);

/// The format this binary writes.
pub const CURRENT_FORMAT: FormatVersion = FormatVersion(1);
const KNOWN: [FormatVersion; 1] = [CURRENT_FORMAT];
const PREFIX: &str = "ros data format ";

impl FormatVersion {
    pub fn number(self) -> u32 {
        self.0
    }

    fn line(self) -> String {
        format!("{PREFIX}{}\n", self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MarkerError {
    #[error("{path}: unknown data format {found:?}; this ros ({version}) reads format {current}. Use the ros release that wrote this root, or restore a backup made for this one", path = .path.display(), version = env!("CARGO_PKG_VERSION"), current = CURRENT_FORMAT.0)]
    Unknown { path: PathBuf, found: String },
    #[error("{root} looks like a data root of the original Realm Object Server ({entry} is there and {marker} is not); ros cannot serve it in place. Point storage.root_path at a new directory", root = .root.display(), entry = .entry, marker = MARKER_FILE)]
    Foreign { root: PathBuf, entry: &'static str },
    #[error("cannot read or write the format marker {path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Entries that only the original server's roots contain (docs/original-server.md §6).
const FOREIGN_ENTRIES: [&str; 3] = ["sync", "realms/__admin.realm", "internal_data"];

/// Reads the root's marker and checks that it is one this binary knows; writes the
/// current one into a root that has none yet.
pub fn check_or_write_marker(root: &Path) -> Result<FormatVersion, MarkerError> {
    let path = root.join(MARKER_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => KNOWN
            .into_iter()
            .find(|v| v.line() == text)
            .ok_or(MarkerError::Unknown {
                path,
                found: text.trim_end().to_string(),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(entry) = FOREIGN_ENTRIES.into_iter().find(|e| root.join(e).exists()) {
                return Err(MarkerError::Foreign {
                    root: root.to_path_buf(),
                    entry,
                });
            }
            std::fs::write(&path, CURRENT_FORMAT.line())
                .map_err(|source| MarkerError::Io { path, source })?;
            Ok(CURRENT_FORMAT)
        }
        Err(source) => Err(MarkerError::Io { path, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_root_gets_the_current_marker_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check_or_write_marker(dir.path()).unwrap(), CURRENT_FORMAT);
        let text = std::fs::read_to_string(dir.path().join(MARKER_FILE)).unwrap();
        assert_eq!(text, "ros data format 1\n");
        assert_eq!(check_or_write_marker(dir.path()).unwrap(), CURRENT_FORMAT);
    }

    #[test]
    fn unknown_marker_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MARKER_FILE), "ros data format 7\n").unwrap();
        let err = check_or_write_marker(dir.path()).unwrap_err();
        assert!(
            matches!(err, MarkerError::Unknown { ref found, .. } if found == "ros data format 7")
        );
        let text = std::fs::read_to_string(dir.path().join(MARKER_FILE)).unwrap();
        assert_eq!(text, "ros data format 7\n");
    }

    #[test]
    fn original_server_root_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sync")).unwrap();
        let err = check_or_write_marker(dir.path()).unwrap_err();
        assert!(matches!(err, MarkerError::Foreign { entry: "sync", .. }));
        assert!(!dir.path().join(MARKER_FILE).exists());
    }
}
