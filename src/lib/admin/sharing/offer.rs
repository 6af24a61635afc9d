//! PermissionOffer and PermissionOfferResponse: a manager makes a token that
//! grants some flags on a Realm; whoever accepts it gets them.

use std::time::{Duration, SystemTime};

use rusqlite::TransactionBehavior;

use super::change::set_flags;
use super::{managed_target, register_if_creatable, SharingError};
use crate::admin::access::{rights_in, Rights, Subject};
use crate::admin::offers::{
    insert_offer, list_offers as stored_offers, load_offer, mark_revoked, record_acceptance, Offer,
    OfferToken,
};
use crate::admin::permissions::Grantee;
use crate::admin::users::load_user;
use crate::admin::AdminStore;
use crate::realm_id::RealmId;
use crate::token::UserId;

/// Longest offer lifetime (100 years): expiry times stay printable as RFC 3339.
pub const MAX_OFFER_LIFETIME: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOffer {
    pub realm: RealmId,
    pub rights: Rights,
    pub expires_at: Option<SystemTime>,
}

/// Makes an offer. The requester needs mayManage on the Realm; the offer must give
/// something, never write without read, and not be expired already.
pub fn create_offer(
    store: &AdminStore,
    subject: Subject,
    new: &NewOffer,
    now: SystemTime,
) -> Result<Offer, SharingError> {
    if !new.rights.any() {
        return Err(SharingError::EmptyOffer);
    }
    if new.rights.is_write_only() {
        return Err(SharingError::WriteOnly {
            realm: new.realm.clone(),
            grantee: "whoever accepts the offer".into(),
        });
    }
    if new.expires_at.is_some_and(|t| t <= now) {
        return Err(SharingError::ExpiryInPast);
    }
    if new
        .expires_at
        .is_some_and(|t| t.duration_since(now).unwrap_or_default() > MAX_OFFER_LIFETIME)
    {
        return Err(SharingError::ExpiryTooFar);
    }
    let mut conn = store.conn();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    register_if_creatable(&tx, subject, &new.realm, now)?;
    managed_target(&tx, subject, &new.realm)?;
    let offer = Offer {
        token: OfferToken::generate(),
        realm: new.realm.clone(),
        creator: match subject {
            Subject::Admin => None,
            Subject::User(id) => Some(id),
        },
        rights: new.rights,
        created_at: now,
        expires_at: new.expires_at,
        revoked_at: None,
        accepted_by: Vec::new(),
    };
    insert_offer(&tx, &offer)?;
    tx.commit()?;
    Ok(offer)
}

/// What accepting an offer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub realm: RealmId,
    /// The accepting user's entry on the Realm now.
    pub rights: Rights,
    /// False when this user had accepted the same offer before (nothing new was
    /// granted beyond re-applying the offer's flags).
    pub first_time: bool,
}

/// Accepts an offer for `user`: the offer's true flags are set on the user's
/// entry, its false flags leave the entry as it is (the original's rule). An
/// offer can be accepted by many users until it expires or is revoked.
pub fn accept_offer(
    store: &AdminStore,
    user: &UserId,
    token: &OfferToken,
    now: SystemTime,
) -> Result<Accepted, SharingError> {
    let mut conn = store.conn();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let offer = load_offer(&tx, token)?.ok_or(SharingError::UnknownOffer)?;
    if offer.revoked_at.is_some() {
        return Err(SharingError::OfferRevoked);
    }
    if offer.expires_at.is_some_and(|t| t <= now) {
        return Err(SharingError::OfferExpired);
    }
    // An offer speaks for its creator: once they may no longer manage the Realm,
    // or while they are disabled, their offers grant nothing.
    if let Some(creator) = offer.creator {
        let subject = match load_user(&tx, &creator)? {
            Some(user) if user.disabled => return Err(SharingError::CreatorDisabled),
            Some(user) if user.is_admin => Subject::Admin,
            _ => Subject::User(creator),
        };
        if !rights_in(&tx, subject, &offer.realm)?.may_manage {
            return Err(SharingError::CreatorNoLongerManages(offer.realm));
        }
    }
    let flag = |given: bool| given.then_some(true);
    let flags = (
        flag(offer.rights.may_read),
        flag(offer.rights.may_write),
        flag(offer.rights.may_manage),
    );
    let entry = set_flags(&tx, &offer.realm, Grantee::User(*user), flags, now)?;
    let first_time = record_acceptance(&tx, token, user, now)?;
    tx.commit()?;
    Ok(Accepted {
        realm: offer.realm,
        rights: entry.rights,
        first_time,
    })
}

/// The offers `subject` made (every offer, for an admin).
pub fn list_offers(store: &AdminStore, subject: Subject) -> Result<Vec<Offer>, SharingError> {
    let conn = store.conn();
    Ok(match subject {
        Subject::Admin => stored_offers(&conn, None)?,
        Subject::User(id) => stored_offers(&conn, Some(Some(&id)))?,
    })
}

/// Revokes an offer: it can no longer be accepted; what it granted stays.
pub fn revoke_offer(
    store: &AdminStore,
    subject: Subject,
    token: &OfferToken,
    now: SystemTime,
) -> Result<Offer, SharingError> {
    let mut conn = store.conn();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let offer = load_offer(&tx, token)?.ok_or(SharingError::UnknownOffer)?;
    if let Subject::User(id) = subject {
        if offer.creator != Some(id) {
            return Err(SharingError::NotOfferCreator);
        }
    }
    mark_revoked(&tx, token, now)?;
    let revoked = load_offer(&tx, token)?.ok_or(SharingError::UnknownOffer)?;
    tx.commit()?;
    Ok(revoked)
}
