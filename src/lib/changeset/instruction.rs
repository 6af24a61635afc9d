//! The instruction set: one enum over one struct per instruction.

use super::bytes::ByteString;
use super::path::{ElementPath, Location, LocationRef, PathElement, ValuePath};
use super::payload::{Payload, PrimaryKey};
use super::schema::{AddColumn, AddTable, CollectionType, EraseColumn, EraseTable};

/// One instruction of a changeset.
///
/// Each variant wraps its own struct so that merge rules can take exactly the
/// instruction types they handle (`fn rule(a: &mut ArrayInsert, b: &mut ArrayErase)`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Instruction {
    AddTable(AddTable),
    EraseTable(EraseTable),
    CreateObject(CreateObject),
    EraseObject(EraseObject),
    Update(Update),
    AddInteger(AddInteger),
    AddColumn(AddColumn),
    EraseColumn(EraseColumn),
    ArrayInsert(ArrayInsert),
    ArrayMove(ArrayMove),
    ArrayErase(ArrayErase),
    Clear(Clear),
    SetInsert(SetInsert),
    SetErase(SetErase),
}

/// CreateObject: create the object if absent (idempotent).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CreateObject {
    pub table: ByteString,
    pub object: PrimaryKey,
}

/// EraseObject: remove the object if present.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct EraseObject {
    pub table: ByteString,
    pub object: PrimaryKey,
}

/// Update: set a field, an embedded object's field, a dictionary entry or a list
/// element (realm-core's "ArrayUpdate").
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Update {
    pub target: UpdateTarget,
    pub value: Payload,
}

/// What an Update writes, which also decides its last wire field.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum UpdateTarget {
    /// A field, an embedded object's field or a dictionary entry (path empty or
    /// ending with a name). `is_default` marks a write that comes from a schema
    /// default and loses to any concurrent explicit write.
    Property {
        location: Location<ValuePath>,
        is_default: bool,
    },
    /// A list element (path ending with an index); `prior_size` is the list length
    /// before the write.
    ListElement {
        location: Location<ElementPath>,
        prior_size: u32,
    },
}

impl UpdateTarget {
    pub fn location(&self) -> LocationRef<'_> {
        match self {
            UpdateTarget::Property { location, .. } => location.view(),
            UpdateTarget::ListElement { location, .. } => location.view(),
        }
    }
}

/// AddInteger: add (wrapping) to an integer; no effect on null.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct AddInteger {
    pub location: Location,
    pub value: i64,
}

/// ArrayInsert: insert `value` at the path's final index.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ArrayInsert {
    pub location: Location<ElementPath>,
    pub value: Payload,
    /// List length before the insertion.
    pub prior_size: u32,
}

/// ArrayMove: move the element at the path's final index to position `ndx_2`
/// (a final position: erase, then insert there).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ArrayMove {
    pub location: Location<ElementPath>,
    pub ndx_2: u32,
    pub prior_size: u32,
}

/// ArrayErase: erase the element at the path's final index.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ArrayErase {
    pub location: Location<ElementPath>,
    pub prior_size: u32,
}

/// Clear: empty the list, set or dictionary the path addresses; on a Mixed slot it
/// also (re)types the slot to `collection_type`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Clear {
    pub location: Location,
    pub collection_type: CollectionType,
}

/// SetInsert: add `value` to a set (idempotent).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SetInsert {
    pub location: Location,
    pub value: Payload,
}

/// SetErase: remove `value` from a set (no effect if absent).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SetErase {
    pub location: Location,
    pub value: Payload,
}

/// The instruction kinds with their protocol-fixed wire tags and names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum InstructionType {
    AddTable,
    EraseTable,
    CreateObject,
    EraseObject,
    Update,
    AddInteger,
    AddColumn,
    EraseColumn,
    ArrayInsert,
    ArrayMove,
    ArrayErase,
    Clear,
    SetInsert,
    SetErase,
}

impl InstructionType {
    const ALL: [InstructionType; 14] = [
        InstructionType::AddTable,
        InstructionType::EraseTable,
        InstructionType::CreateObject,
        InstructionType::EraseObject,
        InstructionType::Update,
        InstructionType::AddInteger,
        InstructionType::AddColumn,
        InstructionType::EraseColumn,
        InstructionType::ArrayInsert,
        InstructionType::ArrayMove,
        InstructionType::ArrayErase,
        InstructionType::Clear,
        InstructionType::SetInsert,
        InstructionType::SetErase,
    ];

    /// The wire tag (0..=13); the merge rules also order instructions by it.
    pub fn tag(self) -> u8 {
        self as u8
    }

    pub fn from_tag(tag: u64) -> Option<InstructionType> {
        usize::try_from(tag)
            .ok()
            .and_then(|i| Self::ALL.get(i))
            .copied()
    }

