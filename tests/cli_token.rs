//! Every `ros token` verb in table and JSON output: key pairs, the admin token and
//! its rotation on a running server, minted tokens of both forms verified by the
//! `openssl` command line with the public key alone, and `inspect`'s exit codes.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use support::http::serve_site;
use support::{init_site, ros, run};

fn token(site: &Path, args: &[&str]) -> Output {
    run(ros()
        .arg("token")
        .args(args)
        .arg("--config")
        .arg(site.join("configuration.yml")))
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json_out(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap()
}

fn openssl_verifies(dir: &Path, public_pem: &Path, data: &[u8], signature: &[u8]) -> bool {
    std::fs::write(dir.join("data.bin"), data).unwrap();
    std::fs::write(dir.join("sig.bin"), signature).unwrap();
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(["dgst", "-sha256", "-verify"])
        .arg(public_pem)
        .args(["-signature", "sig.bin", "data.bin"])
        .output()
        .expect("the openssl command line tool must be installed to run this test");
    output.status.success() && String::from_utf8_lossy(&output.stdout).trim() == "Verified OK"
}

/// The signed bytes and signature of either form.
fn signed_parts(token: &str) -> (Vec<u8>, Vec<u8>) {
    match token.split_once(':') {
        Some((payload, sig)) => (
            STANDARD.decode(payload).unwrap(),
            STANDARD.decode(sig).unwrap(),
        ),
        None => {
            let (signed, sig) = token.rsplit_once('.').unwrap();
            (
                signed.as_bytes().to_vec(),
                URL_SAFE_NO_PAD.decode(sig).unwrap(),
            )
        }
    }
}

#[test]
fn keygen_writes_a_private_and_a_public_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-keys");
    let out = run(ros()
        .args(["token", "keygen", "--format", "json", "--out-dir"])
        .arg(&dir));
    let files = json_out(&out);
    let private = dir.join("auth.key");
    assert_eq!(files["private_key"], private.to_str().unwrap());
    assert_eq!(
        std::fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(std::fs::read_to_string(dir.join("auth.pub"))
        .unwrap()
        .contains("BEGIN PUBLIC KEY"));
    let again = run(ros().args(["token", "keygen", "--out-dir"]).arg(&dir));
    assert_eq!(
        again.status.code(),
        Some(1),
        "existing keys are not replaced"
    );
    let table = stdout(&run(ros()
        .args(["token", "keygen", "--force", "--out-dir"])
        .arg(&dir)));
    assert!(
        table.contains("auth.key") && table.contains("0600"),
        "{table}"
    );
}

#[test]
fn created_tokens_verify_with_openssl_and_inspect() {
    let (tmp, site) = init_site();
    let public = site.join("keys/auth.pub");
    for extra in [&[][..], &["--jwt"][..]] {
        let args: Vec<&str> = [
            "create",
            "--identity",
            "someone",
            "--path",
            "/someone/x",
            "--access",
            "download,manage",
            "--expires-in",
            "1h",
            "--format",
            "json",
        ]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
        let created = json_out(&token(&site, &args));
        let text = created["token"].as_str().unwrap();
        assert_eq!(created["claims"]["access"], json!(["download", "manage"]));
        assert_eq!(created["claims"]["path"], "/someone/x");
        let (data, sig) = signed_parts(text);
        assert!(
            openssl_verifies(tmp.path(), &public, &data, &sig),
            "openssl: {extra:?}"
        );
        let mut bad = data.clone();
        bad[5] ^= 1;
        assert!(!openssl_verifies(tmp.path(), &public, &bad, &sig));

        let inspected = json_out(&token(&site, &["inspect", text, "--format", "json"]));
        assert_eq!(inspected["valid"], true);
        assert_eq!(inspected["claims"]["identity"], "someone");
        let table = stdout(&token(&site, &["inspect", text]));
        assert!(
            table.contains("someone") && table.contains("valid"),
            "{table}"
        );
    }
    // The table form of create is the token alone, for $(...) in scripts.
    let plain = stdout(&token(
        &site,
        &["create", "--identity", "__admin", "--expires-in", "never"],
    ));
    assert_eq!(plain.trim().lines().count(), 1);
    let never = json_out(&token(
        &site,
        &["inspect", plain.trim(), "--format", "json"],
    ));
    assert_eq!(
        (
            never["claims"]["kind"].clone(),
            never["claims"]["expires"].clone()
        ),
        (json!("admin"), Value::Null)
    );
    let jwt_never = token(
        &site,
        &[
            "create",
            "--identity",
            "x",
            "--jwt",
            "--expires-in",
            "never",
        ],
    );
    assert_eq!(jwt_never.status.code(), Some(1), "a JWT needs an expiry");

    // Tampered, expired and foreign-key tokens: exit 1, with the reason.
    let (_, sig) = plain.trim().split_once(':').unwrap();
    let forged = format!(
        "{}:{sig}",
        STANDARD.encode(br#"{"identity":"__admin","salt":"00000000"}"#)
    );
    let key = ros::keys::PrivateKey::read(&site.join("keys/auth.key")).unwrap();
    let signer = ros::token::TokenSigner::new(key.into_key_pair());
    let old = SystemTime::now() - Duration::from_secs(7200);
    let claims = ros::token::Claims::access(
        ros::token::Identity::Admin,
        None,
        ros::token::Access::ALL,
        old,
        Duration::from_secs(60),
    );
    let expired = signer.sign(&claims, ros::token::TokenForm::Legacy).unwrap();
    for (bad, why) in [
        (forged.as_str(), "signature"),
        (expired.as_str(), "expired"),
    ] {
        let out = token(&site, &["inspect", "--format", "json", bad]);
        assert_eq!(out.status.code(), Some(1));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["valid"], false);
        assert!(report["error"].as_str().unwrap().contains(why), "{report}");
    }
    let other = ros::keys::generate().unwrap();
    std::fs::write(tmp.path().join("other.pub"), other.public_pem).unwrap();
    let with_other = run(ros()
        .args(["token", "inspect", plain.trim(), "--public-key"])
        .arg(tmp.path().join("other.pub")));
    assert_eq!(with_other.status.code(), Some(1));
    let mut stdin_cmd = ros();
    stdin_cmd
        .args(["token", "inspect", "-", "--config"])
        .arg(site.join("configuration.yml"));
    stdin_cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = stdin_cmd.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), plain.as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
}

