//! Who may open which Realm: the checks of a BIND (`docs/protocol.md` §4.3,
//! §2.4). The token was accepted at the upgrade; here the Realm's name is
//! checked, a user's own `/~/` Realm is registered with them as owner on first
//! use, and the permission rules decide the session's rights.

use std::sync::Arc;
use std::time::SystemTime;

use crate::admin::sharing::ensure_registered;
use crate::admin::{Rights, Subject};
use crate::auth::{AuthService, Caller};
use crate::protocol::ErrorCode;
use crate::realm_id::RealmId;
use crate::token::{Right, TokenKind};

/// A refused BIND: the session error and the reason the client is told.
pub(crate) type BindRefusal = (ErrorCode, String);

/// The Realm a BIND names and what the caller may do with it. Blocks (admin
/// store).
pub(crate) fn authorize(
    auth: &Arc<AuthService>,
    caller: &Caller,
    path: &[u8],
) -> Result<(RealmId, Rights), BindRefusal> {
    let identity = caller.user.as_ref().map(|u| u.id.to_string());
    let realm = super::bind_realm(path, identity.as_deref()).map_err(|code| {
        (
            code,
            format!(
                "{:?} is not a Realm path or partition value this server accepts",
                String::from_utf8_lossy(path)
            ),
        )
    })?;
    let denied = |why: String| (ErrorCode::PermissionDenied, why);
    let claims = &caller.claims;
    if let (TokenKind::Access, Some(token_path)) = (claims.kind(), claims.path()) {
        let allowed = RealmId::parse(token_path, identity.as_deref())
            .map(|p| p == realm)
            .unwrap_or(false);
        if !allowed {
            return Err(denied(format!(
                "the access token is for {token_path}, not for {realm}"
            )));
        }
    }
    let subject = if caller.is_admin {
        Subject::Admin
    } else if let Some(user) = &caller.user {
        Subject::User(user.id)
    } else {
        return Err(denied(format!(
            "the token's identity {} is not a user of this server",
            claims.identity()
        )));
    };
    let store = auth.store();
    let now = SystemTime::now();
    ensure_registered(store, subject, &realm, now)
        .map_err(|e| (ErrorCode::SessionClosed, e.to_string()))?;
    let mut rights = store
        .rights(subject, &realm)
        .map_err(|e| (ErrorCode::SessionClosed, e.to_string()))?;
    if claims.kind() == TokenKind::Access && claims.path().is_some() {
        let access = claims.access_rights();
        rights.may_read &= access.contains(Right::Download);
        rights.may_write &= access.contains(Right::Upload);
        rights.may_manage &= access.contains(Right::Manage);
    }
    if !rights.may_read {
        return Err(denied(format!("no permission to read {realm}")));
    }
    Ok((realm, rights))
}
