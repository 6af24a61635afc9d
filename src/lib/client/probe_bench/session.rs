//! One bench session: connecting it, then its life in one of the three modes.
//!
//! * live (closed or open loop): bound before the clock starts; uploads one
//!   changeset at a time and integrates the others' as they come, until its
//!   own are acknowledged and it has integrated every other session's.
//! * offline: every changeset is committed before the clock starts; the clock
//!   runs from connecting to "synced" (the MARK sent after BIND answered and
//!   every local change acknowledged), as for a client that was offline and
//!   comes back.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::protocol::{OriginTimestamp, ServerMessage, SessionIdent};

use super::super::probe::FailureKind;
use super::super::sync::{
    ConnectError, Endpoint, Incoming, RealmClient, Received, SyncError, Wire, WireError,
};
use super::workload::{changeset, primary_key, schema};
use super::{BenchFailure, Plan, Shared};

/// Where a session belongs and whether it writes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Role {
    pub index: usize,
    pub realm: usize,
    pub writes: bool,
    /// Its connection, and its session ident there.
    pub connection: usize,
    pub session: SessionIdent,
}

/// What one session saw.
#[derive(Default)]
pub(super) struct SessionResult {
    pub uploaded: u64,
    pub acknowledged: u64,
    pub received: u64,
    pub bytes: u64,
    /// When its last changeset was acknowledged.
    pub acknowledged_at: Option<Instant>,
    /// When the session had everything (before its UNBIND).
    pub finished: Option<Instant>,
}

fn failed(step: &str, path: &str, e: impl std::fmt::Display) -> BenchFailure {
    BenchFailure {
        kind: FailureKind::Failed,
        message: format!("{step} {path}: {e}"),
    }
}

async fn open_wire(endpoint: &Endpoint) -> Result<Wire, BenchFailure> {
    Wire::connect(endpoint).await.map_err(|e| {
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
    })
}

/// The wires of one connection's sessions (the connection itself for one).
pub(super) async fn open_shares(
    endpoint: &Endpoint,
    sessions: &[SessionIdent],
) -> Result<Vec<Wire>, BenchFailure> {
    let wire = open_wire(endpoint).await?;
    if sessions.len() == 1 {
        return Ok(vec![wire]);
    }
    wire.multiplex(sessions).map_err(|e| BenchFailure {
        kind: FailureKind::Failed,
        message: format!("connect: {e}"),
    })
}

/// A live session, bound and past its first sync (a writer has its table).
pub(super) async fn bind_live(
    endpoint: &Endpoint,
    mut wire: Wire,
    path: &str,
    role: Role,
) -> Result<(Wire, RealmClient), BenchFailure> {
    let mut client = RealmClient::new(path).with_idle_timeout(endpoint.connect_timeout);
    client
        .bind(&mut wire, role.session)
        .await
        .map_err(|e| failed("bind", path, e))?;
    if role.writes {
        client
            .commit(schema())
            .map_err(|e| failed("schema", path, e))?;
    }
    client
        .sync_until_idle(&mut wire)
        .await
        .map_err(|e| failed("sync", path, e))?;
    Ok((wire, client))
}

/// An offline session's client: its changesets committed locally, nothing
/// sent yet.
pub(super) fn prepare_offline(
    endpoint: &Endpoint,
    path: &str,
    role: Role,
    plan: &Plan,
) -> Result<RealmClient, BenchFailure> {
    let mut client = RealmClient::new(path).with_idle_timeout(endpoint.connect_timeout);
    if role.writes {
        client
            .commit(schema())
            .map_err(|e| failed("schema", path, e))?;
        for k in 0..plan.changesets {
            client
                .commit_with_timestamp(
                    changeset(primary_key(role.index, k), plan.instructions),
                    plan.stamp(k),
                )
                .map_err(|e| failed("commit", path, e))?;
        }
    }
    Ok(client)
}

