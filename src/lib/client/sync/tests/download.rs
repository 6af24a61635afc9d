//! DOWNLOADs: the §8.3 checks, integration into the state, merging with local
//! changes the server had not seen, and failures.

use super::*;
use crate::client::sync::{HistoryEntry, Phase, Received, ServerRule, SyncError, SyncProgress};
use crate::protocol::{MessageKind, ServerMessage};

fn feed(client: &mut RealmClient, d: Download) -> Result<Received, SyncError> {
    client.handle(over_the_wire(ServerMessage::Download(d)))
}

fn seed() -> Changeset {
    let mut seed = schema();
    seed.instructions.push(create(1));
    seed.instructions.push(set_title(1, "first"));
    seed
}

#[test]
fn a_server_changeset_lands_in_the_state_and_the_cursors() {
    let mut client = identified();
    let d = download((3, 0), 4, (0, 0), vec![entry(3, 0, 10, 1, &seed())]);
    let received = feed(&mut client, d).expect("integrates");
    let Received::Download {
        changesets,
        progress,
    } = received
    else {
        panic!("{received:?}");
    };
    assert_eq!(changesets, 1);
    assert_eq!(progress, *client.progress());
    assert_eq!(title(&client, 1).as_deref(), Some("first"));
    assert_eq!(client.download_cursor().server_version, sv(3));
    assert_eq!(client.latest_server_version().version, sv(4));
    assert_eq!(client.latest_server_version().salt, Salt(9));
    let [HistoryEntry::Download(integrated)] = client.history() else {
        panic!("{:?}", client.history());
    };
    assert_eq!(integrated.client_version, cv(1));
    assert_eq!(integrated.server_version, sv(3));
    assert_eq!(integrated.applied, vec![seed()]);
}

#[test]
fn a_download_that_moves_nothing_adds_no_version() {
    let mut client = identified();
    feed(&mut client, download((0, 0), 0, (0, 0), vec![])).expect("first download");
    assert!(client.history().is_empty());
    assert_eq!(client.client_version(), cv(0));
}

/// The client integrated `seed` as server version 1 (client version 1), then
/// wrote "mine" at timestamp `mine` (client version 2); another client wrote
/// "theirs" at `theirs` before the server saw "mine" (licv 0).
fn concurrent_titles(mine: u64, theirs: u64) -> RealmClient {
    let mut client = identified();
    feed(
        &mut client,
        download((1, 0), 1, (0, 0), vec![entry(1, 0, 5, 3, &seed())]),
    )
    .expect("seed");
    client
        .commit_with_timestamp(Changeset::new(vec![set_title(1, "mine")]), ts(mine))
        .expect("local write");
    let other = Changeset::new(vec![set_title(1, "theirs")]);
    feed(
        &mut client,
        download((2, 0), 2, (0, 0), vec![entry(2, 0, theirs, 4, &other)]),
    )
    .expect("concurrent write");
    client
}

#[test]
fn the_later_write_wins_either_way() {
    let newer_server = concurrent_titles(500, 600);
    assert_eq!(title(&newer_server, 1).as_deref(), Some("theirs"));
    let newer_local = concurrent_titles(600, 500);
    assert_eq!(title(&newer_local, 1).as_deref(), Some("mine"));
    assert_eq!(newer_local.client_version(), cv(3));
}

#[test]
fn acknowledged_local_changes_leave_the_merge_window() {
    let mut client = concurrent_titles(600, 500);
    assert_eq!(client.pending.len(), 1, "'mine' still concurrent");
    // The server integrates client version 2 as server version 3.
    let ack = download((3, 2), 3, (2, 1), vec![]);
    feed(&mut client, ack).expect("ack");
    assert!(client.pending.is_empty());
    assert!(client.is_uploaded());
    assert_eq!(client.upload_progress().client_version, cv(2));
}

#[test]
fn last_integrated_client_version_selects_the_concurrent_local_changes() {
    // Client versions 1 (seed, at 10) and 2 ("mine", at 30). The server has
    // integrated version 1 as server version 1; another client's "theirs" (at
    // 20) was made after that, so it is concurrent with version 2 only.
    let mut client = identified();
    client.commit_with_timestamp(seed(), ts(10)).expect("seed");
    client
        .commit_with_timestamp(Changeset::new(vec![set_title(1, "mine")]), ts(30))
        .expect("mine");
    let theirs = Changeset::new(vec![set_title(1, "theirs")]);
    let d = download((2, 1), 2, (1, 0), vec![entry(2, 1, 20, 3, &theirs)]);
    feed(&mut client, d).expect("integrates");
    assert_eq!(title(&client, 1).as_deref(), Some("mine"));
    let versions: Vec<u64> = client.pending.iter().map(|l| l.client_version).collect();
    assert_eq!(versions, [2]);
}

