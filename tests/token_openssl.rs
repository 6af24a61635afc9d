//! Our signatures are standard RSA-SHA256 (PKCS#1 v1.5): the `openssl` command line
//! verifies them. And realm-core's own legacy test token (docs/protocol.md
//! §11.3) verifies with our verifier.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use aws_lc_rs::rsa::{KeyPair, KeySize};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ros::token::{
    Access, Claims, Identity, Right, TokenForm, TokenKind, TokenSigner, TokenVerifier, VerifyError,
};

fn openssl_verifies(dir: &Path, public_pem: &str, data: &[u8], signature: &[u8]) -> bool {
    std::fs::write(dir.join("pub.pem"), public_pem).unwrap();
    std::fs::write(dir.join("data.bin"), data).unwrap();
    std::fs::write(dir.join("sig.bin"), signature).unwrap();
    let output = Command::new("openssl")
        .current_dir(dir)
        .args([
            "dgst",
            "-sha256",
            "-verify",
            "pub.pem",
            "-signature",
            "sig.bin",
            "data.bin",
        ])
        .output()
        .expect("the openssl command line tool must be installed to run this test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    match (output.status.success(), stdout.trim()) {
        (true, "Verified OK") => true,
        (false, "Verification failure") => false,
        _ => panic!("unexpected openssl answer: {output:?}"),
    }
}

fn claims() -> Claims {
    let user = "65f1c0de2a9b4c0012345678".parse().unwrap();
    Claims::access(
        Identity::User(user),
        Some("/p".into()),
        Access::ALL,
        UNIX_EPOCH + Duration::from_secs(1_790_000_000),
        Duration::from_secs(600),
    )
}

#[test]
fn openssl_verifies_our_signatures_in_both_forms() {
    let dir = tempfile::tempdir().unwrap();
    let signer = TokenSigner::new(KeyPair::generate(KeySize::Rsa2048).unwrap());
    let pem = pem::encode(&pem::Pem::new(
        "PUBLIC KEY",
        signer.public_key_der().unwrap(),
    ));

    let legacy = signer.sign(&claims(), TokenForm::Legacy).unwrap();
    let (payload, signature) = legacy.split_once(':').unwrap();
    let json = STANDARD.decode(payload).unwrap();
    let signature = STANDARD.decode(signature).unwrap();
    assert!(openssl_verifies(dir.path(), &pem, &json, &signature));
    // Signed are the JSON bytes, not their base64 text.
    assert!(!openssl_verifies(
        dir.path(),
        &pem,
        payload.as_bytes(),
        &signature
    ));

    let jwt = signer.sign(&claims(), TokenForm::Jwt).unwrap();
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    assert!(openssl_verifies(
        dir.path(),
        &pem,
        signed.as_bytes(),
        &signature
    ));
    let mut altered = signed.as_bytes().to_vec();
    altered[5] ^= 1;
    assert!(!openssl_verifies(dir.path(), &pem, &altered, &signature));
}

const REALM_CORE_TEST_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3Rml+lxaRRJhQRak6kSC
/mXLFE6QOoX+fIZ+0nzZLvSZpa5lfhdPSm2DrCX+zs8pY1cupZ4tAWJxe4m91f04
bow3jnxd2s4UkXAxPBZUQEW0ZhUhNzbvwVht03fqIGi+tMDn4R0cxrtCFvkFwJ1g
S+fLHOpesdg51taGNWiAFW73yWYwVGHY0x+0GsRNL5UjSZ1nnajt29CUK7QdA2gp
tPwGShY/T8VaEPmLuwtWZ8lM0vlqOg/PHDFLnu+VMBSKB6EZOnRov/o5DC4e4Hhn
UchmrYQtp4aNXMrw5klkf0WjA8JK6q6KYbubQZ1UzoLa1Wzgi4pXJgPBodaUKr5g
cQIDAQAB
-----END PUBLIC KEY-----
";

