//! The client's history and progress, and what the next UPLOAD carries
//! (`docs/protocol.md` §4.4, `docs/merge.md` §11).
//!
//! Every local commit and every integrated DOWNLOAD that moves the download
//! cursor is one client version, as in realm-core, where each is a write
//! transaction. That is what lets an UPLOAD without changesets tell the server
//! "I have integrated up to server version N": its progress pair must then
//! carry a newer client version than the one uploaded before.

use crate::changeset::{encode_with_layout, Changeset, Layout};
use crate::protocol::{
    ClientVersion, DownloadCursor, FileIdent, OriginTimestamp, SaltedVersion, ServerVersion,
    UploadCursor, UploadEntry,
};

/// realm-core stops adding changesets to an UPLOAD once this many changeset
/// bytes are in it (`find_uploadable_changesets`).
pub const UPLOAD_BATCH_BYTES: usize = 128 * 1024;

/// Milliseconds from the Unix epoch to 2015-01-01T00:00:00Z, the origin of
/// changeset timestamps (`history.hpp`).
const EPOCH_2015_MS: u128 = 1_420_070_400_000;

/// A local write.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalCommit {
    pub client_version: ClientVersion,
    /// The download cursor's server version when it was made: the entry's
    /// `last_integrated_server_version` in UPLOAD.
    pub base_server_version: ServerVersion,
    pub origin_timestamp: OriginTimestamp,
    /// As written, before any merge (what is uploaded).
    pub changeset: Changeset,
}

/// An integrated DOWNLOAD.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegratedDownload {
    pub client_version: ClientVersion,
    /// The download cursor's server version after it.
    pub server_version: ServerVersion,
    /// The server changesets as applied here (after merging with local ones).
    pub applied: Vec<Changeset>,
}

/// One client version.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryEntry {
    Local(LocalCommit),
    Download(IntegratedDownload),
}

impl HistoryEntry {
    pub fn client_version(&self) -> ClientVersion {
        match self {
            Self::Local(c) => c.client_version,
            Self::Download(d) => d.client_version,
        }
    }

    /// The changesets this version applied to the state, in order.
    pub fn changesets(&self) -> &[Changeset] {
        match self {
            Self::Local(c) => std::slice::from_ref(&c.changeset),
            Self::Download(d) => &d.applied,
        }
    }
}

/// What a client persists about its sync position (realm-core's `SyncProgress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncProgress {
    /// Where downloading resumes; sent in IDENT.
    pub download: DownloadCursor,
    /// The newest server version heard of, with its salt; sent in IDENT.
    pub latest: SaltedVersion,
    /// The upload progress the server acknowledged in its last DOWNLOAD.
    pub upload: UploadCursor,
}

/// The client file's identity, once the server has allocated it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    pub ident: FileIdent,
    pub salt: crate::protocol::Salt,
}

/// The latest client version (0 for an empty history).
pub fn latest_version(history: &[HistoryEntry]) -> ClientVersion {
    history
        .last()
        .map_or(ClientVersion::ZERO, HistoryEntry::client_version)
}

/// The client version after `v`.
pub(crate) fn next_version(v: ClientVersion) -> ClientVersion {
    ClientVersion::new(v.get().saturating_add(1)).unwrap_or(ClientVersion::MAX)
}

/// Local commits the server must receive: non-empty ones (realm-core skips
/// empty entries).
pub fn uploadable(history: &[HistoryEntry]) -> impl Iterator<Item = &LocalCommit> {
    history.iter().filter_map(|e| match e {
        HistoryEntry::Local(c) if !c.changeset.instructions.is_empty() => Some(c),
        _ => None,
    })
}

/// The newest client version that must be acknowledged before the client is in sync.
pub fn last_uploadable(history: &[HistoryEntry]) -> ClientVersion {
    uploadable(history)
        .last()
        .map_or(ClientVersion::ZERO, |c| c.client_version)
}

/// The contents of one UPLOAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPlan {
    /// The header's `progress_client_version`, `progress_server_version`.
    pub progress: UploadCursor,
    pub entries: Vec<UploadEntry>,
}

/// The next UPLOAD after `after` (where the previous one in this binding
/// stopped, or the acknowledged cursor): every uploadable commit beyond it, in
/// the client's lazy layout with origin file ident 0, until 128 KiB of
/// changesets. A complete scan reports `(latest version, integrated)`; a scan
/// cut short reports the last entry's own pair, so the next UPLOAD continues.
pub fn plan_upload(
    history: &[HistoryEntry],
    after: ClientVersion,
    integrated: ServerVersion,
) -> UploadPlan {
    let mut entries = Vec::new();
    let mut bytes = 0usize;
    for commit in uploadable(history).filter(|c| c.client_version > after) {
        if bytes >= UPLOAD_BATCH_BYTES {
            let cut = entries.last().map(|e: &UploadEntry| UploadCursor {
                client_version: e.client_version,
                last_integrated_server_version: e.last_integrated_server_version,
            });
            if let Some(progress) = cut {
                return UploadPlan { progress, entries };
            }
        }
        let changeset = encode_with_layout(&commit.changeset, Layout::Lazy);
        bytes += changeset.len();
        entries.push(UploadEntry {
            client_version: commit.client_version,
            last_integrated_server_version: commit.base_server_version,
            origin_timestamp: commit.origin_timestamp,
            origin_file_ident: FileIdent::ZERO,
            changeset,
        });
    }
    UploadPlan {
        progress: UploadCursor {
            client_version: latest_version(history),
            last_integrated_server_version: integrated,
        },
        entries,
    }
}

/// Now, in milliseconds since 2015-01-01T00:00:00Z (0 if the clock is earlier).
pub fn origin_timestamp_now() -> OriginTimestamp {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let ms = u64::try_from(unix.saturating_sub(EPOCH_2015_MS)).unwrap_or(u64::MAX);
    OriginTimestamp::new(ms).unwrap_or(OriginTimestamp::MAX)
}
