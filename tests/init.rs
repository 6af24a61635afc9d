//! `ros init` end to end: what it writes passes `ros check-configuration` as it is,
//! from any working directory; it refuses to overwrite without `--force`; the
//! private key and the data directory are private.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;

/// Checks of a fresh directory bind the default ports for a moment; two at once
/// would see each other's probe.
static DEFAULT_PORTS: Mutex<()> = Mutex::new(());

fn ros(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ros"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("run ros")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

const ANY_PORT: [(&str, &str); 3] = [
    ("ROS_NETWORK__SYNC__LISTEN_PORT", "0"),
    ("ROS_NETWORK__HTTP__LISTEN_PORT", "0"),
    ("ROS_PROXY__HTTP__LISTEN_PORT", "0"),
];

#[test]
fn init_writes_a_directory_that_passes_the_check_from_anywhere() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("project");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");

    let out = ros(&project, &["init", "server"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("ros serve --config server/configuration.yml"),
        "{stdout}"
    );
    // One app, whose id is printed (docs/app-api.md).
    let config: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(project.join("server/configuration.yml")).expect("read"),
    )
    .expect("yaml");
    let app_id = config["apps"][0]["id"].as_str().expect("an app id");
    assert!(app_id.starts_with("ros-") && app_id.len() == 12, "{app_id}");
    assert!(
        stdout.contains(&format!("App id for Realm SDK apps: {app_id}")),
        "{stdout}"
    );

    let _ports = DEFAULT_PORTS.lock().unwrap_or_else(|e| e.into_inner());
    let check = ros(
        &elsewhere,
        &["check-configuration", "../project/server/configuration.yml"],
        &[],
    );
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert!(text(&check.stdout).ends_with("the configuration is valid\n"));
}

#[test]
fn the_private_key_and_the_data_directory_are_private() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("srv");
    let out = ros(tmp.path(), &["init", dir.to_str().expect("utf-8")], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.join("keys/auth.key")), 0o600);
    assert_eq!(mode(&dir.join("data")), 0o700);
    let public = std::fs::read_to_string(dir.join("keys/auth.pub")).expect("read");
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
    let private = std::fs::read_to_string(dir.join("keys/auth.key")).expect("read");
    assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
    let config = std::fs::read_to_string(dir.join("configuration.yml")).expect("read");
    assert!(config.contains("root_path: data\n"));
    assert!(config.contains("listen_address: \"::\"\n"));
}

#[test]
fn a_second_init_refuses_and_force_replaces_the_keys_but_keeps_the_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    assert_eq!(ros(dir, &["init"], &[]).status.code(), Some(0));
    let key = std::fs::read(dir.join("keys/auth.key")).expect("read");
    std::fs::write(dir.join("data/keep"), "data").expect("write");

    let again = ros(dir, &["init"], &[]);
    assert_eq!(again.status.code(), Some(1));
    let err = text(&again.stderr);
    assert!(err.contains("configuration.yml already exists"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(dir.join("keys/auth.key")).expect("read"), key);

    std::fs::set_permissions(
        dir.join("keys/auth.key"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let forced = ros(dir, &["init", "--force"], &[]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    assert_ne!(std::fs::read(dir.join("keys/auth.key")).expect("read"), key);
    assert_eq!(mode(&dir.join("keys/auth.key")), 0o600);
    assert_eq!(
        std::fs::read_to_string(dir.join("data/keep")).expect("kept"),
        "data"
    );
    let check = ros(
        dir,
        &["check-configuration", "configuration.yml"],
        &ANY_PORT,
    );
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn a_single_existing_key_is_enough_to_refuse() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(tmp.path().join("keys")).expect("mkdir");
    std::fs::write(tmp.path().join("keys/auth.pub"), "mine").expect("write");
    let out = ros(tmp.path(), &["init"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("keys/auth.pub already exists"));
    assert!(!tmp.path().join("configuration.yml").exists());
}

#[test]
fn the_development_layout_listens_on_loopback_and_is_reused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join(ros::init::DEVELOPMENT_DIR);
    let config = ros::init::development(&dir).expect("development");
    assert_eq!(config, dir.join("configuration.yml"));
    let text_of = std::fs::read_to_string(&config).expect("read");
    assert_eq!(text_of.matches("listen_address: \"127.0.0.1\"").count(), 2);
    assert!(!text_of.contains("listen_address: \"::\""));
    assert!(
        text_of.contains(&format!("- id: {}", ros::init::DEVELOPMENT_APP_ID)),
        "the development server has its app"
    );
    let key = std::fs::read(dir.join("keys/auth.key")).expect("read");
    assert_eq!(ros::init::development(&dir).expect("again"), config);
    assert_eq!(std::fs::read(dir.join("keys/auth.key")).expect("read"), key);
    let check = ros(
        tmp.path(),
        &["check-configuration", "ros-data/configuration.yml"],
        &ANY_PORT,
    );
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}
