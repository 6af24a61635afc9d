//! The captured real-client sessions replayed from the client side against a
//! fresh `ros serve`: the recorded client messages, in their order, with the
//! file idents and salts our server assigned substituted. Every server message
//! must parse as a realm-core client parses it and pass the client's DOWNLOAD
//! checks (docs/protocol.md §8.3); the fresh client must end in the recorded
//! `final-state.json`, and our server's history must be realm-core's, byte for
//! byte (the same transforms, in the same order).

use crate::support;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ros::changeset::decode;
use ros::objects::{final_state, State};
use ros::protocol::{
    ClientIdent, ClientMessage, FileIdent, Limits, ProtocolVersion, Salt, SaltedVersion,
    ServerMessage, ServerVersion,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use support::sync_server::SyncServer;

const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/sessions");

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What a client remembers of its session to check the next DOWNLOAD (§8.3).
#[derive(Default, Debug)]
struct Progress {
    latest: u64,
    upload_client: u64,
    download_server: u64,
    download_client: u64,
    own_ident: u64,
}

/// One replayed connection.
struct Replay {
    name: String,
    socket: Socket,
    version: ProtocolVersion,
    progress: Progress,
    own_salt: i64,
    /// The client file ident realm-core's server gave this connection.
    recorded_ident: u64,
    /// The salt of the latest server version, from DOWNLOADs.
    history_salt: i64,
    /// Highest MARK request answered.
    marks: u64,
    got_ident: bool,
    /// Every DOWNLOAD changeset received: (server version, origin, bytes).
    downloads: Vec<(u64, u64, Vec<u8>)>,
}

fn load(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn bytes_of(record: &serde_json::Value) -> Vec<u8> {
    hex::decode(record["hex"].as_str().unwrap()).unwrap()
}

async fn connect(
    url: &str,
    token: &str,
    protocols: &[serde_json::Value],
) -> (Socket, ProtocolVersion) {
    let offered: Vec<&str> = protocols.iter().map(|p| p.as_str().unwrap()).collect();
    let mut request = format!("{url}?baas_at={token}")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        offered.join(", ").parse().unwrap(),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    let chosen = response.headers()["Sec-WebSocket-Protocol"]
        .to_str()
        .unwrap();
    let number: u32 = chosen.rsplit('#').next().unwrap().parse().unwrap();
    (socket, ProtocolVersion::new(number).unwrap())
}

impl Replay {
    /// Reads one server message and checks it as realm-core's client would.
    async fn receive(&mut self) {
        let frame = tokio::time::timeout(Duration::from_secs(20), self.socket.next())
            .await
            .unwrap_or_else(|_| panic!("{}: no message from the server within 20 s", self.name))
            .unwrap_or_else(|| panic!("{}: connection closed", self.name))
            .unwrap();
        let bytes = match frame {
            Message::Binary(b) => b.to_vec(),
            Message::Close(c) => panic!("{}: closed by the server: {c:?}", self.name),
            other => panic!("{}: unexpected frame {other:?}", self.name),
        };
        let message =
            ServerMessage::parse(&bytes, self.version, &Limits::DEFAULT).unwrap_or_else(|e| {
                panic!(
                    "{}: the server sent what a client cannot parse: {e}",
                    self.name
                )
            });
        match message {
            ServerMessage::Ident(ident) => {
                self.got_ident = true;
                self.progress.own_ident = ident.file_ident.get();
                self.own_salt = ident.file_ident_salt.0;
                assert!(ident.file_ident_salt.0 != 0);
            }
            ServerMessage::Download(d) => {
                if d.latest.version.get() > 0 {
                    self.history_salt = d.latest.salt.0;
                }
                self.check_download(&d);
            }
            ServerMessage::Mark(m) => self.marks = self.marks.max(m.request.get()),
            ServerMessage::Error(e) => panic!("{}: ERROR {:?}", self.name, e),
            ServerMessage::JsonError(e) => panic!(
                "{}: JSON_ERROR {} {}",
                self.name,
                e.code.number(),
                String::from_utf8_lossy(&e.body)
            ),
            other => panic!("{}: unexpected {:?}", self.name, other.kind()),
        }
    }

    /// The client's DOWNLOAD checks of docs/protocol.md §8.3.
    fn check_download(&mut self, d: &ros::protocol::Download) {
        let p = &self.progress;
        let n = &self.name;
        let latest = d.latest.version.get();
        let (up_c, up_s) = (
            d.upload.client_version.get(),
            d.upload.last_integrated_server_version.get(),
        );
        let (dl_s, dl_c) = (
            d.download.server_version.get(),
            d.download.last_integrated_client_version.get(),
        );
        assert!(latest >= p.latest, "{n}: rule 2");
        assert!(up_c >= p.upload_client, "{n}: rule 3");
        assert!(dl_s >= p.download_server, "{n}: rule 5");
        assert!(dl_s <= latest, "{n}: rule 6");
        assert!(dl_c >= p.download_client, "{n}: rule 7");
        assert!(dl_c <= up_c, "{n}: rule 8");
        assert!(dl_s >= up_s, "{n}: rule 9");
        let (mut prev_s, mut prev_c) = (p.download_server, p.download_client);
        for e in &d.changesets {
            let (s, c) = (
                e.server_version.get(),
                e.last_integrated_client_version.get(),
            );
            assert!(
                s > prev_s && s <= dl_s,
                "{n}: rule 10 ({s} after {prev_s}, cursor {dl_s})"
            );
            assert!(c >= prev_c && c <= dl_c, "{n}: rule 11");
            let origin = e.origin_file_ident.get();
            assert!(origin > 0 && origin != p.own_ident, "{n}: rule 12");
            decode(&e.changeset)
                .unwrap_or_else(|err| panic!("{n}: changeset {s} does not decode: {err}"));
            (prev_s, prev_c) = (s, c);
            self.downloads.push((s, origin, e.changeset.clone()));
        }
        self.progress = Progress {
            latest,
            upload_client: up_c,
            download_server: dl_s,
            download_client: dl_c,
            own_ident: p.own_ident,
        };
    }

    async fn receive_until(&mut self, what: &str, done: impl Fn(&Replay) -> bool) {
        let start = std::time::Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{}: waiting for {what}",
                self.name
            );
            self.receive().await;
        }
    }

    async fn send(&mut self, bytes: Vec<u8>) {
        self.socket
            .send(Message::Binary(bytes.into()))
            .await
            .unwrap();
    }
}

