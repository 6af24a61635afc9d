//! One Realm's actor: the only owner of its store. It takes the commands of every
//! session of the Realm in order, integrates consecutive uploads as one batch in
//! one durable transaction, and then wakes every connection with a session on
//! the Realm (the uploader's included: its DOWNLOAD is the acknowledgement).
//!
//! It is a thread, not a task, because everything it does blocks on SQLite or
//! burns CPU merging; sessions talk to it through a channel and get their
//! answers as [`Event`]s, so no session ever waits on another.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use super::events::{ConnectionHandle, Event, IdentAnswer, SessionRef, UploadAnswer};
use super::realms::{RealmHandle, Realms};
use crate::realm::{ClientUpload, IdentRequest, RealmStore};

/// What sessions ask of a Realm.
pub(crate) enum Command {
    /// A connection has a session on this Realm: wake it on new versions.
    Subscribe { conn: ConnectionHandle },
    /// One session of that connection is gone.
    Unsubscribe { conn: u64 },
    /// BIND with `need_client_file_ident`.
    Allocate {
        conn: ConnectionHandle,
        to: SessionRef,
    },
    /// IDENT.
    Identify {
        conn: ConnectionHandle,
        to: SessionRef,
        request: IdentRequest,
    },
    /// The session that had bound `file_ident` ended.
    Release {
        conn: u64,
        to: SessionRef,
        file_ident: u64,
    },
    /// An accepted UPLOAD; `bytes` were added to the backlog when it was queued.
    Upload {
        conn: ConnectionHandle,
        to: SessionRef,
        upload: ClientUpload,
        bytes: u64,
    },
    /// The next DOWNLOAD for a session at cursor (`server_version`, `client_version`).
    Fetch {
        conn: ConnectionHandle,
        to: SessionRef,
        file_ident: u64,
        server_version: u64,
        client_version: u64,
    },
    /// Finish what is queued, close the store, stop.
    Shutdown,
    /// The Realm is being deleted: tell its sessions, close the store, stop
    /// (the registry removes the files once the thread has ended).
    Delete,
}

struct Bound {
    conn: ConnectionHandle,
    to: SessionRef,
}

struct Actor {
    realms: Arc<Realms>,
    handle: RealmHandle,
    store: RealmStore,
    subscribers: HashMap<u64, (ConnectionHandle, usize)>,
    bound: HashMap<u64, Bound>,
}

/// The actor thread's body.
pub(crate) fn run_actor(realms: Arc<Realms>, handle: RealmHandle, rx: mpsc::Receiver<Command>) {
    let store = match RealmStore::open(&realms.root, &handle.id, realms.options) {
        Ok(store) => store,
        Err(e) => {
            tracing::error!(realm = %handle.id, error = %e, "cannot open the Realm's store");
            fail_all(&realms, &handle, &rx, &e.to_string());
            return;
        }
    };
    handle
        .latest
        .store(store.current_version(), Ordering::Release);
    tracing::debug!(realm = %handle.id, version = store.current_version(), "Realm opened");
    let actor = Actor {
        realms,
        handle,
        store,
        subscribers: HashMap::new(),
        bound: HashMap::new(),
    };
    actor.run(&rx);
}

/// A Realm whose store cannot be opened: forget it (a later BIND tries again)
/// and answer whatever was queued with the failure.
fn fail_all(realms: &Realms, handle: &RealmHandle, rx: &mpsc::Receiver<Command>, why: &str) {
    realms.forget_if_idle(handle, || true);
    let why = format!("the Realm's store cannot be opened: {why}");
    while let Ok(command) = rx.recv_timeout(Duration::from_millis(100)) {
        match command {
            Command::Allocate { conn, to } => conn.send(Event::Allocated {
                to,
                result: Err(why.clone()),
            }),
            Command::Identify { conn, to, .. } => conn.send(Event::Identified {
                to,
                result: Err(IdentAnswer::Storage(why.clone())),
            }),
            Command::Upload { conn, to, .. } => conn.send(Event::Integrated {
                to,
                result: Err(UploadAnswer::Storage(why.clone())),
            }),
            Command::Fetch { conn, to, .. } => conn.send(Event::Fetched {
                to,
                result: Err(why.clone()),
            }),
            _ => {}
        }
    }
}

