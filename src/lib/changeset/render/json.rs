//! The JSON rendering behind `ros changeset decode --format json`; the field
//! names and value forms are a script interface, documented in
//! `docs/changeset-json.md`.

use serde_json::{json, Map, Value};

use crate::changeset::bytes::ByteString;
use crate::changeset::instruction::{Instruction, UpdateTarget};
use crate::changeset::path::{LocationRef, PathElement};
use crate::changeset::payload::{Payload, PrimaryKey};
use crate::changeset::schema::{AddColumn, AddTable, CollectionType, ColumnType, TableType};
use crate::changeset::Changeset;

/// `{"instructions": [ {...}, ... ]}`, one object per instruction, in order.
pub fn to_json(changeset: &Changeset) -> Value {
    let instructions = changeset.instructions.iter().map(instruction).collect();
    json!({ "instructions": Value::Array(instructions) })
}

/// A byte string: a JSON string when it is UTF-8, else `{"hex": "<lowercase hex>"}`.
fn text(s: &ByteString) -> Value {
    match s.to_str() {
        Some(s) => Value::String(s.to_string()),
        None => json!({ "hex": hex::encode(s.as_bytes()) }),
    }
}

fn instruction(i: &Instruction) -> Value {
    let mut m = Map::new();
    m.insert("instruction".into(), i.instruction_type().name().into());
    match i {
        Instruction::AddTable(i) => add_table(&mut m, i),
        Instruction::EraseTable(i) => {
            m.insert("table".into(), text(&i.table));
        }
        Instruction::AddColumn(i) => add_column(&mut m, i),
        Instruction::EraseColumn(i) => {
            m.insert("table".into(), text(&i.table));
            m.insert("field".into(), text(&i.field));
        }
        Instruction::CreateObject(i) => {
            m.insert("table".into(), text(&i.table));
            m.insert("object".into(), key(&i.object));
        }
        Instruction::EraseObject(i) => {
            m.insert("table".into(), text(&i.table));
            m.insert("object".into(), key(&i.object));
        }
        Instruction::Update(i) => {
            location(&mut m, i.target.location());
            m.insert("value".into(), payload(&i.value));
            match &i.target {
                UpdateTarget::Property { is_default, .. } => {
                    m.insert("is_default".into(), (*is_default).into());
                }
                UpdateTarget::ListElement { prior_size, .. } => {
                    m.insert("prior_size".into(), (*prior_size).into());
                }
            }
        }
        Instruction::AddInteger(i) => {
            location(&mut m, i.location.view());
            m.insert("value".into(), i.value.into());
        }
        Instruction::ArrayInsert(i) => {
            location(&mut m, i.location.view());
            m.insert("value".into(), payload(&i.value));
            m.insert("prior_size".into(), i.prior_size.into());
        }
        Instruction::ArrayMove(i) => {
            location(&mut m, i.location.view());
            m.insert("ndx_2".into(), i.ndx_2.into());
            m.insert("prior_size".into(), i.prior_size.into());
        }
        Instruction::ArrayErase(i) => {
            location(&mut m, i.location.view());
            m.insert("prior_size".into(), i.prior_size.into());
        }
        Instruction::Clear(i) => {
            location(&mut m, i.location.view());
            m.insert("collection_type".into(), i.collection_type.name().into());
        }
        Instruction::SetInsert(i) => {
            location(&mut m, i.location.view());
            m.insert("value".into(), payload(&i.value));
        }
        Instruction::SetErase(i) => {
            location(&mut m, i.location.view());
            m.insert("value".into(), payload(&i.value));
        }
    }
    Value::Object(m)
}

fn add_table(m: &mut Map<String, Value>, i: &AddTable) {
    m.insert("table".into(), text(&i.table));
    match &i.table_type {
        TableType::TopLevel {
            primary_key,
            asymmetric,
        } => {
            let table_type = if *asymmetric {
                "TopLevelAsymmetric"
            } else {
                "TopLevel"
            };
            m.insert("table_type".into(), table_type.into());
            m.insert("pk_field".into(), text(&primary_key.field));
            m.insert(
                "pk_type".into(),
                primary_key.key_type.payload_type().name().into(),
            );
            m.insert("pk_nullable".into(), primary_key.nullable.into());
        }
        TableType::Embedded => {
            m.insert("table_type".into(), "Embedded".into());
        }
    }
}

