//! `ros backup --follow SOURCE TARGET` (docs/backup.md, "Continuous backup"):
//! after the first snapshot, each round brings TARGET up to date with what
//! committed since. A Realm copy takes the history entries past its own last
//! version and the store's small tables (client files, reciprocal histories,
//! state snapshot, meta), all read in one transaction of the source and
//! written in one transaction of the copy, so each copy is always one commit
//! of its source. New Realms are copied whole; the admin store is copied again
//! when it changed. The manifest is rewritten after every round.
//!
//! A round holds TARGET's follow lock exclusively; `verify` and `restore`
//! take it shared, so they never read a round half done. A follow restarted on
//! its own TARGET (after a crash) first re-reads every file into a fresh
//! manifest, then goes on.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use super::create::{check_source, copy_unless_deleted, now_ms, user_version};
use super::error::{BackupError, Problem};
use super::files::{hash_file, walk, write_atomic};
use super::manifest::{relative, FileKind, Manifest, MANIFEST_FILE};
use super::snapshot::{copy_database, MEMORY_COPY_CAP};
use super::verify::read_manifest;
use super::Source;
use crate::admin::ADMIN_DB_FILE;
use crate::realm::{inspect, Depth, REALM_FILE_NAME};

/// The follow lock's file in TARGET; never part of the backup.
pub const FOLLOW_LOCK: &str = ".follow.lock";

#[derive(Debug, Clone)]
pub struct FollowOptions {
    pub interval: Duration,
    /// Test-only: sleep after each file ([`super::PAUSE_ENV`]).
    pub pause_after_file: Option<Duration>,
}

/// What one round did.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    /// When the round started (RFC 3339).
    pub at: String,
    pub changed_realms: u64,
    pub new_realms: u64,
    /// Realms deleted on the server since the last round, removed from TARGET
    /// too (it mirrors SOURCE as it is).
    pub deleted_realms: u64,
    /// History entries copied.
    pub changesets: u64,
    pub admin_copied: bool,
    /// How long the round took: TARGET is at most this plus the interval
    /// behind SOURCE.
    pub lag_ms: u64,
}

/// TARGET's follow lock: exclusive for a round, shared for readers. `None`
/// when TARGET was not made by a follow (no lock file): nothing to wait for.
pub(super) fn lock_target(dir: &Path, exclusive: bool) -> Result<Option<File>, BackupError> {
    let path = dir.join(FOLLOW_LOCK);
    let file = if exclusive {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
    } else {
        match File::open(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            other => other,
        }
    }
    .map_err(BackupError::write(&path))?;
    let locked = if exclusive {
        file.lock()
    } else {
        file.lock_shared()
    };
    locked.map_err(BackupError::write(&path))?;
    Ok(Some(file))
}

/// Follows `source` into `target` until an error (or the process is stopped).
/// `target` holds a backup of `source` made by [`super::backup`] or by an
/// earlier follow. `on_round` hears of every round.
pub fn follow(
    source: &Source,
    target: &Path,
    options: &FollowOptions,
    on_round: &mut dyn FnMut(&Round),
) -> Result<(), BackupError> {
    check_source(&source.root)?;
    let mut manifest = {
        let _lock = lock_target(target, true)?;
        repair(target)?
    };
    let root = source
        .root
        .canonicalize()
        .map_err(|e| BackupError::file(&source.root, e))?;
    if manifest.source != root.display().to_string() {
        return Err(BackupError::Source {
            path: source.root.clone(),
            reason: format!(
                "{} is a backup of {}, not of this data root",
                target.display(),
                manifest.source
            ),
        });
    }
    loop {
        let started = Instant::now();
        let lock = lock_target(target, true)?;
        let round = run_round(&source.root, target, &mut manifest, options)?;
        drop(lock);
        let round = Round {
            lag_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            ..round
        };
        on_round(&round);
        std::thread::sleep(options.interval);
    }
}

/// The manifest of `target` rebuilt from its files: what a crash mid-round
/// left is whatever each file holds now (each one is whole: it is written in
/// SQLite transactions). A file listed but gone is dropped (the next round
/// copies its Realm again).
fn repair(target: &Path) -> Result<Manifest, BackupError> {
    // A round cut short leaves a manifest whose entries no longer match its
    // files, but whose own checksum holds: only an unreadable one ends here.
    let mut manifest = read_manifest(target)?;
    for stale in walk(target, &|_| false)? {
        let name = stale.rel.to_string_lossy();
        if name.ends_with(".follow-tmp") {
            let path = target.join(&stale.rel);
            std::fs::remove_file(&path).map_err(BackupError::write(&path))?;
        }
    }
    let mut files = Vec::new();
    for mut entry in std::mem::take(&mut manifest.files) {
        let rel = relative(&entry.path).map_err(|p| BackupError::file(target, p))?;
        let path = target.join(rel);
        if !path.exists() {
            manifest.realms.retain(|r| r.file != entry.path);
            continue;
        }
        let (size, sha256) = hash_file(&path).map_err(|p| BackupError::file(&path, p))?;
        entry.size = size;
        entry.sha256 = sha256;
        if entry.kind == FileKind::Realm {
            let facts = inspect(&path, Depth::Facts).map_err(|e| BackupError::file(&path, e))?;
            if let Some(r) = manifest.realms.iter_mut().find(|r| r.file == entry.path) {
                r.server_version = facts.latest.version;
                r.salt = facts.latest.salt;
            }
        }
        files.push(entry);
    }
    manifest.files = files;
    write_atomic(target, MANIFEST_FILE, &manifest.to_json())?;
    Ok(manifest)
}

