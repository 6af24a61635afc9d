//! The Realm registry: every Realm the server knows, its owner and when it was
//! first named.

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};

use super::error::AdminError;
use super::store::{millis, time, AdminStore};
use crate::realm_id::RealmId;
use crate::token::UserId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RealmRecord {
    pub id: RealmId,
    /// `None` for server-wide Realms and for Realms whose owner was removed.
    pub owner: Option<UserId>,
    pub created_at: SystemTime,
}

fn stored_id(text: String) -> rusqlite::Result<RealmId> {
    RealmId::parse(&text, None).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<RealmRecord> {
    Ok(RealmRecord {
        id: stored_id(row.get(0)?)?,
        owner: row.get(1)?,
        created_at: time(row.get(2)?),
    })
}

pub(crate) fn load_realm(
    conn: &Connection,
    id: &RealmId,
) -> Result<Option<RealmRecord>, AdminError> {
    Ok(conn
        .query_row(
            "SELECT id, owner_id, created_at FROM realms WHERE id = ?1",
            params![id.to_string()],
            record,
        )
        .optional()?)
}

/// Registers `id` with `owner` unless it is registered already; returns the
/// record as it is now and whether this call created it.
pub(crate) fn register_in(
    conn: &Connection,
    id: &RealmId,
    owner: Option<&UserId>,
    now: SystemTime,
) -> Result<(RealmRecord, bool), AdminError> {
    let created = conn.execute(
        "INSERT INTO realms (id, owner_id, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO NOTHING",
        params![id.to_string(), owner, millis(now)],
    )? == 1;
    let record = load_realm(conn, id)?
        .ok_or_else(|| AdminError::Storage(rusqlite::Error::QueryReturnedNoRows))?;
    Ok((record, created))
}

pub(crate) fn owned_by(conn: &Connection, owner: &UserId) -> Result<Vec<RealmId>, AdminError> {
    let mut stmt = conn.prepare("SELECT id FROM realms WHERE owner_id = ?1 ORDER BY id")?;
    let ids = stmt.query_map(params![owner], |row| stored_id(row.get(0)?))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

impl AdminStore {
    pub fn find_realm(&self, id: &RealmId) -> Result<Option<RealmRecord>, AdminError> {
        load_realm(&self.conn(), id)
    }

    /// Registers a Realm (a no-op for one already known; its owner never changes
    /// here). Returns the record and whether it is new.
    pub fn register_realm(
        &self,
        id: &RealmId,
        owner: Option<&UserId>,
        now: SystemTime,
    ) -> Result<(RealmRecord, bool), AdminError> {
        register_in(&self.conn(), id, owner, now)
    }

    /// Every Realm, or those of one owner, in identifier order.
    pub fn list_realms(&self, owner: Option<&UserId>) -> Result<Vec<RealmRecord>, AdminError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, owner_id, created_at FROM realms
             WHERE ?1 IS NULL OR owner_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![owner], record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes a deleted Realm's record; its permission entries, default
    /// entry and offers go with it. Returns whether there was a record.
    pub fn forget_realm(&self, id: &RealmId) -> Result<bool, AdminError> {
        let removed = self
            .conn()
            .execute("DELETE FROM realms WHERE id = ?1", params![id.to_string()])?;
        Ok(removed == 1)
    }

    /// The Realms `owner` owns.
    pub fn realms_owned_by(&self, owner: &UserId) -> Result<Vec<RealmId>, AdminError> {
        owned_by(&self.conn(), owner)
    }
}
