//! The conflict index skips only no-op pairs: on random changesets (valid or
//! not), the indexed driver gives exactly what the full double loop of `docs/merge.md` §3.1 gives,
//! results and errors alike.

use crate::changeset::{
    AddColumn, AddTable, ArrayErase, ArrayInsert, ArrayMove, ByteString, Changeset, Clear,
    CollectionType, ColumnType, CreateObject, ElementPath, EraseColumn, EraseObject, EraseTable,
    Instruction, Location, Path, PathElement, Payload, PrimaryKey, PrimaryKeySpec, PrimaryKeyType,
    SetInsert, TableType, Update, UpdateTarget, ValuePath,
};

use super::discriminant::Discriminant;
use super::driver::{merge_with, MergeInput, Scan};
use super::rules::{inert, merge_pair, Side};
use super::MergeOptions;

/// xorshift64*: deterministic, good enough to spread instruction shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u32 {
        u32::try_from(self.next() % n).unwrap_or(0)
    }
}

fn name(rng: &mut Rng, names: &[&str]) -> ByteString {
    let i = rng.below(names.len() as u64) as usize;
    ByteString::from(names.get(i).copied().unwrap_or("x"))
}

fn instruction(rng: &mut Rng) -> Instruction {
    let table = name(rng, &["A", "B"]);
    let object = PrimaryKey::Int(i64::from(rng.below(3)));
    let field = name(rng, &["f", "g"]);
    let container: Vec<PathElement> = match rng.below(3) {
        0 => vec![],
        1 => vec![PathElement::Index(rng.below(3))],
        _ => vec![
            PathElement::Index(rng.below(3)),
            PathElement::Key(name(rng, &["k", "m"])),
        ],
    };
    let element = |rng: &mut Rng| ElementPath::new(container.clone(), rng.below(4));
    let at = (table.clone(), object.clone(), field.clone());
    let prior = rng.below(5);
    match rng.below(12) {
        0 => Instruction::EraseTable(EraseTable { table }),
        1 => Instruction::AddColumn(AddColumn {
            table,
            field,
            column_type: ColumnType::Link {
                target: name(rng, &["A", "B"]),
            },
            nullable: true,
            collection_type: CollectionType::Single,
        }),
        2 => Instruction::EraseColumn(EraseColumn { table, field }),
        3 => Instruction::CreateObject(CreateObject { table, object }),
        4 => Instruction::EraseObject(EraseObject { table, object }),
        5 => Instruction::Update(Update {
            target: UpdateTarget::ListElement {
                location: loc(&at, element(rng)),
                prior_size: prior,
            },
            value: Payload::Int(1),
        }),
        6 => Instruction::Update(Update {
            target: UpdateTarget::Property {
                location: loc(&at, ValuePath::field()),
                is_default: rng.below(2) == 0,
            },
            value: Payload::Int(i64::from(rng.below(3))),
        }),
        7 => Instruction::ArrayInsert(ArrayInsert {
            location: loc(&at, element(rng)),
            value: Payload::Null,
            prior_size: prior,
        }),
        8 => Instruction::ArrayMove(ArrayMove {
            location: loc(&at, element(rng)),
            ndx_2: rng.below(4),
            prior_size: prior,
        }),
        9 => Instruction::ArrayErase(ArrayErase {
            location: loc(&at, element(rng)),
            prior_size: prior,
        }),
        10 => Instruction::Clear(Clear {
            location: loc(&at, Path(container.clone())),
            collection_type: CollectionType::List,
        }),
        _ => Instruction::SetInsert(SetInsert {
            location: loc(&at, Path(container.clone())),
            value: Payload::Int(i64::from(rng.below(2))),
        }),
    }
}

fn loc<P>(at: &(ByteString, PrimaryKey, ByteString), path: P) -> Location<P> {
    Location {
        table: at.0.clone(),
        object: at.1.clone(),
        field: at.2.clone(),
        path,
    }
}

fn changesets(rng: &mut Rng, count: u32) -> Vec<Changeset> {
    (0..count)
        .map(|_| Changeset::new((0..1 + rng.below(5)).map(|_| instruction(rng)).collect()))
        .collect()
}

fn inputs(cs: &[Changeset], round: u64, ident: u64) -> Vec<MergeInput<'_>> {
    cs.iter()
        .map(|c| MergeInput {
            changeset: c,
            discriminant: Discriminant::new(round % 7, ident),
        })
        .collect()
}

