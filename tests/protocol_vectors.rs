//! Every message captured from real realm-core 14 clients and the reference
//! server parses, and serializes back to the same message.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use ros::protocol::{
    ClientMessage, Compression, Limits, LogMessageBody, MessageKind, ProtocolVersion, ServerMessage,
};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/sessions");

/// One captured WebSocket message.
struct Captured {
    line: usize,
    to_server: bool,
    head: String,
    bytes: Vec<u8>,
}

/// A capture file: the negotiated version and its messages.
struct Capture {
    path: PathBuf,
    version: ProtocolVersion,
    messages: Vec<Captured>,
}

fn read_capture(path: &Path) -> Capture {
    let text = fs::read_to_string(path).unwrap();
    let mut version = None;
    let mut messages = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        if event["event"] == "connected" {
            let protocol = event["protocol"].as_str().unwrap();
            version = Some(ProtocolVersion::from_pbs_subprotocol(protocol).unwrap());
        }
        if let Some(dir) = event["dir"].as_str() {
            let bytes = hex::decode(event["hex"].as_str().unwrap()).unwrap();
            assert_eq!(
                bytes.len() as u64,
                event["len"].as_u64().unwrap(),
                "{}:{}",
                path.display(),
                index + 1
            );
            messages.push(Captured {
                line: index + 1,
                to_server: dir == "send",
                head: event["head"].as_str().unwrap().to_owned(),
                bytes,
            });
        }
    }
    Capture {
        path: path.to_owned(),
        version: version.expect("a connected event"),
        messages,
    }
}

fn captures() -> Vec<Capture> {
    let mut files = Vec::new();
    for session in fs::read_dir(VECTORS).unwrap() {
        let session = session.unwrap().path();
        for file in fs::read_dir(&session).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("wire-") && name.ends_with(".jsonl") {
                files.push(file);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 25,
        "expected the five captured sessions, found {} files",
        files.len()
    );
    files.iter().map(|f| read_capture(f)).collect()
}

fn head_line(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == b'\n').unwrap();
    &bytes[..end]
}

fn head_fields(bytes: &[u8]) -> Vec<String> {
    String::from_utf8(head_line(bytes).to_vec())
        .unwrap()
        .split(' ')
        .map(str::to_owned)
        .collect()
}

/// The body after the head line, inflated when the head says it is compressed.
fn inflated_body(bytes: &[u8], compressed_flag_index: usize) -> Vec<u8> {
    let fields = head_fields(bytes);
    let body = &bytes[head_line(bytes).len() + 1..];
    if fields[compressed_flag_index] == "1" {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(body), &mut out).unwrap();
        out
    } else {
        body.to_vec()
    }
}

/// Index of `is_body_compressed` and `compressed_body_size` in the head fields.
fn compression_fields(kind: &str) -> Option<(usize, usize)> {
    match kind {
        "upload" => Some((2, 4)),
        "download" => Some((9, 11)),
        _ => None,
    }
}

/// Checks that `reserialized` is the same message as `original`.
fn assert_same_message(original: &[u8], reserialized: &[u8], context: &str) -> bool {
    let fields = head_fields(original);
    match compression_fields(&fields[0]) {
        Some((flag, size)) if fields[flag] == "1" => {
            let mut expected = fields.clone();
            let mut actual = head_fields(reserialized);
            expected[size].clear();
            actual[size].clear();
            assert_eq!(
                actual, expected,
                "{context}: head fields other than compressed_body_size"
            );
            assert_eq!(
                inflated_body(reserialized, flag),
                inflated_body(original, flag),
                "{context}: inflated body"
            );
            true
        }
        _ => {
            assert_eq!(reserialized, original, "{context}: exact bytes");
            false
        }
    }
}

#[test]
fn every_captured_message_parses_and_reserializes() {
    let limits = Limits::default();
    let mut compressed_seen = 0;
    for capture in captures() {
        let mut file_counts: BTreeMap<(bool, String), usize> = BTreeMap::new();
        let mut parsed_counts: BTreeMap<(bool, String), usize> = BTreeMap::new();
        for m in &capture.messages {
            let context = format!("{}:{}", capture.path.display(), m.line);
            assert_eq!(head_line(&m.bytes), m.head.as_bytes(), "{context}: head");
            let word = m.head.split(' ').next().unwrap().to_owned();
            *file_counts.entry((m.to_server, word)).or_default() += 1;
            let (kind, bytes) = if m.to_server {
                let parsed = ClientMessage::parse(&m.bytes, capture.version, &limits)
                    .unwrap_or_else(|e| panic!("{context}: {e}"));
                (parsed.kind(), parsed.to_bytes(capture.version).unwrap())
            } else {
                let parsed = ServerMessage::parse(&m.bytes, capture.version, &limits)
                    .unwrap_or_else(|e| panic!("{context}: {e}"));
                (parsed.kind(), parsed.to_bytes(capture.version).unwrap())
            };
            *parsed_counts
                .entry((m.to_server, kind.word().to_owned()))
                .or_default() += 1;
            if assert_same_message(&m.bytes, &bytes, &context) {
                compressed_seen += 1;
            }
        }
        assert_eq!(
            parsed_counts,
            file_counts,
            "{}: message kinds",
            capture.path.display()
        );
    }
    assert!(
        compressed_seen >= 10,
        "compressed bodies exercised: {compressed_seen}"
    );
}

