//! The app-independent user routes, found by the bearer token alone: profile
//! (access token), session refresh and logout (refresh token), user deletion
//! (access token).

use std::time::SystemTime;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::accounts;
use super::error::{json, AppError};
use super::AppState;
use crate::http::request_token;
use crate::token::TokenKind;

fn token(headers: &HeaderMap) -> Option<String> {
    request_token(headers, None)
}

pub(super) async fn profile(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let token = token(&headers);
    state
        .blocking(move |api| {
            let (_, user) = accounts::bearer(
                &api.auth,
                token.as_deref(),
                TokenKind::Access,
                SystemTime::now(),
            )?;
            Ok(json(StatusCode::OK, &accounts::profile(&user)))
        })
        .await
}

pub(super) async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let token = token(&headers);
    state
        .blocking(move |api| {
            let access = accounts::refresh(&api.auth, token.as_deref(), SystemTime::now())?;
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
    let token = token(&headers);
    state
        .blocking(move |api| {
            accounts::logout(&api.auth, token.as_deref(), SystemTime::now())?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

pub(super) async fn delete_user(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let token = token(&headers);
    state
        .blocking(move |api| {
            accounts::delete(&api.auth, token.as_deref(), SystemTime::now())?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
