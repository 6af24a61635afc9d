//! The permission rule, case by case, on a real admin database: who may read,
//! write and manage which Realm; what changes are refused; and paths that try to
//! reach another Realm.

use std::time::SystemTime;

use proptest::prelude::*;
use ros::admin::ops::{add_user, NewPasswordUser};
use ros::admin::sharing::{apply_change, GranteeName, PermissionChange, RealmTarget, SharingError};
use ros::admin::{AdminStore, EntryFilter, PasswordParams, Rights, StoreOptions, Subject};
use ros::realm_id::{PartitionValue, RealmId, RealmPath};
use ros::token::UserId;

struct World {
    _dir: tempfile::TempDir,
    store: AdminStore,
    alice: UserId,
    bob: UserId,
    carol: UserId,
    dave: UserId,
    erin: UserId,
}

const R: Rights = Rights {
    may_read: true,
    may_write: false,
    may_manage: false,
};
const RW: Rights = Rights {
    may_read: true,
    may_write: true,
    may_manage: false,
};
const RM: Rights = Rights {
    may_read: true,
    may_write: false,
    may_manage: true,
};

fn user(store: &AdminStore, name: &str) -> UserId {
    let new = NewPasswordUser {
        username: name.into(),
        password: "pw".into(),
        is_admin: false,
    };
    add_user(store, new, SystemTime::now()).unwrap().id
}

fn change(
    realm: &str,
    grantee: &str,
    read: Option<bool>,
    write: Option<bool>,
    manage: Option<bool>,
) -> PermissionChange {
    PermissionChange {
        realm: if realm == "*" {
            RealmTarget::Owned
        } else {
            RealmTarget::One(RealmId::parse(realm, None).unwrap())
        },
        grantee: GranteeName::parse(grantee),
        may_read: read,
        may_write: write,
        may_manage: manage,
    }
}

fn apply(w: &World, who: Subject, c: PermissionChange) -> Result<(), SharingError> {
    apply_change(&w.store, who, &c, SystemTime::now()).map(|_| ())
}

/// alice owns /A/tasks (default read+write; bob: read; carol: an all-false entry;
/// dave: read+manage), /A/open (default read) and /A/private (no entries).
/// /shared is owner-less with a default read entry.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        password_params: PasswordParams::new(64, 1, 1).unwrap(),
        ..StoreOptions::default()
    };
    let store = AdminStore::open_with(&dir.path().join("admin.sqlite3"), options).unwrap();
    let [alice, bob, carol, dave, erin] =
        ["alice", "bob", "carol", "dave", "erin"].map(|n| user(&store, n));
    let w = World {
        _dir: dir,
        store,
        alice,
        bob,
        carol,
        dave,
        erin,
    };
    let now = SystemTime::now();
    for name in ["tasks", "open", "private"] {
        let id = RealmId::parse(&format!("/{alice}/{name}"), None).unwrap();
        w.store.register_realm(&id, Some(&alice), now).unwrap();
    }
    let shared = RealmId::parse("/shared", None).unwrap();
    w.store.register_realm(&shared, None, now).unwrap();
    let tasks = format!("/{alice}/tasks");
    let owner = Subject::User(alice);
    let t = Some(true);
    let f = Some(false);
    apply(&w, owner, change(&tasks, "*", t, t, None)).unwrap();
    apply(&w, owner, change(&tasks, "bob", t, None, None)).unwrap();
    apply(&w, owner, change(&tasks, "carol", None, None, None)).unwrap();
    apply(&w, owner, change(&tasks, &dave.to_string(), t, f, t)).unwrap();
    apply(
        &w,
        owner,
        change(&format!("/{alice}/open"), "*", t, None, None),
    )
    .unwrap();
    apply(&w, Subject::Admin, change("/shared", "*", t, None, None)).unwrap();
    w
}

fn rights(w: &World, who: Subject, realm: &str) -> Rights {
    w.store
        .rights(who, &RealmId::parse(realm, None).unwrap())
        .unwrap()
}

