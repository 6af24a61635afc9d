//! `manifest.json`, what a backup holds and what scripts read (docs/backup.md,
//! "The manifest"). Its own SHA-256 covers every other field, so a manifest
//! edited by hand, or cut short, is refused instead of believed.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::Problem;

/// The manifest's file name in a backup.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The manifest format this build writes and reads.
pub const MANIFEST_FORMAT: u32 = 1;

/// Where the key pair goes in a backup made with `--include-keys` from a
/// configuration: outside the mirrored data root, which a restore never
/// writes them into (docs/backup.md).
pub const KEYPAIR_DIR: &str = "ros-backup-keypair";

/// What a file in a backup is; it decides how it is copied and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// A Realm's store (`realms/**/realm.sqlite3`).
    Realm,
    /// The admin store (`admin.sqlite3`).
    Admin,
    /// The admin token file (`keys/…`), with `--include-keys`.
    Key,
    /// The key pair of the configuration, with `--include-keys`; not part of
    /// the data root.
    Keypair,
    /// Any other file of the data root (the format marker, ...).
    File,
}

impl FileKind {
    /// Whether the file is an SQLite database (copied with the online
    /// backup API, checked with SQLite's integrity check).
    pub fn is_database(self) -> bool {
        matches!(self, FileKind::Realm | FileKind::Admin)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Relative to the backup's directory, `/`-separated.
    pub path: String,
    pub kind: FileKind,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealmEntry {
    /// The Realm's name (`/path` or a partition value).
    pub realm: String,
    /// Its file, as in `files`.
    pub file: String,
    pub server_version: u64,
    /// The salt of `server_version` (0 for an empty history).
    pub salt: i64,
    pub schema_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminEntry {
    pub file: String,
    pub schema_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    /// The ros that wrote the backup.
    pub ros_version: String,
    /// When the backup started: unix milliseconds and RFC 3339 (UTC).
    pub created_ms: u64,
    pub created: String,
    /// The data root that was backed up.
    pub source: String,
    pub keys_included: bool,
    pub admin: Option<AdminEntry>,
    pub files: Vec<FileEntry>,
    pub realms: Vec<RealmEntry>,
    /// SHA-256 (hex) of this manifest's compact JSON without this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

pub(super) fn hex_digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Manifest {
    fn digest(&self) -> String {
        let mut bare = self.clone();
        bare.checksum = None;
        // Serializing plain data into a Vec cannot fail.
        hex_digest(&serde_json::to_vec(&bare).unwrap_or_default())
    }

    /// The manifest as written: pretty JSON with its checksum.
    pub fn to_json(&self) -> Vec<u8> {
        let mut sealed = self.clone();
        sealed.checksum = Some(self.digest());
        let mut out = serde_json::to_vec_pretty(&sealed).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Parses a manifest and checks everything it claims about itself: the
    /// format, the checksum, and that every path stays inside the backup.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, Problem> {
        let manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| Problem::Manifest(format!("not a backup manifest: {e}")))?;
        if manifest.format != MANIFEST_FORMAT {
            return Err(Problem::Manifest(format!(
                "manifest format {} is not one this ros reads ({MANIFEST_FORMAT})",
                manifest.format
            )));
        }
        let Some(claimed) = &manifest.checksum else {
            return Err(Problem::Manifest("the manifest has no checksum".into()));
        };
        let actual = manifest.digest();
        if *claimed != actual {
            return Err(Problem::Manifest(format!(
                "the manifest's checksum is {claimed} but its content hashes to {actual}: \
                 it was changed after the backup"
            )));
        }
        for file in &manifest.files {
            relative(&file.path)?;
        }
        for realm in &manifest.realms {
            if !manifest
                .files
                .iter()
                .any(|f| f.path == realm.file && f.kind == FileKind::Realm)
            {
                return Err(Problem::Manifest(format!(
                    "Realm {} names file {}, which is not a Realm file of the manifest",
                    realm.realm, realm.file
                )));
            }
        }
        Ok(manifest)
    }

    /// The entry of the Realm stored in `file`.
    pub fn realm_of(&self, file: &str) -> Option<&RealmEntry> {
        self.realms.iter().find(|r| r.file == file)
    }

    /// Bytes of every file together.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// A manifest path as a relative path, refusing anything that could leave
/// the directory it is joined to (a manifest is read from a backup, which
/// anyone may have handed us).
pub fn relative(path: &str) -> Result<PathBuf, Problem> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && manifest_path(p) == path;
    if !plain || path == MANIFEST_FILE {
        return Err(Problem::Manifest(format!(
            "file path {path:?} is not a plain relative path inside the backup"
        )));
    }
    Ok(p.to_path_buf())
}

/// `rel` as a manifest path (`/`-separated).
pub fn manifest_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT,
            ros_version: "0.1.0".into(),
            created_ms: 1,
            created: "1970-01-01T00:00:00.001Z".into(),
            source: "/data".into(),
            keys_included: false,
            admin: None,
            files: vec![FileEntry {
                path: "realms/path/a/realm.sqlite3".into(),
                kind: FileKind::Realm,
                size: 4096,
                sha256: "00".into(),
            }],
            realms: vec![RealmEntry {
                realm: "/a".into(),
                file: "realms/path/a/realm.sqlite3".into(),
                server_version: 3,
                salt: 7,
                schema_version: 1,
            }],
            checksum: None,
        }
    }

    #[test]
    fn a_written_manifest_reads_back_and_any_edit_is_caught() {
        let bytes = sample().to_json();
        let read = Manifest::parse(&bytes).unwrap();
        assert_eq!(read.files, sample().files);
        let edited = String::from_utf8(bytes).unwrap().replace("4096", "4097");
        let err = Manifest::parse(edited.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
    }

    #[test]
    fn paths_that_leave_the_backup_are_refused() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "",
            "manifest.json",
            "a/./b",
        ] {
            assert!(relative(bad).is_err(), "{bad:?}");
        }
        assert!(relative("realms/path/a/realm.sqlite3").is_ok());
    }
}
