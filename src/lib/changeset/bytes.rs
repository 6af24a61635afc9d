//! The byte-string type shared by names, keys and string/binary values.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

/// An immutable byte string, cheap to clone.
///
/// Realm strings are UTF-8 in practice, but the wire format never checks, and a
/// server that forwards changesets must not lose or alter a single byte, so the
/// model keeps raw bytes. Interned strings (class, field and key names, string
/// primary keys) are shared: every instruction that names `Person` holds a clone of
/// the same allocation, so decoding does not allocate per reference, and the merge
/// engine compares names by content without consulting any string table.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteString(Arc<[u8]>);

impl ByteString {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The content as `&str` when it is valid UTF-8 (it almost always is).
    pub fn to_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether this is the empty string (a legal name: typed-link targets, PK-less tables).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for ByteString {
    fn from(s: &str) -> Self {
        ByteString(Arc::from(s.as_bytes()))
    }
}

impl From<String> for ByteString {
    fn from(s: String) -> Self {
        ByteString(Arc::from(s.into_bytes()))
    }
}

impl From<&[u8]> for ByteString {
    fn from(b: &[u8]) -> Self {
        ByteString(Arc::from(b))
    }
}

impl From<Vec<u8>> for ByteString {
    fn from(b: Vec<u8>) -> Self {
        ByteString(Arc::from(b))
    }
}

impl AsRef<[u8]> for ByteString {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Borrow<[u8]> for ByteString {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq<str> for ByteString {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other.as_bytes()
    }
}

impl PartialEq<&str> for ByteString {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == *other.as_bytes()
    }
}

impl PartialEq<[u8]> for ByteString {
    fn eq(&self, other: &[u8]) -> bool {
        *self.0 == *other
    }
}

/// Shows UTF-8 content as a quoted string and anything else as escaped bytes, so
/// `Debug` output of instructions stays readable.
impl fmt::Debug for ByteString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_str() {
            Some(s) => fmt::Debug::fmt(s, f),
            None => write!(f, "b\"{}\"", self.0.escape_ascii()),
        }
    }
}
