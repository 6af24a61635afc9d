//! The JSON rendering (the script interface of `docs/changeset-json.md`) and the
//! text rendering's edge cases beyond what the vectors show.

use std::fs;
use std::path::Path;

use ros::changeset::{self, render, ByteString, Changeset, Instruction, Payload, PrimaryKey};
use serde_json::{json, Value};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn vector(name: &str) -> Changeset {
    let path = Path::new(ROOT)
        .join("tests/data/vectors/changesets")
        .join(name);
    let text = fs::read_to_string(path).expect("vector");
    changeset::decode(&hex::decode(text.trim()).expect("hex")).expect("decodes")
}

fn field(json: &Value, name: &str) -> Vec<Value> {
    json["instructions"]
        .as_array()
        .expect("instructions array")
        .iter()
        .map(|i| i[name].clone())
        .collect()
}

const EXAMPLE_9_1: &str =
    "3F 00 06 50 65 72 73 6F 6E 3F 01 03 5F 69 64 00 00 00 01 01 00 02 00 01 01 \
                           3F 02 04 6E 61 6D 65 04 00 01 01 02 00 03 03 41 6E 6E 00";

#[test]
fn documented_example_is_what_to_json_prints() {
    let doc = fs::read_to_string(Path::new(ROOT).join("docs/changeset-json.md")).expect("doc");
    let example = doc.split("## Example").nth(1).expect("example section");
    let block = example
        .split("```json")
        .nth(1)
        .and_then(|b| b.split("```").next());
    let documented: Value = serde_json::from_str(block.expect("json block")).expect("valid json");
    let bytes = hex::decode(EXAMPLE_9_1.replace(' ', "")).expect("hex");
    let decoded = changeset::decode(&bytes).expect("decodes");
    assert_eq!(render::to_json(&decoded), documented);
}

#[test]
fn every_payload_type_as_json() {
    let item = |v: i64| json!({"type": "Int", "value": v});
    let expected = json!([
        {"type": "Null"},
        item(0),
        item(-123_456_789_012_345),
        item(i64::MAX),
        {"type": "Bool", "value": true},
        {"type": "Bool", "value": false},
        {"type": "String", "value": "hello"},
        {"type": "String", "value": ""},
        {"type": "Binary", "value": "0001feff"},
        {"type": "Timestamp", "seconds": 1_700_000_000, "nanoseconds": 123_456_789},
        {"type": "Timestamp", "seconds": -1, "nanoseconds": -5},
        {"type": "Float", "value": 1.5},
        {"type": "Double", "value": -2.25},
        {"type": "Decimal", "value": "123.456"},
        {"type": "Decimal", "value": "-1E-10"},
        {"type": "ObjectId", "value": "000102030405060708090a0b"},
        {"type": "UUID", "value": "00112233-4455-6677-8899-aabbccddeeff"},
        {"type": "Link", "table": "Item", "key": item(8)},
        {"type": "Null"},
        {"type": "Link", "table": "StrPk", "key": {"type": "String", "value": "alpha"}},
        {"type": "Double", "value": 3.0},
        {"type": "ObjectValue"},
        {"type": "List"},
        {"type": "Dictionary"},
        {"type": "Set"},
    ]);
    let json = render::to_json(&vector("enc_update_payloads.hex"));
    assert_eq!(Value::Array(field(&json, "value")), expected);
    let defaults = field(&json, "is_default");
    assert_eq!(defaults[3], json!(true));
    assert_eq!(defaults.iter().filter(|d| **d == json!(false)).count(), 24);
    assert_eq!(field(&json, "path")[0], json!([]));
}

#[test]
fn every_primary_key_kind_as_json() {
    let json = render::to_json(&vector("enc_objects.hex"));
    let objects = field(&json, "object");
    assert_eq!(objects[4], json!({"type": "Int", "value": i64::MIN}));
    assert_eq!(
        objects[8],
        json!({"type": "String", "value": "æøå unicode ✓"})
    );
    assert_eq!(
        objects[9],
        json!({"type": "ObjectId", "value": "5f0a1b2c3d4e5f6a7b8c9d0e"})
    );
    assert_eq!(
        objects[10],
        json!({"type": "UUID", "value": "3b241101-e2bb-4255-8caf-4136c566a962"})
    );
    assert_eq!(objects[11], json!({"type": "Null"}));
    assert_eq!(objects[12], json!({"type": "GlobalKey", "hi": 1, "lo": 2}));
    assert_eq!(field(&json, "instruction")[13], json!("EraseObject"));
}

