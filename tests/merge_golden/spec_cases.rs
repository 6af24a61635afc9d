//! §15 G1–G6 and their variants.

use ros::changeset::Payload;
use serde_json::{json, Value as Json};

use super::support_merge::build::*;
use super::*;

// ---- G1 -------------------------------------------------------------------

pub(crate) const G1_A: &str =
    "3F 00 06 50 65 72 73 6F 6E 3F 01 04 6E 61 6D 65 04 00 01 01 01 00 03 03 41 6E 6E 00";
pub(crate) const G1_B: &str =
    "3F 00 06 50 65 72 73 6F 6E 3F 01 04 6E 61 6D 65 04 00 01 01 01 00 03 03 42 6F 62 00";

#[test]
fn g1_same_timestamp_file_ident_decides() {
    let (a, b) = (decode(G1_A), decode(G1_B));
    assert_eq!(
        a,
        changeset(vec![set(at("Person", 1, "name"), string("Ann"))])
    );
    let (a1, b1) = run(&a, d(1000, 2), &b, d(1000, 3));
    assert_eq!(a1, none());
    assert_eq!(b1, b);
    assert_bytes("A′", &a1, "");
    assert_bytes("B′", &b1, G1_B);
    let base = [set(at("Person", 1, "name"), string("Zoe"))];
    assert_eq!(converge(&base, &a, &b, &a1, &b1)["name"], json!("Bob"));
}

#[test]
fn g1b_default_write_loses_although_newer() {
    let a = changeset(vec![set_default(at("Person", 1, "name"), string("X"))]);
    let b = changeset(vec![set(at("Person", 1, "name"), string("Y"))]);
    let (a1, b1) = run(&a, d(2000, 2), &b, d(1000, 3));
    assert_eq!((a1.clone(), b1.clone()), (none(), b.clone()));
    assert_eq!(converge(&[], &a, &b, &a1, &b1)["name"], json!("Y"));
}

// ---- G2, G3 ---------------------------------------------------------------

#[test]
fn g2_two_inserts_at_the_same_position_older_first() {
    let a = decode("… 08 00 01 01 01 01 01 03 01 78 02");
    let b = decode("… 08 00 01 01 01 01 01 03 01 79 02");
    assert_eq!(
        a,
        changeset(vec![insert(
            at("Person", 1, "tags").index(1),
            string("x"),
            2
        )])
    );
    let (a1, b1) = run(&a, d(100, 2), &b, d(200, 3));
    assert_eq!(
        a1,
        changeset(vec![insert(
            at("Person", 1, "tags").index(1),
            string("x"),
            3
        )])
    );
    assert_eq!(
        b1,
        changeset(vec![insert(
            at("Person", 1, "tags").index(2),
            string("y"),
            3
        )])
    );
    assert_bytes("A′", &a1, "… 08 00 01 01 01 01 01 03 01 78 03");
    assert_bytes(
        "B′",
        &b1,
        "3F 00 06 50 65 72 73 6F 6E 3F 01 04 74 61 67 73 08 00 01 01 01 01 02 03 01 79 03",
    );
    let person = converge(&tags(&["a", "b"]), &a, &b, &a1, &b1);
    assert_eq!(person["tags"], json!(["a", "x", "y", "b"]));
}

#[test]
fn g3_erase_and_insert_at_the_same_index_without_timestamps() {
    let a = decode("3F 00 06 50 65 72 73 6F 6E 3F 01 04 74 61 67 73 0A 00 01 01 01 01 01 03");
    let b =
        decode("3F 00 06 50 65 72 73 6F 6E 3F 01 04 74 61 67 73 08 00 01 01 01 01 01 03 01 78 03");
    assert_eq!(
        a,
        changeset(vec![erase(at("Person", 1, "tags").index(1), 3)])
    );
    for (da, db) in [(d(100, 2), d(200, 3)), (d(200, 2), d(100, 3))] {
        let (a1, b1) = run(&a, da, &b, db);
        assert_eq!(
            a1,
            changeset(vec![erase(at("Person", 1, "tags").index(2), 4)])
        );
        assert_eq!(
            b1,
            changeset(vec![insert(
                at("Person", 1, "tags").index(1),
                string("x"),
                2
            )])
        );
        assert_bytes("A′", &a1, "… 0A 00 01 01 01 01 02 04");
        assert_bytes("B′", &b1, "… 08 00 01 01 01 01 01 03 01 78 02");
        let person = converge(&tags(&["a", "b", "c"]), &a, &b, &a1, &b1);
        assert_eq!(person["tags"], json!(["a", "x", "c"]));
    }
}

// ---- G4 -------------------------------------------------------------------

#[test]
fn g4_erase_wins_over_concurrent_create_and_update() {
    let a = changeset(vec![erase_object("Person", 1)]);
    let b = changeset(vec![
        create("Person", 1),
        set(at("Person", 1, "name"), string("Zed")),
    ]);
    let (a1, b1) = run(&a, d(100, 2), &b, d(500, 3));
    assert_eq!((a1.clone(), b1.clone()), (a.clone(), none()));
    assert_eq!(
        converge(&[], &a, &b, &a1, &b1),
        Json::Null,
        "Person[1] is gone"
    );
}

