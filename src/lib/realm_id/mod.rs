//! How a Realm is named: a path (`/<user id>/tasks`, the original server's form)
//! or a partition value (`"tasks"`, what current SDKs send in BIND), and where a
//! named Realm's files live on disk.
//!
//! Both forms are types that can only hold legal values, so the registry, the
//! permission rules and the sync service never see an unchecked name. Decoding
//! happens once, at the edge that received the name: [`RealmPath::from_url`]
//! percent-decodes, [`RealmId::from_bind`] never does.

mod partition;
mod path;
mod storage;

pub use partition::{PartitionError, PartitionValue, MAX_PARTITION_LEN};
pub use path::{PathError, RealmPath, MAX_PATH_LEN};
pub use storage::{storage_name, REALMS_DIR};

use std::fmt;

/// A Realm's identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RealmId {
    Path(RealmPath),
    Partition(PartitionValue),
}

/// Why a name is not a Realm's: sync answers it with ERROR 204
/// `illegal_realm_path`, HTTP with a 400 problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("illegal Realm path: {0}")]
    Path(#[from] PathError),
    #[error("illegal partition value: {0}")]
    Partition(#[from] PartitionError),
}

/// Partition values render as a JSON string, object or `null`; paths start with
/// `/`. The first byte therefore tells the two apart.
fn looks_like_partition(text: &[u8]) -> bool {
    matches!(text.first(), Some(b'"' | b'{')) || text == b"null"
}

impl RealmId {
    /// The identifier in a BIND message, bytes as sent (never percent-decoded):
    /// Extended JSON is a partition value, anything else must be a path.
    pub fn from_bind(bytes: &[u8], identity: Option<&str>) -> Result<RealmId, IdError> {
        if looks_like_partition(bytes) {
            Ok(RealmId::Partition(PartitionValue::from_bytes(bytes)?))
        } else {
            Ok(RealmId::Path(RealmPath::from_bind(bytes, identity)?))
        }
    }

    /// An identifier as an operator types it or as the admin store keeps it
    /// (its [`Display`](fmt::Display) form); `~` expands to `identity`.
    pub fn parse(text: &str, identity: Option<&str>) -> Result<RealmId, IdError> {
        if looks_like_partition(text.as_bytes()) {
            Ok(RealmId::Partition(PartitionValue::parse(text)?))
        } else {
            Ok(RealmId::Path(RealmPath::resolve(text, identity)?))
        }
    }

    /// The user whose own Realm this is: the first segment of a path, or the
    /// user id a partition value equals.
    pub fn home_user(&self) -> Option<crate::token::UserId> {
        match self {
            RealmId::Path(p) => p.home_user(),
            RealmId::Partition(v) => v.owner(),
        }
    }

    pub fn as_path(&self) -> Option<&RealmPath> {
        match self {
            RealmId::Path(p) => Some(p),
            RealmId::Partition(_) => None,
        }
    }
}

impl fmt::Display for RealmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RealmId::Path(p) => p.fmt(f),
            RealmId::Partition(v) => v.fmt(f),
        }
    }
}

impl From<RealmPath> for RealmId {
    fn from(path: RealmPath) -> RealmId {
        RealmId::Path(path)
    }
}

impl From<PartitionValue> for RealmId {
    fn from(value: PartitionValue) -> RealmId {
        RealmId::Partition(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_bytes_pick_the_form_by_their_first_byte() {
        assert_eq!(
            RealmId::from_bind(b"\"tasks\"", None).unwrap(),
            RealmId::Partition(PartitionValue::String("tasks".into()))
        );
        assert_eq!(
            RealmId::from_bind(b"null", None).unwrap(),
            RealmId::Partition(PartitionValue::Null)
        );
        assert_eq!(
            RealmId::from_bind(b"/demo", None).unwrap().to_string(),
            "/demo"
        );
        assert!(matches!(
            RealmId::from_bind(b"{\"$oid\":1}", None),
            Err(IdError::Partition(_))
        ));
        assert!(matches!(
            RealmId::from_bind(b"/a/../b", None),
            Err(IdError::Path(_))
        ));
    }

    #[test]
    fn display_parses_back_to_the_same_identifier() {
        for text in ["/a/b", "\"x y\"", "{\"$numberLong\":\"7\"}", "null"] {
            let id = RealmId::parse(text, None).unwrap();
            assert_eq!(RealmId::parse(&id.to_string(), None).unwrap(), id);
            assert_eq!(id.to_string(), text);
        }
    }
}
