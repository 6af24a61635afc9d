//! `ros changeset decode` on the captured vectors: the text output is exactly the
//! vectors' `.txt` listing, the JSON lists the same instructions, hex and binary
//! input (file or standard input) give the same result, bad input a clear error.

use crate::support;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Stdio;

use support::{ros, run};

fn vectors() -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/changesets");
    let mut hex: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/data/vectors/changesets")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "hex"))
        .collect();
    hex.sort();
    assert!(
        hex.len() >= 10,
        "expected the captured changesets, found {}",
        hex.len()
    );
    hex
}

fn listing(hex: &std::path::Path) -> String {
    let txt = std::fs::read_to_string(hex.with_extension("txt")).unwrap();
    txt.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

fn decode_stdin(input: &[u8], format: &str) -> std::process::Output {
    let mut child = ros()
        .args(["changeset", "decode", "-", "--format", format])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn text_output_matches_every_vector_listing() {
    for hex in vectors() {
        let out = run(ros().args(["changeset", "decode"]).arg(&hex));
        assert!(
            out.status.success(),
            "{}: {}",
            hex.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            listing(&hex),
            "{}",
            hex.display()
        );
    }
}

#[test]
fn binary_stdin_and_json_agree_with_the_hex_file() {
    for hex in vectors() {
        let text = std::fs::read_to_string(&hex).unwrap();
        let binary = hex::decode(text.trim()).unwrap();
        let from_binary = decode_stdin(&binary, "text");
        assert!(from_binary.status.success());
        assert_eq!(
            String::from_utf8(from_binary.stdout).unwrap(),
            listing(&hex)
        );

        let json = decode_stdin(text.as_bytes(), "json");
        assert!(json.status.success());
        let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let instructions = doc["instructions"].as_array().unwrap();
        let lines: Vec<String> = listing(&hex).lines().map(str::to_string).collect();
        assert_eq!(instructions.len(), lines.len(), "{}", hex.display());
        for (value, line) in instructions.iter().zip(&lines) {
            // "N: Type ..." in the listing; the JSON names the same type in order.
            let ty = line.split_whitespace().nth(1).unwrap();
            assert_eq!(value["instruction"], ty, "{}", hex.display());
        }
    }
}

#[test]
fn bad_input_says_what_and_where() {
    let first = vectors().into_iter().next().unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    let mut bytes = hex::decode(text.trim()).unwrap();
    bytes.truncate(bytes.len() - 1);
    let out = decode_stdin(&bytes, "text");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("standard input") && err.contains("at byte") && err.contains("ends early"),
        "{err}"
    );

    let out = run(ros().args(["changeset", "decode", "/nonexistent/x.hex"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.hex"));
}
