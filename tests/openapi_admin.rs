//! Drives every admin API route (`/api/admin/v1/...`: users, and the sharing
//! routes for Realms, permissions and offers) against a running server and checks
//! every request and response body against `docs/openapi.yaml`; also proves that
//! every documented admin operation was driven.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};
use support::http::{serve_site, Answer, Api};
use support::init_site;

const USERS: &str = "/api/admin/v1/users";
const USER: &str = "/api/admin/v1/users/{user}";
const PASSWORD: &str = "/api/admin/v1/users/{user}/password";
const REALMS: &str = "/api/admin/v1/realms";
const REALM: &str = "/api/admin/v1/realms/{realm}";
const PERMISSIONS: &str = "/api/admin/v1/permissions";
const OFFERS: &str = "/api/admin/v1/offers";
const OFFER: &str = "/api/admin/v1/offers/{token}";
const ACCEPT: &str = "/api/admin/v1/offers/{token}/accept";

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

/// A user token for the HTTP API (`POST /auth` twice), as `Bearer <token>`.
fn user_token(api: &Api, username: &str, password: &str) -> String {
    let logged_in = login(api, username, password);
    assert_eq!(logged_in.status, 200, "{:#}", logged_in.body);
    let refresh = logged_in.body["refresh_token"]["token"].as_str().unwrap();
    let body = json!({"provider": "realm", "data": refresh});
    let issued = api.call("POST", "/auth", "/auth", None, Some(&body));
    assert_eq!(issued.status, 200, "{:#}", issued.body);
    format!(
        "Bearer {}",
        issued.body["user_token"]["token"].as_str().unwrap()
    )
}

/// Percent-encodes all but unreserved characters: a Realm as one path segment or
/// one query value.
fn pct(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn problem(answer: &Answer) -> (u16, u64) {
    (answer.status, answer.code())
}

/// `(may_read, may_write, may_manage)` of an entry, offer or acceptance.
fn flags(v: &Value) -> (bool, bool, bool) {
    let flag = |name: &str| {
        v[name]
            .as_bool()
            .unwrap_or_else(|| panic!("no {name} in {v:#}"))
    };
    (flag("may_read"), flag("may_write"), flag("may_manage"))
}

/// The values of `field` in each element of `list`.
fn column<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list:#}"))
        .iter()
        .map(|item| item[field].as_str().unwrap_or("null"))
        .collect()
}

fn create_user(d: &mut Driver, admin: Option<&str>, name: &str) -> String {
    let created = d.call(
        "POST",
        USERS,
        USERS,
        admin,
        Some(json!({"username": name, "password": "pw"})),
    );
    assert_eq!(created.status, 201, "{:#}", created.body);
    created.body["user_id"].as_str().unwrap().to_string()
}

