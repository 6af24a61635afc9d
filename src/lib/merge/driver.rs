//! The merge driver: every local instruction meets every incoming one, in order
//! (`docs/merge.md` §3.1), with discards and prepends (§3.3).

use std::collections::HashMap;

use crate::changeset::{ByteString, Changeset, Instruction, PrimaryKey, StringTable};

use super::discriminant::Discriminant;
use super::error::TransformError;
use super::rules::{merge_pair, Prepend, Side};
use super::MergeOptions;

/// One changeset taking part in a merge, with its discriminant (§2).
#[derive(Clone, Copy, Debug)]
pub struct MergeInput<'a> {
    pub changeset: &'a Changeset,
    pub discriminant: Discriminant,
}

/// A changeset after a merge.
#[derive(Clone, Debug, PartialEq)]
pub struct Transformed {
    /// The surviving instructions, rewritten; the string table is the input's
    /// plus any string a rule added (`docs/changesets.md` §7).
    pub changeset: Changeset,
    /// Whether the merge changed it (realm-core's "dirty"): only modified
    /// reciprocal forms need to be stored.
    pub modified: bool,
}

/// The result of [`merge`]: `local[i]` is the reciprocal form of local changeset
/// `i` (`T(local, incoming)`), `incoming[j]` the form of incoming changeset `j`
/// that applies on top of the local ones (`T(incoming, local)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub local: Vec<Transformed>,
    pub incoming: Vec<Transformed>,
}

