//! Random schema changes: a property and a class that come and go.

use ros::changeset::{CollectionType as CT, ColumnType, Instruction, PrimaryKey, PrimaryKeyType};
use ros::objects::State;

use super::build::*;
use super::gen::{flat_list, has_property, item, list_len, small, Profile};
use super::rng::Rng;

/// A plain Int property that can be erased and added again. Increments of it
/// are Q3 material (EraseColumn does not remove them).
pub(super) fn scratch(
    rng: &mut Rng,
    state: &State,
    key: i64,
    profile: &Profile,
) -> Option<Vec<Instruction>> {
    let present = has_property(state, "Item", "scratch");
    Some(vec![match (present, rng.below(6)) {
        (false, _) => add_column("Item", "scratch", ColumnType::Int, false, CT::Single),
        (true, 0) => erase_column("Item", "scratch"),
        (true, 1) if profile.erase_written_columns => add_int(at("Item", key, "scratch"), 1),
        (true, _) => set(at("Item", key, "scratch"), small(rng)),
    }])
}

/// A list property that comes and goes, with writes (Q3 only).
pub(super) fn extra(rng: &mut Rng, state: &State, key: i64) -> Option<Vec<Instruction>> {
    if !has_property(state, "Item", "extra") {
        return Some(vec![add_column(
            "Item",
            "extra",
            ColumnType::Int,
            false,
            CT::List,
        )]);
    }
    if rng.chance(20) {
        return Some(vec![erase_column("Item", "extra")]);
    }
    let len = list_len(item(state, key)?.fields.get("extra".as_bytes()));
    flat_list(rng, at("Item", key, "extra"), len, small)
}

/// A whole class that is added and erased: Temp(_id String): v Int.
pub(super) fn temp(rng: &mut Rng, state: &State) -> Option<Vec<Instruction>> {
    let k = PrimaryKey::String(s(["a", "b"][rng.below(2)]));
    if !state.classes().contains_key("Temp".as_bytes()) {
        return Some(vec![
            add_table("Temp", PrimaryKeyType::String),
            add_column("Temp", "v", ColumnType::Int, false, CT::Single),
        ]);
    }
    let exists = state.object("Temp", &k).is_some();
    Some(match rng.below(6) {
        0 => vec![erase_table("Temp")],
        1 => vec![erase_object_key("Temp", k)],
        2 | 3 if exists => vec![set(at_key("Temp", k, "v"), small(rng))],
        _ => vec![create_key("Temp", k)],
    })
}
