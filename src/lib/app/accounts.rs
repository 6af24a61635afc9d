//! What the app API does with users, sessions and tokens, on the one admin store
//! every door of the server shares: a user who logs in here is the user of
//! `/auth`, `ros user` and the admin API. Every function blocks (SQLite, argon2).

use std::time::SystemTime;

use super::error::{AppError, ErrorCode};
use crate::admin::{Account, AdminError, NewUser, Taken, User, PASSWORD_PROVIDER};
use crate::auth::{AuthService, Caller};
use crate::config::apps::{ANON_PROVIDER, USERPASS_PROVIDER};
use crate::token::{Access, Claims, Identity, SessionId, TokenForm, TokenKind, UserId};

/// What a login answers: both tokens, as JWTs SDKs decode.
#[derive(Debug, Clone)]
pub struct LoginTokens {
    pub access: String,
    pub refresh: String,
    pub user: UserId,
    /// The login's session, which SDKs keep as their device id.
    pub session: SessionId,
}

/// The shortest and longest password `register` accepts (as the hosted service).
pub const PASSWORD_LENGTH: std::ops::RangeInclusive<usize> = 6..=128;

fn access_claims(user: UserId, session: SessionId, app: &str, auth: &AuthService) -> Claims {
    Claims::access(
        Identity::User(user),
        None,
        Access::NONE,
        SystemTime::now(),
        auth.lifetimes().access,
    )
    .with_session(session)
    .with_app_id(app)
}

fn sign(auth: &AuthService, claims: &Claims) -> Result<String, AppError> {
    auth.signer()
        .sign(claims, TokenForm::Jwt)
        .map_err(|e| AppError::internal(&e))
}

/// Opens a session (one login) of `user` and mints its two tokens.
pub fn open_session(
    auth: &AuthService,
    app: &str,
    user: &User,
    now: SystemTime,
) -> Result<LoginTokens, AppError> {
    let session = auth.store().create_session(&user.id, now)?;
    let refresh = Claims::refresh(
        user.id,
        session.id,
        user.is_admin,
        now,
        auth.lifetimes().refresh,
    )
    .with_app_id(app);
    Ok(LoginTokens {
        access: sign(auth, &access_claims(user.id, session.id, app, auth))?,
        refresh: sign(auth, &refresh)?,
        user: user.id,
        session: session.id,
    })
}

/// `local-userpass` login: the password account named by the email.
pub fn password_user(auth: &AuthService, email: &str, password: &str) -> Result<User, AppError> {
    Ok(auth.store().verify_password(email, password)?)
}

/// `anon-user` login: a new user each time, with one anonymous identity.
pub fn anonymous_user(auth: &AuthService, now: SystemTime) -> Result<User, AppError> {
    let identity = SessionId::generate(now).to_string();
    let new = NewUser::new().account(Account::new(ANON_PROVIDER, identity));
    Ok(auth.store().create_user(new, now)?)
}

/// An external identity (`custom-token`): its user, created at the first login,
/// with the profile fields the token carried copied at every login.
pub fn external_user(
    auth: &AuthService,
    provider: &str,
    provider_id: &str,
    data: &[(String, String)],
    now: SystemTime,
) -> Result<User, AppError> {
    let store = auth.store();
    let user = match store.find_by_account(provider, provider_id)? {
        Some(user) => user,
        None => {
            let new = NewUser::new().account(Account::new(provider, provider_id));
            match store.create_user(new, now) {
                Ok(user) => user,
                // A concurrent first login of the same identity won the race.
                Err(AdminError::Conflict(Taken::Account { .. })) => store
                    .find_by_account(provider, provider_id)?
                    .ok_or_else(|| AppError::new(ErrorCode::InvalidSession, "user vanished"))?,
                Err(e) => return Err(e.into()),
            }
        }
    };
    if user.disabled {
        return Err(AdminError::UserDisabled(user.id).into());
    }
    let mut metadata = user.metadata.clone();
    metadata.extend(data.iter().cloned());
    if metadata != user.metadata {
        store.set_metadata(&user.id, &metadata)?;
    }
    Ok(store.find_user(&user.id)?.unwrap_or(user))
}

