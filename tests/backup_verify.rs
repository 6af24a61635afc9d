//! `ros backup` and `ros backup verify` on real data roots: what a backup
//! holds, that it never changes its source, and that every kind of damage
//! makes both `verify` and `restore` refuse, naming the damaged file.

use crate::support;

use std::path::Path;

use support::backup::{
    assert_refused, backup, backup_with, manifest, reseal, restore, sample_root, sha256, tree,
    verify, SAMPLE_REALMS,
};

const REALM_FILE: &str = "realms/path/alpha/realm.sqlite3";

/// A sample root and a fresh backup of it.
fn backed_up(tmp: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let root = sample_root(tmp, 40);
    let target = tmp.join("backup");
    let out = backup(&root, &target);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (root, target)
}

#[test]
fn a_backup_mirrors_the_root_verifies_and_leaves_the_source_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let root = sample_root(tmp.path(), 40);
    let before = tree(&root, &[]);
    // Databases copied through memory (the default) and streamed (a cap of
    // 0 bytes: the path of databases above the cap) make the same backup.
    for cap in [None, Some("0")] {
        let target = tmp
            .path()
            .join(format!("backup-{}", cap.unwrap_or("default")));
        let mut cmd = support::ros();
        cmd.arg("backup")
            .arg(&root)
            .arg(&target)
            .args(["--format", "json"]);
        if let Some(cap) = cap {
            cmd.env(ros::backup::MEMORY_CAP_ENV, cap);
        }
        mirrors_and_verifies(&root, &before, &target, &support::run(&mut cmd));
    }
}

fn mirrors_and_verifies(
    root: &Path,
    before: &std::collections::BTreeMap<String, String>,
    target: &Path,
    out: &std::process::Output,
) {
    let report = support::ok_json(out);
    assert_eq!(&tree(root, &[]), before, "the source is unchanged");
    assert_eq!(report["realms"], 3);
    let m = manifest(target);
    assert_eq!(m["format"], 1);
    assert_eq!(m["keys_included"], false);
    assert_eq!(m["admin"]["schema_version"], ros::admin::SCHEMA_VERSION);
    let mut realms: Vec<&str> = m["realms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["realm"].as_str().unwrap())
        .collect();
    realms.sort();
    assert_eq!(realms, SAMPLE_REALMS);
    for r in m["realms"].as_array().unwrap() {
        assert_eq!(r["server_version"], 41, "{r}: schema and 40 changesets");
        assert_ne!(r["salt"], 0);
        // The copy is the Realm: the server opens it and finds the same history.
        let copy = target.join(r["file"].as_str().unwrap());
        let facts = ros::realm::inspect(&copy, ros::realm::Depth::Full).unwrap();
        assert_eq!(facts.latest.version, 41);
        assert!(!Path::new(&format!("{}-wal", copy.display())).exists());
    }
    for f in m["files"].as_array().unwrap() {
        let path = target.join(f["path"].as_str().unwrap());
        assert_eq!(f["sha256"].as_str().unwrap(), sha256(&path), "{f}");
    }
    assert!(
        !target.join("keys/admin_token.base64").exists(),
        "keys only with --include-keys"
    );
    let out = support::run(
        support::ros()
            .args(["backup", "verify"])
            .arg(target)
            .args(["--format", "json"]),
    );
    let verified = support::ok_json(&out);
    assert_eq!(verified["ok"], true);
    assert_eq!(verified["realms"], 3);
}

#[test]
fn include_keys_backs_up_the_admin_token_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = sample_root(tmp.path(), 2);
    let target = tmp.path().join("backup");
    let out = backup_with(&root, &target, &["--include-keys"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(target.join("keys/admin_token.base64")).unwrap(),
        std::fs::read(root.join("keys/admin_token.base64")).unwrap()
    );
    assert_eq!(manifest(&target)["keys_included"], true);
    assert!(verify(&target).status.success());
}

#[test]
fn a_non_empty_target_and_a_target_inside_the_root_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = sample_root(tmp.path(), 2);
    let target = tmp.path().join("busy");
    support::write(&target.join("notes.txt"), "mine\n");
    let out = backup(&root, &target);
    assert_refused(&out, 2, "busy");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(tree(&target, &[]).len(), 1, "the target is left alone");
    let inside = root.join("backups/today");
    assert_refused(&backup(&root, &inside), 2, "inside the data root");
    assert!(!inside.exists());
    assert_refused(
        &backup(&tmp.path().join("nothing"), &tmp.path().join("b")),
        2,
        "nothing",
    );
}

/// One kind of damage, applied to a backup.
struct Damage {
    name: &'static str,
    /// The file the refusal must name.
    names: &'static str,
    apply: fn(&Path),
}

fn flip_byte(target: &Path) {
    let path = target.join(REALM_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&path, bytes).unwrap();
}

fn truncate(target: &Path) {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(target.join(REALM_FILE))
        .unwrap();
    let len = file.metadata().unwrap().len();
    file.set_len(len / 2).unwrap();
}

/// Changes a database through SQLite and reseals the manifest, so only the
/// store's own checks can tell.
fn resealed_sql(target: &Path, sql: &str) {
    let path = target.join(REALM_FILE);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    let (size, digest) = (std::fs::metadata(&path).unwrap().len(), sha256(&path));
    reseal(target, |m| {
        for f in m["files"].as_array_mut().unwrap() {
            if f["path"] == REALM_FILE {
                f["size"] = size.into();
                f["sha256"] = digest.clone().into();
            }
        }
    });
}

