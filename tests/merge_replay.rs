//! The captured sessions replayed (`vectors/README.md`, "the merge"):
//! * the history the fresh client downloaded applies to an empty state and gives
//!   `final-state.json` exactly;
//! * integrating the writers' uploads, in the order the server integrated them,
//!   reproduces that history instruction for instruction and byte for byte, and
//!   the uploads the fresh client never saw come out empty.

use crate::support_merge;

use std::collections::{BTreeMap, BTreeSet};

use ros::changeset::{self, Changeset};
use ros::merge::{
    integrate_uploads, History, HistoryEntry, MergeOptions, ReciprocalHistory, Upload,
};
use ros::objects::{final_state, State};
use support_merge::{connection, final_state as expected_final_state, writers};

/// Applies the fresh client's download, in server-version order, to an empty state.
fn downloaded_state(session: &str) -> State {
    let fresh = connection(session, "fresh");
    assert!(
        !fresh.downloads.is_empty(),
        "{session}: the fresh client downloads"
    );
    let mut state = State::new();
    let mut last = 0;
    for d in &fresh.downloads {
        assert!(
            d.server_version > last,
            "{session}: downloads in server-version order"
        );
        last = d.server_version;
        let decoded = changeset::decode(&d.changeset).expect("downloaded changeset decodes");
        state
            .apply(&decoded)
            .unwrap_or_else(|e| panic!("{session}: server version {}: {e}", d.server_version));
    }
    state
}

fn assert_final_state(session: &str) {
    let state = downloaded_state(session);
    let got = final_state(&state);
    let want = expected_final_state(session);
    if got != want {
        let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("json");
        let (got, want) = (pretty(&got), pretty(&want));
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{session}: final state differs from line {first}:\n got: {}\nwant: {}",
            got.lines()
                .skip(first)
                .take(8)
                .collect::<Vec<_>>()
                .join("\n      "),
            want.lines()
                .skip(first)
                .take(8)
                .collect::<Vec<_>>()
                .join("\n      "),
        );
    }
}

#[test]
fn small_download_history_gives_final_state() {
    assert_final_state("small");
}

#[test]
fn compressed_download_history_gives_final_state() {
    assert_final_state("compressed");
}

/// One uploaded changeset, decoded, with the file ident of its writer.
struct Uploaded {
    writer: u64,
    upload: support_merge::Upload,
    changeset: Changeset,
}

/// Every writer upload, placed at the server version that integrated it: the
/// fresh client's download names (origin file ident, timestamp) for each
/// non-empty entry; the versions it skipped were integrated to nothing and
/// belong to the uploads left over, in each writer's client-version order.
fn server_order(session: &str) -> Vec<Uploaded> {
    let fresh = connection(session, "fresh");
    let mut pending: BTreeMap<u64, Vec<Uploaded>> = BTreeMap::new();
    for name in writers(session) {
        let c = connection(session, &name);
        assert!(c.file_ident >= 2, "{session}/{name}: client file ident");
        let list = pending.entry(c.file_ident).or_default();
        for upload in c.uploads {
            let changeset = changeset::decode(&upload.changeset).expect("upload decodes");
            list.push(Uploaded {
                writer: c.file_ident,
                upload,
                changeset,
            });
        }
    }
    let total: usize = pending.values().map(Vec::len).sum();
    let mut by_version: BTreeMap<u64, Uploaded> = BTreeMap::new();
    for d in &fresh.downloads {
        let list = pending
            .get_mut(&d.origin_file_ident)
            .expect("origin is a writer");
        let i = list
            .iter()
            .position(|u| u.upload.origin_timestamp == d.origin_timestamp)
            .expect("an upload with the entry's timestamp");
        by_version.insert(d.server_version, list.remove(i));
    }
    let gaps: BTreeSet<u64> = (1..=total as u64)
        .filter(|v| !by_version.contains_key(v))
        .collect();
    for v in gaps {
        // The gap takes the next upload of the writer whose pinned uploads around
        // it leave room: all its uploads before `v` have smaller client versions.
        let writer = pending
            .iter()
            .find(|(w, list)| {
                list.first().is_some_and(|next| {
                    by_version.iter().all(|(pv, u)| {
                        u.writer != **w
                            || (*pv < v) == (u.upload.client_version < next.upload.client_version)
                    })
                })
            })
            .map(|(w, _)| *w)
            .expect("an upload fits the gap");
        let next = pending.get_mut(&writer).expect("writer").remove(0);
        by_version.insert(v, next);
    }
    assert!(
        pending.values().all(Vec::is_empty),
        "{session}: every upload has a server version"
    );
    by_version.into_values().collect()
}

