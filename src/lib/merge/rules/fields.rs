//! Object and field rules P4–P7 (`docs/merge.md` §6.2, §6.3).

use crate::changeset::{Instruction, Payload, UpdateTarget};

use super::super::compare::{same_object, same_path};
use super::super::error::{Rule, TransformError};
use super::{keep_newer, RuleResult, Side};

/// P4 EraseObject × CreateObject: the erase always wins, even if older.
pub(super) fn p4(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_object(l.instruction, r.instruction) {
        r.discarded = true;
    }
}

/// P5 EraseObject × EraseObject: only the newer erase is kept, so that a newer
/// erase-create sequence is not beaten by an older erase (golden G4c).
pub(super) fn p5(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_object(l.instruction, r.instruction) {
        if r.older_than(l) {
            r.discarded = true;
        } else {
            l.discarded = true;
        }
    }
}

/// P6 Update × Update of the same place: embedded-object creation loses to any
/// value, creating the same kind of Mixed collection twice keeps both, a default
/// write loses to an explicit one, and otherwise the last writer (by
/// discriminant) wins.
pub(super) fn p6(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    if !same_path(l.instruction, r.instruction) {
        return Ok(());
    }
    let (Instruction::Update(a), Instruction::Update(b)) = (&*l.instruction, &*r.instruction)
    else {
        return Ok(());
    };
    let (a_default, b_default) = match (&a.target, &b.target) {
        (
            UpdateTarget::Property { is_default: da, .. },
            UpdateTarget::Property { is_default: db, .. },
        ) => (*da, *db),
        (
            UpdateTarget::ListElement { prior_size: pa, .. },
            UpdateTarget::ListElement { prior_size: pb, .. },
        ) => {
            if pa != pb {
                return Err(TransformError::ListMismatch {
                    rule: Rule::P6,
                    check: "left.prior_size == right.prior_size",
                });
            }
            (false, false)
        }
        _ => return Err(TransformError::NotAnElementUpdate(Rule::P6)),
    };
    let (ta, tb) = (a.value.payload_type(), b.value.payload_type());
    if ta != tb {
        if let Payload::ObjectValue = a.value {
            l.discarded = true;
            return Ok(());
        }
        if let Payload::ObjectValue = b.value {
            r.discarded = true;
            return Ok(());
        }
    } else if matches!(a.value, Payload::List | Payload::Dictionary) {
        return Ok(());
    }
    if a_default == b_default {
        keep_newer(l, r);
    } else if a_default {
        l.discarded = true;
    } else {
        r.discarded = true;
    }
    Ok(())
}

/// P7 AddInteger × Update of the same place. If the Update counts as earlier (it
/// is older, or a default write), the add survives: folded into an integer
/// value, kept alongside a null (for later merges), dropped against a non-integer
/// Mixed value. If the explicit Update is newer, the add is dropped.
pub(super) fn p7(l: &mut Side<'_>, r: &mut Side<'_>) {
    if !same_path(l.instruction, r.instruction) {
        return;
    }
    let (Instruction::AddInteger(add), Instruction::Update(update)) =
        (&*l.instruction, &mut *r.instruction)
    else {
        return;
    };
    let update_is_default = matches!(
        update.target,
        UpdateTarget::Property {
            is_default: true,
            ..
        }
    );
    if r.discriminant < l.discriminant || update_is_default {
        match &mut update.value {
            Payload::Null => {}
            Payload::Int(v) => *v = v.wrapping_add(add.value),
            _ => l.discarded = true,
        }
    } else {
        l.discarded = true;
    }
}
