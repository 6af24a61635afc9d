//! Copying a live SQLite database as one consistent snapshot (docs/backup.md,
//! "How a database is copied"; benches/README.md, "Backup", has what each
//! step costs).
//!
//! One read transaction on the source spans the whole copy: SQLite's online
//! backup API copies every page of that snapshot, and whatever the manifest
//! records of the database (a Realm's latest version, the admin store's
//! schema version) is read in the same transaction, so it is the copy's.
//! When that snapshot is the database file as it lies on disk (no pages in
//! the write-ahead log: every database of a stopped root), the file's bytes
//! are copied and hashed in one pass, with no SQLite in between. Otherwise
//! SQLite's backup API puts the snapshot together: a database up to
//! [`MEMORY_COPY_CAP`] is copied into memory (SQLite's `memdb`) and written
//! out in one go while it is hashed; a larger one is copied into its file
//! through SQLite's pager and hashed by reading it back, so memory stays
//! bounded whatever the size of a database.

use std::io::Write;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::serialize::Data;
use rusqlite::{Connection, OpenFlags, MAIN_DB};
use sha2::{Digest, Sha256};

use super::error::{BackupError, Problem};
use super::files::{copy_prefix_hashed, create_file, hash_file, start_writeback};

/// The largest database copied through memory, in bytes; each copying
/// thread holds at most one such copy, in a buffer of up to twice its size
/// (`memdb` grows by doubling).
pub(super) const MEMORY_COPY_CAP: u64 = 64 << 20;

/// The source reader maps up to this much of a database file, so that the
/// backup reads its pages without a system call each.
const MMAP_SIZE: i64 = 1 << 30;

/// A database copied: the copy's size and SHA-256, and what `facts` read of
/// the snapshot it holds.
pub(super) struct Copied<T> {
    pub size: u64,
    pub sha256: String,
    pub facts: T,
    /// How it was copied; the tests check which way a database took.
    #[cfg_attr(not(test), allow(dead_code))]
    pub route: Route,
}

/// The ways a database is copied, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    /// The snapshot is the database file itself: its bytes, copied as they are.
    File,
    /// Through SQLite's backup API into memory, then written out.
    Memory,
    /// Through SQLite's backup API into the new file.
    Streamed,
}

/// Copies the SQLite database `from` (possibly being written by a running
/// server) into the new file `to`, as one consistent snapshot: one commit's
/// state, while the server's writers go on (WAL). `facts` reads what the
/// manifest needs from the source inside the same read transaction. The
/// copy is a single file in rollback-journal mode (no `-wal`), not yet
/// durable ([`super::files::sync_fs`]). Never changes `from`'s content. Databases
/// larger than `cap` bytes take the streaming path.
pub(super) fn copy_database<T>(
    from: &Path,
    to: &Path,
    cap: u64,
    facts: impl FnOnce(&Connection) -> Result<T, Problem>,
) -> Result<Copied<T>, BackupError> {
    let cannot = |what: &str, e: rusqlite::Error| {
        BackupError::file(from, Problem::Facts(format!("cannot {what}: {e}")))
    };
    // Opened before the SQLite connection so that it is closed after it on
    // every path: closing a descriptor of a file drops every POSIX lock this
    // process holds on it, SQLite's included, so closing this one while the
    // connection is open would take away the locks that make the copy a
    // snapshot and that tell other connections this one still uses the log.
    let file = std::fs::File::open(from).map_err(|e| BackupError::file(from, e))?;
    let source = open_reader(from).map_err(|e| cannot("open", e))?;
    // The snapshot: a read transaction that the backup API finds open and
    // uses for every page, instead of one of its own.
    source
        .execute_batch("BEGIN")
        .map_err(|e| cannot("read", e))?;
    let (pages, page_size): (u32, u32) = source
        .query_row(
            "SELECT page_count, page_size FROM pragma_page_count, pragma_page_size",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| cannot("read", e))?;
    let len = u64::from(pages) * u64::from(page_size);
    // Read in the same transaction as the copy, whichever way it goes.
    let facts = facts(&source).map_err(|p| BackupError::file(from, p))?;
    let route = if snapshot_is_file(&file, from, len)? {
        Route::File
    } else if len <= cap {
        Route::Memory
    } else {
        Route::Streamed
    };
    let (size, sha256) = match route {
        Route::File => copy_file(&file, from, to, len)?,
        Route::Memory => {
            let mut copy = open_memory_copy().map_err(sql_write(to))?;
            backup_into(&source, &mut copy, from)?;
            write_memory_copy(&mut copy, to)?
        }
        Route::Streamed => {
            drop(create_file(to)?);
            let mut copy = Connection::open(to).map_err(sql_write(to))?;
            copy.pragma_update(None, "synchronous", "OFF")
                .map_err(sql_write(to))?;
            backup_into(&source, &mut copy, from)?;
            // The backup API leaves the copy's header claiming WAL mode, as
            // its source's does; switching it back through SQLite rewrites it.
            copy.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .map_err(sql_write(to))?;
            copy.close().map_err(|(_, e)| sql_write(to)(e))?;
            let hashed = hash_file(to).map_err(|p| BackupError::file(to, p))?;
            if let Ok(file) = std::fs::File::open(to) {
                start_writeback(&file);
            }
            hashed
        }
    };
    end_read(&source, from)?;
    Ok(Copied {
        size,
        sha256,
        facts,
        route,
    })
}

