//! The token key pair and the HTTPS identity: readable, PEM, the right kind of key,
//! halves of one pair, and (for HTTPS) a certificate some authority vouches for.

use std::path::PathBuf;

use super::files::{private_mode, readable};
use crate::config::layer::Sourced;
use crate::config::problem::Problem;
use crate::config::schema::Key;
use crate::config::sources::Raw;
use crate::config::CustomTokenKey;
use crate::keys::{self, Certificate, KeyError, PrivateKey, PublicKey};

fn bad(key: Key, path: &std::path::Path, e: KeyError) -> Problem {
    Problem::BadKey {
        key,
        path: path.to_path_buf(),
        error: e.to_string(),
    }
}

pub fn auth_pair(private: &Sourced<PathBuf>, public: &Sourced<PathBuf>, out: &mut Raw) {
    let private_key = readable(
        Key::AuthPrivateKeyPath,
        &private.value,
        &private.origin,
        out,
    )
    .then(|| {
        private_mode(
            Key::AuthPrivateKeyPath,
            &private.value,
            &private.origin,
            out,
        );
        PrivateKey::read(&private.value).map_err(|e| {
            let p = bad(Key::AuthPrivateKeyPath, &private.value, e);
            out.push((p, private.origin.clone()));
        })
    });
    let public_key =
        readable(Key::AuthPublicKeyPath, &public.value, &public.origin, out).then(|| {
            PublicKey::read(&public.value).map_err(|e| {
                let p = bad(Key::AuthPublicKeyPath, &public.value, e);
                out.push((p, public.origin.clone()));
            })
        });
    if let (Some(Ok(private_key)), Some(Ok(public_key))) = (private_key, public_key) {
        if !private_key.matches(&public_key) {
            out.push((
                Problem::KeyPairMismatch {
                    private: private.value.clone(),
                    public: public.value.clone(),
                },
                public.origin.clone(),
            ));
        }
    }
}

pub fn previous(paths: &Sourced<Vec<PathBuf>>, out: &mut Raw) {
    let key = Key::AuthPreviousPublicKeyPaths;
    for path in &paths.value {
        if readable(key, path, &paths.origin, out) {
            if let Err(e) = PublicKey::read(path) {
                out.push((bad(key, path, e), paths.origin.clone()));
            }
        }
    }
}

pub fn https(certificate: &Sourced<PathBuf>, key: &Sourced<PathBuf>, out: &mut Raw) {
    let cert_key = Key::ProxyHttpsCertificatePath;
    let key_key = Key::ProxyHttpsPrivateKeyPath;
    let chain = readable(cert_key, &certificate.value, &certificate.origin, out)
        .then(|| std::fs::read(&certificate.value))
        .and_then(Result::ok)
        .and_then(|bytes| match keys::parse_certificates(&bytes) {
            Ok(chain) => Some(chain),
            Err(e) => {
                out.push((
                    Problem::BadCertificate {
                        path: certificate.value.clone(),
                        error: e.to_string(),
                    },
                    certificate.origin.clone(),
                ));
                None
            }
        });
    let private = readable(key_key, &key.value, &key.origin, out)
        .then(|| {
            private_mode(key_key, &key.value, &key.origin, out);
            std::fs::read(&key.value)
        })
        .and_then(Result::ok)
        .and_then(|bytes| match keys::parse_tls_private_key(&bytes) {
            Ok(k) => Some(k),
            Err(e) => {
                out.push((bad(key_key, &key.value, e), key.origin.clone()));
                None
            }
        });
    let (Some(chain), Some(private)) = (chain, private) else {
        return;
    };
    let leaf = chain.first().map(Certificate::inspect);
    let identity = keys::TlsIdentity {
        chain,
        key: private,
    };
    match keys::certified_key(identity) {
        Ok(_) => {}
        Err(KeyError::CertificateKeyMismatch) => {
            out.push((
                Problem::CertificateKeyMismatch {
                    certificate: certificate.value.clone(),
                    key: key.value.clone(),
                },
                key.origin.clone(),
            ));
            return;
        }
        Err(e) => {
            out.push((bad(key_key, &key.value, e), key.origin.clone()));
            return;
        }
    }
    if let Some(Ok(leaf)) = leaf {
        let path = certificate.value.clone();
        if leaf.self_signed {
            out.push((Problem::SelfSigned { path }, certificate.origin.clone()));
        } else if leaf.expired {
            out.push((
                Problem::CertificateExpired { path },
                certificate.origin.clone(),
            ));
        }
    }
}

/// Each app's custom-token key must load (readable, PEM RSA key or a JWKS with RSA
/// keys): otherwise every custom-token login would fail at runtime.
pub fn app_keys(apps: &Sourced<Vec<crate::config::App>>, out: &mut Raw) {
    for app in &apps.value {
        let Some(custom) = &app.custom_token else {
            continue;
        };
        let (path, loaded) = match &custom.key {
            CustomTokenKey::PublicKey(path) => (path, PublicKey::read(path).map(drop)),
            CustomTokenKey::Jwks(path) => (path, keys::read_jwks(path).map(drop)),
        };
        if let Err(e) = loaded {
            out.push((
                Problem::AppKey {
                    app: app.id.clone(),
                    path: path.clone(),
                    error: e.to_string(),
                },
                apps.origin.clone(),
            ));
        }
    }
}
