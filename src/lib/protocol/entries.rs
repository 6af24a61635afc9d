//! The changeset entries inside UPLOAD and DOWNLOAD bodies.
//!
//! Changesets stay opaque bytes here; the `changeset` module decodes them.

use super::error::{FieldProblem, ParseError, ParseErrorKind};
use super::head::ProtocolNumber;
use super::ids::{ByteCount, ClientVersion, FileIdent, OriginTimestamp, ServerVersion};
use super::kind::MessageKind;
use super::reader::{Fault, Reader, Term};

/// One changeset a client uploads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UploadEntry {
    /// The client version this changeset produced.
    pub client_version: ClientVersion,
    /// The server version the client had integrated when it made the changeset.
    pub last_integrated_server_version: ServerVersion,
    /// When the change was first committed.
    pub origin_timestamp: OriginTimestamp,
    /// 0 from a client's own changes; a subserver would relay others' idents.
    pub origin_file_ident: FileIdent,
    /// The changeset, encoded as `docs/changesets.md` describes.
    pub changeset: Vec<u8>,
}

/// One changeset the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DownloadEntry {
    /// The server version this changeset produced; never 0.
    pub server_version: ServerVersion,
    /// The receiving client's own newest version integrated before `server_version`.
    pub last_integrated_client_version: ClientVersion,
    /// When the change was first committed.
    pub origin_timestamp: OriginTimestamp,
    /// The client file that made the change (1 for the server itself).
    pub origin_file_ident: FileIdent,
    /// Size before any server-side compaction, for progress reporting.
    pub original_changeset_size: ByteCount,
    /// The changeset as stored in the server history.
    pub changeset: Vec<u8>,
}

/// Reads the entry fields of one body, naming the entry in every error.
struct EntryReader<'a, 'b> {
    reader: &'b mut Reader<'a>,
    message: MessageKind,
    entry: usize,
}

impl<'a> EntryReader<'a, '_> {
    fn error(&self, at: usize, kind: ParseErrorKind) -> ParseError {
        ParseError {
            message: Some(self.message),
            at: self.reader.position(at),
            kind,
        }
    }

    fn number<T: ProtocolNumber>(&mut self, field: &'static str) -> Result<T, ParseError> {
        let start = self.reader.offset();
        let entry = self.entry;
        let value = self.reader.unsigned(Term::Space).map_err(|err| {
            let kind = match err.fault {
                Fault::Problem(problem) => ParseErrorKind::EntryField {
                    entry,
                    field,
                    problem,
                },
                Fault::End => ParseErrorKind::EntryTruncated { entry, field },
                Fault::WantedSpace => ParseErrorKind::EntryField {
                    entry,
                    field,
                    problem: FieldProblem::InvalidByte(b'\n'),
                },
                Fault::WantedLineFeed => ParseErrorKind::EntryField {
                    entry,
                    field,
                    problem: FieldProblem::InvalidByte(b' '),
                },
            };
            self.error(err.at, kind)
        })?;
        T::from_wire(value).ok_or_else(|| {
            self.error(
                start,
                ParseErrorKind::EntryField {
                    entry,
                    field,
                    problem: FieldProblem::OutOfRange,
                },
            )
        })
    }

    fn changeset(&mut self) -> Result<Vec<u8>, ParseError> {
        let start = self.reader.offset();
        let declared: u64 = self.number("changeset_size")?;
        let available = self.reader.remaining();
        let overrun = ParseErrorKind::ChangesetOverrun {
            entry: self.entry,
            declared,
            available,
        };
        let len = usize::try_from(declared).map_err(|_| self.error(start, overrun.clone()))?;
        match self.reader.take(len) {
            Some(bytes) => Ok(bytes.to_vec()),
            None => Err(self.error(start, overrun)),
        }
    }
}

/// Runs `read_one` for each entry until the body is used up, within `max` entries.
fn parse_entries<'a, T>(
    reader: &mut Reader<'a>,
    message: MessageKind,
    max: usize,
    mut read_one: impl FnMut(&mut EntryReader<'a, '_>) -> Result<T, ParseError>,
) -> Result<Vec<T>, ParseError> {
    let mut entries = Vec::new();
    while !reader.is_at_end() {
        if entries.len() >= max {
            let at = reader.position(reader.offset());
            return Err(ParseError {
                message: Some(message),
                at,
                kind: ParseErrorKind::TooManyChangesets { limit: max },
            });
        }
        let mut entry = EntryReader {
            reader: &mut *reader,
            message,
            entry: entries.len(),
        };
        entries.push(read_one(&mut entry)?);
    }
    Ok(entries)
}

pub(crate) fn parse_upload_entries(
    reader: &mut Reader<'_>,
    max: usize,
) -> Result<Vec<UploadEntry>, ParseError> {
    parse_entries(reader, MessageKind::Upload, max, |r| {
        Ok(UploadEntry {
            client_version: r.number("client_version")?,
            last_integrated_server_version: r.number("last_integrated_server_version")?,
            origin_timestamp: r.number("origin_timestamp")?,
            origin_file_ident: r.number("origin_file_ident")?,
            changeset: r.changeset()?,
        })
    })
}

pub(crate) fn parse_download_entries(
    reader: &mut Reader<'_>,
    max: usize,
) -> Result<Vec<DownloadEntry>, ParseError> {
    parse_entries(reader, MessageKind::Download, max, |r| {
        let start = r.reader.offset();
        let server_version: ServerVersion = r.number("server_version")?;
        if server_version == ServerVersion::ZERO {
            let kind = ParseErrorKind::EntryField {
                entry: r.entry,
                field: "server_version",
                problem: FieldProblem::Zero,
            };
            return Err(r.error(start, kind));
        }
        Ok(DownloadEntry {
            server_version,
            last_integrated_client_version: r.number("last_integrated_client_version")?,
            origin_timestamp: r.number("origin_timestamp")?,
            origin_file_ident: r.number("origin_file_ident")?,
            original_changeset_size: r.number("original_changeset_size")?,
            changeset: r.changeset()?,
        })
    })
}

fn push_fields(out: &mut Vec<u8>, fields: &[u64], changeset: &[u8]) {
    for field in fields {
        out.extend_from_slice(field.to_string().as_bytes());
        out.push(b' ');
    }
    out.extend_from_slice(changeset.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(changeset);
}

pub(crate) fn write_upload_entries(entries: &[UploadEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.changeset.len() + 48).sum());
    for e in entries {
        let fields = [
            e.client_version.get(),
            e.last_integrated_server_version.get(),
            e.origin_timestamp.get(),
            e.origin_file_ident.get(),
        ];
        push_fields(&mut out, &fields, &e.changeset);
    }
    out
}

pub(crate) fn write_download_entries(entries: &[DownloadEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.changeset.len() + 64).sum());
    for e in entries {
        let fields = [
            e.server_version.get(),
            e.last_integrated_client_version.get(),
            e.origin_timestamp.get(),
            e.origin_file_ident.get(),
            e.original_changeset_size.get(),
        ];
        push_fields(&mut out, &fields, &e.changeset);
    }
    out
}
