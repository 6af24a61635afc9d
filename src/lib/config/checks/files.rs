//! Checks against the file system, made as the user that will run the server:
//! `eaccess` answers for the effective uid and gids, which is what `open` will use.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use nix::unistd::{eaccess, geteuid, AccessFlags};

use crate::config::layer::{Origin, Sourced};
use crate::config::problem::Problem;
use crate::config::schema::Key;
use crate::config::sources::Raw;

pub fn uid() -> u32 {
    geteuid().as_raw()
}

fn can(path: &Path, mode: AccessFlags) -> bool {
    eaccess(path, mode).is_ok()
}

/// The data root exists, is a directory, and this user may list, read and write it.
pub fn root(root: &Sourced<std::path::PathBuf>, out: &mut Raw) {
    let path = &root.value;
    let problem = match std::fs::metadata(path) {
        Err(_) => Problem::RootMissing { path: path.clone() },
        Ok(meta) if !meta.is_dir() => Problem::RootNotDirectory { path: path.clone() },
        Ok(_) => {
            let lacking: Vec<&str> = [
                (AccessFlags::R_OK, "readable"),
                (AccessFlags::W_OK, "writable"),
                (AccessFlags::X_OK, "searchable"),
            ]
            .into_iter()
            .filter(|(mode, _)| !can(path, *mode))
            .map(|(_, word)| word)
            .collect();
            let lacking = match lacking.as_slice() {
                [] => return,
                [one] => *one,
                [_, _] if !lacking.contains(&"searchable") => "readable or writable",
                _ => "accessible",
            };
            Problem::RootNoAccess {
                path: path.clone(),
                lacking,
                uid: uid(),
            }
        }
    };
    out.push((problem, root.origin.clone()));
}

/// The file at `path` exists and this user may read it; reports and returns false
/// otherwise.
pub fn readable(key: Key, path: &Path, origin: &Origin, out: &mut Raw) -> bool {
    let problem = if !path.exists() {
        Problem::FileMissing {
            key,
            path: path.to_path_buf(),
        }
    } else if !can(path, AccessFlags::R_OK) {
        Problem::FileUnreadable {
            key,
            path: path.to_path_buf(),
            uid: uid(),
        }
    } else {
        return true;
    };
    out.push((problem, origin.clone()));
    false
}

/// Warns when a private key can be read by anyone but its owner.
pub fn private_mode(key: Key, path: &Path, origin: &Origin, out: &mut Raw) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    let mode = meta.permissions().mode();
    if mode & 0o044 != 0 {
        out.push((
            Problem::PrivateKeyExposed {
                key,
                path: path.to_path_buf(),
                mode,
            },
            origin.clone(),
        ));
    }
}

/// The log file can be appended to, or created in its directory.
pub fn log(path: &Sourced<std::path::PathBuf>, out: &mut Raw) {
    let file = &path.value;
    let problem = match std::fs::metadata(file) {
        Ok(meta) if meta.is_dir() => Problem::LogPathIsDirectory { path: file.clone() },
        Ok(_) if !can(file, AccessFlags::W_OK) => Problem::LogNotWritable {
            path: file.clone(),
            uid: uid(),
        },
        Ok(_) => return,
        Err(_) => {
            let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
            if !dir.is_dir() {
                Problem::LogDirMissing { dir }
            } else if !can(&dir, AccessFlags::W_OK | AccessFlags::X_OK) {
                Problem::LogDirNotWritable { dir, uid: uid() }
            } else {
                return;
            }
        }
    };
    out.push((problem, path.origin.clone()));
}
