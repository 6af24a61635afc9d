//! Reading a password: one line from standard input (`--password-stdin`), or
//! asked without echo on a terminal; never asked for without one, so cron and
//! CI never hang.

use std::io::{IsTerminal as _, Read as _};

use anyhow::{anyhow, Context as _};

use crate::error::CliError;

/// Whether a password typed on the terminal is asked twice (a new one) or once
/// (logging in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Once,
    Twice,
}

pub fn read(user: &str, from_stdin: bool, ask: Ask) -> Result<String, CliError> {
    if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the password from standard input")
            .map_err(CliError::usage)?;
        let line = text.strip_suffix('\n').unwrap_or(&text);
        return Ok(line.strip_suffix('\r').unwrap_or(line).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(anyhow!(
            "no terminal to ask for the password on; pipe it in with --password-stdin"
        )));
    }
    let mut prompt = dialoguer::Password::new().with_prompt(format!("Password for {user}"));
    if ask == Ask::Twice {
        prompt = prompt.with_confirmation("Repeat the password", "The passwords do not match");
    }
    prompt.interact().map_err(CliError::failed)
}
