//! Decodes arbitrary bytes as the body of a state snapshot (what a Realm store
//! keeps so that opening it does not replay its history). The fuzzer's bytes
//! are framed with a valid header and checksum, so they reach the body decoder
//! instead of stopping at the checksum. Whatever decodes must survive a round
//! trip (encode, decode: the same state; encode again: the same bytes, since
//! what the encoder writes is canonical) and render without panicking. The
//! decoder may accept bodies the encoder never writes (an unused name in the
//! name table, found by this target), so the input itself need not come back.

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
    let encoded = encode_snapshot(&state);
    let again = decode_snapshot(&encoded).expect("an encoded snapshot decodes");
    assert_eq!(again, state, "the state survives a round trip");
    assert_eq!(encode_snapshot(&again), encoded, "the encoding is canonical");
    let _ = final_state(&state);
});
