//! Merge cost on decoded changesets, at the shapes of realm-core's own merge
//! benchmark (`test/benchmark-sync/bench_transform.cpp`), against a plain clone
//! of the same changesets measured in the same run.
//!
//! Every input is built in memory, encoded, and decoded again with
//! `changeset::decode`, so it carries the string table a changeset off the wire
//! carries. Run with `cargo bench --bench merge`. Shapes, for N = 1k … 16k:
//! * `one transaction`: each of two peers has one changeset of N instructions
//!   (after the class and property it creates): objects created and written,
//!   a quarter of the instructions erase an object;
//! * `N transactions`: each peer has N one-instruction changesets of the same
//!   mix;
//! * `rc instructions`: realm-core's `transform_instructions` mix: one changeset
//!   in which every step creates an object and sets an Int field, and every
//!   fourth step also erases the oldest object;
//! * `rc transactions`: realm-core's `transform_transactions` mix: a schema
//!   changeset, then N − 1 changesets that create an object and set a
//!   500-character String field, every fourth also erasing the oldest object;
//! * `same list` (ours, up to 4k): both peers insert N times at the front of the
//!   same list, so every pair meets a real rule (P14): the quadratic worst case.
//!
//! One peer's changesets are the local side, the other's the incoming side, as
//! when a client integrates the other's upload.
//!
//! While iterating: `BENCH_MERGE_SHAPES=one,many,rc-one,rc-many,list` picks
//! shapes, `BENCH_MERGE_N=1000,16000` sizes, and `BENCH_MERGE_ONCE=k` runs each
//! merge k times without timing (for `valgrind --tool=callgrind` or `perf`; the
//! difference between k = 3 and k = 1, halved, is one merge with the caches as
//! the timed loop finds them).

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

use ros::changeset::{
    decode, encode, AddColumn, AddTable, ArrayInsert, ByteString, Changeset, CollectionType,
    ColumnType, CreateObject, ElementPath, EraseObject, GlobalKey, Instruction, Location, Payload,
    PrimaryKey, PrimaryKeySpec, PrimaryKeyType, TableType, Update, UpdateTarget, ValuePath,
};
use ros::merge::{merge, Discriminant, MergeInput, MergeOptions};

/// Each measurement repeats until at least this long has passed.
const MEASURE: Duration = Duration::from_millis(600);
/// Rounds per measurement; the table reports the median.
const ROUNDS: usize = 5;
const SIZES: [usize; 5] = [1000, 2000, 4000, 8000, 16000];

fn name(s: &str) -> ByteString {
    ByteString::from(s)
}

fn schema(field: &str, column_type: ColumnType) -> Vec<Instruction> {
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
            field: name(field),
            column_type,
            nullable: false,
            collection_type: CollectionType::Single,
        }),
    ]
}

fn key(peer: u64, lo: usize) -> PrimaryKey {
    PrimaryKey::GlobalKey(GlobalKey {
        hi: peer,
        lo: lo as u64,
    })
}

fn create(peer: u64, lo: usize) -> Instruction {
    Instruction::CreateObject(CreateObject {
        table: name("t"),
        object: key(peer, lo),
    })
}

fn erase(peer: u64, lo: usize) -> Instruction {
    Instruction::EraseObject(EraseObject {
        table: name("t"),
        object: key(peer, lo),
    })
}

fn set(peer: u64, lo: usize, field: &str, value: Payload) -> Instruction {
    Instruction::Update(Update {
        target: UpdateTarget::Property {
            location: Location {
                table: name("t"),
                object: key(peer, lo),
                field: name(field),
                path: ValuePath::field(),
            },
            is_default: false,
        },
        value,
    })
}

/// The instruction mix of our first benchmark for peer `peer`: create an
/// object, set its field, and every fourth instruction erase the oldest one.
fn workload(peer: u64, n: usize) -> Vec<Instruction> {
    let mut out = Vec::with_capacity(n);
    let (mut created, mut erased) = (0, 0);
    for j in 0..n {
        let instruction = if j % 4 == 3 && erased < created {
            erased += 1;
            erase(peer, erased - 1)
        } else if j % 2 == 0 || created == erased {
            created += 1;
            create(peer, created - 1)
        } else {
            set(peer, created - 1, "i", Payload::Int(123))
        };
        out.push(instruction);
    }
    out
}

/// realm-core's steps: each creates an object and sets its field, and every
/// fourth also erases the oldest object still there (`t->begin()`).
fn rc_steps(peer: u64, steps: usize, field: &str, value: Payload) -> Vec<Vec<Instruction>> {
    let mut live = VecDeque::new();
    (0..steps)
        .map(|j| {
            live.push_back(j);
            let mut out = vec![create(peer, j), set(peer, j, field, value.clone())];
            if j % 4 == 0 {
                if let Some(oldest) = live.pop_front() {
                    out.push(erase(peer, oldest));
                }
            }
            out
        })
        .collect()
}

