//! `ros realm delete` against a running server: clients bound to the Realm
//! are told to reset (217 with `ClientReset`), its store and registry entry
//! go, other Realms stay, and a reset client starts the Realm afresh; the
//! refusals (no `--yes` without a terminal, an unknown or protected Realm;
//! a user's token is in `openapi_admin.rs`); and the same deletion with the
//! server stopped.

use std::path::Path;
use std::process::Output;

use ros::changeset::Changeset;
use ros::client::sync::{Endpoint, RealmClient, SyncError, Wire};
use ros::objects::final_state;
use ros::protocol::SessionIdent;
use ros::realm_id::RealmId;
use serde_json::{json, Value};

use crate::support::sync_server::{runtime, SyncServer};
use crate::support::{ok_json, ros, run, workload};

fn session() -> SessionIdent {
    SessionIdent::new(1).unwrap()
}

fn store_of(data: &Path, path: &str) -> std::path::PathBuf {
    ros::realm::realm_file(data, &RealmId::parse(path, None).unwrap())
}

fn realm_cli(server: &SyncServer, args: &[&str]) -> Output {
    let url = format!("http://{}", server.serving.listening.http);
    run(ros()
        .args(["realm", "--url", &url, "--token", &server.admin_token])
        .args(args))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A client with `objects` objects synced into `path`, its wire still bound.
async fn writer(endpoint: &Endpoint, path: &str, objects: i64) -> (Wire, RealmClient) {
    let mut wire = Wire::connect(endpoint).await.unwrap();
    let mut client = RealmClient::new(path);
    client.bind(&mut wire, session()).await.unwrap();
    client.commit(workload::schema()).unwrap();
    for pk in 0..objects {
        client
            .commit(Changeset::new(vec![workload::create(pk)]))
            .unwrap();
    }
    client.sync_until_idle(&mut wire).await.unwrap();
    (wire, client)
}

async fn fresh(endpoint: &Endpoint, path: &str) -> RealmClient {
    let mut wire = Wire::connect(endpoint).await.unwrap();
    let mut client = RealmClient::new(path);
    client.bind(&mut wire, session()).await.unwrap();
    client.sync_until_idle(&mut wire).await.unwrap();
    client
}

#[test]
fn deleting_a_served_realm_resets_its_clients_and_keeps_the_others() {
    let server = SyncServer::start(&[]);
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let rt = runtime();
    let (mut bound_wire, mut bound) = rt.block_on(writer(&endpoint, "/doomed", 10));
    let (_kept_wire, kept) = rt.block_on(writer(&endpoint, "/kept", 5));
    let doomed_file = store_of(&server.data(), "/doomed");
    assert!(doomed_file.exists());

    // Without a terminal and without --yes nothing happens.
    let refused = realm_cli(&server, &["delete", "/doomed"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert!(doomed_file.exists());

    let deleted = realm_cli(&server, &["delete", "/doomed", "--yes", "--format", "json"]);
    assert_eq!(
        ok_json(&deleted),
        json!({"realm": "/doomed", "store": true, "record": true})
    );
    assert!(!doomed_file.exists(), "the store is gone");
    assert!(!doomed_file.with_file_name("realm.sqlite3-wal").exists());

    rt.block_on(async {
        // The bound client hears 217 with the client-reset action.
        let err = loop {
            match bound.receive_one(&mut bound_wire).await {
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        match &err {
            SyncError::Server { code, action, .. } => {
                assert_eq!(*code, 217, "{err}");
                assert_eq!(action.as_deref(), Some("ClientReset"), "{err}");
            }
            other => panic!("expected 217, got {other}"),
        }
        assert!(err.requires_reset(), "{err}");

        // After the reset it binds to a new, empty Realm and writes to it.
        bound.reset();
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        bound.bind(&mut wire, session()).await.unwrap();
        bound.sync_until_idle(&mut wire).await.unwrap();
        assert_eq!(
            final_state(bound.state()),
            json!({}),
            "the Realm starts empty"
        );
        bound.commit(workload::schema()).unwrap();
        bound
            .commit(Changeset::new(vec![workload::create(100)]))
            .unwrap();
        bound.sync_until_idle(&mut wire).await.unwrap();
        let newcomer = fresh(&endpoint, "/doomed").await;
        assert_eq!(final_state(newcomer.state()), final_state(bound.state()));

        // The other Realm is untouched.
        let other = fresh(&endpoint, "/kept").await;
        assert_eq!(final_state(other.state()), final_state(kept.state()));
    });

    // Unknown (nothing synced and no entry), protected, and not an admin.
    let unknown = realm_cli(&server, &["delete", "/never", "--yes"]);
    assert_eq!(unknown.status.code(), Some(1), "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("/never"), "{}", stderr(&unknown));
    let protected = realm_cli(&server, &["delete", "/__admin", "--yes"]);
    assert_eq!(protected.status.code(), Some(1));
    assert!(
        stderr(&protected).contains("protected"),
        "{}",
        stderr(&protected)
    );
    assert!(server.serving.stop().success());
}

#[test]
fn deleting_from_a_stopped_root_removes_the_files() {
    let server = SyncServer::start(&[]);
    let endpoint = Endpoint::new(server.url()).with_token(&server.admin_token);
    let rt = runtime();
    rt.block_on(async {
        let (wire, _client) = writer(&endpoint, "/a", 3).await;
        drop(wire);
        let (wire, _client) = writer(&endpoint, "/a/b", 3).await;
        drop(wire);
    });
    let data = server.data();
    assert!(server.serving.stop().success());
    let offline = |args: &[&str]| {
        run(ros()
            .args(["realm", "--data-root", data.to_str().unwrap()])
            .args(args))
    };
    let out = offline(&["delete", "/a", "--yes", "--format", "json"]);
    let body: Value = ok_json(&out);
    assert_eq!(body["store"], true);
    // /a's store is gone; /a/b, which lives inside its directory, is not.
    assert!(!store_of(&data, "/a").exists());
    assert!(store_of(&data, "/a/b").exists());
    let again = offline(&["delete", "/a", "--yes"]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
}
