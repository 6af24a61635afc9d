//! `ros probe`: one synthetic sync client that walks a real session step by
//! step (connect, TLS, upgrade, BIND, IDENT, first DOWNLOAD, MARK, PING and,
//! with `write`, a changeset's round trip to a second connection), timing each
//! step, and reports where it stopped and why. The CLI only prints the report.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::sync::{ConnectError, Endpoint, Incoming, RealmClient, SyncError, TlsOptions, Wire};
use crate::changeset::{
    AddColumn, AddTable, ByteString, Changeset, CollectionType, ColumnType, CreateObject,
    Instruction, PrimaryKey, PrimaryKeySpec, PrimaryKeyType, TableType,
};
use crate::protocol::{
    Bind, BindPath, ClientIdent, ClientMessage, ErrorCode, JsonErrorBody, Mark, ProtocolVersion,
    RequestIdent, ServerMessage, SessionIdent, SignedToken, WireErrorCode,
};

/// The steps, in the order a probe runs them.
pub const STEPS: [&str; 12] = [
    "location",
    "login",
    "profile",
    "connect",
    "tls",
    "upgrade",
    "bind",
    "ident",
    "download",
    "mark",
    "ping",
    "roundtrip",
];

/// The table the `write` probe creates its objects in.
pub const PROBE_TABLE: &str = "RosProbe";

/// What to probe and how.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// The sync route, `ws://` or `wss://` (see [`sync_url`]).
    pub url: String,
    pub token: Option<String>,
    /// The Realm to bind (see [`scratch_realm`]).
    pub realm: String,
    /// The limit of every waiting step (connect: DNS, TCP, TLS and upgrade together).
    pub timeout: Duration,
    pub tls: TlsOptions,
    /// Also time a changeset from one connection to a second one.
    pub write: bool,
    /// The protocol versions offered at the upgrade.
    pub protocols: Protocols,
    /// Steps timed before the probe (an app login: location, login, profile),
    /// reported first in every probe.
    pub preface: Vec<(&'static str, Duration)>,
    /// After a `write` probe, delete its Realm through the admin API at this
    /// http(s) base (`None`: keep it, as for a Realm the caller named).
    pub cleanup: Option<String>,
}

/// The protocol versions a probe offers: `2-14` (realm-core's range, the
/// default), one version (`8`), or a range, to ask whether clients of that age
/// can still connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protocols {
    low: ProtocolVersion,
    high: ProtocolVersion,
}

impl Default for Protocols {
    fn default() -> Protocols {
        Protocols {
            low: ProtocolVersion::MIN,
            high: ProtocolVersion::MAX,
        }
    }
}

impl Protocols {
    /// Highest first, as realm-core offers them.
    pub fn offered(&self) -> Vec<u32> {
        (u32::from(self.low.get())..=u32::from(self.high.get()))
            .rev()
            .collect()
    }
}

impl std::str::FromStr for Protocols {
    type Err = String;

    fn from_str(text: &str) -> Result<Protocols, String> {
        let version = |v: &str| {
            v.trim()
                .parse::<u32>()
                .ok()
                .and_then(ProtocolVersion::new)
                .ok_or_else(|| {
                    format!(
                        "{v:?} is not a sync protocol version ({}-{})",
                        ProtocolVersion::MIN.get(),
                        ProtocolVersion::MAX.get()
                    )
                })
        };
        let (low, high) = match text.split_once('-') {
            Some((low, high)) => (version(low)?, version(high)?),
            None => (version(text)?, version(text)?),
        };
        if low > high {
            return Err(format!("{text:?}: the range is empty (use LOW-HIGH)"));
        }
        Ok(Protocols { low, high })
    }
}

/// The sync route for `url`: `ws://` and `wss://` URLs as given; an `http(s)://`
/// base becomes `ws(s)://…/realm-sync`.
pub fn sync_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.starts_with("ws://") || url.starts_with("wss://") {
        return Ok(url.to_string());
    }
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("http://") {
        ("ws", rest)
    } else if let Some(rest) = url.strip_prefix("https://") {
        ("wss", rest)
    } else {
        return Err(format!(
            "{url:?}: use a ws://, wss://, http:// or https:// URL"
        ));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("{url:?} has no host"));
    }
    let rest = rest.trim_end_matches('/');
    if rest.ends_with("/realm-sync") {
        return Ok(format!("{scheme}://{rest}"));
    }
    Ok(format!("{scheme}://{rest}/realm-sync"))
}

