//! The per-changeset interned-string table, and which strings an instruction interns.

use std::collections::hash_map::{Entry, HashMap};
use std::sync::Arc;

use super::bytes::ByteString;
use super::instruction::{Instruction, UpdateTarget};
use super::path::{Location, PathElement};
use super::payload::{Payload, PrimaryKey};
use super::schema::{ColumnType, TableType};

/// The ordered, duplicate-free list of interned strings of one changeset.
///
/// Instructions hold their strings by value, so the table does not give them
/// meaning; it fixes the *layout*: which index each string gets on the wire. The
/// decoder records the table it read, and the encoder writes it back in the same
/// order (followed by any strings added since), because realm-core's server keeps a
/// changeset's parsed table, unused entries included, and appends to it during a
/// merge; byte-identical history entries need the same.
///
/// Clones share one table until one of them interns a new string: every
/// changeset a merge passes through keeps its input's table, and a history of
/// thousands of small changesets must not copy a map per changeset.
#[derive(Clone, Default)]
pub struct StringTable(Arc<Table>);

#[derive(Clone, Default)]
struct Table {
    strings: Vec<ByteString>,
    positions: HashMap<ByteString, u32>,
}

impl StringTable {
    pub fn new() -> StringTable {
        StringTable::default()
    }

    pub fn len(&self) -> usize {
        self.0.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.strings.is_empty()
    }

    /// The string with wire index `index`.
    pub fn get(&self, index: u32) -> Option<&ByteString> {
        self.0.strings.get(usize::try_from(index).ok()?)
    }

    /// The wire index of `s`, if it is in the table.
    pub fn position(&self, s: &[u8]) -> Option<u32> {
        self.0.positions.get(s).copied()
    }

    /// The strings in index order.
    pub fn iter(&self) -> std::slice::Iter<'_, ByteString> {
        self.0.strings.iter()
    }

    /// The index of `s`, appending it if absent. `None` only if the table already
    /// holds `u32::MAX` strings, which no wire index could address.
    pub fn intern(&mut self, s: &ByteString) -> Option<u32> {
        match self.insert_new(s) {
            Ok(index) => Some(index),
            Err(Some(existing)) => Some(existing),
            Err(None) => None,
        }
    }

    /// Appends `s` and returns its index; `Err(Some(existing))` if it is already
    /// present, `Err(None)` if the table is full.
    pub(crate) fn insert_new(&mut self, s: &ByteString) -> Result<u32, Option<u32>> {
        // A shared table is copied only when `s` is really new to it.
        if Arc::get_mut(&mut self.0).is_none() {
            if let Some(existing) = self.position(s.as_bytes()) {
                return Err(Some(existing));
            }
        }
        let table = Arc::make_mut(&mut self.0);
        let index = u32::try_from(table.strings.len()).unwrap_or(u32::MAX);
        match table.positions.entry(s.clone()) {
            Entry::Occupied(existing) => Err(Some(*existing.get())),
            Entry::Vacant(_) if index == u32::MAX => Err(None),
            Entry::Vacant(slot) => {
                slot.insert(index);
                table.strings.push(s.clone());
                Ok(index)
            }
        }
    }
}

/// Two tables are equal when they list the same strings in the same order.
impl PartialEq for StringTable {
    fn eq(&self, other: &StringTable) -> bool {
        self.0.strings == other.0.strings
    }
}

impl Eq for StringTable {}

/// Lists the strings in index order (the lookup map is redundant).
impl std::fmt::Debug for StringTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.0.strings).finish()
    }
}

impl<S: Into<ByteString>> FromIterator<S> for StringTable {
    /// Builds a table from strings in index order; repeated strings keep their first index.
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> StringTable {
        let mut table = StringTable::new();
        for s in iter {
            table.intern(&s.into());
        }
        table
    }
}

/// Calls `f` with every interned string `instruction` references, in the order the
/// encoder writes them (duplicates included).
pub(crate) fn for_each_interned<'a>(
    instruction: &'a Instruction,
    f: &mut impl FnMut(&'a ByteString),
) {
    match instruction {
        Instruction::AddTable(i) => {
            f(&i.table);
            if let TableType::TopLevel { primary_key, .. } = &i.table_type {
                f(&primary_key.field);
            }
        }
        Instruction::EraseTable(i) => f(&i.table),
        Instruction::AddColumn(i) => {
            f(&i.table);
            f(&i.field);
            if let ColumnType::Link { target } = &i.column_type {
                f(target);
            }
        }
        Instruction::EraseColumn(i) => {
            f(&i.table);
            f(&i.field);
        }
        Instruction::CreateObject(i) => {
            f(&i.table);
            key_strings(&i.object, f);
        }
        Instruction::EraseObject(i) => {
            f(&i.table);
            key_strings(&i.object, f);
        }
        Instruction::Update(i) => {
            match &i.target {
                UpdateTarget::Property { location, .. } => location_strings(location, f),
                UpdateTarget::ListElement { location, .. } => location_strings(location, f),
            }
            payload_strings(&i.value, f);
        }
        Instruction::AddInteger(i) => location_strings(&i.location, f),
        Instruction::ArrayInsert(i) => {
            location_strings(&i.location, f);
            payload_strings(&i.value, f);
        }
        Instruction::ArrayMove(i) => location_strings(&i.location, f),
        Instruction::ArrayErase(i) => location_strings(&i.location, f),
        Instruction::Clear(i) => location_strings(&i.location, f),
        Instruction::SetInsert(i) => {
            location_strings(&i.location, f);
            payload_strings(&i.value, f);
        }
        Instruction::SetErase(i) => {
            location_strings(&i.location, f);
            payload_strings(&i.value, f);
        }
    }
}

fn location_strings<'a, P>(location: &'a Location<P>, f: &mut impl FnMut(&'a ByteString))
where
    P: std::ops::Deref<Target = [PathElement]>,
{
    f(&location.table);
    key_strings(&location.object, f);
    f(&location.field);
    for element in location.path.iter() {
        if let PathElement::Key(key) = element {
            f(key);
        }
    }
}

fn key_strings<'a>(key: &'a PrimaryKey, f: &mut impl FnMut(&'a ByteString)) {
    if let PrimaryKey::String(s) = key {
        f(s);
    }
}

fn payload_strings<'a>(payload: &'a Payload, f: &mut impl FnMut(&'a ByteString)) {
    if let Payload::Link(link) = payload {
        f(&link.table);
        key_strings(&link.key, f);
    }
}
