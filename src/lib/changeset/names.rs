//! One allocation per name across the changesets a thread decodes.
//!
//! Every changeset off the wire carries its own string table, so without this
//! each of thousands of small changesets would hold its own copy of `t` (its
//! class name) in an allocation of its own, and a merge that hashes and compares
//! class names would take one cache miss per changeset on it alone
//! (benches/README.md "Merge"). Here the interned strings of one thread's
//! recent decodes share their allocations; content, order and equality are
//! unchanged.

use std::cell::RefCell;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;

use super::bytes::ByteString;

/// Remembered names per thread: direct-mapped, so a lookup is one hash and one
/// comparison, and memory stays at most `SLOTS × MAX_LEN` bytes per thread.
const SLOTS: usize = 64;
/// Longer strings (string primary keys, mostly) are not remembered: Realm's
/// table and column names are at most 63 bytes (see [`super::MAX_CLASS_NAME_LEN`]).
const MAX_LEN: usize = 63;

thread_local! {
    static RECENT: RefCell<[Option<ByteString>; SLOTS]> = const { RefCell::new([const { None }; SLOTS]) };
}

/// `bytes` as a [`ByteString`], sharing the allocation of an equal name decoded
/// earlier on this thread when there is one.
pub(crate) fn shared(bytes: &[u8]) -> ByteString {
    if bytes.len() > MAX_LEN {
        return ByteString::from(bytes);
    }
    let slot = FixedState::default().hash_one(bytes) as usize % SLOTS;
    RECENT
        .try_with(|recent| {
            let mut recent = recent.try_borrow_mut().ok()?;
            let entry = recent.get_mut(slot)?;
            match entry {
                Some(known) if known.as_bytes() == bytes => Some(known.clone()),
                _ => Some(entry.insert(ByteString::from(bytes)).clone()),
            }
        })
        .ok()
        .flatten()
        .unwrap_or_else(|| ByteString::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_share_one_allocation_and_keep_their_content() {
        let a = shared(b"Person");
        let b = shared(b"Person");
        assert_eq!(a, *"Person");
        assert!(std::ptr::eq(a.as_bytes(), b.as_bytes()));
        let long = vec![b'x'; MAX_LEN + 1];
        let (c, d) = (shared(&long), shared(&long));
        assert_eq!(c.as_bytes(), long.as_slice());
        assert!(!std::ptr::eq(c.as_bytes(), d.as_bytes()));
        assert_eq!(shared(b"").as_bytes(), b"");
    }
}
