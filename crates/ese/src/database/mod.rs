//! One attached database as the instance shares it between sessions: the
//! file in the buffer cache, its space manager and the lock writers take,
//! and the schema cache.
//!
//! Writers serialise on [`Database::write`]: until the version store
//! exists, every update runs alone from its first check to its last page
//! change, which is what makes each one atomic with respect to the others.
//! Readers do not take that lock; they read pages through the cache and
//! the schema through [`Database::schema`], an immutable snapshot replaced
//! after each DDL operation.
//!
//! A component of its own (ESE: the FMP): it uses `storage`, `catalog` and
//! `log` (a database's writes are logged units); the DDL,
//! the instance and everything above build on it, and it imports none of
//! them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::catalog::{Catalog, TableDef};
use crate::codes::*;
use crate::log::format::to_lgpos;
use crate::log::units::{InstanceLog, Journal, UnitHeader};
use crate::storage::attach::{write_header_pages, AttachedDatabase};
use crate::storage::btree::Tree;
use crate::storage::btree_write::{LeafHint, NodeVersioning, PageAllocator, TreeShape, TreeWriter};
use crate::storage::cache::{BufferCache, CachedDatabase, DatabaseId};
use crate::storage::page_source::PageSource;
use crate::storage::space::{FdpAllocator, SpaceManager, DEFAULT_EXTENSION_PAGES};
use crate::{Error, Result};

/// The schema as of one moment: every table's definition.
#[derive(Debug)]
pub struct Schema {
    pub catalog: Catalog,
    /// Bumped by every DDL operation.
    pub generation: u64,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&TableDef> {
        self.catalog.table(name)
    }

    pub fn table_by_id(&self, object_id: u32) -> Option<&TableDef> {
        self.catalog
            .tables
            .iter()
            .find(|t| t.object_id == object_id)
    }
}

/// The access a cursor took on its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CursorLock {
    pub session: u64,
    /// Opened for writing (not JET_bitTableReadOnly).
    pub writes: bool,
    pub deny_read: bool,
    pub deny_write: bool,
}

/// How a session's open transaction holds a table it changed the schema
/// of (see `instance/schema_transaction.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DdlLockKind {
    /// Created in the transaction: other sessions do not see it.
    Created,
    /// Its columns or indexes changed: other sessions cannot open it.
    Changed,
    /// Deleted in the transaction (the deletion happens at commit): the
    /// session no longer sees it, others cannot open it.
    Deleted,
}

/// A table's DDL lock: the session holding it and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DdlLock {
    pub session: u64,
    pub kind: DdlLockKind,
}

/// A map by tree (object id) that every change consults: hashed with
/// foldhash, not SipHash (several look-ups per row inserted).
pub type PerTree<V> = foldhash::HashMap<u32, V>;

/// What writers share under the write lock.
#[derive(Debug)]
pub struct WriteState {
    pub space: SpaceManager,
    /// Next autoincrement value per table object id, learned on first use.
    pub autoincrement: PerTree<u64>,
    /// Next record id (ESE: DBK) per table without a primary index.
    pub sequential: PerTree<u32>,
    /// Next long-value id per table, learned on first use.
    pub long_value_ids: PerTree<u32>,
    /// Per tree (object id), the leaf its next change may land in without
    /// a descent: where its last change landed, or where a cursor about to
    /// change its record stands (see `storage::btree_write::LeafHint`).
    pub leaf_hints: PerTree<LeafHint>,
    /// Per tree (object id, never reused), its shape, learned from its
    /// root by the first writer (so that later ones need not read it).
    pub tree_shapes: PerTree<TreeShape>,
}

