//! Property tests: generated changesets covering every instruction, payload type,
//! primary key kind and path shape survive encode/decode in both layouts.

use proptest::collection::vec;
use proptest::prelude::*;
use ros::changeset::*;

/// Names: a small shared pool (so strings repeat across instructions, as in real
/// changesets), plus arbitrary UTF-8 and non-UTF-8 bytes.
fn name() -> impl Strategy<Value = ByteString> {
    prop_oneof![
        4 => prop::sample::select(vec!["Person", "Dog", "_id", "name", "", "tags", "k"])
            .prop_map(ByteString::from),
        1 => "\\PC{0,12}".prop_map(ByteString::from),
        1 => vec(any::<u8>(), 0..8).prop_map(ByteString::from),
    ]
}

/// Class names fit Realm's 57-byte limit.
fn class() -> impl Strategy<Value = ByteString> {
    prop_oneof![
        4 => prop::sample::select(vec!["Person", "Dog", "Item", "A"]).prop_map(ByteString::from),
        1 => vec(any::<u8>(), 0..=57).prop_map(ByteString::from),
    ]
}

fn primary_key() -> impl Strategy<Value = PrimaryKey> {
    prop_oneof![
        Just(PrimaryKey::Null),
        any::<i64>().prop_map(PrimaryKey::Int),
        name().prop_map(PrimaryKey::String),
        (any::<u64>(), any::<u64>())
            .prop_map(|(hi, lo)| PrimaryKey::GlobalKey(GlobalKey { hi, lo })),
        any::<[u8; 12]>().prop_map(|b| PrimaryKey::ObjectId(ObjectId(b))),
        any::<[u8; 16]>().prop_map(|b| PrimaryKey::Uuid(Uuid(b))),
    ]
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (any::<i64>(), 0..Timestamp::NANOS_PER_SECOND).prop_map(|(s, ns)| {
        let ns = if s < 0 { -ns } else { ns };
        Timestamp::new(s, ns).expect("same sign, in range")
    })
}

fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        Just(Payload::Null),
        any::<i64>().prop_map(Payload::Int),
        any::<bool>().prop_map(Payload::Bool),
        name().prop_map(Payload::String),
        vec(any::<u8>(), 0..16).prop_map(|b| Payload::Binary(b.into())),
        timestamp().prop_map(Payload::Timestamp),
        any::<u32>().prop_map(|b| Payload::Float(f32::from_bits(b))),
        any::<u64>().prop_map(|b| Payload::Double(f64::from_bits(b))),
        any::<u128>().prop_map(|b| Payload::Decimal(Decimal128::from_bits(b))),
        (class(), primary_key())
            .prop_map(|(table, key)| Payload::Link(Box::new(Link { table, key }))),
        any::<[u8; 12]>().prop_map(|b| Payload::ObjectId(ObjectId(b))),
        any::<[u8; 16]>().prop_map(|b| Payload::Uuid(Uuid(b))),
        Just(Payload::ObjectValue),
        Just(Payload::Dictionary),
        Just(Payload::List),
        Just(Payload::Set),
        Just(Payload::Erased),
    ]
}

fn element() -> impl Strategy<Value = PathElement> {
    prop_oneof![
        any::<u32>().prop_map(PathElement::Index),
        name().prop_map(PathElement::Key),
    ]
}

fn any_path() -> impl Strategy<Value = Vec<PathElement>> {
    vec(element(), 0..5)
}

fn location<P: std::fmt::Debug>(
    path: impl Strategy<Value = P>,
) -> impl Strategy<Value = Location<P>> {
    (class(), primary_key(), name(), path).prop_map(|(table, object, field, path)| Location {
        table,
        object,
        field,
        path,
    })
}

fn element_path() -> impl Strategy<Value = ElementPath> {
    (any_path(), any::<u32>()).prop_map(|(c, i)| ElementPath::new(c, i))
}

