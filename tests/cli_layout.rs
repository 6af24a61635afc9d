//! The CLI's layout rules (issue 13): a file in `src/bin/ros/commands/` never
//! imports a sibling command (what commands share lives in `src/bin/ros/shared/`),
//! and never prints by itself (everything shown goes through `output.rs`).

use std::path::{Path, PathBuf};

fn commands_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/ros/commands")
}

/// Every command file (not `mod.rs`) with its module name and source.
fn command_files() -> Vec<(String, PathBuf, String)> {
    let mut files: Vec<_> = std::fs::read_dir(commands_dir())
        .expect("src/bin/ros/commands")
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            (name, p, text)
        })
        .collect();
    files.sort();
    files
}

/// The source without `//` comments, so that prose may name other commands.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sibling commands `text` (the source of command `own`) refers to.
fn sibling_imports(own: &str, text: &str, commands: &[String]) -> Vec<String> {
    let code: String = code_of(text).split_whitespace().collect();
    let mut found = Vec::new();
    if code.contains("crate::commands::") || code.contains("commands::{") {
        found.push("crate::commands".to_string());
    }
    for other in commands.iter().filter(|c| c.as_str() != own) {
        for pattern in [
            format!("super::{other}"),
            format!("super::{{{other}"),
            format!(",{other}::"),
            format!("super::{{self,{other}"),
        ] {
            if code.contains(&pattern) {
                found.push(pattern);
            }
        }
    }
    if code.contains("super::") {
        found.push("super::".to_string());
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_detector_finds_what_it_must() {
    let commands = vec!["serve".to_string(), "start".to_string()];
    assert!(!sibling_imports("start", "use super::serve::{self, Refused};", &commands).is_empty());
    assert!(!sibling_imports("start", "use super::{\n    serve,\n};", &commands).is_empty());
    assert!(!sibling_imports("start", "crate::commands::serve::exec(a)", &commands).is_empty());
    assert!(sibling_imports(
        "start",
        "use crate::shared::server;\n// see super::serve",
        &commands
    )
    .is_empty());
}

#[test]
fn no_command_imports_a_sibling_command() {
    let files = command_files();
    assert!(files.len() >= 5, "found the command files");
    let names: Vec<String> = files.iter().map(|(n, _, _)| n.clone()).collect();
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|(name, path, text)| {
            let found = sibling_imports(name, text, &names);
            (!found.is_empty()).then(|| format!("{}: {}", path.display(), found.join(", ")))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "commands import each other; move what they share to src/bin/ros/shared/:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn no_command_prints_by_itself() {
    let offenders: Vec<String> = command_files()
        .iter()
        .filter(|(_, _, text)| {
            let code = code_of(text);
            ["println!", "print!(", "writeln!", "write!("]
                .iter()
                .any(|p| code.contains(p))
        })
        .map(|(_, path, _)| path.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "commands print outside src/bin/ros/output.rs: {offenders:?}"
    );
}