/// An attached database.
pub struct Database {
    path: PathBuf,
    cache: Arc<BufferCache>,
    id: DatabaseId,
    page_size: usize,
    read_only: bool,
    file_pages: AtomicU32,
    attached: Mutex<Option<AttachedDatabase>>,
    write: Mutex<Option<WriteState>>,
    schema: RwLock<Arc<Schema>>,
    /// The schema snapshot's generation, readable without the lock: a
    /// cursor checks it on every call to see whether its copy is current.
    schema_generation: AtomicU64,
    /// Bumped by every change to any page of the database, so that
    /// cursors know when a record they copied may be stale.
    changes: AtomicU64,
    /// Sessions that have the database open (JetOpenDatabase).
    pub(crate) opened: AtomicUsize,
    /// Open cursors by table object id, each with its session and the
    /// access it took (JetOpenTable's deny options, JetDeleteTable's
    /// table in use).
    cursors: Mutex<HashMap<u32, Vec<CursorLock>>>,
    /// Tables whose schema an open transaction changed, by object id, and
    /// indexes it deleted (hidden from that session until the commit).
    ddl_locks: Mutex<HashMap<u32, DdlLock>>,
    hidden_indexes: Mutex<HashMap<u32, u64>>,
    /// Readers share it for one API call; a writer holds it alone while it
    /// changes pages, so no reader sees a tree between two page changes.
    /// (The version store will let readers and writers overlap.)
    access: parking_lot::RwLock<()>,
    /// The instance's log, when it logs (JET_paramRecovery on) and the
    /// database is writable.
    log: Option<Arc<InstanceLog>>,
    /// What the unit under way records besides its pages.
    pub(crate) journal: parking_lot::Mutex<Journal>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Database {
    /// Attaches the database file at `path` to `cache`; a writable one is
    /// bound to `log` (its header names the log and the position of the
    /// attachment, and every change is logged). `recovering`: the header
    /// may say dirty shutdown (recovery's undo pass attaches it so).
    pub(crate) fn attach(
        cache: Arc<BufferCache>,
        path: &Path,
        read_only: bool,
        log: Option<Arc<InstanceLog>>,
        recovering: bool,
        hook: Option<&DatabaseFileHook>,
    ) -> Result<Arc<Self>> {
        let log = if read_only { None } else { log };
        let wrap = hook.map(|h| h.0.clone());
        let mut attached =
            AttachedDatabase::attach_wrapped(cache.clone(), path, read_only, recovering, wrap)?;
        if let Some(log) = &log {
            let bound = log
                .attached(attached.id(), path.to_path_buf())
                .and_then(|position| attached.bind_log(log.writer.signature(), position))
                .and_then(|()| cache.require_units(attached.id()));
            if let Err(error) = bound {
                let _ = attached.detach();
                return Err(error);
            }
        }
        let write = if read_only {
            None
        } else {
            Some(WriteState {
                space: SpaceManager::new(&attached, DEFAULT_EXTENSION_PAGES)?,
                autoincrement: PerTree::default(),
                sequential: PerTree::default(),
                long_value_ids: PerTree::default(),
                leaf_hints: PerTree::default(),
                tree_shapes: PerTree::default(),
            })
        };
        let pages = attached.pages()?;
        let catalog = Catalog::load(&pages).map_err(|e| e.in_file(path));
        let catalog = match catalog {
            Ok(catalog) => catalog,
            Err(error) => {
                let _ = attached.detach();
                return Err(error);
            }
        };
        let database = Database {
            path: path.to_path_buf(),
            cache,
            id: attached.id(),
            page_size: attached.page_size(),
            read_only,
            file_pages: AtomicU32::new(pages.last_page()),
            attached: Mutex::new(Some(attached)),
            write: Mutex::new(write),
            schema: RwLock::new(Arc::new(Schema {
                catalog,
                generation: 0,
            })),
            schema_generation: AtomicU64::new(0),
            changes: AtomicU64::new(0),
            opened: AtomicUsize::new(0),
            cursors: Mutex::new(HashMap::new()),
            ddl_locks: Mutex::new(HashMap::new()),
            hidden_indexes: Mutex::new(HashMap::new()),
            access: parking_lot::RwLock::new(()),
            log,
            journal: parking_lot::Mutex::new(Journal::default()),
        };
        Ok(Arc::new(database))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn page_size(&self) -> usize {
        self.page_size
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn cache(&self) -> &Arc<BufferCache> {
        &self.cache
    }

    pub fn id(&self) -> DatabaseId {
        self.id
    }

    /// The pages as they are now, for reading.
    pub fn pages(&self) -> CachedDatabase {
        CachedDatabase::new(
            self.cache.clone(),
            self.id,
            self.file_pages.load(Ordering::Acquire),
        )
    }

    /// The generation of the current schema snapshot (it only grows).
    pub fn schema_generation(&self) -> u64 {
        self.schema_generation.load(Ordering::Acquire)
    }

    /// The current schema snapshot.
    pub fn schema(&self) -> Arc<Schema> {
        self.schema
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Registers a cursor on table `table_id` with the access it asks
    /// for (ESE: JetOpenTable's JET_bitTableDenyRead / DenyWrite):
    /// `JET_errTableLocked` when another session's cursor denies it,
    /// `JET_errTableInUse` when it would deny what another session's
    /// cursor already has.
    pub fn lock_cursor(&self, table_id: u32, lock: CursorLock) -> Result<()> {
        let mut cursors = self
            .cursors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Under the cursors' lock, which DDL locks are taken under too: a
        // transaction cannot take the table between this check and the
        // registration.
        self.check_ddl_lock(table_id, lock.session)?;
        let open = cursors.entry(table_id).or_default();
        let others = open.iter().filter(|c| c.session != lock.session);
        for other in others {
            if other.deny_read || (other.deny_write && lock.writes) {
                return Err(Error::new(JET_errTableLocked)
                    .with_detail("another session opened the table denying that access"));
            }
            if lock.deny_read || (lock.deny_write && other.writes) {
                return Err(
                    Error::new(JET_errTableInUse).with_detail("another session has the table open")
                );
            }
        }
        open.push(lock);
        Ok(())
    }

    /// Releases one cursor's registration.
    pub fn unlock_cursor(&self, table_id: u32, lock: &CursorLock) {
        let mut cursors = self
            .cursors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(open) = cursors.get_mut(&table_id) {
            if let Some(at) = open.iter().position(|c| c == lock) {
                open.swap_remove(at);
            }
        }
    }

    /// `JET_errObjectNotFound` / `JET_errTableLocked` when an open
    /// transaction's DDL keeps `session` from opening table `table_id`.
    pub fn check_ddl_lock(&self, table_id: u32, session: u64) -> Result<()> {
        let locks = self
            .ddl_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(lock) = locks.get(&table_id) else {
            return Ok(());
        };
        let hidden = match lock.kind {
            DdlLockKind::Created => lock.session != session,
            DdlLockKind::Deleted => lock.session == session,
            DdlLockKind::Changed => false,
        };
        if hidden {
            return Err(Error::new(JET_errObjectNotFound)
                .with_detail("the table was created or deleted by a transaction not committed"));
        }
        if lock.session != session {
            return Err(Error::new(JET_errTableLocked)
                .with_detail("another session's open transaction changed the table's schema"));
        }
        Ok(())
    }

    /// Takes or strengthens `session`'s DDL lock on table `table_id`:
    /// `JET_errTableInUse` when another session has a cursor on it,
    /// `JET_errTableLocked` when another transaction holds it.
    pub fn take_ddl_lock(&self, table_id: u32, session: u64, kind: DdlLockKind) -> Result<()> {
        let cursors = self
            .cursors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let others = cursors
            .get(&table_id)
            .is_some_and(|open| open.iter().any(|c| c.session != session));
        let mut locks = self
            .ddl_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match locks.get(&table_id) {
            Some(lock) if lock.session != session => {
                return Err(Error::new(JET_errTableLocked)
                    .with_detail("another session's open transaction changed the table's schema"))
            }
            Some(lock) if lock.kind == DdlLockKind::Created && kind == DdlLockKind::Changed => {
                return Ok(());
            }
            _ => {}
        }
        if others {
            return Err(
                Error::new(JET_errTableInUse).with_detail("another session has the table open")
            );
        }
        locks.insert(table_id, DdlLock { session, kind });
        Ok(())
    }

    /// The DDL lock on table `table_id`, if any.
    pub fn ddl_lock(&self, table_id: u32) -> Option<DdlLock> {
        self.ddl_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&table_id)
            .copied()
    }

    /// Releases every DDL lock and hidden index of `session`.
    pub fn release_ddl_locks(&self, session: u64) {
        self.ddl_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|_, lock| lock.session != session);
        self.hidden_indexes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|_, owner| *owner != session);
    }

    /// Hides index `index_id` from `session` (it deleted it; the deletion
    /// happens at commit).
    pub fn hide_index(&self, index_id: u32, session: u64) {
        self.hidden_indexes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(index_id, session);
    }

    /// True when `session` deleted index `index_id` in its open transaction.
    pub fn index_hidden(&self, index_id: u32, session: u64) -> bool {
        self.hidden_indexes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&index_id)
            .is_some_and(|owner| *owner == session)
    }

