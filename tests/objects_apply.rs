//! Applying instructions to the object state (`docs/merge.md` §12), and its
//! rendering in the vectors' `final-state.json` form.

use crate::support_merge;

use ros::changeset::{CollectionType as CT, ColumnType, Payload, PrimaryKeyType};
use ros::objects::{apply, final_state, ApplyErrorKind, State};
use serde_json::json;
use support_merge::build::*;

/// Person(_id Int): name String?, age Int, tags [String], dogs [Dog], best Dog?,
/// scores {String: Int?}, labels <String>, any Mixed, addr Address? (embedded);
/// Dog(_id Int): name String?; Address (embedded): city String?.
fn schema() -> Vec<ros::changeset::Instruction> {
    vec![
        add_table("Dog", PrimaryKeyType::Int),
        add_column("Dog", "name", ColumnType::String, true, CT::Single),
        add_embedded("Address"),
        add_column("Address", "city", ColumnType::String, true, CT::Single),
        add_table("Person", PrimaryKeyType::Int),
        add_column("Person", "name", ColumnType::String, true, CT::Single),
        add_column("Person", "age", ColumnType::Int, false, CT::Single),
        add_column("Person", "tags", ColumnType::String, false, CT::List),
        link_column("Person", "dogs", "Dog", CT::List),
        link_column("Person", "best", "Dog", CT::Single),
        add_column("Person", "scores", ColumnType::Int, true, CT::Dictionary),
        add_column("Person", "labels", ColumnType::String, false, CT::Set),
        add_column("Person", "any", ColumnType::Mixed, true, CT::Single),
        link_column("Person", "addr", "Address", CT::Single),
    ]
}

fn state_with(instructions: Vec<ros::changeset::Instruction>) -> State {
    let mut all = schema();
    all.extend(instructions);
    let mut state = State::new();
    state.apply(&changeset(all)).expect("applies");
    state
}

fn error_of(state: &State, instruction: ros::changeset::Instruction) -> ApplyErrorKind {
    match apply(state, &changeset(vec![instruction])) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.kind,
    }
}

#[test]
fn new_objects_show_every_property_at_its_default() {
    let state = state_with(vec![create("Person", 1)]);
    assert_eq!(
        final_state(&state),
        json!({
            "Dog": [],
            "Person": [{
                "_id": 1, "addr": null, "age": 0, "any": null, "best": null, "dogs": [],
                "labels": [], "name": null, "scores": {}, "tags": []
            }]
        })
    );
}

#[test]
fn links_to_erased_objects_are_hidden_but_keep_their_list_position() {
    let mut state = state_with(vec![
        create("Dog", 1),
        create("Dog", 2),
        create("Person", 1),
        set(at("Person", 1, "best"), link("Dog", 1)),
        insert(at("Person", 1, "dogs").index(0), link("Dog", 1), 0),
        insert(at("Person", 1, "dogs").index(1), link("Dog", 2), 1),
        set(at("Person", 1, "any"), link("Dog", 1)),
        erase_object("Dog", 1),
    ]);
    let person = |s: &State| final_state(s)["Person"][0].clone();
    assert_eq!(person(&state)["best"], json!(null));
    assert_eq!(
        person(&state)["any"],
        json!(null),
        "a Mixed link to a tombstone reads as null"
    );
    assert_eq!(person(&state)["dogs"], json!([2]));
    // The tombstone still occupies position 0: sizes count it.
    let too_short = insert(at("Person", 1, "dogs").index(1), link("Dog", 3), 1);
    assert_eq!(
        error_of(&state, too_short),
        ApplyErrorKind::PriorSizeMismatch {
            prior_size: 1,
            size: 2
        }
    );
    state
        .apply(&changeset(vec![
            insert(at("Person", 1, "dogs").index(2), link("Dog", 3), 2),
            create("Dog", 1),
        ]))
        .expect("applies");
    // Re-creating the key resolves the old links; Dog 3 was never created.
    assert_eq!(person(&state)["best"], json!(1));
    assert_eq!(
        person(&state)["any"],
        json!({"$link": {"table": "class_Dog", "pk": 1}})
    );
    assert_eq!(person(&state)["dogs"], json!([1, 2]));
}

