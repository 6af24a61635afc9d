//! Head-line parsing and writing shared by both directions.

use super::error::{FieldProblem, ParseError, ParseErrorKind, Position};
use super::ids::{
    ByteCount, ClientVersion, FileIdent, Millis, OriginTimestamp, RequestIdent, Salt,
    ServerVersion, SessionIdent,
};
use super::kind::{Availability, Direction, MessageKind};
use super::limits::Limits;
use super::reader::{Fault, Reader, Term, TokenError};
use super::version::ProtocolVersion;

/// A protocol number type that can be built from a range-checked `u64`.
pub(crate) trait ProtocolNumber: Sized {
    fn from_wire(value: u64) -> Option<Self>;
}

macro_rules! protocol_number {
    ($($name:ident),*) => {$(
        impl ProtocolNumber for $name {
            fn from_wire(value: u64) -> Option<Self> {
                Self::new(value)
            }
        }
    )*};
}
protocol_number!(
    SessionIdent,
    FileIdent,
    ServerVersion,
    ClientVersion,
    RequestIdent,
    OriginTimestamp,
    ByteCount
);

impl ProtocolNumber for u64 {
    /// Sizes share the protocol range: nothing bigger than 2^63 - 1 is a valid size.
    fn from_wire(value: u64) -> Option<Self> {
        (value <= super::ids::MAX_PROTOCOL_U64).then_some(value)
    }
}

/// Maps a token fault in a head line to the message's error.
pub(crate) fn head_error(
    reader: &Reader<'_>,
    kind: MessageKind,
    field: &'static str,
    err: TokenError,
) -> ParseError {
    let kind_of_error = match err.fault {
        Fault::Problem(problem) => ParseErrorKind::Field { field, problem },
        // The head line was located first, so running out of input inside it cannot happen;
        // report it as the truncation it would be.
        Fault::End => ParseErrorKind::TruncatedHeader,
        Fault::WantedSpace => ParseErrorKind::MissingField { after: field },
        Fault::WantedLineFeed => ParseErrorKind::ExtraField { after: field },
    };
    ParseError {
        message: Some(kind),
        at: reader.position(err.at),
        kind: kind_of_error,
    }
}

/// Splits off and checks the head line's first word, then parses its fields.
pub(crate) struct Head<'a> {
    reader: Reader<'a>,
    kind: MessageKind,
    /// Message offset of the field read last, for errors about its value.
    last_start: usize,
}

impl<'a> Head<'a> {
    /// Locates the head line within the header limit and identifies the kind.
    pub fn start(
        bytes: &'a [u8],
        direction: Direction,
        version: ProtocolVersion,
        limits: &Limits,
    ) -> Result<Self, ParseError> {
        let window = bytes.get(..limits.max_header_len).unwrap_or(bytes);
        let no_kind = |at, kind| ParseError {
            message: None,
            at: Position::Message(at),
            kind,
        };
        let Some(line_end) = window.iter().position(|&b| b == b'\n') else {
            return Err(if bytes.len() >= limits.max_header_len {
                no_kind(
                    limits.max_header_len,
                    ParseErrorKind::HeaderTooLong {
                        limit: limits.max_header_len,
                    },
                )
            } else {
                no_kind(bytes.len(), ParseErrorKind::TruncatedHeader)
            });
        };
        let line = window.get(..line_end).unwrap_or_default();
        let word_len = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
        let word = line.get(..word_len).unwrap_or_default();
        let Some(kind) = MessageKind::from_word(word) else {
            let shown = word.get(..32).unwrap_or(word);
            let word = String::from_utf8_lossy(shown).into_owned();
            return Err(no_kind(0, ParseErrorKind::UnknownKind { word }));
        };
        let refuse = |kind_of_error| ParseError {
            message: Some(kind),
            at: Position::Message(0),
            kind: kind_of_error,
        };
        match kind.availability(direction, version) {
            Availability::Available => {}
            Availability::WrongDirection => {
                return Err(refuse(ParseErrorKind::WrongDirection { direction }))
            }
            Availability::FlexibleSyncOnly => return Err(refuse(ParseErrorKind::FlexibleSyncOnly)),
            Availability::NotInVersion => {
                return Err(refuse(ParseErrorKind::NotInVersion { version }))
            }
        }
        if word_len == line.len() {
            return Err(ParseError {
                message: Some(kind),
                at: Position::Message(word_len),
                kind: ParseErrorKind::MissingField {
                    after: "message kind",
                },
            });
        }
        let mut reader = Reader::in_message(bytes, 0);
        let _ = reader.take(word_len + 1);
        Ok(Self {
            reader,
            kind,
            last_start: 0,
        })
    }

