//! Integrating uploads (`docs/merge.md` §8): each client file's changesets are
//! merged with the history they had not seen, applied to the object state and
//! appended to the history, all of one batch in one transaction.

use std::collections::BTreeMap;

use rusqlite::params;

use super::error::RealmError;
use super::open::now_millis;
use super::{ClientFile, EntryMeta, RealmStore, CACHE_LIMIT};
use crate::changeset::{decode, encode, Changeset};
use crate::merge::{
    integrate_uploads, History, HistoryEntry, MergeError, ReciprocalHistory, SyncErrorCode, Upload,
};

/// One changeset of an UPLOAD, as the client sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedChangeset {
    pub client_version: u64,
    pub last_integrated_server_version: u64,
    pub origin_timestamp: u64,
    pub origin_file_ident: u64,
    /// The client's bytes (its lazy layout); re-encoded table-first when stored.
    pub changeset: Vec<u8>,
}

/// What one UPLOAD asks of the store for one client file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientUpload {
    pub ident: u64,
    /// The UPLOAD header's progress cursor.
    pub progress_client_version: u64,
    pub progress_server_version: u64,
    pub locked_server_version: u64,
    pub changesets: Vec<UploadedChangeset>,
}

impl ClientUpload {
    /// Bytes of changesets it carries (what the upload backlog counts).
    pub fn bytes(&self) -> u64 {
        self.changesets
            .iter()
            .map(|c| c.changeset.len() as u64)
            .sum()
    }
}

/// Why one client file's upload was rejected; nothing of it is stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntegrateRefusal {
    /// 212 `bad_changeset`.
    #[error("{0}")]
    BadChangeset(String),
    /// 216 `bad_origin_file_ident`.
    #[error("changeset of client version {client_version} names origin file {origin}; only 0 is accepted")]
    BadOriginFileIdent { client_version: u64, origin: u64 },
    /// 209 `bad_server_version`.
    #[error("{0}")]
    BadServerVersion(String),
    /// 208 `bad_client_file_ident`.
    #[error("client file {0} is not known to this Realm")]
    UnknownClientFile(u64),
}

enum Failure {
    Refused(IntegrateRefusal),
    Storage(RealmError),
}

impl From<RealmError> for Failure {
    fn from(e: RealmError) -> Failure {
        Failure::Storage(e)
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Failure {
        Failure::Storage(e.into())
    }
}

impl From<IntegrateRefusal> for Failure {
    fn from(e: IntegrateRefusal) -> Failure {
        Failure::Refused(e)
    }
}

impl RealmStore {
    /// Integrates `uploads` in order in one durable transaction and answers each.
    /// An upload that is refused is left out and the batch is retried without
    /// it (§8.6), so one bad client never blocks the others. A storage error
    /// leaves the store as it was before the call.
    pub fn integrate(
        &mut self,
        uploads: &[ClientUpload],
    ) -> Result<Vec<Result<(), IntegrateRefusal>>, RealmError> {
        let mut answers: Vec<Result<(), IntegrateRefusal>> = vec![Ok(()); uploads.len()];
        'retry: loop {
            let before_version = self.current_version();
            let before_clients: Vec<(u64, Option<ClientFile>)> = uploads
                .iter()
                .map(|u| (u.ident, self.clients.get(&u.ident).copied()))
                .collect();
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            let mut touched_state = false;
            for (i, upload) in uploads.iter().enumerate() {
                if answers[i].is_err() {
                    continue;
                }
                let result = self.integrate_one(upload, &mut touched_state);
                if let Err(failure) = result {
                    self.conn.execute_batch("ROLLBACK")?;
                    self.forget_after(before_version, &before_clients, touched_state)?;
                    match failure {
                        Failure::Refused(refusal) => {
                            answers[i] = Err(refusal);
                            continue 'retry;
                        }
                        Failure::Storage(e) => return Err(e),
                    }
                }
            }
            let finish = self.snapshot_if_due(false).and_then(|()| {
                self.conn.execute_batch("COMMIT")?;
                Ok(())
            });
            if let Err(e) = finish {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.forget_after(before_version, &before_clients, touched_state)?;
                return Err(e);
            }
            self.trim_cache();
            return Ok(answers);
        }
    }

