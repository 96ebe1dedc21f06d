//! This engine through its ISAM API, as an application would use it.
//!
//! Key-value store: table `kv` with a fixed 24-byte binary Key column (the
//! primary index) and a variable binary Value column. Each batch of writes
//! or deletions is one transaction (JetBeginTransaction ...
//! JetCommitTransaction, with JET_paramMaxVerPages raised so that a
//! million-insert transaction fits the version store). A commit without
//! JET_bitCommitLazyFlush is durable when it returns: its log records are
//! flushed (fdatasync of the log file); the pages follow in the background,
//! as in ESE. The cache is the configured size in 8 KiB pages.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;

use crate::engines::directory_size;
use crate::interface::{KvEngine, KvReader, KvWriter};
use crate::interface::{Order, TableEngine, WideRow, WIDE_COLUMNS};
use crate::BenchResult;

const PAGE_SIZE: usize = 8192;

/// JET_paramMaxVerPages for the benchmark: a transaction of a million
/// inserts keeps a version of each until it commits (the default, 64
/// pages of 32 KiB, suits short transactions).
const MAX_VERSION_PAGES: usize = 1 << 15;

pub(crate) fn instance(dir: &Path, cache_bytes: usize) -> BenchResult<Instance> {
    let mut options = InstanceOptions {
        cache_max_pages: cache_bytes / PAGE_SIZE,
        page_size: PAGE_SIZE,
        ..InstanceOptions::new(dir.join("system"))
    };
    // Log files behind the checkpoint are deleted (no backup to keep them
    // for), as an embedded deployment would run.
    options.log.circular_log = true;
    let instance = Instance::new(options)?;
    instance.set_max_version_pages(MAX_VERSION_PAGES);
    Ok(instance)
}

