//! The merge driver: every local instruction meets every incoming one, in order
//! (`docs/merge.md` §3.1), with discards and prepends (§3.3).

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use foldhash::fast::RandomState;

use crate::changeset::{Changeset, Instruction, StringTable};

use super::discriminant::Discriminant;
use super::error::TransformError;
use super::rules::{self, merge_pair, Prepend, Side};
use super::MergeOptions;

/// One changeset taking part in a merge, with its discriminant (§2).
#[derive(Clone, Copy, Debug)]
pub struct MergeInput<'a> {
    pub changeset: &'a Changeset,
    pub discriminant: Discriminant,
}

/// A changeset after a merge.
#[derive(Clone, Debug, PartialEq)]
pub struct Transformed<'a> {
    /// The surviving instructions, rewritten; the string table is the input's
    /// plus any string a rule added (`docs/changesets.md` §7). Borrowed when
    /// the merge did not touch the changeset at all: most history entries and
    /// uploads meet nothing that changes them, and copying them would cost more
    /// than the merge itself.
    pub changeset: Cow<'a, Changeset>,
    /// Whether the merge changed it (realm-core's "dirty"): only modified
    /// reciprocal forms need to be stored.
    pub modified: bool,
}

/// The result of [`merge`]: `local[i]` is the reciprocal form of local changeset
/// `i` (`T(local, incoming)`), `incoming[j]` the form of incoming changeset `j`
/// that applies on top of the local ones (`T(incoming, local)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Merged<'a> {
    pub local: Vec<Transformed<'a>>,
    pub incoming: Vec<Transformed<'a>>,
}

/// Transforms `local` (consecutive changesets, the major side) and `incoming`
/// (consecutive changesets with the same base as the first local one, the minor
/// side) against each other, the way realm-core's `Transformer::merge_changesets`
/// does. Pure: the inputs are not changed.
pub fn merge<'a>(
    local: &[MergeInput<'a>],
    incoming: &[MergeInput<'a>],
    options: &MergeOptions,
) -> Result<Merged<'a>, TransformError> {
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

pub(crate) fn merge_with<'a>(
    local: &[MergeInput<'a>],
    incoming: &[MergeInput<'a>],
    options: &MergeOptions,
    scan: Scan,
) -> Result<Merged<'a>, TransformError> {
    let mut driver = Driver {
        local: local.iter().map(Work::new).collect(),
        incoming: incoming.iter().map(Work::new).collect(),
        local_inputs: local,
        incoming_inputs: incoming,
        index: Index::default(),
        options,
        scan,
        scratch: Vec::new(),
    };
    driver.index = Index::build(&driver.incoming);
    driver.run()?;
    let finish = |works: Vec<Work<'a>>| works.into_iter().map(Work::finish).collect();
    Ok(Merged {
        local: finish(driver.local),
        incoming: finish(driver.incoming),
    })
}

/// A changeset being merged. Most instructions meet nothing that changes them
/// (the realm-core shapes: thousands of objects that only ever meet the schema),
/// so a changeset is read from its input until the merge first writes to it,
/// and then only the instructions a rule rewrites are copied.
///
/// Two words: a merge of thousands of one-instruction changesets holds one
/// `Work` per changeset, and at 16k changesets a side the merge's own arrays
/// compete with the inputs for the L2 cache (benches/README.md "Merge"); the
/// discriminant is read from the [`MergeInput`] when a rule needs it.
struct Work<'a> {
    input: &'a Changeset,
    /// `None` while the changeset is exactly its input. Boxed: almost no
    /// changeset is ever edited.
    edited: Option<Box<Edited<'a>>>,
}

/// A changeset the merge has written to.
struct Edited<'a> {
    slots: Vec<Slot<'a>>,
    /// `None` while the string table is the input's.
    strings: Option<StringTable>,
}

enum Slot<'a> {
    Kept(&'a Instruction),
    Rewritten(Box<Instruction>),
    Discarded,
}

