//! Stored strings on an operator's terminal. Usernames, Realm paths and metadata
//! come from clients, and a terminal obeys the control characters in what it
//! prints: `ESC ] 0 ;` retitles the window, `ESC [` recolours it, a newline forges
//! a table row. Everything the CLI prints for people passes through [`escape`]
//! (and table cells also through [`cell`]); JSON output is exact and never goes
//! through here (docs/cli-json.md).

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The most characters a table cell shows; longer ones end in `…`. A Realm path
/// or a username this long is already unreadable in a table, and the JSON output
/// holds it whole.
pub const MAX_CELL_CHARS: usize = 100;

/// Characters shown escaped: controls (C0, DEL, C1), invisible format
/// characters that reorder or hide text (bidirectional overrides, zero-width
/// characters, the BOM) and the line and paragraph separators. `keep` lets plain
/// text keep its own line structure.
fn unsafe_char(c: char, keep: &[char]) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) && !keep.contains(&c)
}

fn escape_keeping<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| unsafe_char(c, keep)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c, keep) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every control and format character written as Rust's `\u{…}`
/// escape (`ESC` becomes `\u{1b}`), except newlines and tabs, which plain-text
/// output uses for its own layout.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_keeping(text, &['\n', '\t'])
}

/// One table cell: every control and format character escaped (a newline too,
/// so a cell cannot forge a row), and at most [`MAX_CELL_CHARS`] characters,
/// the last of them `…` when it was longer.
pub fn cell(text: &str) -> String {
    let escaped = escape_keeping(text, &[]);
    if escaped.chars().count() <= MAX_CELL_CHARS {
        return escaped.into_owned();
    }
    let mut out: String = escaped.chars().take(MAX_CELL_CHARS - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_format_characters_are_escaped() {
        assert_eq!(escape("\u{1b}]0;owned\u{7}"), "\\u{1b}]0;owned\\u{7}");
        assert_eq!(escape("a\u{7f}b\u{9b}c"), "a\\u{7f}b\\u{9b}c");
        assert_eq!(escape("rtl\u{202e}gnp.exe"), "rtl\\u{202e}gnp.exe");
        assert_eq!(escape("soft\u{ad}hyphen"), "soft\\u{ad}hyphen");
        assert_eq!(escape("two\nlines\tkept"), "two\nlines\tkept");
        assert!(matches!(escape("plain Åsa"), Cow::Borrowed("plain Åsa")));
    }

    #[test]
    fn cells_escape_newlines_and_end_long_text_in_an_ellipsis() {
        assert_eq!(cell("a\nb"), "a\\u{a}b");
        assert_eq!(cell("\u{1b}[31m"), "\\u{1b}[31m");
        let long = "é".repeat(90_000);
        let shown = cell(&long);
        assert_eq!(shown.chars().count(), MAX_CELL_CHARS);
        assert!(shown.ends_with('…'));
        let exact = "x".repeat(MAX_CELL_CHARS);
        assert_eq!(cell(&exact), exact);
    }
}
