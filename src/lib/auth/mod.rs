//! Authentication: logging in with the password provider, buying access tokens
//! with refresh tokens, and deciding who an HTTP request's token speaks for.
//!
//! The rules are the original server's (docs/original-server.md §2.4, §3, §4) over our
//! admin store and tokens; HTTP is not spoken here, so the original's `/auth`
//! routes, the admin API and the app-services API to come share one implementation.
//! Every method blocks (SQLite, argon2): async callers use a blocking thread.

mod account;
mod caller;
mod error;
mod login;
mod mint;
mod setup;
mod throttle;

pub use account::PutUser;
pub use caller::Caller;
pub use error::AuthError;
pub use login::{access_of, IssuedToken, PasswordLogin, USER_TOKEN_TTL};
pub use mint::{inspect, mint, ClaimsJson, Expiry, Inspection, MintError, MintRequest, Minted};
pub use setup::{
    admin_token, load_signer, load_verifier, verifier_of, AuthSetup, SetupError, Started,
};
pub use throttle::{Blocked, Reservation, Throttle, ThrottleLimits};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::admin::AdminStore;
use crate::token::{TokenSigner, TokenVerifier};

/// The sync label every Realm of a single-process server carries.
pub const SYNC_LABEL: &str = "default";

/// Lifetimes of the tokens handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub access: Duration,
    pub refresh: Duration,
}

/// The server's authentication: its admin store, its signing key and the public
/// keys it accepts.
#[derive(Debug)]
pub struct AuthService {
    store: Arc<AdminStore>,
    signer: TokenSigner,
    verifier: TokenVerifier,
    lifetimes: Lifetimes,
    root: PathBuf,
}

impl AuthService {
    pub fn new(
        store: Arc<AdminStore>,
        signer: TokenSigner,
        verifier: TokenVerifier,
        lifetimes: Lifetimes,
        root: PathBuf,
    ) -> AuthService {
        AuthService {
            store,
            signer,
            verifier,
            lifetimes,
            root,
        }
    }

    pub fn store(&self) -> &AdminStore {
        &self.store
    }

    pub fn signer(&self) -> &TokenSigner {
        &self.signer
    }

    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    pub fn lifetimes(&self) -> Lifetimes {
        self.lifetimes
    }

    /// The data root (where the admin token file lives).
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }
}
