//! `ros probe bench`: N sessions (one connection each: a [`RealmClient`] binds
//! one session per [`Wire`]) on R scratch Realms, each uploading M changesets
//! of K instructions, closed loop (next upload once the previous one is
//! acknowledged) or open loop at a target total rate. Every session also
//! integrates the others' changesets; the time from a changeset's UPLOAD to
//! another session of its Realm integrating it is the latency sample.
//!
//! Changesets are recognised in DOWNLOADs by (origin file ident, origin
//! timestamp): each session stamps its k-th changeset `base + k`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::changeset::{
    ByteString, Changeset, ColumnType, CreateObject, Instruction, Location, Payload, PrimaryKey,
    Update, UpdateTarget, ValuePath,
};
use crate::protocol::{ClientMessage, OriginTimestamp, ServerMessage, SessionIdent};

use super::probe::{FailureKind, ProbeOptions};
use super::sync::{
    origin_timestamp_now, ConnectError, Endpoint, Incoming, RealmClient, SyncError, Wire, WireError,
};

const TABLE: &str = "ProbeBench";

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Where and how to connect (`realm` is unused: scratch Realms are made).
    pub target: ProbeOptions,
    pub sessions: usize,
    pub changesets: usize,
    pub instructions: usize,
    pub realms: usize,
    /// Changesets per second over all sessions; `None` is closed loop.
    pub rate: Option<f64>,
    /// Stop uploading after this long (else after `changesets` each).
    pub duration: Option<Duration>,
}

/// A bench that could not start (connecting or binding a session failed).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct BenchFailure {
    pub kind: FailureKind,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Changesets uploaded by all sessions.
    pub uploaded: u64,
    /// Of those, acknowledged by the server (integrated into its history).
    pub acknowledged: u64,
    /// Changesets integrated by another session of their Realm.
    pub received: u64,
    /// Receipts a complete run has: each changeset once per other session of its Realm.
    pub expected_received: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    /// Changesets acknowledged by the server per second.
    pub acknowledged_per_s: f64,
    /// Changesets integrated by other sessions per second.
    pub received_per_s: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub samples: u64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

/// The report (`--format json`; `docs/cli-json.md`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub ok: bool,
    pub url: String,
    pub realms: Vec<String>,
    pub sessions: u64,
    pub connections: u64,
    pub changesets_per_session: u64,
    pub instructions: u64,
    /// `closed` or `open`.
    pub mode: String,
    pub rate: Option<f64>,
    pub elapsed_s: f64,
    pub changesets: Counts,
    pub throughput: Throughput,
    /// Upload → integration by another session, milliseconds.
    pub latency_ms: Latency,
    /// UPLOAD message bytes (uncompressed form).
    pub bytes_uploaded: u64,
    /// Errors by protocol error code (e.g. "203"), else by kind ("timeout", "closed", …).
    pub errors: BTreeMap<String, u64>,
}

fn name(s: &str) -> ByteString {
    ByteString::from(s)
}

fn schema() -> Changeset {
    Changeset::new(super::probe::int_keyed_table(
        TABLE,
        &[
            ("value", ColumnType::Int, true),
            ("label", ColumnType::String, true),
        ],
    ))
}

/// One changeset of `k` instructions: create object `pk`, then updates of it.
fn changeset(pk: i64, k: usize) -> Changeset {
    let mut out = vec![Instruction::CreateObject(CreateObject {
        table: name(TABLE),
        object: PrimaryKey::Int(pk),
    })];
    for i in 1..k {
        let (field, value) = if i % 2 == 1 {
            ("value", Payload::Int(i as i64))
        } else {
            ("label", Payload::String(name(&format!("v{i}"))))
        };
        out.push(Instruction::Update(Update {
            target: UpdateTarget::Property {
                location: Location {
                    table: name(TABLE),
                    object: PrimaryKey::Int(pk),
                    field: name(field),
                    path: ValuePath::field(),
                },
                is_default: false,
            },
            value,
        }));
    }
    Changeset::new(out)
}

/// `p` (0..=1) of sorted samples, nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[i.saturating_sub(1).min(sorted.len() - 1)]
}

struct RealmShared {
    sessions: usize,
    sent: AtomicU64,
    senders_done: AtomicUsize,
}

struct Shared {
    sent_at: Mutex<HashMap<(u64, u64), Instant>>,
    realms: Vec<RealmShared>,
    errors: Mutex<BTreeMap<String, u64>>,
}

impl Shared {
    fn error(&self, key: String) {
        if let Ok(mut e) = self.errors.lock() {
            *e.entry(key).or_default() += 1;
        }
    }
}

