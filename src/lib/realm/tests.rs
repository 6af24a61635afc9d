//! The store on real SQLite files: what survives a reopen, what IDENT and
//! UPLOAD are refused with, and that a refused upload leaves nothing behind.

use std::path::Path;

use super::*;
use crate::merge::MergeOptions;
use crate::objects::final_state;

const WRITER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/vectors/sessions/small/uploaded-writer-1"
);

/// A changeset the captured writer uploaded (its first one makes the schema).
fn uploaded(client_version: u64) -> Vec<u8> {
    let text = std::fs::read_to_string(Path::new(WRITER).join(format!("{client_version}.hex")))
        .expect("captured changeset");
    hex::decode(text.trim()).expect("hex")
}

fn open(dir: &Path) -> RealmStore {
    RealmStore::open_file(&dir.join("r.sqlite3"), "/test", MergeOptions::default()).expect("open")
}

fn upload(ident: u64, client_version: u64, lisv: u64, bytes: Vec<u8>) -> ClientUpload {
    ClientUpload {
        ident,
        progress_client_version: client_version,
        progress_server_version: lisv,
        locked_server_version: lisv,
        changesets: vec![UploadedChangeset {
            client_version,
            last_integrated_server_version: lisv,
            origin_timestamp: 1000 + client_version,
            origin_file_ident: 0,
            changeset: bytes,
        }],
    }
}

#[test]
fn idents_history_and_state_survive_a_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, state) = {
        let mut store = open(tmp.path());
        let a = store.allocate_client_file().unwrap();
        let b = store.allocate_client_file().unwrap();
        assert_eq!((a.ident, b.ident), (2, 3), "idents start at 2");
        assert_ne!(a.salt, b.salt);
        let answers = store
            .integrate(&[upload(a.ident, 1, 0, uploaded(1))])
            .unwrap();
        assert_eq!(answers, vec![Ok(())]);
        assert_eq!(store.current_version(), 1);
        let state = final_state(store.state());
        assert!(state.get("Item").is_some(), "the schema was applied");
        // Dropped without close: the next open replays the history.
        (a, b, state)
    };
    let store = open(tmp.path());
    assert_eq!(store.current_version(), 1);
    assert_eq!(final_state(store.state()), state);
    assert_eq!(store.client_file(a.ident).unwrap().client_version, 1);
    assert_eq!(store.client_file(b.ident).unwrap().salt, b.salt);
    let latest = store.latest();
    assert!(latest.salt > 0);
    store.close().unwrap();
    // After close the state comes from the snapshot.
    let mut store = open(tmp.path());
    assert_eq!(store.snapshot_version, 1);
    assert_eq!(final_state(store.state()), state);
    assert_eq!(store.salt_of(1), Some(latest.salt), "stored salts stay");
    assert_ne!(store.salt, latest.salt, "each opening has its own salt");
    assert_eq!(store.allocate_client_file().unwrap().ident, 4);
}

#[test]
fn downloads_skip_the_receivers_own_changesets() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = open(tmp.path());
    let a = store.allocate_client_file().unwrap();
    let b = store.allocate_client_file().unwrap();
    store
        .integrate(&[upload(a.ident, 1, 0, uploaded(1))])
        .unwrap();
    let for_b = store.fetch_download(b.ident, 0, 0, 1 << 20).unwrap();
    assert_eq!(for_b.changesets.len(), 1);
    assert_eq!(for_b.changesets[0].origin_file_ident, a.ident);
    assert_eq!(for_b.download_server_version, 1);
    let for_a = store.fetch_download(a.ident, 0, 0, 1 << 20).unwrap();
    assert!(for_a.changesets.is_empty(), "never its own changesets");
    assert_eq!(
        (for_a.download_server_version, for_a.download_client_version),
        (1, 1)
    );
    assert_eq!(for_a.upload_client_version, 1, "the acknowledgement");
    assert_eq!(for_a.downloadable_bytes, 0);
}

