//! JetBackupInstance: a backup into a directory, made with the streaming
//! calls of `streaming.rs` (so it is as consistent as they are), with
//! JET_PFNSTATUS progress.
//!
//! A full backup writes each database under its file name and the log
//! generations it needs under theirs into an empty directory
//! (`JET_errBackupDirectoryNotEmpty` otherwise); an incremental backup adds
//! the generations since the last backup to the directory of the full one.
//! With `JET_bitBackupAtomic` the directory holds ESE's folders instead:
//! the newest complete set in `new`, the one before in `old`; a full backup
//! is written into `temp` and becomes `new` only once complete (the set it
//! replaces, moved to `old` first, is deleted then), so a failed backup
//! leaves the previous set whole in `old`; an atomic incremental backup is
//! added to that set, moved to `old`. Either way the logs the backup made
//! unnecessary are then deleted, as JetTruncateLogInstance does.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::backup::streaming::BackupFile;
use crate::codes::*;
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::lifecycle::Instance;
use crate::log::files::sync_directory;
use crate::{Error, Result};

/// What a JET_PFNSTATUS callback is told (JET_SNP, JET_SNT and JET_SNPROG's
/// units done and total, here bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// `JET_snpBackup` or `JET_snpRestore`.
    pub operation: u32,
    /// `JET_sntBegin`, `JET_sntProgress`, `JET_sntComplete` or `JET_sntFail`.
    pub event: u32,
    pub done: u64,
    pub total: u64,
}

/// The callback: JET_PFNSTATUS.
pub type StatusCallback<'a> = &'a mut dyn FnMut(Progress);

/// Bytes each streaming read asks for.
const CHUNK: usize = 1 << 20;

impl Instance {
    /// JetBackupInstance: see the module's description.
    pub fn backup(
        &self,
        directory: &Path,
        grbit: u32,
        mut status: Option<StatusCallback<'_>>,
    ) -> Result<()> {
        check_grbit(
            grbit,
            JET_bitBackupIncremental | JET_bitBackupAtomic,
            "JetBackupInstance",
        )?;
        let incremental = grbit & JET_bitBackupIncremental != 0;
        let atomic = grbit & JET_bitBackupAtomic != 0;
        if directory.as_os_str().is_empty() {
            return Err(Error::new(JET_errNoBackupDirectory));
        }
        let target = if atomic {
            prepare_atomic(directory, incremental)?
        } else {
            // A plain backup does not mix with an atomic one's folders; a
            // full one needs the directory empty.
            let atomic_folders = [NEW, OLD].iter().any(|d| directory.join(d).exists());
            if atomic_folders || (!incremental && !is_empty_directory(directory)?) {
                return Err(Error::new(JET_errBackupDirectoryNotEmpty).with_file(directory));
            }
            directory.to_path_buf()
        };
        std::fs::create_dir_all(&target).map_err(|e| {
            Error::new(JET_errMakeBackupDirectoryFail)
                .with_file(&target)
                .with_detail(e.to_string())
        })?;
        self.begin_external_backup(if incremental {
            JET_bitBackupIncremental
        } else {
            0
        })?;
        let mut report = |event: u32, done: u64, total: u64| {
            if let Some(status) = status.as_deref_mut() {
                status(Progress {
                    operation: JET_snpBackup,
                    event,
                    done,
                    total,
                });
            }
        };
        report(JET_sntBegin, 0, 0);
        // As ESE: the copy, the atomic full backup's promotion, the
        // truncation, then the end (aborted if anything failed).
        let copied = self
            .copy_backup(&target, incremental, &mut report)
            .and_then(|()| {
                if atomic && !incremental {
                    promote(directory)
                } else {
                    Ok(())
                }
            })
            .and_then(|()| self.truncate_log());
        let outcome = match copied {
            Ok(()) => self.end_external_backup(JET_bitBackupEndNormal),
            Err(e) => {
                let _ = self.end_external_backup(JET_bitBackupEndAbort);
                if atomic {
                    let _ = std::fs::remove_dir_all(directory.join(TEMP));
                }
                Err(e)
            }
        };
        match &outcome {
            Ok(()) => report(JET_sntComplete, 1, 1),
            Err(_) => report(JET_sntFail, 0, 0),
        }
        outcome
    }

    /// The copying part of [`Instance::backup`].
    fn copy_backup(
        &self,
        target: &Path,
        incremental: bool,
        report: &mut dyn FnMut(u32, u64, u64),
    ) -> Result<()> {
        let databases = if incremental {
            Vec::new()
        } else {
            self.get_attach_info()?
        };
        let mut total: u64 = databases
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum();
        let mut done = 0;
        for database in &databases {
            self.copy_one(database, target, &mut done, total, report)?;
        }
        let (logs, _) = self.get_log_info()?;
        total += logs
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum::<u64>();
        for log in &logs {
            self.copy_one(log, target, &mut done, total, report)?;
        }
        sync_directory(target)
    }

