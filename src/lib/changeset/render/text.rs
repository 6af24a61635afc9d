//! The line format of the captured vectors' `.txt` files.

use std::fmt::Write;

use super::number::{write_g17, write_timestamp};
use crate::changeset::bytes::ByteString;
use crate::changeset::instruction::{Instruction, UpdateTarget};
use crate::changeset::path::{LocationRef, PathElement};
use crate::changeset::payload::{Payload, PrimaryKey};
use crate::changeset::schema::{AddColumn, AddTable, CollectionType, ColumnType, TableType};
use crate::changeset::Changeset;

/// Renders one line per instruction: `N: Type field=value ...`, exactly as the
/// `.txt` files under `vectors/` list them.
///
/// The vectors were printed by a C++ program through one `std::ostream` per
/// changeset, and realm-core's `GlobalKey` printer switches that stream to
/// hexadecimal without switching it back. So after the first GlobalKey, every
/// integer that follows (line numbers, `Int(..)` values, indices, sizes) appears in
/// lowercase hex, negative ones as 64-bit two's complement; doubles, timestamps and
/// decimals are unaffected. This renderer reproduces that, so vectors compare
/// line for line (`enc_objects.txt` numbers its lines `… 12, d, e, f, 10 …`).
///
/// Strings print between double quotes; `"`, `\`, control characters and bytes
/// that are not UTF-8 are escaped (`\"`, `\\`, `\n`, `\xNN` for other ASCII
/// controls and invalid bytes, `\u{..}` for other Unicode controls) so that every
/// instruction stays on one line (the vectors contain no such strings).
pub fn to_text(changeset: &Changeset) -> String {
    let mut w = TextWriter {
        out: String::new(),
        hex: false,
    };
    for (n, instruction) in changeset.instructions.iter().enumerate() {
        w.unsigned(n as u64);
        w.out.push_str(": ");
        w.out.push_str(instruction.instruction_type().name());
        w.instruction(instruction);
        w.out.push('\n');
    }
    w.out
}

struct TextWriter {
    out: String,
    /// Whether integers print in hex (after a GlobalKey, see [`to_text`]).
    hex: bool,
}

impl TextWriter {
    fn signed(&mut self, v: i64) {
        if self.hex {
            let _ = write!(self.out, "{:x}", v as u64);
        } else {
            let _ = write!(self.out, "{v}");
        }
    }

    fn unsigned(&mut self, v: u64) {
        if self.hex {
            let _ = write!(self.out, "{v:x}");
        } else {
            let _ = write!(self.out, "{v}");
        }
    }

    fn flag(&mut self, name: &str, v: bool) {
        let _ = write!(self.out, " {name}={}", u8::from(v));
    }

    fn name(&mut self, field: &str, s: &ByteString) {
        let _ = write!(self.out, " {field}=");
        self.quoted(s);
    }