    /// Undoes the in-memory side of a rolled-back transaction.
    fn forget_after(
        &mut self,
        version: u64,
        clients: &[(u64, Option<ClientFile>)],
        touched_state: bool,
    ) -> Result<(), RealmError> {
        self.meta.truncate(version as usize);
        let keep = version.saturating_sub(self.cache.base) as usize;
        self.cache.entries.truncate(keep);
        for (ident, record) in clients {
            match record {
                Some(r) => self.clients.insert(*ident, *r),
                None => self.clients.remove(ident),
            };
        }
        if touched_state || self.snapshot_version > version {
            self.snapshot_version = self.snapshot_version.min(version);
            self.load_state()?;
        }
        Ok(())
    }

    fn integrate_one(
        &mut self,
        upload: &ClientUpload,
        touched_state: &mut bool,
    ) -> Result<(), Failure> {
        let mut file = *self
            .clients
            .get(&upload.ident)
            .ok_or(IntegrateRefusal::UnknownClientFile(upload.ident))?;
        let fresh: Vec<&UploadedChangeset> = upload
            .changesets
            .iter()
            .filter(|c| c.client_version > file.client_version)
            .collect();
        let mut decoded = Vec::with_capacity(fresh.len());
        for c in &fresh {
            if c.origin_file_ident != 0 {
                return Err(IntegrateRefusal::BadOriginFileIdent {
                    client_version: c.client_version,
                    origin: c.origin_file_ident,
                }
                .into());
            }
            let changeset = decode(&c.changeset).map_err(|e| {
                IntegrateRefusal::BadChangeset(format!(
                    "the changeset of client version {} does not decode: {e}",
                    c.client_version
                ))
            })?;
            decoded.push(changeset);
        }
        if let Some(min_lisv) = fresh.iter().map(|c| c.last_integrated_server_version).min() {
            self.integrate_changesets(&file, &fresh, &decoded, min_lisv, touched_state)?;
        }
        if upload.progress_client_version > file.client_version {
            file.client_version = upload.progress_client_version;
            if upload.progress_server_version > file.rh_base_version {
                self.conn
                    .prepare_cached(
                        "DELETE FROM reciprocal WHERE ident = ?1 AND server_version <= ?2",
                    )?
                    .execute(params![
                        file.ident as i64,
                        upload.progress_server_version as i64
                    ])?;
                file.rh_base_version = upload.progress_server_version;
            }
        }
        file.locked_server_version = file.locked_server_version.max(upload.locked_server_version);
        self.conn
            .prepare_cached(
                "UPDATE client_files SET client_version = ?2, rh_base_version = ?3, \
                 locked_server_version = ?4, last_seen = ?5 WHERE ident = ?1",
            )?
            .execute(params![
                file.ident as i64,
                file.client_version as i64,
                file.rh_base_version as i64,
                file.locked_server_version as i64,
                now_millis()
            ])?;
        self.clients.insert(file.ident, file);
        Ok(())
    }