impl Actor {
    fn run(mut self, rx: &mpsc::Receiver<Command>) {
        let idle = self.realms.settings.realm_idle_timeout;
        let mut idle_since: Option<Instant> = None;
        let mut held: Option<Command> = None;
        loop {
            let command = match held.take() {
                Some(c) => c,
                None => match rx.recv_timeout(Duration::from_millis(500).min(idle)) {
                    Ok(c) => c,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if self.subscribers.is_empty() {
                            let since = *idle_since.get_or_insert_with(Instant::now);
                            if since.elapsed() >= idle
                                && self.realms.forget_if_idle(&self.handle, || {
                                    match rx.try_recv() {
                                        Ok(c) => {
                                            held = Some(c);
                                            false
                                        }
                                        Err(_) => true,
                                    }
                                })
                            {
                                break;
                            }
                        } else {
                            idle_since = None;
                        }
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                },
            };
            idle_since = None;
            match command {
                Command::Upload {
                    conn,
                    to,
                    upload,
                    bytes,
                } => {
                    let mut senders = vec![(conn, to, bytes)];
                    let mut uploads = vec![upload];
                    while let Ok(next) = rx.try_recv() {
                        match next {
                            Command::Upload {
                                conn,
                                to,
                                upload,
                                bytes,
                            } => {
                                senders.push((conn, to, bytes));
                                uploads.push(upload);
                            }
                            other => {
                                held = Some(other);
                                break;
                            }
                        }
                    }
                    self.integrate(senders, &uploads);
                }
                Command::Shutdown => break,
                Command::Delete => {
                    for (conn, _) in self.subscribers.values() {
                        conn.send(Event::Deleted {
                            realm: self.handle.key,
                        });
                    }
                    break;
                }
                other => self.handle(other),
            }
        }
        // Whatever is still queued after Shutdown is answered by nobody: the
        // connections are closing too. Uploads already taken were committed.
        let version = self.store.current_version();
        let Actor { store, handle, .. } = self;
        if let Err(e) = store.close() {
            tracing::warn!(realm = %handle.id, error = %e, "closing the Realm's store");
        }
        tracing::debug!(realm = %handle.id, version, "Realm closed");
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Subscribe { conn } => {
                self.subscribers
                    .entry(conn.id)
                    .or_insert_with(|| (conn.clone(), 0))
                    .1 += 1;
            }
            Command::Unsubscribe { conn } => {
                if let Some(entry) = self.subscribers.get_mut(&conn) {
                    entry.1 = entry.1.saturating_sub(1);
                    if entry.1 == 0 {
                        self.subscribers.remove(&conn);
                    }
                }
            }
            Command::Allocate { conn, to } => {
                let result = self.store.allocate_client_file().map_err(|e| e.to_string());
                conn.send(Event::Allocated { to, result });
            }
            Command::Identify { conn, to, request } => {
                let result = self.identify(&conn, to, &request);
                conn.send(Event::Identified { to, result });
            }
            Command::Release {
                conn,
                to,
                file_ident,
            } => {
                if self
                    .bound
                    .get(&file_ident)
                    .is_some_and(|b| b.conn.id == conn && b.to == to)
                {
                    self.bound.remove(&file_ident);
                }
            }
            Command::Fetch {
                conn,
                to,
                file_ident,
                server_version,
                client_version,
            } => {
                let result = self
                    .store
                    .fetch_download(
                        file_ident,
                        server_version,
                        client_version,
                        self.realms.settings.max_download_size,
                    )
                    .map_err(|e| e.to_string());
                conn.send(Event::Fetched { to, result });
            }
            Command::Upload { .. } | Command::Shutdown | Command::Delete => {}
        }
    }

    fn identify(
        &mut self,
        conn: &ConnectionHandle,
        to: SessionRef,
        request: &IdentRequest,
    ) -> Result<crate::realm::Identified, IdentAnswer> {
        let identified = self
            .store
            .identify(request)
            .map_err(|r| IdentAnswer::Refused(r, self.store.explain(&r)))?;
        if let Some(old) = self.bound.get(&request.file_ident) {
            if old.conn.id == conn.id {
                return Err(IdentAnswer::BoundHere);
            }
            tracing::info!(
                realm = %self.handle.id,
                file_ident = request.file_ident,
                "client file bound from a new connection; closing the old one"
            );
            old.conn.send(Event::Superseded {
                file_ident: request.file_ident,
            });
        }
        self.bound.insert(
            request.file_ident,
            Bound {
                conn: conn.clone(),
                to,
            },
        );
        Ok(identified)
    }

    /// Integrates `uploads`; `senders[i]` queued `uploads[i]` (its session and
    /// the backlog bytes it added).
    fn integrate(
        &mut self,
        senders: Vec<(ConnectionHandle, SessionRef, u64)>,
        uploads: &[ClientUpload],
    ) {
        let before = self.store.current_version();
        let answers = self.store.integrate(uploads);
        let total: u64 = senders.iter().map(|(_, _, b)| *b).sum();
        self.handle.backlog.fetch_sub(total, Ordering::AcqRel);
        match answers {
            Ok(answers) => {
                for ((conn, to, _), answer) in senders.into_iter().zip(answers) {
                    if let Err(refusal) = answer {
                        tracing::warn!(realm = %self.handle.id, error = %refusal, "upload refused");
                        conn.send(Event::Integrated {
                            to,
                            result: Err(UploadAnswer::Refused(refusal)),
                        });
                    }
                }
            }
            Err(e) => {
                tracing::error!(realm = %self.handle.id, error = %e, "integrating uploads failed");
                for (conn, to, _) in senders {
                    conn.send(Event::Integrated {
                        to,
                        result: Err(UploadAnswer::Storage(e.to_string())),
                    });
                }
            }
        }
        let after = self.store.current_version();
        if after != before {
            self.handle.latest.store(after, Ordering::Release);
            for (conn, _) in self.subscribers.values() {
                conn.send(Event::Advanced {
                    realm: self.handle.key,
                });
            }
        }
    }
}