/// The Realm a probe without `--write` binds: one fixed Realm, so that a probe
/// run every minute by cron leaves one Realm behind, not one per run (it is
/// never written; each probe adds only its client file's row).
pub const HEALTH_REALM: &str = "/__probe/health";

/// The Realm a probe binds by default: [`HEALTH_REALM`] to read, a fresh
/// scratch Realm to write, which it deletes again when its token may
/// (`ProbeOptions::cleanup`).
pub fn default_realm(write: bool) -> String {
    if write {
        scratch_realm()
    } else {
        HEALTH_REALM.to_string()
    }
}

/// A fresh scratch Realm path, `/__probe/<random hex>`.
pub fn scratch_realm() -> String {
    format!("/__probe/{}", random_hex())
}

fn random_hex() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// How bad a failure is, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The server could not be reached (DNS, refused connection, timeout before the upgrade).
    Unreachable,
    /// A step ran and failed.
    Failed,
    /// The options cannot work (a bad URL, an unusable CA file).
    Usage,
}

/// Where and why a probe stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub step: &'static str,
    pub kind: FailureKind,
    /// The HTTP status of a refused upgrade.
    pub http_status: Option<u16>,
    /// A protocol error code, or the WebSocket close code.
    pub code: Option<u32>,
    /// The code's name (`permission_denied`, `unauthorized`, ...).
    pub code_name: Option<String>,
    /// What went wrong, with the server's message if it sent one.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed", self.step)?;
        if let Some(status) = self.http_status {
            write!(f, ": HTTP {status}")?;
        }
        if let Some(code) = self.code {
            write!(f, ": {code}")?;
            if let Some(name) = &self.code_name {
                write!(f, " {name}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// One timed step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepReport {
    pub step: &'static str,
    #[serde(serialize_with = "millis")]
    pub duration_ms: Duration,
    /// What the step learnt (the protocol version, the file ident, ...).
    pub detail: Option<String>,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(as_millis(*d))
}

/// A duration in milliseconds, to the microsecond.
pub fn as_millis(d: Duration) -> f64 {
    (d.as_micros() as f64) / 1000.0
}

/// One probe: the steps that completed, in order, and the failure if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeReport {
    pub url: String,
    pub realm: String,
    pub protocol_version: Option<u32>,
    pub file_ident: Option<u64>,
    /// The server's certificate (`wss://`), when it could be read.
    pub certificate: Option<PeerCertificate>,
    pub steps: Vec<StepReport>,
    pub failure: Option<Failure>,
    /// After a `write` probe: `deleted`, or `kept: <why>`.
    pub cleanup: Option<String>,
}

impl ProbeReport {
    pub fn duration(&self, step: &str) -> Option<Duration> {
        self.steps
            .iter()
            .find(|s| s.step == step)
            .map(|s| s.duration_ms)
    }
}

struct Run {
    report: ProbeReport,
}

impl Run {
    fn step(&mut self, step: &'static str, duration: Duration, detail: Option<String>) {
        self.report.steps.push(StepReport {
            step,
            duration_ms: duration,
            detail,
        });
    }
}

fn failed(step: &'static str, message: impl Into<String>) -> Failure {
    Failure {
        step,
        kind: FailureKind::Failed,
        http_status: None,
        code: None,
        code_name: None,
        message: message.into(),
    }
}

fn close_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1000 => "normal_closure",
        1001 => "going_away",
        1002 => "protocol_error",
        1005 => "no_status",
        1006 => "abnormal_closure",
        1008 => "policy_violation",
        1011 => "internal_error",
        4001 => "unauthorized",
        4002 => "forbidden",
        _ => return None,
    })
}

fn connect_failure(e: ConnectError) -> Failure {
    let message = e.to_string();
    let with = |step, kind| Failure {
        kind,
        ..failed(step, message.clone())
    };
    match e {
        ConnectError::BadUrl { .. } | ConnectError::TlsConfig { .. } => {
            with("connect", FailureKind::Usage)
        }
        ConnectError::Dns { .. } | ConnectError::Tcp { .. } | ConnectError::Timeout(_) => {
            with("connect", FailureKind::Unreachable)
        }
        ConnectError::Tls { .. } => with("tls", FailureKind::Failed),
        ConnectError::Refused { status, body } => Failure {
            http_status: Some(status),
            message: format!("the server refused the upgrade: {}", body.trim()),
            ..failed("upgrade", String::new())
        },
        ConnectError::ClosedAfterUpgrade { code, reason } => Failure {
            code: Some(u32::from(code)),
            code_name: close_name(code).map(str::to_string),
            message: format!("the server closed the connection: {reason}"),
            ..failed("upgrade", String::new())
        },
        ConnectError::Negotiation { .. } | ConnectError::Upgrade { .. } => {
            with("upgrade", FailureKind::Failed)
        }
    }
}

