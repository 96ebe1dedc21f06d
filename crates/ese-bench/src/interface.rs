//! What the suites ask of an engine: the key-value store of redb's
//! comparison ([`KvEngine`], [`KvReader`]) and the table workloads
//! ([`TableEngine`]) with the rows they write. The suites (`kv`, `tables`)
//! and the engines (`engines/`) both build on this module; it names
//! neither, so an engine never depends on the suite that drives it.

use crate::BenchResult;

/// A key-value store as the workloads use it. One writer at a time;
/// readers on any thread.
pub trait KvEngine: Sync {
    /// Inserts every pair in one transaction and commits it durably.
    fn write(&self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()>;
    /// Removes every key in one transaction, committed durably; returns
    /// how many were there.
    fn remove(&self, keys: &[&[u8]]) -> BenchResult<usize>;
    /// A reader for the calling thread.
    fn reader(&self) -> BenchResult<Box<dyn KvReader + '_>>;
    /// Bytes the engine's database file takes on disk now (after
    /// [`Self::checkpoint`]: the data, without the log or WAL).
    fn file_size(&self) -> BenchResult<u64>;
    /// Bytes all the engine's files take on disk now: the database with
    /// its log, WAL, lock, reserve and other files.
    fn files_size(&self) -> BenchResult<u64>;
    /// Brings the files to rest before their size is measured: what the
    /// engine's next checkpoint does by itself (pages written, log or WAL
    /// behind it dropped). Nothing for engines without a log.
    fn checkpoint(&self) -> BenchResult<()> {
        Ok(())
    }
    /// Bytes the engine has written to its log so far, for engines that
    /// report it (to measure what a workload logs); `None` otherwise.
    fn log_bytes(&self) -> Option<u64> {
        None
    }
    /// A writer of its own for the calling thread, when the engine gives
    /// each thread one (a session); `None`: threads share [`Self::write`],
    /// which the engine serialises.
    fn own_writer(&self) -> BenchResult<Option<Box<dyn KvWriter + '_>>> {
        Ok(None)
    }
}

/// Durable commits of one thread.
pub trait KvWriter {
    /// Inserts every pair in one transaction and commits it durably.
    fn write(&mut self, pairs: &[(&[u8], &[u8])]) -> BenchResult<()>;
}

/// Reads of one thread.
pub trait KvReader {
    /// Copies the value of `key` into `out`; false when there is none.
    fn get(&mut self, key: &[u8], out: &mut Vec<u8>) -> BenchResult<bool>;
    /// Reads up to `count` entries from the first key at or after `from`;
    /// returns how many it read and the bytes of their values.
    fn range(&mut self, from: &[u8], count: usize) -> BenchResult<(usize, usize)>;
}

/// One row of the `orders` table.
#[derive(Clone, Debug)]
pub struct Order {
    pub id: i32,
    pub customer: i32,
    pub status: u8,
    pub amount: i64,
    pub created: f64,
    pub score: f64,
    pub email: String,
    pub name: String,
    /// Set in a third of the rows (a tagged column in ESE).
    pub flags: Option<i32>,
    /// Set in a tenth of the rows (a long text column in ESE).
    pub notes: Option<String>,
}

impl Order {
    pub fn generate(n: u32, customers: u32) -> Order {
        let customer = (n.wrapping_mul(7919) % customers) as i32;
        Order {
            id: n as i32 + 1,
            customer,
            status: (n % 5) as u8,
            amount: i64::from(n) * 137,
            created: 45_000.0 + f64::from(n) / 1000.0,
            score: f64::from(n % 1000) / 7.0,
            email: email(n),
            name: format!("Customer {customer}"),
            flags: n.is_multiple_of(3).then_some(n as i32),
            notes: n
                .is_multiple_of(10)
                .then(|| "a short note on this order".to_string()),
        }
    }
}

/// A unique address per record (the multiplier is odd, so n -> address is
/// one to one below 2^32; the modulus keeps it 8 digits and the suffix of
/// n keeps it unique).
pub fn email(n: u32) -> String {
    format!(
        "user{:08}.{n}@example.com",
        n.wrapping_mul(2_654_435_761) % 100_000_000
    )
}

/// Columns of the wide table and how many each row sets.
pub const WIDE_COLUMNS: usize = 500;
pub const WIDE_SET: usize = 10;
/// Size of each long value.
pub const LONG_VALUE_SIZE: usize = 1 << 20;

/// A wide row: its key and the (column index, value) pairs it sets.
#[derive(Clone, Debug)]
pub struct WideRow {
    pub id: i32,
    pub values: Vec<(usize, i64)>,
}

/// The table workloads as each engine does them.
pub trait TableEngine {
    /// Inserts the rows in one transaction and makes them durable before
    /// returning.
    fn insert_orders(&mut self, rows: &[Order]) -> BenchResult<()>;
    /// Seeks the unique Email index; returns the row's Amount.
    fn order_by_email(&mut self, email: &str) -> BenchResult<Option<i64>>;
    /// Reads Amount of every row of a customer through the (CustomerId,
    /// Created) index; returns how many rows and the sum of their amounts.
    fn orders_of_customer(&mut self, customer: i32) -> BenchResult<(usize, i64)>;
    /// Inserts the wide rows and makes them durable.
    fn insert_wide(&mut self, rows: &[WideRow]) -> BenchResult<()>;
    /// Reads every column a wide row sets; returns how many and their sum.
    fn read_wide(&mut self, id: i32) -> BenchResult<(usize, i64)>;
    /// Writes each long value in a row of its own, and makes them durable.
    fn write_long_values(&mut self, values: &[(i32, &[u8])]) -> BenchResult<()>;
    /// Reads a long value back into `out`; false when the row is missing.
    fn read_long_value(&mut self, id: i32, out: &mut Vec<u8>) -> BenchResult<bool>;
    /// Bytes the engine's files take on disk now.
    fn file_size(&self) -> BenchResult<u64>;
}
