//! Streaming backup of a running instance (ESE: JetBeginExternalBackupInstance,
//! JetGetAttachInfoInstance, JetOpenFileInstance, JetReadFileInstance,
//! JetCloseFileInstance, JetGetLogInfoInstance, JetGetTruncateLogInfoInstance,
//! JetTruncateLogInstance, JetEndExternalBackupInstance2, JetStopBackupInstance).
//!
//! A full backup copies each attached database while sessions keep
//! writing, then the log generations from the checkpoint at its start to
//! the end of the log at the moment the client asks for the log list. The
//! copy of a database mixes page versions from anywhere in that span; the
//! logs put it right at restore, because the log holds every change made
//! since the checkpoint, each page's first change after a write as a whole
//! image. A `BackupStart` record at the beginning names the checkpoint and
//! its databases, which is where a restore starts. An incremental backup
//! copies only the generations since the last backup recorded in the
//! databases' headers.
//!
//! The calls come in order: begin; for a full backup the attach list and
//! each database opened, read and closed; the log list (which starts a new
//! generation, so that every listed file is complete); each log opened,
//! read and closed; optionally the truncation; the end. A call out of that
//! order is `JET_errInvalidBackupSequence`, any call without a backup
//! `JET_errNoBackup`, a second backup `JET_errBackupInProgress`.
//!
//! JetStopBackupInstance (and JetTerm2 with `JET_bitTermStopBackup`) makes
//! the running backup fail every call but JetCloseFileInstance and
//! JetEndExternalBackupInstance with `JET_errBackupAbortByServer`, a read
//! in progress included; the backup then ends as aborted: headers and logs
//! untouched.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use ese_format::checksum::{verify_page, ChecksumOutcome, PageKind};
use ese_format::header::{backup_type, BackupInfo};

use crate::codes::*;
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::backup_state::{Backup, OpenFile, Phase};
use crate::instance::inner::InstanceInner;
use crate::instance::lifecycle::Instance;
use crate::instance::mutex::lock;
use crate::instance::registry::{Jet, JetInstance};
use crate::log::format::{generation_of, to_lgpos};
use crate::log::read_log_file;
use crate::log::units::InstanceLog;
use crate::storage::attach::log_time_now;
use crate::storage::database_file::verify_database_page;
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::{Error, Result};

/// A file opened for a backup (JetOpenFileInstance's JET_HANDLE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BackupFile(pub u64);

/// A backup file's size as JetOpenFileInstance reports it: in two 32-bit
/// halves (pulFileSizeLow, pulFileSizeHigh).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileSize {
    pub low: u32,
    pub high: u32,
}

impl FileSize {
    pub fn new(bytes: u64) -> Self {
        FileSize {
            low: bytes as u32,
            high: (bytes >> 32) as u32,
        }
    }

    /// The size in bytes.
    pub fn bytes(self) -> u64 {
        u64::from(self.high) << 32 | u64::from(self.low)
    }
}

/// What JetGetLogInfoInstance2 says of the log files (JET_LOGINFO).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogInfo {
    /// The first and last generation the backup holds.
    pub generation_low: u32,
    pub generation_high: u32,
    /// JET_paramBaseName.
    pub base_name: String,
}

/// How many times a page read that fails its checksum is read again: a
/// page written by the cache at that moment reads torn, then whole.
const PAGE_READ_ATTEMPTS: u32 = 20;

fn no_backup() -> Error {
    Error::new(JET_errNoBackup).with_detail("no streaming backup is running")
}

fn out_of_order(detail: &str) -> Error {
    Error::new(JET_errInvalidBackupSequence).with_detail(detail.to_string())
}

fn aborted() -> Error {
    Error::new(JET_errBackupAbortByServer).with_detail(
        "the backup was stopped (JetStopBackupInstance, or JetTerm2 with JET_bitTermStopBackup)",
    )
}

impl Instance {
    /// The names of the instance's log files (where a backup finds them).
    pub fn log_names(&self) -> Result<crate::log::LogNames> {
        self.inner.options.log_names()
    }

