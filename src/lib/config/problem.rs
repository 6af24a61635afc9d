//! Every problem a configuration check can report, and the only place their words
//! are written. A check builds a [`Problem`]; severity, code, message and hint
//! follow from it.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::finding::Severity;
use super::schema::Key;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Syntax {
        detail: String,
        colon: bool,
    },
    NotAMapping {
        section: String,
        found: String,
    },
    UnknownKey {
        key: String,
        hint: KeyHint,
    },
    NonStringKey {
        section: String,
        found: String,
    },
    WrongType {
        key: Key,
        found: String,
    },
    PortOutOfRange {
        key: Key,
        value: String,
    },
    InvalidAddress {
        key: Key,
        value: String,
    },
    InvalidLogLevel {
        value: String,
    },
    InvalidLogFormat {
        value: String,
    },
    InvalidUrlPrefix {
        value: String,
        fault: PrefixFault,
    },
    InvalidHeaderName {
        value: String,
    },
    HeaderNameIsDefault,
    UnknownEnv {
        variable: String,
        suggestion: Option<String>,
    },
    EnvNamesSection {
        variable: String,
        section: String,
    },
    EnvNotSupported {
        variable: String,
        key: Key,
    },
    Missing {
        key: Key,
    },
    HttpsMissing {
        key: Key,
    },
    RootMissing {
        path: PathBuf,
    },
    RootNotDirectory {
        path: PathBuf,
    },
    RootNoAccess {
        path: PathBuf,
        lacking: &'static str,
        uid: u32,
    },
    FileMissing {
        key: Key,
        path: PathBuf,
    },
    FileUnreadable {
        key: Key,
        path: PathBuf,
        uid: u32,
    },
    BadKey {
        key: Key,
        path: PathBuf,
        error: String,
    },
    BadCertificate {
        path: PathBuf,
        error: String,
    },
    KeyPairMismatch {
        private: PathBuf,
        public: PathBuf,
    },
    CertificateKeyMismatch {
        certificate: PathBuf,
        key: PathBuf,
    },
    PrivateKeyExposed {
        key: Key,
        path: PathBuf,
        mode: u32,
    },
    SelfSigned {
        path: PathBuf,
    },
    CertificateExpired {
        path: PathBuf,
    },
    DuplicatePort {
        key: Key,
        port: u16,
        other: Key,
    },
    PrivilegedPort {
        key: Key,
        port: u16,
        start: u16,
        uid: u32,
    },
    PortInUse {
        key: Key,
        address: SocketAddr,
    },
    PortHeldByServer {
        key: Key,
        address: SocketAddr,
        pid: u32,
    },
    AddressUnavailable {
        key: Key,
        address: SocketAddr,
    },
    BindFailed {
        key: Key,
        address: SocketAddr,
        error: String,
    },
    LogPathIsDirectory {
        path: PathBuf,
    },
    LogNotWritable {
        path: PathBuf,
        uid: u32,
    },
    LogDirMissing {
        dir: PathBuf,
    },
    LogDirNotWritable {
        dir: PathBuf,
        uid: u32,
    },
}

