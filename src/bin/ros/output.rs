//! Everything the CLI shows: results as `--format table` (comfy-table, or the
//! plain listing of commands whose output is text, for people) or `--format json`
//! (stable, documented in `docs/cli-json.md`), plain lines, and the one error line
//! of a failed command. Only here; the running server's own log lines are
//! `tracing`'s. Colour only on a terminal and never with `NO_COLOR`
//! ([`ros::logging::use_colour`]).

use std::io::IsTerminal;

use clap::ValueEnum;
use comfy_table::Table;
use ros::admin::json::{RemovalJson, UserJson};
use ros::admin::sharing::json::{
    AcceptedJson, ChangeJson, OfferJson, PermissionJson, PermissionListJson, RealmDetailsJson,
    RealmJson, RevokedJson,
};
use ros::terminal::{cell, escape};
use serde::Serialize;

/// `--format`: the same two values for every command that has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    // For people; `text` is the original spelling of `check-configuration` and
    // `changeset decode`.
    #[default]
    #[value(alias = "text")]
    Table,
    // For scripts.
    Json,
}

/// Writes a line to standard output. A closed pipe (`ros ... | head`) is not an
/// error worth a panic: the reader has what it wanted.
/// Control characters in it are shown escaped ([`ros::terminal::escape`]).
fn print(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{}", escape(text));
}

/// Writes `text` to standard output as it is (it ends its own lines).
fn print_raw(text: &str) {
    use std::io::Write;
    let _ = write!(std::io::stdout().lock(), "{}", escape(text));
}

/// Writes a line as it is: JSON (serde_json already escapes every control
/// character) and tables, whose cells are escaped and whose own styling is not.
fn print_exact(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// A remark of `ros <command>` on standard error, beside its result.
pub fn note(command: &str, text: &str) {
    eprintln!("ros {command}: {}", escape(text));
}

/// The one line of a failed command (`ros <command>: <message>`) and its hints.
/// An error without a message exits with its code only: the output said it.
pub fn error(command: &str, error: &crate::error::CliError) {
    if let Some(e) = &error.error {
        // The message and its causes, leaving out a cause the message already quotes.
        let mut message = e.to_string();
        for cause in e.chain().skip(1) {
            let cause = cause.to_string();
            if !message.contains(&cause) {
                message = format!("{message}: {cause}");
            }
        }
        let message = escape(&message);
        match command {
            "" => eprintln!("ros: {message}"),
            _ => eprintln!("ros {command}: {message}"),
        }
    }
    for hint in &error.hints {
        eprintln!("  hint: {}", escape(hint));
    }
}

pub fn json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print_exact(&text),
        Err(e) => eprintln!("ros: cannot write JSON: {e}"),
    }
}

pub fn table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut table = Table::new();
    if !ros::logging::use_colour(std::io::stdout().is_terminal()) {
        // No cell styling (escapes) when standard output is a file or a pipe.
        table.force_no_tty();
    }
    table.set_header(header.to_vec());
    for row in rows {
        table.add_row(row.iter().map(|c| cell(c)).collect::<Vec<_>>());
    }
    print_exact(&table.to_string());
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn user_row(user: &UserJson) -> Vec<String> {
    vec![
        user.user_id.clone(),
        user.username().unwrap_or("-").to_string(),
        yes_no(user.is_admin),
        yes_no(user.disabled),
        user.created_at.clone(),
    ]
}

const USER_HEADER: [&str; 5] = ["USER ID", "USERNAME", "ADMIN", "DISABLED", "CREATED"];

pub fn users(format: Format, users: &[UserJson]) {
    match format {
        Format::Json => json(users),
        Format::Table => table(&USER_HEADER, users.iter().map(user_row).collect()),
    }
}

pub fn user(format: Format, user: &UserJson) {
    match format {
        Format::Json => json(user),
        Format::Table => {
            table(&USER_HEADER, vec![user_row(user)]);
            if let Some(sessions) = user.sessions.as_ref().filter(|s| !s.is_empty()) {
                table(
                    &["OPEN SESSION", "CREATED", "LAST USED"],
                    sessions
                        .iter()
                        .map(|s| {
                            vec![
                                s.session_id.clone(),
                                s.created_at.clone(),
                                s.last_used_at.clone(),
                            ]
                        })
                        .collect(),
                );
            }
        }
    }
}

