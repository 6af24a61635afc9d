//! Messages a server sends (partition-based sync).

use super::body::{changeset_body, write_changeset_body, Framing};
use super::common::{
    error_code, no_body, parse_json_error, parse_mark, parse_test_command, single_body, size_field,
    write_json_error, write_mark, write_test_command, JsonError, Mark, TestCommand,
};
use super::compression::Compression;
use super::cursor::{DownloadCursor, SaltedVersion, UploadCursor};
use super::entries::{parse_download_entries, write_download_entries, DownloadEntry};
use super::error::{ParseError, ParseErrorKind, Position, SerializeError};
use super::error_code::WireErrorCode;
use super::head::{Head, HeadWriter};
use super::ids::{ByteCount, FileIdent, Millis, Salt, SessionIdent};
use super::kind::{Availability, Direction, MessageKind};
use super::limits::Limits;
use super::reader::Term;
use super::version::ProtocolVersion;

/// IDENT from the server: the ident and salt allocated for a client file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServerIdent {
    pub session: SessionIdent,
    pub file_ident: FileIdent,
    pub file_ident_salt: Salt,
}

/// DOWNLOAD: server changesets and the progress the client should persist.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Download {
    pub session: SessionIdent,
    /// `download_server_version`, `download_client_version`: the new download cursor.
    pub download: DownloadCursor,
    /// `latest_server_version` and its salt.
    pub latest: SaltedVersion,
    /// `upload_client_version`, `upload_server_version`: acknowledges uploads.
    pub upload: UploadCursor,
    /// Bytes still to download after this message (progress reporting only).
    pub downloadable_bytes: ByteCount,
    /// How the body travels; the parsed value records the sender's choice.
    pub compression: Compression,
    /// May be empty: a DOWNLOAD can just move cursors.
    pub changesets: Vec<DownloadEntry>,
}

/// ERROR: a plain-text error; session 0 for connection-level codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrorMessage {
    pub code: WireErrorCode,
    /// Human-readable UTF-8 text.
    pub message: Vec<u8>,
    /// The client may reconnect or re-bind after a backoff.
    pub try_again: bool,
    pub session: SessionIdent,
}

/// LOG_MESSAGE (protocol ≥ 10): a JSON log line for the client's log.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogMessage {
    /// 0 for the connection.
    pub session: SessionIdent,
    /// See [`super::LogMessageBody`].
    pub body: Vec<u8>,
}

/// Any message a partition-based sync server may send.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerMessage {
    Ident(ServerIdent),
    Download(Download),
    Mark(Mark),
    Unbound {
        session: SessionIdent,
    },
    Error(ErrorMessage),
    /// Protocol ≥ 4.
    JsonError(JsonError),
    Pong {
        timestamp: Millis,
    },
    /// Protocol ≥ 10.
    LogMessage(LogMessage),
    TestCommand(TestCommand),
}

impl ServerMessage {
    /// The session a message is for (`None` for PONG, which is for the
    /// connection; an ERROR for the connection carries session 0).
    pub fn session(&self) -> Option<SessionIdent> {
        match self {
            Self::Ident(m) => Some(m.session),
            Self::Download(m) => Some(m.session),
            Self::Mark(m) => Some(m.session),
            Self::Unbound { session } => Some(*session),
            Self::Error(m) => Some(m.session),
            Self::JsonError(m) => Some(m.session),
            Self::LogMessage(m) => Some(m.session),
            Self::TestCommand(m) => Some(m.session),
            Self::Pong { .. } => None,
        }
    }

    /// The message kind.
    pub fn kind(&self) -> MessageKind {
        match self {
            Self::Ident(_) => MessageKind::Ident,
            Self::Download(_) => MessageKind::Download,
            Self::Mark(_) => MessageKind::Mark,
            Self::Unbound { .. } => MessageKind::Unbound,
            Self::Error(_) => MessageKind::Error,
            Self::JsonError(_) => MessageKind::JsonError,
            Self::Pong { .. } => MessageKind::Pong,
            Self::LogMessage(_) => MessageKind::LogMessage,
            Self::TestCommand(_) => MessageKind::TestCommand,
        }
    }

