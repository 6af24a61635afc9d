//! The original's error body (docs/original-server.md §2.2): `{type, title, status,
//! detail?, code?, invalid_params?}` with `Content-Type: application/json`.
//! Realm problems carry a `type` URL and a numeric `code` that SDKs key off;
//! throttling, body size and internal errors are plain problems without either.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::admin::sharing::SharingError;
use crate::admin::{AdminError, TokenRejected};
use crate::auth::AuthError;

const TYPE_BASE: &str = "https://realm.io/docs/object-server/problems/";

/// The original's problem kinds that this server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RealmProblem {
    InvalidParameters,
    MissingParameters,
    InvalidCredentials,
    UnknownAccount,
    ExistingAccount,
    AccessDenied,
    RealmNotFound,
    UnknownUser,
    ExpiredPermissionOffer,
}

impl RealmProblem {
    fn parts(self) -> (&'static str, u16, StatusCode, &'static str) {
        use RealmProblem::*;
        match self {
            InvalidParameters => (
                "invalid-parameters",
                601,
                StatusCode::BAD_REQUEST,
                "Your request parameters did not validate.",
            ),
            MissingParameters => (
                "missing-parameters",
                602,
                StatusCode::BAD_REQUEST,
                "Your request did not validate because of missing parameters.",
            ),
            InvalidCredentials => (
                "invalid-credentials",
                611,
                StatusCode::UNAUTHORIZED,
                "The provided credentials are invalid or the user does not exist.",
            ),
            UnknownAccount => (
                "unknown-account",
                612,
                StatusCode::NOT_FOUND,
                "The account does not exist.",
            ),
            ExistingAccount => (
                "existing-account",
                613,
                StatusCode::BAD_REQUEST,
                "The account cannot be registered as it exists already.",
            ),
            AccessDenied => (
                "access-denied",
                614,
                StatusCode::FORBIDDEN,
                "The path is invalid or current user has no access.",
            ),
            RealmNotFound => (
                "realm-not-found",
                617,
                StatusCode::NOT_FOUND,
                "The Realm could not be found",
            ),
            UnknownUser => (
                "unknown-user",
                618,
                StatusCode::NOT_FOUND,
                "The user does not exist.",
            ),
            ExpiredPermissionOffer => (
                "expired-permission-offer",
                701,
                StatusCode::FORBIDDEN,
                "The permission offer is expired.",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidParam {
    pub name: String,
    pub reason: String,
}

/// An error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    title: String,
    #[serde(serialize_with = "status_number")]
    status: StatusCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<u16>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invalid_params: Vec<InvalidParam>,
    #[serde(skip)]
    retry_after: Option<u64>,
}

fn status_number<S: serde::Serializer>(status: &StatusCode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u16(status.as_u16())
}

impl Problem {
    pub fn realm(kind: RealmProblem) -> Problem {
        let (slug, code, status, title) = kind.parts();
        Problem {
            kind: Some(format!("{TYPE_BASE}{slug}")),
            title: title.to_string(),
            status,
            detail: None,
            code: Some(code),
            invalid_params: Vec::new(),
            retry_after: None,
        }
    }

    /// A problem without a Realm type or code.
    pub fn plain(status: StatusCode, title: impl Into<String>) -> Problem {
        Problem {
            kind: None,
            title: title.into(),
            status,
            detail: None,
            code: None,
            invalid_params: Vec::new(),
            retry_after: None,
        }
    }

    pub fn internal() -> Problem {
        Problem::plain(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn title(mut self, title: impl Into<String>) -> Problem {
        self.title = title.into();
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Problem {
        self.retry_after = Some(seconds);
        self
    }

    pub fn missing(name: &str) -> Problem {
        let mut p = Problem::realm(RealmProblem::MissingParameters);
        p.invalid_params.push(InvalidParam {
            name: name.to_string(),
            reason: format!("Missing parameter '{name}'!"),
        });
        p
    }

    pub fn invalid(name: &str, reason: impl Into<String>) -> Problem {
        let mut p = Problem::realm(RealmProblem::InvalidParameters);
        p.invalid_params.push(InvalidParam {
            name: name.to_string(),
            reason: reason.into(),
        });
        p
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<AuthError> for Problem {
    fn from(e: AuthError) -> Problem {
        match e {
            AuthError::MissingParameter(name) => Problem::missing(name),
            AuthError::InvalidParameter { name, reason } => Problem::invalid(name, reason),
            AuthError::InvalidCredentials(detail) => {
                Problem::realm(RealmProblem::InvalidCredentials).detail(detail)
            }
            AuthError::Token(TokenRejected::Revoked) => {
                Problem::realm(RealmProblem::AccessDenied).title("The token has been revoked")
            }
            AuthError::Token(TokenRejected::Storage(e)) => internal(&e),
            AuthError::Token(other) => {
                Problem::realm(RealmProblem::InvalidCredentials).detail(other.to_string())
            }
            AuthError::AccessDenied(detail) => {
                Problem::realm(RealmProblem::AccessDenied).detail(detail)
            }
            AuthError::UnknownAccount => Problem::realm(RealmProblem::UnknownAccount),
            AuthError::UnknownUser(id) => {
                Problem::realm(RealmProblem::UnknownUser).detail(format!("user {id}"))
            }
            AuthError::ExistingAccount(what) => {
                Problem::realm(RealmProblem::ExistingAccount).detail(format!("{what} exists"))
            }
            AuthError::Store(e) => internal(&e),
            AuthError::Sign(e) => internal(&e),
        }
    }
}

impl From<AdminError> for Problem {
    fn from(e: AdminError) -> Problem {
        Problem::from(AuthError::from(e))
    }
}

impl From<SharingError> for Problem {
    fn from(e: SharingError) -> Problem {
        use SharingError::*;
        let detail = e.to_string();
        match e {
            InvalidRealm(_) | ManagementRealm(_) | NoOwnedRealms(_) => {
                Problem::invalid("realm", detail)
            }
            UnknownRealm(_) => Problem::realm(RealmProblem::RealmNotFound).detail(detail),
            NotManager(_) | NotOfferCreator | CreatorNoLongerManages(_) | CreatorDisabled => {
                Problem::realm(RealmProblem::AccessDenied).detail(detail)
            }
            UnknownUser(_) => Problem::realm(RealmProblem::UnknownUser).detail(detail),
            WriteOnly { .. } => Problem::invalid("may_write", detail),
            EmptyOffer => Problem::invalid("may_read", detail),
            ExpiryInPast | ExpiryTooFar => Problem::invalid("expires_in", detail),
            NoAcceptingUser | DefaultIsNoUser => Problem::invalid("user", detail),
            UnknownOffer => Problem::invalid("token", detail),
            OfferExpired => Problem::realm(RealmProblem::ExpiredPermissionOffer),
            OfferRevoked => Problem::realm(RealmProblem::ExpiredPermissionOffer)
                .title("The permission offer was revoked."),
            Store(e) => Problem::from(e),
        }
    }
}

/// Logs what went wrong inside and answers 500 without saying it.
pub fn internal(e: &dyn std::fmt::Display) -> Problem {
    tracing::error!(error = %e, "request failed");
    Problem::internal()
}
