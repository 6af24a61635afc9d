//! A log file that can be reopened by path, so logrotate can move it away and send
//! SIGHUP, and the server continues in a fresh file of the same name.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;

#[derive(Debug, Clone)]
pub struct ReopenableFile {
    path: Arc<PathBuf>,
    file: Arc<Mutex<File>>,
}

fn open_append(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl ReopenableFile {
    pub fn open(path: &Path) -> std::io::Result<ReopenableFile> {
        Ok(ReopenableFile {
            path: Arc::new(path.to_path_buf()),
            file: Arc::new(Mutex::new(open_append(path)?)),
        })
    }

    /// Switches to a newly opened file at the same path; on failure the old file
    /// stays in use, so no line is lost.
    pub fn reopen(&self) -> std::io::Result<()> {
        let fresh = open_append(&self.path)?;
        *self.file.lock().unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(())
    }
}

impl Write for ReopenableFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // One formatted event arrives as one write_all, so events never interleave.
        self.file
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .flush()
    }
}

impl<'a> MakeWriter<'a> for ReopenableFile {
    type Writer = ReopenableFile;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopen_continues_in_a_new_file_after_a_move() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ros.log");
        let mut log = ReopenableFile::open(&path).unwrap();
        log.write_all(b"one\n").unwrap();
        std::fs::rename(&path, dir.path().join("ros.log.1")).unwrap();
        log.write_all(b"two\n").unwrap();
        log.reopen().unwrap();
        log.write_all(b"three\n").unwrap();
        let old = std::fs::read_to_string(dir.path().join("ros.log.1")).unwrap();
        assert_eq!(old, "one\ntwo\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three\n");
    }
}
