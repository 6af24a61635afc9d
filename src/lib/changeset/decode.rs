//! Bytes to [`Changeset`]: records, instructions, payloads, keys and paths.

use super::bytes::ByteString;
use super::error::{DecodeError, DecodeErrorKind as Kind, Field, Record};
use super::instruction::*;
use super::limits::Limits;
use super::names;
use super::path::{by_last_element, ElementPath, Location, Path, PathElement};
use super::payload::{Link, Payload, PayloadType, PrimaryKey};
use super::reader::{Fail, Reader};
use super::scalar::{Decimal128, GlobalKey, ObjectId, Timestamp, Uuid};
use super::schema::*;
use super::Changeset;

/// Record tag of the InternString meta-record.
pub(crate) const INTERN_STRING_TAG: u64 = 63;

/// Decodes a changeset with the default [`Limits`].
pub fn decode(input: &[u8]) -> Result<Changeset, DecodeError> {
    decode_with_limits(input, Limits::default())
}

/// Decodes a changeset in any layout that defines each interned string before its
/// first use (the client's lazy layout, the server's table-first layout, or any
/// interleaving between them).
pub fn decode_with_limits(input: &[u8], limits: Limits) -> Result<Changeset, DecodeError> {
    records(input, limits).map_err(|e| *e)
}

fn records(input: &[u8], limits: Limits) -> Result<Changeset, Fail> {
    let mut r = Reader::new(input, limits);
    let mut instructions = Vec::new();
    while !r.at_end() {
        let start = r.pos();
        r.record = Record::Start;
        let tag = r.field(Field::Tag).u64()?;
        if tag == INTERN_STRING_TAG {
            r.record = Record::InternString;
            intern_string(&mut r)?;
            continue;
        }
        let kind = InstructionType::from_tag(tag)
            .ok_or_else(|| r.error_at(start, Kind::UnknownRecordTag { found: tag }))?;
        r.record = Record::Instruction {
            index: instructions.len(),
            kind,
        };
        if instructions.len() >= r.limits.max_instructions {
            let max = r.limits.max_instructions;
            return Err(r.error_at(start, Kind::TooManyInstructions { max }));
        }
        instructions.push(instruction(&mut r, kind)?);
    }
    // Changesets off the wire are kept (the history, a merge's inputs): no
    // spare capacity, so many small ones pack densely in memory.
    instructions.shrink_to_fit();
    Ok(Changeset {
        instructions,
        strings: r.strings,
    })
}

fn intern_string(r: &mut Reader<'_>) -> Result<(), Fail> {
    let start = r.pos();
    let index = r.field(Field::StringIndex).u32()?;
    let expected = u32::try_from(r.strings.len()).unwrap_or(u32::MAX);
    if index != expected {
        return Err(r.error_at(
            start,
            Kind::UnexpectedStringIndex {
                expected,
                found: index,
            },
        ));
    }
    let start = r.pos();
    let value = names::shared(r.field(Field::StringValue).string()?);
    match r.strings.insert_new(&value) {
        Ok(_) => Ok(()),
        Err(Some(existing)) => Err(r.error_at(start, Kind::DuplicateString { existing })),
        Err(None) => Err(r.error_at(start, Kind::StringTableFull)),
    }
}

fn instruction(r: &mut Reader<'_>, kind: InstructionType) -> Result<Instruction, Fail> {
    Ok(match kind {
        InstructionType::AddTable => Instruction::AddTable(add_table(r)?),
        InstructionType::EraseTable => Instruction::EraseTable(EraseTable {
            table: r.field(Field::Table).class_name()?,
        }),
        InstructionType::CreateObject => Instruction::CreateObject(CreateObject {
            table: r.field(Field::Table).class_name()?,
            object: primary_key(r.field(Field::Object))?,
        }),
        InstructionType::EraseObject => Instruction::EraseObject(EraseObject {
            table: r.field(Field::Table).class_name()?,
            object: primary_key(r.field(Field::Object))?,
        }),
        InstructionType::Update => Instruction::Update(update(r)?),
        InstructionType::AddInteger => Instruction::AddInteger(AddInteger {
            location: any_location(r)?,
            value: r.field(Field::Value).i64()?,
        }),
        InstructionType::AddColumn => Instruction::AddColumn(add_column(r)?),
        InstructionType::EraseColumn => Instruction::EraseColumn(EraseColumn {
            table: r.field(Field::Table).class_name()?,
            field: r.field(Field::Field).interned()?,
        }),
        InstructionType::ArrayInsert => Instruction::ArrayInsert(ArrayInsert {
            location: element_location(r)?,
            value: payload(r.field(Field::Value))?,
            prior_size: r.field(Field::PriorSize).u32()?,
        }),
        InstructionType::ArrayMove => Instruction::ArrayMove(ArrayMove {
            location: element_location(r)?,
            ndx_2: r.field(Field::Ndx2).u32()?,
            prior_size: r.field(Field::PriorSize).u32()?,
        }),
        InstructionType::ArrayErase => Instruction::ArrayErase(ArrayErase {
            location: element_location(r)?,
            prior_size: r.field(Field::PriorSize).u32()?,
        }),
        InstructionType::Clear => Instruction::Clear(Clear {
            location: any_location(r)?,
            collection_type: collection_type(r.field(Field::CollectionType))?,
        }),
        InstructionType::SetInsert => Instruction::SetInsert(SetInsert {
            location: any_location(r)?,
            value: payload(r.field(Field::Value))?,
        }),
        InstructionType::SetErase => Instruction::SetErase(SetErase {
            location: any_location(r)?,
            value: payload(r.field(Field::Value))?,
        }),
    })
}

