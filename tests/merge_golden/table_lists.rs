//! §15, list rows: plain lists and lists of embedded objects, including the
//! nested move of quirk Q1.

use ros::changeset::{CollectionType as CT, Payload};
use ros::merge::MergeOptions;
use ros::objects::{ApplyErrorKind, State};
use serde_json::{json, Value as Json};

use super::support_merge::build::*;
use super::table::{pet, pet_names, pets, row, row_at, tag, A, B};
use super::*;

#[test]
fn moves_of_the_same_element_keep_the_newer() {
    let r = row(
        vec![move_to(tag(0), 2, 4)],
        vec![move_to(tag(0), 3, 4)],
        vec![],
        vec![move_to(tag(2), 3, 4)],
    );
    assert_eq!(
        r.person(&tags(&["a", "b", "c", "d"]))["tags"],
        json!(["b", "c", "d", "a"])
    );
}

#[test]
fn move_against_insert() {
    let r = row(
        vec![move_to(tag(0), 2, 3)],
        vec![insert(tag(1), string("X"), 3)],
        vec![move_to(tag(0), 3, 4)],
        vec![insert(tag(0), string("X"), 3)],
    );
    assert_eq!(
        r.person(&tags(&["a", "b", "c"]))["tags"],
        json!(["X", "b", "c", "a"])
    );
}

#[test]
fn erase_of_a_moved_element() {
    let r = row(
        vec![erase(tag(0), 3)],
        vec![move_to(tag(0), 2, 3)],
        vec![erase(tag(2), 3)],
        vec![],
    );
    assert_eq!(r.person(&tags(&["a", "b", "c"]))["tags"], json!(["b", "c"]));
}

#[test]
fn erase_beats_a_newer_element_update() {
    let r = row_at(
        (300, 2),
        vec![erase(tag(1), 3)],
        vec![set_element(tag(1), string("u"), 3)],
        vec![erase(tag(1), 3)],
        vec![],
    );
    assert_eq!(r.person(&tags(&["a", "b", "c"]))["tags"], json!(["a", "c"]));
}

#[test]
fn insert_shifts_an_element_update() {
    let r = row(
        vec![insert(tag(1), string("i"), 3)],
        vec![set_element(tag(1), string("u"), 3)],
        vec![insert(tag(1), string("i"), 3)],
        vec![set_element(tag(2), string("u"), 4)],
    );
    assert_eq!(
        r.person(&tags(&["a", "b", "c"]))["tags"],
        json!(["a", "i", "u", "c"])
    );
}

#[test]
fn clear_of_a_list_beats_a_newer_insert() {
    let r = row(
        vec![clear(at("Person", 1, "tags"), CT::List)],
        vec![insert(tag(0), string("n"), 1)],
        vec![clear(at("Person", 1, "tags"), CT::List)],
        vec![],
    );
    assert_eq!(r.person(&tags(&["a"]))["tags"], json!([]));
}

#[test]
fn insert_into_a_list_of_embedded_objects_shifts_paths_through_it() {
    let r = row(
        vec![insert(pet(1), Payload::ObjectValue, 3)],
        vec![set(pet(2).key("name"), string("n"))],
        vec![insert(pet(1), Payload::ObjectValue, 3)],
        vec![set(pet(3).key("name"), string("n"))],
    );
    let names = pet_names(&r.person(&pets()));
    assert_eq!(names, [json!("p0"), json!(null), json!("p1"), json!("n")]);
}

#[test]
fn erase_in_a_list_of_embedded_objects() {
    let r = row(
        vec![erase(pet(1), 3)],
        vec![set(pet(1).key("name"), string("n"))],
        vec![erase(pet(1), 3)],
        vec![],
    );
    assert_eq!(pet_names(&r.person(&pets())), [json!("p0"), json!("p2")]);
    let r = row(
        vec![erase(pet(0), 3)],
        vec![set(pet(2).key("name"), string("n"))],
        vec![erase(pet(0), 3)],
        vec![set(pet(1).key("name"), string("n"))],
    );
    assert_eq!(pet_names(&r.person(&pets())), [json!("p1"), json!("n")]);
    let r = row(
        vec![clear(at("Person", 1, "dogs"), CT::List)],
        vec![set(pet(2).key("name"), string("n"))],
        vec![clear(at("Person", 1, "dogs"), CT::List)],
        vec![],
    );
    assert_eq!(pet_names(&r.person(&pets())), Vec::<Json>::new());
}

#[test]
fn nested_move_follows_realm_core_by_default_q1() {
    let r = row(
        vec![move_to(pet(0), 2, 3)],
        vec![set(pet(0).key("name"), string("n"))],
        vec![move_to(pet(2), 2, 3)],
        vec![set(pet(0).key("name"), string("n"))],
    );
    // realm-core's A′ moves an element to its own position: it cannot apply.
    let mut state = State::new();
    state
        .apply(&changeset(schema().into_iter().chain(pets()).collect()))
        .expect("base");
    state.apply(&r.b).expect("B applies");
    let err = state.apply(&r.a1).expect_err("A′ does not apply");
    assert_eq!(err.kind, ApplyErrorKind::MoveToSamePosition(2));
}

#[test]
fn nested_move_with_the_corrected_rule_converges() {
    let (a, b) = (
        changeset(vec![move_to(pet(0), 2, 3)]),
        changeset(vec![set(pet(0).key("name"), string("n"))]),
    );
    let corrected = MergeOptions {
        corrected_nested_move: true,
        ..MergeOptions::default()
    };
    let (a1, b1) = run_with(&a, d(A.0, A.1), &b, d(B.0, B.1), &corrected).expect("merges");
    assert_eq!(a1, a);
    assert_eq!(b1, changeset(vec![set(pet(2).key("name"), string("n"))]));
    let names = pet_names(&converge(&pets(), &a, &b, &a1, &b1));
    assert_eq!(names, [json!("p1"), json!("p2"), json!("n")]);
}
