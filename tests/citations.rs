//! Code comments cite only this repository's documents (`docs/…`) and
//! realm-core's public source files, never a document kept outside the
//! repository, and every `docs/<name>.md` they name exists.

use std::fs;
use std::path::{Path, PathBuf};

/// Names of documents that live outside the repository.
const OUTSIDE: &[&str] = &[
    concat!("sync-", "protocol.md"),
    concat!("merge-", "rules.md"),
    concat!("changeset-", "format.md"),
    concat!("ros-", "behaviour.md"),
    concat!("app-services-", "api.md"),
    concat!("/", "design.md"),
    concat!("spec", "/"),
    concat!("..", "/shared"),
];

/// Directories walked, relative to the package root.
const WALKED: &[&str] = &["src", "tests", "benches", "fuzz/fuzz_targets"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` and `.md` file under `dir`, in a stable order.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("rs" | "md")) {
            out.push(path);
        }
    }
}

/// Whether a line names the outside design page on its own (the slashed form is
/// in [`OUTSIDE`]); a longer name that merely ends the same way does not count.
fn names_outside_design(line: &str) -> bool {
    let name = concat!("design", ".md");
    line.match_indices(name).any(|(at, _)| {
        !line[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'))
    })
}

/// The `docs/<name>.md` paths a line names.
fn docs_cited(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("docs/") {
        let after = &rest[at + "docs/".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if let Some(stem) = name
            .strip_suffix(".md")
            .filter(|s| !s.is_empty() && !s.contains('.'))
        {
            found.push(format!("docs/{stem}.md"));
        }
        rest = after;
    }
    found
}

#[test]
fn comments_cite_only_documents_in_this_repository() {
    let root = root();
    let mut all = Vec::new();
    for dir in WALKED {
        files(&root.join(dir), &mut all);
    }
    assert!(!all.is_empty(), "no source files found under {root:?}");

    let mut problems = Vec::new();
    for path in &all {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        let is_rust = path.extension().is_some_and(|e| e == "rs");
        for (i, line) in text.lines().enumerate() {
            let comment = line.trim_start().starts_with("//");
            if is_rust && comment {
                for name in OUTSIDE {
                    if line.contains(name) {
                        problems.push(format!("{rel}:{}: cites {name:?}: {}", i + 1, line.trim()));
                    }
                }
                if names_outside_design(line) {
                    problems.push(format!(
                        "{rel}:{}: cites the outside design page: {}",
                        i + 1,
                        line.trim()
                    ));
                }
            }
            if comment || !is_rust {
                for doc in docs_cited(line) {
                    if !root.join(&doc).is_file() {
                        problems.push(format!("{rel}:{}: cites missing {doc}", i + 1));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "bad citations:\n{}",
        problems.join("\n")
    );
}
