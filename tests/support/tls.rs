//! A test certificate authority and a server certificate it signs, written as PEM.

use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

pub struct TestTls {
    pub ca_pem: String,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
}

impl TestTls {
    /// The environment that turns on the HTTPS proxy on loopback, any port,
    /// with this certificate.
    pub fn https_proxy_env(&self) -> [(&'static str, &str); 5] {
        [
            ("ROS_PROXY__HTTPS__ENABLE", "true"),
            ("ROS_PROXY__HTTPS__LISTEN_ADDRESS", "127.0.0.1"),
            ("ROS_PROXY__HTTPS__LISTEN_PORT", "0"),
            (
                "ROS_PROXY__HTTPS__CERTIFICATE_PATH",
                self.cert_path.to_str().expect("a UTF-8 temporary path"),
            ),
            (
                "ROS_PROXY__HTTPS__PRIVATE_KEY_PATH",
                self.key_path.to_str().expect("a UTF-8 temporary path"),
            ),
        ]
    }
}

/// Writes `server.crt` (for `localhost` and 127.0.0.1, signed by a fresh CA) and
/// `server.key` into `dir`.
pub fn ca_signed(dir: &Path) -> TestTls {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "ros test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();

    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();

    std::fs::create_dir_all(dir).unwrap();
    let cert_path = dir.join("server.crt");
    let key_path = dir.join("server.key");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    TestTls {
        ca_pem: ca.pem(),
        cert_path,
        key_path,
    }
}
