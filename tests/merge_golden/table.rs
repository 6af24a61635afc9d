//! §15: the one-line cases (A local `(100, 2)`, B incoming `(200, 3)` unless
//! the row says otherwise), all realm-core's output.

use ros::changeset::{
    self, Changeset, CollectionType as CT, ColumnType, Instruction, Payload, PrimaryKeyType,
};
use ros::merge::TransformError;
use ros::objects::{ApplyErrorKind, State};
use serde_json::{json, Value as Json};

use super::support_merge::build::*;
use super::*;

pub(super) const A: (u64, u64) = (100, 2);
pub(super) const B: (u64, u64) = (200, 3);

pub(super) struct Row {
    pub(super) a: Changeset,
    pub(super) b: Changeset,
    pub(super) a1: Changeset,
    pub(super) b1: Changeset,
}

/// Merges A at `da` with B at `db` in both directions and checks A′ and B′.
pub(super) fn row_at(
    da: (u64, u64),
    a: Vec<Instruction>,
    b: Vec<Instruction>,
    a1: Vec<Instruction>,
    b1: Vec<Instruction>,
) -> Row {
    let (a, b) = (changeset(a), changeset(b));
    let (got_a1, got_b1) = run(&a, d(da.0, da.1), &b, d(B.0, B.1));
    assert_eq!(got_a1, changeset(a1), "A′");
    assert_eq!(got_b1, changeset(b1), "B′");
    Row {
        a,
        b,
        a1: got_a1,
        b1: got_b1,
    }
}

pub(super) fn row(
    a: Vec<Instruction>,
    b: Vec<Instruction>,
    a1: Vec<Instruction>,
    b1: Vec<Instruction>,
) -> Row {
    row_at(A, a, b, a1, b1)
}

impl Row {
    /// Person[1] after both orders, which must agree.
    pub(super) fn person(&self, base: &[Instruction]) -> Json {
        converge(base, &self.a, &self.b, &self.a1, &self.b1)
    }
}

pub(super) fn tag(i: u32) -> At {
    at("Person", 1, "tags").index(i)
}

pub(super) fn pet(i: u32) -> At {
    at("Person", 1, "dogs").index(i)
}

pub(super) fn any() -> At {
    at("Person", 1, "any")
}

pub(super) fn labels() -> At {
    at("Person", 1, "labels")
}

/// Three embedded pets named p0, p1, p2.
pub(super) fn pets() -> Vec<Instruction> {
    (0..3)
        .flat_map(|i| {
            [
                insert(pet(i), Payload::ObjectValue, i),
                set(pet(i).key("name"), string(&format!("p{i}"))),
            ]
        })
        .collect()
}

pub(super) fn pet_names(person: &Json) -> Vec<Json> {
    person["dogs"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["name"].clone())
        .collect()
}

#[test]
fn set_erase_against_a_newer_insert_of_the_same_value() {
    let r = row(
        vec![set_erase(labels(), string("x"))],
        vec![set_insert(labels(), string("x"))],
        vec![],
        vec![set_insert(labels(), string("x"))],
    );
    assert_eq!(
        r.person(&[set_insert(labels(), string("x"))])["labels"],
        json!(["x"])
    );
}

#[test]
fn clear_of_a_set_beats_an_insert() {
    let r = row(
        vec![clear(labels(), CT::Set)],
        vec![set_insert(labels(), string("x"))],
        vec![clear(labels(), CT::Set)],
        vec![],
    );
    assert_eq!(
        r.person(&[set_insert(labels(), string("y"))])["labels"],
        json!([])
    );
}

#[test]
fn embedded_object_creation_loses_to_null() {
    let addr = || at("Person", 1, "addr");
    let r = row_at(
        (300, 2),
        vec![set(addr(), Payload::ObjectValue)],
        vec![set(addr(), Payload::Null)],
        vec![],
        vec![set(addr(), Payload::Null)],
    );
    assert_eq!(r.person(&[])["addr"], json!(null));
}

#[test]
fn null_beats_a_newer_write_inside_the_embedded_object() {
    let addr = || at("Person", 1, "addr");
    let r = row(
        vec![set(addr(), Payload::Null)],
        vec![set(addr().key("city"), string("Oslo"))],
        vec![set(addr(), Payload::Null)],
        vec![],
    );
    assert_eq!(
        r.person(&[set(addr(), Payload::ObjectValue)])["addr"],
        json!(null)
    );
}

#[test]
fn mixed_list_creation_lets_index_writes_through() {
    let r = row(
        vec![set(any(), Payload::List)],
        vec![insert(any().index(0), Payload::Int(1), 0)],
        vec![set(any(), Payload::List)],
        vec![insert(any().index(0), Payload::Int(1), 0)],
    );
    assert_eq!(r.person(&[set(any(), Payload::List)])["any"], json!([1]));
}

#[test]
fn mixed_dictionary_creation_discards_index_writes() {
    let r = row(
        vec![set(any(), Payload::Dictionary)],
        vec![insert(any().index(0), Payload::Int(1), 0)],
        vec![set(any(), Payload::Dictionary)],
        vec![],
    );
    assert_eq!(r.person(&[set(any(), Payload::List)])["any"], json!({}));
}

