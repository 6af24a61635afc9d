//! What a requester may see: admins see everything; a user sees the Realms they
//! manage with their entries, and their own entries anywhere.

use super::SharingError;
use crate::admin::access::{rights_in, Subject};
use crate::admin::permissions::{
    list_entries as stored_entries, EntryFilter, Grantee, PermissionEntry,
};
use crate::admin::realms::{load_realm, RealmRecord};
use crate::admin::AdminStore;
use crate::realm_id::RealmId;

/// A Realm with every entry on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RealmDetails {
    pub record: RealmRecord,
    /// The default entry first, then users by id.
    pub entries: Vec<PermissionEntry>,
}

/// Realms the requester manages (all of them for an admin), optionally only
/// those of one owner.
pub fn list_realms(
    store: &AdminStore,
    subject: Subject,
    owner: Option<&crate::token::UserId>,
) -> Result<Vec<RealmRecord>, SharingError> {
    let all = store.list_realms(owner)?;
    if subject == Subject::Admin {
        return Ok(all);
    }
    let conn = store.conn();
    let mut visible = Vec::new();
    for record in all {
        if rights_in(&conn, subject, &record.id)?.may_manage {
            visible.push(record);
        }
    }
    Ok(visible)
}

/// One Realm and its entries; needs mayManage on it.
pub fn show_realm(
    store: &AdminStore,
    subject: Subject,
    realm: &RealmId,
) -> Result<RealmDetails, SharingError> {
    let conn = store.conn();
    if !rights_in(&conn, subject, realm)?.may_manage {
        return Err(SharingError::NotManager(realm.clone()));
    }
    let record =
        load_realm(&conn, realm)?.ok_or_else(|| SharingError::UnknownRealm(realm.clone()))?;
    let filter = EntryFilter {
        realm: Some(realm.clone()),
        grantee: None,
    };
    Ok(RealmDetails {
        record,
        entries: stored_entries(&conn, &filter)?,
    })
}

/// Entries matching `filter` that the requester may see: on Realms they manage,
/// or their own.
pub fn list_entries(
    store: &AdminStore,
    subject: Subject,
    filter: &EntryFilter,
) -> Result<Vec<PermissionEntry>, SharingError> {
    let conn = store.conn();
    let all = stored_entries(&conn, filter)?;
    let Subject::User(me) = subject else {
        return Ok(all);
    };
    let mut visible = Vec::new();
    for entry in all {
        if entry.grantee == Grantee::User(me) || rights_in(&conn, subject, &entry.realm)?.may_manage
        {
            visible.push(entry);
        }
    }
    Ok(visible)
}
