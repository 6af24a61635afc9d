//! The size-limited byte strings of BIND and REFRESH.
//!
//! The reference server refuses longer values with ERROR 103 before looking at
//! them, so a value outside these bounds can never be sent usefully; the types
//! make such a BIND impossible to build.

/// The first body part of BIND: a Realm's identifier as sent (partition-based sync:
/// the partition value as Extended JSON, e.g. `"tasks"` with the quotes, or a
/// path like `/demo`). Arbitrary bytes, 1 ..= 1024 of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BindPath(Vec<u8>);

/// A signed user token as carried in BIND or REFRESH: empty for current
/// clients (they put it in the upgrade request), at most 2048 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SignedToken(Vec<u8>);

/// A path or token outside its allowed length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("length {len} outside {min} ..= {max}")]
pub struct BadLength {
    /// The offered length.
    pub len: usize,
    /// Shortest allowed.
    pub min: usize,
    /// Longest allowed.
    pub max: usize,
}

impl BindPath {
    /// Longest path the reference server accepts (`s_max_path_size`).
    pub const MAX_LEN: usize = 1024;

    /// Checks 1 ..= 1024 bytes.
    pub fn new(bytes: Vec<u8>) -> Result<Self, BadLength> {
        if bytes.is_empty() || bytes.len() > Self::MAX_LEN {
            return Err(BadLength {
                len: bytes.len(),
                min: 1,
                max: Self::MAX_LEN,
            });
        }
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl SignedToken {
    /// Longest token the reference server accepts (`s_max_signed_user_token_size`).
    pub const MAX_LEN: usize = 2048;

    /// Checks at most 2048 bytes.
    pub fn new(bytes: Vec<u8>) -> Result<Self, BadLength> {
        if bytes.len() > Self::MAX_LEN {
            return Err(BadLength {
                len: bytes.len(),
                min: 0,
                max: Self::MAX_LEN,
            });
        }
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}
