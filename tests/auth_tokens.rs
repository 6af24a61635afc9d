//! Which tokens a real server refuses: expired, tampered, signed by another key,
//! revoked, of a disabled user, of a removed user; a token signed before a key
//! rotation still verifies through `auth.previous_public_key_paths`; and failed
//! logins are throttled per username and per client address, then recover.

use crate::support;

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::json;
use support::http::{serve_site, Answer, Api};
use support::{init_site, ros, run};

use ros::token::{Access, Claims, Identity, TokenForm, TokenSigner};

fn signer(key: &Path) -> TokenSigner {
    TokenSigner::new(ros::keys::PrivateKey::read(key).unwrap().into_key_pair())
}

fn login(api: &Api, name: &str, password: &str) -> Answer {
    let body = json!({"provider": "password", "username": name, "password": password});
    api.call("POST", "/auth", "/auth", None, Some(&body))
}

fn whoami(api: &Api, id: &str, token: &str) -> Answer {
    api.call(
        "GET",
        "/auth/users/{user_id}",
        &format!("/auth/users/{id}"),
        Some(token),
        None,
    )
}

fn access(api: &Api, refresh: &str) -> u16 {
    let body = json!({"provider": "realm", "data": refresh, "path": "/~/x"});
    api.call("POST", "/auth", "/auth", None, Some(&body)).status
}

