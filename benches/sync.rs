//! The sync service under load, each figure next to a baseline measured in the
//! same run on the same machine (`benches/README.md`, "Sync service"):
//!
//! * fan-out: N bound sessions on one Realm, one writer; the time from an
//!   UPLOAD leaving the writer to the DOWNLOAD arriving at each reader, against
//!   a bare tokio-tungstenite relay that broadcasts the same bytes;
//! * idle sessions: the server's resident memory with N idle bound sessions,
//!   against the same server with none;
//! * upload integration: clients that made one-instruction transactions
//!   offline sync at once; changesets integrated and acknowledged per second
//!   (every batch committed with `synchronous = FULL`), against appending the
//!   same changeset bytes to a bare SQLite table with the same durability;
//!   and how long a fresh client takes to download it all.
//!
//! `cargo bench --bench sync`; sizes from `BENCH_FANOUT` (1000),
//! `BENCH_IDLE` (10000), `BENCH_WRITERS` (8), `BENCH_TRANSACTIONS` (5000).

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use ros::changeset::Changeset;
use ros::client::sync::{Endpoint, Incoming, RealmClient, Received, Wire};
use ros::protocol::{ServerMessage, SessionIdent};
use support::sync_server::SyncServer;
use support::workload;
use tokio::sync::{broadcast, Mutex};

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn session() -> SessionIdent {
    SessionIdent::new(1).unwrap()
}

/// A reader bound to `path`, past its first DOWNLOAD.
async fn bound_reader(endpoint: &Endpoint, path: &str) -> (Wire, RealmClient) {
    let mut wire = Wire::connect(endpoint).await.expect("connect");
    let mut client = RealmClient::new(path);
    client.bind(&mut wire, session()).await.expect("bind");
    loop {
        if let Received::Download { .. } = client.receive_one(&mut wire).await.expect("download") {
            return (wire, client);
        }
    }
}

async fn connect_many(endpoint: &Endpoint, path: &str, n: usize) -> Vec<(Wire, RealmClient)> {
    let mut out = Vec::with_capacity(n);
    let mut pending = futures_util::stream::FuturesUnordered::new();
    for _ in 0..n {
        pending.push(bound_reader(endpoint, path));
        if pending.len() >= 100 {
            out.push(pending.next().await.expect("reader"));
        }
    }
    while let Some(r) = pending.next().await {
        out.push(r);
    }
    out
}

const ROUNDS: usize = 100;
const GAP: Duration = Duration::from_millis(30);

