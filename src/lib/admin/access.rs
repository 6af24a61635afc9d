//! The one answer to "may this user read, write or manage this Realm": used by
//! `POST /auth` when it mints an access token, by every sharing operation, and by
//! the sync service for each BIND and UPLOAD.
//!
//! The rule is the original documentation's (seeds, "Access Control"): an admin
//! may do everything; so may the Realm's owner; anyone else gets their own entry
//! for the Realm if they have one, else the Realm's default entry, else nothing.
//! Unlike ROS 3.x's code, the user's entry is not OR-ed with the default: an
//! all-false entry is kept and denies, even below a permissive default.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::error::AdminError;
use super::realms::{load_realm, RealmRecord};
use super::store::AdminStore;
use crate::realm_id::RealmId;
use crate::token::UserId;

/// The three permission flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rights {
    pub may_read: bool,
    pub may_write: bool,
    pub may_manage: bool,
}

impl Rights {
    pub const NONE: Rights = Rights {
        may_read: false,
        may_write: false,
        may_manage: false,
    };
    pub const ALL: Rights = Rights {
        may_read: true,
        may_write: true,
        may_manage: true,
    };

    pub fn new(may_read: bool, may_write: bool, may_manage: bool) -> Rights {
        Rights {
            may_read,
            may_write,
            may_manage,
        }
    }

    pub fn any(self) -> bool {
        self.may_read || self.may_write || self.may_manage
    }

    /// Writing without reading is not supported (seeds, "Access Control"): a
    /// client that cannot download cannot merge what it uploads.
    pub fn is_write_only(self) -> bool {
        self.may_write && !self.may_read
    }
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The admin token, or a user who is an admin now.
    Admin,
    User(UserId),
}

/// What a subject may do with a Realm, from the Realm's record and the two
/// entries that can apply. Pure, so the rule can be read and tested on its own.
pub fn evaluate(
    subject: Subject,
    realm: Option<&RealmRecord>,
    own: Option<Rights>,
    default: Option<Rights>,
) -> Rights {
    let user = match subject {
        Subject::Admin => return Rights::ALL,
        Subject::User(user) => user,
    };
    let Some(realm) = realm else {
        return Rights::NONE;
    };
    if realm.owner == Some(user) {
        return Rights::ALL;
    }
    own.or(default).unwrap_or(Rights::NONE)
}

pub(crate) fn rights_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Rights> {
    Ok(Rights {
        may_read: row.get(first)?,
        may_write: row.get(first + 1)?,
        may_manage: row.get(first + 2)?,
    })
}

pub(crate) fn own_entry(
    conn: &Connection,
    realm: &RealmId,
    user: &UserId,
) -> Result<Option<Rights>, AdminError> {
    Ok(conn
        .query_row(
            "SELECT may_read, may_write, may_manage FROM permissions
             WHERE realm_id = ?1 AND user_id = ?2",
            params![realm.to_string(), user],
            |row| rights_row(row, 0),
        )
        .optional()?)
}

pub(crate) fn default_entry(
    conn: &Connection,
    realm: &RealmId,
) -> Result<Option<Rights>, AdminError> {
    Ok(conn
        .query_row(
            "SELECT may_read, may_write, may_manage FROM default_permissions WHERE realm_id = ?1",
            params![realm.to_string()],
            |row| rights_row(row, 0),
        )
        .optional()?)
}

pub(crate) fn rights_in(
    conn: &Connection,
    subject: Subject,
    realm: &RealmId,
) -> Result<Rights, AdminError> {
    if subject == Subject::Admin {
        return Ok(Rights::ALL);
    }
    let record = load_realm(conn, realm)?;
    let own = match subject {
        Subject::User(user) => own_entry(conn, realm, &user)?,
        Subject::Admin => None,
    };
    Ok(evaluate(
        subject,
        record.as_ref(),
        own,
        default_entry(conn, realm)?,
    ))
}

impl AdminStore {
    /// What `subject` may do with the Realm `realm` now. A Realm the registry does
    /// not know gives nothing to anyone but admins.
    pub fn rights(&self, subject: Subject, realm: &RealmId) -> Result<Rights, AdminError> {
        rights_in(&self.conn(), subject, realm)
    }
}
