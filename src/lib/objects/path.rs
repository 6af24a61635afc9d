//! Resolving a path instruction's location to the place it writes, the way
//! realm-core's `PathResolver` walks it: from the top-level object through
//! embedded objects (field names), list positions, dictionary keys and Mixed
//! nested collections (`docs/merge.md` §12).

use std::collections::BTreeMap;

use super::error::ApplyErrorKind as E;
use super::schema::{Class, Property};
use super::state::{top_level_class, State};
use super::value::{Object, ObjectKey, Value};
use crate::changeset::{ByteString, CollectionType, ColumnType, LocationRef, PathElement};

pub(crate) type Classes = BTreeMap<ByteString, Class>;

/// The type of the values a place holds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'s> {
    pub column_type: &'s ColumnType,
    pub nullable: bool,
}

static MIXED: ColumnType = ColumnType::Mixed;

impl<'s> Place<'s> {
    /// Elements of collections nested in a Mixed value are Mixed themselves.
    const MIXED: Place<'static> = Place {
        column_type: &MIXED,
        nullable: true,
    };

    /// The elements of a collection property.
    fn elements_of(property: &'s Property) -> Place<'s> {
        Place {
            column_type: &property.column_type,
            nullable: property.nullable || property.column_type == ColumnType::Mixed,
        }
    }

    /// A single-value property. Mixed and link properties always accept null in
    /// realm-core, whatever AddColumn said.
    pub(crate) fn of_property(property: &'s Property) -> Place<'s> {
        Place {
            column_type: &property.column_type,
            nullable: property.nullable
                || matches!(
                    property.column_type,
                    ColumnType::Mixed | ColumnType::Link { .. }
                ),
        }
    }

    pub(crate) fn is_mixed(&self) -> bool {
        *self.column_type == ColumnType::Mixed
    }

    /// The embedded class this place holds objects of, if it does.
    pub(crate) fn embedded_class<'c>(&self, classes: &'c Classes) -> Option<&'c Class> {
        match self.column_type {
            ColumnType::Link { target } => classes.get(target).filter(|c| c.is_embedded()),
            _ => None,
        }
    }
}

