//! Why a sharing operation refused, with the original's status codes (the
//! `statusCode` a management-Realm object gets, docs/original-server.md §5.3).

use crate::admin::AdminError;
use crate::realm_id::{IdError, RealmId};

#[derive(Debug, thiserror::Error)]
pub enum SharingError {
    #[error("{0}")]
    InvalidRealm(#[from] IdError),
    #[error("the Realm {0} does not exist")]
    UnknownRealm(RealmId),
    #[error("the permissions of {0} cannot be changed: it is a management or permission Realm")]
    ManagementRealm(RealmId),
    #[error("managing {0} needs mayManage on it")]
    NotManager(RealmId),
    #[error("no user has the id or username {0:?}")]
    UnknownUser(String),
    #[error("`*` names a Realm's default entry, not a user")]
    DefaultIsNoUser,
    #[error("this would let {grantee} write {realm} without reading it; write-only permissions are not supported, grant read as well")]
    WriteOnly { realm: RealmId, grantee: String },
    #[error("`*` means every Realm the requester owns, and {0} owns none")]
    NoOwnedRealms(String),
    #[error("an offer must give at least one of read, write and manage")]
    EmptyOffer,
    #[error("the offer would expire before it is made")]
    ExpiryInPast,
    #[error(
        "an offer may last at most 100 years; leave the expiry out for one that does not expire"
    )]
    ExpiryTooFar,
    #[error("no offer has this token")]
    UnknownOffer,
    #[error("the offer has expired")]
    OfferExpired,
    #[error("the offer was revoked")]
    OfferRevoked,
    #[error("the offer's creator may no longer manage {0}, so the offer grants nothing")]
    CreatorNoLongerManages(RealmId),
    #[error("the offer's creator is disabled, so the offer grants nothing while they are")]
    CreatorDisabled,
    #[error("only the offer's creator or an admin may revoke it")]
    NotOfferCreator,
    #[error(
        "an offer is accepted by a user; the admin token is not one (name the user who accepts)"
    )]
    NoAcceptingUser,
    #[error(transparent)]
    Store(#[from] AdminError),
}

impl From<rusqlite::Error> for SharingError {
    fn from(e: rusqlite::Error) -> SharingError {
        SharingError::Store(AdminError::Storage(e))
    }
}

impl SharingError {
    /// The original's problem code: 601 invalid parameters, 614 access denied,
    /// 618 unknown user, 701 expired offer; 500 for the store's own failures.
    pub fn code(&self) -> u32 {
        use SharingError::*;
        match self {
            NotManager(_) | NotOfferCreator | CreatorNoLongerManages(_) | CreatorDisabled => 614,
            UnknownUser(_) => 618,
            OfferExpired | OfferRevoked => 701,
            Store(_) => 500,
            InvalidRealm(_)
            | UnknownRealm(_)
            | ManagementRealm(_)
            | WriteOnly { .. }
            | NoOwnedRealms(_)
            | EmptyOffer
            | DefaultIsNoUser
            | ExpiryInPast
            | ExpiryTooFar
            | UnknownOffer
            | NoAcceptingUser => 601,
        }
    }
}

/// A result as the management Realm's objects carry it: `statusCode` 0 and a
/// message on success, the error's code and message on failure.
pub fn status_of<T>(
    result: &Result<T, SharingError>,
    success: impl FnOnce(&T) -> String,
) -> (u32, String) {
    match result {
        Ok(value) => (0, success(value)),
        Err(e) => (e.code(), e.to_string()),
    }
}
