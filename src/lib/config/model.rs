//! The typed, validated configuration. Every path here is absolute (relative paths
//! in a file were resolved against that file's directory) and every value is legal.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The whole configuration of one server, ready to use.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file this configuration was read from; `None` for the development server.
    pub source: Option<PathBuf>,
    pub storage: Storage,
    pub auth: Auth,
    pub network: Network,
    pub proxy: Proxy,
    pub logging: Logging,
    /// `sync.*` (ours): the sync service's limits.
    pub sync: SyncSettings,
    /// `apps` (ours): the Realm apps served by the app client API.
    pub apps: Vec<super::apps::App>,
}

/// `sync.*`: what the sync service allows one Realm, one connection and the whole
/// process, so a misbehaving client costs a bounded amount of memory and disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncSettings {
    /// `sync.max_download_size`: a DOWNLOAD stops after the changeset that makes
    /// its changesets exceed this many bytes (realm-core's 16 MiB).
    pub max_download_size: u64,
    /// `sync.max_upload_backlog`: bytes of uploaded changesets one Realm may hold
    /// waiting for integration; beyond it an UPLOAD gets ERROR 100 with try_again.
    pub max_upload_backlog: u64,
    /// `sync.max_message_size`: the largest WebSocket message a client may send.
    pub max_message_size: u64,
    /// `sync.max_buffered_bytes`: bytes queued for one connection that its
    /// client has not read yet; past it the connection is closed (a slow reader
    /// must not grow the server).
    pub max_buffered_bytes: u64,
    /// `sync.connection_idle_timeout`: a connection that sent nothing (not even
    /// PING) for this long is closed. Clients ping every 60 s.
    pub connection_idle_timeout: Duration,
    /// `sync.realm_idle_timeout`: a Realm with no bound session is closed (its
    /// store released) after this long.
    pub realm_idle_timeout: Duration,
    /// `sync.max_open_realms`: Realms open at once; a BIND beyond it gets ERROR
    /// 200 with try_again until one closes.
    pub max_open_realms: usize,
    /// `sync.max_connections`: WebSocket connections at once; beyond it the
    /// upgrade is answered 503.
    pub max_connections: usize,
    /// `sync.min_protocol_version`: the oldest protocol version offered in
    /// negotiation, within 2–14 and at most `max_protocol_version`.
    pub min_protocol_version: u32,
    /// `sync.max_protocol_version`: the newest protocol version offered in
    /// negotiation, within 2–14; current Realm clients need at least 8.
    pub max_protocol_version: u32,
}

impl SyncSettings {
    /// The smallest `sync.max_message_size` accepted: 1 MiB.
    pub const MIN_MESSAGE_SIZE: u64 = 1024 * 1024;
    /// The sync protocol versions this server can negotiate, as realm-core's
    /// server does; `sync.min_protocol_version` and `sync.max_protocol_version`
    /// lie within it.
    pub const PROTOCOL_VERSIONS: std::ops::RangeInclusive<u32> = 2..=14;
    /// The oldest protocol version current Realm clients speak: a
    /// `sync.max_protocol_version` below it shuts them out (a warning).
    pub const CURRENT_CLIENT_PROTOCOL_VERSION: u32 = 8;
    /// Clients ping every 60 s and wait 120 s for the pong, so a
    /// `sync.connection_idle_timeout` below this may close healthy connections
    /// (a warning).
    pub const SAFE_CONNECTION_IDLE_TIMEOUT: Duration = Duration::from_secs(180);
}