const DAMAGES: &[Damage] = &[
    Damage {
        name: "a flipped byte",
        names: REALM_FILE,
        apply: flip_byte,
    },
    Damage {
        name: "a missing file",
        names: REALM_FILE,
        apply: |t| std::fs::remove_file(t.join(REALM_FILE)).unwrap(),
    },
    Damage {
        name: "a truncated database",
        names: REALM_FILE,
        apply: truncate,
    },
    Damage {
        name: "an extra file",
        names: "realms/path/stray.txt",
        apply: |t| std::fs::write(t.join("realms/path/stray.txt"), "?").unwrap(),
    },
    Damage {
        name: "a manifest edited without its checksum",
        names: "manifest.json",
        apply: |t| {
            let text = std::fs::read_to_string(t.join("manifest.json")).unwrap();
            let edited = text.replacen("\"server_version\": 41", "\"server_version\": 40", 1);
            assert_ne!(text, edited);
            std::fs::write(t.join("manifest.json"), edited).unwrap();
        },
    },
    Damage {
        name: "a resealed manifest that lies about a Realm's version",
        names: REALM_FILE,
        apply: |t| {
            reseal(t, |m| {
                for r in m["realms"].as_array_mut().unwrap() {
                    if r["file"] == REALM_FILE {
                        r["server_version"] = 40.into();
                    }
                }
            })
        },
    },
    Damage {
        name: "a gap in the history (resealed)",
        names: REALM_FILE,
        apply: |t| resealed_sql(t, "DELETE FROM history WHERE server_version = 7"),
    },
    Damage {
        name: "cumulative sizes that do not add up (resealed)",
        names: REALM_FILE,
        apply: |t| {
            resealed_sql(
                t,
                "UPDATE history SET cumulative_size = cumulative_size + 1 WHERE server_version = 12",
            )
        },
    },
    Damage {
        name: "a state snapshot that differs from the history (resealed)",
        names: REALM_FILE,
        apply: |t| {
            resealed_sql(
                t,
                "UPDATE state_snapshot SET bytes = (SELECT bytes FROM state_snapshot), \
                 server_version = server_version - 5",
            )
        },
    },
    Damage {
        name: "a manifest that is gone",
        names: "manifest.json",
        apply: |t| std::fs::remove_file(t.join("manifest.json")).unwrap(),
    },
];

#[test]
fn every_damage_makes_verify_and_restore_refuse_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, pristine) = backed_up(tmp.path());
    assert!(verify(&pristine).status.success());
    for (n, damage) in DAMAGES.iter().enumerate() {
        let copy = tmp.path().join(format!("damaged-{n}"));
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(&pristine)
            .arg(&copy)
            .status()
            .unwrap();
        assert!(status.success());
        (damage.apply)(&copy);
        let out = verify(&copy);
        assert_refused(&out, 1, damage.names);
        eprintln!(
            "{}: {}",
            damage.name,
            String::from_utf8_lossy(&out.stderr).trim()
        );
        let root = tmp.path().join(format!("restored-{n}/data"));
        let out = restore(&copy, &root);
        assert_refused(&out, 1, damage.names);
        assert!(!root.exists(), "{}: nothing was restored", damage.name);
    }
}

#[test]
fn a_file_that_cannot_be_copied_fails_the_backup_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = sample_root(tmp.path(), 2);
    support::write(
        &root.join("realms/path/broken/realm.sqlite3"),
        "this is not an SQLite database, and it is far longer than a header would be",
    );
    let out = backup(&root, &tmp.path().join("b1"));
    assert_refused(&out, 1, "realms/path/broken/realm.sqlite3");
    assert!(!tmp.path().join("b1/manifest.json").exists());
    std::fs::remove_file(root.join("realms/path/broken/realm.sqlite3")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", root.join("realms/elsewhere")).unwrap();
    let out = backup(&root, &tmp.path().join("b2"));
    assert_refused(&out, 1, "realms/elsewhere");
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
}

#[test]
fn a_configuration_as_source_brings_the_key_pair_which_restore_leaves_out_of_the_root() {
    let (_tmp, site) = support::init_site();
    // A root a server has used: the format marker and the admin store.
    ros::root::check_or_write_marker(&site.join("data")).unwrap();
    drop(ros::admin::AdminStore::open_in_root(&site.join("data")).unwrap());
    let target = site.join("../backup");
    let out = backup_with(
        &site.join("configuration.yml"),
        &target,
        &["--include-keys", "--format", "json"],
    );
    let report = support::ok_json(&out);
    assert_eq!(report["manifest"]["keys_included"], true);
    assert_eq!(
        std::fs::read(target.join("ros-backup-keypair/private.pem")).unwrap(),
        std::fs::read(site.join("keys/auth.key")).unwrap()
    );
    assert_eq!(
        std::fs::read(target.join("ros-backup-keypair/public.pem")).unwrap(),
        std::fs::read(site.join("keys/auth.pub")).unwrap()
    );
    assert!(verify(&target).status.success());
    let root = site.join("../restored");
    assert!(restore(&target, &root).status.success());
    assert!(!root.join("ros-backup-keypair").exists());
    assert!(root.join("admin.sqlite3").exists());
}
