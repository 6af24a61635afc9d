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

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors");
/// Each measurement repeats the whole corpus until it has used this much CPU time.
const MEASURE: Duration = Duration::from_secs(1);
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

/// Seconds this thread has spent on a CPU (user + system, from Linux's
/// `/proc/thread-self/stat`, in 10 ms ticks). Other agents share the machine's
/// two cores, so wall-clock time would mostly measure their load; on-CPU time
/// measures our code. `None` where the file is unavailable.
fn cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th
    // and 13th of those (fields 14 and 15 of the whole line).
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / TICKS_PER_SECOND)
}

/// Passes between two readings of the CPU clock.
const CHECK_EVERY: u32 = 64;

/// Linux's `USER_HZ`, the unit of the times in `/proc/*/stat`.
const TICKS_PER_SECOND: f64 = 100.0;

/// One measurement: seconds per pass (on-CPU where available) and the share of
/// wall-clock time the thread was on a CPU.
struct Sample {
    seconds: f64,
    cpu_share: f64,
}

/// Runs `pass` (one pass over the corpus) until it has used `MEASURE` of CPU
/// time (or 20 times that of wall time, if CPU time is unavailable or starved).
fn seconds_per_pass(mut pass: impl FnMut()) -> Sample {
    pass();
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let cpu_used = || cpu_start.zip(cpu_seconds()).map(|(a, b)| b - a);
    let mut passes = 0u32;
    loop {
        // Reading the CPU clock is a file read: do it rarely, or it is what we measure.
        for _ in 0..CHECK_EVERY {
            pass();
        }
        passes += CHECK_EVERY;
        let wall = start.elapsed();
        let used = cpu_used().unwrap_or(wall.as_secs_f64());
        if used >= MEASURE.as_secs_f64() || wall > MEASURE * 20 {
            break;
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_used().unwrap_or(wall);
    Sample {
        seconds: cpu / f64::from(passes),
        cpu_share: cpu / wall,
    }
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
    let share = median(
        copy.iter()
            .chain(&decode)
            .chain(&encode)
            .map(|s| s.cpu_share)
            .collect(),
    );
    let [copy, decode, encode] =
        [copy, decode, encode].map(|v| median(v.iter().map(|s| s.seconds).collect()));
    let mb = total_bytes as f64 / 1e6;
    println!(
        "times are on-CPU time; the thread was on a CPU {:.0}% of the wall time",
        share * 100.0
    );
    println!();
    println!("| operation | MB/s | ns/changeset | ns/instruction | time vs copy |");
    println!("|---|---:|---:|---:|---:|");
    for (name, secs) in [
        ("copy (to_vec)", copy),
        ("decode", decode),
        ("encode", encode),
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
