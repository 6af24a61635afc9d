//! What objects hold: field values, embedded objects, collections, and the keys
//! objects are found by.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::changeset::{ByteString, Decimal128, Link, ObjectId, PrimaryKey, Timestamp, Uuid};

/// A primary key with a total order, so objects can be kept (and rendered) sorted
/// by key: keys of different kinds order by kind (null, Int, String, ObjectId,
/// UUID, GlobalKey), keys of one kind by value (strings bytewise).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ObjectKey(pub PrimaryKey);

impl ObjectKey {
    fn rank(&self) -> u8 {
        match self.0 {
            PrimaryKey::Null => 0,
            PrimaryKey::Int(_) => 1,
            PrimaryKey::String(_) => 2,
            PrimaryKey::ObjectId(_) => 3,
            PrimaryKey::Uuid(_) => 4,
            PrimaryKey::GlobalKey(_) => 5,
        }
    }
}

impl Ord for ObjectKey {
    fn cmp(&self, other: &ObjectKey) -> Ordering {
        match (&self.0, &other.0) {
            (PrimaryKey::Int(a), PrimaryKey::Int(b)) => a.cmp(b),
            (PrimaryKey::String(a), PrimaryKey::String(b)) => a.cmp(b),
            (PrimaryKey::ObjectId(a), PrimaryKey::ObjectId(b)) => a.cmp(b),
            (PrimaryKey::Uuid(a), PrimaryKey::Uuid(b)) => a.cmp(b),
            (PrimaryKey::GlobalKey(a), PrimaryKey::GlobalKey(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for ObjectKey {
    fn partial_cmp(&self, other: &ObjectKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The fields of one object, top-level or embedded, by name.
///
/// Every column of the object's class is present (with its default value until
/// written), so two states with the same content compare equal however they got
/// there.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Object {
    pub fields: BTreeMap<ByteString, Value>,
}

/// One value in a field, a collection element or a Mixed slot.
///
/// Links to top-level objects are kept by key and resolved when read: a link
/// whose target does not exist (erased, or never created) is realm-core's
/// "unresolved link" to a tombstone (`docs/merge.md` §12). It keeps its place in
/// lists, so list positions in instructions stay uncondensed, and it starts
/// pointing at the object again if that key is created once more.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Int(i64),
    Bool(bool),
    String(ByteString),
    Binary(ByteString),
    Timestamp(Timestamp),
    Float(f32),
    Double(f64),
    Decimal(Decimal128),
    ObjectId(ObjectId),
    Uuid(Uuid),
    Link(Link),
    /// An embedded object, owned by the field or collection that holds it.
    Object(Box<Object>),
    /// A list column, or a list nested in a Mixed slot.
    List(Vec<Value>),
    /// A set column: distinct values, kept in [`Value::canonical_cmp`] order so
    /// that equal sets are equal however they were built.
    Set(Vec<Value>),
    /// A dictionary column, or a dictionary nested in a Mixed slot.
    Dictionary(BTreeMap<ByteString, Value>),
}

/// Structural equality; floats compare by bit pattern so that a state equals
/// itself even when it holds a NaN.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value as V;
        match (self, other) {
            (V::Null, V::Null) => true,
            (V::Int(a), V::Int(b)) => a == b,
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::String(a), V::String(b)) | (V::Binary(a), V::Binary(b)) => a == b,
            (V::Timestamp(a), V::Timestamp(b)) => a == b,
            (V::Float(a), V::Float(b)) => a.to_bits() == b.to_bits(),
            (V::Double(a), V::Double(b)) => a.to_bits() == b.to_bits(),
            (V::Decimal(a), V::Decimal(b)) => a == b,
            (V::ObjectId(a), V::ObjectId(b)) => a == b,
            (V::Uuid(a), V::Uuid(b)) => a == b,
            (V::Link(a), V::Link(b)) => a == b,
            (V::Object(a), V::Object(b)) => a == b,
            (V::List(a), V::List(b)) | (V::Set(a), V::Set(b)) => a == b,
            (V::Dictionary(a), V::Dictionary(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Value {
    fn rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Int(_) => 1,
            Value::Bool(_) => 2,
            Value::String(_) => 3,
            Value::Binary(_) => 4,
            Value::Timestamp(_) => 5,
            Value::Float(_) => 6,
            Value::Double(_) => 7,
            Value::Decimal(_) => 8,
            Value::ObjectId(_) => 9,
            Value::Uuid(_) => 10,
            Value::Link(_) => 11,
            Value::Object(_) => 12,
            Value::List(_) => 13,
            Value::Set(_) => 14,
            Value::Dictionary(_) => 15,
        }
    }

    /// A total order on plain values (the elements of sets), consistent with
    /// `==`: by kind, then by value; floats by `total_cmp`, links by class and
    /// key. Objects and collections, which sets never hold, order by kind only.
    pub fn canonical_cmp(&self, other: &Value) -> Ordering {
        use Value as V;
        match (self, other) {
            (V::Int(a), V::Int(b)) => a.cmp(b),
            (V::Bool(a), V::Bool(b)) => a.cmp(b),
            (V::String(a), V::String(b)) | (V::Binary(a), V::Binary(b)) => a.cmp(b),
            (V::Timestamp(a), V::Timestamp(b)) => a.cmp(b),
            (V::Float(a), V::Float(b)) => a.total_cmp(b),
            (V::Double(a), V::Double(b)) => a.total_cmp(b),
            (V::Decimal(a), V::Decimal(b)) => a.cmp(b),
            (V::ObjectId(a), V::ObjectId(b)) => a.cmp(b),
            (V::Uuid(a), V::Uuid(b)) => a.cmp(b),
            (V::Link(a), V::Link(b)) => {
                (&a.table, ObjectKey(a.key.clone())).cmp(&(&b.table, ObjectKey(b.key.clone())))
            }
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// The zero value realm-core gives a non-nullable Decimal128 field.
pub(crate) fn zero_decimal() -> Decimal128 {
    Decimal128::from_parts(0, 0, false).unwrap_or_default()
}
