//! Backups of a data root, their verification and their restore
//! (docs/backup.md): `ros backup`, `ros backup verify`, `ros backup --follow`
//! and `ros restore`.
//!
//! A backup is a directory that mirrors the data root: every Realm store and
//! the admin store copied with SQLite's online backup API (one consistent
//! snapshot per database while the server keeps writing), the other files of
//! the root as they are, and `manifest.json`, written last, with each file's
//! size and SHA-256 and each Realm's latest version and salt. A restore puts
//! such a directory back atomically and marks each Realm as restored, so
//! clients that synced after the backup get the client-reset errors
//! (docs/sync.md, "After a restore").

mod create;
mod error;
mod files;
mod follow;
mod manifest;
mod restore;
mod snapshot;
mod verify;

pub use create::{backup, BackupOptions, Source};
pub use error::{BackupError, Problem};
pub use files::{Progress, Quiet, MEMORY_CAP_ENV, PAUSE_ENV};
pub use follow::{follow, FollowOptions, Round, FOLLOW_LOCK};
pub use manifest::{
    AdminEntry, FileEntry, FileKind, Manifest, RealmEntry, KEYPAIR_DIR, MANIFEST_FILE,
    MANIFEST_FORMAT,
};
pub use restore::{check_not_served, restore, RestoreOptions, Restored};
pub use verify::{read_manifest, verify, Verified};