#[test]
fn refused_tokens_and_key_rotation() {
    let (tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64")).unwrap();
    let admin = admin.trim();
    let answer = login(&api, "alice", "pw");
    let alice = answer.body["refresh_token"]["token_data"]["identity"]
        .as_str()
        .unwrap()
        .to_string();
    let refresh = answer.body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(whoami(&api, &alice, &refresh).status, 200);
    let id = alice.parse().unwrap();

    // Expired (signed with the server's own key), tampered, and signed by another key.
    let own_key = signer(&site.join("keys/auth.key"));
    let old = SystemTime::now() - Duration::from_secs(7200);
    let expired = own_key
        .sign(
            &Claims::access(
                Identity::User(id),
                None,
                Access::NONE,
                old,
                Duration::from_secs(60),
            ),
            TokenForm::Legacy,
        )
        .unwrap();
    let (payload, signature) = refresh.split_once(':').unwrap();
    let mut chars: Vec<char> = payload.chars().collect();
    chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
    let tampered = format!("{}:{signature}", chars.into_iter().collect::<String>());
    let other_key = TokenSigner::new(
        aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap(),
    );
    let foreign = other_key
        .sign(
            &Claims::access(
                Identity::User(id),
                None,
                Access::NONE,
                SystemTime::now(),
                Duration::from_secs(600),
            ),
            TokenForm::Legacy,
        )
        .unwrap();
    for (token, why) in [
        (&expired, "expired"),
        (&tampered, ""),
        (&foreign, "signature"),
    ] {
        let refused = whoami(&api, &alice, token);
        assert_eq!((refused.status, refused.code()), (401, 611), "{why}");
        assert!(
            refused.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(why),
            "{:#}",
            refused.body
        );
    }

    // Disabled: refused until enabled again. Revoked: refused for good.
    let patch = |disabled: bool| {
        let body = json!({"disabled": disabled});
        api.call(
            "PATCH",
            "/api/admin/v1/users/{user}",
            &format!("/api/admin/v1/users/{alice}"),
            Some(admin),
            Some(&body),
        )
    };
    patch(true);
    assert_eq!(whoami(&api, &alice, &refresh).status, 401);
    assert_eq!(access(&api, &refresh), 403);
    patch(false);
    assert_eq!(whoami(&api, &alice, &refresh).status, 200);
    let second = login(&api, "alice", "pw").body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"token": second});
    api.call(
        "POST",
        "/auth/revoke",
        "/auth/revoke",
        Some(admin),
        Some(&body),
    );
    assert_eq!(whoami(&api, &alice, &second).status, 403);
    assert_eq!(
        whoami(&api, &alice, &refresh).status,
        200,
        "revoking one login leaves the other"
    );
    assert!(serving.stop().success());

    // Rotate the signing key; the old public key stays accepted as a previous key.
    let keys2 = tmp.path().join("keys2");
    assert!(
        run(ros().args(["token", "keygen", "--out-dir"]).arg(&keys2))
            .status
            .success()
    );
    let old_pub = site.join("keys/auth.pub");
    let rotated_env = [
        ("ROS_AUTH__PRIVATE_KEY_PATH", keys2.join("auth.key")),
        ("ROS_AUTH__PUBLIC_KEY_PATH", keys2.join("auth.pub")),
        ("ROS_AUTH__PREVIOUS_PUBLIC_KEY_PATHS", old_pub.clone()),
    ];
    let env: Vec<(&str, &str)> = rotated_env
        .iter()
        .map(|(k, v)| (*k, v.to_str().unwrap()))
        .collect();
    let serving = serve_site(&site, &env);
    let api = Api::new(format!("http://{}", serving.listening.http));
    assert_eq!(
        whoami(&api, &alice, &refresh).status,
        200,
        "signed before the rotation"
    );
    assert_eq!(access(&api, &refresh), 200);
    assert_eq!(
        whoami(&api, &alice, admin).status,
        200,
        "the admin token too"
    );
    assert!(serving.stop().success());
    // Without the previous key, tokens of the old key are refused.
    let serving = serve_site(&site, &env[..2]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    assert_eq!(whoami(&api, &alice, &refresh).status, 401);
    // Removed user: every token of theirs is refused.
    let fresh = login(&api, "alice", "pw").body["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let new_admin = own_key_admin(&keys2.join("auth.key"));
    api.call(
        "DELETE",
        "/api/admin/v1/users/{user}",
        "/api/admin/v1/users/alice",
        Some(&new_admin),
        None,
    );
    assert_eq!(whoami(&api, &alice, &fresh).status, 401);
    assert_eq!(access(&api, &fresh), 403);
    assert!(serving.stop().success());
}

/// An admin token signed with `key` (the file's token is of the old key).
fn own_key_admin(key: &Path) -> String {
    signer(key)
        .sign(&Claims::admin(), TokenForm::Legacy)
        .unwrap()
}

#[test]
fn failed_logins_are_throttled_per_account_and_address_and_recover() {
    let (_tmp, site) = init_site();
    let serving = serve_site(
        &site,
        &[
            ("ROS_AUTH__LOGIN_THROTTLE__ACCOUNT_FAILURES", "2"),
            ("ROS_AUTH__LOGIN_THROTTLE__ADDRESS_FAILURES", "3"),
            ("ROS_AUTH__LOGIN_THROTTLE__WINDOW", "10s"),
            ("ROS_NETWORK__TRUSTED_PROXIES", "127.0.0.1"),
        ],
    );
    let api = Api::new(format!("http://{}", serving.listening.http));
    assert_eq!(login(&api, "carl", "right").status, 200);
    assert_eq!(login(&api, "carl", "wrong").status, 401);
    assert_eq!(login(&api, "carl", "wrong").status, 401);
    // Past the allowance even the right password gets 429, a plain problem.
    let blocked = login(&api, "carl", "right");
    assert_eq!((blocked.status, blocked.code()), (429, 0));
    assert!(blocked.body.get("type").is_none());
    let retry: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "{retry}");
    // One more failure for another name uses up the address's allowance.
    assert_eq!(login(&api, "dan", "x").status, 200, "dan registers");
    let body =
        json!({"provider": "password", "username": "dan", "password": "bad", "register": false});
    assert_eq!(
        api.call("POST", "/auth", "/auth", None, Some(&body)).status,
        401
    );
    assert_eq!(
        login(&api, "erin", "pw").status,
        429,
        "the address is blocked"
    );
    // From a trusted proxy, X-Forwarded-For names another client, who is not blocked.
    let forwarded = api.send(
        api.client()
            .post(format!("{}/auth", api.base))
            .header("X-Forwarded-For", "203.0.113.9")
            .json(&json!({"provider": "password", "username": "erin", "password": "pw"})),
        "/auth",
        "post",
    );
    assert_eq!(forwarded.status, 200);
    // When the window has passed, carl logs in again.
    let mut status = 429;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_secs(retry));
        status = login(&api, "carl", "right").status;
        if status != 429 {
            break;
        }
    }
    assert_eq!(status, 200);
    assert!(serving.stop().success());
}
