//! Deleting a Realm while the server runs: its open sessions end with a
//! client reset, its store goes, and so does its registry entry with every
//! permission on it (`docs/sync.md`, "Deleting a Realm").

use std::sync::Arc;

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::realms::DeleteRefused;
use super::service::SyncService;
use crate::admin::{AdminError, AdminStore};
use crate::realm_id::RealmId;

/// Realms the original server kept for its own state; scripts written for it
/// must not be able to remove them here either.
const PROTECTED: &[&str] = &[
    "/__admin",
    "/__revocation",
    "/__wildcardpermissions",
    "/__password",
    "/__perm",
    "/__configuration",
];

/// What a deletion removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealmDeleted {
    pub realm: String,
    /// The Realm's database existed and was removed.
    pub store: bool,
    /// Its registry entry (owner, permissions, offers) existed and was removed.
    pub record: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteRealmError {
    #[error("{0} is protected from removal")]
    Protected(String),
    #[error("no Realm {0}: neither a store nor a registry entry")]
    NotFound(String),
    #[error("{realm}: {source}")]
    Refused {
        realm: String,
        source: DeleteRefused,
    },
    #[error("{realm}: the store is gone, but its registry entry could not be removed: {source}")]
    Record { realm: String, source: AdminError },
    #[error("{0}: the deletion did not finish")]
    Interrupted(String),
}

impl SyncService {
    /// Deletes `id` (`docs/sync.md`, "Deleting a Realm"). Waits for the
    /// Realm's actor to finish what was queued before the deletion.
    pub async fn delete_realm(
        self: &Arc<SyncService>,
        id: RealmId,
    ) -> Result<RealmDeleted, DeleteRealmError> {
        let realm = unprotected(&id)?;
        let service = Arc::clone(self);
        let name = realm.clone();
        tokio::task::spawn_blocking(move || {
            let store = service
                .realms
                .delete(&id)
                .map_err(|source| DeleteRealmError::Refused {
                    realm: name.clone(),
                    source,
                })?;
            let record = service.auth.store().forget_realm(&id).map_err(|source| {
                DeleteRealmError::Record {
                    realm: name.clone(),
                    source,
                }
            })?;
            if !store && !record {
                return Err(DeleteRealmError::NotFound(name));
            }
            Ok(RealmDeleted {
                realm: name,
                store,
                record,
            })
        })
        .await
        .map_err(|_| DeleteRealmError::Interrupted(realm))?
    }
}

/// The Realm's name, unless it is one of the original server's own.
fn unprotected(id: &RealmId) -> Result<String, DeleteRealmError> {
    let realm = id.to_string();
    if PROTECTED.contains(&realm.as_str()) {
        return Err(DeleteRealmError::Protected(realm));
    }
    Ok(realm)
}

/// The second half of a deletion: the registry entry, once the store is gone.
fn forget(
    admin: &AdminStore,
    id: &RealmId,
    realm: String,
    store: bool,
) -> Result<RealmDeleted, DeleteRealmError> {
    let record = admin
        .forget_realm(id)
        .map_err(|source| DeleteRealmError::Record {
            realm: realm.clone(),
            source,
        })?;
    if !store && !record {
        return Err(DeleteRealmError::NotFound(realm));
    }
    Ok(RealmDeleted {
        realm,
        store,
        record,
    })
}

/// Deletes `id` from a stopped server's data root (the caller holds the
/// root's lock, so no session can be bound to it).
pub fn delete_stopped(
    root: &Path,
    admin: &AdminStore,
    id: &RealmId,
) -> Result<RealmDeleted, DeleteRealmError> {
    let realm = unprotected(id)?;
    let store =
        crate::realm::remove_store(root, id).map_err(|(path, e)| DeleteRealmError::Refused {
            realm: realm.clone(),
            source: DeleteRefused::Files {
                path,
                reason: e.to_string(),
            },
        })?;
    forget(admin, id, realm, store)
}
