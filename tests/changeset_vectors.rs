//! The captured vectors: every changeset decodes to exactly the instructions its
//! `.txt` lists, and re-encoding reproduces realm-core's bytes.

use std::fs;
use std::path::{Path, PathBuf};

use ros::changeset::{self, render, Changeset, Layout};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors");

/// One `.hex` + `.txt` pair.
struct Vector {
    name: String,
    bytes: Vec<u8>,
    header: Vec<String>,
    lines: Vec<String>,
}

fn load(hex_path: &Path) -> Vector {
    let hex_text = fs::read_to_string(hex_path).expect("read .hex");
    let bytes = hex::decode(hex_text.trim()).expect("valid hex");
    let txt = fs::read_to_string(hex_path.with_extension("txt")).expect("read .txt");
    let (header, lines): (Vec<&str>, Vec<&str>) = txt
        .lines()
        .filter(|l| !l.is_empty())
        .partition(|l| l.starts_with('#'));
    Vector {
        name: hex_path.display().to_string(),
        bytes,
        header: header.into_iter().map(String::from).collect(),
        lines: lines.into_iter().map(String::from).collect(),
    }
}

fn hex_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("vector directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "hex"))
        .collect();
    files.sort();
    files
}

fn encoder_vectors() -> Vec<Vector> {
    let files = hex_files(&Path::new(VECTORS).join("changesets"));
    assert_eq!(files.len(), 11, "expected the 11 encoder vectors");
    files.iter().map(|p| load(p)).collect()
}

/// Every `sessions/*/uploaded-writer-N/V.hex`.
fn uploaded_vectors() -> Vec<Vector> {
    let mut out = Vec::new();
    let mut sessions: Vec<PathBuf> = fs::read_dir(Path::new(VECTORS).join("sessions"))
        .expect("sessions")
        .map(|e| e.expect("entry").path())
        .collect();
    sessions.sort();
    for session in sessions {
        let mut writers: Vec<PathBuf> = fs::read_dir(&session)
            .expect("session dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("uploaded-writer-"))
            })
            .collect();
        writers.sort();
        for writer in writers {
            out.extend(hex_files(&writer).iter().map(|p| load(p)));
        }
    }
    assert_eq!(
        out.len(),
        64,
        "expected the 64 uploaded changesets of small and compressed"
    );
    out
}

/// The number after `key` followed by `:` or `=` in the header (`instructions: 24`,
/// `instructions=21`, `size: 360 bytes`, `size=278`).
fn header_number(v: &Vector, key: &str) -> usize {
    for line in &v.header {
        if let Some(pos) = line.find(key) {
            let rest = line[pos + key.len()..].trim_start_matches([':', '=', ' ']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                return n;
            }
        }
    }
    panic!("{}: no `{key}` in header {:?}", v.name, v.header);
}

fn decode(v: &Vector) -> Changeset {
    changeset::decode(&v.bytes).unwrap_or_else(|e| panic!("{}: {e}", v.name))
}

/// Decoded instructions, rendered, equal the `.txt` lines; the header's counts hold.
fn assert_matches_text(v: &Vector, decoded: &Changeset) {
    assert_eq!(header_number(v, "size"), v.bytes.len(), "{}: size", v.name);
    let count = header_number(v, "instructions");
    assert_eq!(
        decoded.instructions.len(),
        count,
        "{}: instruction count",
        v.name
    );
    assert_eq!(v.lines.len(), count, "{}: listed lines", v.name);
    let text = render::to_text(decoded);
    let rendered: Vec<&str> = text.lines().collect();
    for (n, (got, want)) in rendered.iter().zip(&v.lines).enumerate() {
        assert_eq!(got, want, "{}: instruction {n}", v.name);
    }
    assert_eq!(rendered.len(), v.lines.len(), "{}", v.name);
}

#[test]
fn encoder_vectors_decode_to_their_text() {
    for v in encoder_vectors() {
        assert_matches_text(&v, &decode(&v));
    }
}

#[test]
fn encoder_vectors_reencode_to_identical_bytes() {
    for v in encoder_vectors() {
        let decoded = decode(&v);
        assert_eq!(
            hex::encode(changeset::encode(&decoded)),
            hex::encode(&v.bytes),
            "{}",
            v.name
        );
    }
}

#[test]
fn encoder_vectors_reencode_without_the_recorded_table_too() {
    // Built afresh, the same instructions intern their strings in order of first
    // use: the bytes may differ from the vector (its producer interned some keys
    // before their tables) but hold the same strings and decode to the same thing.
    for v in encoder_vectors() {
        let decoded = decode(&v);
        let fresh = Changeset::new(decoded.instructions.clone());
        let bytes = changeset::encode(&fresh);
        let again = changeset::decode(&bytes).expect("re-decodes");
        assert_eq!(again, decoded, "{}", v.name);
        assert_eq!(bytes.len(), v.bytes.len(), "{}", v.name);
        let mut recorded: Vec<_> = decoded.strings.iter().collect();
        let mut interned: Vec<_> = again.strings.iter().collect();
        recorded.sort();
        interned.sort();
        assert_eq!(interned, recorded, "{}", v.name);
    }
}

#[test]
fn uploaded_changesets_decode_to_their_text() {
    for v in uploaded_vectors() {
        assert_matches_text(&v, &decode(&v));
    }
}

#[test]
fn uploaded_changesets_round_trip_through_both_layouts() {
    for v in uploaded_vectors() {
        let decoded = decode(&v);
        let table_first = changeset::encode(&decoded);
        let again = changeset::decode(&table_first).expect("table-first re-decodes");
        assert_eq!(again, decoded, "{}", v.name);
        assert_eq!(again.strings, decoded.strings, "{}: string table", v.name);
        assert_eq!(
            table_first.len(),
            v.bytes.len(),
            "{}: same records, moved",
            v.name
        );
        let lazy = changeset::encode_with_layout(&decoded, Layout::Lazy);
        let again = changeset::decode(&lazy).expect("lazy re-decodes");
        assert_eq!(again, decoded, "{}", v.name);
        assert_eq!(again.strings, decoded.strings, "{}: string table", v.name);
    }
}

#[test]
fn lazy_layout_reproduces_client_bytes_except_the_early_empty_string() {
    // Clients intern `""` for every non-link AddColumn before writing it, though
    // nothing references it; the lazy encoder defines strings only when needed, so
    // exactly the changesets with AddColumn differ (in where `""` is defined).
    for v in uploaded_vectors() {
        let lazy = changeset::encode_with_layout(&decode(&v), Layout::Lazy);
        let has_add_column = v.lines.iter().any(|l| l.contains(": AddColumn "));
        assert_eq!(lazy == v.bytes, !has_add_column, "{}", v.name);
        assert_eq!(lazy.len(), v.bytes.len(), "{}", v.name);
    }
}