fn error_key(e: &SyncError) -> String {
    match e {
        SyncError::Server { code, .. } => code.to_string(),
        SyncError::Closed { code, .. } => format!("closed {code}"),
        SyncError::Timeout { .. } => "timeout".into(),
        SyncError::Protocol(_) => "protocol".into(),
        SyncError::Integration { code, .. } => code.to_string(),
        SyncError::Wire(_) => "wire".into(),
        _ => "client".into(),
    }
}

#[derive(Default)]
struct SessionResult {
    uploaded: u64,
    acknowledged: u64,
    received: u64,
    bytes: u64,
    latencies: Vec<Duration>,
    /// When the session had everything (before its UNBIND).
    finished: Option<Instant>,
}

struct Plan {
    changesets: usize,
    instructions: usize,
    interval: Option<Duration>,
    first_send: Instant,
    stop_at: Option<Instant>,
    timeout: Duration,
    base_ts: u64,
}

async fn connect(endpoint: &Endpoint, path: &str) -> Result<(Wire, RealmClient), BenchFailure> {
    let mut wire = Wire::connect(endpoint).await.map_err(|e| {
        let kind = match e {
            ConnectError::Dns { .. } | ConnectError::Tcp { .. } | ConnectError::Timeout(_) => {
                FailureKind::Unreachable
            }
            ConnectError::BadUrl { .. } => FailureKind::Usage,
            _ => FailureKind::Failed,
        };
        BenchFailure {
            kind,
            message: format!("connect: {e}"),
        }
    })?;
    let failed = |step: &str, e: SyncError| BenchFailure {
        kind: FailureKind::Failed,
        message: format!("{step} {path}: {e}"),
    };
    let mut client = RealmClient::new(path).with_idle_timeout(endpoint.connect_timeout);
    let session = SessionIdent::new(1).unwrap_or(SessionIdent::MAX);
    client
        .bind(&mut wire, session)
        .await
        .map_err(|e| failed("bind", e))?;
    client.commit(schema()).map_err(|e| BenchFailure {
        kind: FailureKind::Failed,
        message: format!("schema {path}: {e}"),
    })?;
    client
        .sync_until_idle(&mut wire)
        .await
        .map_err(|e| failed("sync", e))?;
    Ok((wire, client))
}

async fn run_session(
    shared: Arc<Shared>,
    index: usize,
    realm: usize,
    mut wire: Wire,
    mut client: RealmClient,
    plan: Arc<Plan>,
) -> SessionResult {
    let mut out = SessionResult::default();
    let ident = client.file_ident().map_or(0, |f| f.ident.get());
    let realm_state = &shared.realms[realm];
    let mut outstanding: VecDeque<u64> = VecDeque::new();
    let mut next_send = plan.first_send;
    let mut sent = 0usize;
    let mut done_sending = false;
    let mut drain_until = None;
    let poll = Duration::from_millis(50);
    loop {
        let now = Instant::now();
        let open = sent < plan.changesets && plan.stop_at.is_none_or(|s| now < s);
        if !open && !done_sending {
            done_sending = true;
            realm_state.senders_done.fetch_add(1, Ordering::SeqCst);
            drain_until = Some(now + plan.timeout);
        }
        let may_send = open
            && match plan.interval {
                None => outstanding.is_empty(),
                Some(_) => now >= next_send,
            };
        if may_send {
            let pk = ((index as i64) << 32) | sent as i64;
            let ts = plan.base_ts + sent as u64;
            let stamp = OriginTimestamp::new(ts).unwrap_or(OriginTimestamp::MAX);
            let version =
                match client.commit_with_timestamp(changeset(pk, plan.instructions), stamp) {
                    Ok(v) => v.get(),
                    Err(_) => {
                        shared.error("client".into());
                        break;
                    }
                };
            if let Ok(Some(upload)) = client.next_upload() {
                if let Ok(bytes) = ClientMessage::Upload(upload).to_bytes(wire.version()) {
                    out.bytes += bytes.len() as u64;
                }
            }
            if let Ok(mut map) = shared.sent_at.lock() {
                map.insert((ident, ts), Instant::now());
            }
            realm_state.sent.fetch_add(1, Ordering::SeqCst);
            if let Err(e) = client.upload(&mut wire).await {
                shared.error(error_key(&e));
                break;
            }
            outstanding.push_back(version);
            sent += 1;
            out.uploaded += 1;
            if let Some(interval) = plan.interval {
                next_send += interval;
            }
            continue;
        }
        if done_sending && outstanding.is_empty() {
            let all_done = realm_state.senders_done.load(Ordering::SeqCst) == realm_state.sessions;
            let others = realm_state.sent.load(Ordering::SeqCst) - sent as u64;
            if all_done && out.received >= others {
                break;
            }
        }
        if drain_until.is_some_and(|d| now >= d) {
            shared.error("timeout".into());
            break;
        }
        let wait = if open && plan.interval.is_some() {
            next_send.saturating_duration_since(now).min(poll)
        } else {
            poll
        };
        let message = match wire.recv_timeout(wait.max(Duration::from_millis(1))).await {
            Err(WireError::Timeout(_)) => continue,
            Err(e) => {
                shared.error(error_key(&SyncError::Wire(e)));
                break;
            }
            Ok(Incoming::Closed { code, .. }) => {
                shared.error(format!("closed {code}"));
                break;
            }
            Ok(Incoming::Message(m)) => m,
        };
        let mut starts = Vec::new();
        if let ServerMessage::Download(d) = &message {
            if let Ok(map) = shared.sent_at.lock() {
                for entry in &d.changesets {
                    let key = (entry.origin_file_ident.get(), entry.origin_timestamp.get());
                    if let Some(at) = map.get(&key) {
                        starts.push(*at);
                    }
                }
            }
        }
        if let Err(e) = client.handle(message) {
            shared.error(error_key(&e));
            break;
        }
        let now = Instant::now();
        out.received += starts.len() as u64;
        out.latencies
            .extend(starts.into_iter().map(|s| now.saturating_duration_since(s)));
        let acked = client.progress().upload.client_version.get();
        while outstanding.front().is_some_and(|v| *v <= acked) {
            outstanding.pop_front();
            out.acknowledged += 1;
        }
    }
    if !done_sending {
        realm_state.senders_done.fetch_add(1, Ordering::SeqCst);
    }
    out.finished = Some(Instant::now());
    let _ = client.unbind(&mut wire).await;
    out
}

