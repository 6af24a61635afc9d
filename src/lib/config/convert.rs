//! Turning one raw value (a YAML node from the file, or the text of a variable or
//! flag) into the typed value of its key. Each function accepts exactly what the
//! documentation promises and names what it found otherwise.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_yaml_ng::Value;

use super::model::{LogFormat, LogLevel, SyncSettings};
use super::problem::{PrefixFault, Problem};
use super::schema::Key;

/// A raw value: YAML from the file, or text from the environment or a flag.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Yaml(&'a Value),
    Text(&'a str),
}

/// A value that could not be converted; `item` is the offending list entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub problem: Problem,
    pub item: Option<usize>,
}

impl From<Problem> for Bad {
    fn from(problem: Problem) -> Bad {
        Bad {
            problem,
            item: None,
        }
    }
}

pub type Converted<T> = Result<T, Bad>;

/// How a YAML value is described in "found ...".
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.is_empty() => "an empty string".into(),
        Value::String(s) => format!("a string (`{s}`)"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

fn wrong(key: Key, input: Input) -> Bad {
    let found = match input {
        Input::Yaml(v) => describe(v),
        Input::Text("") => "an empty value".into(),
        Input::Text(t) => format!("`{t}`"),
    };
    Problem::WrongType { key, found }.into()
}

/// The text of a string-like value; other YAML types are wrong for `key`.
fn text<'a>(key: Key, input: Input<'a>) -> Converted<&'a str> {
    match input {
        Input::Yaml(Value::String(s)) if !s.is_empty() => Ok(s),
        Input::Text(t) if !t.is_empty() => Ok(t),
        _ => Err(wrong(key, input)),
    }
}

pub fn port(key: Key, input: Input) -> Converted<u16> {
    let out_of_range = |value: String| Bad::from(Problem::PortOutOfRange { key, value });
    match input {
        Input::Yaml(Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u16::try_from(u).map_err(|_| out_of_range(u.to_string())),
            (None, Some(i)) => Err(out_of_range(i.to_string())),
            (None, None) => Err(wrong(key, input)),
        },
        Input::Text(t) => {
            let t = t.trim();
            match (t.parse::<u64>(), t.parse::<i64>()) {
                (Ok(u), _) => u16::try_from(u).map_err(|_| out_of_range(t.to_string())),
                (Err(_), Ok(_)) => Err(out_of_range(t.to_string())),
                _ => Err(wrong(key, input)),
            }
        }
        Input::Yaml(_) => Err(wrong(key, input)),
    }
}

pub fn boolean(key: Key, input: Input) -> Converted<bool> {
    match input {
        Input::Yaml(Value::Bool(b)) => Ok(*b),
        Input::Text(t) if t.trim().eq_ignore_ascii_case("true") => Ok(true),
        Input::Text(t) if t.trim().eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(wrong(key, input)),
    }
}

pub fn address(key: Key, input: Input) -> Converted<IpAddr> {
    let t = text(key, input)?.trim();
    t.parse().map_err(|_| {
        Problem::InvalidAddress {
            key,
            value: t.to_string(),
        }
        .into()
    })
}

pub fn path(key: Key, input: Input, base: &Path) -> Converted<PathBuf> {
    Ok(base.join(text(key, input)?))
}

pub fn paths(key: Key, input: Input, base: &Path) -> Converted<Vec<PathBuf>> {
    match input {
        Input::Yaml(Value::Sequence(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                path(key, Input::Yaml(item), base).map_err(|bad| Bad {
                    item: Some(i),
                    ..bad
                })
            })
            .collect(),
        Input::Text(t) if !t.is_empty() => Ok(std::env::split_paths(t)
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| base.join(p))
            .collect()),
        _ => Err(wrong(key, input)),
    }
}

pub fn log_level(key: Key, input: Input) -> Converted<LogLevel> {
    let t = text(key, input)?.trim();
    LogLevel::from_name(t).ok_or_else(|| {
        Problem::InvalidLogLevel {
            value: t.to_string(),
        }
        .into()
    })
}