/// What to say after "unknown key".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyHint {
    /// A key of the same section with a similar name.
    DidYouMean(String),
    /// The name is a key of other sections: they are listed.
    BelongsUnder(Vec<String>),
    /// Nothing similar: the keys this section takes.
    Expected(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixFault {
    NoLeadingSlash,
    TrailingSlash,
    EmptySegment,
    Character(char),
}

impl Problem {
    pub fn severity(&self) -> Severity {
        match self {
            Problem::UnknownEnv { .. }
            | Problem::EnvNamesSection { .. }
            | Problem::EnvNotSupported { .. }
            | Problem::PrivateKeyExposed { .. }
            | Problem::CertificateExpired { .. } => Severity::Warning,
            Problem::HeaderNameIsDefault | Problem::PortHeldByServer { .. } => Severity::Note,
            _ => Severity::Error,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Problem::Syntax { .. } => "yaml-syntax",
            Problem::NotAMapping { .. } => "not-a-mapping",
            Problem::UnknownKey { .. } | Problem::NonStringKey { .. } => "unknown-key",
            Problem::WrongType { .. } => "wrong-type",
            Problem::PortOutOfRange { .. } => "port-out-of-range",
            Problem::InvalidAddress { .. } => "invalid-address",
            Problem::InvalidLogLevel { .. } => "invalid-log-level",
            Problem::InvalidLogFormat { .. } => "invalid-log-format",
            Problem::InvalidUrlPrefix { .. } => "invalid-url-prefix",
            Problem::InvalidHeaderName { .. } => "invalid-header-name",
            Problem::HeaderNameIsDefault => "default-header-name",
            Problem::UnknownEnv { .. }
            | Problem::EnvNamesSection { .. }
            | Problem::EnvNotSupported { .. } => "unknown-env",
            Problem::Missing { .. } | Problem::HttpsMissing { .. } => "missing-setting",
            Problem::RootMissing { .. } => "root-missing",
            Problem::RootNotDirectory { .. } => "root-not-directory",
            Problem::RootNoAccess { .. } => "root-permissions",
            Problem::FileMissing { .. } => "file-missing",
            Problem::FileUnreadable { .. } => "file-unreadable",
            Problem::BadKey { .. } => "invalid-key",
            Problem::BadCertificate { .. } => "invalid-certificate",
            Problem::KeyPairMismatch { .. } | Problem::CertificateKeyMismatch { .. } => {
                "key-mismatch"
            }
            Problem::PrivateKeyExposed { .. } => "key-permissions",
            Problem::SelfSigned { .. } => "self-signed-certificate",
            Problem::CertificateExpired { .. } => "certificate-expired",
            Problem::DuplicatePort { .. } => "duplicate-port",
            Problem::PrivilegedPort { .. } => "privileged-port",
            Problem::PortInUse { .. } => "port-in-use",
            Problem::PortHeldByServer { .. } => "port-held-by-server",
            Problem::AddressUnavailable { .. } => "address-unavailable",
            Problem::BindFailed { .. } => "bind-failed",
            Problem::LogPathIsDirectory { .. }
            | Problem::LogNotWritable { .. }
            | Problem::LogDirMissing { .. }
            | Problem::LogDirNotWritable { .. } => "log-path",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Problem::Syntax { detail, .. } => format!("the file is not valid YAML: {detail}"),
            Problem::NotAMapping { section, found } if section.is_empty() => {
                format!("the configuration must be a mapping of sections, found {found}")
            }
            Problem::NotAMapping { section, found } => {
                format!("`{section}` must be a mapping of keys, found {found}")
            }
            Problem::UnknownKey { key, .. } => format!("unknown key `{key}`"),
            Problem::NonStringKey { section, found } => {
                format!("keys of `{section}` must be names, found {found}")
            }
            Problem::WrongType { key, found } => {
                format!("`{}` must be {}, found {found}", key.path(), expected(*key))
            }
            Problem::PortOutOfRange { key, value } => format!(
                "`{}` is {value}, outside the port range 0-65535",
                key.path()
            ),
            Problem::InvalidAddress { key, value } => {
                format!("`{}`: `{value}` is not an IP address", key.path())
            }
            Problem::InvalidLogLevel { value } => {
                format!("`logging.level`: `{value}` is not a log level")
            }
            Problem::InvalidLogFormat { value } => {
                format!("`logging.format`: `{value}` is not a log format")
            }
            Problem::InvalidUrlPrefix { value, fault } => {
                let why = match fault {
                    PrefixFault::NoLeadingSlash => "must start with `/`".to_string(),
                    PrefixFault::TrailingSlash => "must not end with `/`".to_string(),
                    PrefixFault::EmptySegment => "has an empty segment (`//`)".to_string(),
                    PrefixFault::Character(c) => {
                        format!("contains {c:?}, which does not belong in a URL path")
                    }
                };
                format!("`network.url_prefix`: `{value}` {why}")
            }
            Problem::InvalidHeaderName { value } => {
                format!("`network.authorization_header_name`: `{value}` is not an HTTP header name")
            }
            Problem::HeaderNameIsDefault => {
                "`network.authorization_header_name` is `Authorization`, which is always read"
                    .to_string()
            }
            Problem::UnknownEnv { variable, .. } => {
                format!("`{variable}` is not a configuration variable; it is ignored")
            }
            Problem::EnvNamesSection { variable, section } => {
                format!("`{variable}` names the section `{section}`, not a key; it is ignored")
            }
            Problem::EnvNotSupported { variable, key } => format!(
                "`{}` can only be set in the configuration file; `{variable}` is ignored",
                key.path()
            ),
            Problem::Missing { key } => format!("`{}` is not set", key.path()),
            Problem::HttpsMissing { key } => {
                format!("the HTTPS proxy is enabled but `{}` is not set", key.path())
            }
            Problem::RootMissing { path } => {
                format!("the data directory {} does not exist", path.display())
            }
            Problem::RootNotDirectory { path } => {
                format!("the data directory {} is not a directory", path.display())
            }
            Problem::RootNoAccess { path, lacking, uid } => format!(
                "the data directory {} is not {lacking} by this user (uid {uid})",
                path.display()
            ),
            Problem::FileMissing { key, path } => {
                format!("`{}`: {} does not exist", key.path(), path.display())
            }
            Problem::FileUnreadable { key, path, uid } => format!(
                "`{}`: {} is not readable by this user (uid {uid})",
                key.path(),
                path.display()
            ),
            Problem::BadKey { key, path, error } => {
                format!("`{}`: {}: {error}", key.path(), path.display())
            }
            Problem::BadCertificate { path, error } => format!(
                "`proxy.https.certificate_path`: {}: {error}",
                path.display()
            ),
            Problem::KeyPairMismatch { private, public } => format!(
                "the private key {} and the public key {} are not a pair: \
                 a signature made with one does not verify with the other",
                private.display(),
                public.display()
            ),
            Problem::CertificateKeyMismatch { certificate, key } => format!(
                "the HTTPS private key {} does not belong to the certificate {}",
                key.display(),
                certificate.display()
            ),
            Problem::PrivateKeyExposed { path, mode, .. } => format!(
                "the private key {} can be read by {} (mode {:03o})",
                path.display(),
                readers(*mode),
                mode & 0o777
            ),
            Problem::SelfSigned { path } => {
                format!("the certificate {} is self-signed", path.display())
            }
            Problem::CertificateExpired { path } => {
                format!("the certificate {} has expired", path.display())
            }
            Problem::DuplicatePort { key, port, other } => format!(
                "`{}`: port {port} is already the port of `{}`",
                key.path(),
                other.path()
            ),
            Problem::PrivilegedPort {
                key,
                port,
                start,
                uid,
            } => format!(
                "`{}`: port {port} is below {start}, and only a privileged user may listen \
                 there (this is uid {uid})",
                key.path()
            ),
            Problem::PortInUse { key, address } => format!(
                "`{}`: {address} is already in use by another process",
                key.path()
            ),
            Problem::PortHeldByServer { key, address, pid } => format!(
                "`{}`: {address} is held by the ros server running on this data directory \
                 (pid {pid})",
                key.path()
            ),
            Problem::AddressUnavailable { key, address } => format!(
                "`{}`: cannot listen on {address}: {} is not an address of this machine",
                key.path(),
                address.ip()
            ),
            Problem::BindFailed {
                key,
                address,
                error,
            } => format!("`{}`: cannot listen on {address}: {error}", key.path()),
            Problem::LogPathIsDirectory { path } => {
                format!("the log file {} is a directory", path.display())
            }
            Problem::LogNotWritable { path, uid } => format!(
                "the log file {} is not writable by this user (uid {uid})",
                path.display()
            ),
            Problem::LogDirMissing { dir } => format!(
                "the directory {} of the log file does not exist",
                dir.display()
            ),
            Problem::LogDirNotWritable { dir, uid } => format!(
                "the directory {} of the log file is not writable by this user (uid {uid})",
                dir.display()
            ),
        }
    }

    /// The file was not understood at all: checking its values would only add
    /// noise (every mandatory key would be "missing").
    pub fn stops_checks(&self) -> bool {
        match self {
            Problem::Syntax { .. } => true,
            Problem::NotAMapping { section, .. } => section.is_empty(),
            _ => false,
        }
    }

    pub fn hint(&self) -> Option<String> {
        super::hints::hint(self)
    }
}

/// What a key takes, in words.
pub fn expected(key: Key) -> &'static str {
    use super::schema::Kind;
    match key.kind() {
        Kind::Path => "a path",
        Kind::PathList => "a list of paths",
        Kind::Mapping => "a mapping",
        Kind::Address => "an IP address",
        Kind::Port => "a port number (0-65535)",
        Kind::Bool => "true or false",
        Kind::LogLevel => "a log level",
        Kind::LogFormat => "`text` or `json`",
        Kind::HeaderName => "an HTTP header name",
        Kind::UrlPrefix => "a URL path",
    }
}

fn readers(mode: u32) -> &'static str {
    match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (true, true) => "its group and everyone else",
        (true, false) => "its group",
        _ => "everyone",
    }
}
