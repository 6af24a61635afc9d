//! Realm paths, the original server's way of naming a Realm (docs/original-server.md §5.2):
//! `/<user id>/tasks`, `/shared/board`, with `~` standing for the requesting user.

use std::fmt;

use crate::token::UserId;

/// Longest path accepted, in bytes, after `~` is expanded: the reference server's
/// limit for the BIND path, so any path it could serve fits.
pub const MAX_PATH_LEN: usize = 1024;

/// Segments whose name ends like this are the server's own files in the original.
const RESERVED_SUFFIXES: [&str; 3] = [".realm", ".realm.lock", ".realm.management"];

/// Why a text is not a Realm path. Each variant names the offending part so the
/// message can say where the path went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the path is empty")]
    Empty,
    #[error("the path is {0} bytes long, longer than the {MAX_PATH_LEN} allowed")]
    TooLong(usize),
    #[error("segment {index} is empty (two `/` in a row, or a `/` at the end)")]
    EmptySegment { index: usize },
    #[error("segment {index} ({segment:?}) starts with `.`; `.`, `..` and hidden names are not Realm names")]
    DotSegment { index: usize, segment: String },
    #[error("segment {index} ({segment:?}) holds {found:?}; only letters, digits, `.`, `_` and `-` are allowed (percent-escapes are not decoded here)")]
    Character {
        index: usize,
        segment: String,
        found: char,
    },
    #[error("segment {index} ({segment:?}) ends in a suffix the server reserves (`.realm`, `.realm.lock`, `.realm.management`)")]
    ReservedSuffix { index: usize, segment: String },
    #[error("`~` stands for the requesting user, and there is none here")]
    NoIdentity,
    #[error("`~` may only be the whole first segment, as in `/~/tasks`")]
    MisplacedTilde,
    #[error("the path is not UTF-8")]
    NotUtf8,
    #[error("{0:?} is not a valid percent-escape")]
    BadEscape(String),
}

/// A Realm path that is legal by construction: it starts with `/`, has at least
/// one segment, every segment is non-empty, made of `[0-9A-Za-z._-]`, does not
/// start with `.` and does not end in a reserved suffix, and the whole is at most
/// [`MAX_PATH_LEN`] bytes. Nothing that fails these rules can be held, so code
/// given a `RealmPath` never re-checks it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RealmPath(String);

impl RealmPath {
    /// An absolute path as stored or as an operator types it; `~` is refused
    /// because there is nobody for it to stand for. A missing leading `/` is
    /// added, as the original did.
    pub fn parse(text: &str) -> Result<RealmPath, PathError> {
        RealmPath::resolve(text, None)
    }

    /// A path sent by or for `identity`: a first segment `~` becomes the
    /// identity (a user id, or `__admin` for the admin token).
    pub fn resolve(text: &str, identity: Option<&str>) -> Result<RealmPath, PathError> {
        let trimmed = text.strip_prefix('/').unwrap_or(text);
        if trimmed.is_empty() {
            return Err(PathError::Empty);
        }
        let mut out = String::with_capacity(trimmed.len() + 1);
        for (index, segment) in trimmed.split('/').enumerate() {
            let segment = if segment == "~" && index == 0 {
                identity.ok_or(PathError::NoIdentity)?
            } else if segment.contains('~') {
                return Err(PathError::MisplacedTilde);
            } else {
                segment
            };
            check_segment(index, segment)?;
            out.push('/');
            out.push_str(segment);
            if out.len() > MAX_PATH_LEN {
                return Err(PathError::TooLong(out.len()));
            }
        }
        Ok(RealmPath(out))
    }

    /// A path that came in a URL, percent-decoded here exactly once: `%2F` becomes
    /// a `/` (the original's form `/realm-sync/%2F~%2Ftasks`), `%252F` becomes the
    /// text `%2F`, which no segment may hold.
    pub fn from_url(encoded: &str, identity: Option<&str>) -> Result<RealmPath, PathError> {
        let bytes = percent_decode(encoded)?;
        let text = String::from_utf8(bytes).map_err(|_| PathError::NotUtf8)?;
        RealmPath::resolve(&text, identity)
    }

    /// A path as a sync client sent it in BIND: bytes taken as they are, never
    /// percent-decoded.
    pub fn from_bind(bytes: &[u8], identity: Option<&str>) -> Result<RealmPath, PathError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PathError::NotUtf8)?;
        RealmPath::resolve(text, identity)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments, without the leading `/`.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0[1..].split('/')
    }

    /// The user whose home this path is in: the first segment, when it is a user
    /// id. A Realm registered here for the first time belongs to that user.
    pub fn home_user(&self) -> Option<UserId> {
        self.segments().next()?.parse().ok()
    }

    /// Whether a segment is one of the original's per-user special Realms
    /// (`__management`, `__permission`, `__perm`), whose permissions no change may
    /// touch.
    pub fn is_management(&self) -> bool {
        self.segments()
            .any(|s| matches!(s, "__management" | "__permission" | "__perm"))
    }
}

