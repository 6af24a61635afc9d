//! A complete sync flow through every way into `ros serve`: the proxy over HTTP
//! and over HTTPS, the sync listener, a `network.url_prefix`, a custom
//! `network.authorization_header_name`, the SDKs' app route and the legacy
//! `/realm-sync/%2F…` route (`docs/protocol.md` §2). Then what surrounds a
//! connection: `sync.max_connections`, `sync.max_protocol_version`, and SIGTERM
//! with clients connected (ERROR 100 with tryAgain, exit 0, history kept).
//!
//! The flow (one helper, [`complete_flow`]): clients A and B bind the same Realm
//! asking for a client file ident and send IDENT; A uploads the captured schema
//! changeset and a second changeset; A's DOWNLOADs acknowledge them without
//! carrying them back; B's DOWNLOADs carry both, with A's file ident as origin,
//! before B's MARK is answered; PING gets PONG with the same timestamp.

use crate::support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use nix::sys::signal::Signal;
use ros::changeset::{decode, encode};
use ros::protocol::{
    Bind, BindPath, ClientIdent, ClientMessage, ClientVersion, Compression, DownloadCursor,
    DownloadEntry, FileIdent, JsonErrorBody, Limits, Mark, Millis, OriginTimestamp, Ping,
    ProtocolVersion, RequestIdent, Salt, SaltedVersion, ServerMessage, ServerVersion, SessionIdent,
    SignedToken, Upload, UploadCursor, UploadEntry,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Response;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use support::sync_server::SyncServer;
use support::tls;

const WRITER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/vectors/sessions/small/uploaded-writer-1"
);

/// How long any single wait on the server may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// The client side: one WebSocket, protocol messages in and out.

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

type Socket = WebSocketStream<Box<dyn Io>>;

