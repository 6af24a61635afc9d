//! One client connection: reads messages, runs each session's rules
//! (`docs/protocol.md` §4), and writes what sessions and Realm actors produce.
//!
//! A connection is one task. Everything slow happens elsewhere: Realm actors
//! integrate, allocate and fetch, and answer with [`Event`]s, so this loop
//! never waits on a store and keeps answering PINGs.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::actor::Command;
use super::checks::{check_upload, Cursor};
use super::events::{ConnectionHandle, Event, IdentAnswer, SessionRef, UploadAnswer};
use super::outbox::Outbox;
use super::realms::OpenRefused;
use super::replies;
use super::service::{Slot, SyncService};
use super::session::{Phase, Session};
use crate::auth::Caller;
use crate::protocol::{
    Bind, ClientIdent, ClientMessage, ErrorCode, JsonError, Mark, ProtocolVersion, ServerIdent,
    ServerMessage, SessionIdent, Upload,
};
use crate::realm::{ClientUpload, IdentRefusal, IdentRequest, IntegrateRefusal, UploadedChangeset};

/// How long a connection that got a connection-level error waits for its client
/// to hang up before it drops the socket itself (§9.1).
const LINGER: Duration = Duration::from_secs(10);

/// Why the loop ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// A connection-level ERROR was queued: let it out, then wait for the client.
    AfterError,
    /// Close now (slow reader, superseded, broken socket).
    Now,
}

struct Connection {
    service: Arc<SyncService>,
    version: ProtocolVersion,
    caller: Option<Caller>,
    handle: ConnectionHandle,
    sessions: HashMap<SessionIdent, Session>,
    /// Sessions whose BIND failed before they had a Realm; only UNBIND is read.
    failed: HashSet<SessionIdent>,
    /// Idents freed by UNBIND: anything but a new BIND for them is 109.
    unbound: HashSet<SessionIdent>,
    bindings: u64,
    outbox: Outbox,
    end: Option<End>,
}

/// Serves one upgraded connection until it ends.
pub(crate) async fn run(
    service: Arc<SyncService>,
    slot: Slot,
    socket: WebSocket,
    version: ProtocolVersion,
    caller: Option<Caller>,
) {
    let (sink, mut stream) = socket.split();
    let (outbox, writer) = Outbox::start(sink, service.settings.max_buffered_bytes);
    let (tx, mut events) = mpsc::unbounded_channel();
    let idle = service.settings.connection_idle_timeout;
    let mut stop = service.stop_signal();
    let mut conn = Connection {
        service,
        version,
        caller,
        handle: ConnectionHandle { id: slot.id, tx },
        sessions: HashMap::new(),
        failed: HashSet::new(),
        unbound: HashSet::new(),
        bindings: 0,
        outbox,
        end: None,
    };
    let mut deadline = Instant::now() + idle;
    if *stop.borrow() {
        conn.connection_error(ErrorCode::ConnectionClosed, "the server is shutting down");
    }
    while conn.end.is_none() {
        tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(Message::Binary(bytes))) => {
                    deadline = Instant::now() + idle;
                    conn.on_bytes(&bytes).await;
                }
                // Text frames are ignored, as realm-core does (§3); pings count
                // as activity.
                Some(Ok(Message::Text(_) | Message::Ping(_) | Message::Pong(_))) => {
                    deadline = Instant::now() + idle;
                }
                Some(Ok(Message::Close(_))) | None => conn.end = Some(End::Now),
                Some(Err(e)) => {
                    tracing::debug!(error = %e, "sync connection read failed");
                    if e.to_string().contains("too long") || e.to_string().contains("too big") {
                        conn.outbox.close(1009, "message too big");
                    }
                    conn.end = Some(End::Now);
                }
            },
            Some(event) = events.recv() => conn.on_event(event),
            _ = tokio::time::sleep_until(deadline) => {
                tracing::info!(idle = ?idle, "closing a sync connection that sent nothing");
                conn.end = Some(End::Now);
            }
            Ok(()) = stop.changed() => {
                conn.connection_error(ErrorCode::ConnectionClosed, "the server is shutting down; reconnect later");
            }
        }
    }
    let end = conn.end;
    conn.teardown();
    if end == Some(End::AfterError) {
        // Let the ERROR out, then give the client a moment to hang up.
        let linger = tokio::time::sleep(LINGER);
        tokio::pin!(linger);
        loop {
            tokio::select! {
                frame = stream.next() => if !matches!(frame, Some(Ok(_))) { break },
                _ = &mut linger => break,
            }
        }
    }
    drop(conn);
    let _ = tokio::time::timeout(Duration::from_secs(5), writer).await;
    drop(slot);
}

