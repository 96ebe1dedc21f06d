//! `esentutl backup` and `esentutl restore`: JetBackupInstance and
//! JetRestoreInstance for an instance's files on disk, with a progress bar.
//!
//! `backup` starts an instance on the system directory (which recovers it,
//! as JetInit would), attaches the databases named, writes the backup and
//! shuts the instance down clean. `restore` puts a backup directory back
//! and recovers it into the system directory.

use std::path::Path;

use ese::api::grbit::*;
use ese::api::{Instance, InstanceOptions, Progress};
use ese::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::say;

fn options(system: &Path, base: &str) -> InstanceOptions {
    let mut options = InstanceOptions::new(system);
    options.log.base_name = base.to_string();
    options
}

/// A bar over bytes copied, drawn on standard error (hidden when that is
/// not a terminal).
fn bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

fn follow(bar: &ProgressBar) -> impl FnMut(Progress) + '_ {
    move |progress: Progress| {
        if progress.event == JET_sntProgress {
            bar.set_length(progress.total);
            bar.set_position(progress.done);
        }
    }
}

/// `esentutl backup SYSTEM_DIR --database FILE... --to DIR [--incremental]`.
pub fn backup(
    system: &Path,
    base: &str,
    databases: &[std::path::PathBuf],
    to: &Path,
    incremental: bool,
) -> Result<()> {
    let instance = Instance::new(options(system, base))?;
    let session = instance.begin_session()?;
    for database in databases {
        session.attach_database(database, 0)?;
    }
    let bar = bar(if incremental {
        "Incremental backup"
    } else {
        "Full backup"
    });
    let started = std::time::Instant::now();
    let grbit = if incremental {
        JET_bitBackupIncremental
    } else {
        0
    };
    let outcome = instance.backup(to, grbit, Some(&mut follow(&bar)));
    bar.finish_and_clear();
    outcome?;
    let bytes = bar.position();
    drop(session);
    instance.term()?;
    let seconds = started.elapsed().as_secs_f64();
    say!(
        "{} backup of {} database(s) into {}: {} bytes in {:.2} s ({:.1} MiB/s).",
        if incremental { "Incremental" } else { "Full" },
        databases.len(),
        to.display(),
        bytes,
        seconds,
        bytes as f64 / (1 << 20) as f64 / seconds.max(1e-9)
    );
    Ok(())
}

/// `esentutl restore BACKUP_DIR --system DIR [--to DIR]`.
pub fn restore(backup: &Path, system: &Path, base: &str, to: Option<&Path>) -> Result<()> {
    let bar = bar("Restore");
    let started = std::time::Instant::now();
    let outcome = Instance::restore(options(system, base), backup, to, Some(&mut follow(&bar)));
    bar.finish_and_clear();
    let report = outcome?;
    say!(
        "Restored log generations {:X} to {:X} in {:.2} s.",
        report.generation_low,
        report.generation_high,
        started.elapsed().as_secs_f64()
    );
    for (from, to) in &report.databases {
        say!("  {} -> {} (clean shutdown)", from.display(), to.display());
    }
    if let Some(recovery) = &report.recovery {
        say!("Recovery: {recovery:?}");
    }
    Ok(())
}
