//! The JSON shapes of Realms, permission entries and offers: the admin API's
//! bodies (`docs/openapi.yaml`) and `ros permission|realm --format json`
//! (`docs/cli-json.md`). The CLI's HTTP client reads them back. A Realm is
//! always named by `realm`: a path (`/…`) or a partition value's Extended JSON.

use serde::{Deserialize, Serialize};

use super::{Accepted, Applied, RealmDetails, Revoked};
use crate::admin::json::rfc3339;
use crate::admin::{Offer, PermissionEntry, RealmRecord};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealmJson {
    pub realm: String,
    /// The owner's user id; `null` for server-wide Realms and removed owners.
    pub owner: Option<String>,
    pub created_at: String,
}

impl From<&RealmRecord> for RealmJson {
    fn from(r: &RealmRecord) -> RealmJson {
        RealmJson {
            realm: r.id.to_string(),
            owner: r.owner.map(|o| o.to_string()),
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealmListJson {
    pub realms: Vec<RealmJson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionJson {
    pub realm: String,
    /// A user id, or `*` for the Realm's default entry.
    pub user: String,
    pub may_read: bool,
    pub may_write: bool,
    pub may_manage: bool,
    pub updated_at: String,
}

impl From<&PermissionEntry> for PermissionJson {
    fn from(e: &PermissionEntry) -> PermissionJson {
        PermissionJson {
            realm: e.realm.to_string(),
            user: e.grantee.to_string(),
            may_read: e.rights.may_read,
            may_write: e.rights.may_write,
            may_manage: e.rights.may_manage,
            updated_at: rfc3339(e.updated_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionListJson {
    pub permissions: Vec<PermissionJson>,
}

impl PermissionListJson {
    pub fn of(entries: &[PermissionEntry]) -> PermissionListJson {
        PermissionListJson {
            permissions: entries.iter().map(PermissionJson::from).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealmDetailsJson {
    pub realm: String,
    pub owner: Option<String>,
    pub created_at: String,
    /// The default entry (`user` `*`) first, then users by id.
    pub permissions: Vec<PermissionJson>,
}

impl From<&RealmDetails> for RealmDetailsJson {
    fn from(d: &RealmDetails) -> RealmDetailsJson {
        let realm = RealmJson::from(&d.record);
        RealmDetailsJson {
            realm: realm.realm,
            owner: realm.owner,
            created_at: realm.created_at,
            permissions: d.entries.iter().map(PermissionJson::from).collect(),
        }
    }
}

/// A PermissionChange's result: `status_code` 0 and the entries as they are now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeJson {
    pub status_code: u32,
    pub status_message: String,
    pub permissions: Vec<PermissionJson>,
}

impl From<&Applied> for ChangeJson {
    fn from(a: &Applied) -> ChangeJson {
        ChangeJson {
            status_code: 0,
            status_message: a.message(),
            permissions: a.entries.iter().map(PermissionJson::from).collect(),
        }
    }
}

/// What `revoke` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedJson {
    pub realm: String,
    pub user: String,
    /// False when there was no such entry (nothing changed).
    pub removed: bool,
}

impl From<&Revoked> for RevokedJson {
    fn from(r: &Revoked) -> RevokedJson {
        RevokedJson {
            realm: r.realm.to_string(),
            user: r.grantee.to_string(),
            removed: r.removed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferJson {
    pub token: String,
    pub realm: String,
    pub may_read: bool,
    pub may_write: bool,
    pub may_manage: bool,
    /// The creating user's id; `null` for the admin token.
    pub creator: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub accepted_by: Vec<String>,
}

impl From<&Offer> for OfferJson {
    fn from(o: &Offer) -> OfferJson {
        OfferJson {
            token: o.token.to_string(),
            realm: o.realm.to_string(),
            may_read: o.rights.may_read,
            may_write: o.rights.may_write,
            may_manage: o.rights.may_manage,
            creator: o.creator.map(|c| c.to_string()),
            created_at: rfc3339(o.created_at),
            expires_at: o.expires_at.map(rfc3339),
            revoked_at: o.revoked_at.map(rfc3339),
            accepted_by: o.accepted_by.iter().map(ToString::to_string).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferListJson {
    pub offers: Vec<OfferJson>,
}

/// What accepting an offer answers: the Realm to open and the accepting user's
/// entry on it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedJson {
    pub realm: String,
    pub may_read: bool,
    pub may_write: bool,
    pub may_manage: bool,
    pub first_time: bool,
}

impl From<&Accepted> for AcceptedJson {
    fn from(a: &Accepted) -> AcceptedJson {
        AcceptedJson {
            realm: a.realm.to_string(),
            may_read: a.rights.may_read,
            may_write: a.rights.may_write,
            may_manage: a.rights.may_manage,
            first_time: a.first_time,
        }
    }
}