pub fn log_format(key: Key, input: Input) -> Converted<LogFormat> {
    let t = text(key, input)?.trim();
    LogFormat::from_name(t).ok_or_else(|| {
        Problem::InvalidLogFormat {
            value: t.to_string(),
        }
        .into()
    })
}

/// An HTTP field name (RFC 9110 `token`), lower-cased as HTTP/2 sends it.
pub fn header_name(key: Key, input: Input) -> Converted<String> {
    let t = text(key, input)?;
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if t.chars().all(tchar) {
        Ok(t.to_ascii_lowercase())
    } else {
        Err(Problem::InvalidHeaderName {
            value: t.to_string(),
        }
        .into())
    }
}

/// A path prefix such as `/my/url/prefix`: leading `/`, no trailing `/`, no empty
/// segment, and only characters a URL path may carry unescaped (or `%`-escaped).
pub fn url_prefix(key: Key, input: Input) -> Converted<String> {
    let t = text(key, input)?;
    let fault = if !t.starts_with('/') {
        Some(PrefixFault::NoLeadingSlash)
    } else if t.ends_with('/') {
        Some(PrefixFault::TrailingSlash)
    } else if t.contains("//") {
        Some(PrefixFault::EmptySegment)
    } else {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@%".contains(c);
        t.chars().find(|c| !allowed(*c)).map(PrefixFault::Character)
    };
    match fault {
        None => Ok(t.to_string()),
        Some(fault) => Err(Problem::InvalidUrlPrefix {
            value: t.to_string(),
            fault,
        }
        .into()),
    }
}

pub fn mapping(key: Key, input: Input) -> Converted<serde_json::Map<String, serde_json::Value>> {
    match input {
        Input::Yaml(v @ Value::Mapping(_)) => match serde_json::to_value(v) {
            Ok(serde_json::Value::Object(map)) => Ok(map),
            _ => Err(wrong(key, input)),
        },
        _ => Err(wrong(key, input)),
    }
}

/// A positive duration: whole seconds (`600`), or a whole number with a unit
/// (`90s`, `10m`, `12h`, `30d`).
pub fn duration(key: Key, input: Input) -> Converted<Duration> {
    let invalid = |value: String| Bad::from(Problem::InvalidDuration { key, value });
    let text = match input {
        Input::Yaml(Value::Number(n)) => match n.as_u64() {
            Some(s) if s > 0 => return Ok(Duration::from_secs(s)),
            _ => return Err(invalid(n.to_string())),
        },
        Input::Yaml(Value::String(s)) => s.as_str(),
        Input::Text(t) => t,
        Input::Yaml(_) => return Err(wrong(key, input)),
    };
    parse_duration(text.trim())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| invalid(text.trim().to_string()))
}

/// A whole number of at least 1.
pub fn count(key: Key, input: Input) -> Converted<u64> {
    let invalid = |value: String| Bad::from(Problem::InvalidCount { key, value });
    match input {
        Input::Yaml(Value::Number(n)) => n
            .as_u64()
            .filter(|v| *v > 0)
            .ok_or_else(|| invalid(n.to_string())),
        Input::Text(t) => t
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| invalid(t.trim().to_string())),
        Input::Yaml(_) => Err(wrong(key, input)),
    }
}

/// A number of bytes: a whole number of at least 1, and of at least `minimum`.
/// Plain integers only: no unit suffixes.
pub fn bytes(key: Key, input: Input, minimum: u64) -> Converted<u64> {
    let value = count(key, input)?;
    if value < minimum {
        return Err(Problem::TooSmall {
            key,
            value,
            minimum,
        }
        .into());
    }
    Ok(value)
}

