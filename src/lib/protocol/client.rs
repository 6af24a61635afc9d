//! Messages a client sends (partition-based sync).

use super::body::{changeset_body, finish, take_part, write_changeset_body, Declared, Framing};
use super::common::{
    no_body, parse_json_error, parse_mark, parse_test_command, size_field, write_json_error,
    write_mark, write_test_command, JsonError, Mark, TestCommand,
};
use super::compression::Compression;
use super::cursor::{DownloadCursor, SaltedVersion, UploadCursor};
use super::entries::{parse_upload_entries, write_upload_entries, UploadEntry};
use super::error::{FieldProblem, ParseError, ParseErrorKind, Position, SerializeError};
use super::head::{Head, HeadWriter};
use super::ids::{FileIdent, Millis, Salt, ServerVersion, SessionIdent};
use super::kind::{Availability, Direction, MessageKind};
use super::limits::Limits;
use super::reader::{Reader, Term};
use super::text::{BindPath, SignedToken};
use super::version::ProtocolVersion;

/// BIND: opens a session on a Realm.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bind {
    pub session: SessionIdent,
    pub path: BindPath,
    /// Empty from realm-core 11.10 on (the token travels in the upgrade request).
    pub token: SignedToken,
    /// The client file has no ident yet; the server must send IDENT.
    pub need_client_file_ident: bool,
    /// Star-topology subserver; always false from realm-core clients.
    pub is_subserver: bool,
}

/// IDENT from the client: who the client file is and where it resumes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientIdent {
    pub session: SessionIdent,
    pub file_ident: FileIdent,
    pub file_ident_salt: Salt,
    /// The client's persisted download cursor (`scan_server_version`, `scan_client_version`).
    pub scan: DownloadCursor,
    /// The newest server version the client has heard of, with its salt.
    pub latest: SaltedVersion,
}

/// UPLOAD: local changesets and the client's upload progress.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Upload {
    pub session: SessionIdent,
    /// How the body travels; the parsed value records the sender's choice.
    pub compression: Compression,
    /// `progress_client_version`, `progress_server_version`.
    pub progress: UploadCursor,
    /// The client's persisted download-cursor server version.
    pub locked_server_version: ServerVersion,
    /// May be empty: an UPLOAD can just report progress.
    pub changesets: Vec<UploadEntry>,
}

/// PING: connection-level keep-alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ping {
    /// The client's monotonic clock; echoed in PONG.
    pub timestamp: Millis,
    /// Round trip of the previous PING, 0 for the first.
    pub rtt: Millis,
}

/// REFRESH: a new token for a bound session (clients up to realm-core 11.9).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Refresh {
    pub session: SessionIdent,
    pub token: SignedToken,
}

/// Any message a client may send under partition-based sync.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientMessage {
    Bind(Bind),
    Ident(ClientIdent),
    Upload(Upload),
    Mark(Mark),
    Unbind {
        session: SessionIdent,
    },
    Ping(Ping),
    /// Protocol ≥ 7: the client could not integrate a download.
    JsonError(JsonError),
    TestCommand(TestCommand),
    /// Protocol ≤ 3 only.
    Refresh(Refresh),
}

