//! `ros serve`.

use clap::Args;

use crate::args::ConfigArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

pub fn exec(args: ServeArgs) -> i32 {
    let _ = args;
    crate::exit::FAILED
}
