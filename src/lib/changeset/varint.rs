//! realm-core's variable-length integers.
//!
//! Not LEB128: continuation bytes carry 7 bits, little-endian, and the final byte
//! carries 6 bits plus a sign flag (bit 6). A negative `v` is written as the
//! magnitude `!v` with the flag set, so -1 is `40` and 64 is `C0 00`.

use super::error::IntWidth;

/// Why a varint could not be read; the caller adds record, field and offset.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum VarintError {
    /// Input ended after `read` bytes of the varint.
    End {
        read: usize,
    },
    TooLong,
    Overflow,
    Negative,
}

impl IntWidth {
    /// Most bytes the reference decoder reads for this width.
    pub(crate) fn max_bytes(self) -> usize {
        match self {
            IntWidth::I64 | IntWidth::U64 => 10,
            IntWidth::I32 | IntWidth::U32 => 5,
            IntWidth::U8 => 2,
            IntWidth::Coefficient => 17,
        }
    }

    fn max_magnitude(self) -> u128 {
        match self {
            IntWidth::I64 => i64::MAX as u128,
            IntWidth::U64 => u128::from(u64::MAX),
            IntWidth::I32 => i32::MAX as u128,
            IntWidth::U32 => u128::from(u32::MAX),
            IntWidth::U8 => u128::from(u8::MAX),
            IntWidth::Coefficient => u128::MAX,
        }
    }

    fn is_signed(self) -> bool {
        matches!(self, IntWidth::I64 | IntWidth::I32)
    }
}

/// Reads one varint of `width` from the start of `input`: its magnitude, whether the
/// sign flag was set (only possible for signed widths) and the bytes consumed.
/// Non-minimal forms are accepted, as by the reference decoder.
pub(crate) fn read(input: &[u8], width: IntWidth) -> Result<(u64, bool, usize), VarintError> {
    let max_bytes = width.max_bytes();
    let mut acc: u128 = 0;
    for i in 0..max_bytes {
        let byte = *input.get(i).ok_or(VarintError::End { read: i })?;
        let shift = 7 * i;
        if byte & 0x80 == 0 {
            acc |= u128::from(byte & 0x3F) << shift;
            if acc > width.max_magnitude() {
                return Err(VarintError::Overflow);
            }
            let negative = byte & 0x40 != 0;
            if negative && !width.is_signed() {
                return Err(VarintError::Negative);
            }
            // `acc` fits in 64 bits: every width but Coefficient is at most u64.
            let magnitude = u64::try_from(acc).map_err(|_| VarintError::Overflow)?;
            return Ok((magnitude, negative, i + 1));
        }
        acc |= u128::from(byte & 0x7F) << shift;
    }
    Err(VarintError::TooLong)
}

/// Reads a Decimal128 coefficient: an unsigned 128-bit varint of at most 17 bytes
/// whose final byte contributes all 7 low bits (the reference decoder has no sign
/// bit here). Returns the value and the bytes consumed.
pub(crate) fn read_coefficient(input: &[u8]) -> Result<(u128, usize), VarintError> {
    let mut acc: u128 = 0;
    for i in 0..IntWidth::Coefficient.max_bytes() {
        let byte = *input.get(i).ok_or(VarintError::End { read: i })?;
        acc |= u128::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((acc, i + 1));
        }
    }
    Err(VarintError::TooLong)
}

/// Writes `magnitude` in minimal form, with the sign flag if `negative`.
fn write_magnitude(out: &mut Vec<u8>, mut magnitude: u128, negative: bool) {
    while magnitude >= 0x40 {
        out.push(0x80 | (magnitude & 0x7F) as u8);
        magnitude >>= 7;
    }
    out.push(if negative { 0x40 } else { 0 } | magnitude as u8);
}

pub(crate) fn write_i64(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        write_magnitude(out, u128::from(!value as u64), true);
    } else {
        write_magnitude(out, u128::from(value as u64), false);
    }
}

