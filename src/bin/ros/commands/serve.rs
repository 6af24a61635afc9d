//! `ros serve`: check the configuration exactly as `check-configuration` does, then
//! run the server until SIGINT or SIGTERM.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use ros::config::{
    finding_text, load, locate, Config, Environment, LoadOptions, Location, Overrides, Probe,
    Severity,
};
use ros::server::{shutdown_on_signal, Server};

use crate::args::ConfigArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

pub fn exec(args: ServeArgs) -> i32 {
    match prepare(&args.config) {
        Ok((config, development)) => serve(config, development),
        Err(Refused::Usage(e)) => {
            eprintln!("ros serve: {e:#}");
            crate::exit::USAGE
        }
        Err(Refused::Invalid) => crate::exit::USAGE,
    }
}

pub(crate) enum Refused {
    Usage(anyhow::Error),
    /// The findings were printed already.
    Invalid,
}

impl<E: Into<anyhow::Error>> From<E> for Refused {
    fn from(e: E) -> Refused {
        Refused::Usage(e.into())
    }
}

/// Finds and checks the configuration; with none anywhere, sets up the development
/// server in `./ros-data`. Returns the configuration and, for the development
/// server, its directory.
fn prepare(args: &ConfigArgs) -> Result<(Config, Option<PathBuf>), Refused> {
    let env = crate::args::environment();
    let cwd = std::env::current_dir().context("cannot determine the current directory")?;
    let (file, development) = match locate(args.config.as_deref(), &env, &cwd)? {
        Location::File(file) => (file, None),
        Location::Development => {
            let dir = cwd.join(ros::init::DEVELOPMENT_DIR);
            let file = ros::init::development(&dir)?;
            (file, Some(dir))
        }
    };
    let config = load_checked(Some(file), env, args.overrides(), cwd)?;
    Ok((config, development))
}

/// Loads and checks the configuration as `check-configuration` does, printing the
/// findings; refuses when any is an error.
pub(crate) fn load_checked(
    file: Option<PathBuf>,
    env: Environment,
    overrides: Overrides,
    cwd: PathBuf,
) -> Result<Config, Refused> {
    // The listeners are bound for real right after: probing them first would only
    // race with that, and a taken port gets its own clear error from the bind.
    let report = load(&LoadOptions {
        file,
        env,
        overrides,
        cwd,
        probe: Probe { ports: false },
    })?;
    let mut text = String::new();
    for finding in report.findings() {
        finding_text(&report, finding, &mut text);
    }
    eprint!("{text}");
    let errors = report
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    match report.into_config() {
        Some(config) => Ok(config),
        None => {
            eprintln!("ros serve: the configuration has errors ({errors}); not starting. `ros check-configuration` shows the same findings");
            Err(Refused::Invalid)
        }
    }
}

pub(crate) fn serve(config: Config, development: Option<PathBuf>) -> i32 {
    let log = match ros::logging::init(&config.logging) {
        Ok(log) => log,
        Err(e) => {
            eprintln!("ros serve: {e}");
            return crate::exit::USAGE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ros serve: cannot start the async runtime: {e}");
            return crate::exit::FAILED;
        }
    };
    runtime.block_on(async move {
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            "Realm Object Server is starting"
        );
        let shutdown = match shutdown_on_signal(log) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("ros serve: cannot install signal handlers: {e}");
                return crate::exit::FAILED;
            }
        };
        let root = config.storage.root_path.clone();
        let setup = ros::auth::AuthSetup {
            default_password: std::env::var(ros::admin::DEFAULT_PASSWORD_ENV).ok(),
        };
        let server = match Server::bind(config, setup).await {
            Ok(server) => server,
            Err(e) => {
                tracing::error!(target: ros::logging::FATAL, "{e}");
                eprintln!("ros serve: {e}");
                return crate::exit::FAILED;
            }
        };
        if let Some(dir) = development {
            print_development(&dir, &root, server.addresses());
        }
        server.run(shutdown).await;
        crate::exit::OK
    })
}

/// Tells a newcomer where the development server keeps everything and how to reach it.
fn print_development(dir: &Path, root: &Path, at: &ros::http::BoundAddresses) {
    println!(
        "ros development server (no configuration file found, so using {})",
        dir.display()
    );
    println!(
        "  configuration  {}",
        dir.join(ros::init::CONFIG_FILE).display()
    );
    println!("  keys           {}", dir.join("keys").display());
    println!("  data           {}", root.display());
    if let Some(proxy) = at.proxy_http {
        println!("  proxy          http://{proxy}  (Realm clients and HTTP)");
    }
    println!("  sync           ws://{}", at.sync);
    println!("  http           http://{}/health", at.http);
    println!("Stop it with Ctrl-C. For a real deployment: `ros init DIR` and `ros serve --config DIR/configuration.yml`.");
}
