//! The single-instruction encodings of `docs/changesets.md` §8.4 (with
//! §2.5's decimal) and §2.1's reference varints: decode and encode exactly.

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

fn person_at_7<P>(field: &str, path: P) -> Location<P> {
    loc("Person", PrimaryKey::Int(7), field, path)
}

/// The assumed string table of §8.4, as InternString records.
fn table_9_4() -> (StringTable, Vec<u8>) {
    let names = [
        "Person", "Dog", "tags", "dogs", "k", "", "address", "city", "p1",
    ];
    let mut prefix = Vec::new();
    for (i, name) in names.iter().enumerate() {
        prefix.extend([0x3F, i as u8, name.len() as u8]);
        prefix.extend(name.as_bytes());
    }
    (names.into_iter().collect(), prefix)
}

fn single_instruction_cases() -> Vec<(Instruction, &'static str)> {
    use Instruction as I;
    let top = |field: &str, key_type, nullable, asymmetric| TableType::TopLevel {
        primary_key: PrimaryKeySpec {
            field: s(field),
            key_type,
            nullable,
        },
        asymmetric,
    };
    let elem = |container: Vec<PathElement>, i| ElementPath::new(container, i);
    let update = |field: &str, path: ValuePath, value, is_default| {
        I::Update(Update {
            target: UpdateTarget::Property {
                location: person_at_7(field, path),
                is_default,
            },
            value,
        })
    };
    let oid = [
        0x5F, 0x1E, 0x2D, 0x3C, 0x4B, 0x5A, 0x69, 0x78, 0x87, 0x96, 0xA5, 0xB4,
    ];
    let uuid = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE,
        0xFF,
    ];
    let create = |object| {
        I::CreateObject(CreateObject {
            table: s("Person"),
            object,
        })
    };
    vec![
        (
            I::AddTable(AddTable {
                table: s("Dog"),
                table_type: TableType::Embedded,
            }),
            "00 01 01",
        ),
        (
            I::AddTable(AddTable {
                table: s("Person"),
                table_type: top("", PrimaryKeyType::GlobalKey, false, false),
            }),
            "00 00 00 05 40 00",
        ),
        (
            I::AddTable(AddTable {
                table: s("Person"),
                table_type: top("p1", PrimaryKeyType::ObjectId, true, true),
            }),
            "00 00 02 08 0A 01",
        ),
        (I::EraseTable(EraseTable { table: s("Dog") }), "01 01"),
        (
            I::AddColumn(AddColumn {
                table: s("Person"),
                field: s("dogs"),
                column_type: ColumnType::Link { target: s("Dog") },
                nullable: false,
                collection_type: CollectionType::List,
            }),
            "06 00 03 09 00 01 01",
        ),
        (
            I::AddColumn(AddColumn {
                table: s("Person"),
                field: s("tags"),
                column_type: ColumnType::Mixed,
                nullable: true,
                collection_type: CollectionType::Dictionary,
            }),
            "06 00 02 00 01 02 03",
        ),
        (
            I::EraseColumn(EraseColumn {
                table: s("Person"),
                field: s("tags"),
            }),
            "07 00 02",
        ),
        (create(PrimaryKey::String(s("p1"))), "02 00 03 08"),
        (
            I::EraseObject(EraseObject {
                table: s("Person"),
                object: PrimaryKey::Null,
            }),
            "03 00 00",
        ),
        (
            create(PrimaryKey::GlobalKey(GlobalKey { hi: 2, lo: 5 })),
            "02 00 40 02 05",
        ),
        (
            create(PrimaryKey::ObjectId(ObjectId(oid))),
            "02 00 0A 5F 1E 2D 3C 4B 5A 69 78 87 96 A5 B4",
        ),
        (
            create(PrimaryKey::Uuid(Uuid(uuid))),
            "02 00 0B 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF",
        ),
        (
            I::ArrayInsert(ArrayInsert {
                location: person_at_7("dogs", elem(vec![], 2)),
                value: Payload::Link(Box::new(Link {
                    table: s("Dog"),
                    key: PrimaryKey::Int(42),
                })),
                prior_size: 3,
            }),
            "08 00 01 07 03 01 02 09 01 01 2A 03",
        ),
        (
            I::ArrayMove(ArrayMove {
                location: person_at_7("dogs", elem(vec![], 0)),
                ndx_2: 2,
                prior_size: 3,
            }),
            "09 00 01 07 03 01 00 02 03",
        ),
        (
            I::ArrayErase(ArrayErase {
                location: person_at_7("dogs", elem(vec![], 1)),
                prior_size: 3,
            }),
            "0A 00 01 07 03 01 01 03",
        ),
        (
            I::Clear(Clear {
                location: person_at_7("dogs", Path::default()),
                collection_type: CollectionType::List,
            }),
            "0B 00 01 07 03 00 01",
        ),
        (
            I::SetInsert(SetInsert {
                location: person_at_7("tags", Path::default()),
                value: Payload::Int(-3),
            }),
            "0C 00 01 07 02 00 01 42",
        ),
        (
            I::SetErase(SetErase {
                location: person_at_7("tags", Path::default()),
                value: Payload::Bool(true),
            }),
            "0D 00 01 07 02 00 02 01",
        ),
        (
            update(
                "tags",
                ValuePath::key(vec![], s("k")),
                Payload::Erased,
                false,
            ),
            "04 00 01 07 02 01 40 04 43 00",
        ),
        (
            update(
                "address",
                ValuePath::key(vec![], s("city")),
                Payload::Timestamp(Timestamp::new(1_600_000_000, 500).expect("valid")),
                true,
            ),
            "04 00 01 07 06 01 40 07 05 80 A0 F8 FA 05 F4 03 01",
        ),
        (
            I::Update(Update {
                target: UpdateTarget::ListElement {
                    location: person_at_7("dogs", elem(vec![], 1)),
                    prior_size: 3,
                },
                value: Payload::Double(2.5),
            }),
            "04 00 01 07 03 01 01 07 00 00 00 00 00 00 04 40 03",
        ),
        (
            update("address", ValuePath::field(), Payload::Float(1.5), false),
            "04 00 01 07 06 00 06 00 00 C0 3F 00",
        ),
        (
            update("address", ValuePath::field(), Payload::ObjectValue, false),
            "04 00 01 07 06 00 41 00",
        ),
        (
            update(
                "address",
                ValuePath::field(),
                Payload::Binary(ByteString::from(&[1u8, 2][..])),
                false,
            ),
            "04 00 01 07 06 00 04 02 01 02 00",
        ),
        (
            update("address", ValuePath::field(), Payload::Null, false),
            "04 00 01 07 06 00 00 00",
        ),
        (
            update("address", ValuePath::field(), Payload::List, false),
            "04 00 01 07 06 00 44 00",
        ),
        (
            I::AddInteger(AddInteger {
                location: person_at_7("address", Path::default()),
                value: -100,
            }),
            "05 00 01 07 06 00 E3 40",
        ),
        // §2.5: Decimal128("1.5") as an Update payload.
        (
            update(
                "address",
                ValuePath::field(),
                Payload::Decimal(Decimal128::from_parts(15, -1, false).expect("fits")),
                false,
            ),
            "04 00 01 07 06 00 08 0F 40 00 00",
        ),
    ]
}

