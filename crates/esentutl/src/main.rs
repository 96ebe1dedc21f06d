//! `esentutl`: the operator's view of ESE databases.
//!
//! Mirrors the Windows tool of the same name where it makes sense:
//! `info` is `esentutl /mh` (dump the database header) and `check` is
//! `esentutl /k` (verify every page's checksum).
//!
//! Exit status: 0 when the command succeeded (and, for `check`, the file is
//! clean), 1 when `check` found damage, 2 when the file could not be read at
//! all (the JET error is printed).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod info;

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
    /// Verify the checksum and layout of every page (like `esentutl /k`).
    Check {
        /// The database file (.edb).
        file: PathBuf,
        /// List every damaged page even when there are many.
        #[arg(long)]
        all: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Info { file } => info::run(&file).map(|()| ExitCode::SUCCESS),
        Command::Check { file, all } => check::run(&file, all),
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
