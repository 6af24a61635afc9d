//! The clap definitions of every subcommand. Man pages and completions are generated
//! from [`Cli::command`], so this is the single source of the CLI's surface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Manage users, through a running server or offline with --root.
    User(commands::user::UserArgs),
    /// Who may read, write and manage which Realm; offers that share a Realm by token.
    Permission(commands::permission::PermissionArgs),
    /// The Realms the server knows, their owners and permissions.
    Realm(commands::realm::RealmArgs),
    /// Inspect changesets (the binary format clients upload).
    Changeset(commands::changeset::ChangesetArgs),
    /// Write the man pages and shell completions generated from this CLI.
    #[command(hide = true)]
    GenerateAssets(commands::generate_assets::GenerateArgs),
}

/// Where the configuration comes from and what a service manager overrides. Shared
/// by `serve` and `check-configuration`.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Configuration file (else ROS_CONFIG, else ./configuration.yml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data root directory (storage.root_path).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// PEM public key that verifies tokens (auth.public_key_path).
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// PEM private key that signs tokens (auth.private_key_path).
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<PathBuf>,
    /// Address of the HTTP proxy listener (proxy.http.listen_address).
    #[arg(long, value_name = "ADDRESS")]
    pub listen: Option<String>,
    /// Port of the HTTP proxy listener (proxy.http.listen_port; 0 = any free port).
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,
    /// Log level: all, trace, debug, detail, info, warn, error, fatal, off.
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

impl ConfigArgs {
    pub fn overrides(&self) -> ros::config::Overrides {
        ros::config::Overrides {
            root: self.root.clone(),
            public_key: self.public_key.clone(),
            private_key: self.private_key.clone(),
            listen: self.listen.clone(),
            port: self.port.clone(),
            log_level: self.log_level.clone(),
        }
    }
}

/// The process environment as the library takes it; variables that are not
/// Unicode cannot be configuration and are left out.
pub fn environment() -> ros::config::Environment {
    ros::config::Environment::new(
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
    )
}
