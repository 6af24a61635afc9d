//! Revoked tokens and the full acceptance check of a token.
//!
//! A token is named by its identity and salt (the salt is random per token), so
//! revocation stores those two, plus the expiry after which the row can go.
//! A token without a salt is recorded with an empty one, which revokes every
//! salt-less token of that identity: none of ours lack a salt.

use std::path::Path;
use std::time::SystemTime;

use rusqlite::{params, OptionalExtension};

use super::error::AdminError;
use super::store::{millis, AdminStore};
use super::users::User;
use crate::token::{
    inspect_unverified, read_admin_token, replace_admin_token, Claims, Identity, SessionId,
    TokenForm, TokenKind, TokenSigner, TokenVerifier, UserId, VerifyError,
};

/// Why `check_token` refused a token. `Invalid` is the token itself (HTTP 401);
/// `Revoked` is the original's 403 "The token has been revoked"; the rest mean the
/// login behind the token is over (401, so SDKs log in again).
#[derive(Debug, thiserror::Error)]
pub enum TokenRejected {
    #[error(transparent)]
    Invalid(#[from] VerifyError),
    #[error("the token has been revoked")]
    Revoked,
    #[error("a refresh token must name its session (`sid`)")]
    NoSession,
    #[error("session {0} has ended")]
    SessionEnded(SessionId),
    #[error("user {0} does not exist")]
    UnknownUser(UserId),
    #[error("user {0} is disabled")]
    UserDisabled(UserId),
    #[error(transparent)]
    Storage(#[from] AdminError),
}

fn salt_key(claims: &Claims) -> &str {
    claims.salt().map(|s| s.as_str()).unwrap_or_default()
}

impl AdminStore {
    /// Records the token as revoked. Returns `false` if it already was.
    pub fn revoke_token(&self, claims: &Claims, now: SystemTime) -> Result<bool, AdminError> {
        let changed = self
            .conn()
            .prepare_cached(
                "INSERT INTO revoked_tokens (identity, salt, expires_at, revoked_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                claims.identity().to_string(),
                salt_key(claims),
                claims.expires().map(millis),
                millis(now)
            ])?;
        Ok(changed == 1)
    }

    pub fn is_token_revoked(&self, claims: &Claims) -> Result<bool, AdminError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM revoked_tokens WHERE identity = ?1 AND salt = ?2")?
            .query_row(
                params![claims.identity().to_string(), salt_key(claims)],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Forgets revocations of tokens that have expired anyway; returns how many.
    pub fn prune_revoked_tokens(&self, now: SystemTime) -> Result<usize, AdminError> {
        Ok(self.conn().execute(
            "DELETE FROM revoked_tokens WHERE expires_at IS NOT NULL AND expires_at < ?1",
            [millis(now)],
        )?)
    }

    /// Everything that decides whether a token is accepted at `now`: signature and
    /// times (`verifier`), not revoked, its session (refresh tokens must have one,
    /// access tokens are checked when they name one) still open, and its user
    /// existing and enabled, returned with the claims so nobody reads it again.
    /// Identities other than our users and `__admin` can only come from a holder of
    /// our signing key (tokens of the original server signed with the same key) and
    /// are passed on to the caller as they are.
    pub fn check_token(
        &self,
        verifier: &TokenVerifier,
        token: &str,
        now: SystemTime,
    ) -> Result<(Claims, Option<User>), TokenRejected> {
        let claims = verifier.verify(token, now)?;
        if self.is_token_revoked(&claims)? {
            return Err(TokenRejected::Revoked);
        }
        match (claims.kind(), claims.session()) {
            (TokenKind::Refresh, None) => return Err(TokenRejected::NoSession),
            (_, Some(session)) => {
                let open = self.find_session(&session)?.is_some_and(|s| {
                    s.revoked_at.is_none() && Some(s.user) == claims.identity().user()
                });
                if !open {
                    return Err(TokenRejected::SessionEnded(session));
                }
            }
            (_, None) => {}
        }
        let user = match claims.identity() {
            Identity::User(id) => match self.find_user(id)? {
                None => return Err(TokenRejected::UnknownUser(*id)),
                Some(user) if user.disabled => return Err(TokenRejected::UserDisabled(*id)),
                Some(user) => Some(user),
            },
            _ => None,
        };
        Ok((claims, user))
    }

    /// Replaces the admin token of `root` with a new one signed by `signer` and
    /// revokes the old one, so it stops being accepted by `check_token`. The old one
    /// is revoked before the new one is written: a failure in between leaves a
    /// revoked token in the file, which a second rotation fixes, rather than two
    /// valid admin tokens. An old token that does not even decode cannot be
    /// accepted anyway and is just replaced.
    pub fn rotate_admin_token(
        &self,
        root: &Path,
        signer: &TokenSigner,
        now: SystemTime,
    ) -> Result<String, AdminError> {
        let new = signer.sign(&Claims::admin(), TokenForm::Legacy)?;
        if let Some(old) = read_admin_token(root)? {
            if let Ok(claims) = inspect_unverified(&old) {
                self.revoke_token(&claims, now)?;
            }
        }
        replace_admin_token(root, &new)?;
        Ok(new)
    }
}
