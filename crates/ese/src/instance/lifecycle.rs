//! Instances and the database calls of sessions (ESE: JetCreateInstance /
//! JetInit, JetBeginSession, JetCreateDatabase, JetAttachDatabase,
//! JetOpenDatabase, JetCloseDatabase, JetDetachDatabase).
//!
//! An instance owns a buffer cache, the databases attached to it, its log
//! and its background threads (its shared state is `inner.rs`); a session
//! names the databases it has opened by [`DbId`]. What a session is and
//! how it winds down is in
//! `session.rs`; the registry of instances, system parameters, JetTerm and
//! JetStopService in their own modules.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::catalog::create::create_database;
use crate::codes::*;
use crate::database::Database;
use crate::database::DbId;
use crate::grbit::*;
use crate::instance::checkpoint_thread::start_checkpoint_thread;
use crate::instance::cleanup::clean_versions;
use crate::instance::cleanup::start_cleanup_thread;
use crate::instance::counters::Counters;
use crate::instance::defrag_tasks::DefragTasks;
use crate::instance::inner::{InstanceInner, InstanceOptions, RecoveryReport, CACHE_MIN_PAGES};
use crate::instance::mutex::lock;
use crate::instance::recovery::finish_recovery;
use crate::instance::recovery::start_log;
use crate::instance::service_state::ServiceState;
use crate::instance::session::{begin_session, Session};
use crate::instance::session_core::Allowed;
use crate::instance::signals::CheckpointSignal;
use crate::instance::signals::CleanupSignal;
use crate::storage::cache::BufferCache;
use crate::storage::double_write::DoubleWrite;
use crate::version::VersionStats;
use crate::version::VersionStore;
use crate::{Error, Result};

/// A running instance (ESE: JET_INSTANCE after JetInit).
#[derive(Clone)]
pub struct Instance {
    /// Dropped first: the background threads stop (and are waited for)
    /// when the last handle goes, so the instance's own end (closing its
    /// files) happens on the caller's thread, not on one of theirs.
    pub(crate) threads: Arc<BackgroundThreads>,
    pub(crate) inner: Arc<InstanceInner>,
}

/// The instance's background threads (version cleanup, checkpoints).
pub(crate) struct BackgroundThreads {
    inner: std::sync::Weak<InstanceInner>,
    handles: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

impl BackgroundThreads {
    /// Stops the threads and waits for them.
    pub(crate) fn stop(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.defrag.stop_all();
            inner.cleanup.stop();
            inner.checkpoints.stop();
        }
        for handle in std::mem::take(&mut *lock(&self.handles)) {
            let _ = handle.join();
        }
    }
}

impl Drop for BackgroundThreads {
    fn drop(&mut self) {
        self.stop();
    }
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance")
            .field("system_path", &self.inner.options.system_path)
            .finish()
    }
}