/// The key-value table: a fixed 24-byte binary Key (the primary index)
/// and a variable binary Value.
pub(crate) fn kv_table() -> TableCreate {
    TableCreate {
        name: "kv".into(),
        columns: vec![
            ColumnCreate {
                max_size: 24,
                ..ColumnCreate::new(
                    "Key",
                    JET_coltypBinary,
                    JET_bitColumnFixed | JET_bitColumnNotNULL,
                )
            },
            ColumnCreate::new("Value", JET_coltypBinary, 0),
        ],
        indexes: vec![IndexCreate::new("ByKey", "+Key\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    }
}

/// Seeks `key` on the cursor's index: false when no entry equals it.
pub(crate) fn seek_equal(cursor: &mut Cursor, key: &[u8]) -> BenchResult<bool> {
    cursor.make_key(key, JET_bitNewKey)?;
    match cursor.seek(JET_bitSeekEQ) {
        Ok(_) => Ok(true),
        Err(e) if e.code() == JET_errRecordNotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Retrieves a whole column value into `out` (empty for NULL).
fn retrieve_into(cursor: &mut Cursor, column: u32, out: &mut Vec<u8>) -> BenchResult<()> {
    let room = out.capacity().max(256);
    out.resize(room, 0);
    let got = cursor.retrieve_column(column, out, 0, None)?;
    if got.actual_size > out.len() {
        out.resize(got.actual_size, 0);
        cursor.retrieve_column(column, out, 0, None)?;
    }
    out.truncate(got.actual_size);
    Ok(())
}

/// Moves to the next entry: false at the end of the index or range.
fn move_next(cursor: &mut Cursor) -> BenchResult<bool> {
    match cursor.move_(JET_MoveNext, 0) {
        Ok(()) => Ok(true),
        Err(e) if e.code() == JET_errNoCurrentRecord => Ok(false),
        Err(e) => Err(e.into()),
    }
}

struct Writer {
    session: Session,
    cursor: Cursor,
}

impl Writer {
    /// Inserts `pairs` in one durable transaction.
    fn insert(&mut self, key: u32, value: u32, pairs: &[(&[u8], &[u8])]) -> BenchResult<()> {
        self.session.begin_transaction()?;
        for (k, v) in pairs {
            self.cursor.prepare_update(JET_prepInsert)?;
            self.cursor.set_column(key, Some(k), 0, None)?;
            self.cursor.set_column(value, Some(v), 0, None)?;
            self.cursor.update()?;
        }
        self.session.commit_transaction(0)?;
        Ok(())
    }
}

pub struct EseKv {
    instance: Instance,
    path: PathBuf,
    dir: PathBuf,
    writer: Mutex<Writer>,
    key_column: u32,
    value_column: u32,
}

impl EseKv {
    pub fn create(dir: &Path, cache_bytes: usize) -> BenchResult<Self> {
        let instance = instance(dir, cache_bytes)?;
        let path = dir.join("kv.edb");
        let session = instance.begin_session()?;
        let dbid = session.create_database(&path, 0)?;
        let mut create = kv_table();
        drop(session.create_table_column_index(dbid, &mut create)?);
        let cursor = session.open_table(dbid, "kv", 0)?;
        Ok(EseKv {
            key_column: create.columns[0].column_id,
            value_column: create.columns[1].column_id,
            instance,
            path,
            dir: dir.to_path_buf(),
            writer: Mutex::new(Writer { session, cursor }),
        })
    }
}

impl KvEngine for EseKv {
    fn write(&self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()> {
        let mut writer = self.writer.lock().map_err(|_| "writer poisoned")?;
        writer.insert(self.key_column, self.value_column, pairs)
    }

    fn remove(&self, keys: &[&[u8]]) -> BenchResult<usize> {
        let mut writer = self.writer.lock().map_err(|_| "writer poisoned")?;
        let Writer { session, cursor } = &mut *writer;
        let mut removed = 0;
        session.begin_transaction()?;
        for key in keys {
            if seek_equal(cursor, key)? {
                cursor.delete()?;
                removed += 1;
            }
        }
        session.commit_transaction(0)?;
        Ok(removed)
    }

    fn reader(&self) -> BenchResult<Box<dyn KvReader + '_>> {
        let session = self.instance.begin_session()?;
        let dbid = session.open_database(&self.path, 0)?;
        let cursor = session.open_table(dbid, "kv", JET_bitTableReadOnly)?;
        Ok(Box::new(EseKvReader {
            cursor,
            value_column: self.value_column,
        }))
    }

    fn file_size(&self) -> BenchResult<u64> {
        Ok(std::fs::metadata(&self.path)?.len())
    }

    /// The database, the log generations not behind the checkpoint, the
    /// reserve log files, the checkpoint and the double-write file.
    fn files_size(&self) -> BenchResult<u64> {
        directory_size(&self.dir)
    }

    /// Every changed page written, the checkpoint moved to the log's end
    /// and (circular logging) the generations behind it deleted.
    fn checkpoint(&self) -> BenchResult<()> {
        self.instance.checkpoint()?;
        Ok(())
    }

    fn log_bytes(&self) -> Option<u64> {
        Some(self.instance.statistics().log_bytes_written)
    }

    /// A session and cursor of the thread's own, as an application gives
    /// each of its threads: their commits go to the log together.
    fn own_writer(&self) -> BenchResult<Option<Box<dyn KvWriter + '_>>> {
        let session = self.instance.begin_session()?;
        let dbid = session.open_database(&self.path, 0)?;
        let cursor = session.open_table(dbid, "kv", 0)?;
        Ok(Some(Box::new(EseKvWriter {
            writer: Writer { session, cursor },
            key_column: self.key_column,
            value_column: self.value_column,
        })))
    }
}

struct EseKvWriter {
    writer: Writer,
    key_column: u32,
    value_column: u32,
}

impl KvWriter for EseKvWriter {
    fn write(&mut self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()> {
        self.writer
            .insert(self.key_column, self.value_column, pairs)
    }
}

struct EseKvReader {
    cursor: Cursor,
    value_column: u32,
}

impl KvReader for EseKvReader {
    fn get(&mut self, key: &[u8], out: &mut Vec<u8>) -> BenchResult<bool> {
        if !seek_equal(&mut self.cursor, key)? {
            return Ok(false);
        }
        retrieve_into(&mut self.cursor, self.value_column, out)?;
        Ok(true)
    }

    fn range(&mut self, from: &[u8], count: usize) -> BenchResult<(usize, usize)> {
        self.cursor.make_key(from, JET_bitNewKey)?;
        match self.cursor.seek(JET_bitSeekGE) {
            Ok(_) => {}
            Err(e) if e.code() == JET_errRecordNotFound => return Ok((0, 0)),
            Err(e) => return Err(e.into()),
        }
        let mut value = Vec::with_capacity(256);
        let (mut read, mut bytes) = (0, 0);
        loop {
            retrieve_into(&mut self.cursor, self.value_column, &mut value)?;
            read += 1;
            bytes += value.len();
            if read == count || !move_next(&mut self.cursor)? {
                return Ok((read, bytes));
            }
        }
    }
}

/// The table suite's three tables in one database.
pub struct EseTables {
    _instance: Instance,
    session: Session,
    dir: PathBuf,
    orders: Cursor,
    order_columns: Vec<u32>,
    wide: Cursor,
    wide_id: u32,
    wide_columns: Vec<u32>,
    blobs: Cursor,
    blob_columns: [u32; 2],
}

/// `text` in UTF-16 (little-endian) into `out`, replacing what it held: a
/// row's text columns are converted into one buffer kept between rows, as
/// a program inserting rows in a loop would.
fn utf16_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
}

impl EseTables {
    pub fn create(dir: &Path, cache_bytes: usize) -> BenchResult<Self> {
        let instance = instance(dir, cache_bytes)?;
        let path = dir.join("tables.edb");
        let session = instance.begin_session()?;
        let dbid = session.create_database(&path, 0)?;
        let unicode = |name: &str, coltyp| ColumnCreate {
            code_page: 1200,
            ..ColumnCreate::new(name, coltyp, 0)
        };
        let mut orders = TableCreate {
            name: "orders".into(),
            columns: vec![
                ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnNotNULL),
                ColumnCreate::new("CustomerId", JET_coltypLong, JET_bitColumnNotNULL),
                ColumnCreate::new("Status", JET_coltypUnsignedByte, 0),
                ColumnCreate::new("Amount", JET_coltypCurrency, 0),
                ColumnCreate::new("Created", JET_coltypDateTime, 0),
                ColumnCreate::new("Score", JET_coltypIEEEDouble, 0),
                ColumnCreate::new("Email", JET_coltypText, JET_bitColumnNotNULL),
                unicode("Name", JET_coltypText),
                ColumnCreate::new("Flags", JET_coltypLong, JET_bitColumnTagged),
                unicode("Notes", JET_coltypLongText),
            ],
            indexes: vec![
                IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
                IndexCreate::new("ByCustomer", "+CustomerId\0-Created\0\0", 0),
                IndexCreate::new("ByEmail", "+Email\0\0", JET_bitIndexUnique),
            ],
            ..Default::default()
        };
        drop(session.create_table_column_index(dbid, &mut orders)?);
        let mut columns = vec![ColumnCreate::new(
            "Id",
            JET_coltypLong,
            JET_bitColumnNotNULL,
        )];
        for c in 0..WIDE_COLUMNS {
            columns.push(ColumnCreate::new(
                &format!("c{c}"),
                JET_coltypLongLong,
                JET_bitColumnTagged,
            ));
        }
        let mut wide = TableCreate {
            name: "wide".into(),
            columns,
            indexes: vec![IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary)],
            ..Default::default()
        };
        drop(session.create_table_column_index(dbid, &mut wide)?);
        let mut blobs = TableCreate {
            name: "blobs".into(),
            columns: vec![
                ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnNotNULL),
                ColumnCreate::new("Data", JET_coltypLongBinary, 0),
            ],
            indexes: vec![IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary)],
            ..Default::default()
        };
        drop(session.create_table_column_index(dbid, &mut blobs)?);
        Ok(EseTables {
            orders: session.open_table(dbid, "orders", 0)?,
            order_columns: orders.columns.iter().map(|c| c.column_id).collect(),
            wide: session.open_table(dbid, "wide", 0)?,
            wide_id: wide.columns[0].column_id,
            wide_columns: wide.columns[1..].iter().map(|c| c.column_id).collect(),
            blobs: session.open_table(dbid, "blobs", 0)?,
            blob_columns: [blobs.columns[0].column_id, blobs.columns[1].column_id],
            _instance: instance,
            session,
            dir: dir.to_path_buf(),
        })
    }
}

