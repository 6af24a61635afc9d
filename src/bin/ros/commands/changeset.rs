//! `ros changeset decode [FILE|-]`: print a changeset's instructions, for an
//! operator debugging what a client uploaded.

use std::io::Read as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct ChangesetArgs {
    #[command(subcommand)]
    pub command: ChangesetCommand,
}

#[derive(Debug, Subcommand)]
pub enum ChangesetCommand {
    /// Decode a changeset (binary or hex, detected) and print its instructions.
    Decode(DecodeArgs),
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// File holding the changeset; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Output format (the JSON shape is documented in docs/changeset-json.md).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

pub fn exec(args: ChangesetArgs) -> i32 {
    match args.command {
        ChangesetCommand::Decode(args) => decode(args),
    }
}

fn decode(args: DecodeArgs) -> i32 {
    let (name, input) = match read_input(args.file.as_ref()) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("ros changeset decode: {e:#}");
            return crate::exit::USAGE;
        }
    };
    let bytes = ros::changeset::bytes_from_hex_or_binary(&input);
    match ros::changeset::decode(&bytes) {
        Ok(changeset) => {
            if args.format == "json" {
                println!("{:#}", ros::changeset::render::to_json(&changeset));
            } else {
                print!("{}", ros::changeset::render::to_text(&changeset));
            }
            crate::exit::OK
        }
        Err(e) => {
            eprintln!("ros changeset decode: {name}: {e}");
            crate::exit::FAILED
        }
    }
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
