//! What a token says, as typed values: who, which rights, for which Realm, until when.
//! Both token forms decode into the same `Claims`, so callers never care which form a
//! client sent.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::access::Access;
use super::id::{SessionId, UserId};
use super::random::random_bytes;

/// The identity of the admin token (docs/original-server.md §3.2).
pub const ADMIN_IDENTITY: &str = "__admin";
/// The `app_id` of tokens minted for users when the request names none.
pub const DEFAULT_APP_ID: &str = "io.realm.Auth";
/// The `app_id` the original server put into its admin token (lower-case "auth").
pub const ADMIN_APP_ID: &str = "io.realm.auth";

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Opens Realms (with a `path`) or calls the HTTP API (without one).
    Access,
    /// Only buys new access tokens; carries the session it belongs to.
    Refresh,
    /// The server's own admin token: identity `__admin`, no path, full rights.
    Admin,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
            TokenKind::Admin => "admin",
        })
    }
}

/// An identity string that is neither ours nor the admin's: tokens of the original
/// server (32-hex user ids) or of realm-core's tests (`"test"`) carry such. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignIdentity(String);

impl ForeignIdentity {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who a token speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identity {
    /// `__admin`, the identity of the admin token.
    Admin,
    User(UserId),
    Foreign(ForeignIdentity),
}

impl Identity {
    /// Sorts a token's identity string into the three cases; `None` for an empty one.
    pub fn parse(text: &str) -> Option<Identity> {
        if text.is_empty() {
            None
        } else if text == ADMIN_IDENTITY {
            Some(Identity::Admin)
        } else if let Ok(user) = text.parse() {
            Some(Identity::User(user))
        } else {
            Some(Identity::Foreign(ForeignIdentity(text.to_string())))
        }
    }

    pub fn user(&self) -> Option<UserId> {
        match self {
            Identity::User(id) => Some(*id),
            _ => None,
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Admin => f.write_str(ADMIN_IDENTITY),
            Identity::User(id) => id.fmt(f),
            Identity::Foreign(other) => f.write_str(&other.0),
        }
    }
}

/// The per-token nonce. Ours are 8 hex characters (4 random bytes, like the
/// original's); tokens from elsewhere may carry any string. Together with the
/// identity it names one token, which is what revocation records.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Salt(String);

impl Salt {
    pub fn random() -> Salt {
        Salt(hex::encode(random_bytes::<4>()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn from_token(text: String) -> Salt {
        Salt(text)
    }
}

/// The verified (or freshly minted) content of a token.
///
/// Fields are private so that a value always obeys the kind's shape: refresh tokens
/// name their session, the admin token has identity `__admin`, no path and no expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub(crate) kind: TokenKind,
    pub(crate) identity: Identity,
    pub(crate) access: Access,
    pub(crate) is_admin: bool,
    pub(crate) path: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) sync_label: Option<String>,
    pub(crate) salt: Option<Salt>,
    pub(crate) session: Option<SessionId>,
    pub(crate) issued_at: Option<SystemTime>,
    pub(crate) not_before: Option<SystemTime>,
    pub(crate) expires: Option<SystemTime>,
}

/// Tokens speak whole seconds; truncating at mint time makes a decoded token equal
/// to the claims it was made from.
pub(crate) fn whole_seconds(t: SystemTime) -> SystemTime {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => UNIX_EPOCH + Duration::from_secs(d.as_secs()),
        Err(_) => UNIX_EPOCH,
    }
}

impl Claims {
    fn minted(
        kind: TokenKind,
        identity: Identity,
        now: SystemTime,
        ttl: Option<Duration>,
    ) -> Claims {
        let now = whole_seconds(now);
        Claims {
            kind,
            identity,
            access: Access::NONE,
            is_admin: false,
            path: None,
            app_id: Some(DEFAULT_APP_ID.to_string()),
            sync_label: None,
            salt: Some(Salt::random()),
            session: None,
            issued_at: Some(now),
            not_before: None,
            expires: ttl.map(|ttl| whole_seconds(now + ttl)),
        }
    }

    /// An access token for `identity`: with `path` it opens that one Realm with
    /// `access`; without, it is a "user token" for the HTTP API.
    pub fn access(
        identity: Identity,
        path: Option<String>,
        access: Access,
        now: SystemTime,
        ttl: Duration,
    ) -> Claims {
        let mut claims = Claims::minted(TokenKind::Access, identity, now, Some(ttl));
        claims.path = path;
        claims.access = access;
        claims
    }

