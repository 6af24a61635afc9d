//! The two ways a [`Report`] is shown: text for people, in the compiler style
//! (`FILE:LINE:COL: error: ...`, the line, a caret, a hint), and a JSON object for
//! scripts whose shape is documented in `docs/check-configuration.md`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::finding::{Finding, Severity, Source};
use super::Report;

pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    for finding in report.findings() {
        finding_text(report, finding, &mut out);
        out.push('\n');
    }
    let _ = writeln!(out, "{}: {}", report.file_label(), summary(report));
    out
}

/// One finding, without the report's summary line (for `ros serve`'s log).
pub fn finding_text(report: &Report, finding: &Finding, out: &mut String) {
    let severity = finding.severity.name();
    let _ = match &finding.source {
        Source::File {
            path,
            position: Some(p),
        } => writeln!(
            out,
            "{}:{}:{}: {severity}: {}",
            path.display(),
            p.line,
            p.column,
            finding.message
        ),
        Source::File {
            path,
            position: None,
        } => writeln!(out, "{}: {severity}: {}", path.display(), finding.message),
        Source::Env { variable } => {
            writeln!(
                out,
                "environment {variable}: {severity}: {}",
                finding.message
            )
        }
        Source::Flag { flag } => writeln!(out, "flag {flag}: {severity}: {}", finding.message),
    };
    if let Source::File {
        position: Some(p), ..
    } = &finding.source
    {
        if let Some(line) = report.line(p.line) {
            let gutter = p.line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret: String = line
                .chars()
                .take(p.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, " {gutter} | {line}");
            let _ = writeln!(out, " {pad} | {caret}^");
        }
    }
    if let Some(hint) = &finding.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
}

fn count(report: &Report, severity: Severity) -> usize {
    report
        .findings()
        .iter()
        .filter(|f| f.severity == severity)
        .count()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(report: &Report) -> String {
    let errors = count(report, Severity::Error);
    let warnings = count(report, Severity::Warning);
    let notes = count(report, Severity::Note);
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    match (report.is_valid(), parts.is_empty()) {
        (true, true) => "the configuration is valid".into(),
        (true, false) => format!("the configuration is valid ({})", parts.join(", ")),
        (false, _) => format!("the configuration is not valid ({})", parts.join(", ")),
    }
}

pub fn render_json(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .findings()
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity.name(),
                "code": f.code,
                "message": f.message,
                "source": source_json(&f.source),
                "hint": f.hint,
            })
        })
        .collect();
    json!({
        "file": report.file().map(|f| f.display().to_string()),
        "valid": report.is_valid(),
        "errors": count(report, Severity::Error),
        "warnings": count(report, Severity::Warning),
        "notes": count(report, Severity::Note),
        "findings": findings,
    })
}

fn source_json(source: &Source) -> Value {
    match source {
        Source::File { path, position } => json!({
            "kind": "file",
            "path": path.display().to_string(),
            "line": position.map(|p| p.line),
            "column": position.map(|p| p.column),
        }),
        Source::Env { variable } => json!({"kind": "env", "variable": variable}),
        Source::Flag { flag } => json!({"kind": "flag", "flag": flag}),
    }
}
