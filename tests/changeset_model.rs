//! The model's helpers the merge engine relies on: value equality, path shapes,
//! instruction accessors and the string table.

use ros::changeset::*;

fn dec(coefficient: u128, exponent: i32, negative: bool) -> Decimal128 {
    Decimal128::from_parts(coefficient, exponent, negative).expect("fits")
}

#[test]
fn decimals_compare_by_value_in_same_value_and_by_bits_in_eq() {
    assert!(
        dec(10, -1, false).same_value(dec(100, -2, false)),
        "1.0 = 1.00"
    );
    assert_ne!(dec(10, -1, false), dec(100, -2, false));
    assert!(dec(0, 5, false).same_value(dec(0, -3, true)), "0 = -0");
    assert!(!dec(1, 0, false).same_value(dec(2, 0, false)));
    assert!(!dec(1, 0, false).same_value(dec(1, 0, true)));
    assert!(
        !dec(1, 40, false).same_value(dec(1, 0, false)),
        "exponents far apart"
    );
    let nan = Decimal128::from_bits(0x7C00_0000_0000_0000 << 64);
    assert!(!nan.same_value(nan));
    let null = Decimal128::from_bits(0x7C00_0000_0000_0000 << 64 | 0xAA);
    assert!(
        null.same_value(null),
        "realm-core's null decimal equals itself"
    );
    let inf = Decimal128::from_bits(0x7800_0000_0000_0000 << 64);
    assert!(inf.same_value(inf));
    let largest = dec(10u128.pow(34) - 1, 0, false);
    assert!(largest.same_value(dec(10u128.pow(34) - 1, 0, false)));
    assert!(
        !largest.same_value(dec(0, 0, false)),
        "10^34 - 1 is canonical"
    );
    assert!(
        dec(10u128.pow(34), 0, false).same_value(dec(0, 0, false)),
        "non-canonical is 0"
    );
}

#[test]
fn payload_same_value_is_ieee_for_floats_while_eq_is_bitwise() {
    let (nan, zero, negative_zero) = (
        Payload::Double(f64::NAN),
        Payload::Double(0.0),
        Payload::Double(-0.0),
    );
    assert_eq!(nan, nan.clone());
    assert!(!nan.same_value(&nan));
    assert_ne!(zero, negative_zero);
    assert!(zero.same_value(&negative_zero));
    assert!(Payload::Float(1.5).same_value(&Payload::Float(1.5)));
    assert!(!Payload::Int(1).same_value(&Payload::String("1".into())));
    let link = |key| {
        Payload::Link(Box::new(Link {
            table: "T".into(),
            key,
        }))
    };
    assert!(link(PrimaryKey::Int(1)).same_value(&link(PrimaryKey::Int(1))));
    assert!(!link(PrimaryKey::Int(1)).same_value(&link(PrimaryKey::String("1".into()))));
    assert!(Payload::List.same_value(&Payload::List));
    assert!(!Payload::List.same_value(&Payload::Set));
}

#[test]
fn timestamps_only_exist_in_realms_range() {
    assert!(Timestamp::new(5, 999_999_999).is_some());
    assert!(Timestamp::new(-5, -999_999_999).is_some());
    assert!(Timestamp::new(0, -1).is_some());
    assert!(Timestamp::new(5, 1_000_000_000).is_none());
    assert!(Timestamp::new(-5, 1).is_none());
    assert!(Timestamp::new(5, -1).is_none());
}

#[test]
fn path_shapes_are_kept_by_their_types() {
    let key = |k: &str| PathElement::Key(k.into());
    let mut element = ElementPath::new(vec![key("a"), PathElement::Index(4)], 7);
    assert_eq!(element.index(), 7);
    assert_eq!(element.container(), [key("a"), PathElement::Index(4)]);
    element.set_index(9);
    *element.index_at_mut(1).expect("an index") += 1;
    assert!(
        element.index_at_mut(0).is_none(),
        "names cannot be rewritten"
    );
    assert_eq!(
        &*element,
        [key("a"), PathElement::Index(5), PathElement::Index(9)]
    );

    assert!(ElementPath::try_from(vec![key("a")]).is_err());
    assert!(ElementPath::try_from(vec![]).is_err());
    assert!(ValuePath::try_from(vec![PathElement::Index(0)]).is_err());
    assert_eq!(ValuePath::try_from(vec![]), Ok(ValuePath::field()));
    let value = ValuePath::key(vec![PathElement::Index(2)], "name".into());
    assert_eq!(
        ValuePath::try_from(vec![PathElement::Index(2), key("name")]),
        Ok(value)
    );
}

fn location<P>(path: P) -> Location<P> {
    Location {
        table: "Person".into(),
        object: PrimaryKey::Int(7),
        field: "dogs".into(),
        path,
    }
}

#[test]
fn instruction_accessors_and_ot_path_length() {
    let insert = Instruction::ArrayInsert(ArrayInsert {
        location: location(ElementPath::new(vec![PathElement::Index(1)], 2)),
        value: Payload::Null,
        prior_size: 3,
    });
    assert_eq!(insert.instruction_type(), InstructionType::ArrayInsert);
    assert_eq!(insert.instruction_type().tag(), 8);
    assert_eq!(insert.table(), "Person");
    assert_eq!(insert.object(), Some(&PrimaryKey::Int(7)));
    assert_eq!(
        insert.location().map(|l| l.field.clone()),
        Some("dogs".into())
    );
    assert_eq!(
        insert.path(),
        [PathElement::Index(1), PathElement::Index(2)]
    );
    assert_eq!(insert.ot_path_length(), 5);

    let erase_table = Instruction::EraseTable(EraseTable {
        table: "Dog".into(),
    });
    assert_eq!(
        (erase_table.ot_path_length(), erase_table.object()),
        (1, None)
    );
    let create = Instruction::CreateObject(CreateObject {
        table: "Dog".into(),
        object: PrimaryKey::Null,
    });
    assert_eq!(create.ot_path_length(), 2);
    assert!(create.location().is_none());
    assert_eq!(
        InstructionType::from_tag(13),
        Some(InstructionType::SetErase)
    );
    assert_eq!(InstructionType::from_tag(14), None);
}

#[test]
fn string_table_appends_and_completes_in_first_use_order() {
    let mut table: StringTable = ["b", "a"].into_iter().collect();
    assert_eq!(table.intern(&"a".into()), Some(1));
    assert_eq!(table.intern(&"c".into()), Some(2));
    assert_eq!(table.position(b"c"), Some(2));
    assert_eq!(table.get(0), Some(&ByteString::from("b")));

    let mut changeset = Changeset {
        instructions: vec![Instruction::EraseColumn(EraseColumn {
            table: "T".into(),
            field: "a".into(),
        })],
        strings: table,
    };
    changeset.complete_strings();
    let listed: Vec<&str> = changeset
        .strings
        .iter()
        .filter_map(ByteString::to_str)
        .collect();
    assert_eq!(listed, ["b", "a", "c", "T"]);
    let decoded = decode(&encode(&changeset)).expect("decodes");
    assert_eq!(decoded.strings, changeset.strings);
}