#[test]
fn evaluation_table() {
    let w = world();
    let a = w.alice;
    let tasks = format!("/{a}/tasks");
    let open = format!("/{a}/open");
    let private = format!("/{a}/private");
    let user = Subject::User;
    let cases: Vec<(&str, Subject, String, Rights)> = vec![
        (
            "admin: everything",
            Subject::Admin,
            tasks.clone(),
            Rights::ALL,
        ),
        (
            "admin: even unregistered",
            Subject::Admin,
            "/nowhere".into(),
            Rights::ALL,
        ),
        ("owner: everything", user(a), tasks.clone(), Rights::ALL),
        (
            "owner: no entries needed",
            user(a),
            private.clone(),
            Rights::ALL,
        ),
        (
            "own entry wins over a wider default",
            user(w.bob),
            tasks.clone(),
            R,
        ),
        (
            "all-false entry denies below a permissive default",
            user(w.carol),
            tasks.clone(),
            Rights::NONE,
        ),
        ("no entry: the default", user(w.erin), tasks.clone(), RW),
        ("default read only", user(w.erin), open.clone(), R),
        (
            "no entry, no default: nothing",
            user(w.erin),
            private.clone(),
            Rights::NONE,
        ),
        (
            "an entry elsewhere gives nothing here",
            user(w.bob),
            private.clone(),
            Rights::NONE,
        ),
        ("read+manage entry", user(w.dave), tasks.clone(), RM),
        (
            "owner-less Realm: default",
            user(w.erin),
            "/shared".into(),
            R,
        ),
        (
            "owning other Realms is no ownership here",
            user(a),
            "/shared".into(),
            R,
        ),
        (
            "unregistered Realm: nothing",
            user(w.erin),
            format!("/{a}/later"),
            Rights::NONE,
        ),
        (
            "unregistered in own home: nothing until registered",
            user(w.bob),
            format!("/{}/mine", w.bob),
            Rights::NONE,
        ),
    ];
    for (name, who, realm, expected) in &cases {
        assert_eq!(rights(&w, *who, realm), *expected, "{name}");
    }
    assert_eq!(cases.len(), 15);
}

#[test]
fn change_table() {
    let w = world();
    let a = w.alice;
    let tasks = format!("/{a}/tasks");
    let t = Some(true);
    let f = Some(false);
    let bob_before = rights(&w, Subject::User(w.bob), &tasks);
    type Check = fn(&Result<(), SharingError>) -> bool;
    let cases: Vec<(&str, Subject, PermissionChange, Check)> = vec![
        (
            "write-only grant refused",
            Subject::User(a),
            change(&tasks, "bob", f, t, None),
            |r| matches!(r, Err(SharingError::WriteOnly { .. })),
        ),
        (
            "dropping read under write refused",
            Subject::User(a),
            change(&tasks, "*", f, None, None),
            |r| matches!(r, Err(SharingError::WriteOnly { .. })),
        ),
        (
            "no mayManage: refused",
            Subject::User(w.erin),
            change(&tasks, "erin", t, t, t),
            |r| matches!(r, Err(SharingError::NotManager(_))),
        ),
        (
            "read-only user cannot manage",
            Subject::User(w.bob),
            change(&tasks, "bob", None, t, None),
            |r| matches!(r, Err(SharingError::NotManager(_))),
        ),
        (
            "unknown user fails, default untouched",
            Subject::User(a),
            change(&tasks, "nobody", t, t, t),
            |r| matches!(r, Err(SharingError::UnknownUser(_))),
        ),
        (
            "management Realm refused",
            Subject::Admin,
            change(&format!("/{a}/__management"), "bob", t, None, None),
            |r| matches!(r, Err(SharingError::ManagementRealm(_))),
        ),
        (
            "`*` Realms for the admin token: none owned",
            Subject::Admin,
            change("*", "bob", t, None, None),
            |r| matches!(r, Err(SharingError::NoOwnedRealms(_))),
        ),
        (
            "`*` Realms for a user who owns none",
            Subject::User(w.erin),
            change("*", "bob", t, None, None),
            |r| matches!(r, Err(SharingError::NoOwnedRealms(_))),
        ),
        (
            "non-admin cannot create outside home, nor learn it is missing",
            Subject::User(w.bob),
            change(&format!("/{a}/new"), "bob", t, None, None),
            |r| matches!(r, Err(SharingError::NotManager(_))),
        ),
        (
            "an admin registers a partition value nobody used, owner-less",
            Subject::Admin,
            change("\"board\"", "bob", t, None, None),
            |r| r.is_ok(),
        ),
        (
            "a partition value equal to a user's id is that user's to share",
            Subject::User(w.bob),
            change(&format!("\"{}\"", w.bob), "erin", t, None, None),
            |r| r.is_ok(),
        ),
        (
            "another user's id as partition value is not",
            Subject::User(w.erin),
            change(&format!("\"{}\"", w.bob), "erin", t, None, None),
            |r| matches!(r, Err(SharingError::NotManager(_))),
        ),
    ];
    for (name, who, c, ok) in &cases {
        let result = apply(&w, *who, c.clone());
        assert!(ok(&result), "{name}: {result:?}");
    }
    assert_eq!(rights(&w, Subject::User(w.bob), &tasks), bob_before);
    assert_eq!(
        rights(&w, Subject::User(w.erin), &tasks),
        RW,
        "default unchanged"
    );
    assert!(w
        .store
        .find_realm(&RealmId::parse(&format!("/{a}/new"), None).unwrap())
        .unwrap()
        .is_none());

    // A manager who is not the owner may change entries.
    apply(
        &w,
        Subject::User(w.dave),
        change(&tasks, "erin", t, None, None),
    )
    .unwrap();
    assert_eq!(rights(&w, Subject::User(w.erin), &tasks), R);
    // Omitted flags stay: adding manage keeps bob's read.
    apply(&w, Subject::User(a), change(&tasks, "bob", None, None, t)).unwrap();
    assert_eq!(rights(&w, Subject::User(w.bob), &tasks), RM);
    // `*` as Realm: every Realm alice owns, in one go.
    apply(&w, Subject::User(a), change("*", "carol", t, None, None)).unwrap();
    for name in ["tasks", "open", "private"] {
        assert_eq!(
            rights(&w, Subject::User(w.carol), &format!("/{a}/{name}")),
            R,
            "{name}"
        );
    }
    // A user creating a Realm in their own home owns it.
    let home = format!("/{}/notes", w.bob);
    apply(
        &w,
        Subject::User(w.bob),
        change(&home, "erin", t, None, None),
    )
    .unwrap();
    assert_eq!(rights(&w, Subject::User(w.bob), &home), Rights::ALL);
    assert_eq!(rights(&w, Subject::User(w.erin), &home), R);
}