#[test]
fn schema_instructions_as_json() {
    let tables = render::to_json(&vector("enc_add_table.hex"));
    let list = tables["instructions"].as_array().expect("array");
    assert_eq!(
        list[0],
        json!({"instruction": "AddTable", "table": "Item", "table_type": "TopLevel",
               "pk_field": "_id", "pk_type": "Int", "pk_nullable": false})
    );
    assert_eq!(
        list[6],
        json!({"instruction": "AddTable", "table": "Embedded", "table_type": "Embedded"})
    );
    assert_eq!(list[7]["table_type"], json!("TopLevelAsymmetric"));
    assert_eq!(list[5]["pk_type"], json!("GlobalKey"));

    let columns = render::to_json(&vector("enc_add_column.hex"));
    let list = columns["instructions"].as_array().expect("array");
    assert_eq!(list[11]["type"], json!("Mixed"));
    assert_eq!(
        list[23],
        json!({"instruction": "AddColumn", "table": "Item", "field": "link_dict", "type": "Link",
               "nullable": true, "collection_type": "Dictionary", "link_target_table": "Item",
               "key_type": "String"})
    );
    assert!(list[14].get("key_type").is_none() && list[14].get("link_target_table").is_none());
}

#[test]
fn collection_instructions_as_json() {
    let json = render::to_json(&vector("enc_lists.hex"));
    let list = json["instructions"].as_array().expect("array");
    assert_eq!(list[9]["instruction"], json!("Update"));
    assert_eq!(list[9]["prior_size"], json!(3));
    assert!(list[9].get("is_default").is_none());
    assert_eq!(
        list[10],
        json!({"instruction": "ArrayMove", "table": "Item", "object": {"type": "Int", "value": 7},
               "field": "int_list", "path": [0], "ndx_2": 2, "prior_size": 3})
    );
    assert_eq!(list[12]["collection_type"], json!("List"));
    let nested = render::to_json(&vector("enc_nested_paths.hex"));
    assert_eq!(field(&nested, "path")[4], json!([0, "key"]));
}

fn single(instruction: Instruction) -> Changeset {
    Changeset::new(vec![instruction])
}

fn update(field: &str, object: PrimaryKey, value: Payload) -> Instruction {
    use ros::changeset::{Location, Update, UpdateTarget, ValuePath};
    Instruction::Update(Update {
        target: UpdateTarget::Property {
            location: Location {
                table: "T".into(),
                object,
                field: field.into(),
                path: ValuePath::field(),
            },
            is_default: false,
        },
        value,
    })
}

#[test]
fn lossless_forms_for_awkward_values() {
    let bad_utf8 = ByteString::from(&[0x66, 0xFF][..]);
    let c = Changeset::new(vec![
        update("f", PrimaryKey::Int(1), Payload::Float(1.1)),
        update("d", PrimaryKey::Int(1), Payload::Double(f64::NAN)),
        update("d", PrimaryKey::Int(1), Payload::Double(f64::NEG_INFINITY)),
        update("d", PrimaryKey::Int(1), Payload::Double(-0.0)),
        update(
            "s",
            PrimaryKey::String(bad_utf8.clone()),
            Payload::String(bad_utf8),
        ),
    ]);
    let json = render::to_json(&c);
    let values = field(&json, "value");
    assert_eq!(values[0]["value"], json!(1.1));
    assert_eq!(values[1]["value"], json!("NaN"));
    assert_eq!(values[2]["value"], json!("-Infinity"));
    assert_eq!(
        serde_json::to_string(&values[3]["value"]).expect("json"),
        "-0.0"
    );
    assert_eq!(values[4]["value"], json!({"hex": "66ff"}));
    assert_eq!(field(&json, "object")[4]["value"], json!({"hex": "66ff"}));
}

#[test]
fn text_escapes_keep_one_line_per_instruction() {
    let awkward = ByteString::from(&b"a\"b\\c\nd\x01\xFF"[..]);
    let text = render::to_text(&single(update(
        "s",
        PrimaryKey::Int(-2),
        Payload::String(awkward),
    )));
    assert_eq!(
        text,
        "0: Update table=\"T\" object=Int(-2) field=\"s\" path=[] \
         value=String(\"a\\\"b\\\\c\\nd\\x01\\xff\") is_default=0\n"
    );
}

#[test]
fn text_switches_to_hex_after_a_global_key_like_the_vectors() {
    use ros::changeset::{CreateObject, GlobalKey};
    let c = Changeset::new(vec![
        Instruction::CreateObject(CreateObject {
            table: "T".into(),
            object: PrimaryKey::GlobalKey(GlobalKey {
                hi: 0x1_2345,
                lo: 2,
            }),
        }),
        update("i", PrimaryKey::Int(-1), Payload::Int(255)),
        update("d", PrimaryKey::Int(10), Payload::Double(0.1)),
    ]);
    let lines: Vec<String> = render::to_text(&c).lines().map(String::from).collect();
    assert_eq!(
        lines[0],
        "0: CreateObject table=\"T\" object=GlobalKey({12345-0002})"
    );
    assert_eq!(
        lines[1],
        "1: Update table=\"T\" object=Int(ffffffffffffffff) field=\"i\" path=[] value=Int(ff) is_default=0"
    );
    assert_eq!(
        lines[2],
        "2: Update table=\"T\" object=Int(a) field=\"d\" path=[] value=Double(0.10000000000000001) is_default=0"
    );
}
