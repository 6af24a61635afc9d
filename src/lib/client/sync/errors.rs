//! What can go wrong, one enum per layer, so a test can tell a refused token
//! from a server that broke the protocol from a merge the client could not do.

use std::fmt;
use std::time::Duration;

use crate::objects::ApplyError;
use crate::protocol::{BadLength, ParseError, SerializeError};

/// The connection could not be set up. One variant per stage, so a probe can
/// say which stage failed and tests can assert on refusals.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The endpoint's URL (or a header) cannot be used.
    #[error("bad sync URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    /// The host name did not resolve.
    #[error("cannot resolve {host}: {source}")]
    Dns {
        host: String,
        #[source]
        source: std::io::Error,
    },
    /// No resolved address accepted a TCP connection.
    #[error("cannot connect to {addr}: {source}")]
    Tcp {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    /// The CA PEM (or the TLS settings) cannot be used.
    #[error("TLS configuration: {reason}")]
    TlsConfig { reason: String },
    /// The TLS handshake failed (untrusted certificate, name mismatch, ...).
    /// `without_ca`: no CA was configured, so no certificate could be trusted.
    #[error(
        "TLS handshake with {host} failed: {source}{}",
        if *.without_ca { " (no CA configured: set TlsOptions::ca_pem, or insecure)" } else { "" }
    )]
    Tls {
        host: String,
        without_ca: bool,
        #[source]
        source: std::io::Error,
    },
    /// The server answered the upgrade with an HTTP status other than 101.
    #[error("the server refused the upgrade with HTTP {status}: {body}")]
    Refused { status: u16, body: String },
    /// 101, but `Sec-WebSocket-Protocol` is missing or not one we offered
    /// (realm-core: fatal "protocol negotiation failed").
    #[error("protocol negotiation failed: {reason} (offered {offered:?}, answered {answered:?})")]
    Negotiation {
        reason: String,
        offered: String,
        answered: Option<String>,
    },
    /// The upgrade failed otherwise (bad accept key, connection lost mid-way).
    #[error("WebSocket upgrade failed: {reason}")]
    Upgrade { reason: String },
    /// The server completed the upgrade and closed at once: how servers refuse
    /// tokens from protocol 8 on (4001 unauthorized, 4002 forbidden, ...).
    /// 1006 stands for a connection that ended without a close frame.
    #[error("the server closed right after the upgrade: {code} {reason:?}")]
    ClosedAfterUpgrade { code: u16, reason: String },
    /// `Endpoint::connect_timeout` passed.
    #[error("connecting took longer than {0:?}")]
    Timeout(Duration),
}

/// An established connection failed, or a message could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The WebSocket layer failed (I/O, bad frame, ...).
    #[error("WebSocket: {0}")]
    Transport(#[from] tokio_tungstenite::tungstenite::Error),
    /// The message does not exist in the negotiated version.
    #[error(transparent)]
    Serialize(#[from] SerializeError),
    /// A binary message from the server does not parse; `head` is its head
    /// line (lossy, at most 200 bytes) for the report.
    #[error("unparsable server message ({error}); head line {head:?}")]
    Parse { error: ParseError, head: String },
    /// Nothing arrived in time.
    #[error("no message within {0:?}")]
    Timeout(Duration),
    /// The connection was already closed (code, reason as received).
    #[error("the connection is closed ({code} {reason:?})")]
    Closed { code: u16, reason: String },
    /// A PONG whose timestamp is not the outstanding PING's (§10: a protocol violation).
    #[error("PONG {got} does not answer PING {expected:?}")]
    UnexpectedPong { expected: Option<i64>, got: i64 },
}

/// A rule of the protocol the server broke, named as the spec names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerRule {
    /// §8.3 rule n: a DOWNLOAD's progress or entries.
    Download(u8),
    /// §6.4: IDENT from the server only after a BIND that asked for it; ident ≥ 1, salt ≠ 0.
    ServerIdent,
    /// §4.2: MARK only after IDENT, ident in (last answered, last sent].
    Mark,
    /// §4.2: UNBOUND only after UNBIND.
    Unbound,
    /// §9.1: codes 100–199 with session 0, 200–299 with a session.
    ErrorLevel,
    /// §9.2: a JSON_ERROR body the client cannot read.
    JsonErrorBody,
    /// §4.2: LOG_MESSAGE JSON and level.
    LogMessage,
    /// A message for a session this client did not bind on this connection.
    Session,
    /// §10: PONG without the matching PING.
    Pong,
}

