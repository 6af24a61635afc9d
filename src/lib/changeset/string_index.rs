//! The encoder's map from strings to wire indices.

use std::collections::hash_map::{Entry, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use super::bytes::ByteString;

/// Wire index of every string in the table being written.
///
/// Looked up once per string reference, so it is on the encoder's hot path. A
/// decoded changeset's instructions share their strings' allocations with its
/// table, so most lookups hit the map keyed by allocation address, which needs
/// no string hashing; strings from elsewhere (a merge copying names from another
/// changeset) fall back to the map keyed by content. Addresses are not chosen by
/// the input, so the cheap hash cannot be flooded; content keeps std's keyed hash.
pub(crate) struct StringIndex<'a> {
    by_address: HashMap<usize, u32, BuildHasherDefault<AddressHasher>>,
    by_content: HashMap<&'a [u8], u32>,
}

impl<'a> StringIndex<'a> {
    pub(crate) fn with_capacity(capacity: usize) -> StringIndex<'a> {
        StringIndex {
            by_address: HashMap::with_capacity_and_hasher(capacity, Default::default()),
            by_content: HashMap::with_capacity(capacity),
        }
    }

    /// Gives `s` index `next` unless an equal string already has one; returns
    /// whether it was added.
    pub(crate) fn insert(&mut self, s: &'a ByteString, next: u32) -> bool {
        if self.by_address.contains_key(&address(s)) {
            return false;
        }
        let index = match self.by_content.entry(s.as_bytes()) {
            Entry::Occupied(known) => *known.get(),
            Entry::Vacant(slot) => *slot.insert(next),
        };
        self.by_address.insert(address(s), index);
        index == next
    }

    pub(crate) fn get(&self, s: &ByteString) -> Option<u32> {
        match self.by_address.get(&address(s)) {
            Some(index) => Some(*index),
            None => self.by_content.get(s.as_bytes()).copied(),
        }
    }
}

fn address(s: &ByteString) -> usize {
    s.as_bytes().as_ptr() as usize
}

/// Fibonacci hashing of an address: a multiplication, then the high half folded
/// into the low bits (which pick the bucket; an aligned address has none set).
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        let h = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}
