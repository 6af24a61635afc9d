//! Drives every admin API route (`/api/admin/v1/...`) against a running server and
//! checks every request and response body against `docs/openapi.yaml`; also proves
//! that every documented admin operation was driven.

mod support;

use std::collections::BTreeSet;

use serde_json::{json, Value};
use support::http::{serve_site, Answer, Api};
use support::init_site;

const USERS: &str = "/api/admin/v1/users";
const USER: &str = "/api/admin/v1/users/{user}";
const PASSWORD: &str = "/api/admin/v1/users/{user}/password";

struct Driver {
    api: Api,
    driven: BTreeSet<(String, String)>,
}

impl Driver {
    fn call(
        &mut self,
        method: &str,
        route: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.driven
            .insert((route.to_string(), method.to_ascii_lowercase()));
        self.api.call(method, route, path, token, body.as_ref())
    }
}

fn login(api: &Api, username: &str, password: &str) -> Answer {
    let body = json!({"provider": "password", "username": username, "password": password});
    api.call("POST", "/auth", "/auth", None, Some(&body))
}

#[test]
fn every_admin_route_answers_as_documented() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64"))
        .unwrap()
        .trim()
        .to_string();
    let admin = Some(admin.as_str());
    let mut d = Driver {
        api: Api::new(format!("http://{}", serving.listening.http)),
        driven: BTreeSet::new(),
    };

    // Create: 201 with the user; a taken username 400 613; an empty password 400 601.
    let mut ids = Vec::new();
    for (name, is_admin) in [("carol", false), ("dave", true), ("erin", false)] {
        let created = d.call(
            "POST",
            USERS,
            USERS,
            admin,
            Some(json!({"username": name, "password": "pw", "is_admin": is_admin})),
        );
        assert_eq!(created.status, 201, "{:#}", created.body);
        assert_eq!(
            created.body["accounts"],
            json!([{"provider": "password", "provider_id": name}])
        );
        assert_eq!(created.body["is_admin"], is_admin);
        ids.push(created.body["user_id"].as_str().unwrap().to_string());
    }
    let taken = d.call(
        "POST",
        USERS,
        USERS,
        admin,
        Some(json!({"username": "carol", "password": "x"})),
    );
    assert_eq!((taken.status, taken.code()), (400, 613));
    let empty = d.call(
        "POST",
        USERS,
        USERS,
        admin,
        Some(json!({"username": "frank", "password": ""})),
    );
    assert_eq!((empty.status, empty.code()), (400, 601));

    // List with paging: two pages of two and one, `next` linking them.
    let first = d.call("GET", USERS, &format!("{USERS}?limit=2"), admin, None);
    assert_eq!(first.status, 200);
    let page: Vec<&str> = first.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["user_id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [ids[0].as_str(), ids[1].as_str()]);
    let next = first.body["next"].as_str().unwrap();
    let second = d.call(
        "GET",
        USERS,
        &format!("{USERS}?limit=2&after={next}"),
        admin,
        None,
    );
    assert_eq!(second.body["users"][0]["user_id"], ids[2].as_str());
    assert_eq!(second.body["next"], Value::Null);
    let bad_limit = d.call("GET", USERS, &format!("{USERS}?limit=0"), admin, None);
    assert_eq!((bad_limit.status, bad_limit.code()), (400, 601));

    // Show by id and by username; unknown: 404 618.
    let by_id = d.call("GET", USER, &format!("{USERS}/{}", ids[0]), admin, None);
    let by_name = d.call("GET", USER, &format!("{USERS}/carol"), admin, None);
    assert_eq!(by_id.body, by_name.body);
    let unknown = d.call("GET", USER, &format!("{USERS}/nobody"), admin, None);
    assert_eq!((unknown.status, unknown.code()), (404, 618));

    // Update flags; a body with an unknown field is refused.
    let updated = d.call(
        "PATCH",
        USER,
        &format!("{USERS}/carol"),
        admin,
        Some(json!({"is_admin": true, "disabled": true})),
    );
    assert_eq!(
        (
            updated.body["is_admin"].clone(),
            updated.body["disabled"].clone()
        ),
        (json!(true), json!(true))
    );
    let disabled_login = login(&d.api, "carol", "pw");
    assert_eq!((disabled_login.status, disabled_login.code()), (401, 611));
    let back = d.call(
        "PATCH",
        USER,
        &format!("{USERS}/carol"),
        admin,
        Some(json!({"is_admin": false, "disabled": false})),
    );
    assert_eq!(back.body["disabled"], false);
    d.driven.insert((USER.to_string(), "patch".to_string()));
    let bad = d.api.call_invalid(
        "PATCH",
        USER,
        &format!("{USERS}/carol"),
        admin,
        &json!({"admin": true}),
    );
    assert_eq!((bad.status, bad.code()), (400, 601));

    // Set a password; the old one stops working, the new one logs in.
    let set = d.call(
        "PUT",
        PASSWORD,
        &format!("{USERS}/carol/password"),
        admin,
        Some(json!({"password": "new pw"})),
    );
    assert_eq!(set.status, 200);
    assert_eq!(login(&d.api, "carol", "pw").status, 401);
    assert_eq!(login(&d.api, "carol", "new pw").status, 200);
    let missing = d.call(
        "PUT",
        PASSWORD,
        &format!("{USERS}/nobody/password"),
        admin,
        Some(json!({"password": "x"})),
    );
    assert_eq!(missing.status, 404);

    // Without a token: 401; a non-admin's refresh token: 403; an admin user's user token: 200.
    let anonymous = d.call("GET", USERS, USERS, None, None);
    assert_eq!((anonymous.status, anonymous.code()), (401, 611));
    let erin = login(&d.api, "erin", "pw").body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let forbidden = d.call("GET", USERS, USERS, Some(&erin), None);
    assert_eq!((forbidden.status, forbidden.code()), (403, 614));
    let dave = login(&d.api, "dave", "pw").body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let user_token = d.api.call(
        "POST",
        "/auth",
        "/auth",
        None,
        Some(&json!({"provider": "realm", "data": dave})),
    );
    let user_token = user_token.body["user_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let as_dave = d.call(
        "GET",
        USER,
        &format!("{USERS}/erin"),
        Some(&format!("Bearer {user_token}")),
        None,
    );
    assert_eq!(as_dave.status, 200);

    // Delete: the user and its sessions go; its token stops working.
    let removed = d.call("DELETE", USER, &format!("{USERS}/erin"), admin, None);
    assert_eq!(removed.status, 200);
    assert_eq!(removed.body["user"]["user_id"], ids[2].as_str());
    assert_eq!(removed.body["sessions_revoked"], 1);
    assert_eq!(removed.body["owned_realms"], json!([]));
    let gone = d.call("GET", USER, &format!("{USERS}/{}", ids[2]), admin, None);
    assert_eq!(gone.status, 404);
    let again = d.call("DELETE", USER, &format!("{USERS}/erin"), admin, None);
    assert_eq!(again.status, 404);
    let refresh = d.api.call(
        "POST",
        "/auth",
        "/auth",
        None,
        Some(&json!({"provider": "realm", "data": erin})),
    );
    assert_eq!(refresh.status, 403);

    let documented: BTreeSet<(String, String)> = d
        .api
        .openapi
        .operations("/api/admin/")
        .into_iter()
        .collect();
    assert_eq!(
        documented, d.driven,
        "every documented admin operation is driven, and only those"
    );
    assert!(serving.stop().success());
}
