//! One file per subcommand: its clap definition and a thin `exec` over library
//! operations, returning `Result<(), CliError>`. A command never imports another:
//! what they share is in `crate::shared` (tests/cli_layout.rs checks this).

pub mod backup;
pub mod changeset;
pub mod check_configuration;
pub mod generate_assets;
pub mod init;
pub mod permission;
pub mod probe;
pub mod probe_bench;
pub mod realm;
pub mod restore;
pub mod serve;
pub mod start;
pub mod token;
pub mod user;
