//! Checking a client's IDENT against the store (`docs/protocol.md` §6.3), in the
//! reference server's order, so each mistake gets the code a real server gives.

use super::{ClientFile, RealmStore};

/// What a client's IDENT claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentRequest {
    pub file_ident: u64,
    pub salt: i64,
    /// The client's download cursor: (`scan_server_version`, `scan_client_version`).
    pub scan_server_version: u64,
    pub scan_client_version: u64,
    /// The newest server version the client has heard of, with its salt.
    pub latest_version: u64,
    pub latest_salt: i64,
}

/// Why an IDENT is refused; each maps to one protocol error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdentRefusal {
    /// 209 `bad_server_version`.
    #[error("{0}")]
    BadServerVersion(&'static str),
    /// 208 `bad_client_file_ident`.
    #[error("this server never issued client file ident {0} for this Realm")]
    UnknownClientFile(u64),
    /// 211 `diverging_histories`.
    #[error("{0}")]
    Diverging(&'static str),
    /// 210 `bad_client_version`.
    #[error("the download cursor names client version {claimed}, but the server has integrated only up to {stored}")]
    BadClientVersion { claimed: u64, stored: u64 },
}

/// A client file that passed IDENT: where its session starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identified {
    /// The stored record: its upload progress is the session's threshold `T`.
    pub file: ClientFile,
}

impl RealmStore {
    /// Checks an IDENT (§6.3). The store has no queued uploads of its own (the
    /// actor integrates them before answering), so the threshold is the record.
    pub fn identify(&self, request: &IdentRequest) -> Result<Identified, IdentRefusal> {
        let current = self.current_version();
        if request.latest_version > current {
            return Err(IdentRefusal::BadServerVersion(
                "the client has heard of a server version this Realm never had",
            ));
        }
        let file = self
            .client_file(request.file_ident)
            .copied()
            .ok_or(IdentRefusal::UnknownClientFile(request.file_ident))?;
        if file.salt != request.salt {
            return Err(IdentRefusal::Diverging(
                "the client file ident's salt does not match the one this server issued",
            ));
        }
        if request.scan_server_version < file.rh_base_version {
            return Err(IdentRefusal::BadServerVersion(
                "the download cursor is older than what the client already uploaded on",
            ));
        }
        if request.scan_server_version > current {
            return Err(IdentRefusal::BadServerVersion(
                "the download cursor is past this Realm's latest server version",
            ));
        }
        if request.scan_client_version > file.client_version {
            return Err(IdentRefusal::BadClientVersion {
                claimed: request.scan_client_version,
                stored: file.client_version,
            });
        }
        if request.scan_server_version > request.latest_version {
            return Err(IdentRefusal::BadServerVersion(
                "the download cursor is past the latest server version the client reports",
            ));
        }
        if self.salt_of(request.latest_version) != Some(request.latest_salt) {
            return Err(IdentRefusal::Diverging(
                "the salt of the client's latest server version does not match this Realm's \
                 history (was the server restored from a backup?)",
            ));
        }
        Ok(Identified { file })
    }
}