impl Instance {
    /// JetCreateInstance + JetInit on a system directory (created when
    /// missing).
    pub fn new(options: InstanceOptions) -> Result<Self> {
        if ![4096, 8192, 16384, 32768].contains(&options.page_size) {
            return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                "JET_paramDatabasePageSize {} (4096, 8192, 16384 or 32768)",
                options.page_size
            )));
        }
        let mut directories = vec![options.system_path.clone()];
        directories.extend(options.log.log_path.clone());
        for directory in &directories {
            if options.create_paths {
                std::fs::create_dir_all(directory).map_err(|e| {
                    Error::new(JET_errInvalidPath)
                        .with_file(directory)
                        .with_detail(e.to_string())
                })?;
            } else if !directory.is_dir() {
                return Err(Error::new(JET_errInvalidPath)
                    .with_file(directory)
                    .with_detail(
                        "the directory does not exist (JET_paramCreatePathIfNotExist is off)",
                    ));
            }
        }
        let cache = BufferCache::new(
            options.cache_min_pages.clamp(2, CACHE_MIN_PAGES),
            options.cache_max_pages.max(CACHE_MIN_PAGES),
        )?;
        let max_version_pages = options.max_version_pages;
        let (log, redone) = start_log(&options)?;
        if let Some(log) = &log {
            cache.set_write_ahead_gate(log.writer.clone());
            // Recovery has used what the double-write file held; from now
            // on it protects this run's page writes.
            let double_write = DoubleWrite::create(&log.writer.config().names.double_write())?;
            cache.set_double_write(Some(Arc::new(double_write)));
        }
        let log_base = log
            .as_ref()
            .map_or(0, |l| u64::from(l.writer.generation()) << 40);
        let checkpoint_depth = AtomicU64::new(options.log.checkpoint_depth_max);
        let commit_default = std::sync::atomic::AtomicU32::new(options.commit_default);
        let online_defrag = options.online_defrag;
        let db_extension = options.db_extension_pages;
        let inner = Arc::new(InstanceInner {
            options,
            cache,
            databases: Mutex::new(HashMap::new()),
            next_session: AtomicU64::new(1),
            versions: Arc::new(VersionStore::new(max_version_pages)),
            unversioned: parking_lot::RwLock::new(()),
            cleanup: Arc::new(CleanupSignal::default()),
            log,
            checkpoints: Arc::new(CheckpointSignal::default()),
            log_base,
            recovery: Mutex::new(None),
            unclean: std::sync::atomic::AtomicBool::new(false),
            service: ServiceState::default(),
            defrag: DefragTasks::default(),
            backup: Default::default(),
            counters: Counters::default(),
            checkpoint_depth,
            commit_default,
            online_defrag: std::sync::atomic::AtomicU32::new(online_defrag),
            db_extension: std::sync::atomic::AtomicU32::new(db_extension),
            sessions: Mutex::new(HashMap::new()),
        });
        let threads = Arc::new(BackgroundThreads {
            inner: Arc::downgrade(&inner),
            handles: Mutex::new(vec![start_cleanup_thread(&inner)?]),
        });
        if let Some(redone) = redone {
            let report = finish_recovery(&inner, redone)?;
            *lock(&inner.recovery) = Some(report);
        }
        if let Some(log) = &inner.log {
            log.write_checkpoint(log.writer.end())?;
        }
        if let Some(handle) = start_checkpoint_thread(&inner)? {
            lock(&threads.handles).push(handle);
        }
        Ok(Instance { threads, inner })
    }

    /// A convenience: an instance on `system_path` with default settings.
    pub fn init(system_path: impl Into<PathBuf>) -> Result<Self> {
        Self::new(InstanceOptions::new(system_path))
    }

    /// JetBeginSession.
    pub fn begin_session(&self) -> Result<Session> {
        self.inner.check_service()?;
        begin_session(&self.inner)
    }

    /// What recovery did when the instance started (`None` when there was
    /// no log to read: a new log, or JET_paramRecovery off).
    pub fn recovery_report(&self) -> Option<RecoveryReport> {
        lock(&self.inner.recovery).clone()
    }

    /// The system directory.
    pub fn system_path(&self) -> &Path {
        &self.inner.options.system_path
    }
}

/// The canonical form of a database path (its directory resolved), so
/// that two spellings of one file name one attachment.
fn canonical(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(Error::new(JET_errInvalidPath).with_detail("an empty database path"));
    }
    if let Ok(full) = path.canonicalize() {
        return Ok(full);
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::new(JET_errInvalidPath).with_file(path))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = parent.canonicalize().map_err(|e| {
        Error::new(JET_errInvalidPath)
            .with_file(path)
            .with_detail(e.to_string())
    })?;
    Ok(parent.join(name))
}

impl Session {
    pub(crate) fn database(&self, dbid: DbId) -> Result<Arc<Database>> {
        lock(&self.inner.open)
            .get(dbid.0 as usize)
            .cloned()
            .flatten()
            .ok_or_else(|| {
                Error::new(JET_errInvalidDatabaseId)
                    .with_detail(format!("database handle {} is not open", dbid.0))
            })
    }

    /// The handle `database` is open under (the first, when the session
    /// opened it more than once).
    pub(crate) fn dbid_of(&self, database: &Arc<Database>) -> Option<DbId> {
        lock(&self.inner.open)
            .iter()
            .position(|slot| slot.as_ref().is_some_and(|d| Arc::ptr_eq(d, database)))
            .map(|i| DbId(i as u32))
    }

    fn register(&self, database: Arc<Database>) -> DbId {
        database.opened.fetch_add(1, Ordering::AcqRel);
        let mut open = lock(&self.inner.open);
        if let Some(slot) = open.iter().position(Option::is_none) {
            open[slot] = Some(database);
            return DbId(slot as u32);
        }
        open.push(Some(database));
        DbId(open.len() as u32 - 1)
    }

