//! Payloads (field values) and primary keys.

use std::hash::{Hash, Hasher};

use super::bytes::ByteString;
use super::scalar::{Decimal128, GlobalKey, ObjectId, Timestamp, Uuid};

/// The wire's type tags (`vint<i64>`), shared by payloads, primary keys, pk types
/// and column types. Which tags are legal depends on where they appear; the model
/// types below only admit the legal ones.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PayloadType {
    Set,
    List,
    Erased,
    Dictionary,
    ObjectValue,
    GlobalKey,
    Null,
    Int,
    Bool,
    String,
    Binary,
    Timestamp,
    Float,
    Double,
    Decimal,
    Link,
    ObjectId,
    Uuid,
}

impl PayloadType {
    /// The tag written on the wire.
    pub fn tag(self) -> i64 {
        match self {
            PayloadType::Set => -6,
            PayloadType::List => -5,
            PayloadType::Erased => -4,
            PayloadType::Dictionary => -3,
            PayloadType::ObjectValue => -2,
            PayloadType::GlobalKey => -1,
            PayloadType::Null => 0,
            PayloadType::Int => 1,
            PayloadType::Bool => 2,
            PayloadType::String => 3,
            PayloadType::Binary => 4,
            PayloadType::Timestamp => 5,
            PayloadType::Float => 6,
            PayloadType::Double => 7,
            PayloadType::Decimal => 8,
            PayloadType::Link => 9,
            PayloadType::ObjectId => 10,
            PayloadType::Uuid => 11,
        }
    }

    /// The type with wire tag `tag`, if any of the 18 defined ones.
    pub fn from_tag(tag: i64) -> Option<PayloadType> {
        Some(match tag {
            -6 => PayloadType::Set,
            -5 => PayloadType::List,
            -4 => PayloadType::Erased,
            -3 => PayloadType::Dictionary,
            -2 => PayloadType::ObjectValue,
            -1 => PayloadType::GlobalKey,
            0 => PayloadType::Null,
            1 => PayloadType::Int,
            2 => PayloadType::Bool,
            3 => PayloadType::String,
            4 => PayloadType::Binary,
            5 => PayloadType::Timestamp,
            6 => PayloadType::Float,
            7 => PayloadType::Double,
            8 => PayloadType::Decimal,
            9 => PayloadType::Link,
            10 => PayloadType::ObjectId,
            11 => PayloadType::Uuid,
            _ => return None,
        })
    }

    /// realm-core's name for the type (`Int`, `UUID`, `ObjectValue`, ...), used by
    /// both renderers.
    pub fn name(self) -> &'static str {
        match self {
            PayloadType::Set => "Set",
            PayloadType::List => "List",
            PayloadType::Erased => "Erased",
            PayloadType::Dictionary => "Dictionary",
            PayloadType::ObjectValue => "ObjectValue",
            PayloadType::GlobalKey => "GlobalKey",
            PayloadType::Null => "Null",
            PayloadType::Int => "Int",
            PayloadType::Bool => "Bool",
            PayloadType::String => "String",
            PayloadType::Binary => "Binary",
            PayloadType::Timestamp => "Timestamp",
            PayloadType::Float => "Float",
            PayloadType::Double => "Double",
            PayloadType::Decimal => "Decimal",
            PayloadType::Link => "Link",
            PayloadType::ObjectId => "ObjectId",
            PayloadType::Uuid => "UUID",
        }
    }
}

/// The key identifying an object: its primary key, or its GlobalKey when the
/// class has no user primary key.
///
/// Keys of different variants are always distinct (`Int(1)` ≠ `String("1")`),
/// and string keys compare by content, exactly as the merge rules require.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PrimaryKey {
    Null,
    Int(i64),
    String(ByteString),
    GlobalKey(GlobalKey),
    ObjectId(ObjectId),
    Uuid(Uuid),
}

impl PrimaryKey {
    /// The wire tag of this key's variant.
    pub fn payload_type(&self) -> PayloadType {
        match self {
            PrimaryKey::Null => PayloadType::Null,
            PrimaryKey::Int(_) => PayloadType::Int,
            PrimaryKey::String(_) => PayloadType::String,
            PrimaryKey::GlobalKey(_) => PayloadType::GlobalKey,
            PrimaryKey::ObjectId(_) => PayloadType::ObjectId,
            PrimaryKey::Uuid(_) => PayloadType::Uuid,
        }
    }
}

/// A link to a top-level object: target class name and the target's key.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Link {
    pub table: ByteString,
    pub key: PrimaryKey,
}

