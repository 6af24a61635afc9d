//! `ros backup verify TARGET`: every file re-read against the manifest, every
//! database checked by SQLite and by the store's own rules (docs/backup.md,
//! "Verify"). The first bad file ends the check, named.

use std::path::{Path, PathBuf};

use super::create::admin_schema;
use super::error::{BackupError, Problem};
use super::files::{hash_file, walk, Progress};
use super::manifest::{relative, FileEntry, FileKind, Manifest, MANIFEST_FILE};
use crate::realm::{inspect, Depth};

/// Reads and checks the manifest of the backup in `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        let problem = if e.kind() == std::io::ErrorKind::NotFound {
            Problem::Manifest("no manifest: not a backup, or a backup that did not finish".into())
        } else {
            Problem::Io(e)
        };
        BackupError::file(&path, problem)
    })?;
    Manifest::parse(&bytes).map_err(|p| BackupError::file(&path, p))
}

/// Checks one file of a backup against its manifest entry; `path` is where
/// the file is.
pub(super) fn check_file(
    manifest: &Manifest,
    entry: &FileEntry,
    path: &Path,
) -> Result<(), Problem> {
    let (size, sha256) = match hash_file(path) {
        Err(Problem::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Problem::Missing)
        }
        other => other?,
    };
    if size != entry.size {
        return Err(Problem::Size {
            expected: entry.size,
            found: size,
        });
    }
    if sha256 != entry.sha256 {
        return Err(Problem::Digest {
            expected: entry.sha256.clone(),
            found: sha256,
        });
    }
    match entry.kind {
        FileKind::Realm => {
            let facts = inspect(path, Depth::Full)?;
            let Some(want) = manifest.realm_of(&entry.path) else {
                return Err(Problem::Facts(
                    "the manifest lists no Realm for this file".into(),
                ));
            };
            let found = (
                facts.realm.as_str(),
                facts.latest.version,
                facts.latest.salt,
            );
            let expected = (want.realm.as_str(), want.server_version, want.salt);
            if found != expected {
                return Err(Problem::Facts(format!(
                    "holds Realm {} at server version {} (salt {}), the manifest says {} at {} (salt {})",
                    found.0, found.1, found.2, expected.0, expected.1, expected.2
                )));
            }
        }
        FileKind::Admin => {
            let conn = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .map_err(|e| Problem::Facts(format!("cannot open: {e}")))?;
            crate::realm::sqlite_checks(&conn)?;
            let found = admin_schema(path)?;
            let expected = manifest.admin.as_ref().map(|a| a.schema_version);
            if Some(found) != expected {
                return Err(Problem::Facts(format!(
                    "admin store schema version {found}, the manifest says {expected:?}"
                )));
            }
        }
        FileKind::Key | FileKind::Keypair | FileKind::File => {}
    }
    Ok(())
}

/// What a verify looked at.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    pub files: u64,
    pub bytes: u64,
}

/// Verifies the backup in `dir`; `Err` names the first bad file.
pub fn verify(dir: &Path, progress: &dyn Progress) -> Result<Verified, BackupError> {
    let _lock = super::follow::lock_target(dir, false)?;
    let manifest = read_manifest(dir)?;
    progress.begin(manifest.files.len() as u64, manifest.total_bytes());
    for entry in &manifest.files {
        let rel =
            relative(&entry.path).map_err(|p| BackupError::file(dir.join(MANIFEST_FILE), p))?;
        let path = dir.join(rel);
        check_file(&manifest, entry, &path).map_err(|p| BackupError::file(&path, p))?;
        progress.file_done(&entry.path, entry.size, entry.kind == FileKind::Realm);
    }
    let listed: std::collections::HashSet<PathBuf> = manifest
        .files
        .iter()
        .map(|f| PathBuf::from(&f.path))
        .collect();
    let found = walk(dir, &|rel| {
        rel == Path::new(MANIFEST_FILE) || rel == Path::new(super::follow::FOLLOW_LOCK)
    })?;
    if let Some(extra) = found.iter().find(|f| !listed.contains(&f.rel)) {
        return Err(BackupError::file(dir.join(&extra.rel), Problem::Extra));
    }
    Ok(Verified {
        files: manifest.files.len() as u64,
        bytes: manifest.total_bytes(),
        manifest,
    })
}