/// The highest server version a client message refers to: the client must have
/// downloaded that far before it sends it.
fn needed_version(message: &ClientMessage) -> u64 {
    match message {
        ClientMessage::Upload(u) => u
            .changesets
            .iter()
            .map(|c| c.last_integrated_server_version.get())
            .chain([
                u.progress.last_integrated_server_version.get(),
                u.locked_server_version.get(),
            ])
            .max()
            .unwrap_or(0),
        _ => 0,
    }
}

/// What the replayed connections share: the recorded client file idents mapped
/// to ours (with our salts), and our history's salt.
#[derive(Default)]
struct Shared {
    idents: HashMap<u64, (u64, i64)>,
    history_salt: i64,
}

impl Replay {
    async fn open(server: &SyncServer, name: &str, records: &[serde_json::Value]) -> Replay {
        let event = records.iter().find(|r| r["event"] == "connect").unwrap();
        let (socket, version) = connect(
            &server.url(),
            &server.admin_token,
            event["protocols"].as_array().unwrap(),
        )
        .await;
        Replay {
            name: name.to_string(),
            socket,
            version,
            progress: Progress::default(),
            own_salt: 0,
            recorded_ident: records
                .iter()
                .find_map(|r| {
                    let head = r["head"].as_str()?;
                    (r["dir"] == "recv" && head.starts_with("ident "))
                        .then(|| head.split(' ').nth(2)?.parse().ok())?
                })
                .unwrap_or(0),
            history_salt: 0,
            marks: 0,
            got_ident: false,
            downloads: Vec::new(),
        }
    }

