//! Rust clients on one Realm through a real `ros serve`: concurrent
//! conflicting writes, offline writes and reconnects all converge, a
//! reconnecting client resumes from its cursor, and in a seeded 50-client run
//! every acknowledged changeset is in the Realm's history exactly once.

use crate::support;

use std::collections::HashMap;

use ros::client::sync::{Endpoint, HistoryEntry, RealmClient, Wire};
use ros::objects::final_state;
use ros::protocol::SessionIdent;
use support::sync_server::{runtime, SyncServer};
use support::workload::{self, Rng};

const PATH: &str = "/converge";

async fn wire(server: &SyncServer) -> Wire {
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    Wire::connect(&endpoint).await.expect("connect")
}

fn session(n: u64) -> SessionIdent {
    SessionIdent::new(n).unwrap()
}

/// Connects, binds and syncs until idle, then unbinds: one online moment.
async fn sync_once(server: &SyncServer, client: &mut RealmClient) {
    let mut w = wire(server).await;
    client.bind(&mut w, session(1)).await.expect("bind");
    client.sync_until_idle(&mut w).await.expect("sync");
    client.unbind(&mut w).await.expect("unbind");
}

/// Syncs every client until all hold the same state (two rounds: everyone
/// uploads, then everyone downloads everything).
async fn converge(server: &SyncServer, clients: &mut [RealmClient]) {
    for _ in 0..2 {
        for client in clients.iter_mut() {
            sync_once(server, client).await;
        }
    }
    let first = final_state(clients[0].state());
    for (i, c) in clients.iter().enumerate() {
        assert_eq!(final_state(c.state()), first, "client {i} diverged");
    }
}

fn downloaded(client: &RealmClient) -> usize {
    client
        .history()
        .iter()
        .map(|h| match h {
            HistoryEntry::Download(d) => d.applied.len(),
            HistoryEntry::Local(_) => 0,
        })
        .sum()
}

#[test]
fn two_clients_converge_after_conflicting_writes() {
    let server = SyncServer::start(&[]);
    runtime().block_on(async {
        let mut a = RealmClient::new(PATH);
        let mut b = RealmClient::new(PATH);
        for (client, title) in [(&mut a, "from a"), (&mut b, "from b")] {
            client.commit(workload::schema()).unwrap();
            let txn = ros::changeset::Changeset::new(vec![
                workload::create(1),
                workload::set_title(1, title),
                workload::add(1, 5),
                workload::insert_tag(1, 0, 7, 0),
            ]);
            client.commit(txn).unwrap();
        }
        let mut clients = [a, b];
        converge(&server, &mut clients).await;
        let state = final_state(clients[0].state());
        let task = &state["Task"][0];
        assert_eq!(task["count"], 10, "both increments survive: {state}");
        assert_eq!(
            task["tags"].as_array().unwrap().len(),
            2,
            "both inserts survive"
        );
        assert_eq!(
            task["title"], "from b",
            "the later write wins (b wrote last)"
        );
    });
    assert!(server.serving.stop().success());
}

#[test]
fn three_clients_converge_after_offline_writes_and_reconnects() {
    let server = SyncServer::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let mut clients: Vec<RealmClient> = (0..3).map(|_| RealmClient::new(PATH)).collect();
        let mut rng = Rng(0x5eed_0003);
        for c in clients.iter_mut() {
            c.commit(workload::schema()).unwrap();
        }
        for round in 0..4 {
            // Offline: everyone writes on their own state.
            for c in clients.iter_mut() {
                for _ in 0..5 {
                    let txn = workload::random_transaction(&mut rng, c.state(), 4, 3);
                    c.commit(txn).unwrap();
                }
            }
            // Online in a different order each round; client 1 "restarts" from
            // its saved file every time.
            for i in [round % 3, (round + 1) % 3, (round + 2) % 3] {
                if i == 1 {
                    let file = dir.path().join("client-1.json");
                    clients[1].save(&file).unwrap();
                    clients[1] = RealmClient::load(&file).unwrap();
                }
                sync_once(&server, &mut clients[i]).await;
            }
        }
        converge(&server, &mut clients).await;
    });
    assert!(server.serving.stop().success());
}

#[test]
fn a_reconnecting_client_resumes_from_its_cursor() {
    let server = SyncServer::start(&[]);
    runtime().block_on(async {
        let mut writer = RealmClient::new(PATH);
        let mut reader = RealmClient::new(PATH);
        writer.commit(workload::schema()).unwrap();
        for pk in 0..10 {
            writer
                .commit(ros::changeset::Changeset::new(vec![workload::create(pk)]))
                .unwrap();
        }
        sync_once(&server, &mut writer).await;
        sync_once(&server, &mut reader).await;
        let first = downloaded(&reader);
        assert_eq!(first, 11, "the schema and ten objects");
        writer
            .commit(ros::changeset::Changeset::new(vec![workload::create(99)]))
            .unwrap();
        sync_once(&server, &mut writer).await;
        sync_once(&server, &mut reader).await;
        assert_eq!(
            downloaded(&reader) - first,
            1,
            "only what is new is downloaded again"
        );
        assert_eq!(final_state(reader.state()), final_state(writer.state()));
    });
    assert!(server.serving.stop().success());
}

#[test]
fn fifty_clients_two_hundred_transactions_each_converge_and_are_stored_once() {
    let server = SyncServer::start(&[]);
    let rt = runtime();
    let clients: Vec<RealmClient> = rt.block_on(async {
        let mut tasks = Vec::new();
        for n in 0..50u64 {
            let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
            tasks.push(tokio::spawn(async move {
                let mut rng = Rng(0xC0FFEE + n);
                let mut client = RealmClient::new(PATH);
                client.commit(workload::schema()).unwrap();
                let mut w = Wire::connect(&endpoint).await.expect("connect");
                client.bind(&mut w, session(1)).await.expect("bind");
                for i in 0..200 {
                    let txn = workload::random_transaction(&mut rng, client.state(), 20, 3);
                    client.commit(txn).unwrap();
                    if i % 25 == 24 {
                        client.sync_until_idle(&mut w).await.expect("sync");
                    }
                }
                client.sync_until_idle(&mut w).await.expect("sync");
                client.unbind(&mut w).await.expect("unbind");
                client
            }));
        }
        let mut clients = Vec::new();
        for t in tasks {
            clients.push(t.await.expect("client task"));
        }
        converge(&server, &mut clients).await;
        clients
    });
    // Every local changeset was acknowledged; each is in the history once.
    let mut expected: HashMap<u64, Vec<u64>> = HashMap::new();
    for c in &clients {
        assert!(c.is_uploaded());
        let ident = c.file_ident().unwrap().ident.get();
        let versions = c
            .history()
            .iter()
            .filter_map(|h| match h {
                HistoryEntry::Local(l) => Some(l.client_version.get()),
                HistoryEntry::Download(_) => None,
            })
            .collect();
        expected.insert(ident, versions);
    }
    let data = server.data();
    assert!(server.serving.stop().success());
    let stored = support::sync_server::stored_versions(&data, PATH);
    for (ident, versions) in &expected {
        assert_eq!(
            stored.get(ident),
            Some(versions),
            "client file {ident}: history entries"
        );
    }
    assert_eq!(stored.len(), expected.len());
}
