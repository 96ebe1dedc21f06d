//! DDL inside a transaction: the locks a session takes, the steps it
//! records and the intent it logs. The steps' undo at a rollback and the
//! deletions finished at the commit are in `undo.rs`.
//!
//! The catalog is not versioned node by node as records are. DDL in a
//! transaction is made at once (creating a table, a column or an index) and
//! remembered with its inverse, which a rollback runs; deleting a table or
//! an index is put off until the outermost commit, and until then the
//! session no longer sees it. Meanwhile the transaction holds the table
//! alone: another session cannot open a table created in it (not found
//! until the commit) nor one whose schema it changed or that it deleted
//! (`JET_errTableLocked`), and DDL on a table another session has open is
//! `JET_errTableInUse`. (ESE versions the catalog and lets other sessions
//! keep using such a table; this is stricter, never looser.)

use crate::database::{Database, DdlLockKind};
use crate::instance::session::Session;
use crate::instance::transaction_state::SchemaChange;
use crate::instance::transaction_state::SchemaStep;
use crate::Result;

impl Session {
    /// Before DDL on table `table_id` inside a transaction: the lock that
    /// keeps other sessions out until the transaction ends. Nothing to do
    /// outside a transaction.
    pub(crate) fn lock_for_ddl(
        &self,
        database: &Database,
        table_id: u32,
        kind: DdlLockKind,
    ) -> Result<()> {
        if self.transaction_level() == 0 {
            // No lock to take, but another transaction's must be honoured.
            return match database.ddl_lock(table_id) {
                Some(lock) if lock.session != self.id() => Err(crate::Error::new(
                    crate::codes::JET_errTableLocked,
                )
                .with_detail("another session's open transaction changed the table's schema")),
                _ => Ok(()),
            };
        }
        database.take_ddl_lock(table_id, self.id(), kind)?;
        self.with_transaction(|state| {
            if !state.ddl_databases.contains(&database.id()) {
                state.ddl_databases.push(database.id());
            }
        });
        Ok(())
    }

    /// Remembers DDL made in the open transaction (nothing outside one).
    pub(crate) fn record_ddl(&self, database: &Database, change: SchemaChange) {
        self.with_transaction(|state| {
            state.schema.push(SchemaStep {
                level: state.level,
                after_nodes: state.undo.len(),
                database: database.id(),
                change,
            });
        });
    }
}

impl Session {
    /// Runs DDL `run` that `intent` describes: inside a transaction the
    /// intent is logged first (recovery undoes it if the transaction never
    /// commits, whether or not the DDL got made before the crash), and
    /// cancelled in the log if the DDL fails.
    pub(crate) fn logged_ddl<T>(
        &self,
        database: &Database,
        intent: SchemaChange,
        run: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let Some(log) = database.log() else {
            return run();
        };
        let Some((log_id, after_nodes, steps)) = self
            .inner
            .core
            .transaction
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|s| (s.log_id, s.undo.len(), s.schema.len()))
        else {
            return run();
        };
        let change = serde_json::to_vec(&intent).map_err(|e| {
            crate::Error::new(crate::codes::JET_errInternalError)
                .with_detail(format!("describing DDL for the log: {e}"))
        })?;
        log.schema_intent(log_id, database.id(), after_nodes, change)?;
        let outcome = run();
        if outcome.is_err() {
            log.schema_undone(log_id, steps)?;
        }
        outcome
    }
}