    /// Cursors open on table `table_id`.
    pub fn cursors_on(&self, table_id: u32) -> usize {
        self.cursors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&table_id)
            .map_or(0, Vec::len)
    }

    /// Runs `change` on a writer over `tree` whose new pages come from the
    /// tree's own space and whose changes carry a new database time;
    /// `versioning` versions them (a transaction's changes) or not
    /// (rollback, cleanup). The caller holds the write lock (`state`).
    pub(crate) fn with_tree_writer<T>(
        &self,
        state: &mut WriteState,
        tree: Tree,
        density: u32,
        versioning: Option<&mut dyn NodeVersioning>,
        change: impl FnOnce(&mut TreeWriter<'_>) -> Result<T>,
    ) -> Result<T> {
        let db_time = state.space.tick();
        let mut allocator = UnitAllocator {
            pages: state.space.allocator(tree.root),
            database: self,
        };
        let mut writer = match state.tree_shapes.get(&tree.object_id) {
            Some(&shape) => {
                TreeWriter::with_shape(&self.cache, self.id, tree, density, &mut allocator, shape)?
            }
            None => {
                let writer = TreeWriter::open(&self.cache, self.id, tree, density, &mut allocator)?;
                state.tree_shapes.insert(tree.object_id, writer.shape());
                writer
            }
        };
        writer.set_time(db_time, 1);
        writer.set_leaf_hint(state.leaf_hints.get(&tree.object_id).copied());
        if let Some(versioning) = versioning {
            writer.set_versioning(versioning);
        }
        let writes_before = self.cache.unit_writes(self.id);
        let outcome = change(&mut writer);
        match writer.leaf_hint() {
            Some(hint) => state.leaf_hints.insert(tree.object_id, hint),
            None => state.leaf_hints.remove(&tree.object_id),
        };
        if let Err(error) = &outcome {
            if self.cache.unit_writes(self.id) != writes_before && leaves_pages_unknown(error) {
                self.fail_unit(error);
            }
        }
        outcome
    }

    /// An operation failed for want of its pages (an I/O error, a full
    /// disk) after it began changing them: the tree may be between two
    /// page changes, so the unit must never reach the log. The log is made
    /// to fail (every later update and commit is `JET_errLogWriteFail`, the
    /// unit's pages stay pinned and unwritten) and the next start recovers
    /// the database from the log as it was before the unit.
    fn fail_unit(&self, error: &Error) {
        if let Some(log) = &self.log {
            log.writer.poison(error);
        }
    }

    /// Records a change that altered what readers see without a page
    /// change (a commit), so that cursors read again.
    pub(crate) fn note_change(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    /// How many changes the database has seen.
    pub fn change_count(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// Takes the write lock; `JET_errPermissionDenied` for a database
    /// attached read-only.
    pub fn write(&self) -> Result<WriteGuard<'_>> {
        let guard = self
            .write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            return Err(Error::new(JET_errPermissionDenied)
                .with_detail("the database is attached read-only"));
        }
        if let Some(log) = &self.log {
            // A log that failed takes no more changes (ESE stops its
            // instance's updates the same way).
            log.writer.check_failure()?;
        }
        let access = self.access.write();
        if self.log.is_some() {
            self.cache.begin_unit(self.id)?;
        }
        Ok(WriteGuard {
            database: self,
            guard,
            _access: access,
        })
    }

    /// Logs the unit the write lock's holder made (see `log/units.rs`).
    fn end_unit(&self, state: &mut WriteState) -> Result<()> {
        self.end_unit_with(&mut state.space)
    }

    fn end_unit_with(&self, space: &mut SpaceManager) -> Result<()> {
        let Some(log) = &self.log else {
            return Ok(());
        };
        let mut journal = std::mem::take(&mut *self.journal.lock());
        let commit_after = journal.commit_after.take();
        let rolled_back_after = journal.rolled_back_after.take();
        let header = UnitHeader {
            db_time: space.tick(),
            last_object_id: space.last_object_id(),
            file_length: (u64::from(space.file_pages()) + 2) * self.page_size as u64,
        };
        let logged = self.cache.end_unit(self.id, header.db_time, |pages| {
            log.log_unit(self.id, header, &mut journal, pages)
        });
        {
            // The unit's node list, emptied, serves the next unit.
            let mut next = self.journal.lock();
            if next.nodes.capacity() == 0 {
                journal.nodes.clear();
                journal.nodes.shrink_to(256);
                next.nodes = std::mem::take(&mut journal.nodes);
            }
        }
        if let Err(error) = logged {
            // Pages changed that the log does not hold: they stay pinned
            // and unwritable, and no later change may be logged after them.
            log.writer.poison(&error);
            return Err(error);
        }
        if let Some(transaction) = commit_after {
            log.append_commit(transaction)?;
        }
        if let Some(transaction) = rolled_back_after {
            log.rolled_back(transaction)?;
        }
        Ok(())
    }

    /// The instance's log, if the database is logged.
    pub(crate) fn log(&self) -> Option<&Arc<InstanceLog>> {
        self.log.as_ref()
    }

    /// Writes every changed page of the database and syncs its file, so
    /// that every update made so far survives a power loss. Until the log
    /// exists (issue 8) this is the only way to make changes durable; it
    /// waits for the update in progress, if any, and lets readers go on.
    /// Nothing to do for a database attached read-only.
    pub fn flush(&self) -> Result<()> {
        let guard = self
            .write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            return Ok(());
        }
        self.cache.flush(self.id())
    }

    /// Shares the database with other readers for one API call. Taken
    /// recursively (a call may make another); never held while taking
    /// [`Database::write`] on the same thread.
    pub fn read_access(&self) -> parking_lot::RwLockReadGuard<'_, ()> {
        self.access.read_recursive()
    }

    /// Reloads the schema from the catalog after a DDL change.
    fn reload_schema(&self) -> Result<()> {
        let catalog = Catalog::load(&self.pages())?;
        let mut schema = self
            .schema
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let generation = schema.generation + 1;
        *schema = Arc::new(Schema {
            catalog,
            generation,
        });
        self.schema_generation.store(generation, Ordering::Release);
        Ok(())
    }

    /// The header as the instance keeps it (`None` once detached).
    pub(crate) fn header(&self) -> Option<ese_format::header::DatabaseHeader> {
        self.attached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
            .map(|attached| attached.header().clone())
    }

    /// Changes the header and writes it at once; nothing once detached.
    pub(crate) fn update_header(
        &self,
        change: impl FnOnce(&mut ese_format::header::DatabaseHeader),
    ) -> Result<()> {
        match self
            .attached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_mut()
        {
            Some(attached) => attached.update_header(change),
            None => Ok(()),
        }
    }

    /// Writes every dirty page, marks the header clean and releases the
    /// file (JetDetachDatabase).
    pub fn detach(&self) -> Result<()> {
        let write = self
            .write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        let Some(mut attached) = self
            .attached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
        else {
            return Ok(());
        };
        if let Some(state) = write {
            attached.record_progress(state.space.last_object_id(), state.space.db_time());
        }
        match &self.log {
            Some(log) => {
                // Pages first (the log before each, by the write-ahead
                // rule), then the header clean as of the log's end, then the
                // detachment in the log.
                attached.detach_logged(log.writer.end())?;
                log.detached(self.id)
            }
            None => attached.detach(),
        }
    }
}

