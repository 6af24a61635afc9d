//! Defect 3 of issue 17: stored strings reach the operator's terminal escaped.
//! A username written straight into the admin store (as an older server, or
//! another tool, could have stored it) holds an OSC title sequence, a colour
//! sequence, a forged row and 90 KB of text; `ros user list` shows it escaped
//! and short in a table, exact in JSON.

use crate::support;

use std::process::Output;

use support::{init_site, ok_json, ros, run, run_ok_with_line};

fn list(root: &str, format: &[&str]) -> Output {
    run(ros().args(["user", "list", "--root", root]).args(format))
}

#[test]
fn a_username_with_escape_sequences_prints_escaped_in_tables_and_exact_in_json() {
    let (_tmp, site) = init_site();
    let root = site.join("data");
    let root_arg = root.to_str().unwrap();
    run_ok_with_line(
        ros().args([
            "user",
            "add",
            "victim",
            "--password-stdin",
            "--root",
            root_arg,
        ]),
        "pw",
    );

    let evil = format!(
        "\u{1b}]0;owned\u{7}\u{1b}[31mred\nforged | row{}",
        "x".repeat(90_000)
    );
    let db = rusqlite::Connection::open(root.join("admin.sqlite3")).unwrap();
    let changed = db
        .execute(
            "UPDATE accounts SET provider_id = ?1 WHERE provider_id = 'victim'",
            [&evil],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);

    let table = list(root_arg, &[]);
    assert!(
        table.status.success(),
        "{}",
        String::from_utf8_lossy(&table.stderr)
    );
    let shown = String::from_utf8(table.stdout).unwrap();
    assert!(!shown.contains('\u{1b}'), "a raw ESC reached the terminal");
    assert!(!shown.contains('\u{7}'), "a raw BEL reached the terminal");
    assert!(
        shown.contains("\\u{1b}]0;owned\\u{7}\\u{1b}[31mred\\u{a}forged"),
        "{shown}"
    );
    assert!(shown.contains('…'), "{shown}");
    assert!(!shown
        .lines()
        .any(|l| l.contains("forged") && !l.contains("\\u{a}forged")));
    assert!(shown.len() < 4_000, "the table is {} bytes", shown.len());

    let json = ok_json(&list(root_arg, &["--format", "json"]));
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["accounts"][0]["provider_id"].as_str())
        .collect();
    assert_eq!(names, [evil.as_str()]);
}