fn value_path() -> impl Strategy<Value = ValuePath> {
    prop_oneof![
        Just(ValuePath::field()),
        (any_path(), name()).prop_map(|(c, k)| ValuePath::key(c, k)),
    ]
}

fn collection_type() -> impl Strategy<Value = CollectionType> {
    prop::sample::select(vec![
        CollectionType::Single,
        CollectionType::List,
        CollectionType::Dictionary,
        CollectionType::Set,
    ])
}

fn column_type() -> impl Strategy<Value = ColumnType> {
    use ColumnType as C;
    let plain = vec![
        C::Mixed,
        C::Int,
        C::Bool,
        C::String,
        C::Binary,
        C::Timestamp,
        C::Float,
        C::Double,
        C::Decimal,
        C::ObjectId,
        C::Uuid,
    ];
    prop_oneof![
        prop::sample::select(plain),
        class().prop_map(|target| C::Link { target }),
    ]
}

fn table_type() -> impl Strategy<Value = TableType> {
    let key_type = prop::sample::select(vec![
        PrimaryKeyType::Int,
        PrimaryKeyType::String,
        PrimaryKeyType::ObjectId,
        PrimaryKeyType::Uuid,
        PrimaryKeyType::GlobalKey,
    ]);
    prop_oneof![
        Just(TableType::Embedded),
        (name(), key_type, any::<bool>(), any::<bool>()).prop_map(
            |(field, key_type, nullable, asymmetric)| TableType::TopLevel {
                primary_key: PrimaryKeySpec {
                    field,
                    key_type,
                    nullable
                },
                asymmetric,
            }
        ),
    ]
}

fn instruction() -> impl Strategy<Value = Instruction> {
    use Instruction as I;
    let update = prop_oneof![
        (location(value_path()), any::<bool>()).prop_map(|(location, is_default)| {
            UpdateTarget::Property {
                location,
                is_default,
            }
        }),
        (location(element_path()), any::<u32>()).prop_map(|(location, prior_size)| {
            UpdateTarget::ListElement {
                location,
                prior_size,
            }
        }),
    ];
    prop_oneof![
        (class(), table_type())
            .prop_map(|(table, table_type)| I::AddTable(AddTable { table, table_type })),
        class().prop_map(|table| I::EraseTable(EraseTable { table })),
        (class(), primary_key())
            .prop_map(|(table, object)| I::CreateObject(CreateObject { table, object })),
        (class(), primary_key())
            .prop_map(|(table, object)| I::EraseObject(EraseObject { table, object })),
        (update, payload()).prop_map(|(target, value)| I::Update(Update { target, value })),
        (location(any_path().prop_map(Path)), any::<i64>())
            .prop_map(|(location, value)| I::AddInteger(AddInteger { location, value })),
        (
            class(),
            name(),
            column_type(),
            any::<bool>(),
            collection_type()
        )
            .prop_map(|(table, field, column_type, nullable, collection_type)| {
                I::AddColumn(AddColumn {
                    table,
                    field,
                    column_type,
                    nullable,
                    collection_type,
                })
            }),
        (class(), name()).prop_map(|(table, field)| I::EraseColumn(EraseColumn { table, field })),
        (location(element_path()), payload(), any::<u32>()).prop_map(
            |(location, value, prior_size)| {
                I::ArrayInsert(ArrayInsert {
                    location,
                    value,
                    prior_size,
                })
            }
        ),
        (location(element_path()), any::<u32>(), any::<u32>()).prop_map(
            |(location, ndx_2, prior_size)| {
                I::ArrayMove(ArrayMove {
                    location,
                    ndx_2,
                    prior_size,
                })
            }
        ),
        (location(element_path()), any::<u32>()).prop_map(|(location, prior_size)| I::ArrayErase(
            ArrayErase {
                location,
                prior_size
            }
        )),
        (location(any_path().prop_map(Path)), collection_type()).prop_map(
            |(location, collection_type)| I::Clear(Clear {
                location,
                collection_type
            })
        ),
        (location(any_path().prop_map(Path)), payload())
            .prop_map(|(location, value)| I::SetInsert(SetInsert { location, value })),
        (location(any_path().prop_map(Path)), payload())
            .prop_map(|(location, value)| I::SetErase(SetErase { location, value })),
    ]
}

