//! Key pairs, certificates and server directories made by the test itself, and a
//! runner for the real `ros` binary (as root or as the unprivileged `nobody`).

use std::net::TcpListener;
use std::os::unix::fs::{chown, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair as RsaPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

pub const NOBODY: u32 = 65534;

pub struct Material {
    pub private_pkcs8: String,
    pub private_pkcs1: String,
    pub public_spki: String,
    pub public_pkcs1: String,
    pub other_public: String,
    pub ca_cert: String,
    pub leaf_cert: String,
    pub leaf_key: String,
    pub self_cert: String,
    pub self_key: String,
}

fn pem(label: &str, der: &[u8]) -> String {
    pem::encode(&pem::Pem::new(label, der))
}

/// The `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo` (its third field).
fn pkcs1_of(pkcs8: &[u8]) -> Vec<u8> {
    let (_, info) = x509_parser::der_parser::parse_der(pkcs8).expect("pkcs8 der");
    let fields = info.as_sequence().expect("sequence");
    fields[2].as_slice().expect("octet string").to_vec()
}

fn rsa_pair() -> RsaPair {
    RsaPair::generate(KeySize::Rsa2048).expect("rsa")
}

pub fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| {
        let pair = rsa_pair();
        let pkcs8 = pair.as_der().expect("pkcs8");
        let other = rsa_pair();

        let ca_key = KeyPair::generate().expect("ca key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "ros test CA");
        let ca = ca_params.self_signed(&ca_key).expect("ca");
        let leaf_key = KeyPair::generate().expect("leaf key");
        let mut leaf_params = CertificateParams::new(vec!["localhost".to_string()]).expect("p");
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let leaf = leaf_params
            .signed_by(&leaf_key, &ca, &ca_key)
            .expect("leaf");
        let self_key = KeyPair::generate().expect("self key");
        let self_params = CertificateParams::new(vec!["localhost".to_string()]).expect("p");
        let self_cert = self_params.self_signed(&self_key).expect("self");

        Material {
            private_pkcs8: pem("PRIVATE KEY", pkcs8.as_ref()),
            private_pkcs1: pem("RSA PRIVATE KEY", &pkcs1_of(pkcs8.as_ref())),
            public_spki: pem(
                "PUBLIC KEY",
                pair.public_key().as_der().expect("spki").as_ref(),
            ),
            public_pkcs1: pem("RSA PUBLIC KEY", pair.public_key().as_ref()),
            other_public: pem(
                "PUBLIC KEY",
                other.public_key().as_der().expect("spki").as_ref(),
            ),
            ca_cert: ca.pem(),
            leaf_cert: format!("{}{}", leaf.pem(), ca.pem()),
            leaf_key: leaf_key.serialize_pem(),
            self_cert: self_cert.pem(),
            self_key: self_key.serialize_pem(),
        }
    })
}

/// A server directory: `data/`, `keys/auth.{key,pub}`, `keys/other.pub`,
/// `keys/pkcs1.{key,pub}`, `tls/{leaf,self}.{pem,key}`; traversable by `nobody`.
pub struct CaseDir {
    _tmp: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn write(path: &Path, text: &str, mode: u32) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

impl CaseDir {
    pub fn new() -> CaseDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().to_path_buf();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let m = material();
        std::fs::create_dir(path.join("data")).expect("mkdir");
        std::fs::set_permissions(path.join("data"), std::fs::Permissions::from_mode(0o700))
            .expect("chmod");
        write(&path.join("keys/auth.key"), &m.private_pkcs8, 0o600);
        write(&path.join("keys/auth.pub"), &m.public_spki, 0o644);
        write(&path.join("keys/pkcs1.key"), &m.private_pkcs1, 0o600);
        write(&path.join("keys/pkcs1.pub"), &m.public_pkcs1, 0o644);
        write(&path.join("keys/other.pub"), &m.other_public, 0o644);
        write(&path.join("tls/leaf.pem"), &m.leaf_cert, 0o644);
        write(&path.join("tls/leaf.key"), &m.leaf_key, 0o600);
        write(&path.join("tls/ca.pem"), &m.ca_cert, 0o644);
        write(&path.join("tls/self.pem"), &m.self_cert, 0o644);
        write(&path.join("tls/self.key"), &m.self_key, 0o600);
        std::fs::set_permissions(path.join("keys"), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        CaseDir { _tmp: tmp, path }
    }

    /// Hands everything in the directory to `nobody`, so a test can take one
    /// thing back and see that exact thing reported.
    pub fn give_to_nobody(&self) {
        fn walk(p: &Path) {
            chown(p, Some(NOBODY), Some(NOBODY)).expect("chown");
            if p.is_dir() {
                for entry in std::fs::read_dir(p).expect("read_dir") {
                    walk(&entry.expect("entry").path());
                }
            }
        }
        walk(&self.path);
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind")
        .port()
}

pub fn ros() -> &'static str {
    env!("CARGO_BIN_EXE_ros")
}

/// Runs `ros ARGS` in `cwd` with exactly `env` as its environment.
pub fn run(cwd: &Path, args: &[String], env: &[(String, String)], nobody: bool) -> Output {
    let mut command = if nobody {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", ros()]);
        c
    } else {
        Command::new(ros())
    };
    command
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run ros")
}