fn one_transaction(peer: u64, n: usize) -> Vec<Changeset> {
    let mut all = schema("i", ColumnType::Int);
    all.extend(workload(peer, n));
    vec![Changeset::new(all)]
}

fn transactions(peer: u64, n: usize) -> Vec<Changeset> {
    std::iter::once(Changeset::new(schema("i", ColumnType::Int)))
        .chain(
            workload(peer, n)
                .into_iter()
                .map(|i| Changeset::new(vec![i])),
        )
        .collect()
}

fn rc_instructions(peer: u64, n: usize) -> Vec<Changeset> {
    let mut all = schema("i", ColumnType::Int);
    all.extend(
        rc_steps(peer, n, "i", Payload::Int(123))
            .into_iter()
            .flatten(),
    );
    vec![Changeset::new(all)]
}

fn rc_transactions(peer: u64, n: usize) -> Vec<Changeset> {
    let text = Payload::String(ByteString::from("x".repeat(500)));
    std::iter::once(Changeset::new(schema("s", ColumnType::String)))
        .chain(
            rc_steps(peer, n.saturating_sub(1), "s", text)
                .into_iter()
                .map(Changeset::new),
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

/// What a changeset looks like when it arrives: encoded, then decoded.
fn off_the_wire(changesets: Vec<Changeset>) -> Vec<Changeset> {
    changesets
        .iter()
        .map(|c| decode(&encode(c)).expect("a changeset we encoded decodes"))
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

struct Shape {
    key: &'static str,
    title: &'static str,
    sizes: &'static [usize],
    build: fn(u64, usize) -> Vec<Changeset>,
}

const SHAPES: [Shape; 5] = [
    Shape {
        key: "one",
        title: "one transaction",
        sizes: &SIZES,
        build: one_transaction,
    },
    Shape {
        key: "many",
        title: "N transactions",
        sizes: &SIZES,
        build: transactions,
    },
    Shape {
        key: "rc-one",
        title: "rc instructions",
        sizes: &SIZES,
        build: rc_instructions,
    },
    Shape {
        key: "rc-many",
        title: "rc transactions",
        sizes: &SIZES,
        build: rc_transactions,
    },
    Shape {
        key: "list",
        title: "same list",
        sizes: &[1000, 2000, 4000],
        build: |_, n| same_list(n),
    },
];

/// A comma-separated list from the environment, if set.
fn chosen(var: &str) -> Option<Vec<String>> {
    let value = std::env::var(var).ok()?;
    Some(value.split(',').map(|s| s.trim().to_owned()).collect())
}

fn main() {
    // The allocator settings `ros serve` runs with (benches/README.md, "Merge").
    ros::server::keep_freed_memory();
    let shapes = chosen("BENCH_MERGE_SHAPES");
    let sizes = chosen("BENCH_MERGE_N");
    let once = std::env::var("BENCH_MERGE_ONCE")
        .ok()
        .map(|k| k.parse::<usize>().unwrap_or(1));
    let options = MergeOptions::default();
    println!("| shape | N | instructions | clone (ms) | merge (ms) | merge / clone | merge ns per instruction | per instruction ÷ first N |");
    println!("|---|---|---|---|---|---|---|---|");
    for shape in &SHAPES {
        if shapes
            .as_ref()
            .is_some_and(|s| !s.iter().any(|k| k == shape.key))
        {
            continue;
        }
        let mut first = None;
        for &n in shape.sizes {
            if sizes
                .as_ref()
                .is_some_and(|s| !s.iter().any(|k| *k == n.to_string()))
            {
                continue;
            }
            let local = off_the_wire((shape.build)(2, n));
            let incoming = off_the_wire((shape.build)(3, n));
            let (l, i) = (inputs(&local, 100, 2), inputs(&incoming, 200, 3));
            let instructions: usize = local
                .iter()
                .chain(&incoming)
                .map(|c| c.instructions.len())
                .sum();
            if let Some(k) = once {
                for _ in 0..k {
                    black_box(merge(&l, &i, &options).expect("merges"));
                }
                println!(
                    "| {} | {n} | {instructions} | merged {k} times |",
                    shape.title
                );
                continue;
            }
            let baseline = time(|| {
                black_box((local.to_vec(), incoming.to_vec()));
            });
            let merged = time(|| {
                black_box(merge(&l, &i, &options).expect("merges"));
            });
            let per_instruction = merged * 1e9 / instructions as f64;
            let growth = per_instruction / *first.get_or_insert(per_instruction);
            println!(
                "| {} | {n} | {instructions} | {:.3} | {:.3} | {:.1}× | {:.0} | {:.2}× |",
                shape.title,
                baseline * 1e3,
                merged * 1e3,
                merged / baseline,
                per_instruction,
                growth,
            );
        }
    }
}
