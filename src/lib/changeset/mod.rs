//! Changesets: realm-core's sync instruction model and its binary encoding.
//!
//! A changeset is the unit a client uploads and the server stores and downloads: a
//! flat list of instructions (schema, object and field changes) with a per-changeset
//! table of interned strings. This module holds the model ([`Instruction`] and its
//! parts), the codec ([`decode`], [`encode`]) and two renderings ([`render::to_text`]
//! for the text vectors, [`render::to_json`] for scripts). The byte format and every
//! validation rule come from `docs/changesets.md`.
//!
//! Modelling choices, made for the merge engine that rewrites these instructions:
//! * Instructions hold their strings by value ([`ByteString`], shared, cheap to
//!   clone), so names and keys compare by content across changesets, as the merge
//!   rules require; the [`StringTable`] only fixes the wire layout.
//! * Path shapes that the wire format depends on are types: array instructions and
//!   list-element updates take an [`ElementPath`] (ends with an index), other updates
//!   a [`ValuePath`]; so every model value encodes, and decodes back to itself.
//! * Floats compare bitwise under `==`; [`Payload::same_value`] gives the IEEE
//!   comparison the merge rules use.

mod bytes;
mod decode;
mod encode;
mod error;
mod input;
mod instruction;
mod limits;
mod names;
mod path;
mod payload;
mod reader;
pub mod render;
mod scalar;
mod schema;
mod string_index;
mod strings;
mod varint;

pub use bytes::ByteString;
pub use decode::{decode, decode_with_limits};
pub use encode::{encode, encode_with_layout, Layout};
pub use error::{DecodeError, DecodeErrorKind, Field, IntWidth, Record};
pub use input::bytes_from_hex_or_binary;
pub use instruction::{
    AddInteger, ArrayErase, ArrayInsert, ArrayMove, Clear, CreateObject, EraseObject, Instruction,
    InstructionType, SetErase, SetInsert, Update, UpdateTarget,
};
pub use limits::{Limits, MAX_CLASS_NAME_LEN};
pub use path::{ElementPath, Location, LocationRef, Path, PathElement, ValuePath};
pub use payload::{Link, Payload, PayloadType, PrimaryKey};
pub use scalar::{Decimal128, GlobalKey, ObjectId, Timestamp, Uuid};
pub use schema::{
    AddColumn, AddTable, CollectionType, ColumnType, EraseColumn, EraseTable, PrimaryKeySpec,
    PrimaryKeyType, TableType,
};
pub use strings::StringTable;

/// A decoded changeset: its instructions in order, and the string table layout it
/// was (or will be) encoded with.
///
/// Equality compares the instructions only: the table is an encoding detail (two
/// clients may intern the same strings in different orders), so it does not make
/// two changesets different. Compare `strings` explicitly where the layout matters.
#[derive(Clone, Debug, Default)]
pub struct Changeset {
    pub instructions: Vec<Instruction>,
    /// The interned strings in wire order; the encoder appends whatever the
    /// instructions use beyond it (see [`encode_with_layout`]).
    pub strings: StringTable,
}

impl Changeset {
    /// A changeset whose strings will be interned in order of first use.
    pub fn new(instructions: Vec<Instruction>) -> Changeset {
        Changeset {
            instructions,
            strings: StringTable::new(),
        }
    }
}

impl PartialEq for Changeset {
    fn eq(&self, other: &Changeset) -> bool {
        self.instructions == other.instructions
    }
}

impl Eq for Changeset {}
