//! What the client does with each server message (`docs/protocol.md` §4.2,
//! §8.3, §9.1). [`RealmClient::handle`] only changes the client; messages the
//! client must send in reply (IDENT, JSON_ERROR) are the async layer's.

use crate::protocol::{
    Action, Download, ErrorCode, ErrorMessage, FileIdent, JsonError, JsonErrorBody, LogMessage,
    LogMessageBody, MessageKind, RequestIdent, Salt, ServerIdent, ServerMessage, SessionIdent,
    TestCommand, WireErrorCode,
};

use super::download::{check_download, integrate};
use super::errors::{ServerRule, SyncError, Violation};
use super::history::{next_version, FileIdentity, HistoryEntry, IntegratedDownload, SyncProgress};
use super::realm_client::{Binding, Phase, RealmClient};

/// What one server message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// The server allocated this file's ident (IDENT must follow).
    Ident(FileIdentity),
    /// A DOWNLOAD was integrated: how many changesets, and the new cursor.
    Download {
        changesets: usize,
        progress: SyncProgress,
    },
    /// The answer to MARK `request`.
    Mark(RequestIdent),
    /// UNBOUND: the session is gone.
    Unbound,
    Log(LogMessageBody),
    Pong,
    TestCommand(TestCommand),
    /// A message the client's phase makes it ignore (DOWNLOAD after a failed integration).
    Ignored(MessageKind),
}

fn violation(rule: ServerRule, detail: impl Into<String>) -> SyncError {
    SyncError::Protocol(Violation {
        rule,
        detail: detail.into(),
    })
}

impl RealmClient {
    /// Applies one server message to this client: the function the receive
    /// loop runs, public so tests can feed hand-made messages.
    pub fn handle(&mut self, message: ServerMessage) -> Result<Received, SyncError> {
        match message {
            ServerMessage::Ident(ident) => self.on_ident(ident),
            ServerMessage::Download(download) => self.on_download(&download),
            ServerMessage::Mark(mark) => {
                let binding = self.binding_for(mark.session, MessageKind::Mark)?;
                let live = matches!(binding.phase, Phase::Identified | Phase::Unbinding);
                if !live
                    || mark.request <= binding.mark_answered
                    || mark.request > binding.mark_sent
                {
                    let detail = format!(
                        "request {} while {:?}, last answered {}, last sent {}",
                        mark.request, binding.phase, binding.mark_answered, binding.mark_sent
                    );
                    return Err(violation(ServerRule::Mark, detail));
                }
                binding.mark_answered = mark.request;
                Ok(Received::Mark(mark.request))
            }
            ServerMessage::Unbound { session } => {
                let binding = self.binding_for(session, MessageKind::Unbound)?;
                if binding.phase != Phase::Unbinding {
                    let detail = format!("UNBOUND while {:?}", binding.phase);
                    return Err(violation(ServerRule::Unbound, detail));
                }
                self.binding = None;
                Ok(Received::Unbound)
            }
            ServerMessage::Error(e) => Err(self.on_error(e)),
            ServerMessage::JsonError(e) => Err(self.on_json_error(e)),
            ServerMessage::Pong { .. } => Ok(Received::Pong),
            ServerMessage::LogMessage(LogMessage { body, .. }) => LogMessageBody::parse(&body)
                .map(Received::Log)
                .map_err(|e| violation(ServerRule::LogMessage, e.to_string())),
            ServerMessage::TestCommand(t) => {
                self.binding_for(t.session, MessageKind::TestCommand)?;
                Ok(Received::TestCommand(t))
            }
        }
    }

    /// The binding `session` names; a message for any other session is a violation.
    fn binding_for(
        &mut self,
        session: SessionIdent,
        kind: MessageKind,
    ) -> Result<&mut Binding, SyncError> {
        let bound = self.binding.as_ref().map(|b| b.session);
        match &mut self.binding {
            Some(b) if b.session == session => Ok(b),
            _ => {
                let bound = bound.map(SessionIdent::get);
                let detail = format!("{} for session {session}, bound: {bound:?}", kind.word());
                Err(violation(ServerRule::Session, detail))
            }
        }
    }