#[test]
fn embedded_objects_are_created_idempotently_and_removed_by_null() {
    let mut state = state_with(vec![
        create("Person", 1),
        set(at("Person", 1, "addr"), Payload::ObjectValue),
        set(at("Person", 1, "addr").key("city"), string("Oslo")),
        set(at("Person", 1, "addr"), Payload::ObjectValue),
    ]);
    assert_eq!(
        final_state(&state)["Person"][0]["addr"],
        json!({"city": "Oslo"})
    );
    state
        .apply(&changeset(vec![add_column(
            "Address",
            "zip",
            ColumnType::Int,
            false,
            CT::Single,
        )]))
        .expect("applies");
    assert_eq!(
        final_state(&state)["Person"][0]["addr"],
        json!({"city": "Oslo", "zip": 0})
    );
    state
        .apply(&changeset(vec![
            erase_column("Address", "city"),
            set(at("Person", 1, "addr"), Payload::Null),
        ]))
        .expect("applies");
    assert_eq!(final_state(&state)["Person"][0]["addr"], json!(null));
    let through_null = set(at("Person", 1, "addr").key("zip"), Payload::Int(1));
    assert!(matches!(
        error_of(&state, through_null),
        ApplyErrorKind::InvalidPath(_)
    ));
}

#[test]
fn mixed_values_hold_nested_collections_that_creation_does_not_clear() {
    let state = state_with(vec![
        create("Dog", 7),
        create("Person", 1),
        set(at("Person", 1, "any"), Payload::List),
        insert(at("Person", 1, "any").index(0), Payload::Int(5), 0),
        insert(at("Person", 1, "any").index(1), Payload::Dictionary, 1),
        set(at("Person", 1, "any").index(1).key("d"), link("Dog", 7)),
        set(at("Person", 1, "any"), Payload::List),
    ]);
    assert_eq!(
        final_state(&state)["Person"][0]["any"],
        json!([5, {"d": {"$link": {"table": "class_Dog", "pk": 7}}}])
    );
    let mut cleared = state.clone();
    cleared
        .apply(&changeset(vec![clear(
            at("Person", 1, "any").index(1),
            CT::List,
        )]))
        .expect("applies");
    assert_eq!(final_state(&cleared)["Person"][0]["any"], json!([5, []]));
    let nested_set = set(at("Person", 1, "any"), Payload::Set);
    assert_eq!(error_of(&state, nested_set), ApplyErrorKind::NestedSet);
}

#[test]
fn dictionaries_sets_and_counters() {
    let state = state_with(vec![
        create("Person", 1),
        set(at("Person", 1, "scores").key("b"), Payload::Int(2)),
        set(at("Person", 1, "scores").key("a"), Payload::Null),
        set(at("Person", 1, "scores").key("c"), Payload::Int(3)),
        set(at("Person", 1, "scores").key("c"), Payload::Erased),
        set_insert(at("Person", 1, "labels"), string("y")),
        set_insert(at("Person", 1, "labels"), string("x")),
        set_insert(at("Person", 1, "labels"), string("y")),
        set_insert(at("Person", 1, "labels"), string("z")),
        set_erase(at("Person", 1, "labels"), string("z")),
        set_erase(at("Person", 1, "labels"), string("absent")),
        add_int(at("Person", 1, "age"), i64::MAX),
        add_int(at("Person", 1, "age"), 2),
    ]);
    let person = &final_state(&state)["Person"][0];
    assert_eq!(person["scores"], json!({"a": null, "b": 2}));
    assert_eq!(person["labels"], json!(["x", "y"]));
    assert_eq!(person["age"], json!(i64::MIN + 1), "wrapping add");
    let wrong = set(at("Person", 1, "scores").key("a"), string("no"));
    assert_eq!(
        error_of(&state, wrong),
        ApplyErrorKind::TypeMismatch {
            expected: "Int",
            got: "String"
        }
    );
}

#[test]
fn list_instructions_check_sizes_and_positions() {
    let state = state_with(vec![
        create("Person", 1),
        insert(at("Person", 1, "tags").index(0), string("a"), 0),
        insert(at("Person", 1, "tags").index(1), string("b"), 1),
        insert(at("Person", 1, "tags").index(2), string("c"), 2),
        move_to(at("Person", 1, "tags").index(0), 2, 3),
        erase(at("Person", 1, "tags").index(0), 3),
        set_element(at("Person", 1, "tags").index(0), string("C"), 2),
    ]);
    assert_eq!(final_state(&state)["Person"][0]["tags"], json!(["C", "a"]));
    let tags = || at("Person", 1, "tags");
    assert_eq!(
        error_of(&state, insert(tags().index(3), string("x"), 2)),
        ApplyErrorKind::IndexOutOfRange { index: 3, size: 2 }
    );
    assert_eq!(
        error_of(&state, move_to(tags().index(1), 1, 2)),
        ApplyErrorKind::MoveToSamePosition(1)
    );
    assert_eq!(
        error_of(&state, erase(tags().index(0), 3)),
        ApplyErrorKind::PriorSizeMismatch {
            prior_size: 3,
            size: 2
        }
    );
    assert_eq!(
        error_of(&state, set_element(tags().index(2), string("x"), 2)),
        ApplyErrorKind::IndexOutOfRange { index: 2, size: 2 }
    );
    assert_eq!(
        error_of(&state, insert(tags().index(0), Payload::Null, 2)),
        ApplyErrorKind::NotNullable
    );
    let mut cleared = state.clone();
    cleared
        .apply(&changeset(vec![clear(tags(), CT::List)]))
        .expect("applies");
    assert_eq!(final_state(&cleared)["Person"][0]["tags"], json!([]));
    assert!(matches!(
        error_of(&state, clear(tags(), CT::Set)),
        ApplyErrorKind::ClearMismatch { .. }
    ));
}