fn error_failure(step: &'static str, code: WireErrorCode, message: String) -> Failure {
    Failure {
        code: Some(code.number()),
        code_name: Some(code.known().map_or("unknown", ErrorCode::name).to_string()),
        message,
        ..failed(step, String::new())
    }
}

fn sync_failure(step: &'static str, e: SyncError) -> Failure {
    match e {
        SyncError::Server {
            code,
            name,
            message,
            ..
        } => Failure {
            code: Some(code),
            code_name: Some(name.to_string()),
            message,
            ..failed(step, String::new())
        },
        SyncError::Closed { code, reason } => Failure {
            code: Some(u32::from(code)),
            code_name: close_name(code).map(str::to_string),
            message: format!("the server closed the connection: {reason}"),
            ..failed(step, String::new())
        },
        other => failed(step, other.to_string()),
    }
}

fn session(n: u64) -> SessionIdent {
    SessionIdent::new(n).expect("session idents 1 and 2 are valid")
}

/// Waits (at most `limit`) for the first message `want` accepts, failing the
/// step on an ERROR, a JSON_ERROR, a close or silence.
async fn await_message<T>(
    wire: &mut Wire,
    step: &'static str,
    limit: Duration,
    want: impl Fn(&ServerMessage) -> Option<T>,
) -> Result<T, Failure> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let incoming = wire.recv_timeout(left).await.map_err(|e| match e {
            super::sync::WireError::Timeout(_) => {
                failed(step, format!("no answer within {limit:?}"))
            }
            other => failed(step, other.to_string()),
        })?;
        let message = match incoming {
            Incoming::Closed { code, reason } => {
                return Err(sync_failure(step, SyncError::Closed { code, reason }))
            }
            Incoming::Message(m) => m,
        };
        if let Some(found) = want(&message) {
            return Ok(found);
        }
        match message {
            ServerMessage::Error(e) => {
                let text = String::from_utf8_lossy(&e.message).into_owned();
                return Err(error_failure(step, e.code, text));
            }
            ServerMessage::JsonError(e) => {
                let text = match JsonErrorBody::parse(&e.body) {
                    Ok(body) => body.message,
                    Err(_) => String::from_utf8_lossy(&e.body).into_owned(),
                };
                return Err(error_failure(step, e.code, text));
            }
            _ => continue,
        }
    }
}

/// Runs one probe; never panics and never returns an error: a failure is in the report.
pub async fn probe(options: &ProbeOptions) -> ProbeReport {
    let mut run = Run {
        report: ProbeReport {
            url: options.url.clone(),
            realm: options.realm.clone(),
            protocol_version: None,
            file_ident: None,
            certificate: None,
            steps: Vec::new(),
            failure: None,
            cleanup: None,
        },
    };
    for (step, duration) in &options.preface {
        run.step(step, *duration, None);
    }
    if let Err(failure) = steps(options, &mut run).await {
        run.report.failure = Some(failure);
    }
    run.report
}

fn endpoint(options: &ProbeOptions) -> Endpoint {
    let mut endpoint = Endpoint::new(options.url.clone());
    endpoint.token = options.token.clone();
    endpoint.tls = options.tls.clone();
    endpoint.connect_timeout = options.timeout;
    endpoint.protocols = options.protocols.offered();
    endpoint
}

