//! The instance (ESE: inst, sysinit, pib, ver's transactions, logredo's
//! undo): what runs between JetInit and JetTerm.
//!
//! Its files form layers of their own, bottom up:
//! - data the instance holds, importing of the instance only `mutex` and
//!   each other: `service_state` (JetStopService's and JetTerm's marks),
//!   `counters`, `signals` (the background threads' doorbells),
//!   `transaction_state` (a session's open transaction and its DDL steps),
//!   `session_core` (what the instance holds of a session, the call gate
//!   and the session context), `backup_state`, `defrag_tasks`;
//! - `inner`: the instance's shared state, holding all of the above;
//! - work on that state: `cleanup`, `checkpoint_thread`, `undo` (ending a
//!   transaction in the databases), `session`, `transaction`,
//!   `schema_transaction`, `session_context`, `recovery` (soft recovery's
//!   redo and undo);
//! - `lifecycle`: the `Instance` handle and JetInit, starting the threads
//!   and recovery, and the session's database calls;
//! - on top: `registry`, `params`, `dynamic_params` (the process's
//!   instances and system parameters), `service` (JetStopService), `term`
//!   (JetTerm), `statistics`.
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
