//! The Extensible Storage Engine (ESE, "JET Blue") in Rust.
//!
//! This crate is the engine and its Rust API. Each component is a folder
//! of its own, and data flows down only: a component uses those listed
//! before it, never one after it (`docs/ARCHITECTURE.md` has the table,
//! and `tests/layering.rs` checks the rule on every `crate::` path):
//!
//! 1. `storage`: files, the buffer cache, pages, B+trees, space, long
//!    values; a database file attached for writing.
//! 2. `catalog`: the schema as stored (MSysObjects and its shadow), read
//!    and written, and a new database laid out as Windows' ESE lays it out.
//! 3. `record`: rows, typed values, index keys and seeks over the catalog.
//! 4. [`version`]: the version store (what transactions changed).
//! 5. [`log`]: the write-ahead log, its files, and the units an instance
//!    logs.
//! 6. `database`: a database as an instance holds it (locks, the write
//!    lock, its schema snapshot, its log journal).
//! 7. `ddl`: creating and changing tables, columns and indexes.
//! 8. `instance`: instances, sessions, transactions, parameters, the
//!    background threads and soft recovery.
//! 9. `cursor`: cursors, updates and the record manager.
//! 10. `backup`, `maintenance`: streaming and file backup and restore;
//!     online defragmentation and the checkers.
//! 11. [`api`]: the JET API surface, re-exporting from the components.
//!
//! The components' modules keep the public paths they had before the
//! tree was grouped ([`btree`], [`cache`], [`create`], ...), re-exported
//! here. The on-disk codecs live in the `ese-format` crate, re-exported as
//! [`mod@format`]; the error type and the JET codes come from there too.

pub use ese_format as format;
pub use ese_format::codes;
pub use ese_format::{Error, Result};

mod grbit;

mod storage;
pub use storage::{
    attach, btree, btree_write, cache, database_file, double_write, io, long_value,
    long_value_write, page_source, space,
};

pub mod catalog;
pub use catalog::{create, write as catalog_write};

mod record;
pub use record::{export, index, table, value};

pub mod version;

pub mod log;

mod database;

mod ddl;

mod instance;

mod cursor;

mod backup;

mod maintenance;
pub use maintenance::{integrity, structure_check};

pub mod api;
