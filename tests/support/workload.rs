//! Changesets a test client commits: one small schema (`Task` with an integer
//! primary key, a title, a counter and a list of integers) and random
//! transactions over it that are always valid on the writer's own state, so
//! conflicts come only from concurrency.

use ros::changeset::{
    AddColumn, AddInteger, AddTable, ArrayErase, ArrayInsert, ByteString, Changeset,
    CollectionType, ColumnType, CreateObject, ElementPath, EraseObject, Instruction, Location,
    Payload, PrimaryKey, PrimaryKeySpec, PrimaryKeyType, TableType, Update, UpdateTarget,
    ValuePath,
};
use ros::objects::{State, Value};

pub const TABLE: &str = "Task";

fn name(s: &str) -> ByteString {
    ByteString::from(s)
}

/// The schema every client commits first (concurrent identical schemas merge).
pub fn schema() -> Changeset {
    let column = |field: &str, column_type, nullable, collection_type| {
        Instruction::AddColumn(AddColumn {
            table: name(TABLE),
            field: name(field),
            column_type,
            nullable,
            collection_type,
        })
    };
    Changeset::new(vec![
        Instruction::AddTable(AddTable {
            table: name(TABLE),
            table_type: TableType::TopLevel {
                primary_key: PrimaryKeySpec {
                    field: name("_id"),
                    key_type: PrimaryKeyType::Int,
                    nullable: false,
                },
                asymmetric: false,
            },
        }),
        column("title", ColumnType::String, true, CollectionType::Single),
        column("count", ColumnType::Int, false, CollectionType::Single),
        column("tags", ColumnType::Int, false, CollectionType::List),
    ])
}

fn field(pk: i64, field: &str) -> Location<ValuePath> {
    Location {
        table: name(TABLE),
        object: PrimaryKey::Int(pk),
        field: name(field),
        path: ValuePath::field(),
    }
}

pub fn create(pk: i64) -> Instruction {
    Instruction::CreateObject(CreateObject {
        table: name(TABLE),
        object: PrimaryKey::Int(pk),
    })
}

pub fn set_title(pk: i64, title: &str) -> Instruction {
    Instruction::Update(Update {
        target: UpdateTarget::Property {
            location: field(pk, "title"),
            is_default: false,
        },
        value: Payload::String(name(title)),
    })
}

pub fn add(pk: i64, n: i64) -> Instruction {
    Instruction::AddInteger(AddInteger {
        location: Location {
            table: name(TABLE),
            object: PrimaryKey::Int(pk),
            field: name("count"),
            path: ros::changeset::Path(Vec::new()),
        },
        value: n,
    })
}

fn tag_at(pk: i64, index: u32) -> Location<ElementPath> {
    Location {
        table: name(TABLE),
        object: PrimaryKey::Int(pk),
        field: name("tags"),
        path: ElementPath::new(Vec::new(), index),
    }
}

pub fn insert_tag(pk: i64, index: u32, value: i64, prior_size: u32) -> Instruction {
    Instruction::ArrayInsert(ArrayInsert {
        location: tag_at(pk, index),
        value: Payload::Int(value),
        prior_size,
    })
}

pub fn erase_tag(pk: i64, index: u32, prior_size: u32) -> Instruction {
    Instruction::ArrayErase(ArrayErase {
        location: tag_at(pk, index),
        prior_size,
    })
}

/// Writer `n`'s `i`-th transaction in the live-load tests: a new object
/// (primary keys of different writers never meet) and an addition to it.
pub fn writer_transaction(n: u64, i: u64) -> Changeset {
    let pk = (n * 1_000_000 + i) as i64;
    Changeset::new(vec![create(pk), add(pk, 1)])
}

pub fn erase(pk: i64) -> Instruction {
    Instruction::EraseObject(EraseObject {
        table: name(TABLE),
        object: PrimaryKey::Int(pk),
    })
}

/// xorshift64*: seeded, so a failing run can be repeated.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn tags_len(state: &State, pk: i64) -> Option<u32> {
    let object = state.object(TABLE, &PrimaryKey::Int(pk))?;
    match object.fields.get(&name("tags")) {
        Some(Value::List(items)) => Some(items.len() as u32),
        _ => Some(0),
    }
}

/// A random transaction of 1–`max_ops` instructions, valid on `state` (the
/// writer's own state), over `keys` objects so writers collide often.
pub fn random_transaction(rng: &mut Rng, state: &State, keys: i64, max_ops: u64) -> Changeset {
    let mut scratch = state.clone();
    let mut out = Vec::new();
    for _ in 0..=rng.below(max_ops) {
        let pk = rng.below(keys as u64) as i64;
        let exists = scratch.object(TABLE, &PrimaryKey::Int(pk)).is_some();
        let instruction = if !exists {
            create(pk)
        } else {
            let len = tags_len(&scratch, pk).unwrap_or(0);
            match rng.below(6) {
                0 => set_title(pk, &format!("t{}", rng.below(1000))),
                1 => add(pk, rng.below(10) as i64 + 1),
                2 | 3 => insert_tag(
                    pk,
                    rng.below(u64::from(len) + 1) as u32,
                    rng.below(100) as i64,
                    len,
                ),
                4 if len > 0 => erase_tag(pk, rng.below(u64::from(len)) as u32, len),
                5 if rng.below(4) == 0 => erase(pk),
                _ => set_title(pk, &format!("u{}", rng.below(1000))),
            }
        };
        scratch
            .apply_instruction(&instruction)
            .expect("the generator makes valid instructions");
        out.push(instruction);
    }
    Changeset::new(out)
}
