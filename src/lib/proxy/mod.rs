//! The proxy: the front listeners (HTTP, and HTTPS with rustls) that an operator
//! exposes. WebSocket upgrades on the sync routes go to the sync service, everything
//! else to the http service. Dispatch is in-process: the proxy's router is the sync
//! routes with the http routes as their fallback.

mod tls;

pub use tls::{tls_acceptor, TlsError};

use axum::Router;

/// The proxy's router: the sync routes (without the sync listener's 404) in front
/// of the http service.
pub fn router(sync_routes: Router, http: Router) -> Router {
    http.merge(sync_routes)
}
