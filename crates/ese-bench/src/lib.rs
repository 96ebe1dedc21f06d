//! `ese-bench`: the same workloads on this engine and on its peers (SQLite
//! through rusqlite, LMDB through heed, redb), in one run, with each
//! figure's ratio to the fastest peer.
//!
//! Three suites:
//! - [`kv`]: the key-value workloads of redb's own comparison (24-byte
//!   random keys, 150-byte values), on all four engines;
//! - [`tables`]: the engine's own ground (a 10-column table with two
//!   secondary indexes, wide sparse rows, 1 MiB long values), against
//!   SQLite, the only peer with tables and secondary indexes;
//! - [`transactions`]: this engine alone, what its transactions cost
//!   (empty and one-update transactions, readers beside a writer);
//! - [`c_abi`]: this engine alone, point reads through libesent's C ABI
//!   against the same reads through the Rust API.
//!
//! Every write the workloads call durable has reached the disk before the
//! engine's call returns (see each engine's module for how it is
//! configured). Reads are checked as they go (every key found with its
//! value's length, every range of the expected length), so that a figure
//! cannot come from an engine that skipped the work.
//!
//! The peers are behind the `peers` feature so that the workspace's normal
//! build never compiles them; without it the harness runs this engine
//! alone (the smoke test does that).

pub mod backup;
pub mod c_abi;
pub mod data;
pub mod engines;
pub mod interface;
pub mod kv;
pub mod machine;
pub mod report;
pub mod tables;
pub mod transactions;

use std::path::PathBuf;

pub use report::{Figure, Report};

/// The error type of the harness: any engine's error, with context.
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;
pub type BenchResult<T> = std::result::Result<T, BenchError>;

/// Which engine a figure belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EngineKind {
    Ese,
    Sqlite,
    Lmdb,
    Redb,
}

impl EngineKind {
    pub const ALL: [EngineKind; 4] = [
        EngineKind::Ese,
        EngineKind::Sqlite,
        EngineKind::Lmdb,
        EngineKind::Redb,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Ese => "ese",
            EngineKind::Sqlite => "sqlite",
            EngineKind::Lmdb => "lmdb",
            EngineKind::Redb => "redb",
        }
    }

    pub fn parse(name: &str) -> Option<EngineKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether this build can run the engine (the peers need the `peers`
    /// feature).
    pub fn available(self) -> bool {
        self == EngineKind::Ese || cfg!(feature = "peers")
    }
}

/// What one run measures.
#[derive(Clone, Debug)]
pub struct Config {
    /// Records of the key-value workloads and of the 10-column table.
    pub records: usize,
    /// The engines to run, in order.
    pub engines: Vec<EngineKind>,
    /// Where the engines' files go (a directory per engine, removed after).
    pub dir: PathBuf,
    /// Cache given to every engine that has one, in bytes.
    pub cache_bytes: usize,
    /// Thread counts of the multi-threaded point reads (after one thread).
    pub reader_threads: Vec<usize>,
    /// Thread counts of the concurrent durable commits (the individual
    /// writes shared among that many threads, each with its own writer).
    pub writer_threads: Vec<usize>,
    /// Seed of the key and value generator (printed in the report).
    pub seed: u64,
    /// Commits of one insert each, and batches of `batch_size` inserts
    /// (1,000 and 100 × 1,000 as in redb's comparison).
    pub individual_writes: usize,
    pub batches: usize,
    pub batch_size: usize,
    /// Which suites to run.
    pub kv: bool,
    pub tables: bool,
    /// The transaction suite (this engine alone).
    pub transactions: bool,
    /// The backup suite (this engine alone), and its database's size.
    pub backup: bool,
    /// The C ABI suite (this engine alone).
    pub c_abi: bool,
    pub backup_mib: usize,
}

impl Config {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Config {
            records: 1_000_000,
            engines: EngineKind::ALL.to_vec(),
            dir: dir.into(),
            cache_bytes: 1 << 30,
            reader_threads: vec![2, 4],
            writer_threads: vec![4],
            seed: 0x5eed_e5e0,
            individual_writes: 1_000,
            batches: 100,
            batch_size: 1_000,
            kv: true,
            tables: true,
            transactions: true,
            backup: true,
            c_abi: true,
            backup_mib: 1024,
        }
    }
}

/// Runs every suite the configuration asks for and returns the figures.
pub fn run(config: &Config, progress: &mut dyn FnMut(&str)) -> BenchResult<Report> {
    for engine in &config.engines {
        if !engine.available() {
            return Err(format!(
                "engine {} needs the `peers` feature (cargo run -p ese-bench --features peers)",
                engine.name()
            )
            .into());
        }
    }
    std::fs::create_dir_all(&config.dir)?;
    let mut report = Report::new(config.engines.clone());
    if config.kv {
        kv::run(config, &mut report, progress)?;
    }
    if config.tables {
        tables::run(config, &mut report, progress)?;
    }
    if config.transactions {
        transactions::run(config, &mut report, progress)?;
    }
    if config.backup {
        backup::run(config, &mut report, progress)?;
    }
    if config.c_abi {
        c_abi::run(config, &mut report, progress)?;
    }
    Ok(report)
}

/// Fails with `message` unless `condition` holds: the harness checks what
/// the engines return.
pub(crate) fn check(condition: bool, message: impl FnOnce() -> String) -> BenchResult<()> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}
