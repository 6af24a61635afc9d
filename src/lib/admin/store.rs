//! Opening the admin database and the plumbing every operation shares.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};

use super::error::AdminError;
use super::passwords::PasswordParams;
use super::schema::migrate;
use crate::token::{SessionId, UserId};

/// The admin database's file name in the data root.
pub const ADMIN_DB_FILE: &str = "admin.sqlite3";

/// How long a statement waits for another connection's write lock (the CLI and the
/// server may share the file) before failing with "database is locked".
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub busy_timeout: Duration,
    /// Parameters for new password hashes; stored hashes keep their own.
    pub password_params: PasswordParams,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
            password_params: PasswordParams::default(),
        }
    }
}

/// The admin store ("Admin Realm" of the original): users, their provider accounts,
/// password hashes, refresh sessions and revoked tokens, in one SQLite file.
///
/// Every method blocks on SQLite (and password methods on argon2 for tens of
/// milliseconds): async callers run them on a blocking thread. One connection
/// serves the whole process behind a mutex; password hashing happens outside it.
#[derive(Debug)]
pub struct AdminStore {
    pub(crate) conn: Mutex<Connection>,
    path: PathBuf,
    pub(crate) password_params: PasswordParams,
    pub(crate) dummy_hash: OnceLock<String>,
}

fn create_private(path: &Path) -> std::io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

impl AdminStore {
    /// Opens (creating if needed) `root/admin.sqlite3`.
    pub fn open_in_root(root: &Path) -> Result<AdminStore, AdminError> {
        AdminStore::open(&root.join(ADMIN_DB_FILE))
    }

    /// Opens (creating if needed) the database at `path` with default options.
    pub fn open(path: &Path) -> Result<AdminStore, AdminError> {
        AdminStore::open_with(path, StoreOptions::default())
    }

    /// Opens the database: WAL journal (readers never wait for the writer), foreign
    /// keys enforced, a busy timeout, then every pending migration. A new file is
    /// made 0600 first: it holds password hashes, and SQLite gives its `-wal` and
    /// `-shm` companions the same mode.
    pub fn open_with(path: &Path, options: StoreOptions) -> Result<AdminStore, AdminError> {
        let open_err = |source| AdminError::Open {
            path: path.to_path_buf(),
            source,
        };
        create_private(path).map_err(|source| AdminError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(options.busy_timeout).map_err(open_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(AdminError::JournalMode {
                path: path.to_path_buf(),
                mode,
            });
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        migrate(&mut conn, path)?;
        super::users::fill_name_keys(&conn)?;
        Ok(AdminStore {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            password_params: options.password_params,
            dummy_hash: OnceLock::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<u32, AdminError> {
        Ok(self
            .conn()
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// The connection. A panic while it was held cannot leave it mid-transaction
    /// (dropped transactions roll back), so a poisoned lock is still usable.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Unix milliseconds, the unit of every time column.
pub(crate) fn millis(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |m| -m),
    }
}

pub(crate) fn time(ms: i64) -> SystemTime {
    let magnitude = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH.checked_sub(magnitude).unwrap_or(UNIX_EPOCH)
    }
}

macro_rules! sql_id {
    ($name:ident) => {
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.to_string()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$name> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

sql_id!(UserId);
sql_id!(SessionId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<AdminStore>();
        shareable::<crate::token::TokenSigner>();
        shareable::<crate::token::TokenVerifier>();
    }

    #[test]
    fn times_round_trip_through_milliseconds() {
        for t in [
            UNIX_EPOCH,
            UNIX_EPOCH + Duration::from_millis(1_790_000_000_123),
            UNIX_EPOCH - Duration::from_millis(5),
        ] {
            assert_eq!(time(millis(t)), t);
        }
    }
}
