//! List rules P13–P21 (`docs/merge.md` §6.4). All act only on
//! instructions in the same container; "prior" is `prior_size`.

use crate::changeset::{ElementPath, Instruction, UpdateTarget};

use super::super::compare::{dec, inc, same_container, shift_by_move};
use super::super::error::{Rule, TransformError};
use super::{RuleResult, Side};

pub(super) fn check(holds: bool, rule: Rule, check: &'static str) -> RuleResult {
    if holds {
        Ok(())
    } else {
        Err(TransformError::ListMismatch { rule, check })
    }
}

/// The element path and prior size of a list-element Update; any other Update
/// in a list container is an error (realm-core asserts, quirk Q6).
pub(super) fn element_update(
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

pub(super) fn bump(path: &mut ElementPath) {
    let mut i = path.index();
    inc(&mut i);
    path.set_index(i);
}

pub(super) fn drop_one(path: &mut ElementPath) {
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

/// P16 ArrayMove × ArrayInsert: the move's removal and insertion are each
/// ordered against the insertion; at the same final position the older one goes
/// first.
///
/// Quirk Q5: realm-core validates nothing here. Valid concurrent instructions
/// always pass the checks below (same list size, indices in range), so we
/// reject input that fails them, as the other list rules do.
pub(super) fn p16(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_container(l.instruction, r.instruction) {
        return Ok(());
    }
    let move_older = l.older_than(r);
    let (Instruction::ArrayMove(mv), Instruction::ArrayInsert(insert)) =
        (&mut *l.instruction, &mut *r.instruction)
    else {
        return Ok(());
    };
    check(
        mv.prior_size == insert.prior_size,
        Rule::P16,
        "left.prior_size == right.prior_size (Q5)",
    )?;
    check(
        mv.location.path.index() < mv.prior_size,
        Rule::P16,
        "left.index() < left.prior_size (Q5)",
    )?;
    check(
        mv.ndx_2 < mv.prior_size,
        Rule::P16,
        "left.ndx_2 < left.prior_size (Q5)",
    )?;
    check(
        insert.location.path.index() <= insert.prior_size,
        Rule::P16,
        "right.index() <= right.prior_size (Q5)",
    )?;
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
    Ok(())
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
