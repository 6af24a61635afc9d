//! The mark a restore leaves in each Realm it puts back (docs/backup.md,
//! "After a restore"): the server version and salt the backup held. Clients
//! that synced after the backup are ahead of that history; the IDENT checks
//! refuse them with the client-reset errors, and the mark lets the refusal say
//! why in words an operator and a developer recognise.

use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::error::RealmError;
use super::Latest;

const KEY: &str = "restored";

/// Where a restored Realm's history was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restored {
    /// The latest server version in the backup.
    pub server_version: u64,
    /// Its salt.
    pub salt: i64,
    /// When the backup was taken and when it was restored (unix ms).
    pub backup_created_ms: u64,
    pub restored_ms: u64,
}

pub(super) fn read_restored(conn: &Connection) -> Result<Option<Restored>, RealmError> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| RealmError::Damaged {
            version: 0,
            reason: format!("the restore mark in the meta table is unreadable: {e}"),
        })
    })
    .transpose()
}

/// Records in the Realm file at `path` that it was restored from a backup
/// taken at `backup_created_ms`, with `latest` its last version. Committed
/// (synchronously) before this returns.
pub fn mark_restored(
    path: &Path,
    latest: Latest,
    backup_created_ms: u64,
) -> Result<Restored, RealmError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|source| RealmError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let mark = Restored {
        server_version: latest.version,
        salt: latest.salt,
        backup_created_ms,
        restored_ms: super::open::now_millis().max(0) as u64,
    };
    let text = serde_json::to_string(&mark).map_err(|e| RealmError::Damaged {
        version: 0,
        reason: e.to_string(),
    })?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![KEY, text],
    )?;
    Ok(mark)
}

impl Restored {
    /// The sentence added to an IDENT refusal of a restored Realm.
    pub fn explain(&self) -> String {
        format!(
            "this Realm was restored from a backup that ended at server version {} \
             (changes the server accepted after the backup are gone): the client must \
             reset, discarding its local copy and downloading the Realm again",
            self.server_version
        )
    }
}
