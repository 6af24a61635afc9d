//! Every golden case of `docs/merge.md` §15 (G1–G11 with their variants, and
//! the §15 table), all of them realm-core's own output.
//!
//! Each case is merged in both directions (A local / B incoming, then B local /
//! A incoming): realm-core gives the exact mirror image, so must we, byte for
//! byte. Where a case has recorded bytes, the inputs are decoded from them and the
//! outputs compared with them; where the case can be applied, both orders
//! (base + A + B′ and base + B + A′) must give the same state, and the stated one.

use crate::support_merge;

mod generated;
mod quirks;
mod spec_cases;
mod table;
mod table_lists;

use ros::changeset::{
    self, Changeset, CollectionType as CT, ColumnType, Instruction, PrimaryKeyType,
};
use ros::merge::{merge, Discriminant, MergeInput, MergeOptions, TransformError};
use ros::objects::{final_state, State};
use serde_json::Value as Json;
use support_merge::build::*;

pub(crate) const REFERENCE: MergeOptions = MergeOptions {
    corrected_nested_move: false,
    corrected_erase_column: false,
};

pub(crate) fn d(timestamp: u64, file_ident: u64) -> Discriminant {
    Discriminant::new(timestamp, file_ident)
}

/// "3F 00 …" to bytes; a leading `…` stands for the shared `Person` + `tags`
/// string table of the §15 golden cases (`3F 00 06 Person 3F 01 04 tags`).
pub(crate) fn hex(text: &str) -> Vec<u8> {
    let text = text.replace('…', "3F 00 06 50 65 72 73 6F 6E 3F 01 04 74 61 67 73");
    text.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).expect("hex byte"))
        .collect()
}

pub(crate) fn decode(text: &str) -> Changeset {
    changeset::decode(&hex(text)).expect("golden bytes decode")
}

pub(crate) fn spaced(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Merges A (local) with B (incoming), then B (local) with A (incoming), checks
/// that both give the same A′ and B′ (instructions and bytes), and returns them.
pub(crate) fn run_with(
    a: &Changeset,
    da: Discriminant,
    b: &Changeset,
    db: Discriminant,
    options: &MergeOptions,
) -> Result<(Changeset, Changeset), TransformError> {
    let input = |c, d| MergeInput {
        changeset: c,
        discriminant: d,
    };
    let forward = merge(&[input(a, da)], &[input(b, db)], options);
    let backward = merge(&[input(b, db)], &[input(a, da)], options);
    let (forward, backward) = match (forward, backward) {
        (Ok(f), Ok(b)) => (f, b),
        (Err(f), Err(b)) => {
            assert_eq!(f, b, "same error in both directions");
            return Err(f);
        }
        (f, b) => panic!("one direction failed: {f:?} / {b:?}"),
    };
    let a1 = forward.local[0].changeset.clone().into_owned();
    let b1 = forward.incoming[0].changeset.clone().into_owned();
    assert_eq!(
        *backward.incoming[0].changeset, a1,
        "A′ is the same from both sides"
    );
    assert_eq!(
        *backward.local[0].changeset, b1,
        "B′ is the same from both sides"
    );
    assert_eq!(
        changeset::encode(&backward.incoming[0].changeset),
        changeset::encode(&a1)
    );
    assert_eq!(
        changeset::encode(&backward.local[0].changeset),
        changeset::encode(&b1)
    );
    Ok((a1, b1))
}

pub(crate) fn run(
    a: &Changeset,
    da: Discriminant,
    b: &Changeset,
    db: Discriminant,
) -> (Changeset, Changeset) {
    run_with(a, da, b, db, &REFERENCE).expect("merges")
}

pub(crate) fn assert_bytes(what: &str, got: &Changeset, want: &str) {
    assert_eq!(
        spaced(&changeset::encode(got)),
        spaced(&hex(want)),
        "{what} bytes"
    );
}

/// Person(_id Int): name String?, age Int?, tags [String], int Int?,
/// addr Address?, any Mixed, labels <String>, dogs [Pet]; Address, Pet
/// embedded; Dog(_id Int): name String?. Person[1] exists.
pub(crate) fn schema() -> Vec<Instruction> {
    vec![
        add_table("Person", PrimaryKeyType::Int),
        add_column("Person", "name", ColumnType::String, true, CT::Single),
        add_column("Person", "age", ColumnType::Int, true, CT::Single),
        add_column("Person", "tags", ColumnType::String, false, CT::List),
        add_column("Person", "int", ColumnType::Int, true, CT::Single),
        add_embedded("Address"),
        add_column("Address", "city", ColumnType::String, true, CT::Single),
        link_column("Person", "addr", "Address", CT::Single),
        add_column("Person", "any", ColumnType::Mixed, true, CT::Single),
        add_column("Person", "labels", ColumnType::String, false, CT::Set),
        add_embedded("Pet"),
        add_column("Pet", "name", ColumnType::String, true, CT::Single),
        link_column("Person", "dogs", "Pet", CT::List),
        add_table("Dog", PrimaryKeyType::Int),
        add_column("Dog", "name", ColumnType::String, true, CT::Single),
        create("Person", 1),
    ]
}

/// Applies base + A + B′ and base + B + A′; both must succeed and agree. Returns
/// Person[1] as `final-state.json` shows it (`null` if it is gone).
pub(crate) fn converge(
    base: &[Instruction],
    a: &Changeset,
    b: &Changeset,
    a1: &Changeset,
    b1: &Changeset,
) -> Json {
    let mut start = State::new();
    let mut all = schema();
    all.extend(base.iter().cloned());
    start.apply(&changeset(all)).expect("base applies");
    let side = |first: &Changeset, second: &Changeset| {
        let mut s = start.clone();
        s.apply(first).expect("own changeset applies");
        s.apply(second).expect("transformed changeset applies");
        s
    };
    let a_side = side(a, b1);
    let b_side = side(b, a1);
    assert_eq!(a_side, b_side, "both orders give the same state");
    final_state(&a_side)["Person"]
        .as_array()
        .and_then(|p| p.first().cloned())
        .unwrap_or(Json::Null)
}

pub(crate) fn tags(values: &[&str]) -> Vec<Instruction> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| insert(at("Person", 1, "tags").index(i as u32), string(v), i as u32))
        .collect()
}

pub(crate) fn none() -> Changeset {
    changeset(vec![])
}
