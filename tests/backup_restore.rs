//! A backup taken while clients write, restored on another path: the server
//! starts on it, every changeset acknowledged before the backup began is
//! there, and a client that synced after the backup gets the recovery error
//! with the client-reset action, resets, and converges. Also: `ros restore`
//! refuses a root a server holds, and refuses to ask without a terminal.

use crate::support;

use std::collections::HashMap;

use ros::changeset::Changeset;
use ros::client::sync::{HistoryEntry, RealmClient, SyncError};
use ros::objects::final_state;
use support::backup::{assert_refused, restore, restore_and_serve, tree};
use support::live::{sync, wait_for, Writers};
use support::sync_server::{runtime, stored_versions, SyncServer};
use support::workload;

const WRITERS: u64 = 3;

fn local_versions(client: &RealmClient, up_to: u64) -> Vec<u64> {
    client
        .history()
        .iter()
        .filter_map(|h| match h {
            HistoryEntry::Local(l) if l.client_version.get() <= up_to => {
                Some(l.client_version.get())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_backup_under_load_restores_elsewhere_and_clients_ahead_of_it_reset_and_converge() {
    let server = SyncServer::start(&[]);
    let rt = runtime();
    let paths: Vec<String> = (0..WRITERS).map(|n| format!("/live-{n}")).collect();
    let writers = Writers::spawn(&rt, &server.url(), &server.admin_token, &paths);
    wait_for("every writer to be acknowledged", || {
        writers.advanced(&HashMap::new(), 5)
    });
    let before_backup = writers.progress();

    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("backup");
    let out = support::run(
        support::ros()
            .arg("backup")
            .arg(server.site.join("configuration.yml"))
            .arg(&target)
            .args(["--format", "json"]),
    );
    let report = support::ok_json(&out);
    assert!(report["realms"].as_u64().unwrap() >= WRITERS);
    // The clients go on past the backup, then stop.
    let after_backup = writers.progress();
    wait_for("writes after the backup", || {
        writers.advanced(&after_backup, 3)
    });
    let mut clients = writers.stop(&rt);
    let out = support::backup::verify(&target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(server.serving.stop().success());

    // Restored on another path; the same configuration, pointed at it.
    let root = tmp.path().join("elsewhere/data");
    let (serving, url, token) = restore_and_serve(&target, &root, &server.site);

    let manifest = support::backup::manifest(&target);
    for (n, client) in clients.iter().enumerate() {
        let path = client.path().to_string();
        let (ident, acknowledged) = before_backup[&(n as u64)];
        let stored = stored_versions(&root, &path);
        let have = stored.get(&ident).cloned().unwrap_or_default();
        let want = local_versions(client, acknowledged);
        assert!(
            have.len() >= want.len() && have[..want.len()] == want[..],
            "{path}: acknowledged before the backup {want:?}, restored {have:?}"
        );
        let file =
            ros::realm::realm_file(&root, &ros::realm_id::RealmId::parse(&path, None).unwrap());
        let mark = ros::realm::inspect(&file, ros::realm::Depth::Facts)
            .unwrap()
            .restored
            .expect("the Realm is marked restored");
        let entry = manifest["realms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["realm"] == path.as_str())
            .unwrap();
        assert_eq!(entry["server_version"], mark.server_version);
    }

    rt.block_on(async {
        for client in clients.iter_mut() {
            let err = sync(&url, &token, client)
                .await
                .expect_err("a client ahead of the restored server is refused");
            assert!(err.requires_reset(), "{err}");
            match &err {
                SyncError::Server {
                    code,
                    action,
                    message,
                    ..
                } => {
                    assert!([208, 209, 211].contains(code), "{err}");
                    assert_eq!(action.as_deref(), Some("ClientReset"), "{err}");
                    assert!(message.contains("restored from a backup"), "{err}");
                }
                other => panic!("expected a server error, got {other}"),
            }
            eprintln!("{}: {err}", client.path());
            client.reset();
            sync(&url, &token, client)
                .await
                .expect("sync after the reset");
            // The reset client writes again, and a newcomer sees the same Realm.
            client
                .commit(Changeset::new(vec![workload::create(-1)]))
                .unwrap();
            sync(&url, &token, client)
                .await
                .expect("upload after the reset");
            let mut fresh = RealmClient::new(client.path());
            sync(&url, &token, &mut fresh)
                .await
                .expect("fresh download");
            sync(&url, &token, client).await.expect("resync");
            assert_eq!(
                final_state(client.state()),
                final_state(fresh.state()),
                "{}: converged",
                client.path()
            );
            assert!(fresh
                .state()
                .object(workload::TABLE, &ros::changeset::PrimaryKey::Int(-1))
                .is_some());
        }
    });
    drop(serving);
}

#[test]
fn restore_refuses_a_root_a_server_holds_and_asks_only_on_a_terminal() {
    let server = SyncServer::start(&[]);
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("backup");
    let out = support::backup::backup(&server.data(), &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data = server.data();
    let side = ["admin.sqlite3-wal", "admin.sqlite3-shm"];
    let before = tree(&data, &side);
    let out = restore(&target, &data);
    let pid = server.serving.child.id().to_string();
    assert_refused(&out, 1, &pid);
    assert!(String::from_utf8_lossy(&out.stderr).contains("stop the server"));
    assert_eq!(tree(&data, &side), before, "the served root is untouched");
    let beside: Vec<_> = std::fs::read_dir(data.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restore"))
        .collect();
    assert!(beside.is_empty(), "nothing staged: {beside:?}");
    assert!(server.serving.stop().success());
    let out = support::run(
        support::ros()
            .arg("restore")
            .arg(&target)
            .arg(&data)
            .stdin(std::process::Stdio::null()),
    );
    assert_refused(&out, 2, "--yes");
    let out = restore(&target, &data);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
