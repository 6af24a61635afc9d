//! What several commands share, so that no command imports another: flags
//! defined once, the configuration found, loaded and reported in one way, the
//! admin API client (or the offline data root) of `user`, `permission` and
//! `realm`, the server run by both `serve` and `start`, and the sync URL, token
//! and TLS settings of `probe` and `probe bench`, and the question asked before
//! anything is destroyed.

pub mod config;
pub mod confirm;
pub mod flags;
pub mod password;
pub mod remote;
pub mod server;
pub mod sync_target;
