//! `ros`: a self-hosted Realm Object Server.
//!
//! The library holds every rule; the `ros` binary in `src/bin/ros/` only parses
//! arguments, calls one operation here and formats its result. Modules are listed
//! in dependency order (see `design.md`): a module only uses modules above it.

pub mod changeset;
pub mod config;
pub mod keys;
pub mod merge;
pub mod objects;
pub mod protocol;
pub mod root;
pub mod server;