async fn steps(options: &ProbeOptions, run: &mut Run) -> Result<(), Failure> {
    let limit = options.timeout;
    let mut wire = Wire::connect(&endpoint(options))
        .await
        .map_err(connect_failure)?;
    let t = *wire.timings();
    let version = u32::from(wire.version().get());
    run.report.protocol_version = Some(version);
    run.step(
        "connect",
        t.resolve + t.tcp,
        Some(format!(
            "DNS {:.3} ms, TCP {:.3} ms",
            as_millis(t.resolve),
            as_millis(t.tcp)
        )),
    );
    if let Some(tls) = t.tls {
        let certificate = wire.peer_certificate().and_then(describe_certificate);
        let detail = certificate
            .as_ref()
            .map(|c| format!("certificate {}, expires {}", c.subject, c.not_after));
        run.report.certificate = certificate;
        run.step("tls", tls, detail);
    }
    run.step(
        "upgrade",
        t.upgrade,
        Some(format!("protocol version {version}")),
    );

    // BIND, asking for a file ident.
    let path = BindPath::new(options.realm.clone().into_bytes())
        .map_err(|e| failed("bind", format!("Realm path: {e}")))?;
    let bind = ClientMessage::Bind(Bind {
        session: session(1),
        path,
        token: SignedToken::new(Vec::new()).map_err(|e| failed("bind", e.to_string()))?,
        need_client_file_ident: true,
        is_subserver: false,
    });
    let clock = Instant::now();
    wire.send(&bind)
        .await
        .map_err(|e| failed("bind", e.to_string()))?;
    run.step("bind", clock.elapsed(), None);

    // The server allocates a file ident.
    let ident = await_message(&mut wire, "ident", limit, |m| match m {
        ServerMessage::Ident(i) => Some((i.file_ident, i.file_ident_salt)),
        _ => None,
    })
    .await?;
    run.report.file_ident = Some(ident.0.get());
    run.step(
        "ident",
        clock.elapsed(),
        Some(format!("file ident {}", ident.0.get())),
    );

    // Our IDENT, then the first DOWNLOAD.
    let clock = Instant::now();
    wire.send(&ClientMessage::Ident(ClientIdent {
        session: session(1),
        file_ident: ident.0,
        file_ident_salt: ident.1,
        scan: Default::default(),
        latest: Default::default(),
    }))
    .await
    .map_err(|e| failed("download", e.to_string()))?;
    let latest = await_message(&mut wire, "download", limit, |m| match m {
        ServerMessage::Download(d) => Some(d.latest.version.get()),
        _ => None,
    })
    .await?;
    run.step(
        "download",
        clock.elapsed(),
        Some(format!("latest server version {latest}")),
    );

    // MARK round trip.
    let clock = Instant::now();
    let request = RequestIdent::new(1).unwrap_or(RequestIdent::MAX);
    wire.send(&ClientMessage::Mark(Mark {
        session: session(1),
        request,
    }))
    .await
    .map_err(|e| failed("mark", e.to_string()))?;
    await_message(&mut wire, "mark", limit, |m| match m {
        ServerMessage::Mark(mark) if mark.request == request => Some(()),
        _ => None,
    })
    .await?;
    run.step("mark", clock.elapsed(), None);

    // PING round trip.
    let rtt = tokio::time::timeout(limit, wire.ping())
        .await
        .map_err(|_| failed("ping", format!("no PONG within {limit:?}")))?
        .map_err(|e| failed("ping", e.to_string()))?;
    run.step("ping", rtt, None);
    drop(wire);

    if options.write {
        let roundtrip = write_roundtrip(options).await;
        // Whether or not the round trip worked, what it wrote goes.
        if let Some(base) = &options.cleanup {
            run.report.cleanup =
                Some(delete_realms(options, base, std::slice::from_ref(&options.realm)).await);
        }
        let (duration, detail) = roundtrip?;
        run.step("roundtrip", duration, Some(detail));
    }
    Ok(())
}

/// Deletes the Realms a probe wrote (`DELETE /api/admin/v1/realms/{realm}`,
/// admins only): `deleted`, or why one was kept. Never a failure of the
/// probe: a server that syncs is healthy even if this token may not delete
/// Realms.
pub(crate) async fn delete_realms(options: &ProbeOptions, base: &str, realms: &[String]) -> String {
    let parsed = match reqwest::Url::parse(base) {
        Ok(url) if !url.cannot_be_a_base() => url,
        Ok(_) => return format!("kept: {base:?} cannot have a path"),
        Err(e) => return format!("kept: {base:?} is not a URL: {e}"),
    };
    let mut urls = Vec::new();
    for realm in realms {
        let mut url = parsed.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .extend(["api", "admin", "v1", "realms", realm]);
        }
        urls.push(url);
    }
    let (tls, timeout) = (options.tls.clone(), options.timeout);
    let token = options.token.clone().unwrap_or_default();
    // One client for all of them; the first refusal stops the rest.
    let sent = tokio::task::spawn_blocking(move || {
        let client = http_client(&tls, timeout)?;
        for url in urls {
            let text = url.to_string();
            send_json(client.delete(url).bearer_auth(&token), &text)?;
        }
        Ok(())
    })
    .await;
    match sent {
        Ok(Ok(())) => "deleted".into(),
        Ok(Err(LoginError::Refused { status: 404, .. })) => {
            format!("kept: {base} answers 404 (no admin API there, or the Realm is gone)")
        }
        Ok(Err(LoginError::Refused { status, message })) => {
            format!("kept: the deletion was refused with HTTP {status}: {message}")
        }
        Ok(Err(LoginError::Unreachable { url, reason })) => {
            format!("kept: cannot reach {url}: {reason}")
        }
        Ok(Err(LoginError::Other(e))) => format!("kept: {e}"),
        Err(e) => format!("kept: {e}"),
    }
}

