//! `ros backup SOURCE TARGET`: an online copy of a data root (docs/backup.md).
//! Each database is copied as one consistent snapshot while the server keeps
//! writing; the manifest is written last, so a TARGET without one is a backup
//! that did not finish.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags};

use super::error::{BackupError, Problem};
use super::files::{
    copy_hashed, copy_threads, make_dir, parallel, sync_fs, walk, write_atomic, Progress,
};
use super::manifest::{
    manifest_path, AdminEntry, FileEntry, FileKind, Manifest, RealmEntry, KEYPAIR_DIR,
    MANIFEST_FILE, MANIFEST_FORMAT,
};
use super::snapshot::{copy_database, MEMORY_COPY_CAP};
use crate::admin::ADMIN_DB_FILE;
use crate::realm::{inspect_connection, Depth, REALM_FILE_NAME};
use crate::root::{LOCK_FILE, MARKER_FILE};

/// The data root to back up, and the key pair of its configuration if known.
#[derive(Debug, Clone)]
pub struct Source {
    pub root: PathBuf,
    /// (private, public) key files, from a configuration.
    pub keypair: Option<(PathBuf, PathBuf)>,
}

#[derive(Debug, Clone, Default)]
pub struct BackupOptions {
    /// Also copy the admin token file and (from a configuration) the key pair.
    pub include_keys: bool,
    /// Test-only: sleep after each file ([`super::PAUSE_ENV`]).
    pub pause_after_file: Option<Duration>,
    /// Test-only: the largest database copied through memory instead of the
    /// built-in cap ([`super::MEMORY_CAP_ENV`]).
    pub memory_copy_cap: Option<u64>,
}

/// The directory of the data root that holds the admin token file.
const KEYS_DIR: &str = "keys";

pub(super) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// What a file of the data root is, by its place; `None`: not backed up.
fn kind_of(rel: &Path, include_keys: bool) -> Option<FileKind> {
    let name = rel.file_name()?.to_str().unwrap_or("");
    let top = rel.components().next()?.as_os_str();
    if rel == Path::new(LOCK_FILE) {
        return None;
    }
    // A database's journal files are folded into its snapshot.
    if [".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal"]
        .iter()
        .any(|s| name.ends_with(s))
    {
        return None;
    }
    if top == KEYS_DIR {
        return include_keys.then_some(FileKind::Key);
    }
    if rel == Path::new(ADMIN_DB_FILE) {
        return Some(FileKind::Admin);
    }
    if top == "realms" && name == REALM_FILE_NAME {
        return Some(FileKind::Realm);
    }
    Some(FileKind::File)
}

/// Checks that `target` may receive a backup of `root`: absent or empty, not
/// inside the root.
pub(super) fn check_target(root: &Path, target: &Path) -> Result<(), BackupError> {
    match std::fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::TargetNotEmpty {
                    path: target.to_path_buf(),
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(BackupError::file(target, e)),
    }
    let canonical_root = root
        .canonicalize()
        .map_err(|e| BackupError::file(root, e))?;
    let mut probe = target.to_path_buf();
    // The target may not exist yet: its nearest existing ancestor decides.
    loop {
        if let Ok(c) = probe.canonicalize() {
            if c.starts_with(&canonical_root) {
                return Err(BackupError::TargetInSource {
                    target: target.to_path_buf(),
                    source_root: root.to_path_buf(),
                });
            }
            return Ok(());
        }
        if !probe.pop() || probe.as_os_str().is_empty() {
            return Ok(());
        }
    }
}

/// Checks that `root` is a data root this ros wrote.
pub(super) fn check_source(root: &Path) -> Result<(), BackupError> {
    if !root.is_dir() {
        return Err(BackupError::Source {
            path: root.to_path_buf(),
            reason: "not a directory".into(),
        });
    }
    if !root.join(MARKER_FILE).is_file() {
        return Err(BackupError::Source {
            path: root.to_path_buf(),
            reason: format!(
                "not a ros data root (no {MARKER_FILE}); give the data root \
                 (storage.root_path) or the configuration file"
            ),
        });
    }
    Ok(())
}

/// One file copied into a backup, with what the manifest says of it.
#[derive(Debug)]
pub(super) struct Copied {
    pub entry: FileEntry,
    pub realm: Option<RealmEntry>,
    pub admin: Option<AdminEntry>,
}