/// A sync protocol version within [`SyncSettings::PROTOCOL_VERSIONS`].
pub fn protocol_version(key: Key, input: Input) -> Converted<u32> {
    let out_of_range = |value: String| Bad::from(Problem::ProtocolVersionOutOfRange { key, value });
    let in_range = |v: u64| {
        u32::try_from(v)
            .ok()
            .filter(|v| SyncSettings::PROTOCOL_VERSIONS.contains(v))
            .ok_or_else(|| out_of_range(v.to_string()))
    };
    match input {
        Input::Yaml(Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => in_range(u),
            (None, Some(i)) => Err(out_of_range(i.to_string())),
            (None, None) => Err(wrong(key, input)),
        },
        Input::Text(t) => {
            let t = t.trim();
            match (t.parse::<u64>(), t.parse::<i64>()) {
                (Ok(u), _) => in_range(u).map_err(|_| out_of_range(t.to_string())),
                (Err(_), Ok(_)) => Err(out_of_range(t.to_string())),
                _ => Err(wrong(key, input)),
            }
        }
        Input::Yaml(_) => Err(wrong(key, input)),
    }
}

/// A list of IP addresses: a YAML list, or comma-separated text in the environment.
pub fn addresses(key: Key, input: Input) -> Converted<Vec<IpAddr>> {
    match input {
        Input::Yaml(Value::Sequence(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                address(key, Input::Yaml(item)).map_err(|bad| Bad {
                    item: Some(i),
                    ..bad
                })
            })
            .collect(),
        Input::Text(t) if !t.is_empty() => t
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .enumerate()
            .map(|(i, a)| {
                address(key, Input::Text(a)).map_err(|bad| Bad {
                    item: Some(i),
                    ..bad
                })
            })
            .collect(),
        _ => Err(wrong(key, input)),
    }
}

/// Parses `600`, `90s`, `10m`, `12h` or `30d` (whole numbers only). `None` for
/// anything else, including overflow. Shared with the CLI's `--expires-in`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    if digits.is_empty() {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    let scale: u64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    n.checked_mul(scale).map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_seconds_or_one_unit() {
        assert_eq!(parse_duration("600"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("10m"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("30d"), Some(Duration::from_secs(2_592_000)));
        for bad in ["", "m", "1.5h", "10 m", "-1", "3w", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn sizes_are_plain_bytes_with_a_floor() {
        let key = Key::SyncMaxMessageSize;
        let mib = SyncSettings::MIN_MESSAGE_SIZE;
        assert_eq!(bytes(key, Input::Text("1048576"), mib), Ok(mib));
        assert_eq!(bytes(key, Input::Text(" 2097152 "), mib), Ok(2 * mib));
        let small = bytes(key, Input::Text("1048575"), mib).map_err(|b| b.problem);
        assert_eq!(
            small,
            Err(Problem::TooSmall {
                key,
                value: 1_048_575,
                minimum: mib
            })
        );
        for bad in ["0", "-1", "16MiB", "1.5", ""] {
            let problem = bytes(key, Input::Text(bad), 1).map_err(|b| b.problem);
            assert!(
                matches!(problem, Err(Problem::InvalidCount { .. })),
                "{bad}: {problem:?}"
            );
        }
    }

    #[test]
    fn protocol_versions_lie_within_2_to_14() {
        let key = Key::SyncMaxProtocolVersion;
        assert_eq!(protocol_version(key, Input::Text("2")), Ok(2));
        assert_eq!(protocol_version(key, Input::Text("14")), Ok(14));
        for (bad, shown) in [
            ("1", "1"),
            ("15", "15"),
            ("-3", "-3"),
            ("99999999999", "99999999999"),
        ] {
            assert_eq!(
                protocol_version(key, Input::Text(bad)).map_err(|b| b.problem),
                Err(Problem::ProtocolVersionOutOfRange {
                    key,
                    value: shown.into()
                })
            );
        }
        let yaml: Value = serde_yaml_ng::from_str("8.5").expect("yaml");
        assert!(matches!(
            protocol_version(key, Input::Yaml(&yaml)).map_err(|b| b.problem),
            Err(Problem::WrongType { .. })
        ));
    }
}
