//! The per-Realm store: one SQLite database per Realm holding its history, its
//! client files with their reciprocal histories, and its materialized object
//! state (`docs/merge.md` §9, `docs/protocol.md` §6.2).
//!
//! A [`RealmStore`] is owned by exactly one thread (the Realm's actor in `sync`):
//! every method blocks on SQLite. Durability is the point of the design: the
//! database runs in WAL mode with `synchronous = FULL`, so a commit is on disk
//! (WAL fsynced) before the call returns, and the sync service acknowledges an
//! upload or sends an IDENT only after the commit that holds it. `NORMAL` would
//! survive `kill -9` but can lose the last commits on power loss, and a client
//! that heard "integrated" must never find its changeset gone.
//!
//! What lives in memory beside the file, rebuilt when a store opens:
//! * the metadata of every history entry (48 bytes each), so download scans and
//!   IDENT checks need no query;
//! * the client file records;
//! * the decoded changesets of a recent stretch of history, which the merge window
//!   of an upload reads ([`HistoryCache`]);
//! * the object state, loaded from the last snapshot plus the entries after it.

mod check;
mod download;
mod error;
mod ident;
mod integrate;
mod open;
mod restored;
mod schema;

#[cfg(test)]
mod tests;

pub use check::{inspect, inspect_connection, sqlite_checks, Depth, StoreFacts};
pub use download::{DownloadBatch, DownloadChangeset};
pub use error::RealmError;
pub use ident::{IdentRefusal, IdentRequest, Identified};
pub use integrate::{ClientUpload, IntegrateRefusal, UploadedChangeset};
pub use open::{realm_file, remove_store, REALM_FILE_NAME};
pub use restored::{mark_restored, Restored};
pub use schema::SCHEMA_VERSION;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::merge::{HistoryEntry, MergeOptions};
use crate::objects::State;

/// Client file idents 0 and 1 are reserved (1 is the server itself); the first
/// client gets 2 (`docs/protocol.md` §6.4).
pub const FIRST_CLIENT_FILE_IDENT: u64 = 2;

/// Everything the store keeps about one history entry except its changeset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryMeta {
    /// 0 for a change made on the server itself.
    pub origin_file_ident: u64,
    pub client_version: u64,
    pub origin_timestamp: u64,
    /// The salt of the server-history instance that wrote the entry.
    pub salt: i64,
    /// Bytes of the stored changeset.
    pub size: u64,
    /// Sum of the sizes of every entry up to and including this one.
    pub cumulative: u64,
}

/// One client file's record (`docs/merge.md` §9.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientFile {
    pub ident: u64,
    pub salt: i64,
    /// The last client version integrated (the upload progress).
    pub client_version: u64,
    /// The server version the client had integrated at `client_version`, and the
    /// base of its reciprocal history.
    pub rh_base_version: u64,
    pub locked_server_version: u64,
}

/// The latest server version and its salt, as DOWNLOAD headers report them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Latest {
    pub version: u64,
    pub salt: i64,
}

/// Decoded changesets of the history from `base` (exclusive) to the current
/// version: the merge window of an upload is read from here. It grows back
/// toward older versions on demand and is cut when it holds too many entries.
#[derive(Debug, Default)]
struct HistoryCache {
    base: u64,
    entries: Vec<HistoryEntry>,
}

/// How many decoded entries the cache keeps before dropping its older half.
const CACHE_LIMIT: usize = 200_000;

/// Write a state snapshot once this many entries were added since the last one,
/// so opening a Realm replays at most that many.
const SNAPSHOT_EVERY: u64 = 2_000;

/// One Realm's open store.
pub struct RealmStore {
    conn: Connection,
    path: PathBuf,
    /// The salt this opening gives every entry it appends (`docs/protocol.md` §6.1).
    salt: i64,
    meta: Vec<EntryMeta>,
    clients: HashMap<u64, ClientFile>,
    next_ident: u64,
    cache: HistoryCache,
    state: State,
    snapshot_version: u64,
    options: MergeOptions,
    /// Set when a restore put this Realm back from a backup.
    restored: Option<Restored>,
}

impl std::fmt::Debug for RealmStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealmStore")
            .field("path", &self.path)
            .field("version", &self.current_version())
            .finish_non_exhaustive()
    }
}

impl RealmStore {
    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The latest server version (0 for an empty history).
    pub fn current_version(&self) -> u64 {
        self.meta.len() as u64
    }

    /// The latest server version with its salt (0, 0 for an empty history).
    pub fn latest(&self) -> Latest {
        Latest {
            version: self.current_version(),
            salt: self.salt_of(self.current_version()).unwrap_or(0),
        }
    }

    /// The salt of server version `version`: 0 for version 0, `None` past the end.
    pub fn salt_of(&self, version: u64) -> Option<i64> {
        if version == 0 {
            return Some(0);
        }
        self.entry_meta(version).map(|m| m.salt)
    }

    /// The metadata of the entry that produced `version`.
    pub fn entry_meta(&self, version: u64) -> Option<&EntryMeta> {
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        self.meta.get(index)
    }

    /// The record of a client file, if it was ever allocated here.
    pub fn client_file(&self, ident: u64) -> Option<&ClientFile> {
        self.clients.get(&ident)
    }

    /// The materialized object state at the current version.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Where a restore cut this Realm's history, if one did.
    pub fn restored(&self) -> Option<&Restored> {
        self.restored.as_ref()
    }

    /// A refused IDENT in words: the refusal, and on a restored Realm why the
    /// client is ahead of the server.
    pub fn explain(&self, refusal: &IdentRefusal) -> String {
        match &self.restored {
            Some(mark) => format!("{refusal}; {}", mark.explain()),
            None => refusal.to_string(),
        }
    }

    /// Bytes of every stored changeset together.
    pub fn history_bytes(&self) -> u64 {
        self.meta.last().map_or(0, |m| m.cumulative)
    }
}
