//! Sharing Realms over HTTP on a real server: refusals without mayManage change
//! nothing, access tokens from `POST /auth` follow every grant and revoke, and
//! offers accepted twice, expired and revoked. Every body is checked against
//! `docs/openapi.yaml` by the client.

use crate::support;

use serde_json::{json, Value};
use support::http::{serve_site, Answer, Api};
use support::init_site;

const PERMISSIONS: &str = "/api/admin/v1/permissions";
const OFFERS: &str = "/api/admin/v1/offers";

struct Person {
    id: String,
    refresh: String,
}

fn register(api: &Api, name: &str) -> Person {
    let body = json!({"provider": "password", "data": name, "user_info": {"password": "pw", "register": true}});
    let answer = api.call("POST", "/auth", "/auth", None, Some(&body));
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    let token = &answer.body["refresh_token"];
    Person {
        id: token["token_data"]["identity"]
            .as_str()
            .unwrap()
            .to_string(),
        refresh: token["token"].as_str().unwrap().to_string(),
    }
}

/// An access token's `access` list, or the refusal's status and code.
type Access = Result<Value, (u16, u64)>;

/// The `access` list of an access token for `path`, or the refusal's status.
fn access(api: &Api, who: &Person, path: &str) -> Access {
    let body = json!({"provider": "realm", "data": who.refresh, "path": path});
    let answer = api.call("POST", "/auth", "/auth", None, Some(&body));
    match answer.status {
        200 => Ok(answer.body["access_token"]["token_data"]["access"].clone()),
        status => Err((status, answer.code())),
    }
}

fn change(api: &Api, who: &Person, body: Value) -> Answer {
    api.call(
        "POST",
        PERMISSIONS,
        PERMISSIONS,
        Some(&who.refresh),
        Some(&body),
    )
}

