//! Base64 as the token forms need it. Emitting is exact (standard with padding for
//! the legacy form, base64url without padding for JWTs); reading is as lenient as
//! realm-core's decoder (docs/protocol.md §11.1): either alphabet, padding optional,
//! space, TAB and LF skipped. A token that one client library accepts is thus
//! accepted here too.

use base64::alphabet;
use base64::engine::general_purpose::{
    GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE_NO_PAD,
};
use base64::engine::DecodePaddingMode;
use base64::Engine;

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub(crate) fn encode_standard(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub(crate) fn encode_url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes either alphabet, with or without padding; `None` if it is not base64.
pub(crate) fn decode_lenient(text: &str) -> Option<Vec<u8>> {
    let normalized: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\n'))
        .map(|b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    LENIENT.decode(normalized).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_alphabets_with_or_without_padding_decode_alike() {
        let bytes = [0xfb, 0xff, 0xbf, 0x00, 0x41];
        let standard = encode_standard(&bytes);
        let url = encode_url(&bytes);
        assert_eq!(standard, "+/+/AEE=");
        assert_eq!(url, "-_-_AEE");
        for text in [
            standard.as_str(),
            url.as_str(),
            "+/+/AEE",
            "-_-_AEE=",
            "+/+/\nAE E=\t",
        ] {
            assert_eq!(
                decode_lenient(text).as_deref(),
                Some(&bytes[..]),
                "{text:?}"
            );
        }
    }

    #[test]
    fn other_bytes_and_data_after_padding_are_refused() {
        for text in ["ab:c", "abc=d", "ab\rcd", "a", "ab!c"] {
            assert_eq!(decode_lenient(text), None, "{text:?}");
        }
    }
}
