//! The instance's transaction log as the API layer uses it: the log
//! parameters, the units each database's writer logs (the pages it changed
//! and the undo information of the transaction it changed them for), commit
//! and rollback records, and the checkpoint.
//!
//! A unit is one write-lock hold on a database ([`crate::database::WriteGuard`]):
//! the cache remembers every page the holder takes for writing, and when
//! the lock is released the changed ones go into one log record with the
//! node changes the version store recorded meanwhile. A commit appends its
//! record before its changes become visible to other sessions, so a commit
//! that depends on them is later in the log and never durable without it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;
use smallvec::SmallVec;

use crate::codes::*;
use crate::log::record::LoggedTransaction;
use crate::log::LogSignature;
use crate::log::{Checkpoint, LogRecord, LogWriter, LoggedNode, PageChange, Unit};
use crate::storage::attach::log_time_now;
use crate::storage::btree_write::NodeChange;
use crate::storage::cache::{LogPosition as CachePosition, WriteAheadGate};
use crate::version::{NodeKey, TreeInfo};
use crate::{Error, Result};

/// The log's system parameters.
#[derive(Clone, Debug)]
pub struct LogOptions {
    /// JET_paramRecovery: "On" (true) logs every change and recovers at
    /// initialisation; "Off" writes no log (a crash can then lose or tear
    /// anything not flushed) and refuses to start on logs that need replay.
    pub recovery: bool,
    /// JET_paramLogFilePath; the system path when `None`.
    pub log_path: Option<PathBuf>,
    /// JET_paramBaseName: three characters ("edb").
    pub base_name: String,
    /// JET_paramLegacyFileNames has JET_bitESE98FileNames (ESE's default):
    /// `.log` / `.chk` names; otherwise `.jtx` / `.jcp`.
    pub legacy_file_names: bool,
    /// JET_paramLogFileSize, in KiB (64 to 32768; ESE's default 5120).
    pub log_file_size_kib: u32,
    /// JET_paramLogBuffers, in 512-byte units (ESE's default 126).
    pub log_buffers: u32,
    /// JET_paramCircularLog: delete log files the checkpoint has passed.
    pub circular_log: bool,
    /// JET_paramCheckpointDepthMax, in bytes (ESE's default 20 MiB): dirty
    /// pages are written in the background so that recovery never has more
    /// log than this to replay.
    pub checkpoint_depth_max: u64,
    /// JET_RSTMAP: recovery replays the changes the log makes to the
    /// first path of a pair into the file at the second (a restore into
    /// other places than the databases came from).
    pub restore_map: Vec<(PathBuf, PathBuf)>,
}

impl Default for LogOptions {
    fn default() -> Self {
        LogOptions {
            recovery: true,
            log_path: None,
            base_name: "edb".into(),
            legacy_file_names: true,
            log_file_size_kib: 5120,
            log_buffers: 126,
            circular_log: false,
            checkpoint_depth_max: 20 << 20,
            restore_map: Vec::new(),
        }
    }
}

impl WriteAheadGate for LogWriter {
    fn make_durable_through(&self, position: CachePosition) -> Result<()> {
        self.flush_through(position)
    }
}

/// What a database's current unit records besides its pages: the
/// transaction it changes nodes for, and those changes.
#[derive(Default)]
pub(crate) struct Journal {
    pub transaction: LoggedTransaction,
    pub undo_to: Option<u32>,
    pub nodes: Vec<LoggedNode>,
    /// An update's implicit transaction committed: its (lazy) commit
    /// record follows the unit.
    pub commit_after: Option<LoggedTransaction>,
    /// An update's implicit transaction failed and was undone.
    pub rolled_back_after: Option<LoggedTransaction>,
}

impl Journal {
    /// A change the version store recorded for `transaction`.
    pub fn record(
        &mut self,
        transaction: LoggedTransaction,
        tree: &TreeInfo,
        node: &NodeKey,
        change: &NodeChange,
    ) {
        self.transaction = transaction;
        self.nodes.push(LoggedNode {
            root: tree.tree.root,
            object: tree.tree.object_id,
            non_unique: tree.non_unique,
            density: tree.density,
            node: node.clone(),
            change: change.clone(),
        });
    }

    /// `transaction`'s newest change was undone: it has `remaining` left.
    pub fn undone(&mut self, transaction: LoggedTransaction, remaining: usize) {
        self.transaction = transaction;
        if self.nodes.pop().is_none() {
            self.undo_to = Some(remaining as u32);
        }
    }
}

