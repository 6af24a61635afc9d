//! Every protocol error the sync server can raise (docs/protocol.md §9.3),
//! provoked once against a real `ros serve` on loopback. Each test checks the
//! code, its level (session ident 0 for connection-level 1xx, the session's for
//! 2xx), the form the negotiated version reads (JSON_ERROR with the code
//! table's `action` and `tryAgain` from 7, plain ERROR below 4), that no code
//! of §9.4 ever arrives, that a session-level error frees its ident after UNBIND,
//! and that the server keeps serving afterwards. Token problems are answered at
//! the upgrade (§2.4): close 4001/4002 from protocol 8, HTTP 401/403 before.
//!
//! Client messages are written as raw bytes, exactly as they travel.

use crate::support;

use std::time::{Duration, SystemTime};

use futures_util::{SinkExt, StreamExt};
use ros::protocol::{
    Download, ErrorCode, ErrorLevel, JsonErrorBody, Limits, ProtocolVersion, ServerMessage,
};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use support::sync_server::SyncServer;

/// How long any expected message may take.
const WAIT: Duration = Duration::from_secs(5);

const CHANGESETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/vectors/sessions/small/uploaded-writer-1"
);

/// A changeset a real client uploaded: 1 creates the schema, 2 objects.
fn changeset(n: u32) -> Vec<u8> {
    let text = std::fs::read_to_string(format!("{CHANGESETS}/{n}.hex")).unwrap();
    hex::decode(text.trim()).unwrap()
}

/// `com.mongodb.realm-sync<sep><max>, …, <sep>2`, as realm-core offers versions.
fn offer(sep: char, max: u32) -> String {
    let tokens: Vec<String> = (2..=max)
        .rev()
        .map(|v| format!("com.mongodb.realm-sync{sep}{v}"))
        .collect();
    tokens.join(", ")
}

// ---- client messages ---------------------------------------------------------

fn bind(session: u64, path: &str, need_ident: bool) -> Vec<u8> {
    let need = u8::from(need_ident);
    format!("bind {session} {} 0 {need} 0\n{path}", path.len()).into_bytes()
}

/// IDENT with the file's `(ident, salt)`, the download cursor `scan` (server,
/// client) and the latest server version heard of with its salt.
fn ident(session: u64, file: (u64, i64), scan: (u64, u64), latest: (u64, i64)) -> Vec<u8> {
    let (f, salt) = file;
    format!(
        "ident {session} {f} {salt} {} {} {} {}\n",
        scan.0, scan.1, latest.0, latest.1
    )
    .into_bytes()
}

fn unbind(session: u64) -> Vec<u8> {
    format!("unbind {session}\n").into_bytes()
}

/// An uncompressed UPLOAD: `progress` (client, server), `locked`, and entries
/// (client version, base server version, changeset).
fn upload(
    session: u64,
    progress: (u64, u64),
    locked: u64,
    entries: &[(u64, u64, &[u8])],
) -> Vec<u8> {
    let mut body = Vec::new();
    for (client, base, changeset) in entries {
        body.extend(format!("{client} {base} 1000 0 {} ", changeset.len()).bytes());
        body.extend_from_slice(changeset);
    }
    let (c, s) = progress;
    let mut message =
        format!("upload {session} 0 {} 0 {c} {s} {locked}\n", body.len()).into_bytes();
    message.extend(body);
    message
}

// ---- one connection ------------------------------------------------------------

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Conn {
    ws: Socket,
    version: ProtocolVersion,
    /// The download cursor's server version of the last DOWNLOAD.
    downloaded: u64,
}

