//! Generated messages of every kind, for every protocol version 2–14 and both
//! body encodings, survive serialize → parse unchanged.

use proptest::collection::vec;
use proptest::prelude::*;

use ros::protocol::{
    writer_compression, Bind, BindPath, ByteCount, ClientIdent, ClientMessage, ClientVersion,
    Compression, Download, DownloadCursor, DownloadEntry, ErrorMessage, FileIdent, JsonError,
    Limits, LogMessage, Mark, Millis, OriginTimestamp, Ping, ProtocolVersion, Refresh,
    RequestIdent, Salt, SaltedVersion, SerializeError, ServerIdent, ServerMessage, ServerVersion,
    SessionIdent, SignedToken, TestCommand, Upload, UploadCursor, UploadEntry, WireErrorCode,
    MAX_PROTOCOL_U64,
};

/// Small values (as real traffic has) and the whole protocol range.
fn u63() -> impl Strategy<Value = u64> {
    prop_oneof![0..64u64, 0..=MAX_PROTOCOL_U64, Just(MAX_PROTOCOL_U64)]
}

fn i64s() -> impl Strategy<Value = i64> {
    prop_oneof![-64..64i64, any::<i64>(), Just(i64::MIN), Just(i64::MAX)]
}

macro_rules! ids {
    ($($f:ident: $t:ident),*) => {$(
        fn $f() -> impl Strategy<Value = $t> {
            u63().prop_map(|v| $t::new(v).unwrap())
        }
    )*};
}
ids!(session: SessionIdent, file: FileIdent, server_version: ServerVersion, client_version: ClientVersion,
     request: RequestIdent, timestamp: OriginTimestamp, byte_count: ByteCount);

fn salt() -> impl Strategy<Value = Salt> {
    i64s().prop_map(Salt)
}

fn millis() -> impl Strategy<Value = Millis> {
    i64s().prop_map(Millis)
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..=max)
}

/// Changesets: mostly small, some repetitive and large enough to compress well.
fn changeset() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        bytes(48),
        (any::<u8>(), 0..3000usize).prop_map(|(b, n)| vec![b; n])
    ]
}

fn compression() -> impl Strategy<Value = Compression> {
    prop_oneof![Just(Compression::Plain), Just(Compression::Zlib)]
}

fn code() -> impl Strategy<Value = WireErrorCode> {
    prop_oneof![100..300u32, 0..=WireErrorCode::MAX].prop_map(|n| WireErrorCode::new(n).unwrap())
}

fn mark() -> impl Strategy<Value = Mark> {
    (session(), request()).prop_map(|(session, request)| Mark { session, request })
}

fn json_error() -> impl Strategy<Value = JsonError> {
    (code(), session(), bytes(200)).prop_map(|(code, session, body)| JsonError {
        code,
        session,
        body,
    })
}

fn test_command() -> impl Strategy<Value = TestCommand> {
    (session(), request(), bytes(100)).prop_map(|(session, request, body)| TestCommand {
        session,
        request,
        body,
    })
}

fn token() -> impl Strategy<Value = SignedToken> {
    prop_oneof![Just(0usize), 0..=2048usize]
        .prop_flat_map(|n| vec(any::<u8>(), n))
        .prop_map(|t| SignedToken::new(t).unwrap())
}

fn upload_entry() -> impl Strategy<Value = UploadEntry> {
    (
        client_version(),
        server_version(),
        timestamp(),
        file(),
        changeset(),
    )
        .prop_map(|(c, s, t, f, changeset)| UploadEntry {
            client_version: c,
            last_integrated_server_version: s,
            origin_timestamp: t,
            origin_file_ident: f,
            changeset,
        })
}

fn download_entry() -> impl Strategy<Value = DownloadEntry> {
    let nonzero = (1..=MAX_PROTOCOL_U64).prop_map(|v| ServerVersion::new(v).unwrap());
    (
        nonzero,
        client_version(),
        timestamp(),
        file(),
        byte_count(),
        changeset(),
    )
        .prop_map(|(s, c, t, f, o, changeset)| DownloadEntry {
            server_version: s,
            last_integrated_client_version: c,
            origin_timestamp: t,
            origin_file_ident: f,
            original_changeset_size: o,
            changeset,
        })
}

