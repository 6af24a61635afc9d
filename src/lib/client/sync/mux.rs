//! Several sessions on one connection, as realm-core multiplexes the Realms of
//! one app over one WebSocket: [`Wire::multiplex`] turns a wire into one wire
//! per session ident. A router task owns the socket; it sends what every
//! wire sends, in order, and hands each server message to the wire of its
//! session. A message for the whole connection (an ERROR with session 0, a
//! close, a message that does not parse or names no bound session) goes to
//! every wire, so each reports it; a PONG goes to the wire that sent the last PING.

use std::collections::{HashMap, VecDeque};

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::connect::Socket;
use super::errors::WireError;
use super::wire::{Frame, Link, Wire, ABNORMAL_CLOSURE};
use crate::protocol::{Limits, ProtocolVersion, ServerMessage, SessionIdent};

/// A wire's end of a shared connection.
pub(crate) struct SharedLink {
    index: usize,
    out: mpsc::UnboundedSender<(usize, Vec<u8>)>,
    inbox: mpsc::UnboundedReceiver<Frame>,
}

fn ended() -> (u16, String) {
    (
        ABNORMAL_CLOSURE,
        "the shared connection has ended".to_string(),
    )
}

impl SharedLink {
    pub(super) fn send(&self, bytes: Vec<u8>) -> Result<(), WireError> {
        self.out.send((self.index, bytes)).map_err(|_| {
            let (code, reason) = ended();
            WireError::Closed { code, reason }
        })
    }

    pub(super) async fn recv(&mut self) -> Frame {
        self.inbox.recv().await.unwrap_or_else(|| {
            let (code, reason) = ended();
            Frame::Closed { code, reason }
        })
    }
}

impl Wire {
    /// One wire per entry of `sessions` (distinct idents), all on this
    /// connection; the first gets whatever this wire had read ahead. Must be
    /// called inside a tokio runtime, on a wire that is not itself a share.
    pub fn multiplex(self, sessions: &[SessionIdent]) -> Result<Vec<Wire>, WireError> {
        let Wire {
            link,
            version,
            subprotocol,
            response_headers,
            timings,
            limits,
            pending,
            closed,
            ..
        } = self;
        let Link::Own(socket) = link else {
            return Err(WireError::Closed {
                code: ABNORMAL_CLOSURE,
                reason: "a shared wire cannot be shared again".into(),
            });
        };
        let (out, out_rx) = mpsc::unbounded_channel();
        let mut inboxes = Vec::new();
        let mut wires = Vec::new();
        for index in 0..sessions.len() {
            let (tx, inbox) = mpsc::unbounded_channel();
            if let Some((code, reason)) = &closed {
                let _ = tx.send(Frame::Closed {
                    code: *code,
                    reason: reason.clone(),
                });
            }
            inboxes.push(tx);
            let link = SharedLink {
                index,
                out: out.clone(),
                inbox,
            };
            wires.push(Wire::shared(
                link,
                version,
                subprotocol.clone(),
                response_headers.clone(),
                timings,
                limits,
            ));
        }
        let router = Router {
            version,
            limits,
            sessions: sessions
                .iter()
                .enumerate()
                .map(|(i, s)| (s.get(), i))
                .collect(),
            inboxes,
            pinger: None,
        };
        tokio::spawn(router.run(*socket, out_rx, pending));
        Ok(wires)
    }
}

struct Router {
    version: ProtocolVersion,
    limits: Limits,
    /// Session ident → wire index.
    sessions: HashMap<u64, usize>,
    inboxes: Vec<mpsc::UnboundedSender<Frame>>,
    /// The wire whose PING is outstanding.
    pinger: Option<usize>,
}

impl Router {
    async fn run(
        mut self,
        mut socket: Socket,
        mut out: mpsc::UnboundedReceiver<(usize, Vec<u8>)>,
        pending: VecDeque<Vec<u8>>,
    ) {
        for bytes in pending {
            self.deliver(bytes);
        }
        loop {
            tokio::select! {
                sent = out.recv() => {
                    // Every wire dropped: drop the socket, as a lone wire does.
                    let Some((index, bytes)) = sent else { return };
                    if bytes.starts_with(b"ping ") {
                        self.pinger = Some(index);
                    }
                    if socket.send(Message::Binary(bytes.into())).await.is_err() {
                        let (code, reason) = ended();
                        return self.broadcast(Frame::Closed { code, reason });
                    }
                }
                frame = socket.next() => match frame {
                    Some(Ok(Message::Binary(bytes))) => self.deliver(bytes.to_vec()),
                    Some(Ok(Message::Close(frame))) => {
                        let (code, reason) = frame.map_or((1005, String::new()), |f| {
                            (u16::from(f.code), f.reason.to_string())
                        });
                        return self.broadcast(Frame::Closed { code, reason });
                    }
                    Some(Ok(_)) => {}
                    None | Some(Err(_)) => {
                        let (code, reason) = ended();
                        return self.broadcast(Frame::Closed { code, reason });
                    }
                },
            }
        }
    }

    fn deliver(&mut self, bytes: Vec<u8>) {
        let target = match ServerMessage::parse(&bytes, self.version, &self.limits) {
            Ok(ServerMessage::Pong { .. }) => self.pinger.take(),
            Ok(message) => message
                .session()
                .and_then(|s| self.sessions.get(&s.get()).copied()),
            Err(_) => None,
        };
        match target {
            Some(index) => {
                if let Some(inbox) = self.inboxes.get(index) {
                    let _ = inbox.send(Frame::Binary(bytes));
                }
            }
            None => self.broadcast(Frame::Binary(bytes)),
        }
    }

    fn broadcast(&self, frame: Frame) {
        for inbox in &self.inboxes {
            let _ = inbox.send(frame.clone());
        }
    }
}
