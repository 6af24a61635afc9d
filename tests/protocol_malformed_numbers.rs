//! Malformed numbers in head lines: the exact error, field and offset.

use crate::protocol_support;

use protocol_support::*;

use ros::protocol::{ClientMessage, FieldProblem, Limits, MessageKind, ParseErrorKind, Position};

#[test]
fn bad_number_sign() {
    let mark = Some(MessageKind::Mark);
    expect(
        client_err(b"mark +1 2\n"),
        mark,
        Position::Message(5),
        field("session", FieldProblem::Sign),
    );
    expect(
        client_err(b"mark -1 2\n"),
        mark,
        Position::Message(5),
        field("session", FieldProblem::Sign),
    );
    expect(
        client_err(b"ping +5 0\n"),
        Some(MessageKind::Ping),
        Position::Message(5),
        field("timestamp", FieldProblem::Sign),
    );
    let ok = ClientMessage::parse(b"ping -5 0\n", v(14), &Limits::default());
    assert!(ok.is_ok(), "i64 fields take a minus sign: {ok:?}");
    let neg_zero = field("rtt", FieldProblem::NegativeZero);
    expect(
        client_err(b"ping 5 -0\n"),
        Some(MessageKind::Ping),
        Position::Message(7),
        neg_zero,
    );
}

#[test]
fn bad_number_overflow() {
    let mark = Some(MessageKind::Mark);
    let err = client_err(b"mark 18446744073709551616 1\n");
    expect(
        err,
        mark,
        Position::Message(5),
        field("session", FieldProblem::Overflow),
    );
    let err = client_err(b"mark 9223372036854775808 1\n");
    expect(
        err,
        mark,
        Position::Message(5),
        field("session", FieldProblem::OutOfRange),
    );
    let err = client_err(b"ping -9223372036854775809 0\n");
    expect(
        err,
        Some(MessageKind::Ping),
        Position::Message(5),
        field("timestamp", FieldProblem::Overflow),
    );
    let ok = ClientMessage::parse(
        b"ping -9223372036854775808 9223372036854775807\n",
        v(14),
        &Limits::default(),
    );
    assert!(ok.is_ok(), "{ok:?}");
    let err = server_err(b"error 2147483648 0 0 0\n");
    expect(
        err,
        Some(MessageKind::Error),
        Position::Message(6),
        field("error_code", FieldProblem::OutOfRange),
    );
}

#[test]
fn bad_number_empty_and_junk() {
    let mark = Some(MessageKind::Mark);
    expect(
        client_err(b"mark  2\n"),
        mark,
        Position::Message(5),
        field("session", FieldProblem::Empty),
    );
    expect(
        client_err(b"mark 1 \n"),
        mark,
        Position::Message(7),
        field("request_ident", FieldProblem::Empty),
    );
    expect(
        client_err(b"mark 01 2\n"),
        mark,
        Position::Message(5),
        field("session", FieldProblem::LeadingZero),
    );
    expect(
        client_err(b"mark 1x 2\n"),
        mark,
        Position::Message(6),
        field("session", FieldProblem::InvalidByte(b'x')),
    );
    expect(
        client_err(b"mark 0x1 2\n"),
        mark,
        Position::Message(6),
        field("session", FieldProblem::InvalidByte(b'x')),
    );
    expect(
        client_err(b"mark 1\t2\n"),
        mark,
        Position::Message(6),
        field("session", FieldProblem::InvalidByte(b'\t')),
    );
    let bind = Some(MessageKind::Bind);
    let err = client_err(b"bind 1 1 0 2 0\n/");
    expect(
        err,
        bind,
        Position::Message(11),
        field("need_client_file_ident", FieldProblem::NotBool),
    );
}

#[test]
fn negative_and_overflowing_sizes() {
    let log = Some(MessageKind::LogMessage);
    expect(
        server_err(b"log_message 0 -1\n"),
        log,
        Position::Message(14),
        field("body_size", FieldProblem::Sign),
    );
    let err = server_err(b"log_message 0 99999999999999999999\n");
    expect(
        err,
        log,
        Position::Message(14),
        field("body_size", FieldProblem::Overflow),
    );
    let err = server_err(b"log_message 0 9223372036854775808\n");
    expect(
        err,
        log,
        Position::Message(14),
        field("body_size", FieldProblem::OutOfRange),
    );
    let err = server_err(b"log_message 0 9223372036854775807\n");
    let kind = ParseErrorKind::TooLarge {
        field: "body_size",
        size: i64::MAX as u64,
        limit: 64 << 20,
    };
    expect(err, log, Position::Message(14), kind);
    let m = upload_with_body(true, 10, usize::MAX >> 1, b"");
    let kind = ParseErrorKind::TooLarge {
        field: "compressed_body_size",
        size: u64::MAX >> 1,
        limit: 64 << 20,
    };
    expect(
        client_err(&m),
        Some(MessageKind::Upload),
        Position::Message(14),
        kind,
    );
}
