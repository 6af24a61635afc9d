//! Fixed-size values that appear both as payloads and as primary keys.

use std::fmt;

/// The internal object id of an object in a class without a user primary key.
///
/// Clients send it as the object key of such objects; it is never a field value.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct GlobalKey {
    pub hi: u64,
    pub lo: u64,
}

/// A BSON ObjectId: 12 bytes in the order of its 24-digit hex form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct ObjectId(pub [u8; 12]);

/// A UUID: 16 bytes in RFC 4122 order (the order of its hex form).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Uuid(pub [u8; 16]);

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The canonical `8-4-4-4-12` lowercase form.
impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A point in time relative to the UNIX epoch, as Realm stores it.
///
/// Realm requires `|nanoseconds| < 10^9` and both parts to share a sign (it aborts
/// on anything else), so only such values can be constructed: a changeset that
/// decodes can always be applied by a client.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Timestamp {
    seconds: i64,
    nanoseconds: i32,
}

impl Timestamp {
    /// Nanoseconds per second; also the exclusive bound of the nanosecond part.
    pub const NANOS_PER_SECOND: i32 = 1_000_000_000;

    /// `None` unless `|nanoseconds| < 10^9` and the parts do not have opposite signs.
    pub fn new(seconds: i64, nanoseconds: i32) -> Option<Timestamp> {
        let in_range = nanoseconds.unsigned_abs() < Self::NANOS_PER_SECOND.unsigned_abs();
        let same_sign = !(seconds > 0 && nanoseconds < 0 || seconds < 0 && nanoseconds > 0);
        (in_range && same_sign).then_some(Timestamp {
            seconds,
            nanoseconds,
        })
    }

    pub fn seconds(&self) -> i64 {
        self.seconds
    }

    pub fn nanoseconds(&self) -> i32 {
        self.nanoseconds
    }
}

/// An IEEE 754-2008 decimal128 value, kept as its raw 128-bit BID pattern.
///
/// The wire format splits the pattern purely by bit position (113-bit
/// coefficient, 14-bit exponent, sign), so every pattern, NaN and infinities
/// included, survives a decode/encode round trip unchanged. `==` is bitwise, so
/// round trips can be checked exactly (`1.0` and `1.00` differ); realm-core
/// compares decimals by value, which [`Decimal128::same_value`] does.
///
/// Stored as two `u64` halves (high first, so the derived order is the
/// pattern's): a `u128` field would align every [`super::Payload`], and so every
/// instruction, to 16 bytes, and the merge reads instructions by the thousand
/// (benches/README.md "Merge").
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal128 {
    hi: u64,
    lo: u64,
}

impl Decimal128 {
    /// Bias subtracted from the stored exponent field.
    pub const EXPONENT_BIAS: i32 = 6176;
    /// Smallest exponent the 14-bit exponent field can hold.
    pub const MIN_EXPONENT: i32 = -Self::EXPONENT_BIAS;
    /// Largest exponent the 14-bit exponent field can hold.
    pub const MAX_EXPONENT: i32 = (1 << 14) - 1 - Self::EXPONENT_BIAS;
    /// Number of coefficient bits in the wire split.
    pub const COEFFICIENT_BITS: u32 = 113;

    const COEFFICIENT_MASK: u128 = (1 << Self::COEFFICIENT_BITS) - 1;

    pub fn from_bits(bits: u128) -> Decimal128 {
        Decimal128 {
            hi: (bits >> 64) as u64,
            lo: bits as u64,
        }
    }

    pub fn to_bits(self) -> u128 {
        u128::from(self.hi) << 64 | u128::from(self.lo)
    }

    /// Builds the pattern `(-1)^negative × coefficient × 10^exponent` the way the
    /// wire format reassembles it; `None` if a part does not fit its bit field.
    pub fn from_parts(coefficient: u128, exponent: i32, negative: bool) -> Option<Decimal128> {
        if coefficient > Self::COEFFICIENT_MASK
            || !(Self::MIN_EXPONENT..=Self::MAX_EXPONENT).contains(&exponent)
        {
            return None;
        }
        let biased = u128::from((exponent + Self::EXPONENT_BIAS).unsigned_abs());
        let bits = coefficient | biased << Self::COEFFICIENT_BITS | u128::from(negative) << 127;
        Some(Decimal128::from_bits(bits))
    }