impl Database {
    /// JET_paramDbExtensionSize: the pages the file grows by.
    pub(crate) fn set_extension_pages(&self, pages: u32) {
        let mut guard = self
            .write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(state) = guard.as_mut() {
            state.space.set_extension_pages(pages);
        }
    }

    /// Closes the file without writing anything more to it (JetTerm2 with
    /// JET_bitTermDirty): its header stays dirty and the cache's changes
    /// are dropped, so the next start recovers them from the log.
    pub fn abandon(&self) -> Result<()> {
        let write = self
            .write
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        drop(write);
        let attached = self
            .attached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if attached.is_some() {
            self.cache.discard(self.id)?;
        }
        Ok(())
    }
}

/// Errors that can stop a B+tree operation between two of its page
/// changes: the pages could not be read, written or allocated. (The
/// operations check everything else before their first change.)
fn leaves_pages_unknown(error: &Error) -> bool {
    matches!(
        error.code(),
        JET_errDiskIO
            | JET_errDiskFull
            | JET_errOutOfDatabaseSpace
            | JET_errReadVerifyFailure
            | JET_errFileIOBeyondEOF
            | JET_errFileAccessDenied
            | JET_errOutOfMemory
            | JET_errOutOfBuffers
            | JET_errPageNotInitialized
            | JET_errBadPageLink
            | JET_errBadParentPageLink
            | JET_errInternalError
            | JET_errLogWriteFail
    )
}

