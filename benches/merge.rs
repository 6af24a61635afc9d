//! Merge cost at the shapes of realm-core's own merge benchmark
//! (`test/benchmark-sync/bench_transform.cpp`), against a plain clone of the
//! same changesets measured in the same run.
//!
//! Run with `cargo bench --bench merge`. Shapes, for N = 1k … 16k:
//! * `one transaction`: each of two peers has one changeset of N instructions
//!   (after the class and property it creates): objects created and written,
//!   a quarter of the instructions erase an object
//!   (`transform_instructions`);
//! * `N transactions`: each peer has N one-instruction changesets of the same
//!   mix (`transform_transactions`);
//! * `same list` (ours, up to 4k): both peers insert N times at the front of the
//!   same list, so every pair meets a real rule (P14): the quadratic worst case.
//!
//! One peer's changesets are the local side, the other's the incoming side, as
//! when a client integrates the other's upload.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ros::changeset::{
    AddColumn, AddTable, ArrayInsert, ByteString, Changeset, CollectionType, ColumnType,
    CreateObject, ElementPath, EraseObject, GlobalKey, Instruction, Location, Payload, PrimaryKey,
    PrimaryKeySpec, PrimaryKeyType, TableType, Update, UpdateTarget, ValuePath,
};
use ros::merge::{merge, Discriminant, MergeInput, MergeOptions};

/// Each measurement repeats until at least this long has passed.
const MEASURE: Duration = Duration::from_millis(600);
/// Rounds per measurement; the table reports the median.
const ROUNDS: usize = 5;

fn name(s: &str) -> ByteString {
    ByteString::from(s)
}

fn schema() -> Vec<Instruction> {
    vec![
        Instruction::AddTable(AddTable {
            table: name("t"),
            table_type: TableType::TopLevel {
                primary_key: PrimaryKeySpec {
                    field: name(""),
                    key_type: PrimaryKeyType::GlobalKey,
                    nullable: false,
                },
                asymmetric: false,
            },
        }),
        Instruction::AddColumn(AddColumn {
            table: name("t"),
            field: name("i"),
            column_type: ColumnType::Int,
            nullable: false,
            collection_type: CollectionType::Single,
        }),
    ]
}

/// The instruction mix of realm-core's benchmark for peer `peer`: create an
/// object, set its field, and every fourth instruction erase the oldest one.
fn workload(peer: u64, n: usize) -> Vec<Instruction> {
    let key = |lo: usize| {
        PrimaryKey::GlobalKey(GlobalKey {
            hi: peer,
            lo: lo as u64,
        })
    };
    let mut out = Vec::with_capacity(n);
    let (mut created, mut erased) = (0, 0);
    for j in 0..n {
        let instruction = if j % 4 == 3 && erased < created {
            erased += 1;
            Instruction::EraseObject(EraseObject {
                table: name("t"),
                object: key(erased - 1),
            })
        } else if j % 2 == 0 || created == erased {
            created += 1;
            Instruction::CreateObject(CreateObject {
                table: name("t"),
                object: key(created - 1),
            })
        } else {
            Instruction::Update(Update {
                target: UpdateTarget::Property {
                    location: Location {
                        table: name("t"),
                        object: key(created - 1),
                        field: name("i"),
                        path: ValuePath::field(),
                    },
                    is_default: false,
                },
                value: Payload::Int(123),
            })
        };
        out.push(instruction);
    }
    out
}

fn one_transaction(peer: u64, n: usize) -> Vec<Changeset> {
    let mut all = schema();
    all.extend(workload(peer, n));
    vec![Changeset::new(all)]
}

fn transactions(peer: u64, n: usize) -> Vec<Changeset> {
    std::iter::once(Changeset::new(schema()))
        .chain(
            workload(peer, n)
                .into_iter()
                .map(|i| Changeset::new(vec![i])),
        )
        .collect()
}

/// N insertions at the front of one shared list, one per changeset.
fn same_list(n: usize) -> Vec<Changeset> {
    (0..n)
        .map(|j| {
            Changeset::new(vec![Instruction::ArrayInsert(ArrayInsert {
                location: Location {
                    table: name("t"),
                    object: PrimaryKey::Int(1),
                    field: name("list"),
                    path: ElementPath::new(Vec::new(), 0),
                },
                value: Payload::Int(j as i64),
                prior_size: j as u32,
            })])
        })
        .collect()
}

/// Median seconds per call of `f` over `ROUNDS` rounds.
fn time(mut f: impl FnMut()) -> f64 {
    let mut rounds = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let mut calls = 0u32;
        while calls == 0 || start.elapsed() < MEASURE {
            f();
            calls += 1;
        }
        rounds.push(start.elapsed().as_secs_f64() / f64::from(calls));
    }
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

fn inputs(changesets: &[Changeset], timestamp: u64, file_ident: u64) -> Vec<MergeInput<'_>> {
    changesets
        .iter()
        .map(|changeset| MergeInput {
            changeset,
            discriminant: Discriminant::new(timestamp, file_ident),
        })
        .collect()
}

fn row(shape: &str, n: usize, local: &[Changeset], incoming: &[Changeset]) {
    let options = MergeOptions::default();
    let (l, i) = (inputs(local, 100, 2), inputs(incoming, 200, 3));
    let baseline = time(|| {
        black_box((local.to_vec(), incoming.to_vec()));
    });
    let merged = time(|| {
        black_box(merge(&l, &i, &options).expect("merges"));
    });
    let instructions: usize = local
        .iter()
        .chain(incoming)
        .map(|c| c.instructions.len())
        .sum();
    println!(
        "| {shape} | {n} | {:.3} | {:.3} | {:.1}× | {:.0} |",
        baseline * 1e3,
        merged * 1e3,
        merged / baseline,
        merged * 1e9 / instructions as f64
    );
}

fn main() {
    println!("| shape | N | clone (ms) | merge (ms) | merge / clone | merge ns per instruction |");
    println!("|---|---|---|---|---|---|");
    for n in [1000, 2000, 4000, 8000, 16000] {
        row(
            "one transaction",
            n,
            &one_transaction(2, n),
            &one_transaction(3, n),
        );
    }
    for n in [1000, 2000, 4000, 8000, 16000] {
        row(
            "N transactions",
            n,
            &transactions(2, n),
            &transactions(3, n),
        );
    }
    for n in [1000, 2000, 4000] {
        row("same list", n, &same_list(n), &same_list(n));
    }
}
