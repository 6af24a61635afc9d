//! `ros serve` as an operator runs it: the real binary, port 0 everywhere, `/health`
//! directly and through the HTTP and HTTPS proxies, the sync routes' WebSocket
//! upgrade, the root lock, override precedence, and a clean exit on SIGTERM.

use crate::support;

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::time::Duration;

use support::openapi::OpenApi;
use support::{init_site, ros, run, server, tls, write};

fn https_client(ca_pem: &str) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn health(client: &reqwest::blocking::Client, url: &str) -> serde_json::Value {
    let response = client
        .get(url)
        .send()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert_eq!(response.status(), 200, "GET {url}");
    response.json().unwrap()
}

/// A configuration with every port in the file set to a value the overrides must
/// replace; the test proves they did by the ports the server really bound.
fn write_config(site: &Path, tls: &tls::TestTls) -> std::path::PathBuf {
    let path = site.join("test.yml");
    write(
        &path,
        &format!(
            "storage:\n  root_path: data\n\
             auth:\n  public_key_path: keys/auth.pub\n  private_key_path: keys/auth.key\n\
             network:\n  sync:\n    listen_port: 0\n  http:\n    listen_port: 1\n\
             proxy:\n  http:\n    listen_address: '::'\n    listen_port: 2\n\
             \x20 https:\n    enable: true\n    listen_address: 127.0.0.1\n    listen_port: 0\n\
             \x20   certificate_path: {}\n    private_key_path: {}\n\
             logging:\n  level: info\n  format: json\n",
            tls.cert_path.display(),
            tls.key_path.display()
        ),
    );
    path
}

#[test]
fn serves_health_everywhere_holds_the_lock_and_exits_cleanly() {
    let (_tmp, site) = init_site();
    let tls = tls::ca_signed(&site.join("tls"));
    let config = write_config(&site, &tls);

    let mut cmd = ros();
    cmd.arg("serve")
        .arg("--config")
        .arg(&config)
        .args(["--listen", "127.0.0.1", "--port", "0"])
        // Environment beats the file (http 1 -> 0); the flag beats the environment (3 -> 0).
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_PROXY__HTTP__LISTEN_PORT", "3");
    let serving = server::start(cmd);
    let at = serving.listening.clone();
    assert_ne!(
        at.http.port(),
        1,
        "ROS_NETWORK__HTTP__LISTEN_PORT did not override the file"
    );
    let proxy = at.proxy_http.expect("proxy http enabled by default");
    assert_eq!(
        proxy.ip(),
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        "--listen did not override"
    );
    assert!(
        ![2, 3].contains(&proxy.port()),
        "--port did not override file and environment"
    );
    let https = at.proxy_https.expect("proxy https enabled in the file");

    let openapi = OpenApi::load();
    let schema = openapi.response_schema("/health", "get", "200");
    let client = https_client(&tls.ca_pem);
    let direct = health(&client, &format!("http://{}/health", at.http));
    assert_eq!(openapi.check(&schema, &direct), Vec::<String>::new());
    assert_eq!(direct["status"], "ok");
    assert_eq!(direct["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(direct["addresses"]["sync"], at.sync.to_string());
    assert_eq!(direct["addresses"]["proxy_https"], https.to_string());
    for url in [
        format!("http://{proxy}/health"),
        format!("https://localhost:{}/health", https.port()),
    ] {
        let through = health(&client, &url);
        assert_eq!(openapi.check(&schema, &through), Vec::<String>::new());
        assert_eq!(through["addresses"], direct["addresses"], "{url}");
    }

    // The root is locked: a second server on it stops and names the first one's pid.
    let second = run(ros()
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .args(["--port", "0"]));
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    let pid = serving.child.id().to_string();
    assert!(
        err.contains(&pid) && err.contains("in use"),
        "second serve said: {err}"
    );

    let status = serving.stop();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    let root = site.join("data");
    assert!(ros::root::lock_holder(&root).is_none());
    assert!(
        !ros::root::lock_path(&root).exists(),
        "lock file removed on exit"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(ros::root::MARKER_FILE)).unwrap(),
        "ros data format 1\n"
    );
}

async fn upgrade(
    url: &str,
    protocols: &str,
) -> tokio_tungstenite::tungstenite::Result<(String, Option<u16>)> {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", protocols.parse().unwrap());
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await?;
    let chosen = response
        .headers()
        .get("Sec-WebSocket-Protocol")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let mut close = None;
    while let Some(message) = socket.next().await {
        if let Ok(Message::Close(Some(frame))) = message {
            close = Some(u16::from(frame.code));
        }
    }
    Ok((chosen, close))
}

#[test]
fn sync_routes_negotiate_the_protocol_on_the_sync_listener_and_the_proxy() {
    let (_tmp, site) = init_site();
    let mut cmd = ros();
    cmd.arg("serve")
        .arg("--config")
        .arg(site.join("configuration.yml"))
        .args(["--port", "0", "--listen", "127.0.0.1"])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_LOGGING__FORMAT", "json");
    let serving = server::start(cmd);
    let at = serving.listening.clone();
    let proxy = at.proxy_http.unwrap();
    let offered = (2..=14)
        .rev()
        .map(|v| format!("com.mongodb.realm-sync#{v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for url in [
        format!("ws://{}/realm-sync?baas_at=x", at.sync),
        format!("ws://{proxy}/realm-sync"),
        format!("ws://{proxy}/realm-sync/%2Fdefault"),
        format!("ws://{proxy}/api/client/v2.0/app/my-app/realm-sync?baas_at=x"),
    ] {
        let (chosen, close) = runtime.block_on(upgrade(&url, &offered)).unwrap();
        assert_eq!(chosen, "com.mongodb.realm-sync#14", "{url}");
        assert_eq!(
            close,
            Some(4001),
            "{url}: a missing or bad token is refused with 4001 after the upgrade"
        );
    }
    // A flexible-sync-only offer is refused like the reference server does.
    let err = runtime
        .block_on(upgrade(
            &format!("ws://{proxy}/realm-sync"),
            "com.mongodb.realm-query-sync#14",
        ))
        .unwrap_err();
    assert!(err.to_string().contains("400"), "{err}");
    // The sync listener answers other paths with the reference server's 404.
    let response = reqwest::blocking::get(format!("http://{}/health", at.sync)).unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.text().unwrap(),
        "Realm sync server\n\nPage not found\n"
    );
    assert!(serving.stop().success());
}

#[test]
fn log_file_is_reopened_on_sighup() {
    let (_tmp, site) = init_site();
    let log = site.join("ros.log");
    let mut cmd = ros();
    cmd.arg("serve")
        .arg("--config")
        .arg(site.join("configuration.yml"))
        .args(["--port", "0"])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_LOGGING__FORMAT", "json")
        .env("ROS_LOGGING__PATH", &log);
    // With a log file the start-up line goes to the file, not stderr: wait for it there.
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_for(&log, "listening");
    assert!(started, "no start-up line in {}", log.display());
    std::fs::rename(&log, site.join("ros.log.1")).unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGHUP,
    )
    .unwrap();
    assert!(wait_for(&log, "reopened"), "no new log file after SIGHUP");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    let new = std::fs::read_to_string(&log).unwrap();
    assert!(
        new.contains("has stopped"),
        "the stop line goes to the new file: {new}"
    );
    let old = std::fs::read_to_string(site.join("ros.log.1")).unwrap();
    assert!(!old.contains("has stopped"));
}

