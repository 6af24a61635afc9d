//! One test per class of malformed input, each asserting the exact error: kind
//! (with expected/found), record, field and byte offset.

use ros::changeset::{
    decode_with_limits, DecodeErrorKind as K, Field, InstructionType as T, IntWidth, Limits, Record,
};

use crate::changeset_support;

use changeset_support::{at, bytes, err, instr, TABLE, UPDATE_PREFIX};

#[test]
fn truncated_string_body() {
    let e = err("3F 00 06 50 65");
    let kind = K::Truncated {
        needed: 6,
        available: 2,
    };
    assert_eq!(e, at(3, Record::InternString, Field::StringValue, kind));
    assert_eq!(
        e.to_string(),
        "bad changeset at byte 3, InternString record, field `string`: \
         input ends early: the item needs at least 6 bytes, 2 remain"
    );
}

#[test]
fn truncated_inside_an_instruction() {
    let e = err(&format!("{TABLE} 02 00"));
    let kind = K::Truncated {
        needed: 1,
        available: 0,
    };
    assert_eq!(e, at(18, instr(0, T::CreateObject), Field::Object, kind));
}

#[test]
fn truncated_varint() {
    let kind = K::Truncated {
        needed: 2,
        available: 1,
    };
    assert_eq!(
        err("3F 80"),
        at(1, Record::InternString, Field::StringIndex, kind)
    );
}

#[test]
fn truncated_fixed_width_value() {
    // Double payload with 3 of its 8 bytes.
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 07 00 00 00"));
    let kind = K::Truncated {
        needed: 8,
        available: 3,
    };
    assert_eq!(e, at(23, instr(0, T::Update), Field::Value, kind));
}

#[test]
fn oversize_string_with_default_limit() {
    // A String payload declaring 16 777 200 bytes (one over realm-core's limit).
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 03 F0 FF FF 07"));
    let kind = K::StringTooLong {
        length: 16_777_200,
        max: 16_777_199,
    };
    assert_eq!(e, at(23, instr(0, T::Update), Field::Value, kind));
}

#[test]
fn oversize_interned_string_with_custom_limit() {
    let limits = Limits {
        max_string_len: 4,
        ..Limits::default()
    };
    let e = decode_with_limits(&bytes("3F 00 05 41 42 43 44 45"), limits).expect_err("too long");
    let kind = K::StringTooLong { length: 5, max: 4 };
    assert_eq!(e, at(2, Record::InternString, Field::StringValue, kind));
}

#[test]
fn oversize_binary() {
    let limits = Limits {
        max_binary_len: 2,
        ..Limits::default()
    };
    let input = bytes(&format!("{TABLE} {UPDATE_PREFIX} 04 03 01 02 03 00"));
    let e = decode_with_limits(&input, limits).expect_err("too long");
    let kind = K::BinaryTooLong { length: 3, max: 2 };
    assert_eq!(e, at(23, instr(0, T::Update), Field::Value, kind));
}

#[test]
fn varint_too_long() {
    let kind = K::VarintTooLong {
        width: IntWidth::U32,
        max_bytes: 5,
    };
    assert_eq!(
        err("3F 80 80 80 80 80 00"),
        at(1, Record::InternString, Field::StringIndex, kind)
    );
    let kind = K::VarintTooLong {
        width: IntWidth::U64,
        max_bytes: 10,
    };
    assert_eq!(
        err("80 80 80 80 80 80 80 80 80 80 00"),
        at(0, Record::Start, Field::Tag, kind)
    );
}

#[test]
fn varint_overflow() {
    let kind = K::VarintOverflow {
        width: IntWidth::U32,
    };
    assert_eq!(
        err("3F FF FF FF FF 1F"),
        at(1, Record::InternString, Field::StringIndex, kind)
    );
    // AddInteger by 2^63: one more than i64::MAX.
    let e = err(&format!(
        "{TABLE} 05 00 01 07 01 00 80 80 80 80 80 80 80 80 80 01"
    ));
    let kind = K::VarintOverflow {
        width: IntWidth::I64,
    };
    assert_eq!(e, at(22, instr(0, T::AddInteger), Field::Value, kind));
    // A bool is a u8: 256 does not fit.
    let e = err(&format!("{TABLE} {UPDATE_PREFIX} 00 80 02"));
    let kind = K::VarintOverflow {
        width: IntWidth::U8,
    };
    assert_eq!(e, at(23, instr(0, T::Update), Field::IsDefault, kind));
}

