//! Every configuration key, once: its dotted path, what kind of value it takes,
//! which flag overrides it and whether it is ours rather than the original
//! server's. Unknown-key detection, the environment names, `ros init`'s template
//! check and the documentation table all read this list, so they cannot drift.

/// One configuration key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    StorageRootPath,
    AuthPublicKeyPath,
    AuthPrivateKeyPath,
    AuthPreviousPublicKeyPaths,
    AuthProviders,
    AuthAccessTokenTtl,
    AuthRefreshTokenTtl,
    AuthThrottleAccountFailures,
    AuthThrottleAddressFailures,
    AuthThrottleWindow,
    AuthRegistrationPassword,
    AuthRegistrationAddressLimit,
    AuthRegistrationWindow,
    SyncListenAddress,
    SyncListenPort,
    HttpListenAddress,
    HttpListenPort,
    HttpMaxBodyBytes,
    AuthorizationHeaderName,
    UrlPrefix,
    TrustedProxies,
    NetworkHeaderReadTimeout,
    NetworkIdleTimeout,
    NetworkMaxConnections,
    ProxyHttpEnable,
    ProxyHttpListenAddress,
    ProxyHttpListenPort,
    ProxyHttpsEnable,
    ProxyHttpsListenAddress,
    ProxyHttpsListenPort,
    ProxyHttpsCertificatePath,
    ProxyHttpsPrivateKeyPath,
    LoggingPath,
    LoggingLevel,
    LoggingFormat,
    SyncMaxDownloadSize,
    SyncMaxUploadBacklog,
    SyncMaxMessageSize,
    SyncMaxBufferedBytes,
    SyncConnectionIdleTimeout,
    SyncRealmIdleTimeout,
    SyncMaxOpenRealms,
    SyncMaxConnections,
    SyncMinProtocolVersion,
    SyncMaxProtocolVersion,
    Apps,
}

/// The shape of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Path,
    PathList,
    /// A free-form mapping kept as written (`auth.providers`).
    Mapping,
    Address,
    Port,
    Bool,
    LogLevel,
    LogFormat,
    HeaderName,
    UrlPrefix,
    /// Whole seconds, or a number with a unit: `90s`, `10m`, `12h`, `30d`. Positive.
    Duration,
    /// A whole number of at least 1.
    Count,
    /// A number of bytes: a whole number of at least 1 (at least 1 MiB for
    /// `sync.max_message_size`).
    Bytes,
    /// A sync protocol version, within
    /// [`SyncSettings::PROTOCOL_VERSIONS`](super::model::SyncSettings::PROTOCOL_VERSIONS).
    ProtocolVersion,
    AddressList,
    /// A list of apps (`apps`, docs/app-api.md).
    Apps,
}

/// Environment variables that belong to the CLI, not to the configuration.
pub const RESERVED_ENV: [&str; 5] = [
    "ROS_CONFIG",
    "ROS_URL",
    "ROS_TOKEN",
    "ROS_TOKEN_FILE",
    "ROS_DEFAULT_PASSWORD",
];

pub const ENV_PREFIX: &str = "ROS_";

/// Separates levels of the key path in an environment name.
pub const ENV_SEPARATOR: &str = "__";

