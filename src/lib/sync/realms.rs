//! The open Realms: one actor thread per Realm that some session uses, found by
//! Realm identifier, closed again when no session has used it for a while.
//!
//! The registry's lock is held only to find, open or forget an actor, and an
//! actor forgets itself only under that lock after checking that no command is
//! waiting; so a command sent through a handle taken under the lock is always
//! received by a live actor.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use super::actor::{run_actor, Command};
use crate::config::SyncSettings;
use crate::merge::MergeOptions;
use crate::realm::remove_store;
use crate::realm_id::RealmId;

/// A way to talk to one open Realm's actor.
#[derive(Clone, Debug)]
pub(crate) struct RealmHandle {
    /// Unique for the life of the process, so wake-ups name the Realm cheaply.
    pub key: u64,
    pub id: Arc<RealmId>,
    tx: mpsc::Sender<Command>,
    /// The latest committed server version, for sessions deciding whether to
    /// ask for a DOWNLOAD.
    pub latest: Arc<AtomicU64>,
    /// Bytes of uploads queued and not yet integrated (the upload backlog).
    pub backlog: Arc<AtomicU64>,
}

impl RealmHandle {
    /// Queues a command; `false` if the actor has stopped (its store failed).
    pub fn send(&self, command: Command) -> bool {
        self.tx.send(command).is_ok()
    }

    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::Acquire)
    }
}

/// Why a Realm could not be opened for a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenRefused {
    /// `sync.max_open_realms` Realms are open.
    TooMany,
    /// The server is shutting down.
    ShuttingDown,
    /// The Realm is being deleted; a BIND after the deletion starts afresh.
    Deleting,
}

/// Why a Realm could not be deleted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteRefused {
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error("the Realm is already being deleted")]
    InProgress,
    #[error("cannot remove {path}: {reason}")]
    Files { path: PathBuf, reason: String },
}

struct Entry {
    handle: RealmHandle,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Inner {
    open: HashMap<Arc<RealmId>, Entry>,
    next_key: u64,
    closing: bool,
    /// Realms whose deletion is under way: no actor may open them meanwhile.
    deleting: HashSet<Arc<RealmId>>,
}

/// Every open Realm of the server.
pub(crate) struct Realms {
    inner: Mutex<Inner>,
    pub root: PathBuf,
    pub settings: SyncSettings,
    pub options: MergeOptions,
}

impl Realms {
    pub fn new(root: PathBuf, settings: SyncSettings, options: MergeOptions) -> Arc<Realms> {
        Arc::new(Realms {
            inner: Mutex::new(Inner::default()),
            root,
            settings,
            options,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The actor of `id`, started if it is not running, with `first` queued
    /// to it under the registry lock (so it cannot close in between).
    pub fn open_with(
        self: &Arc<Realms>,
        id: &RealmId,
        first: Command,
    ) -> Result<RealmHandle, OpenRefused> {
        let mut inner = self.lock();
        if inner.closing {
            return Err(OpenRefused::ShuttingDown);
        }
        if inner.deleting.contains(id) {
            return Err(OpenRefused::Deleting);
        }
        if let Some(entry) = inner.open.get(id) {
            if entry.handle.send(first) {
                return Ok(entry.handle.clone());
            }
            return Err(OpenRefused::ShuttingDown);
        }
        if inner.open.len() >= self.settings.max_open_realms {
            return Err(OpenRefused::TooMany);
        }
        inner.next_key += 1;
        let (tx, rx) = mpsc::channel();
        let handle = RealmHandle {
            key: inner.next_key,
            id: Arc::new(id.clone()),
            tx,
            latest: Arc::new(AtomicU64::new(0)),
            backlog: Arc::new(AtomicU64::new(0)),
        };
        handle.send(first);
        let realms = Arc::clone(self);
        let for_actor = handle.clone();
        let thread = std::thread::Builder::new()
            .name(format!("realm-{}", handle.key))
            .spawn(move || run_actor(realms, for_actor, rx));
        let thread = match thread {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(realm = %id, error = %e, "cannot start a thread for the Realm");
                return Err(OpenRefused::TooMany);
            }
        };
        inner.open.insert(
            Arc::clone(&handle.id),
            Entry {
                handle: handle.clone(),
                thread: Some(thread),
            },
        );
        Ok(handle)
    }

    /// Called by an idle actor: forgets it unless a command arrived meanwhile.
    /// Returns whether the actor may stop.
    pub fn forget_if_idle(&self, handle: &RealmHandle, queue_empty: impl FnOnce() -> bool) -> bool {
        let mut inner = self.lock();
        if !queue_empty() {
            return false;
        }
        let same = inner
            .open
            .get(&*handle.id)
            .is_some_and(|e| e.handle.key == handle.key);
        if same {
            inner.open.remove(&*handle.id);
        }
        true
    }

    /// Deletes the store of `id`: its actor (if open) tells every session bound
    /// to it that the Realm is gone and stops, then its files are removed.
    /// Returns whether there was a store. Blocks until the actor has stopped.
    pub fn delete(&self, id: &RealmId) -> Result<bool, DeleteRefused> {
        let key = Arc::new(id.clone());
        let thread = {
            let mut inner = self.lock();
            if inner.closing {
                return Err(DeleteRefused::ShuttingDown);
            }
            if !inner.deleting.insert(Arc::clone(&key)) {
                return Err(DeleteRefused::InProgress);
            }
            inner.open.remove(id).and_then(|mut entry| {
                entry.handle.send(Command::Delete);
                entry.thread.take()
            })
        };
        if let Some(thread) = thread {
            let _ = thread.join();
        }
        let removed = remove_store(&self.root, id).map_err(|(path, e)| DeleteRefused::Files {
            path,
            reason: e.to_string(),
        });
        self.lock().deleting.remove(&key);
        removed
    }

    /// How many Realms are open.
    pub fn open_count(&self) -> usize {
        self.lock().open.len()
    }

    /// Stops taking new Realms, asks every actor to finish what is queued and
    /// close its store, and waits for all of them. Blocks.
    pub fn close_all(&self) {
        let threads: Vec<JoinHandle<()>> = {
            let mut inner = self.lock();
            inner.closing = true;
            inner
                .open
                .values_mut()
                .filter_map(|e| {
                    e.handle.send(Command::Shutdown);
                    e.thread.take()
                })
                .collect()
        };
        for thread in threads {
            let _ = thread.join();
        }
    }
}
