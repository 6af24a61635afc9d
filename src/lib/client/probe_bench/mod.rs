//! `ros probe bench`: N sessions over C connections (one each by default;
//! several share one through [`Wire::multiplex`]) on R scratch Realms. In each Realm the first W
//! sessions write (all of them by default) and the rest only read; each writer
//! uploads M changesets of K instructions, and every session integrates the
//! others' changesets.
//!
//! Three modes (`session.rs` says how each session lives):
//! * closed loop: a writer uploads its next changeset once the previous one
//!   is acknowledged (and, with a think time, that much later);
//! * open loop: writers upload at a target total rate whatever the server says;
//! * offline: writers commit everything before connecting, then connect and
//!   sync it in one go, as clients coming back online do.
//!
//! A latency sample is the time from a changeset's UPLOAD to another session of
//! its Realm having integrated it (or, with [`Readers::Parse`], a reader
//! having decoded the DOWNLOAD that carries it); changesets are recognised in DOWNLOADs by
//! (origin file ident, origin timestamp), each writer stamping its k-th
//! changeset `base + k`.

mod compare;
mod session;
mod workload;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

pub use compare::{compare, FigureChange};

use super::probe::{FailureKind, ProbeOptions};
use super::sync::{origin_timestamp_now, Endpoint, RealmClient, Wire};
use crate::protocol::SessionIdent;
use session::{Role, SessionResult};

/// How writers pace their uploads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Next upload once the previous one is acknowledged and `think` more
    /// has passed (a user's pause between two changes; zero: at once).
    Closed { think: Duration },
    /// This many changesets per second over all writers.
    Open { rate: f64 },
    /// Everything committed before connecting, then synced at once.
    Offline,
}

/// What sessions that do not write do with the DOWNLOADs they receive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Readers {
    /// Check, merge and apply every changeset, as a real client does: the
    /// latency includes the reader's own integration.
    #[default]
    Integrate,
    /// Decode the message and note which changesets arrived, nothing more:
    /// the bench's CPU stays with the server, as in `benches/sync.rs`'s
    /// fan-out, so the latency is the server's alone when both share a machine.
    Parse,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Where and how to connect (`realm` is unused: scratch Realms are made).
    pub target: ProbeOptions,
    pub sessions: usize,
    /// Connections the sessions share (round robin); `None`: one each.
    pub connections: Option<usize>,
    /// Writers per Realm (the first sessions of each Realm); `None`: all.
    pub writers: Option<usize>,
    pub readers: Readers,
    pub changesets: usize,
    pub instructions: usize,
    pub realms: usize,
    pub mode: Mode,
    /// Stop uploading after this long (else after `changesets` each; not offline).
    pub duration: Option<Duration>,
    /// Counters a caller may watch while the bench runs (a progress bar).
    pub progress: Arc<Progress>,
}

/// Live counts over all sessions, updated as the bench runs.
#[derive(Debug, Default)]
pub struct Progress {
    pub uploaded: AtomicU64,
    pub acknowledged: AtomicU64,
    pub received: AtomicU64,
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
    /// Receipts a complete run has: each changeset once per other session of
    /// its Realm (0 offline, where receipts are counted but not awaited).
    pub expected_received: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    /// Changesets acknowledged by the server per second, until the last acknowledgement.
    pub acknowledged_per_s: f64,
    /// Changesets integrated by other sessions per second, until every session finished.
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
    /// Sessions that upload, over all Realms.
    #[serde(default)]
    pub writers: u64,
    /// What readers did with a DOWNLOAD: `integrate` or `parse`.
    #[serde(default)]
    pub readers: Readers,
    pub changesets_per_session: u64,
    pub instructions: u64,
    /// `closed`, `open` or `offline`.
    pub mode: String,
    pub rate: Option<f64>,
    /// Closed loop: the pause after each acknowledgement, in milliseconds.
    #[serde(default)]
    pub think_ms: Option<f64>,
    pub elapsed_s: f64,
    /// From the start until the last acknowledgement.
    #[serde(default)]
    pub acknowledged_s: f64,
    pub changesets: Counts,
    pub throughput: Throughput,
    /// Upload → integration by another session, milliseconds.
    pub latency_ms: Latency,
    /// UPLOAD message bytes as sent (compressed when large).
    pub bytes_uploaded: u64,
    /// Errors by protocol error code (e.g. "203"), else by kind ("timeout", "closed", …).
    pub errors: BTreeMap<String, u64>,
    /// The scratch Realms afterwards: `deleted`, or `kept: <why>` (null when
    /// no http base was known to delete them through).
    #[serde(default)]
    pub cleanup: Option<String>,
}

