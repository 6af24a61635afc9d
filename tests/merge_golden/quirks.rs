//! Two combinations where realm-core's rules (which these are) let replicas
//! diverge, found by the convergence simulation and not listed in
//! `docs/merge.md` §14. They pin our reference behaviour; real clients do the
//! same, so a server cannot repair them alone.

use ros::changeset::{Changeset, CollectionType as CT, Payload};
use ros::merge::{merge, MergeInput};
use ros::objects::{final_state, State};
use serde_json::{json, Value as Json};

use super::support_merge::build::*;
use super::*;

/// Applies `base`, then `first` and `second`; returns Person[1].any.
fn any_after(
    base: &[ros::changeset::Instruction],
    first: &[Changeset],
    second: &[Changeset],
) -> Json {
    let mut state = State::new();
    let mut all = schema();
    all.extend(base.iter().cloned());
    state.apply(&changeset(all)).expect("base");
    for c in first.iter().chain(second) {
        state.apply(c).expect("applies");
    }
    final_state(&state)["Person"][0]["any"].clone()
}

fn any() -> At {
    at("Person", 1, "any")
}

#[test]
fn clear_of_a_list_element_is_not_shifted_by_an_insert() {
    // Clear × ArrayInsert is a no-op pair, and their paths have the same length,
    // so no nested rule shifts the Clear's index past the insertion.
    let base = [
        set(any(), Payload::List),
        insert(any().index(0), Payload::Dictionary, 0),
    ];
    let a = changeset(vec![insert(any().index(0), Payload::Int(7), 1)]);
    let b = changeset(vec![clear(any().index(0), CT::Dictionary)]);
    let (a1, b1) = run(&a, d(100, 2), &b, d(200, 3));
    assert_eq!((&a1, &b1), (&a, &b), "neither side is transformed");
    let a_side = any_after(&base, std::slice::from_ref(&a), &[b1]);
    let b_side = any_after(&base, &[b], &[a1]);
    assert_eq!(a_side, json!([{}, {}]), "the clear hits the inserted value");
    assert_eq!(b_side, json!([7, {}]));
}

#[test]
fn recreating_a_mixed_collection_keeps_entries_on_one_side_only() {
    // A makes `any` a dictionary (losing to B's older list on merge), writes
    // into it, then makes it a dictionary again (winning). Locally the second
    // creation is a no-op that keeps the entry; merged, B's list discards the
    // entry and A's second creation starts an empty dictionary.
    let a = [
        changeset(vec![set(any(), Payload::Dictionary)]),
        changeset(vec![set(any().key("k"), Payload::List)]),
        changeset(vec![set(any(), Payload::Dictionary)]),
    ];
    let b = changeset(vec![set(any(), Payload::List)]);
    let stamps = [d(3, 5), d(23, 5), d(33, 5)];
    let local: Vec<MergeInput<'_>> = a
        .iter()
        .zip(stamps)
        .map(|(c, discriminant)| MergeInput {
            changeset: c,
            discriminant,
        })
        .collect();
    let incoming = [MergeInput {
        changeset: &b,
        discriminant: d(12, 3),
    }];
    let merged = merge(&local, &incoming, &REFERENCE).expect("merges");
    let b1 = merged.incoming[0].changeset.clone().into_owned();
    let a1: Vec<Changeset> = merged
        .local
        .into_iter()
        .map(|t| t.changeset.into_owned())
        .collect();
    assert_eq!(
        b1,
        changeset(vec![]),
        "B's list loses to A's newer dictionary"
    );
    assert_eq!(a1, [changeset(vec![]), changeset(vec![]), a[2].clone()]);
    let a_side = any_after(&[], &a, &[b1]);
    let b_side = any_after(&[], &[b], &a1);
    assert_eq!(a_side, json!({"k": []}));
    assert_eq!(b_side, json!({}));
}