const REALM_CORE_TEST_TOKEN: &str = concat!(
    "ewogICAgImlkZW50aXR5IjogInRlc3QiLAogICAgImFjY2VzcyI6IFsiZG93bmxvYWQiLCAidXBs",
    "b2FkIl0sCiAgICAidGltZXN0YW1wIjogMTQ1NTUzMDYxNCwKICAgICJleHBpcmVzIjogbnVsbCwK",
    "ICAgICJhcHBfaWQiOiAiaW8ucmVhbG0uVGVzdCIKfQo=",
    ":",
    "kPQwXUUFFVoDkmw02ouA1g7OlXcZ/IJPpqwJs9lIi1azpyuakBWgQ8VhnInCXh90CQXYhnteZlMw",
    "HYUZgt3/ED1jLu+nK2HlRKsmsOuAI20jMnHGGIZkql4/Ck9PEsvZ3huHGk5Jv9vpFp/dtnl1JXK2",
    "9XjdO8+1hU4boeJuKpTMDTPwGI9dxa8sTtvMMN7AVoPkKb1uqHZVsb5uRGE86Cyv58cvuj/EvZ1A",
    "yOCt5NGJwjTxydPgfX3QPcNMwDTHCRWYuoi2oTCINQHy8ebzXVLT1iy3adV4rM5bJukCnpLqHGlZ",
    "MIslk07zKdoj3igMIT47W9QwIuCw8x5f5cRIAg==",
);

fn realm_core_verifier() -> TokenVerifier {
    let key = pem::parse(REALM_CORE_TEST_KEY).unwrap();
    assert_eq!(key.tag(), "PUBLIC KEY");
    TokenVerifier::new([key.contents()]).unwrap()
}

#[test]
fn realm_core_test_token_verifies_with_its_key() {
    let now = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let claims = realm_core_verifier()
        .verify(REALM_CORE_TEST_TOKEN, now)
        .unwrap();
    assert_eq!(claims.identity().to_string(), "test");
    assert!(matches!(claims.identity(), Identity::Foreign(_)));
    assert_eq!(
        claims.access_rights(),
        Access::NONE.with(Right::Download).with(Right::Upload)
    );
    assert_eq!(
        claims.issued_at(),
        Some(UNIX_EPOCH + Duration::from_secs(1_455_530_614))
    );
    assert_eq!(claims.expires(), None);
    assert_eq!(claims.app_id(), Some("io.realm.Test"));
    assert_eq!(claims.path(), None);
    assert_eq!(claims.kind(), TokenKind::Access);
    // No path does not make it an admin token here (docs/protocol.md §11.2, ours).
    assert!(!claims.is_admin());
}

#[test]
fn realm_core_test_token_fails_when_altered() {
    let now = UNIX_EPOCH;
    let (payload, signature) = REALM_CORE_TEST_TOKEN.split_once(':').unwrap();
    let mut bytes = STANDARD.decode(signature).unwrap();
    bytes[17] ^= 0x04;
    let flipped = format!("{payload}:{}", STANDARD.encode(&bytes));
    assert_eq!(
        realm_core_verifier().verify(&flipped, now),
        Err(VerifyError::BadSignature)
    );
    // Its signature covers the decoded JSON, not the base64 text.
    let over_text = format!("{}:{signature}", STANDARD.encode(payload));
    assert_eq!(
        realm_core_verifier().verify(&over_text, now),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn openssl_agrees_on_the_realm_core_test_token() {
    let dir = tempfile::tempdir().unwrap();
    let (payload, signature) = REALM_CORE_TEST_TOKEN.split_once(':').unwrap();
    let json = STANDARD.decode(payload).unwrap();
    assert_eq!(json.len(), 146);
    let signature = STANDARD.decode(signature).unwrap();
    assert!(openssl_verifies(
        dir.path(),
        REALM_CORE_TEST_KEY,
        &json,
        &signature
    ));
}
