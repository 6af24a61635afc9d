//! Password accounts: argon2id hashes, verification, the default admin.

use ros::admin::{Account, AdminError, AdminStore, NewUser, ADMIN_DB_FILE, DEFAULT_ADMIN_USERNAME};

use super::{at, open, T0};

#[test]
fn passwords_verify_right_and_refuse_wrong() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let id = store
        .create_user(NewUser::with_password("dave", "correct horse"), at(T0))
        .unwrap()
        .id;
    assert_eq!(
        store.verify_password("dave", "correct horse").unwrap().id,
        id
    );
    assert!(matches!(
        store.verify_password("dave", "wrong"),
        Err(AdminError::InvalidCredentials)
    ));
    assert!(matches!(
        store.verify_password("nobody", "correct horse"),
        Err(AdminError::InvalidCredentials)
    ));

    store
        .set_password(&id, "battery staple", at(T0 + 1))
        .unwrap();
    assert!(matches!(
        store.verify_password("dave", "correct horse"),
        Err(AdminError::InvalidCredentials)
    ));
    assert_eq!(
        store.verify_password("dave", "battery staple").unwrap().id,
        id
    );

    store.set_disabled(&id, true).unwrap();
    assert!(
        matches!(store.verify_password("dave", "battery staple"), Err(AdminError::UserDisabled(d)) if d == id)
    );
    assert!(matches!(
        store.verify_password("dave", "wrong"),
        Err(AdminError::InvalidCredentials)
    ));

    let no_password = store
        .create_user(
            NewUser::new().account(Account::new("anonymous", "x")),
            at(T0),
        )
        .unwrap()
        .id;
    assert!(
        matches!(store.set_password(&no_password, "pw", at(T0)), Err(AdminError::NoPasswordAccount(n)) if n == no_password)
    );
    // A password account without a password yet cannot log in, then can.
    let later = store
        .create_user(NewUser::new().account(Account::password("erin")), at(T0))
        .unwrap()
        .id;
    assert!(matches!(
        store.verify_password("erin", ""),
        Err(AdminError::InvalidCredentials)
    ));
    store.set_password(&later, "pw", at(T0)).unwrap();
    assert_eq!(store.verify_password("erin", "pw").unwrap().id, later);
}

#[test]
fn stored_hashes_are_argon2id_phc_strings() {
    let root = tempfile::tempdir().unwrap();
    let store = AdminStore::open_in_root(root.path()).unwrap();
    store
        .create_user(NewUser::with_password("frank", "pw"), at(T0))
        .unwrap();
    let conn = rusqlite::Connection::open(root.path().join(ADMIN_DB_FILE)).unwrap();
    let phc: String = conn
        .query_row("SELECT phc FROM password_credentials", [], |r| r.get(0))
        .unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert!(!phc.contains("pw$"));
    assert!(store.verify_password("frank", "pw").is_ok());
}

#[test]
fn the_default_admin_needs_a_password_and_is_made_once() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    assert!(matches!(
        store.ensure_default_admin("", at(T0)),
        Err(AdminError::EmptyDefaultPassword)
    ));
    assert_eq!(
        store
            .find_by_account("password", DEFAULT_ADMIN_USERNAME)
            .unwrap(),
        None
    );
    let admin = store
        .ensure_default_admin("s3cret", at(T0))
        .unwrap()
        .unwrap();
    assert!(admin.is_admin);
    assert_eq!(admin.username(), Some("realm-admin"));
    assert_eq!(store.ensure_default_admin("changed", at(T0)).unwrap(), None);
    assert_eq!(
        store.verify_password("realm-admin", "s3cret").unwrap().id,
        admin.id
    );
    assert!(store.verify_password("realm-admin", "changed").is_err());
}