pub fn removal(format: Format, removal: &RemovalJson) {
    match format {
        Format::Json => json(removal),
        Format::Table => {
            let realms = if removal.owned_realms.is_empty() {
                "-".to_string()
            } else {
                removal.owned_realms.join("\n")
            };
            table(
                &[
                    "REMOVED USER ID",
                    "USERNAME",
                    "SESSIONS ENDED",
                    "KEPT REALMS",
                ],
                vec![vec![
                    removal.user.user_id.clone(),
                    removal.user.username().unwrap_or("-").to_string(),
                    removal.sessions_revoked.to_string(),
                    realms,
                ]],
            )
        }
    }
}

/// A key/value table of a JSON object's members (nulls shown as `-`).
fn fields(value: &serde_json::Value) {
    let rows = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let shown = match v {
                serde_json::Value::Null => "-".to_string(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            vec![k.clone(), shown]
        })
        .collect();
    table(&["FIELD", "VALUE"], rows);
}

fn flag(b: bool) -> String {
    if b { "yes" } else { "-" }.to_string()
}

fn grantee(user: &str) -> String {
    if user == "*" {
        "* (default)".to_string()
    } else {
        user.to_string()
    }
}

fn permission_rows(entries: &[PermissionJson]) -> Vec<Vec<String>> {
    entries
        .iter()
        .map(|e| {
            vec![
                e.realm.clone(),
                grantee(&e.user),
                flag(e.may_read),
                flag(e.may_write),
                flag(e.may_manage),
                e.updated_at.clone(),
            ]
        })
        .collect()
}

const PERMISSION_HEADER: [&str; 6] = ["REALM", "USER", "READ", "WRITE", "MANAGE", "UPDATED"];

pub fn permissions(format: Format, list: &PermissionListJson) {
    match format {
        Format::Json => json(list),
        Format::Table => table(&PERMISSION_HEADER, permission_rows(&list.permissions)),
    }
}

pub fn change(format: Format, change: &ChangeJson) {
    match format {
        Format::Json => json(change),
        Format::Table => table(&PERMISSION_HEADER, permission_rows(&change.permissions)),
    }
}

pub fn revoked(format: Format, revoked: &RevokedJson) {
    match format {
        Format::Json => json(revoked),
        Format::Table => {
            let what = if revoked.removed {
                "removed"
            } else {
                "there was no such entry"
            };
            table(
                &["REALM", "USER", "ENTRY"],
                vec![vec![
                    revoked.realm.clone(),
                    grantee(&revoked.user),
                    what.into(),
                ]],
            )
        }
    }
}

fn offer_row(o: &OfferJson) -> Vec<String> {
    let state = if o.revoked_at.is_some() {
        "revoked"
    } else {
        "active"
    };
    vec![
        o.token.clone(),
        o.realm.clone(),
        flag(o.may_read),
        flag(o.may_write),
        flag(o.may_manage),
        o.expires_at.clone().unwrap_or_else(|| "never".into()),
        state.to_string(),
        o.accepted_by.len().to_string(),
    ]
}

const OFFER_HEADER: [&str; 8] = [
    "TOKEN", "REALM", "READ", "WRITE", "MANAGE", "EXPIRES", "STATE", "ACCEPTED",
];

pub fn offers(format: Format, offers: &[OfferJson]) {
    match format {
        Format::Json => json(offers),
        Format::Table => table(&OFFER_HEADER, offers.iter().map(offer_row).collect()),
    }
}

pub fn offer(format: Format, offer: &OfferJson) {
    match format {
        Format::Json => json(offer),
        Format::Table => table(&OFFER_HEADER, vec![offer_row(offer)]),
    }
}

pub fn accepted(format: Format, accepted: &AcceptedJson) {
    match format {
        Format::Json => json(accepted),
        Format::Table => table(
            &["REALM", "READ", "WRITE", "MANAGE"],
            vec![vec![
                accepted.realm.clone(),
                flag(accepted.may_read),
                flag(accepted.may_write),
                flag(accepted.may_manage),
            ]],
        ),
    }
}

fn realm_row(r: &RealmJson) -> Vec<String> {
    vec![
        r.realm.clone(),
        r.owner.clone().unwrap_or_else(|| "-".into()),
        r.created_at.clone(),
    ]
}

pub fn realms(format: Format, realms: &[RealmJson]) {
    match format {
        Format::Json => json(realms),
        Format::Table => table(
            &["REALM", "OWNER", "CREATED"],
            realms.iter().map(realm_row).collect(),
        ),
    }
}