    /// JetCreateDatabase: creates, attaches and opens a new database.
    /// `JET_errDatabaseDuplicate` when the file exists (unless
    /// JET_bitDbOverwriteExisting).
    pub fn create_database(&self, path: impl AsRef<Path>, grbit: u32) -> Result<DbId> {
        let _call = self.enter()?;
        self.refuse_in_transaction("JetCreateDatabase")?;
        let allowed = JET_bitDbRecoveryOff | JET_bitDbShadowingOff | JET_bitDbOverwriteExisting;
        check_grbit(grbit, allowed, "JetCreateDatabase")?;
        let path = canonical(path.as_ref())?;
        let mut databases = lock(&self.inner.instance.databases);
        if databases.contains_key(&path) {
            return Err(Error::new(JET_errDatabaseDuplicate)
                .with_file(&path)
                .with_detail("the database is attached to this instance"));
        }
        if path.exists() {
            if grbit & JET_bitDbOverwriteExisting == 0 {
                return Err(Error::new(JET_errDatabaseDuplicate)
                    .with_file(&path)
                    .with_detail("the file exists"));
            }
            std::fs::remove_file(&path).map_err(|e| {
                Error::new(JET_errFileAccessDenied)
                    .with_file(&path)
                    .with_detail(e.to_string())
            })?;
        }
        create_database(&path, self.inner.instance.options.page_size)?;
        let database = Database::attach(
            self.inner.instance.cache.clone(),
            &path,
            false,
            self.inner.instance.log.clone(),
            false,
            self.inner.instance.options.database_file_hook.as_ref(),
        )?;
        database.set_extension_pages(self.inner.instance.db_extension.load(Ordering::Acquire));
        databases.insert(path, database.clone());
        drop(databases);
        Ok(self.register(database))
    }

    /// JetAttachDatabase: returns `JET_wrnDatabaseAttached` (1007) when the
    /// database already is, else 0.
    pub fn attach_database(&self, path: impl AsRef<Path>, grbit: u32) -> Result<i32> {
        let _call = self.enter()?;
        check_grbit(
            grbit,
            JET_bitDbReadOnly | JET_bitDbDeleteCorruptIndexes,
            "JetAttachDatabase",
        )?;
        let path = path.as_ref();
        if !path.exists() {
            return Err(Error::new(JET_errFileNotFound).with_file(path));
        }
        let path = canonical(path)?;
        let mut databases = lock(&self.inner.instance.databases);
        if databases.contains_key(&path) {
            return Ok(JET_wrnDatabaseAttached);
        }
        let read_only = grbit & JET_bitDbReadOnly != 0;
        let database = Database::attach(
            self.inner.instance.cache.clone(),
            &path,
            read_only,
            self.inner.instance.log.clone(),
            false,
            self.inner.instance.options.database_file_hook.as_ref(),
        )?;
        database.set_extension_pages(self.inner.instance.db_extension.load(Ordering::Acquire));
        databases.insert(path, database);
        Ok(JET_errSuccess)
    }

    /// JetDetachDatabase: `JET_errDatabaseInUse` while a session has it
    /// open; `JET_errDatabaseNotFound` when it is not attached. `None`
    /// detaches every database no session has open.
    pub fn detach_database(&self, path: Option<&Path>) -> Result<()> {
        let _call = self.enter_as(Allowed::WindingDown)?;
        self.refuse_in_transaction("JetDetachDatabase")?;
        // Online defragmentation of what goes is stopped first (outside
        // the database map's lock, which its steps must not wait for).
        for database in self.inner.instance.attached_databases() {
            if path.is_none_or(|p| canonical(p).is_ok_and(|p| p == database.path())) {
                self.inner.instance.defrag.stop_for_detach(database.id());
            }
        }
        // Committed deletes are finished on the pages before the file
        // goes; versions still held (an open transaction) are forgotten
        // with the database.
        crate::instance::cleanup::clean_versions(&self.inner.instance)?;
        let versions = &self.inner.instance.versions;
        let mut databases = lock(&self.inner.instance.databases);
        let Some(path) = path else {
            let idle: Vec<PathBuf> = databases
                .iter()
                .filter(|(_, d)| d.opened.load(Ordering::Acquire) == 0)
                .map(|(p, _)| p.clone())
                .collect();
            for key in idle {
                // A database an open transaction changed stays attached.
                if databases
                    .get(&key)
                    .is_some_and(|d| versions.has_versions_of(d.id()))
                {
                    continue;
                }
                if let Some(database) = databases.remove(&key) {
                    versions.forget_database(database.id());
                    self.detach_or_mark(&database)?;
                }
            }
            return Ok(());
        };
        let path = canonical(path)?;
        let database = databases
            .get(&path)
            .cloned()
            .ok_or_else(|| Error::new(JET_errDatabaseNotFound).with_file(&path))?;
        if database.opened.load(Ordering::Acquire) > 0 {
            return Err(Error::new(JET_errDatabaseInUse)
                .with_file(&path)
                .with_detail("a session still has the database open"));
        }
        if versions.has_versions_of(database.id()) {
            return Err(Error::new(JET_errDatabaseInUse)
                .with_file(&path)
                .with_detail("an open transaction has changes in the database"));
        }
        databases.remove(&path);
        versions.forget_database(database.id());
        self.detach_or_mark(&database)
    }

