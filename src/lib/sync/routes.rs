//! The sync routes (docs/architecture.md): `/realm-sync` (with or without a query string),
//! `/realm-sync/<encoded path>` (the original's form) and the route current SDKs
//! use, `/api/client/v2.0/app/<app id>/realm-sync`, all after the optional
//! `network.url_prefix`.
//!
//! The upgrade is where a connection is admitted: the protocol version is
//! negotiated, the token checked (`docs/protocol.md` §2.2, §2.4: `baas_at`
//! taken raw, then the authorization header), and the connection counted.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::connection;
use super::handshake::{negotiate_within, Negotiated};
use super::service::SyncService;
use crate::admin::TokenRejected;
use crate::auth::{AuthError, Caller};
use crate::protocol::ProtocolVersion;

/// What the sync routes need from the server.
#[derive(Debug, Clone)]
pub struct SyncState {
    pub service: Arc<SyncService>,
}

/// The sync service as its own listener serves it: the sync routes, and the
/// reference server's 404 for anything else.
pub fn router(state: SyncState) -> Router {
    routes(state).fallback(not_found)
}

/// The sync routes alone, for the proxy to put in front of the http service.
pub fn routes(state: SyncState) -> Router {
    let prefix = state.service.url_prefix.clone().unwrap_or_default();
    Router::new()
        .route(&format!("{prefix}/realm-sync"), get(upgrade))
        .route(&format!("{prefix}/realm-sync/{{*path}}"), get(upgrade))
        .route(
            &format!("{prefix}/api/client/v2.0/app/{{app_id}}/realm-sync"),
            get(upgrade),
        )
        .with_state(state)
}

async fn not_found() -> Response {
    text(
        StatusCode::NOT_FOUND,
        "Realm sync server\n\nPage not found\n",
    )
}

fn text(status: StatusCode, body: &str) -> Response {
    (status, [(header::CONNECTION, "close")], body.to_string()).into_response()
}

/// The token of an upgrade request: `baas_at` exactly as sent (realm-core does
/// not percent-encode it, and a legacy token's `+` is not a space), else the
/// configured `network.authorization_header_name`, else `Authorization` (the
/// configured header is an extra one, as for the http routes), each as
/// `Bearer <token>` (scheme in any case) or bare.
fn token_of(
    query: Option<&str>,
    headers: &HeaderMap,
    header_name: Option<&header::HeaderName>,
) -> Option<String> {
    if let Some(query) = query {
        for pair in query.split('&') {
            if let Some(token) = pair.strip_prefix("baas_at=") {
                if !token.is_empty() {
                    return Some(token.to_string());
                }
            }
        }
    }
    header_name
        .into_iter()
        .chain([&header::AUTHORIZATION])
        .find_map(|name| {
            let value = headers.get(name)?.to_str().ok()?.trim();
            let token = match value.split_once(' ') {
                Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
                _ => value,
            };
            (!token.is_empty()).then(|| token.to_string())
        })
}

