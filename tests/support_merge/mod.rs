//! Test fixture reader for the captured sessions (`vectors/README.md`): just
//! enough of the UPLOAD and DOWNLOAD message framing (`sync-protocol.md` §3.2.3,
//! §3.3.2, §2.4) to recover each changeset with its metadata. This is not the
//! protocol parser (the `protocol` module owns that); it trusts the fixtures and
//! panics on anything unexpected.

#![allow(dead_code)]

pub mod build;
pub mod gen;
mod gen_mixed;
mod gen_schema;
pub mod rng;
pub mod sim;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The captured sessions, read in place.
pub const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/sessions");

/// One changeset of an UPLOAD message.
#[derive(Clone, Debug)]
pub struct Upload {
    pub client_version: u64,
    pub last_integrated_server_version: u64,
    pub origin_timestamp: u64,
    pub origin_file_ident: u64,
    pub changeset: Vec<u8>,
}

/// One changeset of a DOWNLOAD message.
#[derive(Clone, Debug)]
pub struct Download {
    pub server_version: u64,
    pub last_integrated_client_version: u64,
    pub origin_timestamp: u64,
    pub origin_file_ident: u64,
    pub changeset: Vec<u8>,
}

/// What one client connection (`wire-*.jsonl`) carried.
#[derive(Clone, Debug, Default)]
pub struct Connection {
    /// The client file ident the server assigned (server IDENT message).
    pub file_ident: u64,
    pub uploads: Vec<Upload>,
    pub downloads: Vec<Download>,
}

pub fn session_dir(session: &str) -> PathBuf {
    Path::new(SESSIONS).join(session)
}

/// Reads `wire-<name>.jsonl` of `session`.
pub fn connection(session: &str, name: &str) -> Connection {
    let path = session_dir(session).join(format!("wire-{name}.jsonl"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Connection::default();
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("json line");
        let Some(head) = record["head"].as_str() else {
            continue;
        };
        let fields: Vec<&str> = head.split(' ').collect();
        let message = hex::decode(record["hex"].as_str().expect("hex")).expect("valid hex");
        match (record["dir"].as_str(), fields[0]) {
            (Some("recv"), "ident") => out.file_ident = fields[2].parse().expect("file ident"),
            (Some("send"), "upload") => {
                let body = body(&message, &fields, 2);
                for mut e in entries(&body, 5) {
                    out.uploads.push(Upload {
                        client_version: e.remove(0),
                        last_integrated_server_version: e.remove(0),
                        origin_timestamp: e.remove(0),
                        origin_file_ident: e.remove(0),
                        changeset: e.bytes,
                    });
                }
            }
            (Some("recv"), "download") => {
                let body = body(&message, &fields, fields.len() - 3);
                for mut e in entries(&body, 6) {
                    out.downloads.push(Download {
                        server_version: e.remove(0),
                        last_integrated_client_version: e.remove(0),
                        origin_timestamp: e.remove(0),
                        origin_file_ident: e.remove(0),
                        changeset: e.bytes,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The message body after the head line, inflated if the head says so.
fn body(message: &[u8], head: &[&str], flags_at: usize) -> Vec<u8> {
    let newline = message.iter().position(|&b| b == b'\n').expect("head line");
    let raw = &message[newline + 1..];
    let size: usize = head[flags_at + 1].parse().expect("uncompressed size");
    if head[flags_at] != "1" {
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

struct Entry {
    numbers: Vec<u64>,
    bytes: Vec<u8>,
}

impl Entry {
    fn remove(&mut self, i: usize) -> u64 {
        self.numbers.remove(i)
    }
}

/// Splits a body into entries of `fields` space-terminated numbers (the last one
/// the changeset size) followed by the changeset bytes.
fn entries(mut body: &[u8], fields: usize) -> Vec<Entry> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let mut numbers = Vec::new();
        for _ in 0..fields {
            let end = body.iter().position(|&b| b == b' ').expect("space");
            let text = std::str::from_utf8(&body[..end]).expect("ascii");
            numbers.push(text.parse::<u64>().expect("number"));
            body = &body[end + 1..];
        }
        let size = usize::try_from(*numbers.last().expect("size")).expect("size");
        out.push(Entry {
            numbers,
            bytes: body[..size].to_vec(),
        });
        body = &body[size..];
    }
    out
}

/// The writers of a session, by the `N` of `wire-writer-N.jsonl`.
pub fn writers(session: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(session_dir(session))
        .expect("session dir")
        .filter_map(|e| {
            let name = e.expect("entry").file_name().into_string().expect("utf-8");
            let stem = name.strip_prefix("wire-")?.strip_suffix(".jsonl")?;
            stem.starts_with("writer-").then(|| stem.to_string())
        })
        .collect();
    names.sort();
    names
}

/// `final-state.json` of a session.
pub fn final_state(session: &str) -> serde_json::Value {
    let path = session_dir(session).join("final-state.json");
    serde_json::from_str(&fs::read_to_string(path).expect("final-state.json")).expect("json")
}
