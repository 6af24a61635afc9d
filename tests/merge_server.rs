//! Integration of uploads on the server (`docs/merge.md` §8–§9) and of
//! downloads on a client (§11), on small hand-made histories.

use crate::support_merge;

use std::collections::BTreeMap;

use ros::changeset::{Changeset, Payload};
use ros::merge::{
    integrate_downloads, integrate_uploads, Download, History, HistoryEntry, LocalChangeset,
    MergeError, MergeOptions, ReciprocalHistory, SyncErrorCode, Upload,
};
use support_merge::build::*;

fn name(v: &str) -> Changeset {
    changeset(vec![set(at("Person", 1, "name"), string(v))])
}

fn entry(origin: u64, client_version: u64, timestamp: u64, changeset: Changeset) -> HistoryEntry {
    HistoryEntry {
        origin_file_ident: origin,
        client_version,
        origin_timestamp: timestamp,
        changeset,
    }
}

fn upload(lisv: u64, timestamp: u64, changeset: &Changeset) -> Upload<'_> {
    Upload {
        client_version: 7,
        last_integrated_server_version: lisv,
        origin_timestamp: timestamp,
        origin_file_ident: 0,
        changeset,
    }
}

fn history(entries: &[HistoryEntry]) -> History<'_> {
    History {
        base_version: 0,
        entries,
    }
}

const OPTIONS: MergeOptions = MergeOptions {
    corrected_nested_move: false,
    corrected_erase_column: false,
};

#[test]
fn the_window_skips_seen_own_and_empty_entries() {
    // v1 seen by the client (lisv 1); v2 the client's own; v3 empty; v4 newer
    // than the upload from another client; v5 a server-made change, older.
    let entries = [
        entry(3, 1, 900, name("seen")),
        entry(2, 6, 950, name("own")),
        entry(3, 2, 960, changeset(vec![])),
        entry(3, 3, 990, name("newer")),
        entry(
            0,
            0,
            10,
            changeset(vec![set(at("Person", 1, "age"), Payload::Int(1))]),
        ),
    ];
    let x = name("upload");
    let out = integrate_uploads(
        history(&entries),
        &ReciprocalHistory::default(),
        2,
        &[upload(1, 980, &x)],
        &OPTIONS,
    )
    .expect("integrates");
    let [stored] = <[HistoryEntry; 1]>::try_from(out.entries).expect("one entry");
    // Only v4 (newer) meets the upload: it wins, so the upload is emptied, and
    // v4's reciprocal is unchanged; v1 and v2 would have lost to it.
    assert_eq!(stored, entry(2, 7, 980, changeset(vec![])));
    assert!(
        out.reciprocal_updates.is_empty(),
        "{:?}",
        out.reciprocal_updates
    );
    // Against an older concurrent write the upload wins and v1's reciprocal
    // (which it was merged with) is emptied.
    let out = integrate_uploads(
        history(&entries),
        &ReciprocalHistory::default(),
        2,
        &[upload(0, 980, &x)],
        &OPTIONS,
    )
    .expect("integrates");
    assert_eq!(
        out.entries[0].changeset,
        changeset(vec![]),
        "v4 is newer still"
    );
    assert_eq!(
        out.reciprocal_updates.keys().copied().collect::<Vec<_>>(),
        [1]
    );
    assert_eq!(out.reciprocal_updates[&1], changeset(vec![]));
}

#[test]
fn reciprocal_forms_replace_history_entries() {
    let entries = [entry(3, 1, 990, name("newer"))];
    let x = name("upload");
    // The client's reciprocal form of v1 is empty (a previous upload of this
    // client beat it): nothing is left to beat this upload.
    let reciprocal = ReciprocalHistory {
        base_version: 0,
        entries: BTreeMap::from([(1, changeset(vec![]))]),
    };
    let out = integrate_uploads(
        history(&entries),
        &reciprocal,
        2,
        &[upload(0, 980, &x)],
        &OPTIONS,
    )
    .expect("integrates");
    assert_eq!(out.entries[0].changeset, x);
    // Without it, the history form wins.
    let out = integrate_uploads(
        history(&entries),
        &ReciprocalHistory::default(),
        2,
        &[upload(0, 980, &x)],
        &OPTIONS,
    )
    .expect("integrates");
    assert_eq!(out.entries[0].changeset, changeset(vec![]));
}

