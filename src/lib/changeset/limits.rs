//! Bounds the decoder enforces on untrusted input.

/// Limits applied while decoding.
///
/// Every allocation the decoder makes is already bounded by the input size (it
/// checks a length against the bytes left before copying, and never reserves space
/// from a count it has read), so these limits bound the *amplification* instead:
/// the memory an in-memory instruction takes per wire byte, and the work a later
/// merge does per instruction. The defaults accept everything a realm-core client
/// can produce and apply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Limits {
    /// Longest interned string or String payload, in bytes. Default 16 777 199,
    /// realm-core's `Table::max_string_size`: the reference parser rejects longer
    /// strings, and no Realm column can hold one.
    pub max_string_len: usize,
    /// Longest Binary payload, in bytes. Default 16 777 200, realm-core's
    /// `Table::max_binary_size` (the reference parser has no limit here, but no
    /// Realm column can store more).
    pub max_binary_len: usize,
    /// Most elements in one path. Default 256: realm-core nests collections in a
    /// Mixed at most 100 levels deep (`CollectionParent::s_max_level`), and a path
    /// through lists of embedded objects takes two elements (index, field) per level.
    pub max_path_depth: usize,
    /// Most instructions in one changeset. Default 1 048 576. The smallest
    /// instruction is two bytes on the wire but 112 in memory, and the merge
    /// compares instruction pairs, so this caps both memory (about 117 MB of
    /// instructions at the limit) and merge time; real client transactions stay far
    /// below it.
    pub max_instructions: usize,
}

impl Limits {
    /// realm-core's `Table::max_string_size`.
    pub const REALM_MAX_STRING_LEN: usize = 0xFF_FFF8 - 8 - 1;
    /// realm-core's `Table::max_binary_size`.
    pub const REALM_MAX_BINARY_LEN: usize = 0xFF_FFF8 - 8;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_string_len: Limits::REALM_MAX_STRING_LEN,
            max_binary_len: Limits::REALM_MAX_BINARY_LEN,
            max_path_depth: 256,
            max_instructions: 1 << 20,
        }
    }
}

/// Longest class name Realm accepts: table names are limited to 63 bytes and the
/// `class_` prefix the client adds takes 6 of them. Not configurable: a longer name
/// can never be applied by any client.
pub const MAX_CLASS_NAME_LEN: usize = 63 - 6;