    pub fn kind(&self) -> MessageKind {
        self.kind
    }

    fn error(&self, at: usize, kind: ParseErrorKind) -> ParseError {
        ParseError {
            message: Some(self.kind),
            at: self.reader.position(at),
            kind,
        }
    }

    /// An error about the value of the field read last.
    pub fn field_error(&self, field: &'static str, problem: FieldProblem) -> ParseError {
        self.error(self.last_start, ParseErrorKind::Field { field, problem })
    }

    /// Message offset of the field read last.
    pub fn last_field_at(&self) -> usize {
        self.last_start
    }

    /// A protocol number (`0 ..= 2^63 - 1`) of type `T`.
    pub fn number<T: ProtocolNumber>(
        &mut self,
        field: &'static str,
        term: Term,
    ) -> Result<T, ParseError> {
        self.last_start = self.reader.offset();
        let value = self
            .reader
            .unsigned(term)
            .map_err(|e| head_error(&self.reader, self.kind, field, e))?;
        T::from_wire(value).ok_or_else(|| self.field_error(field, FieldProblem::OutOfRange))
    }

    /// A signed 64-bit number.
    pub fn signed(&mut self, field: &'static str, term: Term) -> Result<i64, ParseError> {
        self.last_start = self.reader.offset();
        self.reader
            .signed(term)
            .map_err(|e| head_error(&self.reader, self.kind, field, e))
    }

    pub fn salt(&mut self, field: &'static str, term: Term) -> Result<Salt, ParseError> {
        self.signed(field, term).map(Salt)
    }

    pub fn millis(&mut self, field: &'static str, term: Term) -> Result<Millis, ParseError> {
        self.signed(field, term).map(Millis)
    }

    /// A boolean, written `0` or `1`.
    pub fn flag(&mut self, field: &'static str, term: Term) -> Result<bool, ParseError> {
        self.last_start = self.reader.offset();
        match self
            .reader
            .unsigned(term)
            .map_err(|e| head_error(&self.reader, self.kind, field, e))?
        {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.field_error(field, FieldProblem::NotBool)),
        }
    }

    /// The part after the head line, for body parsing.
    pub fn into_body(self) -> (MessageKind, Reader<'a>) {
        (self.kind, self.reader)
    }
}

/// Builds a head line: the kind word, then each field after one space, then a line feed.
pub(crate) struct HeadWriter {
    buf: Vec<u8>,
}

impl HeadWriter {
    pub fn new(kind: MessageKind, body_len: usize) -> Self {
        let mut buf = Vec::with_capacity(64 + body_len);
        buf.extend_from_slice(kind.word().as_bytes());
        Self { buf }
    }

    pub fn field(mut self, value: impl std::fmt::Display) -> Self {
        self.buf.push(b' ');
        self.buf.extend_from_slice(value.to_string().as_bytes());
        self
    }

    pub fn flag(self, value: bool) -> Self {
        self.field(u8::from(value))
    }

    /// Ends the head line and appends the body parts.
    pub fn finish(mut self, body: &[&[u8]]) -> Vec<u8> {
        self.buf.push(b'\n');
        for part in body {
            self.buf.extend_from_slice(part);
        }
        self.buf
    }
}