/// The README's totals for the two complete runs.
#[test]
fn small_and_compressed_runs_hold_58_uploads_and_70_downloads() {
    let limits = Limits::default();
    let (mut uploads, mut downloads) = (0, 0);
    for capture in captures() {
        let run = capture
            .path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if run != "small" && run != "compressed" {
            continue;
        }
        for m in &capture.messages {
            if m.to_server {
                let parsed = ClientMessage::parse(&m.bytes, capture.version, &limits).unwrap();
                uploads += usize::from(matches!(parsed, ClientMessage::Upload(_)));
            } else {
                let parsed = ServerMessage::parse(&m.bytes, capture.version, &limits).unwrap();
                downloads += usize::from(matches!(parsed, ServerMessage::Download(_)));
            }
        }
    }
    assert_eq!((uploads, downloads), (58, 70));
}

fn field(fields: &[String], index: usize) -> u64 {
    fields[index].parse().unwrap()
}

#[test]
fn parsed_fields_match_the_captured_head_lines() {
    let limits = Limits::default();
    for capture in captures() {
        for m in &capture.messages {
            let f = head_fields(&m.bytes);
            let context = format!("{}:{}", capture.path.display(), m.line);
            if m.to_server {
                match ClientMessage::parse(&m.bytes, capture.version, &limits).unwrap() {
                    ClientMessage::Bind(b) => {
                        assert_eq!(b.session.get(), field(&f, 1), "{context}");
                        assert_eq!(b.path.as_bytes().len() as u64, field(&f, 2), "{context}");
                        assert_eq!(b.path.as_bytes(), b"/capture", "{context}");
                        assert!(
                            b.token.as_bytes().is_empty(),
                            "{context}: realm-core 14 sends no BIND token"
                        );
                        assert_eq!(b.need_client_file_ident, f[4] == "1", "{context}");
                    }
                    ClientMessage::Ident(i) => {
                        assert_eq!(i.file_ident.get(), field(&f, 2), "{context}");
                        assert_eq!(i.file_ident_salt.0.to_string(), f[3], "{context}");
                        assert_eq!(i.scan.server_version.get(), field(&f, 4), "{context}");
                        assert_eq!(i.latest.salt.0.to_string(), f[7], "{context}");
                    }
                    ClientMessage::Upload(u) => {
                        assert_eq!(u.compression == Compression::Zlib, f[2] == "1", "{context}");
                        assert_eq!(u.progress.client_version.get(), field(&f, 5), "{context}");
                        assert_eq!(
                            u.progress.last_integrated_server_version.get(),
                            field(&f, 6),
                            "{context}"
                        );
                        assert_eq!(u.locked_server_version.get(), field(&f, 7), "{context}");
                        let framing: u64 = u
                            .changesets
                            .iter()
                            .map(|c| {
                                let numbers = format!(
                                    "{} {} {} {} {} ",
                                    c.client_version,
                                    c.last_integrated_server_version,
                                    c.origin_timestamp,
                                    c.origin_file_ident,
                                    c.changeset.len()
                                );
                                (numbers.len() + c.changeset.len()) as u64
                            })
                            .sum();
                        assert_eq!(
                            framing,
                            field(&f, 3),
                            "{context}: entries fill uncompressed_body_size"
                        );
                        for c in &u.changesets {
                            assert!(c.client_version <= u.progress.client_version, "{context}");
                            assert_eq!(
                                c.origin_file_ident.get(),
                                0,
                                "{context}: clients upload their own changes"
                            );
                        }
                    }
                    ClientMessage::Mark(mark) => {
                        assert_eq!(mark.request.get(), field(&f, 2), "{context}")
                    }
                    ClientMessage::Unbind { session } => {
                        assert_eq!(session.get(), field(&f, 1), "{context}")
                    }
                    other => panic!("{context}: unexpected {:?}", other.kind()),
                }
            } else {
                match ServerMessage::parse(&m.bytes, capture.version, &limits).unwrap() {
                    ServerMessage::Download(d) => {
                        assert_eq!(d.download.server_version.get(), field(&f, 2), "{context}");
                        assert_eq!(
                            d.download.last_integrated_client_version.get(),
                            field(&f, 3),
                            "{context}"
                        );
                        assert_eq!(d.latest.version.get(), field(&f, 4), "{context}");
                        assert_eq!(d.latest.salt.0.to_string(), f[5], "{context}");
                        assert_eq!(d.upload.client_version.get(), field(&f, 6), "{context}");
                        assert_eq!(d.downloadable_bytes.get(), field(&f, 8), "{context}");
                        for c in &d.changesets {
                            assert!(c.server_version <= d.download.server_version, "{context}");
                            assert_eq!(
                                c.original_changeset_size.get(),
                                c.changeset.len() as u64,
                                "{context}"
                            );
                        }
                    }
                    ServerMessage::Ident(i) => {
                        assert_eq!(i.file_ident.get(), field(&f, 2), "{context}");
                        assert_eq!(i.file_ident_salt.0.to_string(), f[3], "{context}");
                    }
                    ServerMessage::Mark(mark) => {
                        assert_eq!(mark.request.get(), field(&f, 2), "{context}")
                    }
                    ServerMessage::LogMessage(l) => {
                        assert!(
                            capture.version.get() >= 10,
                            "{context}: LOG_MESSAGE needs protocol 10"
                        );
                        assert_eq!(l.body.len() as u64, field(&f, 2), "{context}");
                        let body = LogMessageBody::parse(&l.body).unwrap();
                        assert!(!body.msg.is_empty(), "{context}");
                    }
                    other => panic!("{context}: unexpected {:?}", other.kind()),
                }
            }
        }
    }
}

