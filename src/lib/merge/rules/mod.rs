//! `merge_pair`: one instruction of each side meets (`docs/merge.md` §3.2).
//!
//! The rule files follow the families of `docs/merge.md`: [`nested`] (§5), [`schema`],
//! [`fields`], [`lists`], [`erase`] and [`sets`] (§6). Each rule is a small
//! function named after its number, taking its two instructions in the roles of
//! `docs/merge.md` §3.2.

mod erase;
mod fields;
mod lists;
mod nested;
mod schema;
mod sets;

use crate::changeset::{Instruction, InstructionType as T};

use super::discriminant::Discriminant;
use super::error::TransformError;
use super::MergeOptions;

pub(crate) type RuleResult = Result<(), TransformError>;

/// One instruction taking part in a pair, with its changeset's discriminant.
/// Rules discard an instruction by setting `discarded`.
pub(crate) struct Side<'a> {
    pub instruction: &'a mut Instruction,
    pub discriminant: Discriminant,
    pub discarded: bool,
}

impl Side<'_> {
    /// Whether this side's changeset is older (`d(self) < d(other)`, §2).
    fn older_than(&self, other: &Side<'_>) -> bool {
        self.discriminant < other.discriminant
    }
}

/// An instruction a rule synthesised, to go immediately before the current
/// instruction of one side (only P8 does this, §3.3).
pub(crate) enum Prepend {
    Major(Instruction),
    Minor(Instruction),
}

/// Merges `major` (local, outer loop) with `minor` (incoming, inner loop): the
/// nested step when the OT path lengths differ, then the same-level rule, with
/// the higher type tag as "left" and, for equal tags, the major side as left.
pub(crate) fn merge_pair(
    major: &mut Side<'_>,
    minor: &mut Side<'_>,
    options: &MergeOptions,
) -> Result<Option<Prepend>, TransformError> {
    let major_len = major.instruction.ot_path_length();
    let minor_len = minor.instruction.ot_path_length();
    if major_len < minor_len {
        nested::merge(major, minor, options)?;
        if minor.discarded {
            return Ok(None);
        }
    } else if major_len > minor_len {
        nested::merge(minor, major, options)?;
        if major.discarded {
            return Ok(None);
        }
    }
    let major_type = major.instruction.instruction_type();
    let minor_type = minor.instruction.instruction_type();
    if options.corrected_erase_column {
        schema::q3_corrected(major, minor);
        if major.discarded || minor.discarded {
            return Ok(None);
        }
    }
    if major_type >= minor_type {
        Ok(same_level(major, minor)?.map(Prepend::Minor))
    } else {
        Ok(same_level(minor, major)?.map(Prepend::Major))
    }
}

/// The same-level rule for `left` (higher tag) and `right` (§6 matrix). Returns
/// an instruction to prepend before `right`.
fn same_level(
    left: &mut Side<'_>,
    right: &mut Side<'_>,
) -> Result<Option<Instruction>, TransformError> {
    match same_level_rule(
        left.instruction.instruction_type(),
        right.instruction.instruction_type(),
    ) {
        Some(rule) => rule(left, right),
        None => Ok(None),
    }
}

/// A same-level rule: `left` has the higher tag; returns an instruction to
/// prepend before `right`.
type SameLevelRule =
    fn(&mut Side<'_>, &mut Side<'_>) -> Result<Option<Instruction>, TransformError>;

/// A rule that cannot fail or prepend, as a [`SameLevelRule`].
macro_rules! plain {
    ($rule:path) => {
        |l, r| {
            $rule(l, r);
            Ok(None)
        }
    };
}

/// A rule that can fail but not prepend, as a [`SameLevelRule`].
macro_rules! checked {
    ($rule:path) => {
        |l, r| $rule(l, r).map(|()| None)
    };
}

