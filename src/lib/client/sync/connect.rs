//! Setting up a connection: DNS, TCP, TLS, the upgrade and the version
//! negotiation, each stage timed and each failure its own [`ConnectError`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::http::HeaderMap;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::WebSocketStream;

use super::endpoint::{Endpoint, Target};
use super::errors::ConnectError;
use super::tls::client_config;
use crate::protocol::{Limits, ProtocolVersion};

/// The socket under the WebSocket: plain TCP or TLS over it.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub(crate) type Socket = WebSocketStream<Box<dyn Io>>;

/// How long each stage of `connect` took (for `ros probe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConnectTimings {
    /// Name resolution.
    pub resolve: Duration,
    /// TCP connect, after resolution.
    pub tcp: Duration,
    /// TLS handshake, for `wss://`.
    pub tls: Option<Duration>,
    /// HTTP upgrade request until the validated 101.
    pub upgrade: Duration,
}

impl ConnectTimings {
    /// All stages together.
    pub fn total(&self) -> Duration {
        self.resolve + self.tcp + self.tls.unwrap_or_default() + self.upgrade
    }
}

/// An upgraded connection and what the upgrade settled.
pub(crate) struct Upgraded {
    pub socket: Socket,
    pub version: ProtocolVersion,
    pub subprotocol: String,
    pub response_headers: HeaderMap,
    pub timings: ConnectTimings,
    pub limits: Limits,
    /// The leaf certificate of the verified TLS handshake (DER), for `wss://`.
    pub peer_certificate: Option<Vec<u8>>,
}

/// DNS, TCP, TLS and the upgrade, timed stage by stage.
pub(crate) async fn establish(endpoint: &Endpoint) -> Result<Upgraded, ConnectError> {
    let target = endpoint.target()?;
    let request = endpoint.request()?;
    let tls = match target.tls {
        true => Some(client_config(&endpoint.tls)?),
        false => None,
    };
    let mut timings = ConnectTimings::default();
    let clock = Instant::now();
    let addrs = resolve(&target).await?;
    timings.resolve = clock.elapsed();
    let clock = Instant::now();
    let tcp = dial(&addrs).await?;
    timings.tcp = clock.elapsed();
    let mut peer_certificate = None;
    let stream: Box<dyn Io> = match tls {
        None => Box::new(tcp),
        Some(config) => {
            let clock = Instant::now();
            let name =
                rustls::pki_types::ServerName::try_from(target.host.clone()).map_err(|e| {
                    ConnectError::BadUrl {
                        url: endpoint.url.clone(),
                        reason: format!("host is not a TLS server name: {e}"),
                    }
                })?;
            let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
                .connect(name, tcp)
                .await
                .map_err(|source| ConnectError::Tls {
                    host: target.host.clone(),
                    without_ca: endpoint.tls.ca_pem.is_none() && !endpoint.tls.insecure,
                    source,
                })?;
            timings.tls = Some(clock.elapsed());
            peer_certificate = stream
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|chain| chain.first())
                .map(|leaf| leaf.as_ref().to_vec());
            Box::new(stream)
        }
    };
    let clock = Instant::now();
    let limits = Limits::DEFAULT;
    let frame_cap = usize::try_from(limits.max_body_size)
        .unwrap_or(usize::MAX)
        .saturating_add(limits.max_header_len);
    // tungstenite zero-fills its whole read buffer before every read: at its
    // default 128 KiB that memset was half of a load generator's CPU with a
    // thousand connections (benches/README.md, "Sync service"). 16 KiB still
    // reads a large DOWNLOAD in few calls.
    let config = WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .max_message_size(Some(frame_cap))
        .max_frame_size(Some(frame_cap));
    let (socket, response) =
        tokio_tungstenite::client_async_with_config(request, stream, Some(config))
            .await
            .map_err(|e| upgrade_error(e, endpoint))?;
    timings.upgrade = clock.elapsed();
    let subprotocol = response
        .headers()
        .get("Sec-WebSocket-Protocol")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let version = ProtocolVersion::from_pbs_subprotocol(&subprotocol).ok_or_else(|| {
        ConnectError::Negotiation {
            reason: "not a partition-based sync version 2..=14".to_string(),
            offered: endpoint.protocol_header(),
            answered: Some(subprotocol.clone()),
        }
    })?;
    Ok(Upgraded {
        peer_certificate,
        socket,
        version,
        subprotocol,
        response_headers: response.headers().clone(),
        timings,
        limits,
    })
}

async fn resolve(target: &Target) -> Result<Vec<SocketAddr>, ConnectError> {
    let dns = |source| ConnectError::Dns {
        host: target.host.clone(),
        source,
    };
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(dns)?
        .collect();
    if addrs.is_empty() {
        return Err(dns(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no addresses",
        )));
    }
    Ok(addrs)
}

/// Tries each address in turn; the error names the last one.
async fn dial(addrs: &[SocketAddr]) -> Result<TcpStream, ConnectError> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                // Small protocol messages must not wait for Nagle.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(source) => last = Some((addr, source)),
        }
    }
    Err(match last {
        Some((addr, source)) => ConnectError::Tcp {
            addr: addr.to_string(),
            source,
        },
        None => ConnectError::Tcp {
            addr: String::new(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no addresses"),
        },
    })
}

fn upgrade_error(error: WsError, endpoint: &Endpoint) -> ConnectError {
    match error {
        WsError::Http(response) => ConnectError::Refused {
            status: response.status().as_u16(),
            body: String::from_utf8_lossy(response.body().as_deref().unwrap_or_default())
                .into_owned(),
        },
        WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(e)) => {
            ConnectError::Negotiation {
                reason: e.to_string(),
                offered: endpoint.protocol_header(),
                answered: None,
            }
        }
        other => ConnectError::Upgrade {
            reason: other.to_string(),
        },
    }
}