    /// The name used by the spec, the text vectors and the JSON rendering.
    pub fn name(self) -> &'static str {
        match self {
            InstructionType::AddTable => "AddTable",
            InstructionType::EraseTable => "EraseTable",
            InstructionType::CreateObject => "CreateObject",
            InstructionType::EraseObject => "EraseObject",
            InstructionType::Update => "Update",
            InstructionType::AddInteger => "AddInteger",
            InstructionType::AddColumn => "AddColumn",
            InstructionType::EraseColumn => "EraseColumn",
            InstructionType::ArrayInsert => "ArrayInsert",
            InstructionType::ArrayMove => "ArrayMove",
            InstructionType::ArrayErase => "ArrayErase",
            InstructionType::Clear => "Clear",
            InstructionType::SetInsert => "SetInsert",
            InstructionType::SetErase => "SetErase",
        }
    }
}

impl Instruction {
    pub fn instruction_type(&self) -> InstructionType {
        match self {
            Instruction::AddTable(_) => InstructionType::AddTable,
            Instruction::EraseTable(_) => InstructionType::EraseTable,
            Instruction::CreateObject(_) => InstructionType::CreateObject,
            Instruction::EraseObject(_) => InstructionType::EraseObject,
            Instruction::Update(_) => InstructionType::Update,
            Instruction::AddInteger(_) => InstructionType::AddInteger,
            Instruction::AddColumn(_) => InstructionType::AddColumn,
            Instruction::EraseColumn(_) => InstructionType::EraseColumn,
            Instruction::ArrayInsert(_) => InstructionType::ArrayInsert,
            Instruction::ArrayMove(_) => InstructionType::ArrayMove,
            Instruction::ArrayErase(_) => InstructionType::ArrayErase,
            Instruction::Clear(_) => InstructionType::Clear,
            Instruction::SetInsert(_) => InstructionType::SetInsert,
            Instruction::SetErase(_) => InstructionType::SetErase,
        }
    }

    /// The class every instruction names.
    pub fn table(&self) -> &ByteString {
        match self {
            Instruction::AddTable(i) => &i.table,
            Instruction::EraseTable(i) => &i.table,
            Instruction::AddColumn(i) => &i.table,
            Instruction::EraseColumn(i) => &i.table,
            Instruction::CreateObject(i) => &i.table,
            Instruction::EraseObject(i) => &i.table,
            Instruction::Update(i) => i.target.location().table,
            Instruction::AddInteger(i) => &i.location.table,
            Instruction::ArrayInsert(i) => &i.location.table,
            Instruction::ArrayMove(i) => &i.location.table,
            Instruction::ArrayErase(i) => &i.location.table,
            Instruction::Clear(i) => &i.location.table,
            Instruction::SetInsert(i) => &i.location.table,
            Instruction::SetErase(i) => &i.location.table,
        }
    }

    /// The object of object and path instructions.
    pub fn object(&self) -> Option<&PrimaryKey> {
        match self {
            Instruction::CreateObject(i) => Some(&i.object),
            Instruction::EraseObject(i) => Some(&i.object),
            _ => self.location().map(|l| l.object),
        }
    }

    /// Object, field and full path of a path instruction (Update … SetErase).
    pub fn location(&self) -> Option<LocationRef<'_>> {
        Some(match self {
            Instruction::Update(i) => i.target.location(),
            Instruction::AddInteger(i) => i.location.view(),
            Instruction::ArrayInsert(i) => i.location.view(),
            Instruction::ArrayMove(i) => i.location.view(),
            Instruction::ArrayErase(i) => i.location.view(),
            Instruction::Clear(i) => i.location.view(),
            Instruction::SetInsert(i) => i.location.view(),
            Instruction::SetErase(i) => i.location.view(),
            _ => return None,
        })
    }

    /// realm-core's `Instruction::path_length`, which the merge engine uses to tell
    /// nested pairs from same-level pairs: 1 for table instructions, 2 for column
    /// and object instructions, 3 + path length for path instructions.
    pub fn ot_path_length(&self) -> usize {
        match self {
            Instruction::AddTable(_) | Instruction::EraseTable(_) => 1,
            Instruction::AddColumn(_)
            | Instruction::EraseColumn(_)
            | Instruction::CreateObject(_)
            | Instruction::EraseObject(_) => 2,
            _ => 3 + self.location().map_or(0, |l| l.path.len()),
        }
    }

    /// The path elements of a path instruction; empty for the others.
    pub fn path(&self) -> &[PathElement] {
        self.location().map_or(&[], |l| l.path)
    }
}

#[cfg(test)]
mod tests {
    use super::Instruction;

    /// The merge reads instructions by the thousand and its cost past the L2
    /// cache is their size (benches/README.md "Merge"): a new field or variant
    /// that grows every instruction should be a choice, not an accident.
    #[test]
    fn an_instruction_stays_at_most_112_bytes() {
        assert!(std::mem::size_of::<Instruction>() <= 112);
    }
}
