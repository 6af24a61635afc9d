//! PermissionChange: set some of a user's (or the default) flags on one Realm, or
//! on every Realm the requester owns.

use std::time::SystemTime;

use rusqlite::{Connection, TransactionBehavior};

use super::{managed_target, register_if_creatable, SharingError};
use crate::admin::access::{default_entry, own_entry, Rights, Subject};
use crate::admin::ops::resolve_user;
use crate::admin::permissions::{delete_entry, put_entry, Grantee, PermissionEntry};
use crate::admin::realms::owned_by;
use crate::admin::{AdminError, AdminStore};
use crate::realm_id::RealmId;
use crate::token::UserId;

/// Which Realms a change is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RealmTarget {
    /// `*`: every Realm the requester owns.
    Owned,
    One(RealmId),
}

/// Whose entry, as a requester names it: `*`, a user id or a username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GranteeName {
    Default,
    User(String),
}

impl GranteeName {
    /// `*` is the default entry; anything else names a user.
    pub fn parse(text: &str) -> GranteeName {
        if text == "*" {
            GranteeName::Default
        } else {
            GranteeName::User(text.to_string())
        }
    }
}

/// A change; a flag left `None` keeps its current value (false for a new entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionChange {
    pub realm: RealmTarget,
    pub grantee: GranteeName,
    pub may_read: Option<bool>,
    pub may_write: Option<bool>,
    pub may_manage: Option<bool>,
}

/// The entries as the change left them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub entries: Vec<PermissionEntry>,
}

impl Applied {
    /// The original's `statusMessage` on success.
    pub fn message(&self) -> String {
        let realms: Vec<String> = self.entries.iter().map(|e| e.realm.to_string()).collect();
        format!(
            "Successfully applied PermissionChange for {}",
            realms.join(", ")
        )
    }
}

/// The entry a requester names: `*` (the default), a user id or a username.
/// A name of no user is `UnknownUser`: nothing that follows may act on it.
pub fn resolve_grantee(store: &AdminStore, name: &GranteeName) -> Result<Grantee, SharingError> {
    match name {
        GranteeName::Default => Ok(Grantee::Default),
        GranteeName::User(name) => resolve_named_user(store, name).map(Grantee::User),
    }
}

/// A user a requester names by id or username, where `*` has no meaning (an
/// owner, the user who accepts an offer).
pub fn resolve_named_user(store: &AdminStore, name: &str) -> Result<UserId, SharingError> {
    if name == "*" {
        return Err(SharingError::DefaultIsNoUser);
    }
    match resolve_user(store, name) {
        Ok(user) => Ok(user.id),
        Err(AdminError::NotFound(_)) => Err(SharingError::UnknownUser(name.to_string())),
        Err(e) => Err(e.into()),
    }
}

fn current(
    conn: &Connection,
    realm: &RealmId,
    grantee: Grantee,
) -> Result<Option<Rights>, AdminError> {
    match grantee {
        Grantee::Default => default_entry(conn, realm),
        Grantee::User(user) => own_entry(conn, realm, &user),
    }
}

/// Merges `change`'s flags into an entry: given flags win, missing ones keep the
/// entry's value.
pub(crate) fn merge(
    existing: Option<Rights>,
    read: Option<bool>,
    write: Option<bool>,
    manage: Option<bool>,
) -> Rights {
    let base = existing.unwrap_or(Rights::NONE);
    Rights {
        may_read: read.unwrap_or(base.may_read),
        may_write: write.unwrap_or(base.may_write),
        may_manage: manage.unwrap_or(base.may_manage),
    }
}

/// Writes the merged entry on `realm`, refusing a write-only result.
pub(crate) fn set_flags(
    conn: &Connection,
    realm: &RealmId,
    grantee: Grantee,
    flags: (Option<bool>, Option<bool>, Option<bool>),
    now: SystemTime,
) -> Result<PermissionEntry, SharingError> {
    let rights = merge(current(conn, realm, grantee)?, flags.0, flags.1, flags.2);
    if rights.is_write_only() {
        return Err(SharingError::WriteOnly {
            realm: realm.clone(),
            grantee: grantee.to_string(),
        });
    }
    put_entry(conn, realm, grantee, rights, now)?;
    Ok(PermissionEntry {
        realm: realm.clone(),
        grantee,
        rights,
        updated_at: now,
    })
}

/// Applies a change for `subject`, all or nothing: the grantee must exist (a
/// change naming an unknown user fails and changes nothing, where the original
/// widened the default entry), and the requester needs mayManage on every Realm.
pub fn apply_change(
    store: &AdminStore,
    subject: Subject,
    change: &PermissionChange,
    now: SystemTime,
) -> Result<Applied, SharingError> {
    let grantee = resolve_grantee(store, &change.grantee)?;
    let mut conn = store.conn();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let realms = match &change.realm {
        RealmTarget::One(realm) => vec![realm.clone()],
        RealmTarget::Owned => {
            let Subject::User(owner) = subject else {
                return Err(SharingError::NoOwnedRealms("the admin token".into()));
            };
            let owned: Vec<RealmId> = owned_by(&tx, &owner)?
                .into_iter()
                .filter(|r| !r.as_path().is_some_and(|p| p.is_management()))
                .collect();
            if owned.is_empty() {
                return Err(SharingError::NoOwnedRealms(format!("user {owner}")));
            }
            owned
        }
    };
    let mut entries = Vec::with_capacity(realms.len());
    for realm in &realms {
        register_if_creatable(&tx, subject, realm, now)?;
        managed_target(&tx, subject, realm)?;
        let flags = (change.may_read, change.may_write, change.may_manage);
        entries.push(set_flags(&tx, realm, grantee, flags, now)?);
    }
    tx.commit()?;
    Ok(Applied { entries })
}

/// What revoking did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub realm: RealmId,
    pub grantee: Grantee,
    /// False when there was no such entry (nothing changed).
    pub removed: bool,
}

/// Removes a user's (or the default) entry on `realm`; the user then falls back
/// to the default entry.
pub fn revoke_entry(
    store: &AdminStore,
    subject: Subject,
    realm: &RealmId,
    grantee: &GranteeName,
) -> Result<Revoked, SharingError> {
    let grantee = resolve_grantee(store, grantee)?;
    let mut conn = store.conn();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    managed_target(&tx, subject, realm)?;
    let removed = delete_entry(&tx, realm, grantee)?;
    tx.commit()?;
    Ok(Revoked {
        realm: realm.clone(),
        grantee,
        removed,
    })
}