/// Upgrades with `token` as `baas_at`, offering `protocols`.
async fn upgrade(server: &SyncServer, token: &str, protocols: &str) -> Result<Conn, WsError> {
    let mut request = format!("{}?baas_at={token}", server.url()).into_client_request()?;
    let offered = protocols.parse().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", offered);
    let connecting = tokio_tungstenite::connect_async(request);
    let (ws, response) = tokio::time::timeout(WAIT, connecting)
        .await
        .expect("upgrade")?;
    let chosen = response.headers()["Sec-WebSocket-Protocol"]
        .to_str()
        .unwrap();
    // Clients accept only one of their own tokens back (§2.3).
    assert!(protocols.split(", ").any(|p| p == chosen), "{chosen}");
    let number = chosen.rsplit(['#', '/']).next().unwrap().parse().unwrap();
    let version = ProtocolVersion::new(number).unwrap();
    Ok(Conn {
        ws,
        version,
        downloaded: 0,
    })
}

/// A connection as a current client makes it (versions 14 down to 2).
async fn connect(server: &SyncServer, token: &str) -> Conn {
    let conn = upgrade(server, token, &offer('#', 14)).await.unwrap();
    assert_eq!(conn.version.get(), 14);
    conn
}

/// The HTTP status and body of an upgrade the server refuses.
async fn refused(server: &SyncServer, token: &str, protocols: &str) -> (u16, String) {
    match upgrade(server, token, protocols).await {
        Err(WsError::Http(response)) => {
            let body = response.body().as_deref().unwrap_or_default();
            (
                response.status().as_u16(),
                String::from_utf8_lossy(body).into(),
            )
        }
        Err(e) => panic!("the upgrade failed without an HTTP answer: {e}"),
        Ok(_) => panic!("the upgrade with {protocols:?} was accepted"),
    }
}

/// Fails for codes a client of `version` must never get (§9.3 "never send",
/// §9.4 aborts); 203 is the token error of protocol ≤ 3 clients (§2.4).
fn assert_sendable(code: u32, version: ProtocolVersion) {
    let known = ErrorCode::from_number(code).unwrap_or_else(|| panic!("unknown code {code}"));
    let legacy_token_error = version.get() <= 3 && known == ErrorCode::BadAuthentication;
    assert!(
        legacy_token_error || known.suggestion().is_some(),
        "{known} must never be sent (docs/protocol.md §9.4)"
    );
}

