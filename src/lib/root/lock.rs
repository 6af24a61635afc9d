//! The root lock: an advisory `flock` on `ros.lock`, whose content says who holds it
//! and which addresses that process bound, so `check-configuration` can tell "this
//! port is taken by the server of this very root" from "another program has it".

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// File name of the lock file in the root. Its content is JSON [`LockHolder`].
pub const LOCK_FILE: &str = "ros.lock";

/// Who holds a root's lock, as written by that process into the lock file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockHolder {
    pub pid: u32,
    /// Every address the holder has bound; empty while it starts.
    pub addresses: Vec<SocketAddr>,
    /// The same addresses by the configuration key of their listener
    /// (`network.sync`, `network.http`, `proxy.http`, `proxy.https`), so a reader
    /// asks for the one it wants instead of counting positions.
    #[serde(default)]
    pub listeners: std::collections::BTreeMap<String, SocketAddr>,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("the data root {root} is in use by another ros process (pid {pid}); stop it first or choose another storage.root_path", root = .root.display())]
    Held { root: PathBuf, pid: u32 },
    #[error("the data root {root} is locked by another process (its lock file {lock} holds no process id)", root = .root.display(), lock = .lock.display())]
    HeldUnknown { root: PathBuf, lock: PathBuf },
    #[error("cannot use the lock file {path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub fn lock_path(root: &Path) -> PathBuf {
    root.join(LOCK_FILE)
}

/// An exclusive hold on a root, kept for the life of the server. Dropping it removes
/// the lock file and releases the lock.
#[derive(Debug)]
pub struct RootLock {
    file: File,
    path: PathBuf,
    /// False once the root's directory was swapped away (a restore): the path
    /// then names the new root's lock file, which is not ours to remove.
    remove_on_drop: bool,
}

impl RootLock {
    /// Takes the lock of `root` for this process, or says who holds it.
    pub fn acquire(root: &Path) -> Result<RootLock, LockError> {
        let path = lock_path(root);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(match read_holder(&path) {
                    Some(holder) => LockError::Held {
                        root: root.to_path_buf(),
                        pid: holder.pid,
                    },
                    None => LockError::HeldUnknown {
                        root: root.to_path_buf(),
                        lock: path,
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut lock = RootLock {
            file,
            path,
            remove_on_drop: true,
        };
        lock.record(&[]).map_err(|source| LockError::Io {
            path: lock.path.clone(),
            source,
        })?;
        Ok(lock)
    }

    /// Rewrites the lock file's content once the listeners are bound, each
    /// named by its configuration key.
    pub fn record(&mut self, listeners: &[(&str, SocketAddr)]) -> std::io::Result<()> {
        let holder = LockHolder {
            pid: std::process::id(),
            addresses: listeners.iter().map(|(_, a)| *a).collect(),
            listeners: listeners
                .iter()
                .map(|(name, a)| (name.to_string(), *a))
                .collect(),
        };
        let body = serde_json::to_vec(&holder).map_err(std::io::Error::other)?;
        self.file.set_len(0)?;
        self.file.seek(SeekFrom::Start(0))?;
        self.file.write_all(&body)?;
        self.file.sync_data()
    }
}

impl RootLock {
    /// Releases the lock of a root whose directory was moved away (a restore
    /// swaps the restored root into its place): the lock file went with the
    /// old directory, and the path is left alone.
    pub fn release_moved(mut self) {
        self.remove_on_drop = false;
    }
}

impl Drop for RootLock {
    fn drop(&mut self) {
        if !self.remove_on_drop {
            let _ = self.file.unlock();
            return;
        }
        // Removed while still locked, so no other process can find a stale file that
        // it then locks before we are gone. Errors are of no use to anyone here.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// The holder of `root`'s lock if a live process holds it; `None` when the root is
/// free (no lock file, or a stale one left by a process that is gone).
pub fn lock_holder(root: &Path) -> Option<LockHolder> {
    let path = lock_path(root);
    let file = File::open(&path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::WouldBlock) => read_holder(&path),
        Err(TryLockError::Error(_)) => None,
    }
}

fn read_holder(path: &Path) -> Option<LockHolder> {
    let mut text = String::new();
    File::open(path).ok()?.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_names_the_first_holder_and_release_frees_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = RootLock::acquire(dir.path()).unwrap();
        let addr: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        first.record(&[("network.http", addr)]).unwrap();
        // flock locks belong to the open file description, so a second open in the
        // same process conflicts just as another process would.
        match RootLock::acquire(dir.path()) {
            Err(LockError::Held { pid, .. }) => assert_eq!(pid, std::process::id()),
            other => panic!("expected Held, got {other:?}"),
        }
        let holder = lock_holder(dir.path()).expect("held");
        assert_eq!(holder.addresses, vec![addr]);
        assert_eq!(holder.listeners.get("network.http"), Some(&addr));
        drop(first);
        assert!(lock_holder(dir.path()).is_none());
        assert!(!lock_path(dir.path()).exists());
        RootLock::acquire(dir.path()).unwrap();
    }

    #[test]
    fn stale_lock_file_is_not_a_holder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(lock_path(dir.path()), br#"{"pid":1,"addresses":[]}"#).unwrap();
        assert!(lock_holder(dir.path()).is_none());
        RootLock::acquire(dir.path()).unwrap();
    }
}
