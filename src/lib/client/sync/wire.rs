//! One WebSocket connection to a sync server: connect (DNS, TCP, TLS, upgrade,
//! version negotiation), then whole protocol messages in and out.
//!
//! Like realm-core's client, the wire never sends WebSocket pings or close
//! frames of its own (dropping a [`Wire`] just closes the socket), ignores text
//! frames, and uses the sync-level PING/PONG for liveness (§3, §10).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::http::HeaderMap;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use super::connect::{establish, ConnectTimings, Socket};
use super::endpoint::Endpoint;
use super::errors::{ConnectError, WireError};
use crate::protocol::{ClientMessage, Limits, Millis, Ping, ProtocolVersion, ServerMessage};

/// Close code standing for "the connection ended without a close frame" (RFC 6455).
pub(super) const ABNORMAL_CLOSURE: u16 = 1006;
/// Close code standing for "a close frame without a status" (RFC 6455, `docs/protocol.md` §2.4).
const NO_STATUS: u16 = 1005;

/// What `recv` hands back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Message(ServerMessage),
    /// The server closed the WebSocket (1005 for a close frame without status,
    /// 1006 when the connection ended without one). Repeated on every later `recv`.
    Closed {
        code: u16,
        reason: String,
    },
}

/// One received frame that matters to the protocol.
#[derive(Clone)]
pub(super) enum Frame {
    Binary(Vec<u8>),
    Closed { code: u16, reason: String },
}

/// Where a wire's frames go and come from.
pub(super) enum Link {
    /// The wire owns its WebSocket (boxed: a share is a tenth of its size).
    Own(Box<Socket>),
    /// One of several sessions sharing a connection (`mux.rs`).
    Shared(super::mux::SharedLink),
}

/// One WebSocket connection speaking the negotiated protocol version (or, after
/// [`Wire::multiplex`], one session's share of one).
pub struct Wire {
    pub(super) link: Link,
    pub(super) version: ProtocolVersion,
    pub(super) subprotocol: String,
    pub(super) response_headers: HeaderMap,
    pub(super) timings: ConnectTimings,
    pub(super) limits: Limits,
    pub(super) peer_certificate: Option<Vec<u8>>,
    /// Binary messages read ahead (during the close wait or a PING), in order.
    pub(super) pending: VecDeque<Vec<u8>>,
    pub(super) closed: Option<(u16, String)>,
    /// Origin of the PING clock.
    started: Instant,
    outstanding_ping: Option<i64>,
    last_rtt: Millis,
}

impl Wire {
    /// Connects and negotiates; see [`ConnectError`] for what each failure means.
    pub async fn connect(endpoint: &Endpoint) -> Result<Wire, ConnectError> {
        let limit = endpoint.connect_timeout;
        let up = tokio::time::timeout(limit, establish(endpoint))
            .await
            .map_err(|_| ConnectError::Timeout(limit))??;
        let mut wire = Wire {
            link: Link::Own(Box::new(up.socket)),
            version: up.version,
            subprotocol: up.subprotocol,
            response_headers: up.response_headers,
            timings: up.timings,
            limits: up.limits,
            peer_certificate: up.peer_certificate,
            pending: VecDeque::new(),
            closed: None,
            started: Instant::now(),
            outstanding_ping: None,
            last_rtt: Millis(0),
        };
        if !endpoint.close_wait.is_zero() {
            match tokio::time::timeout(endpoint.close_wait, wire.read_frame()).await {
                Err(_) => {}
                Ok(Ok(Frame::Binary(bytes))) => wire.pending.push_back(bytes),
                Ok(Ok(Frame::Closed { code, reason })) => {
                    return Err(ConnectError::ClosedAfterUpgrade { code, reason })
                }
                Ok(Err(e)) => {
                    return Err(ConnectError::Upgrade {
                        reason: format!("right after the upgrade: {e}"),
                    })
                }
            }
        }
        Ok(wire)
    }

    /// A session's share of a connection (`mux.rs`).
    pub(super) fn shared(
        link: super::mux::SharedLink,
        version: ProtocolVersion,
        subprotocol: String,
        response_headers: HeaderMap,
        timings: ConnectTimings,
        limits: Limits,
    ) -> Wire {
        Wire {
            link: Link::Shared(link),
            version,
            subprotocol,
            response_headers,
            timings,
            limits,
            peer_certificate: None,
            pending: VecDeque::new(),
            closed: None,
            started: Instant::now(),
            outstanding_ping: None,
            last_rtt: Millis(0),
        }
    }

    /// The negotiated protocol version.
    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// The `Sec-WebSocket-Protocol` token the server chose.
    pub fn subprotocol(&self) -> &str {
        &self.subprotocol
    }

