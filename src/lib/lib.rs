//! `ros`: a self-hosted Realm Object Server.
//!
//! The library holds every rule; the `ros` binary in `src/bin/ros/` only parses
//! arguments, calls one operation here and formats its result. See `docs/architecture.md` for the
//! module map: a module only uses the modules below it in that table's order.

pub mod admin;
pub mod app;
pub mod auth;
pub mod backup;
pub mod changeset;
pub mod client;
pub mod config;
pub mod http;
pub mod init;
pub mod keys;
pub mod logging;
pub mod merge;
pub mod objects;
pub mod protocol;
pub mod proxy;
pub mod realm;
pub mod realm_id;
pub mod root;
pub mod server;
pub mod sync;
pub mod terminal;
pub mod token;
