//! `ros check-configuration` end to end: the real binary on configurations written
//! into temporary directories, with keys and certificates made here. Each case
//! asserts the exit code and every finding (severity, code, message, line and
//! column, or the variable or flag) through the JSON output; a few cases check
//! the text rendering with its caret.

#[path = "check_configuration/cases.rs"]
mod cases;
#[path = "check_configuration/cases_files.rs"]
mod cases_files;
#[path = "check_configuration/cases_more.rs"]
mod cases_more;
#[path = "check_configuration/cases_sync.rs"]
mod cases_sync;
#[path = "check_configuration/fixtures.rs"]
mod fixtures;

use std::net::TcpListener;
use std::path::Path;

use cases::{At, Case};
use fixtures::{free_port, run, CaseDir};
use serde_json::Value;

fn unprivileged_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024)
}

struct Vars {
    dir: String,
    free: u16,
    busy: u16,
    start: u16,
}

impl Vars {
    fn fill(&self, text: &str) -> String {
        text.replace("{dir}", &self.dir)
            .replace("{free}", &self.free.to_string())
            .replace("{busy}", &self.busy.to_string())
            .replace("{start}", &self.start.to_string())
            .replace("{below}", &(self.start - 1).to_string())
    }
}

fn source(at: At, vars: &Vars) -> Value {
    let file = format!("{}/configuration.yml", vars.dir);
    match at {
        At::Spot(line, column) => {
            serde_json::json!({"kind": "file", "path": file, "line": line, "column": column})
        }
        At::File => serde_json::json!({"kind": "file", "path": file, "line": null, "column": null}),
        At::Env(variable) => serde_json::json!({"kind": "env", "variable": variable}),
        At::Flag(flag) => serde_json::json!({"kind": "flag", "flag": flag}),
    }
}

/// Runs one case; returns what differs from the expectation.
fn check(case: &Case, busy: &TcpListener) -> Vec<String> {
    let dir = CaseDir::new();
    let vars = Vars {
        dir: dir.path.display().to_string(),
        free: free_port(),
        busy: busy.local_addr().expect("addr").port(),
        start: unprivileged_start(),
    };
    fixtures::write(
        &dir.path.join("configuration.yml"),
        &vars.fill(&case.yaml),
        0o644,
    );
    if case.nobody {
        dir.give_to_nobody();
    }
    (case.prepare)(&dir);
    let mut args = vec![
        "check-configuration".to_string(),
        "--format".into(),
        "json".into(),
        "configuration.yml".into(),
    ];
    args.extend(case.args.iter().map(|a| a.to_string()));
    let env: Vec<(String, String)> = case
        .env
        .iter()
        .map(|(k, v)| (k.to_string(), vars.fill(v)))
        .collect();
    let output = run(&dir.path, &args, &env, case.nobody);
    let mut problems = Vec::new();
    if output.status.code() != Some(case.exit) {
        problems.push(format!(
            "exit {:?}, expected {}; stderr: {}",
            output.status.code(),
            case.exit,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: Value = match serde_json::from_slice(&output.stdout) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!("stdout is not JSON ({e})"));
            return problems;
        }
    };
    if report["valid"] != Value::Bool(case.exit == 0) {
        problems.push(format!("valid is {}", report["valid"]));
    }
    let empty = Vec::new();
    let found = report["findings"].as_array().unwrap_or(&empty);
    if found.len() != case.findings.len() {
        problems.push(format!(
            "{} findings, expected {}: {:#}",
            found.len(),
            case.findings.len(),
            report["findings"]
        ));
    }
    for (got, want) in found.iter().zip(&case.findings) {
        let mut expected = serde_json::json!({
            "severity": want.severity,
            "code": want.code,
            "message": vars.fill(want.message),
            "source": source(want.at, &vars),
            "hint": got["hint"],
        });
        if let Some(hint) = want.hint {
            expected["hint"] = Value::String(vars.fill(hint));
        }
        if got != &expected {
            problems.push(format!("got {got:#}\nexpected {expected:#}"));
        }
    }
    problems
}

