//! Clear and set rules P22–P29 (`docs/merge.md` §6.5).

use crate::changeset::{CollectionType, Instruction, Payload};

use super::super::compare::same_path;
use super::super::error::TransformError;
use super::{keep_newer, RuleResult, Side};

/// P22 Clear × Update of the collection slot itself (a Mixed property):
/// re-creating the same kind of collection keeps both; otherwise the newer one
/// wins. An Update creating a Set here is an error (realm-core asserts, Q6).
pub(super) fn p22(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_path(l.instruction, r.instruction) {
        return Ok(());
    }
    let (Instruction::Clear(clear), Instruction::Update(update)) =
        (&*l.instruction, &*r.instruction)
    else {
        return Ok(());
    };
    match (clear.collection_type, &update.value) {
        (_, Payload::Set) => return Err(TransformError::SetUpdate),
        (CollectionType::List, Payload::List)
        | (CollectionType::Dictionary, Payload::Dictionary) => return Ok(()),
        _ => {}
    }
    keep_newer(l, r);
    Ok(())
}

/// P23 Clear × AddInteger: the clear wins.
pub(super) fn p23(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) {
        r.discarded = true;
    }
}

/// P24 Clear × Clear: the newer clear is kept (the insertions that follow it in
/// its changeset survive).
pub(super) fn p24(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) {
        keep_newer(l, r);
    }
}

/// P25 SetInsert × Clear: the clear wins, without timestamps.
pub(super) fn p25(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) {
        l.discarded = true;
    }
}

/// P26 SetInsert × SetInsert of the same value: the duplicate older insert goes;
/// the newer one is kept so later merges stay consistent.
pub(super) fn p26(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) && same_set_value(l, r) {
        keep_newer(l, r);
    }
}

/// P27 SetErase × Clear: the clear wins.
pub(super) fn p27(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) {
        l.discarded = true;
    }
}

/// P28 SetErase × SetInsert of the same value: the later of the two wins.
pub(super) fn p28(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) && same_set_value(l, r) {
        keep_newer(l, r);
    }
}

/// P29 SetErase × SetErase of the same value: the older erase goes. realm-core
/// compares the values here with raw in-memory equality (quirk Q2, effectively
/// arbitrary for strings); we use `same_payload` (`docs/merge.md` §14). The
/// final state is the same either way.
pub(super) fn p29(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_path(l.instruction, r.instruction) && same_set_value(l, r) {
        keep_newer(l, r);
    }
}

/// `same_payload` of the two set instructions' values (IEEE float comparison,
/// strings by bytes, links by class and key).
fn same_set_value(l: &Side<'_>, r: &Side<'_>) -> bool {
    match (set_value(l.instruction), set_value(r.instruction)) {
        (Some(a), Some(b)) => a.same_value(b),
        _ => false,
    }
}

fn set_value(i: &Instruction) -> Option<&Payload> {
    match i {
        Instruction::SetInsert(x) => Some(&x.value),
        Instruction::SetErase(x) => Some(&x.value),
        _ => None,
    }
}
