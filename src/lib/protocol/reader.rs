//! A cursor over message bytes that reads canonical decimal fields.
//!
//! realm-core's own parser is lenient (leading zeros, `-0`, any non-zero
//! boolean); its writers never produce those forms. Accepting only what the
//! writers produce makes every accepted message serialize back to the same bytes.

use super::error::{FieldProblem, Position};

/// The byte that must follow a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Term {
    Space,
    LineFeed,
}

impl Term {
    fn byte(self) -> u8 {
        match self {
            Self::Space => b' ',
            Self::LineFeed => b'\n',
        }
    }
}

/// Why a token could not be read, before the caller adds its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Problem(FieldProblem),
    /// Input ended inside the token or before its terminator.
    End,
    /// A line feed where a space (and another field) was expected.
    WantedSpace,
    /// A space where the line feed (end of the head line) was expected.
    WantedLineFeed,
}

/// A fault at a reader-local byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenError {
    pub at: usize,
    pub fault: Fault,
}

/// Reads fields from `bytes`, reporting positions as `base + local offset` in
/// the message, or as offsets into an inflated body.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    inflated: bool,
}

impl<'a> Reader<'a> {
    /// A reader over (part of) a message starting at message offset `base`.
    pub fn in_message(bytes: &'a [u8], base: usize) -> Self {
        Self {
            bytes,
            pos: 0,
            base,
            inflated: false,
        }
    }

    /// A reader over an inflated body.
    pub fn in_inflated(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            base: 0,
            inflated: true,
        }
    }

    /// The current reader-local offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The position of a reader-local offset, for error reports.
    pub fn position(&self, local: usize) -> Position {
        if self.inflated {
            Position::Inflated(local)
        } else {
            Position::Message(self.base.saturating_add(local))
        }
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub fn is_at_end(&self) -> bool {
        self.remaining() == 0
    }

    /// The next `len` bytes, or `None` (and nothing consumed) if fewer remain.
    pub fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let slice = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn fault(&self, at: usize, fault: Fault) -> TokenError {
        TokenError { at, fault }
    }

    /// Reads an unsigned decimal number followed by `term`.
    pub fn unsigned(&mut self, term: Term) -> Result<u64, TokenError> {
        let start = self.pos;
        match self.peek() {
            Some(b'+' | b'-') => return Err(self.fault(start, Fault::Problem(FieldProblem::Sign))),
            None => return Err(self.fault(start, Fault::End)),
            Some(_) => {}
        }
        let value = self.digits(start)?;
        self.terminator(term)?;
        Ok(value)
    }

    /// Reads a signed decimal number (optional leading `-`) followed by `term`.
    pub fn signed(&mut self, term: Term) -> Result<i64, TokenError> {
        let start = self.pos;
        let negative = match self.peek() {
            Some(b'+') => return Err(self.fault(start, Fault::Problem(FieldProblem::Sign))),
            Some(b'-') => {
                self.pos += 1;
                true
            }
            None => return Err(self.fault(start, Fault::End)),
            Some(_) => false,
        };
        let magnitude = self.digits(start)?;
        let value = if negative {
            if magnitude == 0 {
                return Err(self.fault(start, Fault::Problem(FieldProblem::NegativeZero)));
            }
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        let value = value.ok_or(self.fault(start, Fault::Problem(FieldProblem::Overflow)))?;
        self.terminator(term)?;
        Ok(value)
    }

    /// Reads the digits of a number whose text starts at `start` (before any sign).
    fn digits(&mut self, start: usize) -> Result<u64, TokenError> {
        let first = self.pos;
        let mut value: u64 = 0;
        while let Some(byte @ b'0'..=b'9') = self.peek() {
            let digit = u64::from(byte - b'0');
            let Some(next) = value.checked_mul(10).and_then(|v| v.checked_add(digit)) else {
                return Err(self.fault(start, Fault::Problem(FieldProblem::Overflow)));
            };
            value = next;
            self.pos += 1;
        }
        let count = self.pos - first;
        if count == 0 {
            return Err(match self.peek() {
                None => self.fault(self.pos, Fault::End),
                Some(b' ' | b'\n') => self.fault(start, Fault::Problem(FieldProblem::Empty)),
                Some(other) => {
                    self.fault(self.pos, Fault::Problem(FieldProblem::InvalidByte(other)))
                }
            });
        }
        if count > 1 && self.bytes.get(first) == Some(&b'0') {
            return Err(self.fault(start, Fault::Problem(FieldProblem::LeadingZero)));
        }
        Ok(value)
    }

    fn terminator(&mut self, term: Term) -> Result<(), TokenError> {
        let at = self.pos;
        match self.peek() {
            None => Err(self.fault(at, Fault::End)),
            Some(byte) if byte == term.byte() => {
                self.pos += 1;
                Ok(())
            }
            Some(b'\n') => Err(self.fault(at, Fault::WantedSpace)),
            Some(b' ') => Err(self.fault(at, Fault::WantedLineFeed)),
            Some(other) => Err(self.fault(at, Fault::Problem(FieldProblem::InvalidByte(other)))),
        }
    }
}
