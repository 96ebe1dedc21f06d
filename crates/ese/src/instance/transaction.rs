//! Transactions (ESE: JetBeginTransaction / 2 / 3, JetCommitTransaction /
//! 2, JetRollback) over the version store ([`crate::version`]).
//!
//! A session's transaction reads the databases as of its begin and
//! versions every node it changes; nested begins open save points (up to
//! seven levels, as ESE allows), an inner commit merges its changes into
//! the level below, a rollback undoes one level (or all with
//! JET_bitRollbackAll) and closes the cursors opened in it.
//!
//! An update made outside a transaction runs in one of its own, as ESE
//! wraps it. When no transaction is open and the store holds no version,
//! nothing could tell that transaction apart from writing the pages
//! directly, so the update is made unversioned; a transaction beginning
//! waits for such updates to finish (the instance's `unversioned` lock).
//!
//! The version store's cleanup (`cleanup.rs`) drops the versions every
//! snapshot has passed and removes the nodes they deleted: the ending
//! transaction does it when it was the oldest, else the instance's
//! cleanup thread.

use crate::instance::transaction_state::TransactionState;
use crate::instance::undo::journal_sink;
use crate::instance::undo::release_ddl_locks;
use crate::instance::undo::roll_back_levels;
use crate::instance::undo::undo_since;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::codes::*;
use crate::database::{Database, WriteState};
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::cleanup::{clean_versions, settle, CLEANUP_BACKLOG};
use crate::instance::mutex::lock;
use crate::instance::session::Session;
use crate::instance::session_core::{Allowed, OwnerHint};
use crate::instance::undo::{finish_schema_steps, has_deferred};
use crate::storage::btree_write::{Access, NodeChange};
use crate::storage::cache::{CachedDatabase, DatabaseId};
use crate::version::{NodeKey, Recorder, Snapshot, TreeInfo, UndoRecord};
use crate::{Error, Result};

/// Save points a session may nest (ESE's levelUserMost): the eighth
/// begin is `JET_errTransTooDeep`.
pub const MAX_TRANSACTION_LEVELS: u32 = 7;

impl Session {
    /// JetBeginTransaction.
    pub fn begin_transaction(&self) -> Result<()> {
        let _call = self.enter()?;
        self.begin_transaction2(0)
    }

    /// JetBeginTransaction2 (JetBeginTransaction3's transaction id is only
    /// a label in ESE's event messages). A nested call opens a save point;
    /// JET_bitTransactionReadOnly counts only for the outermost one. ESE
    /// ignores the other bits, and so does this.
    pub fn begin_transaction2(&self, grbit: u32) -> Result<()> {
        let _call = self.enter()?;
        let instance = &self.inner.instance;
        let mut slot = lock(&self.inner.core.transaction);
        match slot.as_mut() {
            Some(state) => {
                if state.level >= MAX_TRANSACTION_LEVELS {
                    return Err(Error::new(JET_errTransTooDeep).with_detail(format!(
                        "the session is already {MAX_TRANSACTION_LEVELS} save points deep"
                    )));
                }
                state.level += 1;
                state.cursors.push(Vec::new());
            }
            None => {
                let owner = self.caller()?;
                self.inner
                    .core
                    .owner_hint
                    .store(OwnerHint::of(owner), Ordering::Relaxed);
                // Waits for updates made without versions to finish.
                let _gate = instance.unversioned.write();
                let id = instance.versions.begin();
                let log_id = instance.log_id(id.id);
                *slot = Some(TransactionState {
                    log_id,
                    recovered: false,
                    owner,
                    id,
                    level: 1,
                    read_only: grbit & JET_bitTransactionReadOnly != 0,
                    undo: Vec::new(),
                    cursors: vec![Vec::new()],
                    schema: Vec::new(),
                    ddl_databases: Vec::new(),
                });
            }
        }
        Ok(())
    }

    /// JetBeginTransaction3: `trxid` only labels the transaction in ESE's
    /// event messages, and this engine has none yet; the rest is
    /// [`Self::begin_transaction2`].
    pub fn begin_transaction3(&self, trxid: i64, grbit: u32) -> Result<()> {
        let _call = self.enter()?;
        let _ = trxid;
        self.begin_transaction2(grbit)
    }

