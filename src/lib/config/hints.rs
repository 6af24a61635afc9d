//! The "what to do next" line of each [`Problem`], kept beside `problem.rs` so
//! that all the words a check can say live in these two files.

use super::messages::binary_size;
use super::model::{ConnectionLimits, LogLevel, SyncSettings};
use super::problem::{KeyHint, Problem};
use super::schema::{Key, Kind};

pub fn hint(problem: &Problem) -> Option<String> {
    let text = match problem {
        Problem::Syntax { colon: true, .. } => {
            "quote a value that contains `: ` or starts with `:`, such as listen_address: \"::\""
                .into()
        }
        Problem::Syntax { .. } => {
            "check the indentation and the `key: value` form here and on the line before".into()
        }
        Problem::NotAMapping { .. } => "write the keys indented below it, one per line".into(),
        Problem::UnknownKey { hint, .. } => match hint {
            KeyHint::DidYouMean(name) => format!("did you mean `{name}`?"),
            KeyHint::BelongsUnder(places) => format!("this key belongs under {}", list(places)),
            KeyHint::Expected(names) => format!("the keys here are {}", list(names)),
        },
        Problem::NonStringKey { .. } => "write a key name followed by `:`".into(),
        Problem::WrongType { key, found } => wrong_type(*key, found),
        Problem::PortOutOfRange { .. } => "0 lets the system pick any free port".into(),
        Problem::InvalidAddress { value, .. } => address(value),
        Problem::InvalidLogLevel { .. } => {
            format!("use one of {}", LogLevel::ALL.map(|l| l.name()).join(", "))
        }
        Problem::InvalidLogFormat { .. } => "use `text` or `json`".into(),
        Problem::InvalidUrlPrefix { .. } => "write it like `/my/url/prefix`".into(),
        Problem::InvalidHeaderName { .. } => {
            "use letters, digits and `-`, such as `X-Realm-Auth`".into()
        }
        Problem::InvalidDuration { .. } => {
            "write seconds (600) or a number with s, m, h or d (10m, 30d)".into()
        }
        Problem::InvalidCount { key, .. } if key.kind() == Kind::Bytes => {
            "write a number of bytes without quotes, such as 16777216 for 16 MiB".into()
        }
        Problem::InvalidCount { .. } => "write a whole number such as 5, without quotes".into(),
        Problem::TooSmall { key, .. } => format!(
            "leave `{}` out for its default, {} ({})",
            key.path(),
            default_bytes(*key),
            binary_size(default_bytes(*key))
        ),
        Problem::ProtocolVersionOutOfRange { .. } => {
            let versions = SyncSettings::PROTOCOL_VERSIONS;
            format!(
                "this server speaks sync protocol versions {} to {}",
                versions.start(),
                versions.end()
            )
        }
        Problem::ProtocolRangeEmpty { .. } => {
            "make `sync.min_protocol_version` at most `sync.max_protocol_version`, or leave \
             both out to offer every version"
                .into()
        }
        Problem::ProtocolTooOld { .. } => format!(
            "leave `sync.max_protocol_version` out to offer every version up to {}",
            SyncSettings::PROTOCOL_VERSIONS.end()
        ),
        Problem::IdleTimeoutShort { .. } => format!(
            "use {} or more, or leave it out for the default, {}",
            SyncSettings::SAFE_CONNECTION_IDLE_TIMEOUT.as_secs(),
            SyncSettings::default().connection_idle_timeout.as_secs()
        ),
        Problem::HeaderTimeoutShort { .. } => format!(
            "use {} or more, or leave it out for the default, {}",
            ConnectionLimits::SAFE_HEADER_READ_TIMEOUT.as_secs(),
            super::model::defaults::CONNECTION_LIMITS
                .header_read_timeout
                .as_secs()
        ),
        Problem::HeaderNameIsDefault => "leave the setting out".into(),
        Problem::UnknownEnv {
            suggestion: Some(name),
            ..
        } => format!("did you mean `{name}`?"),
        Problem::UnknownEnv { .. } => format!(
            "configuration variables are ROS_ and the key path with `__` between levels, \
             such as {}",
            Key::HttpListenPort.env_name()
        ),
        Problem::EnvNamesSection { .. } => "set one key of the section per variable".into(),
        Problem::EnvNotSupported { .. } => return None,
        Problem::Missing { key } => match key.flag() {
            Some(flag) => format!(
                "set `{}` in the configuration file, or give {flag} (or {})",
                key.path(),
                key.env_name()
            ),
            None => format!("set `{}` in the configuration file", key.path()),
        },
        Problem::HttpsMissing { .. } => {
            "give it a PEM file, or set `proxy.https.enable: false`".into()
        }
        Problem::RootMissing { path } => format!(
            "create it with `mkdir -m 0700 {}`, or let `ros init` lay out a new one",
            path.display()
        ),
        Problem::RootNotDirectory { .. } => "point `storage.root_path` at a directory".into(),
        Problem::RootNoAccess { .. } => {
            "give the user that runs ros read, write and search access (chown or chmod u+rwx)"
                .into()
        }
        Problem::FileMissing { .. } => "check the path; relative paths in the file are \
             resolved against the directory of the configuration file"
            .into(),
        Problem::FileUnreadable { .. } => "give the user that runs ros read access".into(),
        Problem::BadKey { key, .. } if *key == Key::ProxyHttpsPrivateKeyPath => {
            "expected a PEM private key (PKCS#8, PKCS#1 or SEC1)".into()
        }
        Problem::BadKey { .. } => {
            "expected an RSA key in PEM; `ros init` generates a fresh pair".into()
        }
        Problem::BadCertificate { .. } => "expected PEM certificates, the server's first".into(),
        Problem::KeyPairMismatch { .. } => {
            "point both settings at the two halves of one pair; `ros init` generates a new pair"
                .into()
        }
        Problem::CertificateKeyMismatch { .. } => {
            "use the private key the certificate was issued for".into()
        }
        Problem::PrivateKeyExposed { path, .. } => format!("chmod 600 {}", path.display()),
        Problem::SelfSigned { .. } => "clients refuse self-signed certificates; use one issued \
             by a certificate authority"
            .into(),
        Problem::CertificateExpired { .. } => "renew the certificate".into(),
        Problem::DuplicatePort { .. } => {
            "every listener needs a port of its own (0 lets the system pick one)".into()
        }
        Problem::PrivilegedPort { start, .. } => format!(
            "listen on port {start} or above and forward the low port to it (iptables \
             REDIRECT), or grant the binary CAP_NET_BIND_SERVICE"
        ),
        Problem::PortInUse { address, .. } => format!(
            "stop the other process (`ss -ltnp 'sport = :{}'` names it) or choose another port",
            address.port()
        ),
        Problem::PortHeldByServer { .. } => return None,
        Problem::AddressUnavailable { .. } => {
            "use an address of one of this machine's interfaces, 0.0.0.0 or ::".into()
        }
        Problem::BindFailed { .. } => return None,
        Problem::LogPathIsDirectory { .. } => "name a file inside that directory".into(),
        Problem::LogNotWritable { .. } | Problem::LogDirNotWritable { .. } => {
            "give the user that runs ros write access, or leave `logging.path` unset for the \
             console"
                .into()
        }
        Problem::LogDirMissing { .. } => "create the directory first".into(),
        Problem::InvalidApp { .. } => "see the `apps` section of docs/configuration.md".into(),
        Problem::AppKey { .. } => "give a PEM RSA public key (public_key_path) or a JWKS \
             file with RSA keys (jwks_path), readable by the user that runs ros"
            .into(),
    };
    Some(text)
}

