//! A running site and a JSON client for its HTTP API that checks every request and
//! response body against `docs/openapi.yaml` as it goes.

use std::path::Path;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;

use super::openapi::OpenApi;
use super::server::{self, Running};

/// `ros serve` on `site` (made by `ros init`) with every port 0 on loopback, a
/// JSON log, and `env` on top.
pub fn serve_site(site: &Path, env: &[(&str, &str)]) -> Running {
    server::start(serve_site_command(site, env))
}

/// The command [`serve_site`] runs, for a test that changes it further.
pub fn serve_site_command(site: &Path, env: &[(&str, &str)]) -> std::process::Command {
    let mut cmd = super::ros();
    cmd.arg("serve")
        .arg("--config")
        .arg(site.join("configuration.yml"))
        .args(["--port", "0", "--listen", "127.0.0.1"])
        .env("ROS_NETWORK__SYNC__LISTEN_PORT", "0")
        .env("ROS_NETWORK__HTTP__LISTEN_PORT", "0")
        .env("ROS_LOGGING__FORMAT", "json");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    /// `Value::Null` for an empty body.
    pub body: Value,
}

impl Answer {
    /// The problem's `code`, or 0 for a plain problem.
    pub fn code(&self) -> u64 {
        self.body["code"].as_u64().unwrap_or(0)
    }
}

pub struct Api {
    pub base: String,
    client: Client,
    pub openapi: OpenApi,
}

impl Api {
    pub fn new(base: impl Into<String>) -> Api {
        Api {
            base: base.into(),
            client: Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            openapi: OpenApi::load(),
        }
    }

    /// A client of the caller's making (trusted CA, no redirects).
    pub fn with_client(base: impl Into<String>, client: Client) -> Api {
        Api {
            base: base.into(),
            client,
            openapi: OpenApi::load(),
        }
    }

    /// Calls `url_path` (documented as `route`) and checks both bodies against the
    /// document. `token` goes into `Authorization` raw, as the original's SDKs send it.
    pub fn call(
        &self,
        method: &str,
        route: &str,
        url_path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let lower = method.to_ascii_lowercase();
        let mut request = self.client.request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{url_path}", self.base),
        );
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        if let Some(body) = body {
            self.openapi.assert_request(route, &lower, body);
            request = request.json(body);
        }
        self.send(request, route, &lower)
    }

    /// `call` with a body the document does not allow, to test the refusal.
    pub fn call_invalid(
        &self,
        method: &str,
        route: &str,
        url_path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Answer {
        let mut request = self.client.request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{url_path}", self.base),
        );
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        self.send(request.json(body), route, &method.to_ascii_lowercase())
    }

    /// Sends a prepared request (custom headers, raw bodies) and checks the answer.
    pub fn send(
        &self,
        request: reqwest::blocking::RequestBuilder,
        route: &str,
        method: &str,
    ) -> Answer {
        let response = request
            .send()
            .unwrap_or_else(|e| panic!("{method} {route}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().unwrap();
        let body = if bytes.is_empty() {
            assert!(
                self.openapi.has_empty_response(route, method, &status.to_string()),
                "{method} {route} answered {status} without a body, which the document does not list"
            );
            Value::Null
        } else {
            let value: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{method} {route} {status}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            });
            self.openapi.assert_response(route, method, status, &value);
            value
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}