fn check_segment(index: usize, segment: &str) -> Result<(), PathError> {
    if segment.is_empty() {
        return Err(PathError::EmptySegment { index });
    }
    if let Some(found) = segment
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(PathError::Character {
            index,
            segment: segment.to_string(),
            found,
        });
    }
    if segment.starts_with('.') {
        return Err(PathError::DotSegment {
            index,
            segment: segment.to_string(),
        });
    }
    if RESERVED_SUFFIXES.iter().any(|s| segment.ends_with(s)) {
        return Err(PathError::ReservedSuffix {
            index,
            segment: segment.to_string(),
        });
    }
    Ok(())
}

/// RFC 3986 percent-decoding, once; a `%` not followed by two hex digits is an
/// error rather than a literal, so a malformed URL cannot name a Realm.
fn percent_decode(text: &str) -> Result<Vec<u8>, PathError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let escape = bytes.get(i + 1..i + 3).and_then(|h| {
                let h = std::str::from_utf8(h).ok()?;
                u8::from_str_radix(h, 16).ok()
            });
            match escape {
                Some(b) => out.push(b),
                None => {
                    let end = (i + 3).min(bytes.len());
                    return Err(PathError::BadEscape(
                        String::from_utf8_lossy(&bytes[i..end]).into_owned(),
                    ));
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

impl fmt::Display for RealmPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RealmPath {
    type Err = PathError;

    fn from_str(text: &str) -> Result<RealmPath, PathError> {
        RealmPath::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_is_the_whole_first_segment_only() {
        let p = RealmPath::resolve("/~/tasks", Some("abc")).unwrap();
        assert_eq!(p.as_str(), "/abc/tasks");
        assert_eq!(
            RealmPath::resolve("~/x", Some("u1")).unwrap().as_str(),
            "/u1/x"
        );
        assert_eq!(RealmPath::parse("/~/a"), Err(PathError::NoIdentity));
        assert_eq!(
            RealmPath::resolve("/a/~", Some("u")),
            Err(PathError::MisplacedTilde)
        );
        assert_eq!(
            RealmPath::resolve("/a~b", Some("u")),
            Err(PathError::MisplacedTilde)
        );
    }

    #[test]
    fn url_paths_are_decoded_once() {
        let p = RealmPath::from_url("%2F~%2Ftasks", Some("u")).unwrap();
        assert_eq!(p.as_str(), "/u/tasks");
        assert!(matches!(
            RealmPath::from_url("%252Fa", None),
            Err(PathError::Character { found: '%', .. })
        ));
        assert!(matches!(
            RealmPath::from_url("/a/%2e%2e", None),
            Err(PathError::DotSegment { .. })
        ));
        assert!(matches!(
            RealmPath::from_url("/a/%zz", None),
            Err(PathError::BadEscape(_))
        ));
        assert!(matches!(
            RealmPath::from_url("/a/%ff", None),
            Err(PathError::NotUtf8)
        ));
    }

    #[test]
    fn bind_bytes_are_never_decoded() {
        assert!(matches!(
            RealmPath::from_bind(b"/a%2Fb", None),
            Err(PathError::Character { found: '%', .. })
        ));
        assert_eq!(
            RealmPath::from_bind(b"/a/b", None).unwrap().as_str(),
            "/a/b"
        );
    }

    #[test]
    fn the_length_limit_counts_the_expanded_path() {
        let long = format!("/{}", "a".repeat(MAX_PATH_LEN - 1));
        assert!(RealmPath::parse(&long).is_ok());
        let longer = format!("/{}", "a".repeat(MAX_PATH_LEN));
        assert_eq!(
            RealmPath::parse(&longer),
            Err(PathError::TooLong(MAX_PATH_LEN + 1))
        );
    }

    #[test]
    fn home_and_management() {
        let id = "0123456789abcdef01234567";
        let p = RealmPath::parse(&format!("/{id}/tasks")).unwrap();
        assert_eq!(p.home_user().unwrap().to_string(), id);
        assert!(RealmPath::parse("/shared").unwrap().home_user().is_none());
        assert!(RealmPath::parse(&format!("/{id}/__management"))
            .unwrap()
            .is_management());
        assert!(!p.is_management());
    }
}