fn client_message(version: ProtocolVersion) -> BoxedStrategy<ClientMessage> {
    let bind = (
        session(),
        vec(any::<u8>(), 1..=1024),
        token(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(session, path, token, need, sub)| {
            ClientMessage::Bind(Bind {
                session,
                path: BindPath::new(path).unwrap(),
                token,
                need_client_file_ident: need,
                is_subserver: sub,
            })
        });
    let ident = (
        session(),
        file(),
        salt(),
        server_version(),
        client_version(),
        server_version(),
        salt(),
    )
        .prop_map(|(session, file_ident, file_ident_salt, ss, sc, lv, ls)| {
            ClientMessage::Ident(ClientIdent {
                session,
                file_ident,
                file_ident_salt,
                scan: DownloadCursor {
                    server_version: ss,
                    last_integrated_client_version: sc,
                },
                latest: SaltedVersion {
                    version: lv,
                    salt: ls,
                },
            })
        });
    let upload = (
        session(),
        compression(),
        client_version(),
        server_version(),
        server_version(),
        vec(upload_entry(), 0..6),
    )
        .prop_map(|(session, compression, pc, ps, locked, changesets)| {
            ClientMessage::Upload(Upload {
                session,
                compression,
                progress: UploadCursor {
                    client_version: pc,
                    last_integrated_server_version: ps,
                },
                locked_server_version: locked,
                changesets,
            })
        });
    let mut kinds: Vec<BoxedStrategy<ClientMessage>> = vec![
        bind.boxed(),
        ident.boxed(),
        upload.boxed(),
        mark().prop_map(ClientMessage::Mark).boxed(),
        session()
            .prop_map(|session| ClientMessage::Unbind { session })
            .boxed(),
        (millis(), millis())
            .prop_map(|(timestamp, rtt)| ClientMessage::Ping(Ping { timestamp, rtt }))
            .boxed(),
        test_command().prop_map(ClientMessage::TestCommand).boxed(),
    ];
    if version.get() >= 7 {
        kinds.push(json_error().prop_map(ClientMessage::JsonError).boxed());
    }
    if version.get() <= 3 {
        kinds.push(
            (session(), token())
                .prop_map(|(session, token)| ClientMessage::Refresh(Refresh { session, token }))
                .boxed(),
        );
    }
    proptest::strategy::Union::new(kinds).boxed()
}

fn download() -> impl Strategy<Value = ServerMessage> {
    let cursors = (
        server_version(),
        client_version(),
        server_version(),
        salt(),
        client_version(),
        server_version(),
    );
    (
        session(),
        cursors,
        byte_count(),
        compression(),
        vec(download_entry(), 0..6),
    )
        .prop_map(
            |(session, (ds, dc, lv, ls, uc, us), downloadable_bytes, compression, changesets)| {
                ServerMessage::Download(Download {
                    session,
                    download: DownloadCursor {
                        server_version: ds,
                        last_integrated_client_version: dc,
                    },
                    latest: SaltedVersion {
                        version: lv,
                        salt: ls,
                    },
                    upload: UploadCursor {
                        client_version: uc,
                        last_integrated_server_version: us,
                    },
                    downloadable_bytes,
                    compression,
                    changesets,
                })
            },
        )
}

fn server_message(version: ProtocolVersion) -> BoxedStrategy<ServerMessage> {
    let mut kinds: Vec<BoxedStrategy<ServerMessage>> = vec![
        (session(), file(), salt())
            .prop_map(|(session, file_ident, file_ident_salt)| {
                ServerMessage::Ident(ServerIdent {
                    session,
                    file_ident,
                    file_ident_salt,
                })
            })
            .boxed(),
        download().boxed(),
        mark().prop_map(ServerMessage::Mark).boxed(),
        session()
            .prop_map(|session| ServerMessage::Unbound { session })
            .boxed(),
        (code(), bytes(200), any::<bool>(), session())
            .prop_map(|(code, message, try_again, session)| {
                ServerMessage::Error(ErrorMessage {
                    code,
                    message,
                    try_again,
                    session,
                })
            })
            .boxed(),
        millis()
            .prop_map(|timestamp| ServerMessage::Pong { timestamp })
            .boxed(),
        test_command().prop_map(ServerMessage::TestCommand).boxed(),
    ];
    if version.get() >= 4 {
        kinds.push(json_error().prop_map(ServerMessage::JsonError).boxed());
    }
    if version.get() >= 10 {
        kinds.push(
            (session(), bytes(200))
                .prop_map(|(session, body)| ServerMessage::LogMessage(LogMessage { session, body }))
                .boxed(),
        );
    }
    proptest::strategy::Union::new(kinds).boxed()
}

fn version() -> impl Strategy<Value = ProtocolVersion> {
    (2u32..=14).prop_map(|n| ProtocolVersion::new(n).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn client_messages_round_trip((version, message) in version().prop_flat_map(|v| (Just(v), client_message(v)))) {
        let bytes = message.to_bytes(version).unwrap();
        let parsed = ClientMessage::parse(&bytes, version, &Limits::default()).unwrap();
        prop_assert_eq!(&parsed, &message);
        prop_assert_eq!(parsed.to_bytes(version).unwrap(), bytes);
    }

    #[test]
    fn server_messages_round_trip((version, message) in version().prop_flat_map(|v| (Just(v), server_message(v)))) {
        let bytes = message.to_bytes(version).unwrap();
        let parsed = ServerMessage::parse(&bytes, version, &Limits::default()).unwrap();
        prop_assert_eq!(&parsed, &message);
        prop_assert_eq!(parsed.to_bytes(version).unwrap(), bytes);
    }

    /// Any damage to a valid message is either rejected or yields a message that
    /// itself round-trips; a plain message that still parses is byte-identical
    /// when written back.
    #[test]
    fn damaged_messages_never_panic_and_round_trip(
        (version, message) in version().prop_flat_map(|v| (Just(v), client_message(v))),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = message.to_bytes(version).unwrap();
        let at = flip.index(bytes.len());
        bytes[at] = byte;
        bytes.truncate(cut.index(bytes.len() + 1).max(at));
        if let Ok(parsed) = ClientMessage::parse(&bytes, version, &Limits::default()) {
            let again = parsed.to_bytes(version).unwrap();
            prop_assert_eq!(ClientMessage::parse(&again, version, &Limits::default()).unwrap(), parsed.clone());
            let compressed = matches!(&parsed, ClientMessage::Upload(u) if u.compression == Compression::Zlib);
            if !compressed {
                prop_assert_eq!(again, bytes);
            }
        }
    }
}

#[test]
fn kinds_outside_their_versions_are_not_written() {
    let json = JsonError {
        code: WireErrorCode::new(212).unwrap(),
        session: SessionIdent::new(1).unwrap(),
        body: b"{}".to_vec(),
    };
    let log = ServerMessage::LogMessage(LogMessage {
        session: SessionIdent::ZERO,
        body: b"{}".to_vec(),
    });
    let refresh = ClientMessage::Refresh(Refresh {
        session: SessionIdent::new(1).unwrap(),
        token: SignedToken::default(),
    });
    for version in ProtocolVersion::all() {
        let n = version.get();
        let client_json = ClientMessage::JsonError(json.clone()).to_bytes(version);
        assert_eq!(client_json.is_ok(), n >= 7, "client JSON_ERROR at {n}");
        assert_eq!(
            ServerMessage::JsonError(json.clone())
                .to_bytes(version)
                .is_ok(),
            n >= 4,
            "server JSON_ERROR at {n}"
        );
        assert_eq!(log.to_bytes(version).is_ok(), n >= 10, "LOG_MESSAGE at {n}");
        assert_eq!(refresh.to_bytes(version).is_ok(), n <= 3, "REFRESH at {n}");
        if let Err(e) = log.to_bytes(version) {
            assert!(
                matches!(e, SerializeError::NotInVersion { version: v, .. } if v == version),
                "{e}"
            );
        }
    }
}

#[test]
fn writer_rule_compresses_only_large_bodies_that_shrink() {
    assert_eq!(writer_compression(&[7u8; 1024]), Compression::Plain);
    assert_eq!(writer_compression(&[7u8; 1025]), Compression::Zlib);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect();
    assert_eq!(writer_compression(&noise), Compression::Plain);
}

#[test]
fn compressed_download_serializes_as_zlib_level_one() {
    let entry = DownloadEntry {
        server_version: ServerVersion::new(3).unwrap(),
        last_integrated_client_version: ClientVersion::ZERO,
        origin_timestamp: OriginTimestamp::new(1).unwrap(),
        origin_file_ident: FileIdent::new(2).unwrap(),
        original_changeset_size: ByteCount::new(2000).unwrap(),
        changeset: vec![b'a'; 2000],
    };
    let download = ServerMessage::Download(Download {
        session: SessionIdent::new(1).unwrap(),
        download: DownloadCursor::default(),
        latest: SaltedVersion::default(),
        upload: UploadCursor::default(),
        downloadable_bytes: ByteCount::ZERO,
        compression: Compression::Zlib,
        changesets: vec![entry],
    });
    let bytes = download.to_bytes(ProtocolVersion::MAX).unwrap();
    let head_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    let head = String::from_utf8(bytes[..head_end].to_vec()).unwrap();
    let fields: Vec<&str> = head.split(' ').collect();
    let uncompressed = "3 0 1 2 2000 2000 ".len() + 2000;
    assert_eq!(
        &fields[9..11],
        &["1", uncompressed.to_string().as_str()],
        "{head}"
    );
    assert_eq!(
        fields[11].parse::<usize>().unwrap(),
        bytes.len() - head_end - 1
    );
    assert_eq!(
        &bytes[head_end + 1..head_end + 3],
        &[0x78, 0x01],
        "zlib header of level 1"
    );
}

/// Bodies far larger than the inflater's first buffer come back whole.
#[test]
fn multi_megabyte_compressed_upload_round_trips() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let changesets: Vec<UploadEntry> = (1..=3u64)
        .map(|i| UploadEntry {
            client_version: ClientVersion::new(i).unwrap(),
            last_integrated_server_version: ServerVersion::ZERO,
            origin_timestamp: OriginTimestamp::new(i).unwrap(),
            origin_file_ident: FileIdent::ZERO,
            // Text-like: compressible, but not trivially.
            changeset: (0..1_500_000).map(|_| b'a' + (next() % 16) as u8).collect(),
        })
        .collect();
    let upload = ClientMessage::Upload(Upload {
        session: SessionIdent::new(1).unwrap(),
        compression: Compression::Zlib,
        progress: UploadCursor::default(),
        locked_server_version: ServerVersion::ZERO,
        changesets,
    });
    let bytes = upload.to_bytes(ProtocolVersion::MAX).unwrap();
    assert!(bytes.len() < 4_000_000, "compressed: {}", bytes.len());
    let parsed = ClientMessage::parse(&bytes, ProtocolVersion::MAX, &Limits::default()).unwrap();
    assert_eq!(parsed, upload);
}
