//! The instance's record of its streaming backup (ESE keeps it on the
//! instance too): whether one runs, what it has read so far, and the stop
//! mark JetStopBackupInstance and JetTerm2 set. The calls that advance a
//! backup are `backup::streaming`; the instance holds only this state, so
//! that JetTerm can see and stop a backup without knowing how one runs.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use ese_format::header::LogTime;

use crate::instance::mutex::lock;
use crate::log::LogPosition;
use crate::storage::io::OsFile;

/// The instance's backup, if one runs, and whether it was stopped.
#[derive(Default)]
pub(crate) struct BackupState {
    pub(crate) running: std::sync::Mutex<Option<Backup>>,
    /// JetStopBackupInstance: the running backup is refused all but its
    /// end. A new backup clears it.
    pub(crate) stopped: AtomicBool,
}

impl BackupState {
    pub(crate) fn is_running(&self) -> bool {
        lock(&self.running).is_some()
    }

    /// JetStopBackupInstance. The mark is taken under the lock, so a read
    /// in progress (which holds it) has ended, or sees it at its next page.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        drop(lock(&self.running));
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Databases may be read (a full backup before the log list).
    Databases,
    /// The log list was taken: log files may be read.
    Logs,
}

pub(crate) struct Backup {
    pub(crate) full: bool,
    pub(crate) phase: Phase,
    /// The generations the backup holds (`high` once the log list was taken).
    pub(crate) low: u32,
    pub(crate) high: Option<u32>,
    /// The BackupStart record and when it was written (ESE's backup mark).
    pub(crate) mark: LogPosition,
    pub(crate) mark_time: LogTime,
    /// The databases attached when it began (their headers record it).
    pub(crate) databases: Vec<PathBuf>,
    pub(crate) files: HashMap<u64, OpenFile>,
    pub(crate) next_handle: u64,
    /// Log generations read to their end (truncation needs them all).
    pub(crate) logs_copied: BTreeSet<u32>,
    /// Databases read to their end: a full backup's normal end records
    /// itself in these headers only (ESE marks a database as part of the
    /// backup when its file is read).
    pub(crate) databases_copied: BTreeSet<PathBuf>,
    /// A log file failed to read: the whole backup is cancelled when the
    /// call returns (a database file that fails loses only its handle).
    pub(crate) cancelled: bool,
}

pub(crate) struct OpenFile {
    pub(crate) file: OsFile,
    pub(crate) size: u64,
    pub(crate) offset: u64,
    /// Database pages are verified as they are read; log files were
    /// verified when opened.
    pub(crate) database: Option<usize>,
    /// The generation of a log file.
    pub(crate) generation: Option<u32>,
    /// The path of a database file.
    pub(crate) path: PathBuf,
}
