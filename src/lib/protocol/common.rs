//! Messages with the same fields in both directions: MARK, JSON_ERROR, TEST_COMMAND.

use super::body::{finish, sized_part, Declared};
use super::error::{FieldProblem, ParseError};
use super::error_code::WireErrorCode;
use super::head::{Head, HeadWriter};
use super::ids::{RequestIdent, SessionIdent};
use super::kind::MessageKind;
use super::limits::Limits;
use super::reader::Term;

/// MARK: a download-completion request (client) or its answer (server).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mark {
    pub session: SessionIdent,
    /// Echoed by the server once everything existing at the request was downloaded.
    pub request: RequestIdent,
}

/// JSON_ERROR: an error with a JSON body (server from protocol 4, client from 7).
/// The body stays bytes; [`super::JsonErrorBody`] and [`super::ClientJsonErrorBody`] read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JsonError {
    pub code: WireErrorCode,
    /// 0 for connection-level errors.
    pub session: SessionIdent,
    pub body: Vec<u8>,
}

/// TEST_COMMAND: a test-only request to the server, or its reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TestCommand {
    pub session: SessionIdent,
    /// Pairs the reply with its request.
    pub request: RequestIdent,
    /// JSON, e.g. `{"command":"ECHO_ERROR","args":{...}}`.
    pub body: Vec<u8>,
}

/// Reads a size field and remembers where it was.
pub(crate) fn size_field(
    head: &mut Head<'_>,
    field: &'static str,
    term: Term,
) -> Result<Declared, ParseError> {
    let size: u64 = head.number(field, term)?;
    Ok(Declared {
        field,
        size,
        at: head.last_field_at(),
    })
}

/// Reads an error code in the range clients can parse.
pub(crate) fn error_code(head: &mut Head<'_>, term: Term) -> Result<WireErrorCode, ParseError> {
    let number: u64 = head.number("error_code", term)?;
    u32::try_from(number)
        .ok()
        .and_then(WireErrorCode::new)
        .ok_or_else(|| head.field_error("error_code", FieldProblem::OutOfRange))
}

/// Reads the single sized body of a message and checks nothing follows it.
pub(crate) fn single_body(
    head: Head<'_>,
    declared: Declared,
    limits: &Limits,
) -> Result<Vec<u8>, ParseError> {
    let (kind, mut reader) = head.into_body();
    let body = sized_part(&mut reader, kind, declared, limits)?;
    finish(&reader, kind)?;
    Ok(body.to_vec())
}

/// Checks that the head line was the whole message.
pub(crate) fn no_body(head: Head<'_>) -> Result<(), ParseError> {
    let (kind, reader) = head.into_body();
    finish(&reader, kind)
}

pub(crate) fn parse_mark(mut head: Head<'_>) -> Result<Mark, ParseError> {
    let session = head.number("session", Term::Space)?;
    let request = head.number("request_ident", Term::LineFeed)?;
    no_body(head)?;
    Ok(Mark { session, request })
}

pub(crate) fn write_mark(m: &Mark) -> Vec<u8> {
    HeadWriter::new(MessageKind::Mark, 0)
        .field(m.session)
        .field(m.request)
        .finish(&[])
}

pub(crate) fn parse_json_error(
    mut head: Head<'_>,
    limits: &Limits,
) -> Result<JsonError, ParseError> {
    let code = error_code(&mut head, Term::Space)?;
    let size = size_field(&mut head, "body_size", Term::Space)?;
    let session = head.number("session", Term::LineFeed)?;
    let body = single_body(head, size, limits)?;
    Ok(JsonError {
        code,
        session,
        body,
    })
}

pub(crate) fn write_json_error(e: &JsonError) -> Vec<u8> {
    HeadWriter::new(MessageKind::JsonError, e.body.len())
        .field(e.code)
        .field(e.body.len())
        .field(e.session)
        .finish(&[&e.body])
}

pub(crate) fn parse_test_command(
    mut head: Head<'_>,
    limits: &Limits,
) -> Result<TestCommand, ParseError> {
    let session = head.number("session", Term::Space)?;
    let request = head.number("request_ident", Term::Space)?;
    let size = size_field(&mut head, "body_size", Term::LineFeed)?;
    let body = single_body(head, size, limits)?;
    Ok(TestCommand {
        session,
        request,
        body,
    })
}

pub(crate) fn write_test_command(t: &TestCommand) -> Vec<u8> {
    HeadWriter::new(MessageKind::TestCommand, t.body.len())
        .field(t.session)
        .field(t.request)
        .field(t.body.len())
        .finish(&[&t.body])
}
