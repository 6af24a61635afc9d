//! The `configuration.yml` that `ros init` writes: every key, with its default and
//! a line on what it does, so an operator edits values instead of looking up names.

/// The file's text. `proxy` is the listen address of both proxies.
pub fn configuration(proxy: &str) -> String {
    format!(
        r#"# Realm Object Server configuration, written by `ros init`.
#
# Relative paths are resolved against the directory of this file.
# Any key can also be set in the environment as ROS_ followed by its path in
# capitals with __ between levels (ROS_NETWORK__HTTP__LISTEN_PORT=8080), and a few
# with flags of `ros serve` (--root, --public-key, --private-key, --listen,
# --port, --log-level). Flags win over the environment, which wins over this file.
# A key left empty takes its default. Check this file with
#   ros check-configuration {file}

storage:
  # Where the server keeps everything it writes. Must exist; mode 0700.
  root_path: data

auth:
  # RSA key pair in PEM that signs and verifies the tokens the server issues.
  public_key_path: keys/auth.pub
  private_key_path: keys/auth.key
  # (ros) Public keys of earlier pairs, still accepted while tokens they signed
  # live on, so the pair can be replaced without logging everybody out.
  previous_public_key_paths: []
  # Authentication providers and their options, one entry per provider.
  providers: {{}}
  # (ros) Lifetimes of the tokens POST /auth hands out: seconds, or a number
  # with s, m, h or d. Access tokens open one Realm; refresh tokens buy them.
  access_token_ttl: 600
  refresh_token_ttl: 3650d
  # (ros) Failed logins tolerated per username and per client address within
  # the window; beyond that, logins answer 429 until the window has passed.
  login_throttle:
    account_failures: 5
    address_failures: 20
    window: 5m

network:
  # The sync service (WebSocket). Only the proxy needs to reach it.
  sync:
    listen_address: 127.0.0.1
    listen_port: 27800
  # The http service (authentication, admin API, dashboard).
  http:
    listen_address: 127.0.0.1
    listen_port: 27080
    # (ros) The largest request body read, in bytes.
    max_body_bytes: 102400
  # A header that carries the Realm token in place of Authorization, for clients
  # behind a proxy that owns Authorization (such as X-Realm-Auth).
  authorization_header_name:
  # A path in front of every route, such as /my/url/prefix.
  url_prefix:
  # (ros) Addresses of reverse proxies in front of ros: only requests from
  # these have their X-Forwarded-For believed (for login throttling).
  trusted_proxies: []

proxy:
  # The public entry point: dispatches to the sync and http services.
  http:
    enable: true
    # 0.0.0.0 for every IPv4 interface, "::" for every interface.
    listen_address: "{proxy}"
    listen_port: 9080
  # HTTPS needs a PEM certificate (not self-signed) and its private key.
  https:
    enable: false
    listen_address: "{proxy}"
    listen_port: 9443
    certificate_path:
    private_key_path:

logging:
  # A file to append to; the console when empty.
  path:
  # all, trace, debug, detail, info, warn, error, fatal or off.
  level: info
  # (ros) text or json.
  format: text
"#,
        file = super::CONFIG_FILE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schema::{children, Child, Key};

    /// Every key of the schema appears in the template, at its place in the tree.
    #[test]
    fn the_template_names_every_key() {
        let text = configuration("::");
        let tree: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("yaml");
        for key in Key::ALL {
            let mut node = &tree;
            for seg in key.segments() {
                node = node
                    .get(seg)
                    .unwrap_or_else(|| panic!("{} missing from the template", key.path()));
            }
        }
        let top: Vec<&str> = children("").iter().map(|c| c.name("")).collect();
        let mapping = tree.as_mapping().expect("mapping");
        assert_eq!(mapping.len(), top.len());
        assert!(children("").iter().all(|c| matches!(c, Child::Section(_))));
    }
}
