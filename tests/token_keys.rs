//! Keys: formats the signer and verifier take, and rotation of the signing key.

use std::time::{Duration, UNIX_EPOCH};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use ros::token::{
    Access, Claims, Identity, KeyError, TokenForm, TokenSigner, TokenVerifier, VerifyError,
};

fn key_pair() -> KeyPair {
    KeyPair::generate(KeySize::Rsa2048).unwrap()
}

fn claims() -> Claims {
    Claims::access(
        Identity::Admin,
        Some("/a".into()),
        Access::ALL,
        UNIX_EPOCH + Duration::from_secs(1000),
        Duration::from_secs(600),
    )
}

#[test]
fn after_rotation_old_tokens_verify_only_while_the_old_key_is_listed() {
    let old = TokenSigner::new(key_pair());
    let new = TokenSigner::new(key_pair());
    let now = UNIX_EPOCH + Duration::from_secs(1001);
    for form in [TokenForm::Legacy, TokenForm::Jwt] {
        let old_token = old.sign(&claims(), form).unwrap();
        let new_token = new.sign(&claims(), form).unwrap();
        let with_previous =
            TokenVerifier::new([new.public_key_der().unwrap(), old.public_key_der().unwrap()])
                .unwrap();
        assert!(with_previous.verify(&old_token, now).is_ok(), "{form:?}");
        assert!(with_previous.verify(&new_token, now).is_ok(), "{form:?}");
        let current_only = TokenVerifier::new([new.public_key_der().unwrap()]).unwrap();
        assert_eq!(
            current_only.verify(&old_token, now),
            Err(VerifyError::BadSignature),
            "{form:?}"
        );
        assert!(current_only.verify(&new_token, now).is_ok(), "{form:?}");
    }
}

#[test]
fn public_keys_are_accepted_as_spki_or_pkcs1_der() {
    let pair = key_pair();
    let pkcs1 = pair.public_key().as_ref().to_vec();
    let signer = TokenSigner::new(pair);
    let spki = signer.public_key_der().unwrap();
    assert_ne!(pkcs1, spki);
    let token = signer.sign(&claims(), TokenForm::Legacy).unwrap();
    let now = UNIX_EPOCH + Duration::from_secs(1001);
    assert!(TokenVerifier::new([pkcs1])
        .unwrap()
        .verify(&token, now)
        .is_ok());
    assert!(TokenVerifier::new([spki])
        .unwrap()
        .verify(&token, now)
        .is_ok());
}

#[test]
fn unusable_keys_are_refused_with_their_position() {
    let good = TokenSigner::new(key_pair()).public_key_der().unwrap();
    let err = TokenVerifier::new([good.clone(), b"not a key".to_vec()]).unwrap_err();
    assert!(matches!(err, KeyError::PublicKey { index: 1, .. }), "{err}");
    assert_eq!(
        TokenVerifier::new(Vec::<Vec<u8>>::new()).unwrap_err(),
        KeyError::NoPublicKey
    );
    assert!(matches!(
        TokenSigner::from_pkcs8(&good),
        Err(KeyError::PrivateKey(_))
    ));
}

#[test]
fn the_signer_takes_pkcs8_der() {
    let pair = key_pair();
    let der = pair.as_der().unwrap();
    let signer = TokenSigner::from_pkcs8(der.as_ref()).unwrap();
    let token = signer.sign(&claims(), TokenForm::Jwt).unwrap();
    let verifier = TokenVerifier::new([pair.public_key().as_ref()]).unwrap();
    assert!(verifier
        .verify(&token, UNIX_EPOCH + Duration::from_secs(1001))
        .is_ok());
}