impl<'a> Work<'a> {
    fn new(input: &MergeInput<'a>) -> Work<'a> {
        Work {
            input: input.changeset,
            edited: None,
        }
    }

    fn len(&self) -> usize {
        self.edited
            .as_ref()
            .map_or(self.input.instructions.len(), |e| e.slots.len())
    }

    /// The instruction at `slot`; `None` if discarded or out of range.
    fn get(&self, slot: usize) -> Option<&Instruction> {
        match &self.edited {
            None => self.input.instructions.get(slot),
            Some(edited) => match edited.slots.get(slot)? {
                Slot::Kept(instruction) => Some(instruction),
                Slot::Rewritten(instruction) => Some(instruction),
                Slot::Discarded => None,
            },
        }
    }

    fn edited(&mut self) -> &mut Edited<'a> {
        let input = self.input;
        self.edited.get_or_insert_with(|| {
            Box::new(Edited {
                slots: input.instructions.iter().map(Slot::Kept).collect(),
                strings: None,
            })
        })
    }

    /// The instruction at `slot`, copied first if it is still the input's.
    fn get_mut(&mut self, slot: usize) -> Option<&mut Instruction> {
        let entry = self.edited().slots.get_mut(slot)?;
        if let Slot::Kept(instruction) = entry {
            *entry = Slot::Rewritten(Box::new((*instruction).clone()));
        }
        match entry {
            Slot::Rewritten(instruction) => Some(instruction),
            Slot::Kept(_) | Slot::Discarded => None,
        }
    }

    /// Leaves a tombstone in `slot`.
    fn discard(&mut self, slot: usize) {
        if let Some(s) = self.edited().slots.get_mut(slot) {
            *s = Slot::Discarded;
        }
    }

    /// Inserts `instruction` at `slot`, adding its names to the string table as
    /// realm-core does when a rule synthesises an instruction (class, then field).
    fn insert(&mut self, slot: usize, instruction: Instruction) {
        let input = self.input;
        let edited = self.edited();
        if let Instruction::EraseColumn(c) = &instruction {
            let strings = edited.strings.get_or_insert_with(|| input.strings.clone());
            // `intern` fails only for a table of u32::MAX strings; the encoder
            // would then intern the name itself.
            let _ = strings.intern(&c.table);
            let _ = strings.intern(&c.field);
        }
        let at = slot.min(edited.slots.len());
        edited
            .slots
            .insert(at, Slot::Rewritten(Box::new(instruction)));
    }

    fn finish(self) -> Transformed<'a> {
        let Some(edited) = self.edited else {
            return Transformed {
                changeset: Cow::Borrowed(self.input),
                modified: false,
            };
        };
        let Edited { slots, strings } = *edited;
        // Sized up front: growing a vector of thousands of instructions by
        // doubling copied it several times over.
        let mut instructions = Vec::with_capacity(slots.len());
        for slot in slots {
            match slot {
                Slot::Kept(instruction) => instructions.push(instruction.clone()),
                Slot::Rewritten(instruction) => instructions.push(*instruction),
                Slot::Discarded => {}
            }
        }
        let modified = instructions != self.input.instructions;
        Transformed {
            changeset: Cow::Owned(Changeset {
                instructions,
                strings: strings.unwrap_or_else(|| self.input.strings.clone()),
            }),
            modified,
        }
    }
}

/// Changesets warmed at a time, one batch ahead of the loop that reads them.
const WARM_BATCH: usize = 8;
/// Instructions warmed per changeset: the small changesets this is for fit;
/// a long changeset is read in order, which the hardware prefetches itself.
const WARM_INSTRUCTIONS: usize = 4;
/// Bytes per cache line.
const LINE: usize = 64;

