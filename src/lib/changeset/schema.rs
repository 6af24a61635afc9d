//! Schema instructions: classes and properties.

use super::bytes::ByteString;
use super::payload::PayloadType;

/// AddTable: create a class if it does not exist yet.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct AddTable {
    /// Class name (Realm table name without `class_`).
    pub table: ByteString,
    pub table_type: TableType,
}

/// The kind of class; the merge rule for concurrent AddTables compares it whole.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum TableType {
    /// A top-level class; `asymmetric` classes are upload-only (wire table type 2).
    TopLevel {
        primary_key: PrimaryKeySpec,
        asymmetric: bool,
    },
    /// A class of embedded objects: no primary key, owned by its parent.
    Embedded,
}

/// The primary-key property of a top-level class. Classes without a user primary
/// key are sent with type GlobalKey and field `""`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PrimaryKeySpec {
    pub field: ByteString,
    pub key_type: PrimaryKeyType,
    pub nullable: bool,
}

/// The types a primary key may have (realm-core's `is_valid_key_type`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PrimaryKeyType {
    Int,
    String,
    ObjectId,
    Uuid,
    GlobalKey,
}

impl PrimaryKeyType {
    pub fn payload_type(self) -> PayloadType {
        match self {
            PrimaryKeyType::Int => PayloadType::Int,
            PrimaryKeyType::String => PayloadType::String,
            PrimaryKeyType::ObjectId => PayloadType::ObjectId,
            PrimaryKeyType::Uuid => PayloadType::Uuid,
            PrimaryKeyType::GlobalKey => PayloadType::GlobalKey,
        }
    }

    pub fn from_payload_type(t: PayloadType) -> Option<PrimaryKeyType> {
        Some(match t {
            PayloadType::Int => PrimaryKeyType::Int,
            PayloadType::String => PrimaryKeyType::String,
            PayloadType::ObjectId => PrimaryKeyType::ObjectId,
            PayloadType::Uuid => PrimaryKeyType::Uuid,
            PayloadType::GlobalKey => PrimaryKeyType::GlobalKey,
            _ => return None,
        })
    }
}

/// EraseTable: remove a class.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct EraseTable {
    pub table: ByteString,
}

/// AddColumn: add a property to a class.
///
/// A dictionary's key type is always String (the only one Realm supports; the
/// decoder rejects others), so it is implied by `CollectionType::Dictionary`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct AddColumn {
    pub table: ByteString,
    pub field: ByteString,
    pub column_type: ColumnType,
    pub nullable: bool,
    pub collection_type: CollectionType,
}

/// The element type of a property. Only the types a Realm column can have are
/// representable (realm-core aborts the process on the others).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ColumnType {
    /// Wire type Null: a Mixed property.
    Mixed,
    Int,
    Bool,
    String,
    Binary,
    Timestamp,
    Float,
    Double,
    Decimal,
    ObjectId,
    Uuid,
    /// A link to objects of class `target`; an empty target means a typed link.
    Link {
        target: ByteString,
    },
}

impl ColumnType {
    /// The wire type tag (Null for Mixed).
    pub fn payload_type(&self) -> PayloadType {
        match self {
            ColumnType::Mixed => PayloadType::Null,
            ColumnType::Int => PayloadType::Int,
            ColumnType::Bool => PayloadType::Bool,
            ColumnType::String => PayloadType::String,
            ColumnType::Binary => PayloadType::Binary,
            ColumnType::Timestamp => PayloadType::Timestamp,
            ColumnType::Float => PayloadType::Float,
            ColumnType::Double => PayloadType::Double,
            ColumnType::Decimal => PayloadType::Decimal,
            ColumnType::ObjectId => PayloadType::ObjectId,
            ColumnType::Uuid => PayloadType::Uuid,
            ColumnType::Link { .. } => PayloadType::Link,
        }
    }

    /// The column type for a non-link wire tag; `None` for Link (which needs a
    /// target) and for tags that are no column type.
    pub fn from_payload_type(t: PayloadType) -> Option<ColumnType> {
        Some(match t {
            PayloadType::Null => ColumnType::Mixed,
            PayloadType::Int => ColumnType::Int,
            PayloadType::Bool => ColumnType::Bool,
            PayloadType::String => ColumnType::String,
            PayloadType::Binary => ColumnType::Binary,
            PayloadType::Timestamp => ColumnType::Timestamp,
            PayloadType::Float => ColumnType::Float,
            PayloadType::Double => ColumnType::Double,
            PayloadType::Decimal => ColumnType::Decimal,
            PayloadType::ObjectId => ColumnType::ObjectId,
            PayloadType::Uuid => ColumnType::Uuid,
            _ => return None,
        })
    }
}

/// EraseColumn: remove a property.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct EraseColumn {
    pub table: ByteString,
    pub field: ByteString,
}

/// The collection kind of a property or of a collection being cleared.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CollectionType {
    /// Not a collection; in Clear: "whatever collection is there" (older clients).
    Single,
    List,
    Dictionary,
    Set,
}

impl CollectionType {
    /// The wire value (`vint<u8>`).
    pub fn code(self) -> u8 {
        match self {
            CollectionType::Single => 0,
            CollectionType::List => 1,
            CollectionType::Dictionary => 2,
            CollectionType::Set => 3,
        }
    }

    pub fn from_code(code: u8) -> Option<CollectionType> {
        Some(match code {
            0 => CollectionType::Single,
            1 => CollectionType::List,
            2 => CollectionType::Dictionary,
            3 => CollectionType::Set,
            _ => return None,
        })
    }

    /// realm-core's name (`Single`, `List`, `Dictionary`, `Set`).
    pub fn name(self) -> &'static str {
        match self {
            CollectionType::Single => "Single",
            CollectionType::List => "List",
            CollectionType::Dictionary => "Dictionary",
            CollectionType::Set => "Set",
        }
    }
}
