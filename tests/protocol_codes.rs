//! The error-code table and the JSON bodies of JSON_ERROR and LOG_MESSAGE.

use std::collections::BTreeSet;

use ros::protocol::{
    Action, ClientErrorKind, ClientJsonErrorBody, ErrorCode, ErrorLevel, JsonBodyError,
    JsonErrorBody, LogLevel, LogMessageBody, WireErrorCode,
};

#[test]
fn codes_round_trip_through_their_numbers_and_names_are_unique() {
    let mut names = BTreeSet::new();
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::from_number(u32::from(code.number())), Some(code));
        assert_eq!(WireErrorCode::from(code).known(), Some(code));
        assert!(names.insert(code.name()), "duplicate name {}", code.name());
        let expected = if code.number() < 200 {
            ErrorLevel::Connection
        } else {
            ErrorLevel::Session
        };
        assert_eq!(code.level(), expected, "{code}");
        assert!(
            (100..=114).contains(&code.number()) || (200..=236).contains(&code.number()),
            "{code}"
        );
    }
    assert_eq!(
        names.len(),
        15 + 36,
        "every 1xx code and every 2xx code but 213"
    );
    for unknown in [0, 99, 115, 199, 213, 237, 999] {
        assert_eq!(
            WireErrorCode::new(unknown).unwrap().known(),
            None,
            "{unknown}"
        );
    }
}

#[test]
fn exactly_the_documented_codes_crash_current_clients() {
    let crashing: BTreeSet<u16> = ErrorCode::ALL
        .into_iter()
        .filter(|c| c.crashes_current_clients())
        .map(ErrorCode::number)
        .collect();
    let documented: BTreeSet<u16> =
        [104, 202, 203, 205, 207, 214, 215, 218, 219, 220, 221, 224].into();
    assert_eq!(crashing, documented);
    for code in ErrorCode::ALL
        .into_iter()
        .filter(|c| c.crashes_current_clients())
    {
        assert_eq!(code.suggestion(), None, "{code} must never be sent");
        assert_eq!(code.client_kind(), ClientErrorKind::Abort);
        assert_eq!(JsonErrorBody::for_code(code, "x"), None, "{code}");
    }
}

#[test]
fn suggestions_follow_the_code_table() {
    let action = |c: ErrorCode| c.suggestion().map(|s| (s.action, s.try_again));
    assert_eq!(
        action(ErrorCode::ConnectionClosed),
        Some((Action::Transient, true))
    );
    assert_eq!(
        action(ErrorCode::BadSyntax),
        Some((Action::ProtocolViolation, false))
    );
    assert_eq!(
        action(ErrorCode::PermissionDenied),
        Some((Action::ApplicationBug, false))
    );
    assert_eq!(
        action(ErrorCode::BadServerVersion),
        Some((Action::ClientReset, false))
    );
    assert_eq!(
        action(ErrorCode::CompensatingWrite),
        Some((Action::Warning, true))
    );
    assert_eq!(
        action(ErrorCode::BadProgress),
        Some((Action::ClientReset, false))
    );
    assert_eq!(action(ErrorCode::MigrateToFlx), None);
    let continuing: Vec<_> = ErrorCode::ALL
        .into_iter()
        .filter(|c| c.session_continues())
        .collect();
    assert_eq!(
        continuing,
        [
            ErrorCode::CompensatingWrite,
            ErrorCode::SchemaVersionChanged
        ]
    );
}

/// The example body of `docs/protocol.md` §12, byte for byte (167 bytes, keys sorted).
#[test]
fn json_error_body_for_a_code_matches_the_spec_example() {
    let body = JsonErrorBody::for_code(
        ErrorCode::BadClientFileIdent,
        "client file ident is not known to this server",
    )
    .unwrap()
    .to_bytes();
    let expected = br#"{"action":"ClientReset","isRecoveryModeDisabled":false,"logURL":"","message":"client file ident is not known to this server","shouldClientReset":true,"tryAgain":false}"#;
    assert_eq!(
        String::from_utf8(body.clone()).unwrap(),
        String::from_utf8(expected.to_vec()).unwrap()
    );
    assert_eq!(body.len(), 167);
    assert_eq!(
        JsonErrorBody::parse(&body).unwrap().action,
        Some(Action::ClientReset)
    );
}

#[test]
fn json_error_body_requires_the_mandatory_keys() {
    let full = br#"{"message":"m","tryAgain":true,"shouldClientReset":false,"isRecoveryModeDisabled":false,"logURL":"","action":"NoSuchAction","backoffIntervalSec":2,"backoffMaxDelaySec":30,"backoffMultiplier":3}"#;
    let parsed = JsonErrorBody::parse(full).unwrap();
    assert_eq!(
        parsed.action,
        Some(Action::ApplicationBug),
        "unknown actions read as ApplicationBug"
    );
    assert_eq!(parsed.backoff_max_delay_sec, Some(30));
    assert!(parsed.try_again);
    for key in [
        "message",
        "tryAgain",
        "shouldClientReset",
        "isRecoveryModeDisabled",
        "logURL",
    ] {
        let mut value: serde_json::Value = serde_json::from_slice(full).unwrap();
        value.as_object_mut().unwrap().remove(key);
        let err = JsonErrorBody::parse(&serde_json::to_vec(&value).unwrap()).unwrap_err();
        assert!(
            matches!(&err, JsonBodyError::Invalid { detail, .. } if detail.contains(key)),
            "{key}: {err}"
        );
    }
    let client =
        ClientJsonErrorBody::parse(br#"{"message":"BadChangeset: failed to parse changeset"}"#)
            .unwrap();
    assert_eq!(
        client.to_bytes().len(),
        53,
        "the spec's client JSON_ERROR example is 53 bytes"
    );
}

#[test]
fn log_message_bodies_read_like_the_client_reads_them() {
    let spec = br#"{"co_id":"6a2b4f1e9c3d5a7b8c9d0e1f","level":"info","msg":"Client connection established with server"}"#;
    let body = LogMessageBody::parse(spec).unwrap();
    assert_eq!(body.level, LogLevel::Info);
    assert_eq!(body.co_id.as_deref(), Some("6a2b4f1e9c3d5a7b8c9d0e1f"));
    assert_eq!(
        body.to_bytes(),
        spec.to_vec(),
        "101-byte example of docs/protocol.md §12"
    );
    assert_eq!(
        LogMessageBody::parse(br#"{"msg":"x"}"#).unwrap().level,
        LogLevel::Debug
    );
    assert_eq!(
        LogMessageBody::parse(br#"{"msg":"x","level":""}"#)
            .unwrap()
            .level,
        LogLevel::Debug
    );
    let err = LogMessageBody::parse(br#"{"msg":"x","level":"loud"}"#).unwrap_err();
    assert_eq!(err, JsonBodyError::UnknownLogLevel("loud".to_owned()));
    assert!(matches!(
        LogMessageBody::parse(b"not json"),
        Err(JsonBodyError::Invalid {
            body: "log_message",
            ..
        })
    ));
}
