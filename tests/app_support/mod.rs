//! An SDK's side of the app client API (docs/app-api.md): requests with exactly
//! the headers realm-core sends, answers checked against `docs/openapi.yaml`,
//! every error checked for the exact `application/json` content type and the
//! `{error, error_code}` shape SDKs read, and JWT payloads decoded as SDKs do.

use base64::Engine as _;
use reqwest::blocking::RequestBuilder;
use serde_json::{json, Value};

use crate::support::http::{Answer, Api};

pub const LOCATION: &str = "/api/client/v2.0/app/{app_id}/location";
pub const LOGIN: &str = "/api/client/v2.0/app/{app_id}/auth/providers/{provider}/login";
pub const REGISTER: &str = "/api/client/v2.0/app/{app_id}/auth/providers/local-userpass/register";
pub const RESET: &str = "/api/client/v2.0/app/{app_id}/auth/providers/local-userpass/reset";
pub const PROFILE: &str = "/api/client/v2.0/auth/profile";
pub const SESSION: &str = "/api/client/v2.0/auth/session";
pub const DELETE: &str = "/api/client/v2.0/auth/delete";

/// One app as an SDK is configured with it: a base URL (with the URL prefix, if
/// any) and an app id.
pub struct Sdk {
    pub api: Api,
    pub prefix: String,
    pub app: String,
}

/// What a login answered.
#[derive(Debug, Clone)]
pub struct Login {
    pub access: String,
    pub refresh: String,
    pub user_id: String,
}

impl Sdk {
    pub fn new(api: Api, prefix: &str, app: &str) -> Sdk {
        Sdk {
            api,
            prefix: prefix.to_string(),
            app: app.to_string(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.api.base, self.prefix)
    }

    /// A request as realm-core builds it (§1.2 of docs/app-api.md): JSON content
    /// type with a charset even without a body, `Accept`, and the bearer token.
    pub fn request(
        &self,
        method: &str,
        route: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let method_name = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request: RequestBuilder = self
            .api
            .client()
            .request(method_name, self.url(path))
            .header("Content-Type", "application/json;charset=utf-8")
            .header("Accept", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let answer = self.api.send(request, route, &method.to_ascii_lowercase());
        assert!(
            !(300..400).contains(&answer.status),
            "{method} {path}: app routes never redirect"
        );
        if answer.status >= 400 {
            assert_error_shape(&answer);
        }
        answer
    }

    /// The location request: a bare GET, no headers from the SDK.
    pub fn location(&self) -> Answer {
        let path = format!("/api/client/v2.0/app/{}/location", self.app);
        let request = self.api.client().get(self.url(&path));
        let answer = self.api.send(request, LOCATION, "get");
        if answer.status >= 400 {
            assert_error_shape(&answer);
        }
        answer
    }

    pub fn provider_path(&self, provider: &str, operation: &str) -> String {
        format!(
            "/api/client/v2.0/app/{}/auth/providers/{provider}/{operation}",
            self.app
        )
    }

    pub fn register(&self, email: &str, password: &str) -> Answer {
        let body = json!({"email": email, "password": password});
        let path = self.provider_path("local-userpass", "register");
        self.request("POST", REGISTER, &path, None, Some(&body))
    }

    /// A login with `credentials` (the provider's fields) plus the device
    /// options a current SDK sends.
    pub fn login_with(&self, provider: &str, credentials: Value) -> Answer {
        let mut body = credentials;
        body["provider"] = json!(provider);
        body["options"] = json!({"device": {"appId": self.app, "platform": "Linux",
            "platformVersion": "6.1", "sdk": "Realm Rust test", "sdkVersion": "0",
            "cpuArch": "x86_64", "deviceName": "", "deviceVersion": "",
            "frameworkName": "", "frameworkVersion": "", "coreVersion": "14.14.0",
            "bundleId": ""}});
        let path = self.provider_path(provider, "login");
        self.request("POST", LOGIN, &path, None, Some(&body))
    }

    /// A login that must succeed; checks every field the SDK reads.
    pub fn login(&self, provider: &str, credentials: Value) -> Login {
        let answer = self.login_with(provider, credentials);
        assert_eq!(answer.status, 200, "{:#}", answer.body);
        let user_id = answer.body["user_id"].as_str().unwrap().to_string();
        assert!(is_object_id(&user_id), "{user_id}");
        assert!(answer.body["device_id"].is_string());
        let access = answer.body["access_token"].as_str().unwrap().to_string();
        let refresh = answer.body["refresh_token"].as_str().unwrap().to_string();
        assert_eq!(jwt_payload(&access)["sub"], user_id.as_str());
        assert_eq!(jwt_payload(&refresh)["sub"], user_id.as_str());
        Login {
            access,
            refresh,
            user_id,
        }
    }

    pub fn password_login(&self, email: &str, password: &str) -> Login {
        self.login(
            "local-userpass",
            json!({"username": email, "password": password}),
        )
    }

    pub fn profile(&self, access: &str) -> Answer {
        self.request("GET", PROFILE, PROFILE, Some(access), None)
    }

    pub fn refresh(&self, refresh: &str) -> Answer {
        self.request("POST", SESSION, SESSION, Some(refresh), None)
    }

    pub fn logout(&self, refresh: &str) -> Answer {
        self.request("DELETE", SESSION, SESSION, Some(refresh), None)
    }

    pub fn delete_user(&self, access: &str) -> Answer {
        self.request("DELETE", DELETE, DELETE, Some(access), None)
    }
}

pub fn is_object_id(text: &str) -> bool {
    text.len() == 24 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An error answer as SDKs read it: content type exactly `application/json`,
/// string `error` and `error_code`.
pub fn assert_error_shape(answer: &Answer) {
    let content_type = answer
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json"), "{answer:?}");
    assert!(answer.body["error"].is_string(), "{:#}", answer.body);
    assert!(answer.body["error_code"].is_string(), "{:#}", answer.body);
}

/// The status and `error_code` of an answer.
pub fn refusal(answer: &Answer) -> (u16, &str) {
    (
        answer.status,
        answer.body["error_code"].as_str().unwrap_or(""),
    )
}

/// A JWT's payload as realm-core decodes it: three non-empty parts, base64url
/// JSON, integer `exp` and `iat`.
pub fn jwt_payload(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    assert!(parts.iter().all(|p| !p.is_empty()), "{token}");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1])
        .expect("base64url payload");
    let payload: Value = serde_json::from_slice(&bytes).expect("JSON payload");
    assert!(payload["exp"].is_i64(), "integer exp: {payload}");
    assert!(payload["iat"].is_i64(), "integer iat: {payload}");
    assert!(
        payload["exp"].as_i64() > payload["iat"].as_i64(),
        "{payload}"
    );
    payload
}
