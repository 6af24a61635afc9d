//! Partition values, the way current SDKs name a Realm in BIND: the value rendered
//! as MongoDB Extended JSON (docs/protocol.md §4.3), such as `"tasks"`,
//! `{"$oid":"5f1e…"}`, `{"$numberLong":"42"}` or `null`.

use std::fmt;

use serde_json::Value;

/// Longest rendered partition value, in bytes: the BIND path limit.
pub const MAX_PARTITION_LEN: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartitionError {
    #[error("the partition value is {0} bytes, longer than the {MAX_PARTITION_LEN} allowed")]
    TooLong(usize),
    #[error("the partition value is not JSON: {0}")]
    NotJson(String),
    #[error("a partition value is a string, an Extended JSON `$oid`, `$numberInt` or `$numberLong` object, or null; found {0}")]
    Unsupported(String),
    #[error("{key} needs {expected}, found {found:?}")]
    BadNumber {
        key: &'static str,
        expected: &'static str,
        found: String,
    },
    #[error("$oid needs 24 hexadecimal digits, found {0:?}")]
    BadObjectId(String),
    #[error("a string partition value cannot be empty")]
    EmptyString,
}

/// A partition value; only values an SDK can send are representable. Two values
/// are the same Realm exactly when they are equal here, whatever spacing or
/// escapes the client used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartitionValue {
    String(String),
    Int32(i32),
    Int64(i64),
    /// 12 bytes, shown as 24 lower-case hex digits.
    ObjectId([u8; 12]),
    Null,
}

impl PartitionValue {
    /// Reads a value from its Extended JSON text.
    pub fn parse(text: &str) -> Result<PartitionValue, PartitionError> {
        if text.len() > MAX_PARTITION_LEN {
            return Err(PartitionError::TooLong(text.len()));
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| PartitionError::NotJson(e.to_string()))?;
        match value {
            Value::String(s) if s.is_empty() => Err(PartitionError::EmptyString),
            Value::String(s) => Ok(PartitionValue::String(s)),
            Value::Null => Ok(PartitionValue::Null),
            Value::Object(map) if map.len() == 1 => {
                let (key, inner) = map.into_iter().next().unwrap_or_default();
                let inner = match inner {
                    Value::String(s) => s,
                    other => return Err(PartitionError::Unsupported(other.to_string())),
                };
                match key.as_str() {
                    "$oid" => object_id(&inner),
                    "$numberInt" => {
                        number(&inner, "$numberInt", "a 32-bit integer").map(PartitionValue::Int32)
                    }
                    "$numberLong" => {
                        number(&inner, "$numberLong", "a 64-bit integer").map(PartitionValue::Int64)
                    }
                    _ => Err(PartitionError::Unsupported(format!(
                        "an object with {key:?}"
                    ))),
                }
            }
            other => Err(PartitionError::Unsupported(other.to_string())),
        }
    }

    /// The user a partition value names, the owner of its Realm by default
    /// (docs/app-api.md "Partitions"): a string or an ObjectId equal to a user id.
    pub fn owner(&self) -> Option<crate::token::UserId> {
        match self {
            PartitionValue::String(s) => s.parse().ok(),
            PartitionValue::ObjectId(bytes) => hex::encode(bytes).parse().ok(),
            _ => None,
        }
    }

    /// Reads a value from BIND bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<PartitionValue, PartitionError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| PartitionError::NotJson(format!("not UTF-8: {e}")))?;
        PartitionValue::parse(text)
    }
}

fn number<T: std::str::FromStr>(
    text: &str,
    key: &'static str,
    expected: &'static str,
) -> Result<T, PartitionError> {
    // Only the canonical decimal form: "+1" or "01" would make two spellings of
    // one Realm.
    let canonical = text == "0"
        || (!text.starts_with('0') && !text.starts_with("-0") && !text.starts_with('+'));
    text.parse()
        .ok()
        .filter(|_| canonical)
        .ok_or_else(|| PartitionError::BadNumber {
            key,
            expected,
            found: text.to_string(),
        })
}

fn object_id(text: &str) -> Result<PartitionValue, PartitionError> {
    let bytes = hex::decode(text).map_err(|_| PartitionError::BadObjectId(text.to_string()))?;
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(PartitionError::BadObjectId(text.to_string()));
    }
    let array: [u8; 12] = bytes
        .try_into()
        .map_err(|_| PartitionError::BadObjectId(text.to_string()))?;
    Ok(PartitionValue::ObjectId(array))
}

/// The canonical Extended JSON text, as realm-core renders it.
impl fmt::Display for PartitionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartitionValue::String(s) => {
                let quoted = serde_json::to_string(s).map_err(|_| fmt::Error)?;
                f.write_str(&quoted)
            }
            PartitionValue::Int32(n) => write!(f, "{{\"$numberInt\":\"{n}\"}}"),
            PartitionValue::Int64(n) => write!(f, "{{\"$numberLong\":\"{n}\"}}"),
            PartitionValue::ObjectId(b) => write!(f, "{{\"$oid\":\"{}\"}}", hex::encode(b)),
            PartitionValue::Null => f.write_str("null"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_parses_and_renders_canonically() {
        for text in [
            "\"tasks\"",
            "\"with \\\"quotes\\\" and / slash\"",
            "{\"$numberInt\":\"42\"}",
            "{\"$numberLong\":\"-9000000000\"}",
            "{\"$oid\":\"5f1e2d3c4b5a697887960504\"}",
            "null",
        ] {
            let value = PartitionValue::parse(text).unwrap();
            assert_eq!(value.to_string(), text);
        }
    }

    #[test]
    fn spacing_does_not_make_another_realm() {
        let spaced = PartitionValue::parse("{ \"$oid\" : \"5f1e2d3c4b5a697887960504\" }").unwrap();
        let tight = PartitionValue::parse("{\"$oid\":\"5f1e2d3c4b5a697887960504\"}").unwrap();
        assert_eq!(spaced, tight);
    }

    #[test]
    fn other_values_are_refused() {
        for (text, bad) in [
            ("\"\"", PartitionError::EmptyString),
            (
                "{\"$oid\":\"5F1E2D3C4B5A697887960504\"}",
                PartitionError::BadObjectId("5F1E2D3C4B5A697887960504".into()),
            ),
            (
                "{\"$oid\":\"abc\"}",
                PartitionError::BadObjectId("abc".into()),
            ),
        ] {
            assert_eq!(PartitionValue::parse(text), Err(bad), "{text}");
        }
        for text in [
            "42",
            "true",
            "[1]",
            "{\"$numberInt\":\"99999999999\"}",
            "{\"$numberInt\":\"042\"}",
            "{\"$numberLong\":\"+1\"}",
            "{\"$date\":\"1\"}",
            "{\"$oid\":\"5f1e2d3c4b5a697887960504\",\"x\":1}",
            "\"a",
        ] {
            assert!(PartitionValue::parse(text).is_err(), "{text}");
        }
    }
}
