//! `ros changeset decode [FILE|-]`: print a changeset's instructions, for an
//! operator debugging what a client uploaded.

use std::io::Read as _;
use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use clap::{Args, Subcommand};

use crate::error::{CliError, CliResult};
use crate::output;
use crate::shared::flags::FormatFlag;

#[derive(Debug, Args)]
pub struct ChangesetArgs {
    #[command(subcommand)]
    pub command: ChangesetCommand,
}

#[derive(Debug, Subcommand)]
pub enum ChangesetCommand {
    /// Decode a changeset (binary or hex, detected) and print its instructions
    /// (the JSON shape is documented in docs/changeset-json.md).
    Decode(DecodeArgs),
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// File holding the changeset; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatFlag,
}

pub fn exec(args: ChangesetArgs) -> CliResult {
    match args.command {
        ChangesetCommand::Decode(args) => decode(args),
    }
}

fn decode(args: DecodeArgs) -> CliResult {
    let (name, input) = read_input(args.file.as_ref()).map_err(CliError::usage)?;
    let bytes = ros::changeset::bytes_from_hex_or_binary(&input);
    let changeset =
        ros::changeset::decode(&bytes).map_err(|e| CliError::failed(anyhow!("{name}: {e}")))?;
    output::changeset(args.format.format, &changeset);
    Ok(())
}

fn read_input(file: Option<&PathBuf>) -> anyhow::Result<(String, Vec<u8>)> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok((path.display().to_string(), bytes))
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            Ok(("standard input".to_string(), bytes))
        }
    }
}
