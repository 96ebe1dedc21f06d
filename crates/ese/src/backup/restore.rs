//! Restore of a backup (ESE: JetRestoreInstance, JetRestore2,
//! JetExternalRestore2): the databases and log generations a backup wrote
//! are put back and recovered, and the databases end in clean shutdown.
//!
//! The backup's logs hold a `BackupStart` record (the first one belongs to
//! the full backup; an incremental backup adds later generations to its
//! directory). Redo starts at the checkpoint that record names, with the
//! databases it names, each copied from the backup to where it came from
//! or to where the caller maps it (JET_RSTMAP). The log generations go into
//! the instance's log directory beside any it already has of the same log
//! (so a restore can replay the current logs after the backup's, up to the
//! last commit), then the instance is started, which recovers, and shut
//! down clean.
//!
//! Everything is checked before anything is written: a backup missing a
//! generation is `JET_errMissingLogFile`, a target database or log
//! directory in use by a running instance `JET_errFileAccessDenied`, logs
//! of another log sequence in the log directory
//! `JET_errBadRestoreTargetInstance`.

use std::path::{Path, PathBuf};

use crate::backup::directory::{Progress, StatusCallback};
use crate::codes::*;
use crate::grbit::*;
use crate::instance::inner::{InstanceOptions, RecoveryReport};
use crate::instance::lifecycle::Instance;
use crate::instance::registry::{Jet, JetInstance};
use crate::log::files::sync_directory;
use crate::log::format::{generation_of, LogSignature};
use crate::log::reader::read_generation;
use crate::log::{read_log_file, Checkpoint, LogNames, LogRecord};
use crate::storage::io::{OpenMode, OsFile};
use crate::{Error, Result};

/// What a restore did.
#[derive(Clone, Debug)]
pub struct RestoreReport {
    /// The backup's generations, first and last.
    pub generation_low: u32,
    pub generation_high: u32,
    /// Each database: where it came from and where it was restored.
    pub databases: Vec<(PathBuf, PathBuf)>,
    /// What recovery did.
    pub recovery: Option<RecoveryReport>,
}

/// The backup set found in a directory.
struct BackupSet {
    signature: LogSignature,
    generations: Vec<u32>,
    checkpoint: u64,
    /// The databases the log names at the checkpoint, by number.
    at_checkpoint: Vec<(u32, PathBuf)>,
    /// Every database the backup's logs change (those attached after the
    /// checkpoint too).
    databases: Vec<PathBuf>,
}

impl Instance {
    /// JetRestoreInstance / JetRestore2: restores the backup in `backup`
    /// (as [`Instance::backup`] writes it) for an instance with `options`,
    /// each database to where it was backed up from, or into
    /// `destination` under its file name when one is given.
    pub fn restore(
        options: InstanceOptions,
        backup: &Path,
        destination: Option<&Path>,
        status: Option<StatusCallback<'_>>,
    ) -> Result<RestoreReport> {
        let set = read_backup_set(backup, &options)?;
        let map: Vec<(PathBuf, PathBuf)> = set
            .databases
            .iter()
            .map(|from| {
                let to = match destination {
                    Some(dir) => dir.join(from.file_name().unwrap_or_default()),
                    None => from.clone(),
                };
                (from.clone(), to)
            })
            .collect();
        restore_set(options, backup, set, map, false, status)
    }

    /// JetExternalRestore2: restores the files a streaming backup produced
    /// (databases and logs in `backup`), with `map` (JET_RSTMAP: where
    /// each database came from, where it goes) and the generation range
    /// the caller copied: `JET_errStartingRestoreLogTooHigh` when the
    /// backup needs an earlier generation than `low`,
    /// `JET_errEndingRestoreLogTooLow` when `high` is below the last one
    /// found. A database the backup directory lacks may already be where
    /// the map sends it (a backup client copies each file back itself
    /// before calling JetExternalRestore): it is recovered in place.
    pub fn external_restore(
        options: InstanceOptions,
        backup: &Path,
        map: &[(PathBuf, PathBuf)],
        low: u32,
        high: u32,
        status: Option<StatusCallback<'_>>,
    ) -> Result<RestoreReport> {
        let set = read_backup_set(backup, &options)?;
        let first = generation_of(set.checkpoint);
        let last = set.generations.last().copied().unwrap_or(first);
        if low > first {
            return Err(
                Error::new(JET_errStartingRestoreLogTooHigh).with_detail(format!(
                    "the backup needs generation {first:X}, the range starts at {low:X}"
                )),
            );
        }
        if high < last {
            return Err(
                Error::new(JET_errEndingRestoreLogTooLow).with_detail(format!(
                    "the backup holds generations up to {last:X}, the range ends at {high:X}"
                )),
            );
        }
        let mut full_map = Vec::new();
        for from in &set.databases {
            let to = map
                .iter()
                .find(|(source, _)| source == from || source.file_name() == from.file_name())
                .map_or_else(|| from.clone(), |(_, to)| to.clone());
            full_map.push((from.clone(), to));
        }
        restore_set(options, backup, set, full_map, true, status)
    }
}

