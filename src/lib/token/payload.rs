//! The JSON payload: written exactly, read leniently.
//!
//! Written: the legacy form uses the original server's field names and order
//! (ros-behaviour.md §3.2: `app_id`, `identity`, `access`, `salt`, `expires`, then
//! the kind's own fields), compact as Node's `JSON.stringify` made it; JWTs use the
//! claim names SDKs and realm-core read (`sub`, `typ`, `exp`, `iat`, ...).
//! Ours in both: `sid`, the refresh session id.
//!
//! Read: either spelling of each key (sync-protocol.md §8.3), in document order so a
//! later duplicate wins and `access` lists accumulate; unknown keys are skipped; a
//! known key with the wrong JSON type is an error.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::claims::{Access, Claims, Identity, Right, Salt, TokenKind};
use super::error::{Malformed, Part, SignError};

const REFRESH: &str = "refresh";

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

fn from_unix_seconds(seconds: i64) -> SystemTime {
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    }
    .unwrap_or(UNIX_EPOCH)
}

#[derive(Serialize)]
struct LegacyPayload<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    identity: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    access: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_admin: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
}

fn access_words(claims: &Claims) -> Vec<&'static str> {
    match claims.kind {
        TokenKind::Refresh => vec![REFRESH],
        TokenKind::Access | TokenKind::Admin => claims.access.iter().map(Right::as_str).collect(),
    }
}

/// The exact JSON bytes of the legacy form.
pub(crate) fn legacy_json(claims: &Claims) -> Result<Vec<u8>, SignError> {
    let is_admin = match claims.kind {
        TokenKind::Refresh => Some(claims.is_admin),
        TokenKind::Access => claims.is_admin.then_some(true),
        TokenKind::Admin => None,
    };
    let payload = LegacyPayload {
        app_id: claims.app_id.as_deref(),
        identity: claims.identity.to_string(),
        access: access_words(claims),
        salt: claims.salt.as_ref().map(Salt::as_str),
        expires: claims.expires.map(unix_seconds),
        path: claims.path.as_deref(),
        sync_label: claims.sync_label.as_deref(),
        is_admin,
        sid: claims.session.map(|s| s.to_string()),
    };
    Ok(serde_json::to_vec(&payload)?)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JwtPayload<'a> {
    sub: String,
    typ: &'static str,
    exp: i64,
    iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salt: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    access: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_label: Option<&'a str>,
    is_admin: bool,
}

/// The exact JSON bytes of a JWT payload. `iat` and `exp` are required: SDKs abort
/// on a JWT without them (app-services-api.md §6.4).
pub(crate) fn jwt_json(claims: &Claims) -> Result<Vec<u8>, SignError> {
    let (Some(iat), Some(exp)) = (claims.issued_at, claims.expires) else {
        return Err(SignError::JwtNeedsTimes);
    };
    let payload = JwtPayload {
        sub: claims.identity.to_string(),
        typ: match claims.kind {
            TokenKind::Refresh => REFRESH,
            TokenKind::Access | TokenKind::Admin => "access",
        },
        exp: unix_seconds(exp),
        iat: unix_seconds(iat),
        app_id: claims.app_id.as_deref(),
        sid: claims.session.map(|s| s.to_string()),
        salt: claims.salt.as_ref().map(Salt::as_str),
        access: access_words(claims),
        path: claims.path.as_deref(),
        sync_label: claims.sync_label.as_deref(),
        is_admin: claims.is_admin,
    };
    Ok(serde_json::to_vec(&payload)?)
}

/// The members of a JSON object in document order, duplicates kept.
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entries, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// Parses a JSON object into its members, telling syntax errors from a valid JSON
/// value that is not an object.
pub(crate) fn object_entries(bytes: &[u8], part: Part) -> Result<Vec<(String, Value)>, Malformed> {
    serde_json::from_slice::<Entries>(bytes)
        .map(|e| e.0)
        .map_err(|e| match e.classify() {
            serde_json::error::Category::Data => Malformed::NotAnObject(part),
            _ => Malformed::Json {
                part,
                detail: e.to_string(),
            },
        })
}

#[derive(Default)]
struct Reader {
    identity: Option<Identity>,
    access: Access,
    refresh_in_access: bool,
    typ: Option<TokenKind>,
    admin_flag: Option<bool>,
    issued_at: Option<SystemTime>,
    not_before: Option<SystemTime>,
    expires: Option<SystemTime>,
    path: Option<String>,
    app_id: Option<String>,
    sync_label: Option<String>,
    salt: Option<Salt>,
    session: Option<String>,
}

fn wrong_type(key: &str, expected: &'static str) -> Malformed {
    Malformed::FieldType {
        field: key.to_string(),
        expected,
    }
}

fn string(key: &str, value: Value) -> Result<String, Malformed> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(wrong_type(key, "a string")),
    }
}