    /// The low 113 bits: the coefficient in the wire split.
    pub fn coefficient(self) -> u128 {
        self.to_bits() & Self::COEFFICIENT_MASK
    }

    /// Bits 113..127 minus the bias: the exponent in the wire split.
    pub fn exponent(self) -> i32 {
        let field = (self.to_bits() >> Self::COEFFICIENT_BITS) & 0x3FFF;
        // The field has 14 bits, so it always fits an i32.
        i32::try_from(field).unwrap_or(0) - Self::EXPONENT_BIAS
    }

    /// The sign bit.
    pub fn is_negative(self) -> bool {
        self.to_bits() >> 127 == 1
    }

    /// realm-core's `Decimal128::operator==`: equal numbers are equal whatever
    /// their exponents (`1.0` = `1.00`, `0` = `-0`), NaN equals nothing but the
    /// null pattern equals itself. Used by the merge rules to compare writes.
    pub fn same_value(self, other: Decimal128) -> bool {
        if self.to_bits() == NULL_DECIMAL && other.to_bits() == NULL_DECIMAL {
            return true;
        }
        match (self.class(), other.class()) {
            (Class::NaN, _) | (_, Class::NaN) => false,
            (Class::Infinite, Class::Infinite) => self.is_negative() == other.is_negative(),
            (Class::Finite(c1, e1), Class::Finite(c2, e2)) => {
                if c1 == 0 || c2 == 0 {
                    return c1 == c2;
                }
                if self.is_negative() != other.is_negative() {
                    return false;
                }
                // Scale the one with the larger exponent down to the other's.
                let ((big_c, big_e), (small_c, small_e)) = if e1 >= e2 {
                    ((c1, e1), (c2, e2))
                } else {
                    ((c2, e2), (c1, e1))
                };
                u32::try_from(big_e - small_e)
                    .ok()
                    .and_then(|d| 10u128.checked_pow(d))
                    .and_then(|scale| big_c.checked_mul(scale))
                    .is_some_and(|scaled| scaled == small_c)
            }
            _ => false,
        }
    }

    /// The value as IEEE 754-2008 defines it (not the wire split): NaN, infinity,
    /// or coefficient and exponent, with non-canonical coefficients (above
    /// 10^34 − 1) read as zero.
    fn class(self) -> Class {
        let hi = (self.to_bits() >> 64) as u64;
        if hi & 0x7C00_0000_0000_0000 == 0x7C00_0000_0000_0000 {
            return Class::NaN;
        }
        if hi & 0x7800_0000_0000_0000 == 0x7800_0000_0000_0000 {
            return Class::Infinite;
        }
        let (coefficient, biased) = if hi & 0x6000_0000_0000_0000 == 0x6000_0000_0000_0000 {
            (0, (hi >> 47) & 0x3FFF)
        } else {
            (self.to_bits() & Self::COEFFICIENT_MASK, (hi >> 49) & 0x3FFF)
        };
        let coefficient = if coefficient > MAX_CANONICAL_COEFFICIENT {
            0
        } else {
            coefficient
        };
        let exponent = i32::try_from(biased).unwrap_or(0) - Self::EXPONENT_BIAS;
        Class::Finite(coefficient, exponent)
    }
}

/// The BID pattern realm-core uses for a null Decimal128.
pub(crate) const NULL_DECIMAL: u128 = 0x7c00_0000_0000_0000 << 64 | 0xaa;

/// 10^34 − 1, the largest coefficient decimal128 defines.
pub(crate) const MAX_CANONICAL_COEFFICIENT: u128 = 10u128.pow(34) - 1;

enum Class {
    NaN,
    Infinite,
    Finite(u128, i32),
}

impl fmt::Debug for Decimal128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal128({self} / {:#034x})", self.to_bits())
    }
}

/// Realm's own text form (`Decimal128::to_string`): `123.456`, `-1E-10`, `NaN`;
/// patterns whose coefficient exceeds 64 bits use the Intel library form
/// `+<digits>E<sign><exponent>`, as realm-core does.
impl fmt::Display for Decimal128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::render::number::write_decimal(f, *self)
    }
}