/// Latencies in microseconds to three significant figures, up to an hour
/// from the start (about 190 KiB), growing beyond that if it must: a long
/// run's memory stays bounded whatever its number of samples.
fn latency_histogram() -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(1, LATENCY_RANGE_US, 3)
        .or_else(|_| Histogram::new(3))
        .expect("3 significant figures is a valid precision");
    h.auto(true);
    h
}

/// The latencies [`latency_histogram`] holds without growing, in microseconds.
const LATENCY_RANGE_US: u64 = 3_600_000_000;

/// Records one latency. `record` grows the histogram to fit; its
/// `saturating_record` would clamp to the current (tiny, at first) range.
fn record_latency(h: &mut Histogram<u64>, latency: Duration) {
    let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
    if h.record(micros).is_err() {
        h.saturating_record(micros);
    }
}

/// The latency figures of a histogram of microseconds, in milliseconds.
fn latency(h: &Histogram<u64>) -> Latency {
    let ms = |micros: u64| micros as f64 / 1000.0;
    Latency {
        samples: h.len(),
        p50: ms(h.value_at_quantile(0.50)),
        p90: ms(h.value_at_quantile(0.90)),
        p99: ms(h.value_at_quantile(0.99)),
        max: ms(h.max()),
    }
}

struct RealmShared {
    sessions: usize,
    sent: AtomicU64,
    senders_done: AtomicUsize,
}

struct Shared {
    /// When each changeset left its writer; read by every session at each
    /// DOWNLOAD (a read lock: readers do not wait for each other).
    sent_at: RwLock<HashMap<(u64, u64), Instant>>,
    realms: Vec<RealmShared>,
    errors: Mutex<BTreeMap<String, u64>>,
    /// Every session's upload → integration latencies. One histogram, sized
    /// before the clock starts: a histogram per session that grew as its
    /// first samples came put a thousand readers' allocations (tens of
    /// megabytes) into the run's first rounds (benches/README.md, "Sync
    /// service").
    latencies: Mutex<Histogram<u64>>,
    progress: Arc<Progress>,
}

impl Shared {
    fn error(&self, key: String) {
        if let Ok(mut e) = self.errors.lock() {
            *e.entry(key).or_default() += 1;
        }
    }

    /// When each of `download`'s changesets that this bench sent left its
    /// writer (others' changesets, such as a writer's table, are not timed).
    fn sent_times(&self, download: &crate::protocol::Download) -> Vec<Instant> {
        let Ok(map) = self.sent_at.read() else {
            return Vec::new();
        };
        download
            .changesets
            .iter()
            .filter_map(|entry| {
                map.get(&(entry.origin_file_ident.get(), entry.origin_timestamp.get()))
                    .copied()
            })
            .collect()
    }

    /// Records latencies that ended at `arrived`, from when each changeset
    /// was sent.
    fn record_latencies(&self, arrived: Instant, sent: &[Instant]) {
        if sent.is_empty() {
            return;
        }
        if let Ok(mut h) = self.latencies.lock() {
            for at in sent {
                record_latency(&mut h, arrived.saturating_duration_since(*at));
            }
        }
    }
}

/// The pacing every session shares (each gets its own `first_send`).
#[derive(Debug, Clone)]
struct Plan {
    changesets: usize,
    instructions: usize,
    interval: Option<Duration>,
    /// Closed loop: the pause after each acknowledgement.
    think: Duration,
    first_send: Instant,
    stop_at: Option<Instant>,
    timeout: Duration,
    base_ts: u64,
}

