//! Refresh sessions: opened per login, touched, ended one by one or all at once.

use ros::admin::{AdminError, Missing, NewUser};
use ros::token::{SessionId, UserId};

use super::{at, open, T0};

#[test]
fn sessions_open_touch_and_end() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let user = store.create_user(NewUser::new(), at(T0)).unwrap().id;
    let session = store.create_session(&user, at(T0)).unwrap();
    assert_eq!(
        (
            session.user,
            session.created_at,
            session.last_used_at,
            session.revoked_at
        ),
        (user, at(T0), at(T0), None)
    );
    assert!(store.is_session_active(&session.id).unwrap());

    store.touch_session(&session.id, at(T0 + 50)).unwrap();
    store.touch_session(&session.id, at(T0 + 10)).unwrap();
    assert_eq!(
        store
            .find_session(&session.id)
            .unwrap()
            .unwrap()
            .last_used_at,
        at(T0 + 50)
    );

    assert!(store.revoke_session(&session.id, at(T0 + 60)).unwrap());
    assert!(!store.revoke_session(&session.id, at(T0 + 61)).unwrap());
    assert_eq!(
        store.find_session(&session.id).unwrap().unwrap().revoked_at,
        Some(at(T0 + 60))
    );
    assert!(!store.is_session_active(&session.id).unwrap());
    assert!(
        matches!(store.touch_session(&session.id, at(T0 + 70)), Err(AdminError::SessionRevoked(s)) if s == session.id)
    );

    let ghost = SessionId::generate(at(T0));
    assert!(!store.is_session_active(&ghost).unwrap());
    assert!(
        matches!(store.touch_session(&ghost, at(T0)), Err(AdminError::NotFound(Missing::Session(g))) if g == ghost)
    );
    assert!(matches!(
        store.revoke_session(&ghost, at(T0)),
        Err(AdminError::NotFound(Missing::Session(_)))
    ));
    assert!(matches!(
        store.create_session(&UserId::generate(at(T0)), at(T0)),
        Err(AdminError::NotFound(Missing::User(_)))
    ));
}

#[test]
fn all_sessions_of_a_user_end_together_and_disabling_suspends_them() {
    let root = tempfile::tempdir().unwrap();
    let store = open(root.path());
    let user = store.create_user(NewUser::new(), at(T0)).unwrap().id;
    let other = store.create_user(NewUser::new(), at(T0)).unwrap().id;
    let a = store.create_session(&user, at(T0)).unwrap().id;
    let b = store.create_session(&user, at(T0)).unwrap().id;
    let keep = store.create_session(&other, at(T0)).unwrap().id;

    store.set_disabled(&user, true).unwrap();
    assert!(!store.is_session_active(&a).unwrap());
    assert!(matches!(
        store.create_session(&user, at(T0)),
        Err(AdminError::UserDisabled(_))
    ));
    store.set_disabled(&user, false).unwrap();
    assert!(store.is_session_active(&a).unwrap());

    store.revoke_session(&a, at(T0)).unwrap();
    assert_eq!(store.revoke_user_sessions(&user, at(T0 + 1)).unwrap(), 1);
    assert!(!store.is_session_active(&a).unwrap() && !store.is_session_active(&b).unwrap());
    assert!(store.is_session_active(&keep).unwrap());
}