    /// Detaches `database`; a failure leaves the instance needing its log
    /// (see `InstanceInner::unclean`).
    fn detach_or_mark(&self, database: &Database) -> Result<()> {
        let outcome = database.detach();
        if outcome.is_err() {
            self.inner
                .instance
                .unclean
                .store(true, std::sync::atomic::Ordering::Release);
        }
        outcome
    }

    /// JetOpenDatabase: a handle on an attached database.
    pub fn open_database(&self, path: impl AsRef<Path>, grbit: u32) -> Result<DbId> {
        let _call = self.enter()?;
        check_grbit(
            grbit,
            JET_bitDbReadOnly | JET_bitDbExclusive,
            "JetOpenDatabase",
        )?;
        let path = canonical(path.as_ref())?;
        let database = lock(&self.inner.instance.databases)
            .get(&path)
            .cloned()
            .ok_or_else(|| {
                Error::new(JET_errDatabaseNotFound)
                    .with_file(&path)
                    .with_detail("the database is not attached (JetAttachDatabase)")
            })?;
        if grbit & JET_bitDbExclusive != 0 && database.opened.load(Ordering::Acquire) > 0 {
            return Err(Error::new(JET_errDatabaseLocked)
                .with_file(&path)
                .with_detail("another session has the database open"));
        }
        Ok(self.register(database))
    }

    /// Writes the database's changed pages and syncs its file
    /// (fdatasync). Not a JET function, and not needed for durability
    /// (a commit is durable through the log): for callers that want the
    /// database file itself current, such as tools reading it alongside.
    /// [`Instance::checkpoint`] does it for every database and moves the
    /// checkpoint too.
    pub fn flush_database(&self, dbid: DbId) -> Result<()> {
        let _call = self.enter()?;
        self.database(dbid)?.flush()
    }

    /// JetCloseDatabase.
    pub fn close_database(&self, dbid: DbId, grbit: u32) -> Result<()> {
        let _call = self.enter_as(Allowed::Always)?;
        check_grbit(grbit, 0, "JetCloseDatabase")?;
        let mut open = lock(&self.inner.open);
        let slot = open
            .get_mut(dbid.0 as usize)
            .ok_or_else(|| Error::new(JET_errInvalidDatabaseId))?;
        let database = slot
            .take()
            .ok_or_else(|| Error::new(JET_errInvalidDatabaseId))?;
        database.opened.fetch_sub(1, Ordering::AcqRel);
        Ok(())
    }
}

impl Instance {
    /// Runs the version store's cleanup now (the background thread runs it
    /// after every commit; this is for callers that need it done, such as
    /// tests and shutdown). Returns the nodes it looked at.
    pub fn clean_versions(&self) -> Result<usize> {
        clean_versions(&self.inner)
    }

    /// Writes every changed page and moves the checkpoint as far as it
    /// goes (to the log's end, unless a transaction is open); with
    /// JET_paramCircularLog the log generations behind it are deleted.
    /// What the checkpoint thread reaches by itself once the updates stop,
    /// now (ESE's counterpart: JetIdle with JET_bitIdleFlushBuffers).
    pub fn checkpoint(&self) -> Result<()> {
        crate::instance::checkpoint_thread::advance_checkpoint(&self.inner, true).map(|_| ())
    }

    /// The version store's counters: what it holds, its limit, and how far
    /// the oldest open transaction holds cleanup back.
    pub fn version_stats(&self) -> VersionStats {
        self.inner.versions.stats()
    }

    /// JET_paramMaxVerPages (pages of 32 KiB): the version store's limit.
    pub fn set_max_version_pages(&self, pages: usize) {
        self.inner.versions.set_max_version_pages(pages);
    }
}
