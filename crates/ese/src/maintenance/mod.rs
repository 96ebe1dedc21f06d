//! Maintenance: online defragmentation (ESE: OLD) and the checkers behind
//! `esentutl check` (page checksums, then every B+tree, space tree,
//! catalog entry and long-value reference).
//!
//! - `defrag`: JetDefragment's tasks, merging the pages deletes thinned;
//! - `integrity`, `structure_check`: read-only passes over a database
//!   file.
//!
//! Uses the instance and everything below it; only the API and tools
//! call it.

pub(crate) mod defrag;
pub mod integrity;
pub mod structure_check;
