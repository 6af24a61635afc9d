//! The app API's error answer (docs/app-api.md "Errors"): `{"error", "error_code"}`
//! with `Content-Type: application/json` exactly, since SDKs only read the typed
//! `error_code` when the header has no parameters.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::admin::{AdminError, TokenRejected};

/// An error code SDKs map to a typed exception, with the status it travels with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidSession,
    InvalidPassword,
    AccountNameInUse,
    AuthProviderNotFound,
    UserDisabled,
    BadRequest,
    InvalidParameter,
    MissingParameter,
    AuthError,
    AppNotFound,
    NotFound,
    InternalServerError,
}

impl ErrorCode {
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidSession => "InvalidSession",
            ErrorCode::InvalidPassword => "InvalidPassword",
            ErrorCode::AccountNameInUse => "AccountNameInUse",
            ErrorCode::AuthProviderNotFound => "AuthProviderNotFound",
            ErrorCode::UserDisabled => "UserDisabled",
            ErrorCode::BadRequest => "BadRequest",
            // An unknown app id: baas answers it as a bad parameter.
            ErrorCode::InvalidParameter | ErrorCode::AppNotFound => "InvalidParameter",
            ErrorCode::MissingParameter => "MissingParameter",
            ErrorCode::AuthError => "AuthError",
            ErrorCode::NotFound => "NotFound",
            ErrorCode::InternalServerError => "InternalServerError",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidSession
            | ErrorCode::InvalidPassword
            | ErrorCode::UserDisabled
            | ErrorCode::AuthError => StatusCode::UNAUTHORIZED,
            ErrorCode::AccountNameInUse => StatusCode::CONFLICT,
            ErrorCode::AuthProviderNotFound | ErrorCode::AppNotFound | ErrorCode::NotFound => {
                StatusCode::NOT_FOUND
            }
            ErrorCode::BadRequest | ErrorCode::InvalidParameter | ErrorCode::MissingParameter => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A refused app API request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }

    pub fn internal(e: &dyn std::fmt::Display) -> AppError {
        tracing::error!(error = %e, "app API request failed");
        AppError::new(ErrorCode::InternalServerError, e.to_string())
    }

    /// A token that cannot be used: every refusal is 401 `InvalidSession` (the
    /// SDK refreshes, then logs in again), a disabled user `UserDisabled`.
    pub fn token(e: TokenRejected) -> AppError {
        match e {
            TokenRejected::UserDisabled(id) => {
                AppError::new(ErrorCode::UserDisabled, format!("user {id} is disabled"))
            }
            TokenRejected::Storage(e) => AppError::internal(&e),
            other => AppError::new(ErrorCode::InvalidSession, other.to_string()),
        }
    }
}

impl From<AdminError> for AppError {
    fn from(e: AdminError) -> AppError {
        match e {
            AdminError::InvalidCredentials => {
                AppError::new(ErrorCode::InvalidPassword, "invalid username/password")
            }
            AdminError::UserDisabled(id) => {
                AppError::new(ErrorCode::UserDisabled, format!("user {id} is disabled"))
            }
            AdminError::SessionRevoked(_) | AdminError::NotFound(_) => {
                AppError::new(ErrorCode::InvalidSession, e.to_string())
            }
            other => AppError::internal(&other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.message,
            "error_code": self.code.name(),
        });
        json(self.code.status(), &body)
    }
}

/// A JSON answer with the exact content type the SDKs compare against.
pub fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}
