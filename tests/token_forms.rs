//! Both token forms: what they carry survives signing and verifying, and every way a
//! token can be wrong is refused with its own error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ros::token::{
    Access, Claims, Identity, Right, SessionId, SignError, TokenForm, TokenKind, TokenSigner,
    UserId, VerifyError, ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL,
};

const NOW: u64 = 1_790_000_000;

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn signer() -> TokenSigner {
    let key = KeyPair::generate(KeySize::Rsa2048).unwrap();
    let der = key.as_der().unwrap();
    TokenSigner::from_pkcs8(der.as_ref()).unwrap()
}

fn user() -> UserId {
    "65f1c0de2a9b4c0012345678".parse().unwrap()
}

fn session() -> SessionId {
    "65f1c0de2a9b4c00aaaaaaaa".parse().unwrap()
}

fn access_claims() -> Claims {
    let rights = Access::NONE.with(Right::Download).with(Right::Upload);
    Claims::access(
        Identity::User(user()),
        Some("/65f1c0de2a9b4c0012345678/tasks".into()),
        rights,
        at(NOW),
        ACCESS_TOKEN_TTL,
    )
    .with_session(session())
    .with_sync_label("default")
    .with_app_id("io.example.app")
}

#[test]
fn legacy_access_token_round_trips_every_claim() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let claims = access_claims();
    let token = signer.sign(&claims, TokenForm::Legacy).unwrap();
    let decoded = verifier.verify(&token, at(NOW + 1)).unwrap();
    assert_eq!(decoded.kind(), TokenKind::Access);
    assert_eq!(decoded.identity(), &Identity::User(user()));
    assert_eq!(
        decoded.access_rights(),
        Access::NONE.with(Right::Download).with(Right::Upload)
    );
    assert_eq!(decoded.path(), Some("/65f1c0de2a9b4c0012345678/tasks"));
    assert_eq!(decoded.sync_label(), Some("default"));
    assert_eq!(decoded.app_id(), Some("io.example.app"));
    assert_eq!(decoded.session(), Some(session()));
    assert_eq!(decoded.salt(), claims.salt());
    assert_eq!(decoded.expires(), Some(at(NOW + 600)));
    assert!(!decoded.is_admin());
    // The legacy form carries no issue time, like the original's.
    assert_eq!(decoded.issued_at(), None);
}

#[test]
fn jwt_access_token_round_trips_every_claim() {
    let signer = signer();
    let claims = access_claims();
    let token = signer.sign(&claims, TokenForm::Jwt).unwrap();
    let decoded = signer.verifier().unwrap().verify(&token, at(NOW)).unwrap();
    assert_eq!(decoded, claims);
}

#[test]
fn refresh_tokens_carry_their_session_in_both_forms() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let claims = Claims::refresh(user(), session(), true, at(NOW), REFRESH_TOKEN_TTL);
    for form in [TokenForm::Legacy, TokenForm::Jwt] {
        let token = signer.sign(&claims, form).unwrap();
        let decoded = verifier
            .verify_kind(&token, TokenKind::Refresh, at(NOW))
            .unwrap();
        assert_eq!(decoded.session(), Some(session()), "{form:?}");
        assert!(decoded.is_admin(), "{form:?}");
        assert_eq!(decoded.expires(), Some(at(NOW + 315_360_000)), "{form:?}");
        assert!(decoded.access_rights().is_empty(), "{form:?}");
    }
}

#[test]
fn legacy_layout_is_base64_json_colon_base64_signature() {
    let signer = signer();
    let claims = Claims::refresh(user(), session(), false, at(NOW), Duration::from_secs(60));
    let token = signer.sign(&claims, TokenForm::Legacy).unwrap();
    let (payload, signature) = token.split_once(':').unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&STANDARD.decode(payload).unwrap()).unwrap();
    assert_eq!(json["identity"], "65f1c0de2a9b4c0012345678");
    assert_eq!(json["access"], serde_json::json!(["refresh"]));
    assert_eq!(json["expires"], NOW + 60);
    assert_eq!(json["is_admin"], false);
    assert_eq!(json["sid"], "65f1c0de2a9b4c00aaaaaaaa");
    assert_eq!(STANDARD.decode(signature).unwrap().len(), 256);
}

