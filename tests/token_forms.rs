//! Both token forms: what they carry survives signing and verifying, and every way a
//! token can be wrong is refused with its own error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use ros::token::{
    Access, Claims, Identity, Malformed, Part, Right, SessionId, SignError, TokenForm, TokenKind,
    TokenSigner, UserId, VerifyError, ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL,
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

/// A legacy token over arbitrary payload bytes, properly signed.
fn legacy_over(signer: &TokenSigner, payload: &[u8]) -> String {
    let signature = signer.sign_bytes(payload).unwrap();
    format!(
        "{}:{}",
        STANDARD.encode(payload),
        STANDARD.encode(signature)
    )
}

/// A JWT with an arbitrary header and payload, properly RSA-signed.
fn jwt_over(signer: &TokenSigner, header: &str, payload: &str) -> String {
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = signer.sign_bytes(signed.as_bytes()).unwrap();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
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

#[test]
fn tokens_from_the_future_are_not_yet_valid() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let header = r#"{"alg":"RS256","typ":"JWT"}"#;
    let nbf = jwt_over(
        &signer,
        header,
        &format!(
            r#"{{"sub":"a","iat":{NOW},"nbf":{},"exp":{}}}"#,
            NOW + 10,
            NOW + 99
        ),
    );
    assert_eq!(
        verifier.verify(&nbf, at(NOW)),
        Err(VerifyError::NotYetValid { from: at(NOW + 10) })
    );
    assert!(verifier.verify(&nbf, at(NOW + 10)).is_ok());
    let iat = jwt_over(
        &signer,
        header,
        &format!(r#"{{"sub":"a","iat":{},"exp":{}}}"#, NOW + 61, NOW + 99),
    );
    assert_eq!(
        verifier.verify(&iat, at(NOW)),
        Err(VerifyError::NotYetValid { from: at(NOW + 61) })
    );
    let skewed = jwt_over(
        &signer,
        header,
        &format!(r#"{{"sub":"a","iat":{},"exp":{}}}"#, NOW + 60, NOW + 99),
    );
    assert!(
        verifier.verify(&skewed, at(NOW)).is_ok(),
        "a minute of clock skew is tolerated"
    );
}

#[test]
fn malformed_tokens_are_refused_with_the_reason() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let good = signer.sign(&access_claims(), TokenForm::Legacy).unwrap();
    let (payload, signature) = good.split_once(':').unwrap();
    let cases: Vec<(String, VerifyError)> = vec![
        (
            "eyJpZGVudGl0eSI6ImEifQ".into(),
            Malformed::NoSeparator.into(),
        ),
        (
            format!("{payload}!:{signature}"),
            Malformed::Base64(Part::Payload).into(),
        ),
        (
            format!("{payload}:{signature}:extra"),
            Malformed::Base64(Part::Signature).into(),
        ),
        (
            legacy_over(&signer, b"{\"identity\":\"a\""),
            VerifyError::Malformed(Malformed::Json {
                part: Part::Payload,
                detail: "EOF while parsing an object at line 1 column 15".into(),
            }),
        ),
        (
            legacy_over(&signer, b"\"just a string\""),
            Malformed::NotAnObject(Part::Payload).into(),
        ),
        (
            legacy_over(&signer, br#"{"identity":"a","expires":"tomorrow"}"#),
            Malformed::FieldType {
                field: "expires".into(),
                expected: "a number or null",
            }
            .into(),
        ),
        (
            legacy_over(&signer, br#"{"identity":["a"]}"#),
            Malformed::FieldType {
                field: "identity".into(),
                expected: "a string",
            }
            .into(),
        ),
        (
            legacy_over(&signer, br#"{"identity":"a","access":{"download":true}}"#),
            Malformed::FieldType {
                field: "access".into(),
                expected: "an array",
            }
            .into(),
        ),
        (
            legacy_over(&signer, br#"{"identity":"a","path":7}"#),
            Malformed::FieldType {
                field: "path".into(),
                expected: "a string",
            }
            .into(),
        ),
        (
            legacy_over(&signer, br#"{"access":["download"]}"#),
            Malformed::MissingField { field: "identity" }.into(),
        ),
        ("a.b".into(), Malformed::JwtParts { found: 2 }.into()),
        ("a.b.c.d".into(), Malformed::JwtParts { found: 4 }.into()),
        ("a..c".into(), Malformed::JwtParts { found: 3 }.into()),
    ];
    for (token, expected) in cases {
        assert_eq!(verifier.verify(&token, at(NOW)), Err(expected), "{token}");
    }
}

#[test]
fn jwts_with_another_algorithm_are_refused_before_their_signature() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let payload =
        URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"a","iat":{NOW},"exp":{}}}"#, NOW + 60));
    let none = format!("{}.{payload}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#));
    assert_eq!(
        verifier.verify(&none, at(NOW)),
        Err(Malformed::JwtParts { found: 3 }.into())
    );
    let none_with_sig = format!(
        "{}.{payload}.AAAA",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#)
    );
    assert_eq!(
        verifier.verify(&none_with_sig, at(NOW)),
        Err(VerifyError::UnsupportedAlgorithm { alg: "none".into() })
    );
    // Even a correct RSA signature does not make an HS256 header acceptable.
    let hs256 = jwt_over(&signer, r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"a"}"#);
    assert_eq!(
        verifier.verify(&hs256, at(NOW)),
        Err(VerifyError::UnsupportedAlgorithm {
            alg: "HS256".into()
        })
    );
    let no_alg = jwt_over(&signer, r#"{"typ":"JWT"}"#, r#"{"sub":"a"}"#);
    assert_eq!(
        verifier.verify(&no_alg, at(NOW)),
        Err(Malformed::MissingField { field: "alg" }.into())
    );
    let array_header = jwt_over(&signer, r#"["alg","RS256"]"#, r#"{"sub":"a"}"#);
    assert_eq!(
        verifier.verify(&array_header, at(NOW)),
        Err(Malformed::NotAnObject(Part::Header).into())
    );
}

#[test]
fn lenient_base64_is_accepted_on_input() {
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    // Legacy token in the URL-safe alphabet without padding, as some clients re-encode it.
    let payload = br#"{"identity":"a","access":["download"],"salt":"x"}"#;
    let signature = signer.sign_bytes(payload).unwrap();
    let url_safe = format!(
        "{}:{}",
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(&signature)
    );
    assert_eq!(
        verifier
            .verify(&url_safe, at(NOW))
            .unwrap()
            .identity()
            .to_string(),
        "a"
    );
    // JWT parts in padded standard base64, like realm-core's fake tokens.
    let signed = format!(
        "{}.{}",
        STANDARD.encode(r#"{"alg":"RS256"}"#),
        STANDARD.encode(r#"{"sub":"b","iat":1,"exp":0}"#)
    );
    let signature = signer.sign_bytes(signed.as_bytes()).unwrap();
    let padded = format!("{signed}.{}", STANDARD_NO_PAD.encode(&signature));
    let claims = verifier.verify(&padded, at(NOW)).unwrap();
    assert_eq!(claims.identity().to_string(), "b");
    assert_eq!(claims.expires(), None);
}