/// Transforms `local` (consecutive changesets, the major side) and `incoming`
/// (consecutive changesets with the same base as the first local one, the minor
/// side) against each other, the way realm-core's `Transformer::merge_changesets`
/// does. Pure: the inputs are not changed.
pub fn merge(
    local: &[MergeInput<'_>],
    incoming: &[MergeInput<'_>],
    options: &MergeOptions,
) -> Result<Merged, TransformError> {
    merge_with(local, incoming, options, Scan::Indexed)
}

/// Which incoming instructions a local one is paired with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scan {
    /// Every one, in order: the double loop of `docs/merge.md` §3.1. Kept as the
    /// reference the unit tests hold the index to.
    #[cfg_attr(not(test), allow(dead_code))]
    Full,
    /// Only those on the same object, plus schema instructions, in order. Every
    /// pair this skips is a no-op: apart from schema instructions (which meet
    /// everything), every rule of §5–§6 requires both instructions to act on the
    /// same object. This is realm-core's conflict-group idea (`ChangesetIndex`),
    /// minus links, which no rule looks at.
    Indexed,
}

pub(crate) fn merge_with(
    local: &[MergeInput<'_>],
    incoming: &[MergeInput<'_>],
    options: &MergeOptions,
    scan: Scan,
) -> Result<Merged, TransformError> {
    let mut driver = Driver {
        local: local.iter().map(Work::new).collect(),
        incoming: incoming.iter().map(Work::new).collect(),
        index: Index::default(),
        options,
        scan,
    };
    driver.index = Index::build(&driver.incoming);
    driver.run()?;
    let finish = |works: Vec<Work>, inputs: &[MergeInput<'_>]| {
        works
            .into_iter()
            .zip(inputs)
            .map(|(w, input)| w.finish(input.changeset))
            .collect()
    };
    Ok(Merged {
        local: finish(driver.local, local),
        incoming: finish(driver.incoming, incoming),
    })
}

/// A changeset being merged: its instructions in slots, `None` once discarded.
struct Work {
    slots: Vec<Option<Instruction>>,
    strings: StringTable,
    discriminant: Discriminant,
}

impl Work {
    fn new(input: &MergeInput<'_>) -> Work {
        Work {
            slots: input
                .changeset
                .instructions
                .iter()
                .cloned()
                .map(Some)
                .collect(),
            strings: input.changeset.strings.clone(),
            discriminant: input.discriminant,
        }
    }

    /// Inserts `instruction` at `slot`, adding its names to the string table as
    /// realm-core does when a rule synthesises an instruction (class, then field).
    fn insert(&mut self, slot: usize, instruction: Instruction) {
        if let Instruction::EraseColumn(c) = &instruction {
            // `intern` fails only for a table of u32::MAX strings; the encoder
            // would then intern the name itself.
            let _ = self.strings.intern(&c.table);
            let _ = self.strings.intern(&c.field);
        }
        self.slots.insert(slot, Some(instruction));
    }

    fn finish(self, original: &Changeset) -> Transformed {
        let instructions: Vec<Instruction> = self.slots.into_iter().flatten().collect();
        let modified = instructions != original.instructions;
        Transformed {
            changeset: Changeset {
                instructions,
                strings: self.strings,
            },
            modified,
        }
    }
}

/// A position on the incoming side: (changeset, slot).
type Pos = (usize, usize);

type ObjectId = (ByteString, PrimaryKey);

/// The incoming instructions by object, and the schema instructions.
#[derive(Default)]
struct Index {
    schema: Vec<Pos>,
    objects: HashMap<ObjectId, Vec<Pos>>,
    all: Vec<Pos>,
}

fn object_id(i: &Instruction) -> Option<ObjectId> {
    i.object().map(|key| (i.table().clone(), key.clone()))
}

impl Index {
    fn build(incoming: &[Work]) -> Index {
        let mut index = Index::default();
        for (c, work) in incoming.iter().enumerate() {
            for (s, slot) in work.slots.iter().enumerate() {
                let Some(instruction) = slot else { continue };
                index.all.push((c, s));
                match object_id(instruction) {
                    Some(id) => index.objects.entry(id).or_default().push((c, s)),
                    None => index.schema.push((c, s)),
                }
            }
        }
        index
    }
}

struct Driver<'o> {
    local: Vec<Work>,
    incoming: Vec<Work>,
    index: Index,
    options: &'o MergeOptions,
    scan: Scan,
}

impl Driver<'_> {
    fn run(&mut self) -> Result<(), TransformError> {
        for l in 0..self.local.len() {
            let mut x = 0;
            while x < self.local.get(l).map_or(0, |w| w.slots.len()) {
                if self.major(l, x).is_some() {
                    self.transform_major(l, &mut x, None)?;
                }
                x += 1;
            }
        }
        Ok(())
    }

    fn major(&self, l: usize, x: usize) -> Option<&Instruction> {
        self.local.get(l)?.slots.get(x)?.as_ref()
    }

    /// The incoming positions the major instruction at (`l`, `x`) meets, in
    /// order, after `after`.
    fn candidates(&self, l: usize, x: usize, after: Option<Pos>) -> Vec<Pos> {
        let id = match self.scan {
            Scan::Full => None,
            Scan::Indexed => self.major(l, x).and_then(object_id),
        };
        let later = |p: &Pos| after.is_none_or(|a| *p > a);
        let Some(id) = id else {
            return self.index.all.iter().copied().filter(later).collect();
        };
        let same_object = self.index.objects.get(&id).map_or(&[][..], Vec::as_slice);
        let (mut a, mut b) = (
            self.index.schema.iter().peekable(),
            same_object.iter().peekable(),
        );
        let mut out = Vec::with_capacity(self.index.schema.len() + same_object.len());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&p), Some(&&q)) if p < q => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            out.extend(next.copied().filter(later));
        }
        out
    }

    /// Runs the major instruction at (`l`, `*x`) through the incoming
    /// instructions after `after`. A prepend on the major side moves the
    /// instruction, so `x` follows it.
    fn transform_major(
        &mut self,
        l: usize,
        x: &mut usize,
        after: Option<Pos>,
    ) -> Result<(), TransformError> {
        let mut candidates = self.candidates(l, *x, after);
        let mut k = 0;
        while let Some(&(c, s)) = candidates.get(k) {
            k += 1;
            let (Some(local), Some(incoming)) = (self.local.get_mut(l), self.incoming.get_mut(c))
            else {
                break;
            };
            let Some(Some(y)) = incoming.slots.get_mut(s) else {
                continue;
            };
            let Some(Some(instruction)) = local.slots.get_mut(*x) else {
                break;
            };
            let mut major = Side {
                instruction,
                discriminant: local.discriminant,
                discarded: false,
            };
            let mut minor = Side {
                instruction: y,
                discriminant: incoming.discriminant,
                discarded: false,
            };
            let prepend = merge_pair(&mut major, &mut minor, self.options)?;
            let major_discarded = major.discarded;
            if minor.discarded {
                discard(&mut incoming.slots, s);
            }
            if major_discarded {
                discard(&mut local.slots, *x);
            }
            match prepend {
                None => {}
                // §3.3: not merged with the current major; later majors meet it.
                Some(Prepend::Minor(instruction)) => {
                    incoming.insert(s, instruction);
                    self.index = Index::build(&self.incoming);
                    if !major_discarded {
                        candidates = self.candidates(l, *x, Some((c, s + 1)));
                        k = 0;
                    }
                }
                // §3.3: the new instruction meets the incoming ones after the
                // current one, then the current major continues.
                Some(Prepend::Major(instruction)) => {
                    local.insert(*x, instruction);
                    let mut prepended = *x;
                    self.transform_major(l, &mut prepended, Some((c, s)))?;
                    *x = prepended + 1;
                }
            }
            if major_discarded {
                break;
            }
        }
        Ok(())
    }
}

/// Leaves a tombstone in `slot`.
fn discard(slots: &mut [Option<Instruction>], slot: usize) {
    if let Some(s) = slots.get_mut(slot) {
        *s = None;
    }
}
