//! IDENT, MARK, UNBOUND, errors and log messages from the server.

use super::*;
use crate::client::sync::{FileIdentity, Phase, Received, ServerRule, SyncError};
use crate::protocol::{
    ErrorCode, ErrorMessage, JsonError, JsonErrorBody, LogMessage, Mark, WireErrorCode,
};

fn rule_of(result: Result<Received, SyncError>) -> ServerRule {
    match result {
        Err(SyncError::Protocol(v)) => v.rule,
        other => panic!("expected a violation, got {other:?}"),
    }
}

fn error(code: u32, session: u64, try_again: bool) -> ServerMessage {
    over_the_wire(ServerMessage::Error(ErrorMessage {
        code: WireErrorCode::new(code).expect("code"),
        message: b"the text".to_vec(),
        try_again,
        session: SessionIdent::new(session).expect("session"),
    }))
}

#[test]
fn server_ident_gives_the_file_its_identity_once() {
    let mut client = identified();
    assert_eq!(
        client.file_ident(),
        Some(FileIdentity {
            ident: FileIdent::new(OWN_IDENT).expect("ident"),
            salt: Salt(7),
        })
    );
    assert_eq!(client.session(), Some((session(), Phase::Identified)));
    let again = ServerMessage::Ident(ServerIdent {
        session: session(),
        file_ident: FileIdent::new(3).expect("ident"),
        file_ident_salt: Salt(1),
    });
    assert_eq!(rule_of(client.handle(again)), ServerRule::ServerIdent);
}

#[test]
fn server_ident_must_have_an_ident_and_a_salt() {
    for (ident, salt) in [(0, 5), (4, 0)] {
        let mut client = awaiting_ident();
        let message = ServerMessage::Ident(ServerIdent {
            session: session(),
            file_ident: FileIdent::new(ident).expect("ident"),
            file_ident_salt: Salt(salt),
        });
        assert_eq!(rule_of(client.handle(message)), ServerRule::ServerIdent);
        assert_eq!(client.file_ident(), None);
    }
}

#[test]
fn mark_answers_must_be_for_an_outstanding_request() {
    let mut client = identified();
    let mark = |n| {
        ServerMessage::Mark(Mark {
            session: session(),
            request: RequestIdent::new(n).expect("request"),
        })
    };
    assert_eq!(rule_of(client.handle(mark(1))), ServerRule::Mark);
    client.binding.as_mut().expect("bound").mark_sent = RequestIdent::new(2).expect("2");
    assert_eq!(
        client.handle(mark(2)).expect("answer"),
        Received::Mark(RequestIdent::new(2).expect("2"))
    );
    assert_eq!(
        rule_of(client.handle(mark(2))),
        ServerRule::Mark,
        "answered twice"
    );
}

#[test]
fn unbound_only_after_unbind() {
    let mut client = identified();
    let unbound = ServerMessage::Unbound { session: session() };
    assert_eq!(rule_of(client.handle(unbound.clone())), ServerRule::Unbound);
    client.binding.as_mut().expect("bound").phase = Phase::Unbinding;
    assert_eq!(client.handle(unbound).expect("unbound"), Received::Unbound);
    assert_eq!(client.session(), None);
}

#[test]
fn a_session_error_names_the_code_and_suspends_the_binding() {
    let mut client = identified();
    match client.handle(error(204, SESSION, false)) {
        Err(SyncError::Server {
            code,
            name,
            message,
            try_again,
            action,
            session,
        }) => {
            assert_eq!((code, name, session), (204, "illegal_realm_path", SESSION));
            assert_eq!(
                (message.as_str(), try_again, action),
                ("the text", false, None)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(client.session(), Some((session(), Phase::Errored)));
}

#[test]
fn error_levels_must_match_the_session_field() {
    let mut client = identified();
    assert_eq!(
        rule_of(client.handle(error(204, 0, false))),
        ServerRule::ErrorLevel
    );
    assert_eq!(
        rule_of(client.handle(error(103, SESSION, false))),
        ServerRule::ErrorLevel
    );
    assert_eq!(
        rule_of(client.handle(error(199, 0, false))),
        ServerRule::ErrorLevel
    );
    let Err(SyncError::Server {
        code: 100,
        try_again: true,
        session: 0,
        ..
    }) = client.handle(error(100, 0, true))
    else {
        panic!("connection-level 100 is a server error");
    };
    let Err(SyncError::Server {
        code: 299,
        name: "unknown",
        ..
    }) = identified().handle(error(299, SESSION, false))
    else {
        panic!("unknown 2xx codes are accepted");
    };
}

#[test]
fn json_errors_carry_the_action() {
    let mut client = identified();
    let body = JsonErrorBody::for_code(ErrorCode::BadClientFileIdent, "who are you")
        .expect("sendable code");
    let message = over_the_wire(ServerMessage::JsonError(JsonError {
        code: ErrorCode::BadClientFileIdent.into(),
        session: session(),
        body: body.to_bytes(),
    }));
    let Err(SyncError::Server {
        code,
        action,
        message,
        ..
    }) = client.handle(message)
    else {
        panic!("a server error");
    };
    assert_eq!((code, action.as_deref()), (208, Some("ClientReset")));
    assert_eq!(message, "who are you");

    let broken = ServerMessage::JsonError(JsonError {
        code: ErrorCode::BadChangeset.into(),
        session: session(),
        body: br#"{"message":"no other keys"}"#.to_vec(),
    });
    assert_eq!(
        rule_of(identified().handle(broken)),
        ServerRule::JsonErrorBody
    );
}

#[test]
fn compensating_writes_keep_the_session_going() {
    let mut client = identified();
    let result = client.handle(error(231, SESSION, true));
    assert!(matches!(result, Err(SyncError::Server { code: 231, .. })));
    assert_eq!(client.session(), Some((session(), Phase::Identified)));
}

#[test]
fn log_messages_are_read_as_clients_read_them() {
    let mut client = identified();
    let log = |body: &[u8]| {
        ServerMessage::LogMessage(LogMessage {
            session: SessionIdent::ZERO,
            body: body.to_vec(),
        })
    };
    let Received::Log(body) = client
        .handle(log(br#"{"level":"info","msg":"hi","co_id":"abc"}"#))
        .expect("log")
    else {
        panic!("a log message");
    };
    assert_eq!(
        (body.msg.as_str(), body.co_id.as_deref()),
        ("hi", Some("abc"))
    );
    assert_eq!(
        rule_of(client.handle(log(br#"{"level":"loud"}"#))),
        ServerRule::LogMessage
    );
    assert_eq!(
        rule_of(client.handle(log(b"not json"))),
        ServerRule::LogMessage
    );
}
