//! The per-Realm database's schema, built by an ordered list of migrations whose
//! version lives in `PRAGMA user_version`. Each migration runs in one transaction
//! together with the version bump, so a crash leaves a whole version behind. A
//! released migration is never edited; later formats append to [`MIGRATIONS`].
//!
//! The tables follow `docs/merge.md` §9; docs/sync.md describes them for
//! operators and backup tools.

use rusqlite::{Connection, TransactionBehavior};

use super::error::RealmError;

/// Server versions, idents and client versions are protocol u64 values below
/// 2^63, so SQLite's signed INTEGER holds them exactly. Salts are 1 ..= 2^63−1.
const V1: &str = "
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE history (
    server_version     INTEGER PRIMARY KEY CHECK (server_version >= 1),
    salt               INTEGER NOT NULL CHECK (salt >= 1),
    origin_file_ident  INTEGER NOT NULL CHECK (origin_file_ident >= 0),
    client_version     INTEGER NOT NULL CHECK (client_version >= 0),
    origin_timestamp   INTEGER NOT NULL,
    cumulative_size    INTEGER NOT NULL CHECK (cumulative_size >= 0),
    changeset          BLOB NOT NULL
) STRICT;

CREATE TABLE client_files (
    ident                  INTEGER PRIMARY KEY CHECK (ident >= 2),
    salt                   INTEGER NOT NULL CHECK (salt >= 1),
    client_version         INTEGER NOT NULL DEFAULT 0,
    rh_base_version        INTEGER NOT NULL DEFAULT 0,
    locked_server_version  INTEGER NOT NULL DEFAULT 0,
    client_type            INTEGER NOT NULL DEFAULT 0,
    last_seen              INTEGER NOT NULL
) STRICT;

CREATE TABLE reciprocal (
    ident           INTEGER NOT NULL REFERENCES client_files(ident),
    server_version  INTEGER NOT NULL,
    changeset       BLOB NOT NULL,
    PRIMARY KEY (ident, server_version)
) STRICT, WITHOUT ROWID;

CREATE TABLE state_snapshot (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_version  INTEGER NOT NULL,
    bytes           BLOB NOT NULL
) STRICT;
";

/// Every schema version in order; the database's `user_version` says how many ran.
const MIGRATIONS: &[(u32, &str)] = &[(1, V1)];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Brings `conn` up to [`SCHEMA_VERSION`]; refuses a file from a newer build.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), RealmError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(RealmError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