/// Where a path instruction acts.
pub(crate) enum Target<'a, 's> {
    /// A single-value property (also a Mixed property holding a collection).
    Property {
        slot: &'a mut Value,
        place: Place<'s>,
    },
    /// A list property addressed as a whole.
    List(&'a mut Vec<Value>),
    /// A dictionary property addressed as a whole.
    Dictionary(&'a mut BTreeMap<ByteString, Value>),
    /// A set property addressed as a whole.
    Set {
        items: &'a mut Vec<Value>,
        element: Place<'s>,
    },
    /// A position in a list (not checked against its length).
    ListIndex {
        items: &'a mut Vec<Value>,
        index: u32,
        element: Place<'s>,
    },
    /// A key in a dictionary (not necessarily present).
    DictionaryKey {
        map: &'a mut BTreeMap<ByteString, Value>,
        key: ByteString,
        element: Place<'s>,
    },
}

impl State {
    /// Resolves `location`; also hands out the classes, which the caller needs to
    /// check values while it holds the target.
    pub(crate) fn locate(
        &mut self,
        location: LocationRef<'_>,
    ) -> Result<(&Classes, Target<'_, '_>), E> {
        let classes = &self.classes;
        let class = top_level_class(classes, location.table, location.object)?;
        let object = self
            .objects
            .get_mut(location.table)
            .and_then(|objects| objects.get_mut(&ObjectKey(location.object.clone())))
            .ok_or_else(|| E::NoSuchObject {
                class: location.table.clone(),
                key: location.object.clone(),
            })?;
        let target = resolve_field(classes, class, object, location.field, location.path)?;
        Ok((classes, target))
    }
}

fn resolve_field<'a, 's>(
    classes: &'s Classes,
    class: &'s Class,
    object: &'a mut Object,
    field: &ByteString,
    path: &[PathElement],
) -> Result<Target<'a, 's>, E> {
    let Some(property) = class.properties.get(field) else {
        if class.primary_key().is_some_and(|pk| &pk.field == field) {
            return Err(E::PrimaryKeyProperty {
                field: field.clone(),
            });
        }
        return Err(E::InvalidPath("no such property"));
    };
    let slot = object
        .fields
        .get_mut(field)
        .ok_or(E::InvalidPath("property missing from object"))?;
    let Some((first, rest)) = path.split_first() else {
        return whole_property(slot, property);
    };
    match (property.collection_type, slot) {
        (CollectionType::List, Value::List(items)) => match first {
            PathElement::Index(i) => {
                resolve_list_element(classes, items, *i, Place::elements_of(property), rest)
            }
            PathElement::Key(_) => Err(E::InvalidPath("list index is not an integer")),
        },
        (CollectionType::Dictionary, Value::Dictionary(map)) => match first {
            PathElement::Key(k) => {
                resolve_dictionary_element(classes, map, k, Place::elements_of(property), rest)
            }
            PathElement::Index(_) => Err(E::InvalidPath("dictionary key is not a string")),
        },
        (CollectionType::Single, slot) => match &property.column_type {
            ColumnType::Mixed => resolve_in_mixed(classes, slot, first, rest),
            ColumnType::Link { .. } => {
                through_embedded(classes, Place::of_property(property), slot, first, rest)
            }
            _ => Err(E::InvalidPath("through a field of a plain type")),
        },
        _ => Err(E::InvalidPath("through a set")),
    }
}

fn whole_property<'a, 's>(
    slot: &'a mut Value,
    property: &'s Property,
) -> Result<Target<'a, 's>, E> {
    let mismatch = E::InvalidPath("collection property holds another kind of value");
    Ok(match (property.collection_type, slot) {
        (CollectionType::List, Value::List(items)) => Target::List(items),
        (CollectionType::Dictionary, Value::Dictionary(map)) => Target::Dictionary(map),
        (CollectionType::Set, Value::Set(items)) => Target::Set {
            items,
            element: Place::elements_of(property),
        },
        (CollectionType::Single, slot) => Target::Property {
            slot,
            place: Place::of_property(property),
        },
        _ => return Err(mismatch),
    })
}

/// Continues a path through the embedded object held in `slot`.
fn through_embedded<'a, 's>(
    classes: &'s Classes,
    place: Place<'s>,
    slot: &'a mut Value,
    next: &PathElement,
    rest: &[PathElement],
) -> Result<Target<'a, 's>, E> {
    let class = place
        .embedded_class(classes)
        .ok_or(E::InvalidPath("through a link to a top-level object"))?;
    let Value::Object(object) = slot else {
        return Err(E::InvalidPath("through a null embedded object"));
    };
    match next {
        PathElement::Key(field) => resolve_field(classes, class, object, field, rest),
        PathElement::Index(_) => Err(E::InvalidPath("embedded object field is not a name")),
    }
}

/// Continues a path into the collection a Mixed value holds.
fn resolve_in_mixed<'a, 's>(
    classes: &'s Classes,
    slot: &'a mut Value,
    next: &PathElement,
    rest: &[PathElement],
) -> Result<Target<'a, 's>, E> {
    match (slot, next) {
        (Value::List(items), PathElement::Index(i)) => {
            resolve_list_element(classes, items, *i, Place::MIXED, rest)
        }
        (Value::Dictionary(map), PathElement::Key(k)) => {
            resolve_dictionary_element(classes, map, k, Place::MIXED, rest)
        }
        (Value::List(_), PathElement::Key(_)) => {
            Err(E::InvalidPath("list index is not an integer"))
        }
        (Value::Dictionary(_), PathElement::Index(_)) => {
            Err(E::InvalidPath("dictionary key is not a string"))
        }
        _ => Err(E::InvalidPath("Mixed value is not a list or dictionary")),
    }
}

fn resolve_list_element<'a, 's>(
    classes: &'s Classes,
    items: &'a mut Vec<Value>,
    index: u32,
    element: Place<'s>,
    path: &[PathElement],
) -> Result<Target<'a, 's>, E> {
    let Some((next, rest)) = path.split_first() else {
        return Ok(Target::ListIndex {
            items,
            index,
            element,
        });
    };
    let size = items.len();
    let value = usize::try_from(index)
        .ok()
        .and_then(|i| items.get_mut(i))
        .ok_or(E::IndexOutOfRange { index, size })?;
    if element.is_mixed() {
        resolve_in_mixed(classes, value, next, rest)
    } else {
        through_embedded(classes, element, value, next, rest)
    }
}

fn resolve_dictionary_element<'a, 's>(
    classes: &'s Classes,
    map: &'a mut BTreeMap<ByteString, Value>,
    key: &ByteString,
    element: Place<'s>,
    path: &[PathElement],
) -> Result<Target<'a, 's>, E> {
    let Some((next, rest)) = path.split_first() else {
        return Ok(Target::DictionaryKey {
            map,
            key: key.clone(),
            element,
        });
    };
    let value = map.get_mut(key).ok_or_else(|| E::NoSuchKey(key.clone()))?;
    if let ColumnType::Link { .. } = element.column_type {
        through_embedded(classes, element, value, next, rest)
    } else {
        resolve_in_mixed(classes, value, next, rest)
    }
}
