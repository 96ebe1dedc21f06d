//! Records (ESE: rec, fld, tagfld, key / fldnorm): a table's rows read by
//! its catalog definition, typed values, the keys an index stores for a
//! row, and seeks.
//!
//! - `table`, `value`, `export`: rows of a table read and decoded, and
//!   written out as JSON lines or CSV;
//! - `index`: index keys and seeks on the read path;
//! - `values`: a row's columns as an update sees them (the record codec's
//!   view for the write path);
//! - `keys`, `search_key`: the keys an index holds for a row, and the key
//!   JetMakeKey builds.
//!
//! Uses `storage`, `catalog` and the option bits. Never imports the log,
//! the instance, cursors or the API.

pub mod export;
pub mod index;
pub(crate) mod keys;
pub(crate) mod search_key;
pub mod table;
pub mod value;
pub(crate) mod values;