impl TableEngine for EseTables {
    fn insert_orders(&mut self, rows: &[Order]) -> BenchResult<()> {
        let ids = &self.order_columns;
        let cursor = &mut self.orders;
        let mut text = Vec::new();
        self.session.begin_transaction()?;
        for row in rows {
            cursor.prepare_update(JET_prepInsert)?;
            cursor.set_column(ids[0], Some(&row.id.to_le_bytes()), 0, None)?;
            cursor.set_column(ids[1], Some(&row.customer.to_le_bytes()), 0, None)?;
            cursor.set_column(ids[2], Some(&[row.status]), 0, None)?;
            cursor.set_column(ids[3], Some(&row.amount.to_le_bytes()), 0, None)?;
            cursor.set_column(ids[4], Some(&row.created.to_le_bytes()), 0, None)?;
            cursor.set_column(ids[5], Some(&row.score.to_le_bytes()), 0, None)?;
            cursor.set_column(ids[6], Some(row.email.as_bytes()), 0, None)?;
            utf16_into(&row.name, &mut text);
            cursor.set_column(ids[7], Some(&text), 0, None)?;
            if let Some(flags) = row.flags {
                cursor.set_column(ids[8], Some(&flags.to_le_bytes()), 0, None)?;
            }
            if let Some(notes) = &row.notes {
                utf16_into(notes, &mut text);
                cursor.set_column(ids[9], Some(&text), 0, None)?;
            }
            cursor.update()?;
        }
        self.session.commit_transaction(0)?;
        Ok(())
    }

