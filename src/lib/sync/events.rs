//! What reaches a connection's task besides its client's bytes: answers of the
//! Realm actors it asked something, and wake-ups when a Realm has new versions.

use tokio::sync::mpsc;

use crate::protocol::SessionIdent;
use crate::realm::{ClientFile, DownloadBatch, IdentRefusal, Identified, IntegrateRefusal};

/// Which connection and which binding of a session an answer is for. A session
/// ident can be bound again after UNBIND; the binding number tells an answer to
/// the old binding from one to the new.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SessionRef {
    pub session: SessionIdent,
    pub binding: u64,
}

/// A connection's inbox, held by the Realm actors it talks to.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionHandle {
    pub id: u64,
    pub tx: mpsc::UnboundedSender<Event>,
}

impl ConnectionHandle {
    pub fn send(&self, event: Event) {
        // A connection that is gone no longer needs the answer.
        let _ = self.tx.send(event);
    }
}

#[derive(Debug)]
pub(crate) enum Event {
    /// A client file ident was allocated and committed.
    Allocated {
        to: SessionRef,
        result: Result<ClientFile, String>,
    },
    /// The answer to an IDENT.
    Identified {
        to: SessionRef,
        result: Result<Identified, IdentAnswer>,
    },
    /// An upload was integrated (or refused); the wake-up follows separately.
    Integrated {
        to: SessionRef,
        result: Result<(), UploadAnswer>,
    },
    /// The next DOWNLOAD of a session.
    Fetched {
        to: SessionRef,
        result: Result<DownloadBatch, String>,
    },
    /// The Realm at this registry key has a new latest version.
    Advanced { realm: u64 },
    /// The Realm at this registry key was deleted: its sessions end.
    Deleted { realm: u64 },
    /// Another connection bound a client file this connection had bound: this
    /// connection is presumed dead (`docs/protocol.md` §5.1) and closes.
    Superseded { file_ident: u64 },
}

/// Why an IDENT was not accepted.
#[derive(Debug)]
pub(crate) enum IdentAnswer {
    /// The refusal and its message (which names a restore, if there was one).
    Refused(IdentRefusal, String),
    /// The client file is bound by another session of the same connection (108).
    BoundHere,
    Storage(String),
}

/// Why an upload was not integrated.
#[derive(Debug)]
pub(crate) enum UploadAnswer {
    Refused(IntegrateRefusal),
    Storage(String),
}
