//! What the next DOWNLOAD of a client file carries (`docs/merge.md` §10): the
//! stored history after its cursor, less its own and empty entries, up to a size
//! limit, with the cursors the client must persist.

use super::error::RealmError;
use super::{Latest, RealmStore};
use crate::merge::SERVER_FILE_IDENT;

/// One history entry as a DOWNLOAD sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownloadChangeset {
    pub server_version: u64,
    /// The receiving client's latest version integrated before this entry.
    pub last_integrated_client_version: u64,
    pub origin_timestamp: u64,
    /// Never 0: changes made on the server itself are sent as 1.
    pub origin_file_ident: u64,
    /// The changeset as stored (transformed, table-first layout).
    pub changeset: Vec<u8>,
}

/// The contents and cursors of one DOWNLOAD message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownloadBatch {
    pub changesets: Vec<DownloadChangeset>,
    /// The new download cursor.
    pub download_server_version: u64,
    pub download_client_version: u64,
    pub latest: Latest,
    /// The upload progress stored for the client file (acknowledges uploads).
    pub upload_client_version: u64,
    pub upload_server_version: u64,
    /// Bytes of history after the new cursor (progress reporting).
    pub downloadable_bytes: u64,
}

impl RealmStore {
    /// The DOWNLOAD for client file `ident` whose cursor is (`server_version`,
    /// `client_version`): entries are added until their bytes exceed `limit`
    /// (so one changeset larger than the limit still goes out alone).
    pub fn fetch_download(
        &self,
        ident: u64,
        server_version: u64,
        client_version: u64,
        limit: u64,
    ) -> Result<DownloadBatch, RealmError> {
        let end = self.current_version();
        let mut cursor = (server_version.min(end), client_version);
        let mut out = Vec::new();
        let mut bytes = 0u64;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT changeset FROM history WHERE server_version = ?1")?;
        let mut version = cursor.0;
        while version < end && bytes <= limit {
            version += 1;
            let Some(meta) = self.entry_meta(version) else {
                break;
            };
            if meta.origin_file_ident == ident {
                cursor = (version, meta.client_version);
                continue;
            }
            cursor.0 = version;
            if meta.size == 0 {
                continue;
            }
            let changeset: Vec<u8> = stmt.query_row([version as i64], |r| r.get(0))?;
            bytes += changeset.len() as u64;
            out.push(DownloadChangeset {
                server_version: version,
                last_integrated_client_version: cursor.1,
                origin_timestamp: meta.origin_timestamp,
                origin_file_ident: if meta.origin_file_ident == 0 {
                    SERVER_FILE_IDENT
                } else {
                    meta.origin_file_ident
                },
                changeset,
            });
        }
        let file = self.client_file(ident);
        let scanned = self.entry_meta(cursor.0).map_or(0, |m| m.cumulative);
        Ok(DownloadBatch {
            changesets: out,
            download_server_version: cursor.0,
            download_client_version: cursor.1,
            latest: self.latest(),
            upload_client_version: file.map_or(0, |f| f.client_version),
            upload_server_version: file.map_or(0, |f| f.rh_base_version),
            downloadable_bytes: self.history_bytes().saturating_sub(scanned),
        })
    }
}
