//! DDL inside a transaction: what a rollback undoes and what a commit
//! finishes.
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

use crate::catalog::create::CatalogRow;
use crate::database::{Database, DdlLockKind};
use crate::ddl::schema_change;
use crate::instance::lifecycle::InstanceInner;
use crate::instance::session::Session;
use crate::storage::cache::DatabaseId;
use crate::Result;

/// DDL to undo at rollback, or to finish at commit. Tables are named by
/// object id: a name can change (or be taken by another table) meanwhile.
/// Logged (as JSON) before the DDL is made, for recovery.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) enum SchemaChange {
    CreatedTable {
        table: u32,
    },
    /// The log's form of `CreatedTable`: the table's id is not known
    /// before it is created, its name is (and the transaction holds it).
    CreatingTable {
        name: String,
    },
    AddedColumn {
        table: u32,
        column: String,
    },
    CreatedIndexes {
        table: u32,
        indexes: Vec<String>,
    },
    RenamedTable {
        table: u32,
        from: String,
    },
    DeletedColumn {
        original: Box<CatalogRow>,
        deleted: Box<CatalogRow>,
    },
    /// Put off until the outermost commit; `objects`: the table's trees.
    DeleteTable {
        table: u32,
        objects: Vec<u32>,
    },
    /// `table` is the table's object id: the table may be renamed later in
    /// the transaction.
    DeleteIndex {
        table: u32,
        index: String,
        object: u32,
    },
}

/// One DDL step of a transaction.
#[derive(Clone, Debug)]
pub(crate) struct SchemaStep {
    pub level: u32,
    /// How many node changes the transaction had made before this step:
    /// a rollback undoes the later ones first.
    pub after_nodes: usize,
    pub database: DatabaseId,
    pub change: SchemaChange,
}

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

/// Undoes one DDL step (a rollback). `recovering`: recovery undoes a step
/// whose intent it read in the log, and the crash may have come before the
/// DDL was made (or after part of a multi-index creation): what is not
/// there needs no undoing.
pub(crate) fn undo_schema_step(
    instance: &InstanceInner,
    step: &SchemaStep,
    recovering: bool,
) -> Result<()> {
    let outcome = undo_schema_change(instance, step);
    match outcome {
        Err(e) if recovering && absent(e.code()) => Ok(()),
        other => other,
    }
}

/// Errors that say the DDL to undo was never made.
fn absent(code: i32) -> bool {
    use crate::codes::*;
    [
        JET_errColumnNotFound,
        JET_errIndexNotFound,
        JET_errObjectNotFound,
        JET_errRecordNotFound,
        JET_errTableDuplicate,
    ]
    .contains(&code)
}

fn undo_schema_change(instance: &InstanceInner, step: &SchemaStep) -> Result<()> {
    let Some(database) = instance.database_by_id(step.database) else {
        return Ok(());
    };
    let schema = database.schema();
    let name_of = |table: &u32| schema.table_by_id(*table).map(|t| t.name.clone());
    let delete_table = |table: u32, name: &str| {
        if let Some(def) = schema.table_by_id(table) {
            let mut objects = vec![def.object_id];
            objects.extend(def.indexes.iter().map(|i| i.object_id));
            objects.extend(def.long_values.map(|t| t.object_id));
            instance.versions.forget_objects(database.id(), &objects);
        }
        schema_change::delete_table_with(&database, name, true)
    };
    match &step.change {
        SchemaChange::CreatedTable { table } => match name_of(table) {
            Some(name) => delete_table(*table, &name),
            None => Ok(()),
        },
        SchemaChange::CreatingTable { name } => match schema.table(name) {
            Some(def) => delete_table(def.object_id, name),
            None => Ok(()),
        },
        SchemaChange::AddedColumn { table, column } => match name_of(table) {
            Some(name) => schema_change::delete_column(&database, &name, column).map(|_| ()),
            None => Ok(()),
        },
        SchemaChange::CreatedIndexes { table, indexes } => {
            let Some(name) = name_of(table) else {
                return Ok(());
            };
            for index in indexes.iter().rev() {
                if schema
                    .table_by_id(*table)
                    .is_some_and(|t| t.index_by_name(index).is_none())
                {
                    // Not made (a crash, or the creation failed before it).
                    continue;
                }
                schema_change::delete_index(&database, &name, index)?;
            }
            Ok(())
        }
        SchemaChange::RenamedTable { table, from } => match name_of(table) {
            Some(name) if name != *from => schema_change::rename_table(&database, &name, from),
            _ => Ok(()),
        },
        SchemaChange::DeletedColumn { original, deleted } => {
            schema_change::restore_row(&database, deleted, original)
        }
        // Never made: nothing to undo.
        SchemaChange::DeleteTable { .. } | SchemaChange::DeleteIndex { .. } => Ok(()),
    }
}

/// Finishes the deletions a committed transaction put off. The
/// transaction's own versions in those trees go with them (no one else
/// could open the table meanwhile).
pub(crate) fn finish_schema_steps(instance: &InstanceInner, steps: &[SchemaStep]) -> Result<()> {
    for step in steps {
        let (table, objects) = match &step.change {
            SchemaChange::DeleteTable { table, objects } => (*table, objects.as_slice()),
            SchemaChange::DeleteIndex { table, object, .. } => {
                (*table, std::slice::from_ref(object))
            }
            _ => continue,
        };
        let Some(database) = instance.database_by_id(step.database) else {
            continue;
        };
        let Some(name) = database.schema().table_by_id(table).map(|t| t.name.clone()) else {
            continue;
        };
        instance.versions.forget_objects(database.id(), objects);
        let done = match &step.change {
            SchemaChange::DeleteIndex { index, .. } => {
                schema_change::delete_index(&database, &name, index)
            }
            _ => schema_change::delete_table_with(&database, &name, true),
        };
        match done {
            // Recovery finishing what a crash interrupted: already gone.
            Err(e) if e.code() == crate::codes::JET_errIndexNotFound => {}
            other => other?,
        }
    }
    Ok(())
}

/// True when `steps` hold deletions put off until the commit.
pub(crate) fn has_deferred(steps: &[SchemaStep]) -> bool {
    steps.iter().any(|s| {
        matches!(
            s.change,
            SchemaChange::DeleteTable { .. } | SchemaChange::DeleteIndex { .. }
        )
    })
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
