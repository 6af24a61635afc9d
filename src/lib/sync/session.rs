//! One session's state on the server (`docs/protocol.md` §5.1, §6.2): where it
//! is in its binding, its cursors, and what it waits for.

use super::actor::Command;
use super::checks::{Cursor, UploadContext};
use super::events::SessionRef;
use super::realms::RealmHandle;
use crate::admin::Rights;
use crate::protocol::{ClientMessage, RequestIdent, SessionIdent};

/// Where a binding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// BIND asked for a client file ident; the actor is allocating it.
    AllocatingIdent,
    /// Waiting for the client's IDENT.
    WaitForIdent,
    /// IDENT sent to the actor; its answer is pending.
    Identifying,
    /// Identified: UPLOAD and MARK accepted, DOWNLOADs flow.
    Bound,
    /// A session error was sent; only UNBIND is accepted now.
    Failed,
}

pub(crate) struct Session {
    pub ident: SessionIdent,
    pub binding: u64,
    pub realm: RealmHandle,
    pub rights: Rights,
    pub phase: Phase,
    /// The client file, once known (allocated, or named by IDENT).
    pub file_ident: Option<u64>,
    /// `D`: the download cursor (server version, client version).
    pub download: Cursor,
    pub upload: UploadContext,
    /// A Fetch is with the actor.
    pub fetching: bool,
    /// At least one DOWNLOAD went out in this binding (§8).
    pub sent_download: bool,
    /// The latest MARK request and the server version it must be answered at.
    pub mark: Option<(RequestIdent, u64)>,
    /// Messages that arrived while IDENT was being checked, in order.
    pub deferred: Vec<ClientMessage>,
}

impl Session {
    pub fn new(ident: SessionIdent, binding: u64, realm: RealmHandle, rights: Rights) -> Session {
        Session {
            ident,
            binding,
            realm,
            rights,
            phase: Phase::WaitForIdent,
            file_ident: None,
            download: Cursor::default(),
            upload: UploadContext::default(),
            fetching: false,
            sent_download: false,
            mark: None,
            deferred: Vec::new(),
        }
    }

    pub fn reference(&self) -> SessionRef {
        SessionRef {
            session: self.ident,
            binding: self.binding,
        }
    }

    /// Tells the actor this binding no longer holds its client file. Safe to
    /// send more than once, and before IDENT was answered: the actor takes
    /// commands in order and forgets only this very binding's claim.
    pub fn release(&self, conn: u64) {
        if let Some(file_ident) = self.file_ident {
            self.realm.send(Command::Release {
                conn,
                to: self.reference(),
                file_ident,
            });
        }
    }

    /// Whether a DOWNLOAD should be asked for now.
    pub fn wants_download(&self) -> bool {
        self.phase == Phase::Bound
            && !self.fetching
            && (!self.sent_download || self.realm.latest() > self.download.server)
    }

    /// The MARK to answer now, if its DOWNLOADs have gone out.
    pub fn due_mark(&mut self) -> Option<RequestIdent> {
        let (request, target) = self.mark?;
        if self.phase == Phase::Bound
            && self.sent_download
            && !self.fetching
            && self.download.server >= target
        {
            self.mark = None;
            return Some(request);
        }
        None
    }
}