fn add_column(m: &mut Map<String, Value>, i: &AddColumn) {
    m.insert("table".into(), text(&i.table));
    m.insert("field".into(), text(&i.field));
    let type_name = match &i.column_type {
        ColumnType::Mixed => "Mixed",
        other => other.payload_type().name(),
    };
    m.insert("type".into(), type_name.into());
    m.insert("nullable".into(), i.nullable.into());
    m.insert("collection_type".into(), i.collection_type.name().into());
    if let ColumnType::Link { target } = &i.column_type {
        m.insert("link_target_table".into(), text(target));
    }
    if i.collection_type == CollectionType::Dictionary {
        m.insert("key_type".into(), "String".into());
    }
}

fn location(m: &mut Map<String, Value>, l: LocationRef<'_>) {
    m.insert("table".into(), text(l.table));
    m.insert("object".into(), key(l.object));
    m.insert("field".into(), text(l.field));
    let path = l
        .path
        .iter()
        .map(|e| match e {
            PathElement::Index(i) => Value::from(*i),
            PathElement::Key(k) => text(k),
        })
        .collect();
    m.insert("path".into(), Value::Array(path));
}

fn key(k: &PrimaryKey) -> Value {
    let type_name = k.payload_type().name();
    match k {
        PrimaryKey::Null => json!({ "type": type_name }),
        PrimaryKey::Int(v) => json!({ "type": type_name, "value": v }),
        PrimaryKey::String(s) => json!({ "type": type_name, "value": text(s) }),
        PrimaryKey::GlobalKey(g) => json!({ "type": type_name, "hi": g.hi, "lo": g.lo }),
        PrimaryKey::ObjectId(id) => json!({ "type": type_name, "value": id.to_string() }),
        PrimaryKey::Uuid(id) => json!({ "type": type_name, "value": id.to_string() }),
    }
}

fn payload(p: &Payload) -> Value {
    let type_name = p.payload_type().name();
    match p {
        Payload::Int(v) => json!({ "type": type_name, "value": v }),
        Payload::Bool(b) => json!({ "type": type_name, "value": b }),
        Payload::String(s) => json!({ "type": type_name, "value": text(s) }),
        Payload::Binary(b) => json!({ "type": type_name, "value": hex::encode(b.as_bytes()) }),
        Payload::Timestamp(t) => json!({
            "type": type_name,
            "seconds": t.seconds(),
            "nanoseconds": t.nanoseconds(),
        }),
        Payload::Float(v) => json!({ "type": type_name, "value": float(*v) }),
        Payload::Double(v) => json!({ "type": type_name, "value": double(*v) }),
        Payload::Decimal(d) => json!({ "type": type_name, "value": d.to_string() }),
        Payload::Link(link) => json!({
            "type": type_name,
            "table": text(&link.table),
            "key": key(&link.key),
        }),
        Payload::ObjectId(id) => json!({ "type": type_name, "value": id.to_string() }),
        Payload::Uuid(id) => json!({ "type": type_name, "value": id.to_string() }),
        Payload::Null
        | Payload::ObjectValue
        | Payload::Dictionary
        | Payload::List
        | Payload::Set
        | Payload::Erased => json!({ "type": type_name }),
    }
}

/// A finite double as the shortest number that reads back as the same value;
/// NaN and the infinities, which JSON cannot express, as strings.
fn double(v: f64) -> Value {
    if v.is_nan() {
        Value::from("NaN")
    } else if v.is_infinite() {
        Value::from(if v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        Value::from(v)
    }
}

/// A float as the shortest decimal that reads back as the same binary32 value
/// (`1.1`, not the `1.100000023841858` its widening to f64 would print).
fn float(v: f32) -> Value {
    if !v.is_finite() {
        return double(f64::from(v));
    }
    let shortest: f64 = v.to_string().parse().unwrap_or(f64::from(v));
    Value::from(shortest)
}