fn restore_set(
    mut options: InstanceOptions,
    backup: &Path,
    set: BackupSet,
    map: Vec<(PathBuf, PathBuf)>,
    in_place: bool,
    mut status: Option<StatusCallback<'_>>,
) -> Result<RestoreReport> {
    let mut report = |event: u32, done: u64, total: u64| {
        if let Some(status) = status.as_deref_mut() {
            status(Progress {
                operation: JET_snpRestore,
                event,
                done,
                total,
            });
        }
    };
    report(JET_sntBegin, 0, 0);
    let outcome = restore_checked(&mut options, backup, &set, &map, in_place, &mut report);
    match &outcome {
        Ok(_) => report(JET_sntComplete, 1, 1),
        Err(_) => report(JET_sntFail, 0, 0),
    }
    outcome
}

fn restore_checked(
    options: &mut InstanceOptions,
    backup: &Path,
    set: &BackupSet,
    map: &[(PathBuf, PathBuf)],
    in_place: bool,
    report: &mut dyn FnMut(u32, u64, u64),
) -> Result<RestoreReport> {
    let names = options.log_names()?;
    let sources: Vec<PathBuf> = set
        .databases
        .iter()
        .map(|from| backup.join(from.file_name().unwrap_or_default()))
        .collect();
    let placed = |to: &Path| in_place && to.is_file();
    // A database the checkpoint names but the backup lacks was detached
    // before the backup began (recovery checks that the log says so).
    if !sources
        .iter()
        .zip(map)
        .any(|(s, (_, to))| s.is_file() || placed(to))
    {
        return Err(Error::new(JET_errFileNotFound)
            .with_file(backup)
            .with_detail("the backup directory holds none of the backup's databases"));
    }
    for (source, (_, to)) in sources.iter().zip(map) {
        if !source.is_file() && placed(to) {
            check_placed_copy(to, set)?;
        }
    }
    check_not_in_use(&names, map)?;
    check_log_directory(&names, set)?;
    // Nothing was changed so far. Databases first (each written beside
    // and renamed over), then the logs the directory lacks, then the
    // checkpoint that starts redo where the backup needs it.
    let total: u64 = sources
        .iter()
        .map(|s| std::fs::metadata(s).map_or(0, |m| m.len()))
        .sum();
    let mut done = 0;
    for (source, (_, to)) in sources.iter().zip(map) {
        if !source.is_file() {
            continue;
        }
        copy_replacing(source, to)?;
        done += std::fs::metadata(to).map_or(0, |m| m.len());
        report(JET_sntProgress, done, total.max(done));
    }
    std::fs::create_dir_all(&names.log_directory).map_err(|e| io_error(&names.log_directory, e))?;
    let backup_names = LogNames::new(backup, backup, &names.base, names.legacy)?;
    for &generation in &set.generations {
        let target = names.generation(generation);
        if !target.exists() {
            copy_replacing(&backup_names.generation(generation), &target)?;
        }
    }
    sync_directory(&names.log_directory)?;
    std::fs::create_dir_all(&names.system_directory)
        .map_err(|e| io_error(&names.system_directory, e))?;
    let checkpoint = Checkpoint {
        signature: set.signature,
        position: set.checkpoint,
        databases: set
            .at_checkpoint
            .iter()
            .map(|(number, from)| {
                let to = map
                    .iter()
                    .find(|(f, _)| f == from)
                    .map_or_else(|| from.clone(), |(_, to)| to.clone());
                (*number, to)
            })
            .collect(),
    };
    checkpoint.write(&names.checkpoint())?;
    // Copies a crash left in the double-write file belong to the files
    // the restore has just replaced: redo must not put them back.
    match std::fs::remove_file(names.double_write()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&names.double_write(), e)),
    }
    options.log.restore_map = map.to_vec();
    let instance = Instance::new(options.clone())?;
    let recovery = instance.recovery_report();
    instance.term()?;
    Ok(RestoreReport {
        generation_low: generation_of(set.checkpoint),
        generation_high: set.generations.last().copied().unwrap_or(0),
        databases: map.to_vec(),
        recovery,
    })
}