fn wait_for(path: &Path, needle: &str) -> bool {
    for _ in 0..300 {
        if std::fs::read_to_string(path).is_ok_and(|t| t.contains(needle)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Ports the system just handed out and released: free at this instant.
fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<_> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    held.iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

#[test]
fn check_configuration_names_the_running_server_instead_of_failing() {
    let (_tmp, site) = init_site();
    let ports = free_ports(3);
    let config = site.join("fixed.yml");
    write(
        &config,
        &format!(
            "storage:\n  root_path: data\n\
             auth:\n  public_key_path: keys/auth.pub\n  private_key_path: keys/auth.key\n\
             network:\n  sync:\n    listen_port: {}\n  http:\n    listen_port: {}\n\
             proxy:\n  http:\n    listen_address: 127.0.0.1\n    listen_port: {}\n\
             logging:\n  format: json\n",
            ports[0], ports[1], ports[2]
        ),
    );
    let mut cmd = ros();
    cmd.arg("serve").arg("--config").arg(&config);
    let serving = server::start(cmd);
    let out = run(ros()
        .arg("check-configuration")
        .arg(&config)
        .args(["--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    let pid = serving.child.id().to_string();
    let notes: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "port-held-by-server")
        .collect();
    assert_eq!(notes.len(), 3, "{report:#}");
    for note in notes {
        assert_eq!(note["severity"], "note");
        assert!(note["message"].as_str().unwrap().contains(&pid), "{note}");
    }
    assert!(serving.stop().success());
    // With the server gone, the same ports are free again and nothing is reported.
    let out = run(ros()
        .arg("check-configuration")
        .arg(&config)
        .args(["--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
}

#[test]
fn with_no_configuration_anywhere_serve_runs_the_development_server_on_loopback() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = ros();
    cmd.current_dir(tmp.path())
        .args(["serve", "--port", "0"])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_LOGGING__FORMAT", "json");
    let serving = server::start(cmd);
    let at = serving.listening.clone();
    for addr in [Some(at.sync), Some(at.http), at.proxy_http] {
        assert!(
            addr.expect("bound").ip().is_loopback(),
            "{addr:?} is not loopback"
        );
    }
    assert!(at.proxy_https.is_none());
    let dev = tmp.path().join("ros-data");
    for file in [
        "configuration.yml",
        "keys/auth.key",
        "keys/auth.pub",
        "data/ros-format",
    ] {
        assert!(dev.join(file).is_file(), "{file}");
    }
    let out = run(ros()
        .arg("check-configuration")
        .arg(dev.join("configuration.yml")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(serving.stop().success());
}
