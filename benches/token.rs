//! Token and password throughput: how many tokens one core verifies per second in
//! each form, next to what `openssl speed` gets from raw RSA-2048 verification on
//! the same machine in the same run, and how many argon2id password logins one core
//! checks per second. Rates are per second of this thread's CPU time, the divisor
//! `openssl speed` uses too, so a busy shared machine does not skew the comparison;
//! wall-clock rates are printed beside them. Run with `cargo bench --bench token`;
//! the numbers go into `benches/README.md` (## Tokens).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use ros::admin::{AdminStore, NewUser, PasswordParams};
use ros::token::{
    inspect_unverified, Access, Claims, Identity, SessionId, TokenForm, TokenSigner, TokenVerifier,
    UserId, REFRESH_TOKEN_TTL,
};

/// How much on-CPU time each measurement gets.
const RUN: Duration = Duration::from_secs(3);
/// Wall-clock limit per measurement, should the machine be very busy.
const WALL_LIMIT: Duration = Duration::from_secs(30);

/// Time this thread has spent on a CPU. `openssl speed` divides by CPU time too, so
/// both rates stay comparable on a machine that other work shares.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

struct Rate {
    /// Operations per second of this thread's CPU time.
    per_cpu_second: f64,
    /// Operations per second of elapsed time.
    per_wall_second: f64,
}

/// Calls `op` until it has had `RUN` of CPU time.
fn rate(mut op: impl FnMut()) -> Rate {
    for _ in 0..10 {
        op();
    }
    let wall = Instant::now();
    let cpu = thread_cpu_time();
    let mut count = 0u64;
    let cpu_used = || match (cpu, thread_cpu_time()) {
        (Some(start), Some(now)) => now.saturating_sub(start),
        _ => wall.elapsed(),
    };
    while cpu_used() < RUN && wall.elapsed() < WALL_LIMIT {
        for _ in 0..10 {
            op();
        }
        count += 10;
    }
    Rate {
        per_cpu_second: count as f64 / cpu_used().as_secs_f64(),
        per_wall_second: count as f64 / wall.elapsed().as_secs_f64(),
    }
}

/// `verify/s` of the `rsa 2048 bits` line of `openssl speed -seconds 3 rsa2048`.
fn openssl_rsa2048_verifies_per_second() -> Result<f64, String> {
    let output = Command::new("openssl")
        .args(["speed", "-seconds", "3", "rsa2048"])
        .output()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("rsa 2048 bits"))
        .ok_or_else(|| format!("no `rsa 2048 bits` line in openssl's output:\n{stdout}"))?;
    line.split_whitespace()
        .last()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("cannot read verify/s from {line:?}"))
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU", str::trim)
        .to_string();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores")
}

fn main() {
    let now = SystemTime::now();
    let key = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
    let spki = {
        let signer =
            TokenSigner::new(KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation"));
        signer.public_key_der().expect("public key")
    };
    let signer = TokenSigner::new(key);
    let current = signer.public_key_der().expect("public key");
    // The current key plus one previous key, as after a key rotation.
    let verifier = TokenVerifier::new([current.clone(), spki]).expect("verifier");

    let user = UserId::generate(now);
    let session = SessionId::generate(now);
    let access = Claims::access(
        Identity::User(user),
        Some(format!("/{user}/tasks")),
        Access::ALL,
        now,
        Duration::from_secs(600),
    )
    .with_session(session);
    let refresh = Claims::refresh(user, session, false, now, REFRESH_TOKEN_TTL);
    let legacy = signer.sign(&access, TokenForm::Legacy).expect("sign");
    let jwt = signer.sign(&access, TokenForm::Jwt).expect("sign");
    let refresh_jwt = signer.sign(&refresh, TokenForm::Jwt).expect("sign");

    println!("machine: {}", machine());
    println!(
        "token sizes: legacy access {} bytes, JWT access {} bytes, JWT refresh {} bytes",
        legacy.len(),
        jwt.len(),
        refresh_jwt.len()
    );
    let legacy_rate = rate(|| {
        black_box(verifier.verify(black_box(&legacy), now).expect("valid"));
    });
    let jwt_rate = rate(|| {
        black_box(verifier.verify(black_box(&jwt), now).expect("valid"));
    });
    let refresh_rate = rate(|| {
        black_box(
            verifier
                .verify(black_box(&refresh_jwt), now)
                .expect("valid"),
        );
    });
    let legacy_decode_rate = rate(|| {
        black_box(inspect_unverified(black_box(&legacy)).expect("decodes"));
    });
    let jwt_decode_rate = rate(|| {
        black_box(inspect_unverified(black_box(&jwt)).expect("decodes"));
    });
    let raw_key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &current).expect("key");
    let message = b"the bytes a token signs";
    let signature = signer.sign_bytes(message).expect("sign");
    let raw_rate = rate(|| {
        raw_key
            .verify_sig(black_box(message), black_box(&signature))
            .expect("valid");
    });
    let sign_rate = rate(|| {
        black_box(
            signer
                .sign(black_box(&access), TokenForm::Jwt)
                .expect("sign"),
        );
    });

    let dir = std::env::temp_dir().join(format!("ros-bench-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let params = PasswordParams::RECOMMENDED;
    let store = AdminStore::open_in_root(&dir).expect("admin store");
    store
        .create_user(
            NewUser::with_password("bench", "correct horse battery staple"),
            now,
        )
        .expect("user");
    let login_rate = rate(|| {
        black_box(
            store
                .verify_password("bench", "correct horse battery staple")
                .expect("login"),
        );
    });
    let wrong_rate = rate(|| {
        black_box(store.verify_password("bench", "wrong").is_err());
    });
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);

    let openssl = openssl_rsa2048_verifies_per_second();

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average during the run: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| what (one thread) | per CPU second | per wall second |");
    println!("|---|---:|---:|");
    let row = |what: &str, r: &Rate| {
        println!(
            "| {what} | {:.1} | {:.1} |",
            r.per_cpu_second, r.per_wall_second
        )
    };
    row(
        "legacy access token verify (`b64(json):b64(sig)`)",
        &legacy_rate,
    );
    row("JWT access token verify (RS256)", &jwt_rate);
    row("JWT refresh token verify", &refresh_rate);
    row(
        "legacy decode only, no signature check",
        &legacy_decode_rate,
    );
    row("JWT decode only, no signature check", &jwt_decode_rate);
    row("raw aws-lc RSA-2048 PKCS#1 v1.5 SHA-256 verify", &raw_rate);
    match &openssl {
        Ok(v) => println!("| `openssl speed -seconds 3 rsa2048` verify | {v:.1} | — |"),
        Err(e) => println!("| `openssl speed -seconds 3 rsa2048` verify | not measured: {e} | — |"),
    }
    row("JWT access token sign", &sign_rate);
    row(
        &format!(
            "password login, right password (argon2id m={} KiB, t={}, p={})",
            params.memory_kib(),
            params.iterations(),
            params.parallelism()
        ),
        &login_rate,
    );
    row(
        "password login, wrong password (same parameters)",
        &wrong_rate,
    );
    if let Ok(v) = openssl {
        println!(
            "per CPU second: legacy / openssl = {:.2}, JWT / openssl = {:.2}",
            legacy_rate.per_cpu_second / v,
            jwt_rate.per_cpu_second / v
        );
    }
}
