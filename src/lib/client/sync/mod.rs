//! A Rust sync client speaking realm-core's partition-based protocol, for tests,
//! benches and `ros probe`.
//!
//! Two layers:
//! * [`Wire`]: one WebSocket connection. [`Wire::connect`] does DNS, TCP, TLS
//!   (trusting only the CA it is given) and the upgrade with the offered
//!   `com.mongodb.realm-sync#N` versions, timing each stage; then whole protocol
//!   messages go out ([`Wire::send`], or raw bytes) and come in ([`Wire::recv`]).
//! * [`RealmClient`]: one client-side Realm synced over one session on a wire.
//!   It keeps what a realm-core client keeps — file ident and salt, history with
//!   origin timestamps and base server versions, download/upload progress,
//!   reciprocal forms of unacknowledged local changesets, the object state — and
//!   runs the session in realm-core's order (`docs/protocol.md` §5.2): BIND,
//!   IDENT, MARK and UPLOAD, DOWNLOADs checked (§8.3) and merged
//!   (`docs/merge.md` §11), UNBIND.
//!
//! Unlike realm-core the client does nothing on its own: no timers, no
//! reconnects, no upload delay. Each step is a call, so a test decides what
//! happens when; [`RealmClient::handle`] is the whole reaction to one message
//! and can be fed hand-made messages.

mod connect;
mod download;
mod endpoint;
mod errors;
mod history;
mod mux;
mod persist;
mod realm_client;
mod receive;
mod session;
pub(crate) mod tls;
mod wire;

#[cfg(test)]
mod tests;

pub use connect::ConnectTimings;
pub use download::{check_download, integrate, Integrated, IntegrationFailure};
pub use endpoint::{Endpoint, TlsOptions, TokenPlace};
pub use errors::{
    CommitError, ConnectError, PersistError, ServerRule, SyncError, Violation, WireError,
};
pub use history::{
    last_uploadable, latest_version, origin_timestamp_now, plan_upload, uploadable, FileIdentity,
    HistoryEntry, IntegratedDownload, LocalCommit, SyncProgress, UploadPlan, UPLOAD_BATCH_BYTES,
};
pub use realm_client::{Phase, RealmClient};
pub use receive::Received;
pub use wire::{Incoming, Wire};