/// Whether the read transaction open on the database at `from` (`file`)
/// sees exactly the file's first `len` bytes; not when the snapshot needs
/// SQLite to put it together (pages in the write-ahead log).
///
/// The file is the snapshot when there is no `-wal` file or it is empty:
/// in rollback-journal mode the read transaction's shared lock keeps every
/// writer out of the file; in WAL mode a reader that starts on an empty log
/// reads the file alone, and SQLite copies no page from the log into the
/// file (a checkpoint) until that reader is done, so writers that commit
/// meanwhile only append to the log. The log is checked after the
/// transaction began: it cannot be emptied under a reader that needs it.
/// This is the case of every database of a stopped root, and of a served
/// database whose log was checkpointed and truncated.
fn snapshot_is_file(file: &std::fs::File, from: &Path, len: u64) -> Result<bool, BackupError> {
    let wal = wal_path(from);
    match std::fs::metadata(&wal) {
        Ok(meta) if meta.len() > 0 => return Ok(false),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(BackupError::file(&wal, e)),
    }
    let opened = file.metadata().map_err(|e| BackupError::file(from, e))?;
    // The path may name another file than the one opened before SQLite's
    // connection (a Realm deleted and made again in between): then the
    // snapshot is not of these bytes.
    let named = std::fs::metadata(from).map_err(|e| BackupError::file(from, e))?;
    let same = (opened.dev(), opened.ino()) == (named.dev(), named.ino());
    Ok(same && opened.len() >= len && len >= HEADER_LEN as u64)
}

fn wal_path(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// The size of a database file's header (SQLite's file format, section 1.3).
const HEADER_LEN: usize = 100;

/// Copies the first `len` bytes of the database file `file` (at `from`)
/// into the new file `to`, its header marked as rollback-journal mode (see
/// [`FORMAT_VERSIONS`]); the copy's size and SHA-256.
fn copy_file(
    file: &std::fs::File,
    from: &Path,
    to: &Path,
    len: u64,
) -> Result<(u64, String), BackupError> {
    let mut head = [0u8; HEADER_LEN];
    file.read_exact_at(&mut head, 0)
        .map_err(|e| BackupError::file(from, e))?;
    check_header(&head).map_err(|why| BackupError::file(from, Problem::Facts(why.into())))?;
    head[FORMAT_VERSIONS].fill(1);
    let (size, sha256) = copy_prefix_hashed(file, from, to, &head, len)?;
    if size != len {
        return Err(BackupError::file(
            from,
            Problem::Facts(format!(
                "{size} bytes read where the snapshot has {len}: the file shrank"
            )),
        ));
    }
    Ok((size, sha256))
}

/// Whether `bytes` begins as an SQLite database does.
fn check_header(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.len() < HEADER_LEN || !bytes.starts_with(b"SQLite format 3\0") {
        return Err("no SQLite database header");
    }
    Ok(())
}

fn sql_write(to: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |e| BackupError::Write {
        path: to.to_path_buf(),
        source: std::io::Error::other(e),
    }
}

/// Every page of `source`'s open read transaction into `copy`, in one step.
fn backup_into(source: &Connection, copy: &mut Connection, from: &Path) -> Result<(), BackupError> {
    let backup = Backup::new(source, copy)
        .map_err(|e| BackupError::file(from, Problem::Facts(format!("cannot copy: {e}"))))?;
    loop {
        match backup.step(-1) {
            Ok(StepResult::Done) => return Ok(()),
            Ok(StepResult::More) => {}
            Ok(_) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                return Err(BackupError::file(
                    from,
                    Problem::Facts(format!("cannot copy: {e}")),
                ))
            }
        }
    }
}

