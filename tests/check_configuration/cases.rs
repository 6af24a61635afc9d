//! The table: one configuration per case and every finding it must produce, with
//! its line and column. `{dir}` is the case's directory, `{free}` a free port,
//! `{busy}` a port the test holds, `{start}` the first unprivileged port.

use super::fixtures::CaseDir;
use std::os::unix::fs::chown;

/// Lines 1-5: storage and auth.
pub const HEAD: &str = "storage:\n  root_path: data\nauth:\n  public_key_path: keys/auth.pub\n  \
                    private_key_path: keys/auth.key\n";
/// Lines 6-10: both services on any free port.
pub const NET: &str = "network:\n  sync:\n    listen_port: 0\n  http:\n    listen_port: 0\n";
/// Lines 11-13.
pub const PROXY: &str = "proxy:\n  http:\n    listen_port: 0\n";
/// Lines 11-18: HTTPS with certificate `{cert}` and key `{key}`.
const HTTPS: &str = "proxy:\n  http:\n    listen_port: 0\n  https:\n    enable: true\n    \
                     listen_port: 0\n    certificate_path: {cert}\n    private_key_path: {key}\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Spot(usize, usize),
    File,
    Env(&'static str),
    Flag(&'static str),
}

pub struct Expect {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: &'static str,
    pub at: At,
    pub hint: Option<&'static str>,
}

pub struct Case {
    pub name: &'static str,
    pub yaml: String,
    pub env: Vec<(&'static str, &'static str)>,
    pub args: Vec<&'static str>,
    pub nobody: bool,
    pub prepare: fn(&CaseDir),
    pub exit: i32,
    pub findings: Vec<Expect>,
}

fn nothing(_: &CaseDir) {}

pub const fn e(code: &'static str, message: &'static str, at: At) -> Expect {
    Expect {
        severity: "error",
        code,
        message,
        at,
        hint: None,
    }
}

pub const fn w(code: &'static str, message: &'static str, at: At) -> Expect {
    Expect {
        severity: "warning",
        ..e(code, message, at)
    }
}

impl Expect {
    pub const fn hint(self, hint: &'static str) -> Expect {
        Expect {
            hint: Some(hint),
            ..self
        }
    }
}

pub fn case(name: &'static str, yaml: &str, exit: i32, findings: Vec<Expect>) -> Case {
    Case {
        name,
        yaml: yaml.to_string(),
        env: Vec::new(),
        args: Vec::new(),
        nobody: false,
        prepare: nothing,
        exit,
        findings,
    }
}

pub fn base() -> String {
    format!("{HEAD}{NET}{PROXY}")
}

pub fn https(cert: &str, key: &str) -> String {
    format!(
        "{HEAD}{NET}{}",
        HTTPS.replace("{cert}", cert).replace("{key}", key)
    )
}

pub fn auth(public: &str, private: &str) -> String {
    format!(
        "storage:\n  root_path: data\nauth:\n  public_key_path: {public}\n  \
         private_key_path: {private}\n{NET}{PROXY}"
    )
}

pub fn take_back(path: &std::path::Path) {
    chown(path, Some(0), Some(0)).expect("chown");
}

pub fn all() -> Vec<Case> {
    use At::*;
    let ports_zero = vec![
        ("ROS_NETWORK__SYNC__LISTEN_PORT", "0"),
        ("ROS_NETWORK__HTTP__LISTEN_PORT", "0"),
        ("ROS_PROXY__HTTP__LISTEN_PORT", "0"),
    ];
    let missing = || {
        vec![
            e("missing-setting", "`storage.root_path` is not set", File).hint(
                "set `storage.root_path` in the configuration file, or give --root (or \
                 ROS_STORAGE__ROOT_PATH)",
            ),
            e("missing-setting", "`auth.public_key_path` is not set", File),
            e(
                "missing-setting",
                "`auth.private_key_path` is not set",
                File,
            ),
        ]
    };
    let mut cases = vec![
        case("valid", &base(), 0, vec![]),
        case(
            "valid_pkcs1_pair",
            &auth("keys/pkcs1.pub", "keys/pkcs1.key"),
            0,
            vec![],
        ),
        case(
            "valid_https_signed_by_a_ca",
            &https("tls/leaf.pem", "tls/leaf.key"),
            0,
            vec![],
        ),
        case(
            "valid_with_every_key_of_ours",
            &format!(
                "{HEAD}  previous_public_key_paths: [keys/other.pub]\n{NET}  url_prefix: /realm\n  \
                 authorization_header_name: X-Realm-Auth\n{PROXY}logging:\n  path: ros.log\n  \
                 level: debug\n  format: json\n"
            ),
            0,
            vec![],
        ),
        case(
            "yaml_syntax",
            "storage:\n  root_path: data\n bad: 1\n",
            1,
            vec![e(
                "yaml-syntax",
                "the file is not valid YAML: did not find expected key, while parsing a block \
                 mapping",
                Spot(3, 2),
            )],
        ),
        case(
            "yaml_unquoted_colons",
            &format!("{HEAD}{NET}proxy:\n  http:\n    listen_address: ::\n"),
            1,
            vec![e(
                "yaml-syntax",
                "the file is not valid YAML: mapping values are not allowed in this context",
                Spot(13, 22),
            )
            .hint(
                "quote a value that contains `: ` or starts with `:`, such as listen_address: \
                 \"::\"",
            )],
        ),
        case(
            "yaml_duplicate_key",
            &format!("{HEAD}storage:\n  root_path: other\n{NET}{PROXY}"),
            1,
            vec![e(
                "yaml-syntax",
                "the file is not valid YAML: duplicate entry with key \"storage\"",
                Spot(6, 1),
            )],
        ),
        case(
            "top_level_not_a_mapping",
            "- storage\n- auth\n",
            1,
            vec![e(
                "not-a-mapping",
                "the configuration must be a mapping of sections, found a list",
                Spot(1, 1),
            )],
        ),
        case(
            "section_not_a_mapping",
            &format!(
                "storage: data\nauth:\n  public_key_path: keys/auth.pub\n  private_key_path: \
                 keys/auth.key\n{NET}{PROXY}"
            ),
            1,
            vec![
                e(
                    "missing-setting",
                    "`storage.root_path` is not set",
                    Spot(1, 1),
                ),
                e(
                    "not-a-mapping",
                    "`storage` must be a mapping of keys, found a string (`data`)",
                    Spot(1, 10),
                ),
            ],
        ),
        case(
            "unknown_key_did_you_mean",
            &format!(
                "{HEAD}network:\n  sync:\n    listen_port: 0\n  http:\n    listen_prot: 0\n    \
                 listen_port: 0\n{PROXY}"
            ),
            1,
            vec![e(
                "unknown-key",
                "unknown key `network.http.listen_prot`",
                Spot(10, 5),
            )
            .hint("did you mean `listen_port`?")],
        ),
        case(
            "unknown_key_in_the_wrong_section",
            &format!("{HEAD}{NET}proxy:\n  listen_port: 0\n  http:\n    listen_port: 0\n"),
            1,
            vec![e(
                "unknown-key",
                "unknown key `proxy.listen_port`",
                Spot(12, 3),
            )
            .hint(
                "this key belongs under `network.sync`, `network.http`, `proxy.http` or \
                 `proxy.https`",
            )],
        ),
        case(
            "unknown_section",
            &format!("{}loging:\n  level: info\n", base()),
            1,
            vec![e("unknown-key", "unknown key `loging`", Spot(14, 1))
                .hint("did you mean `logging`?")],
        ),
        Case {
            env: vec![("ROS_NETWORK__SYNC__LISTEN_PORT", "0")],
            ..case(
                "port_quoted",
                &format!(
                    "{HEAD}network:\n  sync:\n    listen_port: \"0\"\n  http:\n    \
                     listen_port: 0\n{PROXY}"
                ),
                1,
                vec![e(
                    "wrong-type",
                    "`network.sync.listen_port` must be a port number (0-65535), found a string \
                     (`0`)",
                    Spot(8, 18),
                )
                .hint("write the number without quotes")],
            )
        },
        Case {
            env: vec![("ROS_PROXY__HTTP__LISTEN_PORT", "0")],
            ..case(
                "port_out_of_range",
                &format!("{HEAD}{NET}proxy:\n  http:\n    listen_port: 70000\n"),
                1,
                vec![e(
                    "port-out-of-range",
                    "`proxy.http.listen_port` is 70000, outside the port range 0-65535",
                    Spot(13, 18),
                )],
            )
        },
        case(
            "bool_written_as_yes",
            &format!("{HEAD}{NET}proxy:\n  http:\n    enable: yes\n    listen_port: 0\n"),
            1,
            vec![e(
                "wrong-type",
                "`proxy.http.enable` must be true or false, found a string (`yes`)",
                Spot(13, 13),
            )],
        ),
        case(
            "address_is_a_host_name",
            &format!(
                "{HEAD}network:\n  sync:\n    listen_address: localhost\n    listen_port: 0\n  \
                 http:\n    listen_port: 0\n{PROXY}"
            ),
            1,
            vec![e(
                "invalid-address",
                "`network.sync.listen_address`: `localhost` is not an IP address",
                Spot(8, 21),
            )
            .hint("write 127.0.0.1 (or ::1 for IPv6) instead of a host name")],
        ),
        case(
            "log_level_and_format",
            &format!("{}logging:\n  level: verbose\n  format: xml\n", base()),
            1,
            vec![
                e(
                    "invalid-log-level",
                    "`logging.level`: `verbose` is not a log level",
                    Spot(15, 10),
                )
                .hint("use one of all, trace, debug, detail, info, warn, error, fatal, off"),
                e(
                    "invalid-log-format",
                    "`logging.format`: `xml` is not a log format",
                    Spot(16, 11),
                ),
            ],
        ),
        Case {
            env: vec![("ROS_NETWORK__URL_PREFIX", "/a/")],
            ..case(
                "url_prefix_forms",
                &format!("{HEAD}{NET}  url_prefix: my/prefix\n{PROXY}"),
                1,
                vec![
                    e(
                        "invalid-url-prefix",
                        "`network.url_prefix`: `my/prefix` must start with `/`",
                        Spot(11, 15),
                    ),
                    e(
                        "invalid-url-prefix",
                        "`network.url_prefix`: `/a/` must not end with `/`",
                        Env("ROS_NETWORK__URL_PREFIX"),
                    ),
                ],
            )
        },
        case(
            "header_name_with_a_space",
            &format!("{HEAD}{NET}  authorization_header_name: X Realm\n{PROXY}"),
            1,
            vec![e(
                "invalid-header-name",
                "`network.authorization_header_name`: `X Realm` is not an HTTP header name",
                Spot(11, 30),
            )],
        ),
        case(
            "mandatory_settings_missing",
            &format!("{NET}{PROXY}"),
            1,
            missing(),
        ),
        Case {
            env: ports_zero.clone(),
            ..case("empty_file", "", 1, missing())
        },
    ];
    cases.extend(super::cases_files::all());
    cases.extend(super::cases_more::all());
    cases.extend(super::cases_sync::all());
    cases
}
