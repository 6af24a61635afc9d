//! What the auth routes and the admin API share: the authentication service, the
//! login throttle and the request rules (where tokens travel, which peers may
//! speak for clients, how large a body may be), and the extractors built on them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName};
use serde::de::DeserializeOwned;

use super::problem::{internal, Problem, RealmProblem};
use crate::auth::{AuthService, Caller, Throttle};
use crate::config::Registration;

/// The state of every authenticated route.
#[derive(Debug, Clone)]
pub struct ApiState(Arc<Api>);

#[derive(Debug)]
pub struct Api {
    pub auth: std::sync::Arc<AuthService>,
    pub throttle: Throttle,
    /// `auth.registration.*`: whether clients may register, and the per-address
    /// count of registrations (the login throttle's machinery, addresses only).
    pub registration: Registration,
    pub registrations: Throttle,
    /// `network.authorization_header_name`: read before `Authorization`.
    pub header_name: Option<HeaderName>,
    pub trusted_proxies: Vec<IpAddr>,
    pub max_body_bytes: usize,
    /// The sync service, whose Realms `DELETE /realms/...` removes.
    pub sync: std::sync::Arc<crate::sync::SyncService>,
}

impl ApiState {
    pub fn new(api: Api) -> ApiState {
        ApiState(Arc::new(api))
    }

    pub fn api(&self) -> &Api {
        &self.0
    }

    /// Runs `work` (SQLite, argon2) on a blocking thread.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&Api) -> Result<T, Problem> + Send + 'static,
    {
        let state = self.0.clone();
        tokio::task::spawn_blocking(move || work(&state))
            .await
            .map_err(|e| internal(&e))?
    }
}

const REALM_TOKEN_HEADER: &str = "x-realm-access-token";

/// The token of a request: the configured header, else `Authorization` (with or
/// without `Bearer `), else `X-Realm-Access-Token` (docs/original-server.md §2.1).
pub fn request_token(headers: &HeaderMap, configured: Option<&HeaderName>) -> Option<String> {
    let names = configured
        .into_iter()
        .chain([&axum::http::header::AUTHORIZATION])
        .map(HeaderName::as_str)
        .chain([REALM_TOKEN_HEADER]);
    for name in names {
        let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) else {
            continue;
        };
        let value = value.trim();
        let token = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => value,
        };
        if !token.is_empty() {
            return Some(token.to_string());
        }
    }
    None
}

/// The authenticated sender of a request; 401 without a usable token.
pub struct RequestCaller(pub Caller);

impl FromRequestParts<ApiState> for RequestCaller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<RequestCaller, Problem> {
        let token =
            request_token(&parts.headers, state.api().header_name.as_ref()).ok_or_else(|| {
                Problem::realm(RealmProblem::InvalidCredentials)
                    .detail("This request needs a token in the Authorization header.")
            })?;
        state
            .blocking(move |api| {
                api.auth
                    .authenticate(&token, SystemTime::now())
                    .map_err(Problem::from)
            })
            .await
            .map(RequestCaller)
    }
}

/// The client's address: the peer's, or from `X-Forwarded-For` when the peer is a
/// trusted proxy (the rightmost address there that is not itself a trusted proxy).
pub struct ClientAddr(pub IpAddr);

pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
}

impl FromRequestParts<ApiState> for ClientAddr {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<ClientAddr, Problem> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(client_address(
            peer,
            &parts.headers,
            &state.api().trusted_proxies,
        )))
    }
}

/// A JSON request body: 413 over `network.http.max_body_bytes` (enforced by the
/// router's `DefaultBodyLimit`), 400 `invalid-parameters` when it is not the JSON
/// expected. The content type is not insisted on.
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
    ApiState: FromRef<S>,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<JsonBody<T>, Problem> {
        let limit = ApiState::from_ref(state).api().max_body_bytes;
        let bytes = match Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
                return Err(Problem::plain(
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "The request body is too large.",
                )
                .detail(format!("The limit is {limit} bytes.")))
            }
            Err(e) => {
                return Err(
                    Problem::plain(e.status(), "The request body could not be read.")
                        .detail(e.body_text()),
                )
            }
        };
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            Problem::invalid("body", format!("The body is not the JSON expected: {e}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_the_configured_header_then_authorization() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer abc".parse().unwrap());
        assert_eq!(request_token(&headers, None).as_deref(), Some("abc"));
        let custom = HeaderName::from_static("x-realm-auth");
        headers.insert("x-realm-auth", "raw:token".parse().unwrap());
        assert_eq!(
            request_token(&headers, Some(&custom)).as_deref(),
            Some("raw:token")
        );
        let mut only_realm = HeaderMap::new();
        only_realm.insert(REALM_TOKEN_HEADER, "t".parse().unwrap());
        assert_eq!(request_token(&only_realm, None).as_deref(), Some("t"));
        assert_eq!(request_token(&HeaderMap::new(), None), None);
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let inner: IpAddr = "10.0.0.2".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 1.2.3.4, 10.0.0.2".parse().unwrap(),
        );
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        assert_eq!(
            client_address(proxy, &headers, &[proxy, inner]),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
