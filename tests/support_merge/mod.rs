//! The captured sessions (`vectors/README.md`) as the merge tests need them: each
//! connection's UPLOAD and DOWNLOAD changesets with their metadata, read with the
//! library's own protocol parser (`ros::protocol`), which must accept every
//! captured message anyway.

#![allow(dead_code)]

pub mod build;
use crate::support::captures;
pub mod gen;
mod gen_mixed;
mod gen_schema;
pub mod rng;
pub mod sim;

use std::fs;
use std::path::{Path, PathBuf};

use ros::protocol::{ClientMessage, Limits, ServerMessage};

/// The captured sessions, read in place.
pub const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/sessions");

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
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let version = captures::negotiated_version(&records);
    let limits = Limits::default();
    let mut out = Connection::default();
    for record in &records {
        let Some(hex) = record["hex"].as_str() else {
            continue;
        };
        let message = hex::decode(hex).expect("valid hex");
        if record["dir"] == "send" {
            let parsed = ClientMessage::parse(&message, version, &limits).expect("client message");
            if let ClientMessage::Upload(upload) = parsed {
                out.uploads
                    .extend(upload.changesets.into_iter().map(|e| Upload {
                        client_version: e.client_version.into(),
                        last_integrated_server_version: e.last_integrated_server_version.into(),
                        origin_timestamp: e.origin_timestamp.into(),
                        origin_file_ident: e.origin_file_ident.into(),
                        changeset: e.changeset,
                    }));
            }
        } else {
            match ServerMessage::parse(&message, version, &limits).expect("server message") {
                ServerMessage::Ident(ident) => out.file_ident = ident.file_ident.into(),
                ServerMessage::Download(download) => {
                    out.downloads
                        .extend(download.changesets.into_iter().map(|e| Download {
                            server_version: e.server_version.into(),
                            last_integrated_client_version: e.last_integrated_client_version.into(),
                            origin_timestamp: e.origin_timestamp.into(),
                            origin_file_ident: e.origin_file_ident.into(),
                            changeset: e.changeset,
                        }));
                }
                _ => {}
            }
        }
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
