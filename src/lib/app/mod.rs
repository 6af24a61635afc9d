//! The app client API that current Realm SDKs (realm-core 10 and later) call
//! before and around sync, under `/api/client/v2.0` (after `network.url_prefix`):
//! location, logins by provider, registration, profile, session refresh, logout
//! and user deletion (docs/app-api.md). Users, sessions and permissions are the
//! admin store's, shared with every other door of the server; tokens are RS256
//! JWTs the sync service accepts as `baas_at`.

mod accounts;
mod custom_token;
mod error;
mod location;
mod login;
mod session;

pub use accounts::{LoginTokens, PASSWORD_LENGTH};
pub use custom_token::{CustomTokenKeys, ExternalIdentity};
pub use error::{AppError, ErrorCode};
pub use location::{public_base, Scheme};

use std::net::IpAddr;
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::DefaultBodyLimit;
use axum::routing::{any, delete, get, post};
use axum::Router;

use crate::admin::sharing::{
    apply_change, GranteeName, PermissionChange, RealmTarget, SharingError,
};
use crate::admin::Subject;
use crate::auth::AuthService;
use crate::config::App;
use crate::keys::KeyError;
use crate::realm_id::{PartitionValue, RealmId};

/// The path every app route starts with, after the URL prefix.
pub const BASE_ROUTE: &str = "/api/client/v2.0";

/// One configured app, with its custom-token keys loaded.
#[derive(Debug)]
pub struct ServedApp {
    pub config: App,
    pub custom_token: Option<CustomTokenKeys>,
}

/// Everything the app routes read.
#[derive(Debug)]
pub struct AppApi {
    pub auth: Arc<AuthService>,
    pub apps: Vec<ServedApp>,
    pub url_prefix: Option<String>,
    pub trusted_proxies: Vec<IpAddr>,
    pub max_body_bytes: usize,
}

/// Why the app API cannot start.
#[derive(Debug, thiserror::Error)]
pub enum AppSetupError {
    #[error("app {app}: the custom-token key cannot be used: {source}")]
    Key {
        app: String,
        #[source]
        source: KeyError,
    },
    #[error("app {app}: cannot set the permissions of partition {value:?}: {source}")]
    Partition {
        app: String,
        value: String,
        #[source]
        source: Box<SharingError>,
    },
}

/// Sets each configured shared partition's default entry (docs/app-api.md
/// "Partitions"), registering the partition's Realm first; run at every start,
/// so the configuration wins over a change made since. Blocks (SQLite).
pub fn apply_partitions(
    auth: &AuthService,
    apps: &[App],
    now: SystemTime,
) -> Result<(), AppSetupError> {
    for app in apps {
        for shared in &app.partitions {
            let change = PermissionChange {
                realm: RealmTarget::One(RealmId::Partition(PartitionValue::String(
                    shared.value.clone(),
                ))),
                grantee: GranteeName::Default,
                may_read: Some(shared.read),
                may_write: Some(shared.write),
                may_manage: Some(false),
            };
            apply_change(auth.store(), Subject::Admin, &change, now).map_err(|source| {
                AppSetupError::Partition {
                    app: app.id.clone(),
                    value: shared.value.clone(),
                    source: Box::new(source),
                }
            })?;
        }
    }
    Ok(())
}

impl AppApi {
    pub fn new(
        auth: Arc<AuthService>,
        apps: &[App],
        url_prefix: Option<String>,
        trusted_proxies: Vec<IpAddr>,
        max_body_bytes: usize,
    ) -> Result<AppApi, AppSetupError> {
        let apps = apps
            .iter()
            .map(|app| {
                let custom_token = app
                    .custom_token
                    .as_ref()
                    .map(CustomTokenKeys::load)
                    .transpose()
                    .map_err(|source| AppSetupError::Key {
                        app: app.id.clone(),
                        source,
                    })?;
                Ok(ServedApp {
                    config: app.clone(),
                    custom_token,
                })
            })
            .collect::<Result<_, AppSetupError>>()?;
        Ok(AppApi {
            auth,
            apps,
            url_prefix,
            trusted_proxies,
            max_body_bytes,
        })
    }

    /// The app with `id`, or 404 for an id no app has.
    pub fn app(&self, id: &str) -> Result<&ServedApp, AppError> {
        self.apps.iter().find(|a| a.config.id == id).ok_or_else(|| {
            AppError::new(
                ErrorCode::AppNotFound,
                format!("cannot find app using Client App ID '{id}'"),
            )
        })
    }
}

/// The shared state of the app routes.
#[derive(Debug, Clone)]
pub struct AppState(Arc<AppApi>);

impl AppState {
    pub fn new(api: AppApi) -> AppState {
        AppState(Arc::new(api))
    }

    pub fn api(&self) -> &AppApi {
        &self.0
    }

    /// Runs `work` (SQLite, argon2) on a blocking thread.
    pub(crate) async fn blocking<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppApi) -> Result<T, AppError> + Send + 'static,
    {
        let state = self.0.clone();
        tokio::task::spawn_blocking(move || work(&state))
            .await
            .map_err(|e| AppError::internal(&e))?
    }
}

/// The app routes; the sync route of the same family is the sync service's.
pub fn routes(state: AppState) -> Router {
    let prefix = state.api().url_prefix.clone().unwrap_or_default();
    let base = format!("{prefix}{BASE_ROUTE}");
    let limit = state.api().max_body_bytes;
    Router::new()
        .route(
            &format!("{base}/app/{{app_id}}/location"),
            get(location::get_location),
        )
        .route(
            &format!("{base}/app/{{app_id}}/auth/providers/{{provider}}/{{*operation}}"),
            post(login::provider_operation),
        )
        .route(&format!("{base}/auth/profile"), get(session::profile))
        .route(
            &format!("{base}/auth/session"),
            post(session::refresh).delete(session::logout),
        )
        .route(&format!("{base}/auth/delete"), delete(session::delete_user))
        .route(&format!("{base}/{{*rest}}"), any(not_found))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn not_found() -> AppError {
    AppError::new(
        ErrorCode::NotFound,
        "no such app API route on this server (see docs/app-api.md)",
    )
}
