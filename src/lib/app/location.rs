//! `GET …/app/<id>/location`: where the SDK sends everything that follows. The
//! answer names this server as the client reaches it: the app's `base_url`, else
//! the request's own scheme and host (`X-Forwarded-Proto`/`-Host` believed from a
//! trusted proxy only), plus `network.url_prefix`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use super::error::{json, AppError};
use super::{AppState, BASE_ROUTE};

/// Whether a listener speaks TLS: the server's listeners mark each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

fn first_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let value = headers.get(name)?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    (!first.is_empty()).then_some(first)
}

/// `scheme://host[:port]` of this server as the client addressed it.
pub fn public_base(
    configured: Option<&str>,
    headers: &HeaderMap,
    authority: Option<&str>,
    scheme: Scheme,
    peer: IpAddr,
    trusted: &[IpAddr],
) -> String {
    if let Some(base) = configured {
        return base.to_string();
    }
    let forwarded = trusted.contains(&peer);
    let proto = forwarded
        .then(|| first_value(headers, "x-forwarded-proto"))
        .flatten()
        .filter(|p| matches!(*p, "http" | "https"))
        .unwrap_or(match scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        });
    let host = forwarded
        .then(|| first_value(headers, "x-forwarded-host"))
        .flatten()
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()))
        .or(authority)
        .unwrap_or("localhost");
    format!("{proto}://{host}")
}

pub(super) async fn get_location(
    State(state): State<AppState>,
    Path(app_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let api = state.api();
    let app = api.app(&app_id)?;
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let scheme = request
        .extensions()
        .get::<Scheme>()
        .copied()
        .unwrap_or(Scheme::Http);
    let base = public_base(
        app.config.base_url.as_deref(),
        request.headers(),
        request.uri().authority().map(|a| a.as_str()),
        scheme,
        peer,
        &api.trusted_proxies,
    );
    let prefix = api.url_prefix.as_deref().unwrap_or_default();
    let hostname = format!("{base}{prefix}");
    let ws_hostname = match hostname.strip_prefix("https://") {
        Some(rest) => format!("wss://{rest}"),
        None => format!(
            "ws://{}",
            hostname.strip_prefix("http://").unwrap_or(&hostname)
        ),
    };
    let sync_route = format!("{ws_hostname}{BASE_ROUTE}/app/{app_id}/realm-sync");
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({
            "deployment_model": "GLOBAL",
            "location": "US-VA",
            "hostname": hostname,
            "ws_hostname": ws_hostname,
            "sync_route": sync_route,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "inner:9080".parse().unwrap());
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        headers.insert("x-forwarded-host", "realm.example.com".parse().unwrap());
        let base =
            |trusted: &[IpAddr]| public_base(None, &headers, None, Scheme::Http, proxy, trusted);
        assert_eq!(base(&[]), "http://inner:9080");
        assert_eq!(base(&[proxy]), "https://realm.example.com");
        assert_eq!(
            public_base(Some("https://x"), &headers, None, Scheme::Http, proxy, &[]),
            "https://x"
        );
        assert_eq!(
            public_base(
                None,
                &HeaderMap::new(),
                Some("h:1"),
                Scheme::Https,
                proxy,
                &[]
            ),
            "https://h:1"
        );
    }
}
