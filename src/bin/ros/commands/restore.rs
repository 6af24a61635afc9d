//! `ros restore BACKUP ROOT`: put a verified backup in place of a data root,
//! atomically, while no server holds it (docs/backup.md, "Restore").

use std::path::PathBuf;
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use ros::backup::{BackupError, RestoreOptions};

use crate::error::{CliError, CliResult};
use crate::output::{self, Format};
use crate::shared::confirm::confirm;
use crate::shared::flags;

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup directory (made by `ros backup`).
    pub backup: PathBuf,
    /// The data root (storage.root_path) to replace or create.
    pub root: PathBuf,
    /// Replace ROOT without asking (needed without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn failed(e: BackupError) -> CliError {
    match &e {
        BackupError::Locked(_) => CliError::failed(e).hint(
            "stop the server first (systemctl stop ros, or SIGTERM to the pid); a restore \
             never replaces a root that a server is using",
        ),
        _ if e.is_usage() => CliError::usage(e),
        _ => CliError::failed(e),
    }
}

pub fn exec(args: RestoreArgs) -> CliResult {
    ros::backup::check_not_served(&args.root).map_err(failed)?;
    let progress = output::progress(args.format, "verifying");
    let verified = ros::backup::verify(&args.backup, progress.as_ref());
    drop(progress);
    let verified = verified.map_err(|e| {
        CliError::failed(e).hint("the backup is refused as a whole: nothing was restored")
    })?;
    let question = output::restore_question(&args.root, &verified.manifest);
    let what = format!("replace {}", args.root.display());
    if !confirm(&what, &question, args.yes)? {
        return Err(CliError::failed(anyhow!("nothing restored")));
    }
    let started = Instant::now();
    let options = RestoreOptions {
        pause_after_file: flags::test_pause(),
    };
    let progress = output::progress(args.format, "restoring");
    let restored = ros::backup::restore(&args.backup, &args.root, &options, progress.as_ref())
        .map_err(failed)?;
    drop(progress);
    output::restored(args.format, &restored, started.elapsed());
    Ok(())
}
