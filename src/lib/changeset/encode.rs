//! [`Changeset`] to bytes, in realm-core's table-first layout or a client's lazy one.

use super::bytes::ByteString;
use super::decode::INTERN_STRING_TAG;
use super::instruction::*;
use super::path::{Location, PathElement};
use super::payload::{Payload, PrimaryKey};
use super::scalar::Decimal128;
use super::schema::{AddColumn, AddTable, CollectionType, ColumnType, TableType};
use super::string_index::StringIndex;
use super::strings::for_each_interned;
use super::varint::{write_i64, write_u128, write_u64};
use super::Changeset;

/// Where the InternString definitions go.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Layout {
    /// All definitions first, in index order, then the instructions: what
    /// realm-core's server stores and downloads (`ChangesetEncoder::encode_single`).
    #[default]
    TableFirst,
    /// Each definition just before the first instruction that needs it, as clients
    /// upload them; definitions nothing references come last.
    Lazy,
}

/// Encodes in realm-core's table-first layout. See [`encode_with_layout`].
pub fn encode(changeset: &Changeset) -> Vec<u8> {
    encode_with_layout(changeset, Layout::TableFirst)
}

/// Encodes `changeset`.
///
/// The string table is `changeset.strings` in its order (unused entries included,
/// as realm-core keeps them), followed by any string the instructions use that it
/// lacks, in order of first use. A changeset without instructions encodes to no
/// bytes at all, as realm-core's server writes it. Varints are minimal, bools
/// `00`/`01`, path names are marked with `40`.
pub fn encode_with_layout(changeset: &Changeset, layout: Layout) -> Vec<u8> {
    if changeset.instructions.is_empty() {
        return Vec::new();
    }
    let (table, index) = complete_table(changeset);
    let names: usize = table.iter().map(|s| s.len() + 3).sum();
    let out = Vec::with_capacity(names + 16 * changeset.instructions.len());
    let mut w = Writer { out, index };
    match layout {
        Layout::TableFirst => {
            w.define(&table);
            changeset.instructions.iter().for_each(|i| w.instruction(i));
        }
        Layout::Lazy => {
            let mut defined = 0;
            for instruction in &changeset.instructions {
                let mut needed = defined;
                for_each_interned(instruction, &mut |s| {
                    let i = w.index_of(s) as usize;
                    needed = needed.max(i + 1);
                });
                w.define(table.get(defined..needed).unwrap_or_default());
                defined = needed;
                w.instruction(instruction);
            }
            w.define(table.get(defined..).unwrap_or_default());
        }
    }
    w.out
}

/// `changeset.strings` followed by the referenced strings it lacks, in first-use
/// order, with each string's wire index.
fn complete_table(changeset: &Changeset) -> (Vec<&ByteString>, StringIndex<'_>) {
    let mut table: Vec<&ByteString> = changeset.strings.iter().collect();
    let mut index = StringIndex::with_capacity(table.len());
    for (s, i) in table.iter().zip(0..) {
        index.insert(s, i);
    }
    for instruction in &changeset.instructions {
        for_each_interned(instruction, &mut |s| {
            let next = u32::try_from(table.len()).unwrap_or(u32::MAX);
            if index.insert(s, next) {
                table.push(s);
            }
        });
    }
    (table, index)
}

impl Changeset {
    /// Appends the strings the instructions use but the table lacks, in first-use
    /// order: afterwards `decode(&encode(self))` reproduces the table exactly.
    pub fn complete_strings(&mut self) {
        for instruction in &self.instructions {
            for_each_interned(instruction, &mut |s| {
                self.strings.intern(s);
            });
        }
    }
}

struct Writer<'a> {
    out: Vec<u8>,
    index: StringIndex<'a>,
}

