//! `ros check-configuration [FILE]`.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;

use crate::error::{CliError, CliResult};
use crate::shared::config::{self, Reporting, Request, Source, WhenNone};
use crate::shared::flags::{environment, ConfigArgs, FormatFlag};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check (else --config, ROS_CONFIG, ./configuration.yml).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub format: FormatFlag,
}

impl CheckArgs {
    pub fn for_file(file: PathBuf) -> CheckArgs {
        CheckArgs {
            file: Some(file),
            config: ConfigArgs::default(),
            format: FormatFlag::default(),
        }
    }
}

/// Prints the report; exits 1 when the configuration is not valid, 2 when there
/// is none to check.
pub fn exec(args: CheckArgs) -> CliResult {
    let flag = match (&args.file, &args.config.file.config) {
        (Some(_), Some(_)) => {
            return Err(CliError::usage(anyhow!(
                "give the file either as FILE or with --config, not both"
            )))
        }
        (file, config) => file.as_deref().or(config.as_deref()),
    };
    config::load(Request {
        source: Source::Locate {
            flag,
            when_none: WhenNone::Refuse,
        },
        env: environment(),
        overrides: args.config.overrides(),
        probe_ports: true,
        reporting: Reporting::Report(args.format.format),
    })?;
    Ok(())
}