/// The changesets inside each writer's UPLOADs are, in order, exactly the files
/// of `uploaded-writer-N/` sorted by their number. (The files are numbered one
/// below the `client_version` the UPLOAD entries carry, so they are matched by
/// order rather than by name.)
#[test]
fn uploaded_changesets_match_the_extracted_files() {
    let limits = Limits::default();
    let mut checked = 0;
    for capture in captures() {
        let name = capture
            .path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Some(writer) = name.strip_prefix("wire-writer-") else {
            continue;
        };
        let dir = capture
            .path
            .parent()
            .unwrap()
            .join(format!("uploaded-writer-{writer}"));
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<(u64, PathBuf)> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "hex"))
            .map(|p| (p.file_stem().unwrap().to_string_lossy().parse().unwrap(), p))
            .collect();
        files.sort();
        let mut uploaded = Vec::new();
        for m in capture.messages.iter().filter(|m| m.to_server) {
            if let ClientMessage::Upload(u) =
                ClientMessage::parse(&m.bytes, capture.version, &limits).unwrap()
            {
                uploaded.extend(u.changesets);
            }
        }
        assert_eq!(uploaded.len(), files.len(), "{}", dir.display());
        for (entry, (_, file)) in uploaded.iter().zip(&files) {
            let expected = hex::decode(fs::read_to_string(file).unwrap().trim()).unwrap();
            assert_eq!(entry.changeset, expected, "{}", file.display());
        }
        let versions: Vec<_> = uploaded.iter().map(|e| e.client_version).collect();
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "{}: client versions increase",
            dir.display()
        );
        checked += uploaded.len();
    }
    assert!(checked > 20, "checked {checked} changesets");
}

#[test]
fn message_kinds_of_the_captures_are_the_documented_ones() {
    let limits = Limits::default();
    let mut kinds = std::collections::BTreeSet::new();
    for capture in captures() {
        for m in &capture.messages {
            let kind = if m.to_server {
                ClientMessage::parse(&m.bytes, capture.version, &limits)
                    .unwrap()
                    .kind()
            } else {
                ServerMessage::parse(&m.bytes, capture.version, &limits)
                    .unwrap()
                    .kind()
            };
            kinds.insert((m.to_server, kind.word()));
        }
    }
    let expected = [
        (true, MessageKind::Bind),
        (true, MessageKind::Ident),
        (true, MessageKind::Mark),
        (true, MessageKind::Upload),
        (true, MessageKind::Unbind),
        (false, MessageKind::Ident),
        (false, MessageKind::Mark),
        (false, MessageKind::Download),
        (false, MessageKind::LogMessage),
    ];
    let expected: std::collections::BTreeSet<_> =
        expected.iter().map(|(d, k)| (*d, k.word())).collect();
    assert_eq!(kinds, expected);
}
