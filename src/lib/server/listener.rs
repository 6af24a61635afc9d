//! One accept loop for every listener, plain or TLS: each connection is served by
//! hyper with WebSocket upgrades enabled, and all of them drain on shutdown.
//!
//! The http and proxy listeners are guarded (docs/configuration.md,
//! `network.*` connection limits): a request head must arrive within
//! `network.header_read_timeout` (a TLS handshake too), a connection that moves
//! no byte for `network.idle_timeout` is closed, and at most
//! `network.max_connections` connections are served at once. Past that bound a
//! few more are let in that answer `GET /health` and nothing else (503), so a
//! monitor still learns the server is alive while it is full; past those the
//! connection is closed at once. A connection upgraded to a WebSocket leaves the
//! bound: the sync service counts it (`sync.max_connections`). The sync listener
//! itself is not guarded here; the sync service bounds and times its own
//! connections.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use super::activity::{Activity, Watched};
use crate::app::Scheme;
use crate::config::ConnectionLimits;

/// Connections let in past `network.max_connections` to ask `/health`; each is
/// served one request at most, whose head must arrive within
/// [`HEALTH_HEADER_TIMEOUT`], so a client holding reserved connections idle
/// must keep reopening them while a monitor gets its answer in between.
pub const HEALTH_RESERVE: usize = 8;
pub const HEALTH_HEADER_TIMEOUT: Duration = Duration::from_secs(2);

/// Accept errors (out of descriptors, mostly) back off from this, doubling up
/// to [`ACCEPT_BACKOFF_MAX`], instead of spinning.
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(10);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);

/// A connection let in: the slot it holds until it ends (none on the sync
/// listener, which the sync service bounds) and whether it came in past the
/// bound, on a reserved slot that answers `/health` only.
struct Admission {
    _slot: Option<OwnedSemaphorePermit>,
    health_only: bool,
}

struct Guard {
    slots: Arc<Semaphore>,
    reserve: Arc<Semaphore>,
}

impl Guard {
    fn new(limits: ConnectionLimits) -> Guard {
        Guard {
            slots: Arc::new(Semaphore::new(
                limits.max_connections.min(Semaphore::MAX_PERMITS),
            )),
            reserve: Arc::new(Semaphore::new(HEALTH_RESERVE)),
        }
    }

    /// A slot, a reserved health-only slot, or `None`: close the connection.
    fn admit(&self) -> Option<Admission> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Some(Admission {
                _slot: Some(permit),
                health_only: false,
            });
        }
        let permit = self.reserve.clone().try_acquire_owned().ok()?;
        Some(Admission {
            _slot: Some(permit),
            health_only: true,
        })
    }
}

/// The answer to anything but `/health` on a reserved connection.
fn busy() -> Response {
    crate::http::Problem::plain(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "The server is at its connection limit.",
    )
    .detail("Try again when other connections have closed (network.max_connections).")
    .retry_after(1)
    .into_response()
}

/// The header timeout of a connection: shorter on a reserved one.
fn header_timeout(limits: &ConnectionLimits, health_only: bool) -> Duration {
    if health_only {
        limits.header_read_timeout.min(HEALTH_HEADER_TIMEOUT)
    } else {
        limits.header_read_timeout
    }
}

fn builder(limits: Option<&ConnectionLimits>, health_only: bool) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    if let Some(limits) = limits {
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout(limits, health_only))
            .keep_alive(!health_only);
        builder.http2().timer(TokioTimer::new());
    }
    if health_only {
        builder = builder.http1_only();
    }
    builder
}