#[test]
fn g4b_only_the_newer_of_two_erases_is_kept() {
    let a = changeset(vec![erase_object("Person", 1)]);
    let b = changeset(vec![erase_object("Person", 1)]);
    let (a1, b1) = run(&a, d(100, 2), &b, d(200, 3));
    assert_eq!((a1.clone(), b1.clone()), (none(), b.clone()));
    assert_eq!(converge(&[], &a, &b, &a1, &b1), Json::Null);
}

#[test]
fn g4c_newer_create_erase_create_sequence_wins() {
    let int = || at("Person", 1, "int");
    let a = changeset(vec![
        erase_object("Person", 1),
        create("Person", 1),
        set(int(), Payload::Int(1)),
        erase_object("Person", 1),
        create("Person", 1),
        set(int(), Payload::Int(11)),
    ]);
    let b = changeset(vec![
        erase_object("Person", 1),
        create("Person", 1),
        set(int(), Payload::Int(2)),
    ]);
    let (a1, b1) = run(&a, d(100, 2), &b, d(200, 3));
    assert_eq!((a1.clone(), b1.clone()), (none(), b.clone()));
    assert_eq!(converge(&[], &a, &b, &a1, &b1)["int"], json!(2));
}

// ---- G5 -------------------------------------------------------------------

#[test]
fn g5_counter_increment_folds_into_an_older_write() {
    let a = decode("3F 00 06 50 65 72 73 6F 6E 3F 01 03 61 67 65 05 00 01 01 01 00 05");
    let b = decode("3F 00 06 50 65 72 73 6F 6E 3F 01 03 61 67 65 04 00 01 01 01 00 01 14 00");
    assert_eq!(a, changeset(vec![add_int(at("Person", 1, "age"), 5)]));
    let (a1, b1) = run(&a, d(300, 2), &b, d(200, 3));
    assert_eq!(a1, a);
    assert_eq!(
        b1,
        changeset(vec![set(at("Person", 1, "age"), Payload::Int(25))])
    );
    assert_bytes(
        "A′",
        &a1,
        "3F 00 06 50 65 72 73 6F 6E 3F 01 03 61 67 65 05 00 01 01 01 00 05",
    );
    assert_bytes(
        "B′",
        &b1,
        "3F 00 06 50 65 72 73 6F 6E 3F 01 03 61 67 65 04 00 01 01 01 00 01 19 00",
    );
    let base = [set(at("Person", 1, "age"), Payload::Int(10))];
    assert_eq!(converge(&base, &a, &b, &a1, &b1)["age"], json!(25));
}

#[test]
fn g5_variants_newer_write_default_write_two_adds_and_null() {
    let age = || at("Person", 1, "age");
    let base = [set(age(), Payload::Int(10))];
    let add5 = changeset(vec![add_int(age(), 5)]);
    // G5b: a newer explicit write discards the add.
    let b = changeset(vec![set(age(), Payload::Int(20))]);
    let (a1, b1) = run(&add5, d(300, 2), &b, d(400, 3));
    assert_eq!((a1.clone(), b1.clone()), (none(), b.clone()));
    assert_eq!(converge(&base, &add5, &b, &a1, &b1)["age"], json!(20));
    // G5c: a default write counts as earlier however new it is.
    let b = changeset(vec![set_default(age(), Payload::Int(10))]);
    let (a1, b1) = run(&add5, d(100, 2), &b, d(300, 3));
    assert_eq!(a1, add5);
    assert_eq!(b1, changeset(vec![set_default(age(), Payload::Int(15))]));
    assert_eq!(converge(&base, &add5, &b, &a1, &b1)["age"], json!(15));
    // G5d: increments commute.
    let b = changeset(vec![add_int(age(), -2)]);
    let (a1, b1) = run(&add5, d(100, 2), &b, d(200, 3));
    assert_eq!((a1.clone(), b1.clone()), (add5.clone(), b.clone()));
    assert_eq!(converge(&base, &add5, &b, &a1, &b1)["age"], json!(13));
    // G5e: an add after an older null write survives as a no-op.
    let b = changeset(vec![set(age(), Payload::Null)]);
    let (a1, b1) = run(&add5, d(300, 2), &b, d(200, 3));
    assert_eq!((a1.clone(), b1.clone()), (add5.clone(), b.clone()));
    assert_eq!(converge(&base, &add5, &b, &a1, &b1)["age"], json!(null));
}

// ---- G6 -------------------------------------------------------------------

#[test]
fn g6_multi_instruction_grid() {
    let tag = |i| at("Person", 1, "tags").index(i);
    let a = changeset(vec![
        insert(tag(0), string("a"), 1),
        set(at("Person", 1, "name"), string("Al")),
    ]);
    let b = changeset(vec![erase(tag(0), 1), insert(tag(0), string("b"), 0)]);
    let (a1, b1) = run(&a, d(100, 2), &b, d(200, 3));
    assert_eq!(a1, a);
    assert_eq!(
        b1,
        changeset(vec![erase(tag(1), 2), insert(tag(1), string("b"), 1)])
    );
    let mut base = tags(&["z"]);
    base.push(set(at("Person", 1, "name"), string("Old")));
    let person = converge(&base, &a, &b, &a1, &b1);
    assert_eq!(
        (person["tags"].clone(), person["name"].clone()),
        (json!(["a", "b"]), json!("Al"))
    );
}