impl Writer<'_> {
    fn define(&mut self, strings: &[&ByteString]) {
        for s in strings {
            write_u64(&mut self.out, INTERN_STRING_TAG);
            let i = self.index_of(s);
            write_u64(&mut self.out, u64::from(i));
            self.bytes(s.as_bytes());
        }
    }

    /// The wire index of a string known to be in the table (`complete_table` put
    /// every referenced string there).
    fn index_of(&self, s: &ByteString) -> u32 {
        self.index.get(s).unwrap_or_default()
    }

    fn interned(&mut self, s: &ByteString) {
        let i = self.index_of(s);
        write_u64(&mut self.out, u64::from(i));
    }

    fn bytes(&mut self, b: &[u8]) {
        write_u64(&mut self.out, b.len() as u64);
        self.out.extend_from_slice(b);
    }

    fn bool(&mut self, b: bool) {
        self.out.push(u8::from(b));
    }

    fn u32(&mut self, v: u32) {
        write_u64(&mut self.out, u64::from(v));
    }

    fn instruction(&mut self, instruction: &Instruction) {
        self.out.push(instruction.instruction_type().tag());
        match instruction {
            Instruction::AddTable(i) => self.add_table(i),
            Instruction::EraseTable(i) => self.interned(&i.table),
            Instruction::CreateObject(i) => {
                self.interned(&i.table);
                self.key(&i.object);
            }
            Instruction::EraseObject(i) => {
                self.interned(&i.table);
                self.key(&i.object);
            }
            Instruction::Update(i) => match &i.target {
                UpdateTarget::Property {
                    location,
                    is_default,
                } => {
                    self.location(location);
                    self.payload(&i.value);
                    self.bool(*is_default);
                }
                UpdateTarget::ListElement {
                    location,
                    prior_size,
                } => {
                    self.location(location);
                    self.payload(&i.value);
                    self.u32(*prior_size);
                }
            },
            Instruction::AddInteger(i) => {
                self.location(&i.location);
                write_i64(&mut self.out, i.value);
            }
            Instruction::AddColumn(i) => self.add_column(i),
            Instruction::EraseColumn(i) => {
                self.interned(&i.table);
                self.interned(&i.field);
            }
            Instruction::ArrayInsert(i) => {
                self.location(&i.location);
                self.payload(&i.value);
                self.u32(i.prior_size);
            }
            Instruction::ArrayMove(i) => {
                self.location(&i.location);
                self.u32(i.ndx_2);
                self.u32(i.prior_size);
            }
            Instruction::ArrayErase(i) => {
                self.location(&i.location);
                self.u32(i.prior_size);
            }
            Instruction::Clear(i) => {
                self.location(&i.location);
                self.out.push(i.collection_type.code());
            }
            Instruction::SetInsert(i) => {
                self.location(&i.location);
                self.payload(&i.value);
            }
            Instruction::SetErase(i) => {
                self.location(&i.location);
                self.payload(&i.value);
            }
        }
    }

    fn add_table(&mut self, i: &AddTable) {
        self.interned(&i.table);
        match &i.table_type {
            TableType::TopLevel {
                primary_key,
                asymmetric,
            } => {
                self.out.push(if *asymmetric { 2 } else { 0 });
                self.interned(&primary_key.field);
                write_i64(&mut self.out, primary_key.key_type.payload_type().tag());
                self.bool(primary_key.nullable);
            }
            TableType::Embedded => self.out.push(1),
        }
    }

    fn add_column(&mut self, i: &AddColumn) {
        self.interned(&i.table);
        self.interned(&i.field);
        write_i64(&mut self.out, i.column_type.payload_type().tag());
        self.bool(i.nullable);
        self.out.push(i.collection_type.code());
        if let ColumnType::Link { target } = &i.column_type {
            self.interned(target);
        }
        if i.collection_type == CollectionType::Dictionary {
            write_i64(&mut self.out, super::payload::PayloadType::String.tag());
        }
    }

    fn location<P: std::ops::Deref<Target = [PathElement]>>(&mut self, l: &Location<P>) {
        self.interned(&l.table);
        self.key(&l.object);
        self.interned(&l.field);
        self.u32(u32::try_from(l.path.len()).unwrap_or(u32::MAX));
        for element in l.path.iter() {
            match element {
                PathElement::Index(i) => write_i64(&mut self.out, i64::from(*i)),
                PathElement::Key(key) => {
                    write_i64(&mut self.out, -1);
                    self.interned(key);
                }
            }
        }
    }

    fn key(&mut self, key: &PrimaryKey) {
        write_i64(&mut self.out, key.payload_type().tag());
        match key {
            PrimaryKey::Null => {}
            PrimaryKey::Int(v) => write_i64(&mut self.out, *v),
            PrimaryKey::String(s) => self.interned(s),
            PrimaryKey::GlobalKey(k) => {
                write_u64(&mut self.out, k.hi);
                write_u64(&mut self.out, k.lo);
            }
            PrimaryKey::ObjectId(id) => self.out.extend_from_slice(&id.0),
            PrimaryKey::Uuid(id) => self.out.extend_from_slice(&id.0),
        }
    }

    fn payload(&mut self, value: &Payload) {
        write_i64(&mut self.out, value.payload_type().tag());
        match value {
            Payload::Int(v) => write_i64(&mut self.out, *v),
            Payload::Bool(b) => self.bool(*b),
            Payload::String(s) | Payload::Binary(s) => self.bytes(s.as_bytes()),
            Payload::Timestamp(t) => {
                write_i64(&mut self.out, t.seconds());
                write_i64(&mut self.out, i64::from(t.nanoseconds()));
            }
            Payload::Float(f) => self.out.extend_from_slice(&f.to_le_bytes()),
            Payload::Double(d) => self.out.extend_from_slice(&d.to_le_bytes()),
            Payload::Decimal(d) => self.decimal(*d),
            Payload::Link(link) => {
                self.interned(&link.table);
                self.key(&link.key);
            }
            Payload::ObjectId(id) => self.out.extend_from_slice(&id.0),
            Payload::Uuid(id) => self.out.extend_from_slice(&id.0),
            Payload::Null
            | Payload::ObjectValue
            | Payload::Dictionary
            | Payload::List
            | Payload::Set
            | Payload::Erased => {}
        }
    }

    fn decimal(&mut self, d: Decimal128) {
        write_u128(&mut self.out, d.coefficient());
        write_i64(&mut self.out, i64::from(d.exponent()));
        self.bool(d.is_negative());
    }
}
