//! The http service: health now; the auth routes, admin API, dashboard and metrics
//! join it in later issues.

mod health;

pub use health::{BoundAddresses, Health, HealthState};

use axum::routing::get;
use axum::Router;

/// Everything the http routes read.
#[derive(Debug, Clone)]
pub struct HttpState {
    pub health: HealthState,
}

/// The http service's routes.
pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/health", get(health::get_health))
        .with_state(state.health)
}
