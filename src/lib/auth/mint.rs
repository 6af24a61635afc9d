//! `ros token create` and `ros token inspect`: tokens an operator mints with the
//! server's key (for scripts, tests and services), and what a token says.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::setup::{load_signer, SetupError};
use crate::admin::{AdminError, AdminStore};
use crate::config::Config;
use crate::token::{
    inspect_unverified, Access, Claims, Identity, SignError, TokenForm, TokenVerifier,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The configured lifetime of the kind (`auth.access_token_ttl` or
    /// `auth.refresh_token_ttl`).
    Default,
    After(Duration),
    Never,
}

#[derive(Debug, Clone)]
pub struct MintRequest {
    pub identity: String,
    pub path: Option<String>,
    pub access: Access,
    /// A refresh token: it opens a session for the user, who must exist.
    pub refresh: bool,
    pub admin: bool,
    pub expires: Expiry,
    pub jwt: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum MintError {
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Store(#[from] AdminError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("the identity cannot be empty")]
    EmptyIdentity,
    #[error("a refresh token belongs to a login of an existing user: {0:?} is not a user id of this server")]
    NotAUser(String),
    #[error("a refresh token carries no path and no access rights")]
    RefreshWithPath,
}

/// A minted token and its claims.
#[derive(Debug, Clone)]
pub struct Minted {
    pub token: String,
    pub claims: Claims,
}

/// Signs a token with the configuration's private key.
pub fn mint(config: &Config, request: &MintRequest, now: SystemTime) -> Result<Minted, MintError> {
    let signer = load_signer(config)?;
    let identity = Identity::parse(&request.identity).ok_or(MintError::EmptyIdentity)?;
    let ttl = |default: Duration| match request.expires {
        Expiry::Default => default,
        Expiry::After(d) => d,
        Expiry::Never => default,
    };
    let mut claims = if request.refresh {
        if request.path.is_some() {
            return Err(MintError::RefreshWithPath);
        }
        let user = identity
            .user()
            .ok_or_else(|| MintError::NotAUser(request.identity.clone()))?;
        let store = AdminStore::open_in_root(&config.storage.root_path)?;
        let session = store.create_session(&user, now)?;
        let is_admin = request.admin || store.find_user(&user)?.is_some_and(|u| u.is_admin);
        Claims::refresh(
            user,
            session.id,
            is_admin,
            now,
            ttl(config.auth.refresh_token_ttl),
        )
    } else {
        Claims::access(
            identity,
            request.path.clone(),
            request.access,
            now,
            ttl(config.auth.access_token_ttl),
        )
        .with_admin_flag(request.admin)
    };
    if request.expires == Expiry::Never {
        claims = claims.without_expiry();
    }
    let form = if request.jwt {
        TokenForm::Jwt
    } else {
        TokenForm::Legacy
    };
    let token = signer.sign(&claims, form)?;
    Ok(Minted { token, claims })
}

/// A token's claims as `ros token inspect` shows them (documented in
/// `docs/cli-json.md`). Times are unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimsJson {
    pub kind: String,
    pub identity: String,
    pub access: Vec<&'static str>,
    pub is_admin: bool,
    pub path: Option<String>,
    pub app_id: Option<String>,
    pub sync_label: Option<String>,
    pub salt: Option<String>,
    pub session: Option<String>,
    pub issued_at: Option<i64>,
    pub not_before: Option<i64>,
    pub expires: Option<i64>,
}

fn seconds(t: Option<SystemTime>) -> Option<i64> {
    t.map(|t| match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    })
}

impl From<&Claims> for ClaimsJson {
    fn from(c: &Claims) -> ClaimsJson {
        ClaimsJson {
            kind: c.kind().to_string(),
            identity: c.identity().to_string(),
            access: c.access_rights().iter().map(|r| r.as_str()).collect(),
            is_admin: c.is_admin(),
            path: c.path().map(str::to_string),
            app_id: c.app_id().map(str::to_string),
            sync_label: c.sync_label().map(str::to_string),
            salt: c.salt().map(|s| s.as_str().to_string()),
            session: c.session().map(|s| s.to_string()),
            issued_at: seconds(c.issued_at()),
            not_before: seconds(c.not_before()),
            expires: seconds(c.expires()),
        }
    }
}

/// What `ros token inspect` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// Signed by one of the keys, and within its times.
    pub valid: bool,
    /// Why not, when not.
    pub error: Option<String>,
    /// What the token says; present whenever it decodes, even when not valid.
    pub claims: Option<ClaimsJson>,
}

/// Checks a token's signature and times (not revocation or sessions: those are
/// the server's store's) and decodes it.
pub fn inspect(verifier: &TokenVerifier, token: &str, now: SystemTime) -> Inspection {
    match verifier.verify(token, now) {
        Ok(claims) => Inspection {
            valid: true,
            error: None,
            claims: Some(ClaimsJson::from(&claims)),
        },
        Err(e) => Inspection {
            valid: false,
            error: Some(e.to_string()),
            claims: inspect_unverified(token)
                .ok()
                .as_ref()
                .map(ClaimsJson::from),
        },
    }
}
