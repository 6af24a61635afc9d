//! Every `ros permission` and `ros realm` verb, offline on a stopped server's root
//! and online through a running server's admin API (with the admin token and with
//! a user's own token), in JSON and table output, with their exit codes.

use crate::support;

use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};
use support::http::serve_site;
use support::{init_site, ok_json, ros};

fn cmd(target: &[&str], args: &[&str]) -> Output {
    let mut cmd = ros();
    cmd.args(args).args(target);
    cmd.stdin(Stdio::null());
    run(cmd)
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("running ros")
}

fn json(target: &[&str], args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    ok_json(&cmd(target, &all))
}

fn table(target: &[&str], args: &[&str]) -> String {
    let out = cmd(target, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn failure(target: &[&str], args: &[&str]) -> (i32, String) {
    let out = cmd(target, args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Adds a password user (offline or online, as `target` says) and returns its id.
fn add_user(target: &[&str], name: &str) -> String {
    let mut c = ros();
    c.args(["user", "add", name, "--password-stdin", "--format", "json"])
        .args(target)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"pw").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    ok_json(&out)["user_id"].as_str().unwrap().to_string()
}

fn flags(entry: &Value) -> (bool, bool, bool) {
    (
        entry["may_read"].as_bool().unwrap(),
        entry["may_write"].as_bool().unwrap(),
        entry["may_manage"].as_bool().unwrap(),
    )
}

/// Every verb, as an admin (the admin token online, the operator offline).
fn every_verb(target: &[&str]) {
    let alice = add_user(target, "alice");
    let bob = add_user(target, "bob");
    add_user(target, "carol");
    let tasks = format!("/{alice}/tasks");
    let p = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["permission".to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        all
    };
    let run_json = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        json(target, &refs)
    };

    // grant: registers the Realm in alice's home, owned by her.
    let granted = run_json(p(&["grant", "bob", &tasks, "--read"]));
    assert_eq!(granted["status_code"], 0);
    assert_eq!(granted["permissions"][0]["user"], bob.as_str());
    assert_eq!(flags(&granted["permissions"][0]), (true, false, false));
    let more = run_json(p(&["grant", &bob, &tasks, "--write", "--manage"]));
    assert_eq!(flags(&more["permissions"][0]), (true, true, true));
    let less = run_json(p(&["grant", "bob", &tasks, "--no-manage"]));
    assert_eq!(flags(&less["permissions"][0]), (true, true, false));
    let default = run_json(p(&["grant", "*", &tasks, "--read"]));
    assert_eq!(default["permissions"][0]["user"], "*");
    // Write-only and unknown users: exit 1, nothing changed.
    let (code, err) = failure(target, &["permission", "grant", "bob", &tasks, "--no-read"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("write-only"), "{err}");
    let (code, err) = failure(target, &["permission", "grant", "nobody", &tasks, "--read"]);
    assert_eq!(code, 1);
    assert!(err.contains("nobody"), "{err}");
    let (code, err) = failure(target, &["permission", "grant", "bob", "/a/../b", "--read"]);
    assert_eq!(code, 1);
    assert!(err.contains(".."), "{err}");

    // list, filtered by Realm and by user; the table names the default entry.
    let all = run_json(p(&["list", "--realm", &tasks]));
    let list = all["permissions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["user"].as_str(), flags(&list[1])),
        (Some("*"), (true, true, false))
    );
    let bobs = run_json(p(&["list", "--user", "bob"]));
    assert_eq!(bobs["permissions"].as_array().unwrap().len(), 1);
    let shown = table(target, &["permission", "list"]);
    assert!(
        shown.contains("* (default)") && shown.contains(&tasks),
        "{shown}"
    );

    // realm list and show.
    let realms = json(target, &["realm", "list"]);
    assert_eq!(
        realms,
        json!([{"realm": tasks, "owner": alice, "created_at": realms[0]["created_at"]}])
    );
    let by_owner = json(target, &["realm", "list", "--owner", "bob"]);
    assert_eq!(by_owner, json!([]));
    let details = json(target, &["realm", "show", &tasks]);
    assert_eq!(details["owner"], alice.as_str());
    assert_eq!(details["permissions"].as_array().unwrap().len(), 2);
    let (code, _) = failure(target, &["realm", "show", &format!("/{alice}/none")]);
    assert_eq!(code, 1);
    assert!(table(target, &["realm", "show", &tasks]).contains("OWNER"));

    // revoke: the entry goes; a second revoke reports there was none.
    let revoked = run_json(p(&["revoke", "bob", &tasks]));
    assert_eq!(
        revoked,
        json!({"realm": tasks, "user": bob, "removed": true})
    );
    let again = run_json(p(&["revoke", "bob", &tasks]));
    assert_eq!(again["removed"], false);

    // offers: create, accept (for a named user), list, revoke, accept refused.
    let offer = run_json(p(&[
        "offer",
        "create",
        &tasks,
        "--read",
        "--write",
        "--expires-in",
        "1h",
    ]));
    let token = offer["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 32);
    assert!(offer["expires_at"].is_string());
    let accepted = run_json(p(&["offer", "accept", &token, "--user", "carol"]));
    assert_eq!(
        accepted,
        json!({"realm": tasks, "may_read": true, "may_write": true, "may_manage": false, "first_time": true})
    );
    let twice = run_json(p(&["offer", "accept", &token, "--user", "carol"]));
    assert_eq!(twice["first_time"], false);
    let offers = run_json(p(&["offer", "list"]));
    assert_eq!(offers.as_array().unwrap().len(), 1);
    assert_eq!(offers[0]["accepted_by"].as_array().unwrap().len(), 1);
    let revoked = run_json(p(&["offer", "revoke", &token]));
    assert!(revoked["revoked_at"].is_string());
    let (code, err) = failure(
        target,
        &["permission", "offer", "accept", &token, "--user", "bob"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("revoked"), "{err}");
    let (code, _) = failure(
        target,
        &["permission", "offer", "create", &tasks, "--write"],
    );
    assert_eq!(code, 1, "write-only offer");
    let (code, _) = failure(
        target,
        &[
            "permission",
            "offer",
            "create",
            &tasks,
            "--read",
            "--expires-in",
            "soon",
        ],
    );
    assert_eq!(code, 2, "bad duration is a usage error");
    let (code, _) = failure(
        target,
        &["permission", "offer", "accept", "xyz", "--user", "bob"],
    );
    assert_eq!(code, 2, "malformed token is a usage error");
    assert!(table(target, &["permission", "offer", "list"]).contains("revoked"));
}

#[test]
fn every_verb_offline() {
    let (_tmp, site) = init_site();
    let root = site.join("data");
    let root_arg = root.to_str().unwrap();
    every_verb(&["--root", root_arg]);
    // Offline, accepting needs --user: there is no token to name one.
    let (code, err) = failure(
        &["--root", root_arg],
        &["permission", "offer", "accept", &"0".repeat(32)],
    );
    assert_eq!(code, 1);
    assert!(err.contains("user"), "{err}");
}

#[test]
fn every_verb_online_and_as_a_user() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let url = format!("http://{}", serving.listening.http);
    let admin = std::fs::read_to_string(site.join("data/keys/admin_token.base64"))
        .unwrap()
        .trim()
        .to_string();
    let as_admin = ["--url", url.as_str(), "--token", admin.as_str()];
    every_verb(&as_admin);

    // A user's own token: they manage their own Realm, nobody else's.
    let dave = add_user(&as_admin, "dave");
    let login = reqwest::blocking::Client::new()
        .post(format!("{url}/auth"))
        .json(&json!({"provider": "password", "username": "dave", "password": "pw"}))
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap();
    let refresh = login["refresh_token"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let as_dave = ["--url", url.as_str(), "--token", refresh.as_str()];
    let mine = format!("/{dave}/notes");
    let granted = json(&as_dave, &["permission", "grant", "bob", &mine, "--read"]);
    assert_eq!(granted["status_code"], 0);
    let (code, err) = failure(
        &as_dave,
        &["permission", "grant", "dave", "/elsewhere", "--read"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("617") || err.contains("614"), "{err}");
    let offer = json(
        &as_dave,
        &["permission", "offer", "create", &mine, "--read"],
    );
    let token = offer["token"].as_str().unwrap();
    // The admin accepts for carol; dave cannot accept for someone else.
    let (code, err) = failure(
        &as_dave,
        &["permission", "offer", "accept", token, "--user", "carol"],
    );
    assert_eq!(code, 1, "{err}");
    let accepted = json(
        &as_admin,
        &["permission", "offer", "accept", token, "--user", "carol"],
    );
    assert_eq!(accepted["realm"], mine.as_str());
    // dave sees his Realm and his offer only.
    let realms = json(&as_dave, &["realm", "list"]);
    assert_eq!(realms.as_array().unwrap().len(), 1);
    assert_eq!(
        json(&as_dave, &["permission", "offer", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    assert!(serving.stop().success());
    let (code, _) = failure(&as_admin, &["realm", "list"]);
    assert_eq!(code, 3, "no server: exit 3");
}