fn add_table(r: &mut Reader<'_>) -> Result<AddTable, Fail> {
    let table = r.field(Field::Table).class_name()?;
    let start = r.pos();
    let table_type = match r.field(Field::TableType).u8()? {
        code @ (0 | 2) => {
            let field = r.field(Field::PkField).interned()?;
            let start = r.pos();
            let found = payload_type(r.field(Field::PkType))?;
            let key_type = PrimaryKeyType::from_payload_type(found).ok_or_else(|| {
                let expected = "a primary key type (Int, String, ObjectId, UUID, GlobalKey)";
                r.error_at(start, Kind::UnexpectedPayloadType { found, expected })
            })?;
            let nullable = r.field(Field::PkNullable).bool()?;
            TableType::TopLevel {
                primary_key: PrimaryKeySpec {
                    field,
                    key_type,
                    nullable,
                },
                asymmetric: code == 2,
            }
        }
        1 => TableType::Embedded,
        found => return Err(r.error_at(start, Kind::UnknownTableType { found })),
    };
    Ok(AddTable { table, table_type })
}

fn add_column(r: &mut Reader<'_>) -> Result<AddColumn, Fail> {
    let table = r.field(Field::Table).class_name()?;
    let field = r.field(Field::Field).interned()?;
    let type_start = r.pos();
    let found = payload_type(r.field(Field::Type))?;
    let column = ColumnType::from_payload_type(found);
    if column.is_none() && found != PayloadType::Link {
        let expected = "a column type (Null for Mixed, Int, Bool, String, Binary, Timestamp, \
                        Float, Double, Decimal, Link, ObjectId, UUID)";
        return Err(r.error_at(type_start, Kind::UnexpectedPayloadType { found, expected }));
    }
    let nullable = r.field(Field::Nullable).bool()?;
    let collection_type = collection_type(r.field(Field::CollectionType))?;
    let column_type = match column {
        Some(column) => column,
        None => ColumnType::Link {
            target: r.field(Field::LinkTargetTable).class_name()?,
        },
    };
    if collection_type == CollectionType::Dictionary {
        let start = r.pos();
        let found = payload_type(r.field(Field::KeyType))?;
        if found != PayloadType::String {
            let expected = "String (the only dictionary key type)";
            return Err(r.error_at(start, Kind::UnexpectedPayloadType { found, expected }));
        }
    }
    Ok(AddColumn {
        table,
        field,
        column_type,
        nullable,
        collection_type,
    })
}

fn update(r: &mut Reader<'_>) -> Result<Update, Fail> {
    let (table, object, field, elements) = location_parts(r)?;
    let value = payload(r.field(Field::Value))?;
    let target = match by_last_element(elements) {
        Ok(path) => UpdateTarget::ListElement {
            prior_size: r.field(Field::PriorSize).u32()?,
            location: Location {
                table,
                object,
                field,
                path,
            },
        },
        Err(path) => UpdateTarget::Property {
            is_default: r.field(Field::IsDefault).bool()?,
            location: Location {
                table,
                object,
                field,
                path,
            },
        },
    };
    Ok(Update { target, value })
}

type Parts = (ByteString, PrimaryKey, ByteString, Vec<PathElement>);

/// The prefix shared by all path instructions: table, object, field, path.
fn location_parts(r: &mut Reader<'_>) -> Result<Parts, Fail> {
    let table = r.field(Field::Table).class_name()?;
    let object = primary_key(r.field(Field::Object))?;
    let field = r.field(Field::Field).interned()?;
    let path = path(r.field(Field::Path))?;
    Ok((table, object, field, path))
}

fn any_location(r: &mut Reader<'_>) -> Result<Location, Fail> {
    let (table, object, field, elements) = location_parts(r)?;
    Ok(Location {
        table,
        object,
        field,
        path: Path(elements),
    })
}

fn element_location(r: &mut Reader<'_>) -> Result<Location<ElementPath>, Fail> {
    let (table, object, field) = (
        r.field(Field::Table).class_name()?,
        primary_key(r.field(Field::Object))?,
        r.field(Field::Field).interned()?,
    );
    let start = r.pos();
    let elements = path(r.field(Field::Path))?;
    let path = ElementPath::try_from(elements).map_err(|elements| {
        let found = if elements.is_empty() {
            "nothing (empty path)"
        } else {
            "a name"
        };
        r.error_at(start, Kind::MissingListIndex { found })
    })?;
    Ok(Location {
        table,
        object,
        field,
        path,
    })
}