    fn backup_log(&self) -> Result<&InstanceLog> {
        self.inner.log.as_deref().ok_or_else(|| {
            Error::new(JET_errLoggingDisabled)
                .with_detail("the instance keeps no log (JET_paramRecovery is off)")
        })
    }

    /// Runs `call` on the running backup: `JET_errNoBackup` without one,
    /// `JET_errBackupAbortByServer` once stopped (unless `winding_down`).
    fn with_backup<T>(
        &self,
        winding_down: bool,
        call: impl FnOnce(&InstanceInner, &mut Backup) -> Result<T>,
    ) -> Result<T> {
        let mut running = lock(&self.inner.backup.running);
        let backup = running.as_mut().ok_or_else(no_backup)?;
        if !winding_down {
            if self.inner.backup.is_stopped() {
                return Err(aborted());
            }
            self.inner.check_service()?;
        }
        let outcome = call(&self.inner, backup);
        if running.as_ref().is_some_and(|b| b.cancelled) {
            // As JetReadFileInstance documents: the failure of a log file
            // cancels the backup (later calls get JET_errNoBackup).
            if running.take().is_some_and(|b| b.full) {
                self.inner.cache.release_copies();
            }
            if let Some(log) = &self.inner.log {
                log.end_backup();
            }
        }
        outcome
    }

    /// JetBeginExternalBackupInstance: `JET_bitBackupIncremental` copies
    /// only the log generations since the last backup the databases'
    /// headers record (`JET_errMissingFullBackup` without one;
    /// `JET_errInvalidBackup` with circular logging, which deletes them).
    pub fn begin_external_backup(&self, grbit: u32) -> Result<()> {
        check_grbit(
            grbit,
            JET_bitBackupIncremental,
            "JetBeginExternalBackupInstance",
        )?;
        self.inner.check_service()?;
        let log = self.backup_log()?;
        let full = grbit & JET_bitBackupIncremental == 0;
        let mut running = lock(&self.inner.backup.running);
        if running.is_some() {
            return Err(Error::new(JET_errBackupInProgress));
        }
        if !full && log.options.circular_log {
            return Err(Error::new(JET_errInvalidBackup)
                .with_detail("incremental backup is impossible with circular logging"));
        }
        // A database attached read-only is not logged: not backed up.
        let mut databases: Vec<PathBuf> = self
            .inner
            .attached_databases()
            .into_iter()
            .filter(|d| !d.is_read_only())
            .map(|d| d.path().to_path_buf())
            .collect();
        databases.sort();
        let first_needed = if full {
            None
        } else {
            Some(self.generation_after_last_backup()?)
        };
        let (mark, checkpoint_generation) = log.begin_backup()?;
        if full {
            // The database copy must not need a page's copied lines replayed
            // from its source (see `BufferCache::hold_copies`): no new
            // copies, and the pages holding earlier ones written out
            // before a byte is read (each flush waits for the unit under
            // way on its database, which decided with or without copies).
            self.inner.cache.hold_copies();
            let written = self
                .inner
                .attached_databases()
                .iter()
                .filter(|d| !d.is_read_only())
                .try_for_each(|d| d.flush());
            if let Err(error) = written {
                self.inner.cache.release_copies();
                log.end_backup();
                return Err(error);
            }
        }
        let low = first_needed.unwrap_or(checkpoint_generation);
        self.inner.backup.stopped.store(false, Ordering::SeqCst);
        *running = Some(Backup {
            full,
            phase: if full { Phase::Databases } else { Phase::Logs },
            low,
            high: None,
            mark,
            mark_time: log_time_now(),
            databases,
            files: HashMap::new(),
            next_handle: 1,
            logs_copied: Default::default(),
            databases_copied: Default::default(),
            cancelled: false,
        });
        Ok(())
    }

