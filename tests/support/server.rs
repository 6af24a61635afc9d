//! A `ros serve` child process and the addresses it logged when it started.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// Where a running server listens, read from its JSON start-up log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listening {
    pub sync: SocketAddr,
    pub http: SocketAddr,
    pub proxy_http: Option<SocketAddr>,
    pub proxy_https: Option<SocketAddr>,
}

pub struct Running {
    pub child: Child,
    pub listening: Listening,
    /// Every stderr line after start-up, as it arrives.
    pub log: mpsc::Receiver<String>,
}

fn addr(v: &serde_json::Value, key: &str) -> Option<SocketAddr> {
    v.get(key)?.as_str()?.parse().ok()
}

/// Starts `cmd` (a `ros serve` with `logging.format: json`) and waits for the line
/// that says it listens. Panics with the log so far if it exits first.
pub fn start(mut cmd: Command) -> Running {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning ros serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    if v["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("listening"))
                    {
                        let listening = Listening {
                            sync: addr(&v, "sync").expect("sync address"),
                            http: addr(&v, "http").expect("http address"),
                            proxy_http: addr(&v, "proxy_http"),
                            proxy_https: addr(&v, "proxy_https"),
                        };
                        return Running {
                            child,
                            listening,
                            log: rx,
                        };
                    }
                }
                seen.push(line);
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("ros serve did not start; its log:\n{}", seen.join("\n"));
            }
        }
    }
}

impl Running {
    pub fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.child.id() as i32), signal).unwrap();
    }

    /// Sends SIGTERM and waits (bounded) for the exit.
    pub fn stop(mut self) -> ExitStatus {
        self.signal(Signal::SIGTERM);
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("ros serve did not exit within 30 s of SIGTERM");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