/// Reads the backup's log generations: contiguous, one log sequence, the
/// first BackupStart naming where redo starts.
fn read_backup_set(backup: &Path, options: &InstanceOptions) -> Result<BackupSet> {
    if !backup.is_dir() {
        return Err(Error::new(JET_errFileNotFound)
            .with_file(backup)
            .with_detail("the backup directory does not exist"));
    }
    let base = &options.log.base_name;
    let names = LogNames::new(backup, backup, base, options.log.legacy_file_names)?;
    let generations = names.archived()?;
    let (Some(&first), Some(&last)) = (generations.first(), generations.last()) else {
        return Err(Error::new(JET_errMissingLogFile)
            .with_file(backup)
            .with_detail("the backup holds no log file"));
    };
    let mut signature = None;
    let mut start = None;
    // Databases attached after the checkpoint are named by their Attach.
    let mut attached: Vec<(u64, u32, PathBuf)> = Vec::new();
    let mut ends_a_backup = false;
    for generation in first..=last {
        if generations.binary_search(&generation).is_err() {
            return Err(Error::new(JET_errMissingLogFile)
                .with_file(names.generation(generation))
                .with_detail(format!("the backup lacks log generation {generation:X}")));
        }
        let contents = read_log_file(
            &names.generation(generation),
            Some(generation),
            signature.as_ref(),
            false,
        )?;
        signature.get_or_insert(contents.header.signature);
        ends_a_backup = contents
            .records
            .iter()
            .any(|at| matches!(at.record, LogRecord::BackupLogsEnd { .. }));
        attached.extend(contents.records.iter().filter_map(|at| match &at.record {
            LogRecord::Attach { database, path } => Some((at.start, *database, path.clone())),
            _ => None,
        }));
        if start.is_none() {
            start = contents.records.iter().find_map(|at| match &at.record {
                LogRecord::BackupStart {
                    checkpoint,
                    databases,
                } => Some((*checkpoint, databases.clone())),
                _ => None,
            });
        }
    }
    if !ends_a_backup {
        return Err(Error::new(JET_errMissingLogFile)
            .with_file(names.generation(last + 1))
            .with_detail("the backup's newest generation is missing (no log ends its log list)"));
    }
    let Some((checkpoint, at_checkpoint)) = start else {
        return Err(Error::new(JET_errMissingLogFile)
            .with_file(backup)
            .with_detail("no log of the backup marks its start: a generation is missing"));
    };
    let mut databases: Vec<PathBuf> = at_checkpoint.iter().map(|(_, p)| p.clone()).collect();
    for (at, _, path) in attached {
        if at >= checkpoint && !databases.contains(&path) {
            databases.push(path);
        }
    }
    if generation_of(checkpoint) < first {
        return Err(Error::new(JET_errMissingLogFile)
            .with_file(names.generation(generation_of(checkpoint)))
            .with_detail("the backup lacks the generation its restore starts from"));
    }
    Ok(BackupSet {
        signature: signature.unwrap_or_default(),
        generations: generations
            .into_iter()
            .filter(|&g| g >= generation_of(checkpoint))
            .collect(),
        checkpoint,
        at_checkpoint,
        databases,
    })
}

/// `JET_errFileAccessDenied` when a running instance holds a target
/// database or the log directory's current file (both are locked while
/// open for writing).
fn check_not_in_use(names: &LogNames, map: &[(PathBuf, PathBuf)]) -> Result<()> {
    let mut held = Vec::new();
    for path in map.iter().map(|(_, to)| to).chain([&names.current()]) {
        if path.exists() {
            held.push(
                OsFile::open(path, OpenMode::ReadWrite).map_err(|e| {
                    e.with_detail("a restore target is in use by a running instance")
                })?,
            );
        }
    }
    Ok(())
}

