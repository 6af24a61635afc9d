//! Decodes arbitrary bytes as the body of a state snapshot (what a Realm store
//! keeps so that opening it does not replay its history). The fuzzer's bytes
//! are framed with a valid header and checksum, so they reach the body decoder
//! instead of stopping at the checksum. Whatever decodes must encode back to the
//! same bytes (the format is canonical) and render without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ros::objects::{
    decode_snapshot, encode_snapshot, final_state, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_MAGIC,
};

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = SNAPSHOT_MAGIC.to_vec();
    out.extend_from_slice(&SNAPSHOT_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    let mut crc = flate2::Crc::new();
    crc.update(&out);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let bytes = framed(data);
    let Ok(state) = decode_snapshot(&bytes) else { return };
    assert_eq!(encode_snapshot(&state), bytes, "a decoded snapshot encodes back to itself");
    let _ = final_state(&state);
});
