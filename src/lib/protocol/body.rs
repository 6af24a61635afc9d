//! Bodies: sized byte strings after the head line, and the optionally
//! compressed changeset bodies of UPLOAD and DOWNLOAD.

use super::compression::{deflate, inflate, Compression};
use super::error::{FieldProblem, ParseError, ParseErrorKind, Position, SerializeError};
use super::kind::MessageKind;
use super::limits::Limits;
use super::reader::Reader;

fn error(kind: MessageKind, at: Position, error: ParseErrorKind) -> ParseError {
    ParseError {
        message: Some(kind),
        at,
        kind: error,
    }
}

/// A size field's value and where it was in the message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declared {
    pub field: &'static str,
    pub size: u64,
    pub at: usize,
}

impl Declared {
    /// Rejects sizes above `limit`, reporting at the size field.
    pub fn at_most(self, kind: MessageKind, limit: u64) -> Result<usize, ParseError> {
        let too_large = || {
            let e = ParseErrorKind::TooLarge {
                field: self.field,
                size: self.size,
                limit,
            };
            error(kind, Position::Message(self.at), e)
        };
        if self.size > limit {
            return Err(too_large());
        }
        usize::try_from(self.size).map_err(|_| too_large())
    }
}

/// Takes the next body part of `declared` size (already checked against its limit).
pub(crate) fn take_part<'a>(
    reader: &mut Reader<'a>,
    kind: MessageKind,
    declared: Declared,
    len: usize,
) -> Result<&'a [u8], ParseError> {
    let start = reader.offset();
    let available = reader.remaining();
    reader.take(len).ok_or_else(|| {
        let e = ParseErrorKind::TruncatedBody {
            field: declared.field,
            declared: declared.size,
            available,
        };
        error(kind, reader.position(start), e)
    })
}

/// Takes one sized part bounded by the body limit.
pub(crate) fn sized_part<'a>(
    reader: &mut Reader<'a>,
    kind: MessageKind,
    declared: Declared,
    limits: &Limits,
) -> Result<&'a [u8], ParseError> {
    let len = declared.at_most(kind, limits.max_body_size)?;
    take_part(reader, kind, declared, len)
}

/// Requires that nothing follows the declared body.
pub(crate) fn finish(reader: &Reader<'_>, kind: MessageKind) -> Result<(), ParseError> {
    match reader.remaining() {
        0 => Ok(()),
        count => Err(error(
            kind,
            reader.position(reader.offset()),
            ParseErrorKind::TrailingBytes { count },
        )),
    }
}

/// The three head fields that frame an UPLOAD or DOWNLOAD body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Framing {
    pub compressed: bool,
    pub uncompressed: Declared,
    pub compressed_size: Declared,
}

/// A changeset body ready for entry parsing.
pub(crate) enum ChangesetBody<'a> {
    /// Plain: the rest of the message.
    Plain(Reader<'a>),
    /// Compressed: the inflated bytes.
    Inflated(Vec<u8>),
}

impl ChangesetBody<'_> {
    /// Runs `parse` over the body's bytes, wherever they are.
    pub(crate) fn parse_with<T>(
        self,
        parse: impl FnOnce(&mut Reader<'_>) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        match self {
            ChangesetBody::Plain(mut reader) => parse(&mut reader),
            ChangesetBody::Inflated(bytes) => parse(&mut Reader::in_inflated(&bytes)),
        }
    }
}

/// Checks the framing against the bytes after the head line and inflates if needed.
pub(crate) fn changeset_body<'a>(
    mut reader: Reader<'a>,
    kind: MessageKind,
    framing: Framing,
    limits: &Limits,
) -> Result<(Compression, ChangesetBody<'a>), ParseError> {
    let body_start = reader.position(reader.offset());
    if !framing.compressed {
        if framing.compressed_size.size != 0 {
            let e = ParseErrorKind::Field {
                field: framing.compressed_size.field,
                problem: FieldProblem::NotZero,
            };
            return Err(error(
                kind,
                Position::Message(framing.compressed_size.at),
                e,
            ));
        }
        let len = framing.uncompressed.at_most(kind, limits.max_body_size)?;
        let body = take_part(&mut reader, kind, framing.uncompressed, len)?;
        finish(&reader, kind)?;
        return Ok((
            Compression::Plain,
            ChangesetBody::Plain(Reader::in_message(body, offset_of(body_start))),
        ));
    }
    let compressed_len = framing
        .compressed_size
        .at_most(kind, limits.max_body_size)?;
    let inflated_len = framing
        .uncompressed
        .at_most(kind, limits.max_decompressed_size)?;
    let compressed = take_part(&mut reader, kind, framing.compressed_size, compressed_len)?;
    finish(&reader, kind)?;
    let inflated = inflate(compressed, inflated_len).map_err(|e| error(kind, body_start, e))?;
    Ok((Compression::Zlib, ChangesetBody::Inflated(inflated)))
}

fn offset_of(position: Position) -> usize {
    match position {
        Position::Message(offset) | Position::Inflated(offset) => offset,
    }
}

/// A changeset body as written: the compression flag, the two sizes and the bytes.
pub(crate) struct WrittenBody {
    pub compressed: bool,
    pub uncompressed_size: usize,
    pub compressed_size: usize,
    pub bytes: Vec<u8>,
}

pub(crate) fn write_changeset_body(
    kind: MessageKind,
    compression: Compression,
    body: Vec<u8>,
) -> Result<WrittenBody, SerializeError> {
    match compression {
        Compression::Plain => Ok(WrittenBody {
            compressed: false,
            uncompressed_size: body.len(),
            compressed_size: 0,
            bytes: body,
        }),
        Compression::Zlib => {
            let bytes = deflate(&body).map_err(|e| SerializeError::Deflate {
                kind,
                detail: e.to_string(),
            })?;
            Ok(WrittenBody {
                compressed: true,
                uncompressed_size: body.len(),
                compressed_size: bytes.len(),
                bytes,
            })
        }
    }
}
