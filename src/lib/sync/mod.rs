//! The sync service: the WebSocket routes Realm clients connect to.
//!
//! This first version routes the upgrade and negotiates the protocol version exactly
//! as the reference server does (sync-protocol.md §1.4, §1.5); sessions (BIND, UPLOAD,
//! DOWNLOAD) come with the sync-service issue, and until then an accepted connection
//! is closed at once with 1011 (the client retries later, it does not reset).

mod access;
mod handshake;
mod routes;

pub use access::{bind_realm, session_rights};
pub use handshake::{negotiate, Negotiated, NegotiationError, SERVER_VERSIONS};
pub use routes::{router, routes, SyncState};
