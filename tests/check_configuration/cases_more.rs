//! The second half of the table: HTTPS, listeners, the environment, flags, logs,
//! and what an unprivileged user may not do.

use super::cases::{base, case, e, https, take_back, w, At, Case, HEAD, NET, PROXY};
use super::fixtures::write;

pub fn all() -> Vec<Case> {
    use At::*;
    let https_paths = format!(
        "{HEAD}{NET}proxy:\n  http:\n    listen_port: 0\n  https:\n    enable: true\n    \
         listen_port: 0\n"
    );
    vec![
        case(
            "https_without_certificate_and_key",
            &https_paths,
            1,
            vec![
                e(
                    "missing-setting",
                    "the HTTPS proxy is enabled but `proxy.https.certificate_path` is not set",
                    Spot(14, 3),
                ),
                e(
                    "missing-setting",
                    "the HTTPS proxy is enabled but `proxy.https.private_key_path` is not set",
                    Spot(14, 3),
                ),
            ],
        ),
        case(
            "https_self_signed",
            &https("tls/self.pem", "tls/self.key"),
            1,
            vec![e(
                "self-signed-certificate",
                "the certificate {dir}/tls/self.pem is self-signed",
                Spot(17, 23),
            )],
        ),
        case(
            "https_key_of_another_certificate",
            &https("tls/leaf.pem", "tls/self.key"),
            1,
            vec![e(
                "key-mismatch",
                "the HTTPS private key {dir}/tls/self.key does not belong to the certificate \
                 {dir}/tls/leaf.pem",
                Spot(18, 23),
            )],
        ),
        case(
            "https_certificate_without_certificate",
            &https("keys/auth.pub", "tls/leaf.key"),
            1,
            vec![e(
                "invalid-certificate",
                "`proxy.https.certificate_path`: {dir}/keys/auth.pub: the certificate chain is \
                 empty",
                Spot(17, 23),
            )],
        ),
        case(
            "duplicate_ports",
            &format!(
                "{HEAD}network:\n  sync:\n    listen_port: {{free}}\n  http:\n    listen_port: \
                 {{free}}\n{PROXY}"
            ),
            1,
            vec![e(
                "duplicate-port",
                "`network.http.listen_port`: port {free} is already the port of \
                 `network.sync.listen_port`",
                Spot(10, 18),
            )],
        ),
        case(
            "port_in_use",
            &format!(
                "{HEAD}network:\n  sync:\n    listen_port: 0\n  http:\n    listen_address: \
                 127.0.0.1\n    listen_port: {{busy}}\n{PROXY}"
            ),
            1,
            vec![e(
                "port-in-use",
                "`network.http.listen_port`: 127.0.0.1:{busy} is already in use by another \
                 process",
                Spot(11, 18),
            )],
        ),
        case(
            "address_not_on_this_machine",
            &format!(
                "{HEAD}network:\n  sync:\n    listen_address: 192.0.2.1\n    listen_port: \
                 {{free}}\n  http:\n    listen_port: 0\n{PROXY}"
            ),
            1,
            vec![e(
                "address-unavailable",
                "`network.sync.listen_port`: cannot listen on 192.0.2.1:{free}: 192.0.2.1 is \
                 not an address of this machine",
                Spot(9, 18),
            )],
        ),
        Case {
            env: vec![("ROS_NETWORK__HTTP__LISTEN_PORT", "abc")],
            ..case(
                "env_value_of_the_wrong_type",
                &base(),
                1,
                vec![e(
                    "wrong-type",
                    "`network.http.listen_port` must be a port number (0-65535), found `abc`",
                    Env("ROS_NETWORK__HTTP__LISTEN_PORT"),
                )],
            )
        },
        Case {
            env: vec![
                ("ROS_DISTRO", "humble"),
                ("ROS_NETWORK__HTTP__LISTEN_PROT", "1"),
                ("ROS_PROXY__HTTPS", "true"),
                ("ROS_TOKEN", "for-the-cli"),
            ],
            ..case(
                "env_unknown_variables_are_warnings",
                &base(),
                0,
                vec![
                    w(
                        "unknown-env",
                        "`ROS_NETWORK__HTTP__LISTEN_PROT` is not a configuration variable; it is \
                         ignored",
                        Env("ROS_NETWORK__HTTP__LISTEN_PROT"),
                    )
                    .hint("did you mean `ROS_NETWORK__HTTP__LISTEN_PORT`?"),
                    w(
                        "unknown-env",
                        "`ROS_PROXY__HTTPS` names the section `proxy.https`, not a key; it is \
                         ignored",
                        Env("ROS_PROXY__HTTPS"),
                    ),
                ],
            )
        },
        Case {
            env: vec![("ROS_PROXY__HTTPS__ENABLE", "true")],
            ..case(
                "env_enables_https",
                &base(),
                1,
                vec![
                    e(
                        "missing-setting",
                        "the HTTPS proxy is enabled but `proxy.https.certificate_path` is not set",
                        Spot(11, 1),
                    ),
                    e(
                        "missing-setting",
                        "the HTTPS proxy is enabled but `proxy.https.private_key_path` is not set",
                        Spot(11, 1),
                    ),
                ],
            )
        },
        Case {
            args: vec!["--port", "abc", "--log-level", "loud"],
            ..case(
                "flags_with_bad_values",
                &base(),
                1,
                vec![
                    e(
                        "wrong-type",
                        "`proxy.http.listen_port` must be a port number (0-65535), found `abc`",
                        Flag("--port"),
                    ),
                    e(
                        "invalid-log-level",
                        "`logging.level`: `loud` is not a log level",
                        Flag("--log-level"),
                    ),
                ],
            )
        },
        Case {
            args: vec!["--root", "elsewhere"],
            ..case(
                "flag_paths_resolve_against_the_current_directory",
                &base(),
                1,
                vec![e(
                    "root-missing",
                    "the data directory {dir}/elsewhere does not exist",
                    Flag("--root"),
                )],
            )
        },
        case(
            "log_directory_missing",
            &format!("{}logging:\n  path: nolog/ros.log\n", base()),
            1,
            vec![e(
                "log-path",
                "the directory {dir}/nolog of the log file does not exist",
                Spot(15, 9),
            )],
        ),
        case(
            "log_path_is_a_directory",
            &format!("{}logging:\n  path: data\n", base()),
            1,
            vec![e(
                "log-path",
                "the log file {dir}/data is a directory",
                Spot(15, 9),
            )],
        ),
        Case {
            nobody: true,
            prepare: |d| {
                let log = d.path.join("ros.log");
                write(&log, "", 0o644);
                take_back(&log);
            },
            ..case(
                "log_file_not_writable_by_the_user",
                &format!("{}logging:\n  path: ros.log\n", base()),
                1,
                vec![e(
                    "log-path",
                    "the log file {dir}/ros.log is not writable by this user (uid 65534)",
                    Spot(15, 9),
                )],
            )
        },
        Case {
            nobody: true,
            prepare: |d| {
                let logs = d.path.join("logs");
                std::fs::create_dir(&logs).expect("mkdir");
                take_back(&logs);
            },
            ..case(
                "log_directory_not_writable_by_the_user",
                &format!("{}logging:\n  path: logs/ros.log\n", base()),
                1,
                vec![e(
                    "log-path",
                    "the directory {dir}/logs of the log file is not writable by this user (uid \
                     65534)",
                    Spot(15, 9),
                )],
            )
        },
        Case {
            nobody: true,
            ..case(
                "privileged_port_for_an_unprivileged_user",
                &format!("{HEAD}{NET}proxy:\n  http:\n    listen_port: {{below}}\n"),
                1,
                vec![e(
                    "privileged-port",
                    "`proxy.http.listen_port`: port {below} is below {start}, and only a privileged \
                     user may listen there (this is uid 65534)",
                    Spot(13, 18),
                )],
            )
        },
    ]
}
