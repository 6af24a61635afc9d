//! The admin token file: made once with mode 0600, reused, read in the 3.x form too,
//! and rotated with the old token revoked.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, UNIX_EPOCH};

use aws_lc_rs::rsa::{KeyPair, KeySize};
use ros::admin::{AdminStore, TokenRejected};
use ros::token::{
    ensure_admin_token, read_admin_token, AdminTokenError, TokenKind, TokenSigner, ADMIN_JSON_FILE,
    ADMIN_TOKEN_FILE,
};

fn signer() -> TokenSigner {
    TokenSigner::new(KeyPair::generate(KeySize::Rsa2048).unwrap())
}

fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn first_use_creates_a_private_admin_token_file() {
    let root = tempfile::tempdir().unwrap();
    let signer = signer();
    let token = ensure_admin_token(root.path(), &signer).unwrap();
    let file = root.path().join(ADMIN_TOKEN_FILE);
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&root.path().join("keys")), 0o700);
    assert_eq!(fs::read_to_string(&file).unwrap(), format!("{token}\n"));
    let claims = signer
        .verifier()
        .unwrap()
        .verify_kind(&token, TokenKind::Admin, UNIX_EPOCH)
        .unwrap();
    assert!(claims.is_admin());
    assert_eq!(claims.expires(), None);
    assert_eq!(claims.path(), None);
    let leftovers: Vec<_> = fs::read_dir(root.path().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["admin_token.base64"]);
}

#[test]
fn second_use_returns_the_same_token() {
    let root = tempfile::tempdir().unwrap();
    let signer = signer();
    let first = ensure_admin_token(root.path(), &signer).unwrap();
    let second = ensure_admin_token(root.path(), &signer).unwrap();
    assert_eq!(first, second);
    assert_eq!(read_admin_token(root.path()).unwrap(), Some(first));
}

#[test]
fn the_3x_admin_json_is_read_and_not_duplicated() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("keys")).unwrap();
    fs::write(
        root.path().join(ADMIN_JSON_FILE),
        "{\n    \"ADMIN_TOKEN\": \"abc:def\"\n}",
    )
    .unwrap();
    assert_eq!(
        ensure_admin_token(root.path(), &signer()).unwrap(),
        "abc:def"
    );
    assert!(!root.path().join(ADMIN_TOKEN_FILE).exists());
}

#[test]
fn unreadable_token_files_are_errors() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("keys")).unwrap();
    fs::write(root.path().join(ADMIN_JSON_FILE), r#"{"TOKEN": "x"}"#).unwrap();
    assert!(matches!(
        read_admin_token(root.path()),
        Err(AdminTokenError::Json { .. })
    ));
    fs::write(root.path().join(ADMIN_TOKEN_FILE), "\n").unwrap();
    assert!(matches!(
        ensure_admin_token(root.path(), &signer()),
        Err(AdminTokenError::Empty { .. })
    ));
}

#[test]
fn rotation_replaces_the_file_and_revokes_the_old_token() {
    let root = tempfile::tempdir().unwrap();
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let store = AdminStore::open_in_root(root.path()).unwrap();
    let now = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let old = ensure_admin_token(root.path(), &signer).unwrap();
    assert!(store.check_token(&verifier, &old, now).is_ok());

    let new = store.rotate_admin_token(root.path(), &signer, now).unwrap();
    assert_ne!(new, old);
    assert_eq!(read_admin_token(root.path()).unwrap(), Some(new.clone()));
    assert_eq!(mode(&root.path().join(ADMIN_TOKEN_FILE)), 0o600);
    assert!(matches!(
        store.check_token(&verifier, &old, now),
        Err(TokenRejected::Revoked)
    ));
    assert_eq!(
        store.check_token(&verifier, &new, now).unwrap().0.kind(),
        TokenKind::Admin
    );
    // Its signature is still good: only the store knows it is revoked.
    assert!(verifier.verify(&old, now).is_ok());
}

#[test]
fn rotation_rewrites_a_3x_admin_json_too() {
    let root = tempfile::tempdir().unwrap();
    let signer = signer();
    let store = AdminStore::open_in_root(root.path()).unwrap();
    fs::create_dir(root.path().join("keys")).unwrap();
    let json_path = root.path().join(ADMIN_JSON_FILE);
    fs::write(&json_path, "{\"ADMIN_TOKEN\": \"old:token\"}").unwrap();
    let new = store
        .rotate_admin_token(root.path(), &signer, UNIX_EPOCH)
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(json, serde_json::json!({ "ADMIN_TOKEN": new }));
    assert_eq!(mode(&json_path), 0o600);
}