fn entries(api: &Api, who: &Person, realm: &str) -> Value {
    let url = format!("{PERMISSIONS}?realm={}", urlencode(realm));
    let answer = api.call("GET", PERMISSIONS, &url, Some(&who.refresh), None);
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    answer.body["permissions"].clone()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn accept(api: &Api, who: &Person, token: &str) -> Answer {
    let route = "/api/admin/v1/offers/{token}/accept";
    let url = format!("{OFFERS}/{token}/accept");
    api.call("POST", route, &url, Some(&who.refresh), Some(&json!({})))
}

fn offer(api: &Api, who: &Person, body: Value) -> String {
    let answer = api.call("POST", OFFERS, OFFERS, Some(&who.refresh), Some(&body));
    assert_eq!(answer.status, 201, "{:#}", answer.body);
    answer.body["token"].as_str().unwrap().to_string()
}

#[test]
fn grants_revokes_and_offers_decide_access_tokens() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    let alice = register(&api, "alice");
    let bob = register(&api, "bob");
    let carol = register(&api, "carol");
    let dave = register(&api, "dave");
    let tasks = format!("/{}/tasks", alice.id);

    // Asking for a Realm in one's own home registers it, owned by the asker.
    assert_eq!(
        access(&api, &alice, "/~/tasks"),
        Ok(json!(["download", "upload", "manage"]))
    );
    assert_eq!(access(&api, &bob, &tasks), Err((403, 614)));

    // Without mayManage: 403 problem JSON, and nothing changes.
    let refused = change(
        &api,
        &bob,
        json!({"realm": tasks, "user": "bob", "may_read": true, "may_write": true}),
    );
    assert_eq!(
        (refused.status, refused.code()),
        (403, 614),
        "{:#}",
        refused.body
    );
    assert_eq!(
        refused.body["type"],
        "https://realm.io/docs/object-server/problems/access-denied"
    );
    let refused = change(
        &api,
        &bob,
        json!({"realm": tasks, "user": "*", "may_read": true}),
    );
    assert_eq!(refused.status, 403);
    let revoke_url = format!("{PERMISSIONS}?realm={}&user=bob", urlencode(&tasks));
    let refused = api.call("DELETE", PERMISSIONS, &revoke_url, Some(&bob.refresh), None);
    assert_eq!(refused.status, 403);
    let refused = api.call(
        "POST",
        OFFERS,
        OFFERS,
        Some(&bob.refresh),
        Some(&json!({"realm": tasks, "may_read": true})),
    );
    assert_eq!(refused.status, 403);
    assert_eq!(entries(&api, &alice, &tasks), json!([]));
    assert_eq!(access(&api, &bob, &tasks), Err((403, 614)));

    // Every grant and revoke shows in the next access token.
    let steps: [(Value, Access); 6] = [
        (json!({"may_read": true}), Ok(json!(["download"]))),
        (
            json!({"may_write": true}),
            Ok(json!(["download", "upload"])),
        ),
        (
            json!({"may_manage": true}),
            Ok(json!(["download", "upload", "manage"])),
        ),
        (
            json!({"may_write": false, "may_manage": false}),
            Ok(json!(["download"])),
        ),
        (json!({"may_read": false}), Err((403, 614))),
        (
            json!({"may_read": true, "may_write": true}),
            Ok(json!(["download", "upload"])),
        ),
    ];
    for (flags, expected) in steps {
        let mut body = json!({"realm": tasks, "user": bob.id});
        body.as_object_mut()
            .unwrap()
            .extend(flags.as_object().unwrap().clone());
        let answer = change(&api, &alice, body);
        assert_eq!(answer.status, 200, "{flags}: {:#}", answer.body);
        assert_eq!(answer.body["status_code"], 0);
        assert_eq!(access(&api, &bob, &tasks), expected, "{flags}");
    }
    // Write-only is refused and leaves the entry as it was.
    let write_only = change(
        &api,
        &alice,
        json!({"realm": tasks, "user": "bob", "may_read": false}),
    );
    assert_eq!((write_only.status, write_only.code()), (400, 601));
    assert_eq!(
        access(&api, &bob, &tasks),
        Ok(json!(["download", "upload"]))
    );
    // Revoking the entry: bob falls back to the default, which is nothing yet.
    let revoked = api.call(
        "DELETE",
        PERMISSIONS,
        &revoke_url,
        Some(&alice.refresh),
        None,
    );
    assert_eq!(
        (revoked.status, &revoked.body["removed"]),
        (200, &json!(true))
    );
    assert_eq!(access(&api, &bob, &tasks), Err((403, 614)));
    // A default read entry reaches bob; an all-false entry of his own denies again.
    assert_eq!(
        change(
            &api,
            &alice,
            json!({"realm": tasks, "user": "*", "may_read": true})
        )
        .status,
        200
    );
    assert_eq!(access(&api, &bob, &tasks), Ok(json!(["download"])));
    assert_eq!(
        change(&api, &alice, json!({"realm": tasks, "user": "bob"})).status,
        200
    );
    assert_eq!(access(&api, &bob, &tasks), Err((403, 614)));
    assert_eq!(access(&api, &carol, &tasks), Ok(json!(["download"])));
    // An unknown user: 404, and the default is not widened.
    let unknown = change(
        &api,
        &alice,
        json!({"realm": tasks, "user": "nobody", "may_write": true}),
    );
    assert_eq!((unknown.status, unknown.code()), (404, 618));
    assert_eq!(access(&api, &carol, &tasks), Ok(json!(["download"])));

    // `~` in a request is the caller.
    let tilde = change(
        &api,
        &alice,
        json!({"realm": "/~/tasks", "user": dave.id, "may_read": true}),
    );
    assert_eq!(tilde.body["permissions"][0]["realm"], tasks.as_str());

    // Offers. Accepted twice: the second time grants nothing new.
    let token = offer(
        &api,
        &alice,
        json!({"realm": tasks, "may_read": true, "may_write": true}),
    );
    let first = accept(&api, &carol, &token);
    assert_eq!(first.status, 200, "{:#}", first.body);
    assert_eq!(
        (&first.body["realm"], &first.body["first_time"]),
        (&json!(tasks), &json!(true))
    );
    assert_eq!(
        access(&api, &carol, &tasks),
        Ok(json!(["download", "upload"]))
    );
    let second = accept(&api, &carol, &token);
    assert_eq!(
        (second.status, &second.body["first_time"]),
        (200, &json!(false))
    );
    assert_eq!(second.body["may_manage"], false);
    assert_eq!(
        access(&api, &carol, &tasks),
        Ok(json!(["download", "upload"]))
    );

    // A non-creator cannot revoke; the creator can, and then nobody can accept.
    let route = "/api/admin/v1/offers/{token}";
    let url = format!("{OFFERS}/{token}");
    assert_eq!(
        api.call("DELETE", route, &url, Some(&bob.refresh), None)
            .status,
        403
    );
    let revoked = api.call("DELETE", route, &url, Some(&alice.refresh), None);
    assert_eq!(revoked.status, 200);
    assert!(revoked.body["revoked_at"].is_string());
    let late = accept(&api, &dave, &token);
    assert_eq!((late.status, late.code()), (403, 701), "{:#}", late.body);
    assert_eq!(
        access(&api, &dave, &tasks),
        Ok(json!(["download"])),
        "default only"
    );
    // What the revoked offer granted stays.
    assert_eq!(
        access(&api, &carol, &tasks),
        Ok(json!(["download", "upload"]))
    );

    // An expired offer.
    let short = offer(
        &api,
        &alice,
        json!({"realm": tasks, "may_read": true, "may_manage": true, "expires_in": 1}),
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let expired = accept(&api, &dave, &short);
    assert_eq!(
        (expired.status, expired.code()),
        (403, 701),
        "{:#}",
        expired.body
    );
    assert_eq!(access(&api, &dave, &tasks), Ok(json!(["download"])));
    // An unknown token and a malformed one.
    let unknown = accept(&api, &dave, &"0".repeat(32));
    assert_eq!((unknown.status, unknown.code()), (400, 601));
    let malformed = accept(&api, &dave, "not-a-token");
    assert_eq!((malformed.status, malformed.code()), (400, 601));

    // The creator lists their offers; others see none of them.
    let mine = api.call("GET", OFFERS, OFFERS, Some(&alice.refresh), None);
    assert_eq!(mine.body["offers"].as_array().unwrap().len(), 2);
    let theirs = api.call("GET", OFFERS, OFFERS, Some(&bob.refresh), None);
    assert_eq!(theirs.body["offers"], json!([]));
}
