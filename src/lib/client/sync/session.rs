//! The session steps on a [`Wire`], in realm-core's order (§5.2): BIND, IDENT,
//! then MARK and UPLOAD while DOWNLOADs are integrated, and UNBIND.

use crate::protocol::{
    writer_compression, Bind, BindPath, ClientIdent, ClientJsonErrorBody, ClientMessage,
    Compression, JsonError, Mark, ProtocolVersion, RequestIdent, SessionIdent, SignedToken, Upload,
    WireErrorCode,
};

use super::errors::{ServerRule, SyncError, Violation, WireError};
use super::history::plan_upload;
use super::realm_client::{Binding, Phase, RealmClient};
use super::receive::Received;
use super::wire::{Incoming, Wire};

/// JSON_ERROR from the client exists from protocol 7 (§4.1).
const CLIENT_JSON_ERROR_SINCE: u8 = 7;

impl RealmClient {
    /// BIND on `session` (asking for a file ident if this file has none), wait
    /// for the server's IDENT if asked, and send IDENT with the persisted
    /// cursors. Needs the client to be unbound (after an error: `unbind` first).
    pub async fn bind(&mut self, wire: &mut Wire, session: SessionIdent) -> Result<(), SyncError> {
        if self.binding.is_some() {
            return Err(SyncError::State {
                action: "bind",
                needs: "an unbound client (call unbind first)",
            });
        }
        let path =
            BindPath::new(self.path.clone().into_bytes()).map_err(|source| SyncError::BadBind {
                what: "path",
                source,
            })?;
        let token = SignedToken::new(self.bind_token.clone().into_bytes()).map_err(|source| {
            SyncError::BadBind {
                what: "token",
                source,
            }
        })?;
        let need_ident = self.identity.is_none();
        wire.send(&ClientMessage::Bind(Bind {
            session,
            path,
            token,
            need_client_file_ident: need_ident,
            is_subserver: false,
        }))
        .await?;
        self.binding = Some(Binding {
            session,
            phase: if need_ident {
                Phase::AwaitingIdent
            } else {
                Phase::Identified
            },
            last_sent: self.progress.upload,
            mark_sent: RequestIdent::ZERO,
            mark_answered: RequestIdent::ZERO,
        });
        if !need_ident {
            return self.send_ident(wire).await;
        }
        // `receive_one` sends our IDENT as soon as the server's arrives.
        while self.identity.is_none() {
            self.receive_one(wire).await?;
        }
        Ok(())
    }

    async fn send_ident(&mut self, wire: &mut Wire) -> Result<(), SyncError> {
        let (Some(binding), Some(identity)) = (&self.binding, self.identity) else {
            return Err(SyncError::State {
                action: "IDENT",
                needs: "a binding and a file ident",
            });
        };
        let ident = ClientIdent {
            session: binding.session,
            file_ident: identity.ident,
            file_ident_salt: identity.salt,
            scan: self.progress.download,
            latest: self.progress.latest,
        };
        wire.send(&ClientMessage::Ident(ident)).await?;
        Ok(())
    }

    fn identified(&self, action: &'static str) -> Result<&Binding, SyncError> {
        match &self.binding {
            Some(b) if b.phase == Phase::Identified => Ok(b),
            _ => Err(SyncError::State {
                action,
                needs: "an identified session (bind first)",
            }),
        }
    }

    /// Sends a MARK with the next request ident and returns that ident.
    pub async fn mark(&mut self, wire: &mut Wire) -> Result<RequestIdent, SyncError> {
        let session = self.identified("mark")?.session;
        let request = RequestIdent::new(self.last_mark.get() + 1).unwrap_or(RequestIdent::MAX);
        wire.send(&ClientMessage::Mark(Mark { session, request }))
            .await?;
        self.last_mark = request;
        if let Some(b) = &mut self.binding {
            b.mark_sent = request;
        }
        Ok(request)
    }

    /// The UPLOAD [`RealmClient::upload`] would send now (uncompressed), or
    /// `None` when there is nothing to upload and nothing new to acknowledge.
    pub fn next_upload(&self) -> Result<Option<Upload>, SyncError> {
        let binding = self.identified("upload")?;
        let plan = plan_upload(
            &self.history,
            binding.last_sent.client_version,
            self.progress.download.server_version,
        );
        if plan.entries.is_empty() && plan.progress == binding.last_sent {
            return Ok(None);
        }
        Ok(Some(Upload {
            session: binding.session,
            compression: Compression::Plain,
            progress: plan.progress,
            locked_server_version: self.progress.download.server_version,
            changesets: plan.entries,
        }))
    }

    /// Sends the next UPLOAD if there is anything to upload or to acknowledge
    /// (§4.1), compressed by the writers' rule; returns whether one was sent.
    pub async fn upload(&mut self, wire: &mut Wire) -> Result<bool, SyncError> {
        self.upload_counted(wire).await.map(|sent| sent.is_some())
    }

