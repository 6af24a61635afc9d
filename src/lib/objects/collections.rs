//! List, set and Clear instructions (`docs/merge.md` §12).
//!
//! List positions and sizes count every element, unresolved links included, so
//! they agree with what the merge rules computed.

use std::collections::BTreeMap;

use super::error::{collection_name, ApplyErrorKind as E, PayloadTypeName};
use super::path::{Place, Target};
use super::state::State;
use super::value::Value;
use super::write::{new_entry, plain_value};
use crate::changeset::{
    ArrayErase, ArrayInsert, ArrayMove, Clear, CollectionType, Payload, SetErase, SetInsert,
};

impl State {
    /// ArrayInsert: `index ≤ prior_size`, `index ≤ size`, `prior_size == size`.
    pub(crate) fn array_insert(&mut self, i: &ArrayInsert) -> Result<(), E> {
        let (classes, target) = self.locate(i.location.view())?;
        let (items, index, element) = list_index(target)?;
        let size = items.len();
        if i.prior_size as usize != size {
            return Err(E::PriorSizeMismatch {
                prior_size: i.prior_size,
                size,
            });
        }
        let position = index as usize;
        if index > i.prior_size || position > size {
            return Err(E::IndexOutOfRange { index, size });
        }
        let value = match &i.value {
            Payload::Erased => {
                return Err(E::PayloadNotAllowed(PayloadTypeName(
                    i.value.payload_type(),
                )))
            }
            value => new_entry(classes, None, element, value)?,
        };
        // `new_entry` only declines to create when something is already there.
        let value = value.ok_or(E::InvalidPath("nothing to insert"))?;
        items.insert(position, value);
        Ok(())
    }

    /// ArrayMove: `from` and `to` inside the list and different,
    /// `prior_size == size`. `to` is the final position of the element.
    pub(crate) fn array_move(&mut self, i: &ArrayMove) -> Result<(), E> {
        let (_, target) = self.locate(i.location.view())?;
        let (items, from, _) = list_index(target)?;
        let size = items.len();
        for index in [from, i.ndx_2] {
            if index as usize >= size {
                return Err(E::IndexOutOfRange { index, size });
            }
        }
        if from == i.ndx_2 {
            return Err(E::MoveToSamePosition(from));
        }
        if i.prior_size as usize != size {
            return Err(E::PriorSizeMismatch {
                prior_size: i.prior_size,
                size,
            });
        }
        let moved = items.remove(from as usize);
        items.insert(i.ndx_2 as usize, moved);
        Ok(())
    }

    /// ArrayErase: `index < prior_size`, `index < size`, `prior_size == size`.
    pub(crate) fn array_erase(&mut self, i: &ArrayErase) -> Result<(), E> {
        let (_, target) = self.locate(i.location.view())?;
        let (items, index, _) = list_index(target)?;
        let size = items.len();
        if index >= i.prior_size || index as usize >= size {
            return Err(E::IndexOutOfRange { index, size });
        }
        if i.prior_size as usize != size {
            return Err(E::PriorSizeMismatch {
                prior_size: i.prior_size,
                size,
            });
        }
        items.remove(index as usize);
        Ok(())
    }

    /// Clear: empties a collection property; on a Mixed place (a property, or a
    /// list element or dictionary entry holding a collection) it also makes the
    /// place an empty collection of the instruction's type. Collection type
    /// Single (older clients) means "whatever collection is there" and is only
    /// accepted for collection properties.
    pub(crate) fn clear(&mut self, i: &Clear) -> Result<(), E> {
        let (_, target) = self.locate(i.location.view())?;
        let requested = i.collection_type;
        let check = |found: CollectionType| {
            if requested == CollectionType::Single || requested == found {
                Ok(())
            } else {
                Err(E::ClearMismatch {
                    requested: collection_name(requested),
                    found: collection_name(found),
                })
            }
        };
        match target {
            Target::List(items) => {
                check(CollectionType::List)?;
                items.clear();
            }
            Target::Set { items, .. } => {
                check(CollectionType::Set)?;
                items.clear();
            }
            Target::Dictionary(map) => {
                check(CollectionType::Dictionary)?;
                map.clear();
            }
            Target::Property { slot, place } => {
                *slot = cleared_mixed(place, requested)?;
            }
            Target::ListIndex {
                items,
                index,
                element,
            } => {
                let size = items.len();
                let slot = items
                    .get_mut(index as usize)
                    .ok_or(E::IndexOutOfRange { index, size })?;
                *slot = cleared_mixed(element, requested)?;
            }
            Target::DictionaryKey { map, key, element } => {
                let slot = map.get_mut(&key).ok_or(E::NoSuchKey(key))?;
                *slot = cleared_mixed(element, requested)?;
            }
        }
        Ok(())
    }

    /// SetInsert: adds the value unless it is present. Sets hold plain values
    /// only (no embedded objects, no nested collections).
    pub(crate) fn set_insert(&mut self, i: &SetInsert) -> Result<(), E> {
        let (classes, target) = self.locate(i.location.view())?;
        let (items, element) = set(target)?;
        let value = plain_value(classes, element, &i.value)?;
        if let Err(position) = items.binary_search_by(|v| v.canonical_cmp(&value)) {
            items.insert(position, value);
        }
        Ok(())
    }

    /// SetErase: removes the value if it is present.
    pub(crate) fn set_erase(&mut self, i: &SetErase) -> Result<(), E> {
        let (classes, target) = self.locate(i.location.view())?;
        let (items, element) = set(target)?;
        let value = plain_value(classes, element, &i.value)?;
        if let Ok(position) = items.binary_search_by(|v| v.canonical_cmp(&value)) {
            items.remove(position);
        }
        Ok(())
    }
}

/// The empty collection a Clear leaves in a Mixed place.
fn cleared_mixed(place: Place<'_>, requested: CollectionType) -> Result<Value, E> {
    if !place.is_mixed() {
        return Err(E::InvalidPath("Clear of a value that is not a collection"));
    }
    match requested {
        CollectionType::List => Ok(Value::List(Vec::new())),
        CollectionType::Dictionary => Ok(Value::Dictionary(BTreeMap::new())),
        CollectionType::Set => Err(E::NestedSet),
        CollectionType::Single => Err(E::ClearWithoutType),
    }
}

type ListIndex<'a, 's> = (&'a mut Vec<Value>, u32, Place<'s>);

fn list_index<'a, 's>(target: Target<'a, 's>) -> Result<ListIndex<'a, 's>, E> {
    match target {
        Target::ListIndex {
            items,
            index,
            element,
        } => Ok((items, index, element)),
        _ => Err(E::InvalidPath(
            "list instruction on something that is not a list",
        )),
    }
}

fn set<'a, 's>(target: Target<'a, 's>) -> Result<(&'a mut Vec<Value>, Place<'s>), E> {
    match target {
        Target::Set { items, element } => Ok((items, element)),
        _ => Err(E::InvalidPath(
            "set instruction on something that is not a set",
        )),
    }
}