/// A client on its own connection, bound to the Realm and caught up.
async fn synced_client(options: &ProbeOptions) -> Result<(Wire, RealmClient), Failure> {
    let step = "roundtrip";
    let mut wire = Wire::connect(&endpoint(options))
        .await
        .map_err(|e| Failure {
            step,
            ..connect_failure(e)
        })?;
    let mut client = RealmClient::new(options.realm.clone()).with_idle_timeout(options.timeout);
    client
        .bind(&mut wire, session(1))
        .await
        .map_err(|e| sync_failure(step, e))?;
    client
        .sync_until_idle(&mut wire)
        .await
        .map_err(|e| sync_failure(step, e))?;
    Ok((wire, client))
}

/// The instructions that create a top-level table `table` with an integer
/// primary key `_id` and the given single-valued columns (name, type,
/// nullable): the scratch schema of `ros probe` and `ros probe bench`.
pub(crate) fn int_keyed_table(
    table: &str,
    columns: &[(&str, ColumnType, bool)],
) -> Vec<Instruction> {
    let name = ByteString::from(table);
    let mut out = vec![Instruction::AddTable(AddTable {
        table: name.clone(),
        table_type: TableType::TopLevel {
            primary_key: PrimaryKeySpec {
                field: ByteString::from("_id"),
                key_type: PrimaryKeyType::Int,
                nullable: false,
            },
            asymmetric: false,
        },
    })];
    out.extend(columns.iter().map(|(field, column_type, nullable)| {
        Instruction::AddColumn(AddColumn {
            table: name.clone(),
            field: ByteString::from(*field),
            column_type: column_type.clone(),
            nullable: *nullable,
            collection_type: CollectionType::Single,
        })
    }));
    out
}

/// The probe's schema, unless the Realm has it already, and one new object.
fn probe_changeset(client: &RealmClient, key: i64) -> Changeset {
    let table = ByteString::from(PROBE_TABLE);
    let mut instructions = Vec::new();
    if !client.state().classes().contains_key(&table) {
        instructions = int_keyed_table(PROBE_TABLE, &[("at", ColumnType::Int, false)]);
    }
    instructions.push(Instruction::CreateObject(CreateObject {
        table,
        object: PrimaryKey::Int(key),
    }));
    Changeset::new(instructions)
}

/// Uploads one object on a writer connection and times it until a reader
/// connection on the same Realm has integrated it.
async fn write_roundtrip(options: &ProbeOptions) -> Result<(Duration, String), Failure> {
    let step = "roundtrip";
    let (mut reader_wire, mut reader) = synced_client(options).await?;
    let (mut writer_wire, mut writer) = synced_client(options).await?;
    let key = i64::from_str_radix(&random_hex()[..15], 16).unwrap_or(1);
    writer
        .commit(probe_changeset(&writer, key))
        .map_err(|e| failed(step, e.to_string()))?;
    let clock = Instant::now();
    writer
        .upload(&mut writer_wire)
        .await
        .map_err(|e| sync_failure(step, e))?;
    let deadline = clock + options.timeout;
    while reader
        .state()
        .object(PROBE_TABLE, &PrimaryKey::Int(key))
        .is_none()
    {
        if Instant::now() >= deadline {
            return Err(failed(
                step,
                format!(
                    "the object did not arrive on the second connection within {:?}",
                    options.timeout
                ),
            ));
        }
        reader
            .receive_one(&mut reader_wire)
            .await
            .map_err(|e| sync_failure(step, e))?;
    }
    let duration = clock.elapsed();
    Ok((duration, format!("object {PROBE_TABLE} {key}")))
}