#[test]
fn tilde_expands_to_the_requester() {
    let w = world();
    let a = w.alice.to_string();
    let expanded = RealmPath::resolve("/~/tasks", Some(&a)).unwrap();
    assert_eq!(expanded.as_str(), format!("/{a}/tasks"));
    assert_eq!(
        w.store
            .rights(Subject::User(w.alice), &RealmId::Path(expanded))
            .unwrap(),
        Rights::ALL
    );
    let bobs = RealmPath::resolve("~/tasks", Some(&w.bob.to_string())).unwrap();
    assert_ne!(bobs.as_str(), format!("/{a}/tasks"));
}

/// Every path that tries to step out of its Realm, hide, or smuggle a separator
/// is refused by whichever edge received it.
#[test]
fn path_attacks_never_reach_another_realm() {
    let a = "0123456789abcdef01234567";
    let long = format!("/{a}/{}", "x".repeat(2000));
    let texts = [
        format!("/{a}/tasks/.."),
        format!("/{a}/../other/x"),
        format!("/{a}/./tasks"),
        format!("//{a}/tasks"),
        format!("/{a}//tasks"),
        format!("/{a}/tasks/"),
        format!("/{a}/ta\0sks"),
        format!("/{a}/ta\nsks"),
        format!("/{a}/ta\u{7f}sks"),
        format!("/{a}/t\\asks"),
        format!("/{a}/tasks.realm"),
        format!("/{a}/tasks.realm.lock"),
        format!("/{a}/tas ks"),
        format!("/{a}/t\u{e9}che"),
        "/~/tasks".to_string(),
        format!("/{a}/~"),
        long,
    ];
    for text in &texts {
        assert!(RealmPath::parse(text).is_err(), "parse {text:?}");
        assert!(
            RealmId::from_bind(text.as_bytes(), None).is_err(),
            "bind {text:?}"
        );
        assert!(RealmPath::from_url(text, None).is_err(), "url {text:?}");
    }
    let encoded = [
        format!("%2F{a}%2F%2e%2e%2Fother"),
        format!("%2F{a}%2F%2E%2E"),
        format!("%2F{a}%252Ftasks"),
        format!("%2F{a}%2Ftasks%2F"),
        format!("%2F{a}%2Fta%00sks"),
        format!("%2F{a}%2F%"),
        format!("%2F{a}%2F%zz"),
    ];
    for text in &encoded {
        assert!(RealmPath::from_url(text, None).is_err(), "url {text:?}");
    }
    // Bytes in BIND are never decoded: an escape is just an illegal character.
    let bind = format!("/{a}%2Ftasks");
    assert!(RealmId::from_bind(bind.as_bytes(), None).is_err());
    // Decoded once: the same Realm as the plain path, not another.
    let once = RealmPath::from_url(&format!("%2F{a}%2Ftasks"), None).unwrap();
    assert_eq!(once.as_str(), format!("/{a}/tasks"));
    assert_eq!(texts.len() + encoded.len() + 2, 26);
}

