//! `POST /auth`'s three answers: a refresh token for a password login (or
//! registration), an access token for one Realm path, a user token for the HTTP API.

use std::time::{Duration, SystemTime};

use super::error::AuthError;
use super::{AuthService, SYNC_LABEL};
use crate::admin::{AdminError, Rights, Subject, Taken, User, PASSWORD_PROVIDER};
use crate::realm_id::{RealmId, RealmPath};
use crate::token::{
    legacy_payload, Access, Claims, Identity, Right, TokenForm, TokenKind, DEFAULT_APP_ID,
};

/// User tokens (refresh token, no path) live an hour, as the original's did.
pub const USER_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// A password login as the two body forms carry it.
#[derive(Debug, Clone)]
pub struct PasswordLogin {
    pub username: String,
    pub password: String,
    /// `None`: register exactly when no such user exists.
    pub register: Option<bool>,
    pub app_id: Option<String>,
}

/// A signed token with the claims it carries.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub claims: Claims,
}

impl IssuedToken {
    /// The decoded payload, the original's `token_data`.
    pub fn token_data(&self) -> Result<serde_json::Value, AuthError> {
        Ok(legacy_payload(&self.claims)?)
    }
}

/// A token's `access` list for a set of rights.
pub fn access_of(rights: Rights) -> Access {
    let mut access = Access::NONE;
    if rights.may_read {
        access = access.with(Right::Download);
    }
    if rights.may_write {
        access = access.with(Right::Upload);
    }
    if rights.may_manage {
        access = access.with(Right::Manage);
    }
    access
}

fn app(app_id: Option<String>) -> String {
    app_id.unwrap_or_else(|| DEFAULT_APP_ID.to_string())
}

impl AuthService {
    fn issue(&self, claims: Claims) -> Result<IssuedToken, AuthError> {
        let token = self.signer.sign(&claims, TokenForm::Legacy)?;
        Ok(IssuedToken { token, claims })
    }

    /// Logs in (or registers) with the password provider and opens a session; the
    /// refresh token names that session. Wrong passwords, unknown users and
    /// registering a taken username all give the same `InvalidCredentials`.
    pub fn login_password(
        &self,
        login: PasswordLogin,
        now: SystemTime,
    ) -> Result<IssuedToken, AuthError> {
        let store = &*self.store;
        let register = match login.register {
            Some(register) => register,
            None => store
                .find_by_account(PASSWORD_PROVIDER, &login.username)?
                .is_none(),
        };
        let user: User = if register {
            let new = crate::admin::ops::NewPasswordUser {
                username: login.username,
                password: login.password,
                is_admin: false,
            };
            match crate::admin::ops::add_user(store, new, now) {
                Ok(user) => user,
                Err(AdminError::Conflict(Taken::Account { .. })) => {
                    return Err(AuthError::InvalidCredentials(
                        "The account cannot be registered: the username is taken.".into(),
                    ))
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            store.verify_password(&login.username, &login.password)?
        };
        let session = store.create_session(&user.id, now)?;
        let claims = Claims::refresh(
            user.id,
            session.id,
            user.is_admin,
            now,
            self.lifetimes.refresh,
        )
        .with_app_id(app(login.app_id));
        self.issue(claims)
    }

    /// The user and refresh claims behind a refresh token, or `AccessDenied` for
    /// any token that is not a live refresh token (the original's 403).
    fn refresh_owner(&self, refresh: &str, now: SystemTime) -> Result<(Claims, User), AuthError> {
        let denied = |why: String| AuthError::AccessDenied(why);
        let caller = self.accept(refresh, now).map_err(|e| match e {
            AuthError::Token(e) => denied(format!("The refresh token is not accepted: {e}")),
            other => other,
        })?;
        let claims = caller.claims;
        if claims.kind() != TokenKind::Refresh {
            return Err(denied(format!(
                "A refresh token is needed, this is an {} token.",
                claims.kind()
            )));
        }
        let user = caller
            .user
            .ok_or_else(|| denied("The refresh token names no user of this server.".into()))?;
        if let Some(session) = claims.session() {
            self.store.touch_session(&session, now)?;
        }
        Ok((claims, user))
    }

    /// An access token for the Realm at `path` (`~` is the refresh token's user),
    /// carrying exactly the rights the permission rules give the user
    /// (`admin::access`): `download` for mayRead, `upload` for mayWrite, `manage`
    /// for mayManage; `AccessDenied` when they give nothing.
    ///
    /// A path the registry does not know yet is registered when the user may
    /// create it: in their own home (`/<own id>/...`, with them as owner), or
    /// anywhere for an admin (owned by the user whose home it is, if that user
    /// exists, else by nobody).
    pub fn access_for_path(
        &self,
        refresh: &str,
        path: &str,
        app_id: Option<String>,
        now: SystemTime,
    ) -> Result<IssuedToken, AuthError> {
        let (refresh_claims, user) = self.refresh_owner(refresh, now)?;
        let id = user.id.to_string();
        let path =
            RealmPath::resolve(path, Some(&id)).map_err(|e| AuthError::InvalidParameter {
                name: "path",
                reason: e.to_string(),
            })?;
        let realm = RealmId::Path(path.clone());
        let store = &*self.store;
        let subject = if user.is_admin {
            Subject::Admin
        } else {
            Subject::User(user.id)
        };
        crate::admin::sharing::ensure_registered(store, subject, &realm, now).map_err(
            |e| match e {
                crate::admin::sharing::SharingError::Store(e) => AuthError::from(e),
                other => AuthError::AccessDenied(other.to_string()),
            },
        )?;
        let rights = store.rights(subject, &realm)?;
        if !rights.any() {
            return Err(AuthError::AccessDenied(format!(
                "User {id} has no access to {path}."
            )));
        }
        let mut claims = Claims::access(
            Identity::User(user.id),
            Some(path.to_string()),
            access_of(rights),
            now,
            self.lifetimes.access,
        )
        .with_app_id(app(app_id))
        .with_sync_label(SYNC_LABEL);
        if let Some(session) = refresh_claims.session() {
            claims = claims.with_session(session);
        }
        self.issue(claims)
    }

    /// A user token: an access token without a path, for the HTTP API, an hour long.
    pub fn user_token(
        &self,
        refresh: &str,
        app_id: Option<String>,
        now: SystemTime,
    ) -> Result<IssuedToken, AuthError> {
        let (refresh_claims, user) = self.refresh_owner(refresh, now)?;
        let mut claims = Claims::access(
            Identity::User(user.id),
            None,
            Access::NONE,
            now,
            USER_TOKEN_TTL,
        )
        .with_admin_flag(user.is_admin)
        .with_app_id(app(app_id));
        if let Some(session) = refresh_claims.session() {
            claims = claims.with_session(session);
        }
        self.issue(claims)
    }
}
