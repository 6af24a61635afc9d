//! The admin API, `/api/admin/v1/...`: user management for `ros user` and the
//! dashboard. JSON in snake_case, errors as problem JSON, and every route needs
//! the admin token or an admin user's token. `{user}` is a user id, or else a
//! username of the password provider (an id wins when both match).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::SystemTime;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::api::{Api, ApiState, JsonBody, RequestCaller};
use super::problem::{Problem, RealmProblem};
use crate::admin::json::{RemovalJson, UserJson, UserPageJson};
use crate::admin::ops::{self, NewPasswordUser, UserChanges};
use crate::admin::{AdminError, Page, User};
use crate::auth::Caller;
use crate::token::UserId;

/// Page size when `limit` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

fn admin(caller: &Caller) -> Result<(), Problem> {
    caller.require_admin().map_err(Problem::from)
}

fn resolve(api: &Api, name: &str) -> Result<User, Problem> {
    ops::resolve_user(api.auth.store(), name).map_err(|e| match e {
        AdminError::NotFound(_) => Problem::realm(RealmProblem::UnknownUser)
            .detail(format!("No user has the id or username {name:?}.")),
        other => Problem::from(other),
    })
}

fn page(query: &HashMap<String, String>) -> Result<Page, Problem> {
    let limit = match query.get("limit") {
        None => DEFAULT_PAGE_SIZE,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=crate::admin::MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                Problem::invalid(
                    "limit",
                    format!(
                        "limit must be a whole number from 1 to {}",
                        crate::admin::MAX_PAGE_SIZE
                    ),
                )
            })?,
    };
    let after = match query.get("after") {
        None => None,
        Some(text) => Some(
            text.parse::<UserId>()
                .map_err(|e| Problem::invalid("after", e.to_string()))?,
        ),
    };
    Ok(Page {
        limit: NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN),
        after,
    })
}

pub(super) async fn list_users(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<UserPageJson>, Problem> {
    admin(&caller)?;
    let page = page(&query)?;
    state
        .blocking(move |api| Ok(UserPageJson::from(&api.auth.store().list_users(page)?)))
        .await
        .map(Json)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateUser {
    username: String,
    password: String,
    #[serde(default)]
    is_admin: bool,
}

pub(super) async fn create_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    JsonBody(body): JsonBody<CreateUser>,
) -> Result<(StatusCode, Json<UserJson>), Problem> {
    admin(&caller)?;
    let new = NewPasswordUser {
        username: body.username,
        password: body.password,
        is_admin: body.is_admin,
    };
    let user = state
        .blocking(move |api| Ok(ops::add_user(api.auth.store(), new, SystemTime::now())?))
        .await?;
    Ok((StatusCode::CREATED, Json(UserJson::from(&user))))
}

pub(super) async fn get_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(name): Path<String>,
) -> Result<Json<UserJson>, Problem> {
    admin(&caller)?;
    state
        .blocking(move |api| {
            let user = resolve(api, &name)?;
            let sessions = api.auth.store().open_sessions(&user.id)?;
            Ok(UserJson::from(&user).with_sessions(&sessions))
        })
        .await
        .map(Json)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateUser {
    is_admin: Option<bool>,
    disabled: Option<bool>,
}

pub(super) async fn update_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<UpdateUser>,
) -> Result<Json<UserJson>, Problem> {
    admin(&caller)?;
    let changes = UserChanges {
        is_admin: body.is_admin,
        disabled: body.disabled,
    };
    state
        .blocking(move |api| {
            let user = resolve(api, &name)?;
            Ok(UserJson::from(&ops::update_user(
                api.auth.store(),
                &user.id,
                changes,
            )?))
        })
        .await
        .map(Json)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetPassword {
    password: String,
    /// An admin's reset ends every session of the user unless this is true.
    #[serde(default)]
    keep_sessions: bool,
}

pub(super) async fn set_password(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<SetPassword>,
) -> Result<Json<UserJson>, Problem> {
    admin(&caller)?;
    state
        .blocking(move |api| {
            let user = resolve(api, &name)?;
            let changed = ops::change_password(
                api.auth.store(),
                &user.id,
                &body.password,
                if body.keep_sessions {
                    ops::EndSessions::None
                } else {
                    ops::EndSessions::All
                },
                SystemTime::now(),
            )?;
            Ok(UserJson::from(&changed))
        })
        .await
        .map(Json)
}

pub(super) async fn delete_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(name): Path<String>,
) -> Result<Json<RemovalJson>, Problem> {
    admin(&caller)?;
    state
        .blocking(move |api| {
            let user = resolve(api, &name)?;
            Ok(RemovalJson::from(&ops::remove_user(
                api.auth.store(),
                &user.id,
            )?))
        })
        .await
        .map(Json)
}