/// The write lock, held for one update or DDL operation.
pub struct WriteGuard<'a> {
    database: &'a Database,
    guard: MutexGuard<'a, Option<WriteState>>,
    _access: parking_lot::RwLockWriteGuard<'a, ()>,
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        if let Some(state) = self.guard.as_mut() {
            // A failure is the log's: it stays failed (JET_errLogWriteFail
            // for every later call) and the unit's pages never reach the
            // file, so nothing more can be done here.
            let _ = self.database.end_unit(state);
        }
    }
}

impl WriteGuard<'_> {
    pub fn state(&mut self) -> &mut WriteState {
        self.guard
            .as_mut()
            .expect("the write guard is only made over a writable state")
    }

    /// Records that pages changed (and the file may have grown).
    pub fn changed(&mut self) {
        let pages = self.state().space.file_pages();
        self.database.file_pages.store(pages, Ordering::Release);
        self.database.changes.fetch_add(1, Ordering::AcqRel);
    }

    /// Records a schema change: the catalog is read again.
    pub fn schema_changed(&mut self) -> Result<()> {
        self.changed();
        self.database.reload_schema()
    }
}

/// A tree's pages from its own space, with the unit's parts ended where
/// the writer says an update has grown too large to stay pinned.
struct UnitAllocator<'a> {
    pages: FdpAllocator<'a>,
    database: &'a Database,
}

