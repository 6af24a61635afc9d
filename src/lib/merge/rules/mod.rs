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
    let pair = (
        left.instruction.instruction_type(),
        right.instruction.instruction_type(),
    );
    match pair {
        (T::AddTable, T::AddTable) => schema::p1(left, right)?,
        (T::EraseTable, T::AddTable) => schema::p2(left, right),
        (T::EraseTable, T::EraseTable) => schema::p3(left, right),
        (T::EraseObject, T::CreateObject) => fields::p4(left, right),
        (T::EraseObject, T::EraseObject) => fields::p5(left, right),
        (T::Update, T::Update) => fields::p6(left, right)?,
        (T::AddInteger, T::Update) => fields::p7(left, right),
        (T::AddColumn, T::EraseTable) => return Ok(schema::p8(left, right)),
        (T::AddColumn, T::AddColumn) => schema::p9(left, right)?,
        (T::EraseColumn, T::Update) => schema::p10(left, right),
        (T::EraseColumn, T::AddColumn) => schema::p11(left, right),
        (T::EraseColumn, T::EraseColumn) => schema::p12(left, right),
        (T::ArrayInsert, T::Update) => lists::p13(left, right)?,
        (T::ArrayInsert, T::ArrayInsert) => lists::p14(left, right)?,
        (T::ArrayMove, T::Update) => lists::p15(left, right)?,
        (T::ArrayMove, T::ArrayInsert) => lists::p16(left, right)?,
        (T::ArrayMove, T::ArrayMove) => lists::p17(left, right)?,
        (T::ArrayErase, T::Update) => erase::p18(left, right)?,
        (T::ArrayErase, T::ArrayInsert) => erase::p19(left, right)?,
        (T::ArrayErase, T::ArrayMove) => erase::p20(left, right)?,
        (T::ArrayErase, T::ArrayErase) => erase::p21(left, right)?,
        (T::Clear, T::Update) => sets::p22(left, right)?,
        (T::Clear, T::AddInteger) => sets::p23(left, right),
        (T::Clear, T::Clear) => sets::p24(left, right),
        (T::SetInsert, T::Clear) => sets::p25(left, right),
        (T::SetInsert, T::SetInsert) => sets::p26(left, right),
        (T::SetErase, T::Clear) => sets::p27(left, right),
        (T::SetErase, T::SetInsert) => sets::p28(left, right),
        (T::SetErase, T::SetErase) => sets::p29(left, right),
        // Every other pair is a no-op (§6: pairs not listed): CreateObject and AddInteger
        // commute with themselves, nested rules cover the rest, and EraseColumn
        // leaves AddInteger alone (quirk Q3).
        _ => {}
    }
    Ok(None)
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
