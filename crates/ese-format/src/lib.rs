//! Pure codecs of the Extensible Storage Engine's on-disk structures.
//!
//! This crate reads and writes the bytes of ESE database files and nothing
//! else: no I/O, no threads, no global state. Every decoder is total: any
//! byte string yields a value or an [`Error`] carrying ESE's error number,
//! never a panic. The engine (`ese`) builds its layers on these codecs.
//!
//! Layers, bottom up:
//! - [`codes`] and [`error`]: the JET error model; [`grbit`]: the option
//!   bits of the JET API, `esent.h`'s other constants (a program's side of
//!   the interface, kept here with the error codes so that every crate of
//!   the engine, and the C interface, share one definition).
//! - [`constants`]: column types, database states, file types, page sizes.
//! - [`checksum`]: page checksums (legacy XOR, ECC + XOR, 4 KiB blocks).
//! - [`header`]: the database file header and [`header_election`], which
//!   picks the good copy of it from the first bytes of a file.
//! - [`page`]: page headers, flags and the tag array.
//! - [`node`]: B+tree nodes in page lines (prefix-compressed keys, data).

pub(crate) mod bytes;
pub mod checksum;
pub mod codes;
pub mod compression;
pub mod constants;
pub mod error;
pub mod grbit;
pub mod header;
pub mod header_election;
pub mod key;
pub mod node;
pub mod page;
pub mod page_edit;
pub mod record;
pub mod sort_key;
pub mod space;

pub use error::{Error, Result};
