//! The committed man pages and completions must be exactly what the current clap
//! definitions generate; regenerate with `cargo run -- generate-assets`.

use std::path::Path;
use std::process::Command;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(entry.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn man_pages_and_completions_match_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ros"))
        .args(["generate-assets", "--out"])
        .arg(tmp.path())
        .status()
        .unwrap();
    assert!(status.success());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["man", "completions"] {
        let fresh = files(&tmp.path().join(dir));
        let committed = files(&repo.join(dir));
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&committed),
            names(&fresh),
            "{dir}/: files differ; run `cargo run -- generate-assets`"
        );
        for ((name, a), (_, b)) in committed.iter().zip(&fresh) {
            assert!(
                a == b,
                "{dir}/{name} is stale; run `cargo run -- generate-assets`"
            );
        }
    }
}

#[test]
fn every_subcommand_has_a_man_page() {
    let output = Command::new(env!("CARGO_BIN_EXE_ros"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["serve", "start", "check-configuration", "init"] {
        assert!(help.contains(sub), "`ros --help` lists {sub}");
        assert!(
            repo.join(format!("man/ros-{sub}.1")).is_file(),
            "man/ros-{sub}.1"
        );
    }
}
