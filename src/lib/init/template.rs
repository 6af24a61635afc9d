//! The `configuration.yml` that `ros init` writes: every key, with its default and
//! a line on what it does, so an operator edits values instead of looking up names.

/// The file's text. `proxy` is the listen address of both proxies.
pub fn configuration(proxy: &str, app_id: &str) -> String {
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
  # (ros) Self-registration (POST /auth with register) per provider, and how
  # many accounts one client address may register within the window.
  registration:
    password: true
    address_limit: 20
    window: 1h

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
  # (ros) Limits of the http service and both proxies, each listener on its
  # own: time to send a request head or finish a TLS handshake, time a
  # connection may move no byte, connections served at once.
  header_read_timeout: 30
  idle_timeout: 120
  max_connections: 1024

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

# (ros) Limits of the sync service, so that a misbehaving client costs a bounded
# amount of memory and disk. Sizes are whole numbers of bytes; durations are
# seconds, or a number with s, m, h or d.
sync:
  # A DOWNLOAD message stops after the changeset that takes it past this size
  # (16 MiB).
  max_download_size: 16777216
  # Uploaded changesets one Realm may hold waiting to be integrated; beyond
  # it an UPLOAD is answered with an error that tells the client to try again
  # (256 MiB).
  max_upload_backlog: 268435456
  # The largest WebSocket message a client may send (64 MiB); at least 1048576
  # (1 MiB).
  max_message_size: 67108864
  # Bytes queued for one connection that its client has not read yet; past it
  # the connection is closed (32 MiB).
  max_buffered_bytes: 33554432
  # A connection that sent nothing, not even a PING, for this long is closed.
  # Clients ping every 60 s and wait 120 s for the answer: keep it at 3m or more.
  connection_idle_timeout: 5m
  # A Realm no client is bound to is closed after this long.
  realm_idle_timeout: 1m
  # Realms open at once; a client binding one more is told to try again later.
  max_open_realms: 1000
  # WebSocket connections at once; beyond it the upgrade is answered 503.
  max_connections: 10000
  # The sync protocol versions offered, within 2 to 14. Current Realm clients
  # need 8 or later.
  min_protocol_version: 2
  max_protocol_version: 14

# (ros) Realm apps whose SDK clients (realm-core 10 and later) log in through the
# app client API under /api/client/v2.0 and sync at
# /api/client/v2.0/app/<id>/realm-sync. An app sets its base URL to this
# server's public address and its app id to one of these ids.
apps:
  - id: {app_id}
    # The public base URL clients use (https://host[:port], no path); empty:
    # taken from each request.
    base_url:
    providers:
      # anon-user: true
      local-userpass:
        # Whether the app's users may register themselves (confirmed at once).
        registration: true
      # custom-token:
      #   public_key_path: keys/identity.pub   # or jwks_path: jwks.json
      #   audience: my-app
      #   user_id_claim: sub
      #   metadata: {{email: email}}
    # Shared partitions and what every user may do there (a user's own id as
    # partition value is theirs anyway; others need this or a grant).
    partitions: []
    # partitions:
    #   - {{value: news, read: true}}
    #   - {{value: board, read: true, write: true}}
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
        let text = configuration("::", "ros-0123abcd");
        let tree: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("yaml");
        for key in Key::ALL {
            let mut node = &tree;
            for seg in key.segments() {
                node = node
                    .get(seg)
                    .unwrap_or_else(|| panic!("{} missing from the template", key.path()));
            }
        }
        let defaults = crate::config::SyncSettings::default();
        let sync = &tree["sync"];
        let number = |key: &str| sync[key].as_u64().expect(key);
        assert_eq!(number("max_download_size"), defaults.max_download_size);
        assert_eq!(number("max_upload_backlog"), defaults.max_upload_backlog);
        assert_eq!(number("max_message_size"), defaults.max_message_size);
        assert_eq!(number("max_buffered_bytes"), defaults.max_buffered_bytes);
        let duration =
            |key: &str| crate::config::parse_duration(sync[key].as_str().expect(key)).expect(key);
        assert_eq!(
            duration("connection_idle_timeout"),
            defaults.connection_idle_timeout
        );
        assert_eq!(duration("realm_idle_timeout"), defaults.realm_idle_timeout);
        assert_eq!(number("max_open_realms"), defaults.max_open_realms as u64);
        assert_eq!(number("max_connections"), defaults.max_connections as u64);
        assert_eq!(
            number("min_protocol_version"),
            u64::from(defaults.min_protocol_version)
        );
        assert_eq!(
            number("max_protocol_version"),
            u64::from(defaults.max_protocol_version)
        );
        let top: Vec<&str> = children("").iter().map(|c| c.name("")).collect();
        let mapping = tree.as_mapping().expect("mapping");
        assert_eq!(mapping.len(), top.len());
        assert!(children("")
            .iter()
            .all(|c| matches!(c, Child::Section(_)) || *c == Child::Key(Key::Apps)));
        assert_eq!(tree["apps"][0]["id"].as_str(), Some("ros-0123abcd"));
    }
}
