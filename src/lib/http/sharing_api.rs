//! The admin API's sharing routes: `/api/admin/v1/realms`, `/permissions` and
//! `/offers`. Unlike `/users`, these serve users too: each operation lets a user do
//! what they may do with the Realms they manage (`admin::sharing`), and admins
//! everything. A Realm in a URL path is one percent-encoded segment
//! (`/realms/%2Fabc%2Ftasks`), decoded once by the router and never again.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::api::{ApiState, JsonBody, RequestCaller};
use super::problem::{Problem, RealmProblem};
use crate::admin::sharing::json::{
    AcceptedJson, ChangeJson, OfferJson, OfferListJson, PermissionListJson, RealmDetailsJson,
    RealmJson, RealmListJson, RevokedJson,
};
use crate::admin::sharing::{self, GranteeName, NewOffer, PermissionChange, RealmTarget};
use crate::admin::{EntryFilter, Grantee, OfferToken, Rights, Subject};
use crate::auth::Caller;
use crate::realm_id::RealmId;
use crate::token::UserId;

/// Who the caller acts as: admins (and the admin token) as the server, users as
/// themselves; a token of no user of ours may not share anything.
fn subject(caller: &Caller) -> Result<Subject, Problem> {
    if caller.is_admin {
        return Ok(Subject::Admin);
    }
    caller.user_id().map(Subject::User).ok_or_else(|| {
        Problem::realm(RealmProblem::AccessDenied)
            .detail("This token names no user of this server.")
    })
}

/// A Realm named in a request; `~` is the caller's user id, as in `POST /auth`.
pub(super) fn realm_param(caller: &Caller, text: &str) -> Result<RealmId, Problem> {
    let identity = caller.user_id().map(|id| id.to_string());
    RealmId::parse(text, identity.as_deref()).map_err(|e| Problem::invalid("realm", e.to_string()))
}

fn grantee_param(api: &crate::http::Api, text: &str) -> Result<Grantee, Problem> {
    Ok(sharing::resolve_grantee(
        api.auth.store(),
        &GranteeName::parse(text),
    )?)
}

fn user_param(api: &crate::http::Api, text: &str) -> Result<UserId, Problem> {
    Ok(sharing::resolve_named_user(api.auth.store(), text)?)
}

fn token_param(text: &str) -> Result<OfferToken, Problem> {
    text.parse()
        .map_err(|e: crate::admin::InvalidOfferToken| Problem::invalid("token", e.to_string()))
}