#[test]
fn jwt_layout_is_url_safe_rs256_with_integer_times() {
    let signer = signer();
    let token = signer.sign(&access_claims(), TokenForm::Jwt).unwrap();
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
        "{token}"
    );
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, serde_json::json!({"alg": "RS256", "typ": "JWT"}));
    let payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(payload["sub"], "65f1c0de2a9b4c0012345678");
    assert_eq!(payload["typ"], "access");
    assert!(payload["iat"].is_u64() && payload["exp"].is_u64());
    assert_eq!(payload["exp"].as_u64(), Some(NOW + 600));
}

#[test]
fn admin_claims_only_sign_in_the_legacy_form() {
    let signer = signer();
    let token = signer.sign(&Claims::admin(), TokenForm::Legacy).unwrap();
    let decoded = signer
        .verifier()
        .unwrap()
        .verify_kind(&token, TokenKind::Admin, at(u64::from(u32::MAX)))
        .unwrap();
    assert!(decoded.is_admin());
    assert_eq!(decoded.expires(), None);
    assert!(matches!(
        signer.sign(&Claims::admin(), TokenForm::Jwt),
        Err(SignError::JwtNeedsTimes)
    ));
}

#[test]
fn wrong_kind_is_named() {
    let signer = signer();
    let token = signer.sign(&access_claims(), TokenForm::Jwt).unwrap();
    assert_eq!(
        signer
            .verifier()
            .unwrap()
            .verify_kind(&token, TokenKind::Refresh, at(NOW)),
        Err(VerifyError::WrongKind {
            expected: TokenKind::Refresh,
            found: TokenKind::Access
        })
    );
}

#[test]
fn tampered_payload_is_a_bad_signature() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let legacy = signer.sign(&access_claims(), TokenForm::Legacy).unwrap();
    let (payload, signature) = legacy.split_once(':').unwrap();
    let json = String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap();
    let forged = json.replace(
        "\"download\",\"upload\"",
        "\"download\",\"upload\",\"manage\"",
    );
    assert_ne!(forged, json);
    let tampered = format!("{}:{signature}", STANDARD.encode(forged));
    assert_eq!(
        verifier.verify(&tampered, at(NOW)),
        Err(VerifyError::BadSignature)
    );

    let jwt = signer.sign(&access_claims(), TokenForm::Jwt).unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let forged = payload.replace("\"isAdmin\":false", "\"isAdmin\":true");
    assert_ne!(forged, payload);
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(forged),
        parts[2]
    );
    assert_eq!(
        verifier.verify(&tampered, at(NOW)),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn tampered_signature_is_a_bad_signature() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let legacy = signer.sign(&access_claims(), TokenForm::Legacy).unwrap();
    let (payload, signature) = legacy.split_once(':').unwrap();
    let mut bytes = STANDARD.decode(signature).unwrap();
    bytes[100] ^= 0x01;
    let tampered = format!("{payload}:{}", STANDARD.encode(&bytes));
    assert_eq!(
        verifier.verify(&tampered, at(NOW)),
        Err(VerifyError::BadSignature)
    );

    let jwt = signer.sign(&access_claims(), TokenForm::Jwt).unwrap();
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    bytes[0] ^= 0x80;
    let tampered = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(&bytes));
    assert_eq!(
        verifier.verify(&tampered, at(NOW)),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn a_token_signed_by_another_key_is_a_bad_signature() {
    let ours = signer();
    let theirs = signer();
    for form in [TokenForm::Legacy, TokenForm::Jwt] {
        let token = theirs.sign(&access_claims(), form).unwrap();
        assert_eq!(
            ours.verifier().unwrap().verify(&token, at(NOW)),
            Err(VerifyError::BadSignature),
            "{form:?}"
        );
    }
}

#[test]
fn expiry_is_checked_against_the_given_clock() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    for form in [TokenForm::Legacy, TokenForm::Jwt] {
        let token = signer.sign(&access_claims(), form).unwrap();
        assert!(
            verifier.verify(&token, at(NOW + 600)).is_ok(),
            "{form:?}: valid through its last second"
        );
        assert_eq!(
            verifier.verify(&token, at(NOW + 601)),
            Err(VerifyError::Expired { at: at(NOW + 600) }),
            "{form:?}"
        );
    }
}