impl Conn {
    async fn send(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::Binary(bytes.into())).await.unwrap();
    }

    /// The next server message (LOG_MESSAGEs skipped), parsed as a client would.
    async fn next(&mut self) -> ServerMessage {
        loop {
            let frame = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("no server message within 5 s")
                .expect("the connection ended")
                .expect("reading failed");
            let Message::Binary(bytes) = frame else {
                panic!("unexpected frame {frame:?}");
            };
            let message = ServerMessage::parse(&bytes, self.version, &Limits::DEFAULT)
                .expect("a message clients can parse");
            match &message {
                ServerMessage::Error(e) => assert_sendable(e.code.number(), self.version),
                ServerMessage::JsonError(e) => assert_sendable(e.code.number(), self.version),
                ServerMessage::LogMessage(_) => continue,
                _ => {}
            }
            return message;
        }
    }

    /// Reads up to the next error (DOWNLOADs and MARKs pass), checks its code,
    /// level and form against the code table, and returns its text.
    async fn expect_error(&mut self, code: ErrorCode, session: u64) -> String {
        let session = if code.level() == ErrorLevel::Connection {
            0
        } else {
            session
        };
        let want = code.suggestion().expect("a code our server sends");
        let expected = (u32::from(code.number()), session);
        loop {
            match self.next().await {
                ServerMessage::Download(_) | ServerMessage::Mark(_) => {}
                ServerMessage::JsonError(e) if self.version.get() >= 4 => {
                    let text = String::from_utf8_lossy(&e.body).into_owned();
                    assert_eq!((e.code.number(), e.session.get()), expected, "{text}");
                    let body = JsonErrorBody::parse(&e.body).expect(&text);
                    let action = (self.version.get() >= 7).then_some(want.action);
                    assert_eq!(
                        (body.action, body.try_again),
                        (action, want.try_again),
                        "{code}"
                    );
                    return body.message;
                }
                ServerMessage::Error(e) if self.version.get() < 4 => {
                    let text = String::from_utf8_lossy(&e.message).into_owned();
                    assert_eq!((e.code.number(), e.session.get()), expected, "{text}");
                    assert_eq!(e.try_again, want.try_again, "{code}");
                    return text;
                }
                other => panic!("expected {code} for session {session}, got {other:?}"),
            }
        }
    }

    /// The next message, which must be a DOWNLOAD for `session`.
    async fn download(&mut self, session: u64) -> Download {
        match self.next().await {
            ServerMessage::Download(d) if d.session.get() == session => {
                self.downloaded = d.download.server_version.get();
                d
            }
            other => panic!("expected a DOWNLOAD for session {session}, got {other:?}"),
        }
    }

    /// Reads DOWNLOADs until one acknowledges the upload of client version `v`.
    async fn acknowledged(&mut self, session: u64, v: u64) {
        while self.download(session).await.upload.client_version.get() < v {}
    }

    /// A new client file on `path`: BIND asking for an ident, IDENT back with
    /// empty progress, the first DOWNLOAD. Returns the ident and salt.
    async fn fresh(&mut self, session: u64, path: &str) -> (u64, i64) {
        self.send(bind(session, path, true)).await;
        let file = match self.next().await {
            ServerMessage::Ident(i) if i.session.get() == session => {
                (i.file_ident.get(), i.file_ident_salt.0)
            }
            other => panic!("expected IDENT for session {session}, got {other:?}"),
        };
        self.send(ident(session, file, (0, 0), (0, 0))).await;
        self.download(session).await;
        file
    }

    /// An existing client file binds again and downloads from the start.
    async fn resume(&mut self, session: u64, path: &str, file: (u64, i64)) {
        self.send(bind(session, path, false)).await;
        self.send(ident(session, file, (0, 0), (0, 0))).await;
        self.download(session).await;
    }

    /// Ends a session that got a session error: anything but UNBIND is
    /// ignored now (§5.1), and UNBIND is answered by nothing (no UNBOUND).
    async fn unbind_failed(&mut self, session: u64) {
        self.send(upload(session, (0, 0), 0, &[])).await;
        self.send(unbind(session)).await;
    }

    /// After a session error and UNBIND, the same ident binds a new client file.
    async fn rebind(&mut self, session: u64, path: &str) {
        self.unbind_failed(session).await;
        self.fresh(session, path).await;
    }

    /// A connection-level error was the last message: a PING gets no PONG.
    async fn assert_silent(&mut self) {
        let _ = self
            .ws
            .send(Message::Binary(b"ping 1 0\n".to_vec().into()))
            .await;
        let next = tokio::time::timeout(Duration::from_millis(500), self.ws.next()).await;
        assert!(
            !matches!(next, Ok(Some(Ok(Message::Binary(_))))),
            "{next:?}"
        );
    }

    /// The code of the Close frame that ends the connection; no message before it.
    async fn close_code(&mut self) -> u16 {
        match tokio::time::timeout(WAIT, self.ws.next())
            .await
            .expect("no close")
        {
            Some(Ok(Message::Close(Some(frame)))) => u16::from(frame.code),
            other => panic!("expected a Close frame, got {other:?}"),
        }
    }

    /// Waits until the server ends the connection without sending anything.
    async fn ended(&mut self) {
        match tokio::time::timeout(WAIT, self.ws.next())
            .await
            .expect("not closed")
        {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => {}
            Some(Ok(other)) => panic!("expected the end of the connection, got {other:?}"),
        }
    }
}

/// The server still serves: a new connection binds, identifies, downloads and
/// has an upload acknowledged.
async fn assert_serving(server: &SyncServer) {
    let mut conn = connect(server, &server.admin_token).await;
    conn.fresh(1, "/alive").await;
    conn.send(upload(1, (1, 0), 0, &[(1, 0, &changeset(1))]))
        .await;
    conn.acknowledged(1, 1).await;
}

// ---- users, through the HTTP API -------------------------------------------------

struct Http {
    base: String,
    client: reqwest::Client,
}

