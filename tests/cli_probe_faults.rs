//! `ros probe` against servers that fail in ways a healthy test server does
//! not: one that acknowledges uploads but never fans them out (a relay that
//! drops changeset-carrying DOWNLOADs), one whose protocol range the client
//! does not meet, and a token that has expired.

use crate::cli_probe::{assert_failed, code, json_of, probe, stderr};
use crate::support::relay::Relay;
use crate::support::sync_server::SyncServer;
use crate::support::{ros, run};

#[test]
fn write_fails_when_the_server_acknowledges_but_does_not_fan_out() {
    let server = SyncServer::start(&[]);
    let token = server.admin_token.as_str();
    let relay = Relay::start(server.serving.listening.sync);
    let url = relay.url();

    // Without --write the relay is indistinguishable from the server.
    let out = probe(&[&url, "--token", token, "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_of(&out)["healthy"], true);

    // With --write, the second session never receives the changeset.
    let out = probe(&[
        &url,
        "--token",
        token,
        "--write",
        "--timeout",
        "2s",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let run = json_of(&out);
    let failure = &run["probes"][0]["failure"];
    assert_eq!(failure["step"], "roundtrip", "{run:#}");
    assert!(
        stderr(&out).contains("roundtrip failed"),
        "{}",
        stderr(&out)
    );
    // Every step before it passed: the upload itself was acknowledged.
    let steps = run["probes"][0]["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["step"] == "ping"), "{run:#}");

    // The same probe straight at the server passes.
    let out = probe(&[
        &server.url(),
        "--token",
        token,
        "--write",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn an_unsupported_protocol_range_fails_the_upgrade() {
    let server = SyncServer::start(&[("ROS_SYNC__MIN_PROTOCOL_VERSION", "10")]);
    let token = server.admin_token.as_str();
    let sync = server.url();

    let out = probe(&[
        &sync,
        "--token",
        token,
        "--protocol",
        "2-8",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let failure = &json_of(&out)["probes"][0]["failure"];
    assert_eq!(failure["step"], "upgrade", "{failure:#}");
    assert_eq!(failure["http_status"], 400, "{failure:#}");
    let line = stderr(&out);
    assert!(
        line.contains("upgrade failed") && line.contains("400"),
        "{line}"
    );

    // One version inside the server's range is accepted and reported.
    let out = probe(&[
        &sync,
        "--token",
        token,
        "--protocol",
        "10",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json_of(&out)["probes"][0]["protocol_version"], 10);

    for bad in ["1", "15", "9-3", "x"] {
        let out = probe(&[&sync, "--token", token, "--protocol", bad]);
        assert_eq!(code(&out), 2, "{bad}: {}", stderr(&out));
        assert!(stderr(&out).contains("--protocol"), "{}", stderr(&out));
    }
}

#[test]
fn an_expired_token_is_refused_at_the_upgrade() {
    let server = SyncServer::start(&[]);
    let config = server.site.join("configuration.yml");
    let out = run(ros()
        .args(["token", "create", "--identity", "__admin", "--admin"])
        .args(["--expires-in", "1s", "--config", config.to_str().unwrap()]));
    assert!(out.status.success(), "{}", stderr(&out));
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = probe(&[&server.url(), "--token", &token, "--format", "json"]);
    assert_failed(&out, "upgrade", 4001, "unauthorized");
    assert!(stderr(&out).contains("expired"), "{}", stderr(&out));
}
