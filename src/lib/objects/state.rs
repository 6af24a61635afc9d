//! The state as a whole, and applying instructions to it.

use std::collections::BTreeMap;

use super::error::{ApplyError, ApplyErrorKind as E};
use super::path::Classes;
use super::schema::Class;
use super::value::{Object, ObjectKey};
use crate::changeset::{
    ByteString, Changeset, CreateObject, EraseObject, Instruction, PrimaryKey, PrimaryKeyType,
    TableType,
};

/// The objects of one Realm: its classes, and the objects of each top-level class
/// by primary key. Embedded objects live inside the fields that hold them.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct State {
    pub(crate) classes: BTreeMap<ByteString, Class>,
    /// One entry per top-level class (also when it has no objects).
    pub(crate) objects: BTreeMap<ByteString, BTreeMap<ObjectKey, Object>>,
}

/// Applies `changeset` to a copy of `state`: the state after the changeset, or the
/// first instruction that does not fit. `state` itself is never changed, so a
/// caller can reject a changeset without undoing anything.
pub fn apply(state: &State, changeset: &Changeset) -> Result<State, ApplyError> {
    let mut next = state.clone();
    next.apply(changeset)?;
    Ok(next)
}

impl State {
    /// The empty state of a new Realm.
    pub fn new() -> State {
        State::default()
    }

    /// Applies every instruction in order. On error the instructions before the
    /// failing one stay applied; use [`apply`] where the whole changeset must be
    /// accepted or rejected.
    pub fn apply(&mut self, changeset: &Changeset) -> Result<(), ApplyError> {
        for (index, instruction) in changeset.instructions.iter().enumerate() {
            self.apply_instruction(instruction)
                .map_err(|kind| ApplyError {
                    index,
                    instruction: instruction.instruction_type(),
                    kind,
                })?;
        }
        Ok(())
    }

    /// Applies one instruction (`docs/merge.md` §12).
    pub fn apply_instruction(&mut self, instruction: &Instruction) -> Result<(), E> {
        match instruction {
            Instruction::AddTable(i) => self.add_table(i),
            Instruction::EraseTable(i) => self.erase_table(i),
            Instruction::AddColumn(i) => self.add_column(i),
            Instruction::EraseColumn(i) => self.erase_column(i),
            Instruction::CreateObject(i) => self.create_object(i),
            Instruction::EraseObject(i) => self.erase_object(i),
            Instruction::Update(i) => self.update(i),
            Instruction::AddInteger(i) => self.add_integer(i),
            Instruction::ArrayInsert(i) => self.array_insert(i),
            Instruction::ArrayMove(i) => self.array_move(i),
            Instruction::ArrayErase(i) => self.array_erase(i),
            Instruction::Clear(i) => self.clear(i),
            Instruction::SetInsert(i) => self.set_insert(i),
            Instruction::SetErase(i) => self.set_erase(i),
        }
    }

    /// The classes by name.
    pub fn classes(&self) -> &BTreeMap<ByteString, Class> {
        &self.classes
    }

    /// The objects of a top-level class, sorted by key.
    pub fn objects(&self, class: &str) -> Option<&BTreeMap<ObjectKey, Object>> {
        self.objects.get(class.as_bytes())
    }

    /// The object `key` of class `class`, if it exists (tombstones do not).
    pub fn object(&self, class: &str, key: &PrimaryKey) -> Option<&Object> {
        self.objects
            .get(class.as_bytes())?
            .get(&ObjectKey(key.clone()))
    }

    /// CreateObject: idempotent; the key must have the kind of the class's
    /// primary key.
    fn create_object(&mut self, i: &CreateObject) -> Result<(), E> {
        let class = top_level_class(&self.classes, &i.table, &i.object)?;
        let new = class.new_object();
        if let Some(objects) = self.objects.get_mut(&i.table) {
            objects.entry(ObjectKey(i.object.clone())).or_insert(new);
        }
        Ok(())
    }

    /// EraseObject: idempotent. The object becomes a tombstone: links to it stay
    /// where they are, unresolved (see [`super::Value`]).
    fn erase_object(&mut self, i: &EraseObject) -> Result<(), E> {
        top_level_class(&self.classes, &i.table, &i.object)?;
        if let Some(objects) = self.objects.get_mut(&i.table) {
            objects.remove(&ObjectKey(i.object.clone()));
        }
        Ok(())
    }
}

/// The class `table`, checked to be a top-level class whose objects can have
/// `key` (realm-core's `get_object_key` checks).
pub(crate) fn top_level_class<'c>(
    classes: &'c Classes,
    table: &ByteString,
    key: &PrimaryKey,
) -> Result<&'c Class, E> {
    let class = classes
        .get(table)
        .ok_or_else(|| E::NoSuchClass(table.clone()))?;
    let TableType::TopLevel { primary_key, .. } = &class.kind else {
        return Err(E::EmbeddedClass(table.clone()));
    };
    let fits = match key {
        PrimaryKey::Null => {
            primary_key.nullable && primary_key.key_type != PrimaryKeyType::GlobalKey
        }
        _ => key.payload_type() == primary_key.key_type.payload_type(),
    };
    if fits {
        Ok(class)
    } else {
        Err(E::KeyMismatch {
            class: table.clone(),
            key: key.clone(),
        })
    }
}