    fn quoted(&mut self, s: &ByteString) {
        self.out.push('"');
        for chunk in s.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '"' => self.out.push_str("\\\""),
                    '\\' => self.out.push_str("\\\\"),
                    '\n' => self.out.push_str("\\n"),
                    c if c.is_ascii_control() => {
                        let _ = write!(self.out, "\\x{:02x}", u32::from(c));
                    }
                    c if c.is_control() => {
                        let _ = write!(self.out, "\\u{{{:x}}}", u32::from(c));
                    }
                    c => self.out.push(c),
                }
            }
            for b in chunk.invalid() {
                let _ = write!(self.out, "\\x{b:02x}");
            }
        }
        self.out.push('"');
    }

    fn instruction(&mut self, instruction: &Instruction) {
        match instruction {
            Instruction::AddTable(i) => self.add_table(i),
            Instruction::EraseTable(i) => self.name("table", &i.table),
            Instruction::CreateObject(i) => {
                self.name("table", &i.table);
                self.object(&i.object);
            }
            Instruction::EraseObject(i) => {
                self.name("table", &i.table);
                self.object(&i.object);
            }
            Instruction::Update(i) => {
                self.location(i.target.location());
                self.value(&i.value);
                match &i.target {
                    UpdateTarget::Property { is_default, .. } => {
                        self.flag("is_default", *is_default)
                    }
                    UpdateTarget::ListElement { prior_size, .. } => self.prior_size(*prior_size),
                }
            }
            Instruction::AddInteger(i) => {
                self.location(i.location.view());
                self.out.push_str(" value=");
                self.signed(i.value);
            }
            Instruction::AddColumn(i) => self.add_column(i),
            Instruction::EraseColumn(i) => {
                self.name("table", &i.table);
                self.name("field", &i.field);
            }
            Instruction::ArrayInsert(i) => {
                self.location(i.location.view());
                self.value(&i.value);
                self.prior_size(i.prior_size);
            }
            Instruction::ArrayMove(i) => {
                self.location(i.location.view());
                self.out.push_str(" ndx_2=");
                self.unsigned(u64::from(i.ndx_2));
                self.prior_size(i.prior_size);
            }
            Instruction::ArrayErase(i) => {
                self.location(i.location.view());
                self.prior_size(i.prior_size);
            }
            Instruction::Clear(i) => {
                self.location(i.location.view());
                let _ = write!(self.out, " collection_type={}", i.collection_type.name());
            }
            Instruction::SetInsert(i) => {
                self.location(i.location.view());
                self.value(&i.value);
            }
            Instruction::SetErase(i) => {
                self.location(i.location.view());
                self.value(&i.value);
            }
        }
    }

    fn add_table(&mut self, i: &AddTable) {
        self.name("table", &i.table);
        match &i.table_type {
            TableType::TopLevel {
                primary_key,
                asymmetric,
            } => {
                self.name("pk_field", &primary_key.field);
                let type_name = primary_key.key_type.payload_type().name();
                let _ = write!(self.out, " pk_type={type_name}");
                self.flag("pk_nullable", primary_key.nullable);
                self.flag("is_asymmetric", *asymmetric);
            }
            TableType::Embedded => self.out.push_str(" embedded"),
        }
    }

    fn add_column(&mut self, i: &AddColumn) {
        self.name("table", &i.table);
        self.name("field", &i.field);
        let key_type = match i.collection_type {
            CollectionType::Dictionary => "String",
            _ => "Null",
        };
        let type_name = i.column_type.payload_type().name();
        let _ = write!(self.out, " type={type_name} key_type={key_type}");
        self.flag("nullable", i.nullable);
        let _ = write!(self.out, " collection_type={}", i.collection_type.name());
        if let ColumnType::Link { target } = &i.column_type {
            self.name("link_target_table", target);
        }
    }

    fn prior_size(&mut self, size: u32) {
        self.out.push_str(" prior_size=");
        self.unsigned(u64::from(size));
    }

    fn location(&mut self, l: LocationRef<'_>) {
        self.name("table", l.table);
        self.object(l.object);
        self.name("field", l.field);
        self.out.push_str(" path=[");
        for (n, element) in l.path.iter().enumerate() {
            if n > 0 {
                self.out.push(',');
            }
            match element {
                PathElement::Index(i) => self.unsigned(u64::from(*i)),
                PathElement::Key(k) => self.quoted(k),
            }
        }
        self.out.push(']');
    }

    fn object(&mut self, key: &PrimaryKey) {
        self.out.push_str(" object=");
        self.key(key);
    }

    fn key(&mut self, key: &PrimaryKey) {
        match key {
            PrimaryKey::Null => self.out.push_str("null"),
            PrimaryKey::Int(v) => {
                self.out.push_str("Int(");
                self.signed(*v);
                self.out.push(')');
            }
            PrimaryKey::String(s) => {
                self.out.push_str("String(");
                self.quoted(s);
                self.out.push(')');
            }
            PrimaryKey::GlobalKey(k) => {
                let _ = write!(self.out, "GlobalKey({{{:04x}-{:04x}}})", k.hi, k.lo);
                self.hex = true;
            }
            PrimaryKey::ObjectId(id) => {
                let _ = write!(self.out, "ObjectId({id})");
            }
            PrimaryKey::Uuid(id) => {
                let _ = write!(self.out, "UUID({id})");
            }
        }
    }

    fn value(&mut self, value: &Payload) {
        self.out.push_str(" value=");
        self.out.push_str(value.payload_type().name());
        self.out.push('(');
        match value {
            Payload::Int(v) => self.signed(*v),
            Payload::Bool(b) => self.out.push(if *b { '1' } else { '0' }),
            Payload::String(s) => self.quoted(s),
            Payload::Binary(b) => {
                self.out.push_str("0x");
                b.as_bytes().iter().for_each(|b| {
                    let _ = write!(self.out, "{b:02x}");
                });
            }
            Payload::Timestamp(t) => write_timestamp(&mut self.out, *t),
            Payload::Float(v) => write_g17(&mut self.out, f64::from(*v)),
            Payload::Double(v) => write_g17(&mut self.out, *v),
            Payload::Decimal(d) => {
                let _ = write!(self.out, "{d}");
            }
            Payload::Link(link) => {
                self.out.push_str("table=");
                self.quoted(&link.table);
                self.out.push_str(", pk=");
                self.key(&link.key);
            }
            Payload::ObjectId(id) => {
                let _ = write!(self.out, "{id}");
            }
            Payload::Uuid(id) => {
                let _ = write!(self.out, "{id}");
            }
            Payload::Null
            | Payload::ObjectValue
            | Payload::Dictionary
            | Payload::List
            | Payload::Set
            | Payload::Erased => {}
        }
        self.out.push(')');
    }
}