/// Whether the server can be reached at all, before an offline run's clock
/// starts (its sessions connect on the clock).
pub(super) async fn reachable(endpoint: &Endpoint) -> Result<(), BenchFailure> {
    open_wire(endpoint).await.map(drop)
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

/// The offline session's timed part (after its connection is made): BIND,
/// then upload everything and integrate what comes until the MARK sent after
/// BIND is answered and every local change is acknowledged.
pub(super) async fn run_offline(
    shared: Arc<Shared>,
    role: Role,
    mut wire: Wire,
    mut client: RealmClient,
) -> SessionResult {
    let mut out = SessionResult::default();
    if let Err(e) = client.bind(&mut wire, role.session).await {
        shared.error(error_key(&e));
        return out;
    }
    let request = match client.mark(&mut wire).await {
        Ok(r) => r,
        Err(e) => {
            shared.error(error_key(&e));
            return out;
        }
    };
    let writes = if role.writes { plan_count(&client) } else { 0 };
    out.uploaded = writes;
    shared
        .progress
        .uploaded
        .fetch_add(writes, Ordering::Relaxed);
    let mut answered = false;
    let mut acknowledged_version = 0;
    loop {
        match client.upload_counted(&mut wire).await {
            Ok(sent) => out.bytes += sent.unwrap_or(0),
            Err(e) => {
                shared.error(error_key(&e));
                break;
            }
        }
        let acked = client.progress().upload.client_version.get();
        if acked > acknowledged_version {
            acknowledged_version = acked;
            out.acknowledged_at = Some(Instant::now());
        }
        if answered && client.is_uploaded() {
            break;
        }
        match client.receive_one(&mut wire).await {
            Ok(Received::Download { changesets, .. }) => {
                out.received += changesets as u64;
                shared
                    .progress
                    .received
                    .fetch_add(changesets as u64, Ordering::Relaxed);
            }
            Ok(Received::Mark(r)) if r >= request => answered = true,
            Ok(_) => {}
            Err(e) => {
                shared.error(error_key(&e));
                break;
            }
        }
    }
    if client.is_uploaded() {
        out.acknowledged = writes;
        shared
            .progress
            .acknowledged
            .fetch_add(writes, Ordering::Relaxed);
    }
    out.finished = Some(Instant::now());
    let _ = client.unbind(&mut wire).await;
    out
}

/// What waiting on a session's wire gave.
enum Waited {
    Message(ServerMessage),
    /// Nothing within the wait.
    Nothing,
    /// The connection failed or closed (already counted among the errors).
    End,
}

async fn wait_message(wire: &mut Wire, wait: Duration, shared: &Shared) -> Waited {
    match wire.recv_timeout(wait).await {
        Err(WireError::Timeout(_)) => Waited::Nothing,
        Err(e) => {
            shared.error(error_key(&SyncError::Wire(e)));
            Waited::End
        }
        Ok(Incoming::Closed { code, .. }) => {
            shared.error(format!("closed {code}"));
            Waited::End
        }
        Ok(Incoming::Message(m)) => Waited::Message(m),
    }
}

/// Changesets a writer committed (its table's creation is not counted).
fn plan_count(client: &RealmClient) -> u64 {
    client
        .history()
        .iter()
        .filter(|e| matches!(e, crate::client::sync::HistoryEntry::Local(_)))
        .count()
        .saturating_sub(1) as u64
}

/// The live session's timed part (closed or open loop).
pub(super) async fn run_live(
    shared: Arc<Shared>,
    role: Role,
    mut wire: Wire,
    mut client: RealmClient,
    plan: Plan,
) -> SessionResult {
    let mut out = SessionResult::default();
    let ident = client.file_ident().map_or(0, |f| f.ident.get());
    let realm_state = &shared.realms[role.realm];
    let to_send = if role.writes { plan.changesets } else { 0 };
    let mut outstanding: VecDeque<u64> = VecDeque::new();
    let mut next_send = plan.first_send;
    let mut sent = 0usize;
    let mut done_sending = false;
    let mut drain_until = None;
    let poll = Duration::from_millis(50);
    loop {
        let now = Instant::now();
        let open = sent < to_send && plan.stop_at.is_none_or(|s| now < s);
        if !open && !done_sending {
            done_sending = true;
            realm_state.senders_done.fetch_add(1, Ordering::SeqCst);
            drain_until = Some(now + plan.timeout);
        }
        let may_send = open
            && match plan.interval {
                None => outstanding.is_empty() && now >= next_send,
                Some(_) => now >= next_send,
            };
        if may_send {
            let stamp = plan.stamp(sent);
            let version = match client.commit_with_timestamp(
                changeset(primary_key(role.index, sent), plan.instructions),
                stamp,
            ) {
                Ok(v) => v.get(),
                Err(_) => {
                    shared.error("client".into());
                    break;
                }
            };
            if let Ok(mut map) = shared.sent_at.write() {
                map.insert((ident, stamp.get()), Instant::now());
            }
            realm_state.sent.fetch_add(1, Ordering::SeqCst);
            match client.upload_counted(&mut wire).await {
                Ok(sent) => out.bytes += sent.unwrap_or(0),
                Err(e) => {
                    shared.error(error_key(&e));
                    break;
                }
            }
            outstanding.push_back(version);
            sent += 1;
            out.uploaded += 1;
            shared.progress.uploaded.fetch_add(1, Ordering::Relaxed);
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
        // Waiting for a tick: the open loop's next slot, or the end of a
        // closed loop's think time (else for the acknowledgement itself).
        let ticking = match plan.interval {
            Some(_) => true,
            None => outstanding.is_empty(),
        };
        let wait = if open && ticking {
            next_send.saturating_duration_since(now).min(poll)
        } else {
            poll
        };
        let message =
            match wait_message(&mut wire, wait.max(Duration::from_millis(1)), &shared).await {
                Waited::Nothing => continue,
                Waited::End => break,
                Waited::Message(m) => m,
            };
        let starts = match &message {
            ServerMessage::Download(d) => shared.sent_times(d),
            _ => Vec::new(),
        };
        if let Err(e) = client.handle(message) {
            shared.error(error_key(&e));
            break;
        }
        let now = Instant::now();
        out.received += starts.len() as u64;
        shared
            .progress
            .received
            .fetch_add(starts.len() as u64, Ordering::Relaxed);
        shared.record_latencies(now, &starts);
        let acked = client.progress().upload.client_version.get();
        while outstanding.front().is_some_and(|v| *v <= acked) {
            outstanding.pop_front();
            out.acknowledged += 1;
            out.acknowledged_at = Some(now);
            shared.progress.acknowledged.fetch_add(1, Ordering::Relaxed);
            if plan.interval.is_none() && outstanding.is_empty() {
                next_send = now + plan.think;
            }
        }
    }
    if !done_sending {
        realm_state.senders_done.fetch_add(1, Ordering::SeqCst);
    }
    out.finished = Some(Instant::now());
    let _ = client.unbind(&mut wire).await;
    out
}

/// A reader of `--readers parse`: it decodes each DOWNLOAD (the wire does)
/// and notes which changesets arrived, nothing more, so a sample ends when
/// the DOWNLOAD is read. Lean on purpose: a thousand of these share the
/// bench's cores with the server, as `benches/sync.rs`'s fan-out readers do.
pub(super) async fn run_parse_reader(
    shared: Arc<Shared>,
    role: Role,
    mut wire: Wire,
    plan: Plan,
) -> SessionResult {
    let mut out = SessionResult::default();
    let realm_state = &shared.realms[role.realm];
    realm_state.senders_done.fetch_add(1, Ordering::SeqCst);
    let poll = Duration::from_millis(50);
    let mut drain_until = None;
    loop {
        let all_sent = realm_state.senders_done.load(Ordering::SeqCst) == realm_state.sessions;
        if all_sent && out.received >= realm_state.sent.load(Ordering::SeqCst) {
            break;
        }
        let now = Instant::now();
        if all_sent && *drain_until.get_or_insert(now + plan.timeout) <= now {
            shared.error("timeout".into());
            break;
        }
        let download = match wait_message(&mut wire, poll, &shared).await {
            Waited::Nothing => continue,
            Waited::End => break,
            Waited::Message(ServerMessage::Download(d)) => d,
            Waited::Message(ServerMessage::Error(e)) => {
                shared.error(e.code.number().to_string());
                break;
            }
            Waited::Message(ServerMessage::JsonError(e)) => {
                shared.error(e.code.number().to_string());
                break;
            }
            Waited::Message(_) => continue,
        };
        let arrived = Instant::now();
        let starts = shared.sent_times(&download);
        shared.record_latencies(arrived, &starts);
        let found = starts.len() as u64;
        out.received += found;
        shared.progress.received.fetch_add(found, Ordering::Relaxed);
    }
    out.finished = Some(Instant::now());
    out
}

impl Plan {
    /// The origin timestamp of a session's `k`-th changeset: with the
    /// uploader's file ident it names the changeset in others' DOWNLOADs.
    pub(super) fn stamp(&self, k: usize) -> OriginTimestamp {
        OriginTimestamp::new(self.base_ts + k as u64).unwrap_or(OriginTimestamp::MAX)
    }
}
