//! `ros check-configuration [FILE]`.

use std::path::PathBuf;

use clap::Args;

use crate::args::ConfigArgs;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check (else --config, ROS_CONFIG, ./configuration.yml).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

impl CheckArgs {
    pub fn for_file(file: PathBuf) -> CheckArgs {
        CheckArgs {
            file: Some(file),
            config: ConfigArgs::default(),
            format: "text".to_string(),
        }
    }
}

pub fn exec(args: CheckArgs) -> i32 {
    let _ = args;
    eprintln!("ros check-configuration: not built yet");
    crate::exit::FAILED
}
