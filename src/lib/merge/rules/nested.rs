//! Nested rules: the outer instruction has the strictly shorter OT path
//! (`docs/merge.md` §5). They only ever change or discard the inner one —
//! except realm-core's nested ArrayMove (quirk Q1).

use crate::changeset::{Instruction, PathElement, Payload};

use super::super::compare::{
    corresponding_index, dec, inc, is_container_prefix, is_prefix, prefix_next, shift_by_move,
};
use super::super::error::Rule;
use super::super::MergeOptions;
use super::{RuleResult, Side};

pub(super) fn merge(
    outer: &mut Side<'_>,
    inner: &mut Side<'_>,
    options: &MergeOptions,
) -> RuleResult {
    match &*outer.instruction {
        // N1: everything on an erased class goes.
        Instruction::EraseTable(t) if inner.instruction.table() == &t.table => {
            inner.discarded = true;
        }
        // N2: every path instruction on an erased object goes, however new.
        // N4: an increment overwrites what lies below it.
        // N8: a clear wins over element writes below it, regardless of time.
        Instruction::EraseObject(_) | Instruction::AddInteger(_) | Instruction::Clear(_)
            if is_prefix(outer.instruction, inner.instruction) =>
        {
            inner.discarded = true;
        }
        Instruction::Update(u) => n3(&u.value, outer.instruction, inner),
        Instruction::ArrayInsert(_) => return n5(outer, inner),
        Instruction::ArrayMove(_) => return n6(outer, inner, options),
        Instruction::ArrayErase(_) => return n7(outer, inner),
        // AddTable, CreateObject, AddColumn, EraseColumn, SetInsert and SetErase
        // have no nested rule (DEFINE_NESTED_MERGE_NOOP).
        _ => {}
    }
    Ok(())
}

/// N3: a write higher up wins over anything below it, except that creating an
/// embedded object is idempotent, and creating a list (dictionary) in a Mixed
/// slot lets index (key) writes into it through.
fn n3(value: &Payload, outer: &Instruction, inner: &mut Side<'_>) {
    if let Payload::ObjectValue = value {
        return;
    }
    let Some(next) = prefix_next(outer, inner.instruction) else {
        return;
    };
    let passes = matches!(
        (value, next),
        (Payload::List, PathElement::Index(_)) | (Payload::Dictionary, PathElement::Key(_))
    );
    if !passes {
        inner.discarded = true;
    }
}

/// N5: an insertion before the element the inner path goes through shifts it.
fn n5(outer: &mut Side<'_>, inner: &mut Side<'_>) -> RuleResult {
    let Instruction::ArrayInsert(insert) = &*outer.instruction else {
        return Ok(());
    };
    if is_container_prefix(outer.instruction, inner.instruction) {
        let k = corresponding_index(insert.location.path.len(), inner.instruction, Rule::N5)?;
        if *k >= insert.location.path.index() {
            inc(k);
        }
    }
    Ok(())
}

/// N6 (quirk Q1). The intended rule moves the inner path's index with the
/// element: `k = shift_by_move(k, from, to)`. realm-core passes the arguments in
/// the wrong roles and rewrites the move's own `from` instead
/// (`from = shift_by_move(from, k, to)`), leaving the inner path unchanged; real
/// clients do this, so it is the default, and `corrected_nested_move` selects
/// the intended rule.
fn n6(outer: &mut Side<'_>, inner: &mut Side<'_>, options: &MergeOptions) -> RuleResult {
    if !is_container_prefix(outer.instruction, inner.instruction) {
        return Ok(());
    }
    let Instruction::ArrayMove(mv) = &mut *outer.instruction else {
        return Ok(());
    };
    let from = mv.location.path.index();
    let k = corresponding_index(mv.location.path.len(), inner.instruction, Rule::N6)?;
    if options.corrected_nested_move {
        *k = shift_by_move(*k, from, mv.ndx_2);
    } else {
        mv.location
            .path
            .set_index(shift_by_move(from, *k, mv.ndx_2));
    }
    Ok(())
}

/// N7: a write inside an erased element goes; a path through a later element
/// shifts down.
fn n7(outer: &mut Side<'_>, inner: &mut Side<'_>) -> RuleResult {
    let Instruction::ArrayErase(erase) = &*outer.instruction else {
        return Ok(());
    };
    if is_prefix(outer.instruction, inner.instruction) {
        inner.discarded = true;
    } else if is_container_prefix(outer.instruction, inner.instruction) {
        let k = corresponding_index(erase.location.path.len(), inner.instruction, Rule::N7)?;
        if erase.location.path.index() < *k {
            dec(k);
        }
    }
    Ok(())
}
