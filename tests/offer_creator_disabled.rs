//! Weakness 6 of issue 17: an offer speaks for its creator, so while the creator
//! is disabled it is refused (403 `access-denied`, as for a creator who lost
//! mayManage), and accepted again once they are enabled.

use crate::support;

use serde_json::json;
use support::http::{serve_site, Api};
use support::init_site;

const OFFERS: &str = "/api/admin/v1/offers";
const ACCEPT: &str = "/api/admin/v1/offers/{token}/accept";
const USER: &str = "/api/admin/v1/users/{user}";

fn register(api: &Api, name: &str) -> (String, String) {
    let body =
        json!({"provider": "password", "username": name, "password": "pw", "register": true});
    let answer = api.call("POST", "/auth", "/auth", None, Some(&body));
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    let token = &answer.body["refresh_token"];
    (
        token["token_data"]["identity"].as_str().unwrap().into(),
        token["token"].as_str().unwrap().into(),
    )
}

#[test]
fn a_disabled_creators_offer_is_refused_until_they_are_enabled() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64")).unwrap();
    let admin = Some(admin.trim());
    let (alice, alice_token) = register(&api, "alice");
    let (_, bob_token) = register(&api, "bob");
    let realm = format!("/{alice}/tasks");
    let made = api.call(
        "POST",
        OFFERS,
        OFFERS,
        Some(&alice_token),
        Some(&json!({"realm": realm, "may_read": true})),
    );
    assert_eq!(made.status, 201, "{:#}", made.body);
    let offer = made.body["token"].as_str().unwrap();
    let url = format!("{OFFERS}/{offer}/accept");
    let disable = |disabled: bool| {
        let answer = api.call(
            "PATCH",
            USER,
            "/api/admin/v1/users/alice",
            admin,
            Some(&json!({"disabled": disabled})),
        );
        assert_eq!(answer.status, 200, "{:#}", answer.body);
    };

    disable(true);
    let refused = api.call("POST", ACCEPT, &url, Some(&bob_token), Some(&json!({})));
    assert_eq!(
        (refused.status, refused.code()),
        (403, 614),
        "{:#}",
        refused.body
    );
    assert!(
        refused.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("creator is disabled")),
        "{:#}",
        refused.body
    );

    disable(false);
    let accepted = api.call("POST", ACCEPT, &url, Some(&bob_token), Some(&json!({})));
    assert_eq!(accepted.status, 200, "{:#}", accepted.body);
    assert_eq!(accepted.body["realm"], realm.as_str());
}
