//! `ros generate-assets`: man pages and completions from the clap definitions.

use clap::Args;

#[derive(Debug, Args)]
pub struct GenerateArgs {}

pub fn exec(args: GenerateArgs) -> i32 {
    let _ = args;
    crate::exit::FAILED
}
