//! Reading a changeset an operator hands to `ros changeset decode`: raw bytes, or
//! the same bytes as hex (as in log lines and the captured vectors). Detection is
//! strict: input is hex only when, apart from whitespace, it is nothing but an even
//! number of hex digits; anything else is taken as binary.

/// Decodes `input` from hex when it is hex text, else returns it unchanged.
pub fn bytes_from_hex_or_binary(input: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = input
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let looks_hex = !digits.is_empty() && digits.iter().all(u8::is_ascii_hexdigit);
    match looks_hex.then(|| hex::decode(&digits)).and_then(Result::ok) {
        Some(bytes) => bytes,
        None => input.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_with_whitespace_is_decoded_and_binary_is_kept() {
        assert_eq!(bytes_from_hex_or_binary(b"0a ff\n"), vec![0x0a, 0xff]);
        assert_eq!(bytes_from_hex_or_binary(&[0x0a, 0xff]), vec![0x0a, 0xff]);
        // Odd digit count is not hex: kept as the bytes it is.
        assert_eq!(bytes_from_hex_or_binary(b"abc"), b"abc".to_vec());
        assert_eq!(bytes_from_hex_or_binary(b""), Vec::<u8>::new());
    }
}
