//! The file work every operation shares: walking a tree, copying a file
//! while hashing it, and making what was written durable. Databases are
//! copied as snapshots in `snapshot.rs`, on top of these.

use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::error::{BackupError, Problem};

/// What a long operation tells whoever watches it (the CLI's progress bar).
/// Files are copied on several threads, so it is told from each of them.
pub trait Progress: Sync {
    /// The work ahead: files and their bytes.
    fn begin(&self, _files: u64, _bytes: u64) {}
    /// One file done (`realm`: it is a Realm's store).
    fn file_done(&self, _path: &str, _bytes: u64, _realm: bool) {}
}

/// Watches nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// A file found under a root, by its path relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub rel: PathBuf,
    pub size: u64,
}

/// Every regular file below `root`, sorted; a symbolic link or special file
/// is an error naming it, never silently left out. `skip` leaves out a
/// relative path (a file, or a directory with all below it).
pub(super) fn walk(root: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<Vec<Found>, BackupError> {
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(dir) = dirs.pop() {
        let abs = root.join(&dir);
        let entries = std::fs::read_dir(&abs).map_err(|e| BackupError::file(&abs, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| BackupError::file(&abs, e))?;
            let rel = dir.join(entry.file_name());
            if skip(&rel) {
                continue;
            }
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).map_err(|e| BackupError::file(&path, e))?;
            if meta.is_dir() {
                dirs.push(rel);
            } else if meta.is_file() {
                out.push(Found {
                    rel,
                    size: meta.len(),
                });
            } else {
                return Err(BackupError::file(
                    &path,
                    Problem::Facts(
                        "not a regular file or directory (a symbolic link?); a backup \
                         copies only regular files"
                            .into(),
                    ),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// Creates `dir` and its parents with mode 0700: a backup holds password hashes.
pub(super) fn make_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(BackupError::write(dir))
}

/// A new file with mode 0600 (never an existing one), and its directory if
/// that is missing (looked for only then: a backup creates thousands of
/// files, most in directories made before).
pub(super) fn create_file(path: &Path) -> Result<File, BackupError> {
    let open = || {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
    };
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                make_dir(parent)?;
            }
            open()
        }
        other => other,
    }
    .map_err(BackupError::write(path))
}

const CHUNK: usize = 1 << 20;

/// Copies the plain file `from` to the new file `to` and returns the copy's
/// size and SHA-256. Read errors name `from`, write errors name `to`. Not
/// yet durable: [`sync_fs`] makes every copy durable at once.
pub(super) fn copy_hashed(from: &Path, to: &Path) -> Result<(u64, String), BackupError> {
    let input = File::open(from).map_err(|e| BackupError::file(from, e))?;
    copy_stream(input, from, to, &[])
}

/// Copies the first `len` bytes of the open file `input` (the file at
/// `from`) to the new file `to`, with its first `head.len()` bytes replaced
/// by `head`, and returns the copy's size and SHA-256. The bytes pass once
/// through one buffer, which is hashed while it is in the cache.
pub(super) fn copy_prefix_hashed(
    input: &File,
    from: &Path,
    to: &Path,
    head: &[u8],
    len: u64,
) -> Result<(u64, String), BackupError> {
    let skip = head.len() as u64;
    let mut rest = input.take(len.saturating_sub(skip));
    rest.get_mut()
        .seek(SeekFrom::Start(skip))
        .map_err(|e| BackupError::file(from, e))?;
    copy_stream(rest, from, to, head)
}

/// `head`, then everything `input` (read from `from`) gives, into the new
/// file `to`, hashed on the way.
fn copy_stream(
    mut input: impl Read,
    from: &Path,
    to: &Path,
    head: &[u8],
) -> Result<(u64, String), BackupError> {
    let mut output = create_file(to)?;
    let mut hasher = Sha256::new();
    hasher.update(head);
    output.write_all(head).map_err(BackupError::write(to))?;
    let mut size = head.len() as u64;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = input
            .read(&mut buf)
            .map_err(|e| BackupError::file(from, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        output
            .write_all(&buf[..n])
            .map_err(BackupError::write(to))?;
        size += n as u64;
    }
    start_writeback(&output);
    Ok((size, hex::encode(hasher.finalize())))
}

/// The size and SHA-256 of the file at `path`.
pub(super) fn hash_file(path: &Path) -> Result<(u64, String), Problem> {
    let mut input = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// Asks the kernel to start writing `file`'s dirty pages to disk now, without
/// waiting for them: the one `syncfs` at the end ([`sync_fs`]) then finds
/// most of a backup already written, instead of writing all of it at once.
/// Only a hint: an error is ignored, and durability still comes from
/// [`sync_fs`] alone.
pub(super) fn start_writeback(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: sync_file_range(2) takes a file descriptor and integers only;
    // `file` keeps the descriptor open for the duration of the call.
    let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
}

/// fsyncs the directory `dir`, so the names created in it are durable.
pub(super) fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::write(dir))
}

/// Makes everything written below `dir` durable: one `syncfs` of its file
/// system, where an fsync per file would wait for one journal commit each
/// (benches/README.md, "Backup", has what that costs).
pub(super) fn sync_fs(dir: &Path) -> Result<(), BackupError> {
    let handle = File::open(dir).map_err(BackupError::write(dir))?;
    nix::unistd::syncfs(&handle).map_err(|e| BackupError::Write {
        path: dir.to_path_buf(),
        source: std::io::Error::from(e),
    })
}

/// `work` on every item, on up to `threads` threads, in no particular order;
/// the results in the items' order. At the first error no new item starts,
/// and the error of the earliest failed item is returned.
pub(super) fn parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: &(dyn Fn(&T) -> Result<R, BackupError> + Sync),
) -> Result<Vec<R>, BackupError> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<(usize, Result<R, BackupError>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= items.len() || failed.load(Ordering::SeqCst) {
                    return;
                }
                let result = work(&items[i]);
                if result.is_err() {
                    failed.store(true, Ordering::SeqCst);
                }
                results
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((i, result));
            });
        }
    });
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Threads that copy files: the machine's cores, at most four (more only
/// contend for the same disk).
pub(super) fn copy_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Writes `bytes` to `dir/name` atomically: a temporary file, fsynced, renamed
/// over the name, the directory fsynced.
pub(super) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), BackupError> {
    let tmp = dir.join(format!(".{name}.partial"));
    let _ = std::fs::remove_file(&tmp);
    let mut file = create_file(&tmp)?;
    file.write_all(bytes).map_err(BackupError::write(&tmp))?;
    file.sync_all().map_err(BackupError::write(&tmp))?;
    let path = dir.join(name);
    std::fs::rename(&tmp, &path).map_err(BackupError::write(&path))?;
    sync_dir(dir)
}

/// A test-only pause after each file, so a test can kill a backup or a
/// restore mid-way (docs/backup.md, "Testing"). Never set in production.
pub const PAUSE_ENV: &str = "ROSTEST_PAUSE_PER_FILE_MS";

/// A test-only cap, in bytes, on the databases a backup copies through
/// memory, so that tests take the streaming path with small databases
/// (docs/backup.md, "Testing"). Never set in production.
pub const MEMORY_CAP_ENV: &str = "ROSTEST_MEMORY_COPY_CAP";