pub(crate) fn write_u64(out: &mut Vec<u8>, value: u64) {
    write_magnitude(out, u128::from(value), false);
}

pub(crate) fn write_u128(out: &mut Vec<u8>, value: u128) {
    write_magnitude(out, value, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc_i64(v: i64) -> Vec<u8> {
        let mut out = Vec::new();
        write_i64(&mut out, v);
        out
    }

    #[test]
    fn spec_reference_values_encode_and_decode() {
        let table: &[(i64, &[u8])] = &[
            (0, &[0x00]),
            (1, &[0x01]),
            (63, &[0x3F]),
            (64, &[0xC0, 0x00]),
            (65, &[0xC1, 0x00]),
            (127, &[0xFF, 0x00]),
            (128, &[0x80, 0x01]),
            (300, &[0xAC, 0x02]),
            (8191, &[0xFF, 0x3F]),
            (8192, &[0x80, 0xC0, 0x00]),
            (1_420_070_400_000, &[0x80, 0xE0, 0xAA, 0x96, 0xAA, 0x29]),
            (-1, &[0x40]),
            (-2, &[0x41]),
            (-6, &[0x45]),
            (-64, &[0x7F]),
            (-65, &[0xC0, 0x40]),
            (-100, &[0xE3, 0x40]),
            (-300, &[0xAB, 0x42]),
            (
                i64::MAX,
                &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
            ),
            (
                i64::MIN,
                &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x40],
            ),
        ];
        for (value, bytes) in table {
            assert_eq!(enc_i64(*value), *bytes, "encoding {value}");
            let (m, neg, n) = read(bytes, IntWidth::I64).expect("decodes");
            let decoded = if neg { !(m as i64) } else { m as i64 };
            assert_eq!((decoded, n), (*value, bytes.len()), "decoding {bytes:02X?}");
        }
        let mut out = Vec::new();
        write_u64(&mut out, u64::MAX);
        assert_eq!(
            out,
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        );
        assert_eq!(read(&out, IntWidth::U64), Ok((u64::MAX, false, 10)));
    }

    #[test]
    fn width_bounds_are_exact() {
        assert_eq!(read(&[0xFF, 0x01], IntWidth::U8), Ok((255, false, 2)));
        assert_eq!(
            read(&[0x80, 0x02], IntWidth::U8),
            Err(VarintError::Overflow)
        );
        assert_eq!(read(&[0x80, 0x80], IntWidth::U8), Err(VarintError::TooLong));
        assert_eq!(
            read(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F], IntWidth::U32),
            Ok((u64::from(u32::MAX), false, 5))
        );
        assert_eq!(
            read(&[0x80, 0x80, 0x80, 0x80, 0x10], IntWidth::U32),
            Err(VarintError::Overflow)
        );
        assert_eq!(
            read(&[0xFF, 0xFF, 0xFF, 0xFF, 0x07], IntWidth::I32),
            Ok((i32::MAX as u64, false, 5))
        );
        assert_eq!(
            read(&[0x80, 0x80, 0x80, 0x80, 0x08], IntWidth::I32),
            Err(VarintError::Overflow)
        );
        assert_eq!(read(&[0x41], IntWidth::U32), Err(VarintError::Negative));
        assert_eq!(read(&[0x80, 0x00], IntWidth::U32), Ok((0, false, 2)));
        assert_eq!(
            read(&[0x80], IntWidth::U32),
            Err(VarintError::End { read: 1 })
        );
    }

    #[test]
    fn coefficient_takes_seven_bits_in_final_byte() {
        assert_eq!(read_coefficient(&[0x0F]), Ok((15, 1)));
        assert_eq!(read_coefficient(&[0x7F]), Ok((127, 1)));
        let mut out = Vec::new();
        write_u128(&mut out, 1 << 112);
        assert_eq!(read_coefficient(&out), Ok((1 << 112, out.len())));
        assert_eq!(read_coefficient(&[0x80; 17]), Err(VarintError::TooLong));
    }
}
