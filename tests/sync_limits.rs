//! What bounds a server's resources: silent connections are closed, unused
//! Realms are closed (their store written and released), and a client that
//! stops reading is cut off instead of growing the server's memory.

use crate::support;

use std::time::{Duration, Instant};

use ros::changeset::Changeset;
use ros::client::sync::{Endpoint, Incoming, RealmClient, Wire};
use ros::protocol::SessionIdent;
use support::sync_server::{runtime, SyncServer};
use support::workload::{self, Rng};

fn session() -> SessionIdent {
    SessionIdent::new(1).unwrap()
}

async fn bound(server: &SyncServer, path: &str) -> (Wire, RealmClient) {
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let mut wire = Wire::connect(&endpoint).await.expect("connect");
    let mut client = RealmClient::new(path);
    client.bind(&mut wire, session()).await.expect("bind");
    (wire, client)
}

/// Waits for a server log line containing `needle`.
fn wait_for_log(server: &SyncServer, needle: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match server.serving.log.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn a_silent_connection_is_closed_after_the_idle_timeout() {
    let server = SyncServer::start(&[("ROS_SYNC__CONNECTION_IDLE_TIMEOUT", "1")]);
    runtime().block_on(async {
        let (mut wire, mut client) = bound(&server, "/silent").await;
        client.sync_until_idle(&mut wire).await.unwrap();
        let start = Instant::now();
        loop {
            match wire.recv_timeout(Duration::from_secs(5)).await {
                Ok(Incoming::Closed { .. }) | Err(_) => break,
                Ok(Incoming::Message(_)) => {}
            }
        }
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(500) && waited < Duration::from_secs(4),
            "closed after {waited:?}"
        );
    });
    assert!(server.serving.stop().success());
}

#[test]
fn an_unused_realm_is_closed_and_its_state_saved() {
    let server = SyncServer::start(&[("ROS_SYNC__REALM_IDLE_TIMEOUT", "1")]);
    let realm = ros::realm_id::RealmId::parse("/closing", None).unwrap();
    let file = ros::realm::realm_file(&server.data(), &realm);
    let wal = file.with_extension("sqlite3-wal");
    runtime().block_on(async {
        let (mut wire, mut client) = bound(&server, "/closing").await;
        client.commit(workload::schema()).unwrap();
        client
            .commit(Changeset::new(vec![workload::create(1)]))
            .unwrap();
        client.sync_until_idle(&mut wire).await.unwrap();
        assert!(wal.exists(), "the store is open while a session uses it");
        client.unbind(&mut wire).await.unwrap();
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while wal.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        !wal.exists(),
        "the Realm's store was closed (its WAL checkpointed and removed)"
    );
    let conn = rusqlite::Connection::open(&file).unwrap();
    let snapshot: i64 = conn
        .query_row("SELECT server_version FROM state_snapshot", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(snapshot, 2, "closing wrote the state at the latest version");
    drop(conn);
    // It opens again for the next session, from that snapshot.
    runtime().block_on(async {
        let (mut wire, mut client) = bound(&server, "/closing").await;
        client.sync_until_idle(&mut wire).await.unwrap();
        assert!(client
            .state()
            .objects(workload::TABLE)
            .is_some_and(|o| o.len() == 1));
    });
    assert!(server.serving.stop().success());
}

#[test]
fn a_client_that_stops_reading_is_cut_off() {
    let server = SyncServer::start(&[("ROS_SYNC__MAX_BUFFERED_BYTES", "65536")]);
    runtime().block_on(async {
        let (mut writer_wire, mut writer) = bound(&server, "/firehose").await;
        writer.commit(workload::schema()).unwrap();
        writer.sync_until_idle(&mut writer_wire).await.unwrap();
        // Bound, then never read again.
        let (_reader_wire, _reader) = bound(&server, "/firehose").await;
        let mut rng = Rng(42);
        for pk in 0..80 {
            let title: String = (0..100_000)
                .map(|_| char::from(b'a' + rng.below(26) as u8))
                .collect();
            writer
                .commit(Changeset::new(vec![
                    workload::create(pk),
                    workload::set_title(pk, &title),
                ]))
                .unwrap();
            writer.sync_until_idle(&mut writer_wire).await.unwrap();
        }
    });
    assert!(
        wait_for_log(
            &server,
            "whose client does not read",
            Duration::from_secs(20)
        ),
        "the server closed the connection of the client that stopped reading"
    );
    assert!(server.serving.stop().success());
}