/// The §6 matrix: the rule for a pair of types, `None` for pairs not listed.
fn same_level_rule(left: T, right: T) -> Option<SameLevelRule> {
    let rule: SameLevelRule = match (left, right) {
        (T::AddTable, T::AddTable) => checked!(schema::p1),
        (T::EraseTable, T::AddTable) => plain!(schema::p2),
        (T::EraseTable, T::EraseTable) => plain!(schema::p3),
        (T::EraseObject, T::CreateObject) => plain!(fields::p4),
        (T::EraseObject, T::EraseObject) => plain!(fields::p5),
        (T::Update, T::Update) => checked!(fields::p6),
        (T::AddInteger, T::Update) => plain!(fields::p7),
        (T::AddColumn, T::EraseTable) => |l, r| Ok(schema::p8(l, r)),
        (T::AddColumn, T::AddColumn) => checked!(schema::p9),
        (T::EraseColumn, T::Update) => plain!(schema::p10),
        (T::EraseColumn, T::AddColumn) => plain!(schema::p11),
        (T::EraseColumn, T::EraseColumn) => plain!(schema::p12),
        (T::ArrayInsert, T::Update) => checked!(lists::p13),
        (T::ArrayInsert, T::ArrayInsert) => checked!(lists::p14),
        (T::ArrayMove, T::Update) => checked!(lists::p15),
        (T::ArrayMove, T::ArrayInsert) => checked!(lists::p16),
        (T::ArrayMove, T::ArrayMove) => checked!(lists::p17),
        (T::ArrayErase, T::Update) => checked!(erase::p18),
        (T::ArrayErase, T::ArrayInsert) => checked!(erase::p19),
        (T::ArrayErase, T::ArrayMove) => checked!(erase::p20),
        (T::ArrayErase, T::ArrayErase) => checked!(erase::p21),
        (T::Clear, T::Update) => checked!(sets::p22),
        (T::Clear, T::AddInteger) => plain!(sets::p23),
        (T::Clear, T::Clear) => plain!(sets::p24),
        (T::SetInsert, T::Clear) => plain!(sets::p25),
        (T::SetInsert, T::SetInsert) => plain!(sets::p26),
        (T::SetErase, T::Clear) => plain!(sets::p27),
        (T::SetErase, T::SetInsert) => plain!(sets::p28),
        (T::SetErase, T::SetErase) => plain!(sets::p29),
        // Every other pair is a no-op (§6: pairs not listed): CreateObject and AddInteger
        // commute with themselves, nested rules cover the rest, and EraseColumn
        // leaves AddInteger alone (quirk Q3).
        _ => return None,
    };
    Some(rule)
}

/// Whether `merge_pair` would leave both instructions as they are, decided
/// from their types and OT path lengths alone: no nested rule for the shorter
/// one (`nested::merge` has none for these types), no corrected Q3 step, and no
/// same-level rule. The driver skips such pairs without copying either
/// instruction; every other pair goes through `merge_pair`.
pub(crate) fn inert(major: &Instruction, minor: &Instruction, options: &MergeOptions) -> bool {
    let (a, b) = (major.instruction_type(), minor.instruction_type());
    let (a_len, b_len) = (major.ot_path_length(), minor.ot_path_length());
    let no_nested = |outer: T| {
        matches!(
            outer,
            T::AddTable
                | T::CreateObject
                | T::AddColumn
                | T::EraseColumn
                | T::SetInsert
                | T::SetErase
        )
    };
    let nested_inert = match a_len.cmp(&b_len) {
        std::cmp::Ordering::Less => no_nested(a),
        std::cmp::Ordering::Greater => no_nested(b),
        std::cmp::Ordering::Equal => true,
    };
    let q3_inert = !options.corrected_erase_column || (a != T::EraseColumn && b != T::EraseColumn);
    let (left, right) = if a >= b { (a, b) } else { (b, a) };
    nested_inert && q3_inert && same_level_rule(left, right).is_none()
}

/// Keeps the newer of two conflicting instructions: discards `a` if its changeset
/// is older, else `b` (the "else" branch also covers equal discriminants, §2).
fn keep_newer(a: &mut Side<'_>, b: &mut Side<'_>) {
    if a.older_than(b) {
        a.discarded = true;
    } else {
        b.discarded = true;
    }
}
