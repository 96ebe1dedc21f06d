//! Instances and the database calls of sessions (ESE: JetCreateInstance /
//! JetInit, JetBeginSession, JetCreateDatabase, JetAttachDatabase,
//! JetOpenDatabase, JetCloseDatabase, JetDetachDatabase).
//!
//! An instance owns a buffer cache, the databases attached to it, its log
//! and its background threads; a session names the databases it has
//! opened by [`DbId`]. What a session is and how it winds down is in
//! `session.rs`; the registry of instances, system parameters, JetTerm and
//! JetStopService in their own modules.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::catalog::create::create_database;
use crate::codes::*;
use crate::database::Database;
use crate::database::DatabaseFileHook;
use crate::grbit::*;
use crate::instance::checkpoint_thread::{start_checkpoint_thread, CheckpointSignal};
use crate::instance::cleanup::{start_cleanup_thread, CleanupSignal};
use crate::instance::defrag_tasks::DefragTasks;
use crate::instance::recovery::finish_recovery;
use crate::instance::recovery::start_log;
use crate::instance::service::ServiceState;
use crate::instance::session::{begin_session, Session, SessionCore};
use crate::instance::session_call::Allowed;
use crate::instance::statistics::Counters;
use crate::log::units::{InstanceLog, LogOptions};
use crate::log::LogNames;
use crate::storage::cache::BufferCache;
use crate::version::VersionStore;
use crate::{Error, Result};

/// The page size of databases an instance creates (JET_paramDatabasePageSize
/// defaults to 8 KiB).
pub const DEFAULT_PAGE_SIZE: usize = 8192;
/// Cache bounds in pages (JET_paramCacheSizeMin / Max).
const CACHE_MIN_PAGES: usize = 64;
const CACHE_MAX_PAGES: usize = 16_384;

/// Settings of a new instance (the system parameters that exist so far).
#[derive(Clone, Debug)]
pub struct InstanceOptions {
    /// JET_paramSystemPath: where the instance keeps its files.
    pub system_path: PathBuf,
    /// JET_paramDatabasePageSize for databases this instance creates.
    pub page_size: usize,
    /// JET_paramCacheSizeMax, in pages.
    pub cache_max_pages: usize,
    /// JET_paramMaxVerPages: the version store's limit, in pages of
    /// 32 KiB (ESE's version page on 64-bit systems).
    pub max_version_pages: usize,
    /// The transaction log's parameters (JET_paramRecovery and the rest).
    pub log: LogOptions,
    /// JET_paramCacheSizeMin, in pages.
    pub cache_min_pages: usize,
    /// JET_paramMaxSessions: JetBeginSession beyond it is
    /// `JET_errOutOfSessions`; `None`, no limit (the Rust API's default).
    pub max_sessions: Option<usize>,
    /// JET_paramCreatePathIfNotExist: the system and log directories are
    /// created when missing (the Rust API's default); otherwise a missing
    /// one is `JET_errInvalidPath`.
    pub create_paths: bool,
    /// JET_paramCommitDefault: option bits every JetCommitTransaction adds.
    pub commit_default: u32,
    /// JET_paramEnableOnlineDefrag (JET_OnlineDefragAll by default).
    pub online_defrag: u32,
    /// JET_paramDbExtensionSize: pages a database file grows by.
    pub db_extension_pages: u32,
    /// For tests: wraps each database file the cache writes (with
    /// `io::faulty::FaultyFile`, to inject faults). Not an ESE parameter.
    pub database_file_hook: Option<DatabaseFileHook>,
}

impl InstanceOptions {
    pub fn new(system_path: impl Into<PathBuf>) -> Self {
        InstanceOptions {
            system_path: system_path.into(),
            page_size: DEFAULT_PAGE_SIZE,
            cache_max_pages: CACHE_MAX_PAGES,
            max_version_pages: crate::version::DEFAULT_MAX_VERSION_PAGES,
            log: LogOptions::default(),
            cache_min_pages: CACHE_MIN_PAGES,
            max_sessions: None,
            create_paths: true,
            commit_default: 0,
            online_defrag: 0xffff,
            db_extension_pages: crate::storage::space::DEFAULT_EXTENSION_PAGES,
            database_file_hook: None,
        }
    }

    /// The names of the log's files.
    pub fn log_names(&self) -> Result<LogNames> {
        LogNames::new(
            self.log
                .log_path
                .clone()
                .unwrap_or_else(|| self.system_path.clone()),
            self.system_path.clone(),
            &self.log.base_name,
            self.log.legacy_file_names,
        )
    }
}