impl PageAllocator for UnitAllocator<'_> {
    fn allocate(&mut self) -> Result<u32> {
        self.pages.allocate()
    }

    fn release(&mut self, page: u32) -> Result<()> {
        self.pages.release(page)
    }

    fn end_unit_part(&mut self) -> Result<()> {
        if self.database.log.is_none() {
            return Ok(());
        }
        // The part is a unit of its own: redo applies it by itself, and
        // the update's node changes logged with it are undone, if its
        // transaction never commits, with those of the later parts.
        self.database.end_unit_with(self.pages.space())?;
        self.database.cache.begin_unit(self.database.id)
    }
}

/// The log-bound steps of attaching and detaching: they name log positions,
/// which the storage layer below the log does not know.
impl AttachedDatabase {
    /// Binds the database to a log sequence: the header names its signature
    /// and where in it the database was attached (written at once).
    pub fn bind_log(
        &mut self,
        signature: crate::log::LogSignature,
        attached_at: crate::log::LogPosition,
    ) -> Result<()> {
        self.header.log_signature = signature.to_header();
        self.header.attach_position = crate::log::format::to_lgpos(attached_at);
        write_header_pages(self.file.as_ref(), self.page_size, &self.header)
    }

    /// [`Self::detach`] of a logged database: the header also records the
    /// log position at which it is consistent.
    pub fn detach_logged(mut self, at: crate::log::LogPosition) -> Result<()> {
        let lgpos = to_lgpos(at);
        self.header.consistent_position = lgpos;
        self.header.detach_position = lgpos;
        self.detach()
    }
}

/// See [`crate::api::InstanceOptions::database_file_hook`].
#[derive(Clone)]
pub struct DatabaseFileHook(pub Arc<crate::storage::io::FileWrapper>);

impl std::fmt::Debug for DatabaseFileHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseFileHook")
    }
}

/// The database handle a session gets from JetOpenDatabase (JET_DBID).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DbId(pub u32);