    /// JetCommitTransaction2: [`Self::commit_transaction`], returning the
    /// commit's id (JET_COMMIT_ID's commitId: the version store's clock
    /// when the outermost commit took effect; 0 for an inner commit).
    /// `durable_commit_ms` is JetCommitTransaction2's cmsecDurableCommit:
    /// a lazy commit (JET_bitCommitLazyFlush) must be durable within that
    /// time. The checkpoint thread flushes the log every 250 ms; a shorter
    /// time makes the commit durable before it returns.
    pub fn commit_transaction2(&self, grbit: u32, durable_commit_ms: u32) -> Result<i64> {
        let _call = self.enter()?;
        let commit = self.commit_level(grbit)?;
        let period = crate::instance::signals::CHECKPOINT_PERIOD.as_millis();
        if grbit & JET_bitCommitLazyFlush != 0
            && durable_commit_ms > 0
            && u128::from(durable_commit_ms) < period
        {
            if let Some(log) = &self.inner.instance.log {
                log.writer.flush_all()?;
            }
        }
        Ok(commit as i64)
    }

    /// The signature of the instance's log (JET_COMMIT_ID's signLog);
    /// `None` without a log (JET_paramRecovery "off").
    pub fn log_signature(&self) -> Option<crate::log::format::LogSignature> {
        self.inner
            .instance
            .log
            .as_ref()
            .map(|log| log.writer.signature())
    }

    /// JetCommitTransaction / JetCommitTransaction2: the current save point
    /// joins the one below; the outermost commit makes every change
    /// visible to other sessions at once and returns once its log record is
    /// durable, unless JET_bitCommitLazyFlush (then within the checkpoint
    /// thread's period). JET_bitWaitLastLevel0Commit / WaitAllLevel0Commit
    /// make every earlier commit durable; JET_bitForceNewLog starts a new
    /// log generation (both also outside a transaction).
    pub fn commit_transaction(&self, grbit: u32) -> Result<()> {
        let _call = self.enter()?;
        self.commit_level(grbit).map(|_| ())
    }

    /// [`Self::commit_transaction`]; returns the outermost commit's time
    /// on the version store's clock (0 for an inner commit).
    fn commit_level(&self, grbit: u32) -> Result<u64> {
        check_grbit(
            grbit,
            JET_bitCommitLazyFlush
                | JET_bitWaitLastLevel0Commit
                | JET_bitWaitAllLevel0Commit
                | JET_bitForceNewLog,
            "JetCommitTransaction",
        )?;
        let alone = JET_bitWaitLastLevel0Commit | JET_bitWaitAllLevel0Commit | JET_bitForceNewLog;
        // JET_paramCommitDefault adds its bits to a commit's own (only
        // JET_bitCommitLazyFlush combines with a commit).
        let grbit = if grbit & alone == 0 {
            grbit
                | (self.inner.instance.commit_default.load(Ordering::Acquire)
                    & JET_bitCommitLazyFlush)
        } else {
            grbit
        };
        if grbit & alone != 0 && grbit.count_ones() > 1 {
            return Err(Error::new(JET_errInvalidGrbit).with_detail(
                "JET_bitWaitLastLevel0Commit, JET_bitWaitAllLevel0Commit and \
                 JET_bitForceNewLog each stand alone",
            ));
        }
        let mut slot = lock(&self.inner.core.transaction);
        let instance = &self.inner.instance;
        if grbit & (JET_bitWaitLastLevel0Commit | JET_bitWaitAllLevel0Commit) != 0 {
            // Makes every commit made so far durable (lazy ones included);
            // allowed outside a transaction, and commits nothing.
            if let Some(log) = &instance.log {
                log.writer.flush_all()?;
            }
            if slot.is_none() {
                return Ok(0);
            }
        }
        if grbit & JET_bitForceNewLog != 0 && slot.is_none() {
            // Allowed outside a transaction: only the new log file.
            if let Some(log) = &instance.log {
                log.writer.start_new_generation()?;
            }
            return Ok(0);
        }
        let Some(state) = slot.as_mut() else {
            return Err(not_in_transaction());
        };
        if state.level > 1 {
            let level = state.level;
            for record in state.undo.iter_mut().rev() {
                if record.level != level {
                    break;
                }
                record.level = level - 1;
            }
            for step in state.schema.iter_mut().rev() {
                if step.level != level {
                    break;
                }
                step.level = level - 1;
            }
            let cursors = state.cursors.pop().unwrap_or_default();
            if let Some(below) = state.cursors.last_mut() {
                below.extend(cursors);
            }
            state.level -= 1;
            return Ok(0);
        }
        let Some(state) = slot.take() else {
            return Err(not_in_transaction());
        };
        drop(slot);
        // The commit's record goes into the log before its changes become
        // visible: a commit that depends on them follows it in the log.
        let durable_at = match &instance.log {
            Some(log) => log.append_commit(state.log_id)?,
            None => None,
        };
        self.move_view();
        let databases = touched(&state.undo);
        let nodes = state.undo.into_iter().map(|r| r.node).collect();
        instance.versions.commit(&state.id, nodes);
        let commit = state.id.commit_time();
        for id in databases {
            if let Some(database) = instance.database_by_id(id) {
                database.note_change();
            }
        }
        let mut finished = finish_schema_steps(instance, &state.schema);
        if let (Some(log), true) = (&instance.log, has_deferred(&state.schema)) {
            if finished.is_ok() {
                finished = log.schema_finished(state.log_id);
            }
        }
        release_ddl_locks(instance, &state.ddl_databases, self.id());
        if let (Some(log), Some(end)) = (&instance.log, durable_at) {
            if grbit & JET_bitCommitLazyFlush == 0 {
                log.writer.flush_commit(end)?;
            }
        }
        finished?;
        if grbit & JET_bitForceNewLog != 0 {
            if let Some(log) = &instance.log {
                log.writer.start_new_generation()?;
            }
        }
        settle(instance).map(|()| commit)
    }

