//! What the bench's sessions write: one int-keyed table, and changesets that
//! create one object and update it.

use crate::changeset::{
    ByteString, Changeset, ColumnType, CreateObject, Instruction, Location, Payload, PrimaryKey,
    Update, UpdateTarget, ValuePath,
};

const TABLE: &str = "ProbeBench";

fn name(s: &str) -> ByteString {
    ByteString::from(s)
}

/// The table every writer creates first (creating it twice merges to one).
pub(super) fn schema() -> Changeset {
    Changeset::new(crate::client::probe::int_keyed_table(
        TABLE,
        &[
            ("value", ColumnType::Int, true),
            ("label", ColumnType::String, true),
        ],
    ))
}

/// One changeset of `k` instructions: create object `pk`, then updates of it.
pub(super) fn changeset(pk: i64, k: usize) -> Changeset {
    let mut out = vec![Instruction::CreateObject(CreateObject {
        table: name(TABLE),
        object: PrimaryKey::Int(pk),
    })];
    for i in 1..k {
        let (field, value) = if i % 2 == 1 {
            ("value", Payload::Int(i as i64))
        } else {
            ("label", Payload::String(name(&format!("v{i}"))))
        };
        out.push(Instruction::Update(Update {
            target: UpdateTarget::Property {
                location: Location {
                    table: name(TABLE),
                    object: PrimaryKey::Int(pk),
                    field: name(field),
                    path: ValuePath::field(),
                },
                is_default: false,
            },
            value,
        }));
    }
    Changeset::new(out)
}

/// A session's `k`-th changeset's primary key: unique over all sessions.
pub(super) fn primary_key(session: usize, k: usize) -> i64 {
    ((session as i64) << 32) | k as i64
}
