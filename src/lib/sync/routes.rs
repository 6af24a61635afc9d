//! The sync routes (design.md): `/realm-sync` (with or without a query string),
//! `/realm-sync/<encoded path>` (the original's form) and the route current SDKs
//! use, `/api/client/v2.0/app/<app id>/realm-sync`, all after the optional
//! `network.url_prefix`.

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::handshake::negotiate;

/// What the sync routes need from the server.
#[derive(Debug, Clone, Default)]
pub struct SyncState {
    pub url_prefix: Option<String>,
}

/// The sync service as its own listener serves it: the sync routes, and the
/// reference server's 404 for anything else.
pub fn router(state: SyncState) -> Router {
    routes(state).fallback(not_found)
}

/// The sync routes alone, for the proxy to put in front of the http service.
pub fn routes(state: SyncState) -> Router {
    let prefix = state.url_prefix.unwrap_or_default();
    Router::new()
        .route(&format!("{prefix}/realm-sync"), get(upgrade))
        .route(&format!("{prefix}/realm-sync/{{*path}}"), get(upgrade))
        .route(
            &format!("{prefix}/api/client/v2.0/app/{{app_id}}/realm-sync"),
            get(upgrade),
        )
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

async fn upgrade(request: Request) -> Response {
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
    let negotiated = match negotiate(&protocols) {
        Ok(n) => n,
        Err(e) => return text(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    tracing::debug!(version = negotiated.version, "sync connection upgraded");
    let mut response = ws.on_upgrade(close_not_served);
    if let Ok(value) = HeaderValue::from_str(&negotiated.token) {
        response
            .headers_mut()
            .insert(header::SEC_WEBSOCKET_PROTOCOL, value);
    }
    response
}

/// Sessions are not served by this version yet: 1011 makes the client back off and
/// retry, it never triggers a client reset (sync-protocol.md §1.6).
async fn close_not_served(mut socket: WebSocket) {
    let frame = CloseFrame {
        code: 1011,
        reason: "sync sessions are not served by this ros version yet".into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}