pub fn realm(format: Format, details: &RealmDetailsJson) {
    match format {
        Format::Json => json(details),
        Format::Table => {
            table(
                &["REALM", "OWNER", "CREATED"],
                vec![vec![
                    details.realm.clone(),
                    details.owner.clone().unwrap_or_else(|| "-".into()),
                    details.created_at.clone(),
                ]],
            );
            table(&PERMISSION_HEADER, permission_rows(&details.permissions));
        }
    }
}

/// `ros realm delete`: what went.
pub fn realm_deleted(format: Format, deleted: &ros::sync::RealmDeleted) {
    match format {
        Format::Json => json(deleted),
        Format::Table => print(&format!(
            "deleted {}: {}, {}",
            deleted.realm,
            if deleted.store {
                "its data"
            } else {
                "no data (never synced)"
            },
            if deleted.record {
                "its owner, permission entries and offers"
            } else {
                "no registry entry"
            }
        )),
    }
}

/// `ros check-configuration`: every finding and the verdict.
pub fn config_report(format: Format, report: &ros::config::Report) {
    match format {
        Format::Json => print_exact(&format!("{:#}", ros::config::render_json(report))),
        Format::Table => print_raw(&ros::config::render_text(report)),
    }
}

/// The findings of a configuration a server starts with, on standard error.
pub fn config_findings(report: &ros::config::Report) {
    let mut text = String::new();
    for finding in report.findings() {
        ros::config::finding_text(report, finding, &mut text);
    }
    eprint!("{}", escape(&text));
}

/// `ros changeset decode`: the instructions, one a line, or their JSON.
pub fn changeset(format: Format, changeset: &ros::changeset::Changeset) {
    match format {
        Format::Json => print_exact(&format!("{:#}", ros::changeset::render::to_json(changeset))),
        Format::Table => print_raw(&ros::changeset::render::to_text(changeset)),
    }
}

/// `ros init`: what was created and how to start the server.
pub fn init_done(done: &ros::init::Initialized) {
    print(&format!("Created {}", done.config_file.display()));
    print(&format!(
        "Created {} (private, mode 0600)",
        done.private_key.display()
    ));
    print(&format!("Created {}", done.public_key.display()));
    print(&format!("Created {} (mode 0700)", done.data_dir.display()));
    print(&format!(
        "App id for Realm SDK apps: {} (base URL: this server's proxy address)",
        done.app_id
    ));
    print("");
    print("Start the server with:");
    print(&format!(
        "  ros serve --config {}",
        shell_quote(&done.config_file.display().to_string())
    ));
}

/// Quotes `word` for a POSIX shell when it holds anything but plain path characters.
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Tells a newcomer where the development server keeps everything and how to reach it.
pub fn development_server(
    dir: &std::path::Path,
    root: &std::path::Path,
    at: &ros::http::BoundAddresses,
) {
    print(&format!(
        "ros development server (no configuration file found, so using {})",
        dir.display()
    ));
    print(&format!(
        "  configuration  {}",
        dir.join(ros::init::CONFIG_FILE).display()
    ));
    print(&format!("  keys           {}", dir.join("keys").display()));
    print(&format!("  data           {}", root.display()));
    if let Some(proxy) = at.proxy_http {
        print(&format!(
            "  proxy          http://{proxy}  (Realm clients and HTTP)"
        ));
    }
    print(&format!("  sync           ws://{}", at.sync));
    print(&format!("  http           http://{}/health", at.http));
    print("Stop it with Ctrl-C. For a real deployment: `ros init DIR` and `ros serve --config DIR/configuration.yml`.");
}

/// A token: alone on its line, or as `{"token": ..., ...extra}`.
pub fn token(format: Format, token: &str, extra: serde_json::Value) {
    match format {
        Format::Table => print(token),
        Format::Json => {
            let mut value = serde_json::json!({ "token": token });
            if let (Some(map), serde_json::Value::Object(more)) = (value.as_object_mut(), extra) {
                map.extend(more);
            }
            json(&value);
        }
    }
}

/// `ros token keygen`: the two files written.
pub fn key_files(format: Format, files: &ros::init::KeyFiles) {
    match format {
        Format::Json => json(&serde_json::json!({
            "private_key": files.private_key,
            "public_key": files.public_key,
        })),
        Format::Table => table(
            &["FILE", "WHAT"],
            vec![
                vec![
                    files.private_key.display().to_string(),
                    "private key (mode 0600)".into(),
                ],
                vec![files.public_key.display().to_string(), "public key".into()],
            ],
        ),
    }
}

