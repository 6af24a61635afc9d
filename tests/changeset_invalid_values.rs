//! Malformed values inside well-formed records: types, paths, timestamps,
//! decimals and names that the decoder rejects, each with its exact error.

use ros::changeset::{decode, DecodeErrorKind as K, Field, InstructionType as T, PayloadType};

use crate::changeset_support;

use changeset_support::{at, bytes, err, instr, TABLE, UPDATE_PREFIX};

#[test]
fn unknown_payload_type() {
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 0C"));
    let kind = K::UnknownPayloadType { found: 12 };
    assert_eq!(e, at(22, instr(0, T::Update), Field::Value, kind));
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 46"));
    let kind = K::UnknownPayloadType { found: -7 };
    assert_eq!(e, at(22, instr(0, T::Update), Field::Value, kind));
}

#[test]
fn global_key_is_not_a_payload() {
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 40 01 02 00"));
    let expected = "a value type (GlobalKey is only an object key)";
    let kind = K::UnexpectedPayloadType {
        found: PayloadType::GlobalKey,
        expected,
    };
    assert_eq!(e, at(22, instr(0, T::Update), Field::Value, kind));
}

#[test]
fn bad_primary_key_type() {
    let e = err(&format!("{TABLE} 02 00 02 01"));
    let expected = "a primary key type (Null, Int, String, GlobalKey, ObjectId, UUID)";
    let kind = K::UnexpectedPayloadType {
        found: PayloadType::Bool,
        expected,
    };
    assert_eq!(e, at(18, instr(0, T::CreateObject), Field::Object, kind));
}

#[test]
fn path_index_beyond_u32() {
    let e = err(&format!("{TABLE} 0A 00 01 07 01 01 80 80 80 80 10 00"));
    let kind = K::PathIndexTooLarge { found: 1 << 32 };
    assert_eq!(e, at(22, instr(0, T::ArrayErase), Field::Path, kind));
}

#[test]
fn array_instruction_without_trailing_index() {
    let e = err(&format!("{TABLE} 08 00 01 07 01 00 01 05 00"));
    let kind = K::MissingListIndex {
        found: "nothing (empty path)",
    };
    assert_eq!(e, at(21, instr(0, T::ArrayInsert), Field::Path, kind));
    let e = err(&format!("{TABLE} 09 00 01 07 01 01 40 00 00 00"));
    let kind = K::MissingListIndex { found: "a name" };
    assert_eq!(e, at(21, instr(0, T::ArrayMove), Field::Path, kind));
}

#[test]
fn unknown_table_and_collection_types() {
    let e = err(&format!("{TABLE} 00 00 03"));
    assert_eq!(
        e,
        at(
            18,
            instr(0, T::AddTable),
            Field::TableType,
            K::UnknownTableType { found: 3 }
        )
    );
    let e = err(&format!("{TABLE} 0B 00 01 07 01 00 04"));
    let kind = K::UnknownCollectionType { found: 4 };
    assert_eq!(e, at(22, instr(0, T::Clear), Field::CollectionType, kind));
}

#[test]
fn invalid_schema_types() {
    let e = err(&format!("{TABLE} 00 00 00 01 02 00"));
    let expected = "a primary key type (Int, String, ObjectId, UUID, GlobalKey)";
    let kind = K::UnexpectedPayloadType {
        found: PayloadType::Bool,
        expected,
    };
    assert_eq!(e, at(20, instr(0, T::AddTable), Field::PkType, kind));
    let e = err(&format!("{TABLE} 06 00 01 41 00 00"));
    let kind = K::UnexpectedPayloadType {
        found: PayloadType::ObjectValue,
        expected: "a column type (Null for Mixed, Int, Bool, String, Binary, Timestamp, \
                   Float, Double, Decimal, Link, ObjectId, UUID)",
    };
    assert_eq!(e, at(19, instr(0, T::AddColumn), Field::Type, kind));
    let e = err(&format!("{TABLE} 06 00 01 01 00 02 01"));
    let expected = "String (the only dictionary key type)";
    let kind = K::UnexpectedPayloadType {
        found: PayloadType::Int,
        expected,
    };
    assert_eq!(e, at(22, instr(0, T::AddColumn), Field::KeyType, kind));
}

#[test]
fn invalid_timestamps() {
    let cases = [
        ("05 01 45", 1, -6),
        ("05 00 80 94 EB DC 03", 0, 1_000_000_000),
    ];
    for (payload, seconds, nanoseconds) in cases {
        let e = err(&format!("{TABLE} {UPDATE_PREFIX} {payload} 00"));
        let kind = K::InvalidTimestamp {
            seconds,
            nanoseconds,
        };
        assert_eq!(
            e,
            at(23, instr(0, T::Update), Field::Value, kind),
            "{payload}"
        );
    }
}

#[test]
fn invalid_decimals() {
    // Coefficient 2^113 (17 bytes) does not fit the 113-bit field.
    let coefficient = "80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 02";
    let e = err(&format!(
        "{TABLE} {UPDATE_PREFIX} 08 {coefficient} 00 00 00"
    ));
    let kind = K::DecimalCoefficientTooLarge { bits: 114 };
    assert_eq!(e, at(23, instr(0, T::Update), Field::Value, kind));
    // Exponent -6177 is below the 14-bit field's range.
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 08 01 A0 70 00 00"));
    let kind = K::DecimalExponentOutOfRange { found: -6177 };
    assert_eq!(e, at(24, instr(0, T::Update), Field::Value, kind));
}

#[test]
fn class_name_too_long() {
    let name = "A".repeat(58);
    let input = format!("3F 00 3A {} 01 00", hex::encode(&name));
    let kind = K::ClassNameTooLong {
        length: 58,
        max: 57,
    };
    assert_eq!(
        err(&input),
        at(62, instr(0, T::EraseTable), Field::Table, kind)
    );
    let ok = format!("3F 00 39 {} 01 00", hex::encode(&name[..57]));
    assert!(decode(&bytes(&ok)).is_ok(), "57 bytes are allowed");
}
