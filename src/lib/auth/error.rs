//! Why an authentication operation refused, in the original's terms: each variant
//! maps to one of its problem codes (docs/original-server.md §2.2) at the HTTP edge.

use crate::admin::{AdminError, TokenRejected};
use crate::token::SignError;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// 602 missing-parameters.
    #[error("missing parameter `{0}`")]
    MissingParameter(&'static str),
    /// 601 invalid-parameters.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter { name: &'static str, reason: String },
    /// 611 invalid-credentials (401).
    #[error("{0}")]
    InvalidCredentials(String),
    /// The token of the request was refused: 401, or 403 when revoked.
    #[error("{0}")]
    Token(TokenRejected),
    /// 614 access-denied (403).
    #[error("{0}")]
    AccessDenied(String),
    /// 612 unknown-account (404).
    #[error("the account does not exist")]
    UnknownAccount,
    /// 618 unknown-user (404).
    #[error("user {0} does not exist")]
    UnknownUser(String),
    /// 613 existing-account (400).
    #[error("{0} exists already")]
    ExistingAccount(String),
    #[error(transparent)]
    Store(AdminError),
    #[error("cannot sign the token: {0}")]
    Sign(#[from] SignError),
}

impl From<AdminError> for AuthError {
    fn from(e: AdminError) -> AuthError {
        use crate::admin::{Missing, Taken};
        match e {
            AdminError::NotFound(Missing::User(id)) => AuthError::UnknownUser(id.to_string()),
            AdminError::NotFound(Missing::Account { .. }) => AuthError::UnknownAccount,
            AdminError::Conflict(taken @ Taken::Account { .. }) => {
                AuthError::ExistingAccount(taken.to_string())
            }
            AdminError::Conflict(taken @ Taken::UserId(_)) => AuthError::InvalidParameter {
                name: "user_id",
                reason: format!("{taken} is already taken"),
            },
            AdminError::EmptyUsername => AuthError::InvalidParameter {
                name: "username",
                reason: "The username must not be empty".into(),
            },
            e @ (AdminError::InvalidUsername(_) | AdminError::LookAlike { .. }) => {
                AuthError::InvalidParameter {
                    name: "username",
                    reason: e.to_string(),
                }
            }
            AdminError::EmptyPassword => AuthError::InvalidParameter {
                name: "password",
                reason: "The password must not be empty".into(),
            },
            AdminError::NoPasswordAccount(id) => AuthError::InvalidParameter {
                name: "user_id",
                reason: format!("user {id} has no password account"),
            },
            AdminError::InvalidCredentials => {
                AuthError::InvalidCredentials("The username or the password is wrong.".into())
            }
            AdminError::UserDisabled(_) => {
                AuthError::InvalidCredentials("The user is disabled.".into())
            }
            other => AuthError::Store(other),
        }
    }
}
