//! JetBackupInstance: a backup into a directory, made with the streaming
//! calls of `backup.rs` (so it is as consistent as they are), with
//! JET_PFNSTATUS progress.
//!
//! A full backup writes each database under its file name and the log
//! generations it needs under theirs into an empty directory
//! (`JET_errBackupDirectoryNotEmpty` otherwise); with `JET_bitBackupAtomic`
//! it is written into `new` inside the directory first and replaces the
//! previous backup there only once complete (the previous one is kept in
//! `old` until then), so a failed backup leaves the previous one whole. An
//! incremental backup adds the generations since the last backup to the
//! directory of the full one. Either way the logs the backup made
//! unnecessary are then deleted, as JetTruncateLogInstance does.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::backup::BackupFile;
use super::grbit::*;
use super::instance::{check_grbit, Instance};
use crate::codes::*;
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
        if incremental && atomic {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail("JET_bitBackupAtomic is for full backups"));
        }
        let target = if atomic {
            directory.join("new")
        } else {
            directory.to_path_buf()
        };
        if atomic && target.exists() {
            // What a failed atomic backup left.
            std::fs::remove_dir_all(&target).map_err(|e| io_error(&target, e))?;
        }
        if !incremental && !is_empty_directory(&target)? {
            return Err(Error::new(JET_errBackupDirectoryNotEmpty).with_file(&target));
        }
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
        let copied = self.copy_backup(&target, incremental, &mut report);
        let ended = match copied {
            Ok(()) => self
                .truncate_log()
                .and_then(|()| self.end_external_backup(JET_bitBackupEndNormal)),
            Err(e) => {
                let _ = self.end_external_backup(JET_bitBackupEndAbort);
                Err(e)
            }
        };
        let outcome = ended.and_then(|()| {
            if atomic {
                replace_backup(directory, &target)
            } else {
                Ok(())
            }
        });
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
    crate::io::jet_error_from_io(&e).with_file(path)
}

fn is_empty_directory(path: &Path) -> Result<bool> {
    match std::fs::read_dir(path) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io_error(path, e)),
    }
}

/// JET_bitBackupAtomic's last step: the files of the previous backup in
/// `directory` move to `old`, the new ones from `new` take their place,
/// then `old` goes.
fn replace_backup(directory: &Path, new: &Path) -> Result<()> {
    let old = directory.join("old");
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
    }
    let previous: Vec<PathBuf> = std::fs::read_dir(directory)
        .map_err(|e| io_error(directory, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    if !previous.is_empty() {
        std::fs::create_dir(&old).map_err(|e| io_error(&old, e))?;
        for path in &previous {
            let to = old.join(path.file_name().unwrap_or_default());
            std::fs::rename(path, &to).map_err(|e| io_error(path, e))?;
        }
    }
    for entry in std::fs::read_dir(new).map_err(|e| io_error(new, e))? {
        let path = entry.map_err(|e| io_error(new, e))?.path();
        let to = directory.join(path.file_name().unwrap_or_default());
        std::fs::rename(&path, &to).map_err(|e| io_error(&path, e))?;
    }
    sync_directory(directory)?;
    std::fs::remove_dir(new).map_err(|e| io_error(new, e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
    }
    sync_directory(directory)
}
