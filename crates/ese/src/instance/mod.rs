//! The instance (ESE: inst, sysinit, pib, ver's transactions, logredo's
//! undo): what runs between JetInit and JetTerm.
//!
//! - `lifecycle`: the instance itself, its options, JetInit's start-up
//!   (log, recovery, background threads);
//! - `registry`, `params`, `dynamic_params`: the process's instances and
//!   system parameters (single- and multi-instance mode);
//! - `session`, `session_call`, `session_context`: sessions, the one-call-
//!   at-a-time gate, JetSetSessionContext;
//! - `transaction`, `schema_transaction`: transactions over the version
//!   store, and the undo of DDL inside them;
//! - `cleanup`, `checkpoint_thread`: the version store's cleanup and the
//!   checkpoint's advance, each on a thread of its own;
//! - `recovery`: soft recovery's redo into the databases and its undo of
//!   what never committed;
//! - `service`, `term`, `statistics`: JetStopService, JetTerm, the
//!   instance's counters.
//!
//! Uses every component below it (storage up to ddl). Cursors, backup,
//! maintenance and the API use it; it never imports them.

pub(crate) mod backup_state;
pub(crate) mod checkpoint_thread;
pub(crate) mod cleanup;
pub(crate) mod counters;
pub(crate) mod defrag_tasks;
pub(crate) mod dynamic_params;
pub(crate) mod inner;
pub(crate) mod lifecycle;
pub(crate) mod mutex;
pub mod params;
pub(crate) mod recovery;
pub(crate) mod registry;
pub(crate) mod schema_transaction;
pub(crate) mod service;
pub(crate) mod service_state;
pub(crate) mod session;
pub(crate) mod session_context;
pub(crate) mod session_core;
pub(crate) mod signals;
pub(crate) mod statistics;
pub(crate) mod term;
pub(crate) mod transaction;
pub(crate) mod transaction_state;
pub(crate) mod undo;
