//! Every changeset inside every captured UPLOAD and DOWNLOAD message decodes; the
//! DOWNLOAD ones, written by realm-core's server encoder, re-encode byte for byte.
//!
//! The message framing is read here just far enough to reach the changesets
//! (`spec/sync-protocol.md` §2.4, §4.1, §4.2); parsing messages for real is the
//! `protocol` module's job.

use std::fs;
use std::io::Read;
use std::path::Path;

use ros::changeset::{self, Layout};

const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/sessions");

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

/// Splits `input` at the next space and parses the number before it.
fn number(input: &mut &[u8]) -> u64 {
    let end = input
        .iter()
        .position(|&b| b == b' ')
        .expect("space after number");
    let text = std::str::from_utf8(&input[..end]).expect("ascii");
    *input = &input[end + 1..];
    text.parse().expect("decimal number")
}

fn body(message: &[u8], head: &[&str], flags_at: usize) -> Vec<u8> {
    let newline = message.iter().position(|&b| b == b'\n').expect("head line");
    let raw = &message[newline + 1..];
    let compressed = head[flags_at] == "1";
    let size: usize = head[flags_at + 1].parse().expect("uncompressed size");
    if !compressed {
        assert_eq!(raw.len(), size);
        return raw.to_vec();
    }
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(raw)
        .read_to_end(&mut out)
        .expect("zlib body");
    assert_eq!(out.len(), size);
    out
}

/// The changesets of one message; `fields` numbers precede each changeset, the
/// last of them its size.
fn entries(mut body: &[u8], fields: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let size = (0..fields)
            .map(|_| number(&mut body))
            .last()
            .expect("fields");
        let size = usize::try_from(size).expect("size");
        out.push(body[..size].to_vec());
        body = &body[size..];
    }
    out
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
    for file in files {
        for (line_no, line) in fs::read_to_string(&file)
            .expect("jsonl")
            .lines()
            .enumerate()
        {
            let record: serde_json::Value = serde_json::from_str(line).expect("json line");
            let Some(head) = record["head"].as_str() else {
                continue;
            };
            let fields: Vec<&str> = head.split(' ').collect();
            let (kind, body) = match fields[0] {
                "upload" => (Kind::Upload, 2),
                "download" => (Kind::Download, fields.len() - 3),
                _ => continue,
            };
            messages += 1;
            let message = hex::decode(record["hex"].as_str().expect("hex")).expect("valid hex");
            let body = self::body(&message, &fields, body);
            let per_entry = if kind == Kind::Upload { 5 } else { 6 };
            for (n, bytes) in entries(&body, per_entry).into_iter().enumerate() {
                let origin = format!("{}:{} entry {n}", short(&file), line_no + 1);
                out.push(Entry {
                    origin,
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
