//! The admin store, what the original kept in its "Admin Realm": users, their
//! provider accounts and admin flag, password hashes, refresh sessions and revoked
//! tokens, in one SQLite database in the data root ([`ADMIN_DB_FILE`]).
//!
//! The schema is versioned ([`SCHEMA_VERSION`]) and migrated at open; the Realm
//! registry, permissions and offers arrive as later migrations.

mod error;
pub mod json;
pub mod ops;
mod passwords;
mod revocation;
mod schema;
mod sessions;
mod store;
mod users;

pub use error::{AdminError, Missing, Taken};
pub use passwords::{
    hash_password, password_matches, PasswordParams, DEFAULT_ADMIN_USERNAME, DEFAULT_PASSWORD_ENV,
};
pub use revocation::TokenRejected;
pub use schema::SCHEMA_VERSION;
pub use sessions::Session;
pub use store::{AdminStore, StoreOptions, ADMIN_DB_FILE, DEFAULT_BUSY_TIMEOUT};
pub use users::{
    Account, DeletedUser, NewUser, Page, User, UserPage, MAX_PAGE_SIZE, PASSWORD_PROVIDER,
};
