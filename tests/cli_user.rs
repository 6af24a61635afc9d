//! Every `ros user` verb, offline on a stopped server's root and online through a
//! running server's admin API, in table and JSON output; the confirmation and
//! password rules for scripts; the exit codes.

use crate::support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};
use support::http::serve_site;
use support::{init_site, ok_json, ros};

/// Runs `ros user ARGS` with `stdin` and the target flags in `target`.
fn user(target: &[&str], args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = ros();
    cmd.arg("user").args(args).args(target);
    run_with_stdin(cmd, stdin)
}

fn run_with_stdin(mut cmd: Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn ok_table(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The user JSON of docs/cli-json.md: exactly these fields.
fn assert_user_shape(user: &Value) {
    let mut keys: Vec<&str> = user
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "accounts",
            "created_at",
            "disabled",
            "is_admin",
            "metadata",
            "user_id"
        ]
    );
}

/// Every verb against `target`, both formats; returns the id of the user left.
fn every_verb(target: &[&str], login: &dyn Fn(&str, &str) -> bool) {
    let json_target: Vec<&str> = target.iter().copied().chain(["--format", "json"]).collect();
    let added = ok_json(&user(
        &json_target,
        &["add", "alice", "--password-stdin"],
        Some("first pw\n"),
    ));
    assert_user_shape(&added);
    assert_eq!(
        added["accounts"],
        json!([{"provider": "password", "provider_id": "alice"}])
    );
    let id = added["user_id"].as_str().unwrap().to_string();
    let table = ok_table(&user(
        target,
        &["add", "bob", "--admin", "--password-stdin"],
        Some("bob pw"),
    ));
    assert!(
        table.contains("USER ID") && table.contains("bob") && table.contains("yes"),
        "{table}"
    );
    assert!(login("alice", "first pw"));

    let listed = ok_json(&user(&json_target, &["list"], None));
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["accounts"][0]["provider_id"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"alice") && names.contains(&"bob"),
        "{listed}"
    );
    let table = ok_table(&user(target, &["list"], None));
    assert!(table.contains(&id) && table.contains("bob"), "{table}");

    let by_name = ok_json(&user(&json_target, &["show", "alice"], None));
    let by_id = ok_json(&user(&json_target, &["show", &id], None));
    assert_eq!(by_name, by_id);
    assert!(ok_table(&user(target, &["show", "alice"], None)).contains(&id));

    for (verb, field, value) in [
        ("grant-admin", "is_admin", true),
        ("revoke-admin", "is_admin", false),
        ("disable", "disabled", true),
        ("enable", "disabled", false),
    ] {
        let changed = ok_json(&user(&json_target, &[verb, "alice"], None));
        assert_eq!(changed[field], value, "{verb}");
        assert!(
            ok_table(&user(target, &[verb, &id], None)).contains("alice"),
            "{verb}"
        );
        if verb == "disable" {
            assert!(!login("alice", "first pw"), "a disabled user cannot log in");
        }
    }
    ok_json(&user(
        &json_target,
        &["passwd", "alice", "--password-stdin"],
        Some("second pw\n"),
    ));
    assert!(login("alice", "second pw"));
    assert!(!login("alice", "first pw"));
    ok_table(&user(
        target,
        &["passwd", &id, "--password-stdin"],
        Some("third pw"),
    ));
    assert!(login("alice", "third pw"));

    // Without a terminal: no prompt, exit 2.
    let no_tty = user(target, &["remove", "alice"], None);
    assert_eq!(
        no_tty.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&no_tty.stderr)
    );
    assert!(String::from_utf8_lossy(&no_tty.stderr).contains("--yes"));
    let no_password = user(target, &["add", "carol"], None);
    assert_eq!(no_password.status.code(), Some(2));
    let removed = ok_json(&user(&json_target, &["remove", "alice", "--yes"], None));
    assert_eq!(removed["user"]["user_id"], id.as_str());
    assert_eq!(removed["owned_realms"], json!([]));
    assert!(!login("alice", "third pw"));
    let table = ok_table(&user(target, &["remove", "bob", "--yes"], None));
    assert!(table.contains("bob"), "{table}");
    let missing = user(target, &["show", "alice"], None);
    assert_eq!(missing.status.code(), Some(1));
}

fn offline_login(root: &Path) -> impl Fn(&str, &str) -> bool + '_ {
    move |name, password| {
        let store = ros::admin::AdminStore::open_in_root(root).unwrap();
        store.verify_password(name, password).is_ok()
    }
}

#[test]
fn every_verb_offline_and_refusal_while_a_server_runs() {
    let (_tmp, site) = init_site();
    let root = site.join("data");
    let root_arg = root.to_str().unwrap();
    every_verb(&["--root", root_arg], &offline_login(&root));
    let site_arg = site.to_str().unwrap();
    let wrong = user(&["--root", site_arg], &["list"], None);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("storage.root_path"));
    assert!(!site.join("admin.sqlite3").exists());

    let serving = serve_site(&site, &[]);
    let refused = user(&["--root", root_arg], &["list"], None);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains(&serving.child.id().to_string()), "{err}");
    assert!(serving.stop().success());
}

#[test]
fn every_verb_online_through_the_admin_api() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let url = format!("http://{}", serving.listening.http);
    let token_file = site.join("data/keys/admin_token.base64");
    let http = reqwest::blocking::Client::new();
    let login = |name: &str, password: &str| {
        http.post(format!("{url}/auth"))
            .json(&json!({"provider": "password", "username": name, "password": password, "register": false}))
            .send()
            .unwrap()
            .status()
            == 200
    };
    // --url and --token as flags.
    let token = std::fs::read_to_string(&token_file)
        .unwrap()
        .trim()
        .to_string();
    every_verb(&["--url", &url, "--token", &token], &login);

    // ROS_URL and ROS_TOKEN_FILE from the environment.
    let mut cmd = ros();
    cmd.args(["user", "list", "--format", "json"])
        .env("ROS_URL", &url)
        .env("ROS_TOKEN_FILE", &token_file);
    assert!(ok_json(&run_with_stdin(cmd, None)).is_array());
    // Nothing given: the local configuration's server (port 0, read from its lock)
    // and admin token file.
    let mut cmd = ros();
    cmd.args(["user", "add", "zoe", "--password-stdin", "--config"])
        .arg(site.join("configuration.yml"))
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0");
    let added = run_with_stdin(cmd, Some("zoe pw"));
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(login("zoe", "zoe pw"));
    // A wrong token: the server refuses, exit 1; no server: exit 3.
    let refused = user(&["--url", &url, "--token", "nope"], &["list"], None);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("611"));
    assert!(serving.stop().success());
    let unreachable = user(&["--url", &url, "--token", &token], &["list"], None);
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&unreachable.stderr)
    );
}