#[test]
fn indexed_scan_equals_the_full_double_loop() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut merged = 0;
    for round in 0..3000u64 {
        let (nl, ni) = (1 + rng.below(3), 1 + rng.below(3));
        let local = changesets(&mut rng, nl);
        let incoming = changesets(&mut rng, ni);
        let (l, i) = (inputs(&local, round, 2), inputs(&incoming, round, 3));
        for corrected in [false, true] {
            let options = MergeOptions {
                corrected_nested_move: corrected,
                corrected_erase_column: corrected,
            };
            let full = merge_with(&l, &i, &options, Scan::Full);
            let indexed = merge_with(&l, &i, &options, Scan::Indexed);
            assert_eq!(full, indexed, "round {round}");
            merged += usize::from(full.is_ok());
        }
    }
    // Both outcomes must be exercised for the comparison to mean something.
    assert!(merged > 1000 && merged < 6000, "{merged} of 6000 merged");
}

/// Indices and sizes at the ends of `u32` merge without panicking: they wrap
/// like realm-core's `uint32_t`, or fail a check.
#[test]
fn extreme_indices_never_panic() {
    let extremes = [0, 1, u32::MAX - 1, u32::MAX];
    let at = (
        ByteString::from("A"),
        PrimaryKey::Int(0),
        ByteString::from("f"),
    );
    let mut shapes = Vec::new();
    for &i in &extremes {
        for &p in &extremes {
            let element = |index| ElementPath::new(vec![PathElement::Index(i)], index);
            shapes.push(Instruction::ArrayInsert(ArrayInsert {
                location: loc(&at, ElementPath::new(Vec::new(), i)),
                value: Payload::Null,
                prior_size: p,
            }));
            shapes.push(Instruction::ArrayMove(ArrayMove {
                location: loc(&at, ElementPath::new(Vec::new(), i)),
                ndx_2: p,
                prior_size: p,
            }));
            shapes.push(Instruction::ArrayErase(ArrayErase {
                location: loc(&at, element(p)),
                prior_size: p,
            }));
            shapes.push(Instruction::Update(Update {
                target: UpdateTarget::ListElement {
                    location: loc(&at, element(i)),
                    prior_size: p,
                },
                value: Payload::Int(i64::MAX),
            }));
        }
    }
    let changesets: Vec<Changeset> = shapes
        .into_iter()
        .map(|i| Changeset::new(vec![i]))
        .collect();
    let mut outcomes = (0, 0);
    for a in &changesets {
        for b in &changesets {
            for corrected in [false, true] {
                let options = MergeOptions {
                    corrected_nested_move: corrected,
                    corrected_erase_column: corrected,
                };
                let result = merge_with(
                    &inputs(std::slice::from_ref(a), 1, 2),
                    &inputs(std::slice::from_ref(b), 2, 3),
                    &options,
                    Scan::Indexed,
                );
                match result {
                    Ok(_) => outcomes.0 += 1,
                    Err(_) => outcomes.1 += 1,
                }
            }
        }
    }
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "{outcomes:?}");
}

/// `instruction`, or now and then an AddTable (which it never makes).
fn any_instruction(rng: &mut Rng) -> Instruction {
    if rng.below(8) > 0 {
        return instruction(rng);
    }
    Instruction::AddTable(AddTable {
        table: name(rng, &["A", "B"]),
        table_type: TableType::TopLevel {
            primary_key: PrimaryKeySpec {
                field: name(rng, &["id", "_id"]),
                key_type: PrimaryKeyType::Int,
                nullable: false,
            },
            asymmetric: false,
        },
    })
}

/// The pairs the driver passes over by their types alone (`rules::inert`) are
/// pairs `merge_pair` leaves exactly as they are, in both roles and with both
/// option sets: no rewrite, no discard, no prepend, no error.
#[test]
fn pairs_skipped_by_type_are_untouched_by_merge_pair() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut skipped, mut merged) = (0, 0);
    for _ in 0..20_000 {
        let (a, b) = (any_instruction(&mut rng), any_instruction(&mut rng));
        for corrected in [false, true] {
            let options = MergeOptions {
                corrected_nested_move: corrected,
                corrected_erase_column: corrected,
            };
            if !inert(&a, &b, &options) {
                merged += 1;
                continue;
            }
            skipped += 1;
            let (mut x, mut y) = (a.clone(), b.clone());
            let mut major = Side {
                instruction: &mut x,
                discriminant: Discriminant::new(1, 2),
                discarded: false,
            };
            let mut minor = Side {
                instruction: &mut y,
                discriminant: Discriminant::new(2, 3),
                discarded: false,
            };
            let result = merge_pair(&mut major, &mut minor, &options);
            let discarded = (major.discarded, minor.discarded);
            assert!(matches!(result, Ok(None)), "{a:?} × {b:?}");
            assert_eq!(discarded, (false, false), "{a:?} × {b:?}");
            assert_eq!((&x, &y), (&a, &b));
        }
    }
    assert!(
        skipped > 5000 && merged > 5000,
        "{skipped} skipped, {merged} merged"
    );
}
