//! Classes and properties, and the four schema instructions.

use std::collections::BTreeMap;

use super::error::ApplyErrorKind as E;
use super::state::State;
use super::value::{zero_decimal, Object, Value};
use crate::changeset::{
    AddColumn, AddTable, ByteString, CollectionType, ColumnType, EraseColumn, EraseTable, ObjectId,
    PrimaryKeySpec, PrimaryKeyType, TableType, Timestamp, Uuid,
};

/// One class: what kind it is and its properties (the primary key is not among
/// them; it is described by the kind).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Class {
    pub kind: TableType,
    pub properties: BTreeMap<ByteString, Property>,
}

impl Class {
    /// The primary key of a top-level class with a user primary key.
    pub fn primary_key(&self) -> Option<&PrimaryKeySpec> {
        match &self.kind {
            TableType::TopLevel { primary_key, .. }
                if primary_key.key_type != PrimaryKeyType::GlobalKey =>
            {
                Some(primary_key)
            }
            _ => None,
        }
    }

    pub fn is_embedded(&self) -> bool {
        self.kind == TableType::Embedded
    }

    /// A new object of this class: every property at its default value.
    pub(crate) fn new_object(&self) -> Object {
        Object {
            fields: self
                .properties
                .iter()
                .map(|(name, p)| (name.clone(), p.default_value()))
                .collect(),
        }
    }
}

/// One property of a class, as AddColumn described it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Property {
    pub column_type: ColumnType,
    pub nullable: bool,
    pub collection_type: CollectionType,
}

impl Property {
    /// What realm-core stores in a property that was never written.
    fn default_value(&self) -> Value {
        match self.collection_type {
            CollectionType::List => return Value::List(Vec::new()),
            CollectionType::Set => return Value::Set(Vec::new()),
            CollectionType::Dictionary => return Value::Dictionary(BTreeMap::new()),
            CollectionType::Single => {}
        }
        if self.nullable {
            return Value::Null;
        }
        match &self.column_type {
            ColumnType::Mixed | ColumnType::Link { .. } => Value::Null,
            ColumnType::Int => Value::Int(0),
            ColumnType::Bool => Value::Bool(false),
            ColumnType::String => Value::String(ByteString::default()),
            ColumnType::Binary => Value::Binary(ByteString::default()),
            ColumnType::Timestamp => Value::Timestamp(Timestamp::default()),
            ColumnType::Float => Value::Float(0.0),
            ColumnType::Double => Value::Double(0.0),
            ColumnType::Decimal => Value::Decimal(zero_decimal()),
            ColumnType::ObjectId => Value::ObjectId(ObjectId::default()),
            ColumnType::Uuid => Value::Uuid(Uuid::default()),
        }
    }

    /// Whether AddColumn describes this property again (realm-core compares type,
    /// collection kind and link target, not nullability; `docs/merge.md` §12, Q4).
    fn matches(&self, other: &Property) -> bool {
        self.column_type == other.column_type && self.collection_type == other.collection_type
    }
}

impl State {
    /// AddTable: create the class, or accept an identical existing one.
    pub(crate) fn add_table(&mut self, i: &AddTable) -> Result<(), E> {
        if let Some(existing) = self.classes.get(&i.table) {
            return if existing.kind == i.table_type {
                Ok(())
            } else {
                Err(E::ClassMismatch(i.table.clone()))
            };
        }
        let class = Class {
            kind: i.table_type.clone(),
            properties: BTreeMap::new(),
        };
        if !class.is_embedded() {
            self.objects.insert(i.table.clone(), BTreeMap::new());
        }
        self.classes.insert(i.table.clone(), class);
        Ok(())
    }

    /// EraseTable: the class must exist, and no other class may still link to it
    /// (realm-core refuses to remove a link target).
    pub(crate) fn erase_table(&mut self, i: &EraseTable) -> Result<(), E> {
        if !self.classes.contains_key(&i.table) {
            return Err(E::NoSuchClass(i.table.clone()));
        }
        for (name, class) in &self.classes {
            if name == &i.table {
                continue;
            }
            for (field, p) in &class.properties {
                if matches!(&p.column_type, ColumnType::Link { target } if target == &i.table) {
                    return Err(E::ClassIsLinkTarget {
                        class: i.table.clone(),
                        from_class: name.clone(),
                        field: field.clone(),
                    });
                }
            }
        }
        self.classes.remove(&i.table);
        self.objects.remove(&i.table);
        Ok(())
    }

