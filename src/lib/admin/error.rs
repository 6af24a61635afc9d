//! What can go wrong in the admin store, in terms an HTTP route or CLI command can
//! map to a status or exit code without reading messages.

use std::fmt;
use std::path::PathBuf;

use crate::token::{AdminTokenError, SessionId, SignError, UserId};

/// The thing that was looked for and is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    User(UserId),
    Account {
        provider: String,
        provider_id: String,
    },
    Session(SessionId),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::User(id) => write!(f, "user {id}"),
            Missing::Account {
                provider,
                provider_id,
            } => write!(f, "{provider} account {provider_id:?}"),
            Missing::Session(id) => write!(f, "session {id}"),
        }
    }
}

/// The name that is already in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    UserId(UserId),
    /// For the password provider, `provider_id` is the username.
    Account {
        provider: String,
        provider_id: String,
    },
}

impl fmt::Display for Taken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Taken::UserId(id) => write!(f, "user id {id}"),
            Taken::Account {
                provider,
                provider_id,
            } => write!(f, "{provider} account {provider_id:?}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0} does not exist")]
    NotFound(Missing),
    #[error("{0} is already taken")]
    Conflict(Taken),
    #[error("the username or the password is wrong")]
    InvalidCredentials,
    #[error("user {0} is disabled")]
    UserDisabled(UserId),
    #[error("session {0} has been revoked")]
    SessionRevoked(SessionId),
    #[error("user {0} has no password account, so it cannot have a password")]
    NoPasswordAccount(UserId),
    #[error("a provider name cannot be empty")]
    EmptyProvider,
    #[error("a username cannot be empty")]
    EmptyUsername,
    #[error(transparent)]
    InvalidUsername(#[from] super::usernames::UsernameError),
    #[error("the username {name:?} looks like the existing username {existing:?} (usernames that differ only in case or in character width are one name)")]
    LookAlike { name: String, existing: String },
    #[error("a password cannot be empty")]
    EmptyPassword,
    #[error("the default admin password is empty; set ROS_DEFAULT_PASSWORD to a non-empty password to have the realm-admin account created")]
    EmptyDefaultPassword,
    #[error("invalid password hashing parameters: {0}")]
    PasswordParams(String),
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("{}: the admin database has schema version {found}, this ros knows versions up to {known}; run the ros release that wrote it, or restore a backup made for this one", path.display())]
    NewerSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("{}: cannot open the admin database: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the admin database needs the WAL journal, SQLite kept {mode:?} (WAL does not work on network file systems)", path.display())]
    JournalMode { path: PathBuf, mode: String },
    #[error("admin database: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error(transparent)]
    AdminToken(#[from] AdminTokenError),
    #[error(transparent)]
    Sign(#[from] SignError),
}
