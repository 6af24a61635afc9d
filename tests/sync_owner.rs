//! A user's first BIND of a Realm in their own home (`/~/…`) registers it with
//! them as its owner, before any access token for it was asked for; someone
//! else's home is refused and registers nothing.

use crate::support;

use ros::changeset::Changeset;
use ros::client::sync::{Endpoint, RealmClient, SyncError, Wire};
use ros::protocol::SessionIdent;
use serde_json::{json, Value};
use support::sync_server::{runtime, SyncServer};
use support::workload;

fn post_auth(server: &SyncServer, body: Value) -> Value {
    let url = format!("http://{}/auth", server.serving.listening.http);
    let response = reqwest::blocking::Client::new()
        .post(url)
        .json(&body)
        .send()
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().unwrap()
}

/// Registers a password user; their id and refresh token.
fn register(server: &SyncServer, name: &str) -> (String, String) {
    let body = json!({"provider": "password", "data": name,
                      "user_info": {"password": "pw", "register": true}});
    let answer = post_auth(server, body);
    let token = &answer["refresh_token"];
    (
        token["token_data"]["identity"]
            .as_str()
            .unwrap()
            .to_string(),
        token["token"].as_str().unwrap().to_string(),
    )
}

fn realms(server: &SyncServer) -> Value {
    let url = format!(
        "http://{}/api/admin/v1/realms",
        server.serving.listening.http
    );
    reqwest::blocking::Client::new()
        .get(url)
        .header("Authorization", &server.admin_token)
        .send()
        .unwrap()
        .json()
        .unwrap()
}

#[test]
fn the_first_bind_of_a_home_realm_records_its_owner() {
    let server = SyncServer::start(&[]);
    let (alice, alice_token) = register(&server, "alice");
    let (_, bob_token) = register(&server, "bob");
    runtime().block_on(async {
        let endpoint = Endpoint::new(server.url()).with_token(&alice_token);
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        let mut client = RealmClient::new("/~/notes");
        client.commit(workload::schema()).unwrap();
        client
            .commit(Changeset::new(vec![workload::create(1)]))
            .unwrap();
        client
            .bind(&mut wire, SessionIdent::new(1).unwrap())
            .await
            .unwrap();
        client.sync_until_idle(&mut wire).await.unwrap();

        let endpoint = Endpoint::new(server.url()).with_token(&bob_token);
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        let mut intruder = RealmClient::new(format!("/{alice}/other"));
        let err = intruder
            .bind(&mut wire, SessionIdent::new(1).unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::Server { code: 206, .. }), "{err}");
    });
    let listed = realms(&server);
    let list = listed["realms"]
        .as_array()
        .unwrap_or_else(|| panic!("{listed:#}"));
    let notes = format!("/{alice}/notes");
    let entry = list
        .iter()
        .find(|r| r["realm"] == notes.as_str())
        .unwrap_or_else(|| panic!("{notes} registered: {listed:#}"));
    assert_eq!(entry["owner"], alice.as_str(), "{entry:#}");
    assert!(
        !list
            .iter()
            .any(|r| r["realm"] == format!("/{alice}/other").as_str()),
        "a refused BIND registers nothing: {listed:#}"
    );
    assert!(server.serving.stop().success());
}
