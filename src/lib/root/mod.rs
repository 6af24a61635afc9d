//! The data root (`storage.root_path`): its layout, the lock that keeps two servers
//! from sharing one root, and the data-format version marker.
//!
//! Interface used by `config` (check-configuration) and by `server`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// File name of the lock file in the root. Its content is JSON [`LockHolder`].
pub const LOCK_FILE: &str = "ros.lock";

/// Who holds a root's lock: written by the running server into the lock file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockHolder {
    pub pid: u32,
    /// Every address the holder has bound (sync, http, proxies).
    pub addresses: Vec<SocketAddr>,
}

/// The holder of `root`'s lock if a live process holds it, `None` when the root is
/// free (no lock file, or a stale one left by a process that is gone).
pub fn lock_holder(root: &Path) -> Option<LockHolder> {
    let _ = root;
    None
}

pub fn lock_path(root: &Path) -> PathBuf {
    root.join(LOCK_FILE)
}