impl Connection {
    fn send(&mut self, message: &ServerMessage) {
        match message.to_bytes(self.version) {
            Ok(bytes) => {
                if let Err(overflow) = self.outbox.push(bytes) {
                    tracing::warn!(
                        queued = overflow.queued,
                        "closing a sync connection whose client does not read"
                    );
                    self.end = Some(End::Now);
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot write a server message"),
        }
    }

    /// Sends a connection-level error as the last message and stops reading.
    fn connection_error(&mut self, code: ErrorCode, message: &str) {
        if self.end.is_some() {
            return;
        }
        tracing::info!(%code, message, "sync connection error");
        let error = replies::error(self.version, SessionIdent::ZERO, code, message);
        self.send(&error);
        if self.end.is_none() {
            self.end = Some(End::AfterError);
        }
    }

    /// Sends a session-level error; the session then only waits for UNBIND.
    fn session_error(&mut self, ident: SessionIdent, code: ErrorCode, message: &str) {
        tracing::info!(session = ident.get(), %code, message, "sync session error");
        let error = replies::error(self.version, ident, code, message);
        self.send(&error);
        match self.sessions.get_mut(&ident) {
            Some(session) => {
                session.phase = Phase::Failed;
                session.deferred.clear();
                session.mark = None;
                session.release(self.handle.id);
            }
            None => {
                self.failed.insert(ident);
            }
        }
    }

    async fn on_bytes(&mut self, bytes: &[u8]) {
        match ClientMessage::parse(bytes, self.version, &self.service.limits) {
            Ok(message) => self.dispatch(message).await,
            Err(e) => self.connection_error(e.server_error_code(), &e.to_string()),
        }
    }

    async fn dispatch(&mut self, message: ClientMessage) {
        match message {
            ClientMessage::Bind(bind) => self.on_bind(bind).await,
            ClientMessage::Ping(ping) => {
                let pong = ServerMessage::Pong {
                    timestamp: ping.timestamp,
                };
                if let Ok(bytes) = pong.to_bytes(self.version) {
                    self.outbox.push_urgent(bytes);
                }
            }
            ClientMessage::Unbind { session } => self.on_unbind(session),
            ClientMessage::TestCommand(c) => {
                tracing::debug!(session = c.session.get(), "TEST_COMMAND ignored");
            }
            ClientMessage::Refresh(r) => self.on_refresh(r.token.as_bytes()).await,
            other => self.in_session(other),
        }
    }

    /// IDENT, UPLOAD, MARK, JSON_ERROR: messages of a bound session.
    fn in_session(&mut self, message: ClientMessage) {
        let ident = match &message {
            ClientMessage::Ident(m) => m.session,
            ClientMessage::Upload(m) => m.session,
            ClientMessage::Mark(m) => m.session,
            ClientMessage::JsonError(m) => m.session,
            _ => return,
        };
        if self.failed.contains(&ident) {
            return;
        }
        let Some(session) = self.sessions.get_mut(&ident) else {
            let code = if self.unbound.contains(&ident) {
                ErrorCode::BadMessageOrder
            } else {
                ErrorCode::BadSessionIdent
            };
            let kind = message.kind();
            self.connection_error(
                code,
                &format!("{kind:?} for session {} which is not bound", ident.get()),
            );
            return;
        };
        match (session.phase, message) {
            (Phase::Failed, _) => {}
            (_, ClientMessage::JsonError(e)) => self.on_client_error(e),
            (Phase::WaitForIdent, ClientMessage::Ident(i)) => self.on_ident(i),
            (Phase::Identifying, m @ (ClientMessage::Upload(_) | ClientMessage::Mark(_))) => {
                session.deferred.push(m);
            }
            (Phase::Bound, ClientMessage::Upload(u)) => self.on_upload(u),
            (Phase::Bound, ClientMessage::Mark(m)) => self.on_mark(m),
            (phase, m) => {
                let kind = m.kind();
                self.connection_error(
                    ErrorCode::BadMessageOrder,
                    &format!(
                        "{kind:?} is not expected for session {} now ({phase:?})",
                        ident.get()
                    ),
                );
            }
        }
    }

    async fn on_bind(&mut self, bind: Bind) {
        let ident = bind.session;
        if self.sessions.contains_key(&ident) || self.failed.contains(&ident) {
            self.connection_error(
                ErrorCode::ReuseOfSessionIdent,
                &format!(
                    "session {} is already bound on this connection",
                    ident.get()
                ),
            );
            return;
        }
        self.unbound.remove(&ident);
        if self.caller.is_none() && !bind.token.as_bytes().is_empty() {
            self.on_refresh(bind.token.as_bytes()).await;
        }
        let Some(caller) = self.caller.clone() else {
            // Only protocol ≤ 3 connections get here without a token, and for
            // them 203 is the token error (§2.4).
            self.session_error(ident, ErrorCode::BadAuthentication, "no valid access token");
            return;
        };
        if bind.is_subserver {
            self.session_error(
                ident,
                ErrorCode::PermissionDenied,
                "subservers are not supported",
            );
            return;
        }
        let auth = Arc::clone(&self.service.auth);
        let path = bind.path.as_bytes().to_vec();
        let decided =
            tokio::task::spawn_blocking(move || super::bind::authorize(&auth, &caller, &path))
                .await;
        let (realm_id, rights) = match decided {
            Ok(Ok(pair)) => pair,
            Ok(Err((code, why))) => return self.session_error(ident, code, &why),
            Err(e) => return self.session_error(ident, ErrorCode::SessionClosed, &e.to_string()),
        };
        let subscribe = Command::Subscribe {
            conn: self.handle.clone(),
        };
        let realm = match self.service.realms.open_with(&realm_id, subscribe) {
            Ok(handle) => handle,
            Err(OpenRefused::TooMany) => {
                return self.session_error(
                    ident,
                    ErrorCode::SessionClosed,
                    "too many Realms are open; try again",
                );
            }
            Err(OpenRefused::ShuttingDown) => {
                return self.session_error(
                    ident,
                    ErrorCode::SessionClosed,
                    "the server is shutting down",
                );
            }
            Err(OpenRefused::Deleting) => {
                return self.session_error(
                    ident,
                    ErrorCode::SessionClosed,
                    "the Realm is being deleted; try again",
                );
            }
        };
        tracing::debug!(session = ident.get(), realm = %realm_id, "session bound");
        self.bindings += 1;
        let mut session = Session::new(ident, self.bindings, realm, rights);
        if bind.need_client_file_ident {
            session.phase = Phase::AllocatingIdent;
            let sent = session.realm.send(Command::Allocate {
                conn: self.handle.clone(),
                to: session.reference(),
            });
            self.sessions.insert(ident, session);
            if !sent {
                self.session_error(
                    ident,
                    ErrorCode::SessionClosed,
                    "the Realm is closing; try again",
                );
            }
        } else {
            self.sessions.insert(ident, session);
        }
    }

    /// A token from BIND or REFRESH (protocol ≤ 3 clients).
    async fn on_refresh(&mut self, token: &[u8]) {
        if self.version.get() > 3 {
            return;
        }
        let token = String::from_utf8_lossy(token).into_owned();
        let auth = Arc::clone(&self.service.auth);
        let accepted =
            tokio::task::spawn_blocking(move || auth.accept(&token, std::time::SystemTime::now()))
                .await;
        if let Ok(Ok(caller)) = accepted {
            self.caller = Some(caller);
        }
    }

    fn on_ident(&mut self, ident: ClientIdent) {
        let Some(session) = self.sessions.get_mut(&ident.session) else {
            return;
        };
        session.phase = Phase::Identifying;
        session.file_ident = Some(ident.file_ident.get());
        // `D` starts at the client's persisted download cursor (docs/protocol.md §6.3).
        session.download = Cursor {
            client: ident.scan.last_integrated_client_version.get(),
            server: ident.scan.server_version.get(),
        };
        let request = IdentRequest {
            file_ident: ident.file_ident.get(),
            salt: ident.file_ident_salt.0,
            scan_server_version: ident.scan.server_version.get(),
            scan_client_version: ident.scan.last_integrated_client_version.get(),
            latest_version: ident.latest.version.get(),
            latest_salt: ident.latest.salt.0,
        };
        let sent = session.realm.send(Command::Identify {
            conn: self.handle.clone(),
            to: session.reference(),
            request,
        });
        if !sent {
            self.session_error(
                ident.session,
                ErrorCode::SessionClosed,
                "the Realm is closing; try again",
            );
        }
    }

    fn on_upload(&mut self, upload: Upload) {
        let ident = upload.session;
        let max_backlog = self.service.settings.max_upload_backlog;
        let Some(session) = self.sessions.get_mut(&ident) else {
            return;
        };
        let progress = Cursor::new(
            upload.progress.client_version.get(),
            upload.progress.last_integrated_server_version.get(),
        );
        let locked = upload.locked_server_version.get();
        let entries: Vec<Cursor> = upload
            .changesets
            .iter()
            .map(|e| {
                Cursor::new(
                    e.client_version.get(),
                    e.last_integrated_server_version.get(),
                )
            })
            .collect();
        let mut ctx = session.upload;
        ctx.download_server_version = session.download.server;
        if let Err(refusal) = check_upload(&ctx, progress, locked, &entries) {
            return self.session_error(ident, refusal.code, &refusal.message);
        }
        if !upload.changesets.is_empty() && !session.rights.may_write {
            return self.session_error(
                ident,
                ErrorCode::PermissionDenied,
                "no permission to write to this Realm",
            );
        }
        let threshold = session.upload.threshold.client;
        let changesets: Vec<UploadedChangeset> = upload
            .changesets
            .into_iter()
            .filter(|e| e.client_version.get() > threshold)
            .map(|e| UploadedChangeset {
                client_version: e.client_version.get(),
                last_integrated_server_version: e.last_integrated_server_version.get(),
                origin_timestamp: e.origin_timestamp.get(),
                origin_file_ident: e.origin_file_ident.get(),
                changeset: e.changeset,
            })
            .collect();
        let previous = session.upload;
        session.upload.previous = progress;
        session.upload.locked = locked;
        let advances = !changesets.is_empty()
            || progress.client > previous.threshold.client.max(previous.previous.client)
            || locked > previous.locked;
        if !advances {
            return;
        }
        let Some(file_ident) = session.file_ident else {
            return;
        };
        let upload = ClientUpload {
            ident: file_ident,
            progress_client_version: progress.client,
            progress_server_version: progress.server,
            locked_server_version: locked,
            changesets,
        };
        let bytes = upload.bytes();
        let backlog = session.realm.backlog.fetch_add(bytes, Ordering::AcqRel);
        if backlog.saturating_add(bytes) > max_backlog && bytes > 0 {
            session.realm.backlog.fetch_sub(bytes, Ordering::AcqRel);
            return self.connection_error(
                ErrorCode::ConnectionClosed,
                "this Realm has too many uploads waiting to be integrated; try again later",
            );
        }
        let sent = session.realm.send(Command::Upload {
            conn: self.handle.clone(),
            to: session.reference(),
            upload,
            bytes,
        });
        if !sent {
            session.realm.backlog.fetch_sub(bytes, Ordering::AcqRel);
            self.session_error(
                ident,
                ErrorCode::SessionClosed,
                "the Realm is closing; try again",
            );
        }
    }

    fn on_mark(&mut self, mark: Mark) {
        if let Some(session) = self.sessions.get_mut(&mark.session) {
            session.mark = Some((mark.request, session.realm.latest()));
        }
        self.pump(mark.session);
    }

    fn on_client_error(&mut self, error: JsonError) {
        let code = error.code.number();
        tracing::warn!(
            session = error.session.get(),
            code,
            body = %String::from_utf8_lossy(&error.body),
            "the client could not integrate what it downloaded"
        );
        let (answer, why) = if code == 212 || code == 233 {
            (
                ErrorCode::BadChangeset,
                "the client reported that it cannot use what it downloaded; reset the client",
            )
        } else {
            (ErrorCode::OtherSessionError, "the client reported an error")
        };
        self.session_error(error.session, answer, why);
    }

    fn on_unbind(&mut self, ident: SessionIdent) {
        if self.failed.remove(&ident) {
            return;
        }
        let Some(session) = self.sessions.remove(&ident) else {
            let code = if self.unbound.contains(&ident) {
                ErrorCode::BadMessageOrder
            } else {
                ErrorCode::BadSessionIdent
            };
            return self.connection_error(
                code,
                &format!("UNBIND for session {} which is not bound", ident.get()),
            );
        };
        let failed = session.phase == Phase::Failed;
        self.discard(session);
        if !failed {
            self.send(&ServerMessage::Unbound { session: ident });
            self.unbound.insert(ident);
        }
    }

    /// Tells the Realm the session is gone.
    fn discard(&self, session: Session) {
        session.release(self.handle.id);
        session.realm.send(Command::Unsubscribe {
            conn: self.handle.id,
        });
    }

    fn teardown(&mut self) {
        let sessions: Vec<Session> = self.sessions.drain().map(|(_, s)| s).collect();
        for session in sessions {
            self.discard(session);
        }
    }

    /// The session of an answer, if it is still the same binding.
    fn session_of(&mut self, to: SessionRef) -> Option<&mut Session> {
        self.sessions
            .get_mut(&to.session)
            .filter(|s| s.binding == to.binding)
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Allocated { to, result } => {
                let Some(session) = self.session_of(to) else {
                    return;
                };
                if session.phase != Phase::AllocatingIdent {
                    return;
                }
                match result {
                    Ok(file) => {
                        session.phase = Phase::WaitForIdent;
                        let message = ServerMessage::Ident(ServerIdent {
                            session: to.session,
                            file_ident: crate::protocol::FileIdent::new(file.ident)
                                .unwrap_or(crate::protocol::FileIdent::MAX),
                            file_ident_salt: crate::protocol::Salt(file.salt),
                        });
                        self.send(&message);
                    }
                    Err(why) => self.session_error(to.session, ErrorCode::SessionClosed, &why),
                }
            }
            Event::Identified { to, result } => self.on_identified(to, result),
            Event::Integrated { to, result } => {
                if self.session_of(to).is_none() {
                    return;
                }
                match result {
                    Ok(()) => {}
                    Err(UploadAnswer::Refused(r)) => {
                        let code = match &r {
                            IntegrateRefusal::BadChangeset(_) => ErrorCode::BadChangeset,
                            IntegrateRefusal::BadOriginFileIdent { .. } => {
                                ErrorCode::BadOriginFileIdent
                            }
                            IntegrateRefusal::BadServerVersion(_) => ErrorCode::BadServerVersion,
                            IntegrateRefusal::UnknownClientFile(_) => ErrorCode::BadClientFileIdent,
                        };
                        self.session_error(to.session, code, &r.to_string());
                    }
                    Err(UploadAnswer::Storage(why)) => {
                        self.session_error(to.session, ErrorCode::SessionClosed, &why)
                    }
                }
            }
            Event::Fetched { to, result } => {
                let Some(session) = self.session_of(to) else {
                    return;
                };
                session.fetching = false;
                if session.phase != Phase::Bound {
                    return;
                }
                match result {
                    Ok(batch) => {
                        session.download = Cursor {
                            client: batch.download_client_version,
                            server: batch.download_server_version,
                        };
                        session.sent_download = true;
                        let message = replies::download(to.session, batch);
                        self.send(&message);
                        self.pump(to.session);
                    }
                    Err(why) => self.session_error(to.session, ErrorCode::SessionClosed, &why),
                }
            }
            Event::Advanced { realm } => {
                let idents: Vec<SessionIdent> = self
                    .sessions
                    .values()
                    .filter(|s| s.realm.key == realm)
                    .map(|s| s.ident)
                    .collect();
                for ident in idents {
                    self.pump(ident);
                }
            }
            Event::Deleted { realm } => {
                let idents: Vec<SessionIdent> = self
                    .sessions
                    .values()
                    .filter(|s| s.realm.key == realm && s.phase != Phase::Failed)
                    .map(|s| s.ident)
                    .collect();
                for ident in idents {
                    // 217 carries the client-reset action (docs/protocol.md,
                    // the code table): the client drops its copy and binds
                    // again, to a new, empty Realm.
                    self.session_error(
                        ident,
                        ErrorCode::BadClientFile,
                        "the Realm was deleted on the server",
                    );
                }
            }
            Event::Superseded { file_ident } => {
                tracing::info!(
                    file_ident,
                    "a client file of this connection was bound from another connection; closing"
                );
                self.end = Some(End::Now);
            }
        }
    }

    fn on_identified(
        &mut self,
        to: SessionRef,
        result: Result<crate::realm::Identified, IdentAnswer>,
    ) {
        // A binding that ended meanwhile already sent its Release, which the
        // actor takes after this IDENT: nothing stays bound.
        let Some(session) = self.session_of(to) else {
            return;
        };
        if session.phase != Phase::Identifying {
            return;
        }
        match result {
            Ok(identified) => {
                let file = identified.file;
                session.phase = Phase::Bound;
                session.upload.threshold = Cursor::new(file.client_version, file.rh_base_version);
                session.upload.previous = Cursor::default();
                session.upload.locked = file.locked_server_version;
                let deferred = std::mem::take(&mut session.deferred);
                for message in deferred {
                    match message {
                        ClientMessage::Upload(u) => self.on_upload(u),
                        ClientMessage::Mark(m) => self.on_mark(m),
                        _ => {}
                    }
                    if self.end.is_some() {
                        return;
                    }
                }
                self.pump(to.session);
            }
            Err(IdentAnswer::Refused(refusal, message)) => {
                let code = match refusal {
                    IdentRefusal::BadServerVersion(_) => ErrorCode::BadServerVersion,
                    IdentRefusal::UnknownClientFile(_) => ErrorCode::BadClientFileIdent,
                    IdentRefusal::Diverging(_) => ErrorCode::DivergingHistories,
                    IdentRefusal::BadClientVersion { .. } => ErrorCode::BadClientVersion,
                };
                self.session_error(to.session, code, &message);
            }
            Err(IdentAnswer::BoundHere) => self.connection_error(
                ErrorCode::BoundInOtherSession,
                "this client file is already bound by another session of this connection",
            ),
            Err(IdentAnswer::Storage(why)) => {
                self.session_error(to.session, ErrorCode::SessionClosed, &why)
            }
        }
    }

    /// Asks for the session's next DOWNLOAD if it is behind, and answers its
    /// MARK once it is not.
    fn pump(&mut self, ident: SessionIdent) {
        let conn = self.handle.clone();
        let Some(session) = self.sessions.get_mut(&ident) else {
            return;
        };
        if session.wants_download() {
            if let Some(file_ident) = session.file_ident {
                session.fetching = true;
                let sent = session.realm.send(Command::Fetch {
                    conn,
                    to: session.reference(),
                    file_ident,
                    server_version: session.download.server,
                    client_version: session.download.client,
                });
                if !sent {
                    return self.session_error(
                        ident,
                        ErrorCode::SessionClosed,
                        "the Realm is closing; try again",
                    );
                }
            }
        }
        if let Some(request) = session.due_mark() {
            self.send(&ServerMessage::Mark(Mark {
                session: ident,
                request,
            }));
        }
    }
}
