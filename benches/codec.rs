//! Changeset codec throughput: decode and encode over every captured changeset,
//! against a plain copy of the same bytes measured in the same run.
//!
//! Run with `cargo bench --bench codec`. Inputs: every `uploaded-writer-N/*.hex`
//! of the captured sessions (client layout) and `vectors/changesets/*.hex`
//! (realm-core's encoder layout).

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ros::changeset::{self, Changeset};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors");
/// Each measurement repeats the whole corpus until at least this long has passed.
const MEASURE: Duration = Duration::from_millis(1500);
/// Rounds per operation; the table reports the median.
const ROUNDS: usize = 5;

fn hex_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "hex"));
    files.sort();
    files
}

fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(VECTORS);
    let mut files = hex_files(&root.join("changesets"));
    let sessions = fs::read_dir(root.join("sessions")).expect("vectors/sessions");
    for session in sessions.filter_map(Result::ok) {
        for writer in fs::read_dir(session.path())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            if writer
                .file_name()
                .to_string_lossy()
                .starts_with("uploaded-writer-")
            {
                files.extend(hex_files(&writer.path()));
            }
        }
    }
    files
        .iter()
        .map(|f| {
            let text = fs::read_to_string(f).expect("read vector");
            hex::decode(text.trim()).expect("hex vector")
        })
        .collect()
}

/// Runs `pass` (one pass over the corpus) repeatedly for about `MEASURE`; returns
/// seconds per pass.
fn seconds_per_pass(mut pass: impl FnMut()) -> f64 {
    pass();
    let start = Instant::now();
    let mut passes = 0u32;
    while start.elapsed() < MEASURE {
        pass();
        passes += 1;
    }
    start.elapsed().as_secs_f64() / f64::from(passes)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let inputs = corpus();
    let total_bytes: usize = inputs.iter().map(Vec::len).sum();
    let decoded: Vec<Changeset> = inputs
        .iter()
        .map(|b| changeset::decode(b).expect("vector decodes"))
        .collect();
    let instructions: usize = decoded.iter().map(|c| c.instructions.len()).sum();
    println!(
        "corpus: {} changesets, {} bytes, {} instructions",
        inputs.len(),
        total_bytes,
        instructions
    );

    let mut copy = Vec::new();
    let mut decode = Vec::new();
    let mut encode = Vec::new();
    for _ in 0..ROUNDS {
        copy.push(seconds_per_pass(|| {
            for b in &inputs {
                black_box(black_box(b.as_slice()).to_vec());
            }
        }));
        decode.push(seconds_per_pass(|| {
            for b in &inputs {
                let _ = black_box(changeset::decode(black_box(b)));
            }
        }));
        encode.push(seconds_per_pass(|| {
            for c in &decoded {
                black_box(changeset::encode(black_box(c)));
            }
        }));
    }
    let copy = median(copy);
    let mb = total_bytes as f64 / 1e6;
    println!();
    println!("| operation | MB/s | ns/changeset | ns/instruction | time vs copy |");
    println!("|---|---:|---:|---:|---:|");
    for (name, secs) in [
        ("copy (to_vec)", copy),
        ("decode", median(decode)),
        ("encode", median(encode)),
    ] {
        println!(
            "| {name} | {:.0} | {:.0} | {:.1} | {:.1}x |",
            mb / secs,
            secs * 1e9 / inputs.len() as f64,
            secs * 1e9 / instructions as f64,
            secs / copy
        );
    }
}