fn random_suffix() -> String {
    super::probe::scratch_realm()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Runs the bench; `Err` when the sessions could not be set up.
pub async fn run(options: &BenchOptions) -> Result<BenchReport, BenchFailure> {
    let mut endpoint = Endpoint::new(options.target.url.clone());
    endpoint.token = options.target.token.clone();
    endpoint.tls = options.target.tls.clone();
    endpoint.connect_timeout = options.target.timeout;
    let suffix = random_suffix();
    let realms: Vec<String> = (0..options.realms.max(1))
        .map(|i| format!("/__probe/bench-{suffix}-{i}"))
        .collect();
    let realm_of = |i: usize| i % realms.len();
    let mut setups = Vec::new();
    for i in 0..options.sessions {
        setups.push(connect(&endpoint, &realms[realm_of(i)]));
    }
    let mut connected = Vec::new();
    for result in futures_util::future::join_all(setups).await {
        connected.push(result?);
    }
    let shared = Arc::new(Shared {
        sent_at: Mutex::new(HashMap::new()),
        realms: (0..realms.len())
            .map(|r| RealmShared {
                sessions: (0..options.sessions).filter(|i| realm_of(*i) == r).count(),
                sent: AtomicU64::new(0),
                senders_done: AtomicUsize::new(0),
            })
            .collect(),
        errors: Mutex::new(BTreeMap::new()),
    });
    let start = Instant::now();
    let interval = options
        .rate
        .filter(|r| *r > 0.0)
        .map(|r| Duration::from_secs_f64(options.sessions as f64 / r));
    let base_ts = origin_timestamp_now().get() + 60_000;
    let plan = Arc::new(Plan {
        changesets: if options.duration.is_some() && options.changesets == 0 {
            usize::MAX
        } else {
            options.changesets
        },
        instructions: options.instructions.max(1),
        interval,
        first_send: start,
        stop_at: options.duration.map(|d| start + d),
        timeout: options.target.timeout,
        base_ts,
    });
    let mut tasks = Vec::new();
    for (i, (wire, client)) in connected.into_iter().enumerate() {
        let mut plan_i = clone_plan(&plan);
        if let Some(interval) = interval {
            plan_i.first_send = start + interval.mul_f64(i as f64 / options.sessions.max(1) as f64);
        }
        tasks.push(tokio::spawn(run_session(
            shared.clone(),
            i,
            realm_of(i),
            wire,
            client,
            Arc::new(plan_i),
        )));
    }
    let mut results = Vec::new();
    for t in tasks {
        match t.await {
            Ok(r) => results.push(r),
            Err(_) => shared.error("client".into()),
        }
    }
    let elapsed = results.iter().filter_map(|r| r.finished).max().map_or_else(
        || start.elapsed(),
        |end| end.saturating_duration_since(start),
    );
    let mut latencies: Vec<Duration> = results
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.latencies))
        .collect();
    latencies.sort();
    let sum = |f: fn(&SessionResult) -> u64| results.iter().map(f).sum::<u64>();
    let uploaded = sum(|r| r.uploaded);
    let acknowledged = sum(|r| r.acknowledged);
    let received = sum(|r| r.received);
    let expected_received = shared
        .realms
        .iter()
        .map(|r| r.sent.load(Ordering::SeqCst) * (r.sessions as u64).saturating_sub(1))
        .sum();
    let errors = shared.errors.lock().map(|e| e.clone()).unwrap_or_default();
    let secs = elapsed.as_secs_f64().max(1e-9);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(BenchReport {
        ok: errors.is_empty() && acknowledged == uploaded && received == expected_received,
        url: options.target.url.clone(),
        realms,
        sessions: options.sessions as u64,
        connections: options.sessions as u64,
        changesets_per_session: options.changesets as u64,
        instructions: options.instructions as u64,
        mode: if interval.is_some() { "open" } else { "closed" }.into(),
        rate: options.rate,
        elapsed_s: elapsed.as_secs_f64(),
        changesets: Counts {
            uploaded,
            acknowledged,
            received,
            expected_received,
        },
        throughput: Throughput {
            acknowledged_per_s: acknowledged as f64 / secs,
            received_per_s: received as f64 / secs,
        },
        latency_ms: Latency {
            samples: latencies.len() as u64,
            p50: ms(percentile(&latencies, 0.50)),
            p90: ms(percentile(&latencies, 0.90)),
            p99: ms(percentile(&latencies, 0.99)),
            max: ms(latencies.last().copied().unwrap_or_default()),
        },
        bytes_uploaded: sum(|r| r.bytes),
        errors,
    })
}

