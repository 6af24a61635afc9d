//! The JSON payload as we accept it: either spelling of each key
//! (docs/protocol.md §11.2), in document order so a later duplicate wins and
//! `access` lists accumulate; unknown keys are skipped; a known key with the wrong
//! JSON type is an error.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::access::{Access, Right, REFRESH};
use super::claims::{Claims, Identity, Salt, TokenKind};
use super::error::{Malformed, Part};

fn from_unix_seconds(seconds: i64) -> SystemTime {
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    }
    .unwrap_or(UNIX_EPOCH)
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

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
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
