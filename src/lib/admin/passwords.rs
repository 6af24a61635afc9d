//! Passwords of the password provider: argon2id hashes in PHC string form
//! (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so each hash carries its algorithm and
//! parameters and stays verifiable after the defaults change.

use std::time::SystemTime;

use argon2::password_hash::{Error as HashError, PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use rusqlite::{params, OptionalExtension};

use super::error::{AdminError, Taken};
use super::store::{millis, AdminStore};
use super::users::{account_owner, require_user, Account, NewUser, User, PASSWORD_PROVIDER};
use crate::token::UserId;

/// The original's auto-created admin account (docs/original-server.md §4).
pub const DEFAULT_ADMIN_USERNAME: &str = "realm-admin";
/// The environment variable whose value becomes that account's password.
pub const DEFAULT_PASSWORD_ENV: &str = "ROS_DEFAULT_PASSWORD";

/// argon2id cost parameters for new hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
}

impl PasswordParams {
    /// OWASP's first argon2id recommendation: 19 MiB, 2 passes, 1 lane. Costs tens
    /// of milliseconds per login on one core, which bounds guessing without making
    /// logins queue on a small server.
    pub const RECOMMENDED: PasswordParams = PasswordParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    pub fn new(
        memory_kib: u32,
        iterations: u32,
        parallelism: u32,
    ) -> Result<PasswordParams, AdminError> {
        Params::new(memory_kib, iterations, parallelism, None)
            .map_err(|e| AdminError::PasswordParams(e.to_string()))?;
        Ok(PasswordParams {
            memory_kib,
            iterations,
            parallelism,
        })
    }

    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    pub fn parallelism(&self) -> u32 {
        self.parallelism
    }

    fn hasher(&self) -> Result<Argon2<'static>, AdminError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| AdminError::PasswordParams(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for PasswordParams {
    fn default() -> PasswordParams {
        PasswordParams::RECOMMENDED
    }
}

/// A new PHC string for `password` with a fresh random salt.
pub fn hash_password(password: &str, params: &PasswordParams) -> Result<String, AdminError> {
    params
        .hasher()?
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AdminError::PasswordHash(e.to_string()))
}

/// Whether `password` matches `phc`, using the parameters stored in `phc`.
pub fn password_matches(password: &str, phc: &str) -> Result<bool, AdminError> {
    match Argon2::default().verify_password(password.as_bytes(), phc) {
        Ok(()) => Ok(true),
        Err(HashError::PasswordInvalid) => Ok(false),
        Err(e) => Err(AdminError::PasswordHash(e.to_string())),
    }
}

impl AdminStore {
    /// A hash to verify against when the username is unknown, so that a wrong
    /// username costs as long as a wrong password and does not reveal which users exist.
    fn dummy_hash(&self) -> Result<&str, AdminError> {
        if self.dummy_hash.get().is_none() {
            let hash = hash_password("not a password", &self.password_params)?;
            let _ = self.dummy_hash.set(hash);
        }
        Ok(self
            .dummy_hash
            .get()
            .map(String::as_str)
            .unwrap_or_default())
    }

    /// Sets (or replaces) the password of a user that has a password account.
    pub fn set_password(
        &self,
        id: &UserId,
        password: &str,
        now: SystemTime,
    ) -> Result<(), AdminError> {
        let phc = hash_password(password, &self.password_params)?;
        let conn = self.conn();
        let user = require_user(&conn, id)?;
        if user.username().is_none() {
            return Err(AdminError::NoPasswordAccount(*id));
        }
        conn.prepare_cached(
            "INSERT INTO password_credentials (user_id, phc, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, updated_at = excluded.updated_at",
        )?
        .execute(params![id, phc, millis(now)])?;
        Ok(())
    }

    /// The user whose password account is `username`, if `password` is its password.
    /// Unknown users and wrong passwords give the same `InvalidCredentials`; a
    /// disabled user with the right password gets `UserDisabled`.
    pub fn verify_password(&self, username: &str, password: &str) -> Result<User, AdminError> {
        let found: Option<(UserId, Option<String>)> = {
            let conn = self.conn();
            match account_owner(&conn, &Account::password(username))? {
                None => None,
                Some(id) => Some((
                    id,
                    conn.prepare_cached("SELECT phc FROM password_credentials WHERE user_id = ?1")?
                        .query_row([id], |r| r.get(0))
                        .optional()?,
                )),
            }
        };
        let Some((id, Some(phc))) = found else {
            password_matches(password, self.dummy_hash()?)?;
            return Err(AdminError::InvalidCredentials);
        };
        if !password_matches(password, &phc)? {
            return Err(AdminError::InvalidCredentials);
        }
        let user = require_user(&self.conn(), &id)?;
        if user.disabled {
            return Err(AdminError::UserDisabled(id));
        }
        Ok(user)
    }

    /// Creates the original's `realm-admin` admin account with `password` (the value
    /// of `ROS_DEFAULT_PASSWORD`, which the caller reads) unless that account exists.
    /// Returns the new user, or `None` when there was one already. An empty password
    /// is refused: unlike the original, no admin account ever has an empty password.
    pub fn ensure_default_admin(
        &self,
        password: &str,
        now: SystemTime,
    ) -> Result<Option<User>, AdminError> {
        if password.is_empty() {
            return Err(AdminError::EmptyDefaultPassword);
        }
        if self
            .find_by_account(PASSWORD_PROVIDER, DEFAULT_ADMIN_USERNAME)?
            .is_some()
        {
            return Ok(None);
        }
        let new = NewUser::with_password(DEFAULT_ADMIN_USERNAME, password).admin(true);
        match self.create_user(new, now) {
            Ok(user) => Ok(Some(user)),
            Err(AdminError::Conflict(Taken::Account { .. })) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::users::Account;

    fn cheap() -> PasswordParams {
        PasswordParams::new(64, 1, 1).unwrap()
    }

    #[test]
    fn hashes_are_phc_strings_with_their_parameters() {
        let phc = hash_password("secret", &cheap()).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(password_matches("secret", &phc).unwrap());
        assert!(!password_matches("Secret", &phc).unwrap());
    }

    #[test]
    fn salts_differ_between_hashes_of_one_password() {
        assert_ne!(
            hash_password("same", &cheap()).unwrap(),
            hash_password("same", &cheap()).unwrap()
        );
    }

    #[test]
    fn a_hash_made_with_other_parameters_still_verifies() {
        let old = hash_password("pw", &PasswordParams::new(128, 3, 2).unwrap()).unwrap();
        assert!(old.contains("m=128,t=3,p=2"));
        assert!(password_matches("pw", &old).unwrap());
    }

    #[test]
    fn broken_hash_strings_are_errors_not_mismatches() {
        assert!(matches!(
            password_matches("pw", "$md5$abc"),
            Err(AdminError::PasswordHash(_))
        ));
    }

    #[test]
    fn out_of_range_parameters_are_refused() {
        assert!(matches!(
            PasswordParams::new(64, 0, 1),
            Err(AdminError::PasswordParams(_))
        ));
    }

    #[test]
    fn account_helper_names_the_password_provider() {
        assert_eq!(Account::password("bob"), Account::new("password", "bob"));
    }
}