    /// The first generation an incremental backup copies: the one after
    /// the newest backup every attached database records.
    fn generation_after_last_backup(&self) -> Result<u32> {
        let mut first: Option<u32> = None;
        for database in self.inner.attached_databases() {
            if database.is_read_only() {
                continue;
            }
            let Some(header) = database.header() else {
                continue;
            };
            if header.previous_full_backup.is_unset() {
                return Err(Error::new(JET_errMissingFullBackup).with_file(database.path()));
            }
            let last = header
                .previous_full_backup
                .generation_high
                .max(header.previous_incremental_backup.generation_high);
            first = Some(first.map_or(last + 1, |f: u32| f.min(last + 1)));
        }
        first.ok_or_else(|| {
            Error::new(JET_errMissingFullBackup).with_detail("no database is attached")
        })
    }

    /// JetGetAttachInfoInstance: the databases a full backup copies
    /// (`JET_errInvalidBackupSequence` in an incremental backup, or once
    /// the log list was taken).
    pub fn get_attach_info(&self) -> Result<Vec<PathBuf>> {
        self.with_backup(false, |_, backup| {
            if !backup.full || backup.phase != Phase::Databases {
                return Err(out_of_order(
                    "the attach list belongs to a full backup, before its log list",
                ));
            }
            Ok(backup.databases.clone())
        })
    }

    /// JetOpenFileInstance: a database of the backup (before the log list)
    /// or one of its log files (after it). Returns the handle and the
    /// file's size.
    pub fn open_backup_file(&self, path: &Path) -> Result<(BackupFile, FileSize)> {
        let full_path = std::path::absolute(path).map_err(|e| {
            Error::new(JET_errInvalidPath)
                .with_file(path)
                .with_detail(e.to_string())
        })?;
        self.with_backup(false, |inner, backup| {
            let database = backup
                .databases
                .iter()
                .find(|d| same_file(d, &full_path))
                .cloned();
            let open = match database {
                Some(database) => {
                    if backup.phase != Phase::Databases {
                        return Err(out_of_order(
                            "databases are read before the log list is taken",
                        ));
                    }
                    let page_size = inner
                        .attached_databases()
                        .into_iter()
                        .find(|d| d.path() == database)
                        .map(|d| d.page_size())
                        .ok_or_else(|| Error::new(JET_errDatabaseNotFound).with_file(&database))?;
                    let file = OsFile::open(&database, OpenMode::ReadOnly)?;
                    let size = file.len()?;
                    OpenFile {
                        file,
                        size,
                        offset: 0,
                        database: Some(page_size),
                        generation: None,
                        path: database.clone(),
                    }
                }
                None => {
                    let log = inner.log.as_deref().ok_or_else(no_backup)?;
                    let names = &log.writer.config().names;
                    let generation = match backup.high {
                        Some(high) => (backup.low..=high)
                            .find(|&g| same_file(&names.generation(g), &full_path)),
                        None => None,
                    };
                    let Some(generation) = generation else {
                        if backup.high.is_none() && is_log_name(&full_path, &names.base) {
                            return Err(out_of_order("log files are read after the log list"));
                        }
                        return Err(Error::new(JET_errFileNotFound)
                            .with_file(path)
                            .with_detail("the file is not part of the backup"));
                    };
                    let path = names.generation(generation);
                    // Each block's checksum, before a byte is handed out.
                    read_log_file(
                        &path,
                        Some(generation),
                        Some(&log.writer.signature()),
                        false,
                    )
                    .map_err(|e| {
                        Error::new(JET_errLogReadVerifyFailure)
                            .with_file(&path)
                            .with_detail(e.to_string())
                    })?;
                    let file = OsFile::open(&path, OpenMode::ReadOnly)?;
                    let size = file.len()?;
                    OpenFile {
                        file,
                        size,
                        offset: 0,
                        database: None,
                        generation: Some(generation),
                        path: path.clone(),
                    }
                }
            };
            let handle = backup.next_handle;
            backup.next_handle += 1;
            let size = FileSize::new(open.size);
            backup.files.insert(handle, open);
            Ok((BackupFile(handle), size))
        })
    }

