//! The `ros` command line: parse arguments, call the command's `exec`, and here,
//! in one place, print its error (`ros <command>: <message>` and any hints) and
//! choose the exit code: 0 ok, 1 failed, 2 usage or configuration, 3 unreachable.
//! Clap's own usage errors keep clap's format and also exit 2.
//!
//! Layout: `args.rs` (the top-level clap definition), `commands/` (one file per
//! subcommand, none importing another), `shared/` (flags defined once, the
//! configuration sequence, the admin client, the server runner), `output.rs`
//! (everything shown), `error.rs` (the error type and exit codes).

mod args;
mod commands;
mod error;
mod output;
mod shared;

use clap::Parser;

use crate::args::{Cli, Command, ProbeCommand};
use crate::error::{CliError, CliResult, ExitCode};

fn main() {
    let cli = Cli::parse();
    let (name, result) = run(cli);
    let code = match result {
        Ok(()) => ExitCode::Ok,
        Err(e) => {
            output::error(name, &e);
            e.code
        }
    };
    std::process::exit(code.code());
}

/// Runs the parsed command line; returns the command's name and its result.
fn run(cli: Cli) -> (&'static str, CliResult) {
    use commands::*;
    if let Some(file) = cli.check_configuration {
        let args = check_configuration::CheckArgs::for_file(file);
        return ("check-configuration", check_configuration::exec(args));
    }
    let Some(command) = cli.command else {
        return (
            "",
            Err(CliError::usage(anyhow::anyhow!("no command given")).hint("see `ros --help`")),
        );
    };
    let name = command.name();
    let result = match command {
        Command::Serve(args) => serve::exec(args),
        Command::Start(args) => start::exec(args),
        Command::CheckConfiguration(args) => check_configuration::exec(args),
        Command::Init(args) => init::exec(args),
        Command::Changeset(args) => changeset::exec(args),
        Command::Backup(args) => backup::exec(args),
        Command::Restore(args) => restore::exec(args),
        Command::Probe(args) => match args.command {
            Some(ProbeCommand::Bench(bench)) => probe_bench::exec(*bench),
            None => probe::exec(args.probe),
        },
        Command::Token(args) => token::exec(args),
        Command::User(args) => user::exec(args),
        Command::Permission(args) => permission::exec(args),
        Command::Realm(args) => realm::exec(args),
        Command::GenerateAssets(args) => generate_assets::exec(args),
    };
    (name, result)
}
