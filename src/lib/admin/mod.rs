//! The admin store, what the original kept in its "Admin Realm": users, their
//! provider accounts and admin flag, password hashes, refresh sessions and revoked
//! tokens, in one SQLite database in the data root ([`ADMIN_DB_FILE`]).
//!
//! The schema is versioned ([`SCHEMA_VERSION`]) and migrated at open. Version 2
//! added the Realm registry, permission entries and offers; [`access`] holds the
//! rule that decides what a user may do with a Realm, [`sharing`] the operations
//! that change it.

pub mod access;
mod error;
pub mod json;
mod offers;
pub mod ops;
mod passwords;
mod permissions;
mod realms;
mod revocation;
mod schema;
mod sessions;
pub mod sharing;
mod store;
pub mod usernames;
mod users;

pub use access::{Rights, Subject};
pub use error::{AdminError, Missing, Taken};
pub use offers::{InvalidOfferToken, Offer, OfferToken};
pub use passwords::{
    hash_password, password_matches, PasswordParams, DEFAULT_ADMIN_USERNAME, DEFAULT_PASSWORD_ENV,
};
pub use permissions::{EntryFilter, Grantee, PermissionEntry};
pub use realms::RealmRecord;
pub use revocation::TokenRejected;
pub use schema::SCHEMA_VERSION;
pub use sessions::Session;
pub use store::{AdminStore, StoreOptions, ADMIN_DB_FILE, DEFAULT_BUSY_TIMEOUT};
pub use users::{
    Account, DeletedUser, NewUser, Page, User, UserPage, MAX_PAGE_SIZE, PASSWORD_PROVIDER,
};
