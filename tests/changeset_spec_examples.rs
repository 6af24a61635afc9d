//! The worked examples of `docs/changesets.md` §2 and §8: each decodes to
//! the stated instructions and encodes to the stated bytes.

use ros::changeset::*;

fn bytes(hex_text: &str) -> Vec<u8> {
    hex::decode(hex_text.replace([' ', '\n'], "")).expect("valid hex")
}

fn s(text: &str) -> ByteString {
    ByteString::from(text)
}

fn loc<P>(table: &str, object: PrimaryKey, field: &str, path: P) -> Location<P> {
    Location {
        table: s(table),
        object,
        field: s(field),
        path,
    }
}

fn person_table() -> Instruction {
    Instruction::AddTable(AddTable {
        table: s("Person"),
        table_type: TableType::TopLevel {
            primary_key: PrimaryKeySpec {
                field: s("_id"),
                key_type: PrimaryKeyType::Int,
                nullable: false,
            },
            asymmetric: false,
        },
    })
}

fn create_person_1() -> Instruction {
    Instruction::CreateObject(CreateObject {
        table: s("Person"),
        object: PrimaryKey::Int(1),
    })
}

fn set_name_ann() -> Instruction {
    Instruction::Update(Update {
        target: UpdateTarget::Property {
            location: loc("Person", PrimaryKey::Int(1), "name", ValuePath::field()),
            is_default: false,
        },
        value: Payload::String(s("Ann")),
    })
}

const LAZY_9_1: &str = "3F 00 06 50 65 72 73 6F 6E 3F 01 03 5F 69 64 00
                        00 00 01 01 00 02 00 01 01 3F 02 04 6E 61 6D 65
                        04 00 01 01 02 00 03 03 41 6E 6E 00";
const TABLE_FIRST_9_2: &str = "3F 00 06 50 65 72 73 6F 6E 3F 01 03 5F 69 64 3F
                               02 04 6E 61 6D 65 00 00 00 01 01 00 02 00 01 01
                               04 00 01 01 02 00 03 03 41 6E 6E 00";

#[test]
fn example_9_1_lazy_layout_decodes_and_reencodes_as_9_2() {
    let input = bytes(LAZY_9_1);
    assert_eq!(input.len(), 44);
    let decoded = decode(&input).expect("decodes");
    assert_eq!(
        decoded.instructions,
        vec![person_table(), create_person_1(), set_name_ann()]
    );
    let table: Vec<&ByteString> = decoded.strings.iter().collect();
    assert_eq!(table, [&s("Person"), &s("_id"), &s("name")]);
    assert_eq!(encode(&decoded), bytes(TABLE_FIRST_9_2));
    assert_eq!(encode_with_layout(&decoded, Layout::Lazy), input);
}

#[test]
fn example_9_2_table_first_layout_round_trips() {
    let input = bytes(TABLE_FIRST_9_2);
    let decoded = decode(&input).expect("decodes");
    assert_eq!(decoded, decode(&bytes(LAZY_9_1)).expect("decodes"));
    assert_eq!(encode(&decoded), input);
    let built = Changeset::new(vec![person_table(), create_person_1(), set_name_ann()]);
    assert_eq!(
        encode(&built),
        input,
        "encoding the instructions built directly"
    );
}

#[test]
fn example_9_3_client_transaction_with_unused_empty_string() {
    let input = bytes(
        "3F 00 06 50 65 72 73 6F 6E 3F 01 03 5F 69 64 00 00 00 01 01 00
         3F 02 04 6E 61 6D 65 3F 03 00 06 00 02 03 00 00 02 00 01 01
         04 00 01 01 02 00 03 03 41 6E 6E 00",
    );
    assert_eq!(input.len(), 53);
    let decoded = decode(&input).expect("decodes");
    let add_name = Instruction::AddColumn(AddColumn {
        table: s("Person"),
        field: s("name"),
        column_type: ColumnType::String,
        nullable: false,
        collection_type: CollectionType::Single,
    });
    assert_eq!(
        decoded.instructions,
        vec![person_table(), add_name, create_person_1(), set_name_ann()]
    );
    assert_eq!(
        decoded.strings.get(3),
        Some(&s("")),
        "the unused \"\" is kept"
    );
    let reencoded = encode(&decoded);
    assert_eq!(reencoded.len(), input.len());
    assert_eq!(
        decode(&reencoded).expect("decodes").strings,
        decoded.strings
    );
}

#[test]
fn section_1_empty_changeset_is_zero_bytes() {
    let decoded = decode(&[]).expect("the empty changeset is valid");
    assert!(decoded.instructions.is_empty());
    let only_strings = Changeset {
        instructions: vec![],
        strings: ["a", "b"].into_iter().collect(),
    };
    assert_eq!(
        encode(&only_strings),
        Vec::<u8>::new(),
        "no table without instructions"
    );
}
