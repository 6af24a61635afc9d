//! `ros serve`: check the configuration exactly as `check-configuration` does, then
//! run the server until SIGINT or SIGTERM.

use clap::Args;

use crate::error::CliResult;
use crate::shared::config::{self, Reporting, Request, Source, WhenNone};
use crate::shared::flags::{environment, ConfigArgs};
use crate::shared::server;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Finds and checks the configuration (with none anywhere, sets up the
/// development server in `./ros-data`) and runs the server.
pub fn exec(args: ServeArgs) -> CliResult {
    // The listeners are bound for real right after: probing them first would only
    // race with that, and a taken port gets its own clear error from the bind.
    let loaded = config::load(Request {
        source: Source::Locate {
            flag: args.config.file.config.as_deref(),
            when_none: WhenNone::SetUpDevelopment,
        },
        env: environment(),
        overrides: args.config.overrides(),
        probe_ports: false,
        reporting: Reporting::Findings,
    })?;
    server::run(loaded.config, loaded.development)
}
