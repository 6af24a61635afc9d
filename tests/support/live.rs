//! Clients writing to a running server until told to stop, for tests that
//! back up, follow or restore a server under load.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ros::client::sync::{Endpoint, RealmClient, SyncError, Wire};
use ros::protocol::SessionIdent;

use super::workload;

/// Per writer: its file ident and the last client version the server acknowledged.
pub type Acked = Arc<Mutex<HashMap<u64, (u64, u64)>>>;

/// Writer `n` creates objects in Realm `path`, one changeset at a time, each
/// synced before the next, until `stop`; `acked` follows its progress.
pub async fn write_until_stopped(
    url: String,
    token: String,
    path: String,
    n: u64,
    acked: Acked,
    stop: Arc<AtomicBool>,
) -> RealmClient {
    let mut client = RealmClient::new(path);
    client.commit(workload::schema()).unwrap();
    let mut w = connect(&url, &token).await;
    client
        .bind(&mut w, SessionIdent::new(1).unwrap())
        .await
        .expect("bind");
    for i in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        client.commit(workload::writer_transaction(n, i)).unwrap();
        client.sync_until_idle(&mut w).await.expect("sync");
        let ident = client.file_ident().unwrap().ident.get();
        let version = client.upload_progress().client_version.get();
        acked.lock().unwrap().insert(n, (ident, version));
    }
    client.unbind(&mut w).await.expect("unbind");
    client
}

/// Writers running on a runtime, writer `n` on Realm `paths[n]`.
pub struct Writers {
    pub acked: Acked,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<RealmClient>>,
}

impl Writers {
    pub fn spawn(
        rt: &tokio::runtime::Runtime,
        url: &str,
        token: &str,
        paths: &[String],
    ) -> Writers {
        let acked: Acked = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = paths
            .iter()
            .enumerate()
            .map(|(n, path)| {
                rt.spawn(write_until_stopped(
                    url.to_string(),
                    token.to_string(),
                    path.clone(),
                    n as u64,
                    acked.clone(),
                    stop.clone(),
                ))
            })
            .collect();
        Writers { acked, stop, tasks }
    }

    /// Per writer: (file ident, acknowledged client version) now.
    pub fn progress(&self) -> HashMap<u64, (u64, u64)> {
        self.acked.lock().unwrap().clone()
    }

    /// Changesets acknowledged so far, all writers together.
    pub fn total(&self) -> u64 {
        self.acked.lock().unwrap().values().map(|v| v.1).sum()
    }

    /// Whether every writer was acknowledged `by` more client versions than in `since`.
    pub fn advanced(&self, since: &HashMap<u64, (u64, u64)>, by: u64) -> bool {
        let now = self.progress();
        (0..self.tasks.len() as u64).all(|n| {
            let before = since.get(&n).map_or(0, |v| v.1);
            now.get(&n).is_some_and(|v| v.1 >= before + by)
        })
    }

    /// Stops every writer after its current changeset; their clients.
    pub fn stop(self, rt: &tokio::runtime::Runtime) -> Vec<RealmClient> {
        self.stop.store(true, Ordering::SeqCst);
        rt.block_on(async {
            let mut out = Vec::new();
            for task in self.tasks {
                out.push(task.await.expect("writer"));
            }
            out
        })
    }
}

/// Polls `done` every 50 ms; panics after a minute (a hang, not a slow run).
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..1200 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("gave up waiting for {what}");
}

pub async fn connect(url: &str, token: &str) -> Wire {
    Wire::connect(&Endpoint::new(url.to_string()).with_token(token.to_string()))
        .await
        .expect("connect")
}

/// Binds and syncs `client` on a new connection until idle, then unbinds;
/// the error that ended the session, if any.
pub async fn sync(url: &str, token: &str, client: &mut RealmClient) -> Result<(), SyncError> {
    client.forget_session();
    let mut w = connect(url, token).await;
    client.bind(&mut w, SessionIdent::new(1).unwrap()).await?;
    client.sync_until_idle(&mut w).await?;
    client.unbind(&mut w).await
}