/// `ros token inspect`: the claims, whether the token is valid and why not.
pub fn inspection(format: Format, inspection: &ros::auth::Inspection) {
    match format {
        Format::Json => json(inspection),
        Format::Table => {
            let mut value = serde_json::to_value(&inspection.claims).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.insert("valid".into(), serde_json::json!(inspection.valid));
                map.insert("error".into(), serde_json::json!(inspection.error));
            } else {
                value = serde_json::json!({"valid": inspection.valid, "error": inspection.error});
            }
            fields(&value);
        }
    }
}

/// `ros probe`: a table of steps on a terminal (per-step statistics with
/// `--count`), one summary line when standard output is not a terminal, or the
/// whole run as JSON.
pub fn probe(format: Format, run: &ros::client::probe::ProbeRun) {
    use ros::client::probe::as_millis;
    if format == Format::Json {
        return json(run);
    }
    let ms = |v: f64| format!("{v:.3} ms");
    if !std::io::stdout().is_terminal() {
        let status = if run.healthy { "ok" } else { "FAILED" };
        let mut line = match run.probes.first() {
            Some(p) => format!("{status} {} realm {}", p.url, p.realm),
            None => status.to_string(),
        };
        for s in &run.stats {
            line.push_str(&format!(" {}={:.3}ms", s.step, s.median_ms));
        }
        if let Some(f) = run.failure() {
            line.push_str(&format!(" ({f})"));
        } else if let Some(e) = run.violation() {
            line.push_str(&format!(" ({}: expected < {:.3}ms)", e.step, e.limit_ms));
        }
        return print(&line);
    }
    if run.count == 1 {
        if let Some(p) = run.probes.first() {
            print(&format!(
                "{} realm {} protocol {}",
                p.url,
                p.realm,
                p.protocol_version
                    .map_or("-".to_string(), |v| v.to_string())
            ));
            let mut rows: Vec<Vec<String>> = p
                .steps
                .iter()
                .map(|s| {
                    vec![
                        s.step.to_string(),
                        "ok".to_string(),
                        ms(as_millis(s.duration_ms)),
                        s.detail.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            if let Some(f) = &p.failure {
                rows.push(vec![
                    f.step.to_string(),
                    "FAILED".to_string(),
                    "-".to_string(),
                    f.to_string(),
                ]);
            }
            table(&["STEP", "STATUS", "DURATION", "DETAIL"], rows);
            if let Some(cleanup) = &p.cleanup {
                print(&format!("cleanup: {cleanup}"));
            }
        }
    } else {
        print(&format!("{} probes, {} failed", run.count, run.failed));
        let rows = run
            .stats
            .iter()
            .map(|s| {
                vec![
                    s.step.to_string(),
                    s.samples.to_string(),
                    ms(s.min_ms),
                    ms(s.median_ms),
                    ms(s.p99_ms),
                ]
            })
            .collect();
        table(&["STEP", "SAMPLES", "MIN", "MEDIAN", "P99"], rows);
        if let Some(f) = run.failure() {
            print(&format!("last failure: {f}"));
        }
    }
    for e in &run.expectations {
        let observed = e.observed_ms.map_or("not measured".to_string(), ms);
        let verdict = if e.met { "met" } else { "MISSED" };
        print(&format!(
            "expect {} < {}: {observed} {verdict}",
            e.step,
            ms(e.limit_ms)
        ));
    }
}

/// `ros probe bench`: the report (JSON: `docs/cli-json.md`), else one line per figure.
pub fn bench(format: Format, report: &ros::client::probe_bench::BenchReport) {
    if format == Format::Json {
        return json(report);
    }
    for line in bench_lines(report) {
        print(&line);
    }
}

fn bench_lines(r: &ros::client::probe_bench::BenchReport) -> Vec<String> {
    let c = &r.changesets;
    let mut lines = vec![
        format!(
            "{} {} sessions ({} writing) on {} realm(s), {} changesets × {} instructions, {}",
            if r.ok { "ok" } else { "FAILED" },
            r.sessions,
            r.writers,
            r.realms.len(),
            r.changesets_per_session,
            r.instructions,
            match (r.mode.as_str(), r.rate) {
                ("offline", _) => "offline, then synced at once".to_string(),
                (mode, Some(rate)) => format!("{mode} loop at {rate}/s"),
                (mode, None) => match r.think_ms.filter(|t| *t > 0.0) {
                    Some(think) => format!("{mode} loop, {think} ms think time"),
                    None => format!("{mode} loop"),
                },
            },
        ) + if r.readers == ros::client::probe_bench::Readers::Parse {
            ", readers parse only"
        } else {
            ""
        },
        format!(
            "changesets: {} uploaded, {} acknowledged in {:.3} s, {} in {:.3} s",
            c.uploaded,
            c.acknowledged,
            r.acknowledged_s,
            if r.mode == "offline" {
                format!("{} received (not awaited)", c.received)
            } else {
                format!("{} of {} received", c.received, c.expected_received)
            },
            r.elapsed_s
        ),
        format!(
            "throughput: {:.1} acknowledged/s, {:.1} received/s, {} bytes uploaded",
            r.throughput.acknowledged_per_s, r.throughput.received_per_s, r.bytes_uploaded
        ),
    ];
    let l = &r.latency_ms;
    if l.samples > 0 {
        lines.push(format!(
            "latency: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} samples)",
            l.p50, l.p90, l.p99, l.max, l.samples
        ));
    }
    if !r.errors.is_empty() {
        let errors: Vec<String> = r.errors.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        lines.push(format!("errors: {}", errors.join(", ")));
    }
    if let Some(cleanup) = &r.cleanup {
        lines.push(format!("cleanup: {cleanup}"));
    }
    lines
}

/// `ros probe bench --compare`: each figure, old → new and the change.
pub fn bench_comparison(
    format: Format,
    report: &ros::client::probe_bench::BenchReport,
    changes: &[ros::client::probe_bench::FigureChange],
) {
    if format == Format::Json {
        return json(&serde_json::json!({ "report": report, "comparison": changes }));
    }
    for line in bench_lines(report) {
        print(&line);
    }
    for c in changes {
        print(&format!(
            "{}: {:.3} → {:.3} ({}){}",
            c.figure,
            c.old,
            c.new,
            c.change_pct
                .map_or("n/a".to_string(), |p| format!("{p:+.1}%")),
            if c.regressed { " REGRESSED" } else { "" }
        ));
    }
}

/// A progress bar on standard error while `ros probe bench` runs, only on a
/// terminal; it goes away when the returned guard is dropped.
pub fn bench_progress(
    planned: Option<u64>,
    progress: std::sync::Arc<ros::client::probe_bench::Progress>,
) -> Option<ProgressGuard> {
    use std::sync::atomic::Ordering;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = match planned {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let template = match planned {
        Some(_) => "{elapsed_precise} [{bar:30}] {pos}/{len} acknowledged, {msg}",
        None => "{elapsed_precise} {spinner} {pos} acknowledged, {msg}",
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let handle = std::thread::spawn(move || {
        while !stopped.load(Ordering::Relaxed) {
            bar.set_position(progress.acknowledged.load(Ordering::Relaxed));
            bar.set_message(format!(
                "{} uploaded, {} received",
                progress.uploaded.load(Ordering::Relaxed),
                progress.received.load(Ordering::Relaxed)
            ));
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        bar.finish_and_clear();
    });
    Some(ProgressGuard {
        stop,
        handle: Some(handle),
    })
}

/// Stops and clears the progress bar when dropped.
pub struct ProgressGuard {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Drop for ProgressGuard {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// The progress of a backup, verify or restore: a bar (bytes, and Realms) on a
/// terminal for people, nothing otherwise (the summary line follows).
pub fn progress(format: Format, verb: &'static str) -> Box<dyn ros::backup::Progress> {
    if format == Format::Table && std::io::stderr().is_terminal() {
        Box::new(Bar::new(verb))
    } else {
        Box::new(ros::backup::Quiet)
    }
}

struct Bar {
    bar: indicatif::ProgressBar,
    verb: &'static str,
    realms: std::sync::atomic::AtomicU64,
}

impl Bar {
    fn new(verb: &'static str) -> Bar {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(0),
            indicatif::ProgressDrawTarget::stderr(),
        );
        let style = indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(verb);
        Bar {
            bar,
            verb,
            realms: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl ros::backup::Progress for Bar {
    fn begin(&self, files: u64, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("0/{files} files"));
    }

    fn file_done(&self, path: &str, bytes: u64, realm: bool) {
        let realms = self
            .realms
            .fetch_add(u64::from(realm), std::sync::atomic::Ordering::Relaxed)
            + u64::from(realm);
        self.bar.inc(bytes);
        self.bar
            .set_message(format!("{realms} Realms, {}: {path}", self.verb));
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn rate(bytes: u64, elapsed: std::time::Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / elapsed.as_secs_f64().max(1e-6)
}

pub fn backed_up(
    format: Format,
    target: &std::path::Path,
    manifest: &ros::backup::Manifest,
    elapsed: std::time::Duration,
) {
    let bytes = manifest.total_bytes();
    if format == Format::Json {
        return json(&serde_json::json!({
            "target": target,
            "files": manifest.files.len(),
            "realms": manifest.realms.len(),
            "bytes": bytes,
            "seconds": elapsed.as_secs_f64(),
            "manifest": manifest,
        }));
    }
    print(&format!(
        "backed up {} Realms{} ({} files, {}) to {} in {:.1} s ({:.1} MiB/s)",
        manifest.realms.len(),
        if manifest.admin.is_some() {
            " and the admin store"
        } else {
            ""
        },
        manifest.files.len(),
        mib(bytes),
        target.display(),
        elapsed.as_secs_f64(),
        rate(bytes, elapsed),
    ));
}

pub fn verified(format: Format, target: &std::path::Path, v: &ros::backup::Verified) {
    if format == Format::Json {
        return json(&serde_json::json!({
            "backup": target,
            "ok": true,
            "files": v.files,
            "realms": v.manifest.realms.len(),
            "bytes": v.bytes,
            "created": v.manifest.created,
        }));
    }
    print(&format!(
        "ok: {} ({} files, {} Realms, {}, taken {}) matches its manifest",
        target.display(),
        v.files,
        v.manifest.realms.len(),
        mib(v.bytes),
        v.manifest.created
    ));
}

/// A failed verify in JSON, for scripts (the error line goes to stderr either way).
pub fn verify_failed(format: Format, target: &std::path::Path, e: &ros::backup::BackupError) {
    if format != Format::Json {
        return;
    }
    let (file, problem) = match e {
        ros::backup::BackupError::File { path, problem } => {
            (Some(path.display().to_string()), problem.to_string())
        }
        other => (None, other.to_string()),
    };
    json(&serde_json::json!({
        "backup": target,
        "ok": false,
        "file": file,
        "problem": problem,
    }));
}

pub fn restore_question(root: &std::path::Path, manifest: &ros::backup::Manifest) -> String {
    let what = if root.exists() {
        format!("Replace the data root {}", root.display())
    } else {
        format!("Create the data root {}", root.display())
    };
    format!(
        "{what} with the backup taken {} ({} Realms, {})?",
        manifest.created,
        manifest.realms.len(),
        mib(manifest.total_bytes())
    )
}

pub fn restored(format: Format, r: &ros::backup::Restored, elapsed: std::time::Duration) {
    if format == Format::Json {
        return json(&serde_json::json!({
            "root": r.root,
            "replaced": r.replaced,
            "files": r.files,
            "realms": r.manifest.realms.len(),
            "bytes": r.bytes,
            "backup_created": r.manifest.created,
            "seconds": elapsed.as_secs_f64(),
        }));
    }
    print(&format!(
        "restored {} Realms ({} files, {}) into {} from the backup taken {} in {:.1} s{}",
        r.manifest.realms.len(),
        r.files,
        mib(r.bytes),
        r.root.display(),
        r.manifest.created,
        elapsed.as_secs_f64(),
        if r.replaced {
            "; the previous root was replaced"
        } else {
            ""
        }
    ));
}

pub fn follow_round(format: Format, round: &ros::backup::Round) {
    if format == Format::Json {
        return json_line(round);
    }
    if round.changed_realms > 0 || round.new_realms > 0 || round.deleted_realms > 0 {
        print(&format!(
            "{}: {} Realms updated ({} changesets), {} new, {} deleted, behind by {} ms",
            round.at,
            round.changed_realms,
            round.changesets,
            round.new_realms,
            round.deleted_realms,
            round.lag_ms
        ));
    }
}

fn json_line<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => print(&text),
        Err(e) => eprintln!("ros: cannot write JSON: {e}"),
    }
}
