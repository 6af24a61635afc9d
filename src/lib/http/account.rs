//! The original's account routes (docs/original-server.md §2.3, §2.5): user lookups,
//! `PUT`/`DELETE /auth/users`, password changes and token revocation.

use std::collections::BTreeMap;
use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::api::{ApiState, JsonBody, RequestCaller};
use super::problem::Problem;
use crate::admin::json::UserJson;
use crate::auth::PutUser;

fn object(body: Value) -> Result<Map<String, Value>, Problem> {
    match body {
        Value::Object(map) => Ok(map),
        _ => Err(Problem::invalid("body", "The body must be a JSON object.")),
    }
}

fn string(body: &Map<String, Value>, name: &'static str) -> Result<Option<String>, Problem> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::invalid(
            name,
            format!("Invalid parameter '{name}'!"),
        )),
    }
}

pub(super) async fn get_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(id): Path<String>,
) -> Result<Json<UserJson>, Problem> {
    state
        .blocking(move |api| Ok(UserJson::from(&api.auth.user_for(&caller, &id)?)))
        .await
        .map(Json)
}

pub(super) async fn get_user_by_account(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path((provider, provider_id)): Path<(String, String)>,
) -> Result<Json<UserJson>, Problem> {
    state
        .blocking(move |api| {
            let user = api.auth.user_by_account(&caller, &provider, &provider_id)?;
            Ok(UserJson::from(&user))
        })
        .await
        .map(Json)
}

pub(super) async fn put_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<UserJson>, Problem> {
    let body = object(body)?;
    let is_admin = match body.get("is_admin") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(Problem::invalid(
                "is_admin",
                "Invalid parameter 'is_admin'!",
            ))
        }
    };
    let metadata = match body.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(
            map.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    _ => Err(Problem::invalid("metadata", "Metadata values are strings.")),
                })
                .collect::<Result<BTreeMap<_, _>, _>>()?,
        ),
        Some(_) => {
            return Err(Problem::invalid(
                "metadata",
                "Invalid parameter 'metadata'!",
            ))
        }
    };
    let put = PutUser {
        provider: string(&body, "provider")?.ok_or_else(|| Problem::missing("provider"))?,
        provider_id: string(&body, "provider_id")?
            .ok_or_else(|| Problem::missing("provider_id"))?,
        user_id: string(&body, "user_id")?,
        is_admin,
        metadata,
    };
    state
        .blocking(move |api| {
            let user = api.auth.put_user(&caller, put, SystemTime::now())?;
            Ok(UserJson::from(&user))
        })
        .await
        .map(Json)
}

pub(super) async fn delete_user(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    state
        .blocking(move |api| Ok(api.auth.delete_user(&caller, &id)?))
        .await?;
    Ok(Json(json!({})))
}

pub(super) async fn change_password(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(provider): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let body = object(body)?;
    let user_id = string(&body, "user_id")?;
    let new_password = match body.get("data") {
        Some(Value::Object(data)) => {
            string(data, "new_password")?.ok_or_else(|| Problem::missing("new_password"))?
        }
        None | Some(Value::Null) => return Err(Problem::missing("data")),
        Some(_) => return Err(Problem::invalid("data", "Invalid parameter 'data'!")),
    };
    state
        .blocking(move |api| {
            Ok(api.auth.change_password(
                &caller,
                &provider,
                user_id.as_deref(),
                &new_password,
                SystemTime::now(),
            )?)
        })
        .await?;
    Ok(Json(json!({})))
}

pub(super) async fn revoke(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, Problem> {
    let body = object(body)?;
    let token = string(&body, "token")?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Problem::missing("token"))?;
    state
        .blocking(move |api| Ok(api.auth.revoke(&caller, &token, SystemTime::now())?))
        .await?;
    Ok(Json(json!({})))
}