impl Http {
    fn of(server: &SyncServer) -> Http {
        let base = format!("http://{}", server.serving.listening.http);
        Http {
            base,
            client: reqwest::Client::new(),
        }
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        let response = request.json(&body).send().await.unwrap();
        let status = response.status();
        let answer: Value = response.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {answer:#}");
        answer
    }

    /// Registers a password user: its id and refresh token.
    async fn register(&self, name: &str) -> (String, String) {
        let body = json!({"provider": "password", "data": name,
                          "user_info": {"password": "pw", "register": true}});
        let token = &self.call("POST", "/auth", None, body).await["refresh_token"];
        let id = token["token_data"]["identity"]
            .as_str()
            .unwrap()
            .to_string();
        (id, token["token"].as_str().unwrap().to_string())
    }

    /// An access token for the Realm `path`; registers a Realm in one's home.
    async fn access_token(&self, refresh: &str, path: &str) -> String {
        let body = json!({"provider": "realm", "data": refresh, "path": path});
        let answer = self.call("POST", "/auth", None, body).await;
        answer["access_token"]["token"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// An admin access token signed with the server's own key that expired an hour ago.
fn expired_token(server: &SyncServer) -> String {
    use ros::token::{Access, Claims, Identity, TokenForm, TokenSigner};
    let key = ros::keys::PrivateKey::read(&server.site.join("keys/auth.key")).unwrap();
    let issued = SystemTime::now() - Duration::from_secs(7200);
    let claims = Claims::access(
        Identity::Admin,
        None,
        Access::ALL,
        issued,
        Duration::from_secs(60),
    );
    TokenSigner::new(key.into_key_pair())
        .sign(&claims, TokenForm::Jwt)
        .unwrap()
}

// ---- the tests ---------------------------------------------------------------------

#[tokio::test]
async fn a_stranger_binding_someone_elses_realm_gets_206() {
    let server = SyncServer::start(&[]);
    let http = Http::of(&server);
    let (alice, alice_refresh) = http.register("alice").await;
    http.access_token(&alice_refresh, "/~/tasks").await;
    let tasks = format!("/{alice}/tasks");
    let (_, bob) = http.register("bob").await;
    let bob_own = http.access_token(&bob, "/~/own").await;
    // Bob's refresh token (the rules give him nothing there), then his access
    // token for another Realm.
    for token in [&bob, &bob_own] {
        let mut conn = connect(&server, token).await;
        conn.send(bind(1, &tasks, true)).await;
        conn.expect_error(ErrorCode::PermissionDenied, 1).await;
        conn.rebind(1, "/~/own").await;
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn a_reader_binds_and_downloads_but_its_upload_gets_206() {
    let server = SyncServer::start(&[]);
    let http = Http::of(&server);
    let (alice, alice_refresh) = http.register("alice").await;
    let tasks = format!("/{alice}/tasks");
    let mut writer = connect(
        &server,
        &http.access_token(&alice_refresh, "/~/tasks").await,
    )
    .await;
    writer.fresh(1, &tasks).await;
    let (schema, objects) = (changeset(1), changeset(2));
    writer
        .send(upload(1, (2, 0), 0, &[(1, 0, &schema), (2, 0, &objects)]))
        .await;
    writer.acknowledged(1, 2).await;
    let grant = json!({"realm": tasks, "user": "bob", "may_read": true, "may_write": false});
    let (_, bob) = http.register("bob").await;
    http.call(
        "POST",
        "/api/admin/v1/permissions",
        Some(&alice_refresh),
        grant,
    )
    .await;

    let mut reader = connect(&server, &http.access_token(&bob, &tasks).await).await;
    reader.fresh(1, &tasks).await;
    while reader.downloaded < 2 {
        reader.download(1).await;
    }
    // Acknowledging downloads is no write; uploading a changeset is.
    reader.send(upload(1, (0, 0), 2, &[])).await;
    reader.send(upload(1, (3, 2), 2, &[(3, 2, &objects)])).await;
    reader.expect_error(ErrorCode::PermissionDenied, 1).await;
    reader.rebind(1, &tasks).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn an_illegal_path_is_204_in_the_form_each_version_reads() {
    let server = SyncServer::start(&[]);
    for (protocols, version) in [(offer('/', 3), 3), (offer('/', 7), 7), (offer('#', 14), 14)] {
        let mut conn = upgrade(&server, &server.admin_token, &protocols)
            .await
            .unwrap();
        assert_eq!(conn.version.get(), version);
        conn.send(bind(1, "/a/../b", true)).await;
        conn.expect_error(ErrorCode::IllegalRealmPath, 1).await;
        conn.rebind(1, "/fine").await;
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn bad_and_expired_tokens_are_close_4001_from_8_and_http_401_before() {
    let server = SyncServer::start(&[]);
    let expired = expired_token(&server);
    for token in ["", "not-a-token", expired.as_str()] {
        let mut conn = upgrade(&server, token, &offer('#', 14)).await.unwrap();
        assert_eq!(conn.close_code().await, 4001, "{token}");
        let mut conn = upgrade(&server, token, &offer('#', 8)).await.unwrap();
        assert_eq!(conn.close_code().await, 4001, "{token}");
        assert_eq!(
            refused(&server, token, &offer('/', 7)).await.0,
            401,
            "{token}"
        );
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn a_disabled_users_token_is_close_4002_from_8_and_http_403_before() {
    let server = SyncServer::start(&[]);
    let http = Http::of(&server);
    let (_, refresh) = http.register("carol").await;
    let access = http.access_token(&refresh, "/~/notes").await;
    connect(&server, &access).await.fresh(1, "/~/notes").await;
    let disable = json!({"disabled": true});
    let admin = Some(server.admin_token.as_str());
    http.call("PATCH", "/api/admin/v1/users/carol", admin, disable)
        .await;
    for token in [&refresh, &access] {
        let mut conn = upgrade(&server, token, &offer('#', 14)).await.unwrap();
        assert_eq!(conn.close_code().await, 4002);
        assert_eq!(refused(&server, token, &offer('/', 7)).await.0, 403);
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn unsupported_protocols_are_http_400() {
    let server = SyncServer::start(&[]);
    let token = &server.admin_token;
    let (status, body) = refused(&server, token, "io.realm.sync.22").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("2-14") && body.contains("com.mongodb.realm-sync#"),
        "{body}"
    );
    for (protocols, says) in [
        ("com.mongodb.realm-sync/1", "CLIENT_TOO_OLD"),
        ("com.mongodb.realm-sync#15", "CLIENT_TOO_NEW"),
        ("com.mongodb.realm-query-sync#14", "Missing"),
        ("com.mongodb.realm-sync#x", "Malformed"),
    ] {
        let (status, body) = refused(&server, token, protocols).await;
        assert_eq!(status, 400, "{protocols}");
        assert!(body.contains(says), "{protocols}: {body}");
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn ident_refusals_are_208_209_210_211() {
    let server = SyncServer::start(&[]);
    let mut conn = connect(&server, &server.admin_token).await;
    let (file, salt) = conn.fresh(1, "/idents").await;
    conn.send(unbind(1)).await;
    assert!(matches!(conn.next().await, ServerMessage::Unbound { .. }));
    let refused = [
        (
            ErrorCode::DivergingHistories,
            ident(1, (file, salt ^ 1), (0, 0), (0, 0)),
        ),
        (
            ErrorCode::BadClientFileIdent,
            ident(1, (file + 100, salt), (0, 0), (0, 0)),
        ),
        // The latest server version it heard of is one this Realm never had.
        (
            ErrorCode::BadServerVersion,
            ident(1, (file, salt), (0, 0), (5, 0)),
        ),
        // Its download cursor names a client version never uploaded.
        (
            ErrorCode::BadClientVersion,
            ident(1, (file, salt), (0, 1), (0, 0)),
        ),
    ];
    for (code, message) in refused {
        conn.send(bind(1, "/idents", false)).await;
        conn.send(message).await;
        conn.expect_error(code, 1).await;
        conn.unbind_failed(1).await;
    }
    conn.resume(1, "/idents", (file, salt)).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn bad_upload_cursors_are_209_and_210() {
    let server = SyncServer::start(&[]);
    let mut conn = connect(&server, &server.admin_token).await;
    let file = conn.fresh(1, "/cursors").await;
    let (schema, objects) = (changeset(1), changeset(2));
    conn.send(upload(1, (1, 0), 0, &[(1, 0, &schema)])).await;
    conn.acknowledged(1, 1).await;
    // Each row of §7.1, on a binding whose download cursor is server version 1.
    let refused = [
        // 1: the progress goes back within the binding.
        (ErrorCode::BadClientVersion, upload(1, (0, 0), 0, &[])),
        // 2: the progress names a server version this binding never downloaded.
        (ErrorCode::BadServerVersion, upload(1, (2, 5), 0, &[])),
        // 7: the locked version is past the download cursor.
        (ErrorCode::BadServerVersion, upload(1, (1, 0), 4, &[])),
        // 8: entries out of order.
        (
            ErrorCode::BadClientVersion,
            upload(1, (3, 1), 1, &[(3, 1, &objects), (2, 1, &objects)]),
        ),
    ];
    for (code, message) in refused {
        conn.send(message).await;
        conn.expect_error(code, 1).await;
        conn.unbind_failed(1).await;
        conn.resume(1, "/cursors", file).await;
    }
    conn.send(upload(1, (2, 1), 1, &[(2, 1, &objects)])).await;
    conn.acknowledged(1, 2).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn malformed_messages_are_102_103_110_111_112() {
    let server = SyncServer::start(&[]);
    let raw_upload = |compressed: u8, body: &[u8]| {
        let mut m = format!("upload 1 {compressed} {} 0 0 0 0\n", body.len()).into_bytes();
        m.extend_from_slice(body);
        m
    };
    let cases = [
        (b"alloc 1 2\n".to_vec(), ErrorCode::UnknownMessage),
        (b"frobnicate 1\n".to_vec(), ErrorCode::UnknownMessage),
        (b"bind\n".to_vec(), ErrorCode::BadSyntax),
        (b"bind 1 x 0 1 0\n".to_vec(), ErrorCode::BadSyntax),
        (
            b"upload 1 1 10 4 0 0 0\nabcd".to_vec(),
            ErrorCode::BadDecompression,
        ),
        (
            raw_upload(0, b"1 x 0 0 2 ab"),
            ErrorCode::BadChangesetHeaderSyntax,
        ),
        (raw_upload(0, b"1 0 0 0 99 ab"), ErrorCode::BadChangesetSize),
    ];
    for (bytes, code) in cases {
        let mut conn = connect(&server, &server.admin_token).await;
        conn.send(bytes).await;
        conn.expect_error(code, 0).await;
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn a_changeset_that_does_not_parse_is_212() {
    let server = SyncServer::start(&[]);
    let mut conn = connect(&server, &server.admin_token).await;
    let file = conn.fresh(1, "/broken").await;
    conn.send(upload(1, (1, 0), 0, &[(1, 0, b"\xff\xff\xff\xff")]))
        .await;
    conn.expect_error(ErrorCode::BadChangeset, 1).await;
    // Nothing of it was stored: the same client version goes through now.
    conn.unbind_failed(1).await;
    conn.resume(1, "/broken", file).await;
    conn.send(upload(1, (1, 0), 0, &[(1, 0, &changeset(1))]))
        .await;
    conn.acknowledged(1, 1).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn one_client_file_in_two_sessions_of_a_connection_is_108() {
    let server = SyncServer::start(&[]);
    let mut conn = connect(&server, &server.admin_token).await;
    let file = conn.fresh(1, "/twice").await;
    conn.send(bind(2, "/twice", false)).await;
    conn.send(ident(2, file, (0, 0), (0, 0))).await;
    conn.expect_error(ErrorCode::BoundInOtherSession, 0).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn binding_a_client_file_from_a_second_connection_closes_the_first() {
    let server = SyncServer::start(&[]);
    let mut first = connect(&server, &server.admin_token).await;
    let file = first.fresh(1, "/moved").await;
    let mut second = connect(&server, &server.admin_token).await;
    second.resume(1, "/moved", file).await;
    first.ended().await;
    second
        .send(upload(1, (1, 0), 0, &[(1, 0, &changeset(1))]))
        .await;
    second.acknowledged(1, 1).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn session_ident_errors_are_106_and_107() {
    let server = SyncServer::start(&[]);
    let mut conn = connect(&server, &server.admin_token).await;
    conn.fresh(1, "/live").await;
    conn.send(bind(1, "/live", true)).await;
    conn.expect_error(ErrorCode::ReuseOfSessionIdent, 0).await;
    conn.assert_silent().await;
    for message in [
        ident(7, (2, 1), (0, 0), (0, 0)),
        upload(7, (0, 0), 0, &[]),
        unbind(7),
    ] {
        let mut conn = connect(&server, &server.admin_token).await;
        conn.send(message).await;
        conn.expect_error(ErrorCode::BadSessionIdent, 0).await;
    }
    assert_serving(&server).await;
}

#[tokio::test]
async fn messages_out_of_order_are_109() {
    let server = SyncServer::start(&[]);
    // A second IDENT in one binding.
    let mut conn = connect(&server, &server.admin_token).await;
    let file = conn.fresh(1, "/order").await;
    conn.send(ident(1, file, (0, 0), (0, 0))).await;
    conn.expect_error(ErrorCode::BadMessageOrder, 0).await;
    // UPLOAD before IDENT.
    let mut conn = connect(&server, &server.admin_token).await;
    conn.send(bind(1, "/order", false)).await;
    conn.send(upload(1, (0, 0), 0, &[])).await;
    conn.expect_error(ErrorCode::BadMessageOrder, 0).await;
    // Anything but BIND after UNBIND.
    let mut conn = connect(&server, &server.admin_token).await;
    conn.fresh(1, "/order").await;
    conn.send(unbind(1)).await;
    assert!(matches!(conn.next().await, ServerMessage::Unbound { .. }));
    conn.send(upload(1, (0, 0), 0, &[])).await;
    conn.expect_error(ErrorCode::BadMessageOrder, 0).await;
    assert_serving(&server).await;
}

#[tokio::test]
async fn an_upload_backlog_past_the_limit_is_100_with_try_again() {
    let server = SyncServer::start(&[("ROS_SYNC__MAX_UPLOAD_BACKLOG", "1000")]);
    let mut conn = connect(&server, &server.admin_token).await;
    conn.fresh(1, "/busy").await;
    let schema = changeset(1);
    assert!(4 * schema.len() > 1000 && schema.len() < 1000);
    let entries: Vec<(u64, u64, &[u8])> = (1..=4).map(|v| (v, 0, schema.as_slice())).collect();
    conn.send(upload(1, (4, 0), 0, &entries)).await;
    let why = conn.expect_error(ErrorCode::ConnectionClosed, 0).await;
    assert!(why.contains("try again"), "{why}");
    // Integrated uploads leave the backlog: four in a row exceed it together.
    for _ in 0..4 {
        assert_serving(&server).await;
    }
}

#[tokio::test]
async fn a_protocol_3_bind_token_that_fails_is_203() {
    let server = SyncServer::start(&[]);
    let mut conn = upgrade(&server, "", &offer('/', 3)).await.unwrap();
    let with_token = |token: &str| format!("bind 1 2 {} 1 0\n/x{token}", token.len()).into_bytes();
    conn.send(with_token("not-a-token")).await;
    match conn.next().await {
        ServerMessage::Error(e) => {
            assert_eq!(
                (e.code.number(), e.session.get(), e.try_again),
                (203, 1, false)
            );
        }
        other => panic!("expected ERROR 203, got {other:?}"),
    }
    conn.unbind_failed(1).await;
    conn.send(with_token(&server.admin_token)).await;
    assert!(matches!(conn.next().await, ServerMessage::Ident(_)));
    assert_serving(&server).await;
}
