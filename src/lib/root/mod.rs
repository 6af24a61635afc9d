//! The data root (`storage.root_path`): its layout, the lock that keeps two servers
//! from sharing one root, and the data-format version marker.
//!
//! Both the lock and the marker are checked before anything else is written, so a
//! second server or a newer, incompatible layout can never damage what is stored.

mod lock;
mod marker;

pub use lock::{lock_holder, lock_path, LockError, LockHolder, RootLock, LOCK_FILE};
pub use marker::{check_or_write_marker, FormatVersion, MarkerError, CURRENT_FORMAT, MARKER_FILE};