fn clone_plan(p: &Plan) -> Plan {
    Plan {
        changesets: p.changesets,
        instructions: p.instructions,
        interval: p.interval,
        first_send: p.first_send,
        stop_at: p.stop_at,
        timeout: p.timeout,
        base_ts: p.base_ts,
    }
}

/// One figure against the previous report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    pub figure: String,
    pub old: f64,
    pub new: f64,
    /// Percent change, new against old (`None` when old is 0).
    pub change_pct: Option<f64>,
    pub regressed: bool,
}

/// The figures `--compare` checks: throughput (higher is better) and latency
/// (lower is better). A regression is a change past `max_regression_pct` the wrong way.
pub fn compare(old: &BenchReport, new: &BenchReport, max_regression_pct: f64) -> Vec<FigureChange> {
    let figures = [
        (
            "throughput.acknowledged_per_s",
            old.throughput.acknowledged_per_s,
            new.throughput.acknowledged_per_s,
            true,
        ),
        (
            "throughput.received_per_s",
            old.throughput.received_per_s,
            new.throughput.received_per_s,
            true,
        ),
        (
            "latency_ms.p50",
            old.latency_ms.p50,
            new.latency_ms.p50,
            false,
        ),
        (
            "latency_ms.p90",
            old.latency_ms.p90,
            new.latency_ms.p90,
            false,
        ),
        (
            "latency_ms.p99",
            old.latency_ms.p99,
            new.latency_ms.p99,
            false,
        ),
        (
            "latency_ms.max",
            old.latency_ms.max,
            new.latency_ms.max,
            false,
        ),
    ];
    figures
        .into_iter()
        .map(|(figure, old, new, higher_better)| {
            let change_pct = (old != 0.0).then(|| (new - old) / old * 100.0);
            let regressed = match change_pct {
                Some(pct) if higher_better => pct < -max_regression_pct,
                Some(pct) => pct > max_regression_pct,
                None => false,
            };
            FigureChange {
                figure: figure.into(),
                old,
                new,
                change_pct,
                regressed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 0.5), Duration::from_millis(50));
        assert_eq!(percentile(&samples, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&samples, 1.0), Duration::from_millis(100));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn compare_flags_lower_throughput_and_higher_latency() {
        let mut old = BenchReport::default();
        old.throughput.acknowledged_per_s = 100.0;
        old.latency_ms.p99 = 10.0;
        let mut new = old.clone();
        assert!(compare(&old, &new, 20.0).iter().all(|c| !c.regressed));
        new.throughput.acknowledged_per_s = 70.0;
        new.latency_ms.p99 = 11.0;
        let changes = compare(&old, &new, 20.0);
        let regressed: Vec<&str> = changes
            .iter()
            .filter(|c| c.regressed)
            .map(|c| c.figure.as_str())
            .collect();
        assert_eq!(regressed, ["throughput.acknowledged_per_s"]);
        new.latency_ms.p99 = 13.0;
        assert!(compare(&old, &new, 20.0)
            .iter()
            .any(|c| c.figure == "latency_ms.p99" && c.regressed));
    }
}
