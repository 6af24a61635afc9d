//! Reading the captured sessions' `wire-*.jsonl` files.

use ros::protocol::ProtocolVersion;

/// The protocol version a capture negotiated, from its `connected` event
/// (`…#14` or `…/14`).
pub fn negotiated_version(records: &[serde_json::Value]) -> ProtocolVersion {
    let chosen = records
        .iter()
        .find_map(|r| r["protocol"].as_str())
        .expect("connected event");
    let number: u32 = chosen
        .rsplit(['#', '/'])
        .next()
        .and_then(|n| n.parse().ok())
        .expect("version number");
    ProtocolVersion::new(number).expect("supported version")
}
