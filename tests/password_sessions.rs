//! Weakness 5 of issue 17: a refresh token does not outlive a password change.
//! A user's own change ends their other sessions, an admin's reset (admin API,
//! `ros user passwd`) ends all of them, and `--keep-sessions` keeps them.

use crate::support;

use serde_json::json;
use support::http::{serve_site, Api};
use support::{init_site, ros, run_ok_with_line};

fn login(api: &Api, name: &str, password: &str) -> String {
    let body = json!({"provider": "password", "username": name, "password": password});
    let answer = api.call("POST", "/auth", "/auth", None, Some(&body));
    assert_eq!(answer.status, 200, "{:#}", answer.body);
    answer.body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The status of trading `refresh` for a user token.
fn refresh(api: &Api, refresh: &str) -> u16 {
    let body = json!({"provider": "realm", "data": refresh});
    api.call("POST", "/auth", "/auth", None, Some(&body)).status
}

fn passwd(url: &str, token: &str, user: &str, password: &str, extra: &[&str]) {
    run_ok_with_line(
        ros()
            .args([
                "user",
                "passwd",
                user,
                "--password-stdin",
                "--url",
                url,
                "--token",
                token,
            ])
            .args(extra),
        password,
    );
}

#[test]
fn old_refresh_tokens_fail_after_a_password_change() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let url = format!("http://{}", serving.listening.http);
    let api = Api::new(&url);
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64"))
        .unwrap()
        .trim()
        .to_string();

    // The user's own change: the other session ends, the one it came from stays.
    let stolen = login(&api, "alice", "pw1");
    let current = login(&api, "alice", "pw1");
    assert_eq!(refresh(&api, &stolen), 200);
    let change = json!({"data": {"new_password": "pw2"}});
    let changed = api.call(
        "PUT",
        "/auth/{provider}",
        "/auth/password",
        Some(&current),
        Some(&change),
    );
    assert_eq!(changed.status, 200, "{:#}", changed.body);
    assert_ne!(refresh(&api, &stolen), 200, "the old session survived");
    assert_eq!(refresh(&api, &current), 200);

    // An admin's reset through the admin API ends every session.
    let reset = api.call(
        "PUT",
        "/api/admin/v1/users/{user}/password",
        "/api/admin/v1/users/alice/password",
        Some(&admin),
        Some(&json!({"password": "pw3"})),
    );
    assert_eq!(reset.status, 200, "{:#}", reset.body);
    assert_ne!(
        refresh(&api, &current),
        200,
        "an admin reset left a session"
    );

    // `ros user passwd` ends them too, unless --keep-sessions.
    let before_cli = login(&api, "alice", "pw3");
    passwd(&url, &admin, "alice", "pw4", &[]);
    assert_ne!(refresh(&api, &before_cli), 200);
    let kept = login(&api, "alice", "pw4");
    passwd(&url, &admin, "alice", "pw5", &["--keep-sessions"]);
    assert_eq!(
        refresh(&api, &kept),
        200,
        "--keep-sessions ended the session"
    );
    login(&api, "alice", "pw5");
}
