//! Why a merge fails, and which protocol error the server answers with.

use crate::changeset::ByteString;

/// Sync protocol error codes a failed integration is reported with
/// (`docs/protocol.md` §9.3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SyncErrorCode {
    /// 209: the upload's cursor does not fit the server history (`docs/protocol.md` §7.1).
    BadServerVersion,
    /// 212: the changeset cannot be parsed, transformed or applied
    /// (`docs/merge.md` §8.6).
    BadChangeset,
}

impl SyncErrorCode {
    /// The number sent in ERROR / JSON_ERROR.
    pub fn code(self) -> u16 {
        match self {
            SyncErrorCode::BadServerVersion => 209,
            SyncErrorCode::BadChangeset => 212,
        }
    }
}

/// A rule of `docs/merge.md` §5–§6, named as that page numbers it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rule {
    N5,
    N6,
    N7,
    P1,
    P6,
    P9,
    P13,
    P14,
    P15,
    P16,
    P17,
    P18,
    P19,
    P20,
    P21,
    P22,
}

/// Two changesets that cannot be reconciled (realm-core's `TransformError`,
/// `docs/merge.md` §7). Reported to the uploader as `bad_changeset`.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum TransformError {
    /// The same class was added with different primary keys or kinds (P1).
    #[error("schema mismatch: class {class:?} is added with different {what} on the two sides")]
    ClassMismatch {
        class: ByteString,
        what: &'static str,
    },
    /// The same property was added with different types (P9).
    #[error("schema mismatch: property {class:?}.{field:?} is added with different {what}")]
    PropertyMismatch {
        class: ByteString,
        field: ByteString,
        what: &'static str,
    },
    /// A list rule found sizes or indices that cannot describe the same list.
    #[error("{rule:?}: {check} does not hold")]
    ListMismatch { rule: Rule, check: &'static str },
    /// Two paths through the same list disagree on the element kind there
    /// (N5–N7 "inconsistent paths").
    #[error("{0:?}: inconsistent paths")]
    InconsistentPaths(Rule),
    /// A field update and a list-element update of the same place (P6), or a
    /// non-element update in a list container (P13, P15, P18; realm-core asserts,
    /// quirk Q6).
    #[error("{0:?}: list-element update expected")]
    NotAnElementUpdate(Rule),
    /// Clear against an Update creating a Set (P22; realm-core asserts, Q6).
    #[error("P22: Clear against an Update that creates a set")]
    SetUpdate,
}

/// A failed integration of an upload.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Transform(#[from] TransformError),
    /// The upload claims to build on server versions the history does not have,
    /// or on ones older than the client's reciprocal history starts
    /// (`docs/merge.md` §8.1).
    #[error(
        "last integrated server version {last_integrated} outside {base}..={current} \
         (reciprocal history starts at {reciprocal_base})"
    )]
    ServerVersion {
        last_integrated: u64,
        base: u64,
        reciprocal_base: u64,
        current: u64,
    },
}

impl MergeError {
    /// The protocol error the server sends to the uploading session.
    pub fn sync_error_code(&self) -> SyncErrorCode {
        match self {
            MergeError::Transform(_) => SyncErrorCode::BadChangeset,
            MergeError::ServerVersion { .. } => SyncErrorCode::BadServerVersion,
        }
    }
}

impl TransformError {
    /// Always `bad_changeset` (`docs/merge.md` §7, §8.6).
    pub fn sync_error_code(&self) -> SyncErrorCode {
        SyncErrorCode::BadChangeset
    }
}