#[test]
fn example_9_4_single_instructions_decode_and_encode() {
    let (table, prefix) = table_9_4();
    let cases = single_instruction_cases();
    assert_eq!(cases.len(), 28);
    for (instruction, hex_text) in cases {
        let mut input = prefix.clone();
        input.extend(bytes(hex_text));
        let decoded = decode(&input).unwrap_or_else(|e| panic!("{hex_text}: {e}"));
        assert_eq!(
            decoded.instructions,
            std::slice::from_ref(&instruction),
            "decoding {hex_text}"
        );
        let built = Changeset {
            instructions: vec![instruction],
            strings: table.clone(),
        };
        assert_eq!(
            hex::encode(encode(&built)),
            hex::encode(&input),
            "encoding {hex_text}"
        );
    }
}

#[test]
fn section_2_1_reference_varints_as_add_integer_values() {
    let cases: [(i64, &str); 20] = [
        (0, "00"),
        (1, "01"),
        (63, "3F"),
        (64, "C0 00"),
        (65, "C1 00"),
        (127, "FF 00"),
        (128, "80 01"),
        (300, "AC 02"),
        (8191, "FF 3F"),
        (8192, "80 C0 00"),
        (1_420_070_400_000, "80 E0 AA 96 AA 29"),
        (-1, "40"),
        (-2, "41"),
        (-6, "45"),
        (-64, "7F"),
        (-65, "C0 40"),
        (-100, "E3 40"),
        (-300, "AB 42"),
        (i64::MAX, "FF FF FF FF FF FF FF FF FF 00"),
        (i64::MIN, "FF FF FF FF FF FF FF FF FF 40"),
    ];
    let (table, prefix) = table_9_4();
    for (value, hex_text) in cases {
        let instruction = Instruction::AddInteger(AddInteger {
            location: person_at_7("address", Path::default()),
            value,
        });
        let mut expected = prefix.clone();
        expected.extend(bytes("05 00 01 07 06 00"));
        expected.extend(bytes(hex_text));
        let built = Changeset {
            instructions: vec![instruction],
            strings: table.clone(),
        };
        assert_eq!(encode(&built), expected, "{value}");
        assert_eq!(decode(&expected).expect("decodes"), built, "{value}");
    }
}
