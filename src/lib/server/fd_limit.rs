//! The open-files limit. Every sync connection holds a socket and every open
//! Realm a few SQLite files, so the default soft limit (often 1024) is reached
//! long before `sync.max_connections`. A process may raise its soft limit up to
//! its hard limit without privileges, which is what [`raise_open_files_limit`]
//! does.

use nix::sys::resource::{getrlimit, rlim_t, setrlimit, Resource};

/// The process's `RLIMIT_NOFILE`: what it may open now (`soft`) and the most
/// the soft limit can be raised to without privileges (`hard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenFiles {
    pub soft: u64,
    pub hard: u64,
}

/// Raises the soft open-files limit to the hard limit and returns the limits
/// now in force. Leaves the limits alone when the soft one is already there.
pub fn raise_open_files_limit() -> std::io::Result<OpenFiles> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).map_err(std::io::Error::from)?;
    if soft < hard {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard).map_err(std::io::Error::from)?;
    }
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).map_err(std::io::Error::from)?;
    Ok(OpenFiles {
        soft: widen(soft),
        hard: widen(hard),
    })
}

/// `rlim_t` is `u64` on Linux, but not on every platform.
#[allow(clippy::unnecessary_cast)]
fn widen(limit: rlim_t) -> u64 {
    limit as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_limit_reaches_the_hard_limit() {
        let limits = raise_open_files_limit().expect("raise RLIMIT_NOFILE");
        assert_eq!(limits.soft, limits.hard);
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("getrlimit");
        let now = OpenFiles {
            soft: widen(soft),
            hard: widen(hard),
        };
        assert_eq!(now, limits);
        // A second call finds nothing left to raise and reports the same.
        assert_eq!(raise_open_files_limit().expect("again"), limits);
    }
}
