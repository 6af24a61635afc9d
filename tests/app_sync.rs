//! An SDK's login → sync → access-token expiry → refresh → reconnect cycle with
//! a 2-second access token (docs/app-api.md "Tokens"): a connection outlives its
//! token, a reconnect with the expired token is refused as unauthorized, the
//! refreshed token reconnects and uploads what was written offline, and the
//! server holds every change exactly once.

use crate::app_support::{jwt_payload, Sdk};
use crate::support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ros::changeset::{Changeset, PrimaryKey};
use ros::client::sync::{ConnectError, Endpoint, RealmClient, SyncError, Wire};
use ros::protocol::SessionIdent;
use support::http::{serve_site, Api};
use support::sync_server::{runtime, stored_versions};
use support::{init_site, workload};

const APP: &str = "cycle-app";

/// Sleeps until the token's `exp` has passed by a second (the server refuses a
/// token once `now > exp`).
fn outlive(token: &str) {
    let exp = jwt_payload(token)["exp"].as_u64().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let until = Duration::from_secs(exp + 1);
    if until > now {
        std::thread::sleep(until - now + Duration::from_millis(100));
    }
}

fn task(id: i64, title: &str) -> Changeset {
    Changeset::new(vec![workload::create(id), workload::set_title(id, title)])
}

#[test]
fn expiry_refresh_and_reconnect_lose_nothing_and_duplicate_nothing() {
    let (_tmp, site) = init_site();
    let apps = format!(r#"[{{"id":"{APP}"}}]"#);
    let serving = serve_site(
        &site,
        &[("ROS_APPS", &apps), ("ROS_AUTH__ACCESS_TOKEN_TTL", "2s")],
    );
    let proxy = serving.listening.proxy_http.unwrap();
    let sdk = Sdk::new(Api::new(format!("http://{proxy}")), "", APP);
    let location = sdk.location();
    let sync_route = location.body["sync_route"].as_str().unwrap().to_string();
    assert_eq!(sdk.register("fay@example.com", "password1").status, 201);
    let login = sdk.password_login("fay@example.com", "password1");
    let partition = format!("\"{}\"", login.user_id);

    let mut writer = RealmClient::new(partition.clone());
    runtime().block_on(async {
        // Login → sync.
        let endpoint = Endpoint::new(&sync_route).with_token(&login.access);
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        writer.commit(workload::schema()).unwrap();
        writer.commit(task(1, "one")).unwrap();
        writer.commit(task(2, "two")).unwrap();
        writer
            .bind(&mut wire, SessionIdent::new(1).unwrap())
            .await
            .unwrap();
        writer.sync_until_idle(&mut wire).await.unwrap();

        // The token expires while the connection is open: it keeps serving.
        outlive(&login.access);
        writer.commit(task(3, "three")).unwrap();
        writer.sync_until_idle(&mut wire).await.unwrap();
        assert!(writer.is_uploaded());

        // The connection drops; a change is written offline.
        drop(wire);
        writer.forget_session();
        writer.commit(task(4, "four")).unwrap();

        // Reconnecting with the expired token: refused as unauthorized.
        match Wire::connect(&endpoint).await {
            Err(ConnectError::ClosedAfterUpgrade { code: 4001, .. })
            | Err(ConnectError::Refused { status: 401, .. }) => {}
            Err(other) => panic!("expected 4001, got {other}"),
            Ok(_) => panic!("an expired access token was accepted"),
        }
    });

    // Refresh, then reconnect with the new token and upload the offline change.
    let refreshed = sdk.refresh(&login.refresh);
    assert_eq!(refreshed.status, 201, "{:#}", refreshed.body);
    let access = refreshed.body["access_token"].as_str().unwrap().to_string();
    runtime().block_on(async {
        let endpoint = Endpoint::new(&sync_route).with_token(&access);
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        writer
            .bind(&mut wire, SessionIdent::new(1).unwrap())
            .await
            .unwrap();
        writer.sync_until_idle(&mut wire).await.unwrap();
        assert!(writer.is_uploaded());

        // A second device of the same user downloads everything.
        let mut reader = RealmClient::new(partition.clone());
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        reader
            .bind(&mut wire, SessionIdent::new(1).unwrap())
            .await
            .unwrap();
        reader.sync_until_idle(&mut wire).await.unwrap();
        for id in 1..=4 {
            assert!(
                reader
                    .state()
                    .object("Task", &PrimaryKey::Int(id))
                    .is_some(),
                "task {id} arrived"
            );
        }
    });

    // Every uploaded changeset is stored once: the writer's client versions
    // are distinct and there are as many as it committed.
    let data = site.join("data");
    let ident = writer.file_ident().expect("ident").ident.get();
    let versions = stored_versions(&data, &partition);
    let mine = versions.get(&ident).expect("the writer's changesets");
    let distinct: std::collections::BTreeSet<_> = mine.iter().collect();
    assert_eq!(
        distinct.len(),
        mine.len(),
        "no upload stored twice: {mine:?}"
    );
    assert_eq!(mine.len(), 5, "schema and four tasks: {mine:?}");
    assert!(serving.stop().success());
}

/// Binds `partition` as `login`'s user, uploads a task, and returns the
/// server's refusal code, if any.
fn write_partition(sync_route: &str, access: &str, partition: &str) -> Option<u32> {
    runtime().block_on(async {
        let endpoint = Endpoint::new(sync_route).with_token(access);
        let mut wire = Wire::connect(&endpoint).await.unwrap();
        let mut client = RealmClient::new(partition);
        client.commit(workload::schema()).unwrap();
        client.commit(task(1, "mine")).unwrap();
        let outcome = match client.bind(&mut wire, SessionIdent::new(1).unwrap()).await {
            Ok(()) => client.sync_until_idle(&mut wire).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => None,
            Err(SyncError::Server { code, .. }) => Some(code),
            Err(other) => panic!("{partition}: {other}"),
        }
    })
}

#[test]
fn the_apps_partitions_set_who_may_read_and_write_shared_partitions() {
    let (_tmp, site) = init_site();
    let apps = format!(
        r#"[{{"id":"{APP}","partitions":[{{"value":"board","read":true,"write":true}},
            {{"value":"news","read":true}}]}}]"#
    );
    let serving = serve_site(&site, &[("ROS_APPS", &apps)]);
    let proxy = serving.listening.proxy_http.unwrap();
    let sdk = Sdk::new(Api::new(format!("http://{proxy}")), "", APP);
    let sync_route = sdk.location().body["sync_route"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sdk.register("hal@example.com", "password1").status, 201);
    let hal = sdk.password_login("hal@example.com", "password1");
    let own = format!("\"{}\"", hal.user_id);
    assert_eq!(write_partition(&sync_route, &hal.access, &own), None);
    assert_eq!(write_partition(&sync_route, &hal.access, "\"board\""), None);
    assert_eq!(
        write_partition(&sync_route, &hal.access, "\"news\""),
        Some(206),
        "read-only: the upload is refused"
    );
    assert_eq!(
        write_partition(&sync_route, &hal.access, "\"secret\""),
        Some(206),
        "not configured, not granted: refused"
    );
    assert!(serving.stop().success());
}