#[test]
fn admin_token_acts_as_admin_until_rotated_and_refresh_tokens_work() {
    let (_tmp, site) = init_site();
    let serving = serve_site(&site, &[]);
    let url = format!("http://{}", serving.listening.http);
    let http = reqwest::blocking::Client::new();
    let users = |token: &str| {
        http.get(format!("{url}/api/admin/v1/users"))
            .header("Authorization", token)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    let first = stdout(&token(&site, &["admin"])).trim().to_string();
    let path = site.join("data/keys/admin_token.base64");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let file = std::fs::read_to_string(&path).unwrap();
    assert_eq!(first, file.trim());
    assert_eq!(
        json_out(&token(&site, &["admin", "--format", "json"]))["token"],
        first.as_str()
    );
    assert_eq!(users(&first), 200);

    let rotated = json_out(&token(&site, &["admin", "--rotate", "--format", "json"]));
    let second = rotated["token"].as_str().unwrap();
    assert_ne!(second, first);
    assert_eq!(
        users(&first),
        403,
        "the old admin token is revoked on the running server"
    );
    assert_eq!(users(second), 200);

    // A refresh token minted for an existing user buys access tokens.
    let created = http
        .post(format!("{url}/api/admin/v1/users"))
        .header("Authorization", second)
        .json(&json!({"username": "ann", "password": "pw"}))
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap();
    let id = created["user_id"].as_str().unwrap();
    let refresh = stdout(&token(&site, &["create", "--identity", id, "--refresh"]));
    let access = http
        .post(format!("{url}/auth"))
        .json(&json!({"provider": "realm", "data": refresh.trim(), "path": "/~/notes"}))
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap();
    assert_eq!(
        access["access_token"]["token_data"]["path"],
        format!("/{id}/notes")
    );
    let not_a_user = token(&site, &["create", "--identity", "someone", "--refresh"]);
    assert_eq!(not_a_user.status.code(), Some(1));
    assert!(serving.stop().success());
}
