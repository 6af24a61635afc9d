//! Permission entries as stored: one per (Realm, user), plus one default entry per
//! Realm (the original's wildcard user `*`).

use std::fmt;
use std::time::SystemTime;

use rusqlite::{params, Connection};

use super::access::{rights_row, Rights};
use super::error::AdminError;
use super::store::{millis, time, AdminStore};
use crate::realm_id::RealmId;
use crate::token::UserId;

/// Whose entry: one user's, or the Realm's default (`*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grantee {
    Default,
    User(UserId),
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::Default => f.write_str("*"),
            Grantee::User(id) => id.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionEntry {
    pub realm: RealmId,
    pub grantee: Grantee,
    pub rights: Rights,
    pub updated_at: SystemTime,
}

/// Which entries to list; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    pub realm: Option<RealmId>,
    pub grantee: Option<Grantee>,
}

/// Writes an entry whole (the caller merged the flags). The table's CHECK refuses
/// write-only rows, a second guard behind the operations' own refusal.
pub(crate) fn put_entry(
    conn: &Connection,
    realm: &RealmId,
    grantee: Grantee,
    rights: Rights,
    now: SystemTime,
) -> Result<(), AdminError> {
    let (r, w, m, t) = (
        rights.may_read,
        rights.may_write,
        rights.may_manage,
        millis(now),
    );
    match grantee {
        Grantee::Default => conn.execute(
            "INSERT INTO default_permissions (realm_id, may_read, may_write, may_manage, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (realm_id) DO UPDATE SET may_read = ?2, may_write = ?3,
                 may_manage = ?4, updated_at = ?5",
            params![realm.to_string(), r, w, m, t],
        )?,
        Grantee::User(user) => conn.execute(
            "INSERT INTO permissions (realm_id, user_id, may_read, may_write, may_manage, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (realm_id, user_id) DO UPDATE SET may_read = ?3, may_write = ?4,
                 may_manage = ?5, updated_at = ?6",
            params![realm.to_string(), user, r, w, m, t],
        )?,
    };
    Ok(())
}

/// Removes an entry; whether there was one.
pub(crate) fn delete_entry(
    conn: &Connection,
    realm: &RealmId,
    grantee: Grantee,
) -> Result<bool, AdminError> {
    let n = match grantee {
        Grantee::Default => conn.execute(
            "DELETE FROM default_permissions WHERE realm_id = ?1",
            params![realm.to_string()],
        )?,
        Grantee::User(user) => conn.execute(
            "DELETE FROM permissions WHERE realm_id = ?1 AND user_id = ?2",
            params![realm.to_string(), user],
        )?,
    };
    Ok(n == 1)
}

pub(crate) fn list_entries(
    conn: &Connection,
    filter: &EntryFilter,
) -> Result<Vec<PermissionEntry>, AdminError> {
    let realm = filter.realm.as_ref().map(ToString::to_string);
    let (want_default, user) = match filter.grantee {
        None => (true, None),
        Some(Grantee::Default) => (true, Some("*".to_string())),
        Some(Grantee::User(id)) => (false, Some(id.to_string())),
    };
    let mut stmt = conn.prepare(
        "SELECT realm_id, user_id, may_read, may_write, may_manage, updated_at FROM (
             SELECT realm_id, user_id, may_read, may_write, may_manage, updated_at
             FROM permissions
             UNION ALL
             SELECT realm_id, '*', may_read, may_write, may_manage, updated_at
             FROM default_permissions WHERE ?3
         )
         WHERE (?1 IS NULL OR realm_id = ?1) AND (?2 IS NULL OR user_id = ?2)
         ORDER BY realm_id, user_id = '*' DESC, user_id",
    )?;
    let rows = stmt.query_map(params![realm, user, want_default], |row| {
        let realm: String = row.get(0)?;
        let user: String = row.get(1)?;
        let conversion = |e: Box<dyn std::error::Error + Send + Sync>| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e)
        };
        let realm = RealmId::parse(&realm, None).map_err(|e| conversion(e.into()))?;
        let grantee = if user == "*" {
            Grantee::Default
        } else {
            Grantee::User(
                user.parse()
                    .map_err(|e: crate::token::InvalidId| conversion(e.into()))?,
            )
        };
        Ok(PermissionEntry {
            realm,
            grantee,
            rights: rights_row(row, 2)?,
            updated_at: time(row.get(5)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl AdminStore {
    /// Entries matching `filter`: per Realm, the default first, then users by id.
    pub fn permission_entries(
        &self,
        filter: &EntryFilter,
    ) -> Result<Vec<PermissionEntry>, AdminError> {
        list_entries(&self.conn(), filter)
    }
}
