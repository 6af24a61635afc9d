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
        config.network.authorization_header_name.as_deref(),
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