// ---- logging in ----------------------------------------------------------------

/// Why a username and password did not give a token.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("login refused with HTTP {status}: {message}")]
    Refused { status: u16, message: String },
    #[error("login: {0}")]
    Other(String),
}

/// The http service behind a sync URL: `ws(s)://host/prefix/realm-sync` →
/// `http(s)://host/prefix`.
pub fn http_base(sync_url: &str) -> String {
    let url = sync_url.split('?').next().unwrap_or(sync_url);
    let url = url.trim_end_matches('/');
    let url = url.strip_suffix("/realm-sync").unwrap_or(url);
    if let Some(rest) = url.strip_prefix("wss://") {
        format!("https://{rest}")
    } else if let Some(rest) = url.strip_prefix("ws://") {
        format!("http://{rest}")
    } else {
        url.to_string()
    }
}

/// A blocking HTTP client that trusts what `tls` says (no system roots) and
/// never follows redirects.
pub(crate) fn http_client(
    tls: &TlsOptions,
    timeout: Duration,
) -> Result<reqwest::blocking::Client, LoginError> {
    let mut builder = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_root_certs(false)
        .danger_accept_invalid_certs(tls.insecure);
    if let Some(pem) = &tls.ca_pem {
        for cert in reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| LoginError::Other(format!("the CA PEM: {e}")))?
        {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| LoginError::Other(e.to_string()))
}

/// Sends a request and reads its JSON answer; a status outside 2xx is
/// `Refused` with the server's message (problem `title`, `message` or the app
/// API's `error`).
pub(crate) fn send_json(
    request: reqwest::blocking::RequestBuilder,
    url: &str,
) -> Result<serde_json::Value, LoginError> {
    let response = request.send().map_err(|e| {
        if e.is_connect() || e.is_timeout() {
            LoginError::Unreachable {
                url: url.to_string(),
                reason: e.to_string(),
            }
        } else {
            LoginError::Other(e.to_string())
        }
    })?;
    let status = response.status().as_u16();
    let answer: serde_json::Value = response.json().unwrap_or(serde_json::Value::Null);
    if !(200..300).contains(&status) {
        let message = ["title", "message", "error"]
            .iter()
            .find_map(|k| answer[*k].as_str())
            .map_or_else(|| answer.to_string(), str::to_string);
        return Err(LoginError::Refused { status, message });
    }
    Ok(answer)
}

/// Logs in with the password provider (`POST /auth`) and returns the refresh
/// token, which the sync service accepts for the user's Realms. Blocking.
pub fn login(
    http_base: &str,
    username: &str,
    password: &str,
    tls: &TlsOptions,
    timeout: Duration,
) -> Result<String, LoginError> {
    let url = format!("{}/auth", http_base.trim_end_matches('/'));
    let client = http_client(tls, timeout)?;
    let body = serde_json::json!({
        "provider": "password",
        "data": username,
        "user_info": {"password": password},
    });
    let answer = send_json(client.post(&url).json(&body), &url)?;
    answer["refresh_token"]["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| LoginError::Other(format!("no refresh_token in the answer: {answer}")))
}

// ---- the server's certificate ----------------------------------------------------

/// The leaf certificate a `wss://` server shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerCertificate {
    /// The subject's distinguished name, e.g. `CN=sync.example.com`.
    pub subject: String,
    pub issuer: String,
    /// The end of the validity period, RFC 2822.
    pub not_after: String,
    /// The same, unix seconds.
    pub not_after_unix: i64,
}

/// What a probe says of the certificate its verified TLS handshake saw.
fn describe_certificate(der: &[u8]) -> Option<PeerCertificate> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let not_after = cert.validity().not_after;
    Some(PeerCertificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_after: not_after
            .to_rfc2822()
            .unwrap_or_else(|_| not_after.timestamp().to_string()),
        not_after_unix: not_after.timestamp(),
    })
}

// ---- thresholds and statistics ---------------------------------------------------

/// Parses `50ms`, `1s`, `1.5s`, `2m`, `100us`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let n: f64 = number.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1e3,
        "us" | "µs" => n / 1e6,
        "m" => n * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// `--expect KEY<DURATION`: the step's duration (with `--count`, its p99) must
/// be below the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub step: String,
    pub limit: Duration,
}

impl std::str::FromStr for Expectation {
    type Err = String;

