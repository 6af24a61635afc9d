//! The negotiated protocol version, which decides which message kinds exist.

use std::fmt;

/// A partition-based sync protocol version this server can speak: 2 ..= 14.
///
/// Version 1 (realm-core 10.0–10.2) is not served by the reference server
/// either; 15 and up do not exist yet. The head-line formats of the PBS messages
/// are the same in all of these versions; what changes is which kinds may be
/// sent (JSON_ERROR, LOG_MESSAGE, REFRESH), see [`super::MessageKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProtocolVersion(u8);

impl ProtocolVersion {
    /// The oldest version: current clients still offer it, realm-core 10.3 needs it.
    pub const MIN: Self = Self(2);
    /// The newest version realm-core speaks (14.11 and later).
    pub const MAX: Self = Self(14);

    /// Accepts 2 ..= 14.
    pub const fn new(version: u32) -> Option<Self> {
        if version >= Self::MIN.0 as u32 && version <= Self::MAX.0 as u32 {
            Some(Self(version as u8))
        } else {
            None
        }
    }

    /// The version number.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// Every supported version, oldest first.
    pub fn all() -> impl Iterator<Item = Self> {
        (Self::MIN.0..=Self::MAX.0).map(Self)
    }

    /// Reads the version out of a partition-based sync WebSocket subprotocol
    /// token: `com.mongodb.realm-sync#N` (protocol 8 and later clients) or
    /// `com.mongodb.realm-sync/N` (older ones). Ranges and FLX tokens are the
    /// negotiation's business, not this function's.
    pub fn from_pbs_subprotocol(token: &str) -> Option<Self> {
        let digits = token
            .strip_prefix("com.mongodb.realm-sync#")
            .or_else(|| token.strip_prefix("com.mongodb.realm-sync/"))?;
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        Self::new(digits.parse().ok()?)
    }

    /// The subprotocol token a server answers with: clients below 8 only know the
    /// `/` separator, clients from 8 on only the `#` one.
    pub fn pbs_subprotocol(self) -> String {
        let separator = if self.0 < 8 { '/' } else { '#' };
        format!("com.mongodb.realm-sync{separator}{}", self.0)
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
