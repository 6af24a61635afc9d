//! The upgrade request: URL, token placement, offered versions (§2.1–§2.3).

use crate::client::sync::{ConnectError, Endpoint, TokenPlace};

#[test]
fn offers_14_down_to_2_with_hash_by_default() {
    let endpoint = Endpoint::new("ws://127.0.0.1:9080/realm-sync");
    let header = endpoint.protocol_header();
    assert!(header.starts_with("com.mongodb.realm-sync#14, com.mongodb.realm-sync#13, "));
    assert!(header.ends_with(", com.mongodb.realm-sync#2"));
    assert_eq!(header.split(", ").count(), 13);
}

#[test]
fn slash_form_only_below_8_when_asked() {
    let mut endpoint = Endpoint::new("ws://h/realm-sync");
    endpoint.protocols = vec![8, 7, 2];
    endpoint.slash_below_8 = true;
    assert_eq!(
        endpoint.protocol_header(),
        "com.mongodb.realm-sync#8, com.mongodb.realm-sync/7, com.mongodb.realm-sync/2"
    );
}

#[test]
fn query_token_is_appended_verbatim() {
    let endpoint = Endpoint::new("ws://h:1/realm-sync").with_token("a.b_c-d");
    assert_eq!(
        endpoint.request_url(),
        "ws://h:1/realm-sync?baas_at=a.b_c-d"
    );
    let endpoint = Endpoint::new("ws://h/realm-sync?x=1").with_token("json:sig+/=");
    assert_eq!(
        endpoint.request_url(),
        "ws://h/realm-sync?x=1&baas_at=json:sig+/="
    );
    let request = endpoint.request().expect("request");
    assert_eq!(
        request.uri().query(),
        Some("x=1&baas_at=json:sig+/="),
        "not percent-encoded"
    );
}

#[test]
fn header_token_travels_as_bearer() {
    let mut endpoint = Endpoint::new("wss://example.com/realm-sync").with_token("tok");
    endpoint.token_place = TokenPlace::Header("Authorization".to_string());
    endpoint
        .headers
        .push(("X-Test".to_string(), "1".to_string()));
    assert_eq!(endpoint.request_url(), "wss://example.com/realm-sync");
    let request = endpoint.request().expect("request");
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("Authorization"), Some("Bearer tok"));
    assert_eq!(header("X-Test"), Some("1"));
    assert_eq!(
        header("Sec-WebSocket-Protocol"),
        Some(endpoint.protocol_header().as_str())
    );
    let target = endpoint.target().expect("target");
    assert!(target.tls);
    assert_eq!((target.host.as_str(), target.port), ("example.com", 443));
}

#[test]
fn no_token_place_keeps_the_token_out() {
    let mut endpoint = Endpoint::new("ws://h/realm-sync").with_token("tok");
    endpoint.token_place = TokenPlace::None;
    let request = endpoint.request().expect("request");
    assert_eq!(request.uri().query(), None);
    assert!(request.headers().get("Authorization").is_none());
    assert_eq!(endpoint.target().expect("target").port, 80);
}

#[test]
fn only_ws_and_wss_urls() {
    for url in [
        "http://h/realm-sync",
        "realm://h/x",
        "not a url",
        "ws:///path",
    ] {
        let err = Endpoint::new(url).target().expect_err(url);
        assert!(matches!(err, ConnectError::BadUrl { .. }), "{url}: {err}");
    }
}

#[tokio::test]
async fn refused_tcp_is_a_tcp_error() {
    // A port nothing listens on: bind one, learn its number, close it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let endpoint = Endpoint::new(format!("ws://127.0.0.1:{port}/realm-sync"));
    let err = crate::client::sync::Wire::connect(&endpoint)
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, ConnectError::Tcp { .. }), "{err}");
}

#[test]
fn a_ca_pem_without_certificates_is_a_config_error() {
    let options = crate::client::sync::TlsOptions {
        ca_pem: Some(b"not pem".to_vec()),
        insecure: false,
    };
    let err = crate::client::sync::tls::client_config(&options).expect_err("no certs");
    assert!(matches!(err, ConnectError::TlsConfig { .. }), "{err}");
    let insecure = crate::client::sync::TlsOptions {
        ca_pem: None,
        insecure: true,
    };
    assert!(crate::client::sync::tls::client_config(&insecure).is_ok());
}
