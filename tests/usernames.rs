//! Weakness 4 of issue 17: usernames are stored in NFC; control, invisible and
//! reserved forms are refused with the reason; look-alikes of an existing name
//! (case, width, composition) are refused at every door and log in as the one
//! name; look-alikes stored before the rule are flagged in `ros user list`.

use crate::support;

use serde_json::{json, Value};
use support::http::{serve_site, Answer, Api};
use support::{init_site, ok_json, ros, run, run_ok_with_line};

fn register(api: &Api, name: &str) -> Answer {
    let body =
        json!({"provider": "password", "username": name, "password": "pw", "register": true});
    api.call("POST", "/auth", "/auth", None, Some(&body))
}

/// The refusal's reason for the `username` parameter.
fn refusal(answer: &Answer) -> String {
    assert_eq!(
        (answer.status, answer.code()),
        (400, 601),
        "{:#}",
        answer.body
    );
    assert_eq!(answer.body["invalid_params"][0]["name"], "username");
    answer.body["invalid_params"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn bad_and_look_alike_usernames_are_refused_with_the_reason() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let api = Api::new(format!("http://{}", serving.listening.http));
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64")).unwrap();
    let admin = Some(admin.trim());

    let alice = register(&api, "alice");
    assert_eq!(alice.status, 200, "{:#}", alice.body);
    let alice_id = alice.body["refresh_token"]["token_data"]["identity"]
        .as_str()
        .unwrap()
        .to_string();
    let long = "x".repeat(90_000);
    for (name, why) in [
        ("evil\u{1b}]0;title\u{7}", "control, invisible"),
        ("del\u{7f}", "control, invisible"),
        ("two\nlines", "control, invisible"),
        ("nul\0inside", "control, invisible"),
        ("al\u{200b}ice", "control, invisible"),
        ("*", "reserved"),
        ("~", "reserved"),
        (alice_id.as_str(), "user id"),
        (long.as_str(), "at most 128 characters"),
        ("Alice", "looks like the existing username \"alice\""),
        ("ＡＬＩＣＥ", "looks like the existing username \"alice\""),
    ] {
        let reason = refusal(&register(&api, name));
        assert!(reason.contains(why), "{name:?}: {reason}");
        let created = api.call(
            "POST",
            "/api/admin/v1/users",
            "/api/admin/v1/users",
            admin,
            Some(&json!({"username": name, "password": "pw"})),
        );
        let reason = refusal(&created);
        assert!(reason.contains(why), "admin API {name:?}: {reason}");
    }

    // Composed and decomposed are one name, stored composed.
    let composed = register(&api, "jos\u{e9}");
    assert_eq!(composed.status, 200, "{:#}", composed.body);
    let reason = refusal(&register(&api, "JOSE\u{301}"));
    assert!(reason.contains("looks like"), "{reason}");
    let decomposed_login = api.call(
        "POST",
        "/auth",
        "/auth",
        None,
        Some(&json!({"provider": "password", "username": "jose\u{301}", "password": "pw"})),
    );
    assert_eq!(decomposed_login.status, 200, "{:#}", decomposed_login.body);

    // A look-alike logs in as the one name.
    let shouted = api.call(
        "POST",
        "/auth",
        "/auth",
        None,
        Some(&json!({"provider": "password", "username": "ALICE", "password": "pw"})),
    );
    assert_eq!(shouted.status, 200, "{:#}", shouted.body);
    assert_eq!(
        shouted.body["refresh_token"]["token_data"]["identity"],
        alice_id.as_str()
    );
}

fn add(root: &str, name: &str) {
    run_ok_with_line(
        ros().args(["user", "add", name, "--password-stdin", "--root", root]),
        "pw",
    );
}

#[test]
fn look_alikes_stored_before_the_rule_are_flagged_not_merged() {
    let (_tmp, site) = init_site();
    let root = site.join("data");
    let root_arg = root.to_str().unwrap();
    add(root_arg, "bob");
    add(root_arg, "carol");
    add(root_arg, "dave");
    // An older server stored "Bob" beside "bob", without a look-alike key.
    let db = rusqlite::Connection::open(root.join("admin.sqlite3")).unwrap();
    db.execute(
        "UPDATE accounts SET provider_id = 'Bob', name_key = NULL WHERE provider_id = 'carol'",
        [],
    )
    .unwrap();
    drop(db);

    let listed = ok_json(&run(
        ros().args(["user", "list", "--format", "json", "--root", root_arg])
    ));
    let flagged: Vec<(&str, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["accounts"][0]["provider_id"].as_str().unwrap(),
                u.get("lookalike_username") == Some(&Value::Bool(true)),
            )
        })
        .collect();
    assert_eq!(flagged.len(), 3, "nothing was merged: {listed:#}");
    for (name, flag) in flagged {
        assert_eq!(flag, name != "dave", "{name}: {listed:#}");
    }
}