pub(super) async fn list_realms(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<RealmListJson>, Problem> {
    let subject = subject(&caller)?;
    state
        .blocking(move |api| {
            let owner = query
                .get("owner")
                .map(|name| user_param(api, name))
                .transpose()?;
            let realms = sharing::list_realms(api.auth.store(), subject, owner.as_ref())?;
            Ok(RealmListJson {
                realms: realms.iter().map(RealmJson::from).collect(),
            })
        })
        .await
        .map(Json)
}

pub(super) async fn show_realm(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(realm): Path<String>,
) -> Result<Json<RealmDetailsJson>, Problem> {
    let subject = subject(&caller)?;
    let realm = realm_param(&caller, &realm)?;
    state
        .blocking(move |api| {
            let details = sharing::show_realm(api.auth.store(), subject, &realm)?;
            Ok(RealmDetailsJson::from(&details))
        })
        .await
        .map(Json)
}

pub(super) async fn list_permissions(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<PermissionListJson>, Problem> {
    let subject = subject(&caller)?;
    let realm = query
        .get("realm")
        .map(|r| realm_param(&caller, r))
        .transpose()?;
    state
        .blocking(move |api| {
            let grantee = query
                .get("user")
                .map(|u| grantee_param(api, u))
                .transpose()?;
            let filter = EntryFilter { realm, grantee };
            let entries = sharing::list_entries(api.auth.store(), subject, &filter)?;
            Ok(PermissionListJson::of(&entries))
        })
        .await
        .map(Json)
}

/// A PermissionChange: `realm` a Realm or `*` (every Realm the caller owns),
/// `user` a user id, username or `*` (the default entry); absent flags unchanged.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChangeBody {
    realm: String,
    user: String,
    may_read: Option<bool>,
    may_write: Option<bool>,
    may_manage: Option<bool>,
}

pub(super) async fn change_permission(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    JsonBody(body): JsonBody<ChangeBody>,
) -> Result<Json<ChangeJson>, Problem> {
    let subject = subject(&caller)?;
    let realm = match body.realm.as_str() {
        "*" => RealmTarget::Owned,
        text => RealmTarget::One(realm_param(&caller, text)?),
    };
    let change = PermissionChange {
        realm,
        grantee: GranteeName::parse(&body.user),
        may_read: body.may_read,
        may_write: body.may_write,
        may_manage: body.may_manage,
    };
    state
        .blocking(move |api| {
            let applied =
                sharing::apply_change(api.auth.store(), subject, &change, SystemTime::now())?;
            Ok(ChangeJson::from(&applied))
        })
        .await
        .map(Json)
}

pub(super) async fn revoke_permission(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<RevokedJson>, Problem> {
    let subject = subject(&caller)?;
    let realm_text = query
        .get("realm")
        .ok_or_else(|| Problem::missing("realm"))?;
    let realm = realm_param(&caller, realm_text)?;
    let user = query
        .get("user")
        .ok_or_else(|| Problem::missing("user"))?
        .clone();
    state
        .blocking(move |api| {
            let grantee = GranteeName::parse(&user);
            let revoked = sharing::revoke_entry(api.auth.store(), subject, &realm, &grantee)?;
            Ok(RevokedJson::from(&revoked))
        })
        .await
        .map(Json)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OfferBody {
    realm: String,
    #[serde(default)]
    may_read: bool,
    #[serde(default)]
    may_write: bool,
    #[serde(default)]
    may_manage: bool,
    /// Seconds from now; absent: the offer does not expire.
    expires_in: Option<u64>,
}

pub(super) async fn create_offer(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    JsonBody(body): JsonBody<OfferBody>,
) -> Result<(StatusCode, Json<OfferJson>), Problem> {
    let subject = subject(&caller)?;
    let now = SystemTime::now();
    let expires_at = match body.expires_in {
        None => None,
        Some(seconds) => Some(
            now.checked_add(Duration::from_secs(seconds))
                .ok_or(sharing::SharingError::ExpiryTooFar)?,
        ),
    };
    let new = NewOffer {
        realm: realm_param(&caller, &body.realm)?,
        rights: Rights::new(body.may_read, body.may_write, body.may_manage),
        expires_at,
    };
    let offer = state
        .blocking(move |api| Ok(sharing::create_offer(api.auth.store(), subject, &new, now)?))
        .await?;
    Ok((StatusCode::CREATED, Json(OfferJson::from(&offer))))
}

pub(super) async fn list_offers(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
) -> Result<Json<OfferListJson>, Problem> {
    let subject = subject(&caller)?;
    state
        .blocking(move |api| {
            let offers = sharing::list_offers(api.auth.store(), subject)?;
            Ok(OfferListJson {
                offers: offers.iter().map(OfferJson::from).collect(),
            })
        })
        .await
        .map(Json)
}

/// Who accepts: the caller, or for an admin the `user` named in the body (`{}`
/// for the caller).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AcceptBody {
    user: Option<String>,
}

pub(super) async fn accept_offer(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(token): Path<String>,
    JsonBody(body): JsonBody<AcceptBody>,
) -> Result<Json<AcceptedJson>, Problem> {
    let token = token_param(&token)?;
    let named = body.user;
    state
        .blocking(move |api| {
            let user = match (named, caller.user_id()) {
                (Some(name), _) if caller.is_admin => user_param(api, &name)?,
                (Some(_), _) => {
                    return Err(Problem::realm(RealmProblem::AccessDenied)
                        .detail("Only an admin may accept an offer for another user."))
                }
                (None, Some(id)) => id,
                (None, None) => return Err(sharing::SharingError::NoAcceptingUser.into()),
            };
            let accepted =
                sharing::accept_offer(api.auth.store(), &user, &token, SystemTime::now())?;
            Ok(AcceptedJson::from(&accepted))
        })
        .await
        .map(Json)
}

pub(super) async fn revoke_offer(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(token): Path<String>,
) -> Result<Json<OfferJson>, Problem> {
    let subject = subject(&caller)?;
    let token = token_param(&token)?;
    state
        .blocking(move |api| {
            let offer =
                sharing::revoke_offer(api.auth.store(), subject, &token, SystemTime::now())?;
            Ok(OfferJson::from(&offer))
        })
        .await
        .map(Json)
}
