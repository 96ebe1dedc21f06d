//! redb: one table of byte keys and values.
//!
//! Durability: redb's default, `Durability::Immediate`: a commit has
//! fsynced before it returns. Cache: `Builder::set_cache_size` with the
//! configured size.

use std::path::{Path, PathBuf};

use redb::{Database, ReadOnlyTable, ReadableDatabase, TableDefinition};

use crate::engines::directory_size;
use crate::interface::{KvEngine, KvReader};
use crate::BenchResult;

const TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("kv");

pub struct RedbKv {
    db: Database,
    dir: PathBuf,
}

impl RedbKv {
    pub fn create(dir: &Path, cache_bytes: usize) -> BenchResult<Self> {
        let db = Database::builder()
            .set_cache_size(cache_bytes)
            .create(dir.join("kv.redb"))?;
        let txn = db.begin_write()?;
        txn.open_table(TABLE)?;
        txn.commit()?;
        Ok(RedbKv {
            db,
            dir: dir.to_path_buf(),
        })
    }
}

impl KvEngine for RedbKv {
    fn write(&self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()> {
        let txn = self.db.begin_write()?;
        {
            let mut table = txn.open_table(TABLE)?;
            for (key, value) in pairs {
                table.insert(key, value)?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn remove(&self, keys: &[&[u8]]) -> BenchResult<usize> {
        let txn = self.db.begin_write()?;
        let mut removed = 0;
        {
            let mut table = txn.open_table(TABLE)?;
            for key in keys {
                removed += usize::from(table.remove(key)?.is_some());
            }
        }
        txn.commit()?;
        Ok(removed)
    }

    fn reader(&self) -> BenchResult<Box<dyn KvReader + '_>> {
        let txn = self.db.begin_read()?;
        Ok(Box::new(RedbReader {
            table: txn.open_table(TABLE)?,
        }))
    }

    fn file_size(&self) -> BenchResult<u64> {
        Ok(std::fs::metadata(self.dir.join("kv.redb"))?.len())
    }

    /// Its one file.
    fn files_size(&self) -> BenchResult<u64> {
        directory_size(&self.dir)
    }
}

struct RedbReader {
    table: ReadOnlyTable<&'static [u8], &'static [u8]>,
}

impl KvReader for RedbReader {
    fn get(&mut self, key: &[u8], out: &mut Vec<u8>) -> BenchResult<bool> {
        match self.table.get(key)? {
            Some(value) => {
                out.clear();
                out.extend_from_slice(value.value());
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn range(&mut self, from: &[u8], count: usize) -> BenchResult<(usize, usize)> {
        let (mut read, mut bytes) = (0, 0);
        for entry in self.table.range(from..)?.take(count) {
            let (_, value) = entry?;
            read += 1;
            bytes += value.value().len();
        }
        Ok((read, bytes))
    }
}
