//! Helpers shared by the `protocol_malformed_*` tests: parse a message that must
//! fail and compare the whole error (message kind, position, kind).
#![allow(dead_code)]

use ros::protocol::{
    ClientMessage, FieldProblem, Limits, MessageKind, ParseError, ParseErrorKind, Position,
    ProtocolVersion, ServerMessage,
};

pub fn v(n: u32) -> ProtocolVersion {
    ProtocolVersion::new(n).unwrap()
}

pub fn client_err(bytes: &[u8]) -> ParseError {
    client_err_with(bytes, v(14), &Limits::default())
}

pub fn client_err_with(bytes: &[u8], version: ProtocolVersion, limits: &Limits) -> ParseError {
    match ClientMessage::parse(bytes, version, limits) {
        Ok(m) => panic!("parsed {m:?} from {:?}", String::from_utf8_lossy(bytes)),
        Err(e) => e,
    }
}

pub fn server_err_with(bytes: &[u8], version: ProtocolVersion, limits: &Limits) -> ParseError {
    match ServerMessage::parse(bytes, version, limits) {
        Ok(m) => panic!("parsed {m:?} from {:?}", String::from_utf8_lossy(bytes)),
        Err(e) => e,
    }
}

pub fn server_err(bytes: &[u8]) -> ParseError {
    server_err_with(bytes, v(14), &Limits::default())
}

pub fn expect(err: ParseError, message: Option<MessageKind>, at: Position, kind: ParseErrorKind) {
    assert_eq!(err, ParseError { message, at, kind });
}

pub fn field(field: &'static str, problem: FieldProblem) -> ParseErrorKind {
    ParseErrorKind::Field { field, problem }
}

pub fn upload_with_body(
    compressed: bool,
    uncompressed: usize,
    compressed_size: usize,
    body: &[u8],
) -> Vec<u8> {
    let flag = u8::from(compressed);
    let mut m = format!("upload 1 {flag} {uncompressed} {compressed_size} 5 0 0\n").into_bytes();
    m.extend_from_slice(body);
    m
}
