//! Saving and loading a client, as a restart would.

use super::*;
use crate::client::sync::{PersistError, ServerRule, SyncError};
use crate::protocol::ServerMessage;

#[test]
fn a_saved_client_comes_back_the_same_but_unbound() {
    let mut client = identified();
    let mut seed = schema();
    seed.instructions.push(create(1));
    let d = download((2, 0), 2, (0, 0), vec![entry(2, 0, 5, 3, &seed)]);
    client
        .handle(over_the_wire(ServerMessage::Download(d)))
        .expect("seed");
    client
        .commit_with_timestamp(Changeset::new(vec![set_title(1, "kept")]), ts(50))
        .expect("local write");

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("client.json");
    client.save(&file).expect("saved");
    let loaded = RealmClient::load(&file).expect("loaded");

    assert_eq!(loaded.path(), "/tasks");
    assert_eq!(loaded.file_ident(), client.file_ident());
    assert_eq!(loaded.progress(), client.progress());
    assert_eq!(loaded.history(), client.history());
    assert_eq!(loaded.state(), client.state());
    assert_eq!(loaded.pending, client.pending);
    assert_eq!(loaded.last_timestamp, client.last_timestamp);
    assert_eq!(title(&loaded, 1).as_deref(), Some("kept"));
    assert_eq!(loaded.session(), None);
}

#[test]
fn a_fresh_client_roundtrips_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("fresh.json");
    RealmClient::new("\"tasks\"").save(&file).expect("saved");
    let loaded = RealmClient::load(&file).expect("loaded");
    assert_eq!(loaded.path(), "\"tasks\"");
    assert_eq!(loaded.file_ident(), None);
    assert!(loaded.history().is_empty());
}

#[test]
fn garbage_is_a_format_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bad.json");
    std::fs::write(&file, b"{\"format\": 1}").expect("written");
    assert!(matches!(
        RealmClient::load(&file),
        Err(PersistError::Format { .. })
    ));
    let missing = dir.path().join("missing.json");
    assert!(matches!(
        RealmClient::load(&missing),
        Err(PersistError::Io { .. })
    ));
}

#[test]
fn messages_for_an_unbound_client_are_violations() {
    let mut client = RealmClient::new("/tasks");
    let d = download((0, 0), 0, (0, 0), vec![]);
    let err = client
        .handle(ServerMessage::Download(d))
        .expect_err("not bound");
    assert!(matches!(err, SyncError::Protocol(v) if v.rule == ServerRule::Session));
}