    /// JetReadFileInstance: the next bytes of an open file into `buffer`,
    /// whose size is a multiple of the page size (and at least three pages
    /// on the first read), else `JET_errInvalidParameter`. Database pages
    /// are verified (`JET_errReadVerifyFailure`, and the file's handle is
    /// closed: the backup goes on without it); a log file that fails to
    /// read cancels the whole backup. 0 at the end of the file.
    pub fn read_backup_file(&self, file: BackupFile, buffer: &mut [u8]) -> Result<usize> {
        let page_size = self.inner.options.page_size;
        self.with_backup(false, |inner, backup| {
            let open = backup.files.get_mut(&file.0).ok_or_else(|| {
                Error::new(JET_errInvalidParameter)
                    .with_detail(format!("backup file handle {} is not open", file.0))
            })?;
            let unit = open.database.unwrap_or(page_size);
            if buffer.is_empty()
                || !buffer.len().is_multiple_of(unit)
                || (open.offset == 0 && buffer.len() < 3 * unit)
            {
                return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                    "the buffer ({} bytes) must be a multiple of the page size ({unit}), \
                     and at least three pages on the first read",
                    buffer.len()
                )));
            }
            let wanted = (open.size.saturating_sub(open.offset)).min(buffer.len() as u64) as usize;
            let outcome = match open.database {
                Some(page_size) => read_database_pages(
                    open,
                    &mut buffer[..wanted],
                    page_size,
                    &inner.backup.stopped,
                ),
                None => open
                    .file
                    .read_at(&mut buffer[..wanted], open.offset)
                    .map(|()| wanted),
            };
            match outcome {
                Ok(read) => {
                    open.offset += read as u64;
                    if open.offset == open.size {
                        match open.generation {
                            Some(generation) => {
                                backup.logs_copied.insert(generation);
                            }
                            None => {
                                backup.databases_copied.insert(open.path.clone());
                            }
                        }
                    }
                    Ok(read)
                }
                Err(e) => {
                    if e.code() != JET_errBackupAbortByServer {
                        let failed = backup.files.remove(&file.0);
                        backup.cancelled = failed.is_some_and(|f| f.database.is_none());
                    }
                    Err(e)
                }
            }
        })
    }

    /// JetCloseFileInstance (allowed after JetStopBackupInstance).
    pub fn close_backup_file(&self, file: BackupFile) -> Result<()> {
        self.with_backup(true, |_, backup| {
            backup.files.remove(&file.0).map(|_| ()).ok_or_else(|| {
                Error::new(JET_errInvalidParameter)
                    .with_detail(format!("backup file handle {} is not open", file.0))
            })
        })
    }

    /// JetGetLogInfoInstance2: the log files the backup copies, from the
    /// first it needs to the one just completed (the first call starts a
    /// new generation, so each listed file is whole). A generation missing
    /// (truncated since the last backup) is `JET_errMissingFileToBackup`.
    pub fn get_log_info(&self) -> Result<(Vec<PathBuf>, LogInfo)> {
        self.with_backup(false, |inner, backup| {
            let log = inner.log.as_deref().ok_or_else(no_backup)?;
            let names = &log.writer.config().names;
            let high = match backup.high {
                Some(high) => high,
                None => {
                    let high = log.end_backup_logs()?;
                    let archived = names.archived()?;
                    for generation in backup.low..=high {
                        if archived.binary_search(&generation).is_err() {
                            return Err(Error::new(JET_errMissingFileToBackup)
                                .with_file(names.generation(generation))
                                .with_detail("a log generation the backup needs is gone"));
                        }
                    }
                    backup.high = Some(high);
                    backup.phase = Phase::Logs;
                    high
                }
            };
            let files = (backup.low..=high).map(|g| names.generation(g)).collect();
            Ok((
                files,
                LogInfo {
                    generation_low: backup.low,
                    generation_high: high,
                    base_name: names.base.clone(),
                },
            ))
        })
    }

    /// JetGetTruncateLogInfoInstance: the log files JetTruncateLogInstance
    /// would delete.
    pub fn get_truncate_log_info(&self) -> Result<Vec<PathBuf>> {
        self.with_backup(false, |inner, backup| truncatable(inner, backup))
    }

    /// JetTruncateLogInstance: deletes the log files neither recovery (they
    /// are behind the checkpoint) nor the next incremental backup (they are
    /// in this one) needs. Only after the log list was taken, with every
    /// file closed (`JET_errInvalidBackupSequence`) and every listed log
    /// read to its end (`JET_errLogFileNotCopied`), as ESE checks.
    pub fn truncate_log(&self) -> Result<()> {
        self.with_backup(false, |inner, backup| {
            let paths = truncatable(inner, backup)?;
            if !backup.files.is_empty() {
                return Err(out_of_order(
                    "logs are truncated with every backup file closed",
                ));
            }
            let high = backup.high.unwrap_or(backup.low);
            if let Some(missing) = (backup.low..=high).find(|g| !backup.logs_copied.contains(g)) {
                return Err(Error::new(JET_errLogFileNotCopied).with_detail(format!(
                    "log generation {missing:X} was not read to its end"
                )));
            }
            for path in paths {
                std::fs::remove_file(&path).map_err(|e| {
                    Error::new(JET_errDeleteBackupFileFail)
                        .with_file(&path)
                        .with_detail(e.to_string())
                })?;
            }
            Ok(())
        })
    }

    /// JetEndExternalBackupInstance2: `JET_bitBackupEndNormal` or
    /// `JET_bitBackupEndAbort` (exactly one). A normal end of a backup whose
    /// logs were listed records it in each database's header (unless
    /// `JET_bitBackupNoDbHeaderUpdate`); a stopped backup, or one ended
    /// before its log list, ends as aborted. Allowed after
    /// JetStopBackupInstance.
    pub fn end_external_backup(&self, grbit: u32) -> Result<()> {
        check_grbit(
            grbit,
            JET_bitBackupEndNormal
                | JET_bitBackupEndAbort
                | JET_bitBackupTruncateDone
                | JET_bitBackupNoDbHeaderUpdate,
            "JetEndExternalBackupInstance2",
        )?;
        let normal = grbit & JET_bitBackupEndNormal != 0;
        if normal == (grbit & JET_bitBackupEndAbort != 0) {
            return Err(Error::new(JET_errInvalidParameter).with_detail(
                "JetEndExternalBackupInstance2 takes one of JET_bitBackupEndNormal and JET_bitBackupEndAbort",
            ));
        }
        let mut running = lock(&self.inner.backup.running);
        let backup = running.take().ok_or_else(no_backup)?;
        if backup.full {
            self.inner.cache.release_copies();
        }
        let stopped = self.inner.backup.stopped.swap(false, Ordering::SeqCst);
        if let Some(log) = &self.inner.log {
            log.end_backup();
        }
        let completed = normal && !stopped && backup.phase == Phase::Logs;
        if !completed || grbit & JET_bitBackupNoDbHeaderUpdate != 0 {
            return Ok(());
        }
        let info = BackupInfo {
            mark: to_lgpos(backup.mark),
            mark_time: backup.mark_time,
            generation_low: backup.low,
            generation_high: backup.high.unwrap_or(backup.low),
        };
        for database in self.inner.attached_databases() {
            let path = database.path();
            let part_of_it = match backup.full {
                true => backup.databases_copied.contains(path),
                // An incremental backup's logs carry every database.
                false => backup.databases.iter().any(|p| p == path),
            };
            if !part_of_it {
                continue;
            }
            database.update_header(|header| {
                if backup.full {
                    header.previous_full_backup = info;
                    header.previous_full_backup_type = backup_type::NORMAL;
                    // A new chain: incremental backups follow this one.
                    header.previous_incremental_backup = BackupInfo::default();
                } else {
                    header.previous_incremental_backup = info;
                    header.previous_incremental_backup_type = backup_type::NORMAL;
                }
            })?;
        }
        Ok(())
    }

    /// JetEndExternalBackupInstance: a normal end.
    pub fn end_external_backup_normal(&self) -> Result<()> {
        self.end_external_backup(JET_bitBackupEndNormal)
    }

    /// JetStopBackupInstance: see the module's description. Succeeds with
    /// no backup running (the next backup is not affected).
    pub fn stop_backup(&self) -> Result<()> {
        self.inner.backup.stop();
        Ok(())
    }
}

