//! Opening a Realm's store: where its file is, creating it, and rebuilding what
//! the store keeps in memory (entry metadata, client files, the object state).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::error::RealmError;
use super::restored::read_restored;
use super::schema::migrate;
use super::{
    ClientFile, EntryMeta, HistoryCache, RealmStore, FIRST_CLIENT_FILE_IDENT, SNAPSHOT_EVERY,
};
use crate::changeset::decode;
use crate::merge::MergeOptions;
use crate::objects::{decode_snapshot, encode_snapshot, State};
use crate::realm_id::{storage_name, RealmId};

/// The file in a Realm's directory. It has a `.`, which escaping never produces
/// in a directory name (`realm_id::storage_name`), so `/a`'s file and `/a/b`'s
/// directory can never clash.
pub const REALM_FILE_NAME: &str = "realm.sqlite3";

/// Where the store of `id` lives under the data root `root`.
pub fn realm_file(root: &Path, id: &RealmId) -> PathBuf {
    root.join(storage_name(id)).join(REALM_FILE_NAME)
}

/// Removes the store of `id` (its database and SQLite side files), then its
/// directory if that is left empty (a Realm `/a/b` lives inside `/a`'s
/// directory, which then stays). Returns whether the database existed; on
/// failure, the file that could not be removed. Only for a store nobody has
/// open: the sync service stops the Realm's actor first.
pub fn remove_store(root: &Path, id: &RealmId) -> Result<bool, (PathBuf, std::io::Error)> {
    let file = realm_file(root, id);
    let mut existed = false;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = file.clone().into_os_string();
        name.push(suffix);
        let path = PathBuf::from(name);
        match std::fs::remove_file(&path) {
            Ok(()) => existed |= suffix.is_empty(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err((path, e)),
        }
    }
    if let Some(dir) = file.parent() {
        // Not empty (another Realm below it) or already gone: it stays.
        let _ = std::fs::remove_dir(dir);
    }
    Ok(existed)
}

/// A random 63-bit value in 1 ..= 2^63−1: file ident salts and version salts.
pub(super) fn random_salt() -> i64 {
    loop {
        let bytes = crate::token::random::random_bytes::<8>();
        let salt = (u64::from_le_bytes(bytes) >> 1) as i64;
        if salt != 0 {
            return salt;
        }
    }
}

pub(super) fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn as_u64(value: i64, version: u64, what: &str) -> Result<u64, RealmError> {
    u64::try_from(value).map_err(|_| RealmError::Damaged {
        version,
        reason: format!("negative {what}"),
    })
}

impl RealmStore {
    /// Opens the store of `id` under the data root, creating its directory and
    /// file on first use.
    pub fn open(
        root: &Path,
        id: &RealmId,
        options: MergeOptions,
    ) -> Result<RealmStore, RealmError> {
        let path = realm_file(root, id);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| RealmError::Directory {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        RealmStore::open_file(&path, &id.to_string(), options)
    }

    /// Opens (creating) the store at `path` for the Realm named `id`; a store that
    /// records another Realm's name is refused, so a misplaced file is never
    /// served under the wrong name.
    pub fn open_file(
        path: &Path,
        id: &str,
        options: MergeOptions,
    ) -> Result<RealmStore, RealmError> {
        let open_err = |source| RealmError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(RealmError::JournalMode { mode });
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        migrate(&mut conn)?;
        let stored: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'realm'", [], |r| {
                r.get(0)
            })
            .optional()?;
        match stored {
            Some(found) if found != id => {
                return Err(RealmError::WrongRealm {
                    found,
                    expected: id.to_string(),
                })
            }
            Some(_) => {}
            None => {
                conn.execute("INSERT INTO meta (key, value) VALUES ('realm', ?1)", [id])?;
            }
        }
        let meta = load_meta(&conn)?;
        let clients = load_clients(&conn)?;
        let next_ident = clients
            .keys()
            .max()
            .map_or(FIRST_CLIENT_FILE_IDENT, |m| m + 1);
        let mut store = RealmStore {
            conn,
            path: path.to_path_buf(),
            salt: random_salt(),
            meta,
            clients,
            next_ident,
            cache: HistoryCache::default(),
            state: State::new(),
            snapshot_version: 0,
            options,
            restored: None,
        };
        store.cache.base = store.current_version();
        store.restored = read_restored(&store.conn)?;
        store.load_state()?;
        Ok(store)
    }

    /// The state at the current version: the stored snapshot, then every entry
    /// after it applied in order.
    pub(super) fn load_state(&mut self) -> Result<(), RealmError> {
        let snapshot: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT server_version, bytes FROM state_snapshot WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (mut state, from) = match snapshot {
            Some((version, bytes)) => {
                let version = as_u64(version, 0, "snapshot version")?;
                let state =
                    decode_snapshot(&bytes).map_err(|e| RealmError::Snapshot(e.to_string()))?;
                (state, version)
            }
            None => (State::new(), 0),
        };
        if from > self.current_version() {
            return Err(RealmError::Snapshot(format!(
                "the snapshot is of server version {from}, past the history's end {}",
                self.current_version()
            )));
        }
        replay(&self.conn, &mut state, from, None)?;
        self.state = state;
        self.snapshot_version = from;
        Ok(())
    }

    /// Writes the current state as the snapshot when enough entries were added
    /// since the last one (or always, with `force`). Inside a batch it joins the
    /// open transaction (same connection).
    pub(super) fn snapshot_if_due(&mut self, force: bool) -> Result<(), RealmError> {
        let current = self.current_version();
        if current == self.snapshot_version
            || (!force && current - self.snapshot_version < SNAPSHOT_EVERY)
        {
            return Ok(());
        }
        let bytes = encode_snapshot(&self.state);
        self.conn.execute(
            "INSERT INTO state_snapshot (id, server_version, bytes) VALUES (1, ?1, ?2) \
             ON CONFLICT (id) DO UPDATE SET server_version = excluded.server_version, \
             bytes = excluded.bytes",
            params![current as i64, bytes],
        )?;
        self.snapshot_version = current;
        Ok(())
    }

    /// Writes a final snapshot, so the next opening replays nothing; the store
    /// is closed when dropped either way.
    pub fn close(mut self) -> Result<(), RealmError> {
        self.snapshot_if_due(true)
    }

    /// Allocates a new client file ident with a random salt, durably: the
    /// record is committed before this returns (`docs/protocol.md` §6.4).
    pub fn allocate_client_file(&mut self) -> Result<ClientFile, RealmError> {
        let file = ClientFile {
            ident: self.next_ident,
            salt: random_salt(),
            client_version: 0,
            rh_base_version: 0,
            locked_server_version: 0,
        };
        self.conn.execute(
            "INSERT INTO client_files (ident, salt, last_seen) VALUES (?1, ?2, ?3)",
            params![file.ident as i64, file.salt, now_millis()],
        )?;
        self.next_ident += 1;
        self.clients.insert(file.ident, file);
        Ok(file)
    }
}

