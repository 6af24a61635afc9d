//! The writing half of a connection: one message at a time, PONG ahead of
//! everything queued (`docs/protocol.md` §5.3), and a bound on the bytes a
//! client may leave unread before it is cut off (a slow reader must not grow
//! the server's memory).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::SinkExt;
use tokio::sync::mpsc;

/// What the writer task sends.
pub(crate) enum Outgoing {
    Binary(Vec<u8>),
    /// A close frame, after which the writer stops.
    Close(u16, String),
}

/// The queue into the writer task.
pub(crate) struct Outbox {
    urgent: mpsc::UnboundedSender<Outgoing>,
    normal: mpsc::UnboundedSender<Outgoing>,
    queued: Arc<AtomicU64>,
    limit: u64,
}

/// The client has not read `queued` bytes; the connection must close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overflow {
    pub queued: u64,
}

impl Outbox {
    /// Starts the writer task on `sink`.
    pub fn start(
        sink: SplitSink<WebSocket, Message>,
        limit: u64,
    ) -> (Outbox, tokio::task::JoinHandle<()>) {
        let (urgent, urgent_rx) = mpsc::unbounded_channel();
        let (normal, normal_rx) = mpsc::unbounded_channel();
        let queued = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn(write(sink, urgent_rx, normal_rx, Arc::clone(&queued)));
        (
            Outbox {
                urgent,
                normal,
                queued,
                limit,
            },
            task,
        )
    }

    /// Queues a session message, or reports that the client is too far behind:
    /// unread bytes were already waiting and this message takes them past the
    /// limit. One message of any size may always wait alone, so a DOWNLOAD
    /// larger than the limit still reaches a client that reads.
    pub fn push(&self, bytes: Vec<u8>) -> Result<(), Overflow> {
        let len = bytes.len() as u64;
        let before = self.queued.fetch_add(len, Ordering::AcqRel);
        let queued = before + len;
        if before > 0 && queued > self.limit {
            return Err(Overflow { queued });
        }
        let _ = self.normal.send(Outgoing::Binary(bytes));
        Ok(())
    }

    /// Queues a PONG ahead of everything else.
    pub fn push_urgent(&self, bytes: Vec<u8>) {
        self.queued.fetch_add(bytes.len() as u64, Ordering::AcqRel);
        let _ = self.urgent.send(Outgoing::Binary(bytes));
    }

    /// Sends a close frame after what is queued.
    pub fn close(&self, code: u16, reason: &str) {
        let _ = self.normal.send(Outgoing::Close(code, reason.to_string()));
    }
}

async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut urgent: mpsc::UnboundedReceiver<Outgoing>,
    mut normal: mpsc::UnboundedReceiver<Outgoing>,
    queued: Arc<AtomicU64>,
) {
    loop {
        let next = tokio::select! {
            biased;
            Some(m) = urgent.recv() => m,
            Some(m) = normal.recv() => m,
            else => break,
        };
        match next {
            Outgoing::Binary(bytes) => {
                let len = bytes.len() as u64;
                let sent = sink.send(Message::Binary(bytes.into())).await;
                queued.fetch_sub(len, Ordering::AcqRel);
                if sent.is_err() {
                    break;
                }
            }
            Outgoing::Close(code, reason) => {
                let frame = CloseFrame {
                    code,
                    reason: reason.into(),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
                break;
            }
        }
    }
    let _ = sink.close().await;
}