fn end_read(source: &Connection, from: &Path) -> Result<(), BackupError> {
    source
        .execute_batch("COMMIT")
        .map_err(|e| BackupError::file(from, Problem::Facts(format!("cannot read: {e}"))))
}

/// A private database in memory (SQLite's `memdb` VFS: a name without a
/// leading `/` is seen by this connection only).
fn open_memory_copy() -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags_and_vfs(
        "ros-backup-copy",
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        c"memdb",
    )?;
    conn.pragma_update(None, "cache_size", MEMORY_COPY_CACHE_PAGES)?;
    Ok(conn)
}

/// The in-memory copy's page cache, in pages. Every page the backup writes
/// goes on into the `memdb` buffer, so a large cache would only hold a second
/// copy of the database in freshly allocated memory; a small one is reused
/// (about a tenth less CPU for a whole backup, benches/README.md, "Backup").
const MEMORY_COPY_CACHE_PAGES: i64 = 16;

/// Offsets 18 and 19 of a database header: the file format write and read
/// versions, 1 for a rollback-journal database and 2 for WAL (SQLite's
/// file format, section 1.3.3).
const FORMAT_VERSIONS: std::ops::Range<usize> = 18..20;

/// Writes the in-memory copy to the new file `to` and hashes it as it goes.
/// The backup API copied the source's header, which claims WAL mode; the
/// file written claims rollback-journal mode instead, which is all SQLite
/// itself changes in the header when it leaves WAL mode (the in-memory
/// copy's own commit already wrote a valid change counter and page count).
fn write_memory_copy(copy: &mut Connection, to: &Path) -> Result<(u64, String), BackupError> {
    let data = copy.serialize(MAIN_DB).map_err(sql_write(to))?;
    // Only the memdb's own buffer is taken: the copying form of
    // `sqlite3_serialize` would zero-fill a page it cannot read.
    let Data::Shared(bytes) = data else {
        return Err(BackupError::Write {
            path: to.to_path_buf(),
            source: std::io::Error::other("the copy in memory is not a memdb database"),
        });
    };
    let bytes: &[u8] = &bytes;
    check_header(bytes).map_err(|why| BackupError::Write {
        path: to.to_path_buf(),
        source: std::io::Error::other(format!("the copy in memory: {why}")),
    })?;
    let mut head = [0u8; HEADER_LEN];
    head.copy_from_slice(&bytes[..HEADER_LEN]);
    head[FORMAT_VERSIONS].fill(1);
    let mut file = create_file(to)?;
    let mut hasher = Sha256::new();
    for part in [&head[..], &bytes[HEADER_LEN..]] {
        hasher.update(part);
        file.write_all(part).map_err(BackupError::write(to))?;
    }
    start_writeback(&file);
    Ok((bytes.len() as u64, hex::encode(hasher.finalize())))
}