#[test]
fn every_case_of_the_table() {
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let cases = cases::all();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        assert!(names.insert(case.name), "two cases named {}", case.name);
        for problem in check(case, &busy) {
            failures.push(format!("[{}] {problem}", case.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

fn text_of(dir: &CaseDir, yaml: &str, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    fixtures::write(&dir.path.join("configuration.yml"), yaml, 0o644);
    let mut all = vec![
        "check-configuration".to_string(),
        "configuration.yml".into(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let output = run(&dir.path, &all, &env, false);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn text_output_shows_the_line_and_a_caret_under_the_value() {
    let dir = CaseDir::new();
    let yaml = format!(
        "{}{}proxy:\n  http:\n    listen_port: 70000\n",
        cases::HEAD,
        cases::NET
    );
    let (code, text) = text_of(&dir, &yaml, &["--port", "0"], &[]);
    let file = format!("{}/configuration.yml", dir.path.display());
    let expected = [
        format!(
            "{file}:13:18: error: `proxy.http.listen_port` is 70000, outside the port range \
             0-65535"
        ),
        " 13 |     listen_port: 70000".to_string(),
        "    |                  ^".to_string(),
        "  = hint: 0 lets the system pick any free port".to_string(),
        String::new(),
        format!("{file}: the configuration is not valid (1 error)"),
        String::new(),
    ]
    .join("\n");
    assert_eq!(text, expected);
    assert_eq!(code, 1);
}

#[test]
fn text_output_names_the_variable_or_the_flag() {
    let dir = CaseDir::new();
    let yaml = cases::base();
    let (code, text) = text_of(
        &dir,
        &yaml,
        &["--port", "abc"],
        &[("ROS_LOGGING__LEVEL", "loud")],
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "environment ROS_LOGGING__LEVEL: error: `logging.level`: `loud` is not a log level"
    );
    assert_eq!(
        lines[1],
        "  = hint: use one of all, trace, debug, detail, info, warn, error, fatal, off"
    );
    assert_eq!(
        lines[3],
        "flag --port: error: `proxy.http.listen_port` must be a port number (0-65535), found `abc`"
    );
    assert_eq!(code, 1);
}

#[test]
fn text_output_of_a_valid_file_with_a_warning() {
    let dir = CaseDir::new();
    let (code, text) = text_of(&dir, &cases::base(), &[], &[("ROS_LOGGING__LEVL", "x")]);
    let file = format!("{}/configuration.yml", dir.path.display());
    assert_eq!(
        text.lines().last(),
        Some(format!("{file}: the configuration is valid (1 warning)").as_str())
    );
    assert_eq!(code, 0);
}

fn usage(cwd: &Path, args: &[&str], env: &[(&str, &str)], nobody: bool) -> (i32, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let output = run(cwd, &args, &env, nobody);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn usage_errors_exit_2() {
    let dir = CaseDir::new();
    let (code, err) = usage(
        &dir.path,
        &["check-configuration", "missing.yml"],
        &[],
        false,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("missing.yml given by --config does not exist"),
        "{err}"
    );

    let (code, err) = usage(&dir.path, &["check-configuration"], &[], false);
    assert_eq!(code, 2);
    assert!(err.contains("no configuration file"), "{err}");

    let (code, err) = usage(
        &dir.path,
        &["check-configuration"],
        &[("ROS_CONFIG", "gone.yml")],
        false,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("gone.yml given by ROS_CONFIG does not exist"),
        "{err}"
    );

    fixtures::write(&dir.path.join("secret.yml"), &cases::base(), 0o600);
    dir.give_to_nobody();
    cases::take_back(&dir.path.join("secret.yml"));
    let (code, err) = usage(&dir.path, &["check-configuration", "secret.yml"], &[], true);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the configuration file"), "{err}");
}

#[test]
fn the_file_is_found_through_config_env_and_the_original_flag() {
    let dir = CaseDir::new();
    fixtures::write(&dir.path.join("other.yml"), &cases::base(), 0o644);
    let env_only = usage(
        &dir.path,
        &["check-configuration"],
        &[("ROS_CONFIG", "other.yml")],
        false,
    );
    assert_eq!(env_only.0, 0, "{}", env_only.1);
    let flag = usage(
        &dir.path,
        &["check-configuration", "--config", "other.yml"],
        &[],
        false,
    );
    assert_eq!(flag.0, 0, "{}", flag.1);
    let original = usage(
        &dir.path,
        &["--check-configuration", "other.yml"],
        &[],
        false,
    );
    assert_eq!(original.0, 0, "{}", original.1);
    let both = usage(
        &dir.path,
        &["check-configuration", "a.yml", "--config", "b.yml"],
        &[],
        false,
    );
    assert_eq!(both.0, 2);
}
