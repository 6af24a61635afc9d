//! Ids of users and refresh sessions: 12 bytes shown as 24 lower-case hex characters,
//! laid out like a MongoDB ObjectId (4-byte big-endian seconds, 5 bytes chosen once
//! per process, 3-byte counter). That layout keeps ids unique across processes
//! without coordination, sorts them roughly by creation time (so paging by id is
//! stable for new users) and lets them travel wherever an ObjectId is expected.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::random::random_bytes;

const BYTES: usize = 12;
const HEX_LEN: usize = 2 * BYTES;

/// The text given where an id was expected is not 24 lower-case hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an id: ids are 24 lower-case hexadecimal characters")]
pub struct InvalidId(pub String);

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct ObjectId([u8; BYTES]);

struct ProcessPart {
    random: [u8; 5],
    counter: AtomicU32,
}

fn process_part() -> &'static ProcessPart {
    static PART: OnceLock<ProcessPart> = OnceLock::new();
    PART.get_or_init(|| {
        let seed: [u8; 8] = random_bytes();
        let mut random = [0; 5];
        random.copy_from_slice(&seed[..5]);
        ProcessPart {
            random,
            counter: AtomicU32::new(u32::from_be_bytes([0, seed[5], seed[6], seed[7]])),
        }
    })
}

impl ObjectId {
    fn generate(now: SystemTime) -> ObjectId {
        // Seconds wrap in 2106 like every ObjectId; times before 1970 count as 0.
        let seconds = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(0);
        let part = process_part();
        let count = part.counter.fetch_add(1, Ordering::Relaxed) & 0x00ff_ffff;
        let mut bytes = [0; BYTES];
        bytes[..4].copy_from_slice(&seconds.to_be_bytes());
        bytes[4..9].copy_from_slice(&part.random);
        bytes[9..].copy_from_slice(&count.to_be_bytes()[1..]);
        ObjectId(bytes)
    }

    fn parse(text: &str) -> Result<ObjectId, InvalidId> {
        let lower_hex = text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if text.len() != HEX_LEN || !lower_hex {
            return Err(InvalidId(text.to_string()));
        }
        let mut bytes = [0; BYTES];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| InvalidId(text.to_string()))?;
        Ok(ObjectId(bytes))
    }

    fn creation_time(self) -> SystemTime {
        let seconds = u32::from_be_bytes([self.0[0], self.0[1], self.0[2], self.0[3]]);
        UNIX_EPOCH + std::time::Duration::from_secs(u64::from(seconds))
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(ObjectId);

        impl $name {
            /// A fresh id; `now` supplies its time part.
            pub fn generate(now: SystemTime) -> $name {
                $name(ObjectId::generate(now))
            }

            /// The second the id was generated in, as recorded in its first four bytes.
            pub fn creation_time(self) -> SystemTime {
                self.0.creation_time()
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(text: &str) -> Result<$name, InvalidId> {
                ObjectId::parse(text).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id_type!(
    /// A user of this server. Only 24 lower-case hex characters parse into one, so a
    /// value of this type is always safe to put in a path, a URL or a token.
    UserId
);

id_type!(
    /// A refresh session: one login. Refresh tokens name it so that logging out or
    /// deleting the user ends every token of that login at once.
    SessionId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn generated_ids_round_trip_and_carry_their_second() {
        let now = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
        let id = UserId::generate(now);
        let text = id.to_string();
        assert_eq!(text.len(), 24);
        assert!(text.starts_with(&format!("{:08x}", 1_790_000_000u32)));
        assert_eq!(text.parse::<UserId>(), Ok(id));
        assert_eq!(id.creation_time(), now);
    }

    #[test]
    fn ids_of_one_second_differ_and_sort_in_creation_order() {
        let now = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
        let a = SessionId::generate(now);
        let b = SessionId::generate(now);
        assert_ne!(a, b);
        let later = SessionId::generate(now + Duration::from_secs(1));
        assert!(later > a && later > b);
    }

    #[test]
    fn only_lower_case_hex_of_length_24_parses() {
        for bad in [
            "",
            "65f1c0de2a9b4c001234567",
            "65f1c0de2a9b4c00123456789",
            "65F1C0DE2A9B4C0012345678",
            "65f1c0de2a9b4c001234567g",
            "__admin",
            "65f1c0de2a9b4c00123456é",
        ] {
            assert_eq!(
                bad.parse::<UserId>(),
                Err(InvalidId(bad.to_string())),
                "{bad}"
            );
        }
        assert!("65f1c0de2a9b4c0012345678".parse::<UserId>().is_ok());
    }
}