    fn from_str(text: &str) -> Result<Expectation, String> {
        let (step, limit) = text
            .split_once('<')
            .ok_or_else(|| format!("{text:?}: use STEP<DURATION, such as roundtrip<50ms"))?;
        let step = step.trim();
        if !STEPS.contains(&step) {
            return Err(format!("{step:?} is not a step ({})", STEPS.join(", ")));
        }
        let limit = parse_duration(limit)
            .ok_or_else(|| format!("{limit:?}: use a duration such as 50ms, 1s or 1.5s"))?;
        Ok(Expectation {
            step: step.to_string(),
            limit,
        })
    }
}

/// One step over every probe of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStats {
    pub step: &'static str,
    pub samples: usize,
    pub min_ms: f64,
    pub median_ms: f64,
    pub p99_ms: f64,
}

/// One `--expect`, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectationResult {
    pub step: String,
    pub limit_ms: f64,
    /// The step's p99 (the duration itself for one probe); null when not measured.
    pub observed_ms: Option<f64>,
    pub met: bool,
}

/// Every probe of a run, per-step statistics and the thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeRun {
    /// Every probe succeeded and every expectation was met.
    pub healthy: bool,
    pub count: usize,
    pub failed: usize,
    pub stats: Vec<StepStats>,
    pub expectations: Vec<ExpectationResult>,
    pub probes: Vec<ProbeReport>,
}

impl ProbeRun {
    /// The failure that decides the outcome: the last probe's that failed.
    pub fn failure(&self) -> Option<&Failure> {
        self.probes.iter().rev().find_map(|p| p.failure.as_ref())
    }

    /// The first expectation not met.
    pub fn violation(&self) -> Option<&ExpectationResult> {
        self.expectations.iter().find(|e| !e.met)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Statistics and checked thresholds over `probes`.
pub fn summarize(probes: Vec<ProbeReport>, expectations: &[Expectation]) -> ProbeRun {
    let mut stats = Vec::new();
    for step in STEPS {
        let mut samples: Vec<Duration> = probes.iter().filter_map(|p| p.duration(step)).collect();
        if samples.is_empty() {
            continue;
        }
        samples.sort();
        stats.push(StepStats {
            step,
            samples: samples.len(),
            min_ms: as_millis(samples[0]),
            median_ms: as_millis(percentile(&samples, 0.5)),
            p99_ms: as_millis(percentile(&samples, 0.99)),
        });
    }
    let expectations: Vec<ExpectationResult> = expectations
        .iter()
        .map(|e| {
            let observed = stats.iter().find(|s| s.step == e.step).map(|s| s.p99_ms);
            let limit_ms = as_millis(e.limit);
            ExpectationResult {
                step: e.step.clone(),
                limit_ms,
                observed_ms: observed,
                met: observed.is_some_and(|o| o < limit_ms),
            }
        })
        .collect();
    let failed = probes.iter().filter(|p| p.failure.is_some()).count();
    ProbeRun {
        healthy: failed == 0 && expectations.iter().all(|e| e.met),
        count: probes.len(),
        failed,
        stats,
        expectations,
        probes,
    }
}

/// `count` probes, `interval` apart (from one's start to the next's).
pub async fn probe_repeatedly(
    options: &ProbeOptions,
    count: usize,
    interval: Duration,
    expectations: &[Expectation],
) -> ProbeRun {
    let mut probes = Vec::with_capacity(count);
    for i in 0..count.max(1) {
        let started = Instant::now();
        probes.push(probe(options).await);
        if i + 1 < count {
            tokio::time::sleep(interval.saturating_sub(started.elapsed())).await;
        }
    }
    summarize(probes, expectations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_urls() {
        assert_eq!(
            sync_url("http://h:1").unwrap(),
            "ws://h:1/realm-sync".to_string()
        );
        assert_eq!(
            sync_url("https://h/").unwrap(),
            "wss://h/realm-sync".to_string()
        );
        assert_eq!(sync_url("ws://h/x").unwrap(), "ws://h/x".to_string());
        assert!(sync_url("ftp://h").is_err());
    }

    #[test]
    fn durations_and_expectations() {
        assert_eq!(parse_duration("50ms"), Some(Duration::from_millis(50)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("x"), None);
        let e: Expectation = "roundtrip<0ms".parse().unwrap();
        assert_eq!(e.limit, Duration::ZERO);
        assert!("nope<1s".parse::<Expectation>().is_err());
    }
}
