//! Realm paths as clients send them (ros-behaviour.md §5.2): `/~/tasks` or
//! `/<user id>/tasks`, `~` standing for the requesting user.

/// A path that no Realm may have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the path is empty")]
    Empty,
    #[error("segment {0:?} is empty, starts with `.`, or holds characters other than letters, digits, `.`, `_` and `-`")]
    Segment(String),
    #[error("segment {0:?} ends in a file suffix the server reserves (`.realm`, `.realm.lock`, `.realm.management`)")]
    Suffix(String),
    #[error("`~` stands for the requesting user, and this request has none")]
    NoIdentity,
}

const RESERVED_SUFFIXES: [&str; 3] = [".realm", ".realm.lock", ".realm.management"];
const PARTIAL_MARKER: &str = "__partial";

/// The absolute path `raw` names for `identity`: a missing leading `/` is added,
/// the first `~` becomes the identity, and every segment must be non-empty, made
/// of `[0-9A-Za-z._-]`, not start with `.` and not end in a reserved suffix.
/// Percent-escapes are not decoded: a path that needs them is not a valid path.
pub fn resolve_realm_path(raw: &str, identity: Option<&str>) -> Result<String, PathError> {
    let trimmed = raw.strip_prefix('/').unwrap_or(raw);
    if trimmed.is_empty() {
        return Err(PathError::Empty);
    }
    let expanded = if trimmed.contains('~') {
        let who = identity.ok_or(PathError::NoIdentity)?;
        trimmed.replacen('~', who, 1)
    } else {
        trimmed.to_string()
    };
    for segment in expanded.split('/') {
        let valid_chars = segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if segment.is_empty() || segment.starts_with('.') || !valid_chars {
            return Err(PathError::Segment(segment.to_string()));
        }
        if RESERVED_SUFFIXES.iter().any(|s| segment.ends_with(s)) {
            return Err(PathError::Suffix(segment.to_string()));
        }
    }
    Ok(format!("/{expanded}"))
}

/// The user namespace a valid path belongs to: its first segment, or for a
/// partial-sync path (`<reference>/__partial/<identity>/<client>`) the segment
/// after `__partial`.
pub fn owner_namespace(path: &str) -> &str {
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    let mut rest = segments.skip_while(|s| *s != PARTIAL_MARKER);
    match (rest.next(), rest.next()) {
        (Some(_), Some(owner)) => owner,
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_to_the_identity_once() {
        assert_eq!(
            resolve_realm_path("/~/tasks", Some("abc")).unwrap(),
            "/abc/tasks"
        );
        assert_eq!(resolve_realm_path("~/x", Some("u1")).unwrap(), "/u1/x");
        assert_eq!(resolve_realm_path("/~/a", None), Err(PathError::NoIdentity));
        assert!(resolve_realm_path("/~/~", Some("u")).is_err());
    }

    #[test]
    fn bad_segments_are_refused() {
        for bad in [
            "",
            "/",
            "/a//b",
            "/.hidden",
            "/a b",
            "/a/%2F",
            "/x.realm",
            "/y.realm.lock",
        ] {
            assert!(resolve_realm_path(bad, Some("u")).is_err(), "{bad}");
        }
        assert_eq!(resolve_realm_path("/__admin", None).unwrap(), "/__admin");
    }

    #[test]
    fn the_owner_is_the_first_segment_or_the_partial_identity() {
        assert_eq!(owner_namespace("/u1/tasks"), "u1");
        assert_eq!(owner_namespace("/default"), "default");
        assert_eq!(owner_namespace("/u1/shared/__partial/u2/7"), "u2");
    }
}
