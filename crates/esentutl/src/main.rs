//! `esentutl`: the operator's view of ESE databases.
//!
//! Mirrors the Windows tool of the same name where it makes sense:
//! `info` is `esentutl /mh` (dump the database header) and `check` is
//! `esentutl /k` (verify every page's checksum). `demo` builds a small
//! database through the ISAM API, queries it and runs them on it, for a
//! first look without a database at hand.
//!
//! Exit status: 0 when the command succeeded (and, for `check`, the file is
//! clean), 1 when `check` found damage, 2 when the file could not be read at
//! all (the JET error is printed), 141 (128 + SIGPIPE, as a Unix tool
//! killed by that signal) when the reader of standard output went away
//! (`esentutl check FILE | head`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod backup;
mod check;
mod create;
mod demo;
mod export;
mod info;
mod log;
mod schema;

#[derive(Parser)]
#[command(
    name = "esentutl",
    version,
    about = "Inspect and check Extensible Storage Engine (ESE) database files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the database header (like Windows' `esentutl /mh`).
    Info {
        /// The database file (.edb).
        file: PathBuf,
    },
    /// List the tables with their columns and indexes.
    Schema {
        /// The database file (.edb).
        file: PathBuf,
    },
    /// Export tables as JSON lines (default) or CSV.
    Export {
        /// The database file (.edb).
        file: PathBuf,
        /// Only this table (default: every table, system tables included).
        #[arg(long)]
        table: Option<String>,
        #[arg(long, value_enum, default_value_t = export::Format::Jsonl)]
        format: export::Format,
        /// Output file for jsonl (default: standard output); output
        /// directory for csv, one NAME.csv per table (default: .).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Create a new, empty database (cleanly shut down; no log yet).
    Create {
        /// The database file to create; it must not exist.
        file: PathBuf,
        /// Page size in bytes: 4096, 8192, 16384 or 32768.
        #[arg(long, default_value_t = 8192)]
        page_size: usize,
    },
    /// Build a demo library database through the ISAM API (tables,
    /// indexes, long values), query it, then show and check it.
    Demo {
        /// Directory for demo.edb (default: a new directory under the
        /// system's temporary directory); an existing demo.edb is replaced.
        dir: Option<PathBuf>,
        /// Page size in bytes: 4096, 8192, 16384 or 32768.
        #[arg(long, default_value_t = 8192)]
        page_size: usize,
    },
    /// Soft recovery of an instance's files (like `esentutl /r`): replays
    /// the log into the databases, rolls back what never committed, and
    /// leaves every database in clean shutdown.
    Recover {
        /// The directory with the checkpoint and log files (default: .).
        dir: Option<PathBuf>,
        /// The log's base name (JET_paramBaseName).
        #[arg(long, default_value = "edb")]
        base: String,
        /// Modern file names (.jtx / .jcp) instead of .log / .chk.
        #[arg(long)]
        modern_names: bool,
    },
    /// Show a transaction log file's header and records (like `/ml`).
    DumpLog {
        /// The log file (edb.log, edb0000A.log, ...).
        file: PathBuf,
        /// List the pages each unit changed.
        #[arg(long)]
        verbose: bool,
    },
    /// Show a checkpoint file (like `/mk`).
    DumpCheckpoint {
        /// The checkpoint file (edb.chk).
        file: PathBuf,
    },
    /// Back up an instance's databases and logs into a directory
    /// (JetBackupInstance): full by default, or the log generations since
    /// the last backup with --incremental. The instance is recovered first.
    Backup {
        /// The instance's system directory (checkpoint and logs).
        system: PathBuf,
        /// A database of the instance (repeat for several).
        #[arg(long = "database", required = true)]
        databases: Vec<PathBuf>,
        /// The backup directory (empty for a full backup; the full
        /// backup's for an incremental one).
        #[arg(long)]
        to: PathBuf,
        #[arg(long)]
        incremental: bool,
        /// The log's base name (JET_paramBaseName).
        #[arg(long, default_value = "edb")]
        base: String,
    },
    /// Restore a backup directory (JetRestoreInstance): databases back to
    /// where they came from (or into --to), logs replayed, clean shutdown.
    Restore {
        /// The backup directory.
        backup: PathBuf,
        /// The system directory of the restored instance.
        #[arg(long)]
        system: PathBuf,
        /// Restore the databases into this directory instead.
        #[arg(long)]
        to: Option<PathBuf>,
        /// The log's base name (JET_paramBaseName).
        #[arg(long, default_value = "edb")]
        base: String,
    },
    /// Verify the checksum and layout of every page (like `esentutl /k`).
    Check {
        /// The database file (.edb).
        file: PathBuf,
        /// List every damaged page even when there are many.
        #[arg(long)]
        all: bool,
    },
}

