//! Logging in the way current Realm SDKs do (docs/app-api.md): location, a
//! provider's login, the profile, each step timed, for `ros probe --app-id`.

use std::time::{Duration, Instant};

use super::probe::{http_client, send_json, LoginError};
use super::sync::TlsOptions;

/// Who logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppCredentials {
    Anonymous,
    Password { email: String, password: String },
}

/// What the three requests gave.
#[derive(Debug, Clone, PartialEq)]
pub struct AppSession {
    /// The sync route the location named.
    pub sync_route: String,
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: String,
    /// `location`, `login` and `profile`, in that order.
    pub timings: Vec<(&'static str, Duration)>,
}

fn field(answer: &serde_json::Value, name: &str) -> Result<String, LoginError> {
    answer[name]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| LoginError::Other(format!("no string `{name}` in the answer: {answer}")))
}

/// Runs location → login → profile against the app API at `base`
/// (`http(s)://host[/prefix]`). Blocking.
pub fn app_login(
    base: &str,
    app_id: &str,
    credentials: &AppCredentials,
    tls: &TlsOptions,
    timeout: Duration,
) -> Result<AppSession, LoginError> {
    let client = http_client(tls, timeout)?;
    let mut timings = Vec::new();
    let url = format!(
        "{}/api/client/v2.0/app/{app_id}/location",
        base.trim_end_matches('/')
    );
    let start = Instant::now();
    let location = send_json(client.get(&url), &url)?;
    timings.push(("location", start.elapsed()));
    let hostname = field(&location, "hostname")?;
    let sync_route = field(&location, "sync_route")?;

    let (provider, body) = match credentials {
        AppCredentials::Anonymous => ("anon-user", serde_json::json!({"provider": "anon-user"})),
        AppCredentials::Password { email, password } => (
            "local-userpass",
            serde_json::json!({"provider": "local-userpass", "username": email, "password": password}),
        ),
    };
    let url = format!("{hostname}/api/client/v2.0/app/{app_id}/auth/providers/{provider}/login");
    let start = Instant::now();
    let login = send_json(client.post(&url).json(&body), &url)?;
    timings.push(("login", start.elapsed()));
    let access_token = field(&login, "access_token")?;

    let url = format!("{hostname}/api/client/v2.0/auth/profile");
    let start = Instant::now();
    send_json(client.get(&url).bearer_auth(&access_token), &url)?;
    timings.push(("profile", start.elapsed()));
    Ok(AppSession {
        sync_route,
        refresh_token: field(&login, "refresh_token")?,
        user_id: field(&login, "user_id")?,
        access_token,
        timings,
    })
}
