//! The sync service as a whole: its settings, the open Realms, the connection
//! count, and the shutdown that lets in-flight work finish before the stores
//! close.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderName;
use tokio::sync::watch;

use super::realms::Realms;
use crate::auth::AuthService;
use crate::config::SyncSettings;
use crate::merge::MergeOptions;
use crate::protocol::Limits;

/// What the sync service is given by `ros serve`.
pub struct SyncSetup {
    /// `storage.root_path`: Realm stores go under its `realms/`.
    pub root: PathBuf,
    pub auth: Arc<AuthService>,
    pub settings: SyncSettings,
    /// `network.authorization_header_name`: where a token may travel besides
    /// `baas_at` (`Authorization` when not set).
    pub header_name: Option<HeaderName>,
    /// `network.url_prefix`.
    pub url_prefix: Option<String>,
}

/// The running sync service, shared by every connection.
pub struct SyncService {
    pub(crate) realms: Arc<Realms>,
    pub(crate) auth: Arc<AuthService>,
    pub(crate) settings: SyncSettings,
    pub(crate) header_name: Option<HeaderName>,
    pub(crate) url_prefix: Option<String>,
    pub(crate) limits: Limits,
    connections: AtomicUsize,
    next_connection: AtomicU64,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for SyncService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncService")
            .field("connections", &self.connection_count())
            .finish_non_exhaustive()
    }
}

/// A connection's place in the count; freed when dropped.
pub(crate) struct Slot {
    service: Arc<SyncService>,
    pub id: u64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.service.connections.fetch_sub(1, Ordering::AcqRel);
    }
}

impl SyncService {
    pub fn new(setup: SyncSetup) -> Arc<SyncService> {
        let settings = setup.settings;
        let limits = Limits {
            max_body_size: settings.max_message_size,
            max_decompressed_size: settings.max_message_size,
            ..Limits::DEFAULT
        };
        Arc::new(SyncService {
            realms: Realms::new(setup.root, settings, MergeOptions::default()),
            auth: setup.auth,
            settings,
            header_name: setup.header_name,
            url_prefix: setup.url_prefix,
            limits,
            connections: AtomicUsize::new(0),
            next_connection: AtomicU64::new(0),
            stop: watch::channel(false).0,
        })
    }

    /// Takes a connection slot, or `None` past `sync.max_connections` or while
    /// shutting down.
    pub(crate) fn admit(self: &Arc<SyncService>) -> Option<Slot> {
        if self.stopping() {
            return None;
        }
        let before = self.connections.fetch_add(1, Ordering::AcqRel);
        let slot = Slot {
            service: Arc::clone(self),
            id: self.next_connection.fetch_add(1, Ordering::Relaxed) + 1,
        };
        (before < self.settings.max_connections).then_some(slot)
    }

    pub(crate) fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Open sync connections.
    pub fn connection_count(&self) -> usize {
        self.connections.load(Ordering::Acquire)
    }

    /// Open Realm stores.
    pub fn open_realms(&self) -> usize {
        self.realms.open_count()
    }

    /// Stops taking uploads and connections, tells every client to come back
    /// later (ERROR 100 with try_again), waits up to `grace` for the
    /// connections to go, then lets every Realm actor commit what it holds and
    /// close its store. Only after this returns may the root's lock go.
    pub async fn shutdown(&self, grace: Duration) {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + grace;
        while self.connection_count() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let realms = Arc::clone(&self.realms);
        let _ = tokio::task::spawn_blocking(move || realms.close_all()).await;
    }
}
