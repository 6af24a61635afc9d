//! From the raw layer to the typed [`Config`]: fill in defaults, require what the
//! server cannot start without, and check every value against this machine.

mod files;
mod keys;
mod ports;
mod sync;

use std::path::Path;

use super::layer::{or_default, Layer, Origin, Sourced};
use super::model::{
    defaults, Auth, Config, ConnectionLimits, HttpsProxy, Listen, Logging, LoginThrottle, Network,
    Proxy, Registration, Storage,
};
use super::problem::Problem;
use super::schema::Key;
use super::sources::Raw;
use ports::Listener;

/// What the checks may do beyond reading files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// Try to bind every listener, so a port taken by another process is caught.
    pub ports: bool,
}

fn required<T: Clone>(slot: &Option<Sourced<T>>, key: Key, out: &mut Raw) -> Option<Sourced<T>> {
    if slot.is_none() {
        out.push((Problem::Missing { key }, Origin::Default(key)));
    }
    slot.clone()
}

fn https_path<T: Clone>(slot: &Option<Sourced<T>>, key: Key, out: &mut Raw) -> Option<T> {
    if slot.is_none() {
        out.push((Problem::HttpsMissing { key }, Origin::Default(key)));
    }
    slot.as_ref().map(|s| s.value.clone())
}

