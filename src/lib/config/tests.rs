//! The merge order, the environment names and where relative paths lead, checked
//! through [`load`] on real files in a temporary directory.

use std::path::{Path, PathBuf};

use super::*;

struct Dir {
    _tmp: tempfile::TempDir,
    path: PathBuf,
}

/// A directory with a valid key pair in `keys/` and a data root `data/`.
fn server_dir() -> Dir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().to_path_buf();
    let pair = crate::keys::generate().expect("generate");
    std::fs::create_dir_all(path.join("keys")).expect("mkdir");
    std::fs::create_dir_all(path.join("data")).expect("mkdir");
    std::fs::write(path.join("keys/auth.key"), pair.private_pem).expect("write");
    std::fs::write(path.join("keys/auth.pub"), pair.public_pem).expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        path.join("keys/auth.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    Dir { _tmp: tmp, path }
}

const BASE: &str = "storage:\n  root_path: data\nauth:\n  public_key_path: keys/auth.pub\n  \
                    private_key_path: keys/auth.key\nnetwork:\n  sync: {listen_port: 0}\n  \
                    http: {listen_port: 0}\n";

fn load_with(dir: &Path, text: &str, env: &[(&str, &str)], overrides: Overrides) -> Report {
    let file = dir.join("configuration.yml");
    std::fs::write(&file, text).expect("write");
    load(&LoadOptions {
        file: Some(file),
        env: Environment::new(env.iter().map(|(k, v)| (*k, *v))),
        overrides,
        cwd: PathBuf::from("/work-cwd"),
        probe: Probe { ports: false },
    })
    .expect("load")
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings().iter().map(|f| f.code).collect()
}

#[test]
fn flags_beat_environment_beat_file_beat_defaults() {
    let dir = server_dir();
    let port = |r: &Report| r.config().and_then(|c| c.proxy.http).map(|l| l.port);
    let with_file = format!("{BASE}proxy:\n  http:\n    listen_port: 1111\n");
    let env = [("ROS_PROXY__HTTP__LISTEN_PORT", "2222")];
    let flag = Overrides {
        port: Some("3333".into()),
        ..Overrides::default()
    };
    assert_eq!(
        port(&load_with(&dir.path, BASE, &[], Overrides::default())),
        Some(9080)
    );
    assert_eq!(
        port(&load_with(&dir.path, &with_file, &[], Overrides::default())),
        Some(1111)
    );
    assert_eq!(
        port(&load_with(
            &dir.path,
            &with_file,
            &env,
            Overrides::default()
        )),
        Some(2222)
    );
    assert_eq!(
        port(&load_with(&dir.path, &with_file, &env, flag)),
        Some(3333)
    );
}

#[test]
fn relative_paths_follow_their_source() {
    let dir = server_dir();
    let report = load_with(&dir.path, BASE, &[], Overrides::default());
    let config = report.config().expect("valid");
    assert_eq!(config.storage.root_path, dir.path.join("data"));
    assert_eq!(config.auth.private_key_path, dir.path.join("keys/auth.key"));

    let env = [("ROS_STORAGE__ROOT_PATH", "from-env")];
    let report = load_with(&dir.path, BASE, &env, Overrides::default());
    let root_problem = report.findings().iter().find(|f| f.code == "root-missing");
    assert_eq!(
        root_problem.map(|f| f.message.as_str()),
        Some("the data directory /work-cwd/from-env does not exist")
    );

    let flag = Overrides {
        root: Some(PathBuf::from("from-flag")),
        ..Overrides::default()
    };
    let report = load_with(&dir.path, BASE, &env, flag);
    let root_problem = report.findings().iter().find(|f| f.code == "root-missing");
    assert_eq!(
        root_problem.map(|f| &f.source),
        Some(&Source::Flag {
            flag: "--root".into()
        })
    );
    assert!(root_problem.is_some_and(|f| f.message.contains("/work-cwd/from-flag")));
}