/// A client whose last integrated progress is download (5, 2), latest 6,
/// upload (2, 3), with newest local version 3.
fn progressed() -> RealmClient {
    let mut client = identified();
    client.commit(seed()).expect("seed");
    client.commit(Changeset::new(vec![create(2)])).expect("2");
    client.commit(Changeset::new(vec![create(3)])).expect("3");
    client.progress = SyncProgress {
        download: DownloadCursor {
            server_version: sv(5),
            last_integrated_client_version: cv(2),
        },
        latest: SaltedVersion {
            version: sv(6),
            salt: Salt(9),
        },
        upload: UploadCursor {
            client_version: cv(2),
            last_integrated_server_version: sv(3),
        },
    };
    client
}

#[test]
fn every_4_5_rule_is_checked_and_named() {
    let empty = Changeset::new(vec![]);
    let e = |server_version, licv, origin| entry(server_version, licv, 1, origin, &empty);
    let cases: Vec<(u8, Download)> = vec![
        (2, download((5, 2), 5, (2, 3), vec![])),
        (3, download((5, 2), 6, (1, 0), vec![])),
        (4, download((5, 2), 6, (4, 3), vec![])),
        (5, download((4, 2), 6, (2, 3), vec![])),
        (6, download((7, 2), 6, (2, 3), vec![])),
        (7, download((5, 1), 6, (2, 3), vec![])),
        (8, download((6, 3), 6, (2, 3), vec![])),
        (9, download((5, 2), 6, (2, 6), vec![])),
        (10, download((6, 2), 6, (2, 3), vec![e(5, 2, 3)])),
        (
            10,
            download((6, 2), 6, (2, 3), vec![e(6, 2, 3), e(6, 2, 3)]),
        ),
        (11, download((6, 2), 6, (2, 3), vec![e(6, 1, 3)])),
        (11, download((6, 2), 6, (2, 3), vec![e(6, 3, 3)])),
        (12, download((6, 2), 6, (2, 3), vec![e(6, 2, OWN_IDENT)])),
    ];
    for (rule, d) in cases {
        let mut client = progressed();
        let before = (*client.progress(), client.history().len());
        match feed(&mut client, d) {
            Err(SyncError::Protocol(v)) => {
                assert_eq!(v.rule, ServerRule::Download(rule), "{v}");
                assert!(v.to_string().contains(&format!("§8.3 rule {rule}")), "{v}");
            }
            other => panic!("rule {rule}: {other:?}"),
        }
        assert_eq!(before, (*client.progress(), client.history().len()));
    }
    // Origin 0 is refused by rule 12 as well (the parser would let it through).
    let mut client = progressed();
    let d = download((6, 2), 6, (2, 3), vec![e(6, 2, 1)]);
    let mut zero = d.clone();
    zero.changesets[0].origin_file_ident = FileIdent::ZERO;
    let v = client.integrate_download(&zero).expect_err("origin 0");
    assert!(matches!(v, SyncError::Protocol(v) if v.rule == ServerRule::Download(12)));
    client
        .integrate_download(&d)
        .expect("origin 1 (the server) is fine");
}

#[test]
fn rule_1_download_only_once_identified_and_for_our_session() {
    let mut client = awaiting_ident();
    let err = feed(&mut client, download((0, 0), 0, (0, 0), vec![])).expect_err("too early");
    assert!(matches!(err, SyncError::Protocol(v) if v.rule == ServerRule::Download(1)));

    let mut client = identified();
    let mut d = download((0, 0), 0, (0, 0), vec![]);
    d.session = SessionIdent::new(5).expect("session");
    let err = feed(&mut client, d).expect_err("foreign session");
    assert!(matches!(err, SyncError::Protocol(v) if v.rule == ServerRule::Session));
}

#[test]
fn a_changeset_that_does_not_apply_fails_the_binding_and_changes_nothing() {
    let mut client = identified();
    let orphan = Changeset::new(vec![set_title(1, "no class")]);
    let d = download((1, 0), 1, (0, 0), vec![entry(1, 0, 1, 3, &orphan)]);
    let err = feed(&mut client, d).expect_err("does not apply");
    assert!(
        matches!(
            &err,
            SyncError::Integration {
                server_version: 1,
                code: 212,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(client.session(), Some((session(), Phase::Failed)));
    assert_eq!(*client.progress(), SyncProgress::default());
    assert!(client.history().is_empty());
    let later = download((2, 0), 2, (0, 0), vec![entry(2, 0, 1, 3, &seed())]);
    assert_eq!(
        feed(&mut client, later).expect("ignored"),
        Received::Ignored(MessageKind::Download)
    );
    assert_eq!(title(&client, 1), None);
}

#[test]
fn undecodable_changeset_bytes_are_an_integration_failure() {
    let mut client = identified();
    let mut e = entry(1, 0, 1, 3, &seed());
    e.changeset = vec![0xff, 0xff, 0xff];
    let err = feed(&mut client, download((1, 0), 1, (0, 0), vec![e])).expect_err("garbage");
    assert!(
        matches!(err, SyncError::Integration { code: 212, .. }),
        "{err}"
    );
}
