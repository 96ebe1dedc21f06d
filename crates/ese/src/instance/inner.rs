//! The instance's shared state (ESE: INST): its options, cache, attached
//! databases, version store, log, sessions and the marks and signals of
//! its background work. Everything that runs in an instance reaches it
//! through an `Arc<InstanceInner>`; the `Instance` handle, JetInit's
//! start-up and the threads are in `lifecycle`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::database::{Database, DatabaseFileHook};
use crate::instance::counters::Counters;
use crate::instance::defrag_tasks::DefragTasks;
use crate::instance::mutex::lock;
use crate::instance::service_state::ServiceState;
use crate::instance::session_core::SessionCore;
use crate::instance::signals::{CheckpointSignal, CleanupSignal};
use crate::log::units::{InstanceLog, LogOptions};
use crate::log::LogNames;
use crate::storage::cache::BufferCache;
use crate::version::VersionStore;
use crate::Result;

/// The page size of databases an instance creates (JET_paramDatabasePageSize
/// defaults to 8 KiB).
pub const DEFAULT_PAGE_SIZE: usize = 8192;

/// Cache bounds in pages (JET_paramCacheSizeMin / Max).
pub(crate) const CACHE_MIN_PAGES: usize = 64;
pub(crate) const CACHE_MAX_PAGES: usize = 16_384;

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
    pub(crate) log_base: u64,
    /// What recovery did at initialisation.
    pub(crate) recovery: Mutex<Option<RecoveryReport>>,
    /// A database failed to detach cleanly: the log must stay needed (the
    /// checkpoint does not move to its end).
    pub(crate) unclean: std::sync::atomic::AtomicBool,
    /// JetStopService and JetTerm's marks (see `service_state.rs`).
    pub(crate) service: ServiceState,
    /// Online defragmentation tasks (see `defrag_tasks.rs`).
    pub(crate) defrag: DefragTasks,
    /// The streaming backup running, if any.
    pub(crate) backup: crate::instance::backup_state::BackupState,
    /// What the background work has done (see `counters.rs`).
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
    /// Pages a crash tore while they were written, put back whole from the
    /// double-write file before redo.
    pub pages_repaired: u64,
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

impl InstanceInner {
    /// The gate of calls JetStopService disallows.
    pub(crate) fn check_service(&self) -> Result<()> {
        self.service.check()
    }
}