/// A value written by Update, ArrayInsert, SetInsert and SetErase.
///
/// `GlobalKey` is not a payload (the decoder rejects it), so it has no variant.
/// Equality is structural: floats compare by bit pattern, so a decoded NaN equals
/// itself and round trips are testable; see [`Payload::same_value`] for the IEEE
/// comparison the merge rules use.
#[derive(Clone, Debug)]
pub enum Payload {
    /// Null of any type (also: remove an embedded object held in a field).
    Null,
    Int(i64),
    Bool(bool),
    /// An inline (not interned) string value.
    String(ByteString),
    Binary(ByteString),
    Timestamp(Timestamp),
    Float(f32),
    Double(f64),
    Decimal(Decimal128),
    /// Boxed: the largest variant by far (class name and key), and links are
    /// rare; inline it would make every instruction 24 bytes larger.
    Link(Box<Link>),
    ObjectId(ObjectId),
    Uuid(Uuid),
    /// Create an embedded object in place (idempotent).
    ObjectValue,
    /// Create an empty dictionary in a Mixed slot.
    Dictionary,
    /// Create an empty list in a Mixed slot.
    List,
    /// Create an empty set in a Mixed slot.
    Set,
    /// Remove a dictionary entry (Update on a key path only).
    Erased,
}

impl Payload {
    /// The wire tag of this payload's variant.
    pub fn payload_type(&self) -> PayloadType {
        match self {
            Payload::Null => PayloadType::Null,
            Payload::Int(_) => PayloadType::Int,
            Payload::Bool(_) => PayloadType::Bool,
            Payload::String(_) => PayloadType::String,
            Payload::Binary(_) => PayloadType::Binary,
            Payload::Timestamp(_) => PayloadType::Timestamp,
            Payload::Float(_) => PayloadType::Float,
            Payload::Double(_) => PayloadType::Double,
            Payload::Decimal(_) => PayloadType::Decimal,
            Payload::Link(_) => PayloadType::Link,
            Payload::ObjectId(_) => PayloadType::ObjectId,
            Payload::Uuid(_) => PayloadType::Uuid,
            Payload::ObjectValue => PayloadType::ObjectValue,
            Payload::Dictionary => PayloadType::Dictionary,
            Payload::List => PayloadType::List,
            Payload::Set => PayloadType::Set,
            Payload::Erased => PayloadType::Erased,
        }
    }

    /// realm-core's `same_payload`: like `==`, except that floats compare with IEEE
    /// semantics (NaN ≠ NaN, `0.0` = `-0.0`) and decimals by value (`1.0` =
    /// `1.00`). This is the equality the merge rules use to decide whether two
    /// concurrent writes wrote the same value.
    pub fn same_value(&self, other: &Payload) -> bool {
        match (self, other) {
            (Payload::Float(a), Payload::Float(b)) => a == b,
            (Payload::Double(a), Payload::Double(b)) => a == b,
            (Payload::Decimal(a), Payload::Decimal(b)) => a.same_value(*b),
            _ => self == other,
        }
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Payload) -> bool {
        use Payload as P;
        match (self, other) {
            (P::Int(a), P::Int(b)) => a == b,
            (P::Bool(a), P::Bool(b)) => a == b,
            (P::String(a), P::String(b)) | (P::Binary(a), P::Binary(b)) => a == b,
            (P::Timestamp(a), P::Timestamp(b)) => a == b,
            (P::Float(a), P::Float(b)) => a.to_bits() == b.to_bits(),
            (P::Double(a), P::Double(b)) => a.to_bits() == b.to_bits(),
            (P::Decimal(a), P::Decimal(b)) => a == b,
            (P::Link(a), P::Link(b)) => a == b,
            (P::ObjectId(a), P::ObjectId(b)) => a == b,
            (P::Uuid(a), P::Uuid(b)) => a == b,
            // Every remaining variant carries no data: equal iff the same variant.
            (a, b) => a.payload_type() == b.payload_type() && !a.has_data(),
        }
    }
}

impl Eq for Payload {}

/// Consistent with `==`: floats hash by bit pattern.
impl Hash for Payload {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.payload_type().hash(state);
        match self {
            Payload::Int(v) => v.hash(state),
            Payload::Bool(b) => b.hash(state),
            Payload::String(s) | Payload::Binary(s) => s.hash(state),
            Payload::Timestamp(t) => t.hash(state),
            Payload::Float(f) => f.to_bits().hash(state),
            Payload::Double(d) => d.to_bits().hash(state),
            Payload::Decimal(d) => d.hash(state),
            Payload::Link(link) => link.hash(state),
            Payload::ObjectId(id) => id.hash(state),
            Payload::Uuid(id) => id.hash(state),
            Payload::Null
            | Payload::ObjectValue
            | Payload::Dictionary
            | Payload::List
            | Payload::Set
            | Payload::Erased => {}
        }
    }
}

impl Payload {
    fn has_data(&self) -> bool {
        !matches!(
            self,
            Payload::Null
                | Payload::ObjectValue
                | Payload::Dictionary
                | Payload::List
                | Payload::Set
                | Payload::Erased
        )
    }
}
