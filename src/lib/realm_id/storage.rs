//! Where a Realm's files live under the data root. The rule is in the README
//! ("Data directory"); backup and restore rely on it.
//!
//! A name is never used unescaped: the file system must not be able to see `..`,
//! a separator, a reserved name, or two names that differ only in case (macOS
//! and Windows volumes fold case, so `/Tasks` and `/tasks` must not share a file).
//! Only lower-case ASCII letters, digits, `-` and `_` stand for themselves; every
//! other byte, upper-case letters and `.` included, becomes `%` and two upper-case
//! hex digits. The output alphabet has no lower-case escape and no bare `%`, so the
//! mapping stays one-to-one even on a case-folding file system.

use std::path::PathBuf;

use aws_lc_rs::digest;

use super::RealmId;

/// The directory under the data root that holds every Realm's files.
pub const REALMS_DIR: &str = "realms";

/// An escaped name longer than this is cut and suffixed with a hash, so every
/// file name fits the usual 255-byte limit with room for the suffixes.
const MAX_NAME: usize = 200;
const KEPT_PREFIX: usize = 120;

fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The escaped name, or for a long one its first characters (whole escapes only),
/// `~` (never produced by escaping) and the SHA-256 of the unescaped bytes.
fn file_name(bytes: &[u8]) -> String {
    let escaped = escape(bytes);
    if escaped.len() <= MAX_NAME {
        return escaped;
    }
    let mut cut = KEPT_PREFIX;
    while escaped.as_bytes()[cut - 1] == b'%' || escaped.as_bytes()[cut - 2] == b'%' {
        cut -= 1;
    }
    let hash = digest::digest(&digest::SHA256, bytes);
    format!("{}~{}", &escaped[..cut], hex::encode(hash.as_ref()))
}

/// The path, relative to the data root, of the directory that holds a Realm's
/// files: `realms/path/<segment>/…/<last segment>` for a path (each segment
/// escaped, so the path stays readable on disk) and `realms/partition/<value>` for
/// a partition value (its Extended JSON, escaped as one name).
pub fn storage_name(id: &RealmId) -> PathBuf {
    let mut out = PathBuf::from(REALMS_DIR);
    match id {
        RealmId::Path(path) => {
            out.push("path");
            for segment in path.segments() {
                out.push(file_name(segment.as_bytes()));
            }
        }
        RealmId::Partition(value) => {
            out.push("partition");
            out.push(file_name(value.to_string().as_bytes()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> String {
        storage_name(&RealmId::parse(text, None).unwrap())
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn readable_names_stay_readable() {
        assert_eq!(
            name("/0123456789abcdef01234567/my-tasks_2"),
            "realms/path/0123456789abcdef01234567/my-tasks_2"
        );
        assert_eq!(name("\"tasks\""), "realms/partition/%22tasks%22");
        assert_eq!(name("null"), "realms/partition/null");
    }

    #[test]
    fn case_and_dots_are_escaped() {
        assert_eq!(name("/Tasks"), "realms/path/%54asks");
        assert_eq!(name("/a.b"), "realms/path/a%2Eb");
        assert_ne!(name("/Tasks").to_lowercase(), name("/tasks").to_lowercase());
        assert_eq!(name("\"../x\""), "realms/partition/%22%2E%2E%2Fx%22");
    }

    #[test]
    fn long_names_are_cut_and_hashed() {
        let long = format!("/{}", "A".repeat(300));
        let other = format!("/{}B", "A".repeat(299));
        let (a, b) = (name(&long), name(&other));
        assert_ne!(a, b);
        for n in [&a, &b] {
            let last = n.rsplit('/').next().unwrap();
            assert!(last.len() <= 255, "{last}");
            assert!(last.contains('~'));
        }
    }
}