fn wrong_type(key: Key, found: &str) -> String {
    match key.kind() {
        Kind::Port if found.starts_with("a string") => "write the number without quotes".into(),
        Kind::Count | Kind::Bytes | Kind::ProtocolVersion if quoted_number(found) => {
            "write the number without quotes".into()
        }
        Kind::Port => "0 lets the system pick any free port".into(),
        Kind::Count | Kind::Bytes => "write a whole number of at least 1".into(),
        Kind::ProtocolVersion => {
            let versions = SyncSettings::PROTOCOL_VERSIONS;
            format!(
                "write a whole number from {} to {}",
                versions.start(),
                versions.end()
            )
        }
        Kind::AddressList => "write a YAML list, such as [10.0.0.1], or a `,`-separated list in \
             the environment"
            .into(),
        Kind::PathList => "write a YAML list, such as [old.pub], or a `:`-separated list in \
             the environment"
            .into(),
        Kind::Bool => "write true or false without quotes".into(),
        Kind::Mapping => "write one entry per provider, indented below the key".into(),
        Kind::Apps => "write a YAML list such as [{id: my-app}], or the same list as JSON in \
             ROS_APPS"
            .into(),
        Kind::LogLevel => format!("use one of {}", LogLevel::ALL.map(|l| l.name()).join(", ")),
        _ => "write the value as text".into(),
    }
}

/// Is `found` (as [`describe`](super::convert::describe) words it) a string
/// that holds a whole number, such as `"32"`?
fn quoted_number(found: &str) -> bool {
    found
        .strip_prefix("a string (`")
        .and_then(|rest| rest.strip_suffix("`)"))
        .is_some_and(|text| text.trim().parse::<i64>().is_ok())
}

/// The default of a `sync.*` size, for hints.
fn default_bytes(key: Key) -> u64 {
    let d = SyncSettings::default();
    match key {
        Key::SyncMaxDownloadSize => d.max_download_size,
        Key::SyncMaxUploadBacklog => d.max_upload_backlog,
        Key::SyncMaxBufferedBytes => d.max_buffered_bytes,
        _ => d.max_message_size,
    }
}

fn address(value: &str) -> String {
    let inner = value.trim_start_matches('[').trim_end_matches(']');
    if value.eq_ignore_ascii_case("localhost") {
        "write 127.0.0.1 (or ::1 for IPv6) instead of a host name".into()
    } else if value.starts_with('[') && inner.parse::<std::net::IpAddr>().is_ok() {
        format!("write the address without brackets: {inner}")
    } else if value.parse::<std::net::SocketAddr>().is_ok() {
        "write the address alone and put the port in `listen_port`".into()
    } else {
        "use 127.0.0.1 for this machine only, 0.0.0.0 for every IPv4 interface, :: for every \
         interface"
            .into()
    }
}

fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
