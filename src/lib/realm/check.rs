//! Reading a Realm file without serving it: what a backup records about each
//! Realm and what `ros backup verify` demands of it (docs/backup.md). Nothing
//! here writes, so a damaged backup stays exactly as it was found.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::error::RealmError;
use super::open::{load_clients, load_meta, replay};
use super::restored::{read_restored, Restored};
use super::schema::SCHEMA_VERSION;
use super::Latest;
use crate::objects::{decode_snapshot, State};

/// What a checked Realm file holds, as a backup manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFacts {
    /// The Realm's name from its `meta` table.
    pub realm: String,
    pub schema_version: u32,
    pub latest: Latest,
    /// Set when the file was restored from a backup (docs/backup.md).
    pub restored: Option<Restored>,
}

/// How much of a file [`inspect`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The facts only: the Realm's name and its latest version and salt.
    Facts,
    /// Everything: SQLite's integrity and foreign-key checks, a contiguous
    /// history whose cumulative sizes add up, every changeset decoding and
    /// applying, and the state snapshot equal to the history replayed up to
    /// the snapshot's version.
    Full,
}

fn damaged(reason: impl Into<String>) -> RealmError {
    RealmError::Damaged {
        version: 0,
        reason: reason.into(),
    }
}

/// Opens the Realm file at `path` read-only and reads (and, with
/// [`Depth::Full`], checks) it.
pub fn inspect(path: &Path, depth: Depth) -> Result<StoreFacts, RealmError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|source| RealmError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    inspect_connection(&conn, depth)
}

/// [`inspect`] through an open connection, in its current transaction if it
/// has one: a backup reads the facts of the very snapshot it copies.
pub fn inspect_connection(conn: &Connection, depth: Depth) -> Result<StoreFacts, RealmError> {
    if depth == Depth::Full {
        sqlite_checks(conn)?;
    }
    let schema_version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if schema_version == 0 || schema_version > SCHEMA_VERSION {
        return Err(RealmError::NewerSchema {
            found: schema_version,
            supported: SCHEMA_VERSION,
        });
    }
    let realm: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'realm'", [], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| damaged("the meta table names no Realm"))?;
    let meta = load_meta(conn)?;
    let latest = Latest {
        version: meta.len() as u64,
        salt: meta.last().map_or(0, |m| m.salt),
    };
    if depth == Depth::Full {
        load_clients(conn)?;
        check_state(conn, latest.version)?;
    }
    Ok(StoreFacts {
        realm,
        schema_version,
        latest,
        restored: read_restored(conn)?,
    })
}

/// SQLite's own checks: every page and index, then every foreign key.
pub fn sqlite_checks(conn: &Connection) -> Result<(), RealmError> {
    let integrity: String = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(RealmError::Corrupt(integrity));
    }
    let dangling: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()?;
    if let Some(table) = dangling {
        return Err(RealmError::Corrupt(format!(
            "a row of table {table} refers to a row that does not exist"
        )));
    }
    Ok(())
}

/// The history replayed from nothing must give the stored snapshot at its
/// version, and every entry after it must still apply.
fn check_state(conn: &Connection, latest: u64) -> Result<(), RealmError> {
    let snapshot: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT server_version, bytes FROM state_snapshot WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut state = State::new();
    let mut at = 0;
    if let Some((version, bytes)) = snapshot {
        let version = u64::try_from(version)
            .ok()
            .filter(|v| *v <= latest)
            .ok_or_else(|| {
                RealmError::Snapshot(format!(
                    "the snapshot is of server version {version}, outside the history (1..={latest})"
                ))
            })?;
        let stored = decode_snapshot(&bytes).map_err(|e| RealmError::Snapshot(e.to_string()))?;
        replay(conn, &mut state, 0, Some(version))?;
        if state != stored {
            return Err(RealmError::Snapshot(format!(
                "the snapshot at server version {version} differs from the history replayed up to it"
            )));
        }
        at = version;
    }
    replay(conn, &mut state, at, None)
}
