//! The admin store on a real SQLite file: schema, every operation, the cascades.

// A test crate's root resolves modules beside itself, so the paths are spelled out.
#[path = "admin_store/passwords.rs"]
mod passwords;
#[path = "admin_store/sessions.rs"]
mod sessions;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ros::admin::{
    Account, AdminError, AdminStore, Missing, NewUser, Page, PasswordParams, StoreOptions, Taken,
    ADMIN_DB_FILE, SCHEMA_VERSION,
};
use ros::token::UserId;

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

const T0: u64 = 1_790_000_000;

/// Cheap argon2id parameters: these tests are about the store, not the cost.
fn open(root: &Path) -> AdminStore {
    let options = StoreOptions {
        password_params: PasswordParams::new(256, 1, 1).unwrap(),
        ..StoreOptions::default()
    };
    AdminStore::open_with(&root.join(ADMIN_DB_FILE), options).unwrap()
}

fn page(limit: u32, after: Option<UserId>) -> Page {
    Page {
        limit: NonZeroU32::new(limit).unwrap(),
        after,
    }
}

#[test]
fn a_new_database_gets_every_migration_wal_and_mode_0600() {
    let root = tempfile::tempdir().unwrap();
    let store = AdminStore::open_in_root(root.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let path = root.path().join("admin.sqlite3");
    assert_eq!(store.path(), path);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    assert_eq!(
        tables,
        [
            "accounts",
            "default_permissions",
            "offer_acceptances",
            "offers",
            "password_credentials",
            "permissions",
            "realms",
            "revoked_tokens",
            "sessions",
            "user_metadata",
            "users"
        ]
    );
}

#[test]
fn reopening_keeps_the_data() {
    let root = tempfile::tempdir().unwrap();
    let id = {
        let store = open(root.path());
        store
            .create_user(
                NewUser::with_password("alice", "pw").metadata("team", "blue"),
                at(T0),
            )
            .unwrap()
            .id
    };
    let store = open(root.path());
    let user = store.find_user(&id).unwrap().unwrap();
    assert_eq!(user.username(), Some("alice"));
    assert_eq!(user.metadata.get("team").map(String::as_str), Some("blue"));
    assert_eq!(store.verify_password("alice", "pw").unwrap().id, id);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let root = tempfile::tempdir().unwrap();
    drop(open(root.path()));
    let path = root.path().join(ADMIN_DB_FILE);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    match AdminStore::open(&path) {
        Err(AdminError::NewerSchema {
            found,
            known,
            path: p,
        }) => {
            assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            assert_eq!(p, path);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn users_are_found_by_id_and_by_account() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let created = store
        .create_user(
            NewUser::with_password("bob@example.com", "pw")
                .account(Account::new("google", "sub-1"))
                .admin(true),
            at(T0) + Duration::from_millis(250),
        )
        .unwrap();
    assert_eq!(created.id.creation_time(), at(T0));
    assert_eq!(created.created_at, at(T0) + Duration::from_millis(250));
    assert!(created.is_admin && !created.disabled);
    assert_eq!(
        created.accounts,
        [
            Account::new("google", "sub-1"),
            Account::password("bob@example.com")
        ]
    );
    assert_eq!(store.find_user(&created.id).unwrap(), Some(created.clone()));
    assert_eq!(
        store.find_by_account("google", "sub-1").unwrap(),
        Some(created.clone())
    );
    assert_eq!(
        store
            .find_by_account("password", "bob@example.com")
            .unwrap(),
        Some(created.clone())
    );
    // Usernames differing only in case are one name (docs/cli-json.md).
    assert_eq!(
        store
            .find_by_account("password", "BOB@example.com")
            .unwrap(),
        Some(created)
    );
    assert_eq!(store.find_user(&UserId::generate(at(T0))).unwrap(), None);
}

#[test]
fn a_taken_username_is_a_conflict_and_creates_nothing() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    store
        .create_user(NewUser::with_password("carol", "pw"), at(T0))
        .unwrap();
    let err = store
        .create_user(
            NewUser::with_password("carol", "other").account(Account::new("nickname", "c")),
            at(T0),
        )
        .unwrap_err();
    assert!(
        matches!(&err, AdminError::Conflict(Taken::Account { provider, provider_id }) if provider == "password" && provider_id == "carol"),
        "{err}"
    );
    assert_eq!(store.find_by_account("nickname", "c").unwrap(), None);
    assert_eq!(store.list_users(page(10, None)).unwrap().users.len(), 1);
    assert!(store.verify_password("carol", "pw").is_ok());
}

#[test]
fn a_taken_id_is_a_conflict() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let id: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
    assert_eq!(
        store.create_user(NewUser::new().id(id), at(T0)).unwrap().id,
        id
    );
    let err = store
        .create_user(NewUser::new().id(id), at(T0))
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Conflict(Taken::UserId(taken)) if taken == id),
        "{err}"
    );
    let err = store
        .create_user(NewUser::new().account(Account::new("", "x")), at(T0))
        .unwrap_err();
    assert!(matches!(err, AdminError::EmptyProvider), "{err}");
}

