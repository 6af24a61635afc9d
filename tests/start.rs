//! `ros start` with the original 3.x flags: the data root and key pair are created
//! as the original did, the public listener takes `-a`/`-p`, and bad values get the
//! original's messages.

use crate::support;

use std::os::unix::fs::PermissionsExt;

use support::{ros, run, server};

#[test]
fn original_flags_start_a_server_with_generated_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = ros();
    cmd.current_dir(tmp.path())
        .args([
            "start",
            "-d",
            "data",
            "-a",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-l",
            "debug",
        ])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_LOGGING__FORMAT", "json");
    let serving = server::start(cmd);
    assert_eq!(
        serving.listening.proxy_http.map(|a| a.to_string()),
        Some(format!("127.0.0.1:{port}"))
    );
    let health: serde_json::Value =
        reqwest::blocking::get(format!("http://127.0.0.1:{port}/health"))
            .unwrap()
            .json()
            .unwrap();
    assert_eq!(health["status"], "ok");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("keys/auth.key")), 0o600);
    assert!(data.join("keys/auth.pub").is_file());
    assert!(serving.stop().success());

    // A second start reuses the pair instead of replacing it.
    let key = std::fs::read(data.join("keys/auth.key")).unwrap();
    let mut cmd = ros();
    cmd.current_dir(tmp.path())
        .args([
            "start",
            "--data",
            "data",
            "--address",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_LOGGING__FORMAT", "json");
    let serving = server::start(cmd);
    assert_eq!(std::fs::read(data.join("keys/auth.key")).unwrap(), key);
    assert!(serving.stop().success());
}

#[test]
fn bad_values_get_the_original_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["-p", "0"], "Invalid port number (1-65535): '0'"),
        (&["-p", "http"], "Invalid port number (1-65535): 'http'"),
        (
            &["-l", "verbose"],
            "log-level must be one of: all, trace, debug, detail, info, warn, error, fatal, off",
        ),
        (
            &["--https"],
            "HTTPS was enabled but a path to the key was not provided.",
        ),
    ];
    for (args, message) in cases {
        let out = run(ros().current_dir(tmp.path()).arg("start").args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert!(
        !tmp.path().join("data").exists(),
        "nothing is created for a refused start"
    );
}

#[test]
fn no_auto_keygen_reports_the_missing_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(ros()
        .current_dir(tmp.path())
        .args(["start", "--no-auto-keygen", "-p", "9"]));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("flag --private-key") && err.contains("auth.key"),
        "{err}"
    );
}
