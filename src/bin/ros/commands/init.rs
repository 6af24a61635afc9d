//! `ros init [DIR]`.

use std::path::PathBuf;

use clap::Args;
use ros::init::{init, InitOptions};

use crate::error::CliResult;
use crate::output;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create (default: the current directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite an existing configuration and key pair.
    #[arg(long)]
    pub force: bool,
}

pub fn exec(args: InitArgs) -> CliResult {
    let options = InitOptions {
        dir: args.dir.unwrap_or_else(|| PathBuf::from(".")),
        force: args.force,
        loopback_only: false,
        app_id: None,
    };
    output::init_done(&init(&options)?);
    Ok(())
}
