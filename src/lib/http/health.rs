//! `GET /health`: a liveness answer that also says which addresses every listener
//! really bound, so tests and operators using port 0 learn the ports without racing.
//! Shape documented in `docs/openapi.yaml`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::Json;

/// The address each listener bound; `None` for a disabled proxy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BoundAddresses {
    pub sync: SocketAddr,
    pub http: SocketAddr,
    pub proxy_http: Option<SocketAddr>,
    pub proxy_https: Option<SocketAddr>,
}

impl BoundAddresses {
    /// Every bound address with the configuration key of its listener.
    pub fn named(&self) -> Vec<(&'static str, SocketAddr)> {
        [
            ("network.sync", Some(self.sync)),
            ("network.http", Some(self.http)),
            ("proxy.http", self.proxy_http),
            ("proxy.https", self.proxy_https),
        ]
        .into_iter()
        .filter_map(|(name, a)| Some((name, a?)))
        .collect()
    }
}

/// The body of `GET /health`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Health {
    /// Always `"ok"` while the server answers.
    pub status: String,
    pub version: String,
    pub uptime_seconds: f64,
    pub addresses: BoundAddresses,
}

#[derive(Debug, Clone)]
pub struct HealthState {
    started: Instant,
    addresses: Arc<BoundAddresses>,
}

impl HealthState {
    pub fn new(addresses: BoundAddresses) -> HealthState {
        HealthState {
            started: Instant::now(),
            addresses: Arc::new(addresses),
        }
    }
}

pub(super) async fn get_health(State(state): State<HealthState>) -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        uptime_seconds: state.started.elapsed().as_secs_f64(),
        addresses: (*state.addresses).clone(),
    })
}
