//! The clap definitions of every subcommand. Man pages and completions are generated
//! from [`Cli::command`], so this is the single source of the CLI's surface.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands;

#[derive(Debug, Parser)]
#[command(
    name = "ros",
    version,
    about = "A self-hosted Realm Object Server: the sync server and its operations tools",
    args_conflicts_with_subcommands = true,
    subcommand_required = false,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Check FILE and exit (the original server's spelling of `ros check-configuration`).
    #[arg(long, value_name = "FILE")]
    pub check_configuration: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

// `ros probe [URL]`, or `ros probe bench [URL]`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ProbeCli {
    #[command(subcommand)]
    pub command: Option<ProbeCommand>,
    #[command(flatten)]
    pub probe: commands::probe::ProbeArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProbeCommand {
    /// Load a sync server: N sessions on R scratch Realms upload changesets and
    /// integrate each other's; report throughput and upload → download latency.
    Bench(Box<commands::probe_bench::BenchArgs>),
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (sync, http and proxy listeners) until SIGINT or SIGTERM.
    Serve(commands::serve::ServeArgs),
    /// Run the server with the original 3.x `ros start` flags.
    Start(commands::start::StartArgs),
    /// Check a configuration and report every problem found, with file, line and column.
    CheckConfiguration(commands::check_configuration::CheckArgs),
    /// Create a configuration file, a key pair and a data directory.
    Init(commands::init::InitArgs),
    /// Key pairs, the admin token, minted tokens and what a token says.
    Token(commands::token::TokenArgs),
    /// Manage users, through a running server or offline with --data-root.
    User(commands::user::UserArgs),
    /// Who may read, write and manage which Realm; offers that share a Realm by token.
    Permission(commands::permission::PermissionArgs),
    /// The Realms the server knows, their owners and permissions.
    Realm(commands::realm::RealmArgs),
    /// Probe a sync server as a client would, timing each step of a session.
    Probe(ProbeCli),
    /// Back up a data root while the server runs (or `backup verify` a backup).
    Backup(commands::backup::BackupArgs),
    /// Replace a data root with a verified backup (the server must be stopped).
    Restore(commands::restore::RestoreArgs),
    /// Inspect changesets (the binary format clients upload).
    Changeset(commands::changeset::ChangesetArgs),
    /// Write the man pages and shell completions generated from this CLI.
    #[command(hide = true)]
    GenerateAssets(commands::generate_assets::GenerateArgs),
}

impl Command {
    /// The name shown in `ros <command>: <message>`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Serve(_) => "serve",
            Command::Start(_) => "start",
            Command::CheckConfiguration(_) => "check-configuration",
            Command::Init(_) => "init",
            Command::Token(_) => "token",
            Command::User(_) => "user",
            Command::Permission(_) => "permission",
            Command::Realm(_) => "realm",
            Command::Probe(_) => "probe",
            Command::Changeset(_) => "changeset",
            Command::Backup(_) => "backup",
            Command::Restore(_) => "restore",
            Command::GenerateAssets(_) => "generate-assets",
        }
    }
}
