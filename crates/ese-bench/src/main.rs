//! `ese-bench`: runs the workloads on the chosen engines and writes the
//! table. With the peers:
//!
//! ```sh
//! cargo run --release -p ese-bench --features peers -- --output bench.md
//! ```

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use ese_bench::{machine, Config, EngineKind};

#[derive(Parser, Debug)]
#[command(about = "This engine side by side with SQLite, LMDB and redb")]
struct Args {
    /// Records of the key-value workloads and of the orders table.
    #[arg(long, default_value_t = 1_000_000)]
    records: usize,
    /// Engines to run, comma-separated: ese, sqlite, lmdb, redb (the peers
    /// need the `peers` feature).
    #[arg(long, value_delimiter = ',', default_value = "ese,sqlite,lmdb,redb")]
    engines: Vec<String>,
    /// Suites to run, comma-separated: kv, tables, transactions, backup,
    /// c-abi.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "kv,tables,transactions,backup,c-abi"
    )]
    suites: Vec<String>,
    /// Size of the backup suite's database, in MiB.
    #[arg(long, default_value_t = 1024)]
    backup_mib: usize,
    /// Where the engines' files go while they run.
    #[arg(long, default_value = "target/ese-bench")]
    dir: PathBuf,
    /// Cache given to each engine that has one, in MiB.
    #[arg(long, default_value_t = 1024)]
    cache_mib: usize,
    /// Individually committed inserts of the key-value suite.
    #[arg(long, default_value_t = 1_000)]
    individual_writes: usize,
    /// Batches of the key-value suite, and inserts per batch.
    #[arg(long, default_value_t = 100)]
    batches: usize,
    #[arg(long, default_value_t = 1_000)]
    batch_size: usize,
    /// Seed of the generated keys and values.
    #[arg(long, default_value_t = 0x5eed_e5e0)]
    seed: u64,
    /// Also write the report (Markdown) to this file.
    #[arg(long)]
    output: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let mut engines = Vec::new();
    for name in &args.engines {
        let Some(kind) = EngineKind::parse(name.trim()) else {
            eprintln!("unknown engine {name:?} (ese, sqlite, lmdb, redb)");
            std::process::exit(2);
        };
        engines.push(kind);
    }
    for suite in &args.suites {
        if !["kv", "tables", "transactions", "backup", "c-abi"].contains(&suite.as_str()) {
            eprintln!("unknown suite {suite:?} (kv, tables, transactions, backup, c-abi)");
            std::process::exit(2);
        }
    }
    let config = Config {
        records: args.records,
        engines,
        dir: args.dir.clone(),
        cache_bytes: args.cache_mib << 20,
        reader_threads: vec![2, 4],
        writer_threads: vec![4],
        seed: args.seed,
        individual_writes: args.individual_writes,
        batches: args.batches,
        batch_size: args.batch_size,
        kv: args.suites.iter().any(|s| s == "kv"),
        tables: args.suites.iter().any(|s| s == "tables"),
        transactions: args.suites.iter().any(|s| s == "transactions"),
        backup: args.suites.iter().any(|s| s == "backup"),
        c_abi: args.suites.iter().any(|s| s == "c-abi"),
        backup_mib: args.backup_mib,
    };
    let command: Vec<String> = std::env::args().collect();
    let mut progress = |line: &str| {
        eprintln!("{line}");
    };
    let report = match ese_bench::run(&config, &mut progress) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("ese-bench: {e}");
            std::process::exit(1);
        }
    };
    let mut text = String::new();
    text.push_str(&format!("Command: `{}`\n\n", command.join(" ")));
    text.push_str(&format!(
        "Records: {}, seed {:#x}, cache {} MiB per engine.\n\n",
        config.records, config.seed, args.cache_mib
    ));
    for line in machine::describe(&config.dir) {
        text.push_str(&format!("- {line}\n"));
    }
    text.push_str(&report.to_markdown());
    print!("{text}");
    if let Some(path) = &args.output {
        let written = std::fs::File::create(path).and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            eprintln!("ese-bench: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}
