//! A cursor over changeset bytes that knows which record and field it is reading,
//! so every primitive read can fail with a complete [`DecodeError`].

use super::bytes::ByteString;
use super::error::{DecodeError, DecodeErrorKind, Field, IntWidth, Record};
use super::limits::{Limits, MAX_CLASS_NAME_LEN};
use super::strings::StringTable;
use super::varint::{self, VarintError};

/// A decode error, boxed while it travels up: every primitive read returns a
/// `Result`, and keeping the error out of line keeps those results small.
pub(crate) type Fail = Box<DecodeError>;

pub(crate) struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    pub(crate) limits: Limits,
    pub(crate) strings: StringTable,
    pub(crate) record: Record,
    pub(crate) field: Field,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8], limits: Limits) -> Reader<'a> {
        Reader {
            input,
            pos: 0,
            limits,
            strings: StringTable::new(),
            record: Record::Start,
            field: Field::Tag,
        }
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Sets the field that subsequent reads belong to (for error reports).
    pub(crate) fn field(&mut self, field: Field) -> &mut Self {
        self.field = field;
        self
    }

    /// An error at `offset` in the current record and field.
    pub(crate) fn error_at(&self, offset: usize, kind: DecodeErrorKind) -> Fail {
        Box::new(DecodeError {
            offset,
            record: self.record,
            field: self.field,
            kind,
        })
    }

    fn remaining(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }

    /// Reads a varint; returns its magnitude and sign flag.
    fn varint(&mut self, width: IntWidth) -> Result<(u64, bool), Fail> {
        let start = self.pos;
        match varint::read(self.remaining(), width) {
            Ok((magnitude, negative, len)) => {
                self.pos += len;
                Ok((magnitude, negative))
            }
            Err(e) => Err(self.error_at(start, varint_error_kind(e, width))),
        }
    }

    pub(crate) fn i64(&mut self) -> Result<i64, Fail> {
        let (magnitude, negative) = self.varint(IntWidth::I64)?;
        // The magnitude is at most i64::MAX (checked by the varint reader).
        let value = i64::try_from(magnitude).unwrap_or(i64::MAX);
        Ok(if negative { !value } else { value })
    }

    pub(crate) fn i32(&mut self) -> Result<i32, Fail> {
        let (magnitude, negative) = self.varint(IntWidth::I32)?;
        let value = i32::try_from(magnitude).unwrap_or(i32::MAX);
        Ok(if negative { !value } else { value })
    }

    pub(crate) fn u64(&mut self) -> Result<u64, Fail> {
        Ok(self.varint(IntWidth::U64)?.0)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Fail> {
        let magnitude = self.varint(IntWidth::U32)?.0;
        Ok(u32::try_from(magnitude).unwrap_or(u32::MAX))
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Fail> {
        let magnitude = self.varint(IntWidth::U8)?.0;
        Ok(u8::try_from(magnitude).unwrap_or(u8::MAX))
    }

    /// A `vint<u8>` bool: any non-zero value is true, as in the reference.
    pub(crate) fn bool(&mut self) -> Result<bool, Fail> {
        Ok(self.u8()? != 0)
    }

    /// A Decimal128 coefficient varint.
    pub(crate) fn coefficient(&mut self) -> Result<u128, Fail> {
        let start = self.pos;
        match varint::read_coefficient(self.remaining()) {
            Ok((value, len)) => {
                self.pos += len;
                Ok(value)
            }
            Err(e) => Err(self.error_at(start, varint_error_kind(e, IntWidth::Coefficient))),
        }
    }

    /// The next `len` raw bytes.
    fn bytes(&mut self, len: u64) -> Result<&'a [u8], Fail> {
        let start = self.pos;
        let remaining = self.remaining();
        let slice = usize::try_from(len)
            .ok()
            .and_then(|n| remaining.get(..n))
            .ok_or_else(|| {
                self.error_at(
                    start,
                    DecodeErrorKind::Truncated {
                        needed: len,
                        available: remaining.len(),
                    },
                )
            })?;
        self.pos += slice.len();
        Ok(slice)
    }

    /// A fixed-size array (float, double, ObjectId, UUID).
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], Fail> {
        let slice = self.bytes(N as u64)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    /// An inline string (`STR`) of at most `max` bytes; `too_long` builds the error.
    fn sized(
        &mut self,
        max: usize,
        too_long: fn(u64, usize) -> DecodeErrorKind,
    ) -> Result<&'a [u8], Fail> {
        let start = self.pos;
        let len = self.u64()?;
        if usize::try_from(len).map_or(true, |n| n > max) {
            return Err(self.error_at(start, too_long(len, max)));
        }
        self.bytes(len)
    }

    /// A String payload or InternString body.
    pub(crate) fn string(&mut self) -> Result<&'a [u8], Fail> {
        let max = self.limits.max_string_len;
        self.sized(max, |length, max| DecodeErrorKind::StringTooLong {
            length,
            max,
        })
    }

    /// A Binary payload.
    pub(crate) fn binary(&mut self) -> Result<&'a [u8], Fail> {
        let max = self.limits.max_binary_len;
        self.sized(max, |length, max| DecodeErrorKind::BinaryTooLong {
            length,
            max,
        })
    }

    /// A reference to an already defined interned string.
    pub(crate) fn interned(&mut self) -> Result<ByteString, Fail> {
        let start = self.pos;
        let index = self.u32()?;
        match self.strings.get(index) {
            Some(s) => Ok(s.clone()),
            None => {
                let defined = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
                Err(self.error_at(start, DecodeErrorKind::UndefinedString { index, defined }))
            }
        }
    }

    /// An interned class name, which Realm limits to 57 bytes.
    pub(crate) fn class_name(&mut self) -> Result<ByteString, Fail> {
        let start = self.pos;
        let name = self.interned()?;
        if name.len() > MAX_CLASS_NAME_LEN {
            let kind = DecodeErrorKind::ClassNameTooLong {
                length: name.len(),
                max: MAX_CLASS_NAME_LEN,
            };
            return Err(self.error_at(start, kind));
        }
        Ok(name)
    }
}

fn varint_error_kind(e: VarintError, width: IntWidth) -> DecodeErrorKind {
    match e {
        VarintError::End { read } => DecodeErrorKind::Truncated {
            needed: read as u64 + 1,
            available: read,
        },
        VarintError::TooLong => DecodeErrorKind::VarintTooLong {
            width,
            max_bytes: width.max_bytes(),
        },
        VarintError::Overflow => DecodeErrorKind::VarintOverflow { width },
        VarintError::Negative => DecodeErrorKind::NegativeUnsigned { width },
    }
}
