//! `ros init`: a new server directory that passes `ros check-configuration` as it
//! is: a complete configuration, a fresh RSA key pair and an empty data directory.
//! The development server (`ros serve` with no configuration) uses the same
//! operation on `./ros-data`, listening on loopback only.

mod template;

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::keys;

pub const CONFIG_FILE: &str = "configuration.yml";
pub const PRIVATE_KEY_FILE: &str = "keys/auth.key";
pub const PUBLIC_KEY_FILE: &str = "keys/auth.pub";
pub const DATA_DIR: &str = "data";
/// Where the development server keeps its files, relative to the current directory.
pub const DEVELOPMENT_DIR: &str = "ros-data";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    pub dir: PathBuf,
    /// Replace an existing configuration and key pair (the data stays).
    pub force: bool,
    /// Proxies listen on 127.0.0.1 instead of every interface (`::`).
    pub loopback_only: bool,
    /// The id of the one app the configuration gets; `None` = a new random one.
    pub app_id: Option<String>,
}

/// The development server's app id: fixed, so a local SDK app can hard-code it.
pub const DEVELOPMENT_APP_ID: &str = "ros-dev";

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialized {
    pub config_file: PathBuf,
    pub private_key: PathBuf,
    pub public_key: PathBuf,
    pub data_dir: PathBuf,
    /// The id of the app in `apps`, which SDK apps are configured with.
    pub app_id: String,
}

/// A new app id: `ros-` and 8 random lower-case hex digits.
pub fn new_app_id() -> String {
    format!(
        "ros-{}",
        hex::encode(crate::token::random::random_bytes::<4>())
    )
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{} already exists{}; give --force to replace the configuration and key pair (the data directory is kept)",
        .paths.first().map(|p| p.display().to_string()).unwrap_or_default(),
        if .paths.len() > 1 { format!(" (and {} more)", .paths.len() - 1) } else { String::new() })]
    Exists { paths: Vec<PathBuf> },
    #[error("{} exists and is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] keys::KeyError),
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> InitError + '_ {
    move |source| InitError::Write {
        path: path.to_path_buf(),
        source,
    }
}

pub fn init(options: &InitOptions) -> Result<Initialized, InitError> {
    let dir = &options.dir;
    let done = Initialized {
        config_file: dir.join(CONFIG_FILE),
        private_key: dir.join(PRIVATE_KEY_FILE),
        public_key: dir.join(PUBLIC_KEY_FILE),
        data_dir: dir.join(DATA_DIR),
        app_id: options.app_id.clone().unwrap_or_else(new_app_id),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(InitError::NotADirectory(dir.clone()));
    }
    let existing: Vec<PathBuf> = [&done.config_file, &done.private_key, &done.public_key]
        .into_iter()
        .filter(|p| p.exists())
        .cloned()
        .collect();
    if !existing.is_empty() && !options.force {
        return Err(InitError::Exists { paths: existing });
    }
    let pair = keys::generate()?;
    let keys_dir = dir.join("keys");
    for (d, mode) in [(dir, 0o755), (&keys_dir, 0o700), (&done.data_dir, 0o700)] {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(mode)
            .create(d)
            .map_err(write_err(d))?;
    }
    write(&done.private_key, pair.private_pem.as_bytes(), 0o600)?;
    write(&done.public_key, pair.public_pem.as_bytes(), 0o644)?;
    let proxy = if options.loopback_only {
        "127.0.0.1"
    } else {
        "::"
    };
    write(
        &done.config_file,
        template::configuration(proxy, &done.app_id).as_bytes(),
        0o644,
    )?;
    Ok(done)
}

/// The development server's configuration: made by [`init`] on first use, reused
/// afterwards. Returns the configuration file.
pub fn development(dir: &Path) -> Result<PathBuf, InitError> {
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Ok(config);
    }
    init(&InitOptions {
        dir: dir.to_path_buf(),
        force: false,
        loopback_only: true,
        app_id: Some(DEVELOPMENT_APP_ID.to_string()),
    })
    .map(|done| done.config_file)
}

/// Writes `bytes` with `mode`, also when the file existed with another mode: a
/// private key must never be left readable by a previous owner's choice.
fn write(path: &Path, bytes: &[u8], mode: u32) -> Result<(), InitError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .map_err(write_err(path))?;
    file.set_permissions(fs::Permissions::from_mode(mode))
        .map_err(write_err(path))?;
    file.write_all(bytes).map_err(write_err(path))?;
    file.sync_all().map_err(write_err(path))
}

/// The original server's auto-keygen: when neither key file exists, generate the
/// pair (private 0600 in a 0700 directory). Returns whether it generated one. A
/// single missing file is left for the configuration check to report: guessing
/// which half is right could make every issued token invalid.
pub fn ensure_key_pair(private_key: &Path, public_key: &Path) -> Result<bool, InitError> {
    if private_key.exists() || public_key.exists() {
        return Ok(false);
    }
    let pair = keys::generate()?;
    for file in [private_key, public_key] {
        if let Some(dir) = file.parent() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(write_err(dir))?;
        }
    }
    write(private_key, pair.private_pem.as_bytes(), 0o600)?;
    write(public_key, pair.public_pem.as_bytes(), 0o644)?;
    Ok(true)
}

/// Creates a data root that does not exist yet, private to its owner (0700).
pub fn ensure_root(root: &Path) -> Result<(), InitError> {
    if root.exists() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(root)
        .map_err(write_err(root))
}

/// The files `keygen` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    pub private_key: PathBuf,
    pub public_key: PathBuf,
}

/// `ros token keygen`: a new RSA pair as `DIR/auth.key` (0600) and `DIR/auth.pub`,
/// refusing to replace either unless `force`.
pub fn keygen(dir: &Path, force: bool) -> Result<KeyFiles, InitError> {
    let files = KeyFiles {
        private_key: dir.join("auth.key"),
        public_key: dir.join("auth.pub"),
    };
    let existing: Vec<PathBuf> = [&files.private_key, &files.public_key]
        .into_iter()
        .filter(|p| p.exists())
        .cloned()
        .collect();
    if !existing.is_empty() && !force {
        return Err(InitError::Exists { paths: existing });
    }
    let pair = keys::generate()?;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(write_err(dir))?;
    write(&files.private_key, pair.private_pem.as_bytes(), 0o600)?;
    write(&files.public_key, pair.public_pem.as_bytes(), 0o644)?;
    Ok(files)
}
