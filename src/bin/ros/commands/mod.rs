//! One file per subcommand, each with a thin `exec` over one library operation.

pub mod changeset;
pub mod check_configuration;
pub mod generate_assets;
pub mod init;
pub mod permission;
pub mod realm;
pub mod remote;
pub mod serve;
pub mod site;
pub mod start;
pub mod token;
pub mod user;

use crate::args::{Cli, Command};

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    if let Some(file) = cli.check_configuration {
        return check_configuration::exec(check_configuration::CheckArgs::for_file(file));
    }
    match cli.command {
        Some(Command::Serve(args)) => serve::exec(args),
        Some(Command::Start(args)) => start::exec(args),
        Some(Command::CheckConfiguration(args)) => check_configuration::exec(args),
        Some(Command::Init(args)) => init::exec(args),
        Some(Command::Changeset(args)) => changeset::exec(args),
        Some(Command::Token(args)) => token::exec(args),
        Some(Command::User(args)) => user::exec(args),
        Some(Command::Permission(args)) => permission::exec(args),
        Some(Command::Realm(args)) => realm::exec(args),
        Some(Command::GenerateAssets(args)) => generate_assets::exec(args),
        None => crate::exit::USAGE,
    }
}