/// Asks the CPU to fetch the instructions at the start of the first
/// [`WARM_BATCH`] changesets of `works`, so that a loop reaching them later
/// finds them in cache.
///
/// Changesets off the wire each sit in their own heap allocations, between
/// their string tables and payloads: a merge of thousands of them is a chain of
/// cache misses once the inputs outgrow the L2 cache, and the loop stalls on
/// each in turn (the rc transactions shape, 16k changesets of 500-character
/// strings: benches/README.md "Merge"). A prefetch of every line of those
/// instructions needs only each changeset's address and length, so the misses
/// of a batch are all in flight at once, and unlike a load (which this did
/// before) a prefetch retires at once: the merge of the previous batch goes on
/// while they are served.
fn warm(works: &[Work<'_>]) {
    let works = works.get(..WARM_BATCH).unwrap_or(works);
    for work in works {
        let instructions = &work.input.instructions;
        let start = instructions.as_ptr().cast::<u8>();
        let bytes = std::mem::size_of_val(
            instructions
                .get(..WARM_INSTRUCTIONS)
                .unwrap_or(instructions),
        );
        // From the line the array starts in to the one its last byte is in.
        let skew = start as usize % LINE;
        for offset in (0..skew + bytes).step_by(LINE) {
            prefetch(start.wrapping_sub(skew).wrapping_add(offset));
        }
    }
}

/// A hint to fetch the cache line holding `address`; nothing on targets
/// without a stable prefetch instruction.
#[inline(always)]
fn prefetch(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch has no effect on the program's state: it does not
    // read the memory into any value and cannot fault, whatever the address
    // (here always inside a live instruction array).
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(address.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

/// A position on the incoming side: (changeset, slot).
type Pos = (usize, usize);

/// No entry in the object chains.
const END: u32 = u32::MAX;

/// An entry of an object chain: a position, and the next entry of the same
/// object. Twelve bytes rather than twenty-four: the chain holds every object
/// instruction of the incoming side, which at 16k changesets is larger than
/// the L2 cache's share left by the inputs.
#[derive(Clone, Copy)]
struct Chained {
    changeset: u32,
    slot: u32,
    next: u32,
}

/// The incoming instructions by object, and the schema instructions.
///
/// Objects are told apart by a seeded 64-bit hash of (class, primary key); two
/// objects sharing a hash only add pairs that are no-ops, which is what the
/// full scan does anyway. Each object's positions form a chain through one
/// vector, in order, so building the index allocates nothing per object.
#[derive(Default)]
struct Index {
    hasher: RandomState,
    schema: Vec<Pos>,
    /// Object hash → (first, last) entry of its chain in `chain`.
    objects: HashMap<u64, (u32, u32), BuildHasherDefault<HashedKey>>,
    chain: Vec<Chained>,
}

impl Index {
    fn build(incoming: &[Work<'_>]) -> Index {
        let mut index = Index {
            chain: Vec::with_capacity(incoming.iter().map(Work::len).sum()),
            ..Index::default()
        };
        for (c, work) in incoming.iter().enumerate() {
            if c % WARM_BATCH == 0 {
                warm(incoming.get(c + WARM_BATCH..).unwrap_or_default());
            }
            for s in 0..work.len() {
                let Some(instruction) = work.get(s) else {
                    continue;
                };
                let chained = (u32::try_from(c), u32::try_from(s));
                let (Some(id), (Ok(changeset), Ok(slot))) =
                    (index.object_hash(instruction), chained)
                else {
                    // Past u32 (which no input in memory reaches) an object
                    // instruction joins the schema list and meets every local
                    // one: the full scan, which is always correct.
                    index.schema.push((c, s));
                    continue;
                };
                let entry = u32::try_from(index.chain.len()).unwrap_or(END);
                index.chain.push(Chained {
                    changeset,
                    slot,
                    next: END,
                });
                match index.objects.entry(id) {
                    Entry::Vacant(slot) => {
                        slot.insert((entry, entry));
                    }
                    Entry::Occupied(mut known) => {
                        let (_, last) = known.get_mut();
                        if let Some(previous) = index.chain.get_mut(*last as usize) {
                            previous.next = entry;
                        }
                        *last = entry;
                    }
                }
            }
        }
        index
    }

    fn object_hash(&self, instruction: &Instruction) -> Option<u64> {
        let key = instruction.object()?;
        Some(self.hasher.hash_one((instruction.table().as_bytes(), key)))
    }

    /// The positions on the object hashed `id`, in order.
    fn object(&self, id: u64) -> impl Iterator<Item = Pos> + '_ {
        let mut next = self.objects.get(&id).map_or(END, |&(first, _)| first);
        std::iter::from_fn(move || {
            let chained = self.chain.get(next as usize)?;
            next = chained.next;
            Some((chained.changeset as usize, chained.slot as usize))
        })
    }
}

/// The index's map is keyed by hashes already: use them as they are.
#[derive(Default)]
struct HashedKey(u64);

impl Hasher for HashedKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

struct Driver<'a, 'o> {
    local: Vec<Work<'a>>,
    incoming: Vec<Work<'a>>,
    local_inputs: &'o [MergeInput<'a>],
    incoming_inputs: &'o [MergeInput<'a>],
    index: Index,
    options: &'o MergeOptions,
    scan: Scan,
    /// The candidate list, kept between major instructions.
    scratch: Vec<Pos>,
}

impl Driver<'_, '_> {
    fn run(&mut self) -> Result<(), TransformError> {
        for l in 0..self.local.len() {
            if l % WARM_BATCH == 0 {
                warm(self.local.get(l + WARM_BATCH..).unwrap_or_default());
            }
            let mut x = 0;
            while x < self.local.get(l).map_or(0, Work::len) {
                if self.major(l, x).is_some() {
                    self.transform_major(l, &mut x, None)?;
                }
                x += 1;
            }
        }
        Ok(())
    }

    fn major(&self, l: usize, x: usize) -> Option<&Instruction> {
        self.local.get(l)?.get(x)
    }

    /// Fills `out` with the incoming positions the major instruction at (`l`,
    /// `x`) meets, in order, after `after`.
    fn candidates(&self, l: usize, x: usize, after: Option<Pos>, out: &mut Vec<Pos>) {
        out.clear();
        let id = match self.scan {
            Scan::Full => None,
            Scan::Indexed => self.major(l, x).and_then(|i| self.index.object_hash(i)),
        };
        let later = |p: &Pos| after.is_none_or(|a| *p > a);
        let Some(id) = id else {
            for (c, work) in self.incoming.iter().enumerate() {
                let live = (0..work.len()).filter(|&s| work.get(s).is_some());
                out.extend(live.map(|s| (c, s)).filter(later));
            }
            return;
        };
        let mut b = self.index.object(id).peekable();
        if b.peek().is_none() {
            // Most objects are touched by one side only (every realm-core shape):
            // the schema instructions are all there is to meet.
            let schema = &self.index.schema;
            let from = after.map_or(0, |a| schema.partition_point(|p| *p <= a));
            out.extend_from_slice(schema.get(from..).unwrap_or_default());
            return;
        }
        let mut a = self.index.schema.iter().copied().peekable();
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(p), Some(q)) if p < q => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            out.extend(next.filter(later));
        }
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
        let mut candidates = std::mem::take(&mut self.scratch);
        self.candidates(l, *x, after, &mut candidates);
        let result = self.meet(l, x, &mut candidates);
        self.scratch = candidates;
        result
    }

    fn meet(
        &mut self,
        l: usize,
        x: &mut usize,
        candidates: &mut Vec<Pos>,
    ) -> Result<(), TransformError> {
        let mut k = 0;
        while let Some(&(c, s)) = candidates.get(k) {
            k += 1;
            let (Some(local), Some(incoming)) = (self.local.get_mut(l), self.incoming.get_mut(c))
            else {
                break;
            };
            let Some(y) = incoming.get(s) else {
                continue;
            };
            let Some(instruction) = local.get(*x) else {
                break;
            };
            if rules::inert(instruction, y, self.options) {
                continue;
            }
            let discriminant =
                |inputs: &[MergeInput<'_>], i: usize| inputs.get(i).map(|input| input.discriminant);
            let (Some(major_discriminant), Some(minor_discriminant)) = (
                discriminant(self.local_inputs, l),
                discriminant(self.incoming_inputs, c),
            ) else {
                break;
            };
            let (Some(instruction), Some(y)) = (local.get_mut(*x), incoming.get_mut(s)) else {
                break;
            };
            let mut major = Side {
                instruction,
                discriminant: major_discriminant,
                discarded: false,
            };
            let mut minor = Side {
                instruction: y,
                discriminant: minor_discriminant,
                discarded: false,
            };
            let prepend = merge_pair(&mut major, &mut minor, self.options)?;
            let major_discarded = major.discarded;
            if minor.discarded {
                incoming.discard(s);
            }
            if major_discarded {
                local.discard(*x);
            }
            match prepend {
                None => {}
                // §3.3: not merged with the current major; later majors meet it.
                Some(Prepend::Minor(instruction)) => {
                    incoming.insert(s, instruction);
                    self.index = Index::build(&self.incoming);
                    if !major_discarded {
                        self.candidates(l, *x, Some((c, s + 1)), candidates);
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