pub(super) fn load_meta(conn: &Connection) -> Result<Vec<EntryMeta>, RealmError> {
    let mut stmt = conn.prepare(
        "SELECT server_version, origin_file_ident, client_version, origin_timestamp, salt, \
         length(changeset), cumulative_size FROM history ORDER BY server_version",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let expected = out.len() as u64 + 1;
        let version = as_u64(row.get(0)?, expected, "server version")?;
        if version != expected {
            return Err(RealmError::Damaged {
                version: expected,
                reason: format!("the history jumps to {version}"),
            });
        }
        let meta = EntryMeta {
            origin_file_ident: as_u64(row.get(1)?, version, "origin file ident")?,
            client_version: as_u64(row.get(2)?, version, "client version")?,
            origin_timestamp: as_u64(row.get(3)?, version, "origin timestamp")?,
            salt: row.get(4)?,
            size: as_u64(row.get(5)?, version, "size")?,
            cumulative: as_u64(row.get(6)?, version, "cumulative size")?,
        };
        let before = out.last().map_or(0, |m: &EntryMeta| m.cumulative);
        if meta.cumulative != before + meta.size {
            return Err(RealmError::Damaged {
                version,
                reason: "the cumulative size does not add up".into(),
            });
        }
        out.push(meta);
    }
    Ok(out)
}

pub(super) fn load_clients(conn: &Connection) -> Result<HashMap<u64, ClientFile>, RealmError> {
    let mut stmt = conn.prepare(
        "SELECT ident, salt, client_version, rh_base_version, locked_server_version \
         FROM client_files",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let ident = as_u64(row.get(0)?, 0, "client file ident")?;
        let file = ClientFile {
            ident,
            salt: row.get(1)?,
            client_version: as_u64(row.get(2)?, 0, "client version")?,
            rh_base_version: as_u64(row.get(3)?, 0, "rh_base_version")?,
            locked_server_version: as_u64(row.get(4)?, 0, "locked server version")?,
        };
        out.insert(ident, file);
    }
    Ok(out)
}

/// Applies the history entries after `from` (up to `to`, or to the end) to
/// `state`, in order; an entry that does not decode or apply is damage.
pub(super) fn replay(
    conn: &Connection,
    state: &mut State,
    from: u64,
    to: Option<u64>,
) -> Result<(), RealmError> {
    let mut stmt = conn.prepare(
        "SELECT server_version, changeset FROM history WHERE server_version > ?1 \
         AND server_version <= ?2 ORDER BY server_version",
    )?;
    let to = to.map_or(i64::MAX, |v| i64::try_from(v).unwrap_or(i64::MAX));
    let mut rows = stmt.query([from as i64, to])?;
    while let Some(row) = rows.next()? {
        let version = as_u64(row.get(0)?, 0, "server version")?;
        let bytes: Vec<u8> = row.get(1)?;
        let changeset = decode(&bytes).map_err(|e| RealmError::Damaged {
            version,
            reason: e.to_string(),
        })?;
        state.apply(&changeset).map_err(|e| RealmError::Damaged {
            version,
            reason: e.to_string(),
        })?;
    }
    Ok(())
}
