//! Random changesets a client could make, of every instruction kind, generated
//! against the client's own state so that each one applies locally.

use ros::changeset::{
    Changeset, CollectionType as CT, ColumnType, Instruction, Payload, PrimaryKey, PrimaryKeyType,
};
use ros::objects::{Object, ObjectKey, State, Value};

use super::build::*;
use super::gen_mixed::{any, mixed_dictionary, mixed_list, mixed_value};
use super::gen_schema::{extra, scratch, temp};
use super::rng::Rng;

/// Which instruction combinations a run may produce.
#[derive(Clone, Copy, Debug)]
pub struct Profile {
    /// Moves in lists whose elements hold paths (embedded objects, nested Mixed
    /// collections): with writes inside elements of the same list, quirk Q1.
    pub container_moves: bool,
    /// EraseColumn of properties that also get increments and list writes:
    /// quirk Q3.
    pub erase_written_columns: bool,
    /// Writes of any kind to a Mixed slot (`any`), including re-creating the
    /// collection it holds and replacing a collection by another kind or a
    /// value: realm-core diverges there (see `converge_sim.rs`).
    pub mixed_replacement: bool,
    /// Clear of a collection that is itself a list element (path ending with
    /// an index): realm-core never shifts it against concurrent insertions,
    /// erasures or moves in that list.
    pub element_clears: bool,
    /// Everything else (off only to focus a run on the quirks).
    pub everything: bool,
}

/// Item(_id Int): n Int, s String?, tags [String], refs [Item], best Item?,
/// nums <Int>, dict {String: Int?}, any / mixed / mdict Mixed, pets [Pet],
/// addr Pet?, scratch Int; Pet (embedded): name String?, age Int, toys [String].
/// Temp(_id String): v Int comes and goes at run time.
pub fn schema() -> Changeset {
    changeset(vec![
        add_table("Item", PrimaryKeyType::Int),
        add_embedded("Pet"),
        add_column("Pet", "name", ColumnType::String, true, CT::Single),
        add_column("Pet", "age", ColumnType::Int, false, CT::Single),
        add_column("Pet", "toys", ColumnType::String, false, CT::List),
        add_column("Item", "n", ColumnType::Int, false, CT::Single),
        add_column("Item", "s", ColumnType::String, true, CT::Single),
        add_column("Item", "tags", ColumnType::String, false, CT::List),
        link_column("Item", "refs", "Item", CT::List),
        link_column("Item", "best", "Item", CT::Single),
        add_column("Item", "nums", ColumnType::Int, false, CT::Set),
        add_column("Item", "dict", ColumnType::Int, true, CT::Dictionary),
        add_column("Item", "any", ColumnType::Mixed, true, CT::Single),
        add_column("Item", "mixed", ColumnType::Mixed, true, CT::Single),
        add_column("Item", "mdict", ColumnType::Mixed, true, CT::Single),
        link_column("Item", "pets", "Pet", CT::List),
        link_column("Item", "addr", "Pet", CT::Single),
        add_column("Item", "scratch", ColumnType::Int, false, CT::Single),
    ])
}

/// A changeset of 1–4 operations, applied to `state` as it is made.
pub fn changeset_for(rng: &mut Rng, state: &mut State, profile: &Profile) -> Changeset {
    let mut out = Vec::new();
    for _ in 0..1 + rng.below(4) {
        for _attempt in 0..20 {
            if let Some(op) = operation(rng, state, profile) {
                for instruction in op {
                    let one = changeset(vec![instruction.clone()]);
                    if let Err(e) = state.apply(&one) {
                        panic!(
                            "generator made an instruction that does not apply ({e}):\n{}",
                            ros::changeset::render::to_text(&one)
                        );
                    }
                    out.push(instruction);
                }
                break;
            }
        }
    }
    changeset(out)
}