impl Key {
    pub const ALL: [Key; 46] = [
        Key::StorageRootPath,
        Key::AuthPublicKeyPath,
        Key::AuthPrivateKeyPath,
        Key::AuthPreviousPublicKeyPaths,
        Key::AuthProviders,
        Key::AuthAccessTokenTtl,
        Key::AuthRefreshTokenTtl,
        Key::AuthThrottleAccountFailures,
        Key::AuthThrottleAddressFailures,
        Key::AuthThrottleWindow,
        Key::AuthRegistrationPassword,
        Key::AuthRegistrationAddressLimit,
        Key::AuthRegistrationWindow,
        Key::SyncListenAddress,
        Key::SyncListenPort,
        Key::HttpListenAddress,
        Key::HttpListenPort,
        Key::HttpMaxBodyBytes,
        Key::AuthorizationHeaderName,
        Key::UrlPrefix,
        Key::TrustedProxies,
        Key::NetworkHeaderReadTimeout,
        Key::NetworkIdleTimeout,
        Key::NetworkMaxConnections,
        Key::ProxyHttpEnable,
        Key::ProxyHttpListenAddress,
        Key::ProxyHttpListenPort,
        Key::ProxyHttpsEnable,
        Key::ProxyHttpsListenAddress,
        Key::ProxyHttpsListenPort,
        Key::ProxyHttpsCertificatePath,
        Key::ProxyHttpsPrivateKeyPath,
        Key::LoggingPath,
        Key::LoggingLevel,
        Key::LoggingFormat,
        Key::SyncMaxDownloadSize,
        Key::SyncMaxUploadBacklog,
        Key::SyncMaxMessageSize,
        Key::SyncMaxBufferedBytes,
        Key::SyncConnectionIdleTimeout,
        Key::SyncRealmIdleTimeout,
        Key::SyncMaxOpenRealms,
        Key::SyncMaxConnections,
        Key::SyncMinProtocolVersion,
        Key::SyncMaxProtocolVersion,
        Key::Apps,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Key::StorageRootPath => "storage.root_path",
            Key::AuthPublicKeyPath => "auth.public_key_path",
            Key::AuthPrivateKeyPath => "auth.private_key_path",
            Key::AuthPreviousPublicKeyPaths => "auth.previous_public_key_paths",
            Key::AuthProviders => "auth.providers",
            Key::AuthAccessTokenTtl => "auth.access_token_ttl",
            Key::AuthRefreshTokenTtl => "auth.refresh_token_ttl",
            Key::AuthThrottleAccountFailures => "auth.login_throttle.account_failures",
            Key::AuthThrottleAddressFailures => "auth.login_throttle.address_failures",
            Key::AuthThrottleWindow => "auth.login_throttle.window",
            Key::AuthRegistrationPassword => "auth.registration.password",
            Key::AuthRegistrationAddressLimit => "auth.registration.address_limit",
            Key::AuthRegistrationWindow => "auth.registration.window",
            Key::SyncListenAddress => "network.sync.listen_address",
            Key::SyncListenPort => "network.sync.listen_port",
            Key::HttpListenAddress => "network.http.listen_address",
            Key::HttpListenPort => "network.http.listen_port",
            Key::HttpMaxBodyBytes => "network.http.max_body_bytes",
            Key::AuthorizationHeaderName => "network.authorization_header_name",
            Key::UrlPrefix => "network.url_prefix",
            Key::TrustedProxies => "network.trusted_proxies",
            Key::NetworkHeaderReadTimeout => "network.header_read_timeout",
            Key::NetworkIdleTimeout => "network.idle_timeout",
            Key::NetworkMaxConnections => "network.max_connections",
            Key::ProxyHttpEnable => "proxy.http.enable",
            Key::ProxyHttpListenAddress => "proxy.http.listen_address",
            Key::ProxyHttpListenPort => "proxy.http.listen_port",
            Key::ProxyHttpsEnable => "proxy.https.enable",
            Key::ProxyHttpsListenAddress => "proxy.https.listen_address",
            Key::ProxyHttpsListenPort => "proxy.https.listen_port",
            Key::ProxyHttpsCertificatePath => "proxy.https.certificate_path",
            Key::ProxyHttpsPrivateKeyPath => "proxy.https.private_key_path",
            Key::LoggingPath => "logging.path",
            Key::LoggingLevel => "logging.level",
            Key::LoggingFormat => "logging.format",
            Key::SyncMaxDownloadSize => "sync.max_download_size",
            Key::SyncMaxUploadBacklog => "sync.max_upload_backlog",
            Key::SyncMaxMessageSize => "sync.max_message_size",
            Key::SyncMaxBufferedBytes => "sync.max_buffered_bytes",
            Key::SyncConnectionIdleTimeout => "sync.connection_idle_timeout",
            Key::SyncRealmIdleTimeout => "sync.realm_idle_timeout",
            Key::SyncMaxOpenRealms => "sync.max_open_realms",
            Key::SyncMaxConnections => "sync.max_connections",
            Key::SyncMinProtocolVersion => "sync.min_protocol_version",
            Key::SyncMaxProtocolVersion => "sync.max_protocol_version",
            Key::Apps => "apps",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Key::StorageRootPath
            | Key::AuthPublicKeyPath
            | Key::AuthPrivateKeyPath
            | Key::ProxyHttpsCertificatePath
            | Key::ProxyHttpsPrivateKeyPath
            | Key::LoggingPath => Kind::Path,
            Key::AuthPreviousPublicKeyPaths => Kind::PathList,
            Key::AuthProviders => Kind::Mapping,
            Key::SyncListenAddress
            | Key::HttpListenAddress
            | Key::ProxyHttpListenAddress
            | Key::ProxyHttpsListenAddress => Kind::Address,
            Key::SyncListenPort
            | Key::HttpListenPort
            | Key::ProxyHttpListenPort
            | Key::ProxyHttpsListenPort => Kind::Port,
            Key::ProxyHttpEnable | Key::ProxyHttpsEnable | Key::AuthRegistrationPassword => {
                Kind::Bool
            }
            Key::AuthorizationHeaderName => Kind::HeaderName,
            Key::UrlPrefix => Kind::UrlPrefix,
            Key::AuthAccessTokenTtl
            | Key::AuthRefreshTokenTtl
            | Key::AuthThrottleWindow
            | Key::AuthRegistrationWindow => Kind::Duration,
            Key::SyncConnectionIdleTimeout
            | Key::SyncRealmIdleTimeout
            | Key::NetworkHeaderReadTimeout
            | Key::NetworkIdleTimeout => Kind::Duration,
            Key::AuthThrottleAccountFailures
            | Key::AuthThrottleAddressFailures
            | Key::AuthRegistrationAddressLimit
            | Key::HttpMaxBodyBytes
            | Key::SyncMaxOpenRealms
            | Key::SyncMaxConnections
            | Key::NetworkMaxConnections => Kind::Count,
            Key::SyncMaxDownloadSize
            | Key::SyncMaxUploadBacklog
            | Key::SyncMaxMessageSize
            | Key::SyncMaxBufferedBytes => Kind::Bytes,
            Key::SyncMinProtocolVersion | Key::SyncMaxProtocolVersion => Kind::ProtocolVersion,
            Key::TrustedProxies => Kind::AddressList,
            Key::LoggingLevel => Kind::LogLevel,
            Key::LoggingFormat => Kind::LogFormat,
            Key::Apps => Kind::Apps,
        }
    }

    /// The `ros serve` / `ros check-configuration` flag that overrides this key.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Key::StorageRootPath => Some("--root"),
            Key::AuthPublicKeyPath => Some("--public-key"),
            Key::AuthPrivateKeyPath => Some("--private-key"),
            Key::ProxyHttpListenAddress => Some("--listen"),
            Key::ProxyHttpListenPort => Some("--port"),
            Key::LoggingLevel => Some("--log-level"),
            _ => None,
        }
    }

    /// Keys the original server did not have.
    pub fn ours(self) -> bool {
        matches!(
            self,
            Key::AuthPreviousPublicKeyPaths
                | Key::AuthAccessTokenTtl
                | Key::AuthRefreshTokenTtl
                | Key::AuthThrottleAccountFailures
                | Key::AuthThrottleAddressFailures
                | Key::AuthThrottleWindow
                | Key::AuthRegistrationPassword
                | Key::AuthRegistrationAddressLimit
                | Key::AuthRegistrationWindow
                | Key::HttpMaxBodyBytes
                | Key::TrustedProxies
                | Key::NetworkHeaderReadTimeout
                | Key::NetworkIdleTimeout
                | Key::NetworkMaxConnections
                | Key::AuthorizationHeaderName
                | Key::UrlPrefix
                | Key::LoggingFormat
                | Key::SyncMaxDownloadSize
                | Key::SyncMaxUploadBacklog
                | Key::SyncMaxMessageSize
                | Key::SyncMaxBufferedBytes
                | Key::SyncConnectionIdleTimeout
                | Key::SyncRealmIdleTimeout
                | Key::SyncMaxOpenRealms
                | Key::SyncMaxConnections
                | Key::SyncMinProtocolVersion
                | Key::SyncMaxProtocolVersion
                | Key::Apps
        )
    }

    /// Keys without which the server cannot start.
    pub fn mandatory(self) -> bool {
        matches!(
            self,
            Key::StorageRootPath | Key::AuthPublicKeyPath | Key::AuthPrivateKeyPath
        )
    }

    /// `ROS_` + the path upper-cased, with `__` between levels.
    pub fn env_name(self) -> String {
        env_name_of(self.path())
    }

    pub fn segments(self) -> impl Iterator<Item = &'static str> {
        self.path().split('.')
    }

    pub fn from_path(path: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.path() == path)
    }
}