    /// The refresh token of one login (`session`) of `user`.
    pub fn refresh(
        user: UserId,
        session: SessionId,
        is_admin: bool,
        now: SystemTime,
        ttl: Duration,
    ) -> Claims {
        let mut claims = Claims::minted(TokenKind::Refresh, Identity::User(user), now, Some(ttl));
        claims.session = Some(session);
        claims.is_admin = is_admin;
        claims
    }

    /// The admin token: never expires, valid for every path, and (like the
    /// original's) undated, so it needs no clock.
    pub fn admin() -> Claims {
        let mut claims = Claims::minted(TokenKind::Admin, Identity::Admin, UNIX_EPOCH, None);
        claims.issued_at = None;
        claims.access = Access::ALL;
        claims.is_admin = true;
        claims.app_id = Some(ADMIN_APP_ID.to_string());
        claims
    }

    /// Ties an access token to the refresh session it was bought with, so ending
    /// the session ends it too.
    pub fn with_session(mut self, session: SessionId) -> Claims {
        if self.kind != TokenKind::Admin {
            self.session = Some(session);
        }
        self
    }

    /// Marks the holder of an access token as an admin (the original's user tokens
    /// carry this); has no effect on the other kinds, whose flag is fixed.
    pub fn with_admin_flag(mut self, is_admin: bool) -> Claims {
        if self.kind == TokenKind::Access {
            self.is_admin = is_admin;
        }
        self
    }

    /// Drops the expiry (tokens an operator mints with `--expires-in never`).
    /// Such tokens can only be written in the legacy form.
    pub fn without_expiry(mut self) -> Claims {
        self.expires = None;
        self
    }

    pub fn with_app_id(mut self, app_id: impl Into<String>) -> Claims {
        self.app_id = Some(app_id.into());
        self
    }

    pub fn with_sync_label(mut self, label: impl Into<String>) -> Claims {
        self.sync_label = Some(label.into());
        self
    }

    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    pub fn access_rights(&self) -> Access {
        self.access
    }

    /// Whether the token speaks for an admin: the admin token always; other kinds
    /// only through their own flag (never because a path is missing, unlike
    /// realm-core's compatibility rule, docs/protocol.md §11.2).
    pub fn is_admin(&self) -> bool {
        self.is_admin
    }

    /// The one Realm path an access token is limited to; `None` = not limited.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    pub fn app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }

    pub fn sync_label(&self) -> Option<&str> {
        self.sync_label.as_deref()
    }

    pub fn salt(&self) -> Option<&Salt> {
        self.salt.as_ref()
    }

    /// The refresh session the token belongs to (`sid` in both forms).
    pub fn session(&self) -> Option<SessionId> {
        self.session
    }

    pub fn issued_at(&self) -> Option<SystemTime> {
        self.issued_at
    }

    pub fn not_before(&self) -> Option<SystemTime> {
        self.not_before
    }

    /// `None` = never expires.
    pub fn expires(&self) -> Option<SystemTime> {
        self.expires
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_sort_into_admin_user_and_foreign() {
        assert_eq!(Identity::parse("__admin"), Some(Identity::Admin));
        let user = Identity::parse("65f1c0de2a9b4c0012345678");
        assert!(matches!(user, Some(Identity::User(_))));
        let foreign = Identity::parse("test");
        assert!(matches!(&foreign, Some(Identity::Foreign(f)) if f.as_str() == "test"));
        assert_eq!(Identity::parse(""), None);
    }

    #[test]
    fn minted_times_are_whole_seconds() {
        let now = UNIX_EPOCH + Duration::from_millis(1_790_000_000_750);
        let claims = Claims::access(
            Identity::Admin,
            None,
            Access::ALL,
            now,
            Duration::from_secs(600),
        );
        assert_eq!(
            claims.issued_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_790_000_000))
        );
        assert_eq!(
            claims.expires(),
            Some(UNIX_EPOCH + Duration::from_secs(1_790_000_600))
        );
    }

    #[test]
    fn admin_token_claims_have_the_original_shape() {
        let claims = Claims::admin().with_session(SessionId::generate(UNIX_EPOCH));
        assert_eq!(claims.kind(), TokenKind::Admin);
        assert_eq!(claims.identity(), &Identity::Admin);
        assert_eq!(claims.access_rights(), Access::ALL);
        assert_eq!(claims.expires(), None);
        assert_eq!(claims.path(), None);
        assert_eq!(claims.session(), None);
        assert_eq!(claims.app_id(), Some(ADMIN_APP_ID));
        assert_eq!(claims.salt().map(|s| s.as_str().len()), Some(8));
    }
}
