//! `ros init [DIR]`.

use std::path::PathBuf;

use clap::Args;
use ros::init::{init, InitOptions};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create (default: the current directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite an existing configuration and key pair.
    #[arg(long)]
    pub force: bool,
}

pub fn exec(args: InitArgs) -> i32 {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let options = InitOptions {
        dir: dir.clone(),
        force: args.force,
        loopback_only: false,
    };
    match init(&options) {
        Ok(done) => {
            println!("Created {}", done.config_file.display());
            println!(
                "Created {} (private, mode 0600)",
                done.private_key.display()
            );
            println!("Created {}", done.public_key.display());
            println!("Created {} (mode 0700)", done.data_dir.display());
            println!();
            println!("Start the server with:");
            println!(
                "  ros serve --config {}",
                shell_quote(&done.config_file.display().to_string())
            );
            crate::exit::OK
        }
        Err(e) => {
            eprintln!("ros init: {e}");
            crate::exit::FAILED
        }
    }
}

/// Quotes `word` for a POSIX shell when it holds anything but plain path characters.
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