/// The log files a truncation deletes: full generations behind both the
/// checkpoint and the end of this backup.
fn truncatable(inner: &InstanceInner, backup: &Backup) -> Result<Vec<PathBuf>> {
    let Some(high) = backup.high else {
        return Err(out_of_order("logs are truncated after the log list"));
    };
    let log = inner.log.as_deref().ok_or_else(no_backup)?;
    let names = &log.writer.config().names;
    let limit = generation_of(log.checkpoint()).min(high + 1);
    Ok(names
        .archived()?
        .into_iter()
        .filter(|&g| g < limit)
        .map(|g| names.generation(g))
        .collect())
}

/// Reads whole pages of a database file into `buffer` (a multiple of the
/// page size, or the file's last bytes), each verified: a page that fails
/// its checksum is read again, as the cache may be writing it; one still
/// bad after that is `JET_errReadVerifyFailure`. The first two pages are
/// the header and its shadow; pages never written (all zero) pass as they
/// are. Stops with `JET_errBackupAbortByServer` when the backup is stopped.
fn read_database_pages(
    open: &mut OpenFile,
    buffer: &mut [u8],
    page_size: usize,
    stopped: &AtomicBool,
) -> Result<usize> {
    for (i, page) in buffer.chunks_mut(page_size).enumerate() {
        if stopped.load(Ordering::SeqCst) {
            return Err(aborted());
        }
        let offset = open.offset + (i * page_size) as u64;
        let index = offset / page_size as u64;
        let mut attempt = 0;
        loop {
            open.file.read_at(page, offset)?;
            let verified = if page.len() < page_size {
                Ok(())
            } else if index < 2 {
                verify_header_page(page)
            } else {
                match verify_database_page(page, (index - 1) as u32, false) {
                    Ok(_) => Ok(()),
                    Err(e) if e.code() == JET_errPageNotInitialized => Ok(()),
                    Err(e) => Err(e),
                }
            };
            match verified {
                Ok(()) => break,
                Err(_) if attempt + 1 < PAGE_READ_ATTEMPTS => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                Err(e) => return Err(e.with_detail("while a backup read the database")),
            }
        }
    }
    Ok(buffer.len())
}

fn verify_header_page(page: &mut [u8]) -> Result<()> {
    match verify_page(page, PageKind::DatabaseHeader, 0, false) {
        Ok(ChecksumOutcome::Valid) => Ok(()),
        _ => Err(Error::new(JET_errReadVerifyFailure)
            .with_detail("the database header fails its checksum")),
    }
}

/// Whether two paths name one file (the attach list holds full paths; a
/// caller may name them through other directories).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}

/// Whether `path` looks like a log file of the base name `base`.
fn is_log_name(path: &Path, base: &str) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(base) && (n.ends_with(".log") || n.ends_with(".jtx")))
}

/// The process-wide forms of JetStopBackupInstance, on the registry.
impl Jet {
    /// JetStopBackup: the legacy instance's [`Instance::stop_backup`];
    /// `JET_errRunningInMultiInstanceMode` in multi-instance mode.
    pub fn stop_backup(&self) -> Result<()> {
        self.legacy_instance()?.stop_backup()
    }

    /// JetStopBackupInstance: `JET_errInvalidParameter` for a handle that
    /// is not a running instance.
    pub fn stop_backup_instance(&self, instance: JetInstance) -> Result<()> {
        self.running_instance(instance)?.stop_backup()
    }
}