/// Upload → DOWNLOAD latency at every reader, through `ros serve`.
async fn fanout_ros(server: &SyncServer, readers: usize) -> Vec<Duration> {
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let mut writer = RealmClient::new("/fanout");
    writer.commit(workload::schema()).unwrap();
    let mut w = Wire::connect(&endpoint).await.unwrap();
    writer.bind(&mut w, session()).await.unwrap();
    writer.sync_until_idle(&mut w).await.unwrap();
    let connected = connect_many(&endpoint, "/fanout", readers).await;
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (mut wire, _) in connected {
        tasks.push(tokio::spawn(async move {
            let mut arrivals = Vec::new();
            while arrivals.len() < ROUNDS {
                match wire.recv().await {
                    Ok(Incoming::Message(ServerMessage::Download(d)))
                        if !d.changesets.is_empty() =>
                    {
                        arrivals.push((d.changesets.len(), Instant::now()));
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            arrivals
        }));
    }
    for i in 0..ROUNDS {
        writer
            .commit(Changeset::new(vec![workload::create(i as i64)]))
            .unwrap();
        sent.lock().await.push(Instant::now());
        writer.sync_until_idle(&mut w).await.unwrap();
        tokio::time::sleep(GAP).await;
    }
    let sent = sent.lock().await.clone();
    let mut latencies = Vec::new();
    for t in tasks {
        let arrivals = t.await.unwrap();
        let mut round = 0;
        for (count, at) in arrivals {
            if let Some(start) = sent.get(round) {
                latencies.push(at.saturating_duration_since(*start));
            }
            round += count;
        }
    }
    latencies.sort();
    latencies
}

/// The same shape through a relay that only broadcasts bytes.
async fn fanout_relay(readers: usize, bytes: Vec<u8>) -> Vec<Duration> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, _) = broadcast::channel::<Vec<u8>>(1024);
    let relay_tx = tx.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mut rx = relay_tx.subscribe();
            tokio::spawn(async move {
                let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let (mut sink, _stream) = ws.split();
                while let Ok(msg) = rx.recv().await {
                    if sink
                        .send(tokio_tungstenite::tungstenite::Message::Binary(msg.into()))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
    });
    let mut tasks = Vec::new();
    let mut pending = Vec::new();
    for _ in 0..readers {
        pending.push(tokio_tungstenite::connect_async(format!("ws://{addr}/")));
        if pending.len() == 100 {
            for c in futures_util::future::join_all(std::mem::take(&mut pending)).await {
                tasks.push(c.unwrap().0);
            }
        }
    }
    for c in futures_util::future::join_all(pending).await {
        tasks.push(c.unwrap().0);
    }
    while tx.receiver_count() < readers {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let handles: Vec<_> = tasks
        .into_iter()
        .map(|mut ws| {
            tokio::spawn(async move {
                let mut arrivals = Vec::new();
                while arrivals.len() < ROUNDS {
                    match ws.next().await {
                        Some(Ok(_)) => arrivals.push(Instant::now()),
                        _ => break,
                    }
                }
                arrivals
            })
        })
        .collect();
    let mut sent = Vec::new();
    for _ in 0..ROUNDS {
        sent.push(Instant::now());
        let _ = tx.send(bytes.clone());
        tokio::time::sleep(GAP).await;
    }
    let mut latencies = Vec::new();
    for h in handles {
        for (i, at) in h.await.unwrap().into_iter().enumerate() {
            latencies.push(at.saturating_duration_since(sent[i]));
        }
    }
    latencies.sort();
    latencies
}

/// CPU seconds (user + system) the process has used so far.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn idle(server: &SyncServer, sessions: usize) -> (u64, u64) {
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let pid = server.serving.child.id();
    let _warm = connect_many(&endpoint, "/idle", 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(pid);
    let held = connect_many(&endpoint, "/idle", sessions).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(pid);
    drop(held);
    (before, after)
}

async fn integration(
    server: &SyncServer,
    writers: usize,
    transactions: usize,
) -> (Duration, Duration, usize) {
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let mut clients = Vec::new();
    for n in 0..writers {
        let mut c = RealmClient::new("/integrate");
        c.commit(workload::schema()).unwrap();
        for i in 0..transactions {
            let pk = (n * 1_000_000 + i) as i64;
            c.commit(Changeset::new(vec![workload::create(pk)]))
                .unwrap();
        }
        clients.push(c);
    }
    let start = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut c| {
            let endpoint = endpoint.clone();
            tokio::spawn(async move {
                let mut w = Wire::connect(&endpoint).await.unwrap();
                c.bind(&mut w, session()).await.unwrap();
                c.sync_until_idle(&mut w).await.unwrap();
                c
            })
        })
        .collect();
    for t in tasks {
        match t.await {
            Ok(c) => assert!(c.is_uploaded()),
            Err(e) => {
                let log: Vec<String> = server.serving.log.try_iter().collect();
                panic!("a writer failed: {e}\nserver log:\n{}", log.join("\n"));
            }
        }
    }
    let upload = start.elapsed();
    let start = Instant::now();
    let mut fresh = RealmClient::new("/integrate");
    let mut w = Wire::connect(&endpoint).await.unwrap();
    fresh.bind(&mut w, session()).await.unwrap();
    fresh.sync_until_idle(&mut w).await.unwrap();
    let download = start.elapsed();
    let objects = fresh
        .state()
        .objects(workload::TABLE)
        .map_or(0, |o| o.len());
    (upload, download, objects)
}

/// The floor: the same number of changesets of the same size appended to a
/// bare SQLite table, one durable transaction per 4,000 (one UPLOAD's worth).
fn sqlite_floor(changesets: usize, bytes: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("floor.sqlite3")).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch("CREATE TABLE h (v INTEGER PRIMARY KEY, c BLOB NOT NULL)")
        .unwrap();
    let blob = vec![7u8; bytes];
    let start = Instant::now();
    let mut v = 0;
    while v < changesets {
        conn.execute_batch("BEGIN").unwrap();
        for _ in 0..4000.min(changesets - v) {
            v += 1;
            conn.execute(
                "INSERT INTO h (v, c) VALUES (?1, ?2)",
                rusqlite::params![v as i64, blob],
            )
            .unwrap();
        }
        conn.execute_batch("COMMIT").unwrap();
    }
    start.elapsed()
}

fn main() {
    let fanout = size("BENCH_FANOUT", 1000);
    let idle_sessions = size("BENCH_IDLE", 10_000);
    let writers = size("BENCH_WRITERS", 8);
    let transactions = size("BENCH_TRANSACTIONS", 5000);
    if let Err(e) = ros::server::raise_open_files_limit() {
        eprintln!("cannot raise the open-files limit: {e}");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let run = |part: &str| only.is_empty() || only == part;
    if run("fanout") {
        fanout_table(&runtime, fanout);
    }
    if run("idle") {
        idle_line(&runtime, idle_sessions);
    }
    if run("integration") {
        integration_line(&runtime, writers, transactions);
    }
}

fn fanout_table(runtime: &tokio::runtime::Runtime, fanout: usize) {
    let server = SyncServer::start(&[]);
    let ros = runtime.block_on(fanout_ros(&server, fanout));
    let download = ros::changeset::encode(&Changeset::new(vec![workload::create(1)]));
    let relay = runtime.block_on(fanout_relay(fanout, vec![0u8; 80 + download.len()]));
    println!("fan-out: {fanout} sessions on one Realm, {ROUNDS} uploads {GAP:?} apart");
    println!("| | p50 | p99 | samples |\n|---|---:|---:|---:|");
    println!(
        "| ros serve | {} | {} | {} |",
        ms(percentile(&ros, 0.5)),
        ms(percentile(&ros, 0.99)),
        ros.len()
    );
    println!(
        "| bare relay | {} | {} | {} |",
        ms(percentile(&relay, 0.5)),
        ms(percentile(&relay, 0.99)),
        relay.len()
    );
    println!(
        "p50 ratio {:.2}x, p99 ratio {:.2}x",
        percentile(&ros, 0.5).as_secs_f64() / percentile(&relay, 0.5).as_secs_f64().max(1e-9),
        percentile(&ros, 0.99).as_secs_f64() / percentile(&relay, 0.99).as_secs_f64().max(1e-9)
    );
}

fn idle_line(runtime: &tokio::runtime::Runtime, idle_sessions: usize) {
    let server = SyncServer::start(&[("ROS_SYNC__MAX_CONNECTIONS", "15000")]);
    let (before, after) = runtime.block_on(idle(&server, idle_sessions));
    println!(
        "idle: RSS {} KiB with one session, {} KiB with {idle_sessions} more: {:.1} KiB a session ({:.1} MB in all)",
        before,
        after,
        (after.saturating_sub(before)) as f64 / idle_sessions as f64,
        after as f64 / 1024.0
    );
}

fn integration_line(runtime: &tokio::runtime::Runtime, writers: usize, transactions: usize) {
    let server = SyncServer::start(&[]);
    let cpu_before = cpu_seconds(server.serving.child.id());
    let (upload, download, objects) = runtime.block_on(integration(&server, writers, transactions));
    let server_cpu = cpu_seconds(server.serving.child.id()) - cpu_before;
    println!("server CPU during upload and download: {server_cpu:.2} s");
    let total = writers * transactions;
    assert_eq!(objects, total, "the fresh client has every object");
    let floor = sqlite_floor(total, download_size());
    println!(
        "integration: {writers} clients x {transactions} offline one-instruction transactions: \
         {:.0} changesets/s ({} for {total}); bare durable SQLite append {:.0}/s ({}); ratio {:.1}x; \
         fresh client download {}",
        total as f64 / upload.as_secs_f64(),
        ms(upload),
        total as f64 / floor.as_secs_f64(),
        ms(floor),
        upload.as_secs_f64() / floor.as_secs_f64(),
        ms(download)
    );
}

/// Bytes of one stored one-instruction changeset.
fn download_size() -> usize {
    ros::changeset::encode(&Changeset::new(vec![workload::create(123_456)])).len()
}
