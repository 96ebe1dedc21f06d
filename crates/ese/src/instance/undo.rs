//! Ending a transaction in the databases (ESE: the rollback of ver.cxx,
//! and the deletions a commit put off): its node changes undone newest
//! first, its DDL steps undone or finished, the DDL locks it held
//! released. Nothing here needs the session itself, so that JetEndSession,
//! JetTerm and recovery's undo pass share it with JetRollback.

use ese_format::page::tag_flags;

use crate::codes::*;
use crate::database::Database;
use crate::database::WriteState;
use crate::ddl::schema_change;
use crate::instance::inner::InstanceInner;
use crate::instance::mutex::lock;
use crate::instance::session_core::SessionCore;
use crate::instance::transaction_state::SchemaChange;
use crate::instance::transaction_state::SchemaStep;
use crate::instance::transaction_state::TransactionState;
use crate::storage::btree_write::add_to_field;
use crate::storage::btree_write::NodeChange;
use crate::storage::cache::DatabaseId;
use crate::version::NodeKey;
use crate::version::TransactionId;
use crate::version::TreeInfo;
use crate::version::UndoRecord;
use crate::version::VersionStore;
use crate::{Error, Result};
use std::sync::atomic::Ordering;
/// Where a transaction's recorder reports its changes: the journal of the
/// database's unit under way (the log's undo information).
pub(crate) fn journal_sink(
    database: &Database,
    log_id: u64,
) -> impl Fn(&TreeInfo, &NodeKey, &NodeChange) + Sync + '_ {
    move |tree, node, change| database.journal.lock().record(log_id, tree, node, change)
}

/// Undoes the changes of `undo` from index `mark` on, newest first, in
/// `database` whose write lock the caller holds.
pub(crate) fn undo_since(
    database: &Database,
    state: &mut WriteState,
    versions: &VersionStore,
    transaction: &TransactionId,
    log_id: u64,
    undo: &mut Vec<UndoRecord>,
    mark: usize,
) -> Result<()> {
    while undo.len() > mark {
        let Some(record) = undo.pop() else { break };
        undo_one(database, state, versions, transaction, &record.node)?;
        database.journal.lock().undone(log_id, undo.len());
    }
    Ok(())
}

/// Undoes every change of the save points from `down_to` up and closes
/// the cursors opened in them.
pub(crate) fn roll_back_levels(
    instance: &InstanceInner,
    state: &mut TransactionState,
    down_to: u32,
) -> Result<()> {
    loop {
        let node = state.undo.last().filter(|r| r.level >= down_to).is_some();
        let step = state.schema.last().filter(|s| s.level >= down_to);
        // Newest first: a DDL step comes after the node changes made
        // before it.
        let node_first = match step {
            None => node,
            Some(step) => node && state.undo.len() > step.after_nodes,
        };
        if node_first {
            let Some(record) = state.undo.pop() else {
                break;
            };
            let Some(database) = instance.database_by_id(record.node.database) else {
                // Detached since (its versions went with it).
                continue;
            };
            let mut guard = database.write()?;
            undo_one(
                &database,
                guard.state(),
                &instance.versions,
                &state.id,
                &record.node,
            )?;
            database
                .journal
                .lock()
                .undone(state.log_id, state.undo.len());
            guard.changed();
        } else if step.is_some() {
            let Some(step) = state.schema.pop() else {
                break;
            };
            undo_schema_step(instance, &step, state.recovered).map_err(|e| {
                Error::new(JET_errRollbackError).with_detail(format!("undoing DDL: {e}"))
            })?;
            if let Some(log) = &instance.log {
                log.schema_undone(state.log_id, state.schema.len())?;
            }
        } else {
            break;
        }
    }
    let keep = (down_to as usize).saturating_sub(1);
    for level in state.cursors.drain(keep.min(state.cursors.len())..) {
        for cursor in level {
            cursor.store(true, Ordering::Release);
        }
    }
    Ok(())
}

/// Releases the DDL locks a transaction took.
pub(crate) fn release_ddl_locks(instance: &InstanceInner, databases: &[DatabaseId], session: u64) {
    for id in databases {
        if let Some(database) = instance.database_by_id(*id) {
            database.release_ddl_locks(session);
        }
    }
}

/// Undoes `transaction`'s newest change to `node` on the page.
fn undo_one(
    database: &Database,
    state: &mut WriteState,
    versions: &VersionStore,
    transaction: &TransactionId,
    node: &NodeKey,
) -> Result<()> {
    let Some((change, tree, left)) = versions.take_newest(transaction, node) else {
        return Ok(());
    };
    let empty = left.is_some();
    let (key, order) = (node.key(), node.order());
    // A node left without versions needs no flag for readers.
    let settled = if empty { 0 } else { tag_flags::VERSIONED };
    // An escrow delta is taken out of the record as the page holds it now.
    let delta_undone = match change {
        NodeChange::Delta { offset, delta } => {
            let mut data = tree.tree.get(&database.pages(), key)?.ok_or_else(|| {
                Error::new(JET_errRollbackError).with_detail("an escrow update's record is gone")
            })?;
            add_to_field(&mut data, offset as usize, delta.wrapping_neg()).ok_or_else(|| {
                Error::new(JET_errRollbackError).with_detail("an escrow update's column moved")
            })?;
            Some(data)
        }
        _ => None,
    };
    let outcome = database.with_tree_writer(state, tree.tree, tree.density, None, |writer| {
        match change {
            NodeChange::Insert => writer.purge(key, order)?,
            NodeChange::Reinsert { .. } if empty => writer.purge(key, order)?,
            NodeChange::Reinsert { before } => writer.restore(
                key,
                order,
                Some(&before),
                tag_flags::DELETED | tag_flags::VERSIONED,
            )?,
            NodeChange::Replace { before } => writer.restore(key, order, Some(&before), settled)?,
            NodeChange::Delete => writer.restore(key, order, None, settled)?,
            NodeChange::Delta { .. } => {
                writer.restore(key, order, delta_undone.as_deref(), settled)?
            }
            NodeChange::ReadLock | NodeChange::WriteLock => {}
        }
        // The last version gone, a node a committed delete left flagged
        // (its cleanup found the chain still in use) is removed now.
        if left == Some(true) {
            writer.purge_deleted(key, order)?;
        }
        Ok(())
    });
    outcome.map_err(|e| {
        Error::new(JET_errRollbackError).with_detail(format!(
            "undoing a change to tree {}: {e}",
            tree.tree.object_id
        ))
    })
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

impl SessionCore {
    /// Rolls back the transaction left open, if any (JetEndSession, and
    /// JetTerm for every session). True when there was one.
    pub(crate) fn roll_back_open_transaction(&self, instance: &InstanceInner) -> bool {
        let open = lock(&self.transaction).take();
        let Some(mut state) = open else {
            return false;
        };
        let undone = roll_back_levels(instance, &mut state, 1);
        instance.versions.end_rolled_back(&state.id);
        if let (Some(log), Ok(())) = (&instance.log, undone) {
            // Or the log would keep it open, holding the checkpoint.
            let _ = log.rolled_back(state.log_id);
        }
        release_ddl_locks(instance, &state.ddl_databases, self.id);
        self.view_epoch.fetch_add(1, Ordering::AcqRel);
        true
    }
}