    /// AddColumn: add the property (with its default in every existing object),
    /// or accept a matching existing one.
    pub(crate) fn add_column(&mut self, i: &AddColumn) -> Result<(), E> {
        let property = Property {
            column_type: i.column_type.clone(),
            nullable: i.nullable,
            collection_type: i.collection_type,
        };
        let class = self
            .classes
            .get(&i.table)
            .ok_or_else(|| E::NoSuchClass(i.table.clone()))?;
        if let Some(pk) = class.primary_key().filter(|pk| pk.field == i.field) {
            let same = i.collection_type == CollectionType::Single
                && i.column_type.payload_type() == pk.key_type.payload_type();
            return if same {
                Ok(())
            } else {
                Err(E::PrimaryKeyProperty {
                    field: i.field.clone(),
                })
            };
        }
        if let Some(existing) = class.properties.get(&i.field) {
            return if existing.matches(&property) {
                Ok(())
            } else {
                Err(E::PropertyMismatch {
                    class: i.table.clone(),
                    field: i.field.clone(),
                })
            };
        }
        if let ColumnType::Link { target } = &i.column_type {
            self.check_link_property(&i.field, target, i.collection_type)?;
        }
        let default = property.default_value();
        if let Some(class) = self.classes.get_mut(&i.table) {
            class.properties.insert(i.field.clone(), property);
        }
        let field = i.field.clone();
        self.for_each_object_of(&i.table, &mut |object| {
            object.fields.insert(field.clone(), default.clone());
        });
        Ok(())
    }

    /// A link property needs an existing target class; an empty target is a typed
    /// link, which realm-core supports only as a single value or a list.
    fn check_link_property(
        &self,
        field: &ByteString,
        target: &ByteString,
        collection: CollectionType,
    ) -> Result<(), E> {
        if target.is_empty() {
            if matches!(collection, CollectionType::Set | CollectionType::Dictionary) {
                return Err(E::InvalidProperty {
                    field: field.clone(),
                    reason: "typed links exist only as single values and lists",
                });
            }
            return Ok(());
        }
        if !self.classes.contains_key(target) {
            return Err(E::BadLinkTarget(target.clone()));
        }
        Ok(())
    }

    /// EraseColumn: the property must exist; it disappears from every object.
    pub(crate) fn erase_column(&mut self, i: &EraseColumn) -> Result<(), E> {
        let class = self
            .classes
            .get_mut(&i.table)
            .ok_or_else(|| E::NoSuchClass(i.table.clone()))?;
        if class.properties.remove(&i.field).is_none() {
            return Err(E::NoSuchProperty {
                class: i.table.clone(),
                field: i.field.clone(),
            });
        }
        let field = i.field.clone();
        self.for_each_object_of(&i.table, &mut |object| {
            object.fields.remove(&field);
        });
        Ok(())
    }

    /// Calls `f` with every object of `class`: its top-level objects, or, for an
    /// embedded class, every embedded object of that class wherever it is held.
    fn for_each_object_of(&mut self, class: &ByteString, f: &mut dyn FnMut(&mut Object)) {
        if let Some(objects) = self.objects.get_mut(class) {
            objects.values_mut().for_each(&mut *f);
            return;
        }
        let classes = &self.classes;
        for (owner, objects) in self.objects.iter_mut() {
            for object in objects.values_mut() {
                visit_embedded(classes, owner, object, class, f);
            }
        }
    }
}

/// Walks the embedded objects held by `object` (of class `owner`), calling `f` on
/// those of class `wanted`.
fn visit_embedded(
    classes: &BTreeMap<ByteString, Class>,
    owner: &ByteString,
    object: &mut Object,
    wanted: &ByteString,
    f: &mut dyn FnMut(&mut Object),
) {
    let Some(class) = classes.get(owner) else {
        return;
    };
    for (field, value) in object.fields.iter_mut() {
        let Some(ColumnType::Link { target }) = class.properties.get(field).map(|p| &p.column_type)
        else {
            continue;
        };
        if !classes.get(target).is_some_and(Class::is_embedded) {
            continue;
        }
        let mut visit = |embedded: &mut Object| {
            if target == wanted {
                f(embedded);
            }
            visit_embedded(classes, target, embedded, wanted, f);
        };
        match value {
            Value::Object(o) => visit(o),
            Value::List(items) => items.iter_mut().for_each(|v| {
                if let Value::Object(o) = v {
                    visit(o)
                }
            }),
            Value::Dictionary(map) => map.values_mut().for_each(|v| {
                if let Value::Object(o) = v {
                    visit(o)
                }
            }),
            _ => {}
        }
    }
}