/// A connection that only reads `path`. It is opened read-write when it can
/// be, with `query_only` on, because a read-only connection to a WAL database
/// leaves `-wal` and `-shm` files behind, while a read-write one that closes
/// last removes them again: a stopped root is left byte for byte as it was.
/// Without write permission it falls back to read-only.
fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .or_else(|_| {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    })?;
    conn.pragma_update(None, "query_only", true)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    /// Both paths: through memory, and streaming (a cap below any size).
    const CAPS: [u64; 2] = [MEMORY_COPY_CAP, 0];

    /// A WAL database whose newest commits are still in its `-wal` file (a
    /// server's connection stays open, checkpoints off): the state a live
    /// backup finds. `counter.n` always equals the rows of `t`.
    fn live_db(dir: &Path) -> (std::path::PathBuf, Connection) {
        let path = dir.join("live.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);
             CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0);",
        )
        .unwrap();
        for _ in 0..100 {
            write_one(&conn);
        }
        (path, conn)
    }

    fn write_one(conn: &Connection) {
        conn.execute_batch(
            "BEGIN; INSERT INTO t (v) VALUES (randomblob(3000));
             UPDATE counter SET n = n + 1; COMMIT;",
        )
        .unwrap();
    }

    /// (counter, rows) as `conn` sees them.
    fn counts(conn: &Connection) -> Result<(i64, i64), Problem> {
        conn.query_row(
            "SELECT (SELECT n FROM counter), (SELECT count(*) FROM t)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| Problem::Facts(e.to_string()))
    }

    fn dump(conn: &Connection) -> Vec<(i64, Vec<u8>)> {
        let mut stmt = conn.prepare("SELECT id, v FROM t ORDER BY id").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// Checks the copy at `path` is a standalone rollback-journal database
    /// whose manifest facts (`copied`) are its own; returns its counts.
    fn check_copy(path: &Path, copied: &Copied<(i64, i64)>) -> (i64, i64) {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(bytes.len() as u64, copied.size);
        assert_eq!(
            hash_file(path).unwrap(),
            (copied.size, copied.sha256.clone())
        );
        assert_eq!(bytes[18..20], [1, 1], "the header claims rollback mode");
        assert_eq!(bytes[24..28], bytes[92..96], "change counter is valid-for");
        let page_size = u64::from(u16::from_be_bytes([bytes[16], bytes[17]]));
        let pages = u64::from(u32::from_be_bytes(bytes[28..32].try_into().unwrap()));
        assert_eq!(pages * page_size, copied.size, "the header's page count");
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let found = counts(&conn).unwrap();
        assert_eq!(found, copied.facts, "the facts are the copy's");
        assert_eq!(found.0, found.1, "one commit's state");
        drop(conn);
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = format!("{}{suffix}", path.display());
            assert!(!Path::new(&side).exists(), "{side} left behind");
        }
        found
    }

    fn file_bytes(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap()
    }

    #[test]
    fn both_paths_copy_the_committed_state_into_a_standalone_file() {
        let dir = tempfile::tempdir().unwrap();
        let (source, writer) = live_db(dir.path());
        let wal = dir.path().join("live.sqlite3-wal");
        assert!(
            std::fs::metadata(&wal).unwrap().len() > 0,
            "commits in the WAL"
        );
        let before = (file_bytes(&source), file_bytes(&wal));
        let mut copies = Vec::new();
        for cap in CAPS {
            let to = dir.path().join(format!("copy-{cap}/db.sqlite3"));
            let copied = copy_database(&source, &to, cap, counts).unwrap();
            assert_eq!(check_copy(&to, &copied), (100, 100));
            let conn = Connection::open(&to).unwrap();
            copies.push(dump(&conn));
        }
        assert_eq!(copies[0], dump(&writer));
        assert_eq!(copies[0], copies[1]);
        assert_eq!(
            (file_bytes(&source), file_bytes(&wal)),
            before,
            "source untouched"
        );
    }

    #[test]
    fn a_copy_taken_while_a_writer_commits_is_one_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (source, writer) = live_db(dir.path());
        /// Stops the writer however the test ends (a failed assertion too).
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let flag = &AtomicBool::new(false);
        std::thread::scope(|scope| {
            let stop = Stop(flag);
            let writer = scope.spawn(move || {
                while !flag.load(Ordering::SeqCst) {
                    write_one(&writer);
                }
            });
            let reader = open_reader(&source).unwrap();
            let mut seen = vec![0];
            for i in 0..20 {
                // The writer has committed since the last copy: every copy
                // is of a database being written.
                while counts(&reader).unwrap().0 <= seen[seen.len() - 1] {
                    std::thread::yield_now();
                }
                let cap = CAPS[i % 2];
                let to = dir.path().join(format!("copy-{i}.sqlite3"));
                let copied = copy_database(&source, &to, cap, counts).unwrap();
                seen.push(check_copy(&to, &copied).0);
            }
            drop(stop);
            writer.join().unwrap();
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        });
    }

    #[test]
    fn a_closed_database_is_copied_from_its_file_on_both_caps() {
        let dir = tempfile::tempdir().unwrap();
        let (source, writer) = live_db(dir.path());
        let expected = dump(&writer);
        // The last connection to close checkpoints the log and removes it.
        drop(writer);
        assert!(!wal_path(&source).exists());
        let before = file_bytes(&source);
        for cap in CAPS {
            let to = dir.path().join(format!("copy-{cap}.sqlite3"));
            let copied = copy_database(&source, &to, cap, counts).unwrap();
            assert_eq!(copied.route, Route::File);
            assert_eq!(check_copy(&to, &copied), (100, 100));
            assert_eq!(dump(&Connection::open(&to).unwrap()), expected);
        }
        assert_eq!(file_bytes(&source), before, "source untouched");
        assert!(!wal_path(&source).exists(), "no log left behind");
    }

    /// Copies the log into the file and empties it, unless a reader needs
    /// it: then, without waiting, the log is left as it is.
    fn truncate_log(conn: &Connection) {
        conn.busy_timeout(Duration::ZERO).unwrap();
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        });
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
    }

    /// What the file route stands on: a reader that began on an empty log
    /// keeps reading the file as it was, while a writer commits and asks for
    /// checkpoints that would copy its pages into the file.
    #[test]
    fn the_file_stays_the_snapshot_while_its_reader_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let (source, writer) = live_db(dir.path());
        writer.busy_timeout(Duration::from_secs(5)).unwrap();
        truncate_log(&writer);
        assert_eq!(std::fs::metadata(wal_path(&source)).unwrap().len(), 0);
        // Open before the reader and closed after every connection (see
        // `copy_database`).
        let file = std::fs::File::open(&source).unwrap();
        let reader = open_reader(&source).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let len: i64 = reader
            .query_row(
                "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let len = len as u64;
        assert!(
            snapshot_is_file(&file, &source, len).unwrap(),
            "an empty log"
        );
        for _ in 0..50 {
            write_one(&writer);
            truncate_log(&writer);
        }
        assert!(std::fs::metadata(wal_path(&source)).unwrap().len() > 0);
        assert!(
            !snapshot_is_file(&file, &source, len).unwrap(),
            "a log to read"
        );
        let to = dir.path().join("copy.sqlite3");
        let (size, sha256) = copy_file(&file, &source, &to, len).unwrap();
        let facts = counts(&reader).unwrap();
        reader.execute_batch("COMMIT").unwrap();
        let copied = Copied {
            size,
            sha256,
            facts,
            route: Route::File,
        };
        assert_eq!(check_copy(&to, &copied), (100, 100));
        assert_eq!(counts(&writer).unwrap(), (150, 150));
        drop((reader, writer));
        drop(file);
    }

    /// A path that names another file than the one opened (a Realm deleted
    /// and made again meanwhile) is not copied from the file opened.
    #[test]
    fn a_file_replaced_under_its_path_is_not_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let (source, writer) = live_db(dir.path());
        drop(writer);
        let len = std::fs::metadata(&source).unwrap().len();
        let file = std::fs::File::open(&source).unwrap();
        assert!(snapshot_is_file(&file, &source, len).unwrap());
        let other = dir.path().join("other.sqlite3");
        std::fs::copy(&source, &other).unwrap();
        std::fs::rename(&other, &source).unwrap();
        assert!(!snapshot_is_file(&file, &source, len).unwrap());
    }

    /// Copies while a writer commits and empties the log after each commit:
    /// whichever way each copy takes, it is one commit.
    #[test]
    fn copies_taken_while_the_log_comes_and_goes_are_each_one_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (source, writer) = live_db(dir.path());
        writer.busy_timeout(Duration::from_secs(5)).unwrap();
        let flag = &AtomicBool::new(false);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                while !flag.load(Ordering::SeqCst) {
                    write_one(&writer);
                    truncate_log(&writer);
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
            let mut seen = vec![0];
            for i in 0..40 {
                let to = dir.path().join(format!("copy-{i}.sqlite3"));
                let copied = copy_database(&source, &to, MEMORY_COPY_CAP, counts);
                let copied = copied.inspect_err(|_| flag.store(true, Ordering::SeqCst));
                seen.push(check_copy(&to, &copied.unwrap()).0);
            }
            flag.store(true, Ordering::SeqCst);
            writer.join().unwrap();
            assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        });
    }

    #[test]
    fn a_database_above_the_cap_streams_and_one_below_goes_through_memory() {
        let dir = tempfile::tempdir().unwrap();
        let (source, _writer) = live_db(dir.path());
        let size = {
            let conn = open_reader(&source).unwrap();
            conn.query_row(
                "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as u64
        };
        for (cap, route) in [(size - 1, Route::Streamed), (size, Route::Memory)] {
            let to = dir.path().join(format!("{route:?}.sqlite3"));
            let copied = copy_database(&source, &to, cap, counts).unwrap();
            assert_eq!(copied.route, route, "cap {cap}, size {size}");
            assert_eq!(copied.size, size);
            check_copy(&to, &copied);
        }
    }
}
