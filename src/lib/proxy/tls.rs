//! The HTTPS proxy's TLS configuration, from `proxy.https.certificate_path` and
//! `proxy.https.private_key_path` (PEM).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the certificate {path} (proxy.https.certificate_path): {reason}", path = .path.display())]
    Certificate { path: PathBuf, reason: String },
    #[error("cannot read the private key {path} (proxy.https.private_key_path): {reason}", path = .path.display())]
    Key { path: PathBuf, reason: String },
    #[error("the HTTPS certificate and key do not work together: {0}")]
    Config(#[from] rustls::Error),
}

/// Builds the acceptor for the HTTPS proxy. HTTP/1.1 only: Realm clients upgrade to
/// WebSocket over HTTP/1.1.
pub fn tls_acceptor(certificate: &Path, key: &Path) -> Result<TlsAcceptor, TlsError> {
    let certs = CertificateDer::pem_file_iter(certificate)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| TlsError::Certificate {
            path: certificate.to_path_buf(),
            reason: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(TlsError::Certificate {
            path: certificate.to_path_buf(),
            reason: "no CERTIFICATE block in the file".to_string(),
        });
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Key {
        path: key.to_path_buf(),
        reason: e.to_string(),
    })?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