    /// JetRollback: undoes the current save point (all of them with
    /// JET_bitRollbackAll) and closes the cursors opened in it. A failure
    /// to undo is `JET_errRollbackError`.
    pub fn rollback(&self, grbit: u32) -> Result<()> {
        let _call = self.enter_as(Allowed::WindingDown)?;
        check_grbit(grbit, JET_bitRollbackAll, "JetRollback")?;
        let instance = &self.inner.instance;
        let mut slot = lock(&self.inner.core.transaction);
        let Some(state) = slot.as_mut() else {
            return Err(not_in_transaction());
        };
        let down_to = if grbit & JET_bitRollbackAll != 0 {
            1
        } else {
            state.level
        };
        roll_back_levels(instance, state, down_to)?;
        if down_to == 1 {
            if let Some(state) = slot.take() {
                instance.versions.end_rolled_back(&state.id);
                release_ddl_locks(instance, &state.ddl_databases, self.id());
                if let Some(log) = &instance.log {
                    log.rolled_back(state.log_id)?;
                }
            }
            self.move_view();
            drop(slot);
            settle(instance)?;
        } else {
            state.level = down_to - 1;
        }
        Ok(())
    }

    /// Runs `change` on the open transaction, if any.
    pub(crate) fn with_transaction(&self, change: impl FnOnce(&mut TransactionState)) {
        if let Some(state) = lock(&self.inner.core.transaction).as_mut() {
            change(state);
        }
    }

    /// Grows each time the session's transaction ends (see the field).
    pub(crate) fn view_epoch(&self) -> u64 {
        self.inner.core.view_epoch.load(Ordering::Acquire)
    }

