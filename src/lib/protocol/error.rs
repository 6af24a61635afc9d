//! What can be wrong with a message, and where.

use std::fmt;

use super::error_code::ErrorCode;
use super::kind::{Direction, MessageKind};
use super::version::ProtocolVersion;

/// Where a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Byte offset from the start of the message.
    Message(usize),
    /// Byte offset inside the inflated body of a compressed UPLOAD or DOWNLOAD
    /// (compressed bytes have no useful offsets of their own).
    Inflated(usize),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Message(offset) => write!(f, "byte {offset}"),
            Self::Inflated(offset) => write!(f, "byte {offset} of the inflated body"),
        }
    }
}

/// Why one number field was rejected. Only the canonical decimal form realm-core
/// writes is accepted, so that every accepted uncompressed message serializes
/// back to exactly the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    /// No digits before the terminator.
    #[error("no digits")]
    Empty,
    /// A `+`, or a `-` on an unsigned field.
    #[error("sign not allowed")]
    Sign,
    /// More than one digit starting with `0`.
    #[error("leading zero")]
    LeadingZero,
    /// `-0`.
    #[error("negative zero")]
    NegativeZero,
    /// A byte that is neither a digit nor the expected terminator.
    #[error("unexpected byte 0x{0:02x}")]
    InvalidByte(u8),
    /// Does not fit in 64 bits.
    #[error("number overflows 64 bits")]
    Overflow,
    /// Fits in 64 bits but not in the field's range (2^63 and up; error codes above `i32`).
    #[error("number out of range")]
    OutOfRange,
    /// A boolean other than `0` or `1`.
    #[error("boolean must be 0 or 1")]
    NotBool,
    /// Zero where the protocol forbids it.
    #[error("must not be zero")]
    Zero,
    /// Non-zero where the protocol requires zero.
    #[error("must be zero")]
    NotZero,
}

/// What is wrong with a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// No line feed within `limit` bytes.
    #[error("head line longer than {limit} bytes")]
    HeaderTooLong {
        /// The header limit in force.
        limit: usize,
    },
    /// The message ends before its head line's line feed.
    #[error("message ends inside the head line")]
    TruncatedHeader,
    /// The first word names no message of this protocol (lossy UTF-8, at most 32 bytes).
    #[error("unknown message kind {word:?}")]
    UnknownKind {
        /// The word as received.
        word: String,
    },
    /// A known word that only the other side sends.
    #[error("not a message the {from} sends", from = match .direction { Direction::ToServer => "client", Direction::ToClient => "server" })]
    WrongDirection {
        /// The direction being parsed.
        direction: Direction,
    },
    /// A flexible-sync message; this server speaks partition-based sync only.
    #[error("flexible sync only")]
    FlexibleSyncOnly,
    /// The kind does not exist in the negotiated version.
    #[error("not part of protocol version {version}")]
    NotInVersion {
        /// The negotiated version.
        version: ProtocolVersion,
    },
    /// A head-line field is malformed.
    #[error("field {field}: {problem}")]
    Field {
        /// The spec's name of the field.
        field: &'static str,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// The head line ends (line feed) where another field should follow.
    #[error("head line ends after {after}; more fields expected")]
    MissingField {
        /// The last field that was present.
        after: &'static str,
    },
    /// A space follows the last field instead of the line feed.
    #[error("extra field after {after}")]
    ExtraField {
        /// The last field of this message kind.
        after: &'static str,
    },
    /// A declared size exceeds a limit.
    #[error("{field} {size} exceeds the limit {limit}")]
    TooLarge {
        /// The size field.
        field: &'static str,
        /// Its value.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Fewer bytes remain than a size field declares.
    #[error("{field} declares {declared} bytes but only {available} remain")]
    TruncatedBody {
        /// The size field.
        field: &'static str,
        /// Its value.
        declared: u64,
        /// Bytes present.
        available: usize,
    },
    /// Bytes after the declared end of the message.
    #[error("{count} bytes after the end of the message")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The compressed body is not a valid zlib stream (or ends early).
    #[error("compressed body does not inflate: {detail}")]
    InflateFailed {
        /// The inflater's reason.
        detail: String,
    },
    /// The body inflates to more than the declared `uncompressed_body_size`
    /// (inflation stops there, so this also catches deflate bombs).
    #[error("body inflates to more than the declared {declared} bytes")]
    InflatedTooLong {
        /// The declared size.
        declared: u64,
    },
    /// The body inflates to fewer bytes than declared.
    #[error("body inflates to {actual} bytes, {declared} declared")]
    InflatedTooShort {
        /// The declared size.
        declared: u64,
        /// The inflated size.
        actual: usize,
    },
    /// Compressed bytes after the end of the zlib stream.
    #[error("{unused} compressed bytes after the end of the zlib stream")]
    InflateTrailingInput {
        /// How many.
        unused: usize,
    },
    /// More changeset entries than the limit.
    #[error("more than {limit} changesets")]
    TooManyChangesets {
        /// The limit in force.
        limit: usize,
    },
    /// A field of a changeset entry's header is malformed.
    #[error("changeset {entry}: field {field}: {problem}")]
    EntryField {
        /// Index of the entry in the body.
        entry: usize,
        /// The spec's name of the field.
        field: &'static str,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// The body ends inside a changeset entry's header.
    #[error("body ends inside changeset {entry} at field {field}")]
    EntryTruncated {
        /// Index of the entry.
        entry: usize,
        /// The field being read.
        field: &'static str,
    },
    /// A changeset's declared size runs past the end of the body.
    #[error("changeset {entry} declares {declared} bytes but only {available} remain")]
    ChangesetOverrun {
        /// Index of the entry.
        entry: usize,
        /// Declared `changeset_size`.
        declared: u64,
        /// Bytes left in the body.
        available: usize,
    },
}

/// A message that could not be parsed: which message, what, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind} at {at}", .message.map_or("message", MessageKind::word))]
pub struct ParseError {
    /// The kind, once the first word was recognised.
    pub message: Option<MessageKind>,
    /// Where the problem starts.
    pub at: Position,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// The connection-level error code a server answers a client's malformed
    /// message with. These are the specific pre-2023 codes (all safe for every
    /// client), never 104, which aborts current clients.
    pub fn server_error_code(&self) -> ErrorCode {
        use ParseErrorKind as K;
        match self.kind {
            K::UnknownKind { .. }
            | K::WrongDirection { .. }
            | K::FlexibleSyncOnly
            | K::NotInVersion { .. } => ErrorCode::UnknownMessage,
            K::InflateFailed { .. }
            | K::InflatedTooLong { .. }
            | K::InflatedTooShort { .. }
            | K::InflateTrailingInput { .. } => ErrorCode::BadDecompression,
            K::EntryField { .. } | K::EntryTruncated { .. } => ErrorCode::BadChangesetHeaderSyntax,
            K::ChangesetOverrun { .. } => ErrorCode::BadChangesetSize,
            _ => ErrorCode::BadSyntax,
        }
    }
}

/// A message that cannot be written for the negotiated version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SerializeError {
    /// The peer's version does not know this kind; sending it would make the
    /// client close the connection as a protocol violation.
    #[error("{kind} does not exist in protocol version {version}")]
    NotInVersion {
        /// The message kind.
        kind: MessageKind,
        /// The negotiated version.
        version: ProtocolVersion,
    },
    /// The body could not be compressed.
    #[error("compressing the {kind} body failed: {detail}")]
    Deflate {
        /// The message kind.
        kind: MessageKind,
        /// The compressor's reason.
        detail: String,
    },
}
