//! Local commits and the UPLOADs built from them (§4.4, §4.1).

use super::*;
use crate::changeset::{decode, Changeset};
use crate::client::sync::{plan_upload, CommitError, HistoryEntry, SyncError, UPLOAD_BATCH_BYTES};
use crate::protocol::{ClientMessage, FileIdent, ServerMessage, Upload};

fn roundtrip(upload: &Upload) -> Upload {
    let version = ProtocolVersion::MAX;
    let bytes = ClientMessage::Upload(upload.clone())
        .to_bytes(version)
        .expect("serializes");
    match ClientMessage::parse(&bytes, version, &Limits::DEFAULT).expect("parses") {
        ClientMessage::Upload(u) => u,
        other => panic!("not an upload: {other:?}"),
    }
}

#[test]
fn commits_work_offline_and_number_versions() {
    let mut client = RealmClient::new("/tasks");
    let v1 = client.commit(schema()).expect("schema");
    let v2 = client
        .commit(Changeset::new(vec![create(1), set_title(1, "a")]))
        .expect("task");
    assert_eq!((v1, v2), (cv(1), cv(2)));
    assert_eq!(title(&client, 1).as_deref(), Some("a"));
    assert_eq!(client.history().len(), 2);
    assert!(!client.is_uploaded());
    let stamps: Vec<u64> = client
        .history()
        .iter()
        .map(|e| match e {
            HistoryEntry::Local(c) => c.origin_timestamp.get(),
            HistoryEntry::Download(_) => 0,
        })
        .collect();
    assert!(stamps[0] > 300_000_000_000, "ms since 2015: {stamps:?}");
    assert!(stamps[0] <= stamps[1]);
}

#[test]
fn a_commit_that_does_not_apply_changes_nothing() {
    let mut client = RealmClient::new("/tasks");
    let err = client
        .commit(Changeset::new(vec![create(1)]))
        .expect_err("no class Task");
    let CommitError(apply) = err;
    assert_eq!(apply.index, 0);
    assert!(client.history().is_empty());
    assert_eq!(client.state(), &crate::objects::State::new());
}

#[test]
fn upload_carries_every_unacknowledged_commit_per_4_1() {
    let mut client = identified();
    client
        .commit_with_timestamp(schema(), ts(100))
        .expect("schema");
    client
        .commit_with_timestamp(Changeset::new(vec![]), ts(101))
        .expect("empty commit");
    client
        .commit_with_timestamp(Changeset::new(vec![create(1)]), ts(102))
        .expect("task");
    let upload = client
        .next_upload()
        .expect("bound")
        .expect("something to upload");
    assert_eq!(upload.session, session());
    assert_eq!(upload.progress.client_version, cv(3));
    assert_eq!(upload.progress.last_integrated_server_version, sv(0));
    assert_eq!(upload.locked_server_version, sv(0));
    let versions: Vec<u64> = upload
        .changesets
        .iter()
        .map(|e| e.client_version.get())
        .collect();
    assert_eq!(versions, [1, 3], "the empty commit is skipped");
    for (e, stamp) in upload.changesets.iter().zip([100, 102]) {
        assert_eq!(e.origin_timestamp, ts(stamp));
        assert_eq!(e.origin_file_ident, FileIdent::ZERO);
        assert_eq!(e.last_integrated_server_version, sv(0));
    }
    assert_eq!(
        decode(&upload.changesets[0].changeset).expect("decodes"),
        schema()
    );
    assert_eq!(roundtrip(&upload), upload);
}

#[test]
fn upload_resumes_after_the_last_one_and_after_acknowledgement() {
    let mut client = identified();
    client
        .commit_with_timestamp(schema(), ts(1))
        .expect("schema");
    let first = client.next_upload().expect("bound").expect("upload");
    client.binding.as_mut().expect("bound").last_sent = first.progress;
    assert_eq!(client.next_upload().expect("bound"), None, "nothing new");

    // The server integrates it as version 1 and acknowledges it.
    let ack = download((1, 1), 1, (1, 0), vec![]);
    client
        .handle(over_the_wire(ServerMessage::Download(ack)))
        .expect("ack");
    assert!(client.is_uploaded());
    assert_eq!(
        client.client_version(),
        cv(2),
        "integrating a download is a version"
    );

    client
        .commit_with_timestamp(Changeset::new(vec![create(5)]), ts(2))
        .expect("task");
    let next = client.next_upload().expect("bound").expect("upload");
    let versions: Vec<u64> = next
        .changesets
        .iter()
        .map(|e| e.client_version.get())
        .collect();
    assert_eq!(versions, [3]);
    assert_eq!(next.changesets[0].last_integrated_server_version, sv(1));
    assert_eq!(
        next.progress,
        UploadCursor {
            client_version: cv(3),
            last_integrated_server_version: sv(1),
        }
    );
    assert_eq!(next.locked_server_version, sv(1));
}

#[test]
fn an_empty_upload_acknowledges_integrated_downloads() {
    let mut client = identified();
    let server = Changeset::new(schema().instructions);
    let d = download((4, 0), 4, (0, 0), vec![entry(4, 0, 10, 3, &server)]);
    client
        .handle(over_the_wire(ServerMessage::Download(d)))
        .expect("integrates");
    let upload = client
        .next_upload()
        .expect("bound")
        .expect("an acknowledgement");
    assert!(upload.changesets.is_empty());
    assert_eq!(
        upload.progress,
        UploadCursor {
            client_version: cv(1),
            last_integrated_server_version: sv(4),
        }
    );
    assert_eq!(upload.locked_server_version, sv(4));
}

#[test]
fn upload_needs_an_identified_session() {
    let mut client = RealmClient::new("/tasks");
    client.commit(schema()).expect("schema");
    assert!(matches!(client.next_upload(), Err(SyncError::State { .. })));
}

#[test]
fn batches_stop_at_128_kib_and_report_their_own_cursor() {
    let big = "x".repeat(50 * 1024);
    let mut client = RealmClient::new("/tasks");
    client.commit(schema()).expect("schema");
    client
        .commit(Changeset::new(vec![create(1)]))
        .expect("task");
    for _ in 0..4 {
        client
            .commit(Changeset::new(vec![set_title(1, &big)]))
            .expect("big write");
    }
    let first = plan_upload(client.history(), cv(0), sv(0));
    let total: usize = first.entries.iter().map(|e| e.changeset.len()).sum();
    assert!((UPLOAD_BATCH_BYTES..UPLOAD_BATCH_BYTES + 60 * 1024).contains(&total));
    let last = first.entries.last().expect("entries").client_version;
    assert_eq!(first.progress.client_version, last);
    assert!(last < cv(6));
    let rest = plan_upload(client.history(), last, sv(0));
    assert_eq!(rest.progress.client_version, cv(6));
    assert_eq!(
        first.entries.len() + rest.entries.len(),
        6,
        "every commit in one of the two"
    );
}

#[test]
fn large_uploads_are_compressed_by_the_writers_rule() {
    let mut client = identified();
    client.commit(schema()).expect("schema");
    client
        .commit(Changeset::new(vec![
            create(1),
            set_title(1, &"y".repeat(4000)),
        ]))
        .expect("task");
    let upload = client.next_upload().expect("bound").expect("upload");
    let compression =
        super::super::session::compression_for(&upload, ProtocolVersion::MAX).expect("measured");
    assert_eq!(compression, Compression::Zlib);
    let mut compressed = upload.clone();
    compressed.compression = compression;
    assert_eq!(roundtrip(&compressed), compressed);
}