fn items(state: &State) -> Vec<i64> {
    state
        .objects("Item")
        .map(|m| {
            m.keys()
                .filter_map(|k| match k.0 {
                    PrimaryKey::Int(i) => Some(i),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn item(state: &State, key: i64) -> Option<&Object> {
    state.objects("Item")?.get(&ObjectKey(PrimaryKey::Int(key)))
}

pub(super) fn list_len(value: Option<&Value>) -> u32 {
    match value {
        Some(Value::List(items)) => items.len() as u32,
        _ => 0,
    }
}

pub(super) fn word(rng: &mut Rng) -> Payload {
    string(["a", "b", "c", "d"][rng.below(4)])
}

pub(super) fn small(rng: &mut Rng) -> Payload {
    Payload::Int(rng.below(5) as i64)
}

pub(super) fn has_property(state: &State, class: &str, field: &str) -> bool {
    state
        .classes()
        .get(class.as_bytes())
        .is_some_and(|c| c.properties.contains_key(field.as_bytes()))
}

fn operation(rng: &mut Rng, state: &State, profile: &Profile) -> Option<Vec<Instruction>> {
    let keys = items(state);
    let family = rng.below(if profile.everything { 18 } else { 4 });
    let key = match rng.pick(&keys) {
        Some(k) => *k,
        None => return Some(vec![create("Item", rng.below(4) as i64)]),
    };
    let object = item(state, key)?;
    let at_item = |field: &str| at("Item", key, field);
    match (profile.everything, family) {
        (_, 0) => pets(rng, key, object, profile),
        (false, 1) if profile.element_clears => {
            mixed_list(rng, key, object.fields.get("mixed".as_bytes()), profile)
        }
        (_, 1) if profile.mixed_replacement => {
            any(rng, key, object.fields.get("any".as_bytes()), profile)
        }
        (_, 1) => mixed_value(rng, key, object.fields.get("any".as_bytes())),
        (_, 2) => scratch(rng, state, key, profile),
        (_, 3) if profile.erase_written_columns => extra(rng, state, key),
        (false, _) => None,
        (true, 4) => Some(vec![create("Item", rng.below(5) as i64)]),
        (true, 5) => rng.chance(30).then(|| vec![erase_object("Item", key)]),
        (true, 6) => Some(vec![match rng.below(3) {
            0 => set(at_item("n"), small(rng)),
            1 => set_default(at_item("n"), small(rng)),
            _ => add_int(at_item("n"), rng.below(7) as i64 - 3),
        }]),
        (true, 7) => Some(vec![set(
            at_item("s"),
            if rng.chance(20) {
                Payload::Null
            } else {
                word(rng)
            },
        )]),
        (true, 8) => flat_list(
            rng,
            at_item("tags"),
            list_len(object.fields.get("tags".as_bytes())),
            word,
        ),
        (true, 9) => {
            let target = rng.below(5) as i64;
            flat_list(
                rng,
                at_item("refs"),
                list_len(object.fields.get("refs".as_bytes())),
                move |_| link("Item", target),
            )
        }
        (true, 10) => Some(vec![if rng.chance(25) {
            set(at_item("best"), Payload::Null)
        } else {
            set(at_item("best"), link("Item", rng.below(5) as i64))
        }]),
        (true, 11) => Some(vec![match rng.below(5) {
            0 => clear(at_item("nums"), CT::Set),
            1 | 2 => set_erase(at_item("nums"), small(rng)),
            _ => set_insert(at_item("nums"), small(rng)),
        }]),
        (true, 12) => {
            let k = ["k", "m", "q"][rng.below(3)];
            Some(vec![match rng.below(6) {
                0 => clear(at_item("dict"), CT::Dictionary),
                1 => set(at_item("dict").key(k), Payload::Erased),
                2 => set(at_item("dict").key(k), Payload::Null),
                _ => set(at_item("dict").key(k), small(rng)),
            }])
        }
        (true, 13) => Some(vec![match rng.below(4) {
            0 => set(at_item("addr"), Payload::Null),
            1 => set(at_item("addr"), Payload::ObjectValue),
            _ if matches!(object.fields.get("addr".as_bytes()), Some(Value::Object(_))) => {
                if rng.chance(50) {
                    set(at_item("addr").key("name"), word(rng))
                } else {
                    add_int(at_item("addr").key("age"), 1)
                }
            }
            _ => set(at_item("addr"), Payload::ObjectValue),
        }]),
        (true, 14 | 15) => temp(rng, state),
        (true, 16) => mixed_list(rng, key, object.fields.get("mixed".as_bytes()), profile),
        (true, 17) => mixed_dictionary(rng, key, object.fields.get("mdict".as_bytes())),
        _ => None,
    }
}

/// Insert, move, erase, element update or clear of a list of plain values.
pub(super) fn flat_list(
    rng: &mut Rng,
    list: At,
    len: u32,
    value: impl FnOnce(&mut Rng) -> Payload,
) -> Option<Vec<Instruction>> {
    let i = rng.below(len.max(1) as usize) as u32;
    Some(vec![match rng.below(if len == 0 { 1 } else { 10 }) {
        0..=3 => insert(
            list.index(rng.below(len as usize + 1) as u32),
            value(rng),
            len,
        ),
        4 | 5 => erase(list.index(i), len),
        6 | 7 if len >= 2 => {
            let to = (i + 1 + rng.below(len as usize - 1) as u32) % len;
            move_to(list.index(i), to, len)
        }
        8 => set_element(list.index(i), value(rng), len),
        9 => clear(list, CT::List),
        _ => insert(list.index(len), value(rng), len),
    }])
}

/// The list of embedded Pets: element insertion, erasure, replacement, moves
/// (Q1 only), writes inside elements, and their own nested `toys` lists.
fn pets(rng: &mut Rng, key: i64, object: &Object, profile: &Profile) -> Option<Vec<Instruction>> {
    let Some(Value::List(list)) = object.fields.get("pets".as_bytes()) else {
        return None;
    };
    let len = list.len() as u32;
    let pets = || at("Item", key, "pets");
    if len == 0 || rng.chance(15) {
        return Some(vec![insert(
            pets().index(rng.below(len as usize + 1) as u32),
            Payload::ObjectValue,
            len,
        )]);
    }
    let i = rng.below(len as usize) as u32;
    let pet = || pets().index(i);
    Some(match rng.below(9) {
        0 => vec![erase(pet(), len)],
        1 => vec![
            erase(pet(), len),
            insert(pet(), Payload::ObjectValue, len - 1),
        ],
        2 if profile.container_moves && len >= 2 => {
            let to = (i + 1 + rng.below(len as usize - 1) as u32) % len;
            vec![move_to(pet(), to, len)]
        }
        3 => vec![clear(pets(), CT::List)],
        4 => vec![set(pet().key("name"), word(rng))],
        5 => vec![add_int(pet().key("age"), 1 + rng.below(3) as i64)],
        _ => {
            let toys = match list.get(i as usize) {
                Some(Value::Object(p)) => list_len(p.fields.get("toys".as_bytes())),
                _ => return None,
            };
            return flat_list(rng, pet().key("toys"), toys, word);
        }
    })
}
