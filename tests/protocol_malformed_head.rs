//! Malformed head lines and message kinds: the exact error, field and offset.

use crate::protocol_support;

use protocol_support::*;

use ros::protocol::{
    ClientMessage, Direction, ErrorCode, FieldProblem, Limits, MessageKind, ParseErrorKind,
    Position, ServerMessage,
};

#[test]
fn truncated_header() {
    expect(
        client_err(b"mark 1 2"),
        None,
        Position::Message(8),
        ParseErrorKind::TruncatedHeader,
    );
    expect(
        client_err(b""),
        None,
        Position::Message(0),
        ParseErrorKind::TruncatedHeader,
    );
}

#[test]
fn oversize_header() {
    let mut long = b"upload 1 0 0 0 ".to_vec();
    long.resize(300, b'7');
    long.push(b'\n');
    let kind = ParseErrorKind::HeaderTooLong { limit: 256 };
    expect(client_err(&long), None, Position::Message(256), kind);
    let limits = Limits {
        max_header_len: 8,
        ..Limits::default()
    };
    let kind = ParseErrorKind::HeaderTooLong { limit: 8 };
    expect(
        client_err_with(b"unbind 17\n", v(14), &limits),
        None,
        Position::Message(8),
        kind,
    );
}

#[test]
fn unknown_message_kind() {
    let unknown = |word: &str| ParseErrorKind::UnknownKind {
        word: word.to_owned(),
    };
    expect(
        client_err(b"hello 1\n"),
        None,
        Position::Message(0),
        unknown("hello"),
    );
    expect(
        client_err(b"alloc 1\n"),
        None,
        Position::Message(0),
        unknown("alloc"),
    );
    expect(
        client_err(b"MARK 1 2\n"),
        None,
        Position::Message(0),
        unknown("MARK"),
    );
    expect(client_err(b"\n"), None, Position::Message(0), unknown(""));
    let long = format!("{} 1\n", "x".repeat(100));
    expect(
        client_err(long.as_bytes()),
        None,
        Position::Message(0),
        unknown(&"x".repeat(32)),
    );
}

#[test]
fn kinds_of_the_other_direction_flexible_sync_or_other_versions() {
    let wrong = |direction| ParseErrorKind::WrongDirection { direction };
    let err = client_err(b"download 1 0 0 0 0 0 0 0 0 0 0\n");
    expect(
        err,
        Some(MessageKind::Download),
        Position::Message(0),
        wrong(Direction::ToServer),
    );
    let err = server_err(b"upload 1 0 0 0 0 0 0\n");
    expect(
        err,
        Some(MessageKind::Upload),
        Position::Message(0),
        wrong(Direction::ToClient),
    );
    let err = client_err(b"query 1 1 2\n{}");
    expect(
        err,
        Some(MessageKind::Query),
        Position::Message(0),
        ParseErrorKind::FlexibleSyncOnly,
    );
    let err = server_err(b"query_error 226 0 1 1\n");
    expect(
        err,
        Some(MessageKind::QueryError),
        Position::Message(0),
        ParseErrorKind::FlexibleSyncOnly,
    );
    let not_in = |n| ParseErrorKind::NotInVersion { version: v(n) };
    let limits = Limits::default();
    let json = b"json_error 212 2 1\n{}";
    expect(
        client_err_with(json, v(6), &limits),
        Some(MessageKind::JsonError),
        Position::Message(0),
        not_in(6),
    );
    assert!(ClientMessage::parse(json, v(7), &limits).is_ok());
    expect(
        server_err_with(json, v(3), &limits),
        Some(MessageKind::JsonError),
        Position::Message(0),
        not_in(3),
    );
    assert!(ServerMessage::parse(json, v(4), &limits).is_ok());
    let log = b"log_message 0 2\n{}";
    expect(
        server_err_with(log, v(9), &limits),
        Some(MessageKind::LogMessage),
        Position::Message(0),
        not_in(9),
    );
    let refresh = b"refresh 1 0\n";
    expect(
        client_err_with(refresh, v(4), &limits),
        Some(MessageKind::Refresh),
        Position::Message(0),
        not_in(4),
    );
    assert!(ClientMessage::parse(refresh, v(3), &limits).is_ok());
}

#[test]
fn missing_and_extra_fields() {
    let mark = Some(MessageKind::Mark);
    expect(
        client_err(b"mark 1\n"),
        mark,
        Position::Message(6),
        ParseErrorKind::MissingField { after: "session" },
    );
    let extra = ParseErrorKind::ExtraField {
        after: "request_ident",
    };
    expect(
        client_err(b"mark 1 2 3\n"),
        mark,
        Position::Message(8),
        extra,
    );
    let bare = ParseErrorKind::MissingField {
        after: "message kind",
    };
    expect(
        client_err(b"unbind\n"),
        Some(MessageKind::Unbind),
        Position::Message(6),
        bare,
    );
    let double_space = field("request_ident", FieldProblem::Empty);
    expect(
        client_err(b"mark 1  2\n"),
        mark,
        Position::Message(7),
        double_space,
    );
}

#[test]
fn parse_errors_map_to_safe_server_error_codes() {
    assert_eq!(
        client_err(b"hello 1\n").server_error_code(),
        ErrorCode::UnknownMessage
    );
    assert_eq!(
        client_err(b"query 1 1 2\n{}").server_error_code(),
        ErrorCode::UnknownMessage
    );
    assert_eq!(
        client_err(b"mark 1x 2\n").server_error_code(),
        ErrorCode::BadSyntax
    );
    assert_eq!(
        client_err(b"unbind 1\nx").server_error_code(),
        ErrorCode::BadSyntax
    );
    for err in [
        client_err(b"mark 1x 2\n"),
        client_err(b"bind 1 0 0 1 0\n"),
        client_err(b"hello\n"),
    ] {
        assert!(!err.server_error_code().crashes_current_clients(), "{err}");
    }
}

#[test]
fn errors_name_message_field_and_offset() {
    let text = client_err(b"mark 1x 2\n").to_string();
    assert!(
        text.contains("mark") && text.contains("session") && text.contains("byte 6"),
        "{text}"
    );
    let text = client_err(&upload_with_body(false, 3, 0, b"1 0")).to_string();
    assert!(
        text.contains("upload") && text.contains("changeset 0"),
        "{text}"
    );
}
