//! User management as operators see it, shared by the admin API (`/api/admin/v1`)
//! and the offline `ros user --root DIR`: both call these, so the rules (how a
//! user is named, what removing one does) cannot differ between the two.

use std::num::NonZeroU32;
use std::time::SystemTime;

use super::error::{AdminError, Missing};
use super::store::AdminStore;
use super::users::{NewUser, Page, User, MAX_PAGE_SIZE, PASSWORD_PROVIDER};
use crate::token::{SessionId, UserId};

/// Finds a user named the way operators name them: a user id, else a username of
/// the password provider. An id wins when a username looks like another user's id.
pub fn resolve_user(store: &AdminStore, name: &str) -> Result<User, AdminError> {
    if let Ok(id) = name.parse::<UserId>() {
        if let Some(user) = store.find_user(&id)? {
            return Ok(user);
        }
    }
    store
        .find_by_account(PASSWORD_PROVIDER, name)?
        .ok_or_else(|| match name.parse::<UserId>() {
            Ok(id) => AdminError::NotFound(Missing::User(id)),
            Err(_) => AdminError::NotFound(Missing::Account {
                provider: PASSWORD_PROVIDER.to_string(),
                provider_id: name.to_string(),
            }),
        })
}

/// A user who logs in with a username and password.
#[derive(Debug, Clone)]
pub struct NewPasswordUser {
    pub username: String,
    pub password: String,
    pub is_admin: bool,
}

/// Creates a password user. Empty usernames and passwords are refused: unlike the
/// original, no account here can be entered with an empty password.
pub fn add_user(
    store: &AdminStore,
    new: NewPasswordUser,
    now: SystemTime,
) -> Result<User, AdminError> {
    if new.username.is_empty() {
        return Err(AdminError::EmptyUsername);
    }
    if new.password.is_empty() {
        return Err(AdminError::EmptyPassword);
    }
    store.create_user(
        NewUser::with_password(new.username, new.password).admin(new.is_admin),
        now,
    )
}

/// Flags to change; `None` leaves a flag as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserChanges {
    pub is_admin: Option<bool>,
    pub disabled: Option<bool>,
}

/// Applies `changes` and returns the user as it is now. Disabling keeps the user's
/// sessions but every token of theirs is refused until the user is enabled again.
pub fn update_user(
    store: &AdminStore,
    id: &UserId,
    changes: UserChanges,
) -> Result<User, AdminError> {
    if let Some(is_admin) = changes.is_admin {
        store.set_admin(id, is_admin)?;
    }
    if let Some(disabled) = changes.disabled {
        store.set_disabled(id, disabled)?;
    }
    store
        .find_user(id)?
        .ok_or(AdminError::NotFound(Missing::User(*id)))
}

/// Sets a new password and returns the user.
/// Which of a user's sessions (logins, and so refresh tokens) a password change
/// ends: a stolen refresh token must not outlive the password it was bought with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSessions {
    /// An administrator's reset: every session.
    All,
    /// The user's own change: every session but the one it was made from.
    AllBut(SessionId),
    /// `ros user passwd --keep-sessions`: none, on purpose.
    None,
}

/// Sets the password of a user with a password account, ending the sessions
/// `ending` names first.
pub fn change_password(
    store: &AdminStore,
    id: &UserId,
    password: &str,
    ending: EndSessions,
    now: SystemTime,
) -> Result<User, AdminError> {
    if password.is_empty() {
        return Err(AdminError::EmptyPassword);
    }
    let user = store
        .find_user(id)?
        .ok_or(AdminError::NotFound(Missing::User(*id)))?;
    if user.username().is_none() {
        return Err(AdminError::NoPasswordAccount(*id));
    }
    // Sessions end before the password changes: a crash in between leaves the
    // old password with no old sessions, never old sessions beside a new password.
    match ending {
        EndSessions::All => {
            store.revoke_user_sessions(id, now)?;
        }
        EndSessions::AllBut(keep) => {
            store.revoke_other_sessions(id, &keep, now)?;
        }
        EndSessions::None => {}
    }
    store.set_password(id, password, now)?;
    store
        .find_user(id)?
        .ok_or(AdminError::NotFound(Missing::User(*id)))
}

/// What removing a user did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The user as it was.
    pub user: User,
    /// Sessions (logins) that were open and are now ended.
    pub sessions_revoked: usize,
    /// The Realms the user owned: they are kept, owner-less, for an administrator
    /// to delete or hand over.
    pub owned_realms: Vec<String>,
}