/// Where the access token travels (§2.2).
#[derive(Clone, Copy, Debug)]
enum TokenPlace {
    /// `?baas_at=<token>`, raw, as current SDKs send it.
    Query,
    /// `<header>: Bearer <token>`, no `baas_at`.
    Header(&'static str),
}

/// One way in: an address, a request path, where the token goes, and TLS.
#[derive(Clone)]
struct Entry {
    addr: SocketAddr,
    path: String,
    token: String,
    place: TokenPlace,
    /// Trust for `wss:` (the test CA); `None` for `ws:`.
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl Entry {
    fn new(addr: SocketAddr, path: &str, token: &str) -> Entry {
        Entry {
            addr,
            path: path.to_string(),
            token: token.to_string(),
            place: TokenPlace::Query,
            tls: None,
        }
    }

    fn with_place(mut self, place: TokenPlace) -> Entry {
        self.place = place;
        self
    }

    fn with_tls(mut self, ca_pem: &str) -> Entry {
        self.tls = Some(client_tls(ca_pem));
        self
    }

    fn url(&self) -> String {
        let (scheme, host) = match self.tls {
            // The test certificate is for `localhost`; SNI and verification use it.
            Some(_) => ("wss", "localhost".to_string()),
            None => ("ws", self.addr.ip().to_string()),
        };
        let mut url = format!("{scheme}://{host}:{}{}", self.addr.port(), self.path);
        if let TokenPlace::Query = self.place {
            let sep = if url.contains('?') { '&' } else { '?' };
            url = format!("{url}{sep}baas_at={}", self.token);
        }
        url
    }
}

/// A rustls client that trusts only the test CA.
fn client_tls(ca_pem: &str) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
        .unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// Every version a current client offers, newest first (§2.1, §2.3).
fn offered() -> String {
    (2..=14)
        .rev()
        .map(|v| format!("com.mongodb.realm-sync#{v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// TCP (and TLS), then the WebSocket upgrade as realm-core sends it.
async fn upgrade(entry: &Entry) -> Result<(Socket, Response), WsError> {
    let tcp = TcpStream::connect(entry.addr).await?;
    tcp.set_nodelay(true)?;
    let stream: Box<dyn Io> = match &entry.tls {
        None => Box::new(tcp),
        Some(config) => {
            let connector = tokio_rustls::TlsConnector::from(Arc::clone(config));
            let name = ServerName::try_from("localhost").unwrap();
            Box::new(connector.connect(name, tcp).await?)
        }
    };
    let mut request = entry.url().into_client_request()?;
    let headers = request.headers_mut();
    headers.insert("Sec-WebSocket-Protocol", offered().parse().unwrap());
    if let TokenPlace::Header(name) = entry.place {
        headers.insert(name, format!("Bearer {}", entry.token).parse().unwrap());
    }
    tokio::time::timeout(PATIENCE, tokio_tungstenite::client_async(request, stream))
        .await
        .map_err(|_| WsError::Io(std::io::ErrorKind::TimedOut.into()))?
}

/// The HTTP status an upgrade was refused with.
fn refused_status(result: Result<(Socket, Response), WsError>) -> u16 {
    match result {
        Err(WsError::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("the upgrade failed without an HTTP answer: {e}"),
        Ok((_, response)) => panic!("the upgrade succeeded: {response:?}"),
    }
}

/// One connection with one session (ident 1), and what its client remembers.
struct Peer {
    name: &'static str,
    socket: Socket,
    version: ProtocolVersion,
    session: SessionIdent,
    file: Option<(FileIdent, Salt)>,
    download: DownloadCursor,
    latest: SaltedVersion,
    /// `upload_client_version` of the latest DOWNLOAD.
    acknowledged: u64,
    downloads: usize,
    changesets: Vec<DownloadEntry>,
    marks: Vec<u64>,
    pongs: Vec<i64>,
}

impl Peer {
    async fn connect(name: &'static str, entry: &Entry) -> Peer {
        Peer::try_connect(name, entry)
            .await
            .unwrap_or_else(|e| panic!("{name}: upgrade at {} failed: {e}", entry.url()))
    }

    async fn try_connect(name: &'static str, entry: &Entry) -> Result<Peer, WsError> {
        let (socket, response) = upgrade(entry).await?;
        let chosen = response
            .headers()
            .get("Sec-WebSocket-Protocol")
            .unwrap_or_else(|| panic!("{name}: no Sec-WebSocket-Protocol in the 101"))
            .to_str()
            .unwrap();
        let version = ProtocolVersion::from_pbs_subprotocol(chosen)
            .unwrap_or_else(|| panic!("{name}: negotiated {chosen:?}"));
        assert!(
            chosen.starts_with("com.mongodb.realm-sync#"),
            "{name}: {chosen}"
        );
        Ok(Peer {
            name,
            socket,
            version,
            session: SessionIdent::new(1).unwrap(),
            file: None,
            download: DownloadCursor::default(),
            latest: SaltedVersion::default(),
            acknowledged: 0,
            downloads: 0,
            changesets: Vec::new(),
            marks: Vec::new(),
            pongs: Vec::new(),
        })
    }

    async fn send(&mut self, message: ClientMessage) {
        let bytes = message.to_bytes(self.version).unwrap();
        self.socket
            .send(Message::Binary(bytes.into()))
            .await
            .unwrap_or_else(|e| panic!("{}: send failed: {e}", self.name));
    }

    /// The next server message (LOG_MESSAGEs skipped), with what a client
    /// records of it; panics on a timeout or a closed connection.
    async fn recv(&mut self) -> ServerMessage {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .unwrap_or_else(|_| {
                    panic!("{}: nothing from the server in {PATIENCE:?}", self.name)
                })
                .unwrap_or_else(|| panic!("{}: the connection ended", self.name))
                .unwrap_or_else(|e| panic!("{}: read failed: {e}", self.name));
            let bytes = match frame {
                Message::Binary(b) => b,
                Message::Close(c) => panic!("{}: closed by the server: {c:?}", self.name),
                _ => continue,
            };
            let message = ServerMessage::parse(&bytes, self.version, &Limits::DEFAULT)
                .unwrap_or_else(|e| panic!("{}: unparsable server message: {e}", self.name));
            match &message {
                ServerMessage::LogMessage(_) => continue,
                ServerMessage::Ident(i) => {
                    assert_eq!(i.session, self.session, "{}", self.name);
                    assert_ne!(i.file_ident_salt.0, 0, "{}: salt", self.name);
                    self.file = Some((i.file_ident, i.file_ident_salt));
                }
                ServerMessage::Download(d) => {
                    assert_eq!(d.session, self.session, "{}", self.name);
                    // The client's own DOWNLOAD checks (§8.3), the ones this flow can break.
                    let n = self.name;
                    assert!(
                        d.latest.version >= self.latest.version,
                        "{n}: latest went back"
                    );
                    assert!(
                        d.download.server_version >= self.download.server_version,
                        "{n}"
                    );
                    assert!(d.download.server_version <= d.latest.version, "{n}");
                    assert!(d.upload.client_version.get() >= self.acknowledged, "{n}");
                    let mut previous = self.download.server_version;
                    for e in &d.changesets {
                        assert!(
                            e.server_version > previous
                                && e.server_version <= d.download.server_version,
                            "{n}: changeset at server version {} out of order",
                            e.server_version
                        );
                        assert_ne!(
                            Some(e.origin_file_ident),
                            self.file.map(|f| f.0),
                            "{n}: got its own changeset back"
                        );
                        previous = e.server_version;
                    }
                    self.download = d.download;
                    self.latest = d.latest;
                    self.acknowledged = d.upload.client_version.get();
                    self.downloads += 1;
                    self.changesets.extend(d.changesets.iter().cloned());
                }
                ServerMessage::Mark(m) => self.marks.push(m.request.get()),
                ServerMessage::Pong { timestamp } => self.pongs.push(timestamp.0),
                ServerMessage::Error(e) if e.session == SessionIdent::ZERO => {}
                ServerMessage::JsonError(e) if e.session == SessionIdent::ZERO => {}
                ServerMessage::Error(e) => panic!(
                    "{}: ERROR {} {}",
                    self.name,
                    e.code.number(),
                    String::from_utf8_lossy(&e.message)
                ),
                ServerMessage::JsonError(e) => panic!(
                    "{}: JSON_ERROR {} {}",
                    self.name,
                    e.code.number(),
                    String::from_utf8_lossy(&e.body)
                ),
                other => panic!("{}: unexpected {:?}", self.name, other.kind()),
            }
            return message;
        }
    }

    /// Reads until `done`; connection-level errors fail the test.
    async fn until(&mut self, what: &str, done: impl Fn(&Peer) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < PATIENCE,
                "{}: waiting for {what}",
                self.name
            );
            if let ServerMessage::Error(_) | ServerMessage::JsonError(_) = self.recv().await {
                panic!("{}: connection error while waiting for {what}", self.name);
            }
        }
    }

    /// BIND asking for a client file ident, the server's IDENT, our IDENT from
    /// scratch, and the first DOWNLOAD.
    async fn bind_new(&mut self, realm: &str) {
        self.send(ClientMessage::Bind(Bind {
            session: self.session,
            path: BindPath::new(realm.as_bytes().to_vec()).unwrap(),
            token: SignedToken::new(Vec::new()).unwrap(),
            need_client_file_ident: true,
            is_subserver: false,
        }))
        .await;
        self.until("IDENT", |p| p.file.is_some()).await;
        let (file_ident, salt) = self.file.unwrap();
        self.ident(
            file_ident,
            salt,
            DownloadCursor::default(),
            SaltedVersion::default(),
        )
        .await;
    }

    /// IDENT for a known client file, then the first DOWNLOAD of the binding.
    async fn ident(
        &mut self,
        file_ident: FileIdent,
        salt: Salt,
        scan: DownloadCursor,
        latest: SaltedVersion,
    ) {
        self.file = Some((file_ident, salt));
        self.download = scan;
        self.latest = latest;
        self.send(ClientMessage::Ident(ClientIdent {
            session: self.session,
            file_ident,
            file_ident_salt: salt,
            scan,
            latest,
        }))
        .await;
        let before = self.downloads;
        self.until("the first DOWNLOAD", |p| p.downloads > before)
            .await;
    }

    async fn upload(&mut self, client_version: u64, changeset: &[u8]) {
        self.send(ClientMessage::Upload(Upload {
            session: self.session,
            compression: Compression::Plain,
            progress: UploadCursor {
                client_version: ClientVersion::new(client_version).unwrap(),
                last_integrated_server_version: ServerVersion::ZERO,
            },
            locked_server_version: ServerVersion::ZERO,
            changesets: vec![UploadEntry {
                client_version: ClientVersion::new(client_version).unwrap(),
                last_integrated_server_version: ServerVersion::ZERO,
                origin_timestamp: OriginTimestamp::new(375_374_136_337 + client_version).unwrap(),
                // 0: the uploading client itself, as realm-core sends it.
                origin_file_ident: FileIdent::ZERO,
                changeset: changeset.to_vec(),
            }],
        }))
        .await;
    }

    async fn mark(&mut self, request: u64) {
        self.send(ClientMessage::Mark(Mark {
            session: self.session,
            request: RequestIdent::new(request).unwrap(),
        }))
        .await;
    }

    async fn ping(&mut self, timestamp: i64) {
        self.send(ClientMessage::Ping(Ping {
            timestamp: Millis(timestamp),
            rtt: Millis(0),
        }))
        .await;
    }

    /// Reads until a connection-level ERROR or JSON_ERROR and returns its
    /// code and try-again flag.
    async fn connection_error(&mut self) -> (u32, bool) {
        let start = Instant::now();
        loop {
            assert!(
                start.elapsed() < PATIENCE,
                "{}: no connection error",
                self.name
            );
            match self.recv().await {
                ServerMessage::Error(e) => return (e.code.number(), e.try_again),
                ServerMessage::JsonError(e) => {
                    let body = JsonErrorBody::parse(&e.body)
                        .unwrap_or_else(|err| panic!("{}: JSON_ERROR body: {err}", self.name));
                    return (e.code.number(), body.try_again);
                }
                _ => {}
            }
        }
    }
}

fn changeset(n: u32) -> Vec<u8> {
    let path = format!("{WRITER}/{n}.hex");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    hex::decode(text.trim()).unwrap()
}

/// What a complete flow leaves behind, for tests that go on from there.
struct Flow {
    a: Peer,
    b: Peer,
    /// The negotiated protocol version.
    version: u8,
    /// A's client file.
    a_file: (FileIdent, Salt),
    /// The server versions of A's two changesets.
    versions: Vec<ServerVersion>,
    /// The history's latest server version and its salt.
    latest: SaltedVersion,
}

/// The complete flow of the module doc, on one Realm, through `entry`.
async fn complete_flow(entry: &Entry, realm: &str) -> Flow {
    let uploads = [changeset(1), changeset(2)];
    let mut a = Peer::connect("A", entry).await;
    let mut b = Peer::connect("B", entry).await;
    assert_eq!(a.version, b.version);
    a.bind_new(realm).await;
    b.bind_new(realm).await;
    let a_file = a.file.unwrap();
    let b_file = b.file.unwrap();
    assert_ne!(a_file.0, b_file.0, "two clients got the same file ident");
    for p in [&a, &b] {
        assert!(
            p.changesets.is_empty(),
            "{}: a fresh Realm has history",
            p.name
        );
    }

    a.ping(4242).await;
    a.upload(1, &uploads[0]).await;
    a.upload(2, &uploads[1]).await;
    a.until("both uploads acknowledged", |p| p.acknowledged >= 2)
        .await;
    assert_eq!(a.acknowledged, 2, "A: upload_client_version");
    assert!(
        a.changesets.is_empty(),
        "A: the acknowledging DOWNLOADs carry no changesets"
    );
    a.until("PONG", |p| !p.pongs.is_empty()).await;
    assert_eq!(a.pongs, [4242], "A: PONG echoes the PING's timestamp");
    let latest = a.latest;
    assert_eq!(latest.version.get(), 2, "A: latest {latest:?}");
    assert_ne!(latest.salt.0, 0, "A: the latest server version has a salt");

    // B asks for a MARK once everything exists: it must come after both changesets.
    b.mark(7).await;
    b.ping(-17).await;
    b.until("MARK", |p| !p.marks.is_empty()).await;
    assert_eq!(b.marks, [7]);
    assert_eq!(
        b.changesets.len(),
        2,
        "B: both changesets before the MARK answer"
    );
    for (entry, uploaded) in b.changesets.iter().zip(&uploads) {
        assert_eq!(entry.origin_file_ident, a_file.0, "B: origin is A's file");
        let got = decode(&entry.changeset).expect("B: a downloaded changeset decodes");
        let sent = decode(uploaded).unwrap();
        assert_eq!(got, sent, "B: the instructions A uploaded");
        // Stored and sent in realm-core's server layout (strings first).
        assert_eq!(
            entry.changeset,
            encode(&sent),
            "B: realm-core's server encoding"
        );
        assert_eq!(
            entry.original_changeset_size.get(),
            entry.changeset.len() as u64
        );
    }
    assert_eq!(
        b.download.server_version, latest.version,
        "B: downloaded all"
    );
    assert_eq!(b.latest, latest, "B: the same latest version and salt as A");
    b.until("PONG", |p| !p.pongs.is_empty()).await;
    assert_eq!(b.pongs, [-17], "B: PONG echoes the PING's timestamp");

    let versions: Vec<ServerVersion> = b.changesets.iter().map(|e| e.server_version).collect();
    assert_eq!(
        versions.iter().map(|v| v.get()).collect::<Vec<_>>(),
        [1, 2],
        "one server version per integrated changeset"
    );
    let version = a.version.get();
    Flow {
        a,
        b,
        version,
        a_file,
        versions,
        latest,
    }
}

/// A Realm name per test, so that nothing depends on another test's Realm.
fn realm(name: &str) -> String {
    format!("/sync-routes-{name}")
}

fn proxy(server: &SyncServer) -> SocketAddr {
    server
        .serving
        .listening
        .proxy_http
        .expect("the HTTP proxy is on by default")
}

// ---------------------------------------------------------------------------
// Every way in.

#[tokio::test]
async fn through_the_http_proxy() {
    let server = SyncServer::start(&[]);
    let entry = Entry::new(proxy(&server), "/realm-sync", &server.admin_token);
    let flow = complete_flow(&entry, &realm("proxy")).await;
    assert_eq!(flow.version, 14);
}

#[tokio::test]
async fn through_the_https_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let tls = tls::ca_signed(dir.path());
    let cert = tls.cert_path.to_str().unwrap();
    let key = tls.key_path.to_str().unwrap();
    let server = SyncServer::start(&[
        ("ROS_PROXY__HTTPS__ENABLE", "true"),
        ("ROS_PROXY__HTTPS__LISTEN_ADDRESS", "127.0.0.1"),
        ("ROS_PROXY__HTTPS__LISTEN_PORT", "0"),
        ("ROS_PROXY__HTTPS__CERTIFICATE_PATH", cert),
        ("ROS_PROXY__HTTPS__PRIVATE_KEY_PATH", key),
    ]);
    let https = server
        .serving
        .listening
        .proxy_https
        .expect("the HTTPS proxy is enabled");
    let entry = Entry::new(https, "/realm-sync", &server.admin_token).with_tls(&tls.ca_pem);
    complete_flow(&entry, &realm("https")).await;
    // A client that does not trust the test CA does not get in.
    let stranger = Entry::new(https, "/realm-sync", &server.admin_token)
        .with_tls(&tls::ca_signed(&dir.path().join("other")).ca_pem);
    assert!(upgrade(&stranger).await.is_err());
}

#[tokio::test]
async fn through_the_sync_listener() {
    let server = SyncServer::start(&[]);
    let entry = Entry::new(
        server.serving.listening.sync,
        "/realm-sync",
        &server.admin_token,
    );
    complete_flow(&entry, &realm("listener")).await;
}

#[tokio::test]
async fn under_a_url_prefix_only() {
    let server = SyncServer::start(&[("ROS_NETWORK__URL_PREFIX", "/sync-prefix")]);
    let at = &server.serving.listening;
    for addr in [at.sync, proxy(&server)] {
        let entry = Entry::new(addr, "/sync-prefix/realm-sync", &server.admin_token);
        complete_flow(&entry, &realm(&format!("prefix-{}", addr.port()))).await;
        for path in [
            "/realm-sync",
            "/realm-sync/%2Fdefault",
            "/api/client/v2.0/app/my-app/realm-sync",
        ] {
            let bare = Entry::new(addr, path, &server.admin_token);
            assert_eq!(
                refused_status(upgrade(&bare).await),
                404,
                "{path} without the prefix on {addr}"
            );
        }
    }
}

#[tokio::test]
async fn token_in_a_custom_authorization_header() {
    let server = SyncServer::start(&[("ROS_NETWORK__AUTHORIZATION_HEADER_NAME", "x-realm-auth")]);
    let entry = Entry::new(proxy(&server), "/realm-sync", &server.admin_token)
        .with_place(TokenPlace::Header("x-realm-auth"));
    assert!(!entry.url().contains("baas_at"));
    complete_flow(&entry, &realm("header")).await;
    // The configured header is an extra one: `Authorization` still works.
    let standard = entry
        .clone()
        .with_place(TokenPlace::Header("authorization"));
    let mut peer = Peer::connect("Authorization", &standard).await;
    peer.bind_new(&realm("header")).await;
    // The same token in some other header is no token: 4001 after the upgrade.
    let elsewhere = entry.clone().with_place(TokenPlace::Header("x-other"));
    let (mut socket, _) = upgrade(&elsewhere).await.unwrap();
    let close = tokio::time::timeout(PATIENCE, socket.next()).await.unwrap();
    match close {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 4001),
        other => panic!("expected Close 4001, got {other:?}"),
    }
}

#[tokio::test]
async fn on_the_app_route() {
    let server = SyncServer::start(&[]);
    let path = "/api/client/v2.0/app/my-app-abcde/realm-sync";
    for addr in [proxy(&server), server.serving.listening.sync] {
        let entry = Entry::new(addr, path, &server.admin_token);
        complete_flow(&entry, &realm(&format!("app-{}", addr.port()))).await;
    }
}

#[tokio::test]
async fn on_the_legacy_encoded_path_route() {
    let server = SyncServer::start(&[]);
    let name = realm("legacy");
    let path = format!("/realm-sync/%2F{}", name.trim_start_matches('/'));
    for addr in [proxy(&server), server.serving.listening.sync] {
        let entry = Entry::new(addr, &path, &server.admin_token);
        complete_flow(&entry, &format!("{name}-{}", addr.port())).await;
    }
}

// ---------------------------------------------------------------------------
// Around the connections.

#[tokio::test]
async fn max_connections_refuses_with_503_and_a_closed_connection_frees_its_slot() {
    let server = SyncServer::start(&[("ROS_SYNC__MAX_CONNECTIONS", "2")]);
    let entry = Entry::new(
        server.serving.listening.sync,
        "/realm-sync",
        &server.admin_token,
    );
    let mut first = Peer::connect("first", &entry).await;
    let mut second = Peer::connect("second", &entry).await;
    assert_eq!(refused_status(upgrade(&entry).await), 503);
    // The limit counts the sync service, not one listener.
    let through_proxy = Entry {
        addr: proxy(&server),
        ..entry.clone()
    };
    assert_eq!(refused_status(upgrade(&through_proxy).await), 503);
    // The two admitted connections still work.
    first.ping(1).await;
    first.until("PONG", |p| !p.pongs.is_empty()).await;
    second.bind_new(&realm("limit")).await;

    first.socket.close(None).await.unwrap();
    drop(first);
    let start = Instant::now();
    let mut third = loop {
        match Peer::try_connect("third", &entry).await {
            Ok(peer) => break peer,
            Err(WsError::Http(r)) if r.status() == 503 => {
                assert!(
                    start.elapsed() < Duration::from_secs(5),
                    "the closed connection's slot was not freed"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => panic!("{e}"),
        }
    };
    // Full again.
    assert_eq!(refused_status(upgrade(&entry).await), 503);
    third.bind_new(&realm("limit")).await;
}

#[tokio::test]
async fn max_protocol_version_13_is_negotiated() {
    let server = SyncServer::start(&[("ROS_SYNC__MAX_PROTOCOL_VERSION", "13")]);
    let entry = Entry::new(proxy(&server), "/realm-sync", &server.admin_token);
    let (_, response) = upgrade(&entry).await.unwrap();
    assert_eq!(
        response.headers()["Sec-WebSocket-Protocol"],
        "com.mongodb.realm-sync#13"
    );
    let flow = complete_flow(&entry, &realm("v13")).await;
    assert_eq!(flow.version, 13);
}

#[tokio::test]
async fn sigterm_tells_clients_to_retry_exits_0_and_keeps_the_history() {
    let mut server = SyncServer::start(&[]);
    let entry = Entry::new(
        server.serving.listening.sync,
        "/realm-sync",
        &server.admin_token,
    );
    let name = realm("restart");
    let Flow {
        mut a,
        mut b,
        a_file,
        versions,
        latest,
        ..
    } = complete_flow(&entry, &name).await;
    let before: Vec<(ServerVersion, FileIdent, Vec<u8>)> = b
        .changesets
        .iter()
        .map(|e| (e.server_version, e.origin_file_ident, e.changeset.clone()))
        .collect();
    let a_download = a.download;

    let signalled = Instant::now();
    server.serving.signal(Signal::SIGTERM);
    for peer in [&mut a, &mut b] {
        let (code, try_again) = peer.connection_error().await;
        assert_eq!(code, 100, "{}: connection_closed", peer.name);
        assert!(try_again, "{}: tryAgain", peer.name);
    }
    // The clients hang up, as realm-core's do after a connection-level error.
    drop(a);
    drop(b);
    let status = loop {
        if let Some(status) = server.serving.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(4),
            "ros serve still running {:?} after SIGTERM",
            signalled.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "exit status after SIGTERM: {status:?}");

    // Restarted on the same site, a new client gets the same history.
    server.serving = SyncServer::serve(&server.site, &[]);
    let entry = Entry::new(
        server.serving.listening.sync,
        "/realm-sync",
        &server.admin_token,
    );
    let mut c = Peer::connect("C", &entry).await;
    c.bind_new(&name).await;
    assert_ne!(
        c.file.unwrap().0,
        a_file.0,
        "C: A's file ident handed out again"
    );
    c.mark(1).await;
    c.until("MARK", |p| !p.marks.is_empty()).await;
    let after: Vec<(ServerVersion, FileIdent, Vec<u8>)> = c
        .changesets
        .iter()
        .map(|e| (e.server_version, e.origin_file_ident, e.changeset.clone()))
        .collect();
    assert_eq!(after, before, "the history after the restart");
    assert_eq!(after.iter().map(|e| e.0).collect::<Vec<_>>(), versions);
    assert_eq!(c.latest, latest, "the same latest server version and salt");

    // A's client file survived too: it resumes where it was, its uploads acknowledged.
    let mut a = Peer::connect("A again", &entry).await;
    a.ident_after_bind(&name, a_file, a_download, latest).await;
    assert_eq!(a.acknowledged, 2, "A's uploads are still acknowledged");
    assert!(a.changesets.is_empty(), "A: nothing new to download");
}

impl Peer {
    /// BIND without asking for an ident, then IDENT of a known file.
    async fn ident_after_bind(
        &mut self,
        realm: &str,
        file: (FileIdent, Salt),
        scan: DownloadCursor,
        latest: SaltedVersion,
    ) {
        self.send(ClientMessage::Bind(Bind {
            session: self.session,
            path: BindPath::new(realm.as_bytes().to_vec()).unwrap(),
            token: SignedToken::new(Vec::new()).unwrap(),
            need_client_file_ident: false,
            is_subserver: false,
        }))
        .await;
        self.ident(file.0, file.1, scan, latest).await;
    }
}

#[tokio::test]
async fn sigterm_with_a_client_that_stays_exits_after_the_drain() {
    let server = SyncServer::start(&[]);
    let entry = Entry::new(
        server.serving.listening.sync,
        "/realm-sync",
        &server.admin_token,
    );
    let mut stays = Peer::connect("stays", &entry).await;
    stays.bind_new(&realm("stays")).await;
    let signalled = Instant::now();
    server.serving.signal(Signal::SIGTERM);
    let (code, try_again) = stays.connection_error().await;
    assert_eq!((code, try_again), (100, true));
    // The client neither reads nor hangs up: the server stops waiting for it
    // after its drain (5 s) and still exits cleanly.
    let mut server = server;
    let status = loop {
        if let Some(status) = server.serving.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(9),
            "ros serve still running {:?} after SIGTERM",
            signalled.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    drop(stays);
}