#[test]
fn instructions_that_do_not_fit_the_schema_are_errors() {
    let state = state_with(vec![
        create("Person", 1),
        create("Dog", 1),
        set(at("Person", 1, "name"), string("Ann")),
    ]);
    let cases = [
        (set(at("Person", 2, "name"), string("x")), "NoSuchObject"),
        (
            set(at("Person", 1, "name"), Payload::Int(1)),
            "TypeMismatch",
        ),
        (set(at("Person", 1, "age"), Payload::Null), "NotNullable"),
        (
            set(at("Person", 1, "name"), Payload::Erased),
            "PayloadNotAllowed",
        ),
        (
            set(at("Person", 1, "best"), link("Person", 1)),
            "LinkTargetMismatch",
        ),
        (
            set(at("Person", 1, "best"), link("Address", 1)),
            "BadLinkTarget",
        ),
        (
            set(at("Person", 1, "_id"), Payload::Int(2)),
            "PrimaryKeyProperty",
        ),
        (add_int(at("Person", 1, "name"), 1), "NotAnInteger"),
        (
            create_key("Person", ros::changeset::PrimaryKey::String(s("1"))),
            "KeyMismatch",
        ),
        (create("Address", 1), "EmbeddedClass"),
        (create("Cat", 1), "NoSuchClass"),
        (erase_table("Dog"), "ClassIsLinkTarget"),
        (
            add_column("Person", "age", ColumnType::String, false, CT::Single),
            "PropertyMismatch",
        ),
        (add_table("Person", PrimaryKeyType::String), "ClassMismatch"),
        (erase_column("Person", "height"), "NoSuchProperty"),
        (
            set_insert(at("Person", 1, "tags"), string("x")),
            "InvalidPath",
        ),
        (
            set_insert(at("Person", 1, "labels"), Payload::ObjectValue),
            "PayloadNotAllowed",
        ),
    ];
    for (instruction, expected) in cases {
        let text = ros::changeset::render::to_text(&changeset(vec![instruction.clone()]));
        let got = match apply(&state, &changeset(vec![instruction])) {
            Ok(_) => "no error".to_string(),
            Err(e) => format!("{:?}", e.kind),
        };
        assert!(
            got.starts_with(expected),
            "{text}: got {got}, expected {expected}"
        );
    }
}

#[test]
fn a_failing_changeset_leaves_the_state_unchanged_through_apply() {
    let state = state_with(vec![create("Person", 1)]);
    let failing = changeset(vec![
        set(at("Person", 1, "name"), string("changed")),
        set(at("Person", 9, "name"), string("missing object")),
    ]);
    let err = apply(&state, &failing).expect_err("second instruction fails");
    assert_eq!(err.index, 1);
    assert_eq!(err.sync_error_code(), 212);
    assert_eq!(final_state(&state)["Person"][0]["name"], json!(null));
}

#[test]
fn erasing_a_class_and_a_property_removes_their_data() {
    let state = state_with(vec![
        create("Person", 1),
        set(at("Person", 1, "name"), string("Ann")),
        erase_column("Person", "best"),
        erase_column("Person", "dogs"),
        erase_table("Dog"),
        erase_column("Person", "name"),
        add_column("Person", "name", ColumnType::Int, false, CT::Single),
    ]);
    let rendered = final_state(&state);
    assert!(rendered.get("Dog").is_none());
    assert_eq!(
        rendered["Person"][0]["name"],
        json!(0),
        "a re-added property starts at its default"
    );
}

#[test]
fn doubles_print_with_seventeen_significant_digits() {
    let state = State::new();
    let state = apply(
        &state,
        &changeset(vec![
            add_table("T", PrimaryKeyType::Int),
            add_column("T", "d", ColumnType::Double, false, CT::List),
            create("T", 1),
            insert(at("T", 1, "d").index(0), Payload::Double(0.1), 0),
            insert(at("T", 1, "d").index(1), Payload::Double(92.0), 1),
            insert(at("T", 1, "d").index(2), Payload::Double(f64::NAN), 2),
            insert(at("T", 1, "d").index(3), Payload::Double(1e300), 3),
        ]),
    )
    .expect("applies");
    assert_eq!(
        final_state(&state)["T"][0]["d"],
        // As the vectors print them: `%.17g`, read back as JSON numbers.
        serde_json::from_str::<serde_json::Value>(r#"[0.10000000000000001, 92, "NaN", 1e300]"#)
            .expect("json")
    );
}
