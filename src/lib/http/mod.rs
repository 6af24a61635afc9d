//! The http service: health, the original's auth routes (`/auth...`) and the admin
//! API (`/api/admin/v1/...`: users, Realms, permissions, offers); the dashboard and metrics join later. Every body is
//! documented in `docs/openapi.yaml`, errors are the original's problem JSON.

mod account;
mod admin_api;
mod api;
mod health;
mod login;
mod problem;
mod realm_files;
mod sharing_api;

pub use admin_api::DEFAULT_PAGE_SIZE;
pub use api::{client_address, request_token, Api, ApiState, ClientAddr, JsonBody, RequestCaller};
pub use health::{BoundAddresses, Health, HealthState};
pub use problem::{InvalidParam, Problem, RealmProblem};

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::Router;

/// Everything the http routes read.
#[derive(Debug, Clone)]
pub struct HttpState {
    pub health: HealthState,
    pub api: ApiState,
}

/// The http service's routes.
pub fn router(state: HttpState) -> Router {
    let limit = state.api.api().max_body_bytes;
    let api = Router::new()
        .route("/auth", post(login::post_auth))
        .route("/auth/revoke", post(account::revoke))
        .route("/auth/users", put(account::put_user))
        .route(
            "/auth/users/{user_id}",
            get(account::get_user).delete(account::delete_user),
        )
        .route("/auth/user/{user_id}", delete(account::delete_user))
        .route(
            "/auth/users/{provider}/{provider_id}",
            get(account::get_user_by_account),
        )
        .route("/auth/{provider}", put(account::change_password))
        .route(
            "/api/admin/v1/users",
            get(admin_api::list_users).post(admin_api::create_user),
        )
        .route(
            "/api/admin/v1/users/{user}",
            get(admin_api::get_user)
                .patch(admin_api::update_user)
                .delete(admin_api::delete_user),
        )
        .route(
            "/api/admin/v1/users/{user}/password",
            put(admin_api::set_password),
        )
        .route("/api/admin/v1/realms", get(sharing_api::list_realms))
        .route(
            "/api/admin/v1/realms/{realm}",
            get(sharing_api::show_realm).delete(realm_files::delete_realm),
        )
        .route(
            "/realms/files/{realm}",
            delete(realm_files::delete_realm_file),
        )
        .route(
            "/api/admin/v1/permissions",
            get(sharing_api::list_permissions)
                .post(sharing_api::change_permission)
                .delete(sharing_api::revoke_permission),
        )
        .route(
            "/api/admin/v1/offers",
            get(sharing_api::list_offers).post(sharing_api::create_offer),
        )
        .route(
            "/api/admin/v1/offers/{token}",
            delete(sharing_api::revoke_offer),
        )
        .route(
            "/api/admin/v1/offers/{token}/accept",
            post(sharing_api::accept_offer),
        )
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state.api);
    Router::new()
        .route("/health", get(health::get_health))
        .with_state(state.health)
        .merge(api)
}