fn run_round(
    root: &Path,
    target: &Path,
    manifest: &mut Manifest,
    options: &FollowOptions,
) -> Result<Round, BackupError> {
    let started_ms = now_ms();
    let mut round = Round {
        at: crate::admin::json::rfc3339(UNIX_EPOCH + Duration::from_millis(started_ms)),
        changed_realms: 0,
        new_realms: 0,
        deleted_realms: 0,
        changesets: 0,
        admin_copied: false,
        lag_ms: 0,
    };
    let listed: HashMap<String, usize> = manifest
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i))
        .collect();
    let found = walk(root, &|rel| {
        rel.components()
            .next()
            .is_some_and(|c| c.as_os_str() == "keys")
    })?;
    let mut seen = std::collections::HashSet::new();
    for f in found {
        let path = super::manifest::manifest_path(&f.rel);
        seen.insert(path.clone());
        let from = root.join(&f.rel);
        let is_realm =
            f.rel.starts_with("realms") && f.rel.file_name().is_some_and(|n| n == REALM_FILE_NAME);
        let is_admin = f.rel == Path::new(ADMIN_DB_FILE);
        match listed.get(&path) {
            None if is_realm => {
                let copied =
                    copy_unless_deleted(&from, target, &f.rel, FileKind::Realm, MEMORY_COPY_CAP)?;
                // Deleted since the walk: the next round finds it gone.
                let Some(copied) = copied else { continue };
                manifest.files.push(copied.entry);
                manifest.realms.extend(copied.realm);
                round.new_realms += 1;
            }
            Some(&i) if is_realm => {
                let to = target.join(&f.rel);
                match update_realm(&from, &to) {
                    Ok(Some(copied)) => {
                        refresh_entry(manifest, i, &to)?;
                        round.changed_realms += 1;
                        round.changesets += copied;
                    }
                    Ok(None) => {}
                    // Deleted since the walk: removed from TARGET below.
                    Err(_) if !from.exists() => {
                        seen.remove(&path);
                    }
                    Err(e) => return Err(e),
                }
            }
            Some(&i) if is_admin => {
                let to = target.join(&f.rel);
                let tmp = target.join(format!("{ADMIN_DB_FILE}.follow-tmp"));
                let copied = copy_database(&from, &tmp, MEMORY_COPY_CAP, user_version)?;
                if copied.sha256 != manifest.files[i].sha256 {
                    std::fs::rename(&tmp, &to).map_err(BackupError::write(&to))?;
                    manifest.files[i].size = copied.size;
                    manifest.files[i].sha256 = copied.sha256;
                    if let Some(admin) = manifest.admin.as_mut() {
                        admin.schema_version = copied.facts;
                    }
                    round.admin_copied = true;
                } else {
                    std::fs::remove_file(&tmp).map_err(BackupError::write(&tmp))?;
                }
            }
            _ => continue,
        }
        if let Some(pause) = options.pause_after_file {
            std::thread::sleep(pause);
        }
    }
    // A source that lost its admin store is not a server that deleted its
    // Realms (an unmounted disk, a wrong path): remove nothing then.
    if !seen.contains(&super::manifest::manifest_path(Path::new(ADMIN_DB_FILE))) {
        return Err(BackupError::Source {
            path: root.to_path_buf(),
            reason: format!("{ADMIN_DB_FILE} is gone: this no longer looks like the data root; TARGET is left as it was"),
        });
    }
    round.deleted_realms = drop_deleted(target, manifest, &seen)?;
    if round.changed_realms + round.new_realms + round.deleted_realms > 0 || round.admin_copied {
        manifest.created_ms = started_ms;
        manifest.created = round.at.clone();
        super::files::sync_fs(target)?;
        write_atomic(target, MANIFEST_FILE, &manifest.to_json())?;
    }
    Ok(round)
}

/// Removes from TARGET and its manifest every Realm the source no longer has
/// (not in `seen`); returns how many. The manifest written after the round
/// is what makes the removal count: until then a restore finds the old
/// manifest, which `repair` reconciles after a crash.
fn drop_deleted(
    target: &Path,
    manifest: &mut Manifest,
    seen: &std::collections::HashSet<String>,
) -> Result<u64, BackupError> {
    let gone: Vec<String> = manifest
        .realms
        .iter()
        .filter(|r| !seen.contains(&r.file))
        .map(|r| r.file.clone())
        .collect();
    for file in &gone {
        let path = target.join(file);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BackupError::write(&path)(e)),
        }
        if let Some(dir) = path.parent() {
            // Empty now, unless a Realm below it is still there.
            let _ = std::fs::remove_dir(dir);
        }
    }
    manifest.files.retain(|f| !gone.contains(&f.path));
    manifest.realms.retain(|r| !gone.contains(&r.file));
    Ok(gone.len() as u64)
}

