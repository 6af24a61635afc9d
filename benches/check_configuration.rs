//! How long `ros check-configuration` takes on a fresh `ros init` directory,
//! against the floor of starting the process at all (`ros --version`), measured
//! in the same run so the ratio holds on any machine.
//!
//! `cargo bench --bench check_configuration` (BENCH_RUNS=N to change the count).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROS: &str = env!("CARGO_BIN_EXE_ros");

fn run(cwd: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(ROS)
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .envs([
            ("ROS_NETWORK__SYNC__LISTEN_PORT", "0"),
            ("ROS_NETWORK__HTTP__LISTEN_PORT", "0"),
            ("ROS_PROXY__HTTP__LISTEN_PORT", "0"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run ros");
    let took = start.elapsed();
    assert!(status.success(), "ros {args:?} failed: {status}");
    took
}

struct Stats {
    mean: Duration,
    median: Duration,
    min: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let total: Duration = samples.iter().sum();
    Stats {
        mean: total / samples.len() as u32,
        median: samples[samples.len() / 2],
        min: samples[0],
        max: samples[samples.len() - 1],
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let init = Command::new(ROS)
        .args(["init", "server"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("ros init");
    assert!(init.success());

    let check_args = ["check-configuration", "server/configuration.yml"];
    run(dir, &check_args);
    run(dir, &["--version"]);
    let mut check = Vec::with_capacity(runs);
    let mut floor = Vec::with_capacity(runs);
    for _ in 0..runs {
        check.push(run(dir, &check_args));
        floor.push(run(dir, &["--version"]));
    }
    let check = stats(check);
    let floor = stats(floor);
    println!("check-configuration: {runs} runs each, interleaved");
    for (name, s) in [
        ("ros check-configuration", &check),
        ("ros --version", &floor),
    ] {
        println!(
            "  {name:<24} mean {:7.2} ms  median {:7.2} ms  min {:7.2} ms  max {:7.2} ms",
            ms(s.mean),
            ms(s.median),
            ms(s.min),
            ms(s.max)
        );
    }
    println!(
        "  ratio check/floor       mean {:.2}x  median {:.2}x",
        ms(check.mean) / ms(floor.mean),
        ms(check.median) / ms(floor.median)
    );
}
