//! The admin store's full token check: signature and times, then revocation, the
//! refresh session and the user behind the token.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rsa::{KeyPair, KeySize};
use base64::Engine;
use ros::admin::{AdminStore, NewUser, PasswordParams, StoreOptions, TokenRejected, ADMIN_DB_FILE};
use ros::token::{
    Access, Claims, Identity, TokenForm, TokenSigner, UserId, VerifyError, ACCESS_TOKEN_TTL,
    REFRESH_TOKEN_TTL,
};

const T0: u64 = 1_790_000_000;

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn open(root: &Path) -> AdminStore {
    let options = StoreOptions {
        password_params: PasswordParams::new(256, 1, 1).unwrap(),
        ..StoreOptions::default()
    };
    AdminStore::open_with(&root.join(ADMIN_DB_FILE), options).unwrap()
}

fn signer() -> TokenSigner {
    TokenSigner::new(KeyPair::generate(KeySize::Rsa2048).unwrap())
}

#[test]
fn check_token_follows_sessions_users_and_revocations() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let signer = signer();
    let verifier = signer.verifier().unwrap();
    let user = store
        .create_user(NewUser::with_password("hank", "pw"), at(T0))
        .unwrap()
        .id;
    let session = store.create_session(&user, at(T0)).unwrap().id;
    let refresh = Claims::refresh(user, session, false, at(T0), REFRESH_TOKEN_TTL);
    let refresh_token = signer.sign(&refresh, TokenForm::Jwt).unwrap();
    let access = Claims::access(
        Identity::User(user),
        Some("/x".into()),
        Access::ALL,
        at(T0),
        ACCESS_TOKEN_TTL,
    )
    .with_session(session);
    let access_token = signer.sign(&access, TokenForm::Legacy).unwrap();
    let now = at(T0 + 1);

    assert_eq!(
        store.check_token(&verifier, &refresh_token, now).unwrap().0,
        refresh
    );
    assert_eq!(
        store
            .check_token(&verifier, &access_token, now)
            .unwrap()
            .0
            .session(),
        Some(session)
    );
    assert!(matches!(
        store.check_token(&verifier, &access_token, at(T0 + 601)),
        Err(TokenRejected::Invalid(VerifyError::Expired { .. }))
    ));

    store.set_disabled(&user, true).unwrap();
    assert!(
        matches!(store.check_token(&verifier, &refresh_token, now), Err(TokenRejected::UserDisabled(u)) if u == user)
    );
    store.set_disabled(&user, false).unwrap();

    store.revoke_session(&session, now).unwrap();
    assert!(
        matches!(store.check_token(&verifier, &refresh_token, now), Err(TokenRejected::SessionEnded(s)) if s == session)
    );
    assert!(matches!(
        store.check_token(&verifier, &access_token, now),
        Err(TokenRejected::SessionEnded(_))
    ));

    let sessionless = Claims::access(
        Identity::User(user),
        None,
        Access::NONE,
        at(T0),
        ACCESS_TOKEN_TTL,
    );
    let sessionless_token = signer.sign(&sessionless, TokenForm::Jwt).unwrap();
    assert!(store
        .check_token(&verifier, &sessionless_token, now)
        .is_ok());
    assert!(store.revoke_token(&sessionless, now).unwrap());
    assert!(!store.revoke_token(&sessionless, now).unwrap());
    assert!(matches!(
        store.check_token(&verifier, &sessionless_token, now),
        Err(TokenRejected::Revoked)
    ));

    let other = store.create_user(NewUser::new(), at(T0)).unwrap().id;
    let other_session = store.create_session(&other, at(T0)).unwrap().id;
    let borrowed = Claims::refresh(user, other_session, false, at(T0), REFRESH_TOKEN_TTL);
    let borrowed_token = signer.sign(&borrowed, TokenForm::Legacy).unwrap();
    assert!(
        matches!(
            store.check_token(&verifier, &borrowed_token, now),
            Err(TokenRejected::SessionEnded(_))
        ),
        "a session of another user does not count"
    );

    store.delete_user(&other).unwrap();
    let orphan = Claims::access(
        Identity::User(other),
        None,
        Access::NONE,
        at(T0),
        ACCESS_TOKEN_TTL,
    );
    let orphan_token = signer.sign(&orphan, TokenForm::Jwt).unwrap();
    assert!(
        matches!(store.check_token(&verifier, &orphan_token, now), Err(TokenRejected::UnknownUser(u)) if u == other)
    );
}

#[test]
fn refresh_tokens_without_a_session_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let signer = signer();
    let user = store.create_user(NewUser::new(), at(T0)).unwrap().id;
    let json = format!(r#"{{"identity":"{user}","access":["refresh"],"salt":"01020304"}}"#);
    let signature = signer.sign_bytes(json.as_bytes()).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let token = format!("{}:{}", b64.encode(&json), b64.encode(signature));
    assert!(matches!(
        store.check_token(&signer.verifier().unwrap(), &token, at(T0)),
        Err(TokenRejected::NoSession)
    ));
}

#[test]
fn expired_revocations_are_pruned_and_eternal_ones_kept() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let user = UserId::generate(at(T0));
    let short = Claims::access(
        Identity::User(user),
        None,
        Access::NONE,
        at(T0),
        Duration::from_secs(10),
    );
    let admin = Claims::admin();
    store.revoke_token(&short, at(T0)).unwrap();
    store.revoke_token(&admin, at(T0)).unwrap();
    assert_eq!(store.prune_revoked_tokens(at(T0 + 10)).unwrap(), 0);
    assert_eq!(store.prune_revoked_tokens(at(T0 + 11)).unwrap(), 1);
    assert!(!store.is_token_revoked(&short).unwrap());
    assert!(store.is_token_revoked(&admin).unwrap());
}