impl fmt::Display for ServerRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Download(n) => write!(f, "docs/protocol.md §8.3 rule {n}"),
            Self::ServerIdent => f.write_str("docs/protocol.md §4.2 (IDENT)"),
            Self::Mark => f.write_str("docs/protocol.md §4.2 (MARK)"),
            Self::Unbound => f.write_str("docs/protocol.md §4.2 (UNBOUND)"),
            Self::ErrorLevel => f.write_str("docs/protocol.md §9.1 (error level)"),
            Self::JsonErrorBody => f.write_str("docs/protocol.md §9.2 (JSON_ERROR body)"),
            Self::LogMessage => f.write_str("docs/protocol.md §4.2 (LOG_MESSAGE)"),
            Self::Session => f.write_str("docs/protocol.md §5.1 (session ident)"),
            Self::Pong => f.write_str("docs/protocol.md §10 (PONG)"),
        }
    }
}

/// The server sent something a realm-core client closes the connection for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("protocol violation by the server, {rule}: {detail}")]
pub struct Violation {
    pub rule: ServerRule,
    pub detail: String,
}

/// A session-level step failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The server closed the WebSocket (e.g. 4001 after the upgrade, 1011).
    #[error("the server closed the connection: {code} {reason:?}")]
    Closed { code: u16, reason: String },
    /// ERROR or JSON_ERROR from the server; `session` 0 is connection-level.
    /// `action` comes from a JSON_ERROR body (protocol ≥ 7).
    #[error("server error {code} {name} (session {session}, try again: {try_again}): {message}")]
    Server {
        code: u32,
        name: &'static str,
        message: String,
        try_again: bool,
        action: Option<String>,
        session: u64,
    },
    #[error(transparent)]
    Protocol(#[from] Violation),
    /// A downloaded changeset could not be decoded, merged or applied; the
    /// client reported it to the server as JSON_ERROR `code` (212) when the
    /// protocol allows (≥ 7), and the binding is dead.
    #[error("cannot integrate server version {server_version}: {detail}")]
    Integration {
        server_version: u64,
        code: u32,
        detail: String,
    },
    /// The call needs a state the client is not in (e.g. upload before bind).
    #[error("{action} needs {needs}")]
    State {
        action: &'static str,
        needs: &'static str,
    },
    /// The BIND path (1..=1024 bytes) or token (≤ 2048 bytes) does not fit.
    #[error("BIND {what}: {source}")]
    BadBind {
        what: &'static str,
        #[source]
        source: BadLength,
    },
    /// `sync_until_idle` (or a wait for a reply) saw nothing for this long.
    #[error("waited {after:?} for {waiting_for}")]
    Timeout {
        waiting_for: &'static str,
        after: Duration,
    },
}

impl SyncError {
    /// Whether the server asked for a client reset: a JSON_ERROR whose action
    /// is `ClientReset` or `ClientResetNoRecovery`, or, from a server that
    /// sends plain ERROR, one of the codes older clients reset on (207–209,
    /// 211; docs/sync.md, "After a restore").
    pub fn requires_reset(&self) -> bool {
        match self {
            SyncError::Server {
                action: Some(action),
                ..
            } => action == "ClientReset" || action == "ClientResetNoRecovery",
            SyncError::Server {
                code, action: None, ..
            } => matches!(code, 207..=209 | 211),
            _ => false,
        }
    }
}

/// A local write that does not apply to the local state.
#[derive(Debug, thiserror::Error)]
#[error("the changeset does not apply to the local state: {0}")]
pub struct CommitError(#[from] pub ApplyError);

/// A saved client that cannot be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a saved sync client: {detail}")]
    Format { path: String, detail: String },
}
