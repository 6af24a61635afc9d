//! The message of each [`Problem`]: one line saying what is wrong and where. The
//! hints live in `hints.rs`; no other file words a finding.

use super::model::{ConnectionLimits, SyncSettings};
use super::problem::{PrefixFault, Problem};
use super::schema::Key;

pub fn message(problem: &Problem) -> String {
    match problem {
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
        Problem::InvalidDuration { key, value } => {
            format!("`{}`: `{value}` is not a positive duration", key.path())
        }
        Problem::InvalidCount { key, value } => format!(
            "`{}`: `{value}` is not a whole number of at least 1",
            key.path()
        ),
        Problem::TooSmall {
            key,
            value,
            minimum,
        } => format!(
            "`{}` is {value} bytes; it must be at least {minimum} ({})",
            key.path(),
            binary_size(*minimum)
        ),
        Problem::ProtocolVersionOutOfRange { key, value } => {
            let versions = SyncSettings::PROTOCOL_VERSIONS;
            format!(
                "`{}` is {value}, outside the sync protocol versions {}-{}",
                key.path(),
                versions.start(),
                versions.end()
            )
        }
        Problem::ProtocolRangeEmpty { min, max } => format!(
            "`sync.min_protocol_version` ({min}) is above `sync.max_protocol_version` ({max}): \
             no protocol version is left to offer"
        ),
        Problem::ProtocolTooOld { max } => format!(
            "`sync.max_protocol_version` is {max}, and current Realm clients need protocol \
             version {} or later: they cannot connect",
            SyncSettings::CURRENT_CLIENT_PROTOCOL_VERSION
        ),
        Problem::IdleTimeoutShort { seconds } => format!(
            "`sync.connection_idle_timeout` is {seconds} s, less than {} s: clients ping every \
             60 s and wait 120 s for the answer, so healthy connections may be closed",
            SyncSettings::SAFE_CONNECTION_IDLE_TIMEOUT.as_secs()
        ),
        Problem::HeaderTimeoutShort { seconds } => format!(
            "`network.header_read_timeout` is {seconds} s, less than {} s: clients on slow \
             networks may not get a request head (or a TLS handshake) through in time",
            ConnectionLimits::SAFE_HEADER_READ_TIMEOUT.as_secs()
        ),
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
        Problem::InvalidApp { index, detail } => format!("`apps` entry {index}: {detail}"),
        Problem::AppKey { app, path, error } => format!(
            "app {app}: the custom-token key {} cannot be used: {error}",
            path.display()
        ),
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
        Kind::Duration => "a duration",
        Kind::Count => "a whole number",
        Kind::Bytes => "a number of bytes",
        Kind::ProtocolVersion => "a protocol version number",
        Kind::AddressList => "a list of IP addresses",
        Kind::Apps => "a list of apps, each a mapping with an `id`",
    }
}

/// `n` bytes in the largest binary unit that divides it, such as `1 MiB`.
pub fn binary_size(n: u64) -> String {
    let units = [(1u64 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    units
        .iter()
        .find(|(size, _)| n >= *size && n.is_multiple_of(*size))
        .map_or_else(
            || format!("{n} B"),
            |(size, unit)| format!("{} {unit}", n / size),
        )
}

fn readers(mode: u32) -> &'static str {
    match (mode & 0o040 != 0, mode & 0o004 != 0) {
        (true, true) => "its group and everyone else",
        (true, false) => "its group",
        _ => "everyone",
    }
}