impl ClientMessage {
    /// The message kind.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Bind(_) => MessageKind::Bind,
            Self::Ident(_) => MessageKind::Ident,
            Self::Upload(_) => MessageKind::Upload,
            Self::Mark(_) => MessageKind::Mark,
            Self::Unbind { .. } => MessageKind::Unbind,
            Self::Ping(_) => MessageKind::Ping,
            Self::JsonError(_) => MessageKind::JsonError,
            Self::TestCommand(_) => MessageKind::TestCommand,
            Self::Refresh(_) => MessageKind::Refresh,
        }
    }

    /// Parses one whole WebSocket message from a client that negotiated `version`.
    pub fn parse(
        bytes: &[u8],
        version: ProtocolVersion,
        limits: &Limits,
    ) -> Result<Self, ParseError> {
        let mut head = Head::start(bytes, Direction::ToServer, version, limits)?;
        match head.kind() {
            MessageKind::Bind => parse_bind(head).map(Self::Bind),
            MessageKind::Ident => parse_ident(head).map(Self::Ident),
            MessageKind::Upload => parse_upload(head, limits).map(Self::Upload),
            MessageKind::Mark => parse_mark(head).map(Self::Mark),
            MessageKind::Unbind => {
                let session = head.number("session", Term::LineFeed)?;
                no_body(head)?;
                Ok(Self::Unbind { session })
            }
            MessageKind::Ping => {
                let timestamp = head.millis("timestamp", Term::Space)?;
                let rtt = head.millis("rtt", Term::LineFeed)?;
                no_body(head)?;
                Ok(Self::Ping(Ping { timestamp, rtt }))
            }
            MessageKind::JsonError => parse_json_error(head, limits).map(Self::JsonError),
            MessageKind::TestCommand => parse_test_command(head, limits).map(Self::TestCommand),
            MessageKind::Refresh => parse_refresh(head).map(Self::Refresh),
            // `Head::start` already refused every other kind for this direction.
            other => Err(ParseError {
                message: Some(other),
                at: Position::Message(0),
                kind: ParseErrorKind::WrongDirection {
                    direction: Direction::ToServer,
                },
            }),
        }
    }

    /// The message's bytes for a server that negotiated `version`.
    pub fn to_bytes(&self, version: ProtocolVersion) -> Result<Vec<u8>, SerializeError> {
        let kind = self.kind();
        if kind.availability(Direction::ToServer, version) != Availability::Available {
            return Err(SerializeError::NotInVersion { kind, version });
        }
        Ok(match self {
            Self::Bind(b) => {
                HeadWriter::new(kind, b.path.as_bytes().len() + b.token.as_bytes().len())
                    .field(b.session)
                    .field(b.path.as_bytes().len())
                    .field(b.token.as_bytes().len())
                    .flag(b.need_client_file_ident)
                    .flag(b.is_subserver)
                    .finish(&[b.path.as_bytes(), b.token.as_bytes()])
            }
            Self::Ident(i) => HeadWriter::new(kind, 0)
                .field(i.session)
                .field(i.file_ident)
                .field(i.file_ident_salt)
                .field(i.scan.server_version)
                .field(i.scan.last_integrated_client_version)
                .field(i.latest.version)
                .field(i.latest.salt)
                .finish(&[]),
            Self::Upload(u) => {
                let body =
                    write_changeset_body(kind, u.compression, write_upload_entries(&u.changesets))?;
                HeadWriter::new(kind, body.bytes.len())
                    .field(u.session)
                    .flag(body.compressed)
                    .field(body.uncompressed_size)
                    .field(body.compressed_size)
                    .field(u.progress.client_version)
                    .field(u.progress.last_integrated_server_version)
                    .field(u.locked_server_version)
                    .finish(&[&body.bytes])
            }
            Self::Mark(m) => write_mark(m),
            Self::Unbind { session } => HeadWriter::new(kind, 0).field(session).finish(&[]),
            Self::Ping(p) => HeadWriter::new(kind, 0)
                .field(p.timestamp)
                .field(p.rtt)
                .finish(&[]),
            Self::JsonError(e) => write_json_error(e),
            Self::TestCommand(t) => write_test_command(t),
            Self::Refresh(r) => HeadWriter::new(kind, r.token.as_bytes().len())
                .field(r.session)
                .field(r.token.as_bytes().len())
                .finish(&[r.token.as_bytes()]),
        })
    }
}

