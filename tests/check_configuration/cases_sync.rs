//! `sync.*`: the sync service's limits. Lines 1-13 are [`base`], `sync:` is line
//! 14 and its keys start on line 15; a value's column is the key's length + 5.

use super::cases::{base, case, e, w, At, Case};

fn sync(lines: &str) -> String {
    format!("{}sync:\n{lines}", base())
}

pub fn all() -> Vec<Case> {
    use At::*;
    vec![
        case(
            "sync_every_key_valid",
            &sync(
                "  max_download_size: 1000\n  max_upload_backlog: 2000\n  max_message_size: \
                 1048576\n  max_buffered_bytes: 4000\n  connection_idle_timeout: 3m\n  \
                 realm_idle_timeout: 1\n  max_open_realms: 1\n  max_connections: 1\n  \
                 min_protocol_version: 8\n  max_protocol_version: 8\n",
            ),
            0,
            vec![],
        ),
        case(
            "sync_bad_values",
            &sync(
                "  max_download_size: 0\n  max_upload_backlog: -5\n  max_message_size: 1000\n  \
                 max_buffered_bytes: \"32\"\n  connection_idle_timeout: 0\n  \
                 realm_idle_timeout: 1.5m\n  max_open_realms: 0\n  max_connections: many\n  \
                 min_protocol_version: 1\n  max_protocol_version: 15\n",
            ),
            1,
            vec![
                e(
                    "invalid-number",
                    "`sync.max_download_size`: `0` is not a whole number of at least 1",
                    Spot(15, 22),
                )
                .hint("write a number of bytes without quotes, such as 16777216 for 16 MiB"),
                e(
                    "invalid-number",
                    "`sync.max_upload_backlog`: `-5` is not a whole number of at least 1",
                    Spot(16, 23),
                ),
                e(
                    "value-too-small",
                    "`sync.max_message_size` is 1000 bytes; it must be at least 1048576 (1 MiB)",
                    Spot(17, 21),
                )
                .hint("leave `sync.max_message_size` out for its default, 67108864 (64 MiB)"),
                e(
                    "wrong-type",
                    "`sync.max_buffered_bytes` must be a number of bytes, found a string (`32`)",
                    Spot(18, 23),
                )
                .hint("write the number without quotes"),
                e(
                    "invalid-duration",
                    "`sync.connection_idle_timeout`: `0` is not a positive duration",
                    Spot(19, 28),
                ),
                e(
                    "invalid-duration",
                    "`sync.realm_idle_timeout`: `1.5m` is not a positive duration",
                    Spot(20, 23),
                ),
                e(
                    "invalid-number",
                    "`sync.max_open_realms`: `0` is not a whole number of at least 1",
                    Spot(21, 20),
                )
                .hint("write a whole number such as 5, without quotes"),
                e(
                    "wrong-type",
                    "`sync.max_connections` must be a whole number, found a string (`many`)",
                    Spot(22, 20),
                )
                .hint("write a whole number of at least 1"),
                e(
                    "protocol-version-out-of-range",
                    "`sync.min_protocol_version` is 1, outside the sync protocol versions 2-14",
                    Spot(23, 25),
                )
                .hint("this server speaks sync protocol versions 2 to 14"),
                e(
                    "protocol-version-out-of-range",
                    "`sync.max_protocol_version` is 15, outside the sync protocol versions 2-14",
                    Spot(24, 25),
                ),
            ],
        ),
        case(
            "sync_protocol_range_empty",
            &sync("  min_protocol_version: 10\n  max_protocol_version: 9\n"),
            1,
            vec![e(
                "protocol-version-range",
                "`sync.min_protocol_version` (10) is above `sync.max_protocol_version` (9): no \
                 protocol version is left to offer",
                Spot(15, 25),
            )],
        ),
        case(
            "sync_old_protocol_and_short_idle_timeout_are_warnings",
            &sync("  connection_idle_timeout: 90\n  max_protocol_version: 7\n"),
            0,
            vec![
                w(
                    "short-idle-timeout",
                    "`sync.connection_idle_timeout` is 90 s, less than 180 s: clients ping every \
                     60 s and wait 120 s for the answer, so healthy connections may be closed",
                    Spot(15, 28),
                )
                .hint("use 180 or more, or leave it out for the default, 300"),
                w(
                    "old-protocol-version",
                    "`sync.max_protocol_version` is 7, and current Realm clients need protocol \
                     version 8 or later: they cannot connect",
                    Spot(16, 25),
                )
                .hint("leave `sync.max_protocol_version` out to offer every version up to 14"),
            ],
        ),
        Case {
            env: vec![
                ("ROS_NETWORK__HEADER_READ_TIMEOUT", "2"),
                ("ROS_NETWORK__IDLE_TIMEOUT", "0"),
                ("ROS_NETWORK__MAX_CONNECTIONS", "64"),
            ],
            ..case(
                "network_connection_limits_from_the_environment",
                &base(),
                1,
                vec![
                    e(
                        "invalid-duration",
                        "`network.idle_timeout`: `0` is not a positive duration",
                        Env("ROS_NETWORK__IDLE_TIMEOUT"),
                    )
                    .hint("write seconds (600) or a number with s, m, h or d (10m, 30d)"),
                    w(
                        "short-header-timeout",
                        "`network.header_read_timeout` is 2 s, less than 5 s: clients on slow \
                         networks may not get a request head (or a TLS handshake) through in time",
                        Env("ROS_NETWORK__HEADER_READ_TIMEOUT"),
                    )
                    .hint("use 5 or more, or leave it out for the default, 30"),
                ],
            )
        },
        Case {
            env: vec![
                ("ROS_SYNC__MAX_MESSAGE_SIZE", "1024"),
                ("ROS_SYNC__MAX_PROTOCOL_VERSION", "6"),
                ("ROS_SYNC__MAX_DOWNLOAD", "1"),
            ],
            ..case(
                "sync_from_the_environment",
                &sync("  max_message_size: 2097152\n"),
                1,
                vec![
                    w(
                        "unknown-env",
                        "`ROS_SYNC__MAX_DOWNLOAD` is not a configuration variable; it is ignored",
                        Env("ROS_SYNC__MAX_DOWNLOAD"),
                    )
                    .hint("did you mean `ROS_SYNC__MAX_DOWNLOAD_SIZE`?"),
                    e(
                        "value-too-small",
                        "`sync.max_message_size` is 1024 bytes; it must be at least 1048576 (1 \
                         MiB)",
                        Env("ROS_SYNC__MAX_MESSAGE_SIZE"),
                    ),
                    w(
                        "old-protocol-version",
                        "`sync.max_protocol_version` is 6, and current Realm clients need \
                         protocol version 8 or later: they cannot connect",
                        Env("ROS_SYNC__MAX_PROTOCOL_VERSION"),
                    ),
                ],
            )
        },
        case(
            "sync_misspelled_key",
            &sync("  max_conections: 5\n"),
            1,
            vec![e(
                "unknown-key",
                "unknown key `sync.max_conections`",
                Spot(15, 3),
            )
            .hint("did you mean `max_connections`?")],
        ),
    ]
}
