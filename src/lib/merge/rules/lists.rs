//! List rules P13–P21 (`merge-rules.md` §7.2 "Lists"). All act only on
//! instructions in the same container; "prior" is `prior_size`.

use crate::changeset::{ElementPath, Instruction, UpdateTarget};

use super::super::compare::{dec, inc, same_container, shift_by_move};
use super::super::error::{Rule, TransformError};
use super::{RuleResult, Side};

fn check(holds: bool, rule: Rule, check: &'static str) -> RuleResult {
    if holds {
        Ok(())
    } else {
        Err(TransformError::ListMismatch { rule, check })
    }
}

/// The element path and prior size of a list-element Update; any other Update
/// in a list container is an error (realm-core asserts, quirk Q6).
fn element_update(
    i: &mut Instruction,
    rule: Rule,
) -> Result<(&mut ElementPath, &mut u32), TransformError> {
    match i {
        Instruction::Update(u) => match &mut u.target {
            UpdateTarget::ListElement {
                location,
                prior_size,
            } => Ok((&mut location.path, prior_size)),
            UpdateTarget::Property { .. } => Err(TransformError::NotAnElementUpdate(rule)),
        },
        _ => Err(TransformError::NotAnElementUpdate(rule)),
    }
}

fn bump(path: &mut ElementPath) {
    let mut i = path.index();
    inc(&mut i);
    path.set_index(i);
}

fn drop_one(path: &mut ElementPath) {
    let mut i = path.index();
    dec(&mut i);
    path.set_index(i);
}

/// P13 ArrayInsert × Update: the updated element shifts past the insertion.
pub(super) fn p13(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let Instruction::ArrayInsert(insert) = &*l.instruction else {
        return Ok(());
    };
    let (path, prior) = element_update(r.instruction, Rule::P13)?;
    check(
        insert.prior_size == *prior,
        Rule::P13,
        "left.prior_size == right.prior_size",
    )?;
    let at = insert.location.path.index();
    check(
        at <= insert.prior_size,
        Rule::P13,
        "left.index() <= left.prior_size",
    )?;
    check(
        path.index() < *prior,
        Rule::P13,
        "right.index() < right.prior_size",
    )?;
    inc(prior);
    if path.index() >= at {
        bump(path);
    }
    Ok(())
}

/// P14 ArrayInsert × ArrayInsert: at the same position the older insertion ends
/// up first.
pub(super) fn p14(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let left_older = l.older_than(r);
    let (Instruction::ArrayInsert(a), Instruction::ArrayInsert(b)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return Ok(());
    };
    check(
        a.prior_size == b.prior_size,
        Rule::P14,
        "left.prior_size == right.prior_size",
    )?;
    inc(&mut a.prior_size);
    inc(&mut b.prior_size);
    let (ia, ib) = (a.location.path.index(), b.location.path.index());
    if ia > ib || (ia == ib && !left_older) {
        bump(&mut a.location.path);
    } else {
        bump(&mut b.location.path);
    }
    Ok(())
}

/// P15 ArrayMove × Update: the updated element follows the move (prior sizes are
/// not compared, quirk Q5).
pub(super) fn p15(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let Instruction::ArrayMove(mv) = &*l.instruction else {
        return Ok(());
    };
    let (path, prior) = element_update(r.instruction, Rule::P15)?;
    let from = mv.location.path.index();
    check(
        from < mv.prior_size,
        Rule::P15,
        "left.index() < left.prior_size",
    )?;
    check(
        path.index() < *prior,
        Rule::P15,
        "right.index() < right.prior_size",
    )?;
    path.set_index(shift_by_move(path.index(), from, mv.ndx_2));
    Ok(())
}

/// P16 ArrayMove × ArrayInsert: no validation at all (quirk Q5). The move's
/// removal and insertion are each ordered against the insertion; at the same
/// final position the older one goes first.
pub(super) fn p16(l: &mut Side<'_>, r: &mut Side<'_>) {
    if !same_container(l.instruction, r.instruction) {
        return;
    }
    let move_older = l.older_than(r);
    let (Instruction::ArrayMove(mv), Instruction::ArrayInsert(insert)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return;
    };
    inc(&mut mv.prior_size);
    if insert.location.path.index() > mv.location.path.index() {
        drop_one(&mut insert.location.path);
    } else {
        bump(&mut mv.location.path);
    }
    let at = insert.location.path.index();
    if at < mv.ndx_2 || (at == mv.ndx_2 && move_older) {
        inc(&mut mv.ndx_2);
    } else {
        bump(&mut insert.location.path);
    }
}

/// P17 ArrayMove × ArrayMove. Moves of the same element: the newer one wins,
/// re-based on the older one's destination. Otherwise each move's removal and
/// insertion are ordered against the other's, ties by age; a move that ends
/// where it starts is dropped.
pub(super) fn p17(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let left_older = l.older_than(r);
    let (Instruction::ArrayMove(a), Instruction::ArrayMove(b)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return Ok(());
    };
    check(
        a.prior_size == b.prior_size,
        Rule::P17,
        "left.prior_size == right.prior_size",
    )?;
    check(
        a.location.path.index() < a.prior_size,
        Rule::P17,
        "left.index() < left.prior_size",
    )?;
    check(
        b.location.path.index() < b.prior_size,
        Rule::P17,
        "right.index() < right.prior_size",
    )?;
    check(
        a.ndx_2 < a.prior_size,
        Rule::P17,
        "left.ndx_2 < left.prior_size",
    )?;
    check(
        b.ndx_2 < b.prior_size,
        Rule::P17,
        "right.ndx_2 < right.prior_size",
    )?;
    let (af, bf) = (a.location.path.index(), b.location.path.index());
    if af < bf {
        drop_one(&mut b.location.path);
    } else if af > bf {
        drop_one(&mut a.location.path);
    } else {
        if left_older {
            b.location.path.set_index(a.ndx_2);
            l.discarded = true;
            r.discarded = b.location.path.index() == b.ndx_2;
        } else {
            a.location.path.set_index(b.ndx_2);
            l.discarded = a.location.path.index() == a.ndx_2;
            r.discarded = true;
        }
        return Ok(());
    }
    if a.ndx_2 > b.location.path.index() {
        dec(&mut a.ndx_2);
    } else {
        bump(&mut b.location.path);
    }
    if a.location.path.index() < b.ndx_2 {
        dec(&mut b.ndx_2);
    } else {
        bump(&mut a.location.path);
    }
    if a.ndx_2 < b.ndx_2 || (a.ndx_2 == b.ndx_2 && left_older) {
        inc(&mut b.ndx_2);
    } else {
        inc(&mut a.ndx_2);
    }
    l.discarded = a.location.path.index() == a.ndx_2;
    r.discarded = b.location.path.index() == b.ndx_2;
    Ok(())
}

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
