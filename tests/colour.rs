//! Colour only on a terminal, for the log and for every command's output, and never
//! when `NO_COLOR` is set: the real binary with its output in a file or a pipe, and
//! (where util-linux `script` gives a pseudo-terminal) on a terminal.

use crate::support;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use support::{init_site, ros, run, write};

const ESC: u8 = 0x1b;

fn assert_plain(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.contains(&ESC),
        "{what} has escape sequences: {:?}",
        String::from_utf8_lossy(bytes)
    );
}

/// `ros` with no colour preference from the developer's shell.
fn ros_plain_env() -> Command {
    let mut cmd = ros();
    for key in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        cmd.env_remove(key);
    }
    cmd
}

/// `ros serve` on `site` with text logs, every listener on loopback; the HTTP
/// listener on `http_port` (0: any free port).
fn serve(site: &Path, http_port: u16) -> Command {
    let mut cmd = ros_plain_env();
    cmd.arg("serve")
        .arg("--config")
        .arg(site.join("configuration.yml"))
        .args(["--port", "0", "--listen", "127.0.0.1"])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", http_port.to_string())
        .env("ROS_LOGGING__FORMAT", "text")
        .env("ROS_LOGGING__LEVEL", "info");
    cmd
}

#[test]
fn serve_into_a_file_writes_plain_log_lines() {
    let (_tmp, site) = init_site();
    let log_path = site.join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    // `ros serve > serve.log 2>&1`
    let mut child = serve(&site, 0)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if text.contains("listening") {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ros serve exited ({status:?}) before listening:\n{text}");
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ros serve did not start within 60 s:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    let bytes = std::fs::read(&log_path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("INFO"), "{text}");
    assert_plain("the log file", &bytes);
}

/// A server that cannot bind its HTTP port: a start-up INFO line and an ERROR line.
fn failing_serve(site: &Path, taken: &TcpListener) -> Command {
    serve(site, taken.local_addr().unwrap().port())
}

#[test]
fn serve_into_a_pipe_writes_plain_log_lines() {
    let (_tmp, site) = init_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let out = run(failing_serve(&site, &taken).stdin(Stdio::null()));
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("INFO") && text.contains("ERROR"), "{text}");
    assert_plain("the log on a pipe", &out.stderr);
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn tables_help_and_errors_into_a_pipe_are_plain() {
    let (_tmp, site) = init_site();
    let root = site.join("data");
    let password = site.join("password");
    write(&password, "a password\n");
    for no_color in [None, Some("1")] {
        let cmd = |args: &[&str]| {
            let mut cmd = ros_plain_env();
            cmd.args(args).stdin(Stdio::null());
            if let Some(v) = no_color {
                cmd.env("NO_COLOR", v);
            }
            cmd
        };
        let user = |args: &[&str]| {
            let mut c = cmd(&["user"]);
            c.args(args).arg("--root").arg(&root);
            c
        };
        if no_color.is_none() {
            let mut add = user(&["add", "alice", "--password-stdin"]);
            add.stdin(std::fs::File::open(&password).unwrap());
            assert_plain("user add", &ok(run(&mut add)).stdout);
        }
        let list = ok(run(&mut user(&["list"])));
        assert!(String::from_utf8_lossy(&list.stdout).contains("USERNAME"));
        assert_plain("user list", &list.stdout);
        assert_plain("user list (stderr)", &list.stderr);
        let show = ok(run(&mut user(&["show", "alice"])));
        assert_plain("user show", &show.stdout);

        let help = ok(run(&mut cmd(&["--help"])));
        assert!(!help.stdout.is_empty());
        assert_plain("--help", &help.stdout);
        let usage = run(&mut cmd(&["user", "--no-such-flag"]));
        assert!(!usage.status.success());
        assert!(!usage.stderr.is_empty());
        assert_plain("a usage error", &usage.stderr);
        let missing = run(&mut user(&["show", "nobody"]));
        assert!(!missing.status.success());
        assert_plain("a failure", &missing.stderr);
    }
}

/// Single-quoted for `sh`.
fn quote(arg: &std::ffi::OsStr) -> String {
    format!("'{}'", arg.to_str().unwrap().replace('\'', r"'\''"))
}

/// Runs `cmd` on a pseudo-terminal made by util-linux `script`; what it wrote there
/// (stdout and stderr together), or `None` when `script` is not installed.
fn on_a_terminal(cmd: &Command) -> Option<Vec<u8>> {
    let line = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ");
    let mut script = Command::new("script");
    script
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .stdin(Stdio::null());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => script.env(key, v),
            None => script.env_remove(key),
        };
    }
    match script.output() {
        Ok(out) => Some(out.stdout),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("running script: {e}"),
    }
}

#[test]
fn the_log_on_a_terminal_is_coloured_unless_no_color() {
    let (_tmp, site) = init_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut coloured = failing_serve(&site, &taken);
    coloured.env("TERM", "xterm");
    let Some(bytes) = on_a_terminal(&coloured) else {
        eprintln!("skipped: no `script` for a pseudo-terminal");
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("ERROR"), "{text}");
    assert!(bytes.contains(&ESC), "no colour on a terminal: {text:?}");

    for no_color in ["1", "true"] {
        let mut plain = failing_serve(&site, &taken);
        plain.env("TERM", "xterm").env("NO_COLOR", no_color);
        let bytes = on_a_terminal(&plain).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("ERROR"), "{text}");
        assert_plain("the log on a terminal with NO_COLOR", &bytes);
    }
}
