//! `ros generate-assets`: man pages and completions from the clap definitions, so the
//! committed `man/` and `completions/` never drift (a test regenerates and compares).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::args::Cli;
use crate::error::CliResult;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory that receives `man/` and `completions/`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
}

pub fn exec(args: GenerateArgs) -> CliResult {
    let out = &args.out;
    let man = out.join("man");
    let completions = out.join("completions");
    for dir in [&man, &completions] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut cmd = Cli::command();
    cmd.build();
    write_man(&cmd, "ros", &man)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut cmd = Cli::command();
        clap_complete::generate_to(shell, &mut cmd, "ros", &completions)
            .with_context(|| format!("writing {shell} completions"))?;
    }
    Ok(())
}

/// One page per visible command and subcommand: `ros.1`, `ros-serve.1`, ...
fn write_man(cmd: &clap::Command, name: &str, dir: &Path) -> anyhow::Result<()> {
    let page = cmd.clone().name(name.to_string());
    let mut bytes = Vec::new();
    clap_mangen::Man::new(page).render(&mut bytes)?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write_man(sub, &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(())
}
