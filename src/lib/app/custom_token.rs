//! The `custom-token` provider: a JWT signed (RS256) by the app team's identity
//! service, checked against the configured public key or JWKS, its audience and
//! times; the configured claim names the user (docs/app-api.md).

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::{Map, Value};

use super::error::{AppError, ErrorCode};
use crate::config::{CustomToken, CustomTokenKey};
use crate::keys::{self, KeyError, NamedKey, PublicKey};

/// Seconds of clock difference tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECONDS: i64 = 60;

/// A custom-token provider ready to check tokens: its options and keys.
#[derive(Debug, Clone)]
pub struct CustomTokenKeys {
    options: CustomToken,
    keys: Vec<NamedKey>,
}

/// What a verified token says: the identity and the profile fields to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    pub id: String,
    pub data: Vec<(String, String)>,
}

fn refused(why: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::AuthError, why)
}

fn part(text: &str, name: &str) -> Result<Vec<u8>, AppError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| refused(format!("the custom token's {name} is not base64url")))
}

fn object(bytes: &[u8], name: &str) -> Result<Map<String, Value>, AppError> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(refused(format!(
            "the custom token's {name} is not a JSON object"
        ))),
    }
}

fn seconds(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, AppError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| refused(format!("`{name}` is not a time"))),
        Some(_) => Err(refused(format!("`{name}` is not a number"))),
    }
}

impl CustomTokenKeys {
    /// A provider over keys already loaded.
    pub fn new(options: CustomToken, keys: Vec<NamedKey>) -> CustomTokenKeys {
        CustomTokenKeys { options, keys }
    }

    /// Reads the configured key file (checked by `ros check-configuration` too).
    pub fn load(options: &CustomToken) -> Result<CustomTokenKeys, KeyError> {
        let keys = match &options.key {
            CustomTokenKey::PublicKey(path) => vec![NamedKey {
                kid: None,
                key: PublicKey::read(path)?,
            }],
            CustomTokenKey::Jwks(path) => keys::read_jwks(path)?,
        };
        Ok(CustomTokenKeys::new(options.clone(), keys))
    }

    /// Checks form, signature (RS256 only), `exp` (required), `nbf`, `iat`,
    /// `aud` when configured, and returns the identity it names.
    pub fn verify(&self, token: &str, now: SystemTime) -> Result<ExternalIdentity, AppError> {
        let parts: Vec<&str> = token.split('.').collect();
        let [header, payload, signature] = parts[..] else {
            return Err(refused(
                "the custom token is not a JWT (header.payload.signature)",
            ));
        };
        let header_json = object(&part(header, "header")?, "header")?;
        if header_json.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(refused("the custom token must be signed with RS256"));
        }
        let kid = header_json.get("kid").and_then(Value::as_str);
        let signature = part(signature, "signature")?;
        let signed = &token[..header.len() + 1 + payload.len()];
        let verified = self
            .keys
            .iter()
            .filter(|k| kid.is_none() || k.kid.is_none() || k.kid.as_deref() == kid)
            .any(|k| k.key.verify(signed.as_bytes(), &signature));
        if !verified {
            return Err(refused("the custom token's signature does not verify"));
        }
        let claims = object(&part(payload, "payload")?, "payload")?;
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        match seconds(&claims, "exp")? {
            None => return Err(refused("the custom token has no `exp`")),
            Some(exp) if exp + LEEWAY_SECONDS < now => {
                return Err(refused("the custom token has expired"))
            }
            Some(_) => {}
        }
        for name in ["nbf", "iat"] {
            if seconds(&claims, name)?.is_some_and(|t| t > now + LEEWAY_SECONDS) {
                return Err(refused(format!("the custom token's `{name}` lies ahead")));
            }
        }
        if let Some(audience) = &self.options.audience {
            let matches = match claims.get("aud") {
                Some(Value::String(aud)) => aud == audience,
                Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
                _ => false,
            };
            if !matches {
                return Err(refused(format!(
                    "the custom token's audience is not {audience:?}"
                )));
            }
        }
        let claim = &self.options.user_id_claim;
        let id = match claims.get(claim) {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(refused(format!(
                    "the custom token has no string `{claim}` naming the user"
                )))
            }
        };
        let data = self
            .options
            .metadata
            .iter()
            .filter_map(|(field, claim)| {
                let value = claims.get(claim)?.as_str()?;
                Some((field.clone(), value.to_string()))
            })
            .collect();
        Ok(ExternalIdentity { id, data })
    }
}