/// A database the client put back where the map sends it (recovered in
/// place) must be a copy the backup streamed: a copy read from a running
/// instance has a header that is not in clean shutdown and names the
/// backup's log. Anything else there (the original database, closed
/// cleanly, or another log's database) would have the backup's older page
/// images replayed over newer pages: `JET_errRestoreOfNonBackupDatabase`.
fn check_placed_copy(path: &Path, set: &BackupSet) -> Result<()> {
    let file = crate::storage::database_file::DatabaseFile::open(path)?;
    let header = file.header();
    let streamed = header.state != ese_format::constants::JET_dbstateCleanShutdown
        && LogSignature::from_header(&header.log_signature) == set.signature;
    if streamed {
        Ok(())
    } else {
        Err(Error::new(JET_errRestoreOfNonBackupDatabase)
            .with_file(path)
            .with_detail("the file at the restore target is not a copy the backup streamed"))
    }
}

/// The log directory may hold logs of the backup's sequence (they follow
/// the backup's and are replayed after them), none of another.
fn check_log_directory(names: &LogNames, set: &BackupSet) -> Result<()> {
    let mut present: Vec<PathBuf> = names
        .archived()?
        .into_iter()
        .map(|g| names.generation(g))
        .collect();
    if names.current().exists() {
        present.push(names.current());
    }
    for path in present {
        let generation = read_generation(&path)?;
        let header = read_log_file(&path, None, None, true)
            .map(|c| c.header)
            .map_err(|e| e.with_detail("a log file in the restore's log directory is damaged"))?;
        if header.signature != set.signature {
            return Err(Error::new(JET_errBadRestoreTargetInstance)
                .with_file(&path)
                .with_detail(format!(
                    "generation {generation:X} in the log directory belongs to another log sequence"
                )));
        }
    }
    Ok(())
}

/// Copies `from` to `to` through a file beside it, synced and renamed over.
fn copy_replacing(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    }
    let mut beside = to.as_os_str().to_owned();
    beside.push(".restoring");
    let beside = PathBuf::from(beside);
    std::fs::copy(from, &beside).map_err(|e| io_error(from, e))?;
    std::fs::File::open(&beside)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(&beside, e))?;
    std::fs::rename(&beside, to).map_err(|e| io_error(to, e))
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    crate::storage::io::jet_error_from_io(&e).with_file(path)
}

/// JetRestoreInstance, and JetRestore / JetRestore2 in legacy mode, on the
/// process's registry.
impl Jet {
    /// JetRestoreInstance (JetRestore / JetRestore2 with `None` in legacy
    /// mode before JetInit): restores the backup in `backup` (as
    /// [`Instance::backup`] or a streaming backup client writes it) with
    /// the parameters of `instance`, an instance created but not running
    /// (`JET_errAlreadyInitialized` for one that runs). The databases end
    /// in clean shutdown; the instance stays created, not running.
    pub fn restore_instance(
        &self,
        instance: Option<JetInstance>,
        backup: &Path,
        destination: Option<&Path>,
        status: Option<StatusCallback<'_>>,
    ) -> Result<RestoreReport> {
        let options = self.options_for_restore(instance)?;
        Instance::restore(options, backup, destination, status)
    }

    /// JetExternalRestore / JetExternalRestore2: [`Instance::external_restore`]
    /// with the process's parameters, the checkpoint in `checkpoint_dir`
    /// and the logs replayed in `log_dir` (JET_paramSystemPath and
    /// JET_paramLogFilePath of the restore), of base name `base_name` when
    /// given (JET_LOGINFO's szBaseName).
    #[allow(clippy::too_many_arguments)]
    pub fn external_restore(
        &self,
        checkpoint_dir: &Path,
        log_dir: &Path,
        base_name: Option<&str>,
        backup: &Path,
        map: &[(PathBuf, PathBuf)],
        low: u32,
        high: u32,
        status: Option<StatusCallback<'_>>,
    ) -> Result<RestoreReport> {
        let mut options = self.options_for_external_restore()?;
        options.system_path = checkpoint_dir.to_path_buf();
        options.log.log_path = Some(log_dir.to_path_buf());
        if let Some(base) = base_name {
            options.log.base_name = base.to_string();
        }
        Instance::external_restore(options, backup, map, low, high, status)
    }
}