#[test]
fn environment_names_map_to_keys_and_strangers_are_warned_about() {
    let dir = server_dir();
    let env = [
        ("ROS_PROXY__HTTPS__ENABLE", "true"),
        ("ROS_TOKEN", "reserved-for-the-cli"),
        ("ROS_DISTRO", "humble"),
        ("ROS_LOGGING__PATH", ""),
        ("ROS_NETWORK__HTTP", "x"),
        ("ROS_NETWORK__HTTP__LISTEN_PROT", "1"),
    ];
    let report = load_with(&dir.path, BASE, &env, Overrides::default());
    assert_eq!(
        codes(&report),
        [
            "missing-setting",
            "missing-setting",
            "unknown-env",
            "unknown-env"
        ]
    );
    assert!(report.findings()[0]
        .message
        .contains("proxy.https.certificate_path"));
    assert_eq!(
        report.findings()[3].hint.as_deref(),
        Some("did you mean `ROS_NETWORK__HTTP__LISTEN_PORT`?")
    );
    assert_eq!(
        report.findings()[2].source,
        Source::Env {
            variable: "ROS_NETWORK__HTTP".into()
        }
    );
}

#[test]
fn a_missing_key_points_at_its_section_when_there_is_one() {
    let dir = server_dir();
    let text = "storage:\n  root_path: data\nauth:\n  public_key_path: keys/auth.pub\n";
    let report = load_with(&dir.path, text, &[], Overrides::default());
    let missing = &report.findings()[0];
    assert_eq!(missing.code, "missing-setting");
    assert_eq!(missing.message, "`auth.private_key_path` is not set");
    assert_eq!(
        missing.source,
        Source::File {
            path: dir.path.join("configuration.yml"),
            position: Some(Position { line: 3, column: 1 })
        }
    );
    assert!(report.config().is_none());
}

#[test]
fn a_valid_file_gives_the_typed_configuration() {
    let dir = server_dir();
    let text = format!(
        "{BASE}  url_prefix: /my/prefix\n  authorization_header_name: X-Realm-Auth\n\
         auth_extra: 1\n"
    );
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    assert_eq!(codes(&report), ["unknown-key"]);
    let text = text.replace("auth_extra: 1\n", "logging: {level: debug, format: json}\n");
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    let config = report.config().expect("valid");
    assert_eq!(config.network.url_prefix.as_deref(), Some("/my/prefix"));
    assert_eq!(
        config
            .network
            .authorization_header_name
            .as_ref()
            .map(|h| h.as_str()),
        Some("x-realm-auth")
    );
    assert_eq!(config.logging.level, LogLevel::Debug);
    assert_eq!(config.logging.format, LogFormat::Json);
    assert_eq!(config.proxy.https, None);
    assert_eq!(config.network.sync.port, 0);
}

