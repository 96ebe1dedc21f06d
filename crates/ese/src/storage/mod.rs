//! Storage (ESE: os, bf, cpage, node / bt, space, lv): database files and
//! the pages in them, below any notion of schema, log or transaction.
//!
//! - `io`: files behind the `FileIo` trait, with fault injection;
//! - `cache`: the buffer cache every page read and write goes through;
//! - `database_file`: a database file opened read-only without an
//!   instance, its header elected; `page_source`: verified pages for the
//!   read path;
//! - `btree`, `btree_write`: walking, seeking and changing B+trees;
//! - `space`: owned and available extents, file growth, page allocation;
//! - `long_value`, `long_value_write`: long-value trees;
//! - `attach`: a database file attached for writing, its header kept;
//! - `double_write`: the copy of each batch of page writes that lets
//!   recovery repair a page a crash tore.
//!
//! Uses only `ese-format`. Nothing here may import a component above it
//! (catalog, record, log, database, instance, api, ...): a change a
//! higher layer must know about comes back as a return value.

pub mod attach;
pub mod btree;
pub mod btree_write;
pub mod cache;
pub mod database_file;
pub mod double_write;
pub mod io;
pub mod long_value;
pub mod long_value_write;
pub mod page_source;
pub mod space;