    fn integrate_changesets(
        &mut self,
        file: &ClientFile,
        fresh: &[&UploadedChangeset],
        decoded: &[Changeset],
        min_lisv: u64,
        touched_state: &mut bool,
    ) -> Result<(), Failure> {
        let current = self.current_version();
        if min_lisv > current {
            return Err(IntegrateRefusal::BadServerVersion(format!(
                "a changeset builds on server version {min_lisv}, past the latest {current}"
            ))
            .into());
        }
        self.ensure_cached(min_lisv)?;
        let reciprocal = ReciprocalHistory {
            base_version: file.rh_base_version,
            entries: self.load_reciprocal(file.ident, file.rh_base_version.max(min_lisv))?,
        };
        let uploads: Vec<Upload<'_>> = fresh
            .iter()
            .zip(decoded)
            .map(|(c, changeset)| Upload {
                client_version: c.client_version,
                last_integrated_server_version: c.last_integrated_server_version,
                origin_timestamp: c.origin_timestamp,
                origin_file_ident: c.origin_file_ident,
                changeset,
            })
            .collect();
        let history = History {
            base_version: self.cache.base,
            entries: &self.cache.entries,
        };
        let integration =
            integrate_uploads(history, &reciprocal, file.ident, &uploads, &self.options)
                .map_err(refusal_of)?;
        for entry in &integration.entries {
            *touched_state = true;
            self.state.apply(&entry.changeset).map_err(|e| {
                IntegrateRefusal::BadChangeset(format!(
                    "the changeset of client version {} does not apply: {e}",
                    entry.client_version
                ))
            })?;
        }
        for entry in integration.entries {
            self.append(entry)?;
        }
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO reciprocal (ident, server_version, changeset) VALUES (?1, ?2, ?3) \
             ON CONFLICT (ident, server_version) DO UPDATE SET changeset = excluded.changeset",
        )?;
        for (version, changeset) in &integration.reciprocal_updates {
            stmt.execute(params![
                file.ident as i64,
                *version as i64,
                encode(changeset)
            ])?;
        }
        Ok(())
    }

    /// Appends one entry to the history (inside the open transaction).
    fn append(&mut self, entry: HistoryEntry) -> Result<(), RealmError> {
        let bytes = encode(&entry.changeset);
        let version = self.current_version() + 1;
        let cumulative = self.history_bytes() + bytes.len() as u64;
        self.conn
            .prepare_cached(
                "INSERT INTO history (server_version, salt, origin_file_ident, client_version, \
                 origin_timestamp, cumulative_size, changeset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                version as i64,
                self.salt,
                entry.origin_file_ident as i64,
                entry.client_version as i64,
                entry.origin_timestamp as i64,
                cumulative as i64,
                bytes
            ])?;
        self.meta.push(EntryMeta {
            origin_file_ident: entry.origin_file_ident,
            client_version: entry.client_version,
            origin_timestamp: entry.origin_timestamp,
            salt: self.salt,
            size: bytes.len() as u64,
            cumulative,
        });
        self.cache.entries.push(entry);
        Ok(())
    }

    /// Makes the decoded cache reach back to server version `from` (exclusive).
    fn ensure_cached(&mut self, from: u64) -> Result<(), RealmError> {
        if from >= self.cache.base {
            return Ok(());
        }
        let mut older = Vec::with_capacity((self.cache.base - from) as usize);
        let mut stmt = self.conn.prepare_cached(
            "SELECT server_version, changeset FROM history WHERE server_version > ?1 \
             AND server_version <= ?2 ORDER BY server_version",
        )?;
        let mut rows = stmt.query(params![from as i64, self.cache.base as i64])?;
        while let Some(row) = rows.next()? {
            let version = u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
            let bytes: Vec<u8> = row.get(1)?;
            let meta = self
                .entry_meta(version)
                .copied()
                .ok_or(RealmError::Damaged {
                    version,
                    reason: "an entry the index does not know".into(),
                })?;
            let changeset = decode(&bytes).map_err(|e| RealmError::Damaged {
                version,
                reason: e.to_string(),
            })?;
            older.push(HistoryEntry {
                origin_file_ident: meta.origin_file_ident,
                client_version: meta.client_version,
                origin_timestamp: meta.origin_timestamp,
                changeset,
            });
        }
        drop(rows);
        drop(stmt);
        older.append(&mut self.cache.entries);
        self.cache.entries = older;
        self.cache.base = from;
        Ok(())
    }

    /// Drops the older half of the decoded cache when it grew past its limit.
    fn trim_cache(&mut self) {
        if self.cache.entries.len() > CACHE_LIMIT {
            let cut = self.cache.entries.len() / 2;
            self.cache.entries.drain(..cut);
            self.cache.base += cut as u64;
        }
    }

    fn load_reciprocal(
        &self,
        ident: u64,
        after: u64,
    ) -> Result<BTreeMap<u64, Changeset>, RealmError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT server_version, changeset FROM reciprocal WHERE ident = ?1 \
             AND server_version > ?2",
        )?;
        let mut rows = stmt.query(params![ident as i64, after as i64])?;
        let mut out = BTreeMap::new();
        while let Some(row) = rows.next()? {
            let version = u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
            let bytes: Vec<u8> = row.get(1)?;
            let changeset = decode(&bytes).map_err(|e| RealmError::Damaged {
                version,
                reason: format!("reciprocal changeset of client file {ident}: {e}"),
            })?;
            out.insert(version, changeset);
        }
        Ok(out)
    }
}

fn refusal_of(error: MergeError) -> IntegrateRefusal {
    match error.sync_error_code() {
        SyncErrorCode::BadServerVersion => IntegrateRefusal::BadServerVersion(error.to_string()),
        _ => IntegrateRefusal::BadChangeset(format!("the changesets do not merge: {error}")),
    }
}
