//! Deleting a Realm over HTTP, for admins: `DELETE /api/admin/v1/realms/{realm}`
//! answers with what was removed, and the original server's
//! `DELETE /realms/files/{realm}` with `{}` as it did. The work is the sync
//! service's (`SyncService::delete_realm`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::api::{ApiState, RequestCaller};
use super::problem::{Problem, RealmProblem};
use crate::auth::Caller;
use crate::sync::{DeleteRealmError, DeleteRefused, RealmDeleted};

impl From<DeleteRealmError> for Problem {
    fn from(e: DeleteRealmError) -> Problem {
        let detail = e.to_string();
        match e {
            DeleteRealmError::Protected(_) => Problem::realm(RealmProblem::AccessDenied)
                .title("This Realm is protected from removal")
                .detail(detail),
            DeleteRealmError::NotFound(_) => {
                Problem::realm(RealmProblem::RealmNotFound).detail(detail)
            }
            DeleteRealmError::Refused {
                source: DeleteRefused::ShuttingDown,
                ..
            } => Problem::plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "The server is shutting down",
            )
            .detail(detail)
            .retry_after(5),
            DeleteRealmError::Refused {
                source: DeleteRefused::InProgress,
                ..
            } => Problem::plain(StatusCode::CONFLICT, "The Realm is already being deleted")
                .detail(detail),
            DeleteRealmError::Refused { .. }
            | DeleteRealmError::Record { .. }
            | DeleteRealmError::Interrupted(_) => {
                tracing::error!(error = %detail, "deleting a Realm failed");
                Problem::internal().detail(detail)
            }
        }
    }
}

async fn delete(state: &ApiState, caller: &Caller, realm: &str) -> Result<RealmDeleted, Problem> {
    caller.require_admin().map_err(Problem::from)?;
    let id = super::sharing_api::realm_param(caller, realm)?;
    let deleted = state.api().sync.delete_realm(id).await?;
    tracing::info!(realm = %deleted.realm, store = deleted.store, record = deleted.record, "Realm deleted");
    Ok(deleted)
}

pub(super) async fn delete_realm(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(realm): Path<String>,
) -> Result<Json<RealmDeleted>, Problem> {
    delete(&state, &caller, &realm).await.map(Json)
}

pub(super) async fn delete_realm_file(
    State(state): State<ApiState>,
    RequestCaller(caller): RequestCaller,
    Path(realm): Path<String>,
) -> Result<Json<serde_json::Value>, Problem> {
    delete(&state, &caller, &realm)
        .await
        .map(|_| Json(serde_json::json!({})))
}
