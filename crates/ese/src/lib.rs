//! The Extensible Storage Engine (ESE, "JET Blue") in Rust.
//!
//! This crate is the engine and its Rust API. It is built in layers, each
//! in its own module, with data flowing down only (see
//! `docs/ARCHITECTURE.md`). What exists today:
//!
//! - [`io`]: files behind the `FileIo` trait, with fault injection.
//! - [`cache`]: the buffer cache every page read and write goes through.
//! - [`database_file`]: opening a database file read-only without an
//!   instance, electing its header.
//! - [`page_source`]: the interface the read path gets verified pages from.
//! - [`btree`], [`btree_write`]: walking, seeking and changing B+trees.
//! - [`catalog`], [`table`], [`long_value`], [`value`], [`index`]: schema,
//!   records, long values, typed values, keys and seeks.
//! - [`export`]: tables as JSON lines.
//! - [`integrity`], [`structure_check`]: `esentutl check`'s page and
//!   structure passes.
//! - [`create`]: a new database laid out as Windows' ESE lays it out;
//!   [`attach`]: attaching it for writing and detaching it cleanly.
//!
//! The on-disk codecs live in the `ese-format` crate, re-exported here as
//! [`mod@format`]; the error type and the JET codes come from there too.

pub use ese_format as format;
pub use ese_format::codes;
pub use ese_format::{Error, Result};

pub mod api;
pub mod attach;
pub mod btree;
pub mod btree_write;
pub mod cache;
pub mod catalog;
pub mod catalog_write;
pub mod create;
pub mod database_file;
pub mod export;
pub mod index;
pub mod integrity;
pub mod io;
pub mod log;
pub mod long_value;
pub mod long_value_write;
pub mod page_source;
pub mod space;
pub mod structure_check;
pub mod table;
pub mod value;
pub mod version;
