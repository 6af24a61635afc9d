//! The sync service: the WebSocket routes Realm clients connect to, their
//! sessions, and one actor per open Realm (`docs/protocol.md`).
//!
//! How a message travels, from the top down:
//! * [`routes`](routes.rs) admits a connection at the upgrade: protocol version,
//!   token, connection count;
//! * [`connection`](connection.rs) is one task per connection: it parses each
//!   message and runs the session rules (`session.rs`, the UPLOAD checks in
//!   `checks.rs`, BIND authorization in `bind.rs`), and writes replies through
//!   its `outbox` (PONG first, slow readers cut off);
//! * [`actor`](actor.rs) is one thread per open Realm (`realms.rs` finds and
//!   closes them): it owns the Realm's store, integrates queued uploads in
//!   batches, allocates client files, builds DOWNLOADs, and answers with the
//!   `events` of `events.rs`;
//! * `replies.rs` turns decisions into server messages.

mod access;
mod actor;
mod bind;
mod checks;
mod connection;
mod delete;
mod events;
mod handshake;
mod outbox;
mod realms;
mod replies;
mod routes;
mod service;
mod session;

pub use access::{bind_realm, session_rights};
pub use delete::{delete_stopped, DeleteRealmError, RealmDeleted};
pub use handshake::{negotiate, negotiate_within, Negotiated, NegotiationError, SERVER_VERSIONS};
pub use realms::DeleteRefused;
pub use routes::{router, routes, SyncState};
pub use service::{SyncService, SyncSetup};
