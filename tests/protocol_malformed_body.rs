//! Malformed bodies, compressed bodies and changeset entries: the exact error and offset.

use crate::protocol_support;

use protocol_support::*;

use std::io::Write;

use ros::protocol::{
    ClientMessage, ErrorCode, FieldProblem, Limits, MessageKind, ParseErrorKind, Position,
};

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(9));
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn head_len(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| b == b'\n').unwrap() + 1
}

/// The UPLOAD `m` fails with `kind` where its body starts.
fn expect_at_upload_body(m: &[u8], kind: ParseErrorKind) {
    expect(
        client_err(m),
        Some(MessageKind::Upload),
        Position::Message(head_len(m)),
        kind,
    );
}

#[test]
fn truncated_body() {
    let err = client_err(b"bind 1 8 0 1 0\n/capt");
    let kind = ParseErrorKind::TruncatedBody {
        field: "path_size",
        declared: 8,
        available: 5,
    };
    expect(err, Some(MessageKind::Bind), Position::Message(15), kind);
    let err = client_err(b"bind 1 8 4 1 0\n/capture");
    let kind = ParseErrorKind::TruncatedBody {
        field: "token_size",
        declared: 4,
        available: 0,
    };
    expect(err, Some(MessageKind::Bind), Position::Message(23), kind);
}

#[test]
fn body_longer_than_declared() {
    let err = server_err(b"log_message 0 2\n{}x");
    expect(
        err,
        Some(MessageKind::LogMessage),
        Position::Message(18),
        ParseErrorKind::TrailingBytes { count: 1 },
    );
    let body = b"2 0 1 0 1 X";
    let m = upload_with_body(false, body.len() - 1, 0, body);
    let at = Position::Message(head_len(&m) + body.len() - 1);
    expect(
        client_err(&m),
        Some(MessageKind::Upload),
        at,
        ParseErrorKind::TrailingBytes { count: 1 },
    );
}

#[test]
fn body_shorter_than_declared() {
    let err = server_err(b"log_message 0 3\n{}");
    let kind = ParseErrorKind::TruncatedBody {
        field: "body_size",
        declared: 3,
        available: 2,
    };
    expect(
        err,
        Some(MessageKind::LogMessage),
        Position::Message(16),
        kind,
    );
    let body = b"2 0 1 0 1 X";
    let m = upload_with_body(false, body.len() + 4, 0, body);
    let kind = ParseErrorKind::TruncatedBody {
        field: "uncompressed_body_size",
        declared: 15,
        available: 11,
    };
    expect_at_upload_body(&m, kind);
}

#[test]
fn trailing_bytes() {
    let unbind = Some(MessageKind::Unbind);
    expect(
        client_err(b"unbind 1\nx"),
        unbind,
        Position::Message(9),
        ParseErrorKind::TrailingBytes { count: 1 },
    );
    let err = client_err(b"bind 1 1 0 0 0\n/ab");
    expect(
        err,
        Some(MessageKind::Bind),
        Position::Message(16),
        ParseErrorKind::TrailingBytes { count: 2 },
    );
}

