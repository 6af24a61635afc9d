//! The HTTPS proxy's certificate chain and private key. Clients reject a
//! self-signed certificate, and the original server refused one, so the facts a
//! check needs about the leaf certificate are exposed alongside the parsed chain.

use std::path::Path;
use std::sync::Arc;

use rustls::sign::CertifiedKey;
use rustls_pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
};

use super::{first_block, read, KeyError};

/// A certificate chain (leaf first) and the private key of the leaf.
#[derive(Debug)]
pub struct TlsIdentity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// What a check needs to know about a leaf certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Issuer and subject are the same name: nobody vouches for this certificate.
    pub self_signed: bool,
    /// The end of the validity period has passed.
    pub expired: bool,
}

impl Certificate {
    pub fn inspect(der: &CertificateDer<'_>) -> Result<Certificate, KeyError> {
        let (_, cert) =
            x509_parser::parse_x509_certificate(der.as_ref()).map_err(|e| KeyError::Invalid {
                what: "certificate",
                reason: e.to_string(),
            })?;
        Ok(Certificate {
            self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
            expired: cert.validity().time_to_expiration().is_none(),
        })
    }
}

/// Every `CERTIFICATE` block of a PEM file, in order; other blocks are ignored.
pub fn parse_certificates(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, KeyError> {
    let blocks = pem::parse_many(bytes).map_err(|_| KeyError::NotPem)?;
    if blocks.is_empty() {
        return Err(KeyError::NotPem);
    }
    let chain: Vec<CertificateDer<'static>> = blocks
        .into_iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| CertificateDer::from(b.into_contents()))
        .collect();
    let Some(leaf) = chain.first() else {
        return Err(KeyError::NoCertificate);
    };
    Certificate::inspect(leaf)?;
    Ok(chain)
}

/// PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`).
pub fn parse_tls_private_key(bytes: &[u8]) -> Result<PrivateKeyDer<'static>, KeyError> {
    let block = first_block(bytes)?;
    let key = match block.tag() {
        "PRIVATE KEY" => PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(block.into_contents())),
        "RSA PRIVATE KEY" => PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(block.into_contents())),
        "EC PRIVATE KEY" => PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(block.into_contents())),
        other => {
            return Err(KeyError::UnexpectedLabel {
                found: other.to_string(),
                expected: "`PRIVATE KEY`, `RSA PRIVATE KEY` or `EC PRIVATE KEY`",
            })
        }
    };
    Ok(key)
}

/// Both files of an HTTPS identity, parsed but not yet matched.
pub fn read_tls_identity(certificate: &Path, key: &Path) -> Result<TlsIdentity, KeyError> {
    Ok(TlsIdentity {
        chain: parse_certificates(&read(certificate)?)?,
        key: parse_tls_private_key(&read(key)?)?,
    })
}

/// The identity in the form rustls serves, refused when the key is not the leaf's.
pub fn certified_key(identity: TlsIdentity) -> Result<Arc<CertifiedKey>, KeyError> {
    let signing =
        rustls::crypto::aws_lc_rs::sign::any_supported_type(&identity.key).map_err(|e| {
            KeyError::Invalid {
                what: "private key",
                reason: e.to_string(),
            }
        })?;
    let certified = CertifiedKey::new(identity.chain, signing);
    match certified.keys_match() {
        Ok(()) => Ok(Arc::new(certified)),
        Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => {
            Err(KeyError::CertificateKeyMismatch)
        }
        Err(e) => Err(KeyError::Invalid {
            what: "certificate",
            reason: e.to_string(),
        }),
    }
}