    /// A header of the 101 response (e.g. `X-Appservices-Request-Id`).
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers.get(name)?.to_str().ok()
    }

    /// The server's leaf certificate (DER) as verified in this connection's
    /// TLS handshake; `None` without TLS and on a share of a connection.
    pub fn peer_certificate(&self) -> Option<&[u8]> {
        self.peer_certificate.as_deref()
    }

    pub fn timings(&self) -> &ConnectTimings {
        &self.timings
    }

    /// Replaces the parser limits (default [`Limits::DEFAULT`]).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Sends one message in the negotiated version's form.
    /// Sends one message; returns its size on the wire (the WebSocket
    /// payload, after the message's own compression).
    pub async fn send(&mut self, message: &ClientMessage) -> Result<usize, WireError> {
        let bytes = message.to_bytes(self.version)?;
        if let ClientMessage::Ping(ping) = message {
            self.outstanding_ping = Some(ping.timestamp.0);
        }
        let size = bytes.len();
        self.send_raw(bytes).await.map(|()| size)
    }

    /// Sends arbitrary bytes as one binary message (for malformed-input tests).
    pub async fn send_raw(&mut self, bytes: Vec<u8>) -> Result<(), WireError> {
        if let Some((code, reason)) = &self.closed {
            return Err(WireError::Closed {
                code: *code,
                reason: reason.clone(),
            });
        }
        match &mut self.link {
            Link::Own(socket) => socket.send(Message::Binary(bytes.into())).await?,
            Link::Shared(link) => link.send(bytes)?,
        }
        Ok(())
    }

    /// The next server message, or the close.
    pub async fn recv(&mut self) -> Result<Incoming, WireError> {
        let bytes = match self.pending.pop_front() {
            Some(bytes) => bytes,
            None => match self.read_frame().await? {
                Frame::Binary(bytes) => bytes,
                Frame::Closed { code, reason } => return Ok(Incoming::Closed { code, reason }),
            },
        };
        let message = self.parse(&bytes)?;
        if let ServerMessage::Pong { timestamp } = message {
            let expected = self.outstanding_ping.take();
            if expected != Some(timestamp.0) {
                return Err(WireError::UnexpectedPong {
                    expected,
                    got: timestamp.0,
                });
            }
        }
        Ok(Incoming::Message(message))
    }

    /// [`Wire::recv`] bounded by `limit`; cancelling loses nothing.
    pub async fn recv_timeout(&mut self, limit: Duration) -> Result<Incoming, WireError> {
        tokio::time::timeout(limit, self.recv())
            .await
            .map_err(|_| WireError::Timeout(limit))?
    }

    /// Sends PING (with the previous round trip) and waits for its PONG; other
    /// messages arriving meanwhile are kept for `recv`. Returns the round trip.
    pub async fn ping(&mut self) -> Result<Duration, WireError> {
        let sent = Instant::now();
        let timestamp = Millis(i64::try_from(self.started.elapsed().as_millis()).unwrap_or(0));
        let ping = Ping {
            timestamp,
            rtt: self.last_rtt,
        };
        self.send(&ClientMessage::Ping(ping)).await?;
        loop {
            let bytes = match self.read_frame().await? {
                Frame::Binary(bytes) => bytes,
                Frame::Closed { code, reason } => return Err(WireError::Closed { code, reason }),
            };
            match ServerMessage::parse(&bytes, self.version, &self.limits) {
                Ok(ServerMessage::Pong { timestamp: got }) => {
                    self.outstanding_ping = None;
                    if got != timestamp {
                        return Err(WireError::UnexpectedPong {
                            expected: Some(timestamp.0),
                            got: got.0,
                        });
                    }
                    let rtt = sent.elapsed();
                    self.last_rtt = Millis(i64::try_from(rtt.as_millis()).unwrap_or(i64::MAX));
                    return Ok(rtt);
                }
                // Everything else (unparsable messages too) is for `recv` to report.
                _ => self.pending.push_back(bytes),
            }
        }
    }

    fn parse(&self, bytes: &[u8]) -> Result<ServerMessage, WireError> {
        ServerMessage::parse(bytes, self.version, &self.limits).map_err(|error| {
            let end = bytes
                .iter()
                .position(|b| *b == b'\n')
                .unwrap_or(bytes.len())
                .min(200);
            WireError::Parse {
                error,
                head: String::from_utf8_lossy(bytes.get(..end).unwrap_or_default()).into_owned(),
            }
        })
    }

    /// The next binary message or the close; text, ping and pong frames are skipped.
    async fn read_frame(&mut self) -> Result<Frame, WireError> {
        if let Some((code, reason)) = &self.closed {
            return Ok(Frame::Closed {
                code: *code,
                reason: reason.clone(),
            });
        }
        let socket = match &mut self.link {
            Link::Own(socket) => socket,
            Link::Shared(link) => {
                let frame = link.recv().await;
                if let Frame::Closed { code, reason } = &frame {
                    self.closed = Some((*code, reason.clone()));
                }
                return Ok(frame);
            }
        };
        loop {
            let (code, reason) = match socket.next().await {
                Some(Ok(Message::Binary(bytes))) => return Ok(Frame::Binary(bytes.to_vec())),
                Some(Ok(Message::Close(Some(frame)))) => {
                    (u16::from(frame.code), frame.reason.to_string())
                }
                Some(Ok(Message::Close(None))) => (NO_STATUS, String::new()),
                Some(Ok(_)) => continue,
                None
                | Some(Err(WsError::ConnectionClosed))
                | Some(Err(WsError::AlreadyClosed))
                | Some(Err(WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake))) => (
                    ABNORMAL_CLOSURE,
                    "the connection ended without a close frame".to_string(),
                ),
                Some(Err(e)) => return Err(WireError::Transport(e)),
            };
            self.closed = Some((code, reason.clone()));
            return Ok(Frame::Closed { code, reason });
        }
    }
}

impl std::fmt::Debug for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wire")
            .field("version", &self.version)
            .field("subprotocol", &self.subprotocol)
            .field("timings", &self.timings)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}
