//! The original's account routes on a real server, each answer checked against
//! `docs/openapi.yaml`: user lookups, `PUT`/`DELETE /auth/users`, password changes
//! and token revocation, with who may do what.

use crate::support;

use serde_json::{json, Value};
use support::http::{serve_site, Answer, Api};
use support::init_site;

fn register(api: &Api, name: &str, password: &str) -> (String, String) {
    let body = json!({"provider": "password", "username": name, "password": password});
    let answer = api.call("POST", "/auth", "/auth", None, Some(&body));
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    let token = &answer.body["refresh_token"];
    (
        token["token_data"]["identity"]
            .as_str()
            .unwrap()
            .to_string(),
        token["token"].as_str().unwrap().to_string(),
    )
}

fn code(answer: &Answer) -> (u16, u64) {
    (answer.status, answer.code())
}

#[test]
fn account_routes_check_their_caller_and_answer_as_documented() {
    let (_tmp, site) = init_site();
    let serving = serve_site(
        &site,
        &[("ROS_NETWORK__AUTHORIZATION_HEADER_NAME", "X-Realm-Auth")],
    );
    let api = Api::new(format!("http://{}", serving.listening.http));
    let admin_token = std::fs::read_to_string(site.join("data/keys/admin_token.base64")).unwrap();
    let admin = Some(admin_token.trim());
    let (alice, alice_token) = register(&api, "alice", "pw");
    let (bob, bob_token) = register(&api, "bob", "pw");
    let alice_t = Some(alice_token.as_str());
    let bob_t = Some(bob_token.as_str());

    // GET /auth/users/{id}: self or admin.
    const BY_ID: &str = "/auth/users/{user_id}";
    let own = api.call("GET", BY_ID, &format!("/auth/users/{alice}"), alice_t, None);
    assert_eq!(own.body["user_id"], alice.as_str());
    assert_eq!(
        code(&api.call("GET", BY_ID, &format!("/auth/users/{alice}"), bob_t, None)),
        (403, 614)
    );
    assert_eq!(
        api.call("GET", BY_ID, &format!("/auth/users/{alice}"), admin, None)
            .status,
        200
    );
    let unknown = api.call(
        "GET",
        BY_ID,
        "/auth/users/0123456789abcdef01234567",
        admin,
        None,
    );
    assert_eq!(code(&unknown), (404, 612));
    assert_eq!(
        code(&api.call("GET", BY_ID, &format!("/auth/users/{alice}"), None, None)),
        (401, 611)
    );

    // GET /auth/users/{provider}/{provider_id}: one's own, or anyone for admins.
    const BY_ACCOUNT: &str = "/auth/users/{provider}/{provider_id}";
    assert_eq!(
        api.call(
            "GET",
            BY_ACCOUNT,
            "/auth/users/password/alice",
            alice_t,
            None
        )
        .body["user_id"],
        alice.as_str()
    );
    assert_eq!(
        code(&api.call("GET", BY_ACCOUNT, "/auth/users/password/alice", bob_t, None)),
        (404, 612)
    );
    assert_eq!(
        api.call("GET", BY_ACCOUNT, "/auth/users/password/bob", admin, None)
            .body["user_id"],
        bob.as_str()
    );

    // PUT /auth/users: admins create or update the user of an account.
    let body = json!({"provider": "custom", "provider_id": "ext-1", "metadata": {"team": "a"}});
    let created = api.call("PUT", "/auth/users", "/auth/users", admin, Some(&body));
    assert_eq!(
        created.body["metadata"],
        json!([{"key": "team", "value": "a"}])
    );
    let ext = created.body["user_id"].as_str().unwrap().to_string();
    let body = json!({"provider": "custom", "provider_id": "ext-1", "is_admin": true, "metadata": {"team": "b"}});
    let updated = api.call("PUT", "/auth/users", "/auth/users", admin, Some(&body));
    assert_eq!(
        (
            updated.body["user_id"].clone(),
            updated.body["is_admin"].clone()
        ),
        (json!(ext), json!(true))
    );
    assert_eq!(
        updated.body["metadata"],
        json!([{"key": "team", "value": "b"}])
    );
    assert_eq!(
        code(&api.call("PUT", "/auth/users", "/auth/users", bob_t, Some(&body))),
        (403, 614)
    );
    let missing = api.call_invalid(
        "PUT",
        "/auth/users",
        "/auth/users",
        admin,
        &json!({"provider": "custom"}),
    );
    assert_eq!(code(&missing), (400, 602));
    let mismatch = json!({"provider": "custom", "provider_id": "ext-1", "user_id": alice});
    assert_eq!(
        code(&api.call("PUT", "/auth/users", "/auth/users", admin, Some(&mismatch))),
        (400, 601)
    );

    // PUT /auth/password: one's own, or anyone's for admins.
    const PASSWORD: &str = "/auth/{provider}";
    let own = json!({"data": {"new_password": "pw2"}});
    assert_eq!(
        api.call("PUT", PASSWORD, "/auth/password", alice_t, Some(&own))
            .body,
        json!({})
    );
    let login = |name: &str, pw: &str| {
        let body =
            json!({"provider": "password", "username": name, "password": pw, "register": false});
        api.call("POST", "/auth", "/auth", None, Some(&body)).status
    };
    assert_eq!((login("alice", "pw"), login("alice", "pw2")), (401, 200));
    let others = json!({"user_id": alice, "data": {"new_password": "pw3"}});
    assert_eq!(
        code(&api.call("PUT", PASSWORD, "/auth/password", bob_t, Some(&others))),
        (403, 614)
    );
    assert_eq!(
        api.call("PUT", PASSWORD, "/auth/password", admin, Some(&others))
            .status,
        200
    );
    assert_eq!(login("alice", "pw3"), 200);
    // An admin's change ended alice's sessions; she logs in again.
    assert_eq!(
        code(&api.call("GET", BY_ID, &format!("/auth/users/{alice}"), alice_t, None)),
        (401, 611)
    );
    let (_, alice_token) = register(&api, "alice", "pw3");
    let alice_t = Some(alice_token.as_str());
    let no_data = api.call_invalid(
        "PUT",
        PASSWORD,
        "/auth/password",
        alice_t,
        &json!({"user_id": alice}),
    );
    assert_eq!(code(&no_data), (400, 602));
    let wrong_provider = api.call_invalid("PUT", PASSWORD, "/auth/facebook", alice_t, &own);
    assert_eq!(code(&wrong_provider), (400, 601));

    // POST /auth/revoke: the owner (or an admin) revokes; the token is then refused.
    let (_, alice_second) = register(&api, "alice", "pw3");
    let revoke = |caller: Option<&str>, token: &str| {
        api.call(
            "POST",
            "/auth/revoke",
            "/auth/revoke",
            caller,
            Some(&json!({"token": token})),
        )
    };
    assert_eq!(code(&revoke(bob_t, &alice_second)), (403, 614));
    assert_eq!(revoke(alice_t, &alice_second).body, json!({}));
    let revoked = api.call(
        "GET",
        BY_ID,
        &format!("/auth/users/{alice}"),
        Some(&alice_second),
        None,
    );
    assert_eq!(code(&revoked), (403, 614));
    assert_eq!(revoked.body["title"], "The token has been revoked");
    let refresh = json!({"provider": "realm", "data": alice_second, "path": "/~/x"});
    assert_eq!(
        api.call("POST", "/auth", "/auth", None, Some(&refresh))
            .status,
        403
    );
    assert_eq!(code(&revoke(alice_t, "garbage")), (400, 601));
    let missing: Value = json!({});
    assert_eq!(
        code(&api.call_invalid("POST", "/auth/revoke", "/auth/revoke", alice_t, &missing)),
        (400, 602)
    );

    // DELETE /auth/users/{id} (and /auth/user/{id}): self or admin; the tokens die with the user.
    assert_eq!(
        code(&api.call(
            "DELETE",
            BY_ID,
            &format!("/auth/users/{bob}"),
            alice_t,
            None
        )),
        (403, 614)
    );
    assert_eq!(
        api.call("DELETE", BY_ID, &format!("/auth/users/{bob}"), bob_t, None)
            .body,
        json!({})
    );
    assert_eq!(
        code(&api.call("GET", BY_ID, &format!("/auth/users/{bob}"), bob_t, None)),
        (401, 611)
    );
    const SINGULAR: &str = "/auth/user/{user_id}";
    assert_eq!(
        api.call(
            "DELETE",
            SINGULAR,
            &format!("/auth/user/{ext}"),
            admin,
            None
        )
        .body,
        json!({})
    );
    assert_eq!(
        code(&api.call(
            "DELETE",
            SINGULAR,
            &format!("/auth/user/{ext}"),
            admin,
            None
        )),
        (404, 618)
    );
    assert!(serving.stop().success());
}
