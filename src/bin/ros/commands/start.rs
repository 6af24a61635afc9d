//! `ros start`: the original 3.x flags, mapped onto `ros serve`.

use clap::Args;

#[derive(Debug, Args)]
pub struct StartArgs {}

pub fn exec(args: StartArgs) -> i32 {
    let _ = args;
    crate::exit::FAILED
}