    fn on_ident(&mut self, ident: ServerIdent) -> Result<Received, SyncError> {
        let has_ident = self.identity.is_some();
        let binding = self.binding_for(ident.session, MessageKind::Ident)?;
        if binding.phase != Phase::AwaitingIdent || has_ident {
            let detail = format!(
                "IDENT while {:?} (had an ident: {has_ident})",
                binding.phase
            );
            return Err(violation(ServerRule::ServerIdent, detail));
        }
        if ident.file_ident == FileIdent::ZERO || ident.file_ident_salt == Salt(0) {
            let detail = format!("ident {} salt {}", ident.file_ident, ident.file_ident_salt);
            return Err(violation(ServerRule::ServerIdent, detail));
        }
        binding.phase = Phase::Identified;
        binding.last_sent = Default::default();
        let identity = FileIdentity {
            ident: ident.file_ident,
            salt: ident.file_ident_salt,
        };
        // A new identity starts from nothing on the server's side (§6.4).
        self.identity = Some(identity);
        self.progress = SyncProgress::default();
        Ok(Received::Ident(identity))
    }

    fn on_download(&mut self, d: &Download) -> Result<Received, SyncError> {
        let binding = self.binding_for(d.session, MessageKind::Download)?;
        match binding.phase {
            Phase::Identified | Phase::Unbinding => {}
            Phase::Failed => return Ok(Received::Ignored(MessageKind::Download)),
            phase => {
                let detail = format!("DOWNLOAD while {phase:?}");
                return Err(violation(ServerRule::Download(1), detail));
            }
        }
        self.integrate_download(d)
    }

    /// §8.3 checks, merge, apply, and the new progress, all or nothing. Does
    /// not look at the session (rule 1); [`RealmClient::handle`] does.
    pub fn integrate_download(&mut self, d: &Download) -> Result<Received, SyncError> {
        let own = self.identity.map_or(FileIdent::ZERO, |i| i.ident);
        check_download(&self.progress, self.client_version(), own, d)?;
        let done = integrate(
            &self.state,
            &self.pending,
            own,
            &d.changesets,
            &self.options,
        )
        .map_err(|f| {
            if let Some(b) = &mut self.binding {
                b.phase = Phase::Failed;
            }
            SyncError::Integration {
                server_version: f.server_version,
                code: u32::from(ErrorCode::BadChangeset.number()),
                detail: f.detail,
            }
        })?;
        if d.download.server_version > self.progress.download.server_version {
            self.history
                .push(HistoryEntry::Download(IntegratedDownload {
                    client_version: next_version(self.client_version()),
                    server_version: d.download.server_version,
                    applied: done.applied,
                }));
        }
        self.state = done.state;
        let seen = d.download.last_integrated_client_version.get();
        self.pending = done.pending;
        self.pending.retain(|l| l.client_version > seen);
        self.progress = SyncProgress {
            download: d.download,
            latest: d.latest,
            upload: d.upload,
        };
        Ok(Received::Download {
            changesets: d.changesets.len(),
            progress: self.progress,
        })
    }

    fn on_error(&mut self, e: ErrorMessage) -> SyncError {
        let message = String::from_utf8_lossy(&e.message).into_owned();
        self.server_error(e.code, e.session, message, e.try_again, None)
    }

    fn on_json_error(&mut self, e: JsonError) -> SyncError {
        match JsonErrorBody::parse(&e.body) {
            Ok(body) => {
                let action = body.action.map(|a: Action| a.name().to_string());
                self.server_error(e.code, e.session, body.message, body.try_again, action)
            }
            Err(err) => violation(ServerRule::JsonErrorBody, err.to_string()),
        }
    }

    /// §9.1: the code's level must match the session field; a session error
    /// suspends the binding except 231/236, which let the session go on.
    fn server_error(
        &mut self,
        code: WireErrorCode,
        session: SessionIdent,
        message: String,
        try_again: bool,
        action: Option<String>,
    ) -> SyncError {
        let number = code.number();
        let level_ok = if session == SessionIdent::ZERO {
            (100..200).contains(&number) && code.known().is_some()
        } else {
            (200..300).contains(&number)
        };
        if !level_ok {
            let detail = format!("code {number} with session {session}: {message}");
            return violation(ServerRule::ErrorLevel, detail);
        }
        if session != SessionIdent::ZERO {
            if let Err(e) = self.binding_for(session, MessageKind::Error) {
                return e;
            }
        }
        let continues = matches!(
            code.known(),
            Some(ErrorCode::CompensatingWrite | ErrorCode::SchemaVersionChanged)
        );
        if let Some(b) = &mut self.binding {
            if !continues {
                b.phase = Phase::Errored;
            }
        }
        SyncError::Server {
            code: number,
            name: code.known().map_or("unknown", ErrorCode::name),
            message,
            try_again,
            action,
            session: session.get(),
        }
    }
}