/// `register`: a password account, confirmed at once.
pub fn register(
    auth: &AuthService,
    email: &str,
    password: &str,
    now: SystemTime,
) -> Result<User, AppError> {
    if email.is_empty() {
        return Err(AppError::new(
            ErrorCode::BadRequest,
            "email must not be empty",
        ));
    }
    if !PASSWORD_LENGTH.contains(&password.chars().count()) {
        return Err(AppError::new(
            ErrorCode::BadRequest,
            format!(
                "password must be between {} and {} characters",
                PASSWORD_LENGTH.start(),
                PASSWORD_LENGTH.end()
            ),
        ));
    }
    let new = NewUser::with_password(email, password);
    match auth.store().create_user(new, now) {
        Ok(user) => Ok(user),
        Err(AdminError::Conflict(Taken::Account { .. })) => Err(AppError::new(
            ErrorCode::AccountNameInUse,
            "name already in use",
        )),
        Err(e) => Err(e.into()),
    }
}

/// The caller behind a bearer token of `kind` (access for profile and delete,
/// refresh for the session routes): 401 `InvalidSession` for any other token.
pub fn bearer(
    auth: &AuthService,
    token: Option<&str>,
    kind: TokenKind,
    now: SystemTime,
) -> Result<(Caller, User), AppError> {
    let token = token.ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidSession,
            format!("this request needs the {kind} token as Authorization: Bearer"),
        )
    })?;
    let caller = auth.accept(token, now).map_err(|e| match e {
        crate::auth::AuthError::Token(e) => AppError::token(e),
        other => AppError::new(ErrorCode::InvalidSession, other.to_string()),
    })?;
    let claims = &caller.claims;
    if claims.kind() != kind || claims.path().is_some() || claims.session().is_none() {
        return Err(AppError::new(
            ErrorCode::InvalidSession,
            format!("this request needs an app {kind} token"),
        ));
    }
    let user = caller.user.clone().ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidSession,
            "the token names no user of this server",
        )
    })?;
    Ok((caller, user))
}

/// `POST auth/session`: a new access token for the refresh token's session.
pub fn refresh(
    auth: &AuthService,
    token: Option<&str>,
    now: SystemTime,
) -> Result<String, AppError> {
    let (caller, user) = bearer(auth, token, TokenKind::Refresh, now)?;
    let (Some(session), Some(app)) = (caller.claims.session(), caller.claims.app_id()) else {
        return Err(AppError::new(
            ErrorCode::InvalidSession,
            "not an app session",
        ));
    };
    auth.store().touch_session(&session, now)?;
    sign(auth, &access_claims(user.id, session, app, auth))
}

/// `DELETE auth/session`: ends the refresh token's session, and with it every
/// access token bought with it (HTTP and sync alike). An anonymous user, who
/// can never log in again, is removed (its Realms stay, owner-less).
pub fn logout(auth: &AuthService, token: Option<&str>, now: SystemTime) -> Result<(), AppError> {
    let (caller, user) = bearer(auth, token, TokenKind::Refresh, now)?;
    if let Some(session) = caller.claims.session() {
        auth.store().revoke_session(&session, now)?;
    }
    let anonymous = matches!(&user.accounts[..], [only] if only.provider == ANON_PROVIDER);
    if anonymous {
        crate::admin::ops::remove_user(auth.store(), &user.id)?;
    }
    Ok(())
}

/// `DELETE auth/delete`: removes the user with its identities and sessions; the
/// Realms it owned stay, owner-less, for an administrator.
pub fn delete(auth: &AuthService, token: Option<&str>, now: SystemTime) -> Result<(), AppError> {
    let (_, user) = bearer(auth, token, TokenKind::Access, now)?;
    let removal = crate::admin::ops::remove_user(auth.store(), &user.id)?;
    tracing::info!(user = %user.id, owned = removal.owned_realms.len(), "user deleted itself");
    Ok(())
}

/// The profile SDKs read after every login: identities and string `data`.
pub fn profile(user: &User) -> serde_json::Value {
    let identities: Vec<serde_json::Value> = user
        .accounts
        .iter()
        .map(|account| {
            let (provider, id) = if account.provider == PASSWORD_PROVIDER {
                (USERPASS_PROVIDER, user.id.to_string())
            } else {
                (account.provider.as_str(), account.provider_id.clone())
            };
            serde_json::json!({"id": id, "provider_type": provider, "provider_id": provider})
        })
        .collect();
    let mut data = serde_json::Map::new();
    for (key, value) in &user.metadata {
        data.insert(key.clone(), serde_json::Value::String(value.clone()));
    }
    if let Some(email) = user.username() {
        data.insert("email".into(), serde_json::Value::String(email.to_string()));
    }
    serde_json::json!({
        "user_id": user.id.to_string(),
        "domain_id": user.id.to_string(),
        "identities": identities,
        "data": data,
        "type": "normal",
    })
}