impl Default for SyncSettings {
    fn default() -> SyncSettings {
        SyncSettings {
            max_download_size: 16 * 1024 * 1024,
            max_upload_backlog: 256 * 1024 * 1024,
            max_message_size: 64 * 1024 * 1024,
            max_buffered_bytes: 32 * 1024 * 1024,
            connection_idle_timeout: Duration::from_secs(300),
            realm_idle_timeout: Duration::from_secs(60),
            max_open_realms: 1000,
            max_connections: 10_000,
            min_protocol_version: 2,
            max_protocol_version: 14,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Storage {
    /// `storage.root_path`: everything the server writes lives below it.
    pub root_path: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    /// `auth.public_key_path`: verifies the tokens this server signed.
    pub public_key_path: PathBuf,
    /// `auth.private_key_path`: signs tokens.
    pub private_key_path: PathBuf,
    /// `auth.previous_public_key_paths` (ours): still accepted for verification, so
    /// the signing key can be rotated without ending every session.
    pub previous_public_key_paths: Vec<PathBuf>,
    /// `auth.providers.*`, kept as written; the providers come with later issues.
    pub providers: serde_json::Map<String, serde_json::Value>,
    /// `auth.access_token_ttl` (ours; the original's `--access-token-ttl`).
    pub access_token_ttl: Duration,
    /// `auth.refresh_token_ttl` (ours; the original's `--refresh-token-ttl`).
    pub refresh_token_ttl: Duration,
    /// `auth.login_throttle.*` (ours).
    pub login_throttle: LoginThrottle,
    /// `auth.registration.*` (ours).
    pub registration: Registration,
}

/// Whether clients may make their own accounts, and how fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    /// `auth.registration.password`: `POST /auth` with `register` may create a
    /// password account.
    pub password: bool,
    /// Registrations per client address within `window`.
    pub address_limit: u32,
    pub window: Duration,
}

/// How many failed logins are tolerated before `POST /auth` answers 429 for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures per username within `window`.
    pub account_failures: u32,
    /// Failures per client address within `window`.
    pub address_failures: u32,
    /// How long failures are remembered, and so how long a blocked login waits.
    pub window: Duration,
}

/// One listening socket: address and port. Port 0 means "any free port".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listen {
    pub address: IpAddr,
    pub port: u16,
}

impl Listen {
    pub fn socket_addr(self) -> SocketAddr {
        SocketAddr::new(self.address, self.port)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// `network.sync.*`: the sync service (default 127.0.0.1:27800).
    pub sync: Listen,
    /// `network.http.*`: the http service (default 127.0.0.1:27080).
    pub http: Listen,
    /// `network.authorization_header_name`: an extra header that carries the Realm
    /// token when a proxy in front owns `Authorization` (seed 003). Already a
    /// header name, so no reader parses it again.
    pub authorization_header_name: Option<axum::http::HeaderName>,
    /// `network.url_prefix`: a path prefix in front of every route, such as
    /// `/my/url/prefix` (seed 003). Starts with `/`, no trailing `/`.
    pub url_prefix: Option<String>,
    /// `network.http.max_body_bytes` (ours): the largest request body the http
    /// routes read (the original's `jsonBodyLimit`).
    pub max_body_bytes: usize,
    /// `network.trusted_proxies` (ours): peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// `network.header_read_timeout`, `network.idle_timeout` and
    /// `network.max_connections` (ours).
    pub limits: ConnectionLimits,
}

/// What one unauthenticated client may hold of the http and proxy listeners
/// (each listener on its own); the sync listener has `sync.*` instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time to send a whole request head (and to finish a TLS handshake), from
    /// the connection's start or the end of the previous answer.
    pub header_read_timeout: Duration,
    /// A connection that moves no byte for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once per listener.
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// Below this, clients on slow mobile networks may not get a request head
    /// through in time (a warning).
    pub const SAFE_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    /// `proxy.http.*` (default enabled on `::`:9080).
    pub http: Option<Listen>,
    /// `proxy.https.*` (default disabled; `::`:9443 when enabled).
    pub https: Option<HttpsProxy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpsProxy {
    pub listen: Listen,
    pub certificate_path: PathBuf,
    pub private_key_path: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Logging {
    /// `logging.path`: a file to append to; console when `None`.
    pub path: Option<PathBuf>,
    pub level: LogLevel,
    /// `logging.format` (ours).
    pub format: LogFormat,
}

/// The original server's nine log levels, from most to least verbose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    All,
    Trace,
    Debug,
    Detail,
    Info,
    Warn,
    Error,
    Fatal,
    Off,
}

impl LogLevel {
    pub const ALL: [LogLevel; 9] = [
        LogLevel::All,
        LogLevel::Trace,
        LogLevel::Debug,
        LogLevel::Detail,
        LogLevel::Info,
        LogLevel::Warn,
        LogLevel::Error,
        LogLevel::Fatal,
        LogLevel::Off,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LogLevel::All => "all",
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Detail => "detail",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
            LogLevel::Fatal => "fatal",
            LogLevel::Off => "off",
        }
    }