/// Removes the user with its accounts, password and sessions; its Realms stay.
pub fn remove_user(store: &AdminStore, id: &UserId) -> Result<Removal, AdminError> {
    let owned = store.realms_owned_by(id)?;
    let deleted = store.delete_user(id)?;
    Ok(Removal {
        user: deleted.user,
        sessions_revoked: deleted.sessions_ended,
        owned_realms: owned.iter().map(ToString::to_string).collect(),
    })
}

/// Every user, in id order, read page by page.
pub fn all_users(store: &AdminStore) -> Result<Vec<User>, AdminError> {
    let mut users = Vec::new();
    let mut after = None;
    let limit = NonZeroU32::new(MAX_PAGE_SIZE).unwrap_or(NonZeroU32::MIN);
    loop {
        let page = store.list_users(Page { limit, after })?;
        users.extend(page.users);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(users),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::{PasswordParams, StoreOptions};

    fn store(dir: &std::path::Path) -> AdminStore {
        let options = StoreOptions {
            password_params: PasswordParams::new(64, 1, 1).unwrap(),
            ..StoreOptions::default()
        };
        AdminStore::open_with(&dir.join("admin.sqlite3"), options).unwrap()
    }

    fn add(store: &AdminStore, name: &str) -> User {
        let new = NewPasswordUser {
            username: name.into(),
            password: "pw".into(),
            is_admin: false,
        };
        add_user(store, new, SystemTime::now()).unwrap()
    }

    #[test]
    fn users_are_named_by_id_first_then_by_username() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let alice = add(&store, "alice");
        // A username that is another user's id is refused now; one stored
        // before that rule existed loses to the id.
        let new = NewPasswordUser {
            username: alice.id.to_string(),
            password: "pw".into(),
            is_admin: false,
        };
        assert!(matches!(
            add_user(&store, new, SystemTime::now()),
            Err(AdminError::InvalidUsername(_))
        ));
        let impostor = add(&store, "impostor");
        store
            .conn()
            .execute(
                "UPDATE accounts SET provider_id = ?1 WHERE provider_id = 'impostor'",
                [alice.id.to_string()],
            )
            .unwrap();
        assert_eq!(
            resolve_user(&store, &alice.id.to_string()).unwrap().id,
            alice.id
        );
        assert_eq!(resolve_user(&store, "alice").unwrap().id, alice.id);
        assert_eq!(
            resolve_user(&store, &impostor.id.to_string()).unwrap().id,
            impostor.id
        );
        assert!(matches!(
            resolve_user(&store, "nobody"),
            Err(AdminError::NotFound(Missing::Account { .. }))
        ));
    }

    #[test]
    fn a_password_change_ends_the_sessions_it_is_told_to() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let now = SystemTime::now();
        let carol = add(&store, "carol");
        let open = |n: usize| -> Vec<_> {
            (0..n)
                .map(|_| store.create_session(&carol.id, now).unwrap().id)
                .collect()
        };
        let active = |ids: &[SessionId]| -> Vec<bool> {
            ids.iter()
                .map(|id| store.is_session_active(id).unwrap())
                .collect()
        };
        let first = open(3);
        change_password(&store, &carol.id, "pw2", EndSessions::AllBut(first[1]), now).unwrap();
        assert_eq!(active(&first), [false, true, false]);
        let second = open(1);
        change_password(&store, &carol.id, "pw3", EndSessions::None, now).unwrap();
        assert_eq!(active(&second), [true]);
        change_password(&store, &carol.id, "pw4", EndSessions::All, now).unwrap();
        assert_eq!(active(&[first[1], second[0]]), [false, false]);
        assert!(store.verify_password("carol", "pw4").is_ok());
    }

    #[test]
    fn empty_names_and_passwords_are_refused_and_removal_reports() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let empty = |username: &str, password: &str| NewPasswordUser {
            username: username.into(),
            password: password.into(),
            is_admin: false,
        };
        let now = SystemTime::now();
        assert!(matches!(
            add_user(&store, empty("", "pw"), now),
            Err(AdminError::EmptyUsername)
        ));
        assert!(matches!(
            add_user(&store, empty("a", ""), now),
            Err(AdminError::EmptyPassword)
        ));
        let bob = add(&store, "bob");
        assert!(matches!(
            change_password(&store, &bob.id, "", EndSessions::All, now),
            Err(AdminError::EmptyPassword)
        ));
        store.create_session(&bob.id, now).unwrap();
        let changed = update_user(
            &store,
            &bob.id,
            UserChanges {
                is_admin: Some(true),
                disabled: None,
            },
        )
        .unwrap();
        assert!(changed.is_admin && !changed.disabled);
        let removal = remove_user(&store, &bob.id).unwrap();
        assert_eq!(removal.sessions_revoked, 1);
        assert!(removal.owned_realms.is_empty());
        assert_eq!(all_users(&store).unwrap().len(), 0);
    }
}