/// Accepts and serves connections until `stop` turns true, then waits for the open
/// ones to finish (the caller bounds that wait). `limits` guards the listener
/// (`None` for the sync listener).
pub(super) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    mut stop: watch::Receiver<bool>,
    limits: Option<ConnectionLimits>,
) {
    let graceful = GracefulShutdown::new();
    let guard = limits.map(Guard::new);
    let full = builder(limits.as_ref(), false);
    let health = builder(limits.as_ref(), true);
    let mut backoff = ACCEPT_BACKOFF_MIN;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => {
                    backoff = ACCEPT_BACKOFF_MIN;
                    pair
                }
                Err(e) => {
                    tracing::warn!(error = %e, backoff_ms = backoff.as_millis() as u64, "accept failed");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = stop.changed() => break,
                    }
                    backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let admission = match &guard {
            None => Admission {
                _slot: None,
                health_only: false,
            },
            Some(guard) => match guard.admit() {
                Some(admission) => admission,
                None => {
                    tracing::debug!(%peer, "connection bound reached; closing the connection");
                    drop(stream);
                    continue;
                }
            },
        };
        let health_only = admission.health_only;
        let connection = Connection {
            builder: if health_only { &health } else { &full }.clone(),
            watcher: graceful.watcher(),
            timeouts: limits.map(|l| Timeouts {
                first_byte: header_timeout(&l, health_only),
                idle: l.idle_timeout,
            }),
            peer,
            scheme: if tls.is_some() {
                Scheme::Https
            } else {
                Scheme::Http
            },
            router: router.clone(),
            health_only,
        };
        let tls = tls.clone();
        let handshake_timeout = limits.map(|l| header_timeout(&l, health_only));
        tokio::spawn(async move {
            let _admission = admission;
            match tls {
                None => connection.serve(stream).await,
                Some(acceptor) => {
                    let handshake = acceptor.accept(stream);
                    let accepted = match handshake_timeout {
                        None => handshake.await,
                        Some(t) => match tokio::time::timeout(t, handshake).await {
                            Ok(accepted) => accepted,
                            Err(_) => {
                                tracing::debug!(%peer, "TLS handshake timed out");
                                return;
                            }
                        },
                    };
                    match accepted {
                        Ok(stream) => connection.serve(stream).await,
                        Err(e) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                    }
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// When a guarded connection is closed for saying nothing. hyper's own header
/// timeout starts only once hyper-util has read enough to tell HTTP/1 from
/// HTTP/2, so a connection that sends no byte at all is timed here.
#[derive(Debug, Clone, Copy)]
struct Timeouts {
    first_byte: Duration,
    idle: Duration,
}

impl Timeouts {
    fn deadline(&self, activity: &Activity) -> tokio::time::Instant {
        let idle = activity.deadline(self.idle);
        if activity.has_read() {
            idle
        } else {
            idle.min(activity.started() + self.first_byte)
        }
    }
}

/// What serving one accepted connection needs.
struct Connection {
    builder: auto::Builder<TokioExecutor>,
    watcher: Watcher,
    timeouts: Option<Timeouts>,
    peer: SocketAddr,
    /// Told to routes (the app API's location answer).
    scheme: Scheme,
    router: Router,
    health_only: bool,
}

impl Connection {
    async fn serve<I>(self, io: I)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Connection {
            builder,
            watcher,
            timeouts,
            peer,
            scheme,
            router,
            health_only,
        } = self;
        // Routes learn the peer (login throttling) from `ConnectInfo`, as axum's
        // own server provides it, and the scheme (the app API's location answer).
        let service =
            TowerToHyperService::new(tower::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.extensions_mut().insert(scheme);
                let router = router.clone();
                async move {
                    if health_only && request.uri().path() != "/health" {
                        return Ok::<_, Infallible>(busy());
                    }
                    router.oneshot(request).await
                }
            }));
        let activity = Activity::new();
        let conn = builder
            .serve_connection_with_upgrades(
                TokioIo::new(Watched::new(io, activity.clone())),
                service,
            )
            .into_owned();
        let conn = watcher.watch(conn);
        tokio::pin!(conn);
        let ended = match timeouts {
            None => conn.await,
            Some(timeouts) => loop {
                let deadline = timeouts.deadline(&activity);
                tokio::select! {
                    ended = &mut conn => break ended,
                    _ = tokio::time::sleep_until(deadline) => {
                        if tokio::time::Instant::now() >= timeouts.deadline(&activity) {
                            tracing::debug!(%peer, "connection silent or idle; closing it");
                            return;
                        }
                    }
                }
            },
        };
        if let Err(e) = ended {
            tracing::debug!(%peer, error = %e, "connection ended with an error");
        }
    }
}
