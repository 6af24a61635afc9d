//! Helpers shared by the integration tests: the real `ros` binary, temporary sites
//! made by `ros init`, TLS material from a test CA, and a running server.
#![allow(dead_code)]

pub mod backup;
pub mod captures;
pub mod http;
pub mod live;
pub mod openapi;
pub mod relay;
pub mod server;
pub mod sync_server;
pub mod tls;
pub mod workload;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn ros() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ros"));
    // Tests control the environment: nothing from the developer's shell leaks in.
    for (key, _) in std::env::vars() {
        if key.starts_with("ROS_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("running ros")
}

/// Runs `cmd` with `input` on its standard input.
pub fn run_with_input(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running ros");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("writing to ros");
    }
    child.wait_with_output().expect("running ros")
}

/// Runs `cmd` with `line` and a newline on its standard input (a password for
/// `--password-stdin`); panics with its stderr unless it succeeds.
pub fn run_ok_with_line(cmd: &mut Command, line: &str) -> Output {
    let out = run_with_input(cmd, &format!("{line}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `ros init DIR` in a fresh temporary directory; returns (tempdir guard, DIR).
pub fn init_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = run(ros().arg("init").arg(&site));
    assert!(
        out.status.success(),
        "ros init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, site)
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// The JSON a successful `ros` command printed; panics with its stderr otherwise.
pub fn ok_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The names of the steps a `ros probe --format json` report completed.
pub fn probe_steps(report: &serde_json::Value) -> Vec<&str> {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["step"].as_str().expect("step name"))
        .collect()
}
