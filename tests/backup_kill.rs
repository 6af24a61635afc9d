//! `kill -9` of `ros backup` and of `ros restore` mid-way: SOURCE, the backup
//! and the previous ROOT are exactly as they were, the half-made TARGET is
//! refused by verify (it has no manifest), and a second restore succeeds.
//! The commands are slowed by the test-only pause after each file
//! (`ROSTEST_PAUSE_PER_FILE_MS`, docs/backup.md "Testing").

use crate::support;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use support::backup::{assert_refused, backup, restore, sample_root, tree, verify, write_realm};
use support::workload;

const PAUSE_MS: &str = "400";

fn spawn(args: &[&std::ffi::OsStr]) -> Child {
    support::ros()
        .args(args)
        .env(ros::backup::PAUSE_ENV, PAUSE_MS)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ros")
}

/// Files below `dir` (recursively), 0 when it does not exist.
fn count_files(dir: &Path) -> usize {
    if !dir.exists() {
        return 0;
    }
    tree(dir, &[]).len()
}

/// Waits until `dir` holds at least `n` files, then kills `child` with SIGKILL.
fn kill_after(mut child: Child, dir: impl Fn() -> Option<std::path::PathBuf>, n: usize) {
    for _ in 0..600 {
        if dir().is_some_and(|d| count_files(&d) >= n) {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before the kill"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn kill_9_during_backup_leaves_the_source_intact_and_no_valid_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let root = sample_root(tmp.path(), 20);
    let before = tree(&root, &[]);
    let target = tmp.path().join("backup");
    let child = spawn(&["backup".as_ref(), root.as_os_str(), target.as_os_str()]);
    let t = target.clone();
    kill_after(child, move || Some(t.clone()), 2);
    assert_eq!(tree(&root, &[]), before, "SOURCE is unchanged");
    assert!(!target.join("manifest.json").exists());
    assert_refused(&verify(&target), 1, "manifest.json");
    assert_refused(
        &restore(&target, &tmp.path().join("r/data")),
        1,
        "manifest.json",
    );
    // The half-made TARGET is not reused by mistake.
    assert_refused(&backup(&root, &target), 2, "not empty");
}

#[test]
fn kill_9_during_restore_leaves_the_root_and_the_backup_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let source = sample_root(&tmp.path().join("old"), 20);
    let target = tmp.path().join("backup");
    assert!(backup(&source, &target).status.success());
    let backup_before = tree(&target, &[]);
    // The root being replaced holds other data.
    let root = tmp.path().join("live/data");
    std::fs::create_dir_all(&root).unwrap();
    ros::root::check_or_write_marker(&root).unwrap();
    write_realm(&root, "/only-here", &[workload::schema()]);
    let root_before = tree(&root, &[]);
    let child = spawn(&[
        "restore".as_ref(),
        target.as_os_str(),
        root.as_os_str(),
        "--yes".as_ref(),
    ]);
    let parent = root.parent().unwrap().to_path_buf();
    let staging = move || {
        std::fs::read_dir(&parent)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".data.restore-")
            })
    };
    kill_after(child, staging, 2);
    // A killed restore leaves its lock file behind: stale, no one holds it.
    assert!(ros::root::lock_holder(&root).is_none());
    assert_eq!(tree(&root, &["ros.lock"]), root_before, "ROOT is unchanged");
    assert_eq!(tree(&target, &[]), backup_before, "the backup is unchanged");
    // Run again, it completes, cleans up what the killed one left, and ROOT
    // is the backup's.
    let out = restore(&target, &root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(root.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["data".to_string()],
        "no staging or previous root left"
    );
    assert!(!root.join("realms/path/only-here").exists());
    for realm in support::backup::SAMPLE_REALMS {
        let id = ros::realm_id::RealmId::parse(realm, None).unwrap();
        let facts =
            ros::realm::inspect(&ros::realm::realm_file(&root, &id), ros::realm::Depth::Full)
                .unwrap();
        assert_eq!(facts.latest.version, 21);
    }
}
