//! The admin database's schema, built by an ordered list of migrations. The version
//! lives in `PRAGMA user_version`; each migration runs in its own transaction that
//! also bumps the version, so a crash leaves the database at a whole version.
//!
//! Later issues extend this list; a released migration is never edited. Version 2
//! added the Realm registry, permissions and offers, which hang off `users(id)`.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::error::AdminError;

pub(crate) struct Migration {
    pub version: u32,
    pub sql: &'static str,
}

/// Times are unix milliseconds; ids are 24 lower-case hex characters.
const V1_USERS_ACCOUNTS_SESSIONS: &str = "
CREATE TABLE users (
    id          TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
    created_at  INTEGER NOT NULL,
    is_admin    INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

CREATE TABLE user_metadata (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE accounts (
    provider     TEXT NOT NULL CHECK (provider <> ''),
    provider_id  TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (provider, provider_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX accounts_by_user ON accounts(user_id);

CREATE TABLE password_credentials (
    user_id     TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    phc         TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    revoked_at    INTEGER
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE revoked_tokens (
    identity    TEXT NOT NULL,
    salt        TEXT NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER NOT NULL,
    PRIMARY KEY (identity, salt)
) STRICT, WITHOUT ROWID;
";

/// The Realm registry and what users may do with each Realm. A Realm is keyed by
/// its identifier's text (`RealmId`'s display form: a path starts with `/`, a
/// partition value never does). An owner's removal leaves the Realm owner-less; a
/// grantee's removal takes their entries and offers with them.
const V2_REALMS_PERMISSIONS_OFFERS: &str = "
CREATE TABLE realms (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 1100),
    owner_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX realms_by_owner ON realms(owner_id);

CREATE TABLE permissions (
    realm_id    TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    may_read    INTEGER NOT NULL CHECK (may_read IN (0, 1)),
    may_write   INTEGER NOT NULL CHECK (may_write IN (0, 1) AND may_write <= may_read),
    may_manage  INTEGER NOT NULL CHECK (may_manage IN (0, 1)),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (realm_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX permissions_by_user ON permissions(user_id);

CREATE TABLE default_permissions (
    realm_id    TEXT PRIMARY KEY REFERENCES realms(id) ON DELETE CASCADE,
    may_read    INTEGER NOT NULL CHECK (may_read IN (0, 1)),
    may_write   INTEGER NOT NULL CHECK (may_write IN (0, 1) AND may_write <= may_read),
    may_manage  INTEGER NOT NULL CHECK (may_manage IN (0, 1)),
    updated_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE offers (
    token       TEXT PRIMARY KEY CHECK (length(token) = 32 AND token NOT GLOB '*[^0-9a-f]*'),
    realm_id    TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE,
    creator_id  TEXT REFERENCES users(id) ON DELETE CASCADE,
    may_read    INTEGER NOT NULL CHECK (may_read IN (0, 1)),
    may_write   INTEGER NOT NULL CHECK (may_write IN (0, 1) AND may_write <= may_read),
    may_manage  INTEGER NOT NULL CHECK (may_manage IN (0, 1)),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER
) STRICT;
CREATE INDEX offers_by_creator ON offers(creator_id);

CREATE TABLE offer_acceptances (
    token        TEXT NOT NULL REFERENCES offers(token) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    accepted_at  INTEGER NOT NULL,
    PRIMARY KEY (token, user_id)
) STRICT, WITHOUT ROWID;
";

/// Look-alike usernames (docs/cli-json.md, "Usernames"): each password account's
/// [`username_key`](super::usernames::username_key). Not unique, since names
/// made before this version may share one; the store fills it for them on open.
const V3_USERNAME_KEYS: &str = "
ALTER TABLE accounts ADD COLUMN name_key TEXT;
CREATE INDEX accounts_by_name_key ON accounts(provider, name_key);
";

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: V1_USERS_ACCOUNTS_SESSIONS,
    },
    Migration {
        version: 2,
        sql: V2_REALMS_PERMISSIONS_OFFERS,
    },
    Migration {
        version: 3,
        sql: V3_USERNAME_KEYS,
    },
];

/// The schema version this binary creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn newer(path: &Path, found: u32, known: u32) -> AdminError {
    AdminError::NewerSchema {
        path: path.to_path_buf(),
        found,
        known,
    }
}

/// Brings the database up to `SCHEMA_VERSION`, refusing one written by a newer
/// binary. Another process migrating at the same time is waited for (the write
/// lock is taken before the version is read again), never raced.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<u32, AdminError> {
    apply(conn, path, MIGRATIONS)
}

fn apply(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<u32, AdminError> {
    let known = migrations.last().map_or(0, |m| m.version);
    let found = user_version(conn)?;
    if found > known {
        return Err(newer(path, found, known));
    }
    for migration in migrations.iter().filter(|m| m.version > found) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = user_version(&tx)?;
        if current > known {
            return Err(newer(path, current, known));
        }
        if current >= migration.version {
            continue;
        }
        tx.execute_batch(migration.sql)?;
        tx.pragma_update(None, "user_version", migration.version)?;
        tx.commit()?;
    }
    Ok(user_version(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn migrations_are_numbered_one_up_from_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version as usize, index + 1);
        }
    }

    #[test]
    fn a_failing_migration_leaves_the_previous_version_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        let list = [
            Migration {
                version: 1,
                sql: "CREATE TABLE a (x INTEGER);",
            },
            Migration {
                version: 2,
                sql: "CREATE TABLE b (y INTEGER); CREATE TABLE a (z INTEGER);",
            },
        ];
        let err = apply(&mut conn, Path::new("t"), &list).unwrap_err();
        assert!(matches!(err, AdminError::Storage(_)), "{err}");
        assert_eq!(user_version(&conn).unwrap(), 1);
        assert_eq!(tables(&conn), ["a"]);
    }

    #[test]
    fn a_version_1_database_keeps_its_users_through_version_2() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        assert_eq!(
            apply(&mut conn, Path::new("t"), &MIGRATIONS[..1]).unwrap(),
            1
        );
        conn.execute(
            "INSERT INTO users (id, created_at) VALUES ('0123456789abcdef01234567', 1)",
            [],
        )
        .unwrap();
        assert_eq!(migrate(&mut conn, Path::new("t")).unwrap(), SCHEMA_VERSION);
        let users: i64 = conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .unwrap();
        assert_eq!(users, 1);
        conn.execute(
            "INSERT INTO realms (id, owner_id, created_at)
             VALUES ('/0123456789abcdef01234567/tasks', '0123456789abcdef01234567', 2)",
            [],
        )
        .unwrap();
        // Write-only rows cannot be stored, whatever code tries.
        let write_only = conn.execute(
            "INSERT INTO default_permissions VALUES ('/0123456789abcdef01234567/tasks', 0, 1, 0, 3)",
            [],
        );
        assert!(write_only.is_err());
        assert!(tables(&conn).contains(&"offers".to_string()));
    }

    #[test]
    fn only_missing_migrations_run() {
        let mut conn = Connection::open_in_memory().unwrap();
        let first = [Migration {
            version: 1,
            sql: "CREATE TABLE a (x INTEGER);",
        }];
        assert_eq!(apply(&mut conn, Path::new("t"), &first).unwrap(), 1);
        let both = [
            Migration {
                version: 1,
                sql: "CREATE TABLE a (x INTEGER);",
            },
            Migration {
                version: 2,
                sql: "CREATE TABLE b (y INTEGER);",
            },
        ];
        assert_eq!(apply(&mut conn, Path::new("t"), &both).unwrap(), 2);
        assert_eq!(tables(&conn), ["a", "b"]);
        let err = apply(&mut conn, Path::new("t"), &first).unwrap_err();
        assert!(
            matches!(
                err,
                AdminError::NewerSchema {
                    found: 2,
                    known: 1,
                    ..
                }
            ),
            "{err}"
        );
    }
}
