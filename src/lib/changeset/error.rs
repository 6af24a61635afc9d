//! Decode errors: what went wrong, in which record and field, at which byte.

use std::fmt;

use super::instruction::InstructionType;
use super::payload::PayloadType;

/// A changeset that cannot be decoded (realm-core's `BadChangesetError`; the
/// server answers the upload with protocol error `bad_changeset`).
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("bad changeset at byte {offset}, {record}, field `{field}`: {kind}")]
pub struct DecodeError {
    /// Offset of the first byte of the offending item (the varint, string or
    /// record that is wrong or cut short).
    pub offset: usize,
    /// The record being decoded.
    pub record: Record,
    /// The field of that record being decoded.
    pub field: Field,
    pub kind: DecodeErrorKind,
}

/// The record in which a decode error occurred.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Record {
    /// The record's tag itself, before its kind is known.
    Start,
    /// An InternString definition (tag 63).
    InternString,
    /// The instruction with this 0-based ordinal (as numbered in the text vectors).
    Instruction { index: usize, kind: InstructionType },
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::Start => f.write_str("record start"),
            Record::InternString => f.write_str("InternString record"),
            Record::Instruction { index, kind } => {
                write!(f, "instruction {index} ({})", kind.name())
            }
        }
    }
}

/// The field being decoded, named as in the spec's field layouts and the text
/// rendering.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Field {
    Tag,
    StringIndex,
    StringValue,
    Table,
    TableType,
    PkField,
    PkType,
    PkNullable,
    Object,
    Field,
    Path,
    Value,
    IsDefault,
    PriorSize,
    Ndx2,
    Type,
    Nullable,
    CollectionType,
    LinkTargetTable,
    KeyType,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Tag => "tag",
            Field::StringIndex => "index",
            Field::StringValue => "string",
            Field::Table => "table",
            Field::TableType => "table_type",
            Field::PkField => "pk_field",
            Field::PkType => "pk_type",
            Field::PkNullable => "pk_nullable",
            Field::Object => "object",
            Field::Field => "field",
            Field::Path => "path",
            Field::Value => "value",
            Field::IsDefault => "is_default",
            Field::PriorSize => "prior_size",
            Field::Ndx2 => "ndx_2",
            Field::Type => "type",
            Field::Nullable => "nullable",
            Field::CollectionType => "collection_type",
            Field::LinkTargetTable => "link_target_table",
            Field::KeyType => "key_type",
        })
    }
}

/// The integer widths of the wire's varints.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IntWidth {
    I64,
    U64,
    I32,
    U32,
    U8,
    /// The 113-bit coefficient of a Decimal128 (at most 17 bytes).
    Coefficient,
}

impl fmt::Display for IntWidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IntWidth::I64 => "i64",
            IntWidth::U64 => "u64",
            IntWidth::I32 => "i32",
            IntWidth::U32 => "u32",
            IntWidth::U8 => "u8",
            IntWidth::Coefficient => "decimal128 coefficient",
        })
    }
}

/// What is wrong, with the expected and the found value where there are any.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DecodeErrorKind {
    #[error("input ends early: the item needs at least {needed} bytes, {available} remain")]
    Truncated { needed: u64, available: usize },
    #[error("{width} varint longer than its maximum of {max_bytes} bytes")]
    VarintTooLong { width: IntWidth, max_bytes: usize },
    #[error("varint value does not fit in {width}")]
    VarintOverflow { width: IntWidth },
    #[error("negative value in unsigned {width} field (sign flag set)")]
    NegativeUnsigned { width: IntWidth },
    #[error("unknown record tag {found}: expected an instruction (0..=13) or InternString (63)")]
    UnknownRecordTag { found: u64 },
    #[error("unknown payload type tag {found}: expected -6..=11")]
    UnknownPayloadType { found: i64 },
    #[error("type {} not allowed here: expected {expected}", .found.name())]
    UnexpectedPayloadType {
        found: PayloadType,
        expected: &'static str,
    },
    #[error(
        "unknown table type {found}: expected 0 (TopLevel), 1 (Embedded) or 2 (TopLevelAsymmetric)"
    )]
    UnknownTableType { found: u8 },
    #[error("unknown collection type {found}: expected 0..=3 (Single, List, Dictionary, Set)")]
    UnknownCollectionType { found: u8 },
    #[error("string of {length} bytes: expected at most {max}")]
    StringTooLong { length: u64, max: usize },
    #[error("binary of {length} bytes: expected at most {max}")]
    BinaryTooLong { length: u64, max: usize },
    #[error("class name of {length} bytes: expected at most {max}")]
    ClassNameTooLong { length: usize, max: usize },
    #[error("interned string defined with index {found}: expected the next index, {expected}")]
    UnexpectedStringIndex { expected: u32, found: u32 },
    #[error("string already interned as index {existing}: a string may be defined once")]
    DuplicateString { existing: u32 },
    #[error("string table already holds the most strings a u32 index can address")]
    StringTableFull,
    #[error("reference to interned string {index}: expected an index below {defined} (strings defined so far)")]
    UndefinedString { index: u32, defined: u32 },
    #[error("path of {length} elements: expected at most {max}")]
    PathTooDeep { length: u32, max: usize },
    #[error("path index {found}: expected at most {}", u32::MAX)]
    PathIndexTooLarge { found: i64 },
    #[error("path ends with {found}: expected it to end with a list index")]
    MissingListIndex { found: &'static str },
    #[error("more than {max} instructions")]
    TooManyInstructions { max: usize },
    #[error("timestamp {seconds} s {nanoseconds} ns: expected |ns| < 10^9 and seconds and nanoseconds not of opposite signs")]
    InvalidTimestamp { seconds: i64, nanoseconds: i64 },
    #[error("decimal128 coefficient of {bits} bits: expected at most 113")]
    DecimalCoefficientTooLarge { bits: u32 },
    #[error("decimal128 exponent {found}: expected -6176..=10207")]
    DecimalExponentOutOfRange { found: i32 },
}
