//! The progress pairs that UPLOAD, DOWNLOAD and IDENT carry.
//!
//! Each is a position in one history together with the matching position in the
//! other; keeping the two halves in one type stops callers from mixing a client
//! version of one cursor with the server version of another.

use super::ids::{ClientVersion, Salt, ServerVersion};

/// A position in the server history as one client file sees it: everything up
/// to `server_version` is integrated by the client, and `last_integrated_client_version`
/// is the client's own newest version contained in the server state there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DownloadCursor {
    /// How far the server history has been scanned for this client.
    pub server_version: ServerVersion,
    /// The client's own latest version integrated into the server at that point.
    pub last_integrated_client_version: ClientVersion,
}

/// A position in a client's history: all local changes up to `client_version`
/// are integrated by the server, based on `last_integrated_server_version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UploadCursor {
    /// The client version reached.
    pub client_version: ClientVersion,
    /// The server version the client had integrated at `client_version`.
    pub last_integrated_server_version: ServerVersion,
}

/// A server version together with the salt of the history that produced it, so a
/// server restored from a backup can tell that a client saw a different version
/// with the same number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SaltedVersion {
    /// The server version.
    pub version: ServerVersion,
    /// Its salt (0 for version 0).
    pub salt: Salt,
}
