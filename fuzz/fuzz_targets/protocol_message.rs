//! Arbitrary bytes through both parsers; whatever parses must serialize and
//! parse back to the same message, byte for byte when the body is uncompressed.
//!
//! The first input byte picks the protocol version (2 + byte % 13), the rest is
//! the message.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ros::protocol::{ClientMessage, Compression, Limits, ProtocolVersion, ServerMessage};

/// Small enough that a single run cannot exhaust memory, large enough to cover
/// compressed bodies above the 1024-byte compression threshold.
const LIMITS: Limits = Limits {
    max_header_len: 256,
    max_body_size: 1 << 20,
    max_decompressed_size: 1 << 20,
    max_changesets: 4096,
};

/// Our compressor may write a larger body than the peer's did.
const REPARSE_LIMITS: Limits = Limits {
    max_body_size: 2 << 20,
    ..LIMITS
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let version = ProtocolVersion::new(2 + u32::from(selector) % 13)
        .expect("2 ..= 14 is a supported version");

    if let Ok(message) = ClientMessage::parse(bytes, version, &LIMITS) {
        let written = message
            .to_bytes(version)
            .expect("a parsed client message serializes");
        let reparsed = ClientMessage::parse(&written, version, &REPARSE_LIMITS)
            .expect("serialized client message parses");
        assert_eq!(reparsed, message);
        if !matches!(&message, ClientMessage::Upload(u) if u.compression == Compression::Zlib) {
            assert_eq!(
                written, bytes,
                "uncompressed client message reproduces its bytes"
            );
        }
    }

    if let Ok(message) = ServerMessage::parse(bytes, version, &LIMITS) {
        let written = message
            .to_bytes(version)
            .expect("a parsed server message serializes");
        let reparsed = ServerMessage::parse(&written, version, &REPARSE_LIMITS)
            .expect("serialized server message parses");
        assert_eq!(reparsed, message);
        if !matches!(&message, ServerMessage::Download(d) if d.compression == Compression::Zlib) {
            assert_eq!(
                written, bytes,
                "uncompressed server message reproduces its bytes"
            );
        }
    }
});