/// A time in unix seconds; `0` and `null` mean "none" (realm-core's rule for
/// `expires`). Fractions are truncated, as realm-core's parser does.
fn time(key: &str, value: &Value) -> Result<Option<SystemTime>, Malformed> {
    let seconds = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        _ => None,
    };
    match seconds {
        None => Err(wrong_type(key, "a number or null")),
        Some(0) => Ok(None),
        Some(s) => Ok(Some(from_unix_seconds(s))),
    }
}

impl Reader {
    fn apply(&mut self, key: &str, value: Value) -> Result<(), Malformed> {
        match key {
            "identity" | "sub" => {
                let text = string(key, value)?;
                self.identity = Some(Identity::parse(&text).ok_or(Malformed::InvalidValue {
                    field: key.to_string(),
                })?);
            }
            "access" => {
                let Value::Array(items) = value else {
                    return Err(wrong_type(key, "an array"));
                };
                for item in items {
                    match item.as_str() {
                        Some(REFRESH) => self.refresh_in_access = true,
                        Some(word) => {
                            if let Some(right) = Right::parse(word) {
                                self.access = self.access.with(right);
                            }
                        }
                        None => {}
                    }
                }
            }
            "admin" | "isAdmin" | "is_admin" => match value {
                Value::Bool(b) => self.admin_flag = Some(b),
                _ => return Err(wrong_type(key, "a boolean")),
            },
            "timestamp" | "iat" => self.issued_at = time(key, &value)?,
            "nbf" => self.not_before = time(key, &value)?,
            "expires" | "exp" => self.expires = time(key, &value)?,
            "path" => self.path = Some(string(key, value)?),
            "app_id" | "appId" | "app" => self.app_id = Some(string(key, value)?),
            "sync_label" | "syncLabel" => self.sync_label = Some(string(key, value)?),
            "salt" => self.salt = Some(Salt::from_token(string(key, value)?)),
            "sid" => self.session = Some(string(key, value)?),
            "typ" => {
                self.typ = Some(match string(key, value)?.as_str() {
                    "access" => TokenKind::Access,
                    REFRESH => TokenKind::Refresh,
                    _ => {
                        return Err(Malformed::InvalidValue {
                            field: key.to_string(),
                        })
                    }
                })
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<Claims, Malformed> {
        let identity = self
            .identity
            .ok_or(Malformed::MissingField { field: "identity" })?;
        let refresh = match (self.typ, self.refresh_in_access) {
            (Some(TokenKind::Access), true) => {
                return Err(Malformed::InvalidValue {
                    field: "typ".to_string(),
                })
            }
            (typ, in_access) => in_access || typ == Some(TokenKind::Refresh),
        };
        let kind = if refresh {
            TokenKind::Refresh
        } else if identity == Identity::Admin && self.path.is_none() {
            TokenKind::Admin
        } else {
            TokenKind::Access
        };
        let session = match self.session {
            Some(text) => Some(text.parse().map_err(|_| Malformed::InvalidValue {
                field: "sid".to_string(),
            })?),
            None => None,
        };
        Ok(Claims {
            kind,
            is_admin: kind == TokenKind::Admin || self.admin_flag.unwrap_or(false),
            identity,
            access: self.access,
            path: self.path,
            app_id: self.app_id,
            sync_label: self.sync_label,
            salt: self.salt,
            session,
            issued_at: self.issued_at,
            not_before: self.not_before,
            expires: self.expires,
        })
    }
}

/// Reads a payload of either form into claims.
pub(crate) fn read_claims(bytes: &[u8]) -> Result<Claims, Malformed> {
    let mut reader = Reader::default();
    for (key, value) in object_entries(bytes, Part::Payload)? {
        reader.apply(&key, value)?;
    }
    reader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::id::{SessionId, UserId};

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn refresh_payload_has_the_original_field_order() {
        let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
        let session: SessionId = "65f1c0de2a9b4c00aaaaaaaa".parse().unwrap();
        let mut claims = Claims::refresh(
            user,
            session,
            true,
            at(1_790_000_000),
            Duration::from_secs(60),
        );
        claims.salt = Some(Salt::from_token("0a1b2c3d".into()));
        let json = String::from_utf8(legacy_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"app_id":"io.realm.Auth","identity":"65f1c0de2a9b4c0012345678","access":["refresh"],"salt":"0a1b2c3d","expires":1790000060,"is_admin":true,"sid":"65f1c0de2a9b4c00aaaaaaaa"}"#
        );
    }

    #[test]
    fn access_payload_lists_path_and_label_after_the_common_fields() {
        let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
        let access = Access::NONE.with(Right::Upload).with(Right::Download);
        let mut claims = Claims::access(
            Identity::User(user),
            Some("/x/y".into()),
            access,
            at(100),
            Duration::from_secs(600),
        )
        .with_sync_label("default");
        claims.salt = Some(Salt::from_token("00000000".into()));
        let json = String::from_utf8(legacy_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"app_id":"io.realm.Auth","identity":"65f1c0de2a9b4c0012345678","access":["download","upload"],"salt":"00000000","expires":700,"path":"/x/y","sync_label":"default"}"#
        );
    }

    #[test]
    fn admin_payload_has_no_expiry_no_path_no_flag() {
        let mut claims = Claims::admin();
        claims.salt = Some(Salt::from_token("ffffffff".into()));
        let json = String::from_utf8(legacy_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"app_id":"io.realm.auth","identity":"__admin","access":["download","upload","manage"],"salt":"ffffffff"}"#
        );
    }