/// [`copy_one`], except that a Realm deleted on the running server (`ros
/// realm delete`) after the walk found it is left out, as if it had been
/// deleted just before the backup: `None`, and no partial copy left behind.
pub(super) fn copy_unless_deleted(
    from: &Path,
    target: &Path,
    rel: &Path,
    kind: FileKind,
    memory_cap: u64,
) -> Result<Option<Copied>, BackupError> {
    match copy_one(from, target, rel, kind, memory_cap) {
        Ok(copied) => Ok(Some(copied)),
        Err(_) if kind == FileKind::Realm && !from.exists() => {
            let to = target.join(rel);
            match std::fs::remove_file(&to) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(BackupError::write(&to)(e)),
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Copies `from` (of the given kind) to the backup path `rel` under `target`.
pub(super) fn copy_one(
    from: &Path,
    target: &Path,
    rel: &Path,
    kind: FileKind,
    memory_cap: u64,
) -> Result<Copied, BackupError> {
    let to = target.join(rel);
    let path = manifest_path(rel);
    let (size, sha256, (realm, admin)) = if kind.is_database() {
        let copied = copy_database(from, &to, memory_cap, |conn| {
            Ok(match kind {
                FileKind::Realm => {
                    let facts = inspect_connection(conn, Depth::Facts)?;
                    let realm = RealmEntry {
                        realm: facts.realm,
                        file: path.clone(),
                        server_version: facts.latest.version,
                        salt: facts.latest.salt,
                        schema_version: facts.schema_version,
                    };
                    (Some(realm), None)
                }
                FileKind::Admin => {
                    let admin = AdminEntry {
                        file: path.clone(),
                        schema_version: user_version(conn)?,
                    };
                    (None, Some(admin))
                }
                _ => (None, None),
            })
        })?;
        (copied.size, copied.sha256, copied.facts)
    } else {
        let (size, sha256) = copy_hashed(from, &to)?;
        (size, sha256, (None, None))
    };
    Ok(Copied {
        entry: FileEntry {
            path,
            kind,
            size,
            sha256,
        },
        realm,
        admin,
    })
}

/// The schema version of the database open in `conn`.
pub(super) fn user_version(conn: &Connection) -> Result<u32, Problem> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| Problem::Facts(format!("cannot read the schema version: {e}")))
}

pub(super) fn admin_schema(path: &Path) -> Result<u32, Problem> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Problem::Facts(format!("cannot open: {e}")))?;
    user_version(&conn)
}

/// Backs up `source` into `target` (absent or empty); returns the manifest
/// written. Never writes into the source.
pub fn backup(
    source: &Source,
    target: &Path,
    options: &BackupOptions,
    progress: &dyn Progress,
) -> Result<Manifest, BackupError> {
    let root = &source.root;
    check_source(root)?;
    check_target(root, target)?;
    let created_ms = now_ms();
    let include = options.include_keys;
    let mut plan: Vec<(PathBuf, PathBuf, FileKind)> =
        walk(root, &|rel| kind_of(rel, include).is_none())?
            .into_iter()
            .filter_map(|f| kind_of(&f.rel, include).map(|k| (root.join(&f.rel), f.rel, k)))
            .collect();
    if include {
        if let Some((private, public)) = &source.keypair {
            for (file, name) in [(private, "private.pem"), (public, "public.pem")] {
                plan.push((
                    file.clone(),
                    Path::new(KEYPAIR_DIR).join(name),
                    FileKind::Keypair,
                ));
            }
        }
    }
    let bytes: u64 = plan
        .iter()
        .map(|(from, _, _)| std::fs::metadata(from).map_or(0, |m| m.len()))
        .sum();
    progress.begin(plan.len() as u64, bytes);
    make_dir(target)?;
    // Every directory first, on one thread: copying threads that made them
    // as they went would wait on each other's creations in a shared parent.
    let mut dirs: Vec<&Path> = plan.iter().filter_map(|(_, rel, _)| rel.parent()).collect();
    dirs.sort_unstable();
    dirs.dedup();
    for dir in dirs {
        make_dir(&target.join(dir))?;
    }
    let mut manifest = Manifest {
        format: MANIFEST_FORMAT,
        ros_version: env!("CARGO_PKG_VERSION").to_string(),
        created_ms,
        created: crate::admin::json::rfc3339(UNIX_EPOCH + Duration::from_millis(created_ms)),
        source: root
            .canonicalize()
            .unwrap_or_else(|_| root.clone())
            .display()
            .to_string(),
        keys_included: include,
        admin: None,
        files: Vec::new(),
        realms: Vec::new(),
        checksum: None,
    };
    let cap = options.memory_copy_cap.unwrap_or(MEMORY_COPY_CAP);
    let copied = parallel(&plan, copy_threads(), &|(from, rel, kind)| {
        let Some(copied) = copy_unless_deleted(from, target, rel, *kind, cap)? else {
            return Ok(None);
        };
        progress.file_done(
            &copied.entry.path,
            copied.entry.size,
            *kind == FileKind::Realm,
        );
        if let Some(pause) = options.pause_after_file {
            std::thread::sleep(pause);
        }
        Ok(Some(copied))
    })?;
    for copied in copied.into_iter().flatten() {
        manifest.files.push(copied.entry);
        manifest.realms.extend(copied.realm);
        if copied.admin.is_some() {
            manifest.admin = copied.admin;
        }
    }
    sync_fs(target)?;
    write_atomic(target, MANIFEST_FILE, &manifest.to_json())?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Realm gone by the time its copy starts is left out; any other file
    /// that cannot be read is still an error naming it.
    #[test]
    fn a_realm_deleted_after_the_walk_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup");
        let rel = Path::new("realms/path/gone/realm.sqlite3");
        let from = dir.path().join("source").join(rel);
        let skipped = copy_unless_deleted(&from, &target, rel, FileKind::Realm, 1 << 20);
        assert!(matches!(skipped, Ok(None)), "{skipped:?}");
        assert!(!target.join(rel).exists());
        let admin = Path::new("admin.sqlite3");
        let missing = dir.path().join("source").join(admin);
        let failed = copy_unless_deleted(&missing, &target, admin, FileKind::Admin, 1 << 20);
        let message = failed.expect_err("an admin store that is gone").to_string();
        assert!(message.contains("admin.sqlite3"), "{message}");
    }
}
