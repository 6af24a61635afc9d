//! List erasure rules P18–P21 (`docs/merge.md` §6.4): an erased
//! element takes writes to it along, later elements shift down.

use crate::changeset::Instruction;

use super::super::compare::{dec, inc, same_container};
use super::super::error::Rule;
use super::lists::{bump, check, drop_one, element_update};
use super::{RuleResult, Side};

/// P18 ArrayErase × Update: an update of the erased element goes, regardless of
/// time; later elements shift down.
pub(super) fn p18(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let Instruction::ArrayErase(erase) = &*l.instruction else {
        return Ok(());
    };
    let (path, prior) = element_update(r.instruction, Rule::P18)?;
    let at = erase.location.path.index();
    check(
        erase.prior_size == *prior,
        Rule::P18,
        "left.prior_size == right.prior_size",
    )?;
    check(
        at < erase.prior_size,
        Rule::P18,
        "left.index() < left.prior_size",
    )?;
    check(
        path.index() < *prior,
        Rule::P18,
        "right.index() < right.prior_size",
    )?;
    dec(prior);
    if path.index() == at {
        r.discarded = true;
    } else if path.index() > at {
        drop_one(path);
    }
    Ok(())
}

/// P19 ArrayErase × ArrayInsert: an insertion at the erased position goes in
/// front of it; no timestamps.
pub(super) fn p19(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let (Instruction::ArrayErase(erase), Instruction::ArrayInsert(insert)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return Ok(());
    };
    check(
        erase.prior_size == insert.prior_size,
        Rule::P19,
        "left.prior_size == right.prior_size",
    )?;
    check(
        erase.location.path.index() < erase.prior_size,
        Rule::P19,
        "left.index() < left.prior_size",
    )?;
    check(
        insert.location.path.index() <= insert.prior_size,
        Rule::P19,
        "right.index() <= right.prior_size",
    )?;
    inc(&mut erase.prior_size);
    dec(&mut insert.prior_size);
    if insert.location.path.index() <= erase.location.path.index() {
        bump(&mut erase.location.path);
    } else {
        drop_one(&mut insert.location.path);
    }
    Ok(())
}

/// P20 ArrayErase × ArrayMove: erasing the moved element erases it where it was
/// moved to, and the move goes; otherwise both indices are re-based. A move does
/// not change the size, so the erase's prior size stays.
pub(super) fn p20(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let (Instruction::ArrayErase(erase), Instruction::ArrayMove(mv)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return Ok(());
    };
    check(
        erase.prior_size == mv.prior_size,
        Rule::P20,
        "left.prior_size == right.prior_size",
    )?;
    check(
        erase.location.path.index() < erase.prior_size,
        Rule::P20,
        "left.index() < left.prior_size",
    )?;
    check(
        mv.location.path.index() < mv.prior_size,
        Rule::P20,
        "right.index() < right.prior_size",
    )?;
    dec(&mut mv.prior_size);
    let (e, from) = (erase.location.path.index(), mv.location.path.index());
    if e == from {
        erase.location.path.set_index(mv.ndx_2);
        r.discarded = true;
        return Ok(());
    }
    if e > from {
        drop_one(&mut erase.location.path);
    } else {
        drop_one(&mut mv.location.path);
    }
    if erase.location.path.index() >= mv.ndx_2 {
        bump(&mut erase.location.path);
    } else {
        dec(&mut mv.ndx_2);
    }
    r.discarded = mv.location.path.index() == mv.ndx_2;
    Ok(())
}

/// P21 ArrayErase × ArrayErase: erasing the same element twice leaves nothing to
/// do on either side.
pub(super) fn p21(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let (Instruction::ArrayErase(a), Instruction::ArrayErase(b)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return Ok(());
    };
    check(
        a.prior_size == b.prior_size,
        Rule::P21,
        "left.prior_size == right.prior_size",
    )?;
    check(
        a.location.path.index() < a.prior_size,
        Rule::P21,
        "left.index() < left.prior_size",
    )?;
    check(
        b.location.path.index() < b.prior_size,
        Rule::P21,
        "right.index() < right.prior_size",
    )?;
    dec(&mut a.prior_size);
    dec(&mut b.prior_size);
    let (ia, ib) = (a.location.path.index(), b.location.path.index());
    if ia > ib {
        drop_one(&mut a.location.path);
    } else if ia < ib {
        drop_one(&mut b.location.path);
    } else {
        l.discarded = true;
        r.discarded = true;
    }
    Ok(())
}