#[test]
fn mixed_value_discards_key_writes_below_it() {
    let r = row(
        vec![set(any(), Payload::Int(1))],
        vec![set(any().key("k"), string("v"))],
        vec![set(any(), Payload::Int(1))],
        vec![],
    );
    assert_eq!(
        r.person(&[set(any(), Payload::Dictionary)])["any"],
        json!(1)
    );
}

#[test]
fn newer_clear_of_a_mixed_list_beats_a_value() {
    let r = row_at(
        (300, 2),
        vec![clear(any(), CT::List)],
        vec![set(any(), Payload::Int(7))],
        vec![clear(any(), CT::List)],
        vec![],
    );
    let base = [
        set(any(), Payload::List),
        insert(any().index(0), Payload::Int(5), 0),
    ];
    assert_eq!(r.person(&base)["any"], json!([]));
}

#[test]
fn two_mixed_list_creations_are_both_kept() {
    let r = row(
        vec![set(any(), Payload::List)],
        vec![set(any(), Payload::List)],
        vec![set(any(), Payload::List)],
        vec![set(any(), Payload::List)],
    );
    assert_eq!(r.person(&[])["any"], json!([]));
}

#[test]
fn link_property_to_an_erased_class_is_erased_first_p8() {
    let r = row(
        vec![link_column("Person", "dog", "Dog", CT::Single)],
        vec![erase_table("Dog")],
        vec![],
        vec![erase_column("Person", "dog"), erase_table("Dog")],
    );
    r.person(&[]);
    // The names are appended to the EraseTable changeset's own string table.
    let b = changeset::decode(&hex("3F 00 03 44 6F 67 01 00")).expect("EraseTable Dog");
    let (_, b1) = run(&r.a, d(A.0, A.1), &b, d(B.0, B.1));
    let want = "3F 00 03 44 6F 67 3F 01 06 50 65 72 73 6F 6E 3F 02 03 64 6F 67 07 01 02 01 00";
    assert_eq!(spaced(&changeset::encode(&b1)), want);
    // With the sides the other way round, the local EraseTable gets the prepend.
    let r = row(
        vec![erase_table("Dog")],
        vec![
            link_column("Person", "dog", "Dog", CT::Single),
            set(at("Person", 1, "age"), Payload::Int(3)),
        ],
        vec![erase_column("Person", "dog"), erase_table("Dog")],
        vec![set(at("Person", 1, "age"), Payload::Int(3))],
    );
    assert_eq!(r.person(&[])["age"], json!(3));
}

#[test]
fn erased_class_discards_everything_on_it() {
    let r = row(
        vec![erase_table("Person")],
        vec![
            create("Person", 1),
            set(at("Person", 1, "name"), string("n")),
        ],
        vec![erase_table("Person")],
        vec![],
    );
    assert_eq!(r.person(&[]), Json::Null);
}

#[test]
fn erased_property_keeps_concurrent_increments_q3() {
    let r = row(
        vec![erase_column("Person", "age")],
        vec![
            set(at("Person", 2, "age"), Payload::Int(4)),
            add_int(at("Person", 1, "age"), 5),
        ],
        vec![erase_column("Person", "age")],
        vec![add_int(at("Person", 1, "age"), 5)],
    );
    // Reference behaviour: the surviving AddInteger does not apply after the erase.
    let mut state = State::new();
    state.apply(&changeset(schema())).expect("base");
    state.apply(&r.a).expect("A applies");
    let err = state.apply(&r.b1).expect_err("B′ fails after the erase");
    assert!(matches!(err.kind, ApplyErrorKind::InvalidPath(_)), "{err}");
}

#[test]
fn schema_clashes_are_transform_errors() {
    let (da, db) = (d(A.0, A.1), d(B.0, B.1));
    let a = changeset(vec![add_column(
        "Person",
        "age",
        ColumnType::Int,
        true,
        CT::Single,
    )]);
    let b = changeset(vec![add_column(
        "Person",
        "age",
        ColumnType::String,
        true,
        CT::Single,
    )]);
    let err = run_with(&a, da, &b, db, &REFERENCE).expect_err("type clash");
    assert!(
        matches!(err, TransformError::PropertyMismatch { what: "types", .. }),
        "{err}"
    );
    assert_eq!(err.sync_error_code().code(), 212);
    let a = changeset(vec![add_table("Person", PrimaryKeyType::Int)]);
    let b = changeset(vec![add_table("Person", PrimaryKeyType::String)]);
    let err = run_with(&a, da, &b, db, &REFERENCE).expect_err("pk clash");
    assert!(
        matches!(
            err,
            TransformError::ClassMismatch {
                what: "primary key types",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn identical_add_tables_are_both_dropped() {
    let r = row(
        vec![add_table("Person", PrimaryKeyType::Int)],
        vec![add_table("Person", PrimaryKeyType::Int)],
        vec![],
        vec![],
    );
    r.person(&[]);
}
