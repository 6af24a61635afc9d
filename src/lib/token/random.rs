//! Random bytes from the operating system through aws-lc, the one generator the
//! crate already trusts for key generation.

/// Fills an array with random bytes.
///
/// aws-lc's generator aborts the process rather than return bad bytes, so the
/// error branch cannot be reached in practice; there is no sensible way to go on
/// without randomness (ids and salts would repeat), hence the panic.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system random number generator failed");
    bytes
}
