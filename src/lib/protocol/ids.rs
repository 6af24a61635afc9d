//! Newtypes for the numbers the protocol carries.
//!
//! Every unsigned protocol quantity is limited to `0 ..= 2^63 - 1` (the spec's
//! "u64, further limited to `< 2^63`"): realm-core stores them in signed 64-bit
//! columns and parses some of them as `i64`, so a larger value is never valid.
//! Enforcing that here lets storage code convert any of these to `i64` without
//! a check, and keeps each kind of number from being passed where another is
//! expected.

use std::fmt;

/// The largest value any unsigned protocol quantity may take.
pub const MAX_PROTOCOL_U64: u64 = i64::MAX as u64;

/// The value was at or above 2^63.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{value} is above the protocol maximum 2^63-1")]
pub struct OutOfRange {
    /// The rejected value.
    pub value: u64,
}

macro_rules! protocol_u63 {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(u64);

        impl $name {
            /// Zero, the value meaning "none yet" for this quantity.
            pub const ZERO: Self = Self(0);
            /// The largest valid value.
            pub const MAX: Self = Self(MAX_PROTOCOL_U64);

            /// Checks the protocol range; `None` at or above 2^63.
            pub const fn new(value: u64) -> Option<Self> {
                if value <= MAX_PROTOCOL_U64 {
                    Some(Self(value))
                } else {
                    None
                }
            }

            /// The number as it goes on the wire.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl TryFrom<u64> for $name {
            type Error = OutOfRange;
            fn try_from(value: u64) -> Result<Self, OutOfRange> {
                Self::new(value).ok_or(OutOfRange { value })
            }
        }

        impl From<$name> for u64 {
            fn from(value: $name) -> u64 {
                value.0
            }
        }

        impl From<$name> for i64 {
            /// Lossless: the range check at construction keeps every value below 2^63.
            fn from(value: $name) -> i64 {
                value.0 as i64
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

protocol_u63!(
    /// Names one session on one connection; chosen by the client, 0 means
    /// "the connection itself" in ERROR, JSON_ERROR and LOG_MESSAGE.
    SessionIdent
);
protocol_u63!(
    /// A client file's identity with respect to one server file; 0 is "none", 1 the server.
    FileIdent
);
protocol_u63!(
    /// A position in a server file's history (number of entries produced).
    ServerVersion
);
protocol_u63!(
    /// A position in a client file's local history.
    ClientVersion
);
protocol_u63!(
    /// Pairs a MARK request with its answer, or a TEST_COMMAND with its reply.
    RequestIdent
);
protocol_u63!(
    /// Milliseconds since 2015-01-01T00:00:00Z at which a changeset was first committed.
    OriginTimestamp
);
protocol_u63!(
    /// A byte count that is reported rather than derived from a body
    /// (`downloadable_bytes`, `original_changeset_size`).
    ByteCount
);

/// A random salt that proves a file ident or server version was issued by this
/// server history; servers pick 1 ..= 2^63-1 but the wire allows any `i64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Salt(pub i64);

/// A millisecond count on the client's monotonic clock (PING timestamp, round trip).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub i64);

impl fmt::Display for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
