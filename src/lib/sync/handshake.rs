//! Protocol-version negotiation on the `Sec-WebSocket-Protocol` header
//! (docs/protocol.md §2.3): pick the highest version both sides support and answer
//! in the separator style the client used.

use std::ops::RangeInclusive;

/// Versions of partition-based sync this server speaks.
pub const SERVER_VERSIONS: RangeInclusive<u32> = 2..=14;

const PBS_PREFIX: &str = "com.mongodb.realm-sync#";
const OLD_PBS_PREFIX: &str = "com.mongodb.realm-sync/";

/// The version both sides agreed on, with the token to put in the 101 response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    pub version: u32,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NegotiationError {
    #[error("Protocol version negotiation failed: Malformed specification of supported protocol versions\n")]
    Malformed,
    #[error("Protocol version negotiation failed: Missing specification of supported protocol versions\n")]
    Missing,
    /// Realm Object Server 1.x clients (`io.realm.sync.N`) speak another protocol.
    #[error("Protocol version negotiation failed: this server speaks realm-core's sync protocol, versions {}-{} (com.mongodb.realm-sync#N); the io.realm.sync protocol of Realm Object Server 1.x clients is not supported: upgrade the app's Realm SDK\n", .0.start(), .0.end())]
    LegacyRos(RangeInclusive<u32>),
    #[error("Protocol version negotiation failed: No version supported by both client and server.\n\nServer supports: {}-{}\nClient supports: {client}\nREALM_SYNC_PROTOCOL_MISMATCH:{}\n", .server.start(), .server.end(), if *.too_old { "CLIENT_TOO_OLD" } else { "CLIENT_TOO_NEW" })]
    NoCommonVersion {
        client: String,
        too_old: bool,
        server: RangeInclusive<u32>,
    },
}

/// One client element: a range of versions and the separator it was written with.
struct Offer {
    range: RangeInclusive<u32>,
    hash_style: bool,
}

fn parse_range(spec: &str) -> Option<RangeInclusive<u32>> {
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match spec.split_once('-') {
        None => number(spec).map(|n| n..=n),
        Some((lo, hi)) => {
            let (lo, hi) = (number(lo)?, number(hi)?);
            (lo <= hi).then_some(lo..=hi)
        }
    }
}

/// Chooses the protocol version for a `Sec-WebSocket-Protocol` header value,
/// among every version this server speaks.
pub fn negotiate(header: &str) -> Result<Negotiated, NegotiationError> {
    negotiate_within(header, SERVER_VERSIONS)
}

/// Chooses the protocol version among `server` (the configured range, within
/// [`SERVER_VERSIONS`]).
pub fn negotiate_within(
    header: &str,
    server: RangeInclusive<u32>,
) -> Result<Negotiated, NegotiationError> {
    let mut offers = Vec::new();
    for element in header.split(',') {
        let element = element.trim_matches([' ', '\t', '\r', '\n']);
        let (spec, hash_style) = if let Some(rest) = element.strip_prefix(PBS_PREFIX) {
            (rest, true)
        } else if let Some(rest) = element.strip_prefix(OLD_PBS_PREFIX) {
            (rest, false)
        } else {
            continue;
        };
        let range = parse_range(spec).ok_or(NegotiationError::Malformed)?;
        offers.push(Offer { range, hash_style });
    }
    if offers.is_empty() {
        if header.contains("io.realm.sync") {
            return Err(NegotiationError::LegacyRos(server));
        }
        return Err(NegotiationError::Missing);
    }
    let (lo, hi) = (*server.start(), *server.end());
    let best = offers
        .iter()
        .filter(|o| *o.range.end() >= lo && *o.range.start() <= hi)
        .map(|o| (o.range.end().min(&hi).to_owned(), o.hash_style))
        .max_by_key(|(v, _)| *v);
    match best {
        Some((version, hash_style)) => {
            let prefix = if hash_style {
                PBS_PREFIX
            } else {
                OLD_PBS_PREFIX
            };
            Ok(Negotiated {
                version,
                token: format!("{prefix}{version}"),
            })
        }
        None => Err(NegotiationError::NoCommonVersion {
            client: offers
                .iter()
                .map(|o| match (o.range.start(), o.range.end()) {
                    (a, b) if a == b => a.to_string(),
                    (a, b) => format!("{a}-{b}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            too_old: offers.iter().all(|o| *o.range.end() < lo),
            server,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_client_gets_its_highest_version_in_hash_style() {
        let header = (2..=14)
            .rev()
            .map(|v| format!("com.mongodb.realm-sync#{v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let n = negotiate(&header).unwrap();
        assert_eq!(n.version, 14);
        assert_eq!(n.token, "com.mongodb.realm-sync#14");
    }

    #[test]
    fn old_client_gets_slash_style_and_newer_client_is_capped() {
        let n = negotiate("com.mongodb.realm-sync/7, com.mongodb.realm-sync/6").unwrap();
        assert_eq!(n.token, "com.mongodb.realm-sync/7");
        let n = negotiate("com.mongodb.realm-sync#15, com.mongodb.realm-sync#14").unwrap();
        assert_eq!(n.token, "com.mongodb.realm-sync#14");
        let err = negotiate("com.mongodb.realm-sync#20").unwrap_err();
        assert!(err.to_string().contains("CLIENT_TOO_NEW"), "{err}");
        let n = negotiate("com.mongodb.realm-sync/1-3").unwrap();
        assert_eq!(n.version, 3);
    }

    #[test]
    fn bad_headers_give_the_reference_errors() {
        assert_eq!(
            negotiate("com.mongodb.realm-query-sync#14"),
            Err(NegotiationError::Missing)
        );
        assert_eq!(
            negotiate("com.mongodb.realm-sync#x"),
            Err(NegotiationError::Malformed)
        );
        assert_eq!(
            negotiate("com.mongodb.realm-sync#5-3"),
            Err(NegotiationError::Malformed)
        );
        let err = negotiate("com.mongodb.realm-sync/1").unwrap_err();
        assert_eq!(
            err,
            NegotiationError::NoCommonVersion {
                client: "1".into(),
                too_old: true,
                server: SERVER_VERSIONS,
            }
        );
        assert!(err
            .to_string()
            .contains("Server supports: 2-14\nClient supports: 1\n"));
        let err = negotiate("io.realm.sync.22").unwrap_err();
        assert!(err.to_string().contains("io.realm.sync"), "{err}");
        assert!(err.to_string().contains("2-14"), "{err}");
        let n = negotiate_within(
            "com.mongodb.realm-sync#14, com.mongodb.realm-sync#13",
            2..=13,
        );
        assert_eq!(n.unwrap().version, 13);
    }
}
