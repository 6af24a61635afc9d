//! One client-side Realm: its local state and history, its identity and
//! progress, and (while bound) its session. The async session steps are in
//! `session.rs`, the reaction to each server message in `receive.rs`.

use std::time::Duration;

use crate::changeset::Changeset;
use crate::merge::{LocalChangeset, MergeOptions};
use crate::objects::{apply, State};
use crate::protocol::{
    ClientVersion, DownloadCursor, OriginTimestamp, RequestIdent, SaltedVersion, SessionIdent,
    UploadCursor,
};

use super::errors::CommitError;
use super::history::{
    latest_version, next_version, origin_timestamp_now, FileIdentity, HistoryEntry, LocalCommit,
    SyncProgress,
};

/// Where a binding is (`docs/protocol.md` §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// BIND asked for a file ident; waiting for the server's IDENT.
    AwaitingIdent,
    /// IDENT sent: DOWNLOAD, MARK, UPLOAD flow.
    Identified,
    /// UNBIND sent; waiting for UNBOUND.
    Unbinding,
    /// The server sent an ERROR for this session or the connection; only
    /// UNBIND may follow.
    Errored,
    /// A download could not be integrated (JSON_ERROR sent); further
    /// DOWNLOADs are ignored and nothing but UNBIND is sent.
    Failed,
}

/// The per-binding state; nothing of it is persisted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    pub session: SessionIdent,
    pub phase: Phase,
    /// The progress pair of the last UPLOAD in this binding (initially the
    /// acknowledged cursor: the scan resumes after it).
    pub last_sent: UploadCursor,
    pub mark_sent: RequestIdent,
    pub mark_answered: RequestIdent,
}

/// A client-side Realm file synced over one session at a time.
#[derive(Debug, Clone)]
pub struct RealmClient {
    pub(crate) path: String,
    pub(crate) options: MergeOptions,
    pub(crate) bind_token: String,
    pub(crate) idle_timeout: Duration,
    pub(crate) identity: Option<FileIdentity>,
    pub(crate) history: Vec<HistoryEntry>,
    /// Local changesets the server may still send concurrent changes to
    /// (`client_version` above the download cursor's), in reciprocal form.
    pub(crate) pending: Vec<LocalChangeset>,
    pub(crate) progress: SyncProgress,
    pub(crate) state: State,
    pub(crate) last_timestamp: OriginTimestamp,
    pub(crate) binding: Option<Binding>,
    /// MARK request idents grow over the client object's life (§4.1).
    pub(crate) last_mark: RequestIdent,
}

impl RealmClient {
    /// A new, empty Realm to be bound at `path` (the BIND path: `/tasks`, or a
    /// partition value as Extended JSON such as `"tasks"` with the quotes).
    pub fn new(path: impl Into<String>) -> RealmClient {
        RealmClient {
            path: path.into(),
            options: MergeOptions::default(),
            bind_token: String::new(),
            idle_timeout: Duration::from_secs(30),
            identity: None,
            history: Vec::new(),
            pending: Vec::new(),
            progress: SyncProgress::default(),
            state: State::new(),
            last_timestamp: OriginTimestamp::ZERO,
            binding: None,
            last_mark: RequestIdent::ZERO,
        }
    }

    /// Merge quirk choices (default: realm-core's behaviour).
    pub fn with_options(mut self, options: MergeOptions) -> RealmClient {
        self.options = options;
        self
    }

    /// How long a waiting step (`bind`, `sync_until_idle`, `receive_one`,
    /// `unbind`) waits for the next server message before giving up.
    pub fn with_idle_timeout(mut self, timeout: Duration) -> RealmClient {
        self.idle_timeout = timeout;
        self
    }

    /// A token for BIND's token field, as realm-core before 11.10 sent it
    /// (current clients leave it empty).
    pub fn with_bind_token(mut self, token: impl Into<String>) -> RealmClient {
        self.bind_token = token.into();
        self
    }

    /// A local write, stamped now (never earlier than the previous commit).
    pub fn commit(&mut self, changeset: Changeset) -> Result<ClientVersion, CommitError> {
        let timestamp = origin_timestamp_now().max(self.last_timestamp);
        self.commit_with_timestamp(changeset, timestamp)
    }

    /// A local write with a chosen origin timestamp (ms since 2015-01-01), for
    /// tests of tie-breaks. Applies it to the state (refused if it does not
    /// apply) and records it with the current download cursor as its base.
    /// Works without a session; the next `upload` sends it.
    pub fn commit_with_timestamp(
        &mut self,
        changeset: Changeset,
        origin_timestamp: OriginTimestamp,
    ) -> Result<ClientVersion, CommitError> {
        self.state = apply(&self.state, &changeset)?;
        let client_version = next_version(latest_version(&self.history));
        self.last_timestamp = self.last_timestamp.max(origin_timestamp);
        if !changeset.instructions.is_empty() {
            self.pending.push(LocalChangeset {
                client_version: client_version.get(),
                origin_timestamp: origin_timestamp.get(),
                reciprocal: changeset.clone(),
            });
        }
        self.history.push(HistoryEntry::Local(LocalCommit {
            client_version,
            base_server_version: self.progress.download.server_version,
            origin_timestamp,
            changeset,
        }));
        Ok(client_version)
    }

    /// The Realm's content.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The BIND path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The server-assigned ident and salt, once allocated.
    pub fn file_ident(&self) -> Option<FileIdentity> {
        self.identity
    }

    /// Where downloading resumes (sent in IDENT).
    pub fn download_cursor(&self) -> DownloadCursor {
        self.progress.download
    }

    /// The upload progress the server has acknowledged.
    pub fn upload_progress(&self) -> UploadCursor {
        self.progress.upload
    }

    /// The newest server version heard of, with its salt.
    pub fn latest_server_version(&self) -> SaltedVersion {
        self.progress.latest
    }

    pub fn progress(&self) -> &SyncProgress {
        &self.progress
    }

    /// Every client version: local commits and integrated downloads.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    /// The newest client version.
    pub fn client_version(&self) -> ClientVersion {
        latest_version(&self.history)
    }

    /// The bound session's ident and phase, if bound.
    pub fn session(&self) -> Option<(SessionIdent, Phase)> {
        self.binding.as_ref().map(|b| (b.session, b.phase))
    }

    /// Forgets the binding without sending anything, as realm-core does when
    /// its connection is lost; the next `bind` (on a new wire) starts afresh.
    pub fn forget_session(&mut self) {
        self.binding = None;
    }

    /// A client reset in realm-core's discard mode (docs/sync.md, "After a
    /// restore"): forgets the file ident, the history, the progress and the
    /// state, so the next `bind` asks for a new file ident and downloads the
    /// Realm as the server has it. Local changes the server never had are lost.
    /// Keeps the path, options, token, timeout and the MARK counter.
    pub fn reset(&mut self) {
        self.identity = None;
        self.history.clear();
        self.pending.clear();
        self.progress = SyncProgress::default();
        self.state = State::new();
        self.last_timestamp = OriginTimestamp::ZERO;
        self.binding = None;
    }

    /// Whether the server has acknowledged every local change.
    pub fn is_uploaded(&self) -> bool {
        super::history::last_uploadable(&self.history) <= self.progress.upload.client_version
    }
}
