//! Schema rules P1–P3, P8–P12 (`docs/merge.md` §6.1).

use crate::changeset::{ColumnType, EraseColumn, Instruction, TableType};

use super::super::compare::same_column;
use super::super::error::TransformError;
use super::{RuleResult, Side};

/// P1 AddTable × AddTable: the same class must be described the same way on
/// both sides (else a transform error); then both are dropped, since each side
/// already has it.
pub(super) fn p1(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    let (Instruction::AddTable(a), Instruction::AddTable(b)) = (&*l.instruction, &*r.instruction)
    else {
        return Ok(());
    };
    if a.table != b.table {
        return Ok(());
    }
    let mismatch = |what| {
        Err(TransformError::ClassMismatch {
            class: a.table.clone(),
            what,
        })
    };
    match (&a.table_type, &b.table_type) {
        (
            TableType::TopLevel {
                primary_key: pa,
                asymmetric: sa,
            },
            TableType::TopLevel {
                primary_key: pb,
                asymmetric: sb,
            },
        ) => {
            if pa.field != pb.field {
                return mismatch("primary key names");
            }
            if pa.key_type != pb.key_type {
                return mismatch("primary key types");
            }
            if pa.nullable != pb.nullable {
                return mismatch("primary key nullability");
            }
            if sa != sb {
                return mismatch("asymmetry");
            }
        }
        (TableType::TopLevel { .. }, TableType::Embedded) => {
            return mismatch("primary keys (one side has none)")
        }
        (TableType::Embedded, TableType::TopLevel { .. }) => return mismatch("embeddedness"),
        (TableType::Embedded, TableType::Embedded) => {}
    }
    l.discarded = true;
    r.discarded = true;
    Ok(())
}

/// P2 EraseTable × AddTable: the erase wins, without timestamps.
pub(super) fn p2(l: &mut Side<'_>, r: &mut Side<'_>) {
    if l.instruction.table() == r.instruction.table() {
        r.discarded = true;
    }
}

/// P3 EraseTable × EraseTable: both sides already erased it.
pub(super) fn p3(l: &mut Side<'_>, r: &mut Side<'_>) {
    if l.instruction.table() == r.instruction.table() {
        l.discarded = true;
        r.discarded = true;
    }
}

/// P8 AddColumn × EraseTable: a link property added to a class whose target the
/// other side erased is erased before the class goes (the EraseColumn is
/// prepended to the EraseTable's changeset, §3.3), and the AddColumn dropped.
/// Returns the instruction to prepend before `r`.
pub(super) fn p8(l: &mut Side<'_>, r: &mut Side<'_>) -> Option<Instruction> {
    let (Instruction::AddColumn(add), Instruction::EraseTable(erase)) =
        (&*l.instruction, &*r.instruction)
    else {
        return None;
    };
    let ColumnType::Link { target } = &add.column_type else {
        return None;
    };
    if target != &erase.table {
        return None;
    }
    let prepend = Instruction::EraseColumn(EraseColumn {
        table: add.table.clone(),
        field: add.field.clone(),
    });
    l.discarded = true;
    Some(prepend)
}

/// P9 AddColumn × AddColumn: the same property must have the same type,
/// nullability, collection type and link target (the dictionary key type is not
/// compared, quirk Q4); then both are dropped.
pub(super) fn p9(l: &mut Side<'_>, r: &mut Side<'_>) -> RuleResult {
    let (Instruction::AddColumn(a), Instruction::AddColumn(b)) = (&*l.instruction, &*r.instruction)
    else {
        return Ok(());
    };
    if a.table != b.table || a.field != b.field {
        return Ok(());
    }
    let what = if a.column_type.payload_type() != b.column_type.payload_type() {
        Some("types")
    } else if a.nullable != b.nullable {
        Some("nullability")
    } else if a.collection_type != b.collection_type {
        Some("collection types")
    } else if a.column_type != b.column_type {
        Some("link targets")
    } else {
        None
    };
    if let Some(what) = what {
        return Err(TransformError::PropertyMismatch {
            class: a.table.clone(),
            field: a.field.clone(),
            what,
        });
    }
    l.discarded = true;
    r.discarded = true;
    Ok(())
}

/// P10 EraseColumn × Update: a write to an erased property (of any object) goes.
pub(super) fn p10(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_column(l.instruction, r.instruction) {
        r.discarded = true;
    }
}

/// P11 EraseColumn × AddColumn: the erase wins.
pub(super) fn p11(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_column(l.instruction, r.instruction) {
        r.discarded = true;
    }
}

/// P12 EraseColumn × EraseColumn: both sides already erased it.
pub(super) fn p12(l: &mut Side<'_>, r: &mut Side<'_>) {
    if same_column(l.instruction, r.instruction) {
        l.discarded = true;
        r.discarded = true;
    }
}

/// The corrected Q3 rule (`MergeOptions::corrected_erase_column`): an erased
/// property loses every concurrent path instruction on it, whatever its kind
/// (realm-core's P10 covers Updates only). Either side may be the EraseColumn.
pub(super) fn q3_corrected(a: &mut Side<'_>, b: &mut Side<'_>) {
    if erases_column_of(a.instruction, b.instruction) {
        b.discarded = true;
    } else if erases_column_of(b.instruction, a.instruction) {
        a.discarded = true;
    }
}

fn erases_column_of(erase: &Instruction, other: &Instruction) -> bool {
    matches!(erase, Instruction::EraseColumn(_))
        && other.location().is_some()
        && same_column(erase, other)
}