pub fn env_name_of(path: &str) -> String {
    let mut name = String::from(ENV_PREFIX);
    name.push_str(&path.to_ascii_uppercase().replace('.', ENV_SEPARATOR));
    name
}

/// What may appear under a section (`""` is the top level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Key(Key),
    Section(&'static str),
}

impl Child {
    pub fn name(self, section: &str) -> &'static str {
        let full = match self {
            Child::Key(k) => k.path(),
            Child::Section(s) => s,
        };
        let skip = if section.is_empty() {
            0
        } else {
            section.len() + 1
        };
        &full[skip..]
    }
}

/// The children of `section`, in schema order, each listed once.
pub fn children(section: &str) -> Vec<Child> {
    let mut out: Vec<Child> = Vec::new();
    for key in Key::ALL {
        let path = key.path();
        let rest = if section.is_empty() {
            path
        } else {
            match path.strip_prefix(section).and_then(|r| r.strip_prefix('.')) {
                Some(rest) => rest,
                None => continue,
            }
        };
        let child = match rest.find('.') {
            None => Child::Key(key),
            Some(dot) => Child::Section(&path[..path.len() - rest.len() + dot]),
        };
        if !out.contains(&child) {
            out.push(child);
        }
    }
    out
}

/// Is `path` a section (a mapping of keys) rather than a key?
pub fn is_section(path: &str) -> bool {
    Key::ALL
        .iter()
        .any(|k| k.path().starts_with(path) && k.path()[path.len()..].starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_follow_the_path() {
        assert_eq!(
            Key::HttpListenPort.env_name(),
            "ROS_NETWORK__HTTP__LISTEN_PORT"
        );
        assert_eq!(Key::ProxyHttpsEnable.env_name(), "ROS_PROXY__HTTPS__ENABLE");
        assert_eq!(Key::StorageRootPath.env_name(), "ROS_STORAGE__ROOT_PATH");
        assert_eq!(
            Key::SyncMaxDownloadSize.env_name(),
            "ROS_SYNC__MAX_DOWNLOAD_SIZE"
        );
        assert_eq!(
            Key::SyncListenPort.env_name(),
            "ROS_NETWORK__SYNC__LISTEN_PORT"
        );
        for key in Key::ALL {
            assert!(!RESERVED_ENV.contains(&key.env_name().as_str()));
            assert_eq!(Key::from_path(key.path()), Some(key));
        }
    }

    #[test]
    fn children_walk_the_tree() {
        let top: Vec<&str> = children("").iter().map(|c| c.name("")).collect();
        assert_eq!(
            top,
            ["storage", "auth", "network", "proxy", "logging", "sync", "apps"]
        );
        let network: Vec<&str> = children("network")
            .iter()
            .map(|c| c.name("network"))
            .collect();
        assert_eq!(
            network,
            [
                "sync",
                "http",
                "authorization_header_name",
                "url_prefix",
                "trusted_proxies",
                "header_read_timeout",
                "idle_timeout",
                "max_connections"
            ]
        );
        assert!(children("network.sync").contains(&Child::Key(Key::SyncListenPort)));
        let sync: Vec<&str> = children("sync").iter().map(|c| c.name("sync")).collect();
        assert_eq!(sync.len(), 10);
        assert!(sync.contains(&"max_protocol_version"));
        assert!(children("sync").iter().all(|c| matches!(c, Child::Key(_))));
        assert!(is_section("sync"));
        assert!(Key::SyncMaxConnections.ours());
        assert!(is_section("proxy.https"));
        assert!(!is_section("proxy.https.enable"));
        assert!(!is_section("prox"));
    }
}