/// Runs every check on `layer`, adding to `out`, and returns the configuration
/// when nothing the server needs is missing (the caller still drops it when `out`
/// holds an error).
pub fn run(layer: &Layer, source: Option<&Path>, probe: Probe, out: &mut Raw) -> Option<Config> {
    let root = required(&layer.root_path, Key::StorageRootPath, out);
    let public = required(&layer.public_key_path, Key::AuthPublicKeyPath, out);
    let private = required(&layer.private_key_path, Key::AuthPrivateKeyPath, out);
    if let Some(root) = &root {
        files::root(root, out);
    }
    if let (Some(private), Some(public)) = (&private, &public) {
        keys::auth_pair(private, public, out);
    }
    if let Some(previous) = &layer.previous_public_key_paths {
        keys::previous(previous, out);
    }

    let listen = |address, address_default: Listen, port, port_key: Key, address_key: Key| {
        let a = or_default(address, address_key, address_default.address);
        let p = or_default(port, port_key, address_default.port);
        Listener::new(port_key, &a, &p)
    };
    let sync = listen(
        &layer.sync_address,
        defaults::SYNC,
        &layer.sync_port,
        Key::SyncListenPort,
        Key::SyncListenAddress,
    );
    let http = listen(
        &layer.http_address,
        defaults::HTTP,
        &layer.http_port,
        Key::HttpListenPort,
        Key::HttpListenAddress,
    );
    let proxy_http = or_default(
        &layer.proxy_http_enable,
        Key::ProxyHttpEnable,
        defaults::PROXY_HTTP_ENABLE,
    )
    .value
    .then(|| {
        listen(
            &layer.proxy_http_address,
            defaults::PROXY_HTTP,
            &layer.proxy_http_port,
            Key::ProxyHttpListenPort,
            Key::ProxyHttpListenAddress,
        )
    });
    let https_enabled = or_default(
        &layer.proxy_https_enable,
        Key::ProxyHttpsEnable,
        defaults::PROXY_HTTPS_ENABLE,
    )
    .value;
    let mut https = None;
    if https_enabled {
        let proxy = listen(
            &layer.proxy_https_address,
            defaults::PROXY_HTTPS,
            &layer.proxy_https_port,
            Key::ProxyHttpsListenPort,
            Key::ProxyHttpsListenAddress,
        );
        let certificate = https_path(&layer.certificate_path, Key::ProxyHttpsCertificatePath, out);
        let key = https_path(&layer.https_key_path, Key::ProxyHttpsPrivateKeyPath, out);
        if let (Some(cert), Some(key)) = (&layer.certificate_path, &layer.https_key_path) {
            keys::https(cert, key, out);
        }
        https = Some((proxy, certificate, key));
    }

    let mut listeners = vec![sync.clone(), http.clone()];
    listeners.extend(proxy_http.clone());
    listeners.extend(https.as_ref().map(|(l, _, _)| l.clone()));
    let holder = root
        .as_ref()
        .and_then(|r| crate::root::lock_holder(&r.value));
    ports::check(&listeners, probe.ports, holder.as_ref(), out);

    if let Some(path) = &layer.log_path {
        files::log(path, out);
    }
    if let Some(name) = &layer.header_name {
        if name.value == "authorization" {
            out.push((Problem::HeaderNameIsDefault, name.origin.clone()));
        }
    }

    let sync_settings = sync::settings(layer, out);
    if let Some(apps) = &layer.apps {
        keys::app_keys(apps, out);
    }

    let https = match https {
        None => None,
        Some((listener, Some(certificate_path), Some(private_key_path))) => Some(HttpsProxy {
            listen: listener.listen,
            certificate_path,
            private_key_path,
        }),
        Some(_) => return None,
    };
    Some(Config {
        source: source.map(Path::to_path_buf),
        storage: Storage {
            root_path: root?.value,
        },
        auth: Auth {
            public_key_path: public?.value,
            private_key_path: private?.value,
            previous_public_key_paths: value(&layer.previous_public_key_paths).unwrap_or_default(),
            providers: value(&layer.providers).unwrap_or_default(),
            access_token_ttl: value(&layer.access_token_ttl).unwrap_or(defaults::ACCESS_TOKEN_TTL),
            refresh_token_ttl: value(&layer.refresh_token_ttl)
                .unwrap_or(defaults::REFRESH_TOKEN_TTL),
            login_throttle: LoginThrottle {
                account_failures: value(&layer.throttle_account_failures)
                    .map_or(defaults::THROTTLE.account_failures, saturate),
                address_failures: value(&layer.throttle_address_failures)
                    .map_or(defaults::THROTTLE.address_failures, saturate),
                window: value(&layer.throttle_window).unwrap_or(defaults::THROTTLE.window),
            },
            registration: Registration {
                password: value(&layer.registration_password)
                    .unwrap_or(defaults::REGISTRATION.password),
                address_limit: value(&layer.registration_address_limit)
                    .map_or(defaults::REGISTRATION.address_limit, saturate),
                window: value(&layer.registration_window).unwrap_or(defaults::REGISTRATION.window),
            },
        },
        network: Network {
            sync: sync.listen,
            http: http.listen,
            // The layer only holds names that parse (`convert::header_name`).
            authorization_header_name: value(&layer.header_name)
                .and_then(|name| axum::http::HeaderName::try_from(name).ok()),
            url_prefix: value(&layer.url_prefix),
            max_body_bytes: value(&layer.max_body_bytes).map_or(defaults::MAX_BODY_BYTES, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            }),
            trusted_proxies: value(&layer.trusted_proxies).unwrap_or_default(),
            limits: connection_limits(layer, out),
        },
        proxy: Proxy {
            http: proxy_http.map(|l| l.listen),
            https,
        },
        logging: Logging {
            path: value(&layer.log_path),
            level: value(&layer.log_level).unwrap_or(defaults::LOG_LEVEL),
            format: value(&layer.log_format).unwrap_or(defaults::LOG_FORMAT),
        },
        sync: sync_settings,
        apps: value(&layer.apps).unwrap_or_default(),
    })
}

/// `network.header_read_timeout`, `network.idle_timeout`, `network.max_connections`.
fn connection_limits(layer: &Layer, out: &mut Raw) -> ConnectionLimits {
    let d = defaults::CONNECTION_LIMITS;
    if let Some(header) = &layer.header_read_timeout {
        if header.value < ConnectionLimits::SAFE_HEADER_READ_TIMEOUT {
            out.push((
                Problem::HeaderTimeoutShort {
                    seconds: header.value.as_secs(),
                },
                header.origin.clone(),
            ));
        }
    }
    ConnectionLimits {
        header_read_timeout: value(&layer.header_read_timeout).unwrap_or(d.header_read_timeout),
        idle_timeout: value(&layer.idle_timeout).unwrap_or(d.idle_timeout),
        max_connections: value(&layer.http_max_connections).map_or(d.max_connections, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        }),
    }
}

fn value<T: Clone>(slot: &Option<Sourced<T>>) -> Option<T> {
    slot.as_ref().map(|s| s.value.clone())
}

fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
