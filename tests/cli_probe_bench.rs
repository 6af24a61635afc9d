//! `ros probe bench` against a real `ros serve`: the three modes, writers and
//! readers, sessions sharing connections, `--compare`, and its exit codes.

use std::net::TcpListener;

use serde_json::{json, Value};

use crate::cli_probe::{code, json_of, probe, stderr};
use crate::support::sync_server::SyncServer;

fn bench(sync: &str, token: &str, extra: &[&str]) -> Value {
    let mut args = vec!["bench", sync, "--token", token, "--format", "json"];
    args.extend_from_slice(extra);
    let out = probe(&args);
    assert_eq!(code(&out), 0, "{extra:?}: {}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["errors"], json!({}), "{report:#}");
    report
}

/// One writer and five readers over two connections (three sessions on
/// each): every reader receives every changeset, so 30 × 5 receipts.
#[test]
fn bench_fans_out_from_one_writer_over_shared_connections() {
    let server = SyncServer::start(&[]);
    let report = bench(
        &server.url(),
        &server.admin_token,
        &[
            "--sessions",
            "6",
            "--connections",
            "2",
            "--writers",
            "1",
            "--changesets",
            "30",
            "--rate",
            "200",
        ],
    );
    assert_eq!(report["mode"], "open");
    assert_eq!(report["connections"], 2);
    assert_eq!(report["writers"], 1);
    assert_eq!(report["readers"], "integrate");
    let counts = &report["changesets"];
    assert_eq!(counts["uploaded"], 30, "{report:#}");
    assert_eq!(counts["acknowledged"], 30, "{report:#}");
    assert_eq!(counts["expected_received"], 30 * 5, "{report:#}");
    assert_eq!(counts["received"], 30 * 5, "{report:#}");
    assert_eq!(report["latency_ms"]["samples"], 30 * 5);
}

/// `--readers parse`: readers only decode DOWNLOADs, yet see every changeset
/// (a sample each), and the report says which kind of reader ran. The writer
/// runs a closed loop with `--think`: 19 pauses of 20 ms at least between its
/// 20 acknowledged uploads.
#[test]
fn bench_parse_only_readers_count_every_changeset() {
    let server = SyncServer::start(&[]);
    let args = [
        "--sessions",
        "4",
        "--writers",
        "1",
        "--changesets",
        "20",
        "--think",
        "20ms",
        "--readers",
        "parse",
    ];
    let report = bench(&server.url(), &server.admin_token, &args);
    assert_eq!(report["readers"], "parse");
    assert_eq!(report["mode"], "closed");
    assert_eq!(report["think_ms"], 20.0);
    let acknowledged_s = report["acknowledged_s"].as_f64().unwrap();
    assert!(acknowledged_s >= 19.0 * 0.020, "{acknowledged_s}");
    let counts = &report["changesets"];
    assert_eq!(counts["acknowledged"], 20, "{report:#}");
    assert_eq!(counts["received"], 20 * 3, "{report:#}");
    assert_eq!(report["latency_ms"]["samples"], 20 * 3);
    let out = probe(&[
        "bench",
        &server.url(),
        "--token",
        &server.admin_token,
        "--readers",
        "skim",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("skim"), "{}", stderr(&out));
    let out = probe(&[
        "bench",
        &server.url(),
        "--token",
        &server.admin_token,
        "--think",
        "1ms",
        "--rate",
        "10",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

/// Offline: writers commit first, then sync at once; every changeset is
/// acknowledged, on two Realms with two writers each.
#[test]
fn bench_syncs_offline_work_at_once() {
    let server = SyncServer::start(&[]);
    // Through the proxy, which also serves the admin API the Realms are deleted with.
    let proxy = format!(
        "http://{}",
        server.serving.listening.proxy_http.expect("HTTP proxy")
    );
    let report = bench(
        &proxy,
        &server.admin_token,
        &[
            "--sessions",
            "4",
            "--realms",
            "2",
            "--changesets",
            "300",
            "--offline",
        ],
    );
    assert_eq!(report["mode"], "offline");
    assert_eq!(report["writers"], 4);
    assert_eq!(report["realms"].as_array().unwrap().len(), 2);
    let counts = &report["changesets"];
    assert_eq!(counts["uploaded"], 1200, "{report:#}");
    assert_eq!(counts["acknowledged"], 1200, "{report:#}");
    assert!(report["acknowledged_s"].as_f64().unwrap() > 0.0);
    assert!(report["throughput"]["acknowledged_per_s"].as_f64().unwrap() > 0.0);
    // Offline uploads are large, so compressed on the wire: fewer bytes than
    // the 1,200 changesets' own (each over 20 bytes), but not nothing.
    let bytes = report["bytes_uploaded"].as_u64().unwrap();
    assert!(bytes > 1200 && bytes < 1200 * 20, "{bytes}");
    assert_eq!(report["cleanup"], "deleted", "{report:#}");
    for realm in report["realms"].as_array().unwrap() {
        let id = ros::realm_id::RealmId::parse(realm.as_str().unwrap(), None).unwrap();
        assert!(
            !ros::realm::realm_file(&server.data(), &id).exists(),
            "{realm}"
        );
    }
}

/// `ros probe bench`: a small closed-loop run whose counts add up, then
/// `--compare` against itself (exit 0) and against a doctored report (exit 1).
#[test]
fn bench_runs_reports_and_compares() {
    let server = SyncServer::start(&[]);
    let token = server.admin_token.as_str();
    let sync = server.url();
    let out = probe(&[
        "bench",
        &sync,
        "--token",
        token,
        "--sessions",
        "4",
        "--changesets",
        "20",
        "--instructions",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["mode"], "closed");
    assert_eq!(report["sessions"], 4);
    let counts = &report["changesets"];
    assert_eq!(counts["uploaded"], 80, "{report:#}");
    assert_eq!(counts["acknowledged"], 80, "{report:#}");
    assert_eq!(counts["expected_received"], 80 * 3, "{report:#}");
    assert_eq!(counts["received"], 80 * 3, "{report:#}");
    assert_eq!(report["latency_ms"]["samples"], 80 * 3, "{report:#}");
    assert!(report["latency_ms"]["p50"].as_f64().unwrap() > 0.0);
    assert!(
        report["latency_ms"]["max"].as_f64().unwrap()
            >= report["latency_ms"]["p99"].as_f64().unwrap()
    );
    assert!(report["throughput"]["acknowledged_per_s"].as_f64().unwrap() > 0.0);
    assert!(report["bytes_uploaded"].as_u64().unwrap() > 0);
    assert_eq!(report["errors"], json!({}));
    // The sync listener has no admin API: the Realm stays, and that is no failure.
    let kept = report["cleanup"].as_str().unwrap();
    assert!(kept.starts_with("kept: "), "{kept}");

    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("new.json");
    std::fs::write(&saved, serde_json::to_vec(&report).unwrap()).unwrap();
    let saved = saved.to_str().unwrap();
    let same = probe(&["bench", "--report", saved, "--compare", saved]);
    assert_eq!(code(&same), 0, "stderr: {}", stderr(&same));
    let text = String::from_utf8_lossy(&same.stdout);
    assert!(text.contains("throughput.acknowledged_per_s"), "{text}");

    let mut doctored = report.clone();
    let fast = report["throughput"]["acknowledged_per_s"].as_f64().unwrap() * 10.0;
    doctored["throughput"]["acknowledged_per_s"] = json!(fast);
    let old = dir.path().join("old.json");
    std::fs::write(&old, serde_json::to_vec(&doctored).unwrap()).unwrap();
    let worse = probe(&[
        "bench",
        "--report",
        saved,
        "--compare",
        old.to_str().unwrap(),
    ]);
    assert_eq!(code(&worse), 1, "stderr: {}", stderr(&worse));
    assert!(
        stderr(&worse).contains("throughput.acknowledged_per_s"),
        "{}",
        stderr(&worse)
    );
    let lenient = probe(&[
        "bench",
        "--report",
        saved,
        "--compare",
        old.to_str().unwrap(),
        "--max-regression",
        "95",
    ]);
    assert_eq!(code(&lenient), 0, "stderr: {}", stderr(&lenient));
}

#[test]
fn bench_usage_errors_are_exit_2_and_unreachable_3() {
    for args in [
        &["bench", "--sessions", "0"][..],
        &[
            "bench",
            "--rate",
            "-5",
            "ws://127.0.0.1:1/realm-sync",
            "--token",
            "t",
        ],
        &["bench", "--max-regression", "10"],
        &[
            "bench",
            "--report",
            "/nonexistent/report.json",
            "--compare",
            "/nonexistent/old.json",
        ],
        &[
            "bench",
            "--changesets",
            "0",
            "ws://127.0.0.1:1/realm-sync",
            "--token",
            "t",
        ],
        &["bench", "--sessions", "2", "--connections", "3"],
        &["bench", "--offline", "--rate", "5"],
    ] {
        let out = probe(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("ws://127.0.0.1:{port}/realm-sync");
    let out = probe(&["bench", &url, "--token", "t", "--sessions", "2"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}