/// `println!` that survives a closed standard output: `println!` panics on
/// a write error, and a reader that stops early (`| head`) is no fault.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use say;

/// Writes to standard output; a broken pipe ends the program quietly with
/// status 141, any other write error with the JET error and status 2.
pub fn write_stdout(text: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        let error = ese::io::jet_error_from_io(&error).with_operation("writing standard output");
        eprintln!("esentutl: {error}");
        std::process::exit(2);
    }
}

/// Standard output as a `Write` sink for bulk output (`export`): a broken
/// pipe ends the program quietly with status 141, as `say!` does; other
/// errors are returned to the caller.
pub struct StdoutSink;

impl std::io::Write for StdoutSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        quiet_on_broken_pipe(std::io::stdout().lock().write(bytes))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_broken_pipe(std::io::stdout().lock().flush())
    }
}

fn quiet_on_broken_pipe<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    match result {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(141),
        other => other,
    }
}

/// Opens a database read-only, telling the user on standard error about
/// anything the open accepted but they should know (dirty shutdown, a
/// damaged header copy).
pub fn open_database(path: &std::path::Path) -> ese::Result<ese::database_file::DatabaseFile> {
    let database = ese::database_file::DatabaseFile::open(path)?;
    for warning in database.warnings() {
        eprintln!("WARNING: {warning}");
    }
    Ok(database)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Info { file } => info::run(&file).map(|()| ExitCode::SUCCESS),
        Command::Create { file, page_size } => {
            create::run(&file, page_size).map(|()| ExitCode::SUCCESS)
        }
        Command::Demo { dir, page_size } => demo::run(dir.as_deref(), page_size),
        Command::Check { file, all } => check::run(&file, all),
        Command::Recover {
            dir,
            base,
            modern_names,
        } => log::recover(
            dir.as_deref().unwrap_or(std::path::Path::new(".")),
            &base,
            modern_names,
        )
        .map(|()| ExitCode::SUCCESS),
        Command::DumpLog { file, verbose } => {
            log::dump_log(&file, verbose).map(|()| ExitCode::SUCCESS)
        }
        Command::DumpCheckpoint { file } => log::dump_checkpoint(&file).map(|()| ExitCode::SUCCESS),
        Command::Schema { file } => schema::run(&file).map(|()| ExitCode::SUCCESS),
        Command::Backup {
            system,
            databases,
            to,
            incremental,
            base,
        } => {
            backup::backup(&system, &base, &databases, &to, incremental).map(|()| ExitCode::SUCCESS)
        }
        Command::Restore {
            backup,
            system,
            to,
            base,
        } => backup::restore(&backup, &system, &base, to.as_deref()).map(|()| ExitCode::SUCCESS),
        Command::Export {
            file,
            table,
            format,
            output,
        } => export::run(&file, table.as_deref(), format, output.as_deref())
            .map(|()| ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("esentutl: {error}");
            eprintln!(
                "Operation terminated with error {} ({}).",
                error.code(),
                error.name()
            );
            ExitCode::from(2)
        }
    }
}