/// A refused token: the WebSocket close code and the HTTP status with the same
/// meaning (§2.4), and why.
fn refusal(error: &AuthError) -> (u16, StatusCode, String) {
    match error {
        AuthError::Token(TokenRejected::UserDisabled(_) | TokenRejected::Revoked) => {
            (4002, StatusCode::FORBIDDEN, error.to_string())
        }
        AuthError::Store(_) => (1011, StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
        _ => (4001, StatusCode::UNAUTHORIZED, error.to_string()),
    }
}

async fn upgrade(State(state): State<SyncState>, request: Request) -> Response {
    let service = state.service;
    let (mut parts, _body) = request.into_parts();
    let protocols = parts
        .headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let ws = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(ws) => ws,
        Err(rejection) => {
            return text(
                StatusCode::BAD_REQUEST,
                &format!(
                    "This is a Realm sync route: it takes WebSocket upgrades only ({rejection})\n"
                ),
            )
        }
    };
    let settings = &service.settings;
    let negotiated = match negotiate_within(
        &protocols,
        settings.min_protocol_version..=settings.max_protocol_version,
    ) {
        Ok(n) => n,
        Err(e) => return text(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let Some(version) = ProtocolVersion::new(negotiated.version) else {
        return text(StatusCode::BAD_REQUEST, "unsupported protocol version\n");
    };
    let Some(slot) = service.admit() else {
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "The server does not accept sync connections now (connection limit reached or \
             shutting down); try again later.\n",
        );
    };
    let token = token_of(
        parts.uri.query(),
        &parts.headers,
        service.header_name.as_ref(),
    );
    let caller: Result<Option<Caller>, AuthError> = match token {
        Some(token) => {
            let auth = Arc::clone(&service.auth);
            tokio::task::spawn_blocking(move || auth.accept(&token, SystemTime::now()))
                .await
                .unwrap_or_else(|e| {
                    Err(AuthError::InvalidCredentials(format!(
                        "token check failed: {e}"
                    )))
                })
                .map(Some)
        }
        // Clients up to protocol 3 may carry the token in BIND instead.
        None if version.get() <= 3 => Ok(None),
        None => Err(AuthError::InvalidCredentials(
            "no access token: send it as the baas_at query parameter or in the authorization \
             header"
                .into(),
        )),
    };
    let ws = ws
        .max_message_size(usize::try_from(settings.max_message_size).unwrap_or(usize::MAX))
        .max_frame_size(usize::try_from(settings.max_message_size).unwrap_or(usize::MAX))
        .read_buffer_size(4096)
        .write_buffer_size(0);
    match caller {
        Ok(caller) => {
            tracing::debug!(version = negotiated.version, "sync connection upgraded");
            let response = ws
                .on_upgrade(move |socket| connection::run(service, slot, socket, version, caller));
            with_protocol(response, &negotiated)
        }
        Err(error) => {
            let (code, status, reason) = refusal(&error);
            tracing::info!(%status, reason, "sync connection refused at the upgrade");
            if version.get() >= 8 {
                let response = ws.on_upgrade(move |socket| close_with(socket, code, reason));
                with_protocol(response, &negotiated)
            } else {
                text(status, &format!("{reason}\n"))
            }
        }
    }
}

fn with_protocol(mut response: Response, negotiated: &Negotiated) -> Response {
    if let Ok(value) = HeaderValue::from_str(&negotiated.token) {
        response
            .headers_mut()
            .insert(header::SEC_WEBSOCKET_PROTOCOL, value);
    }
    response
}

/// Protocol 8 and later learn about HTTP-level problems from a close code sent
/// right after the upgrade (§2.4).
async fn close_with(mut socket: WebSocket, code: u16, reason: String) {
    // Close reasons are limited to 123 bytes by RFC 6455.
    let mut reason = reason;
    while reason.len() > 123 {
        reason.pop();
    }
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baas_at_is_taken_raw_and_wins_over_the_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer from-header"),
        );
        assert_eq!(
            token_of(Some("x=1&baas_at=a+b/c=:d"), &headers, None).as_deref(),
            Some("a+b/c=:d")
        );
        assert_eq!(
            token_of(None, &headers, None).as_deref(),
            Some("from-header")
        );
        // The configured header is an extra one: `Authorization` still counts,
        // and the configured header wins when both are there.
        let custom = header::HeaderName::from_static("x-realm-token");
        assert_eq!(
            token_of(None, &headers, Some(&custom)).as_deref(),
            Some("from-header")
        );
        headers.insert(custom.clone(), HeaderValue::from_static("tok"));
        assert_eq!(
            token_of(None, &headers, Some(&custom)).as_deref(),
            Some("tok")
        );
        headers.insert(custom.clone(), HeaderValue::from_static("bearer low"));
        assert_eq!(
            token_of(None, &headers, Some(&custom)).as_deref(),
            Some("low")
        );
        assert_eq!(token_of(Some("baas_at="), &HeaderMap::new(), None), None);
    }
}
