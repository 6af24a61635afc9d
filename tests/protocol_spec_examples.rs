//! The worked example of `docs/protocol.md` §12, message by message.

use ros::protocol::{
    ClientMessage, Compression, ErrorCode, Limits, LogLevel, LogMessageBody, ProtocolVersion,
    ServerMessage,
};

const V14: ProtocolVersion = ProtocolVersion::MAX;

/// The 44-byte changeset of `docs/changesets.md` §8.1 as the client sends it.
const CLIENT_CHANGESET: &str =
    "3F 00 06 50 65 72 73 6F 6E 3F 01 03 5F 69 64 00 00 00 01 01 00 02 00 01 01 3F 02 04 \
    6E 61 6D 65 04 00 01 01 02 00 03 03 41 6E 6E 00";
/// The same changeset in the server's table-first layout (`docs/changesets.md` §8.2).
const SERVER_CHANGESET: &str =
    "3F 00 06 50 65 72 73 6F 6E 3F 01 03 5F 69 64 3F 02 04 6E 61 6D 65 00 00 00 01 01 00 \
    02 00 01 01 04 00 01 01 02 00 03 03 41 6E 6E 00";

fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text.replace(' ', "")).unwrap()
}

fn client(bytes: &[u8]) -> ClientMessage {
    let parsed = ClientMessage::parse(bytes, V14, &Limits::default()).unwrap();
    assert_eq!(parsed.to_bytes(V14).unwrap(), bytes, "{parsed:?}");
    parsed
}

fn server(bytes: &[u8]) -> ServerMessage {
    let parsed = ServerMessage::parse(bytes, V14, &Limits::default()).unwrap();
    assert_eq!(parsed.to_bytes(V14).unwrap(), bytes, "{parsed:?}");
    parsed
}

#[test]
fn bind_and_ident_exchange() {
    let ClientMessage::Bind(bind) = client(b"bind 1 5 0 1 0\n/demo") else {
        panic!()
    };
    assert_eq!(
        (bind.session.get(), bind.path.as_bytes()),
        (1, &b"/demo"[..])
    );
    assert!(bind.need_client_file_ident && !bind.is_subserver && bind.token.as_bytes().is_empty());
    let ServerMessage::Ident(ident) = server(b"ident 1 2 6398459125617273452\n") else {
        panic!()
    };
    assert_eq!(
        (ident.file_ident.get(), ident.file_ident_salt.0),
        (2, 6_398_459_125_617_273_452)
    );
    let ClientMessage::Ident(ident) = client(b"ident 1 2 6398459125617273452 0 0 0 0\n") else {
        panic!()
    };
    assert_eq!(ident.scan.server_version.get(), 0);
    assert_eq!(ident.latest.salt.0, 0);
}

#[test]
fn first_download_mark_and_log_message() {
    let ClientMessage::Mark(mark) = client(b"mark 1 1\n") else {
        panic!()
    };
    assert_eq!(mark.request.get(), 1);
    let ServerMessage::Download(d) = server(b"download 1 0 0 0 0 0 0 0 0 0 0\n") else {
        panic!()
    };
    assert!(d.changesets.is_empty());
    assert_eq!(d.compression, Compression::Plain);
    server(b"mark 1 1\n");
    let log = br#"log_message 1 64
{"level":"debug","msg":"Session 1 bound to client file ident 2"}"#;
    let ServerMessage::LogMessage(l) = server(log) else {
        panic!()
    };
    let body = LogMessageBody::parse(&l.body).unwrap();
    assert_eq!(
        (body.level, body.msg.as_str()),
        (LogLevel::Debug, "Session 1 bound to client file ident 2")
    );
}

#[test]
fn upload_of_one_changeset() {
    let changeset = unhex(CLIENT_CHANGESET);
    assert_eq!(changeset.len(), 44);
    let mut bytes = b"upload 1 0 66 0 3 0 0\n3 0 361281600000 0 44 ".to_vec();
    bytes.extend_from_slice(&changeset);
    let ClientMessage::Upload(u) = client(&bytes) else {
        panic!()
    };
    assert_eq!(u.changesets.len(), 1);
    let entry = &u.changesets[0];
    assert_eq!(
        (entry.client_version.get(), entry.origin_timestamp.get()),
        (3, 361_281_600_000)
    );
    assert_eq!(entry.changeset, changeset);
    assert_eq!(u.progress.client_version.get(), 3);
}

#[test]
fn acknowledgement_and_fan_out() {
    let ServerMessage::Download(ack) =
        server(b"download 1 1 3 1 4153762097113520281 3 0 0 0 0 0\n")
    else {
        panic!()
    };
    assert_eq!(ack.upload.client_version.get(), 3);
    assert_eq!(ack.latest.salt.0, 4_153_762_097_113_520_281);
    let changeset = unhex(SERVER_CHANGESET);
    let mut bytes =
        b"download 1 1 0 1 4153762097113520281 0 0 0 0 69 0\n1 0 361281600000 2 44 44 ".to_vec();
    bytes.extend_from_slice(&changeset);
    let ServerMessage::Download(d) = server(&bytes) else {
        panic!()
    };
    let entry = &d.changesets[0];
    assert_eq!(
        (entry.server_version.get(), entry.origin_file_ident.get()),
        (1, 2)
    );
    assert_eq!(entry.original_changeset_size.get(), 44);
    assert_eq!(entry.changeset, changeset);
    let ClientMessage::Upload(empty) = client(b"upload 1 0 0 0 4 1 1\n") else {
        panic!()
    };
    assert!(empty.changesets.is_empty());
    assert_eq!(empty.locked_server_version.get(), 1);
}

#[test]
fn ping_pong_and_unbind() {
    let ClientMessage::Ping(ping) = client(b"ping 7262944 12\n") else {
        panic!()
    };
    assert_eq!((ping.timestamp.0, ping.rtt.0), (7_262_944, 12));
    assert_eq!(
        server(b"pong 7205118\n"),
        ServerMessage::Pong {
            timestamp: ros::protocol::Millis(7_205_118)
        }
    );
    client(b"unbind 1\n");
    server(b"unbound 1\n");
}

#[test]
fn errors() {
    let ServerMessage::Error(e) = server(b"error 100 5 1 0\nbye!\n") else {
        panic!()
    };
    assert_eq!(e.code.known(), Some(ErrorCode::ConnectionClosed));
    assert!(e.try_again);
    assert_eq!(e.message, b"bye!\n");
    let json = br#"json_error 208 167 1
{"action":"ClientReset","isRecoveryModeDisabled":false,"logURL":"","message":"client file ident is not known to this server","shouldClientReset":true,"tryAgain":false}"#;
    let ServerMessage::JsonError(e) = server(json) else {
        panic!()
    };
    assert_eq!((e.code.number(), e.session.get()), (208, 1));
    let from_client = br#"json_error 212 53 1
{"message":"BadChangeset: failed to parse changeset"}"#;
    let ClientMessage::JsonError(e) = client(from_client) else {
        panic!()
    };
    assert_eq!(e.code.known(), Some(ErrorCode::BadChangeset));
}
