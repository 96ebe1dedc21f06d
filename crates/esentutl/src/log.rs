//! `esentutl recover`, `dump-log` and `dump-checkpoint`: soft recovery of
//! an instance's files (like `esentutl /r`), and the contents of a log
//! file or a checkpoint file (like `/ml` and `/mk`).

use std::path::Path;

use ese::api::{Instance, InstanceOptions};
use ese::log::format::{display, LogSignature};
use ese::log::{Checkpoint, LogRecord, PageChange};
use ese::Result;

use crate::say;

/// Recovers the instance whose checkpoint and logs are in `dir`: replays
/// what the databases lack, rolls back what never committed, leaves every
/// database in clean shutdown.
pub fn recover(dir: &Path, base: &str, modern_names: bool) -> Result<()> {
    let mut options = InstanceOptions::new(dir);
    options.log.base_name = base.to_string();
    options.log.legacy_file_names = !modern_names;
    let names = options.log_names()?;
    if !names.current().exists() && !names.checkpoint().exists() {
        say!(
            "No log files named {} in {}: nothing to recover.",
            base,
            dir.display()
        );
        return Ok(());
    }
    let started = std::time::Instant::now();
    let instance = Instance::new(options)?;
    let report = instance.recovery_report().unwrap_or_default();
    instance.term()?;
    say!(
        "Recovery replayed {} unit(s), rolled back {} transaction(s) in {:.3} s.",
        report.units_redone,
        report.transactions_rolled_back,
        started.elapsed().as_secs_f64()
    );
    for database in &report.databases {
        say!("  {}: clean shutdown", database.display());
    }
    say!("Operation completed successfully.");
    Ok(())
}

fn signature(signature: &LogSignature) -> String {
    let computer: String = signature
        .computer
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| b as char)
        .collect();
    format!(
        "Create time:{:02x?} Rand:{} Computer:{}",
        signature.created, signature.random, computer
    )
}

/// The header and every record of a log file.
pub fn dump_log(path: &Path, verbose: bool) -> Result<()> {
    // Read as a file that may end torn: a full generation that lacks its
    // closing block shows as not closed.
    let contents = ese::log::read_log_file(path, None, None, true)?;
    let header = &contents.header;
    say!("      Log file: {}", path.display());
    say!(
        "      lGeneration: {} (0x{:X})",
        header.generation,
        header.generation
    );
    say!("      Signature: {}", signature(&header.signature));
    say!("      File size: {} bytes", header.file_size);
    say!(
        "      Closed: {}",
        if contents.closed {
            "yes"
        } else {
            "no (being written, or torn)"
        }
    );
    say!("      Records: {}", contents.records.len());
    for at in &contents.records {
        let text = match &at.record {
            LogRecord::Start { unix_seconds } => format!("Start (unix time {unix_seconds})"),
            LogRecord::Attach { database, path } => {
                format!("Attach database {database}: {}", path.display())
            }
            LogRecord::Detach { database } => format!("Detach database {database}"),
            LogRecord::Commit { transaction } => format!("Commit transaction {transaction:x}"),
            LogRecord::Rollback { transaction } => {
                format!("Rollback transaction {transaction:x}")
            }
            LogRecord::Schema {
                transaction,
                database,
                after_nodes,
                change,
            } => format!(
                "DDL of transaction {transaction:x} on database {database} after {after_nodes} node change(s): {}",
                String::from_utf8_lossy(change)
            ),
            LogRecord::SchemaUndone {
                transaction,
                remaining,
            } => format!("DDL of transaction {transaction:x} undone down to {remaining} step(s)"),
            LogRecord::SchemaFinished { transaction } => {
                format!("Deletions put off by transaction {transaction:x} done")
            }
            LogRecord::BackupStart {
                checkpoint,
                databases,
            } => format!(
                "Backup start: restore redoes from {} with {}",
                display(*checkpoint),
                databases
                    .iter()
                    .map(|(n, p)| format!("{n}={}", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            LogRecord::BackupLogsEnd { generation } => {
                format!("Backup log list ends with generation {generation:X}")
            }
            LogRecord::Unit(unit) => {
                let images = unit
                    .pages
                    .iter()
                    .filter(|p| matches!(p, PageChange::Image { .. }))
                    .count();
                let mut text = format!(
                    "Unit database {} dbtime {} transaction {:x}: {} page(s) ({} whole), {} node change(s)",
                    unit.database,
                    unit.db_time,
                    unit.transaction,
                    unit.pages.len(),
                    images,
                    unit.nodes.len()
                );
                if let Some(n) = unit.undo_to {
                    text.push_str(&format!(", undo to {n}"));
                }
                if unit.continued {
                    text.push_str(", continued");
                }
                if verbose {
                    let pages: Vec<String> =
                        unit.pages.iter().map(|p| p.page().to_string()).collect();
                    text.push_str(&format!(" pages [{}]", pages.join(" ")));
                }
                text
            }
        };
        say!("  {} {}", display(at.start), text);
    }
    say!("Operation completed successfully.");
    Ok(())
}

/// The contents of a checkpoint file.
pub fn dump_checkpoint(path: &Path) -> Result<()> {
    let checkpoint = Checkpoint::read(path)?.ok_or_else(|| {
        ese::Error::new(ese::codes::JET_errCheckpointFileNotFound).with_file(path)
    })?;
    say!("      Checkpoint file: {}", path.display());
    say!("      Signature: {}", signature(&checkpoint.signature));
    say!("      Checkpoint: ({})", display(checkpoint.position));
    say!("      Attached databases: {}", checkpoint.databases.len());
    for (number, database) in &checkpoint.databases {
        say!("        {number}: {}", database.display());
    }
    say!("Operation completed successfully.");
    Ok(())
}
