//! The admin token on disk. ROS 1.x kept it in `admin_token.base64` (what operators
//! `cat`); 2.x/3.x in `keys/admin.json` as `{"ADMIN_TOKEN": "..."}`. We write the
//! first, below the data root, and read either, so a root carried over from the
//! original keeps its token.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::claims::Claims;
use super::error::SignError;
use super::random::random_bytes;
use super::signer::{TokenForm, TokenSigner};

/// The admin token file, relative to the data root.
pub const ADMIN_TOKEN_FILE: &str = "keys/admin_token.base64";
/// The 2.x/3.x admin token file, relative to the data root; read, rewritten on
/// rotation, never created.
pub const ADMIN_JSON_FILE: &str = "keys/admin.json";
const ADMIN_JSON_KEY: &str = "ADMIN_TOKEN";

#[derive(Debug, thiserror::Error)]
pub enum AdminTokenError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: expected {{\"ADMIN_TOKEN\": \"<token>\"}}: {detail}", path.display())]
    Json { path: PathBuf, detail: String },
    #[error("{}: the file is empty; delete it to have a new admin token made", path.display())]
    Empty { path: PathBuf },
    #[error("cannot sign the admin token: {0}")]
    Sign(#[from] SignError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AdminTokenError + '_ {
    move |source| AdminTokenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, AdminTokenError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

fn read_json_token(path: &Path, text: &str) -> Result<String, AdminTokenError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| AdminTokenError::Json {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    value
        .get(ADMIN_JSON_KEY)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| AdminTokenError::Json {
            path: path.to_path_buf(),
            detail: format!("no string member {ADMIN_JSON_KEY:?}"),
        })
}

fn non_empty(path: &Path, token: String) -> Result<String, AdminTokenError> {
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(AdminTokenError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(token)
}

/// The admin token stored in `root`, from `keys/admin_token.base64` or else
/// `keys/admin.json`; `None` if neither file exists.
pub fn read_admin_token(root: &Path) -> Result<Option<String>, AdminTokenError> {
    let base64_path = root.join(ADMIN_TOKEN_FILE);
    if let Some(text) = read_optional(&base64_path)? {
        return non_empty(&base64_path, text).map(Some);
    }
    let json_path = root.join(ADMIN_JSON_FILE);
    match read_optional(&json_path)? {
        Some(text) => {
            let token = read_json_token(&json_path, &text)?;
            non_empty(&json_path, token).map(Some)
        }
        None => Ok(None),
    }
}

/// Writes `contents` to a fresh 0600 file beside `target` and returns its path, so
/// the target only ever appears complete.
fn write_temporary(target: &Path, contents: &[u8]) -> Result<PathBuf, AdminTokenError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("admin-token");
    let temp = dir.join(format!(".{name}.{}.tmp", hex::encode(random_bytes::<6>())));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .map_err(io(&temp))?;
    let written = file.write_all(contents).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(io(&temp)(e));
    }
    Ok(temp)
}

fn sync_dir(path: &Path) -> Result<(), AdminTokenError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

/// Returns the admin token of `root`, creating `keys/admin_token.base64` (0600, in a
/// 0700 `keys/`) with a new one signed by `signer` when the root has none. Two
/// processes racing here end up with the same token: the file is linked into place
/// only if absent.
pub fn ensure_admin_token(root: &Path, signer: &TokenSigner) -> Result<String, AdminTokenError> {
    if let Some(token) = read_admin_token(root)? {
        return Ok(token);
    }
    let token = signer.sign(&Claims::admin(), TokenForm::Legacy)?;
    let target = root.join(ADMIN_TOKEN_FILE);
    let temp = write_temporary(&target, format!("{token}\n").as_bytes())?;
    let linked = fs::hard_link(&temp, &target);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => {
            sync_dir(&target)?;
            Ok(token)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = fs::read_to_string(&target).map_err(io(&target))?;
            non_empty(&target, text)
        }
        Err(e) => Err(io(&target)(e)),
    }
}

/// Replaces the stored admin token with `token`: `keys/admin_token.base64` always,
/// and `keys/admin.json` too when it exists, so no file keeps handing out the old one.
pub fn replace_admin_token(root: &Path, token: &str) -> Result<(), AdminTokenError> {
    let target = root.join(ADMIN_TOKEN_FILE);
    let temp = write_temporary(&target, format!("{token}\n").as_bytes())?;
    fs::rename(&temp, &target).map_err(io(&target))?;
    let json_path = root.join(ADMIN_JSON_FILE);
    if json_path.exists() {
        let mut json = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut json, formatter);
        serde::Serialize::serialize(
            &serde_json::json!({ ADMIN_JSON_KEY: token }),
            &mut serializer,
        )
        .map_err(|e| AdminTokenError::Sign(SignError::Json(e)))?;
        let temp = write_temporary(&json_path, &json)?;
        fs::rename(&temp, &json_path).map_err(io(&json_path))?;
    }
    sync_dir(&target)
}
