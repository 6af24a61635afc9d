//! The sync wire protocol (realm-core partition-based sync, versions 2–14):
//! a typed model of every message in both directions, a strict parser, the
//! serializer, and the error-code table.
//!
//! A message is one WebSocket binary message: a head line of space-separated
//! fields ending in a line feed, then a body whose size the head line declares.
//! Parsing takes the negotiated [`ProtocolVersion`] because it decides which
//! kinds exist, and [`Limits`] because every size in a head line is chosen by
//! the peer. The parser accepts exactly the forms realm-core's writers produce
//! (canonical decimals, booleans `0`/`1`, no bytes left over), so an accepted
//! uncompressed message serializes back to the same bytes; a compressed one to
//! the same head fields and the same inflated body (compressed bytes are not
//! canonical, so only the choice to compress is kept).
//!
//! UPLOAD and DOWNLOAD changesets stay opaque bytes here; `changeset` decodes
//! them. Session rules (what may follow what) belong to `sync`.

mod body;
mod client;
mod common;
mod compression;
mod cursor;
mod entries;
mod error;
mod error_code;
mod head;
mod ids;
mod json;
mod kind;
mod limits;
mod reader;
mod server;
mod text;
mod version;

pub use client::{Bind, ClientIdent, ClientMessage, Ping, Refresh, Upload};
pub use common::{JsonError, Mark, TestCommand};
pub use compression::{writer_compression, Compression, COMPRESSION_THRESHOLD};
pub use cursor::{DownloadCursor, SaltedVersion, UploadCursor};
pub use entries::{DownloadEntry, UploadEntry};
pub use error::{FieldProblem, ParseError, ParseErrorKind, Position, SerializeError};
pub use error_code::{
    ClientErrorKind, ErrorCode, ErrorLevel, LegacyReaction, Suggestion, WireErrorCode,
};
pub use ids::{
    ByteCount, ClientVersion, FileIdent, Millis, OriginTimestamp, OutOfRange, RequestIdent, Salt,
    ServerVersion, SessionIdent, MAX_PROTOCOL_U64,
};
pub use json::{
    Action, ClientJsonErrorBody, JsonBodyError, JsonErrorBody, LogLevel, LogMessageBody,
    RejectedUpdate,
};
pub use kind::{Direction, MessageKind};
pub use limits::Limits;
pub use server::{Download, ErrorMessage, LogMessage, ServerIdent, ServerMessage};
pub use text::{BadLength, BindPath, SignedToken};
pub use version::ProtocolVersion;
