//! `ros backup --follow`: under a steady write load TARGET keeps up with the
//! server's history, survives a `kill -9` and a restart on the same TARGET,
//! verifies at any moment it is read, drops a Realm deleted on the server,
//! and restores into a server whose Realms hold exactly what the writers
//! wrote.

use crate::support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Instant;

use ros::client::sync::RealmClient;
use ros::objects::final_state;
use ros::realm_id::RealmId;
use support::backup::{manifest, restore_and_serve, verify};
use support::live::{sync, wait_for, Writers};
use support::sync_server::{runtime, SyncServer};

const WRITERS: u64 = 2;

fn path(n: u64) -> String {
    format!("/follow-{n}")
}

/// `ros backup --follow` of the server's configuration into `target`.
fn follow(server: &SyncServer, target: &Path) -> Child {
    let mut child = support::ros()
        .arg("backup")
        .arg("--follow")
        .arg(server.site.join("configuration.yml"))
        .arg(target)
        .args(["--interval", "200ms", "--format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ros backup --follow");
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    child
}

/// The latest server version of Realm `path` in the live store under `data`.
fn live_version(data: &Path, path: &str) -> u64 {
    let file = ros::realm::realm_file(data, &RealmId::parse(path, None).unwrap());
    let conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT coalesce(max(server_version), 0) FROM history",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as u64
}

/// The version TARGET's manifest records for Realm `path` (0 when absent or
/// while the manifest is being replaced).
fn backed_up_version(target: &Path, path: &str) -> u64 {
    let Ok(bytes) = std::fs::read(target.join("manifest.json")) else {
        return 0;
    };
    let Ok(m) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return 0;
    };
    m["realms"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["realm"] == path)
        .and_then(|r| r["server_version"].as_u64())
        .unwrap_or(0)
}

#[test]
fn follow_keeps_up_with_a_write_load_survives_a_crash_and_restores() {
    let server = SyncServer::start(&[]);
    let data = server.data();
    let rt = runtime();
    let paths: Vec<String> = (0..WRITERS).map(path).collect();
    let writers = Writers::spawn(&rt, &server.url(), &server.admin_token, &paths);
    wait_for("the writers to start", || {
        writers.advanced(&HashMap::new(), 3)
    });
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("continuous");
    let mut child = follow(&server, &target);
    // While the load runs: what the server had at some moment reaches TARGET.
    let mut lags = Vec::new();
    for round in 0..6 {
        let n = round % WRITERS;
        let at = live_version(&data, &path(n));
        let since = Instant::now();
        wait_for("TARGET to reach the server's version", || {
            backed_up_version(&target, &path(n)) >= at
        });
        lags.push(since.elapsed().as_millis());
        if round == 2 {
            // A crash, and a restart on the same TARGET.
            child.kill().unwrap();
            child.wait().unwrap();
            child = follow(&server, &target);
        }
    }
    eprintln!("follow lag under load (ms, version seen → in TARGET): {lags:?}");
    let clients = writers.stop(&rt);
    for n in 0..WRITERS {
        let last = live_version(&data, &path(n));
        wait_for("TARGET to catch up after the load", || {
            backed_up_version(&target, &path(n)) == last
        });
    }
    let out = verify(&target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(manifest(&target)["realms"].as_array().unwrap().len() >= WRITERS as usize);

    // A Realm deleted on the server leaves TARGET too: it mirrors the server.
    let gone = path(WRITERS - 1);
    let gone_file = ros::realm::realm_file(&target, &RealmId::parse(&gone, None).unwrap());
    assert!(gone_file.exists(), "{}", gone_file.display());
    let deleted = support::run(support::ros().args([
        "realm",
        "--url",
        &format!("http://{}", server.serving.listening.http),
        "--token",
        &server.admin_token,
        "delete",
        &gone,
        "--yes",
    ]));
    assert!(
        deleted.status.success(),
        "{}",
        String::from_utf8_lossy(&deleted.stderr)
    );
    let listed = |target: &Path| {
        manifest(target)["realms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["realm"] == gone.as_str())
    };
    wait_for("TARGET to drop the deleted Realm", || !listed(&target));
    assert!(!gone_file.exists(), "{}", gone_file.display());
    let out = verify(&target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    child.kill().unwrap();
    child.wait().unwrap();

    assert!(server.serving.stop().success());
    let root = tmp.path().join("restored/data");
    let (serving, url, token) = restore_and_serve(&target, &root, &server.site);
    rt.block_on(async {
        for writer in clients.iter().filter(|c| c.path() != gone) {
            let mut fresh = RealmClient::new(writer.path());
            sync(&url, &token, &mut fresh)
                .await
                .expect("download the restored Realm");
            assert_eq!(
                final_state(fresh.state()),
                final_state(writer.state()),
                "{}: the restored Realm holds everything the writer wrote",
                writer.path()
            );
        }
    });
    drop(serving);
}
