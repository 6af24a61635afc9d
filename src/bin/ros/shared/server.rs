//! Run a checked configuration's server until SIGINT or SIGTERM (`serve`, `start`).

use std::path::PathBuf;

use anyhow::anyhow;
use ros::config::Config;
use ros::server::{shutdown_on_signal, Server};

use crate::error::{CliError, CliResult};
use crate::output;

/// Runs the server; `development` is the development server's directory, shown
/// to a newcomer once the listeners are bound. The server's own log lines go
/// through `tracing`, not through the output module.
pub fn run(config: Config, development: Option<PathBuf>) -> CliResult {
    let log = ros::logging::init(&config.logging).map_err(CliError::usage)?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| CliError::failed(anyhow!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            "Realm Object Server is starting"
        );
        let shutdown = shutdown_on_signal(log)
            .map_err(|e| CliError::failed(anyhow!("cannot install signal handlers: {e}")))?;
        let root = config.storage.root_path.clone();
        let setup = ros::auth::AuthSetup {
            default_password: std::env::var(ros::admin::DEFAULT_PASSWORD_ENV).ok(),
        };
        let server = match Server::bind(config, setup).await {
            Ok(server) => server,
            Err(e) => {
                tracing::error!(target: ros::logging::FATAL, "{e}");
                return Err(CliError::failed(e));
            }
        };
        if let Some(dir) = development {
            output::development_server(&dir, &root, server.addresses());
        }
        server.run(shutdown).await;
        Ok(())
    })
}
