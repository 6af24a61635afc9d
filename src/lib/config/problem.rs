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
    InvalidDuration {
        key: Key,
        value: String,
    },
    InvalidCount {
        key: Key,
        value: String,
    },
    /// A number of bytes below the least its key accepts.
    TooSmall {
        key: Key,
        value: u64,
        minimum: u64,
    },
    ProtocolVersionOutOfRange {
        key: Key,
        value: String,
    },
    /// `sync.min_protocol_version` above `sync.max_protocol_version`.
    ProtocolRangeEmpty {
        min: u32,
        max: u32,
    },
    /// `sync.max_protocol_version` below what current clients speak.
    ProtocolTooOld {
        max: u32,
    },
    /// `sync.connection_idle_timeout` shorter than a client's ping cycle.
    IdleTimeoutShort {
        seconds: u64,
    },
    /// `network.header_read_timeout` too short for slow networks.
    HeaderTimeoutShort {
        seconds: u64,
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
    /// An `apps` entry that cannot be used, by its position in the list.
    InvalidApp {
        index: usize,
        detail: String,
    },
    /// A custom-token key file of an app that is missing or not a key.
    AppKey {
        app: String,
        path: PathBuf,
        error: String,
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
            | Problem::CertificateExpired { .. }
            | Problem::ProtocolTooOld { .. }
            | Problem::IdleTimeoutShort { .. }
            | Problem::HeaderTimeoutShort { .. } => Severity::Warning,
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
            Problem::InvalidDuration { .. } => "invalid-duration",
            Problem::InvalidCount { .. } => "invalid-number",
            Problem::TooSmall { .. } => "value-too-small",
            Problem::ProtocolVersionOutOfRange { .. } => "protocol-version-out-of-range",
            Problem::ProtocolRangeEmpty { .. } => "protocol-version-range",
            Problem::ProtocolTooOld { .. } => "old-protocol-version",
            Problem::IdleTimeoutShort { .. } => "short-idle-timeout",
            Problem::HeaderTimeoutShort { .. } => "short-header-timeout",
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
            Problem::InvalidApp { .. } => "invalid-app",
            Problem::AppKey { .. } => "invalid-app-key",
        }
    }

    pub fn message(&self) -> String {
        super::messages::message(self)
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
