//! `ros init [DIR]`.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create (default: the current directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite an existing configuration and key pair.
    #[arg(long)]
    pub force: bool,
}

pub fn exec(args: InitArgs) -> i32 {
    let _ = args;
    eprintln!("ros init: not built yet");
    crate::exit::FAILED
}