    /// [`upload`](Self::upload), returning the size of the UPLOAD sent (as
    /// on the wire, compressed or not), for a load generator's byte count.
    pub async fn upload_counted(&mut self, wire: &mut Wire) -> Result<Option<u64>, SyncError> {
        let Some(mut upload) = self.next_upload()? else {
            return Ok(None);
        };
        upload.compression = compression_for(&upload, wire.version())?;
        let progress = upload.progress;
        let size = wire.send(&ClientMessage::Upload(upload)).await?;
        if let Some(b) = &mut self.binding {
            b.last_sent = progress;
        }
        Ok(Some(size as u64))
    }

    /// Receives one message (waiting at most the idle timeout) and handles it:
    /// answers the server's IDENT with ours, reports an integration failure to
    /// the server with JSON_ERROR 212 (protocol ≥ 7), turns a close into
    /// [`SyncError::Closed`].
    pub async fn receive_one(&mut self, wire: &mut Wire) -> Result<Received, SyncError> {
        let incoming = wire
            .recv_timeout(self.idle_timeout)
            .await
            .map_err(|e| match e {
                WireError::Timeout(after) => SyncError::Timeout {
                    waiting_for: "a server message",
                    after,
                },
                WireError::UnexpectedPong { expected, got } => SyncError::Protocol(Violation {
                    rule: ServerRule::Pong,
                    detail: format!("PONG {got}, outstanding PING {expected:?}"),
                }),
                other => SyncError::Wire(other),
            })?;
        let message = match incoming {
            Incoming::Message(m) => m,
            Incoming::Closed { code, reason } => {
                if let Some(b) = &mut self.binding {
                    b.phase = Phase::Errored;
                }
                return Err(SyncError::Closed { code, reason });
            }
        };
        match self.handle(message) {
            Ok(Received::Ident(identity)) => {
                self.send_ident(wire).await?;
                Ok(Received::Ident(identity))
            }
            Err(SyncError::Integration {
                server_version,
                code,
                detail,
            }) => {
                self.report_integration_failure(wire, code, &detail).await?;
                Err(SyncError::Integration {
                    server_version,
                    code,
                    detail,
                })
            }
            other => other,
        }
    }

    async fn report_integration_failure(
        &mut self,
        wire: &mut Wire,
        code: u32,
        detail: &str,
    ) -> Result<(), SyncError> {
        let Some(binding) = &self.binding else {
            return Ok(());
        };
        let Some(code) = WireErrorCode::new(code) else {
            return Ok(());
        };
        if wire.version().get() < CLIENT_JSON_ERROR_SINCE {
            return Ok(());
        }
        let body = ClientJsonErrorBody {
            message: detail.to_string(),
        };
        let message = ClientMessage::JsonError(JsonError {
            code,
            session: binding.session,
            body: body.to_bytes(),
        });
        wire.send(&message).await?;
        Ok(())
    }

    /// MARK, then UPLOAD everything not acknowledged, integrating DOWNLOADs as
    /// they come, until the MARK is answered and the server has acknowledged
    /// every local change. Errors and violations end it.
    pub async fn sync_until_idle(&mut self, wire: &mut Wire) -> Result<(), SyncError> {
        let request = self.mark(wire).await?;
        loop {
            self.upload(wire).await?;
            let answered = self
                .binding
                .as_ref()
                .is_some_and(|b| b.mark_answered >= request);
            if answered && self.is_uploaded() {
                return Ok(());
            }
            self.receive_one(wire).await?;
        }
    }

    /// Ends the binding: UNBIND, then wait for UNBOUND (DOWNLOADs in between
    /// are integrated). After a session error the server sends no UNBOUND, so
    /// only UNBIND is sent; after a connection-level error or a close nothing is.
    pub async fn unbind(&mut self, wire: &mut Wire) -> Result<(), SyncError> {
        let Some(binding) = &mut self.binding else {
            return Ok(());
        };
        let session = binding.session;
        let phase = binding.phase;
        if phase == Phase::Unbinding {
            return Err(SyncError::State {
                action: "unbind",
                needs: "a binding not already unbinding",
            });
        }
        binding.phase = Phase::Unbinding;
        match wire.send(&ClientMessage::Unbind { session }).await {
            Ok(_) => {}
            Err(WireError::Closed { .. }) => {
                self.binding = None;
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        }
        if phase == Phase::Errored {
            self.binding = None;
            return Ok(());
        }
        while self.binding.is_some() {
            if let Err(e) = self.receive_one(wire).await {
                self.binding = None;
                return Err(e);
            }
        }
        Ok(())
    }
}

/// The writers' rule (§3): compress bodies over 1 KiB when that is smaller.
/// The body is measured by serializing the message uncompressed once.
pub(super) fn compression_for(
    upload: &Upload,
    version: ProtocolVersion,
) -> Result<Compression, SyncError> {
    let plain = ClientMessage::Upload(upload.clone())
        .to_bytes(version)
        .map_err(WireError::from)?;
    let body_start = plain.iter().position(|b| *b == b'\n').map_or(0, |i| i + 1);
    Ok(writer_compression(
        plain.get(body_start..).unwrap_or_default(),
    ))
}
