//! Who an HTTP request speaks for, from the token it carries.

use std::time::SystemTime;

use super::error::AuthError;
use super::AuthService;
use crate::admin::User;
use crate::token::{Claims, TokenKind, UserId};

/// The verified sender of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub claims: Claims,
    /// The user the token speaks for, when it is one of ours.
    pub user: Option<User>,
    /// The admin token, or a user who is an admin now (the store decides, not the
    /// flag a token was minted with, so revoking admin takes effect at once).
    pub is_admin: bool,
}

impl Caller {
    pub fn user_id(&self) -> Option<UserId> {
        self.user.as_ref().map(|u| u.id)
    }

    /// Admins act for everyone, users for themselves.
    pub fn may_act_for(&self, id: &UserId) -> bool {
        self.is_admin || self.user_id().as_ref() == Some(id)
    }

    pub fn require_admin(&self) -> Result<(), AuthError> {
        if self.is_admin {
            Ok(())
        } else {
            Err(AuthError::AccessDenied(
                "This needs the admin token or an admin user.".into(),
            ))
        }
    }
}

impl AuthService {
    /// The one decision whether a token is accepted, for HTTP requests and sync
    /// connections alike: signature, times, revocation, session and user (see
    /// `AdminStore::check_token`), and who it speaks for, read once.
    pub fn accept(&self, token: &str, now: SystemTime) -> Result<Caller, AuthError> {
        let (claims, user) = self
            .store
            .check_token(&self.verifier, token, now)
            .map_err(AuthError::Token)?;
        let is_admin =
            claims.kind() == TokenKind::Admin || user.as_ref().is_some_and(|u| u.is_admin);
        Ok(Caller {
            claims,
            user,
            is_admin,
        })
    }

    /// [`accept`](Self::accept) for HTTP requests: refresh tokens, user tokens
    /// and the admin token authenticate them; an access token for one Realm does
    /// not (it opens that Realm over sync only).
    pub fn authenticate(&self, token: &str, now: SystemTime) -> Result<Caller, AuthError> {
        let caller = self.accept(token, now)?;
        if caller.claims.kind() == TokenKind::Access && caller.claims.path().is_some() {
            return Err(AuthError::InvalidCredentials(
                "An access token for one Realm does not authenticate HTTP requests; send the \
                 refresh token or a user token."
                    .into(),
            ));
        }
        Ok(caller)
    }
}