    pub fn from_name(name: &str) -> Option<LogLevel> {
        LogLevel::ALL.into_iter().find(|l| l.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }

    pub fn from_name(name: &str) -> Option<LogFormat> {
        match name {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// The documented defaults of the original server.
pub mod defaults {
    use super::*;

    pub const SYNC: Listen = Listen {
        address: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 27800,
    };
    pub const HTTP: Listen = Listen {
        address: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 27080,
    };
    pub const PROXY_HTTP: Listen = Listen {
        address: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        port: 9080,
    };
    pub const PROXY_HTTPS: Listen = Listen {
        address: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        port: 9443,
    };
    pub const PROXY_HTTP_ENABLE: bool = true;
    pub const PROXY_HTTPS_ENABLE: bool = false;
    pub const LOG_LEVEL: LogLevel = LogLevel::Info;
    pub const LOG_FORMAT: LogFormat = LogFormat::Text;
    /// The original's `--access-token-ttl` default.
    pub const ACCESS_TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(600);
    /// The original's `--refresh-token-ttl` default: ten 365-day years.
    pub const REFRESH_TOKEN_TTL: std::time::Duration =
        std::time::Duration::from_secs(10 * 365 * 24 * 60 * 60);
    /// The original's `jsonBodyLimit` ("100kb").
    pub const MAX_BODY_BYTES: usize = 100 * 1024;
    pub const CONNECTION_LIMITS: ConnectionLimits = ConnectionLimits {
        header_read_timeout: std::time::Duration::from_secs(30),
        idle_timeout: std::time::Duration::from_secs(120),
        max_connections: 1024,
    };
    pub const REGISTRATION: Registration = Registration {
        password: true,
        address_limit: 20,
        window: std::time::Duration::from_secs(3600),
    };
    pub const THROTTLE: LoginThrottle = LoginThrottle {
        account_failures: 5,
        address_failures: 20,
        window: std::time::Duration::from_secs(300),
    };
}

/// What the operator typed on the command line, not yet validated, so that
/// check-configuration can name the flag a bad value came from. Relative paths
/// here resolve against the current directory (not the configuration file's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--root`: `storage.root_path`.
    pub root: Option<PathBuf>,
    /// `--public-key`: `auth.public_key_path`.
    pub public_key: Option<PathBuf>,
    /// `--private-key`: `auth.private_key_path`.
    pub private_key: Option<PathBuf>,
    /// `--listen`: `proxy.http.listen_address`, the public entry point.
    pub listen: Option<String>,
    /// `--port`: `proxy.http.listen_port`.
    pub port: Option<String>,
    /// `--log-level`: `logging.level`.
    pub log_level: Option<String>,
    /// Keys set by other flags (`ros start`'s HTTPS, log file and token flags),
    /// reported under the flag's name.
    pub settings: Vec<FlagSetting>,
}

/// One configuration key a command-line flag sets. It is read as the flag layer
/// (above the environment), so a finding about it names the flag the operator
/// typed, never a variable they did not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagSetting {
    pub key: super::schema::Key,
    /// The flag as typed, e.g. `--https-port`.
    pub flag: &'static str,
    pub value: String,
}
