//! The raw layer: every key the operator set, typed but not yet checked against
//! the machine, each with where it was set. The file, the environment and the
//! flags are applied in that order, a later one replacing an earlier one, so what
//! is left is the effective value together with its origin.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::convert::{self, Converted, Input};
use super::finding::Position;
use super::model::{LogFormat, LogLevel, SyncSettings};
use super::schema::Key;

/// Where an effective value was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The configuration file, at this spot when the parser could tell.
    File(Option<Position>),
    Env(String),
    Flag(&'static str),
    /// Not set anywhere: the built-in default of this key.
    Default(Key),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

type Slot<T> = Option<Sourced<T>>;

#[derive(Debug, Default)]
pub struct Layer {
    pub root_path: Slot<PathBuf>,
    pub public_key_path: Slot<PathBuf>,
    pub private_key_path: Slot<PathBuf>,
    pub previous_public_key_paths: Slot<Vec<PathBuf>>,
    pub providers: Slot<serde_json::Map<String, serde_json::Value>>,
    pub access_token_ttl: Slot<Duration>,
    pub refresh_token_ttl: Slot<Duration>,
    pub throttle_account_failures: Slot<u64>,
    pub throttle_address_failures: Slot<u64>,
    pub throttle_window: Slot<Duration>,
    pub registration_password: Slot<bool>,
    pub registration_address_limit: Slot<u64>,
    pub registration_window: Slot<Duration>,
    pub sync_address: Slot<IpAddr>,
    pub sync_port: Slot<u16>,
    pub http_address: Slot<IpAddr>,
    pub http_port: Slot<u16>,
    pub max_body_bytes: Slot<u64>,
    pub trusted_proxies: Slot<Vec<IpAddr>>,
    pub header_read_timeout: Slot<Duration>,
    pub idle_timeout: Slot<Duration>,
    pub http_max_connections: Slot<u64>,
    pub header_name: Slot<String>,
    pub url_prefix: Slot<String>,
    pub proxy_http_enable: Slot<bool>,
    pub proxy_http_address: Slot<IpAddr>,
    pub proxy_http_port: Slot<u16>,
    pub proxy_https_enable: Slot<bool>,
    pub proxy_https_address: Slot<IpAddr>,
    pub proxy_https_port: Slot<u16>,
    pub certificate_path: Slot<PathBuf>,
    pub https_key_path: Slot<PathBuf>,
    pub log_path: Slot<PathBuf>,
    pub log_level: Slot<LogLevel>,
    pub log_format: Slot<LogFormat>,
    pub max_download_size: Slot<u64>,
    pub max_upload_backlog: Slot<u64>,
    pub max_message_size: Slot<u64>,
    pub max_buffered_bytes: Slot<u64>,
    pub connection_idle_timeout: Slot<Duration>,
    pub realm_idle_timeout: Slot<Duration>,
    pub max_open_realms: Slot<u64>,
    pub max_connections: Slot<u64>,
    pub min_protocol_version: Slot<u32>,
    pub max_protocol_version: Slot<u32>,
    pub apps: Slot<Vec<super::apps::App>>,
}

fn put<T>(slot: &mut Slot<T>, value: Converted<T>, origin: Origin) -> Converted<()> {
    *slot = Some(Sourced {
        value: value?,
        origin,
    });
    Ok(())
}

impl Layer {
    /// Sets `key` from `input`; relative paths resolve against `base`. A value that
    /// does not convert leaves the key as it was.
    pub fn set(&mut self, key: Key, input: Input, base: &Path, origin: Origin) -> Converted<()> {
        use convert::*;
        let o = origin;
        match key {
            Key::StorageRootPath => put(&mut self.root_path, path(key, input, base), o),
            Key::AuthPublicKeyPath => put(&mut self.public_key_path, path(key, input, base), o),
            Key::AuthPrivateKeyPath => put(&mut self.private_key_path, path(key, input, base), o),
            Key::AuthPreviousPublicKeyPaths => put(
                &mut self.previous_public_key_paths,
                paths(key, input, base),
                o,
            ),
            Key::AuthProviders => put(&mut self.providers, mapping(key, input), o),
            Key::AuthAccessTokenTtl => put(&mut self.access_token_ttl, duration(key, input), o),
            Key::AuthRefreshTokenTtl => put(&mut self.refresh_token_ttl, duration(key, input), o),
            Key::AuthThrottleAccountFailures => {
                put(&mut self.throttle_account_failures, count(key, input), o)
            }
            Key::AuthThrottleAddressFailures => {
                put(&mut self.throttle_address_failures, count(key, input), o)
            }
            Key::AuthThrottleWindow => put(&mut self.throttle_window, duration(key, input), o),
            Key::AuthRegistrationPassword => {
                put(&mut self.registration_password, boolean(key, input), o)
            }
            Key::AuthRegistrationAddressLimit => {
                put(&mut self.registration_address_limit, count(key, input), o)
            }
            Key::AuthRegistrationWindow => {
                put(&mut self.registration_window, duration(key, input), o)
            }
            Key::HttpMaxBodyBytes => put(&mut self.max_body_bytes, count(key, input), o),
            Key::TrustedProxies => put(&mut self.trusted_proxies, addresses(key, input), o),
            Key::NetworkHeaderReadTimeout => {
                put(&mut self.header_read_timeout, duration(key, input), o)
            }
            Key::NetworkIdleTimeout => put(&mut self.idle_timeout, duration(key, input), o),
            Key::NetworkMaxConnections => put(&mut self.http_max_connections, count(key, input), o),
            Key::SyncListenAddress => put(&mut self.sync_address, address(key, input), o),
            Key::SyncListenPort => put(&mut self.sync_port, port(key, input), o),
            Key::HttpListenAddress => put(&mut self.http_address, address(key, input), o),
            Key::HttpListenPort => put(&mut self.http_port, port(key, input), o),
            Key::AuthorizationHeaderName => put(&mut self.header_name, header_name(key, input), o),
            Key::UrlPrefix => put(&mut self.url_prefix, url_prefix(key, input), o),
            Key::ProxyHttpEnable => put(&mut self.proxy_http_enable, boolean(key, input), o),
            Key::ProxyHttpListenAddress => {
                put(&mut self.proxy_http_address, address(key, input), o)
            }
            Key::ProxyHttpListenPort => put(&mut self.proxy_http_port, port(key, input), o),
            Key::ProxyHttpsEnable => put(&mut self.proxy_https_enable, boolean(key, input), o),
            Key::ProxyHttpsListenAddress => {
                put(&mut self.proxy_https_address, address(key, input), o)
            }
            Key::ProxyHttpsListenPort => put(&mut self.proxy_https_port, port(key, input), o),
            Key::ProxyHttpsCertificatePath => {
                put(&mut self.certificate_path, path(key, input, base), o)
            }
            Key::ProxyHttpsPrivateKeyPath => {
                put(&mut self.https_key_path, path(key, input, base), o)
            }
            Key::LoggingPath => put(&mut self.log_path, path(key, input, base), o),
            Key::LoggingLevel => put(&mut self.log_level, log_level(key, input), o),
            Key::LoggingFormat => put(&mut self.log_format, log_format(key, input), o),
            Key::SyncMaxDownloadSize => put(&mut self.max_download_size, bytes(key, input, 1), o),
            Key::SyncMaxUploadBacklog => put(&mut self.max_upload_backlog, bytes(key, input, 1), o),
            Key::SyncMaxMessageSize => put(
                &mut self.max_message_size,
                bytes(key, input, SyncSettings::MIN_MESSAGE_SIZE),
                o,
            ),
            Key::SyncMaxBufferedBytes => put(&mut self.max_buffered_bytes, bytes(key, input, 1), o),
            Key::SyncConnectionIdleTimeout => {
                put(&mut self.connection_idle_timeout, duration(key, input), o)
            }
            Key::SyncRealmIdleTimeout => put(&mut self.realm_idle_timeout, duration(key, input), o),
            Key::SyncMaxOpenRealms => put(&mut self.max_open_realms, count(key, input), o),
            Key::SyncMaxConnections => put(&mut self.max_connections, count(key, input), o),
            Key::SyncMinProtocolVersion => put(
                &mut self.min_protocol_version,
                protocol_version(key, input),
                o,
            ),
            Key::SyncMaxProtocolVersion => put(
                &mut self.max_protocol_version,
                protocol_version(key, input),
                o,
            ),
            Key::Apps => put(&mut self.apps, super::apps::apps(key, input, base), o),
        }
    }
}

/// The effective value of `key`'s slot, or `default` with [`Origin::Default`].
pub fn or_default<T: Clone>(slot: &Slot<T>, key: Key, default: T) -> Sourced<T> {
    slot.clone().unwrap_or(Sourced {
        value: default,
        origin: Origin::Default(key),
    })
}
