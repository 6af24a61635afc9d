//! The one error line and the exit code of each failure class (docs/architecture.md,
//! exit codes): usage 2, failed 1, unreachable 3, configuration 2, on `user`,
//! `token`, `check-configuration` (and `realm` for a second unreachable server).
//! A failing command writes exactly `ros <command>: <message>` to standard error.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `ros ARGS` in `cwd`, with no `ROS_*` variable and no terminal.
fn ros(cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ros"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("ROS_") {
            cmd.env_remove(name);
        }
    }
    cmd.current_dir(cwd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Checks the exit code and that standard error is the single line
/// `ros <command>: ...` holding `words`.
fn fails(out: &Output, code: i32, command: &str, words: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    let prefix = format!("ros {command}: ");
    assert!(lines[0].starts_with(&prefix), "{err}");
    assert!(lines[0].contains(words), "{words:?} in {err}");
}

/// An http URL on which nothing listens.
fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn user_failure_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // usage: a password is needed and there is no terminal to ask it on.
    let out = ros(dir, &["user", "add", "alice"]);
    fails(&out, 2, "user", "--password-stdin");

    // failed: no such user on a data root.
    std::fs::create_dir(dir.join("root")).unwrap();
    let out = ros(dir, &["user", "show", "nobody", "--data-root", "root"]);
    fails(&out, 1, "user", "no user has the id or username \"nobody\"");
    // `--root` is the same flag.
    let out = ros(dir, &["user", "show", "nobody", "--root", "root"]);
    fails(&out, 1, "user", "nobody");

    // unreachable: nothing listens at the URL.
    let url = closed_url();
    let out = ros(dir, &["user", "list", "--url", &url, "--token", "t"]);
    fails(&out, 3, "user", "cannot reach the server");

    // configuration: the file given does not exist; none found at all.
    let out = ros(dir, &["user", "list", "--config", "missing.yml"]);
    fails(
        &out,
        2,
        "user",
        "missing.yml given by --config does not exist",
    );
    let out = ros(dir, &["user", "list"]);
    fails(&out, 2, "user", "no configuration file");
}

#[test]
fn token_failure_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // usage: an unknown right.
    let out = ros(
        dir,
        &["token", "create", "--identity", "x", "--access", "bogus"],
    );
    fails(&out, 2, "token", "unknown right \"bogus\"");

    // failed: the key pair exists and --force was not given.
    let first = ros(dir, &["token", "keygen", "--out-dir", "keys"]);
    assert_eq!(first.status.code(), Some(0));
    let out = ros(dir, &["token", "keygen", "--out-dir", "keys"]);
    fails(&out, 1, "token", "--force");

    // failed, with nothing more to say: the inspection shown says why.
    let out = ros(
        dir,
        &[
            "token",
            "inspect",
            "not-a-token",
            "--public-key",
            "keys/auth.pub",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["valid"], false);

    // configuration: the configuration file given does not exist.
    let out = ros(dir, &["token", "admin", "--config", "gone.yml"]);
    fails(
        &out,
        2,
        "token",
        "gone.yml given by --config does not exist",
    );
}

#[test]
fn check_configuration_failure_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // usage: the file twice.
    let out = ros(dir, &["check-configuration", "a.yml", "--config", "b.yml"]);
    fails(&out, 2, "check-configuration", "not both");

    // configuration: no configuration file anywhere.
    let out = ros(dir, &["check-configuration"]);
    fails(&out, 2, "check-configuration", "no configuration file");

    // failed: the report (on standard output) says what is wrong; nothing on stderr.
    std::fs::write(
        dir.join("configuration.yml"),
        "proxy:\n  http:\n    listen_port: 70000\n",
    )
    .unwrap();
    let out = ros(dir, &["check-configuration"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("the configuration is not valid"),
        "{report}"
    );

    // `text` is still accepted as the table format of this command.
    let text = ros(dir, &["check-configuration", "--format", "text"]);
    assert_eq!(text.stdout, out.stdout);
}

#[test]
fn realm_unreachable_and_clap_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let url = closed_url();
    let out = ros(
        tmp.path(),
        &["realm", "list", "--url", &url, "--token", "t"],
    );
    fails(&out, 3, "realm", "cannot reach the server");

    // clap's own usage errors (its format) also exit 2.
    let out = ros(
        tmp.path(),
        &[
            "permission",
            "offer",
            "create",
            "/r",
            "--read",
            "--expires-in",
            "soon",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use 10m, 1h, 30d or never"));
}
