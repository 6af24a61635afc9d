//! Users and the provider accounts that log them in.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::error::{AdminError, Missing, Taken};
use super::passwords::hash_password;
use super::store::{millis, time, AdminStore};
use super::usernames::{normalize_username, username_key};
use crate::token::UserId;

/// The provider whose accounts carry a username (their `provider_id`) and a password.
pub const PASSWORD_PROVIDER: &str = "password";

/// Pages never hold more users than this, whatever the caller asks for.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// An identity with one login provider: the provider's name and its id of the user
/// (a username, an email, a subject claim, ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Account {
    pub provider: String,
    pub provider_id: String,
}

impl Account {
    pub fn new(provider: impl Into<String>, provider_id: impl Into<String>) -> Account {
        Account {
            provider: provider.into(),
            provider_id: provider_id.into(),
        }
    }

    /// The password account of `username`.
    pub fn password(username: impl Into<String>) -> Account {
        Account::new(PASSWORD_PROVIDER, username)
    }

    fn taken(&self) -> Taken {
        Taken::Account {
            provider: self.provider.clone(),
            provider_id: self.provider_id.clone(),
        }
    }
}

/// A user as stored, with everything attached to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub created_at: SystemTime,
    pub is_admin: bool,
    pub disabled: bool,
    /// Sorted by provider, then provider id.
    pub accounts: Vec<Account>,
    pub metadata: BTreeMap<String, String>,
    /// Its username looks like another user's (made before usernames were
    /// checked); reported, never merged.
    pub lookalike_username: bool,
}

impl User {
    /// The username of the user's password account, if it has one.
    pub fn username(&self) -> Option<&str> {
        self.accounts
            .iter()
            .find(|a| a.provider == PASSWORD_PROVIDER)
            .map(|a| a.provider_id.as_str())
    }
}

/// What to create. A password can only come together with its password account,
/// so a credential never exists that no username can reach.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    id: Option<UserId>,
    is_admin: bool,
    accounts: BTreeSet<Account>,
    metadata: BTreeMap<String, String>,
    password: Option<String>,
}

impl NewUser {
    pub fn new() -> NewUser {
        NewUser::default()
    }

    /// A user who logs in with `username` and `password`.
    pub fn with_password(username: impl Into<String>, password: impl Into<String>) -> NewUser {
        let mut user = NewUser::new().account(Account::password(username));
        user.password = Some(password.into());
        user
    }

    /// Keeps a given id (an import, or a provider that dictates ids) instead of a new one.
    pub fn id(mut self, id: UserId) -> NewUser {
        self.id = Some(id);
        self
    }

    pub fn admin(mut self, is_admin: bool) -> NewUser {
        self.is_admin = is_admin;
        self
    }

    pub fn account(mut self, account: Account) -> NewUser {
        self.accounts.insert(account);
        self
    }

    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> NewUser {
        self.metadata.insert(key.into(), value.into());
        self
    }
}

/// Which users to list: at most `limit` (capped at `MAX_PAGE_SIZE`), with ids after
/// `after`, in id order. Ids only grow, so new users never shift a page already read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: NonZeroU32,
    pub after: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPage {
    pub users: Vec<User>,
    /// Pass as `after` for the next page; `None` when this page is the last.
    pub next: Option<UserId>,
}

/// What `delete_user` removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedUser {
    /// The user as it was, accounts and metadata included.
    pub user: User,
    pub had_password: bool,
    /// Sessions that were still open and are now ended.
    pub sessions_ended: usize,
}

