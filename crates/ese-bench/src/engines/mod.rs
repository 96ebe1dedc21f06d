//! Each engine behind the suites' traits. The peers are compiled only
//! with the `peers` feature.

use std::path::Path;

use crate::interface::{KvEngine, TableEngine};
use crate::{BenchResult, EngineKind};

pub mod ese;
#[cfg(feature = "peers")]
pub mod lmdb;
#[cfg(feature = "peers")]
pub mod redb;
#[cfg(feature = "peers")]
pub mod sqlite;

/// Opens `kind` on a new store in `dir` for the key-value suite.
pub fn open_kv(kind: EngineKind, dir: &Path, cache_bytes: usize) -> BenchResult<Box<dyn KvEngine>> {
    match kind {
        EngineKind::Ese => Ok(Box::new(ese::EseKv::create(dir, cache_bytes)?)),
        #[cfg(feature = "peers")]
        EngineKind::Sqlite => Ok(Box::new(sqlite::SqliteKv::create(dir, cache_bytes)?)),
        #[cfg(feature = "peers")]
        EngineKind::Lmdb => Ok(Box::new(lmdb::LmdbKv::create(dir)?)),
        #[cfg(feature = "peers")]
        EngineKind::Redb => Ok(Box::new(redb::RedbKv::create(dir, cache_bytes)?)),
        #[cfg(not(feature = "peers"))]
        _ => Err(format!("{} needs the `peers` feature", kind.name()).into()),
    }
}

/// Opens `kind` on a new database in `dir` for the table suite (this
/// engine and SQLite only).
pub fn open_tables(
    kind: EngineKind,
    dir: &Path,
    cache_bytes: usize,
) -> BenchResult<Box<dyn TableEngine>> {
    match kind {
        EngineKind::Ese => Ok(Box::new(ese::EseTables::create(dir, cache_bytes)?)),
        #[cfg(feature = "peers")]
        EngineKind::Sqlite => Ok(Box::new(sqlite::SqliteTables::create(dir, cache_bytes)?)),
        _ => Err(format!("{} has no tables", kind.name()).into()),
    }
}

/// Bytes of every file under `dir`.
pub fn directory_size(dir: &Path) -> BenchResult<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let metadata = entry.metadata()?;
        total += if metadata.is_dir() {
            directory_size(&entry.path())?
        } else {
            metadata.len()
        };
    }
    Ok(total)
}
