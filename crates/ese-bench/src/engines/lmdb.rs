//! LMDB through heed: one unnamed database of byte keys and values.
//!
//! Durability: LMDB's default flags (no NO_SYNC, no NO_META_SYNC), so
//! every commit has fsynced its pages and its meta page before it returns.
//! LMDB has no cache of its own: it reads through a memory map, so the
//! operating system's page cache plays that part. The map size only
//! bounds the file (64 GiB here).

use std::ops::Bound;
use std::path::{Path, PathBuf};

use heed::types::Bytes;
use heed::{CommitOrAbort, Database, Env, EnvOpenOptions, RoTxn, WithoutTls};

use crate::engines::directory_size;
use crate::interface::{KvEngine, KvReader};
use crate::BenchResult;

pub struct LmdbKv {
    // heed ties a database handle to a borrow of its environment; the
    // environment lives as long as the process (one per run of the suite).
    env: &'static Env<WithoutTls>,
    db: Database<'static, Bytes, Bytes>,
    dir: PathBuf,
}

impl LmdbKv {
    // Opening an environment is unsafe in heed because the same file must
    // not be opened twice in one process; this directory is new and
    // opened once.
    #[allow(unsafe_code)]
    pub fn create(dir: &Path) -> BenchResult<Self> {
        let env = unsafe {
            EnvOpenOptions::new()
                .read_txn_without_tls()
                .map_size(64 << 30)
                .max_dbs(1)
                .max_readers(126)
                .open(dir)?
        };
        let env: &'static Env<WithoutTls> = Box::leak(Box::new(env));
        let wtxn = env.write_txn()?;
        let db = env
            .create_databases_and_commit(wtxn, |opener, wtxn| {
                opener
                    .create_database::<Bytes, Bytes>(wtxn, None)
                    .map(CommitOrAbort::<_, ()>::Commit)
            })?
            .unwrap_commit();
        Ok(LmdbKv {
            env,
            db,
            dir: dir.to_path_buf(),
        })
    }
}

impl KvEngine for LmdbKv {
    fn write(&self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()> {
        let mut wtxn = self.env.write_txn()?;
        for (key, value) in pairs {
            self.db.put(&mut wtxn, key, value)?;
        }
        wtxn.commit()?;
        Ok(())
    }

    fn remove(&self, keys: &[&[u8]]) -> BenchResult<usize> {
        let mut wtxn = self.env.write_txn()?;
        let mut removed = 0;
        for key in keys {
            removed += usize::from(self.db.delete(&mut wtxn, key)?);
        }
        wtxn.commit()?;
        Ok(removed)
    }

    fn reader(&self) -> BenchResult<Box<dyn KvReader + '_>> {
        Ok(Box::new(LmdbReader {
            txn: self.env.read_txn()?,
            db: self.db,
        }))
    }

    fn file_size(&self) -> BenchResult<u64> {
        Ok(std::fs::metadata(self.dir.join("data.mdb"))?.len())
    }

    /// The data file and the lock file.
    fn files_size(&self) -> BenchResult<u64> {
        directory_size(&self.dir)
    }
}

struct LmdbReader {
    txn: RoTxn<'static, WithoutTls>,
    db: Database<'static, Bytes, Bytes>,
}

impl KvReader for LmdbReader {
    fn get(&mut self, key: &[u8], out: &mut Vec<u8>) -> BenchResult<bool> {
        match self.db.get(&self.txn, key)? {
            Some(value) => {
                out.clear();
                out.extend_from_slice(value);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn range(&mut self, from: &[u8], count: usize) -> BenchResult<(usize, usize)> {
        let bounds: (Bound<&[u8]>, Bound<&[u8]>) = (Bound::Included(from), Bound::Unbounded);
        let (mut read, mut bytes) = (0, 0);
        for entry in self.db.range(&self.txn, &bounds)?.take(count) {
            let (_, value) = entry?;
            read += 1;
            bytes += value.len();
        }
        Ok((read, bytes))
    }
}
