//! `ros permission` and `ros realm`: the sharing operations online (the admin API
//! of a running server, as whoever the token speaks for) or offline (a stopped
//! server's data directory, as the operator, who may do everything).

use std::path::Path;
use std::time::{Duration, SystemTime};

use reqwest::Method;
use serde_json::{json, Map, Value};

use super::admin::{AdminClient, ClientError};
use super::users::UsersError;
use crate::admin::sharing::json::{
    AcceptedJson, ChangeJson, OfferJson, OfferListJson, PermissionListJson, RealmDetailsJson,
    RealmJson, RealmListJson, RevokedJson,
};
use crate::admin::sharing::{
    self, GranteeName, NewOffer, PermissionChange, RealmTarget, SharingError,
};
use crate::admin::{AdminError, AdminStore, EntryFilter, Grantee, OfferToken, Rights, Subject};
use crate::realm_id::RealmId;
use crate::root::RootLock;
use crate::sync::RealmDeleted;

#[derive(Debug, thiserror::Error)]
pub enum SharingClientError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Sharing(#[from] SharingError),
    #[error(transparent)]
    Open(#[from] UsersError),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Delete(#[from] crate::sync::DeleteRealmError),
}

impl From<AdminError> for SharingClientError {
    fn from(e: AdminError) -> SharingClientError {
        SharingClientError::Sharing(SharingError::Store(e))
    }
}

/// What a PermissionChange asks, as the command line gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequest {
    /// A Realm, or `*` for every Realm the requester owns.
    pub realm: String,
    /// A user id, username or `*`.
    pub user: String,
    pub may_read: Option<bool>,
    pub may_write: Option<bool>,
    pub may_manage: Option<bool>,
}

/// Where the sharing operations run.
pub enum Sharing {
    Online(AdminClient),
    Offline {
        store: AdminStore,
        root: std::path::PathBuf,
        _lock: RootLock,
    },
}

fn realm(text: &str) -> Result<RealmId, SharingClientError> {
    RealmId::parse(text, None).map_err(|e| SharingClientError::Sharing(e.into()))
}

fn token(text: &str) -> Result<OfferToken, SharingClientError> {
    text.parse()
        .map_err(|e: crate::admin::InvalidOfferToken| SharingClientError::Invalid(e.to_string()))
}

fn grantee(store: &AdminStore, name: &str) -> Result<Grantee, SharingClientError> {
    Ok(sharing::resolve_grantee(store, &GranteeName::parse(name))?)
}

fn query(pairs: &[(&str, Option<&str>)], mut url: reqwest::Url) -> reqwest::Url {
    for (key, value) in pairs {
        if let Some(value) = value {
            url.query_pairs_mut().append_pair(key, value);
        }
    }
    url
}

impl Sharing {
    /// A stopped server's data root; refused while a server holds its lock.
    pub fn offline(root: &Path) -> Result<Sharing, SharingClientError> {
        match super::Users::offline(root)? {
            super::Users::Offline { store, _lock } => Ok(Sharing::Offline {
                store,
                root: root.to_path_buf(),
                _lock,
            }),
            super::Users::Online(_) => Err(SharingClientError::Invalid("not offline".into())),
        }
    }

    pub fn list_realms(&self, owner: Option<&str>) -> Result<Vec<RealmJson>, SharingClientError> {
        match self {
            Sharing::Online(c) => {
                let url = query(&[("owner", owner)], c.api_url(&["realms"])?);
                let list: RealmListJson = c.send(c.request(Method::GET, url))?;
                Ok(list.realms)
            }
            Sharing::Offline { store, .. } => {
                let owner = owner
                    .map(|name| sharing::resolve_named_user(store, name))
                    .transpose()?;
                let realms = sharing::list_realms(store, Subject::Admin, owner.as_ref())?;
                Ok(realms.iter().map(RealmJson::from).collect())
            }
        }
    }

    pub fn show_realm(&self, name: &str) -> Result<RealmDetailsJson, SharingClientError> {
        let id = realm(name)?;
        match self {
            Sharing::Online(c) => {
                let url = c.api_url(&["realms", &id.to_string()])?;
                Ok(c.send(c.request(Method::GET, url))?)
            }
            Sharing::Offline { store, .. } => Ok(RealmDetailsJson::from(&sharing::show_realm(
                store,
                Subject::Admin,
                &id,
            )?)),
        }
    }

    /// Deletes a Realm: through the running server, which ends its sessions
    /// first, or straight from a stopped server's data root.
    pub fn delete_realm(&self, name: &str) -> Result<RealmDeleted, SharingClientError> {
        let id = realm(name)?;
        match self {
            Sharing::Online(c) => {
                let url = c.api_url(&["realms", &id.to_string()])?;
                Ok(c.send(c.request(Method::DELETE, url))?)
            }
            Sharing::Offline { store, root, .. } => {
                Ok(crate::sync::delete_stopped(root, store, &id)?)
            }
        }
    }

    pub fn list_permissions(
        &self,
        realm_name: Option<&str>,
        user: Option<&str>,
    ) -> Result<PermissionListJson, SharingClientError> {
        let id = realm_name.map(realm).transpose()?;
        match self {
            Sharing::Online(c) => {
                let text = id.as_ref().map(ToString::to_string);
                let pairs = [("realm", text.as_deref()), ("user", user)];
                let url = query(&pairs, c.api_url(&["permissions"])?);
                Ok(c.send(c.request(Method::GET, url))?)
            }
            Sharing::Offline { store, .. } => {
                let filter = EntryFilter {
                    realm: id,
                    grantee: user.map(|u| grantee(store, u)).transpose()?,
                };
                let entries = sharing::list_entries(store, Subject::Admin, &filter)?;
                Ok(PermissionListJson::of(&entries))
            }
        }
    }

