//! The app-independent user routes, found by the bearer token alone: profile
//! (access token), session refresh and logout (refresh token), user deletion
//! (access token).

use std::time::SystemTime;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::accounts;
use super::error::{json, AppError};
use super::{AppApi, AppState};
use crate::http::request_token;
use crate::token::TokenKind;

/// Runs `work` with the request's bearer token on a blocking thread.
async fn with_bearer<T, F>(state: AppState, headers: &HeaderMap, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&AppApi, Option<&str>, SystemTime) -> Result<T, AppError> + Send + 'static,
{
    let token = request_token(headers, None);
    state
        .blocking(move |api| work(api, token.as_deref(), SystemTime::now()))
        .await
}

pub(super) async fn profile(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    with_bearer(state, &headers, |api, token, now| {
        let (_, user) = accounts::bearer(&api.auth, token, TokenKind::Access, now)?;
        Ok(json(StatusCode::OK, &accounts::profile(&user)))
    })
    .await
}

pub(super) async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    with_bearer(state, &headers, |api, token, now| {
        let access = accounts::refresh(&api.auth, token, now)?;
        Ok(json(
            StatusCode::CREATED,
            &serde_json::json!({ "access_token": access }),
        ))
    })
    .await
}

pub(super) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    with_bearer(state, &headers, |api, token, now| {
        accounts::logout(&api.auth, token, now).map(|()| StatusCode::NO_CONTENT)
    })
    .await
}

pub(super) async fn delete_user(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    with_bearer(state, &headers, |api, token, now| {
        accounts::delete(&api.auth, token, now).map(|()| StatusCode::NO_CONTENT)
    })
    .await
}