fn parse_bind(mut head: Head<'_>) -> Result<Bind, ParseError> {
    let session = head.number("session", Term::Space)?;
    let path_size = size_field(&mut head, "path_size", Term::Space)?;
    if path_size.size == 0 {
        return Err(head.field_error("path_size", FieldProblem::Zero));
    }
    let token_size = size_field(&mut head, "token_size", Term::Space)?;
    let need_client_file_ident = head.flag("need_client_file_ident", Term::Space)?;
    let is_subserver = head.flag("is_subserver", Term::LineFeed)?;
    let (kind, mut reader) = head.into_body();
    let path_bytes = bounded_part(&mut reader, kind, path_size, BindPath::MAX_LEN)?;
    let token_bytes = bounded_part(&mut reader, kind, token_size, SignedToken::MAX_LEN)?;
    finish(&reader, kind)?;
    // The bounds were checked by `bounded_part`; the constructors check them again.
    let path =
        BindPath::new(path_bytes).map_err(|_| too_large(kind, path_size, BindPath::MAX_LEN))?;
    let token = SignedToken::new(token_bytes)
        .map_err(|_| too_large(kind, token_size, SignedToken::MAX_LEN))?;
    Ok(Bind {
        session,
        path,
        token,
        need_client_file_ident,
        is_subserver,
    })
}

fn too_large(kind: MessageKind, declared: Declared, limit: usize) -> ParseError {
    ParseError {
        message: Some(kind),
        at: Position::Message(declared.at),
        kind: ParseErrorKind::TooLarge {
            field: declared.field,
            size: declared.size,
            limit: limit as u64,
        },
    }
}

/// Takes a body part whose size is bounded by a protocol constant.
fn bounded_part(
    reader: &mut Reader<'_>,
    kind: MessageKind,
    declared: Declared,
    max: usize,
) -> Result<Vec<u8>, ParseError> {
    let len = declared.at_most(kind, max as u64)?;
    Ok(take_part(reader, kind, declared, len)?.to_vec())
}

fn parse_ident(mut head: Head<'_>) -> Result<ClientIdent, ParseError> {
    let session = head.number("session", Term::Space)?;
    let file_ident = head.number("client_file_ident", Term::Space)?;
    let file_ident_salt = head.salt("client_file_ident_salt", Term::Space)?;
    let scan = DownloadCursor {
        server_version: head.number("scan_server_version", Term::Space)?,
        last_integrated_client_version: head.number("scan_client_version", Term::Space)?,
    };
    let latest = SaltedVersion {
        version: head.number("latest_server_version", Term::Space)?,
        salt: head.salt("latest_server_version_salt", Term::LineFeed)?,
    };
    no_body(head)?;
    Ok(ClientIdent {
        session,
        file_ident,
        file_ident_salt,
        scan,
        latest,
    })
}

fn parse_upload(mut head: Head<'_>, limits: &Limits) -> Result<Upload, ParseError> {
    let session = head.number("session", Term::Space)?;
    let compressed = head.flag("is_body_compressed", Term::Space)?;
    let uncompressed = size_field(&mut head, "uncompressed_body_size", Term::Space)?;
    let compressed_size = size_field(&mut head, "compressed_body_size", Term::Space)?;
    let progress = UploadCursor {
        client_version: head.number("progress_client_version", Term::Space)?,
        last_integrated_server_version: head.number("progress_server_version", Term::Space)?,
    };
    let locked_server_version = head.number("locked_server_version", Term::LineFeed)?;
    let (kind, reader) = head.into_body();
    let framing = Framing {
        compressed,
        uncompressed,
        compressed_size,
    };
    let (compression, body) = changeset_body(reader, kind, framing, limits)?;
    let changesets = body.parse_with(|r| parse_upload_entries(r, limits.max_changesets))?;
    Ok(Upload {
        session,
        compression,
        progress,
        locked_server_version,
        changesets,
    })
}

fn parse_refresh(mut head: Head<'_>) -> Result<Refresh, ParseError> {
    let session = head.number("session", Term::Space)?;
    let token_size = size_field(&mut head, "token_size", Term::LineFeed)?;
    let (kind, mut reader) = head.into_body();
    let bytes = bounded_part(&mut reader, kind, token_size, SignedToken::MAX_LEN)?;
    finish(&reader, kind)?;
    let token =
        SignedToken::new(bytes).map_err(|_| too_large(kind, token_size, SignedToken::MAX_LEN))?;
    Ok(Refresh { session, token })
}