#[test]
fn too_many_changesets() {
    let body = b"2 0 1 0 1 A3 0 1 0 1 B4 0 1 0 0 ";
    let m = upload_with_body(false, body.len(), 0, body);
    let limits = Limits {
        max_changesets: 2,
        ..Limits::default()
    };
    let err = client_err_with(&m, v(14), &limits);
    let third = head_len(&m) + "2 0 1 0 1 A3 0 1 0 1 B".len();
    expect(
        err,
        Some(MessageKind::Upload),
        Position::Message(third),
        ParseErrorKind::TooManyChangesets { limit: 2 },
    );
    let ok = ClientMessage::parse(
        &m,
        v(14),
        &Limits {
            max_changesets: 3,
            ..Limits::default()
        },
    );
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn deflate_bomb_stops_at_the_declared_size() {
    let bomb = zlib(&vec![b'0'; 32 << 20]);
    assert!(bomb.len() < 64 * 1024, "the bomb is small: {}", bomb.len());
    let m = upload_with_body(true, 1000, bomb.len(), &bomb);
    let kind = ParseErrorKind::InflatedTooLong { declared: 1000 };
    expect_at_upload_body(&m, kind);
}

#[test]
fn declared_inflated_size_over_the_limit() {
    let limits = Limits {
        max_decompressed_size: 1 << 20,
        ..Limits::default()
    };
    let body = zlib(b"2 0 1 0 1 A");
    let m = upload_with_body(true, (1 << 20) + 1, body.len(), &body);
    let kind = ParseErrorKind::TooLarge {
        field: "uncompressed_body_size",
        size: (1 << 20) + 1,
        limit: 1 << 20,
    };
    expect(
        client_err_with(&m, v(14), &limits),
        Some(MessageKind::Upload),
        Position::Message(11),
        kind,
    );
}

#[test]
fn compressed_body_that_does_not_inflate() {
    let garbage = b"this is not zlib";
    let m = upload_with_body(true, 11, garbage.len(), garbage);
    let err = client_err(&m);
    assert_eq!(err.at, Position::Message(head_len(&m)));
    assert!(
        matches!(err.kind, ParseErrorKind::InflateFailed { .. }),
        "{err:?}"
    );
    let stream = zlib(b"2 0 1 0 1 A");
    let cut = &stream[..stream.len() - 3];
    let m = upload_with_body(true, 11, cut.len(), cut);
    let err = client_err(&m);
    assert_eq!(err.at, Position::Message(head_len(&m)));
    assert!(
        matches!(err.kind, ParseErrorKind::InflateFailed { .. }),
        "{err:?}"
    );
    assert_eq!(err.server_error_code(), ErrorCode::BadDecompression);
}

#[test]
fn declared_uncompressed_size_mismatch() {
    let plain = b"2 0 1 0 1 A";
    let stream = zlib(plain);
    let at = |m: &[u8]| Position::Message(head_len(m));
    let m = upload_with_body(true, plain.len() + 5, stream.len(), &stream);
    let kind = ParseErrorKind::InflatedTooShort {
        declared: plain.len() as u64 + 5,
        actual: plain.len(),
    };
    expect(client_err(&m), Some(MessageKind::Upload), at(&m), kind);
    let m = upload_with_body(true, plain.len() - 1, stream.len(), &stream);
    let kind = ParseErrorKind::InflatedTooLong {
        declared: plain.len() as u64 - 1,
    };
    expect(client_err(&m), Some(MessageKind::Upload), at(&m), kind);
    let mut padded = stream.clone();
    padded.extend_from_slice(b"zz");
    let m = upload_with_body(true, plain.len(), padded.len(), &padded);
    expect(
        client_err(&m),
        Some(MessageKind::Upload),
        at(&m),
        ParseErrorKind::InflateTrailingInput { unused: 2 },
    );
    let m = upload_with_body(false, plain.len(), 3, plain);
    let kind = field("compressed_body_size", FieldProblem::NotZero);
    expect(
        client_err(&m),
        Some(MessageKind::Upload),
        Position::Message("upload 1 0 11 ".len()),
        kind,
    );
}

#[test]
fn bind_path_and_token_bounds() {
    let bind = Some(MessageKind::Bind);
    expect(
        client_err(b"bind 1 0 0 1 0\n"),
        bind,
        Position::Message(7),
        field("path_size", FieldProblem::Zero),
    );
    let mut m = b"bind 1 1025 0 1 0\n".to_vec();
    m.resize(m.len() + 1025, b'a');
    let kind = ParseErrorKind::TooLarge {
        field: "path_size",
        size: 1025,
        limit: 1024,
    };
    expect(client_err(&m), bind, Position::Message(7), kind);
    let mut m = b"bind 1 1 2049 1 0\n/".to_vec();
    m.resize(m.len() + 2049, b't');
    let kind = ParseErrorKind::TooLarge {
        field: "token_size",
        size: 2049,
        limit: 2048,
    };
    expect(client_err(&m), bind, Position::Message(9), kind);
}

#[test]
fn changeset_entry_errors() {
    let upload = Some(MessageKind::Upload);
    let body = b"2 0 1 0 5 AB";
    let m = upload_with_body(false, body.len(), 0, body);
    let overrun = ParseErrorKind::ChangesetOverrun {
        entry: 0,
        declared: 5,
        available: 2,
    };
    expect(
        client_err(&m),
        upload,
        Position::Message(head_len(&m) + 8),
        overrun,
    );
    let body = b"2 0 1 0 1 A3 0 x";
    let m = upload_with_body(false, body.len(), 0, body);
    let kind = ParseErrorKind::EntryField {
        entry: 1,
        field: "origin_timestamp",
        problem: FieldProblem::InvalidByte(b'x'),
    };
    let err = client_err(&m);
    expect(
        err.clone(),
        upload,
        Position::Message(head_len(&m) + 15),
        kind,
    );
    assert_eq!(err.server_error_code(), ErrorCode::BadChangesetHeaderSyntax);
    let body = b"2 0 1 0 1 A3 0";
    let m = upload_with_body(false, body.len(), 0, body);
    let truncated = ParseErrorKind::EntryTruncated {
        entry: 1,
        field: "last_integrated_server_version",
    };
    expect(
        client_err(&m),
        upload,
        Position::Message(head_len(&m) + body.len()),
        truncated,
    );
    let inflated = b"2 0 1 0 1 A3 0 1 0 9 B";
    let stream = zlib(inflated);
    let m = upload_with_body(true, inflated.len(), stream.len(), &stream);
    let overrun = ParseErrorKind::ChangesetOverrun {
        entry: 1,
        declared: 9,
        available: 1,
    };
    let err = client_err(&m);
    expect(err.clone(), upload, Position::Inflated(19), overrun);
    assert_eq!(err.server_error_code(), ErrorCode::BadChangesetSize);
    let body = b"0 0 1 2 1 1 A";
    let mut d = format!("download 1 1 0 1 5 0 0 0 0 {} 0\n", body.len()).into_bytes();
    let at = d.len();
    d.extend_from_slice(body);
    let kind = ParseErrorKind::EntryField {
        entry: 0,
        field: "server_version",
        problem: FieldProblem::Zero,
    };
    expect(
        server_err(&d),
        Some(MessageKind::Download),
        Position::Message(at),
        kind,
    );
}