    pub fn change(&self, request: &ChangeRequest) -> Result<ChangeJson, SharingClientError> {
        match self {
            Sharing::Online(c) => {
                let mut body = Map::new();
                body.insert("realm".into(), Value::from(request.realm.clone()));
                body.insert("user".into(), Value::from(request.user.clone()));
                for (key, flag) in [
                    ("may_read", request.may_read),
                    ("may_write", request.may_write),
                    ("may_manage", request.may_manage),
                ] {
                    if let Some(flag) = flag {
                        body.insert(key.into(), Value::Bool(flag));
                    }
                }
                let url = c.api_url(&["permissions"])?;
                Ok(c.send(c.request(Method::POST, url).json(&body))?)
            }
            Sharing::Offline { store, .. } => {
                let target = match request.realm.as_str() {
                    "*" => RealmTarget::Owned,
                    text => RealmTarget::One(realm(text)?),
                };
                let change = PermissionChange {
                    realm: target,
                    grantee: GranteeName::parse(&request.user),
                    may_read: request.may_read,
                    may_write: request.may_write,
                    may_manage: request.may_manage,
                };
                let applied =
                    sharing::apply_change(store, Subject::Admin, &change, SystemTime::now())?;
                Ok(ChangeJson::from(&applied))
            }
        }
    }

    pub fn revoke(&self, user: &str, realm_name: &str) -> Result<RevokedJson, SharingClientError> {
        let id = realm(realm_name)?;
        match self {
            Sharing::Online(c) => {
                let text = id.to_string();
                let pairs = [("realm", Some(text.as_str())), ("user", Some(user))];
                let url = query(&pairs, c.api_url(&["permissions"])?);
                Ok(c.send(c.request(Method::DELETE, url))?)
            }
            Sharing::Offline { store, .. } => {
                let revoked =
                    sharing::revoke_entry(store, Subject::Admin, &id, &GranteeName::parse(user))?;
                Ok(RevokedJson::from(&revoked))
            }
        }
    }

    pub fn create_offer(
        &self,
        realm_name: &str,
        rights: Rights,
        expires_in: Option<Duration>,
    ) -> Result<OfferJson, SharingClientError> {
        let id = realm(realm_name)?;
        match self {
            Sharing::Online(c) => {
                let mut body = json!({
                    "realm": id.to_string(),
                    "may_read": rights.may_read,
                    "may_write": rights.may_write,
                    "may_manage": rights.may_manage,
                });
                if let Some(d) = expires_in {
                    body["expires_in"] = Value::from(d.as_secs());
                }
                let url = c.api_url(&["offers"])?;
                Ok(c.send(c.request(Method::POST, url).json(&body))?)
            }
            Sharing::Offline { store, .. } => {
                let now = SystemTime::now();
                let new = NewOffer {
                    realm: id,
                    rights,
                    expires_at: expires_in
                        .map(|d| now.checked_add(d).ok_or(SharingError::ExpiryTooFar))
                        .transpose()?,
                };
                Ok(OfferJson::from(&sharing::create_offer(
                    store,
                    Subject::Admin,
                    &new,
                    now,
                )?))
            }
        }
    }

    pub fn list_offers(&self) -> Result<Vec<OfferJson>, SharingClientError> {
        match self {
            Sharing::Online(c) => {
                let list: OfferListJson =
                    c.send(c.request(Method::GET, c.api_url(&["offers"])?))?;
                Ok(list.offers)
            }
            Sharing::Offline { store, .. } => Ok(sharing::list_offers(store, Subject::Admin)?
                .iter()
                .map(OfferJson::from)
                .collect()),
        }
    }

    /// Accepts for `user`, or online without one for the token's own user.
    pub fn accept_offer(
        &self,
        offer: &str,
        user: Option<&str>,
    ) -> Result<AcceptedJson, SharingClientError> {
        let offer = token(offer)?;
        match self {
            Sharing::Online(c) => {
                let body = match user {
                    Some(user) => json!({ "user": user }),
                    None => json!({}),
                };
                let url = c.api_url(&["offers", &offer.to_string(), "accept"])?;
                Ok(c.send(c.request(Method::POST, url).json(&body))?)
            }
            Sharing::Offline { store, .. } => {
                let name = user.ok_or(SharingError::NoAcceptingUser)?;
                let id = sharing::resolve_named_user(store, name)?;
                let accepted = sharing::accept_offer(store, &id, &offer, SystemTime::now())?;
                Ok(AcceptedJson::from(&accepted))
            }
        }
    }

    pub fn revoke_offer(&self, offer: &str) -> Result<OfferJson, SharingClientError> {
        let offer = token(offer)?;
        match self {
            Sharing::Online(c) => {
                let url = c.api_url(&["offers", &offer.to_string()])?;
                Ok(c.send(c.request(Method::DELETE, url))?)
            }
            Sharing::Offline { store, .. } => Ok(OfferJson::from(&sharing::revoke_offer(
                store,
                Subject::Admin,
                &offer,
                SystemTime::now(),
            )?)),
        }
    }
}
