//! Tokens that are not what they should be: each way of being wrong has its own
//! error, and the lenient input rules of realm-core still hold.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rsa::{KeyPair, KeySize};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use ros::token::{
    Access, Claims, Identity, Malformed, Part, TokenForm, TokenSigner, UserId, VerifyError,
    ACCESS_TOKEN_TTL,
};

const NOW: u64 = 1_790_000_000;

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn signer() -> TokenSigner {
    TokenSigner::new(KeyPair::generate(KeySize::Rsa2048).unwrap())
}

fn access_claims() -> Claims {
    let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
    Claims::access(
        Identity::User(user),
        Some("/p".into()),
        Access::ALL,
        at(NOW),
        ACCESS_TOKEN_TTL,
    )
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

mod arbitrary_input {
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use ros::token::{TokenSigner, TokenVerifier, VerifyError};

    use super::{at, legacy_over, signer, NOW};

    fn keys() -> &'static (TokenSigner, TokenVerifier) {
        static KEYS: OnceLock<(TokenSigner, TokenVerifier)> = OnceLock::new();
        KEYS.get_or_init(|| {
            let signer = signer();
            let verifier = signer.verifier().unwrap();
            (signer, verifier)
        })
    }

    proptest! {
        #[test]
        fn any_text_is_refused_without_panicking(text in "[A-Za-z0-9+/=_.:-]{0,200}|\\PC{0,200}") {
            prop_assert!(keys().1.verify(&text, at(NOW)).is_err());
        }

        /// Signed payloads reach the JSON reader: whatever they hold, the answer is
        /// claims or a `Malformed` error, never a panic.
        #[test]
        fn any_signed_payload_is_read_or_refused(payload in proptest::collection::vec(any::<u8>(), 0..200)) {
            let (signer, verifier) = keys();
            let token = legacy_over(signer, &payload);
            if let Err(e) = verifier.verify(&token, at(NOW)) {
                prop_assert!(matches!(e, VerifyError::Malformed(_)), "{e:?}");
            }
        }

        #[test]
        fn any_signed_json_object_with_an_identity_is_read_or_refused(
            identity in "\\PC{0,30}",
            expires in proptest::option::of(any::<i64>()),
            extra in "[a-z_]{1,10}",
        ) {
            let (signer, verifier) = keys();
            let mut object = serde_json::json!({ "identity": identity, "access": ["download"] });
            object[extra] = serde_json::json!(null);
            if let Some(e) = expires {
                object["expires"] = serde_json::json!(e);
            }
            let token = legacy_over(signer, &serde_json::to_vec(&object).unwrap());
            let result = verifier.verify(&token, at(NOW));
            prop_assert!(
                matches!(
                    result,
                    Ok(_) | Err(VerifyError::Malformed(_) | VerifyError::Expired { .. })
                ),
                "{result:?}"
            );
        }
    }
}
