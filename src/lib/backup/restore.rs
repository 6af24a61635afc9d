//! `ros restore BACKUP ROOT` (docs/backup.md, "Restore"): the backup is copied
//! into a staging directory beside ROOT, checked as it is copied, each Realm
//! marked as restored, made durable, and only then swapped with ROOT in one
//! atomic rename. Until the swap ROOT is untouched; after it the previous root
//! is removed. A crash at any moment leaves either the old root or the new
//! one in place, never a mix.

use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::fcntl::{renameat2, RenameFlags, AT_FDCWD};

use super::error::{BackupError, Problem};
use super::files::{copy_hashed, copy_threads, make_dir, parallel, sync_dir, sync_fs, Progress};
use super::manifest::{relative, FileKind, Manifest};
use super::verify::read_manifest;
use crate::realm::{mark_restored, Latest};
use crate::root::{lock_holder, LockError, RootLock};

#[derive(Debug, Clone, Default)]
pub struct RestoreOptions {
    /// Test-only: sleep after each file ([`super::PAUSE_ENV`]).
    pub pause_after_file: Option<Duration>,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    pub root: PathBuf,
    pub files: u64,
    pub bytes: u64,
    /// Whether a previous root was replaced (and then removed).
    pub replaced: bool,
}

/// Refuses at once when a server holds ROOT's lock, before any long work.
pub fn check_not_served(root: &Path) -> Result<(), BackupError> {
    match lock_holder(root) {
        Some(holder) => Err(BackupError::Locked(LockError::Held {
            root: root.to_path_buf(),
            pid: holder.pid,
        })),
        None => Ok(()),
    }
}

/// `(parent, name)` of ROOT, for the directories made beside it.
fn beside(root: &Path) -> Result<(PathBuf, String), BackupError> {
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| BackupError::Source {
            path: root.to_path_buf(),
            reason: "the data root to restore into needs a plain directory name".into(),
        })?;
    let parent = match root.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name.to_string()))
}

/// Removes staging directories that killed restores of ROOT left behind.
fn remove_leftovers(parent: &Path, name: &str) -> Result<(), BackupError> {
    let prefix = format!(".{name}.restore-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let path = entry.path();
            std::fs::remove_dir_all(&path).map_err(BackupError::write(&path))?;
        }
    }
    Ok(())
}

/// Restores the backup in `backup` (verified by the caller) into `root`.
pub fn restore(
    backup: &Path,
    root: &Path,
    options: &RestoreOptions,
    progress: &dyn Progress,
) -> Result<Restored, BackupError> {
    let _reading = super::follow::lock_target(backup, false)?;
    let manifest = read_manifest(backup)?;
    let (parent, name) = beside(root)?;
    make_dir(&parent)?;
    // Held until the swap: no server starts on ROOT meanwhile.
    let lock = if root.exists() {
        Some(RootLock::acquire(root)?)
    } else {
        None
    };
    remove_leftovers(&parent, &name)?;
    let staging = parent.join(format!(".{name}.restore-{}", std::process::id()));
    make_dir(&staging)?;
    let files: Vec<_> = manifest
        .files
        .iter()
        .filter(|f| f.kind != FileKind::Keypair)
        .collect();
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    progress.begin(files.len() as u64, bytes);
    parallel(&files, copy_threads(), &|entry| {
        let rel = relative(&entry.path).map_err(|p| BackupError::file(backup, p))?;
        let from = backup.join(&rel);
        let to = staging.join(&rel);
        let (size, sha256) = copy_hashed(&from, &to)?;
        if size != entry.size || sha256 != entry.sha256 {
            return Err(BackupError::file(
                &from,
                Problem::Digest {
                    expected: entry.sha256.clone(),
                    found: sha256,
                },
            ));
        }
        if entry.kind == FileKind::Realm {
            let realm = manifest.realm_of(&entry.path).ok_or_else(|| {
                BackupError::file(
                    &from,
                    Problem::Facts("no Realm entry in the manifest".into()),
                )
            })?;
            let latest = Latest {
                version: realm.server_version,
                salt: realm.salt,
            };
            mark_restored(&to, latest, manifest.created_ms)
                .map_err(|e| BackupError::file(&to, e))?;
        }
        progress.file_done(&entry.path, entry.size, entry.kind == FileKind::Realm);
        if let Some(pause) = options.pause_after_file {
            std::thread::sleep(pause);
        }
        Ok(())
    })?;
    sync_fs(&staging)?;
    let replaced = swap_into_place(&staging, root)?;
    sync_dir(&parent)?;
    if let Some(lock) = lock {
        lock.release_moved();
    }
    if replaced {
        // The staging name now holds the previous root.
        std::fs::remove_dir_all(&staging).map_err(BackupError::write(&staging))?;
    }
    Ok(Restored {
        files: files.len() as u64,
        bytes,
        manifest,
        root: root.to_path_buf(),
        replaced,
    })
}

/// Puts `staging` at `root` in one step: exchanged with an existing root
/// (the previous one then sits at `staging`), or renamed onto a free name.
/// Returns whether a previous root was exchanged.
fn swap_into_place(staging: &Path, root: &Path) -> Result<bool, BackupError> {
    let exists = root.exists();
    let flags = if exists {
        RenameFlags::RENAME_EXCHANGE
    } else {
        RenameFlags::RENAME_NOREPLACE
    };
    renameat2(AT_FDCWD, staging, AT_FDCWD, root, flags).map_err(|errno| BackupError::Write {
        path: root.to_path_buf(),
        source: std::io::Error::other(format!(
            "cannot swap the restored root {} into place: {errno}",
            staging.display()
        )),
    })?;
    Ok(exists)
}