fn assert_uploads_reproduce_history(session: &str) {
    let fresh = connection(session, "fresh");
    let downloaded: BTreeMap<u64, &support_merge::Download> = fresh
        .downloads
        .iter()
        .map(|d| (d.server_version, d))
        .collect();
    let mut history: Vec<HistoryEntry> = Vec::new();
    let mut reciprocal: BTreeMap<u64, ReciprocalHistory> = BTreeMap::new();
    let (mut empty, mut rewritten) = (0, 0);
    for u in server_order(session) {
        let version = history.len() as u64 + 1;
        let recip = reciprocal.entry(u.writer).or_default();
        let integration = integrate_uploads(
            History {
                base_version: 0,
                entries: &history,
            },
            recip,
            u.writer,
            &[Upload {
                client_version: u.upload.client_version,
                last_integrated_server_version: u.upload.last_integrated_server_version,
                origin_timestamp: u.upload.origin_timestamp,
                origin_file_ident: u.upload.origin_file_ident,
                changeset: &u.changeset,
            }],
            &MergeOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{session}: server version {version}: {e}"));
        recip.entries.extend(integration.reciprocal_updates);
        let [entry] = <[HistoryEntry; 1]>::try_from(integration.entries).expect("one entry");
        assert_eq!(entry.origin_file_ident, u.writer);
        if entry.changeset != u.changeset {
            rewritten += 1;
        }
        match downloaded.get(&version) {
            Some(d) => {
                assert_eq!(
                    (d.origin_file_ident, d.origin_timestamp),
                    (entry.origin_file_ident, entry.origin_timestamp),
                    "{session}: server version {version}"
                );
                let want = changeset::decode(&d.changeset).expect("download decodes");
                assert_eq!(
                    changeset::render::to_text(&entry.changeset),
                    changeset::render::to_text(&want),
                    "{session}: server version {version}, instructions"
                );
                assert_eq!(
                    hex::encode(changeset::encode(&entry.changeset)),
                    hex::encode(&d.changeset),
                    "{session}: server version {version}, stored bytes"
                );
            }
            None => {
                assert!(
                    entry.changeset.instructions.is_empty(),
                    "{session}: server version {version} was never downloaded, so it is empty"
                );
                empty += 1;
            }
        }
        history.push(entry);
    }
    assert_eq!(history.len(), fresh.downloads.len() + empty);
    assert!(empty >= 1, "{session}: the README's gap is reproduced");
    eprintln!(
        "{session}: {rewritten} of {} uploads rewritten by the merge",
        history.len()
    );
    assert!(
        rewritten > empty,
        "{session}: the merge changed more than the empty entries"
    );
    // And the replayed history gives the final state.
    let mut state = State::new();
    for entry in &history {
        state
            .apply(&entry.changeset)
            .expect("replayed history applies");
    }
    assert_eq!(final_state(&state), expected_final_state(session));
}

#[test]
fn small_uploads_integrate_into_the_downloaded_history() {
    assert_uploads_reproduce_history("small");
}

#[test]
fn compressed_uploads_integrate_into_the_downloaded_history() {
    assert_uploads_reproduce_history("compressed");
}
