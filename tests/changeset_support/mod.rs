//! What the malformed-changeset tests share: hex input, the decoder's error, and
//! the fixture bytes most cases start from.
#![allow(dead_code)]

use ros::changeset::{decode, DecodeError, DecodeErrorKind, Field, InstructionType, Record};

pub fn bytes(hex_text: &str) -> Vec<u8> {
    hex::decode(hex_text.replace(' ', "")).expect("valid hex")
}

/// The error decoding `hex_text` gives; panics if it decodes.
pub fn err(hex_text: &str) -> DecodeError {
    match decode(&bytes(hex_text)) {
        Ok(c) => panic!("{hex_text} decoded to {c:?}"),
        Err(e) => e,
    }
}

pub fn at(offset: usize, record: Record, field: Field, kind: DecodeErrorKind) -> DecodeError {
    DecodeError {
        offset,
        record,
        field,
        kind,
    }
}

pub fn instr(index: usize, kind: InstructionType) -> Record {
    Record::Instruction { index, kind }
}

/// #0 "Person", #1 "name": 16 bytes.
pub const TABLE: &str = "3F 00 06 506572736F6E 3F 01 04 6E616D65";
/// `Update Person[Int 7].name` up to (not including) the payload: bytes 16..22.
pub const UPDATE_PREFIX: &str = "04 00 01 07 01 00";