#[test]
fn permission_entries_list_by_realm_and_user() {
    let w = world();
    let tasks = RealmId::parse(&format!("/{}/tasks", w.alice), None).unwrap();
    let all = w
        .store
        .permission_entries(&EntryFilter {
            realm: Some(tasks.clone()),
            grantee: None,
        })
        .unwrap();
    assert_eq!(all.len(), 4, "default, bob, carol, dave");
    assert_eq!(all[0].grantee, ros::admin::Grantee::Default);
    let bobs = w
        .store
        .permission_entries(&EntryFilter {
            realm: None,
            grantee: Some(ros::admin::Grantee::User(w.bob)),
        })
        .unwrap();
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0].rights, R);
}

fn partition() -> impl Strategy<Value = PartitionValue> {
    prop_oneof![
        ".{1,40}".prop_map(PartitionValue::String),
        any::<i32>().prop_map(PartitionValue::Int32),
        any::<i64>().prop_map(PartitionValue::Int64),
        any::<[u8; 12]>().prop_map(PartitionValue::ObjectId),
        Just(PartitionValue::Null),
    ]
}

proptest! {
    #[test]
    fn partition_values_round_trip_through_the_identifier(value in partition()) {
        let text = value.to_string();
        let id = RealmId::from_bind(text.as_bytes(), None).unwrap();
        prop_assert_eq!(&id, &RealmId::Partition(value.clone()));
        prop_assert_eq!(id.to_string(), text.clone());
        prop_assert_eq!(RealmId::parse(&text, None).unwrap(), id);
    }
}

#[test]
fn removing_users_keeps_their_realms_and_drops_their_entries() {
    let w = world();
    let tasks = RealmId::parse(&format!("/{}/tasks", w.alice), None).unwrap();
    let removal = ros::admin::ops::remove_user(&w.store, &w.alice).unwrap();
    assert_eq!(removal.owned_realms.len(), 3);
    assert!(removal.owned_realms.contains(&tasks.to_string()));
    let record = w.store.find_realm(&tasks).unwrap().unwrap();
    assert_eq!(record.owner, None, "kept, owner-less");
    // Entries stay for the others and keep deciding.
    assert_eq!(w.store.rights(Subject::User(w.bob), &tasks).unwrap(), R);
    ros::admin::ops::remove_user(&w.store, &w.bob).unwrap();
    let left = w
        .store
        .permission_entries(&EntryFilter {
            realm: Some(tasks),
            grantee: None,
        })
        .unwrap();
    assert_eq!(
        left.len(),
        3,
        "default, carol, dave; bob's entry went with him"
    );
}

#[test]
fn offers_grant_nothing_once_their_creator_stops_managing() {
    use ros::admin::sharing::{accept_offer, create_offer, NewOffer};
    let w = world();
    let tasks = format!("/{}/tasks", w.alice);
    let id = RealmId::parse(&tasks, None).unwrap();
    let now = SystemTime::now();
    let new = NewOffer {
        realm: id.clone(),
        rights: RW,
        expires_at: None,
    };
    let by_dave = create_offer(&w.store, Subject::User(w.dave), &new, now).unwrap();
    let by_alice = create_offer(&w.store, Subject::User(w.alice), &new, now).unwrap();
    apply(
        &w,
        Subject::User(w.alice),
        change(&tasks, "dave", None, None, Some(false)),
    )
    .unwrap();
    let refused = accept_offer(&w.store, &w.erin, &by_dave.token, now);
    assert!(
        matches!(refused, Err(SharingError::CreatorNoLongerManages(_))),
        "{refused:?}"
    );
    assert_eq!(
        rights(&w, Subject::User(w.erin), &tasks),
        RW,
        "still the default"
    );
    let accepted = accept_offer(&w.store, &w.carol, &by_alice.token, now).unwrap();
    assert_eq!(accepted.rights, RW);
    // Far-off expiries are refused rather than wrapped.
    let far = NewOffer {
        expires_at: Some(now + ros::admin::sharing::MAX_OFFER_LIFETIME * 2),
        ..new
    };
    assert!(matches!(
        create_offer(&w.store, Subject::Admin, &far, now),
        Err(SharingError::ExpiryTooFar)
    ));
}
