//! `POST …/app/<id>/auth/providers/<provider>/<operation>`: logins of every
//! enabled provider, and the `local-userpass` account operations. Confirmation
//! and reset by e-mail are not offered: accounts are confirmed at registration,
//! and an administrator resets a password with `ros user passwd`.

use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};

use super::accounts::{self, LoginTokens};
use super::error::{json, AppError, ErrorCode};
use super::{AppApi, AppState, ServedApp};
use crate::config::apps::{ANON_PROVIDER, CUSTOM_TOKEN_PROVIDER, USERPASS_PROVIDER};

/// The body as a JSON object; an empty body is an empty object (SDKs send the
/// JSON content type on bodiless requests too).
fn body_object(body: &[u8]) -> Result<Map<String, Value>, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AppError::new(
            ErrorCode::BadRequest,
            "the body must be a JSON object",
        )),
        Err(e) => Err(AppError::new(
            ErrorCode::BadRequest,
            format!("the body is not JSON: {e}"),
        )),
    }
}

fn string<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, AppError> {
    match body.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(AppError::new(
            ErrorCode::InvalidParameter,
            format!("`{name}` must be a string"),
        )),
        None => Err(AppError::new(
            ErrorCode::MissingParameter,
            format!("`{name}` is missing"),
        )),
    }
}

fn provider_not_found(provider: &str, app: &str) -> AppError {
    AppError::new(
        ErrorCode::AuthProviderNotFound,
        format!("authentication provider {provider:?} is not enabled for app {app}"),
    )
}

fn login(
    api: &AppApi,
    app: &ServedApp,
    provider: &str,
    body: &Map<String, Value>,
) -> Result<LoginTokens, AppError> {
    let auth = &*api.auth;
    let now = SystemTime::now();
    let config = &app.config;
    let user = match provider {
        ANON_PROVIDER if config.anonymous => accounts::anonymous_user(auth, now)?,
        USERPASS_PROVIDER if config.userpass.is_some() => {
            accounts::password_user(auth, string(body, "username")?, string(body, "password")?)?
        }
        CUSTOM_TOKEN_PROVIDER => {
            let keys = app
                .custom_token
                .as_ref()
                .ok_or_else(|| provider_not_found(provider, &config.id))?;
            let identity = keys.verify(string(body, "token")?, now)?;
            accounts::external_user(auth, provider, &identity.id, &identity.data, now)?
        }
        _ => return Err(provider_not_found(provider, &config.id)),
    };
    accounts::open_session(auth, &config.id, &user, now)
}

pub(super) async fn provider_operation(
    State(state): State<AppState>,
    Path((app_id, provider, operation)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    _headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let linking = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "link=true"));
    let body = body_object(&body)?;
    state
        .blocking(move |api| {
            let app = api.app(&app_id)?;
            let userpass = app.config.userpass.filter(|_| provider == USERPASS_PROVIDER);
            match operation.as_str() {
                "login" if linking => Err(AppError::new(
                    ErrorCode::BadRequest,
                    "linking identities is not supported by this server",
                )),
                "login" => {
                    if let Some(device) = body.get("options").and_then(|o| o.get("device")) {
                        tracing::debug!(%device, provider, app = app_id, "app login");
                    }
                    let tokens = login(api, app, &provider, &body)?;
                    Ok(json(
                        StatusCode::OK,
                        &serde_json::json!({
                            "access_token": tokens.access,
                            "refresh_token": tokens.refresh,
                            "user_id": tokens.user.to_string(),
                            "device_id": tokens.session.to_string(),
                        }),
                    ))
                }
                _ if userpass.is_none() => Err(provider_not_found(&provider, &app_id)),
                "register" if userpass.is_some_and(|u| u.registration) => {
                    let email = string(&body, "email")?;
                    let password = string(&body, "password")?;
                    accounts::register(&api.auth, email, password, SystemTime::now())?;
                    Ok(json(StatusCode::CREATED, &serde_json::json!({})))
                }
                "register" => Err(AppError::new(
                    ErrorCode::BadRequest,
                    format!("app {app_id} does not let users register; an administrator adds them with `ros user add`"),
                )),
                "confirm" | "confirm/send" | "confirm/call" => Err(AppError::new(
                    ErrorCode::BadRequest,
                    "accounts are confirmed when they register; there is nothing to confirm",
                )),
                "reset" | "reset/send" | "reset/call" => Err(AppError::new(
                    ErrorCode::BadRequest,
                    "this server sends no e-mail: an administrator resets the password with `ros user passwd`",
                )),
                other => Err(AppError::new(
                    ErrorCode::NotFound,
                    format!("no operation {other:?} for provider {provider}"),
                )),
            }
        })
        .await
}
