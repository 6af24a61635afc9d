//! `ros backup SOURCE TARGET` (online backup, `--follow` for a continuous one)
//! and `ros backup verify TARGET` (docs/backup.md).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use clap::{Args, Subcommand};
use ros::backup::{BackupError, BackupOptions, FollowOptions, Source};

use crate::error::{CliError, CliResult};
use crate::output::{self, Format};
use crate::shared::config::{load, Reporting, Request, Source as ConfigSource, WhenNone};
use crate::shared::flags;
use crate::shared::sync_target::duration;

// `ros backup SOURCE TARGET`, or `ros backup verify TARGET`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub verb: Option<Verb>,
    /// The data root (storage.root_path) or a configuration file naming it.
    #[arg(required = true)]
    pub source: Option<PathBuf>,
    /// A new or empty directory for the backup.
    #[arg(required = true)]
    pub target: Option<PathBuf>,
    /// Also back up the admin token file and, when SOURCE is a configuration
    /// file, its key pair. The backup then holds secrets: keep it as safe as the keys.
    #[arg(long)]
    pub include_keys: bool,
    /// After the backup, keep TARGET current as changesets commit, until stopped.
    #[arg(long)]
    pub follow: bool,
    /// How often --follow looks for new changesets.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = duration, requires = "follow")]
    pub interval: Duration,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Verb {
    /// Re-read every file of a backup against its manifest and check every database.
    Verify {
        /// The backup directory.
        target: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

fn classify(e: BackupError) -> CliError {
    if e.is_usage() {
        CliError::usage(e)
    } else {
        CliError::failed(e)
    }
}

/// SOURCE as a data root, or the data root and key pair of a configuration file.
fn source(path: PathBuf) -> Result<Source, CliError> {
    if !path.is_file() {
        return Ok(Source {
            root: path,
            keypair: None,
        });
    }
    let config = load(Request {
        source: ConfigSource::Locate {
            flag: Some(&path),
            when_none: WhenNone::Refuse,
        },
        env: flags::environment(),
        overrides: Default::default(),
        probe_ports: false,
        reporting: Reporting::Quiet,
    })?
    .config;
    Ok(Source {
        root: config.storage.root_path,
        keypair: Some((config.auth.private_key_path, config.auth.public_key_path)),
    })
}

pub fn exec(args: BackupArgs) -> CliResult {
    if let Some(Verb::Verify { target, format }) = args.verb {
        let progress = output::progress(format, "verifying");
        return match ros::backup::verify(&target, progress.as_ref()) {
            Ok(verified) => {
                drop(progress);
                output::verified(format, &target, &verified);
                Ok(())
            }
            Err(e) => {
                drop(progress);
                output::verify_failed(format, &target, &e);
                Err(CliError::failed(e))
            }
        };
    }
    let (Some(source_path), Some(target)) = (args.source, args.target) else {
        return Err(CliError::usage(anyhow!("give SOURCE and TARGET")));
    };
    let source = source(source_path)?;
    if args.include_keys && source.keypair.is_none() {
        output::note(
            "backup",
            "SOURCE is a data root: --include-keys copies the admin token file; give the \
             configuration file to include the key pair too",
        );
    }
    let options = BackupOptions {
        include_keys: args.include_keys,
        pause_after_file: flags::test_pause(),
        memory_copy_cap: flags::test_memory_cap(),
    };
    let resume = args.follow && target.join(ros::backup::MANIFEST_FILE).is_file();
    if resume {
        output::note("backup", "TARGET holds a backup: following on from it");
    } else {
        let started = Instant::now();
        let progress = output::progress(args.format, "backing up");
        let manifest =
            ros::backup::backup(&source, &target, &options, progress.as_ref()).map_err(classify)?;
        drop(progress);
        output::backed_up(args.format, &target, &manifest, started.elapsed());
    }
    if !args.follow {
        return Ok(());
    }
    let follow = FollowOptions {
        interval: args.interval,
        pause_after_file: options.pause_after_file,
    };
    ros::backup::follow(&source, &target, &follow, &mut |round| {
        output::follow_round(args.format, round)
    })
    .map_err(classify)
}
