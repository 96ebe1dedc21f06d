//! The Extensible Storage Engine (ESE, "JET Blue") in Rust.
//!
//! This crate is the engine and its Rust API. It is built in layers, each
//! in its own module, with data flowing down only (see
//! `docs/ARCHITECTURE.md`). What exists today:
//!
//! - [`io`]: read-only positional file access with JET error mapping.
//! - [`database_file`]: opening a database file without an instance (as
//!   forensic tools do), electing its header and reading verified pages.
//! - [`integrity`]: the page-level integrity check behind `esentutl check`.
//! - [`page_source`]: the interface through which the read path gets
//!   verified pages (the file today, the buffer cache later).
//! - [`btree`]: B+tree walks in key order and seeks, with link checks.
//!
//! The on-disk codecs live in the `ese-format` crate, re-exported here as
//! [`mod@format`]; the error type and the JET codes come from there too.

pub use ese_format as format;
pub use ese_format::codes;
pub use ese_format::{Error, Result};

pub mod btree;
pub mod btree_write;
pub mod cache;
pub mod catalog;
pub mod database_file;
pub mod export;
pub mod index;
pub mod integrity;
pub mod io;
pub mod long_value;
pub mod page_source;
pub mod structure_check;
pub mod table;
pub mod value;