fn random_suffix() -> String {
    super::probe::scratch_realm()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Session `i`'s Realm, whether it writes, and its connection: sessions go
/// round the Realms, the first `writers` of each Realm write, and sessions go
/// round the connections too (session idents 1, 2, … on each).
fn roles(options: &BenchOptions, realms: usize, connections: usize) -> Vec<Role> {
    (0..options.sessions)
        .map(|index| Role {
            index,
            realm: index % realms,
            writes: options.writers.is_none_or(|w| index / realms < w),
            connection: index % connections,
            session: SessionIdent::new((index / connections) as u64 + 1)
                .unwrap_or(SessionIdent::MAX),
        })
        .collect()
}

/// The roles of each connection, in order.
fn by_connection(roles: &[Role], connections: usize) -> Vec<Vec<Role>> {
    let mut out = vec![Vec::new(); connections];
    for role in roles {
        out[role.connection].push(*role);
    }
    out
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
    let connections = options
        .connections
        .unwrap_or(options.sessions)
        .clamp(1, options.sessions.max(1));
    let roles = roles(options, realms.len(), connections);
    let groups = by_connection(&roles, connections);
    let writers = roles.iter().filter(|r| r.writes).count();
    let interval = match options.mode {
        Mode::Open { rate } if rate > 0.0 => {
            Some(Duration::from_secs_f64(writers.max(1) as f64 / rate))
        }
        _ => None,
    };
    let offline = options.mode == Mode::Offline;
    let mut plan = Plan {
        changesets: if options.duration.is_some() && options.changesets == 0 && !offline {
            usize::MAX
        } else {
            options.changesets
        },
        instructions: options.instructions.max(1),
        interval,
        think: match options.mode {
            Mode::Closed { think } => think,
            _ => Duration::ZERO,
        },
        first_send: Instant::now(),
        stop_at: None,
        timeout: options.target.timeout,
        base_ts: origin_timestamp_now().get() + 60_000,
    };
    let mut live = Vec::new();
    let mut offline_clients = Vec::new();
    if offline {
        session::reachable(&endpoint).await?;
        for group in &groups {
            let mut clients = Vec::new();
            for role in group {
                let path = &realms[role.realm];
                clients.push(session::prepare_offline(&endpoint, path, *role, &plan)?);
            }
            offline_clients.push(clients);
        }
    } else {
        let setups = groups
            .iter()
            .map(|group| live_connection(&endpoint, &realms, group));
        for result in futures_util::future::join_all(setups).await {
            live.extend(result?);
        }
    }
    let shared = Arc::new(Shared {
        sent_at: RwLock::new(HashMap::new()),
        realms: (0..realms.len())
            .map(|r| RealmShared {
                sessions: roles.iter().filter(|role| role.realm == r).count(),
                sent: AtomicU64::new(0),
                senders_done: AtomicUsize::new(0),
            })
            .collect(),
        errors: Mutex::new(BTreeMap::new()),
        latencies: Mutex::new(latency_histogram()),
        progress: options.progress.clone(),
    });
    let start = Instant::now();
    plan.first_send = start;
    plan.stop_at = options.duration.map(|d| start + d);
    let mut tasks = Vec::new();
    let mut offline_runs = Vec::new();
    for (group, clients) in groups.iter().zip(offline_clients) {
        let (shared, endpoint, group) = (shared.clone(), endpoint.clone(), group.clone());
        offline_runs.push(tokio::spawn(async move {
            let idents: Vec<SessionIdent> = group.iter().map(|r| r.session).collect();
            let Ok(wires) = session::open_shares(&endpoint, &idents).await else {
                shared.error("connect".into());
                return Vec::new();
            };
            let runs = group
                .into_iter()
                .zip(wires)
                .zip(clients)
                .map(|((role, wire), client)| {
                    session::run_offline(shared.clone(), role, wire, client)
                });
            futures_util::future::join_all(runs).await
        }));
    }
    let mut nth_writer = 0;
    for (role, wire, client) in live {
        let mut plan = plan.clone();
        if let (Some(interval), true) = (interval, role.writes) {
            plan.first_send = start + interval.mul_f64(nth_writer as f64 / writers.max(1) as f64);
            nth_writer += 1;
        }
        if !role.writes && options.readers == Readers::Parse {
            // Nothing of the client is needed past BIND: the task stays small.
            drop(client);
            let task = session::run_parse_reader(shared.clone(), role, wire, plan);
            tasks.push(tokio::spawn(task));
            continue;
        }
        let task = session::run_live(shared.clone(), role, wire, client, plan);
        tasks.push(tokio::spawn(task));
    }
    let mut results = Vec::new();
    for t in tasks {
        match t.await {
            Ok(r) => results.push(r),
            Err(_) => shared.error("client".into()),
        }
    }
    for t in offline_runs {
        match t.await {
            Ok(r) => results.extend(r),
            Err(_) => shared.error("client".into()),
        }
    }
    let mut report = report(
        options,
        &realms,
        connections,
        writers,
        start,
        results,
        &shared,
    );
    if let Some(base) = &options.target.cleanup {
        report.cleanup = Some(super::probe::delete_realms(&options.target, base, &realms).await);
    }
    Ok(report)
}

/// One connection's live sessions, each bound and past its first sync.
async fn live_connection(
    endpoint: &Endpoint,
    realms: &[String],
    group: &[Role],
) -> Result<Vec<(Role, Wire, RealmClient)>, BenchFailure> {
    let idents: Vec<SessionIdent> = group.iter().map(|r| r.session).collect();
    let wires = session::open_shares(endpoint, &idents).await?;
    let binds = group
        .iter()
        .zip(wires)
        .map(|(role, wire)| session::bind_live(endpoint, wire, &realms[role.realm], *role));
    let mut out = Vec::new();
    for (role, bound) in group
        .iter()
        .zip(futures_util::future::join_all(binds).await)
    {
        let (wire, client) = bound?;
        out.push((*role, wire, client));
    }
    Ok(out)
}

fn report(
    options: &BenchOptions,
    realms: &[String],
    connections: usize,
    writers: usize,
    start: Instant,
    results: Vec<SessionResult>,
    shared: &Shared,
) -> BenchReport {
    let since_start = |at: Option<Instant>| at.map_or(Duration::ZERO, |t| t - start);
    let elapsed = since_start(results.iter().filter_map(|r| r.finished).max());
    let acknowledged_in = since_start(results.iter().filter_map(|r| r.acknowledged_at).max());
    let latencies = shared
        .latencies
        .lock()
        .map(|h| latency(&h))
        .unwrap_or_else(|poisoned| latency(&poisoned.into_inner()));
    let sum = |f: fn(&SessionResult) -> u64| results.iter().map(f).sum::<u64>();
    let uploaded = sum(|r| r.uploaded);
    let acknowledged = sum(|r| r.acknowledged);
    let received = sum(|r| r.received);
    let expected_received = if options.mode == Mode::Offline {
        0
    } else {
        shared
            .realms
            .iter()
            .map(|r| r.sent.load(Ordering::SeqCst) * (r.sessions as u64).saturating_sub(1))
            .sum()
    };
    let errors = shared.errors.lock().map(|e| e.clone()).unwrap_or_default();
    let per_s = |n: u64, d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    let (mode, rate) = match options.mode {
        Mode::Closed { .. } => ("closed", None),
        Mode::Open { rate } => ("open", Some(rate)),
        Mode::Offline => ("offline", None),
    };
    BenchReport {
        ok: errors.is_empty() && acknowledged == uploaded && received >= expected_received,
        url: options.target.url.clone(),
        realms: realms.to_vec(),
        sessions: options.sessions as u64,
        connections: connections as u64,
        writers: writers as u64,
        readers: options.readers,
        changesets_per_session: options.changesets as u64,
        instructions: options.instructions as u64,
        mode: mode.into(),
        rate,
        think_ms: match options.mode {
            Mode::Closed { think } => Some(think.as_secs_f64() * 1000.0),
            _ => None,
        },
        elapsed_s: elapsed.as_secs_f64(),
        acknowledged_s: acknowledged_in.as_secs_f64(),
        changesets: Counts {
            uploaded,
            acknowledged,
            received,
            expected_received,
        },
        throughput: Throughput {
            acknowledged_per_s: per_s(acknowledged, acknowledged_in),
            received_per_s: per_s(received, elapsed),
        },
        latency_ms: latencies,
        bytes_uploaded: sum(|r| r.bytes),
        errors,
        cleanup: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_figures_come_from_the_histogram_in_milliseconds() {
        let mut h = latency_histogram();
        for ms in 1..=100u64 {
            record_latency(&mut h, Duration::from_millis(ms));
        }
        let l = latency(&h);
        assert_eq!(l.samples, 100);
        // Three significant figures: within 0.1% of the exact ranks.
        for (got, want) in [(l.p50, 50.0), (l.p90, 90.0), (l.p99, 99.0), (l.max, 100.0)] {
            assert!((got - want).abs() <= want * 0.001, "{got} vs {want}");
        }
        assert_eq!(latency(&latency_histogram()).p99, 0.0);
    }
}