    fn move_view(&self) {
        self.inner.core.view_epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// The session's save point depth (0 outside a transaction).
    pub fn transaction_level(&self) -> u32 {
        lock(&self.inner.core.transaction)
            .as_ref()
            .map_or(0, |s| s.level)
    }

    /// The pages of `database` as this session reads them: as of its
    /// transaction's begin, or of now outside one, with its own changes.
    pub(crate) fn pages_for(&self, database: &Database) -> CachedDatabase {
        let pages = database.pages();
        let versions = &self.inner.instance.versions;
        if versions.is_empty() {
            return pages;
        }
        let (as_of, own) = match lock(&self.inner.core.transaction).as_ref() {
            // Every version held is this transaction's own (a transaction
            // loading or deleting alone): the pages as they stand are what
            // it sees, without looking a single node up. Another writer
            // needs the database alone to add a version, not during the
            // caller's call.
            Some(state) if versions.count() == state.id.versions_held() => return pages,
            Some(state) => (state.id.begin, Some(state.id.id)),
            None => (versions.now(), None),
        };
        pages.with_view(Arc::new(Snapshot {
            store: versions.clone(),
            database: database.id(),
            as_of,
            own,
        }))
    }

    /// A flag raised when the save point open now rolls back, for a cursor
    /// opened or an update prepared in it; `previous` (the cursor's last
    /// update flag) serves again when it is still this save point's newest.
    /// `None` outside a transaction.
    pub(crate) fn register_cursor(
        &self,
        previous: Option<&Arc<AtomicBool>>,
    ) -> Option<Arc<AtomicBool>> {
        let mut slot = lock(&self.inner.core.transaction);
        let state = slot.as_mut()?;
        // The cursor's last flag, registered last at this very level and
        // not raised: it serves again (a load of a million records in one
        // transaction would otherwise keep a million flags).
        if let (Some(level), Some(previous)) = (state.cursors.last(), previous) {
            if level.last().is_some_and(|f| Arc::ptr_eq(f, previous))
                && !previous.load(Ordering::Acquire)
            {
                return Some(previous.clone());
            }
        }
        let flag = Arc::new(AtomicBool::new(false));
        if let Some(level) = state.cursors.last_mut() {
            level.push(flag.clone());
        }
        Some(flag)
    }

    /// `JET_errInTransaction` for calls ESE allows only outside a
    /// transaction.
    pub(crate) fn refuse_in_transaction(&self, function: &str) -> Result<()> {
        if self.transaction_level() > 0 {
            return Err(Error::new(JET_errInTransaction)
                .with_detail(format!("{function} is not allowed inside a transaction")));
        }
        Ok(())
    }

    /// `JET_errTransReadOnly` inside a read-only transaction.
    pub(crate) fn check_updatable(&self) -> Result<()> {
        if lock(&self.inner.core.transaction)
            .as_ref()
            .is_some_and(|s| s.read_only)
        {
            return Err(Error::new(JET_errTransReadOnly)
                .with_detail("the transaction was begun with JET_bitTransactionReadOnly"));
        }
        Ok(())
    }

    /// The conflict check of a change made without a version (an escrow
    /// update with JET_bitEscrowNoRollback): it must not land on another
    /// transaction's uncommitted change, whose rollback would erase it.
    pub(crate) fn check_access(
        &self,
        database: &Database,
        object: u32,
        key: &[u8],
        access: Access,
    ) -> Result<()> {
        let Some(id) = lock(&self.inner.core.transaction)
            .as_ref()
            .map(|s| s.id.clone())
        else {
            return Ok(());
        };
        let node = NodeKey::new(database.id(), object, key, &[]);
        self.inner
            .instance
            .versions
            .check_conflict(&id, &node, access)
    }

    /// JetGetLock's work: a read or write lock on record `bookmark` of
    /// `table` for the rest of the transaction, as a version that changes
    /// nothing but makes other transactions' changes to the record (and,
    /// for a write lock, their locks) conflict.
    pub(crate) fn lock_record(
        &self,
        database: &Database,
        table: crate::storage::btree::Tree,
        density: u32,
        bookmark: &[u8],
        write: bool,
    ) -> Result<()> {
        let instance = &self.inner.instance;
        // Under the write lock (taken first, as updates take it): another
        // writer's check and record of the same record cannot fall between
        // this check and this record.
        let _guard = database.write()?;
        let mut slot = lock(&self.inner.core.transaction);
        let Some(state) = slot.as_mut() else {
            return Err(not_in_transaction());
        };
        if write && state.read_only {
            return Err(Error::new(JET_errTransReadOnly)
                .with_detail("a write lock in a read-only transaction"));
        }
        let node = NodeKey::new(database.id(), table.object_id, bookmark, &[]);
        let access = if write {
            Access::Write
        } else {
            Access::ReadLock
        };
        instance.versions.check_conflict(&state.id, &node, access)?;
        instance.versions.reserve(0)?;
        let info = TreeInfo {
            tree: table,
            non_unique: false,
            density,
        };
        let change = if write {
            NodeChange::WriteLock
        } else {
            NodeChange::ReadLock
        };
        if database.log().is_some() {
            // Logged with the lock's (page-less) unit, so that recovery's
            // list of the transaction's changes matches its undo list.
            database
                .journal
                .lock()
                .record(state.log_id, &info, &node, &change);
        }
        instance
            .versions
            .record(&state.id, node.clone(), info, change);
        state.undo.push(UndoRecord {
            level: state.level,
            node,
        });
        Ok(())
    }

    /// Before DDL that frees or reads whole trees of `objects` (deleting a
    /// table or an index, building an index over existing rows): those
    /// trees must hold no version, or a rollback or an older snapshot would
    /// need pages that are gone. Cleanup runs first; versions that remain
    /// (a transaction still open) make it `JET_errTableInUse`. (DDL inside
    /// transactions, versioned as ESE versions it, comes later.)
    pub(crate) fn check_no_versions(&self, database: &Database, objects: &[u32]) -> Result<()> {
        let instance = &self.inner.instance;
        if !instance.versions.has_versions_in(database.id(), objects) {
            return Ok(());
        }
        clean_versions(instance)?;
        if instance.versions.has_versions_in(database.id(), objects) {
            return Err(Error::new(JET_errTableInUse).with_detail(
                "an open transaction has changes in the table (commit or roll it back first)",
            ));
        }
        Ok(())
    }

    /// [`Self::check_no_versions`] inside a transaction: the trees may
    /// hold this transaction's own versions, no one else's.
    pub(crate) fn check_foreign_versions(
        &self,
        database: &Database,
        objects: &[u32],
    ) -> Result<()> {
        let instance = &self.inner.instance;
        let own = match lock(&self.inner.core.transaction).as_ref() {
            Some(state) => state.id.id,
            None => return self.check_no_versions(database, objects),
        };
        let versions = &instance.versions;
        if !versions.has_foreign_versions_in(database.id(), objects, own) {
            return Ok(());
        }
        clean_versions(instance)?;
        if versions.has_foreign_versions_in(database.id(), objects, own) {
            return Err(Error::new(JET_errTableInUse).with_detail(
                "another open transaction has changes in the table (it must end first)",
            ));
        }
        Ok(())
    }

    /// Runs one update of `database` (the caller holds its write lock) as
    /// ESE does: inside the session's transaction, versioned; outside one,
    /// in a transaction of its own (unversioned when nothing could see the
    /// difference). An update that fails undoes what it changed, and the
    /// transaction stays usable.
    pub(crate) fn versioned_update<T>(
        &self,
        database: &Database,
        state: &mut WriteState,
        run: impl FnOnce(&mut WriteState, Option<Recorder<'_>>) -> Result<T>,
    ) -> Result<T> {
        let instance = &self.inner.instance;
        let versions = &instance.versions;
        let mut slot = lock(&self.inner.core.transaction);
        if let Some(trx) = slot.as_mut() {
            if trx.read_only {
                return Err(Error::new(JET_errTransReadOnly)
                    .with_detail("the transaction was begun with JET_bitTransactionReadOnly"));
            }
            // The update reads through this session (its snapshot), so the
            // transaction's lock is not held while it runs: the undo list
            // is taken out and put back.
            let (id, level, log_id) = (trx.id.clone(), trx.level, trx.log_id);
            let mut undo = std::mem::take(&mut trx.undo);
            drop(slot);
            let mark = undo.len();
            let sink = journal_sink(database, log_id);
            let mut recorder = Recorder::new(versions, &id, database.id(), level, &mut undo);
            if database.log().is_some() {
                recorder = recorder.with_sink(&sink);
            }
            let outcome = run(state, Some(recorder));
            let undone = match &outcome {
                Err(_) => undo_since(database, state, versions, &id, log_id, &mut undo, mark),
                Ok(_) => Ok(()),
            };
            if let Some(trx) = lock(&self.inner.core.transaction).as_mut() {
                trx.undo = undo;
            }
            undone?;
            return outcome;
        }
        drop(slot);
        // Not recursive: a waiting begin then stops new unversioned updates
        // instead of waiting behind a stream of them (an update never takes
        // this twice on one thread).
        let _gate = instance.unversioned.read();
        if versions.is_empty() && !versions.has_active() {
            return run(state, None);
        }
        let id = versions.begin();
        let log_id = instance.log_id(id.id);
        let mut undo = Vec::new();
        let sink = journal_sink(database, log_id);
        let mut recorder = Recorder::new(versions, &id, database.id(), 1, &mut undo);
        if database.log().is_some() {
            recorder = recorder.with_sink(&sink);
        }
        let outcome = run(state, Some(recorder));
        match &outcome {
            Ok(_) => {
                // ESE commits the implicit transaction of an update made
                // outside one lazily: durable with the next flush.
                if instance.log.is_some() {
                    // The unit (logged when the write lock is released)
                    // names the transaction; its commit must follow it.
                    database.journal.lock().commit_after = Some(log_id);
                }
                versions.commit(&id, undo.into_iter().map(|r| r.node).collect())
            }
            Err(_) => {
                let undone = undo_since(database, state, versions, &id, log_id, &mut undo, 0);
                versions.end_rolled_back(&id);
                undone?;
                if database.log().is_some() {
                    database.journal.lock().rolled_back_after = Some(log_id);
                }
            }
        }
        if versions.waiting() >= CLEANUP_BACKLOG {
            instance.cleanup.signal();
        }
        outcome
    }
}

fn not_in_transaction() -> Error {
    Error::new(JET_errNotInTransaction).with_detail("the session is not in a transaction")
}

/// The databases a transaction changed, in id order. (A transaction
/// changes one database or a few: a look at those found so far per change,
/// not a sort of all its changes, which for a million-row load was a
/// sort of millions.)
fn touched(undo: &[UndoRecord]) -> Vec<DatabaseId> {
    let mut ids: Vec<DatabaseId> = Vec::new();
    for record in undo {
        if !ids.contains(&record.node.database) {
            ids.push(record.node.database);
        }
    }
    ids.sort_unstable();
    ids
}
