//! Short constructors for instructions, so tests read like the spec's cases.

#![allow(dead_code)]

use ros::changeset::{
    AddColumn, AddInteger, AddTable, ArrayErase, ArrayInsert, ArrayMove, ByteString, Changeset,
    Clear, CollectionType, ColumnType, CreateObject, EraseColumn, EraseObject, EraseTable,
    Instruction, Link, Location, Path, PathElement, Payload, PrimaryKey, PrimaryKeySpec,
    PrimaryKeyType, SetErase, SetInsert, TableType, Update, UpdateTarget,
};

pub fn s(text: &str) -> ByteString {
    ByteString::from(text)
}

pub fn int(v: i64) -> PrimaryKey {
    PrimaryKey::Int(v)
}

pub fn string(v: &str) -> Payload {
    Payload::String(s(v))
}

pub fn link(table: &str, key: i64) -> Payload {
    Payload::Link(Box::new(Link {
        table: s(table),
        key: int(key),
    }))
}

/// A location under construction: `at("Person", 1, "tags").index(2)`.
#[derive(Clone, Debug)]
pub struct At {
    table: ByteString,
    object: PrimaryKey,
    field: ByteString,
    path: Vec<PathElement>,
}

pub fn at(table: &str, key: i64, field: &str) -> At {
    at_key(table, int(key), field)
}

pub fn at_key(table: &str, object: PrimaryKey, field: &str) -> At {
    At {
        table: s(table),
        object,
        field: s(field),
        path: Vec::new(),
    }
}

impl At {
    pub fn index(mut self, i: u32) -> At {
        self.path.push(PathElement::Index(i));
        self
    }

    pub fn key(mut self, k: &str) -> At {
        self.path.push(PathElement::Key(s(k)));
        self
    }

    fn location<P>(self, path: P) -> Location<P> {
        Location {
            table: self.table,
            object: self.object,
            field: self.field,
            path,
        }
    }

    fn element(self) -> Location<ros::changeset::ElementPath> {
        let path = self.path.clone();
        self.location(path.try_into().expect("path ends with an index"))
    }

    fn value(self) -> Location<ros::changeset::ValuePath> {
        let path = self.path.clone();
        self.location(path.try_into().expect("path ends with a name"))
    }

    fn plain(self) -> Location {
        let path = Path(self.path.clone());
        self.location(path)
    }
}

pub fn set(at: At, value: Payload) -> Instruction {
    set_with(at, value, false)
}

pub fn set_default(at: At, value: Payload) -> Instruction {
    set_with(at, value, true)
}

fn set_with(at: At, value: Payload, is_default: bool) -> Instruction {
    Instruction::Update(Update {
        target: UpdateTarget::Property {
            location: at.value(),
            is_default,
        },
        value,
    })
}

/// Update of a list element.
pub fn set_element(at: At, value: Payload, prior_size: u32) -> Instruction {
    Instruction::Update(Update {
        target: UpdateTarget::ListElement {
            location: at.element(),
            prior_size,
        },
        value,
    })
}

pub fn add_int(at: At, value: i64) -> Instruction {
    Instruction::AddInteger(AddInteger {
        location: at.plain(),
        value,
    })
}

pub fn insert(at: At, value: Payload, prior_size: u32) -> Instruction {
    Instruction::ArrayInsert(ArrayInsert {
        location: at.element(),
        value,
        prior_size,
    })
}

pub fn move_to(at: At, to: u32, prior_size: u32) -> Instruction {
    Instruction::ArrayMove(ArrayMove {
        location: at.element(),
        ndx_2: to,
        prior_size,
    })
}

pub fn erase(at: At, prior_size: u32) -> Instruction {
    Instruction::ArrayErase(ArrayErase {
        location: at.element(),
        prior_size,
    })
}

pub fn clear(at: At, collection_type: CollectionType) -> Instruction {
    Instruction::Clear(Clear {
        location: at.plain(),
        collection_type,
    })
}

pub fn set_insert(at: At, value: Payload) -> Instruction {
    Instruction::SetInsert(SetInsert {
        location: at.plain(),
        value,
    })
}

pub fn set_erase(at: At, value: Payload) -> Instruction {
    Instruction::SetErase(SetErase {
        location: at.plain(),
        value,
    })
}

pub fn create(table: &str, key: i64) -> Instruction {
    create_key(table, int(key))
}

pub fn create_key(table: &str, object: PrimaryKey) -> Instruction {
    Instruction::CreateObject(CreateObject {
        table: s(table),
        object,
    })
}

pub fn erase_object(table: &str, key: i64) -> Instruction {
    Instruction::EraseObject(EraseObject {
        table: s(table),
        object: int(key),
    })
}

pub fn erase_object_key(table: &str, object: PrimaryKey) -> Instruction {
    Instruction::EraseObject(EraseObject {
        table: s(table),
        object,
    })
}

pub fn add_table(table: &str, key_type: PrimaryKeyType) -> Instruction {
    add_table_spec(table, "_id", key_type, false)
}

pub fn add_table_spec(
    table: &str,
    pk: &str,
    key_type: PrimaryKeyType,
    nullable: bool,
) -> Instruction {
    Instruction::AddTable(AddTable {
        table: s(table),
        table_type: TableType::TopLevel {
            primary_key: PrimaryKeySpec {
                field: s(pk),
                key_type,
                nullable,
            },
            asymmetric: false,
        },
    })
}

pub fn add_embedded(table: &str) -> Instruction {
    Instruction::AddTable(AddTable {
        table: s(table),
        table_type: TableType::Embedded,
    })
}

pub fn erase_table(table: &str) -> Instruction {
    Instruction::EraseTable(EraseTable { table: s(table) })
}

pub fn add_column(
    table: &str,
    field: &str,
    column_type: ColumnType,
    nullable: bool,
    collection_type: CollectionType,
) -> Instruction {
    Instruction::AddColumn(AddColumn {
        table: s(table),
        field: s(field),
        column_type,
        nullable,
        collection_type,
    })
}

pub fn link_column(
    table: &str,
    field: &str,
    target: &str,
    collection_type: CollectionType,
) -> Instruction {
    add_column(
        table,
        field,
        ColumnType::Link { target: s(target) },
        collection_type == CollectionType::Single,
        collection_type,
    )
}

pub fn erase_column(table: &str, field: &str) -> Instruction {
    Instruction::EraseColumn(EraseColumn {
        table: s(table),
        field: s(field),
    })
}

pub fn changeset(instructions: Vec<Instruction>) -> Changeset {
    Changeset::new(instructions)
}
