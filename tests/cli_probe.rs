//! `ros probe` (issue 14): the real binary against a real `ros serve` on
//! loopback, healthy and failing at each step, with the exit codes of the CLI
//! conventions (0 healthy, 1 a step failed, 2 usage, 3 unreachable).

use std::net::TcpListener;
use std::process::Output;

use serde_json::{json, Value};

use crate::support::sync_server::SyncServer;
use crate::support::{ros, run, run_with_input, tls};

pub(crate) fn probe(args: &[&str]) -> Output {
    run(ros().arg("probe").args(args))
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub(crate) fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

pub(crate) fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// Exit 0 and every step of a healthy probe with a duration.
fn assert_healthy(out: &Output, extra: &[&str]) -> Value {
    assert_eq!(code(out), 0, "stderr: {}", stderr(out));
    let run = json_of(out);
    assert_eq!(run["healthy"], true, "{run:#}");
    let report = &run["probes"][0];
    assert!(report["failure"].is_null(), "{report:#}");
    let steps = crate::support::probe_steps(report);
    let mut want = vec!["connect"];
    want.extend(extra.iter().filter(|s| **s == "tls"));
    want.extend(["upgrade", "bind", "ident", "download", "mark", "ping"]);
    want.extend(extra.iter().filter(|s| **s != "tls"));
    assert_eq!(steps, want, "{report:#}");
    for step in report["steps"].as_array().unwrap() {
        assert!(step["duration_ms"].as_f64().unwrap() >= 0.0, "{step}");
    }
    assert_eq!(report["protocol_version"], 14);
    assert!(report["file_ident"].as_u64().unwrap() >= 1);
    run
}

/// The step, code and name of a failed probe (exit 1, one error line naming them).
pub(crate) fn assert_failed(out: &Output, step: &str, code_: u64, name: &str) {
    assert_eq!(code(out), 1, "stderr: {}", stderr(out));
    let run = json_of(out);
    let failure = &run["probes"][0]["failure"];
    assert_eq!(failure["step"], step, "{failure:#}");
    assert_eq!(failure["code"], code_, "{failure:#}");
    assert_eq!(failure["code_name"], name, "{failure:#}");
    let line = stderr(out);
    assert!(
        line.contains(&format!("{step} failed: {code_} {name}")),
        "{line}"
    );
}

fn http_call(server: &SyncServer, path: &str, token: Option<&str>, body: Value) -> Value {
    let client = reqwest::blocking::Client::new();
    let mut request = client
        .post(format!("http://{}{path}", server.serving.listening.http))
        .json(&body);
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    let response = request.send().unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().unwrap()
}

/// Registers a password user: (id, refresh token).
fn register(server: &SyncServer, name: &str) -> (String, String) {
    let body = json!({"provider": "password", "data": name,
                      "user_info": {"password": "pw", "register": true}});
    let token = &http_call(server, "/auth", None, body)["refresh_token"];
    (
        token["token_data"]["identity"]
            .as_str()
            .unwrap()
            .to_string(),
        token["token"].as_str().unwrap().to_string(),
    )
}

#[test]
fn probes_a_server_through_each_door_and_fails_at_the_right_step() {
    let server = SyncServer::start(&[]);
    let token = server.admin_token.as_str();
    let sync = server.url();
    let proxy = format!(
        "http://{}",
        server.serving.listening.proxy_http.expect("HTTP proxy")
    );

    // Healthy via the sync listener and via the HTTP proxy (an http base).
    for url in [&sync, &proxy] {
        let out = probe(&[url, "--token", token, "--format", "json"]);
        let run = assert_healthy(&out, &[]);
        // Read-only probes share one Realm, so cron leaves one Realm behind.
        assert_eq!(run["probes"][0]["realm"], "/__probe/health");
    }
    assert_eq!(
        json_of(&probe(&[&proxy, "--token", token, "--format", "json"]))["probes"][0]["url"],
        format!("{}/realm-sync", proxy.replace("http://", "ws://"))
    );

    // Not a terminal: one summary line.
    let out = run(ros()
        .args(["probe", &sync, "--realm", "/probe-line"])
        .env("ROS_TOKEN", token));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("ok ws://") && text.contains("ping="),
        "{text}"
    );

    // A token the server does not accept: the upgrade is closed with 4001.
    let out = probe(&[&sync, "--token", "not-a-token", "--format", "json"]);
    assert_failed(&out, "upgrade", 4001, "unauthorized");

    // An illegal path: ERROR 204 on BIND (the server answers instead of IDENT).
    let out = probe(&[
        &sync, "--token", token, "--realm", "/a/../b", "--format", "json",
    ]);
    assert_failed(&out, "ident", 204, "illegal_realm_path");

    // A user without read access to someone else's Realm: 206.
    let (alice, alice_refresh) = register(&server, "alice");
    http_call(
        &server,
        "/auth",
        None,
        json!({"provider": "realm", "data": alice_refresh, "path": "/~/tasks"}),
    );
    let (_, bob) = register(&server, "bob");
    let tasks = format!("/{alice}/tasks");
    let out = probe(&[
        &sync, "--token", &bob, "--realm", &tasks, "--format", "json",
    ]);
    assert_failed(&out, "ident", 206, "permission_denied");
    assert!(
        stderr(&out).contains("ros probe: ident failed"),
        "{}",
        stderr(&out)
    );

    // A user logs in with a password (through the proxy, which serves /auth
    // too) and probes a Realm of their own.
    register(&server, "carol");
    for (password, exit) in [("pw", 0), ("wrong", 1)] {
        let out = run_with_input(
            ros().args([
                "probe",
                &proxy,
                "--username",
                "carol",
                "--password-stdin",
                "--realm",
                "/~/probe",
                "--format",
                "json",
            ]),
            password,
        );
        assert_eq!(code(&out), exit, "{password}: {}", stderr(&out));
        if exit == 1 {
            assert!(stderr(&out).contains("login refused"), "{}", stderr(&out));
        } else {
            // The login is timed as the probe's first step.
            let run = json_of(&out);
            let steps = crate::support::probe_steps(&run["probes"][0]);
            assert_eq!(steps.first(), Some(&"login"), "{run:#}");
        }
    }

    // --write: a changeset from one connection arrives on a second one.
    let out = probe(&[&sync, "--token", token, "--write", "--format", "json"]);
    let run = assert_healthy(&out, &["roundtrip"]);
    let scratch = run["probes"][0]["realm"].as_str().unwrap();
    assert!(
        scratch.starts_with("/__probe/") && scratch != "/__probe/health",
        "{scratch}"
    );
    assert!(
        run["probes"][0]["steps"][7]["duration_ms"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    // The sync listener serves no admin API: the scratch Realm is kept, and
    // the probe says why without failing. Through the proxy (an http base) the
    // admin token deletes it.
    let kept = run["probes"][0]["cleanup"].as_str().unwrap();
    assert!(kept.starts_with("kept: "), "{kept}");
    let file = |realm: &str| {
        ros::realm::realm_file(
            &server.data(),
            &ros::realm_id::RealmId::parse(realm, None).unwrap(),
        )
    };
    assert!(file(scratch).exists());
    let out = probe(&[&proxy, "--token", token, "--write", "--format", "json"]);
    let run = assert_healthy(&out, &["roundtrip"]);
    assert_eq!(run["probes"][0]["cleanup"], "deleted", "{run:#}");
    let deleted = run["probes"][0]["realm"].as_str().unwrap();
    assert!(!file(deleted).exists(), "{deleted}");
    // Twice on the same Realm: the schema is there the second time, and a
    // Realm the caller named is never deleted.
    for _ in 0..2 {
        let out = probe(&[
            &sync,
            "--token",
            token,
            "--write",
            "--realm",
            "/probe-writes",
            "--format",
            "json",
        ]);
        let run = assert_healthy(&out, &["roundtrip"]);
        assert_eq!(run["probes"][0]["cleanup"], Value::Null, "{run:#}");
    }
    assert!(file("/probe-writes").exists());

    // Thresholds: an impossible one is exit 1 with the JSON saying which.
    let out = probe(&[
        &sync,
        "--token",
        token,
        "--write",
        "--expect",
        "roundtrip<0ms",
        "--expect",
        "connect<1m",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let run = json_of(&out);
    assert_eq!(run["healthy"], false);
    assert_eq!(run["expectations"][0]["met"], false, "{run:#}");
    assert_eq!(run["expectations"][1]["met"], true, "{run:#}");
    assert!(stderr(&out).contains("roundtrip"), "{}", stderr(&out));

    // Repeated probes: statistics per step.
    let out = probe(&[
        &sync,
        "--token",
        token,
        "--count",
        "3",
        "--interval",
        "10ms",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let run = json_of(&out);
    assert_eq!(run["count"], 3);
    let ping = run["stats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "ping")
        .expect("ping stats");
    assert_eq!(ping["samples"], 3);
    assert!(ping["min_ms"].as_f64() <= ping["median_ms"].as_f64());
    assert!(ping["median_ms"].as_f64() <= ping["p99_ms"].as_f64());

    // Usage errors are exit 2.
    for args in [
        vec!["ftp://x", "--token", token],
        vec![&sync, "--token", token, "--expect", "nonsense"],
        vec![&sync, "--token", token, "--expect", "roundtrip<1s"],
    ] {
        let out = probe(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn probes_over_https_through_the_proxy_with_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let tls = tls::ca_signed(dir.path());
    let server = SyncServer::start(&tls.https_proxy_env());
    let https = server.serving.listening.proxy_https.expect("HTTPS proxy");
    let url = format!("https://localhost:{}", https.port());
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    let token = server.admin_token.as_str();

    let out = probe(&[
        &url,
        "--token",
        token,
        "--ca-cert",
        ca.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let run = assert_healthy(&out, &["tls"]);
    assert!(run["probes"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("wss://"));
    let certificate = &run["probes"][0]["certificate"];
    assert!(
        certificate["issuer"]
            .as_str()
            .unwrap()
            .contains("ros test CA"),
        "{certificate:#}"
    );
    assert!(certificate["not_after_unix"].as_i64().unwrap() > 1_700_000_000);
    assert!(!certificate["subject"].as_str().unwrap().is_empty());

    // Without the CA nothing is trusted; with another CA neither.
    let out = probe(&[&url, "--token", token, "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(json_of(&out)["probes"][0]["failure"]["step"], "tls");
    assert!(stderr(&out).contains("TLS"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--ca-cert"), "{}", stderr(&out));
    let other = tls::ca_signed(&dir.path().join("other"));
    let other_ca = dir.path().join("other.pem");
    std::fs::write(&other_ca, &other.ca_pem).unwrap();
    let out = probe(&[
        &url,
        "--token",
        token,
        "--ca-cert",
        other_ca.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("tls failed"), "{}", stderr(&out));

    // The right CA but a name the certificate does not carry (it names
    // localhost and 127.0.0.1; ::ffff:127.0.0.1 reaches the same listener).
    let mapped = format!("wss://[::ffff:127.0.0.1]:{}/realm-sync", https.port());
    let out = probe(&[&mapped, "--token", token, "--ca-cert", ca.to_str().unwrap()]);
    if !stderr(&out).contains("connect failed") {
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(stderr(&out).contains("tls failed"), "{}", stderr(&out));
    }

    // --insecure (only by that flag) accepts the certificate.
    let out = probe(&[&url, "--token", token, "--insecure", "--format", "json"]);
    assert_healthy(&out, &["tls"]);
}

#[test]
fn an_unreachable_server_is_exit_3() {
    // Nothing listens: the port of a listener that is gone.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = probe(&[&format!("ws://127.0.0.1:{port}/realm-sync"), "--token", "t"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("connect failed"), "{}", stderr(&out));

    // A listener that accepts but never answers: the timeout before the upgrade.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let started = std::time::Instant::now();
    let out = probe(&[
        &format!("ws://{addr}/realm-sync"),
        "--token",
        "t",
        "--timeout",
        "1s",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let failure = &json_of(&out)["probes"][0]["failure"];
    assert_eq!(failure["kind"], "unreachable", "{failure:#}");
    drop(silent);
}
