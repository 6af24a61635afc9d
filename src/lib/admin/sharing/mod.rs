//! Sharing Realms, as operators and users see it: permission changes with the
//! original's PermissionChange semantics, offers and their acceptance, and the
//! views of Realms and entries a requester may see. The admin API, the offline
//! `ros permission --root` and (with the sync service) the management Realm all
//! call these, so the rules cannot differ between them.

mod change;
mod error;
pub mod json;
mod offer;
mod view;

pub use change::{
    apply_change, resolve_grantee, resolve_named_user, revoke_entry, Applied, GranteeName,
    PermissionChange, RealmTarget, Revoked,
};
pub use error::{status_of, SharingError};
pub use offer::{
    accept_offer, create_offer, list_offers, revoke_offer, Accepted, NewOffer, MAX_OFFER_LIFETIME,
};
pub use view::{list_entries, list_realms, show_realm, RealmDetails};

use std::time::SystemTime;

use rusqlite::Connection;

use super::access::{rights_in, Subject};
use super::realms::{load_realm, register_in, RealmRecord};
use super::users::load_user;
use crate::realm_id::RealmId;

/// [`register_if_creatable`] on its own: what `POST /auth` does before minting an
/// access token, so a user's first request for `/~/tasks` makes them its owner.
pub fn ensure_registered(
    store: &super::AdminStore,
    subject: Subject,
    realm: &RealmId,
    now: SystemTime,
) -> Result<(), SharingError> {
    register_if_creatable(&store.conn(), subject, realm, now)
}

/// Registers a Realm the registry does not know yet when the requester could
/// create it anyway: an admin anywhere, a user in their own home
/// (`/<own id>/...`, or the partition value equal to their id). Its owner is
/// the user whose home it is, if that user exists. Lets an operator share a
/// Realm before its first client connects.
pub(crate) fn register_if_creatable(
    conn: &Connection,
    subject: Subject,
    realm: &RealmId,
    now: SystemTime,
) -> Result<(), SharingError> {
    if load_realm(conn, realm)?.is_some() {
        return Ok(());
    }
    let home = realm.home_user();
    let creatable = match subject {
        Subject::Admin => true,
        Subject::User(user) => home == Some(user),
    };
    if creatable {
        let owner = match home {
            Some(id) if load_user(conn, &id)?.is_some() => Some(id),
            _ => None,
        };
        register_in(conn, realm, owner.as_ref(), now)?;
    }
    Ok(())
}

/// The Realm, registered, not a management Realm, and managed by `subject`: what
/// every change and offer needs of its target.
fn managed_target(
    conn: &Connection,
    subject: Subject,
    realm: &RealmId,
) -> Result<RealmRecord, SharingError> {
    if realm.as_path().is_some_and(|p| p.is_management()) {
        return Err(SharingError::ManagementRealm(realm.clone()));
    }
    // Rights first: a user who may not manage a Realm learns nothing about it,
    // not even whether it exists (an unknown Realm gives users no rights).
    if !rights_in(conn, subject, realm)?.may_manage {
        return Err(SharingError::NotManager(realm.clone()));
    }
    load_realm(conn, realm)?.ok_or_else(|| SharingError::UnknownRealm(realm.clone()))
}
