//! The `ros` command line: parse arguments, call one library operation, format its
//! result, choose the exit code. Every rule lives in the library.

mod args;
mod commands;
mod exit;
mod output;

use clap::Parser;

fn main() {
    let cli = args::Cli::parse();
    let code = commands::run(cli);
    std::process::exit(code);
}
