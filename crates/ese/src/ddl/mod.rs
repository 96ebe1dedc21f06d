//! Schema changes (ESE: fcreate, fdelete, the DDL of jetapi): creating
//! tables, columns and indexes (an index built over the rows a table
//! holds), deleting and renaming them, each as one change to the catalog.
//!
//! Uses `storage`, `catalog`, `record` and `database` (a change runs under
//! a database's write lock). Whether a change is part of a transaction,
//! and its undo, is the instance's business (`instance::schema_transaction`);
//! nothing here knows of sessions or the API.

pub(crate) mod definitions;
pub(crate) mod rows;
pub(crate) mod schema;
pub(crate) mod schema_change;
pub(crate) mod schema_index;
