//! `ros backup` against `cp -a` of the same stopped data root, in the same run
//! (`benches/README.md`, "Backup"), and `ros backup` of that root while the
//! server serves it under a write load, with the writers' throughput before
//! and during the backups.
//!
//! `cargo bench --bench backup`; sizes from `BENCH_REALMS` (100 Realms),
//! `BENCH_ENTRIES` (40 changesets per Realm, 20 objects of 1 KiB each),
//! `BENCH_RUNS` (3 of each, alternating).

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ros::changeset::Changeset;
use support::live::Writers;
use support::sync_server::SyncServer;
use support::workload;

const WRITERS: u64 = 4;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A data root of `realms` Realms, each a history of `entries` changesets.
fn populate(root: &Path, realms: usize, entries: usize) {
    ros::root::check_or_write_marker(root).unwrap();
    drop(ros::admin::AdminStore::open_in_root(root).unwrap());
    let title = "x".repeat(1024);
    for r in 0..realms {
        let mut changesets = vec![workload::schema()];
        for e in 0..entries as i64 {
            let mut instructions = Vec::new();
            for o in 0..20 {
                let pk = e * 100 + o;
                instructions.push(workload::create(pk));
                instructions.push(workload::set_title(pk, &title));
            }
            changesets.push(Changeset::new(instructions));
        }
        support::backup::write_realm(root, &format!("/bench/r{r}"), &changesets);
    }
}

fn bytes_below(dir: &Path) -> u64 {
    support::backup::tree(dir, &[])
        .keys()
        .map(|rel| std::fs::metadata(dir.join(rel)).unwrap().len())
        .sum()
}

fn timed(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

fn ros_backup(root: &Path, target: &Path) -> Command {
    let mut cmd = support::ros();
    cmd.arg("backup").arg(root).arg(target);
    cmd
}

fn cp(root: &Path, target: &Path) -> Command {
    let mut cmd = Command::new("cp");
    cmd.arg("-a").arg(root).arg(target);
    cmd
}

/// `cp -a` then `sync -f` on the copy: the copy made durable, as the backup's is.
fn cp_sync(root: &Path, target: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("cp -a \"$1\" \"$2\" && sync -f \"$2\"")
        .arg("sh")
        .arg(root)
        .arg(target);
    cmd
}

fn mbs(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let realms = size("BENCH_REALMS", 100);
    let entries = size("BENCH_ENTRIES", 40);
    let runs = size("BENCH_RUNS", 3);
    let (_tmp, site) = support::init_site();
    let root = site.join("data");
    let started = Instant::now();
    populate(&root, realms, entries);
    if let Some(keep) = std::env::var_os("BENCH_KEEP_ROOT") {
        // For profiling `ros backup` by hand: the stopped root, copied out.
        assert!(Command::new("cp")
            .arg("-a")
            .arg(&root)
            .arg(&keep)
            .status()
            .unwrap()
            .success());
        return;
    }
    let bytes = bytes_below(&root);
    println!(
        "data root: {realms} Realms × {entries} changesets, {:.1} MB (made in {:.1} s)",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let scratch = tempfile::tempdir_in(site.parent().unwrap()).unwrap();
    let mut rates: HashMap<&str, Vec<f64>> = HashMap::new();
    for run in 0..runs {
        for (name, make) in [
            ("cp -a", cp as fn(&Path, &Path) -> Command),
            ("cp -a + sync", cp_sync),
            ("ros backup", ros_backup),
        ] {
            let target = scratch
                .path()
                .join(format!("{run}-{}", name.replace(' ', "_")));
            let d = timed(make(&root, &target));
            rates.entry(name).or_default().push(mbs(bytes, d));
            std::fs::remove_dir_all(&target).unwrap();
        }
    }
    let cp_rate = median(rates["cp -a"].clone());
    println!("stopped root, median of {runs} runs (MB/s; ratio to cp -a):");
    for name in ["cp -a", "cp -a + sync", "ros backup"] {
        let r = median(rates[name].clone());
        println!(
            "  {name:<14} {r:8.1} MB/s  {:.2}x   runs {:?}",
            r / cp_rate,
            rates[name]
                .iter()
                .map(|v| (v * 10.0).round() / 10.0)
                .collect::<Vec<_>>()
        );
    }

    // The same root served, four clients writing to four of its Realms.
    let serving = SyncServer::serve(&site, &[]);
    let url = format!("ws://{}/realm-sync", serving.listening.sync);
    let token = ros::token::read_admin_token(&root).unwrap().unwrap();
    let runtime = support::sync_server::runtime();
    let paths: Vec<String> = (0..WRITERS).map(|n| format!("/bench/r{n}")).collect();
    let writers = Writers::spawn(&runtime, &url, &token, &paths);
    let total = || writers.total();
    std::thread::sleep(Duration::from_secs(1));
    let (t0, w0) = (Instant::now(), total());
    std::thread::sleep(Duration::from_secs(3));
    let idle_rate = (total() - w0) as f64 / t0.elapsed().as_secs_f64();
    let mut loaded = Vec::new();
    let (t1, w1) = (Instant::now(), total());
    for run in 0..runs {
        let target = scratch.path().join(format!("live-{run}"));
        let d = timed(ros_backup(&root, &target));
        loaded.push(mbs(bytes, d));
        std::fs::remove_dir_all(&target).unwrap();
    }
    let during_rate = (total() - w1) as f64 / t1.elapsed().as_secs_f64();
    writers.stop(&runtime);
    drop(serving);
    let live = median(loaded.clone());
    println!(
        "served root under {WRITERS} writers: ros backup {live:.1} MB/s ({:.2}x cp -a of the stopped root), runs {:?}",
        live / cp_rate,
        loaded.iter().map(|v| (v * 10.0).round() / 10.0).collect::<Vec<_>>()
    );
    println!(
        "writers: {idle_rate:.0} acknowledged changesets/s before, {during_rate:.0}/s during the backups ({:.2}x)",
        during_rate / idle_rate
    );
}
