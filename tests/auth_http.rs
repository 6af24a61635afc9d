//! The original's `POST /auth` on a real server: password registration and login
//! in both body forms, refresh tokens traded for access and user tokens, the
//! problem JSON of every refusal, the body limit, and the proxy serving the same.

use crate::support;

use serde_json::{json, Value};
use support::http::{serve_site, Api};
use support::init_site;

fn login(api: &Api, body: Value) -> support::http::Answer {
    api.call("POST", "/auth", "/auth", None, Some(&body))
}

fn refresh_token(answer: &support::http::Answer) -> String {
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    answer.body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn register_login_refresh_and_access_tokens() {
    let (_tmp, site) = init_site();
    let serving = serve_site(
        &site,
        &[
            ("ROS_DEFAULT_PASSWORD", "admin secret"),
            ("ROS_NETWORK__HTTP__MAX_BODY_BYTES", "2048"),
        ],
    );
    let api = Api::new(format!("http://{}", serving.listening.http));

    // Registration in the SDK form answers a refresh token for a new user id.
    let registered = login(
        &api,
        json!({"provider": "password", "data": "alice", "user_info": {"password": "pw1", "register": true}}),
    );
    let alice_refresh = refresh_token(&registered);
    let data = &registered.body["refresh_token"]["token_data"];
    let alice = data["identity"].as_str().unwrap().to_string();
    assert_eq!(alice.len(), 24);
    assert_eq!(data["access"], json!(["refresh"]));
    assert_eq!(data["is_admin"], false);
    assert_eq!(data["app_id"], "io.realm.Auth");

    // Registering the same name again, a wrong password and an unknown user: 401 611.
    for body in [
        json!({"provider": "password", "data": "alice", "user_info": {"password": "pw1", "register": true}}),
        json!({"provider": "password", "username": "alice", "password": "wrong"}),
        json!({"provider": "password", "username": "nobody", "password": "pw", "register": false}),
    ] {
        let refused = login(&api, body.clone());
        assert_eq!((refused.status, refused.code()), (401, 611), "{body}");
        assert_eq!(
            refused.body["type"],
            "https://realm.io/docs/object-server/problems/invalid-credentials"
        );
    }
    // The flat form logs in, and `register` absent registers only unknown names.
    let again = refresh_token(&login(
        &api,
        json!({"provider": "password", "username": "alice", "password": "pw1"}),
    ));
    assert_ne!(again, alice_refresh, "every login is a new session");
    let bob = login(
        &api,
        json!({"provider": "password", "username": "bob", "password": "pw2"}),
    );
    let bob_id = bob.body["refresh_token"]["token_data"]["identity"]
        .as_str()
        .unwrap()
        .to_string();

    // Missing and invalid parameters.
    let missing = api.call_invalid("POST", "/auth", "/auth", None, &json!({"data": "x"}));
    assert_eq!((missing.status, missing.code()), (400, 602));
    assert_eq!(missing.body["invalid_params"][0]["name"], "provider");
    let no_password = login(&api, json!({"provider": "password", "username": "alice"}));
    assert_eq!(no_password.body["invalid_params"][0]["name"], "password");
    let other = api.call_invalid(
        "POST",
        "/auth",
        "/auth",
        None,
        &json!({"provider": "anonymous", "data": ""}),
    );
    assert_eq!((other.status, other.code()), (400, 601));

    // Refresh token + path: an access token for the user's own Realm, `~` expanded;
    // the Realm is registered with them as owner, and owners may do everything.
    let access = login(
        &api,
        json!({"provider": "realm", "data": alice_refresh, "path": "/~/tasks", "app_id": "my.app"}),
    );
    assert_eq!(access.status, 200, "{:#}", access.body);
    let data = &access.body["access_token"]["token_data"];
    assert_eq!(data["path"], format!("/{alice}/tasks"));
    assert_eq!(data["access"], json!(["download", "upload", "manage"]));
    assert_eq!(data["sync_label"], "default");
    assert_eq!(data["app_id"], "my.app");
    // Someone else's Realm, a bad path, a token that is not a refresh token.
    let denied = login(
        &api,
        json!({"provider": "realm", "data": alice_refresh, "path": format!("/{bob_id}/tasks")}),
    );
    assert_eq!((denied.status, denied.code()), (403, 614));
    let bad_path = login(
        &api,
        json!({"provider": "realm", "data": alice_refresh, "path": "/a//b"}),
    );
    assert_eq!((bad_path.status, bad_path.code()), (400, 601));
    assert_eq!(bad_path.body["invalid_params"][0]["name"], "path");
    let access_token = access.body["access_token"]["token"].as_str().unwrap();
    for data in [access_token, "garbage", "e30=:AAAA"] {
        let refused = login(
            &api,
            json!({"provider": "realm", "data": data, "path": "/~/x"}),
        );
        assert_eq!((refused.status, refused.code()), (403, 614), "{data}");
    }
    // Refresh token without a path: a user token.
    let user = login(&api, json!({"provider": "realm", "data": alice_refresh}));
    assert_eq!(user.status, 200);
    let data = &user.body["user_token"]["token_data"];
    assert_eq!(data["identity"], alice.as_str());
    assert!(data.get("path").is_none());

    // ROS_DEFAULT_PASSWORD made the original's realm-admin, an admin everywhere.
    let admin = login(
        &api,
        json!({"provider": "password", "username": "realm-admin", "password": "admin secret"}),
    );
    assert_eq!(admin.body["refresh_token"]["token_data"]["is_admin"], true);
    let anywhere = login(
        &api,
        json!({"provider": "realm", "data": refresh_token(&admin), "path": format!("/{bob_id}/x")}),
    );
    assert_eq!(
        anywhere.body["access_token"]["token_data"]["access"],
        json!(["download", "upload", "manage"])
    );

    // Bodies over network.http.max_body_bytes: 413 problem JSON.
    let big = json!({"provider": "password", "username": "x".repeat(4096), "password": "p"});
    let too_large = login(&api, big);
    assert_eq!((too_large.status, too_large.code()), (413, 0));
    let not_json = api.send(
        api.client()
            .post(format!("{}/auth", api.base))
            .body("{nope"),
        "/auth",
        "post",
    );
    assert_eq!((not_json.status, not_json.code()), (400, 601));

    // The proxy serves the same route.
    let proxy = Api::new(format!("http://{}", serving.listening.proxy_http.unwrap()));
    refresh_token(&login(
        &proxy,
        json!({"provider": "password", "username": "bob", "password": "pw2"}),
    ));
    assert!(serving.stop().success());
}
