//! The write-ahead log (ESE: log, logredo): every change to a database page
//! is described in the log, and durable there, before the page reaches the
//! database file; recovery replays the log into the files after a crash.
//!
//! - [`format`](mod@format): blocks, file headers, positions (the byte format is this
//!   engine's own, specified in docs/LOG-FORMAT.md);
//! - [`record`]: the records and their encoding;
//! - [`files`]: ESE's file names and generations;
//! - [`writer`]: the buffer, group commit, generation switches;
//! - [`reader`]: reading files back, torn tails and damage told apart;
//! - [`checkpoint`]: the checkpoint file.
//!
//! - `units`: the instance's log as databases write it: a unit of page
//!   changes per write-lock hold, commits, rollbacks, the checkpoint.
//!
//! Uses `storage` and the version store (the node changes a unit carries);
//! never the database handle, the instance or anything above,
//! which all build on it. Recovery itself (redo, then
//! undo of what never committed) needs the databases and the sessions, and
//! lives with them in `instance::recovery`.

pub mod checkpoint;
pub mod files;
pub mod format;
pub mod reader;
pub mod record;
pub(crate) mod units;
pub mod writer;

pub use checkpoint::Checkpoint;
pub use files::LogNames;
pub use format::{LogPosition, LogSignature};
pub use reader::{read_log_file, RecordAt};
pub use record::{LogRecord, LoggedNode, PageChange, Unit};
pub use writer::{LogConfig, LogFileHook, LogWriter};

#[cfg(test)]
mod tests;
