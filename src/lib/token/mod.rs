//! Signed tokens: the access, refresh and admin tokens this server hands out and
//! accepts, in both forms clients speak (docs/protocol.md §11.1, docs/original-server.md §3).
//!
//! * Legacy: `base64(JSON) ":" base64(RSA-SHA256 signature over those JSON bytes)`,
//!   the original server's layout, field names and order.
//! * JWT: RS256 `header.payload.signature` in base64url, what current SDKs decode.
//!
//! Both are signed with one RSA private key ([`TokenSigner`]) and verified against a
//! list of public keys ([`TokenVerifier`]) so the key can be rotated. Verification
//! here is about the token alone; whether its session is still open, its user still
//! enabled or the token revoked is asked of the admin store.
//!
//! Claim names of ours: `sid` carries the refresh session ([`SessionId`]) in both
//! forms, on refresh tokens and on the access tokens bought with them.

mod access;
mod admin_file;
mod claims;
mod encoding;
mod error;
mod id;
pub(crate) mod random;
mod read;
mod signer;
mod verifier;
mod write;

use std::time::Duration;

pub use access::{Access, Right};
pub use admin_file::{
    ensure_admin_token, read_admin_token, replace_admin_token, AdminTokenError, ADMIN_JSON_FILE,
    ADMIN_TOKEN_FILE,
};
pub use claims::{
    Claims, ForeignIdentity, Identity, Salt, TokenKind, ADMIN_APP_ID, ADMIN_IDENTITY,
    DEFAULT_APP_ID,
};
pub use error::{KeyError, Malformed, Part, SignError, VerifyError};
pub use id::{InvalidId, SessionId, UserId};
pub use signer::{TokenForm, TokenSigner};
pub use verifier::{inspect_unverified, TokenVerifier, ISSUED_AT_LEEWAY};
pub use write::legacy_payload;

/// Default lifetime of access tokens (`auth.access_token_ttl`, the original's
/// `--access-token-ttl` default): short, because only expiry ends them.
pub const ACCESS_TOKEN_TTL: Duration = crate::config::defaults::ACCESS_TOKEN_TTL;
/// Default lifetime of refresh tokens (`auth.refresh_token_ttl`, ten 365-day years
/// as in the original): long, because SDKs reuse one refresh token until the next
/// login; ending a login is the session's job, not the expiry's.
pub const REFRESH_TOKEN_TTL: Duration = crate::config::defaults::REFRESH_TOKEN_TTL;
