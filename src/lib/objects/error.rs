//! Why an instruction does not fit the state it is applied to.

use crate::changeset::{ByteString, CollectionType, InstructionType, PayloadType, PrimaryKey};

/// The sync protocol error a server sends when an uploaded changeset cannot be
/// applied (`docs/protocol.md` §9.3 code 212, `bad_changeset`).
pub const BAD_CHANGESET: u16 = 212;

/// An instruction that cannot be applied (realm-core's `BadChangesetError` from
/// the instruction applier, `docs/merge.md` §12).
#[derive(Clone, PartialEq, Debug, thiserror::Error)]
#[error("instruction {index} ({}): {kind}", instruction.name())]
pub struct ApplyError {
    /// Position of the instruction in its changeset.
    pub index: usize,
    pub instruction: InstructionType,
    pub kind: ApplyErrorKind,
}

impl ApplyError {
    /// The protocol error code the server answers the upload with.
    pub fn sync_error_code(&self) -> u16 {
        BAD_CHANGESET
    }
}

/// What did not fit.
#[derive(Clone, PartialEq, Debug, thiserror::Error)]
pub enum ApplyErrorKind {
    #[error("no class {0:?}")]
    NoSuchClass(ByteString),
    #[error("class {0:?} exists with a different kind or primary key")]
    ClassMismatch(ByteString),
    #[error("class {class:?} is the target of link property {from_class:?}.{field:?}")]
    ClassIsLinkTarget {
        class: ByteString,
        from_class: ByteString,
        field: ByteString,
    },
    #[error("no property {field:?} in class {class:?}")]
    NoSuchProperty {
        class: ByteString,
        field: ByteString,
    },
    #[error("property {class:?}.{field:?} exists with a different type")]
    PropertyMismatch {
        class: ByteString,
        field: ByteString,
    },
    #[error("property {field:?}: {reason}")]
    InvalidProperty {
        field: ByteString,
        reason: &'static str,
    },
    #[error("the primary key {field:?} cannot be changed this way")]
    PrimaryKeyProperty { field: ByteString },
    #[error("link to class {0:?}, which does not exist or is embedded")]
    BadLinkTarget(ByteString),
    #[error("link to class {expected:?} expected, got {got:?}")]
    LinkTargetMismatch {
        expected: ByteString,
        got: ByteString,
    },
    #[error("object key {key:?} does not fit the primary key of class {class:?}")]
    KeyMismatch { class: ByteString, key: PrimaryKey },
    #[error("class {0:?} is embedded: its objects have no key")]
    EmbeddedClass(ByteString),
    #[error("no object {key:?} in class {class:?}")]
    NoSuchObject { class: ByteString, key: PrimaryKey },
    #[error("path does not resolve: {0}")]
    InvalidPath(&'static str),
    #[error("no dictionary key {0:?}")]
    NoSuchKey(ByteString),
    #[error("value of type {got} where {expected} is stored")]
    TypeMismatch {
        expected: &'static str,
        got: &'static str,
    },
    #[error("null in a non-nullable place")]
    NotNullable,
    #[error("{0} payload is not allowed here")]
    PayloadNotAllowed(PayloadTypeName),
    #[error("index {index} out of range (size {size})")]
    IndexOutOfRange { index: u32, size: usize },
    #[error("prior_size {prior_size} but the list has {size} elements")]
    PriorSizeMismatch { prior_size: u32, size: usize },
    #[error("move of element {0} to its own position")]
    MoveToSamePosition(u32),
    #[error("Clear of a {requested} where a {found} is stored")]
    ClearMismatch {
        requested: &'static str,
        found: &'static str,
    },
    #[error("Clear of a nested collection needs a collection type")]
    ClearWithoutType,
    #[error("sets nested in Mixed values are not supported")]
    NestedSet,
    #[error("AddInteger on a value that is not an integer")]
    NotAnInteger,
}

/// A payload type, displayed by its realm-core name.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct PayloadTypeName(pub PayloadType);

impl std::fmt::Display for PayloadTypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name())
    }
}

pub(crate) fn collection_name(t: CollectionType) -> &'static str {
    match t {
        CollectionType::Single => "value",
        CollectionType::List => "list",
        CollectionType::Dictionary => "dictionary",
        CollectionType::Set => "set",
    }
}