/// The instance's log and the state the checkpoint is computed from.
pub(crate) struct InstanceLog {
    pub writer: Arc<LogWriter>,
    pub options: LogOptions,
    /// Where each open transaction's first unit lies (the checkpoint may
    /// not pass it: recovery needs its undo information).
    active: Mutex<BTreeMap<LoggedTransaction, CachePosition>>,
    /// Attached databases by the number the log gives them.
    databases: Mutex<BTreeMap<u32, PathBuf>>,
    /// Databases detached since the checkpoint, with where: the log still
    /// names them after the checkpoint, so recovery must know them.
    detached: Mutex<Vec<(u32, PathBuf, CachePosition)>>,
    /// The checkpoint last written.
    checkpoint: Mutex<CachePosition>,
    /// Held for a whole checkpoint pass (`advance_checkpoint`): the
    /// checkpoint thread and `Instance::checkpoint` must not interleave,
    /// or a pass that read an older position could write it after another
    /// pass had deleted the generations behind a newer one.
    pub(crate) checkpointing: Mutex<()>,
    /// And what it said (a streaming backup starts its restore there).
    checkpoint_record: Mutex<Option<Checkpoint>>,
    /// While a streaming backup runs: generations from this one on are kept
    /// (circular logging deletes none of them).
    backup_floor: Mutex<Option<u32>>,
    /// JetStopServiceInstance2's JET_bitStopServiceStopAndEmitLog: logging
    /// was stopped on request (every later update fails), which is no
    /// failure of the log's end: databases still detach cleanly.
    emitted: std::sync::atomic::AtomicBool,
}

