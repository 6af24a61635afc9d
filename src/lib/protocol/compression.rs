//! zlib (RFC 1950) bodies of UPLOAD and DOWNLOAD.

use flate2::{Decompress, FlushDecompress, Status};

use super::error::ParseErrorKind;

/// Whether an UPLOAD or DOWNLOAD body travels compressed.
///
/// Compressed bytes are not canonical (any zlib writer at any level is valid), so
/// a message records only this choice; serializing compresses afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    /// Raw body; `compressed_body_size` is 0.
    #[default]
    Plain,
    /// zlib-framed deflate.
    Zlib,
}

/// Bodies up to this size are never compressed by realm-core's writers.
pub const COMPRESSION_THRESHOLD: usize = 1024;

/// First size of the output buffer. It then doubles (never past the declared
/// size), so a small hostile message cannot make us reserve its whole declared
/// size up front, and a large honest body is not copied once per step.
const INITIAL_OUTPUT: usize = 64 * 1024;

/// Compresses as realm-core does: zlib framing, deflate level 1.
pub(crate) fn deflate(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(body.len() / 2 + 64),
        flate2::Compression::new(1),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

/// The writers' rule: compress bodies over 1024 bytes, and keep the compressed
/// form only if it is strictly smaller.
pub fn writer_compression(uncompressed_body: &[u8]) -> Compression {
    if uncompressed_body.len() <= COMPRESSION_THRESHOLD {
        return Compression::Plain;
    }
    match deflate(uncompressed_body) {
        Ok(compressed) if compressed.len() < uncompressed_body.len() => Compression::Zlib,
        _ => Compression::Plain,
    }
}

/// Inflates `input`, which must be one complete zlib stream producing exactly
/// `declared` bytes. Output never exceeds `declared + 1` bytes in memory.
pub(crate) fn inflate(input: &[u8], declared: usize) -> Result<Vec<u8>, ParseErrorKind> {
    let cap = declared.saturating_add(1);
    let mut out: Vec<u8> = Vec::new();
    let mut inflater = Decompress::new(true);
    loop {
        if out.len() == out.capacity() {
            let room = cap
                .saturating_sub(out.len())
                .min(out.len().max(INITIAL_OUTPUT));
            if room == 0 {
                return Err(ParseErrorKind::InflatedTooLong {
                    declared: declared as u64,
                });
            }
            out.reserve_exact(room);
        }
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        let before = (inflater.total_in(), inflater.total_out());
        let status = inflater
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|e| ParseErrorKind::InflateFailed {
                detail: e.to_string(),
            })?;
        if out.len() > declared {
            return Err(ParseErrorKind::InflatedTooLong {
                declared: declared as u64,
            });
        }
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                let stalled = before == (inflater.total_in(), inflater.total_out());
                if stalled && out.len() < out.capacity() {
                    return Err(ParseErrorKind::InflateFailed {
                        detail: "zlib stream is truncated".to_owned(),
                    });
                }
            }
        }
    }
    let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
    if consumed < input.len() {
        return Err(ParseErrorKind::InflateTrailingInput {
            unused: input.len() - consumed,
        });
    }
    if out.len() < declared {
        return Err(ParseErrorKind::InflatedTooShort {
            declared: declared as u64,
            actual: out.len(),
        });
    }
    Ok(out)
}