#[test]
fn unknown_instruction_tag() {
    let kind = K::UnknownRecordTag { found: 14 };
    assert_eq!(err("0E"), at(0, Record::Start, Field::Tag, kind));
    let kind = K::UnknownRecordTag { found: 62 };
    assert_eq!(err("3E"), at(0, Record::Start, Field::Tag, kind));
    // 255, realm-core's in-memory-only MultiInstruction tag.
    let kind = K::UnknownRecordTag { found: 255 };
    assert_eq!(
        err(&format!("{TABLE} FF 01")),
        at(16, Record::Start, Field::Tag, kind)
    );
}

#[test]
fn undefined_string_index() {
    let kind = K::UndefinedString {
        index: 0,
        defined: 0,
    };
    assert_eq!(
        err("01 00"),
        at(1, instr(0, T::EraseTable), Field::Table, kind)
    );
}

#[test]
fn out_of_range_string_index() {
    let e = err(&format!("{TABLE} 07 00 05"));
    let kind = K::UndefinedString {
        index: 5,
        defined: 2,
    };
    assert_eq!(e, at(18, instr(0, T::EraseColumn), Field::Field, kind));
}

#[test]
fn string_used_before_its_definition() {
    // Valid table-first bytes with the first instruction moved before "name".
    let e = err("3F 00 06 506572736F6E 07 00 01 3F 01 04 6E616D65");
    let kind = K::UndefinedString {
        index: 1,
        defined: 1,
    };
    assert_eq!(e, at(11, instr(0, T::EraseColumn), Field::Field, kind));
}

#[test]
fn string_definitions_out_of_order() {
    let kind = K::UnexpectedStringIndex {
        expected: 0,
        found: 1,
    };
    assert_eq!(
        err("3F 01 01 41"),
        at(1, Record::InternString, Field::StringIndex, kind)
    );
    // Redefining index 0 (with other content) is also out of order.
    let kind = K::UnexpectedStringIndex {
        expected: 1,
        found: 0,
    };
    assert_eq!(
        err("3F 00 01 41 3F 00 01 42"),
        at(5, Record::InternString, Field::StringIndex, kind)
    );
}

#[test]
fn string_redefinition_is_rejected() {
    let kind = K::DuplicateString { existing: 0 };
    assert_eq!(
        err("3F 00 01 41 3F 01 01 41"),
        at(6, Record::InternString, Field::StringValue, kind)
    );
}

#[test]
fn negative_sizes() {
    let kind = K::NegativeUnsigned {
        width: IntWidth::U64,
    };
    assert_eq!(
        err("3F 00 41"),
        at(2, Record::InternString, Field::StringValue, kind)
    );
    let e = err(&format!("{TABLE} 04 00 01 07 01 40"));
    let kind = K::NegativeUnsigned {
        width: IntWidth::U32,
    };
    assert_eq!(e, at(21, instr(0, T::Update), Field::Path, kind));
    let e = err(&format!("{TABLE} 0A 00 01 07 01 01 00 45"));
    let kind = K::NegativeUnsigned {
        width: IntWidth::U32,
    };
    assert_eq!(e, at(23, instr(0, T::ArrayErase), Field::PriorSize, kind));
}

#[test]
fn trailing_bytes_after_the_last_record() {
    let e = err(&format!("{TABLE} 07 00 01 2A"));
    assert_eq!(
        e,
        at(
            19,
            Record::Start,
            Field::Tag,
            K::UnknownRecordTag { found: 42 }
        )
    );
    let e = err(&format!("{TABLE} 07 00 01 3F"));
    let kind = K::Truncated {
        needed: 1,
        available: 0,
    };
    assert_eq!(e, at(20, Record::InternString, Field::StringIndex, kind));
}

#[test]
fn path_nested_too_deep() {
    let e = err(&format!("{TABLE} 0B 00 01 07 01 AC 02"));
    let kind = K::PathTooDeep {
        length: 300,
        max: 256,
    };
    assert_eq!(e, at(21, instr(0, T::Clear), Field::Path, kind));
    let limits = Limits {
        max_path_depth: 2,
        ..Limits::default()
    };
    let input = bytes(&format!("{TABLE} 0B 00 01 07 01 03 00 00 00 01"));
    let e = decode_with_limits(&input, limits).expect_err("too deep");
    assert_eq!(
        e,
        at(
            21,
            instr(0, T::Clear),
            Field::Path,
            K::PathTooDeep { length: 3, max: 2 }
        )
    );
}

#[test]
fn too_many_instructions() {
    let limits = Limits {
        max_instructions: 2,
        ..Limits::default()
    };
    let input = bytes(&format!("{TABLE} 01 00 01 00 01 00"));
    let e = decode_with_limits(&input, limits).expect_err("too many");
    assert_eq!(
        e,
        at(
            20,
            instr(2, T::EraseTable),
            Field::Tag,
            K::TooManyInstructions { max: 2 }
        )
    );
    assert!(
        decode_with_limits(&input[..20], limits).is_ok(),
        "two are fine"
    );
}
