//! The admin API's HTTP client (blocking; the CLI has no runtime).

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::admin::json::{RemovalJson, UserJson, UserPageJson};
use crate::admin::ops::{NewPasswordUser, UserChanges};

const API: &str = "api/admin/v1";

/// A problem JSON answer, as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerProblem {
    pub status: u16,
    pub title: String,
    pub detail: Option<String>,
    pub code: Option<u64>,
}

impl std::fmt::Display for ServerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {}", self.title, self.status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        f.write_str(")")?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{0:?} is not an http(s) URL")]
    BadUrl(String),
    #[error("cannot reach the server at {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the server refused: {0}")]
    Problem(ServerProblem),
    #[error("the server answered something unexpected: {0}")]
    Unexpected(String),
}

/// Talks to `/api/admin/v1` with a token (the admin token or an admin's token).
#[derive(Debug, Clone)]
pub struct AdminClient {
    base: Url,
    token: String,
    http: Client,
}

impl AdminClient {
    pub fn new(base_url: &str, token: impl Into<String>) -> Result<AdminClient, ClientError> {
        let mut base =
            Url::parse(base_url).map_err(|_| ClientError::BadUrl(base_url.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(ClientError::BadUrl(base_url.to_string()));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let http = Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| ClientError::Unexpected(e.to_string()))?;
        Ok(AdminClient {
            base,
            token: token.into(),
            http,
        })
    }

    /// `api/admin/v1/users` plus `segments`, each escaped as one path segment.
    fn url(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let mut all = vec!["users"];
        all.extend_from_slice(segments);
        self.api_url(&all)
    }

    /// `api/admin/v1` plus `segments`, each escaped as one path segment (so a
    /// Realm path travels as `%2Fa%2Fb`).
    pub(super) fn api_url(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let mut url = self
            .base
            .join(API)
            .map_err(|_| ClientError::BadUrl(self.base.to_string()))?;
        url.path_segments_mut()
            .map_err(|_| ClientError::BadUrl(self.base.to_string()))?
            .extend(segments);
        Ok(url)
    }

    pub(super) fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.http
            .request(method, url)
            .header("Authorization", format!("Bearer {}", self.token))
    }

    pub(super) fn send<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, ClientError> {
        let response = request.send().map_err(|source| ClientError::Unreachable {
            url: self.base.to_string(),
            source,
        })?;
        let status = response.status();
        let bytes = response
            .bytes()
            .map_err(|source| ClientError::Unreachable {
                url: self.base.to_string(),
                source,
            })?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| ClientError::Unexpected(format!("{status}: {e}")));
        }
        Err(problem(status, &bytes))
    }

    pub fn list_users(&self) -> Result<Vec<UserJson>, ClientError> {
        let mut users = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut url = self.url(&[])?;
            url.query_pairs_mut().append_pair("limit", "1000");
            if let Some(after) = &after {
                url.query_pairs_mut().append_pair("after", after);
            }
            let page: UserPageJson = self.send(self.request(Method::GET, url))?;
            users.extend(page.users);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(users),
            }
        }
    }

    pub fn create_user(&self, new: &NewPasswordUser) -> Result<UserJson, ClientError> {
        let body =
            json!({"username": new.username, "password": new.password, "is_admin": new.is_admin});
        self.send(self.request(Method::POST, self.url(&[])?).json(&body))
    }

    pub fn get_user(&self, name: &str) -> Result<UserJson, ClientError> {
        self.send(self.request(Method::GET, self.url(&[name])?))
    }

    pub fn update_user(&self, name: &str, changes: UserChanges) -> Result<UserJson, ClientError> {
        let mut body = serde_json::Map::new();
        if let Some(v) = changes.is_admin {
            body.insert("is_admin".into(), Value::Bool(v));
        }
        if let Some(v) = changes.disabled {
            body.insert("disabled".into(), Value::Bool(v));
        }
        self.send(self.request(Method::PATCH, self.url(&[name])?).json(&body))
    }

    /// An admin's reset: every session of the user ends unless `keep_sessions`.
    pub fn set_password(
        &self,
        name: &str,
        password: &str,
        keep_sessions: bool,
    ) -> Result<UserJson, ClientError> {
        let body = json!({ "password": password, "keep_sessions": keep_sessions });
        self.send(
            self.request(Method::PUT, self.url(&[name, "password"])?)
                .json(&body),
        )
    }

    pub fn delete_user(&self, name: &str) -> Result<RemovalJson, ClientError> {
        self.send(self.request(Method::DELETE, self.url(&[name])?))
    }
}

fn problem(status: StatusCode, bytes: &[u8]) -> ClientError {
    let body: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
    ClientError::Problem(ServerProblem {
        status: status.as_u16(),
        title: text("title").unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("HTTP error")
                .to_string()
        }),
        detail: text("detail").or_else(|| {
            // Invalid-parameter problems say what was wrong in `invalid_params`.
            let reasons: Vec<String> = body
                .get("invalid_params")?
                .as_array()?
                .iter()
                .map(|p| {
                    let field = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
                    format!("{}: {}", field("name"), field("reason"))
                })
                .collect();
            (!reasons.is_empty()).then(|| reasons.join("; "))
        }),
        code: body.get("code").and_then(Value::as_u64),
    })
}