    /// Plays one recorded event: waits for what the recorded client waited
    /// for, or sends what it sent (with our idents and salts).
    async fn step(&mut self, record: &serde_json::Value, shared: &mut Shared) {
        let (Some(dir), Some(head)) = (record["dir"].as_str(), record["head"].as_str()) else {
            return;
        };
        let fields: Vec<&str> = head.split(' ').collect();
        match (dir, fields[0]) {
            ("recv", "ident") => {
                self.receive_until("IDENT", |r| r.got_ident).await;
                let recorded: u64 = fields[2].parse().unwrap();
                self.recorded_ident = recorded;
                assert_eq!(
                    self.progress.own_ident, recorded,
                    "{}: file idents are allocated as realm-core's server did",
                    self.name
                );
                shared
                    .idents
                    .insert(recorded, (self.progress.own_ident, self.own_salt));
            }
            ("recv", "mark") => {
                let request: u64 = fields[2].parse().unwrap();
                self.receive_until("MARK", |r| r.marks >= request).await;
            }
            ("send", _) => {
                let recorded = bytes_of(record);
                let message =
                    ClientMessage::parse(&recorded, self.version, &Limits::DEFAULT).unwrap();
                let need = needed_version(&message);
                self.receive_until("the DOWNLOADs an UPLOAD builds on", |r| {
                    r.progress.download_server >= need
                })
                .await;
                if self.history_salt != 0 {
                    shared.history_salt = self.history_salt;
                }
                let message = match message {
                    ClientMessage::Ident(ident) => self.substitute(ident, shared),
                    other => other,
                };
                let allocates =
                    matches!(&message, ClientMessage::Bind(b) if b.need_client_file_ident);
                let acknowledge = match &message {
                    ClientMessage::Upload(u) if !u.changesets.is_empty() => {
                        Some(u.progress.client_version.get())
                    }
                    _ => None,
                };
                self.send(message.to_bytes(self.version).unwrap()).await;
                if allocates {
                    // File idents break ties in the merge: they are allocated
                    // in the recorded order, one BIND at a time.
                    self.receive_until("IDENT", |r| r.got_ident).await;
                }
                if let Some(progress) = acknowledge {
                    // Each upload is integrated before anything else is sent, so
                    // the server integrates in the recorded order.
                    self.receive_until("the acknowledgement", |r| {
                        r.progress.upload_client >= progress
                    })
                    .await;
                }
            }
            _ => {}
        }
    }

    /// IDENT with our idents and salts in place of the recorded ones.
    fn substitute(&mut self, ident: ClientIdent, shared: &Shared) -> ClientMessage {
        let original = ident.file_ident.get();
        let (ours, salt) = *shared
            .idents
            .get(&original)
            .unwrap_or_else(|| panic!("{}: IDENT names unknown file {original}", self.name));
        self.progress = Progress {
            latest: ident.latest.version.get(),
            upload_client: 0,
            download_server: ident.scan.server_version.get(),
            download_client: ident.scan.last_integrated_client_version.get(),
            own_ident: ours,
        };
        let latest_salt = if ident.latest.version == ServerVersion::ZERO {
            0
        } else {
            shared.history_salt
        };
        ClientMessage::Ident(ClientIdent {
            file_ident: FileIdent::new(ours).unwrap(),
            file_ident_salt: Salt(salt),
            latest: SaltedVersion {
                version: ident.latest.version,
                salt: Salt(latest_salt),
            },
            ..ident
        })
    }
}

/// The order realm-core's server integrated the writers' changesets in: the
/// fresh client's DOWNLOADs place each non-empty one by (origin, timestamp); the
/// versions it skipped were integrated to nothing.
struct Order {
    /// (recorded origin file ident, origin timestamp) -> server version.
    versions: HashMap<(u64, u64), u64>,
    /// Server versions the fresh client never downloaded.
    gaps: std::collections::BTreeSet<u64>,
}

