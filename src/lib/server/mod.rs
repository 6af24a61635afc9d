//! `ros serve`: one process running the sync service, the http service and the
//! proxy listeners that the configuration asks for.
//!
//! Start-up order matters for the operator's data: the root lock first (so two
//! servers never share a root), then the format marker (so an unknown layout is never
//! touched), then every listener (so a port conflict stops the start before anything
//! is served). [`Server::bind`] does all three; [`Server::run`] serves until the
//! shutdown future resolves and then releases the lock.

mod activity;
mod fd_limit;
mod listener;
mod memory;
mod signals;

pub use fd_limit::{raise_open_files_limit, OpenFiles};
pub use memory::keep_freed_memory;
pub use signals::shutdown_on_signal;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::auth::{AuthService, AuthSetup, SetupError, Throttle};
use crate::config::Config;
use crate::http::{Api, ApiState, BoundAddresses, HealthState, HttpState};
use crate::proxy::TlsError;
use crate::root::{LockError, MarkerError, RootLock};
use crate::sync::{SyncService, SyncSetup, SyncState};

/// How long open connections get to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Marker(#[from] MarkerError),
    #[error("cannot listen on {address} ({key}): {source}")]
    Bind {
        key: &'static str,
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Auth(#[from] SetupError),
    #[error(transparent)]
    App(#[from] crate::app::AppSetupError),
    #[error("cannot write the lock file in {root}: {source}", root = .root.display())]
    Record {
        root: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// An optional listener's address for the log: `disabled` when it is off.
fn shown(address: Option<SocketAddr>) -> String {
    address.map_or_else(|| "disabled".to_string(), |a| a.to_string())
}

/// Descriptors kept back from the connection budget: listeners, log file, the
/// admin store and a few open Realms' SQLite files.
const RESERVED_FILES: u64 = 64;

/// Raises the open-files limit as far as the process may and tells the
/// operator how many sync connections that allows; each open Realm holds three
/// more descriptors (database, WAL, shared memory).
fn log_capacity(config: &Config) {
    match raise_open_files_limit() {
        Ok(files) => {
            let realms = config.sync.max_open_realms as u64 * 3;
            let connections = files.soft.saturating_sub(RESERVED_FILES + realms);
            let limit = config.sync.max_connections as u64;
            if connections < limit {
                tracing::warn!(
                    open_files = files.soft,
                    connections,
                    max_connections = limit,
                    "the open-files limit allows fewer sync connections than sync.max_connections; \
                     raise the hard limit (LimitNOFILE= in the systemd unit)"
                );
            } else {
                tracing::info!(
                    open_files = files.soft,
                    connections = limit,
                    "sync connection capacity"
                );
            }
            // The http listeners' bound only keeps /health answerable while the
            // descriptors it allows are really there.
            let listeners = 1
                + u64::from(config.proxy.http.is_some())
                + u64::from(config.proxy.https.is_some());
            let per_listener =
                config.network.limits.max_connections as u64 + listener::HEALTH_RESERVE as u64;
            let left = connections.saturating_sub(limit);
            if left < listeners * per_listener {
                tracing::warn!(
                    open_files = files.soft,
                    left,
                    wanted = listeners * per_listener,
                    "the open-files limit leaves fewer descriptors than network.max_connections \
                     allows on every http and proxy listener after sync.max_connections; when \
                     they run out, new connections (and /health) wait; lower \
                     network.max_connections or raise the hard limit"
                );
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-files limit"),
    }
}

/// A server whose root is locked and whose listeners are bound, ready to run.
pub struct Server {
    config: Config,
    lock: RootLock,
    sync: TcpListener,
    http: TcpListener,
    proxy_http: Option<TcpListener>,
    proxy_https: Option<(TcpListener, tokio_rustls::TlsAcceptor)>,
    addresses: BoundAddresses,
    auth: std::sync::Arc<AuthService>,
    apps: crate::app::AppApi,
}

async fn bind(key: &'static str, address: SocketAddr) -> Result<TcpListener, ServerError> {
    TcpListener::bind(address)
        .await
        .map_err(|source| ServerError::Bind {
            key,
            address,
            source,
        })
}

fn local(
    key: &'static str,
    listener: &TcpListener,
    address: SocketAddr,
) -> Result<SocketAddr, ServerError> {
    listener.local_addr().map_err(|source| ServerError::Bind {
        key,
        address,
        source,
    })
}

impl Server {
    /// Locks the root, checks its format, opens the admin store and the token keys
    /// (see [`AuthService::start`]) and binds every configured listener.
    pub async fn bind(config: Config, setup: AuthSetup) -> Result<Server, ServerError> {
        let root = config.storage.root_path.clone();
        let mut lock = RootLock::acquire(&root)?;
        crate::root::check_or_write_marker(&root)?;
        // Blocks briefly (SQLite, and argon2 once for a new realm-admin) before
        // anything is served, which is what a start should wait for.
        let started = AuthService::start(&config, &setup, std::time::SystemTime::now())?;
        if started.created_default_admin {
            tracing::info!(
                user = crate::admin::DEFAULT_ADMIN_USERNAME,
                "created the default admin account from ROS_DEFAULT_PASSWORD"
            );
        }

        log_capacity(&config);
        keep_freed_memory();

        let net = &config.network;
        let sync = bind("network.sync", net.sync.socket_addr()).await?;
        let http = bind("network.http", net.http.socket_addr()).await?;
        let proxy_http = match config.proxy.http {
            Some(listen) => Some(bind("proxy.http", listen.socket_addr()).await?),
            None => None,
        };
        let proxy_https = match &config.proxy.https {
            Some(https) => {
                let acceptor =
                    crate::proxy::tls_acceptor(&https.certificate_path, &https.private_key_path)?;
                Some((
                    bind("proxy.https", https.listen.socket_addr()).await?,
                    acceptor,
                ))
            }
            None => None,
        };
        let addresses = BoundAddresses {
            sync: local("network.sync", &sync, net.sync.socket_addr())?,
            http: local("network.http", &http, net.http.socket_addr())?,
            proxy_http: match (&proxy_http, config.proxy.http) {
                (Some(l), Some(c)) => Some(local("proxy.http", l, c.socket_addr())?),
                _ => None,
            },
            proxy_https: match (&proxy_https, &config.proxy.https) {
                (Some((l, _)), Some(c)) => Some(local("proxy.https", l, c.listen.socket_addr())?),
                _ => None,
            },
        };
        // Custom-token keys load before anything is served, so a bad one stops
        // the start instead of failing every login.
        let auth = std::sync::Arc::new(started.service);
        crate::app::apply_partitions(&auth, &config.apps, std::time::SystemTime::now())?;
        let apps = crate::app::AppApi::new(
            std::sync::Arc::clone(&auth),
            &config.apps,
            config.network.url_prefix.clone(),
            config.network.trusted_proxies.clone(),
            config.network.max_body_bytes,
        )?;
        lock.record(&addresses.named())
            .map_err(|source| ServerError::Record { root, source })?;
        Ok(Server {
            config,
            lock,
            sync,
            http,
            proxy_http,
            proxy_https,
            addresses,
            auth,
            apps,
        })
    }

    /// The addresses every listener really bound (port 0 resolved).
    pub fn addresses(&self) -> &BoundAddresses {
        &self.addresses
    }

    /// Serves until `shutdown` resolves, gives open connections a moment to finish,
    /// then releases the root.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        let Server {
            config,
            lock,
            sync,
            http,
            proxy_http,
            proxy_https,
            addresses,
            auth,
            apps,
        } = self;
        let header_name = config.network.authorization_header_name.clone();
        let sync_service = SyncService::new(SyncSetup {
            root: config.storage.root_path.clone(),
            auth: std::sync::Arc::clone(&auth),
            settings: config.sync,
            header_name: header_name.clone(),
            url_prefix: config.network.url_prefix.clone(),
        });
        let sync_state = SyncState {
            service: std::sync::Arc::clone(&sync_service),
        };
        let api = ApiState::new(Api {
            auth,
            throttle: Throttle::new(config.auth.login_throttle.into()),
            registration: config.auth.registration,
            registrations: Throttle::new(config.auth.registration.into()),
            header_name,
            trusted_proxies: config.network.trusted_proxies.clone(),
            max_body_bytes: config.network.max_body_bytes,
            sync: std::sync::Arc::clone(&sync_service),
        });
        let http_router = crate::http::router(HttpState {
            health: HealthState::new(addresses.clone()),
            api,
        })
        .merge(crate::app::routes(crate::app::AppState::new(apps)));
        let proxy_router =
            crate::proxy::router(crate::sync::routes(sync_state.clone()), http_router.clone());

        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut tasks = tokio::task::JoinSet::new();
        tasks.spawn(listener::serve(
            sync,
            None,
            crate::sync::router(sync_state),
            stop_rx.clone(),
            None,
        ));
        let limits = Some(config.network.limits);
        tasks.spawn(listener::serve(
            http,
            None,
            http_router,
            stop_rx.clone(),
            limits,
        ));
        if let Some(l) = proxy_http {
            tasks.spawn(listener::serve(
                l,
                None,
                proxy_router.clone(),
                stop_rx.clone(),
                limits,
            ));
        }
        if let Some((l, acceptor)) = proxy_https {
            tasks.spawn(listener::serve(
                l,
                Some(acceptor),
                proxy_router,
                stop_rx.clone(),
                limits,
            ));
        }
        tracing::info!(
            sync = %addresses.sync,
            http = %addresses.http,
            proxy_http = %shown(addresses.proxy_http),
            proxy_https = %shown(addresses.proxy_https),
            "Realm Object Server has started and is listening"
        );

        shutdown.await;
        tracing::info!("shutting down");
        let _ = stop_tx.send(true);
        // Sync connections outlive hyper's graceful shutdown (they are upgraded),
        // so the service drains them itself and closes every Realm store before
        // the lock goes.
        sync_service.shutdown(DRAIN).await;
        if tokio::time::timeout(DRAIN, async { while tasks.join_next().await.is_some() {} })
            .await
            .is_err()
        {
            tracing::warn!("connections still open after {DRAIN:?}; closing them");
            tasks.abort_all();
        }
        drop(lock);
        tracing::info!("Realm Object Server has stopped");
    }
}
