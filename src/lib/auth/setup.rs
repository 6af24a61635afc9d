//! What `ros serve` prepares before it answers anyone: the admin store (migrated),
//! the signing key, the accepted public keys, the admin token file and, when the
//! operator asks for it, the original's `realm-admin` account.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use super::{AuthService, Lifetimes};
use crate::admin::{AdminError, AdminStore};
use crate::config::Config;
use crate::keys::{self, PrivateKey, PublicKey};
use crate::token::{ensure_admin_token, AdminTokenError, TokenSigner, TokenVerifier};

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Store(#[from] AdminError),
    #[error("{}: {source}", path.display())]
    Key {
        path: PathBuf,
        #[source]
        source: keys::KeyError,
    },
    #[error("the token keys cannot be used: {0}")]
    TokenKey(#[from] crate::token::KeyError),
    #[error(transparent)]
    AdminToken(#[from] AdminTokenError),
}

/// What [`AuthService::start`] needs beyond the configuration.
#[derive(Debug, Clone, Default)]
pub struct AuthSetup {
    /// `ROS_DEFAULT_PASSWORD` as the caller read it: when set, the `realm-admin`
    /// account is created with it unless it exists.
    pub default_password: Option<String>,
}

/// What the start did, for the log.
#[derive(Debug)]
pub struct Started {
    pub service: AuthService,
    /// The `realm-admin` user, when this start created it.
    pub created_default_admin: bool,
    pub pruned_revocations: usize,
}

fn key_err(path: &std::path::Path) -> impl FnOnce(keys::KeyError) -> SetupError + '_ {
    move |source| SetupError::Key {
        path: path.to_path_buf(),
        source,
    }
}

impl AuthService {
    /// Opens everything the configuration names and returns the ready service.
    pub fn start(
        config: &Config,
        setup: &AuthSetup,
        now: SystemTime,
    ) -> Result<Started, SetupError> {
        let root = config.storage.root_path.clone();
        let store = AdminStore::open_in_root(&root)?;
        let private = &config.auth.private_key_path;
        let signer = TokenSigner::new(
            PrivateKey::read(private)
                .map_err(key_err(private))?
                .into_key_pair(),
        );
        let mut public = Vec::new();
        for path in std::iter::once(&config.auth.public_key_path)
            .chain(&config.auth.previous_public_key_paths)
        {
            public.push(
                PublicKey::read(path)
                    .map_err(key_err(path))?
                    .pkcs1_der()
                    .to_vec(),
            );
        }
        let verifier = TokenVerifier::new(public)?;
        ensure_admin_token(&root, &signer)?;
        let created_default_admin = match &setup.default_password {
            Some(password) => store.ensure_default_admin(password, now)?.is_some(),
            None => false,
        };
        let pruned_revocations = store.prune_revoked_tokens(now)?;
        let lifetimes = Lifetimes {
            access: config.auth.access_token_ttl,
            refresh: config.auth.refresh_token_ttl,
        };
        Ok(Started {
            service: AuthService::new(Arc::new(store), signer, verifier, lifetimes, root),
            created_default_admin,
            pruned_revocations,
        })
    }
}

/// The signer of `auth.private_key_path`.
pub fn load_signer(config: &Config) -> Result<TokenSigner, SetupError> {
    let private = &config.auth.private_key_path;
    Ok(TokenSigner::new(
        PrivateKey::read(private)
            .map_err(key_err(private))?
            .into_key_pair(),
    ))
}

/// A verifier of `auth.public_key_path`, then `auth.previous_public_key_paths`.
pub fn load_verifier(config: &Config) -> Result<TokenVerifier, SetupError> {
    let paths =
        std::iter::once(&config.auth.public_key_path).chain(&config.auth.previous_public_key_paths);
    verifier_of(paths)
}

/// A verifier of the PEM public keys at `paths`, in order.
pub fn verifier_of<'a>(
    paths: impl IntoIterator<Item = &'a PathBuf>,
) -> Result<TokenVerifier, SetupError> {
    let mut public = Vec::new();
    for path in paths {
        public.push(
            PublicKey::read(path)
                .map_err(key_err(path))?
                .pkcs1_der()
                .to_vec(),
        );
    }
    Ok(TokenVerifier::new(public)?)
}

/// The admin token of the configured root (`keys/admin_token.base64`), made when
/// missing; with `rotate`, a new one replaces it and the old one is revoked in the
/// admin store, which a running server consults on every request.
pub fn admin_token(config: &Config, rotate: bool, now: SystemTime) -> Result<String, SetupError> {
    let root = &config.storage.root_path;
    let signer = load_signer(config)?;
    if rotate {
        let store = AdminStore::open_in_root(root)?;
        Ok(store.rotate_admin_token(root, &signer, now)?)
    } else {
        Ok(ensure_admin_token(root, &signer)?)
    }
}
