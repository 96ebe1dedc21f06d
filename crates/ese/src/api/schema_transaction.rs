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

use super::database::{Database, DdlLockKind};
use super::instance::{InstanceInner, Session};
use super::schema_change;
use crate::cache::DatabaseId;
use crate::create::CatalogRow;
use crate::Result;

/// DDL to undo at rollback, or to finish at commit. Tables are named by
/// object id: a name can change (or be taken by another table) meanwhile.
#[derive(Clone, Debug)]
pub(crate) enum SchemaChange {
    CreatedTable {
        table: u32,
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

/// Undoes one DDL step (a rollback).
pub(crate) fn undo_schema_step(instance: &InstanceInner, step: &SchemaStep) -> Result<()> {
    let Some(database) = instance.database_by_id(step.database) else {
        return Ok(());
    };
    let schema = database.schema();
    let name_of = |table: &u32| schema.table_by_id(*table).map(|t| t.name.clone());
    match &step.change {
        SchemaChange::CreatedTable { table } => {
            let Some(name) = name_of(table) else {
                return Ok(());
            };
            if let Some(def) = schema.table_by_id(*table) {
                let mut objects = vec![def.object_id];
                objects.extend(def.indexes.iter().map(|i| i.object_id));
                objects.extend(def.long_values.map(|t| t.object_id));
                instance.versions.forget_objects(database.id(), &objects);
            }
            schema_change::delete_table_with(&database, &name, true)
        }
        SchemaChange::AddedColumn { table, column } => match name_of(table) {
            Some(name) => schema_change::delete_column(&database, &name, column).map(|_| ()),
            None => Ok(()),
        },
        SchemaChange::CreatedIndexes { table, indexes } => {
            let Some(name) = name_of(table) else {
                return Ok(());
            };
            for index in indexes.iter().rev() {
                schema_change::delete_index(&database, &name, index)?;
            }
            Ok(())
        }
        SchemaChange::RenamedTable { table, from } => match name_of(table) {
            Some(name) => schema_change::rename_table(&database, &name, from),
            None => Ok(()),
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
        match &step.change {
            SchemaChange::DeleteIndex { index, .. } => {
                schema_change::delete_index(&database, &name, index)?
            }
            _ => schema_change::delete_table_with(&database, &name, true)?,
        }
    }
    Ok(())
}