/// Re-reads the size, digest and Realm facts of manifest file `i` at `path`.
fn refresh_entry(manifest: &mut Manifest, i: usize, path: &Path) -> Result<(), BackupError> {
    let (size, sha256) = hash_file(path).map_err(|p| BackupError::file(path, p))?;
    let facts = inspect(path, Depth::Facts).map_err(|e| BackupError::file(path, e))?;
    let entry = &mut manifest.files[i];
    entry.size = size;
    entry.sha256 = sha256;
    let file = entry.path.clone();
    if let Some(r) = manifest.realms.iter_mut().find(|r| r.file == file) {
        r.server_version = facts.latest.version;
        r.salt = facts.latest.salt;
    }
    Ok(())
}

/// A cheap fingerprint of a store's state: when it is the same on both
/// sides, the copy is current.
const FINGERPRINT: &str = "SELECT \
    (SELECT coalesce(max(server_version), 0) FROM history), \
    (SELECT coalesce(max(salt), 0) FROM history WHERE server_version = (SELECT max(server_version) FROM history)), \
    (SELECT count(*) || ':' || total(client_version) || ':' || total(rh_base_version) || ':' || total(locked_server_version) || ':' || total(last_seen) FROM client_files), \
    (SELECT coalesce(max(server_version), 0) FROM state_snapshot)";

type Fingerprint = (i64, i64, String, i64);

fn fingerprint(conn: &Connection, schema: &str) -> rusqlite::Result<Fingerprint> {
    let sql = FINGERPRINT.replace(" FROM ", &format!(" FROM {schema}."));
    conn.query_row(&sql, [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
}

/// Brings the copy `to` of the Realm store `from` up to date; returns the
/// number of history entries copied, or `None` when it was current. A copy
/// that is not a prefix of its source (the source was restored, or is of
/// another schema version) is copied whole again.
fn update_realm(from: &Path, to: &Path) -> Result<Option<u64>, BackupError> {
    let sql_err = |e: rusqlite::Error| BackupError::Write {
        path: to.to_path_buf(),
        source: std::io::Error::other(e),
    };
    let mut conn = Connection::open_with_flags(
        to,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(sql_err)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql_err)?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(sql_err)?;
    let uri = format!("file:{}?mode=ro", percent_path(from));
    conn.execute("ATTACH DATABASE ?1 AS src", [uri])
        .map_err(|e| BackupError::file(from, Problem::Facts(format!("cannot open: {e}"))))?;
    let tx = conn.transaction().map_err(sql_err)?;
    let theirs = fingerprint(&tx, "src")
        .map_err(|e| BackupError::file(from, Problem::Facts(e.to_string())))?;
    let ours = fingerprint(&tx, "main").map_err(sql_err)?;
    if theirs == ours {
        return Ok(None);
    }
    let schema = |s: &str| -> rusqlite::Result<u32> {
        tx.query_row(&format!("PRAGMA {s}.user_version"), [], |r| r.get(0))
    };
    let our_salt: Option<i64> = tx
        .query_row(
            "SELECT salt FROM src.history WHERE server_version = ?1",
            [ours.0],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql_err)?;
    let prefix = schema("src").map_err(sql_err)? == schema("main").map_err(sql_err)?
        && theirs.0 >= ours.0
        && (ours.0 == 0 || our_salt == Some(ours.1));
    if !prefix {
        drop(tx);
        drop(conn);
        let tmp = PathBuf::from(format!("{}.follow-tmp", to.display()));
        let _ = std::fs::remove_file(&tmp);
        copy_database(from, &tmp, MEMORY_COPY_CAP, |_| Ok(()))?;
        std::fs::rename(&tmp, to).map_err(BackupError::write(to))?;
        return Ok(Some(0));
    }
    let copied = tx
        .execute(
            "INSERT INTO main.history SELECT * FROM src.history WHERE server_version > ?1",
            [ours.0],
        )
        .map_err(sql_err)?;
    for table in ["reciprocal", "client_files", "state_snapshot", "meta"] {
        tx.execute(&format!("DELETE FROM main.{table}"), [])
            .map_err(sql_err)?;
    }
    for table in ["meta", "state_snapshot", "client_files", "reciprocal"] {
        tx.execute(
            &format!("INSERT INTO main.{table} SELECT * FROM src.{table}"),
            [],
        )
        .map_err(sql_err)?;
    }
    tx.commit().map_err(sql_err)?;
    conn.execute("DETACH DATABASE src", []).map_err(sql_err)?;
    Ok(Some(copied as u64))
}

/// `path` for an SQLite URI: `%`, `?` and `#` escaped.
fn percent_path(path: &Path) -> String {
    let text = path.display().to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}
