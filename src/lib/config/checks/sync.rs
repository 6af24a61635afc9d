//! `sync.*`: each value was checked on its own when it was read (sizes, counts,
//! durations, protocol versions in range); here the effective values are checked
//! together, and against what real clients do.

use crate::config::layer::{or_default, Layer};
use crate::config::model::SyncSettings;
use crate::config::problem::Problem;
use crate::config::schema::Key;
use crate::config::sources::Raw;

/// The effective `sync.*` settings, defaults filled in, with their findings.
pub fn settings(layer: &Layer, out: &mut Raw) -> SyncSettings {
    let d = SyncSettings::default();
    let min = or_default(
        &layer.min_protocol_version,
        Key::SyncMinProtocolVersion,
        d.min_protocol_version,
    );
    let max = or_default(
        &layer.max_protocol_version,
        Key::SyncMaxProtocolVersion,
        d.max_protocol_version,
    );
    if min.value > max.value {
        // A default minimum is the lowest version there is, so the minimum was set.
        out.push((
            Problem::ProtocolRangeEmpty {
                min: min.value,
                max: max.value,
            },
            min.origin.clone(),
        ));
    }
    if max.value < SyncSettings::CURRENT_CLIENT_PROTOCOL_VERSION {
        out.push((
            Problem::ProtocolTooOld { max: max.value },
            max.origin.clone(),
        ));
    }
    let idle = or_default(
        &layer.connection_idle_timeout,
        Key::SyncConnectionIdleTimeout,
        d.connection_idle_timeout,
    );
    if idle.value < SyncSettings::SAFE_CONNECTION_IDLE_TIMEOUT {
        out.push((
            Problem::IdleTimeoutShort {
                seconds: idle.value.as_secs(),
            },
            idle.origin.clone(),
        ));
    }
    let value = |slot: &Option<crate::config::layer::Sourced<u64>>, default: u64| {
        slot.as_ref().map_or(default, |s| s.value)
    };
    let count = |slot: &Option<crate::config::layer::Sourced<u64>>, default: usize| {
        slot.as_ref()
            .map_or(default, |s| usize::try_from(s.value).unwrap_or(usize::MAX))
    };
    SyncSettings {
        max_download_size: value(&layer.max_download_size, d.max_download_size),
        max_upload_backlog: value(&layer.max_upload_backlog, d.max_upload_backlog),
        max_message_size: value(&layer.max_message_size, d.max_message_size),
        max_buffered_bytes: value(&layer.max_buffered_bytes, d.max_buffered_bytes),
        connection_idle_timeout: idle.value,
        realm_idle_timeout: layer
            .realm_idle_timeout
            .as_ref()
            .map_or(d.realm_idle_timeout, |s| s.value),
        max_open_realms: count(&layer.max_open_realms, d.max_open_realms),
        max_connections: count(&layer.max_connections, d.max_connections),
        min_protocol_version: min.value,
        max_protocol_version: max.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::layer::{Origin, Sourced};
    use std::time::Duration;

    fn file<T>(value: T) -> Option<Sourced<T>> {
        Some(Sourced {
            value,
            origin: Origin::File(None),
        })
    }

    #[test]
    fn defaults_raise_nothing() {
        let mut out = Raw::new();
        assert_eq!(
            settings(&Layer::default(), &mut out),
            SyncSettings::default()
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn an_empty_range_old_versions_and_a_short_timeout_are_reported() {
        let layer = Layer {
            min_protocol_version: file(7),
            max_protocol_version: Some(Sourced {
                value: 6,
                origin: Origin::Env("ROS_SYNC__MAX_PROTOCOL_VERSION".into()),
            }),
            connection_idle_timeout: file(Duration::from_secs(179)),
            max_open_realms: file(3),
            ..Layer::default()
        };
        let mut out = Raw::new();
        let s = settings(&layer, &mut out);
        assert_eq!((s.min_protocol_version, s.max_protocol_version), (7, 6));
        assert_eq!(s.max_open_realms, 3);
        assert_eq!(
            out,
            [
                (
                    Problem::ProtocolRangeEmpty { min: 7, max: 6 },
                    Origin::File(None)
                ),
                (
                    Problem::ProtocolTooOld { max: 6 },
                    Origin::Env("ROS_SYNC__MAX_PROTOCOL_VERSION".into())
                ),
                (
                    Problem::IdleTimeoutShort { seconds: 179 },
                    Origin::File(None)
                ),
            ]
        );
        let layer = Layer {
            max_protocol_version: file(8),
            connection_idle_timeout: file(Duration::from_secs(180)),
            ..Layer::default()
        };
        let mut out = Raw::new();
        settings(&layer, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