#[test]
fn several_uploads_see_each_others_reciprocal_updates() {
    // Two uploads built on the same base: the first beats v1, so the second
    // meets v1's emptied reciprocal form and survives although it is older
    // than v1.
    let entries = [entry(3, 1, 500, name("theirs"))];
    let (x1, x2) = (
        name("first"),
        changeset(vec![set(at("Person", 1, "name"), string("second"))]),
    );
    let uploads = [
        Upload {
            client_version: 1,
            ..upload(0, 600, &x1)
        },
        Upload {
            client_version: 2,
            ..upload(0, 400, &x2)
        },
    ];
    let out = integrate_uploads(
        history(&entries),
        &ReciprocalHistory::default(),
        2,
        &uploads,
        &OPTIONS,
    )
    .expect("integrates");
    let stored: Vec<&Changeset> = out.entries.iter().map(|e| &e.changeset).collect();
    assert_eq!(stored, [&x1, &x2]);
    assert_eq!(
        out.entries
            .iter()
            .map(|e| e.client_version)
            .collect::<Vec<_>>(),
        [1, 2]
    );
}

#[test]
fn cursors_outside_the_history_are_bad_server_versions() {
    let entries = [entry(3, 1, 500, name("a"))];
    let x = name("x");
    let cases = [
        (
            History {
                base_version: 0,
                entries: &entries,
            },
            ReciprocalHistory::default(),
            2,
        ),
        (
            History {
                base_version: 0,
                entries: &entries,
            },
            ReciprocalHistory::default(),
            u64::MAX,
        ),
        (
            History {
                base_version: 1,
                entries: &entries,
            },
            ReciprocalHistory::default(),
            0,
        ),
        (
            History {
                base_version: 0,
                entries: &entries,
            },
            ReciprocalHistory {
                base_version: 1,
                entries: BTreeMap::new(),
            },
            0,
        ),
    ];
    for (h, reciprocal, lisv) in cases {
        let err = integrate_uploads(h, &reciprocal, 2, &[upload(lisv, 1, &x)], &OPTIONS)
            .expect_err("rejected");
        assert!(matches!(err, MergeError::ServerVersion { .. }), "{err}");
        assert_eq!(err.sync_error_code(), SyncErrorCode::BadServerVersion);
        assert_eq!(err.sync_error_code().code(), 209);
    }
}

#[test]
fn transform_errors_are_bad_changesets() {
    let tag = |i| at("Person", 1, "tags").index(i);
    let entries = [entry(
        3,
        1,
        500,
        changeset(vec![insert(tag(0), string("a"), 2)]),
    )];
    let x = changeset(vec![insert(tag(0), string("b"), 3)]);
    let err = integrate_uploads(
        history(&entries),
        &ReciprocalHistory::default(),
        2,
        &[upload(0, 1, &x)],
        &OPTIONS,
    )
    .expect_err("prior sizes disagree");
    assert!(matches!(err, MergeError::Transform(_)), "{err}");
    assert_eq!(err.sync_error_code().code(), 212);
}

#[test]
fn advancing_the_reciprocal_history_drops_integrated_versions() {
    let mut reciprocal = ReciprocalHistory {
        base_version: 2,
        entries: (3..=6).map(|v| (v, changeset(vec![]))).collect(),
    };
    reciprocal.advance(4);
    assert_eq!(
        (
            reciprocal.base_version,
            reciprocal.entries.keys().copied().collect::<Vec<_>>()
        ),
        (4, vec![5, 6])
    );
    reciprocal.advance(3);
    assert_eq!(reciprocal.base_version, 4, "never moves back");
    reciprocal.advance(u64::MAX);
    assert!(reciprocal.entries.is_empty());
}

#[test]
fn downloads_merge_with_the_pending_changesets_after_their_cursor() {
    let mut local = vec![
        LocalChangeset {
            client_version: 4,
            origin_timestamp: 100,
            reciprocal: name("mine, integrated"),
        },
        LocalChangeset {
            client_version: 5,
            origin_timestamp: 300,
            reciprocal: name("mine, pending"),
        },
    ];
    let theirs = name("theirs");
    let download = |licv| Download {
        server_version: 9,
        last_integrated_client_version: licv,
        origin_timestamp: 200,
        origin_file_ident: 3,
        changeset: &theirs,
    };
    // The server had integrated version 4 but not 5: only 5 (newer) meets it.
    let out = integrate_downloads(&mut local, 2, &[download(4)], &OPTIONS).expect("integrates");
    assert_eq!(out, [changeset(vec![])], "the newer pending write wins");
    assert_eq!(
        local[0].reciprocal,
        name("mine, integrated"),
        "outside the window"
    );
    // Had the server integrated 5 too, the download applies unchanged.
    let out = integrate_downloads(&mut local, 2, &[download(5)], &OPTIONS).expect("integrates");
    assert_eq!(out, std::slice::from_ref(&theirs));
}