fn path(r: &mut Reader<'_>) -> Result<Vec<PathElement>, Fail> {
    let start = r.pos();
    let length = r.u32()?;
    if usize::try_from(length).map_or(true, |n| n > r.limits.max_path_depth) {
        let max = r.limits.max_path_depth;
        return Err(r.error_at(start, Kind::PathTooDeep { length, max }));
    }
    // Grown element by element: `length` comes from the input and proves nothing.
    let mut elements = Vec::new();
    for _ in 0..length {
        let start = r.pos();
        let element = r.i64()?;
        if element >= 0 {
            let index = u32::try_from(element)
                .map_err(|_| r.error_at(start, Kind::PathIndexTooLarge { found: element }))?;
            elements.push(PathElement::Index(index));
        } else {
            elements.push(PathElement::Key(r.interned()?));
        }
    }
    Ok(elements)
}

fn payload_type(r: &mut Reader<'_>) -> Result<PayloadType, Fail> {
    let start = r.pos();
    let tag = r.i64()?;
    PayloadType::from_tag(tag)
        .ok_or_else(|| r.error_at(start, Kind::UnknownPayloadType { found: tag }))
}

fn collection_type(r: &mut Reader<'_>) -> Result<CollectionType, Fail> {
    let start = r.pos();
    let code = r.u8()?;
    CollectionType::from_code(code)
        .ok_or_else(|| r.error_at(start, Kind::UnknownCollectionType { found: code }))
}

fn primary_key(r: &mut Reader<'_>) -> Result<PrimaryKey, Fail> {
    let start = r.pos();
    Ok(match payload_type(r)? {
        PayloadType::Null => PrimaryKey::Null,
        PayloadType::Int => PrimaryKey::Int(r.i64()?),
        PayloadType::String => PrimaryKey::String(r.interned()?),
        PayloadType::GlobalKey => PrimaryKey::GlobalKey(GlobalKey {
            hi: r.u64()?,
            lo: r.u64()?,
        }),
        PayloadType::ObjectId => PrimaryKey::ObjectId(ObjectId(r.array()?)),
        PayloadType::Uuid => PrimaryKey::Uuid(Uuid(r.array()?)),
        found => {
            let expected = "a primary key type (Null, Int, String, GlobalKey, ObjectId, UUID)";
            return Err(r.error_at(start, Kind::UnexpectedPayloadType { found, expected }));
        }
    })
}

fn payload(r: &mut Reader<'_>) -> Result<Payload, Fail> {
    let start = r.pos();
    Ok(match payload_type(r)? {
        PayloadType::Null => Payload::Null,
        PayloadType::Int => Payload::Int(r.i64()?),
        PayloadType::Bool => Payload::Bool(r.bool()?),
        PayloadType::String => Payload::String(ByteString::from(r.string()?)),
        PayloadType::Binary => Payload::Binary(ByteString::from(r.binary()?)),
        PayloadType::Timestamp => Payload::Timestamp(timestamp(r)?),
        PayloadType::Float => Payload::Float(f32::from_le_bytes(r.array()?)),
        PayloadType::Double => Payload::Double(f64::from_le_bytes(r.array()?)),
        PayloadType::Decimal => Payload::Decimal(decimal(r)?),
        PayloadType::Link => Payload::Link(Box::new(Link {
            table: r.class_name()?,
            key: primary_key(r)?,
        })),
        PayloadType::ObjectId => Payload::ObjectId(ObjectId(r.array()?)),
        PayloadType::Uuid => Payload::Uuid(Uuid(r.array()?)),
        PayloadType::ObjectValue => Payload::ObjectValue,
        PayloadType::Dictionary => Payload::Dictionary,
        PayloadType::List => Payload::List,
        PayloadType::Set => Payload::Set,
        PayloadType::Erased => Payload::Erased,
        found @ PayloadType::GlobalKey => {
            let expected = "a value type (GlobalKey is only an object key)";
            return Err(r.error_at(start, Kind::UnexpectedPayloadType { found, expected }));
        }
    })
}

fn timestamp(r: &mut Reader<'_>) -> Result<Timestamp, Fail> {
    let start = r.pos();
    let seconds = r.i64()?;
    let nanoseconds = r.i64()?;
    i32::try_from(nanoseconds)
        .ok()
        .and_then(|ns| Timestamp::new(seconds, ns))
        .ok_or_else(|| {
            r.error_at(
                start,
                Kind::InvalidTimestamp {
                    seconds,
                    nanoseconds,
                },
            )
        })
}

fn decimal(r: &mut Reader<'_>) -> Result<Decimal128, Fail> {
    let start = r.pos();
    let coefficient = r.coefficient()?;
    if coefficient >> Decimal128::COEFFICIENT_BITS != 0 {
        let bits = 128 - coefficient.leading_zeros();
        return Err(r.error_at(start, Kind::DecimalCoefficientTooLarge { bits }));
    }
    let exponent_start = r.pos();
    let exponent = r.i32()?;
    let negative = r.i32()? != 0;
    Decimal128::from_parts(coefficient, exponent, negative).ok_or_else(|| {
        r.error_at(
            exponent_start,
            Kind::DecimalExponentOutOfRange { found: exponent },
        )
    })
}
