//! `kill -9` of the server while four clients upload: after a restart every
//! acknowledged changeset is in the history exactly once, every Realm file
//! passes SQLite's integrity check, and the clients converge.
//!
//! 20 trials here; `CRASH_TRIALS=100 cargo test --test testsuite sync_crash` is the
//! soak run.

use crate::support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ros::client::sync::{Endpoint, HistoryEntry, RealmClient, Wire};
use ros::objects::final_state;
use ros::protocol::SessionIdent;
use support::sync_server::SyncServer;
use support::workload::{self, Rng};

const CLIENTS: u64 = 4;

fn local_versions(client: &RealmClient) -> Vec<u64> {
    client
        .history()
        .iter()
        .filter_map(|h| match h {
            HistoryEntry::Local(l) => Some(l.client_version.get()),
            HistoryEntry::Download(_) => None,
        })
        .collect()
}

/// Writes and syncs until the server goes away; returns the client and the
/// client versions the server had acknowledged by then.
async fn upload_until_killed(
    url: String,
    token: String,
    path: String,
    n: u64,
    synced: Arc<AtomicU64>,
) -> (RealmClient, u64) {
    let mut client = RealmClient::new(path);
    client.commit(workload::schema()).unwrap();
    let endpoint = Endpoint::new(url).with_token(token);
    let Ok(mut w) = Wire::connect(&endpoint).await else {
        return (client, 0);
    };
    if client
        .bind(&mut w, SessionIdent::new(1).unwrap())
        .await
        .is_err()
    {
        return (client, 0);
    }
    for i in 0.. {
        client.commit(workload::writer_transaction(n, i)).unwrap();
        if client.sync_until_idle(&mut w).await.is_err() {
            break;
        }
        synced.fetch_add(1, Ordering::SeqCst);
    }
    let acknowledged = client.upload_progress().client_version.get();
    (client, acknowledged)
}

async fn resync(server: &SyncServer, client: &mut RealmClient) {
    client.forget_session();
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let mut w = Wire::connect(&endpoint)
        .await
        .expect("reconnect after the restart");
    client
        .bind(&mut w, SessionIdent::new(1).unwrap())
        .await
        .expect("bind after the restart");
    client
        .sync_until_idle(&mut w)
        .await
        .expect("sync after the restart");
    client.unbind(&mut w).await.expect("unbind");
}

#[test]
fn kill_9_while_uploading_loses_and_duplicates_nothing() {
    let trials: u64 = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let mut server = SyncServer::start(&[]);
    let runtime = support::sync_server::runtime();
    let mut rng = Rng(0xdead_beef);
    let mut acknowledged_total = 0;
    for trial in 0..trials {
        let path = format!("/crash-{trial}");
        let synced = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|n| {
                runtime.spawn(upload_until_killed(
                    server.url(),
                    server.admin_token.clone(),
                    path.clone(),
                    n,
                    synced.clone(),
                ))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(150 + rng.below(350)));
        // Kill only once the Realm exists (something was committed): on a
        // loaded machine the clients may not have got that far yet.
        let waited = std::time::Instant::now();
        while synced.load(Ordering::SeqCst) == 0 && waited.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(10));
        }
        server.serving.child.kill().unwrap();
        server.serving.child.wait().unwrap();
        let mut results: Vec<(RealmClient, u64)> = runtime.block_on(async {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        });
        server.serving = SyncServer::serve(&server.site, &[]);
        // What was acknowledged before the kill is there, once.
        let stored = support::sync_server::stored_versions(&server.data(), &path);
        for (client, acknowledged) in &results {
            let Some(identity) = client.file_ident() else {
                continue;
            };
            let ident = identity.ident.get();
            let have = stored.get(&ident).cloned().unwrap_or_default();
            let want: Vec<u64> = local_versions(client)
                .into_iter()
                .filter(|v| v <= acknowledged)
                .collect();
            assert!(
                have.len() >= want.len() && have[..want.len()] == want[..],
                "trial {trial}, client file {ident}: acknowledged {want:?}, stored {have:?}"
            );
            acknowledged_total += want.len();
        }
        // Everyone resumes; then everything is there exactly once and they agree.
        runtime.block_on(async {
            for _ in 0..2 {
                for (client, _) in results.iter_mut() {
                    resync(&server, client).await;
                }
            }
        });
        let stored = support::sync_server::stored_versions(&server.data(), &path);
        for (client, _) in &results {
            let ident = client
                .file_ident()
                .expect("identified after resync")
                .ident
                .get();
            assert_eq!(
                stored.get(&ident),
                Some(&local_versions(client)),
                "trial {trial}, client file {ident}: every changeset stored once"
            );
        }
        let first = final_state(results[0].0.state());
        for (client, _) in &results {
            assert_eq!(
                final_state(client.state()),
                first,
                "trial {trial}: clients converge"
            );
        }
    }
    assert!(
        acknowledged_total > trials as usize,
        "the clients did upload before the kills"
    );
    eprintln!("{trials} kill -9 trials, {acknowledged_total} acknowledged changesets checked");
    assert!(server.serving.stop().success());
}