pub(crate) struct InstanceInner {
    pub(crate) options: InstanceOptions,
    pub(crate) cache: Arc<BufferCache>,
    /// Attached databases by canonical path.
    pub(crate) databases: Mutex<HashMap<PathBuf, Arc<Database>>>,
    pub(crate) next_session: AtomicU64,
    /// Every session's changes under transactions (see `transaction.rs`).
    pub(crate) versions: Arc<VersionStore>,
    /// Updates made without versions hold it shared; beginning a
    /// transaction takes it alone, so that no transaction's snapshot
    /// starts in the middle of an unversioned update.
    pub(crate) unversioned: parking_lot::RwLock<()>,
    /// Wakes the version store's cleanup thread.
    pub(crate) cleanup: Arc<CleanupSignal>,
    /// The transaction log (none with JET_paramRecovery off).
    pub(crate) log: Option<Arc<InstanceLog>>,
    /// Stops the checkpoint thread.
    pub(crate) checkpoints: Arc<CheckpointSignal>,
    /// Added to a transaction's number to name it in the log, unique
    /// across runs (the generation the run's log began with, shifted).
    log_base: u64,
    /// What recovery did at initialisation.
    recovery: Mutex<Option<RecoveryReport>>,
    /// A database failed to detach cleanly: the log must stay needed (the
    /// checkpoint does not move to its end).
    pub(crate) unclean: std::sync::atomic::AtomicBool,
    /// JetStopService and JetTerm's marks (see `service.rs`).
    pub(crate) service: ServiceState,
    /// Online defragmentation tasks (see `defrag.rs`).
    pub(crate) defrag: DefragTasks,
    /// The streaming backup running, if any.
    pub(crate) backup: crate::instance::backup_state::BackupState,
    /// What the background work has done (see `statistics.rs`).
    pub(crate) counters: Counters,
    /// JET_paramCheckpointDepthMax in bytes, as changed while running.
    pub(crate) checkpoint_depth: AtomicU64,
    /// JET_paramDbExtensionSize, as changed while running.
    pub(crate) db_extension: std::sync::atomic::AtomicU32,
    /// JET_paramEnableOnlineDefrag, as changed while running.
    pub(crate) online_defrag: std::sync::atomic::AtomicU32,
    /// JET_paramCommitDefault, as changed while running.
    pub(crate) commit_default: std::sync::atomic::AtomicU32,
    /// The sessions alive, so that JetTerm can roll back their
    /// transactions.
    pub(crate) sessions: Mutex<HashMap<u64, Arc<SessionCore>>>,
}

/// What soft recovery did when the instance started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Units (page changes) replayed from the checkpoint on.
    pub units_redone: u64,
    /// Transactions that never ended, rolled back.
    pub transactions_rolled_back: usize,
    /// Databases brought to a clean state.
    pub databases: Vec<PathBuf>,
}

impl InstanceInner {
    /// Every attached database.
    pub(crate) fn attached_databases(&self) -> Vec<Arc<Database>> {
        lock(&self.databases).values().cloned().collect()
    }

    /// The name the log gives transaction `id` of this run.
    pub(crate) fn log_id(&self, id: u64) -> u64 {
        self.log_base | (id & ((1 << 40) - 1))
    }

    /// The checkpoint depth the checkpoint thread works to: the parameter,
    /// or zero while JetStopService quiesces the cache.
    pub(crate) fn checkpoint_depth_target(&self) -> u64 {
        if self.service.quiescing() {
            0
        } else {
            self.checkpoint_depth.load(Ordering::Acquire)
        }
    }

    /// The attached database whose cache id is `id`.
    pub(crate) fn database_by_id(
        &self,
        id: crate::storage::cache::DatabaseId,
    ) -> Option<Arc<Database>> {
        lock(&self.databases)
            .values()
            .find(|d| d.id() == id)
            .cloned()
    }
}

impl Drop for InstanceInner {
    fn drop(&mut self) {
        self.cleanup.stop();
        self.checkpoints.stop();
        // JetTerm without a caller to report to: detach what is left so
        // that the files are closed cleanly.
        let databases = std::mem::take(
            &mut *self
                .databases
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        let mut clean = !self.unclean.load(Ordering::Acquire);
        for database in databases.into_values() {
            clean &= database.detach().is_ok();
        }
        if let Some(log) = &self.log {
            let _ = log.writer.close();
            // Only when every database is clean may recovery skip the log.
            if clean {
                let _ = log.write_checkpoint(log.writer.end());
            }
        }
    }
}

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

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The database handle a session gets from JetOpenDatabase (JET_DBID).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DbId(pub u32);

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

    /// Makes every change to the database durable: writes its changed pages
    /// and syncs the file (fdatasync). Not a JET function: ESE makes a
    /// commit durable through its log, which this engine does not have yet
    /// (issue 8); until then a caller that needs durability calls this
    /// after its updates, and the benchmarks call it wherever a workload
    /// asks for a durable commit.
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