    /// Parses one whole WebSocket message from a server that negotiated `version`.
    pub fn parse(
        bytes: &[u8],
        version: ProtocolVersion,
        limits: &Limits,
    ) -> Result<Self, ParseError> {
        let mut head = Head::start(bytes, Direction::ToClient, version, limits)?;
        match head.kind() {
            MessageKind::Ident => {
                let session = head.number("session", Term::Space)?;
                let file_ident = head.number("client_file_ident", Term::Space)?;
                let file_ident_salt = head.salt("client_file_ident_salt", Term::LineFeed)?;
                no_body(head)?;
                Ok(Self::Ident(ServerIdent {
                    session,
                    file_ident,
                    file_ident_salt,
                }))
            }
            MessageKind::Download => parse_download(head, limits).map(Self::Download),
            MessageKind::Mark => parse_mark(head).map(Self::Mark),
            MessageKind::Unbound => {
                let session = head.number("session", Term::LineFeed)?;
                no_body(head)?;
                Ok(Self::Unbound { session })
            }
            MessageKind::Error => {
                let code = error_code(&mut head, Term::Space)?;
                let size = size_field(&mut head, "message_size", Term::Space)?;
                let try_again = head.flag("try_again", Term::Space)?;
                let session = head.number("session", Term::LineFeed)?;
                let message = single_body(head, size, limits)?;
                Ok(Self::Error(ErrorMessage {
                    code,
                    message,
                    try_again,
                    session,
                }))
            }
            MessageKind::JsonError => parse_json_error(head, limits).map(Self::JsonError),
            MessageKind::Pong => {
                let timestamp = head.millis("timestamp", Term::LineFeed)?;
                no_body(head)?;
                Ok(Self::Pong { timestamp })
            }
            MessageKind::LogMessage => {
                let session = head.number("session", Term::Space)?;
                let size = size_field(&mut head, "body_size", Term::LineFeed)?;
                let body = single_body(head, size, limits)?;
                Ok(Self::LogMessage(LogMessage { session, body }))
            }
            MessageKind::TestCommand => parse_test_command(head, limits).map(Self::TestCommand),
            // `Head::start` already refused every other kind for this direction.
            other => Err(ParseError {
                message: Some(other),
                at: Position::Message(0),
                kind: ParseErrorKind::WrongDirection {
                    direction: Direction::ToClient,
                },
            }),
        }
    }

    /// The message's bytes for a client that negotiated `version`.
    pub fn to_bytes(&self, version: ProtocolVersion) -> Result<Vec<u8>, SerializeError> {
        let kind = self.kind();
        if kind.availability(Direction::ToClient, version) != Availability::Available {
            return Err(SerializeError::NotInVersion { kind, version });
        }
        Ok(match self {
            Self::Ident(i) => HeadWriter::new(kind, 0)
                .field(i.session)
                .field(i.file_ident)
                .field(i.file_ident_salt)
                .finish(&[]),
            Self::Download(d) => write_download(d)?,
            Self::Mark(m) => write_mark(m),
            Self::Unbound { session } => HeadWriter::new(kind, 0).field(session).finish(&[]),
            Self::Error(e) => HeadWriter::new(kind, e.message.len())
                .field(e.code)
                .field(e.message.len())
                .flag(e.try_again)
                .field(e.session)
                .finish(&[&e.message]),
            Self::JsonError(e) => write_json_error(e),
            Self::Pong { timestamp } => HeadWriter::new(kind, 0).field(timestamp).finish(&[]),
            Self::LogMessage(l) => HeadWriter::new(kind, l.body.len())
                .field(l.session)
                .field(l.body.len())
                .finish(&[&l.body]),
            Self::TestCommand(t) => write_test_command(t),
        })
    }
}

fn parse_download(mut head: Head<'_>, limits: &Limits) -> Result<Download, ParseError> {
    let session = head.number("session", Term::Space)?;
    let download = DownloadCursor {
        server_version: head.number("download_server_version", Term::Space)?,
        last_integrated_client_version: head.number("download_client_version", Term::Space)?,
    };
    let latest = SaltedVersion {
        version: head.number("latest_server_version", Term::Space)?,
        salt: head.salt("latest_server_version_salt", Term::Space)?,
    };
    let upload = UploadCursor {
        client_version: head.number("upload_client_version", Term::Space)?,
        last_integrated_server_version: head.number("upload_server_version", Term::Space)?,
    };
    let downloadable_bytes = head.number("downloadable_bytes", Term::Space)?;
    let compressed = head.flag("is_body_compressed", Term::Space)?;
    let uncompressed = size_field(&mut head, "uncompressed_body_size", Term::Space)?;
    let compressed_size = size_field(&mut head, "compressed_body_size", Term::LineFeed)?;
    let (kind, reader) = head.into_body();
    let framing = Framing {
        compressed,
        uncompressed,
        compressed_size,
    };
    let (compression, body) = changeset_body(reader, kind, framing, limits)?;
    let changesets = body.parse_with(|r| parse_download_entries(r, limits.max_changesets))?;
    Ok(Download {
        session,
        download,
        latest,
        upload,
        downloadable_bytes,
        compression,
        changesets,
    })
}

fn write_download(d: &Download) -> Result<Vec<u8>, SerializeError> {
    let kind = MessageKind::Download;
    let body = write_changeset_body(kind, d.compression, write_download_entries(&d.changesets))?;
    Ok(HeadWriter::new(kind, body.bytes.len())
        .field(d.session)
        .field(d.download.server_version)
        .field(d.download.last_integrated_client_version)
        .field(d.latest.version)
        .field(d.latest.salt)
        .field(d.upload.client_version)
        .field(d.upload.last_integrated_server_version)
        .field(d.downloadable_bytes)
        .flag(body.compressed)
        .field(body.uncompressed_size)
        .field(body.compressed_size)
        .finish(&[&body.bytes]))
}
