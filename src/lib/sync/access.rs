//! What a BIND's Realm identifier and the user's rights mean for a session: the
//! checks the session code will run for every BIND and UPLOAD, with the protocol
//! error each refusal is answered with.

use crate::admin::{AdminError, AdminStore, Rights, Subject};
use crate::protocol::ErrorCode;
use crate::realm_id::RealmId;

/// The Realm a BIND names, its bytes taken as sent (never percent-decoded); an
/// illegal name is answered with ERROR 204 `illegal_realm_path`.
pub fn bind_realm(bytes: &[u8], identity: Option<&str>) -> Result<RealmId, ErrorCode> {
    RealmId::from_bind(bytes, identity).map_err(|_| ErrorCode::IllegalRealmPath)
}

/// What the session may do, or ERROR 206 `permission_denied` when the rules give
/// the user nothing at all.
pub fn session_rights(
    store: &AdminStore,
    subject: Subject,
    realm: &RealmId,
) -> Result<Result<Rights, ErrorCode>, AdminError> {
    let rights = store.rights(subject, realm)?;
    Ok(if rights.may_read {
        Ok(rights)
    } else {
        Err(ErrorCode::PermissionDenied)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn illegal_bind_identifiers_are_error_204() {
        for bad in [
            &b"/a/../b"[..],
            b"/a%2Fb",
            b"{\"$oid\":\"x\"}",
            b"/a\0b",
            b"",
        ] {
            assert_eq!(bind_realm(bad, None), Err(ErrorCode::IllegalRealmPath));
        }
        assert!(bind_realm(b"\"tasks\"", None).is_ok());
        assert!(bind_realm(b"/~/tasks", Some("0123456789abcdef01234567")).is_ok());
    }
}
