//! Bounds on what one message may make the parser read, allocate or inflate.

/// Bounds applied while parsing one message. Every allocation the parser makes is
/// bounded by these, whatever the declared sizes say, so a hostile peer cannot
/// make it use more memory than `max_decompressed_size` plus the message itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest head line, including its line feed. The longest valid PBS head
    /// line (DOWNLOAD with every number at its maximum) is 212 bytes; 256 leaves
    /// room without letting a peer make us scan far for a line feed.
    pub max_header_len: usize,
    /// Largest body as it is on the wire (after the head line). Realm values are
    /// at most 16 MiB and servers batch DOWNLOADs at 16 MiB plus one changeset,
    /// so 64 MiB admits everything a real peer sends.
    pub max_body_size: u64,
    /// Largest inflated UPLOAD/DOWNLOAD body; checked against the declared
    /// `uncompressed_body_size` before inflating and enforced while inflating.
    /// Same reasoning and default as `max_body_size`.
    pub max_decompressed_size: u64,
    /// Most changeset entries in one UPLOAD or DOWNLOAD. Clients stop adding
    /// changesets at 128 KiB of changeset bytes and never send empty ones, so an
    /// upload holds at most about 131 072; 200 000 leaves room while bounding the
    /// per-entry overhead. A server must batch its DOWNLOADs below this too.
    pub max_changesets: usize,
}

impl Limits {
    /// The documented defaults.
    pub const DEFAULT: Self = Self {
        max_header_len: 256,
        max_body_size: 64 << 20,
        max_decompressed_size: 64 << 20,
        max_changesets: 200_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
