//! Data roots to back up and the `ros backup` / `ros restore` commands on them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use ros::changeset::{encode, Changeset};
use ros::merge::MergeOptions;
use ros::realm::{ClientUpload, RealmStore, UploadedChangeset};
use ros::realm_id::RealmId;

use super::workload;

/// The Realms of [`sample_root`].
pub const SAMPLE_REALMS: [&str; 3] = ["/alpha", "/beta/tasks", "/gamma"];

/// Writes `changesets` into the store of `path` under `root`, as one client
/// uploading them one after another; closes the store (a snapshot is written).
pub fn write_realm(root: &Path, path: &str, changesets: &[Changeset]) {
    let id = RealmId::parse(path, None).expect("Realm path");
    let mut store = RealmStore::open(root, &id, MergeOptions::default()).expect("open store");
    let file = store.allocate_client_file().expect("client file");
    for (i, changeset) in changesets.iter().enumerate() {
        let client_version = i as u64 + 1;
        let server_version = store.current_version();
        let answers = store
            .integrate(&[ClientUpload {
                ident: file.ident,
                progress_client_version: client_version,
                progress_server_version: server_version,
                locked_server_version: server_version,
                changesets: vec![UploadedChangeset {
                    client_version,
                    last_integrated_server_version: server_version,
                    origin_timestamp: 1000 + client_version,
                    origin_file_ident: 0,
                    changeset: encode(changeset),
                }],
            }])
            .expect("integrate");
        assert_eq!(answers, vec![Ok(())]);
    }
    store.close().expect("close");
}

/// A data root as `ros serve` leaves it, made without a server: the format
/// marker, the admin store, the admin token file and three Realms with a
/// history of `entries` changesets each.
pub fn sample_root(dir: &Path, entries: usize) -> PathBuf {
    let root = dir.join("data");
    std::fs::create_dir_all(&root).unwrap();
    ros::root::check_or_write_marker(&root).unwrap();
    drop(ros::admin::AdminStore::open_in_root(&root).unwrap());
    super::write(&root.join("keys/admin_token.base64"), "not a real token\n");
    for (n, path) in SAMPLE_REALMS.iter().enumerate() {
        let mut changesets = vec![workload::schema()];
        for i in 0..entries as i64 {
            let pk = n as i64 * 1000 + i;
            changesets.push(Changeset::new(vec![
                workload::create(pk),
                workload::set_title(pk, &format!("task {pk} {}", "x".repeat(200))),
            ]));
        }
        write_realm(&root, path, &changesets);
    }
    root
}

/// Every file below `dir` with its SHA-256, for "nothing changed" checks;
/// `skip` leaves out a relative path.
pub fn tree(dir: &Path, skip: &[&str]) -> BTreeMap<String, String> {
    fn go(base: &Path, dir: &Path, skip: &[&str], out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if skip.contains(&rel.as_str()) {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                go(base, &entry.path(), skip, out);
            } else {
                out.insert(rel, sha256(&entry.path()));
            }
        }
    }
    let mut out = BTreeMap::new();
    go(dir, dir, skip, &mut out);
    out
}

pub fn backup(source: &Path, target: &Path) -> Output {
    backup_with(source, target, &[])
}

/// `ros backup SOURCE TARGET` with more arguments.
pub fn backup_with(source: &Path, target: &Path, args: &[&str]) -> Output {
    super::run(
        super::ros()
            .arg("backup")
            .arg(source)
            .arg(target)
            .args(args),
    )
}

/// Restores `backup` into `root` (`--yes`) and serves `site`'s configuration
/// on it; the server, its sync URL and the admin token it made.
pub fn restore_and_serve(
    backup: &Path,
    root: &Path,
    site: &Path,
) -> (super::server::Running, String, String) {
    let out = restore(backup, root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root_env = root.display().to_string();
    let serving = super::sync_server::SyncServer::serve(
        site,
        &[("ROS_STORAGE__ROOT_PATH", root_env.as_str())],
    );
    let url = format!("ws://{}/realm-sync", serving.listening.sync);
    let token = ros::token::read_admin_token(root)
        .expect("admin token file")
        .expect("admin token");
    (serving, url, token)
}

pub fn verify(target: &Path) -> Output {
    super::run(super::ros().args(["backup", "verify"]).arg(target))
}

pub fn restore(backup: &Path, root: &Path) -> Output {
    super::run(
        super::ros()
            .arg("restore")
            .arg(backup)
            .arg(root)
            .arg("--yes")
            .stdin(std::process::Stdio::null()),
    )
}

/// Asserts that `out` failed with `code` and that its error names `file`.
pub fn assert_refused(out: &Output, code: i32, file: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "exit code; stderr: {stderr}");
    assert!(stderr.contains(file), "the error names {file}: {stderr}");
}

/// The manifest of the backup in `dir`.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Rewrites the manifest of `dir` after `edit`, with a checksum that matches,
/// as a careful forger (or a buggy tool) would.
pub fn reseal(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut m = manifest(dir);
    edit(&mut m);
    m.as_object_mut().unwrap().remove("checksum");
    let parsed: ros::backup::Manifest = serde_json::from_value(m).unwrap();
    std::fs::write(dir.join("manifest.json"), parsed.to_json()).unwrap();
}

/// The SHA-256 (hex) of a file.
pub fn sha256(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}
