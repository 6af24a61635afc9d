//! The captured sessions replayed (`vectors/README.md`, "the merge"): the
//! history the fresh client downloaded applies to an empty state and gives
//! `final-state.json` exactly.

mod support_merge;

use ros::changeset;
use ros::objects::{final_state, State};
use support_merge::{connection, final_state as expected_final_state};

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
