//! Where and how a [`super::Wire`] connects: the sync route, the token, the
//! offered protocol versions and the TLS trust (`docs/protocol.md` §2.1–§2.3).

use std::time::Duration;

use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue, Uri};

use super::errors::ConnectError;

/// The subprotocol prefix of partition-based sync.
const PREFIX: &str = "com.mongodb.realm-sync";

/// Where the access token travels in the upgrade request (§2.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TokenPlace {
    /// `?baas_at=<token>` appended to the path verbatim, not percent-encoded,
    /// as realm-core ≥ 11.10 does.
    #[default]
    Query,
    /// A header with the given name and the value `Bearer <token>`, as
    /// realm-core before 11.10 did (default name `Authorization`).
    Header(String),
    /// The token is not sent in the upgrade request at all.
    None,
}

/// Which certificates a `wss://` connection trusts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsOptions {
    /// PEM with one or more CA certificates. Without it nothing is trusted (no
    /// platform or bundled roots: the server under test has its own CA), so a
    /// `wss://` connection then needs `insecure`.
    pub ca_pem: Option<Vec<u8>>,
    /// Accept any certificate. Only for an explicit "insecure" flag.
    pub insecure: bool,
}

/// How to reach a sync server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The full sync route, `ws://` or `wss://`, e.g. `ws://127.0.0.1:9080/realm-sync`.
    pub url: String,
    /// The access token, if any.
    pub token: Option<String>,
    pub token_place: TokenPlace,
    /// Versions offered, in this order (realm-core: highest first, 14 down to 2).
    pub protocols: Vec<u32>,
    /// Offer versions below 8 as `com.mongodb.realm-sync/N`, as clients older
    /// than realm-core 13.10 did; otherwise every version uses `#`.
    pub slash_below_8: bool,
    pub tls: TlsOptions,
    /// Extra request headers (an SDK's `custom_http_headers`).
    pub headers: Vec<(String, String)>,
    /// Bound on DNS + TCP + TLS + upgrade together (realm-core: 120 s).
    pub connect_timeout: Duration,
    /// How long `connect` waits after the upgrade for a Close frame, the way
    /// servers refuse tokens from protocol 8 on (§2.4). Zero skips the wait; a
    /// later close still arrives through `recv`.
    pub close_wait: Duration,
}

impl Endpoint {
    /// `url` with no token, offering 14 down to 2 in the `#` form.
    pub fn new(url: impl Into<String>) -> Endpoint {
        Endpoint {
            url: url.into(),
            token: None,
            token_place: TokenPlace::Query,
            protocols: (2..=14).rev().collect(),
            slash_below_8: false,
            tls: TlsOptions::default(),
            headers: Vec::new(),
            connect_timeout: Duration::from_secs(30),
            close_wait: Duration::from_millis(100),
        }
    }

    /// The same endpoint with a token sent as `?baas_at=`.
    pub fn with_token(mut self, token: impl Into<String>) -> Endpoint {
        self.token = Some(token.into());
        self
    }

    /// The subprotocol token offered for `version`.
    pub fn subprotocol(&self, version: u32) -> String {
        let separator = if self.slash_below_8 && version < 8 {
            '/'
        } else {
            '#'
        };
        format!("{PREFIX}{separator}{version}")
    }

    /// The `Sec-WebSocket-Protocol` value: every offered token, `", "`-separated.
    pub fn protocol_header(&self) -> String {
        let tokens: Vec<String> = self
            .protocols
            .iter()
            .map(|v| self.subprotocol(*v))
            .collect();
        tokens.join(", ")
    }

    /// The URL actually requested: the route plus the token when it travels in the query.
    pub fn request_url(&self) -> String {
        match (&self.token, &self.token_place) {
            (Some(token), TokenPlace::Query) => {
                let separator = if self.url.contains('?') { '&' } else { '?' };
                format!("{}{separator}baas_at={token}", self.url)
            }
            _ => self.url.clone(),
        }
    }

    /// The parsed route: scheme, host and port to dial.
    pub(crate) fn target(&self) -> Result<Target, ConnectError> {
        let bad = |reason: &str| ConnectError::BadUrl {
            url: self.url.clone(),
            reason: reason.to_string(),
        };
        let uri: Uri = self.url.parse().map_err(|_| bad("not a URL"))?;
        let tls = match uri.scheme_str() {
            Some("ws") => false,
            Some("wss") => true,
            _ => return Err(bad("the scheme must be ws or wss")),
        };
        let host = uri.host().ok_or_else(|| bad("no host"))?;
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(bad("user info is not allowed"));
        }
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        Ok(Target { tls, host, port })
    }

    /// The upgrade request: tungstenite's standard headers plus the offered
    /// subprotocols, the token header if asked, and the extra headers.
    pub(crate) fn request(&self) -> Result<Request, ConnectError> {
        let url = self.request_url();
        let bad = |reason: String| ConnectError::BadUrl {
            url: url.clone(),
            reason,
        };
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| bad(e.to_string()))?;
        let mut extra: Vec<(String, String)> = self.headers.clone();
        if let (Some(token), TokenPlace::Header(name)) = (&self.token, &self.token_place) {
            extra.push((name.clone(), format!("Bearer {token}")));
        }
        extra.push(("Sec-WebSocket-Protocol".to_string(), self.protocol_header()));
        let headers = request.headers_mut();
        for (name, value) in extra {
            let header = HeaderName::try_from(name.as_str())
                .map_err(|_| bad(format!("bad header name {name:?}")))?;
            let value = HeaderValue::try_from(value.as_str())
                .map_err(|_| bad(format!("bad value for header {name}")))?;
            headers.insert(header, value);
        }
        Ok(request)
    }
}

/// What to dial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub tls: bool,
    pub host: String,
    pub port: u16,
}