/// A changeset with a layout table: some of its strings, in any order, plus
/// strings nothing references (as clients and merges leave them).
fn changeset() -> impl Strategy<Value = Changeset> {
    (vec(instruction(), 0..24), vec(name(), 0..6)).prop_map(|(instructions, extra)| {
        let strings: StringTable = extra.into_iter().collect();
        Changeset {
            instructions,
            strings,
        }
    })
}

/// What `encode` turns the table into: the given table, then the missing strings.
fn completed(changeset: &Changeset) -> StringTable {
    let mut c = changeset.clone();
    c.complete_strings();
    c.strings
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn table_first_round_trip(c in changeset()) {
        let bytes = encode(&c);
        let decoded = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&decoded, &c);
        if c.instructions.is_empty() {
            prop_assert!(bytes.is_empty());
        } else {
            prop_assert_eq!(&decoded.strings, &completed(&c));
        }
        prop_assert_eq!(encode(&decoded), bytes);
    }

    #[test]
    fn lazy_round_trip(c in changeset()) {
        let bytes = encode_with_layout(&c, Layout::Lazy);
        let decoded = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&decoded, &c);
        if !c.instructions.is_empty() {
            prop_assert_eq!(&decoded.strings, &completed(&c));
            // Same records, other order: the layouts have the same length.
            prop_assert_eq!(bytes.len(), encode(&c).len());
        }
    }

    #[test]
    fn renderings_cover_every_instruction(c in changeset()) {
        let text = render::to_text(&c);
        prop_assert_eq!(text.lines().count(), c.instructions.len());
        let json = render::to_json(&c);
        let listed = json["instructions"].as_array().map(Vec::len);
        prop_assert_eq!(listed, Some(c.instructions.len()));
        for (value, instruction) in json["instructions"].as_array().into_iter().flatten().zip(&c.instructions) {
            prop_assert_eq!(value["instruction"].as_str(), Some(instruction.instruction_type().name()));
        }
    }

    #[test]
    fn every_prefix_decodes_or_fails_inside_it(c in changeset()) {
        let bytes = encode(&c);
        for cut in 0..bytes.len() {
            if let Err(e) = decode(&bytes[..cut]) {
                prop_assert!(e.offset <= cut, "{} beyond {}", e, cut);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_that_decode_round_trip(input in vec(any::<u8>(), 0..64)) {
        if let Ok(decoded) = decode(&input) {
            let again = decode(&encode(&decoded)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(again, decoded);
        }
    }
}

#[test]
fn generated_changesets_cover_every_instruction_and_payload_type() {
    // Guards the strategies above: a generator that silently stopped producing an
    // instruction or payload kind would weaken every property.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashSet;
    let mut runner = TestRunner::deterministic();
    let mut kinds = HashSet::new();
    let mut payloads = HashSet::new();
    for _ in 0..2000 {
        let i = instruction()
            .new_tree(&mut runner)
            .expect("strategy")
            .current();
        kinds.insert(i.instruction_type());
        let value = match &i {
            Instruction::Update(u) => Some(&u.value),
            Instruction::ArrayInsert(a) => Some(&a.value),
            Instruction::SetInsert(s) => Some(&s.value),
            Instruction::SetErase(s) => Some(&s.value),
            _ => None,
        };
        payloads.extend(value.map(Payload::payload_type));
    }
    assert_eq!(kinds.len(), 14);
    assert_eq!(payloads.len(), 17, "every payload type but GlobalKey");
}
