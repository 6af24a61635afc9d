//! Random writes to Mixed properties.

use ros::changeset::{CollectionType as CT, Instruction, Payload};
use ros::objects::Value;

use super::build::*;
use super::gen::{flat_list, small, word, Profile};
use super::rng::Rng;

/// The Mixed property with every kind of write: values, nested lists and
/// dictionaries two levels deep, replaced by each other (`mixed_replacement`).
pub(super) fn any(
    rng: &mut Rng,
    key: i64,
    value: Option<&Value>,
    profile: &Profile,
) -> Option<Vec<Instruction>> {
    let any = || at("Item", key, "any");
    let replace = |rng: &mut Rng| match rng.below(5) {
        0 => Payload::List,
        1 => Payload::Dictionary,
        2 => Payload::Null,
        3 => word(rng),
        _ => small(rng),
    };
    if rng.chance(15) {
        return Some(vec![set(any(), replace(rng))]);
    }
    match value {
        Some(Value::List(items)) => {
            let len = items.len() as u32;
            if rng.chance(10) {
                return Some(vec![clear(any(), CT::List)]);
            }
            let i = rng.below(len.max(1) as usize) as u32;
            match items.get(i as usize) {
                // Nested lists hold plain values: moves in them are safe.
                Some(Value::List(inner)) if rng.chance(50) => {
                    flat_list(rng, any().index(i), inner.len() as u32, small)
                }
                Some(Value::Dictionary(_)) if rng.chance(50) => {
                    let k = ["x", "y"][rng.below(2)];
                    Some(vec![set(
                        any().index(i).key(k),
                        if rng.chance(20) {
                            Payload::Erased
                        } else {
                            small(rng)
                        },
                    )])
                }
                _ => {
                    let value = |rng: &mut Rng| match rng.below(4) {
                        0 => Payload::List,
                        1 => Payload::Dictionary,
                        _ => small(rng),
                    };
                    let op = flat_list(rng, any(), len, value)?;
                    // Without the corrected Q1 rule, no moves in a list whose
                    // elements can hold paths.
                    let is_move = matches!(op.first(), Some(Instruction::ArrayMove(_)));
                    (!is_move || profile.container_moves).then_some(op)
                }
            }
        }
        Some(Value::Dictionary(map)) => {
            let k = ["k", "m"][rng.below(2)];
            match map.get(k.as_bytes()) {
                Some(Value::List(inner)) if rng.chance(60) => {
                    flat_list(rng, any().key(k), inner.len() as u32, small)
                }
                _ => Some(vec![match rng.below(6) {
                    0 => clear(any(), CT::Dictionary),
                    1 => set(any().key(k), Payload::Erased),
                    2 => set(any().key(k), Payload::List),
                    _ => set(any().key(k), small(rng)),
                }]),
            }
        }
        Some(Value::Int(_)) if rng.chance(40) => Some(vec![add_int(any(), 1)]),
        _ => Some(vec![set(any(), replace(rng))]),
    }
}

/// A Mixed property holding plain values and links only.
pub(super) fn mixed_value(
    rng: &mut Rng,
    key: i64,
    value: Option<&Value>,
) -> Option<Vec<Instruction>> {
    let any = at("Item", key, "any");
    Some(vec![match (value, rng.below(5)) {
        (Some(Value::Int(_)), 0 | 1) => add_int(any, 1 + rng.below(3) as i64),
        (_, 0) => set(any, Payload::Null),
        (_, 1) => set(any, link("Item", rng.below(5) as i64)),
        (_, 2) => set(any, word(rng)),
        _ => set(any, small(rng)),
    }])
}

/// A Mixed property that only ever holds a list: created once from null, then
/// changed inside. Its elements are plain values or nested lists and
/// dictionaries (created by insertion, so never re-created in place).
pub(super) fn mixed_list(
    rng: &mut Rng,
    key: i64,
    value: Option<&Value>,
    profile: &Profile,
) -> Option<Vec<Instruction>> {
    let mixed = || at("Item", key, "mixed");
    let Some(Value::List(items)) = value else {
        return Some(vec![set(mixed(), Payload::List)]);
    };
    let len = items.len() as u32;
    let i = rng.below(len.max(1) as usize) as u32;
    let element_clear = |op: Vec<Instruction>| match op.first() {
        Some(Instruction::Clear(_)) if !profile.element_clears => None,
        _ => Some(op),
    };
    match items.get(i as usize) {
        Some(Value::List(inner)) if rng.chance(40) => {
            flat_list(rng, mixed().index(i), inner.len() as u32, small).and_then(element_clear)
        }
        Some(Value::Dictionary(_)) if rng.chance(40) => {
            let k = ["x", "y"][rng.below(2)];
            element_clear(vec![match rng.below(4) {
                0 => set(mixed().index(i).key(k), Payload::Erased),
                1 => clear(mixed().index(i), CT::Dictionary),
                _ => set(mixed().index(i).key(k), small(rng)),
            }])
        }
        _ => {
            let value = |rng: &mut Rng| match rng.below(4) {
                0 => Payload::List,
                1 => Payload::Dictionary,
                _ => small(rng),
            };
            let op = flat_list(rng, mixed(), len, value)?;
            match op.first() {
                // Moves in a list whose elements hold paths: Q1.
                Some(Instruction::ArrayMove(_)) if !profile.container_moves => None,
                // Element updates write plain values only (no re-creation).
                Some(Instruction::Update(u))
                    if matches!(u.value, Payload::List | Payload::Dictionary) =>
                {
                    None
                }
                _ => Some(op),
            }
        }
    }
}

/// A Mixed property that only ever holds a dictionary of plain values.
pub(super) fn mixed_dictionary(
    rng: &mut Rng,
    key: i64,
    value: Option<&Value>,
) -> Option<Vec<Instruction>> {
    let mdict = || at("Item", key, "mdict");
    if !matches!(value, Some(Value::Dictionary(_))) {
        return Some(vec![set(mdict(), Payload::Dictionary)]);
    }
    let k = ["k", "m", "q"][rng.below(3)];
    Some(vec![match rng.below(6) {
        0 => clear(mdict(), CT::Dictionary),
        1 => set(mdict().key(k), Payload::Erased),
        2 => set(mdict().key(k), word(rng)),
        _ => set(mdict().key(k), small(rng)),
    }])
}
