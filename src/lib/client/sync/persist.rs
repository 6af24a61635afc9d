//! Saving a client to a JSON file and loading it back, so a test can simulate
//! a restart: identity, progress, history and reciprocal forms survive; the
//! session does not (a restarted client binds again). The state is not stored:
//! replaying the history rebuilds it. Changesets are hex of their encoding.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::changeset::{decode, encode, Changeset};
use crate::merge::LocalChangeset;
use crate::objects::State;
use crate::protocol::{
    ClientVersion, DownloadCursor, FileIdent, OriginTimestamp, Salt, SaltedVersion, ServerVersion,
    UploadCursor,
};

use super::errors::PersistError;
use super::history::{FileIdentity, HistoryEntry, IntegratedDownload, LocalCommit, SyncProgress};
use super::realm_client::RealmClient;

const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Saved {
    format: u32,
    path: String,
    file_ident: Option<(u64, i64)>,
    /// download (server, client), latest (version, salt), upload (client, server).
    download: (u64, u64),
    latest: (u64, i64),
    upload: (u64, u64),
    last_timestamp: u64,
    history: Vec<SavedEntry>,
    /// (client_version, origin_timestamp, reciprocal hex)
    pending: Vec<(u64, u64, String)>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
enum SavedEntry {
    Local {
        client_version: u64,
        base_server_version: u64,
        origin_timestamp: u64,
        changeset: String,
    },
    Download {
        client_version: u64,
        server_version: u64,
        applied: Vec<String>,
    },
}

fn hex_of(changeset: &Changeset) -> String {
    hex::encode(encode(changeset))
}

impl RealmClient {
    /// Writes the client to `path` (through a temporary file and a rename, so
    /// a crash leaves the old file or the new one).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PersistError> {
        let path = path.as_ref();
        let p = &self.progress;
        let saved = Saved {
            format: FORMAT,
            path: self.path.clone(),
            file_ident: self.identity.map(|i| (i.ident.get(), i.salt.0)),
            download: (
                p.download.server_version.get(),
                p.download.last_integrated_client_version.get(),
            ),
            latest: (p.latest.version.get(), p.latest.salt.0),
            upload: (
                p.upload.client_version.get(),
                p.upload.last_integrated_server_version.get(),
            ),
            last_timestamp: self.last_timestamp.get(),
            history: self.history.iter().map(saved_entry).collect(),
            pending: (self.pending.iter())
                .map(|l| (l.client_version, l.origin_timestamp, hex_of(&l.reciprocal)))
                .collect(),
        };
        let io = |source| PersistError::Io {
            path: path.display().to_string(),
            source,
        };
        let json = serde_json::to_vec_pretty(&saved).map_err(|e| io(e.into()))?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a client written by [`RealmClient::save`], unbound, with default
    /// options (set them again with the `with_*` methods).
    pub fn load(path: impl AsRef<Path>) -> Result<RealmClient, PersistError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| PersistError::Io {
            path: name.clone(),
            source,
        })?;
        let format = |detail: String| PersistError::Format {
            path: name.clone(),
            detail,
        };
        let saved: Saved = serde_json::from_slice(&bytes).map_err(|e| format(e.to_string()))?;
        if saved.format != FORMAT {
            return Err(format(format!(
                "format {} (expected {FORMAT})",
                saved.format
            )));
        }
        restore(saved).map_err(format)
    }
}

fn saved_entry(entry: &HistoryEntry) -> SavedEntry {
    match entry {
        HistoryEntry::Local(c) => SavedEntry::Local {
            client_version: c.client_version.get(),
            base_server_version: c.base_server_version.get(),
            origin_timestamp: c.origin_timestamp.get(),
            changeset: hex_of(&c.changeset),
        },
        HistoryEntry::Download(d) => SavedEntry::Download {
            client_version: d.client_version.get(),
            server_version: d.server_version.get(),
            applied: d.applied.iter().map(hex_of).collect(),
        },
    }
}

/// A protocol number read back from the file.
fn number<T: TryFrom<u64>>(value: u64, what: &str) -> Result<T, String> {
    T::try_from(value).map_err(|_| format!("{what} {value} is out of range"))
}

fn changeset(text: &str) -> Result<Changeset, String> {
    let bytes = hex::decode(text).map_err(|e| format!("changeset hex: {e}"))?;
    decode(&bytes).map_err(|e| e.to_string())
}

fn restore(saved: Saved) -> Result<RealmClient, String> {
    let mut client = RealmClient::new(saved.path);
    client.identity = match saved.file_ident {
        Some((ident, salt)) => Some(FileIdentity {
            ident: number::<FileIdent>(ident, "file ident")?,
            salt: Salt(salt),
        }),
        None => None,
    };
    client.progress = SyncProgress {
        download: DownloadCursor {
            server_version: number(saved.download.0, "download server version")?,
            last_integrated_client_version: number(saved.download.1, "download client version")?,
        },
        latest: SaltedVersion {
            version: number(saved.latest.0, "latest server version")?,
            salt: Salt(saved.latest.1),
        },
        upload: UploadCursor {
            client_version: number(saved.upload.0, "upload client version")?,
            last_integrated_server_version: number(saved.upload.1, "upload server version")?,
        },
    };
    client.last_timestamp = number::<OriginTimestamp>(saved.last_timestamp, "timestamp")?;
    let mut state = State::new();
    for entry in saved.history {
        let entry = restore_entry(entry)?;
        let version = entry.client_version();
        if version <= client.client_version() {
            return Err(format!("client version {version} out of order"));
        }
        for c in entry.changesets() {
            state
                .apply(c)
                .map_err(|e| format!("replaying client version {version}: {e}"))?;
        }
        client.history.push(entry);
    }
    client.state = state;
    for (client_version, origin_timestamp, reciprocal) in saved.pending {
        client.pending.push(LocalChangeset {
            client_version,
            origin_timestamp,
            reciprocal: changeset(&reciprocal)?,
        });
    }
    Ok(client)
}

fn restore_entry(entry: SavedEntry) -> Result<HistoryEntry, String> {
    Ok(match entry {
        SavedEntry::Local {
            client_version,
            base_server_version,
            origin_timestamp,
            changeset: text,
        } => HistoryEntry::Local(LocalCommit {
            client_version: number::<ClientVersion>(client_version, "client version")?,
            base_server_version: number::<ServerVersion>(base_server_version, "server version")?,
            origin_timestamp: number(origin_timestamp, "origin timestamp")?,
            changeset: changeset(&text)?,
        }),
        SavedEntry::Download {
            client_version,
            server_version,
            applied,
        } => HistoryEntry::Download(IntegratedDownload {
            client_version: number(client_version, "client version")?,
            server_version: number(server_version, "server version")?,
            applied: applied
                .iter()
                .map(|t| changeset(t))
                .collect::<Result<_, _>>()?,
        }),
    })
}