#[test]
fn users_are_listed_in_pages_by_id() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let mut ids: Vec<UserId> = (0..5)
        .map(|i| {
            store
                .create_user(NewUser::new().metadata("n", i.to_string()), at(T0 + i))
                .unwrap()
                .id
        })
        .collect();
    ids.sort();
    let first = store.list_users(page(2, None)).unwrap();
    assert_eq!(
        first.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        ids[..2]
    );
    assert_eq!(first.next, Some(ids[1]));
    let second = store.list_users(page(2, first.next)).unwrap();
    assert_eq!(
        second.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        ids[2..4]
    );
    let last = store.list_users(page(2, second.next)).unwrap();
    assert_eq!(
        last.users.iter().map(|u| u.id).collect::<Vec<_>>(),
        ids[4..]
    );
    assert_eq!(last.next, None);
    let exact = store.list_users(page(5, None)).unwrap();
    assert_eq!(exact.users.len(), 5);
    assert_eq!(exact.next, None, "no empty page after an exactly full one");
    assert!(store
        .list_users(page(3, Some(ids[4])))
        .unwrap()
        .users
        .is_empty());
}

#[test]
fn flags_metadata_and_accounts_change_and_unknown_users_are_not_found() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let id = store
        .create_user(NewUser::new().metadata("a", "1"), at(T0))
        .unwrap()
        .id;
    store.set_admin(&id, true).unwrap();
    store.set_disabled(&id, true).unwrap();
    let metadata = BTreeMap::from([("b".to_string(), "2".to_string())]);
    store.set_metadata(&id, &metadata).unwrap();
    store
        .add_account(&id, &Account::new("jwt", "u-1"), at(T0))
        .unwrap();
    let user = store.find_user(&id).unwrap().unwrap();
    assert!(user.is_admin && user.disabled);
    assert_eq!(user.metadata, metadata);
    assert_eq!(user.accounts, [Account::new("jwt", "u-1")]);
    store.set_admin(&id, false).unwrap();
    store.set_disabled(&id, false).unwrap();
    let user = store.find_user(&id).unwrap().unwrap();
    assert!(!user.is_admin && !user.disabled);

    let other = store.create_user(NewUser::new(), at(T0)).unwrap().id;
    let err = store
        .add_account(&other, &Account::new("jwt", "u-1"), at(T0))
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Conflict(Taken::Account { .. })),
        "{err}"
    );

    let ghost = UserId::generate(at(T0));
    let missing = |r: Result<(), AdminError>| matches!(r, Err(AdminError::NotFound(Missing::User(g))) if g == ghost);
    assert!(missing(store.set_admin(&ghost, true)));
    assert!(missing(store.set_disabled(&ghost, true)));
    assert!(missing(store.set_metadata(&ghost, &metadata)));
    assert!(missing(store.add_account(
        &ghost,
        &Account::new("x", "y"),
        at(T0)
    )));
    assert!(missing(store.set_password(&ghost, "pw", at(T0))));
    assert!(missing(store.delete_user(&ghost).map(|_| ())));
}

#[test]
fn deleting_a_user_removes_everything_it_owned() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let new = NewUser::with_password("gina", "pw")
        .account(Account::new("google", "g-1"))
        .metadata("k", "v");
    let user = store.create_user(new, at(T0)).unwrap();
    let open_session = store.create_session(&user.id, at(T0)).unwrap().id;
    let ended = store.create_session(&user.id, at(T0)).unwrap().id;
    store.revoke_session(&ended, at(T0)).unwrap();

    let deleted = store.delete_user(&user.id).unwrap();
    assert_eq!(deleted.user, user);
    assert!(deleted.had_password);
    assert_eq!(deleted.sessions_ended, 1);

    assert_eq!(store.find_user(&user.id).unwrap(), None);
    assert_eq!(store.find_by_account("google", "g-1").unwrap(), None);
    assert!(!store.is_session_active(&open_session).unwrap());
    assert_eq!(store.find_session(&open_session).unwrap(), None);
    assert!(matches!(
        store.verify_password("gina", "pw"),
        Err(AdminError::InvalidCredentials)
    ));
    assert!(matches!(
        store.delete_user(&user.id),
        Err(AdminError::NotFound(Missing::User(_)))
    ));
    let conn = rusqlite::Connection::open(root.path().join(ADMIN_DB_FILE)).unwrap();
    for table in [
        "accounts",
        "user_metadata",
        "password_credentials",
        "sessions",
    ] {
        let rows: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0, "{table}");
    }
    // The username is free again.
    assert!(store
        .create_user(NewUser::with_password("gina", "new"), at(T0))
        .is_ok());
}