    #[test]
    fn jwt_payload_has_integer_times_and_our_claims() {
        let user: UserId = "65f1c0de2a9b4c0012345678".parse().unwrap();
        let session: SessionId = "65f1c0de2a9b4c00aaaaaaaa".parse().unwrap();
        let mut claims = Claims::access(
            Identity::User(user),
            Some("/p".into()),
            Access::ALL,
            at(1_790_000_000),
            Duration::from_secs(1800),
        )
        .with_session(session);
        claims.salt = Some(Salt::from_token("01234567".into()));
        let json = String::from_utf8(jwt_json(&claims).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"sub":"65f1c0de2a9b4c0012345678","typ":"access","exp":1790001800,"iat":1790000000,"appId":"io.realm.Auth","sid":"65f1c0de2a9b4c00aaaaaaaa","salt":"01234567","access":["download","upload","manage"],"path":"/p","isAdmin":false}"#
        );
        assert!(matches!(
            jwt_json(&Claims::admin()),
            Err(SignError::JwtNeedsTimes)
        ));
    }

    #[test]
    fn later_duplicates_win_and_access_lists_accumulate() {
        let claims = read_claims(
            br#"{"identity":"a","sub":"b","access":["download"],"access":["manage",7,"bogus"],"exp":null,"expires":12.9}"#,
        )
        .unwrap();
        assert_eq!(claims.identity().to_string(), "b");
        assert_eq!(
            claims.access_rights(),
            Access::NONE.with(Right::Download).with(Right::Manage)
        );
        assert_eq!(claims.expires(), Some(at(12)));
        assert_eq!(claims.kind(), TokenKind::Access);
    }

    #[test]
    fn zero_and_null_times_mean_never() {
        let claims = read_claims(br#"{"identity":"a","expires":0,"timestamp":null}"#).unwrap();
        assert_eq!(claims.expires(), None);
        assert_eq!(claims.issued_at(), None);
    }

    #[test]
    fn refresh_is_recognised_in_either_form_and_contradictions_refused() {
        let legacy = read_claims(br#"{"identity":"a","access":["refresh"]}"#).unwrap();
        assert_eq!(legacy.kind(), TokenKind::Refresh);
        let jwt = read_claims(br#"{"sub":"a","typ":"refresh"}"#).unwrap();
        assert_eq!(jwt.kind(), TokenKind::Refresh);
        assert_eq!(
            read_claims(br#"{"sub":"a","typ":"access","access":["refresh"]}"#),
            Err(Malformed::InvalidValue {
                field: "typ".into()
            })
        );
        assert_eq!(
            read_claims(br#"{"sub":"a","typ":"id"}"#),
            Err(Malformed::InvalidValue {
                field: "typ".into()
            })
        );
    }

    #[test]
    fn only_the_pathless_admin_identity_is_the_admin_kind() {
        let admin = read_claims(br#"{"identity":"__admin"}"#).unwrap();
        assert_eq!(admin.kind(), TokenKind::Admin);
        assert!(admin.is_admin());
        let scoped = read_claims(br#"{"identity":"__admin","path":"/a"}"#).unwrap();
        assert_eq!(scoped.kind(), TokenKind::Access);
        assert!(!scoped.is_admin());
        let pathless_user = read_claims(br#"{"identity":"someone"}"#).unwrap();
        assert!(!pathless_user.is_admin());
    }

    #[test]
    fn wrong_types_and_missing_identity_are_named() {
        let cases: [(&[u8], Malformed); 7] = [
            (br#"{"identity":7}"#, wrong_type("identity", "a string")),
            (
                br#"{"identity":"a","access":"download"}"#,
                wrong_type("access", "an array"),
            ),
            (
                br#"{"identity":"a","isAdmin":"yes"}"#,
                wrong_type("isAdmin", "a boolean"),
            ),
            (
                br#"{"identity":"a","exp":"soon"}"#,
                wrong_type("exp", "a number or null"),
            ),
            (
                br#"{"access":[]}"#,
                Malformed::MissingField { field: "identity" },
            ),
            (
                br#"{"identity":""}"#,
                Malformed::InvalidValue {
                    field: "identity".into(),
                },
            ),
            (
                br#"{"identity":"a","sid":"nope"}"#,
                Malformed::InvalidValue {
                    field: "sid".into(),
                },
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(
                read_claims(json),
                Err(expected),
                "{}",
                String::from_utf8_lossy(json)
            );
        }
    }

    #[test]
    fn non_objects_and_broken_json_are_told_apart() {
        assert_eq!(
            read_claims(b"[1,2]"),
            Err(Malformed::NotAnObject(Part::Payload))
        );
        assert!(matches!(
            read_claims(b"{\"identity\":"),
            Err(Malformed::Json {
                part: Part::Payload,
                ..
            })
        ));
    }
}