impl Order {
    fn of(writers: &[(String, Vec<serde_json::Value>)], fresh: &[serde_json::Value]) -> Order {
        let version = ProtocolVersion::new(14).unwrap();
        let mut versions = HashMap::new();
        let mut total = 0u64;
        for (_, records) in writers {
            for r in records.iter().filter(|r| r["dir"] == "send") {
                if let Ok(ClientMessage::Upload(u)) =
                    ClientMessage::parse(&bytes_of(r), version, &Limits::DEFAULT)
                {
                    total += u.changesets.len() as u64;
                }
            }
        }
        let fresh_version = support::captures::negotiated_version(fresh);
        for r in fresh.iter().filter(|r| r["dir"] == "recv") {
            if let Ok(ServerMessage::Download(d)) =
                ServerMessage::parse(&bytes_of(r), fresh_version, &Limits::DEFAULT)
            {
                for e in d.changesets {
                    versions.insert(
                        (e.origin_file_ident.get(), e.origin_timestamp.get()),
                        e.server_version.get(),
                    );
                }
            }
        }
        let known: std::collections::BTreeSet<u64> = versions.values().copied().collect();
        let gaps = (1..=total).filter(|v| !known.contains(v)).collect();
        Order { versions, gaps }
    }

    /// Whether `record` of a writer may be played when the server is at
    /// `integrated`.
    fn may_send(
        &self,
        record: &serde_json::Value,
        integrated: u64,
        allocated: usize,
        replay: &Replay,
    ) -> bool {
        if record["dir"] != "send" {
            return true;
        }
        let u = match ClientMessage::parse(&bytes_of(record), replay.version, &Limits::DEFAULT) {
            Ok(ClientMessage::Upload(u)) => u,
            // File idents break ties in the merge: BINDs go in the order the
            // reference server allocated them.
            Ok(ClientMessage::Bind(b)) if b.need_client_file_ident => {
                return replay.recorded_ident == 2 + allocated as u64;
            }
            _ => return true,
        };
        if needed_version(&ClientMessage::Upload(u.clone())) > integrated {
            return false;
        }
        let Some(first) = u.changesets.first() else {
            return true;
        };
        let key = (replay.recorded_ident, first.origin_timestamp.get());
        match self.versions.get(&key) {
            Some(v) => *v == integrated + 1,
            None => self.gaps.contains(&(integrated + 1)),
        }
    }
}

fn connect_time(records: &[serde_json::Value]) -> u64 {
    records
        .iter()
        .find(|r| r["event"] == "connect")
        .and_then(|r| r["t_ms"].as_u64())
        .unwrap_or(0)
}

/// The recorded fresh client's history: (server version, origin, bytes).
fn recorded_history(
    records: &[serde_json::Value],
    version: ProtocolVersion,
) -> Vec<(u64, u64, Vec<u8>)> {
    let mut out = Vec::new();
    for record in records.iter().filter(|r| r["dir"] == "recv") {
        if let Ok(ServerMessage::Download(d)) =
            ServerMessage::parse(&bytes_of(record), version, &Limits::DEFAULT)
        {
            for e in d.changesets {
                out.push((
                    e.server_version.get(),
                    e.origin_file_ident.get(),
                    e.changeset,
                ));
            }
        }
    }
    out
}

fn files(dir: &Path, prefix: &str) -> Vec<(String, Vec<serde_json::Value>)> {
    let mut out: Vec<(String, Vec<serde_json::Value>)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            (name.starts_with(prefix) && name.ends_with(".jsonl")).then_some(name)
        })
        .map(|name| {
            let records = load(&dir.join(&name));
            (name, records)
        })
        .collect();
    out.sort_by_key(|(name, records)| (connect_time(records), name.clone()));
    out
}