pub(crate) fn load_user(conn: &Connection, id: &UserId) -> Result<Option<User>, AdminError> {
    let row = conn
        .prepare_cached("SELECT created_at, is_admin, disabled FROM users WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((created, is_admin, disabled)) = row else {
        return Ok(None);
    };
    let accounts = conn
        .prepare_cached(
            "SELECT provider, provider_id FROM accounts WHERE user_id = ?1 ORDER BY provider, provider_id",
        )?
        .query_map([id], |r| Ok(Account::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<_, _>>()?;
    let metadata = conn
        .prepare_cached("SELECT key, value FROM user_metadata WHERE user_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let lookalike_username = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM accounts a JOIN accounts b
               ON b.provider = a.provider AND b.name_key = a.name_key AND b.user_id <> a.user_id
             WHERE a.user_id = ?1 AND a.provider = ?2)",
        )?
        .query_row(params![id, PASSWORD_PROVIDER], |r| r.get(0))?;
    Ok(Some(User {
        id: *id,
        created_at: time(created),
        is_admin,
        disabled,
        accounts,
        metadata,
        lookalike_username,
    }))
}

pub(crate) fn require_user(conn: &Connection, id: &UserId) -> Result<User, AdminError> {
    load_user(conn, id)?.ok_or(AdminError::NotFound(Missing::User(*id)))
}

fn exact_owner(conn: &Connection, provider: &str, id: &str) -> Result<Option<UserId>, AdminError> {
    Ok(conn
        .prepare_cached("SELECT user_id FROM accounts WHERE provider = ?1 AND provider_id = ?2")?
        .query_row(params![provider, id], |r| r.get(0))
        .optional()?)
}

/// The password accounts whose username looks like `name`: (username, user).
fn lookalikes(conn: &Connection, name: &str) -> Result<Vec<(String, UserId)>, AdminError> {
    Ok(conn
        .prepare_cached(
            "SELECT provider_id, user_id FROM accounts WHERE provider = ?1 AND name_key = ?2",
        )?
        .query_map(params![PASSWORD_PROVIDER, username_key(name)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?)
}

/// The owner of an account. A username is looked up as typed in NFC, else by
/// its look-alike key when exactly one account has it, so `Alice` logs in as
/// `alice`; a name that could never be stored finds nobody.
pub(crate) fn account_owner(
    conn: &Connection,
    account: &Account,
) -> Result<Option<UserId>, AdminError> {
    if account.provider != PASSWORD_PROVIDER {
        return exact_owner(conn, &account.provider, &account.provider_id);
    }
    let Ok(name) = normalize_username(&account.provider_id) else {
        return Ok(None);
    };
    if let Some(owner) = exact_owner(conn, PASSWORD_PROVIDER, &name)? {
        return Ok(Some(owner));
    }
    match lookalikes(conn, &name)?.as_slice() {
        [(_, owner)] => Ok(Some(*owner)),
        _ => Ok(None),
    }
}

/// Fills the look-alike key of password accounts made before it existed.
pub(crate) fn fill_name_keys(conn: &Connection) -> Result<(), AdminError> {
    let names: Vec<String> = conn
        .prepare_cached(
            "SELECT provider_id FROM accounts WHERE provider = ?1 AND name_key IS NULL",
        )?
        .query_map([PASSWORD_PROVIDER], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for name in names {
        conn.prepare_cached(
            "UPDATE accounts SET name_key = ?3 WHERE provider = ?1 AND provider_id = ?2",
        )?
        .execute(params![PASSWORD_PROVIDER, name, username_key(&name)])?;
    }
    Ok(())
}

fn insert_account(
    conn: &Connection,
    user: &UserId,
    account: &Account,
    now: SystemTime,
) -> Result<(), AdminError> {
    if account.provider.is_empty() {
        return Err(AdminError::EmptyProvider);
    }
    let (provider_id, key) = if account.provider == PASSWORD_PROVIDER {
        let name = normalize_username(&account.provider_id)?;
        if let Some((existing, _)) = lookalikes(conn, &name)?.into_iter().next() {
            return Err(if existing == name {
                AdminError::Conflict(Account::password(name).taken())
            } else {
                AdminError::LookAlike { name, existing }
            });
        }
        let key = username_key(&name);
        (name, Some(key))
    } else {
        (account.provider_id.clone(), None)
    };
    if exact_owner(conn, &account.provider, &provider_id)?.is_some() {
        return Err(AdminError::Conflict(
            Account::new(&account.provider, provider_id).taken(),
        ));
    }
    conn.prepare_cached(
        "INSERT INTO accounts (provider, provider_id, user_id, created_at, name_key)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        account.provider,
        provider_id,
        user,
        millis(now),
        key
    ])?;
    Ok(())
}

fn update_flag(
    store: &AdminStore,
    id: &UserId,
    column: &str,
    value: bool,
) -> Result<(), AdminError> {
    let changed = store.conn().execute(
        &format!("UPDATE users SET {column} = ?2 WHERE id = ?1"),
        params![id, value],
    )?;
    if changed == 0 {
        return Err(AdminError::NotFound(Missing::User(*id)));
    }
    Ok(())
}

impl AdminStore {
    /// Creates a user with its accounts, metadata and password. Fails with
    /// `Conflict` and creates nothing if the id or any account is taken.
    pub fn create_user(&self, new: NewUser, now: SystemTime) -> Result<User, AdminError> {
        let phc = match &new.password {
            Some(password) => Some(hash_password(password, &self.password_params)?),
            None => None,
        };
        let id = new.id.unwrap_or_else(|| UserId::generate(now));
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if load_user(&tx, &id)?.is_some() {
            return Err(AdminError::Conflict(Taken::UserId(id)));
        }
        tx.prepare_cached(
            "INSERT INTO users (id, created_at, is_admin, disabled) VALUES (?1, ?2, ?3, 0)",
        )?
        .execute(params![id, millis(now), new.is_admin])?;
        for account in &new.accounts {
            insert_account(&tx, &id, account, now)?;
        }
        for (key, value) in &new.metadata {
            tx.prepare_cached(
                "INSERT INTO user_metadata (user_id, key, value) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, key, value])?;
        }
        if let Some(phc) = phc {
            tx.prepare_cached(
                "INSERT INTO password_credentials (user_id, phc, updated_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, phc, millis(now)])?;
        }
        let user = require_user(&tx, &id)?;
        tx.commit()?;
        Ok(user)
    }

    pub fn find_user(&self, id: &UserId) -> Result<Option<User>, AdminError> {
        load_user(&self.conn(), id)
    }

    /// The user owning `provider_id` at `provider`; for the password provider that
    /// is the lookup by username.
    pub fn find_by_account(
        &self,
        provider: &str,
        provider_id: &str,
    ) -> Result<Option<User>, AdminError> {
        let conn = self.conn();
        match account_owner(&conn, &Account::new(provider, provider_id))? {
            Some(id) => load_user(&conn, &id),
            None => Ok(None),
        }
    }

    pub fn list_users(&self, page: Page) -> Result<UserPage, AdminError> {
        let limit = page.limit.get().min(MAX_PAGE_SIZE);
        let conn = self.conn();
        let after = page.after.map(|id| id.to_string()).unwrap_or_default();
        let mut ids: Vec<UserId> = conn
            .prepare_cached("SELECT id FROM users WHERE id > ?1 ORDER BY id LIMIT ?2")?
            .query_map(params![after, limit + 1], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let more = ids.len() > limit as usize;
        ids.truncate(limit as usize);
        let users = ids
            .iter()
            .map(|id| require_user(&conn, id))
            .collect::<Result<Vec<_>, _>>()?;
        let next = if more {
            users.last().map(|u| u.id)
        } else {
            None
        };
        Ok(UserPage { users, next })
    }

    pub fn set_admin(&self, id: &UserId, is_admin: bool) -> Result<(), AdminError> {
        update_flag(self, id, "is_admin", is_admin)
    }

    /// A disabled user keeps everything but cannot log in, and its sessions and
    /// tokens stop being accepted until it is enabled again.
    pub fn set_disabled(&self, id: &UserId, disabled: bool) -> Result<(), AdminError> {
        update_flag(self, id, "disabled", disabled)
    }

    /// Replaces the user's metadata as a whole (what `PUT /auth/users` does).
    pub fn set_metadata(
        &self,
        id: &UserId,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), AdminError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        require_user(&tx, id)?;
        tx.execute("DELETE FROM user_metadata WHERE user_id = ?1", [id])?;
        for (key, value) in metadata {
            tx.prepare_cached(
                "INSERT INTO user_metadata (user_id, key, value) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, key, value])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Links one more provider account to an existing user.
    pub fn add_account(
        &self,
        id: &UserId,
        account: &Account,
        now: SystemTime,
    ) -> Result<(), AdminError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        require_user(&tx, id)?;
        insert_account(&tx, id, account, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes the user and everything hanging off it: accounts, metadata, password
    /// hash and sessions (so every refresh token of the user stops working).
    pub fn delete_user(&self, id: &UserId) -> Result<DeletedUser, AdminError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let user = require_user(&tx, id)?;
        let had_password = tx
            .query_row(
                "SELECT 1 FROM password_credentials WHERE user_id = ?1",
                [id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        let sessions_ended = tx.query_row(
            "SELECT count(*) FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL",
            [id],
            |r| r.get::<_, i64>(0),
        )?;
        tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(DeletedUser {
            user,
            had_password,
            sessions_ended: usize::try_from(sessions_ended).unwrap_or(0),
        })
    }
}