impl InstanceLog {
    pub fn new(writer: Arc<LogWriter>, options: LogOptions) -> Self {
        InstanceLog {
            writer,
            options,
            active: Mutex::new(BTreeMap::new()),
            databases: Mutex::new(BTreeMap::new()),
            detached: Mutex::new(Vec::new()),
            checkpoint: Mutex::new(0),
            checkpointing: Mutex::new(()),
            checkpoint_record: Mutex::new(None),
            backup_floor: Mutex::new(None),
            emitted: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// JET_bitStopServiceStopAndEmitLog: everything logged so far is made
    /// durable in a complete generation, then no more is logged (later
    /// updates and commits are `JET_errLogWriteFail`).
    pub fn stop_and_emit(&self) -> Result<()> {
        let stopped = Error::new(JET_errLogWriteFail)
            .with_detail("logging was stopped (JET_bitStopServiceStopAndEmitLog)");
        // Appends stop first, so that nothing is appended after the last
        // flush; a failed flush fails the log (a later start recovers).
        self.writer.seal_and_complete(stopped.clone())?;
        self.emitted
            .store(true, std::sync::atomic::Ordering::Release);
        // Updates are then refused before they change a page.
        self.writer.poison(&stopped);
        Ok(())
    }

    /// Logs one unit of `database` (number `number`): `pages` as the cache
    /// gives them, with the journal's node changes. Split over several
    /// records when too large for one; returns the first's start and the
    /// last's end, or `None` when there was nothing to log.
    pub fn log_unit(
        &self,
        number: u32,
        header: UnitHeader,
        journal: &mut Journal,
        pages: &mut Vec<PageChange>,
    ) -> Result<Option<(CachePosition, CachePosition)>> {
        if pages.is_empty() && journal.nodes.is_empty() && journal.undo_to.is_none() {
            return Ok(None);
        }
        // Parts of at most a quarter of a log file each.
        let budget = self.writer.config().largest_record() / 4;
        let size_of = |page: &PageChange| match page {
            PageChange::Image { bytes, .. } => bytes.len() + 16,
            PageChange::Ranges { ranges, .. } => {
                ranges.iter().map(|(_, b)| b.len() + 8).sum::<usize>() + 16
            }
            PageChange::Edits { journal, .. } => journal.len() + 16,
        };
        let mut parts: SmallVec<[Vec<PageChange>; 1]> = SmallVec::new();
        if pages.iter().map(size_of).sum::<usize>() <= budget {
            // Nearly every unit: one part, the pages as they came (and
            // back to the caller after, for their buffers).
            parts.push(std::mem::take(pages));
        } else {
            let mut size = 0;
            for page in pages.drain(..) {
                let bytes = size_of(&page);
                if parts.is_empty() || size + bytes > budget {
                    parts.push(Vec::new());
                    size = 0;
                }
                size += bytes;
                if let Some(last) = parts.last_mut() {
                    last.push(page);
                }
            }
        }
        let count = parts.len();
        let mut first = None;
        let mut last = 0;
        for (i, part) in parts.into_iter().enumerate() {
            let final_part = i + 1 == count;
            let (transaction, undo_to, nodes) = if final_part {
                (
                    journal.transaction,
                    journal.undo_to,
                    std::mem::take(&mut journal.nodes),
                )
            } else {
                (0, None, Vec::new())
            };
            let record = LogRecord::Unit(Unit {
                database: number,
                db_time: header.db_time,
                last_object_id: header.last_object_id,
                file_length: header.file_length,
                transaction,
                undo_to,
                continued: !final_part,
                nodes,
                pages: part,
            });
            let (start, end) = self.writer.append(&record)?;
            if let LogRecord::Unit(unit) = record {
                // The node list goes back, emptied, for the next unit.
                journal.nodes = unit.nodes;
                journal.nodes.clear();
                if count == 1 {
                    *pages = unit.pages;
                }
            }
            first.get_or_insert(start);
            last = end;
            if final_part && transaction != 0 {
                self.active.lock().entry(transaction).or_insert(start);
            }
        }
        Ok(first.map(|start| (start, last)))
    }

    /// Appends `transaction`'s commit and returns its end (to flush
    /// through for a durable commit); `None` when the transaction logged
    /// no change (nothing for recovery to know).
    pub fn append_commit(&self, transaction: LoggedTransaction) -> Result<Option<CachePosition>> {
        if !self.active.lock().contains_key(&transaction) {
            return Ok(None);
        }
        let (_, end) = self.writer.append(&LogRecord::Commit { transaction })?;
        self.active.lock().remove(&transaction);
        Ok(Some(end))
    }

    /// Appends the end of `transaction`'s rollback.
    pub fn rolled_back(&self, transaction: LoggedTransaction) -> Result<()> {
        if self.active.lock().remove(&transaction).is_none() {
            // It never logged a change: nothing for recovery to know.
            return Ok(());
        }
        self.writer.append(&LogRecord::Rollback { transaction })?;
        Ok(())
    }

    /// Logs DDL `transaction` is about to make (see `Session::logged_ddl`).
    pub fn schema_intent(
        &self,
        transaction: LoggedTransaction,
        database: u32,
        after_nodes: usize,
        change: Vec<u8>,
    ) -> Result<()> {
        let (start, _) = self.writer.append(&LogRecord::Schema {
            transaction,
            database,
            after_nodes: after_nodes as u32,
            change,
        })?;
        self.active.lock().entry(transaction).or_insert(start);
        Ok(())
    }

    /// Logs that `transaction`'s DDL steps number `remaining` now.
    pub fn schema_undone(&self, transaction: LoggedTransaction, remaining: usize) -> Result<()> {
        self.writer.append(&LogRecord::SchemaUndone {
            transaction,
            remaining: remaining as u32,
        })?;
        Ok(())
    }

    /// Logs that the deletions `transaction` put off until its commit are
    /// done.
    pub fn schema_finished(&self, transaction: LoggedTransaction) -> Result<()> {
        self.writer
            .append(&LogRecord::SchemaFinished { transaction })?;
        Ok(())
    }

    /// Logs that `number` names `path` from now on, durably.
    pub fn attached(&self, number: u32, path: PathBuf) -> Result<CachePosition> {
        let (_, end) = self.writer.append(&LogRecord::Attach {
            database: number,
            path: path.clone(),
        })?;
        self.writer.flush_through(end)?;
        self.databases.lock().insert(number, path);
        Ok(end)
    }

    /// Closes the log at JetTerm; a log stopped on request
    /// (JET_bitStopServiceStopAndEmitLog) takes no closing block: all it
    /// holds is durable already.
    pub fn close(&self) -> Result<()> {
        if self.emitted.load(std::sync::atomic::Ordering::Acquire) {
            return Ok(());
        }
        self.writer.close()
    }

    /// Logs that `number` was detached, durably.
    pub fn detached(&self, number: u32) -> Result<()> {
        if self.emitted.load(std::sync::atomic::Ordering::Acquire) {
            // Logging was stopped on request with everything durable: the
            // database's pages and clean header are all there is to write.
            self.databases.lock().remove(&number);
            return Ok(());
        }
        let (_, end) = self
            .writer
            .append(&LogRecord::Detach { database: number })?;
        self.writer.flush_through(end)?;
        self.databases.lock().remove(&number);
        Ok(())
    }

    /// The oldest log position an open transaction still needs.
    pub fn oldest_active(&self) -> Option<CachePosition> {
        self.active.lock().values().min().copied()
    }

    /// Writes the checkpoint file at `position` (the caller has made every
    /// change before it durable in the database files), with the databases
    /// the log may name after it.
    pub fn write_checkpoint(&self, position: CachePosition) -> Result<()> {
        let mut databases: Vec<(u32, PathBuf)> = self
            .databases
            .lock()
            .iter()
            .map(|(n, p)| (*n, p.clone()))
            .collect();
        {
            let mut detached = self.detached.lock();
            detached.retain(|(_, _, at)| *at > position);
            databases.extend(detached.iter().map(|(n, p, _)| (*n, p.clone())));
        }
        let checkpoint = Checkpoint {
            signature: self.writer.signature(),
            position,
            databases,
        };
        // One writer at a time, and the record kept is the file's.
        let mut record = self.checkpoint_record.lock();
        if position < *self.checkpoint.lock() {
            // Never backwards: generations behind the newer checkpoint may
            // already be gone.
            return Ok(());
        }
        checkpoint.write(&self.writer.config().names.checkpoint())?;
        *self.checkpoint.lock() = position;
        *record = Some(checkpoint);
        Ok(())
    }

    /// A streaming backup begins: the log keeps every generation from the
    /// checkpoint's on, and a BackupStart record names that checkpoint and
    /// its databases (where a restore of the backup starts). Returns the
    /// record's position (the backup's mark) and the first generation the
    /// backup needs.
    pub fn begin_backup(&self) -> Result<(CachePosition, u32)> {
        use crate::log::format::generation_of;
        // Nothing is deleted while the checkpoint is read.
        *self.backup_floor.lock() = Some(0);
        let checkpoint = self.checkpoint_record.lock().clone();
        let Some(checkpoint) = checkpoint else {
            *self.backup_floor.lock() = None;
            return Err(Error::new(JET_errInvalidBackupSequence)
                .with_detail("the log has no checkpoint yet"));
        };
        let low = generation_of(checkpoint.position);
        *self.backup_floor.lock() = Some(low);
        let appended = self.writer.append(&LogRecord::BackupStart {
            checkpoint: checkpoint.position,
            databases: checkpoint.databases,
        });
        let (mark, end) = match appended {
            Ok(at) => at,
            Err(e) => {
                *self.backup_floor.lock() = None;
                return Err(e);
            }
        };
        self.writer.flush_through(end)?;
        Ok((mark, low))
    }

    /// JetGetLogInfo's end of a backup's log list: a BackupLogsEnd record
    /// closes the current generation, then the next one begins. Returns
    /// the generation completed.
    pub fn end_backup_logs(&self) -> Result<u32> {
        use crate::log::format::generation_of;
        loop {
            let generation = self.writer.generation();
            let (start, _) = self
                .writer
                .append(&LogRecord::BackupLogsEnd { generation })?;
            self.writer.start_new_generation()?;
            let completed = self.writer.generation() - 1;
            // Other appends may have filled the file between the two: then
            // the record is not in the generation completed; again.
            if completed == generation_of(start) {
                return Ok(completed);
            }
        }
    }

    /// The backup ended: generations may go again.
    pub fn end_backup(&self) {
        *self.backup_floor.lock() = None;
    }

    /// The first generation circular logging must keep for a backup.
    pub fn backup_floor(&self) -> Option<u32> {
        *self.backup_floor.lock()
    }

    /// The checkpoint last written.
    pub fn checkpoint(&self) -> CachePosition {
        *self.checkpoint.lock()
    }

    /// Bytes of log between `from` and `to` (for the checkpoint depth).
    pub fn distance(&self, from: CachePosition, to: CachePosition) -> u64 {
        use crate::log::format::{generation_of, offset_of};
        let file_size = self.writer.config().file_size;
        let generations = u64::from(generation_of(to).saturating_sub(generation_of(from)));
        (generations * file_size + u64::from(offset_of(to)))
            .saturating_sub(u64::from(offset_of(from)))
    }
}

/// The database-wide values every unit record carries.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UnitHeader {
    pub db_time: u64,
    pub last_object_id: u32,
    pub file_length: u64,
}

/// A new log sequence's identity: a random number, the time, the host.
pub(crate) fn new_signature() -> LogSignature {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let mut computer = [0u8; 16];
    if let Ok(name) = std::fs::read_to_string("/etc/hostname") {
        let name = name.trim().as_bytes();
        let n = name.len().min(computer.len());
        computer[..n].copy_from_slice(&name[..n]);
    }
    LogSignature {
        random: hasher.finish() as u32,
        created: log_time_now().0,
        computer,
    }
}
