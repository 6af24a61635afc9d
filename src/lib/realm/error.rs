//! What can go wrong with a Realm's store. Storage failures are the Realm's own:
//! the sync service reports them to that Realm's sessions and keeps serving others.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RealmError {
    #[error("cannot create the Realm directory {}: {source}", .path.display())]
    Directory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the Realm store {}: {source}", .path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the Realm store uses journal mode {mode}, not WAL")]
    JournalMode { mode: String },
    #[error("the Realm store has schema version {found}; this ros supports up to {supported}")]
    NewerSchema { found: u32, supported: u32 },
    #[error("the Realm store belongs to {found}, not {expected}")]
    WrongRealm { found: String, expected: String },
    #[error("Realm store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the stored history is damaged at server version {version}: {reason}")]
    Damaged { version: u64, reason: String },
    #[error("the database is corrupt: {0}")]
    Corrupt(String),
    #[error("the stored object state is damaged: {0}")]
    Snapshot(String),
}
