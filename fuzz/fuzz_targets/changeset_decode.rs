//! Decodes arbitrary bytes as a changeset. Whatever decodes must re-encode (in
//! both layouts) to bytes that decode to the same instructions and string table,
//! and must render without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ros::changeset::{decode, encode, encode_with_layout, render, Layout};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode(data) else { return };
    for layout in [Layout::TableFirst, Layout::Lazy] {
        let bytes = encode_with_layout(&decoded, layout);
        let again = decode(&bytes).expect("re-encoded changeset decodes");
        assert_eq!(again, decoded, "{layout:?}");
        if !decoded.instructions.is_empty() {
            assert_eq!(again.strings, decoded.strings, "{layout:?}");
        }
    }
    assert_eq!(encode(&decode(&encode(&decoded)).expect("decodes")), encode(&decoded));
    let text = render::to_text(&decoded);
    assert_eq!(text.lines().count(), decoded.instructions.len());
    let _ = render::to_json(&decoded);
});
