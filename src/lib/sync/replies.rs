//! Server messages built from what sessions and stores decided: errors in the
//! form the negotiated version understands, and DOWNLOADs from a store's batch.

use crate::protocol::{
    ByteCount, ClientVersion, Compression, Download, DownloadCursor, DownloadEntry, ErrorCode,
    ErrorMessage, FileIdent, JsonError, JsonErrorBody, OriginTimestamp, ProtocolVersion, Salt,
    SaltedVersion, ServerMessage, ServerVersion, SessionIdent, UploadCursor, WireErrorCode,
    COMPRESSION_THRESHOLD,
};
use crate::realm::DownloadBatch;

/// The first version whose clients read JSON_ERROR (and only there get an
/// `action`, from 7): with them a plain ERROR never triggers a client reset.
const JSON_ERROR_SINCE: u8 = 4;

/// An error for `session` (0 for the connection) as this client must get it:
/// JSON_ERROR with the code table's action from protocol 4, plain ERROR before.
pub(crate) fn error(
    version: ProtocolVersion,
    session: SessionIdent,
    code: ErrorCode,
    message: &str,
) -> ServerMessage {
    let wire =
        WireErrorCode::new(u32::from(code.number())).unwrap_or_else(|| unreachable_code(code));
    let try_again = code.suggestion().is_some_and(|s| s.try_again);
    if version.get() >= JSON_ERROR_SINCE {
        if let Some(mut body) = JsonErrorBody::for_code(code, message) {
            if version.get() < 7 {
                body.action = None;
            }
            return ServerMessage::JsonError(JsonError {
                code: wire,
                session,
                body: body.to_bytes(),
            });
        }
    }
    ServerMessage::Error(ErrorMessage {
        code: wire,
        message: message.as_bytes().to_vec(),
        try_again,
        session,
    })
}

/// Every code this server sends is a known one below 2^31.
fn unreachable_code(code: ErrorCode) -> WireErrorCode {
    tracing::error!(%code, "an error code without a wire form");
    WireErrorCode::new(201).unwrap_or_else(|| unreachable!("201 is a valid wire code"))
}

fn number<T>(value: u64, make: impl Fn(u64) -> Option<T>, max: T) -> T {
    make(value).unwrap_or(max)
}

/// The DOWNLOAD for `session` carrying `batch` (its changesets move into the
/// message: no copy per session).
pub(crate) fn download(session: SessionIdent, batch: DownloadBatch) -> ServerMessage {
    let sv = |v: u64| number(v, ServerVersion::new, ServerVersion::MAX);
    let cv = |v: u64| number(v, ClientVersion::new, ClientVersion::MAX);
    let body_size: usize = batch
        .changesets
        .iter()
        .map(|c| c.changeset.len() + 60)
        .sum();
    let changesets: Vec<DownloadEntry> = batch
        .changesets
        .into_iter()
        .map(|c| DownloadEntry {
            server_version: sv(c.server_version),
            last_integrated_client_version: cv(c.last_integrated_client_version),
            origin_timestamp: number(
                c.origin_timestamp,
                OriginTimestamp::new,
                OriginTimestamp::MAX,
            ),
            origin_file_ident: number(c.origin_file_ident, FileIdent::new, FileIdent::MAX),
            original_changeset_size: number(
                c.changeset.len() as u64,
                ByteCount::new,
                ByteCount::MAX,
            ),
            changeset: c.changeset,
        })
        .collect();
    ServerMessage::Download(Download {
        session,
        download: DownloadCursor {
            server_version: sv(batch.download_server_version),
            last_integrated_client_version: cv(batch.download_client_version),
        },
        latest: SaltedVersion {
            version: sv(batch.latest.version),
            salt: Salt(batch.latest.salt),
        },
        upload: UploadCursor {
            client_version: cv(batch.upload_client_version),
            last_integrated_server_version: sv(batch.upload_server_version),
        },
        downloadable_bytes: number(batch.downloadable_bytes, ByteCount::new, ByteCount::MAX),
        // Changesets compress well; deciding by trial would deflate twice.
        compression: if body_size > COMPRESSION_THRESHOLD {
            Compression::Zlib
        } else {
            Compression::Plain
        },
        changesets,
    })
}
