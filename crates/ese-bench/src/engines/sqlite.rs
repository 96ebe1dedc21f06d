//! SQLite through rusqlite with the bundled library.
//!
//! Durability: `journal_mode=WAL` with `synchronous=FULL`, set on every
//! connection: a commit fsyncs the write-ahead log before it returns (in
//! WAL mode NORMAL would sync only at checkpoints). Cache: `cache_size`
//! set to the configured size on every connection (it is per
//! connection). Statements are prepared once and cached.
//!
//! Key-value store: `kv(key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID`,
//! so that, as in this engine's primary index, the rows live in the key's
//! B+tree. Readers use a connection each (WAL lets them read while the
//! writer writes).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use crate::engines::directory_size;
use crate::interface::{KvEngine, KvReader};
use crate::interface::{Order, TableEngine, WideRow, WIDE_COLUMNS};
use crate::BenchResult;

fn connect(path: &Path, cache_bytes: usize) -> BenchResult<Connection> {
    let connection = Connection::open(path)?;
    let mode: String = connection.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("SQLite refused WAL mode ({mode})").into());
    }
    connection.execute_batch(&format!(
        "PRAGMA synchronous=FULL; PRAGMA cache_size=-{};",
        cache_bytes / 1024
    ))?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(connection)
}

pub struct SqliteKv {
    path: PathBuf,
    dir: PathBuf,
    cache_bytes: usize,
    writer: Mutex<Connection>,
}

impl SqliteKv {
    pub fn create(dir: &Path, cache_bytes: usize) -> BenchResult<Self> {
        let path = dir.join("kv.sqlite");
        let writer = connect(&path, cache_bytes)?;
        writer.execute_batch(
            "CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
        )?;
        Ok(SqliteKv {
            path,
            dir: dir.to_path_buf(),
            cache_bytes,
            writer: Mutex::new(writer),
        })
    }
}