/// The sharing routes: gina owns `/<gina>/tasks` (registered by an admin grant),
/// hank is shared into it by entries and by an offer.
fn drive_sharing(d: &mut Driver, admin: Option<&str>) {
    let gina = create_user(d, admin, "gina");
    let hank = create_user(d, admin, "hank");
    let gina_token = user_token(&d.api, "gina", "pw");
    let hank_token = user_token(&d.api, "hank", "pw");
    let (as_gina, as_hank) = (Some(gina_token.as_str()), Some(hank_token.as_str()));
    let tasks = format!("/{gina}/tasks");
    let tasks_url = format!("{REALMS}/{}", pct(&tasks));

    // PermissionChange. An admin grant on an unregistered path of gina's home
    // registers it, owned by gina.
    let granted = d.call(
        "POST",
        PERMISSIONS,
        PERMISSIONS,
        admin,
        Some(json!({"realm": tasks, "user": "hank", "may_read": true})),
    );
    assert_eq!(granted.status, 200, "{:#}", granted.body);
    assert_eq!(granted.body["status_code"], 0);
    assert_eq!(
        granted.body["status_message"],
        format!("Successfully applied PermissionChange for {tasks}")
    );
    let entries = &granted.body["permissions"];
    assert_eq!(column(entries, "realm"), [tasks.as_str()]);
    assert_eq!(column(entries, "user"), [hank.as_str()]);
    assert_eq!(flags(&entries[0]), (true, false, false));
    // The owner manages her Realm: the default entry, then `*` for every Realm
    // she owns (flags not given keep their value).
    let default = d.call(
        "POST",
        PERMISSIONS,
        PERMISSIONS,
        as_gina,
        Some(json!({"realm": tasks, "user": "*", "may_read": true})),
    );
    assert_eq!(default.status, 200, "{:#}", default.body);
    assert_eq!(column(&default.body["permissions"], "user"), ["*"]);
    let everywhere = d.call(
        "POST",
        PERMISSIONS,
        PERMISSIONS,
        as_gina,
        Some(json!({"realm": "*", "user": hank, "may_write": true})),
    );
    assert_eq!(everywhere.status, 200, "{:#}", everywhere.body);
    let entries = &everywhere.body["permissions"];
    assert_eq!(column(entries, "realm"), [tasks.as_str()]);
    assert_eq!(flags(&entries[0]), (true, true, false));
    // Refusals: no mayManage 403 614; unknown user 404 618; write-only, `*` for
    // the admin token, a management Realm, an unknown field 400 601; a Realm the
    // caller may not manage (existing or not) 403 614; a partition value nobody
    // registered 404 617; no token 401 611.
    let change = |d: &mut Driver, token: Option<&str>, body: Value| {
        problem(&d.call("POST", PERMISSIONS, PERMISSIONS, token, Some(body)))
    };
    let manage = json!({"realm": tasks, "user": "hank", "may_manage": true});
    assert_eq!(change(d, as_hank, manage.clone()), (403, 614));
    let unknown = json!({"realm": tasks, "user": "nobody", "may_read": true});
    assert_eq!(change(d, admin, unknown), (404, 618));
    let write_only = json!({"realm": tasks, "user": "*", "may_read": false, "may_write": true});
    assert_eq!(change(d, admin, write_only), (400, 601));
    let owned = json!({"realm": "*", "user": "hank", "may_read": true});
    assert_eq!(change(d, admin, owned), (400, 601));
    let management = json!({"realm": format!("/{gina}/__management"), "user": "hank"});
    assert_eq!(change(d, admin, management), (400, 601));
    let elsewhere = json!({"realm": format!("/{gina}/other"), "user": "hank", "may_read": true});
    assert_eq!(change(d, as_hank, elsewhere), (403, 614));
    // A partition value nobody used that is not the caller's id: no mayManage.
    let unregistered = json!({"realm": "\"nowhere\"", "user": "hank", "may_read": true});
    assert_eq!(change(d, as_hank, unregistered), (403, 614));
    assert_eq!(change(d, None, manage), (401, 611));
    let extra = d.api.call_invalid(
        "POST",
        PERMISSIONS,
        PERMISSIONS,
        admin,
        &json!({"realm": tasks, "user": "hank", "may_delete": true}),
    );
    assert_eq!(problem(&extra), (400, 601));

    // Realms: admins see all (the refused changes registered nothing), the owner
    // hers, hank (read and write, no manage) none.
    let realms = |d: &mut Driver, query: &str, token: Option<&str>| {
        d.call("GET", REALMS, &format!("{REALMS}{query}"), token, None)
    };
    let all = realms(d, "", admin);
    assert_eq!(all.status, 200, "{:#}", all.body);
    assert_eq!(column(&all.body["realms"], "realm"), [tasks.as_str()]);
    assert_eq!(column(&all.body["realms"], "owner"), [gina.as_str()]);
    let mine = realms(d, "", as_gina);
    assert_eq!(column(&mine.body["realms"], "realm"), [tasks.as_str()]);
    let none = realms(d, "", as_hank);
    assert_eq!((none.status, none.body["realms"].clone()), (200, json!([])));
    let of_gina = realms(d, "?owner=gina", admin);
    assert_eq!(column(&of_gina.body["realms"], "realm"), [tasks.as_str()]);
    let of_hank = realms(d, &format!("?owner={hank}"), admin);
    assert_eq!(of_hank.body["realms"], json!([]));
    assert_eq!(problem(&realms(d, "?owner=nobody", admin)), (404, 618));
    assert_eq!(problem(&realms(d, "?owner=*", admin)), (400, 601));
    assert_eq!(problem(&realms(d, "", None)), (401, 611));

    // One Realm with its entries, the default first.
    let shown = d.call("GET", REALM, &tasks_url, as_gina, None);
    assert_eq!(shown.status, 200, "{:#}", shown.body);
    assert_eq!(shown.body["realm"], tasks.as_str());
    assert_eq!(shown.body["owner"], gina.as_str());
    assert_eq!(
        shown.body["created_at"],
        all.body["realms"][0]["created_at"]
    );
    let entries = &shown.body["permissions"];
    assert_eq!(column(entries, "user"), ["*", hank.as_str()]);
    assert_eq!(flags(&entries[0]), (true, false, false));
    assert_eq!(flags(&entries[1]), (true, true, false));
    let show = |d: &mut Driver, realm: &str, token: Option<&str>| {
        let url = format!("{REALMS}/{}", pct(realm));
        problem(&d.call("GET", REALM, &url, token, None))
    };
    assert_eq!(show(d, &tasks, as_hank), (403, 614));
    assert_eq!(show(d, "/nowhere", admin), (404, 617));
    assert_eq!(show(d, "/no such", admin), (400, 601));
    assert_eq!(show(d, &tasks, None), (401, 611));

    // Entries: admins and managers see all, others their own.
    let list = |d: &mut Driver, query: &str, token: Option<&str>| {
        let url = format!("{PERMISSIONS}{query}");
        d.call("GET", PERMISSIONS, &url, token, None)
    };
    let every = list(d, "", admin);
    assert_eq!(every.status, 200, "{:#}", every.body);
    assert_eq!(every.body["permissions"], shown.body["permissions"]);
    assert_eq!(list(d, "", as_gina).body, every.body);
    let own = list(d, "", as_hank);
    assert_eq!(column(&own.body["permissions"], "user"), [hank.as_str()]);
    let defaults = list(d, "?user=*", admin);
    assert_eq!(column(&defaults.body["permissions"], "user"), ["*"]);
    let one = list(d, &format!("?realm={}&user=hank", pct(&tasks)), admin);
    assert_eq!(column(&one.body["permissions"], "user"), [hank.as_str()]);
    let elsewhere = list(d, "?realm=%2Fnowhere", admin);
    assert_eq!(elsewhere.body["permissions"], json!([]));
    let bad_realm = format!("?realm={}", pct("/no such"));
    assert_eq!(problem(&list(d, &bad_realm, admin)), (400, 601));
    assert_eq!(problem(&list(d, "?user=nobody", admin)), (404, 618));
    assert_eq!(problem(&list(d, "", None)), (401, 611));

    // Offers: the owner offers read and write; an admin a read offer that expires
    // in a second.
    let offer = |d: &mut Driver, token: Option<&str>, body: Value| {
        d.call("POST", OFFERS, OFFERS, token, Some(body))
    };
    let read_write = json!({"realm": tasks, "may_read": true, "may_write": true});
    let made = offer(d, as_gina, read_write.clone());
    assert_eq!(made.status, 201, "{:#}", made.body);
    let token = made.body["token"].as_str().unwrap().to_string();
    assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(made.body["realm"], tasks.as_str());
    assert_eq!(flags(&made.body), (true, true, false));
    assert_eq!(made.body["creator"], gina.as_str());
    assert_eq!(
        (
            &made.body["expires_at"],
            &made.body["revoked_at"],
            &made.body["accepted_by"]
        ),
        (&Value::Null, &Value::Null, &json!([]))
    );
    let short = offer(
        d,
        admin,
        json!({"realm": tasks, "may_read": true, "expires_in": 1}),
    );
    assert_eq!(short.status, 201, "{:#}", short.body);
    assert_eq!(short.body["creator"], Value::Null);
    assert!(short.body["expires_at"].is_string());
    let short_token = short.body["token"].as_str().unwrap().to_string();
    assert_eq!(problem(&offer(d, as_hank, read_write.clone())), (403, 614));
    assert_eq!(
        problem(&offer(d, as_gina, json!({"realm": tasks}))),
        (400, 601)
    );
    let elsewhere = json!({"realm": format!("/{gina}/other"), "may_read": true});
    assert_eq!(problem(&offer(d, as_hank, elsewhere)), (403, 614));
    let unregistered = json!({"realm": "\"nowhere\"", "may_read": true});
    assert_eq!(problem(&offer(d, as_hank, unregistered)), (403, 614));
    assert_eq!(problem(&offer(d, None, read_write)), (401, 611));

    // Listing: admins every offer, users the ones they made.
    let offers = |d: &mut Driver, token: Option<&str>| d.call("GET", OFFERS, OFFERS, token, None);
    let everything = offers(d, admin);
    assert_eq!(everything.status, 200, "{:#}", everything.body);
    assert_eq!(
        column(&everything.body["offers"], "token"),
        [token.as_str(), short_token.as_str()]
    );
    assert_eq!(
        column(&offers(d, as_gina).body["offers"], "token"),
        [token.as_str()]
    );
    assert_eq!(offers(d, as_hank).body["offers"], json!([]));
    assert_eq!(problem(&offers(d, None)), (401, 611));

    // Accepting: for oneself with `{}`, again (not the first time), for a named
    // user by an admin. The admin token must name a user, only admins may name
    // one; unknown users, malformed tokens, expired and revoked offers refused.
    let accept = |d: &mut Driver, token: &str, as_whom: Option<&str>, body: Value| {
        let url = format!("{OFFERS}/{token}/accept");
        d.call("POST", ACCEPT, &url, as_whom, Some(body))
    };
    let accepted = accept(d, &token, as_hank, json!({}));
    assert_eq!(accepted.status, 200, "{:#}", accepted.body);
    assert_eq!(accepted.body["realm"], tasks.as_str());
    assert_eq!(flags(&accepted.body), (true, true, false));
    assert_eq!(accepted.body["first_time"], true);
    let again = accept(d, &token, as_hank, json!({}));
    assert_eq!(again.body["first_time"], false);
    let for_hank = accept(d, &token, admin, json!({"user": "hank"}));
    assert_eq!(
        (for_hank.status, &for_hank.body["first_time"]),
        (200, &json!(false))
    );
    assert_eq!(problem(&accept(d, &token, admin, json!({}))), (400, 601));
    let for_gina = json!({"user": "gina"});
    assert_eq!(problem(&accept(d, &token, as_hank, for_gina)), (403, 614));
    let for_nobody = json!({"user": "nobody"});
    assert_eq!(problem(&accept(d, &token, admin, for_nobody)), (404, 618));
    assert_eq!(
        problem(&accept(d, "0xdead", as_hank, json!({}))),
        (400, 601)
    );
    assert_eq!(problem(&accept(d, &token, None, json!({}))), (401, 611));
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        problem(&accept(d, &short_token, as_hank, json!({}))),
        (403, 701)
    );
    let listed = offers(d, as_gina);
    assert_eq!(listed.body["offers"][0]["accepted_by"], json!([hank]));

    // Revoking: the creator or an admin; then it cannot be accepted; revoking an
    // unknown token is 400 601.
    let revoke = |d: &mut Driver, token: &str, as_whom: Option<&str>| {
        d.call("DELETE", OFFER, &format!("{OFFERS}/{token}"), as_whom, None)
    };
    assert_eq!(problem(&revoke(d, &token, as_hank)), (403, 614));
    assert_eq!(problem(&revoke(d, &token, None)), (401, 611));
    let revoked = revoke(d, &token, as_gina);
    assert_eq!(revoked.status, 200, "{:#}", revoked.body);
    assert!(revoked.body["revoked_at"].is_string());
    assert_eq!(revoked.body["accepted_by"], json!([hank]));
    let late = accept(d, &token, as_hank, json!({}));
    assert_eq!(problem(&late), (403, 701));
    assert_eq!(late.body["title"], "The permission offer was revoked.");
    assert_eq!(problem(&revoke(d, &"0".repeat(32), admin)), (400, 601));

    // Removing entries: managers only; a second time there is nothing to remove.
    let remove = |d: &mut Driver, query: &str, token: Option<&str>| {
        let url = format!("{PERMISSIONS}{query}");
        d.call("DELETE", PERMISSIONS, &url, token, None)
    };
    let of_hank = format!("?realm={}&user=hank", pct(&tasks));
    assert_eq!(problem(&remove(d, &of_hank, as_hank)), (403, 614));
    let removed = remove(d, &of_hank, as_gina);
    assert_eq!(removed.status, 200, "{:#}", removed.body);
    assert_eq!(
        removed.body,
        json!({"realm": tasks, "user": hank, "removed": true})
    );
    assert_eq!(remove(d, &of_hank, as_gina).body["removed"], false);
    let of_default = format!("?realm={}&user=*", pct(&tasks));
    assert_eq!(
        remove(d, &of_default, admin).body,
        json!({"realm": tasks, "user": "*", "removed": true})
    );
    let no_user = format!("?realm={}", pct(&tasks));
    assert_eq!(problem(&remove(d, &no_user, as_gina)), (400, 602));
    assert_eq!(
        problem(&remove(d, "?realm=%2Fnowhere&user=hank", admin)),
        (404, 617)
    );
    let of_nobody = format!("?realm={}&user=nobody", pct(&tasks));
    assert_eq!(problem(&remove(d, &of_nobody, admin)), (404, 618));
    assert_eq!(problem(&remove(d, &of_hank, None)), (401, 611));
    let left = list(d, "", admin);
    assert_eq!(left.body["permissions"], json!([]));

    // Removing the owner keeps her Realm, owner-less, and says so.
    let gone = d.call("DELETE", USER, &format!("{USERS}/gina"), admin, None);
    assert_eq!(gone.status, 200, "{:#}", gone.body);
    assert_eq!(gone.body["owned_realms"], json!([tasks]));
    let orphan = d.call("GET", REALM, &tasks_url, admin, None);
    assert_eq!(orphan.status, 200, "{:#}", orphan.body);
    assert_eq!(orphan.body["owner"], Value::Null);

    // Deleting it: admins only; the registry entry goes (no client ever bound,
    // so there is no store); then it is unknown; the original's own Realms stay.
    let delete =
        |d: &mut Driver, url: &str, token: Option<&str>| d.call("DELETE", REALM, url, token, None);
    assert_eq!(problem(&delete(d, &tasks_url, as_hank)), (403, 614));
    assert_eq!(problem(&delete(d, &tasks_url, None)), (401, 611));
    let deleted = delete(d, &tasks_url, admin);
    assert_eq!(deleted.status, 200, "{:#}", deleted.body);
    assert_eq!(
        deleted.body,
        json!({"realm": tasks, "store": false, "record": true})
    );
    assert_eq!(problem(&delete(d, &tasks_url, admin)), (404, 617));
    assert_eq!(
        problem(&d.call("GET", REALM, &tasks_url, admin, None)),
        (404, 617)
    );
    let protected = delete(d, &format!("{REALMS}/{}", pct("/__admin")), admin);
    assert_eq!(problem(&protected), (403, 614));
    assert_eq!(
        protected.body["title"],
        "This Realm is protected from removal"
    );
    let malformed = delete(d, &format!("{REALMS}/{}", pct("/no such")), admin);
    assert_eq!(problem(&malformed), (400, 601));
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

    drive_sharing(&mut d, admin);

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
