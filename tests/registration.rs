//! Weakness 7 of issue 17: self-registration can be turned off per provider
//! (`auth.registration.password`), and registrations from one address are
//! limited (`auth.registration.address_limit`) by the login throttle's machinery.

use crate::support;

use serde_json::{json, Value};
use support::http::{serve_site, Answer, Api};
use support::init_site;

fn auth(api: &Api, body: Value) -> Answer {
    api.call("POST", "/auth", "/auth", None, Some(&body))
}

#[test]
fn registration_off_answers_the_documented_error_and_admins_still_add_users() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[("ROS_AUTH__REGISTRATION__PASSWORD", "false")]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64")).unwrap();

    let refused = auth(
        &api,
        json!({"provider": "password", "data": "mallory", "user_info": {"password": "pw", "register": true}}),
    );
    assert_eq!(
        (refused.status, refused.code()),
        (403, 614),
        "{:#}",
        refused.body
    );
    assert_eq!(refused.body["title"], "Registration is turned off.");
    // Without `register`, an unknown name is a failed login, not a new account.
    let implicit = auth(
        &api,
        json!({"provider": "password", "username": "mallory", "password": "pw"}),
    );
    assert_eq!((implicit.status, implicit.code()), (401, 611));

    let added = api.call(
        "POST",
        "/api/admin/v1/users",
        "/api/admin/v1/users",
        Some(admin.trim()),
        Some(&json!({"username": "carol", "password": "pw"})),
    );
    assert_eq!(added.status, 201, "{:#}", added.body);
    let login = auth(
        &api,
        json!({"provider": "password", "username": "carol", "password": "pw"}),
    );
    assert_eq!(login.status, 200, "{:#}", login.body);
}

#[test]
fn registrations_from_one_address_are_limited() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[("ROS_AUTH__REGISTRATION__ADDRESS_LIMIT", "3")]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    let register = |name: &str| {
        auth(
            &api,
            json!({"provider": "password", "username": name, "password": "pw", "register": true}),
        )
    };
    for name in ["u1", "u2", "u3"] {
        assert_eq!(register(name).status, 200, "{name}");
    }
    let fourth = register("u4");
    assert_eq!(fourth.status, 429, "{:#}", fourth.body);
    assert_eq!(fourth.body["title"], "Too many registrations.");
    assert!(fourth.headers.contains_key("retry-after"));
    // Logins of registered users are not registrations.
    let login = auth(
        &api,
        json!({"provider": "password", "username": "u1", "password": "pw"}),
    );
    assert_eq!(login.status, 200, "{:#}", login.body);
}