    /// Streams one file of the backup into `target` under its file name,
    /// synced.
    fn copy_one(
        &self,
        source: &Path,
        target: &Path,
        done: &mut u64,
        total: u64,
        report: &mut dyn FnMut(u32, u64, u64),
    ) -> Result<()> {
        let name = source
            .file_name()
            .ok_or_else(|| Error::new(JET_errInvalidPath).with_file(source))?;
        let destination = target.join(name);
        let (handle, _) = self.open_backup_file(source)?;
        let copied = self.stream_into(handle, &destination, done, total, report);
        let closed = self.close_backup_file(handle);
        copied.and(closed)
    }

    /// Reads the file through the backup calls on this thread while a
    /// second one writes and syncs what was read: the reads of one chunk
    /// overlap the write of the one before.
    fn stream_into(
        &self,
        handle: BackupFile,
        destination: &Path,
        done: &mut u64,
        total: u64,
        report: &mut dyn FnMut(u32, u64, u64),
    ) -> Result<()> {
        let mut file = std::fs::File::create(destination).map_err(|e| io_error(destination, e))?;
        std::thread::scope(|scope| {
            let (full, to_write) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize)>(1);
            let (empty, free) = std::sync::mpsc::channel::<Vec<u8>>();
            for _ in 0..2 {
                let _ = empty.send(vec![0u8; CHUNK]);
            }
            let writer = scope.spawn(move || -> Result<()> {
                for (buffer, length) in to_write {
                    file.write_all(&buffer[..length])
                        .map_err(|e| io_error(destination, e))?;
                    // The reader is gone when this fails: nothing to do.
                    let _ = empty.send(buffer);
                }
                file.sync_all().map_err(|e| io_error(destination, e))
            });
            let mut outcome = Ok(());
            // A buffer comes back after each write; none once the writer
            // stopped (its error is reported below).
            while let Ok(mut buffer) = free.recv() {
                match self.read_backup_file(handle, &mut buffer) {
                    Ok(0) => break,
                    Ok(read) => {
                        *done += read as u64;
                        report(JET_sntProgress, *done, total.max(*done));
                        if full.send((buffer, read)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        outcome = Err(e);
                        break;
                    }
                }
            }
            drop(full);
            let written = writer.join().unwrap_or_else(|_| {
                Err(Error::new(JET_errInternalError)
                    .with_detail("the backup's writing thread panicked"))
            });
            outcome.and(written)
        })
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    crate::storage::io::jet_error_from_io(&e).with_file(path)
}

fn is_empty_directory(path: &Path) -> Result<bool> {
    match std::fs::read_dir(path) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io_error(path, e)),
    }
}

/// JET_bitBackupAtomic's folders inside the backup directory, as ESE
/// names them: the newest complete backup set in `new`, the one before it
/// in `old`, the one being written in `temp`.
const NEW: &str = "new";
const OLD: &str = "old";
const TEMP: &str = "temp";

/// Before an atomic backup, as ESE does: what a failed one left in `temp`
/// goes; a complete set in `new` moves to `old` (replacing it). A full
/// backup is then written into `temp`, an incremental one added to `old`.
fn prepare_atomic(directory: &Path, incremental: bool) -> Result<PathBuf> {
    std::fs::create_dir_all(directory).map_err(|e| {
        Error::new(JET_errMakeBackupDirectoryFail)
            .with_file(directory)
            .with_detail(e.to_string())
    })?;
    let (new, old, temp) = (
        directory.join(NEW),
        directory.join(OLD),
        directory.join(TEMP),
    );
    remove_dir_if_present(&temp)?;
    if new.exists() {
        remove_dir_if_present(&old)?;
        std::fs::rename(&new, &old).map_err(|e| io_error(&new, e))?;
        sync_directory(directory)?;
    }
    Ok(if incremental { old } else { temp })
}

/// An atomic full backup is complete: `temp` becomes `new`, and the set
/// before it (in `old`) goes.
fn promote(directory: &Path) -> Result<()> {
    let (new, old, temp) = (
        directory.join(NEW),
        directory.join(OLD),
        directory.join(TEMP),
    );
    std::fs::rename(&temp, &new).map_err(|e| io_error(&temp, e))?;
    sync_directory(directory)?;
    remove_dir_if_present(&old)?;
    sync_directory(directory)
}

fn remove_dir_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, e)),
    }
}
