//! Key material in PEM files: the RSA pair that signs and verifies tokens, and the
//! certificate and key of the HTTPS proxy.
//!
//! Everything here works on bytes or on one path at a time and returns typed errors
//! without naming the setting involved: the caller (`config`, `init`, the server)
//! knows which setting a file came from and says so in its own words.

mod jwks;
mod rsa;
mod tls;

pub use jwks::{parse_jwks, read_jwks, NamedKey};
pub use rsa::{generate, GeneratedPair, PrivateKey, PublicKey, RSA_BITS};
pub use tls::{
    certified_key, parse_certificates, parse_tls_private_key, read_tls_identity, Certificate,
    TlsIdentity,
};

use std::path::Path;

/// Why a key or certificate file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    #[error("the file is not in PEM format")]
    NotPem,
    #[error("the PEM block is `{found}`, expected {expected}")]
    UnexpectedLabel {
        found: String,
        expected: &'static str,
    },
    #[error("the {what} inside the PEM block is not valid: {reason}")]
    Invalid { what: &'static str, reason: String },
    #[error("the private key does not belong to the public key of the certificate")]
    CertificateKeyMismatch,
    #[error("the certificate chain is empty")]
    NoCertificate,
    #[error("key generation failed")]
    Generate,
}

fn read(path: &Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(KeyError::Read)
}

/// The first PEM block of `bytes`. A file may carry text around its blocks (as
/// `openssl` output often does); only the blocks count.
fn first_block(bytes: &[u8]) -> Result<pem::Pem, KeyError> {
    pem::parse_many(bytes)
        .map_err(|_| KeyError::NotPem)?
        .into_iter()
        .next()
        .ok_or(KeyError::NotPem)
}
