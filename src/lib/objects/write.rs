//! Update and AddInteger, and turning payloads into stored values
//! (`docs/merge.md` §12; realm-core's `InstructionApplier`).

use std::collections::BTreeMap;

use super::error::{ApplyErrorKind as E, PayloadTypeName};
use super::path::{Classes, Place, Target};
use super::state::{top_level_class, State};
use super::value::Value;
use crate::changeset::{AddInteger, ColumnType, Payload, Update};

impl State {
    pub(crate) fn update(&mut self, i: &Update) -> Result<(), E> {
        let (classes, target) = self.locate(i.target.location())?;
        match target {
            Target::Property { slot, place } => update_property(classes, slot, place, &i.value),
            Target::ListIndex {
                items,
                index,
                element,
            } => {
                let size = items.len();
                let slot = usize::try_from(index)
                    .ok()
                    .and_then(|i| items.get_mut(i))
                    .ok_or(E::IndexOutOfRange { index, size })?;
                update_list_element(classes, slot, element, &i.value)
            }
            Target::DictionaryKey { map, key, element } => match &i.value {
                Payload::Erased => {
                    map.remove(&key);
                    Ok(())
                }
                value => {
                    let previous = map.get(&key);
                    let new = new_entry(classes, previous, element, value)?;
                    if let Some(new) = new {
                        map.insert(key, new);
                    }
                    Ok(())
                }
            },
            Target::List(_) | Target::Dictionary(_) | Target::Set { .. } => {
                Err(E::InvalidPath("Update of a whole collection"))
            }
        }
    }

    /// AddInteger: a wrapping add to an integer property; no effect on null.
    pub(crate) fn add_integer(&mut self, i: &AddInteger) -> Result<(), E> {
        let (_, target) = self.locate(i.location.view())?;
        let Target::Property { slot, .. } = target else {
            return Err(E::InvalidPath("AddInteger on a collection"));
        };
        match slot {
            Value::Null => Ok(()),
            Value::Int(v) => {
                *v = v.wrapping_add(i.value);
                Ok(())
            }
            _ => Err(E::NotAnInteger),
        }
    }
}

/// Update of a single-value property.
fn update_property(
    classes: &Classes,
    slot: &mut Value,
    place: Place<'_>,
    value: &Payload,
) -> Result<(), E> {
    match value {
        // Creating an embedded object is idempotent: only a null field gets one.
        Payload::ObjectValue => {
            let class = place
                .embedded_class(classes)
                .ok_or(E::PayloadNotAllowed(PayloadTypeName(value.payload_type())))?;
            if let Value::Null = slot {
                *slot = Value::Object(Box::new(class.new_object()));
            }
            Ok(())
        }
        Payload::Erased => Err(E::PayloadNotAllowed(PayloadTypeName(value.payload_type()))),
        _ => {
            if let Some(new) = new_entry(classes, Some(slot), place, value)? {
                *slot = new;
            }
            Ok(())
        }
    }
}

/// Update of a list element: like a property, except that ObjectValue is a no-op
/// (lists of embedded objects hold no nulls to fill).
fn update_list_element(
    classes: &Classes,
    slot: &mut Value,
    element: Place<'_>,
    value: &Payload,
) -> Result<(), E> {
    match value {
        Payload::ObjectValue => Ok(()),
        Payload::Erased => Err(E::PayloadNotAllowed(PayloadTypeName(value.payload_type()))),
        _ => {
            if let Some(new) = new_entry(classes, Some(slot), element, value)? {
                *slot = new;
            }
            Ok(())
        }
    }
}

/// The value to store where `previous` is, or `None` to leave it: collection
/// payloads create an empty collection in a Mixed place unless one of that kind
/// is already there (`docs/changesets.md` §4.1: they do not clear). ObjectValue
/// here (a dictionary entry) always stores a new embedded object, as realm-core's
/// `Dictionary::create_and_insert_linked_object` does.
pub(crate) fn new_entry(
    classes: &Classes,
    previous: Option<&Value>,
    place: Place<'_>,
    value: &Payload,
) -> Result<Option<Value>, E> {
    let not_allowed = || E::PayloadNotAllowed(PayloadTypeName(value.payload_type()));
    match value {
        Payload::List | Payload::Dictionary => {
            if !place.is_mixed() {
                return Err(not_allowed());
            }
            let already = match value {
                Payload::List => matches!(previous, Some(Value::List(_))),
                _ => matches!(previous, Some(Value::Dictionary(_))),
            };
            Ok((!already).then(|| empty_collection(value)))
        }
        Payload::Set if place.is_mixed() => Err(E::NestedSet),
        Payload::ObjectValue => {
            let class = place.embedded_class(classes).ok_or_else(not_allowed)?;
            Ok(Some(Value::Object(Box::new(class.new_object()))))
        }
        Payload::Set | Payload::Erased => Err(not_allowed()),
        _ => plain_value(classes, place, value).map(Some),
    }
}

fn empty_collection(kind: &Payload) -> Value {
    match kind {
        Payload::List => Value::List(Vec::new()),
        _ => Value::Dictionary(BTreeMap::new()),
    }
}

/// A value that is neither a collection nor an embedded object, checked against
/// the type of the place it goes to.
pub(crate) fn plain_value(
    classes: &Classes,
    place: Place<'_>,
    value: &Payload,
) -> Result<Value, E> {
    let stored = match value {
        Payload::Null => {
            return if place.nullable {
                Ok(Value::Null)
            } else {
                Err(E::NotNullable)
            }
        }
        Payload::Link(link) => {
            // The target class must exist, be top-level and have keys of this
            // kind; the object itself need not exist (an unresolved link).
            top_level_class(classes, &link.table, &link.key).map_err(|e| match e {
                E::KeyMismatch { .. } => e,
                _ => E::BadLinkTarget(link.table.clone()),
            })?;
            return match place.column_type {
                ColumnType::Mixed => Ok(Value::Link((**link).clone())),
                ColumnType::Link { target } if target.is_empty() || *target == link.table => {
                    Ok(Value::Link((**link).clone()))
                }
                ColumnType::Link { target } => Err(E::LinkTargetMismatch {
                    expected: target.clone(),
                    got: link.table.clone(),
                }),
                other => Err(E::TypeMismatch {
                    expected: other.payload_type().name(),
                    got: value.payload_type().name(),
                }),
            };
        }
        Payload::Int(v) => Value::Int(*v),
        Payload::Bool(v) => Value::Bool(*v),
        Payload::String(v) => Value::String(v.clone()),
        Payload::Binary(v) => Value::Binary(v.clone()),
        Payload::Timestamp(v) => Value::Timestamp(*v),
        Payload::Float(v) => Value::Float(*v),
        Payload::Double(v) => Value::Double(*v),
        Payload::Decimal(v) => Value::Decimal(*v),
        Payload::ObjectId(v) => Value::ObjectId(*v),
        Payload::Uuid(v) => Value::Uuid(*v),
        Payload::ObjectValue
        | Payload::Dictionary
        | Payload::List
        | Payload::Set
        | Payload::Erased => {
            return Err(E::PayloadNotAllowed(PayloadTypeName(value.payload_type())))
        }
    };
    if place.is_mixed() || place.column_type.payload_type() == value.payload_type() {
        Ok(stored)
    } else {
        Err(E::TypeMismatch {
            expected: place.column_type.payload_type().name(),
            got: value.payload_type().name(),
        })
    }
}
