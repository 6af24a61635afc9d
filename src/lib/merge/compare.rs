//! The comparisons the rules are written in (`docs/merge.md` §4).
//!
//! Instructions hold their names by value, so every comparison is by content, as
//! realm-core's `MergeUtils` compares resolved strings across changesets.

use crate::changeset::{Instruction, LocationRef, PathElement, UpdateTarget};

use super::error::{Rule, TransformError};

/// Object, field and path of a path instruction.
pub(crate) fn location(i: &Instruction) -> Option<LocationRef<'_>> {
    i.location()
}

/// `same_object`: same class and key.
pub(crate) fn same_object(a: &Instruction, b: &Instruction) -> bool {
    match (a.object(), b.object()) {
        (Some(ka), Some(kb)) => a.table() == b.table() && ka == kb,
        _ => false,
    }
}

/// `same_field`: same object and field name.
pub(crate) fn same_field(a: LocationRef<'_>, b: LocationRef<'_>) -> bool {
    a.field == b.field && a.object == b.object && a.table == b.table
}

/// `same_path`: same field and equal paths.
pub(crate) fn same_path(a: &Instruction, b: &Instruction) -> bool {
    match (location(a), location(b)) {
        (Some(la), Some(lb)) => same_field(la, lb) && la.path == lb.path,
        _ => false,
    }
}

/// `same_container`: same field, equal path lengths, equal elements except the
/// last (an empty path counts as the same container).
pub(crate) fn same_container(a: &Instruction, b: &Instruction) -> bool {
    match (location(a), location(b)) {
        (Some(la), Some(lb)) => {
            same_field(la, lb)
                && la.path.len() == lb.path.len()
                && la.path.split_last().map(|(_, c)| c) == lb.path.split_last().map(|(_, c)| c)
        }
        _ => false,
    }
}

/// `same_column` of an AddColumn/EraseColumn `column` and another instruction:
/// same class and field name, any object. Object instructions name no field.
pub(crate) fn same_column(column: &Instruction, other: &Instruction) -> bool {
    let Some((table, field)) = column_of(column) else {
        return false;
    };
    match other {
        Instruction::AddColumn(c) => &c.table == table && &c.field == field,
        Instruction::EraseColumn(c) => &c.table == table && &c.field == field,
        _ => location(other).is_some_and(|l| l.table == table && l.field == field),
    }
}

fn column_of(
    i: &Instruction,
) -> Option<(&crate::changeset::ByteString, &crate::changeset::ByteString)> {
    match i {
        Instruction::AddColumn(c) => Some((&c.table, &c.field)),
        Instruction::EraseColumn(c) => Some((&c.table, &c.field)),
        _ => None,
    }
}

/// `is_prefix_of(outer, inner)` for a path instruction `outer`: the element of
/// `inner`'s path just below `outer`'s whole path, if `outer`'s path is a strict
/// prefix of it (same field).
pub(crate) fn prefix_next<'i>(
    outer: &Instruction,
    inner: &'i Instruction,
) -> Option<&'i PathElement> {
    let (o, i) = (location(outer)?, location(inner)?);
    if o.path.len() < i.path.len() && same_field(o, i) && i.path.starts_with(o.path) {
        i.path.get(o.path.len())
    } else {
        None
    }
}

/// `is_prefix_of` as a yes/no: for an object instruction, same object.
pub(crate) fn is_prefix(outer: &Instruction, inner: &Instruction) -> bool {
    match outer {
        Instruction::EraseObject(_) | Instruction::CreateObject(_) => {
            location(inner).is_some() && same_object(outer, inner)
        }
        _ => prefix_next(outer, inner).is_some(),
    }
}

/// `is_container_prefix_of(outer, inner)`: `outer` acts on an element of a list
/// that `inner`'s path goes through (the last element of `outer`'s path, the
/// index, is not compared).
pub(crate) fn is_container_prefix(outer: &Instruction, inner: &Instruction) -> bool {
    let (Some(o), Some(i)) = (location(outer), location(inner)) else {
        return false;
    };
    match o.path.split_last() {
        Some((_, container)) => {
            o.path.len() < i.path.len() && same_field(o, i) && i.path.starts_with(container)
        }
        None => false,
    }
}

/// `corresponding_index_in_path`: the index in `inner`'s path at the position of
/// the last element of the outer instruction's path (of length
/// `outer_path_len`). It must be an index.
pub(crate) fn corresponding_index(
    outer_path_len: usize,
    inner: &mut Instruction,
    rule: Rule,
) -> Result<&mut u32, TransformError> {
    let position = outer_path_len
        .checked_sub(1)
        .ok_or(TransformError::InconsistentPaths(rule))?;
    path_index_mut(inner, position).ok_or(TransformError::InconsistentPaths(rule))
}

/// The index at `position` of a path instruction's path, for rewriting; `None`
/// if that element is a name or absent.
fn path_index_mut(i: &mut Instruction, position: usize) -> Option<&mut u32> {
    match i {
        Instruction::Update(u) => match &mut u.target {
            UpdateTarget::Property { location, .. } => location.path.index_at_mut(position),
            UpdateTarget::ListElement { location, .. } => location.path.index_at_mut(position),
        },
        Instruction::AddInteger(x) => plain_index_mut(&mut x.location.path.0, position),
        Instruction::ArrayInsert(x) => x.location.path.index_at_mut(position),
        Instruction::ArrayMove(x) => x.location.path.index_at_mut(position),
        Instruction::ArrayErase(x) => x.location.path.index_at_mut(position),
        Instruction::Clear(x) => plain_index_mut(&mut x.location.path.0, position),
        Instruction::SetInsert(x) => plain_index_mut(&mut x.location.path.0, position),
        Instruction::SetErase(x) => plain_index_mut(&mut x.location.path.0, position),
        _ => None,
    }
}

fn plain_index_mut(path: &mut [PathElement], position: usize) -> Option<&mut u32> {
    match path.get_mut(position) {
        Some(PathElement::Index(i)) => Some(i),
        _ => None,
    }
}

/// `merge_get_vs_move`: where the element at `index` ends up after moving the
/// element at `from` to final position `to` (a move is an erase at `from`, then
/// an insert at `to`).
pub(crate) fn shift_by_move(index: u32, from: u32, to: u32) -> u32 {
    if index == from {
        return to;
    }
    let mut shifted = index;
    if shifted > from {
        dec(&mut shifted);
    }
    if shifted >= to {
        inc(&mut shifted);
    }
    shifted
}

/// `+= 1` on an index or size. Sizes and indices are realm-core `uint32_t`s and
/// wrap there; inputs are untrusted, so we wrap the same way instead of
/// panicking (a wrapped value then fails the next range check or application).
pub(crate) fn inc(v: &mut u32) {
    *v = v.wrapping_add(1);
}

/// `-= 1`, wrapping like [`inc`].
pub(crate) fn dec(v: &mut u32) {
    *v = v.wrapping_sub(1);
}
