//! Every changeset inside every captured UPLOAD and DOWNLOAD message decodes; the
//! DOWNLOAD ones, written by realm-core's server encoder, re-encode byte for byte.
//!
//! The messages are read with the `protocol` module's parser, as the server will.

use std::fs;
use std::path::Path;

use ros::changeset::{self, Layout};
use ros::protocol::{ClientMessage, Limits, ServerMessage};

use crate::support::captures;

const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/sessions");

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Upload,
    Download,
}

struct Entry {
    origin: String,
    kind: Kind,
    bytes: Vec<u8>,
}

fn captured_entries() -> (usize, Vec<Entry>) {
    let mut messages = 0;
    let mut out = Vec::new();
    let mut files: Vec<_> = fs::read_dir(SESSIONS)
        .expect("sessions")
        .flat_map(|s| fs::read_dir(s.expect("session").path()).expect("session dir"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let limits = Limits::default();
    for file in files {
        let records: Vec<serde_json::Value> = fs::read_to_string(&file)
            .expect("jsonl")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        let version = captures::negotiated_version(&records);
        for (line_no, record) in records.iter().enumerate() {
            let Some(hex) = record["hex"].as_str() else {
                continue;
            };
            let message = hex::decode(hex).expect("valid hex");
            let origin = |n: usize| format!("{}:{} entry {n}", short(&file), line_no + 1);
            let (kind, changesets): (Kind, Vec<Vec<u8>>) = if record["dir"] == "send" {
                match ClientMessage::parse(&message, version, &limits).expect("client message") {
                    ClientMessage::Upload(up) => (
                        Kind::Upload,
                        up.changesets.into_iter().map(|e| e.changeset).collect(),
                    ),
                    _ => continue,
                }
            } else {
                match ServerMessage::parse(&message, version, &limits).expect("server message") {
                    ServerMessage::Download(down) => (
                        Kind::Download,
                        down.changesets.into_iter().map(|e| e.changeset).collect(),
                    ),
                    _ => continue,
                }
            };
            messages += 1;
            for (n, bytes) in changesets.into_iter().enumerate() {
                out.push(Entry {
                    origin: origin(n),
                    kind,
                    bytes,
                });
            }
        }
    }
    (messages, out)
}

fn short(path: &Path) -> String {
    path.strip_prefix(SESSIONS)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_uploaded_and_downloaded_changeset_decodes() {
    let (messages, entries) = captured_entries();
    assert_eq!(
        messages, 259,
        "UPLOAD and DOWNLOAD messages in all sessions"
    );
    let uploads = entries.iter().filter(|e| e.kind == Kind::Upload).count();
    // Counted independently of this parser (a Python pass over the same files).
    assert_eq!((uploads, entries.len() - uploads), (130, 250));
    for e in &entries {
        let decoded =
            changeset::decode(&e.bytes).unwrap_or_else(|err| panic!("{}: {err}", e.origin));
        assert!(
            !decoded.instructions.is_empty(),
            "{}: empty changesets are never sent",
            e.origin
        );
        let lazy = changeset::encode_with_layout(&decoded, Layout::Lazy);
        assert_eq!(
            changeset::decode(&lazy).expect("re-decodes"),
            decoded,
            "{}",
            e.origin
        );
    }
}

#[test]
fn downloaded_changesets_reencode_byte_for_byte() {
    // The reference server stores what its encoder wrote (table-first, the parsed
    // table plus merge additions), so our encoder must reproduce every one.
    let (_, entries) = captured_entries();
    for e in entries.iter().filter(|e| e.kind == Kind::Download) {
        let decoded =
            changeset::decode(&e.bytes).unwrap_or_else(|err| panic!("{}: {err}", e.origin));
        assert_eq!(
            hex::encode(changeset::encode(&decoded)),
            hex::encode(&e.bytes),
            "{}",
            e.origin
        );
    }
}