impl KvEngine for SqliteKv {
    fn write(&self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()> {
        let mut connection = self.writer.lock().map_err(|_| "writer poisoned")?;
        let txn = connection.transaction()?;
        {
            let mut insert = txn.prepare_cached("INSERT INTO kv (key, value) VALUES (?1, ?2)")?;
            for (key, value) in pairs {
                insert.execute(params![key, value])?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn remove(&self, keys: &[&[u8]]) -> BenchResult<usize> {
        let mut connection = self.writer.lock().map_err(|_| "writer poisoned")?;
        let txn = connection.transaction()?;
        let mut removed = 0;
        {
            let mut delete = txn.prepare_cached("DELETE FROM kv WHERE key = ?1")?;
            for key in keys {
                removed += delete.execute(params![key])?;
            }
        }
        txn.commit()?;
        Ok(removed)
    }

    fn reader(&self) -> BenchResult<Box<dyn KvReader + '_>> {
        Ok(Box::new(SqliteReader {
            connection: connect(&self.path, self.cache_bytes)?,
        }))
    }

    fn file_size(&self) -> BenchResult<u64> {
        Ok(std::fs::metadata(&self.path)?.len())
    }

    /// The database, its WAL and shared-memory index.
    fn files_size(&self) -> BenchResult<u64> {
        directory_size(&self.dir)
    }

    /// The WAL copied into the database and truncated.
    fn checkpoint(&self) -> BenchResult<()> {
        let writer = self.writer.lock().map_err(|_| "writer poisoned")?;
        writer.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }
}

struct SqliteReader {
    connection: Connection,
}

impl KvReader for SqliteReader {
    fn get(&mut self, key: &[u8], out: &mut Vec<u8>) -> BenchResult<bool> {
        let mut select = self
            .connection
            .prepare_cached("SELECT value FROM kv WHERE key = ?1")?;
        let mut rows = select.query(params![key])?;
        match rows.next()? {
            Some(row) => {
                out.clear();
                out.extend_from_slice(row.get_ref(0)?.as_blob()?);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn range(&mut self, from: &[u8], count: usize) -> BenchResult<(usize, usize)> {
        let mut select = self
            .connection
            .prepare_cached("SELECT value FROM kv WHERE key >= ?1 ORDER BY key LIMIT ?2")?;
        let mut rows = select.query(params![from, count as i64])?;
        let (mut read, mut bytes) = (0, 0);
        while let Some(row) = rows.next()? {
            read += 1;
            bytes += row.get_ref(0)?.as_blob()?.len();
        }
        Ok((read, bytes))
    }
}

/// The table suite: the same three tables as in this engine.
pub struct SqliteTables {
    connection: Connection,
    dir: PathBuf,
}

impl SqliteTables {
    pub fn create(dir: &Path, cache_bytes: usize) -> BenchResult<Self> {
        let connection = connect(&dir.join("tables.sqlite"), cache_bytes)?;
        let wide_columns: Vec<String> =
            (0..WIDE_COLUMNS).map(|c| format!("c{c} INTEGER")).collect();
        connection.execute_batch(&format!(
            "CREATE TABLE orders (
                 id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, status INTEGER,
                 amount INTEGER, created REAL, score REAL, email TEXT NOT NULL,
                 name TEXT, flags INTEGER, notes TEXT);
             CREATE INDEX by_customer ON orders (customer, created DESC);
             CREATE UNIQUE INDEX by_email ON orders (email);
             CREATE TABLE wide (id INTEGER PRIMARY KEY, {});
             CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB);",
            wide_columns.join(", ")
        ))?;
        Ok(SqliteTables {
            connection,
            dir: dir.to_path_buf(),
        })
    }
}

impl TableEngine for SqliteTables {
    fn insert_orders(&mut self, rows: &[Order]) -> BenchResult<()> {
        let txn = self.connection.transaction()?;
        {
            let mut insert = txn.prepare_cached(
                "INSERT INTO orders VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for row in rows {
                insert.execute(params![
                    row.id,
                    row.customer,
                    row.status,
                    row.amount,
                    row.created,
                    row.score,
                    row.email,
                    row.name,
                    row.flags,
                    row.notes
                ])?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn order_by_email(&mut self, email: &str) -> BenchResult<Option<i64>> {
        let mut select = self
            .connection
            .prepare_cached("SELECT amount FROM orders WHERE email = ?1")?;
        Ok(select
            .query_row(params![email], |row| row.get(0))
            .optional()?)
    }

    fn orders_of_customer(&mut self, customer: i32) -> BenchResult<(usize, i64)> {
        let mut select = self.connection.prepare_cached(
            "SELECT amount FROM orders INDEXED BY by_customer WHERE customer = ?1",
        )?;
        let mut rows = select.query(params![customer])?;
        let (mut count, mut sum) = (0, 0i64);
        while let Some(row) = rows.next()? {
            count += 1;
            sum += row.get::<_, i64>(0)?;
        }
        Ok((count, sum))
    }

    fn insert_wide(&mut self, rows: &[WideRow]) -> BenchResult<()> {
        let placeholders: Vec<String> = (1..=WIDE_COLUMNS + 1).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO wide VALUES ({})", placeholders.join(", "));
        let txn = self.connection.transaction()?;
        {
            let mut insert = txn.prepare_cached(&sql)?;
            for row in rows {
                insert.raw_bind_parameter(1, row.id)?;
                let mut set = row.values.iter().peekable();
                for column in 0..WIDE_COLUMNS {
                    match set.peek() {
                        Some(&&(c, value)) if c == column => {
                            insert.raw_bind_parameter(column + 2, value)?;
                            set.next();
                        }
                        _ => insert.raw_bind_parameter(column + 2, rusqlite::types::Null)?,
                    }
                }
                insert.raw_execute()?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn read_wide(&mut self, id: i32) -> BenchResult<(usize, i64)> {
        let mut select = self
            .connection
            .prepare_cached("SELECT * FROM wide WHERE id = ?1")?;
        let mut rows = select.query(params![id])?;
        let (mut count, mut sum) = (0, 0i64);
        if let Some(row) = rows.next()? {
            for column in 1..=WIDE_COLUMNS {
                if let Some(value) = row.get_ref(column)?.as_i64_or_null()? {
                    count += 1;
                    sum += value;
                }
            }
        }
        Ok((count, sum))
    }

    fn write_long_values(&mut self, values: &[(i32, &[u8])]) -> BenchResult<()> {
        let txn = self.connection.transaction()?;
        {
            let mut insert = txn.prepare_cached("INSERT INTO blobs VALUES (?1, ?2)")?;
            for (id, data) in values {
                insert.execute(params![id, data])?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn read_long_value(&mut self, id: i32, out: &mut Vec<u8>) -> BenchResult<bool> {
        let mut select = self
            .connection
            .prepare_cached("SELECT data FROM blobs WHERE id = ?1")?;
        let mut rows = select.query(params![id])?;
        match rows.next()? {
            Some(row) => {
                out.clear();
                out.extend_from_slice(row.get_ref(0)?.as_blob()?);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn file_size(&self) -> BenchResult<u64> {
        directory_size(&self.dir)
    }
}