fn replay_session(session: &str) {
    let dir = Path::new(SESSIONS).join(session);
    let server = SyncServer::start(&[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut shared = Shared::default();
        // The writers ran concurrently: their events are merged by time, and
        // connected in the order the reference server gave out file idents.
        let writers = files(&dir, "wire-writer-");
        let mut replays = Vec::new();
        for (name, records) in &writers {
            replays.push(Replay::open(&server, name, records).await);
        }
        let order = Order::of(&writers, &load(&dir.join("wire-fresh.jsonl")));
        let mut next = vec![0usize; writers.len()];
        loop {
            // The earliest event that may go now: an UPLOAD only when the
            // server is at the version realm-core integrated it at.
            let integrated = replays.iter().map(|r| r.progress.latest).max().unwrap_or(0);
            let pick = (0..writers.len())
                .filter(|&w| next[w] < writers[w].1.len())
                .filter(|&w| order.may_send(&writers[w].1[next[w]], integrated, shared.idents.len(), &replays[w]))
                .min_by_key(|&w| writers[w].1[next[w]]["t_ms"].as_u64().unwrap_or(0));
            let Some(w) = pick else {
                assert!(
                    (0..writers.len()).all(|w| next[w] == writers[w].1.len()),
                    "{session}: no recorded event can go next"
                );
                break;
            };
            replays[w].step(&writers[w].1[next[w]], &mut shared).await;
            next[w] += 1;
        }
        drop(replays);
        // Then each writer's read-only pass, then the fresh client.
        let mut last = None;
        for (name, records) in files(&dir, "wire-final-").into_iter().chain(files(&dir, "wire-fresh")) {
            let mut replay = Replay::open(&server, &name, &records).await;
            for record in &records {
                replay.step(record, &mut shared).await;
            }
            last = Some((replay, records));
        }
        let (fresh, records) = last.unwrap();
        assert_eq!(fresh.name, "wire-fresh.jsonl");

        let ours_to_recorded: HashMap<u64, u64> = shared
            .idents
            .iter()
            .map(|(recorded, (ours, _))| (*ours, *recorded))
            .collect();
        let ours: Vec<(u64, u64, Vec<u8>)> = fresh
            .downloads
            .iter()
            .map(|(v, origin, bytes)| (*v, *ours_to_recorded.get(origin).unwrap_or(origin), bytes.clone()))
            .collect();
        let reference = recorded_history(&records, fresh.version);
        for (a, b) in ours.iter().zip(&reference) {
            assert_eq!((a.0, a.1), (b.0, b.1), "{session}: history entry (version, origin)");
            if a.2 != b.2 {
                let show = |bytes: &[u8]| ros::changeset::render::to_text(&decode(bytes).unwrap());
                panic!(
                    "{session}: server version {} differs from realm-core's:\nours:\n{}\nrealm-core's:\n{}",
                    a.0,
                    show(&a.2),
                    show(&b.2)
                );
            }
        }
        assert_eq!(ours.len(), reference.len(), "{session}: history length");
        let mut state = State::new();
        for (version, _, bytes) in &fresh.downloads {
            let changeset = decode(bytes).unwrap();
            state
                .apply(&changeset)
                .unwrap_or_else(|e| panic!("{session}: server version {version} does not apply: {e}"));
        }
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("final-state.json")).unwrap()).unwrap();
        assert_eq!(final_state(&state), expected, "{session}: the fresh client's final state");

    });
    assert!(server.serving.stop().success());
}

#[test]
fn small_session_replays_to_the_recorded_state_and_history() {
    replay_session("small");
}

#[test]
fn compressed_session_replays_to_the_recorded_state_and_history() {
    replay_session("compressed");
}

#[test]
fn protocol_8_session_replays() {
    replay_session("protocol-8");
}

#[test]
fn protocol_10_session_replays() {
    replay_session("protocol-10");
}

#[test]
fn protocol_13_session_replays() {
    replay_session("protocol-13");
}
