//! The original's account routes, minus HTTP: password changes, user lookups,
//! `PUT /auth/users`, user deletion and token revocation (docs/original-server.md §2.3,
//! §2.5, §3.4). Each checks its caller: admins act for everyone, users for
//! themselves.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::caller::Caller;
use super::error::AuthError;
use super::AuthService;
use crate::admin::ops::EndSessions;
use crate::admin::{Account, NewUser, User, PASSWORD_PROVIDER};
use crate::token::{TokenKind, UserId};

/// `PUT /auth/users`: create or update the user of one provider account.
#[derive(Debug, Clone)]
pub struct PutUser {
    pub provider: String,
    pub provider_id: String,
    pub user_id: Option<String>,
    pub is_admin: Option<bool>,
    /// Replaces the metadata as a whole when given.
    pub metadata: Option<BTreeMap<String, String>>,
}

fn not_yours() -> AuthError {
    AuthError::AccessDenied("Only the user itself or an admin may do this.".into())
}

impl AuthService {
    fn existing(&self, id: &str) -> Result<User, AuthError> {
        let id: UserId = id.parse().map_err(|_| AuthError::UnknownAccount)?;
        self.store.find_user(&id)?.ok_or(AuthError::UnknownAccount)
    }

    /// `GET /auth/users/:user_id`: the caller itself, or anyone for an admin.
    pub fn user_for(&self, caller: &Caller, id: &str) -> Result<User, AuthError> {
        if let Ok(parsed) = id.parse::<UserId>() {
            if !caller.may_act_for(&parsed) {
                return Err(not_yours());
            }
        } else if !caller.is_admin {
            return Err(not_yours());
        }
        self.existing(id)
    }

    /// `GET /auth/users/:provider/:provider_id`: "not found" both when there is no
    /// such account and when it is someone else's (so users cannot probe names).
    pub fn user_by_account(
        &self,
        caller: &Caller,
        provider: &str,
        provider_id: &str,
    ) -> Result<User, AuthError> {
        let user = self
            .store
            .find_by_account(provider, provider_id)?
            .ok_or(AuthError::UnknownAccount)?;
        if caller.may_act_for(&user.id) {
            Ok(user)
        } else {
            Err(AuthError::UnknownAccount)
        }
    }

    /// `PUT /auth/users` (admins only): the user of the account, created (with a
    /// given or new id) when the account is unknown; `is_admin` and `metadata` set
    /// when given.
    pub fn put_user(
        &self,
        caller: &Caller,
        put: PutUser,
        now: SystemTime,
    ) -> Result<User, AuthError> {
        caller.require_admin()?;
        if put.provider.is_empty() {
            return Err(AuthError::MissingParameter("provider"));
        }
        if put.provider_id.is_empty() {
            return Err(AuthError::MissingParameter("provider_id"));
        }
        let given: Option<UserId> = match &put.user_id {
            Some(text) => Some(text.parse().map_err(|e: crate::token::InvalidId| {
                AuthError::InvalidParameter {
                    name: "user_id",
                    reason: e.to_string(),
                }
            })?),
            None => None,
        };
        let user = match self
            .store
            .find_by_account(&put.provider, &put.provider_id)?
        {
            Some(user) => {
                if given.is_some_and(|id| id != user.id) {
                    return Err(AuthError::InvalidParameter {
                        name: "user_id",
                        reason: format!("the account belongs to user {}", user.id),
                    });
                }
                user
            }
            None => {
                let mut new = NewUser::new().account(Account::new(&put.provider, &put.provider_id));
                if let Some(id) = given {
                    new = new.id(id);
                }
                self.store.create_user(new, now)?
            }
        };
        if let Some(is_admin) = put.is_admin {
            self.store.set_admin(&user.id, is_admin)?;
        }
        if let Some(metadata) = &put.metadata {
            self.store.set_metadata(&user.id, metadata)?;
        }
        self.store
            .find_user(&user.id)?
            .ok_or_else(|| AuthError::UnknownUser(user.id.to_string()))
    }

    /// `DELETE /auth/users/:user_id`: removes the user (see `admin::ops::remove_user`).
    pub fn delete_user(&self, caller: &Caller, id: &str) -> Result<(), AuthError> {
        let parsed: UserId = id
            .parse()
            .map_err(|_| AuthError::UnknownUser(id.to_string()))?;
        if !caller.may_act_for(&parsed) {
            return Err(not_yours());
        }
        crate::admin::ops::remove_user(&self.store, &parsed)?;
        Ok(())
    }

    /// `PUT /auth/password`: a new password for `user_id` (default: the caller).
    pub fn change_password(
        &self,
        caller: &Caller,
        provider: &str,
        user_id: Option<&str>,
        new_password: &str,
        now: SystemTime,
    ) -> Result<(), AuthError> {
        if provider != PASSWORD_PROVIDER {
            return Err(AuthError::InvalidParameter {
                name: "provider",
                reason: format!("Passwords belong to the `{PASSWORD_PROVIDER}` provider."),
            });
        }
        let id = match user_id {
            Some(text) => text.parse().map_err(|_| AuthError::UnknownAccount)?,
            None => caller
                .user_id()
                .ok_or(AuthError::MissingParameter("user_id"))?,
        };
        if !caller.may_act_for(&id) {
            return Err(not_yours());
        }
        // Their own change keeps the session it came from; an admin's reset of
        // someone else's password ends all of theirs.
        let ending = match caller.claims.session() {
            Some(session) if caller.user_id() == Some(id) => EndSessions::AllBut(session),
            _ => EndSessions::All,
        };
        crate::admin::ops::change_password(&self.store, &id, new_password, ending, now)?;
        Ok(())
    }

    /// `POST /auth/revoke`: the token stops being accepted; a refresh token's
    /// session ends with it (and so every access token bought with it). Only the
    /// token's owner or an admin may revoke it.
    pub fn revoke(&self, caller: &Caller, token: &str, now: SystemTime) -> Result<(), AuthError> {
        let claims = self
            .verifier
            .verify(token, now)
            .map_err(|e| AuthError::InvalidParameter {
                name: "token",
                reason: format!("The token cannot be revoked: {e}"),
            })?;
        let own = caller.claims.identity() == claims.identity();
        if !(own || caller.is_admin) {
            return Err(not_yours());
        }
        self.store.revoke_token(&claims, now)?;
        if claims.kind() == TokenKind::Refresh {
            if let Some(session) = claims.session() {
                match self.store.revoke_session(&session, now) {
                    Ok(_) | Err(crate::admin::AdminError::NotFound(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }
}