#[test]
fn ident_checks_follow_the_reference_order() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = open(tmp.path());
    let a = store.allocate_client_file().unwrap();
    store
        .integrate(&[upload(a.ident, 1, 0, uploaded(1))])
        .unwrap();
    let salt = store.latest().salt;
    let good = IdentRequest {
        file_ident: a.ident,
        salt: a.salt,
        scan_server_version: 1,
        scan_client_version: 1,
        latest_version: 1,
        latest_salt: salt,
    };
    assert!(store.identify(&good).is_ok());
    let refused = |r: IdentRequest| store.identify(&r).unwrap_err();
    assert!(matches!(
        refused(IdentRequest {
            latest_version: 2,
            ..good
        }),
        IdentRefusal::BadServerVersion(_)
    ));
    assert!(matches!(
        refused(IdentRequest {
            file_ident: 9,
            ..good
        }),
        IdentRefusal::UnknownClientFile(9)
    ));
    assert!(matches!(
        refused(IdentRequest {
            salt: a.salt ^ 1,
            ..good
        }),
        IdentRefusal::Diverging(_)
    ));
    assert!(matches!(
        refused(IdentRequest {
            scan_client_version: 2,
            ..good
        }),
        IdentRefusal::BadClientVersion { .. }
    ));
    assert!(matches!(
        refused(IdentRequest {
            latest_salt: salt ^ 1,
            ..good
        }),
        IdentRefusal::Diverging(_)
    ));
}

#[test]
fn a_bad_changeset_is_refused_alone_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = open(tmp.path());
    let a = store.allocate_client_file().unwrap();
    let b = store.allocate_client_file().unwrap();
    store
        .integrate(&[upload(a.ident, 1, 0, uploaded(1))])
        .unwrap();
    let before = final_state(store.state());
    let answers = store
        .integrate(&[
            upload(b.ident, 1, 1, vec![0xff, 0x01, 0x02]),
            upload(a.ident, 2, 1, uploaded(2)),
        ])
        .unwrap();
    assert!(matches!(answers[0], Err(IntegrateRefusal::BadChangeset(_))));
    assert_eq!(answers[1], Ok(()));
    assert_eq!(
        store.current_version(),
        2,
        "only the good upload was stored"
    );
    assert_eq!(
        store.client_file(b.ident).unwrap().client_version,
        0,
        "nothing of b's upload"
    );
    assert_ne!(final_state(store.state()), before);
    // A foreign origin is 216, and a changeset that does not apply is 212.
    let mut foreign = upload(b.ident, 1, 2, uploaded(2));
    foreign.changesets[0].origin_file_ident = 7;
    let answers = store.integrate(&[foreign]).unwrap();
    assert!(matches!(
        answers[0],
        Err(IntegrateRefusal::BadOriginFileIdent { .. })
    ));
    drop(store);
    let store = open(tmp.path());
    assert_eq!(store.current_version(), 2);
}

#[test]
fn files_of_other_realms_and_newer_builds_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    open(tmp.path()).close().unwrap();
    let other = RealmStore::open_file(
        &tmp.path().join("r.sqlite3"),
        "/other",
        MergeOptions::default(),
    );
    assert!(matches!(other.unwrap_err(), RealmError::WrongRealm { .. }));
    let conn = rusqlite::Connection::open(tmp.path().join("r.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let newer = RealmStore::open_file(
        &tmp.path().join("r.sqlite3"),
        "/test",
        MergeOptions::default(),
    );
    assert!(matches!(newer.unwrap_err(), RealmError::NewerSchema { .. }));
}

#[test]
fn a_restored_store_names_the_restore_in_ident_refusals() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.sqlite3");
    let (a, latest) = {
        let mut store = open(tmp.path());
        let a = store.allocate_client_file().unwrap();
        store
            .integrate(&[upload(a.ident, 1, 0, uploaded(1))])
            .unwrap();
        let latest = store.latest();
        store.close().unwrap();
        (a, latest)
    };
    let plain = open(tmp.path());
    assert!(plain.restored().is_none());
    drop(plain);
    let facts = inspect(&path, Depth::Full).unwrap();
    assert_eq!((facts.realm.as_str(), facts.latest), ("/test", latest));
    let mark = mark_restored(&path, latest, 42).unwrap();
    let store = open(tmp.path());
    assert_eq!(store.restored(), Some(&mark));
    assert_eq!(mark.server_version, 1);
    assert_eq!(inspect(&path, Depth::Facts).unwrap().restored, Some(mark));
    let ahead = IdentRequest {
        file_ident: a.ident,
        salt: a.salt,
        scan_server_version: 1,
        scan_client_version: 1,
        latest_version: 3,
        latest_salt: latest.salt,
    };
    let refusal = store.identify(&ahead).unwrap_err();
    assert!(matches!(refusal, IdentRefusal::BadServerVersion(_)));
    let message = store.explain(&refusal);
    assert!(
        message.contains("restored from a backup that ended at server version 1"),
        "{message}"
    );
}