/// The documentation lists every key with its environment name and flag.
#[test]
fn the_documentation_names_every_key() {
    let doc = include_str!("../../../docs/configuration.md");
    for key in schema::Key::ALL {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}`", key.path())))
            .unwrap_or_else(|| panic!("{} has no row in docs/configuration.md", key.path()));
        if key != schema::Key::AuthProviders {
            assert!(row.contains(&format!("`{}`", key.env_name())), "{row}");
        }
        if let Some(flag) = key.flag() {
            assert!(row.contains(&format!("`{flag}`")), "{row}");
        }
        assert_eq!(row.contains("**ours**"), key.ours(), "{row}");
    }
}

#[test]
fn token_lifetimes_throttle_body_limit_and_trusted_proxies() {
    let dir = server_dir();
    let defaults = load_with(&dir.path, BASE, &[], Overrides::default());
    let config = defaults.config().expect("valid");
    assert_eq!(config.auth.access_token_ttl, defaults::ACCESS_TOKEN_TTL);
    assert_eq!(config.auth.login_throttle, defaults::THROTTLE);
    assert_eq!(config.network.max_body_bytes, 100 * 1024);
    assert!(config.network.trusted_proxies.is_empty());

    let text = BASE.replace(
        "auth:\n",
        "auth:\n  access_token_ttl: 90\n  refresh_token_ttl: 30d\n  \
         login_throttle: {account_failures: 2, window: 1s}\n",
    ) + "  trusted_proxies: [10.0.0.1, '::1']\n";
    let env = [
        ("ROS_NETWORK__HTTP__MAX_BODY_BYTES", "2048"),
        ("ROS_AUTH__LOGIN_THROTTLE__ADDRESS_FAILURES", "7"),
    ];
    let report = load_with(&dir.path, &text, &env, Overrides::default());
    let config = report.config().expect("valid");
    let secs = std::time::Duration::from_secs;
    assert_eq!(config.auth.access_token_ttl, secs(90));
    assert_eq!(config.auth.refresh_token_ttl, secs(30 * 86_400));
    assert_eq!(config.auth.login_throttle.account_failures, 2);
    assert_eq!(config.auth.login_throttle.address_failures, 7);
    assert_eq!(config.auth.login_throttle.window, secs(1));
    assert_eq!(config.network.max_body_bytes, 2048);
    assert_eq!(config.network.trusted_proxies.len(), 2);

    let bad = BASE.replace(
        "auth:\n",
        "auth:\n  access_token_ttl: 0\n  refresh_token_ttl: soon\n",
    ) + "  trusted_proxies: [proxy.local]\n";
    let env = [("ROS_NETWORK__HTTP__MAX_BODY_BYTES", "-3")];
    let report = load_with(&dir.path, &bad, &env, Overrides::default());
    let mut found = codes(&report);
    found.sort_unstable();
    assert_eq!(
        found,
        [
            "invalid-address",
            "invalid-duration",
            "invalid-duration",
            "invalid-number"
        ]
    );
}

#[test]
fn connection_limits_default_read_the_environment_and_warn_when_too_short() {
    let dir = server_dir();
    let defaults = load_with(&dir.path, BASE, &[], Overrides::default());
    assert_eq!(
        defaults.config().expect("valid").network.limits,
        defaults::CONNECTION_LIMITS
    );
    let env = [
        ("ROS_NETWORK__HEADER_READ_TIMEOUT", "2"),
        ("ROS_NETWORK__IDLE_TIMEOUT", "1m"),
        ("ROS_NETWORK__MAX_CONNECTIONS", "8"),
    ];
    let report = load_with(&dir.path, BASE, &env, Overrides::default());
    assert_eq!(codes(&report), ["short-header-timeout"]);
    let limits = report.config().expect("a warning only").network.limits;
    let secs = std::time::Duration::from_secs;
    assert_eq!(
        (
            limits.header_read_timeout,
            limits.idle_timeout,
            limits.max_connections
        ),
        (secs(2), secs(60), 8)
    );
    let env = [
        ("ROS_NETWORK__HEADER_READ_TIMEOUT", "0"),
        ("ROS_NETWORK__MAX_CONNECTIONS", "none"),
    ];
    let report = load_with(&dir.path, BASE, &env, Overrides::default());
    let mut found = codes(&report);
    found.sort_unstable();
    assert_eq!(found, ["invalid-duration", "invalid-number"]);
}

#[test]
fn sync_settings_default_when_absent() {
    let dir = server_dir();
    let report = load_with(&dir.path, BASE, &[], Overrides::default());
    assert_eq!(codes(&report), Vec::<&str>::new());
    let config = report.config().expect("valid");
    assert_eq!(config.sync, SyncSettings::default());
    let empty = load_with(
        &dir.path,
        &format!("{BASE}sync:\n"),
        &[],
        Overrides::default(),
    );
    assert_eq!(empty.config().expect("valid").sync, SyncSettings::default());
}

#[test]
fn sync_settings_come_from_the_file_and_the_environment_wins() {
    let dir = server_dir();
    let text = format!(
        "{BASE}sync:\n  max_download_size: 1000\n  max_upload_backlog: 2000\n  \
         max_message_size: 1048576\n  max_buffered_bytes: 4000\n  \
         connection_idle_timeout: 10m\n  realm_idle_timeout: 30\n  max_open_realms: 7\n  \
         max_connections: 8\n  min_protocol_version: 9\n  max_protocol_version: 13\n"
    );
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    assert_eq!(codes(&report), Vec::<&str>::new());
    let secs = std::time::Duration::from_secs;
    let from_file = SyncSettings {
        max_download_size: 1000,
        max_upload_backlog: 2000,
        max_message_size: 1_048_576,
        max_buffered_bytes: 4000,
        connection_idle_timeout: secs(600),
        realm_idle_timeout: secs(30),
        max_open_realms: 7,
        max_connections: 8,
        min_protocol_version: 9,
        max_protocol_version: 13,
    };
    assert_eq!(report.config().expect("valid").sync, from_file);

    let env = [
        ("ROS_SYNC__MAX_DOWNLOAD_SIZE", "11"),
        ("ROS_SYNC__MAX_UPLOAD_BACKLOG", "12"),
        ("ROS_SYNC__MAX_MESSAGE_SIZE", "2097152"),
        ("ROS_SYNC__MAX_BUFFERED_BYTES", "14"),
        ("ROS_SYNC__CONNECTION_IDLE_TIMEOUT", "1h"),
        ("ROS_SYNC__REALM_IDLE_TIMEOUT", "2m"),
        ("ROS_SYNC__MAX_OPEN_REALMS", "17"),
        ("ROS_SYNC__MAX_CONNECTIONS", "18"),
        ("ROS_SYNC__MIN_PROTOCOL_VERSION", "10"),
        ("ROS_SYNC__MAX_PROTOCOL_VERSION", "12"),
    ];
    let report = load_with(&dir.path, &text, &env, Overrides::default());
    assert_eq!(codes(&report), Vec::<&str>::new());
    assert_eq!(
        report.config().expect("valid").sync,
        SyncSettings {
            max_download_size: 11,
            max_upload_backlog: 12,
            max_message_size: 2_097_152,
            max_buffered_bytes: 14,
            connection_idle_timeout: secs(3600),
            realm_idle_timeout: secs(120),
            max_open_realms: 17,
            max_connections: 18,
            min_protocol_version: 10,
            max_protocol_version: 12,
        }
    );

    // The environment alone, over the defaults; the rest keeps its default.
    let env = [("ROS_SYNC__MAX_CONNECTIONS", "5")];
    let report = load_with(&dir.path, BASE, &env, Overrides::default());
    let sync = report.config().expect("valid").sync;
    assert_eq!(
        sync,
        SyncSettings {
            max_connections: 5,
            ..SyncSettings::default()
        }
    );
}

/// Every bad `sync.*` value is an error naming the key, at the value's line and
/// column; each line below is `  <key>: <value>` on lines 10 to 19.
#[test]
fn every_bad_sync_value_is_reported_at_its_spot() {
    let dir = server_dir();
    let bad = [
        ("max_download_size", "0", "invalid-number"),
        ("max_upload_backlog", "-5", "invalid-number"),
        ("max_message_size", "1048575", "value-too-small"),
        ("max_buffered_bytes", "\"32\"", "wrong-type"),
        ("connection_idle_timeout", "0", "invalid-duration"),
        ("realm_idle_timeout", "1.5m", "invalid-duration"),
        ("max_open_realms", "0", "invalid-number"),
        ("max_connections", "many", "wrong-type"),
        ("min_protocol_version", "1", "protocol-version-out-of-range"),
        (
            "max_protocol_version",
            "15",
            "protocol-version-out-of-range",
        ),
    ];
    assert_eq!(BASE.lines().count(), 8);
    let mut text = format!("{BASE}sync:\n");
    for (key, value, _) in bad {
        text.push_str(&format!("  {key}: {value}\n"));
    }
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    assert!(report.config().is_none());
    let file = dir.path.join("configuration.yml");
    assert_eq!(
        report.findings().len(),
        bad.len(),
        "{:#?}",
        report.findings()
    );
    for ((i, (key, _, code)), finding) in bad.iter().enumerate().zip(report.findings()) {
        assert_eq!(finding.code, *code, "{key}");
        assert_eq!(finding.severity, Severity::Error, "{key}");
        assert!(
            finding.message.contains(&format!("`sync.{key}`")),
            "{key}: {}",
            finding.message
        );
        assert!(finding.hint.is_some(), "{key}");
        assert_eq!(
            finding.source,
            Source::File {
                path: file.clone(),
                position: Some(Position {
                    line: 10 + i,
                    column: key.len() + 5
                })
            },
            "{key}"
        );
    }
    let message = |code: &str| {
        report
            .findings()
            .iter()
            .find(|f| f.code == code)
            .map(|f| f.message.clone())
    };
    assert_eq!(
        message("value-too-small").as_deref(),
        Some("`sync.max_message_size` is 1048575 bytes; it must be at least 1048576 (1 MiB)")
    );
    assert_eq!(
        message("protocol-version-out-of-range").as_deref(),
        Some("`sync.min_protocol_version` is 1, outside the sync protocol versions 2-14")
    );
}

#[test]
fn bad_sync_values_from_the_environment_name_the_variable() {
    let dir = server_dir();
    let env = [
        ("ROS_SYNC__MAX_MESSAGE_SIZE", "1024"),
        ("ROS_SYNC__MAX_PROTOCOL_VERSION", "x"),
        ("ROS_SYNC__REALM_IDLE_TIMEOUT", "0s"),
    ];
    let text = format!("{BASE}sync:\n  max_message_size: 0\n");
    let report = load_with(&dir.path, &text, &env, Overrides::default());
    let found: Vec<(&str, &Source)> = report
        .findings()
        .iter()
        .map(|f| (f.code, &f.source))
        .collect();
    let env_source = |v: &str| Source::Env {
        variable: v.to_string(),
    };
    let file = Source::File {
        path: dir.path.join("configuration.yml"),
        position: Some(Position {
            line: 10,
            column: 21,
        }),
    };
    // The file's bad value is reported even though the environment overrides it.
    assert_eq!(
        found,
        [
            ("invalid-number", &file),
            ("value-too-small", &env_source("ROS_SYNC__MAX_MESSAGE_SIZE")),
            ("wrong-type", &env_source("ROS_SYNC__MAX_PROTOCOL_VERSION")),
            (
                "invalid-duration",
                &env_source("ROS_SYNC__REALM_IDLE_TIMEOUT")
            ),
        ]
    );
}

#[test]
fn sync_protocol_range_and_timeouts_are_checked_together() {
    let dir = server_dir();
    let text = format!("{BASE}sync:\n  min_protocol_version: 9\n  max_protocol_version: 8\n");
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    assert_eq!(codes(&report), ["protocol-version-range"]);
    let range = &report.findings()[0];
    assert_eq!(
        range.message,
        "`sync.min_protocol_version` (9) is above `sync.max_protocol_version` (8): no \
         protocol version is left to offer"
    );
    assert!(matches!(
        range.source,
        Source::File {
            position: Some(Position {
                line: 10,
                column: 25
            }),
            ..
        }
    ));
    assert!(report.config().is_none());

    let text = format!("{BASE}sync:\n  max_protocol_version: 7\n  connection_idle_timeout: 179\n");
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    assert_eq!(
        codes(&report),
        ["old-protocol-version", "short-idle-timeout"]
    );
    assert!(report
        .findings()
        .iter()
        .all(|f| f.severity == Severity::Warning));
    let sync = report.config().expect("warnings keep it valid").sync;
    assert_eq!(sync.max_protocol_version, 7);
    assert_eq!(sync.connection_idle_timeout.as_secs(), 179);
    let positions: Vec<Option<Position>> = report
        .findings()
        .iter()
        .map(|f| match f.source {
            Source::File { position, .. } => position,
            _ => None,
        })
        .collect();
    assert_eq!(
        positions,
        [
            Some(Position {
                line: 10,
                column: 25
            }),
            Some(Position {
                line: 11,
                column: 28
            })
        ]
    );

    let env = [("ROS_SYNC__CONNECTION_IDLE_TIMEOUT", "3m")];
    let report = load_with(&dir.path, &text, &env, Overrides::default());
    assert_eq!(codes(&report), ["old-protocol-version"]);
}

#[test]
fn misspelled_sync_keys_get_a_hint() {
    let dir = server_dir();
    let text = format!("{BASE}sync:\n  max_conections: 5\n  listen_port: 0\n");
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    let hints: Vec<(&str, Option<&str>)> = report
        .findings()
        .iter()
        .map(|f| (f.message.as_str(), f.hint.as_deref()))
        .collect();
    assert_eq!(
        hints,
        [
            (
                "unknown key `sync.max_conections`",
                Some("did you mean `max_connections`?")
            ),
            (
                "unknown key `sync.listen_port`",
                Some(
                    "this key belongs under `network.sync`, `network.http`, `proxy.http` or \
                     `proxy.https`"
                )
            ),
        ]
    );
    let env = [("ROS_SYNC__MAX_CONECTIONS", "5")];
    let report = load_with(&dir.path, BASE, &env, Overrides::default());
    assert_eq!(
        report.findings()[0].hint.as_deref(),
        Some("did you mean `ROS_SYNC__MAX_CONNECTIONS`?")
    );
}

#[test]
fn a_bad_value_from_a_start_flag_names_the_flag() {
    let dir = server_dir();
    let flag = Overrides {
        settings: vec![super::FlagSetting {
            key: super::schema::Key::ProxyHttpsListenPort,
            flag: "--https-port",
            value: "not-a-port".into(),
        }],
        ..Overrides::default()
    };
    let report = load_with(&dir.path, BASE, &[], flag);
    let finding = report
        .findings()
        .iter()
        .find(|f| {
            f.source
                == Source::Flag {
                    flag: "--https-port".into(),
                }
        })
        .unwrap_or_else(|| panic!("no finding names --https-port: {:?}", report.findings()));
    assert!(!finding.code.is_empty(), "{finding:?}");
    assert!(
        !report
            .findings()
            .iter()
            .any(|f| format!("{:?}", f.source).contains("ROS_")),
        "no finding blames a variable the operator never set"
    );
}

#[test]
fn apps_come_from_the_file_or_ros_apps_and_bad_ones_are_findings() {
    let dir = server_dir();
    let text = format!("{BASE}apps:\n  - id: from-file\n    providers: {{anon-user: true}}\n");
    let report = load_with(&dir.path, &text, &[], Overrides::default());
    let config = report.config().expect("valid");
    assert_eq!(config.apps.len(), 1);
    assert_eq!(config.apps[0].id, "from-file");
    assert!(config.apps[0].anonymous);
    assert_eq!(config.apps[0].userpass, None);

    let env = [("ROS_APPS", r#"[{"id":"from-env"}]"#)];
    let report = load_with(&dir.path, &text, &env, Overrides::default());
    let ids: Vec<&str> = report
        .config()
        .expect("valid")
        .apps
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["from-env"]);

    let bad = format!("{BASE}apps:\n  - id: ok\n  - id: 'no spaces'\n");
    let report = load_with(&dir.path, &bad, &[], Overrides::default());
    assert!(!report.is_valid());
    let finding = report
        .findings()
        .iter()
        .find(|f| f.code == "invalid-app")
        .expect("invalid-app finding");
    assert!(finding.message.contains("entry 1"), "{}", finding.message);
    let Source::File { position, .. } = &finding.source else {
        panic!("{:?}", finding.source)
    };
    assert_eq!(position.map(|p| p.line), Some(11), "points at the entry");

    let missing_key = format!(
        "{BASE}apps:\n  - id: jwt\n    providers:\n      custom-token: {{public_key_path: keys/none.pub}}\n"
    );
    let report = load_with(&dir.path, &missing_key, &[], Overrides::default());
    assert_eq!(codes(&report), ["invalid-app-key"]);
    assert!(!report.is_valid());
    let good_key = missing_key.replace("keys/none.pub", "keys/auth.pub");
    let report = load_with(&dir.path, &good_key, &[], Overrides::default());
    assert!(report.is_valid(), "{:?}", codes(&report));
}
