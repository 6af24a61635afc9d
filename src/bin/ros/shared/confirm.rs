//! Asking before a command destroys something: `--yes` skips the question, a
//! terminal gets it (no by default), and anything else is refused, so a
//! script never deletes by accident and never hangs on a prompt.

use std::io::IsTerminal as _;

use anyhow::anyhow;

use crate::error::CliError;

/// Whether to go ahead with `what` (a short phrase: "remove user ann"),
/// asking `question` on a terminal unless `yes`.
pub fn confirm(what: &str, question: &str, yes: bool) -> Result<bool, CliError> {
    if yes {
        return Ok(true);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(CliError::usage(anyhow!(
            "refusing to {what} without confirmation, and there is no terminal to ask on"
        ))
        .hint("pass --yes to go ahead without asking"));
    }
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(CliError::failed)
}