    fn order_by_email(&mut self, email: &str) -> BenchResult<Option<i64>> {
        let cursor = &mut self.orders;
        if cursor.current_index() != "ByEmail" {
            cursor.set_current_index(Some("ByEmail"), 0)?;
        }
        if !seek_equal(cursor, email.as_bytes())? {
            return Ok(None);
        }
        let mut amount = [0u8; 8];
        cursor.retrieve_column(self.order_columns[3], &mut amount, 0, None)?;
        Ok(Some(i64::from_le_bytes(amount)))
    }

    fn orders_of_customer(&mut self, customer: i32) -> BenchResult<(usize, i64)> {
        let cursor = &mut self.orders;
        if cursor.current_index() != "ByCustomer" {
            cursor.set_current_index(Some("ByCustomer"), 0)?;
        }
        cursor.make_key(&customer.to_le_bytes(), JET_bitNewKey)?;
        match cursor.seek(JET_bitSeekEQ | JET_bitSetIndexRange) {
            Ok(_) => {}
            Err(e) if e.code() == JET_errRecordNotFound => return Ok((0, 0)),
            Err(e) => return Err(e.into()),
        }
        let (mut rows, mut sum) = (0, 0);
        loop {
            let mut amount = [0u8; 8];
            cursor.retrieve_column(self.order_columns[3], &mut amount, 0, None)?;
            rows += 1;
            sum += i64::from_le_bytes(amount);
            if !move_next(cursor)? {
                return Ok((rows, sum));
            }
        }
    }

    fn insert_wide(&mut self, rows: &[WideRow]) -> BenchResult<()> {
        let cursor = &mut self.wide;
        self.session.begin_transaction()?;
        for row in rows {
            cursor.prepare_update(JET_prepInsert)?;
            cursor.set_column(self.wide_id, Some(&row.id.to_le_bytes()), 0, None)?;
            for &(column, value) in &row.values {
                cursor.set_column(
                    self.wide_columns[column],
                    Some(&value.to_le_bytes()),
                    0,
                    None,
                )?;
            }
            cursor.update()?;
        }
        self.session.commit_transaction(0)?;
        Ok(())
    }

    fn read_wide(&mut self, id: i32) -> BenchResult<(usize, i64)> {
        let cursor = &mut self.wide;
        if !seek_equal(cursor, &id.to_le_bytes())? {
            return Ok((0, 0));
        }
        let (mut count, mut sum) = (0, 0);
        for column in cursor.enumerate_columns(JET_bitEnumerateTaggedOnly)? {
            for value in column.values {
                let bytes: [u8; 8] = value.as_slice().try_into().map_err(|_| "not 8 bytes")?;
                count += 1;
                sum += i64::from_le_bytes(bytes);
            }
        }
        Ok((count, sum))
    }

    fn write_long_values(&mut self, values: &[(i32, &[u8])]) -> BenchResult<()> {
        let cursor = &mut self.blobs;
        self.session.begin_transaction()?;
        for (id, data) in values {
            cursor.prepare_update(JET_prepInsert)?;
            cursor.set_column(self.blob_columns[0], Some(&id.to_le_bytes()), 0, None)?;
            cursor.set_column(self.blob_columns[1], Some(data), 0, None)?;
            cursor.update()?;
        }
        self.session.commit_transaction(0)?;
        Ok(())
    }

    fn read_long_value(&mut self, id: i32, out: &mut Vec<u8>) -> BenchResult<bool> {
        let cursor = &mut self.blobs;
        if !seek_equal(cursor, &id.to_le_bytes())? {
            return Ok(false);
        }
        retrieve_into(cursor, self.blob_columns[1], out)?;
        Ok(true)
    }

    fn file_size(&self) -> BenchResult<u64> {
        directory_size(&self.dir)
    }
}
