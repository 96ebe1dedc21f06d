//! Soft recovery (ESE: logredo), run by initialisation before anything
//! else touches the databases.
//!
//! 1. Redo: from the checkpoint to the end of the log, every unit is put
//!    back into the database files it lacks from: a page image replaces the
//!    page (images are logged when a clean page is first changed, so one
//!    precedes every later change of a page written since the checkpoint,
//!    and a page torn by the crash is rebuilt from it); changed ranges are
//!    applied to a page whose database time is older than the unit's. A
//!    unit split over several records counts only when its last part is
//!    there. Meanwhile the transactions are followed: the node changes each
//!    logged, minus those its rollback steps undid, until it commits or
//!    ends rolled back.
//! 2. Undo: the new log is started, the databases are attached again, and
//!    each transaction that never ended is rolled back through the same
//!    code as a live rollback (which logs its steps, so a crash during
//!    recovery is recovered in turn). Every database is then detached,
//!    clean, and the checkpoint moves to the end of the log.
//!
//! Missing generations are `JET_errMissingLogFile`, damaged ones
//! `JET_errLogFileCorrupt`; a torn end of the current file is the end of
//! the log (it is sealed before the file is renamed to its generation).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ese_format::checksum::{set_page_checksum, PageKind};
use ese_format::header_election::{elect_header, ELECTION_PREFIX};
use ese_format::page_edit::{journal_sources, journal_starts_afresh, replay};

use crate::codes::*;
use crate::database::Database;
use crate::instance::cleanup::settle;
use crate::instance::inner::InstanceOptions;
use crate::instance::inner::{InstanceInner, RecoveryReport};
use crate::instance::mutex::lock;
use crate::instance::transaction_state::TransactionState;
use crate::instance::transaction_state::{SchemaChange, SchemaStep};
use crate::instance::undo::finish_schema_steps;
use crate::instance::undo::roll_back_levels;
use crate::log::format::{display, generation_of, LogSignature};
use crate::log::reader::{read_generation, read_log_file, seal_log_file};
use crate::log::record::LoggedTransaction;
use crate::log::units::{new_signature, InstanceLog};
use crate::log::{Checkpoint, LogNames, LogRecord, LoggedNode, PageChange, Unit};
use crate::log::{LogConfig, LogWriter};
use crate::storage::attach::write_header_pages;
use crate::storage::btree::Tree;
use crate::storage::database_file::verify_database_page;
use crate::storage::double_write::{read_batch, Copies, DoubleWrite, PageToWrite, BATCH_PAGES};
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::version::{TreeInfo, UndoRecord};
use crate::{Error, Result};
use ese_format::constants::JET_dbstateCleanShutdown;

/// A transaction the log saw begin changing pages and never end.
#[derive(Debug, Default)]
pub(crate) struct OpenTransaction {
    pub id: LoggedTransaction,
    /// Its node changes, oldest first, with the database of each.
    pub changes: Vec<(PathBuf, LoggedNode)>,
    /// Its DDL steps, oldest first.
    pub schema: Vec<LoggedSchema>,
}

/// A DDL step as the log describes it.
#[derive(Clone, Debug)]
pub(crate) struct LoggedSchema {
    pub path: PathBuf,
    pub after_nodes: u32,
    pub change: SchemaChange,
}

/// What the redo pass leaves for the undo pass.
#[derive(Debug)]
pub(crate) struct Redone {
    pub signature: LogSignature,
    /// The generation the new log starts with.
    pub next_generation: u32,
    /// Databases attached when the log ended: they are brought to a clean
    /// state.
    pub attached: Vec<PathBuf>,
    pub open: Vec<OpenTransaction>,
    /// Committed transactions whose put-off deletions may not be done.
    pub to_finish: Vec<OpenTransaction>,
    /// Units applied (for reports and tests).
    pub units_redone: u64,
    /// Torn pages put back from the double-write file.
    pub pages_repaired: u64,
}

/// A database file being redone: its pages changed so far, in memory.
struct RedoFile {
    file: Arc<OsFile>,
    page_size: usize,
    pages: HashMap<u32, Vec<u8>>,
    /// Pages whose layout a replay checked in full and that only replays
    /// changed since (see `ese_format::page_edit::replay`).
    edit_checked: HashSet<u32>,
    /// For each page other pages' redo copied lines from, those pages: a
    /// source is written after them (it loses the lines they took).
    copied_to: HashMap<u32, Vec<u32>>,
    length: u64,
    db_time: u64,
    last_object_id: u32,
    /// Where the log detached it, if that is its last word on the file:
    /// the file is consistent there (a restored backup copy, dirty when
    /// copied, ends clean).
    detached_at: Option<u64>,
}

impl RedoFile {
    /// Opens the database at `path` for redo, first putting back whole,
    /// from `copies` (the double-write file's pages of this file), every
    /// page a crash tore while it was written; returns how many.
    fn open(
        path: &Path,
        signature: &LogSignature,
        copies: &DoubleWriteCopies,
    ) -> Result<(Self, u64)> {
        let file = OsFile::open(path, OpenMode::ReadWrite).map_err(|e| {
            e.with_detail("a database the log changed cannot be opened for recovery")
        })?;
        let size = file.len()?;
        let mut prefix = vec![0u8; ELECTION_PREFIX];
        let read = file.read_at_most(&mut prefix, 0)?;
        prefix.truncate(read);
        let elected = elect_header(&prefix, size, None).map_err(|e| e.in_file(path))?;
        let header = elected.header;
        let bound = LogSignature::from_header(&header.log_signature);
        if header.state != JET_dbstateCleanShutdown
            && bound != LogSignature::default()
            && bound != *signature
        {
            return Err(Error::new(JET_errDatabaseLogSetMismatch)
                .with_file(path)
                .with_detail("the database belongs to another log sequence"));
        }
        let repaired = repair_torn_pages(&file, elected.page_size, copies.of(path))?;
        Ok((
            RedoFile {
                file: Arc::new(file),
                page_size: elected.page_size,
                pages: HashMap::new(),
                edit_checked: HashSet::new(),
                copied_to: HashMap::new(),
                length: size,
                db_time: header.db_time,
                last_object_id: header.last_object_id,
                detached_at: None,
            },
            repaired,
        ))
    }

    /// The database time of a page as redo has it, or as it is on disk
    /// (0 for a page that is not there or not whole: a write the crash cut
    /// short, which redo must rebuild).
    fn time_of(&self, number: u32) -> u64 {
        if let Some(bytes) = self.pages.get(&number) {
            return time_of_page(bytes);
        }
        let mut bytes = vec![0u8; self.page_size];
        let offset = (u64::from(number) + 1) * self.page_size as u64;
        match self.file.read_at(&mut bytes, offset) {
            Ok(()) if verify_database_page(&mut bytes, number, true).is_ok() => {
                time_of_page(&bytes)
            }
            _ => 0,
        }
    }

    /// The page as redo has it so far.
    fn page(&mut self, number: u32, path: &Path) -> Result<&mut Vec<u8>> {
        if !self.pages.contains_key(&number) {
            let inconsistent = |detail: String| {
                Error::new(JET_errLogOperationInconsistentWithDatabase)
                    .with_file(path)
                    .with_page(number)
                    .with_detail(detail)
            };
            let offset = (u64::from(number) + 1) * self.page_size as u64;
            let mut bytes = vec![0u8; self.page_size];
            self.file.read_at(&mut bytes, offset).map_err(|e| {
                inconsistent(format!("a logged change to a page not in the file: {e}"))
            })?;
            verify_database_page(&mut bytes, number, true).map_err(|e| {
                inconsistent(format!(
                    "a logged change to a damaged page that neither the log nor the double-write file holds whole: {e}"
                ))
            })?;
            self.pages.insert(number, bytes);
        }
        Ok(self.pages.get_mut(&number).expect("inserted above"))
    }

    fn apply(&mut self, unit: &Unit, path: &Path) -> Result<()> {
        for change in &unit.pages {
            match change {
                PageChange::Image { page, bytes } => {
                    if bytes.len() != self.page_size {
                        return Err(Error::new(JET_errLogFileCorrupt).with_detail(format!(
                            "an image of page {page} of {} bytes in a database of {}-byte pages",
                            bytes.len(),
                            self.page_size
                        )));
                    }
                    // A page already as new as the unit keeps its bytes:
                    // taken back to the image, it would need the later
                    // units again, and those that copied lines from pages
                    // now newer on disk could not be redone.
                    if self.time_of(*page) >= unit.db_time {
                        continue;
                    }
                    self.pages.insert(*page, bytes.to_vec());
                    self.edit_checked.remove(page);
                }
                PageChange::Ranges { page, ranges } => {
                    self.edit_checked.remove(page);
                    let page_size = self.page_size;
                    let bytes = self.page(*page, path)?;
                    let time = time_of_page(bytes);
                    if time >= unit.db_time {
                        continue;
                    }
                    for (offset, new) in ranges {
                        let start = *offset as usize;
                        let end = start + new.len();
                        if end > page_size {
                            return Err(Error::new(JET_errLogFileCorrupt)
                                .with_detail(format!("a change beyond the end of page {page}")));
                        }
                        bytes[start..end].copy_from_slice(new);
                    }
                }
                PageChange::Edits { page, journal } => {
                    let page_size = self.page_size;
                    let checked = self.edit_checked.contains(page);
                    let source_pages = journal_sources(journal).map_err(|e| {
                        Error::new(JET_errLogFileCorrupt)
                            .with_page(*page)
                            .with_detail(format!("the logged edits of the page do not parse: {e}"))
                    })?;
                    let mut sources = Vec::with_capacity(source_pages.len());
                    if !source_pages.is_empty() {
                        // Lines copied from other pages (a split): unless
                        // the page already has this unit, its sources must
                        // not (they are written only after their copies).
                        if self.time_of(*page) >= unit.db_time {
                            continue;
                        }
                        for source in source_pages {
                            let bytes = self.page(source, path)?.clone();
                            if time_of_page(&bytes) >= unit.db_time {
                                return Err(Error::new(
                                    JET_errLogOperationInconsistentWithDatabase,
                                )
                                .with_file(path)
                                .with_page(*page)
                                .with_detail(format!(
                                    "page {source}, which this page copied lines from, is \
                                         newer on disk than the copy and the copy is not"
                                )));
                            }
                            sources.push((source, bytes));
                            let targets = self.copied_to.entry(source).or_default();
                            if !targets.contains(page) {
                                targets.push(*page);
                            }
                        }
                    }
                    let bytes = if journal_starts_afresh(journal) {
                        // Rebuilt from nothing: the bytes on disk matter
                        // only by their time (they may be a torn write,
                        // which counts as older); a page as new as the
                        // unit keeps them, as an image's would.
                        if self.time_of(*page) >= unit.db_time {
                            continue;
                        }
                        self.pages
                            .entry(*page)
                            .or_insert_with(|| vec![0u8; page_size])
                    } else {
                        let bytes = self.page(*page, path)?;
                        let time = time_of_page(bytes);
                        if time >= unit.db_time {
                            continue;
                        }
                        bytes
                    };
                    let sources: Vec<(u32, &[u8])> =
                        sources.iter().map(|(n, b)| (*n, &b[..])).collect();
                    replay(bytes, *page, journal, checked, &sources).map_err(|e| {
                        Error::new(JET_errLogFileCorrupt)
                            .with_page(*page)
                            .with_detail(format!("the logged edits of the page do not apply: {e}"))
                    })?;
                    bytes[8..16].copy_from_slice(&unit.db_time.to_le_bytes());
                    self.edit_checked.insert(*page);
                }
            }
        }
        self.length = self.length.max(unit.file_length);
        self.db_time = self.db_time.max(unit.db_time);
        self.last_object_id = self.last_object_id.max(unit.last_object_id);
        Ok(())
    }

    /// Writes the redone pages (through `double_write`: a crash during
    /// these writes must not tear a page the log cannot rebuild) and the
    /// header's database time and object id, and syncs.
    fn finish(mut self, path: &Path, double_write: &DoubleWrite) -> Result<()> {
        if self.file.len()? < self.length {
            self.file.set_len(self.length)?;
        }
        // A page that gave lines to others goes after them (in a later
        // batch, or in the same one, which the double-write file makes
        // whole again after a crash): each batch is durable before the
        // next is written, so no source reaches the disk without the lines
        // it gave away being there. Chains of such copies are ordered
        // from their newest page back.
        let numbers = copies_first(self.pages.keys().copied().collect(), &self.copied_to);
        let io: Arc<dyn FileIo> = self.file.clone();
        for chunk in numbers.chunks(BATCH_PAGES) {
            let mut batch = Vec::with_capacity(chunk.len());
            for number in chunk {
                let Some(mut bytes) = self.pages.remove(number) else {
                    continue;
                };
                set_page_checksum(&mut bytes, PageKind::DatabasePage, *number)
                    .map_err(|e| Error::new(JET_errInvalidBufferSize).with_detail(e.to_string()))?;
                batch.push((*number, bytes));
            }
            let pages: Vec<PageToWrite<'_>> = batch
                .iter()
                .map(|(page, bytes)| PageToWrite {
                    file: &io,
                    page: *page,
                    bytes,
                })
                .collect();
            double_write.write(&pages)?;
        }
        self.file.sync_data()?;
        let size = self.file.len()?;
        let mut prefix = vec![0u8; ELECTION_PREFIX];
        let read = self.file.read_at_most(&mut prefix, 0)?;
        prefix.truncate(read);
        let mut header = elect_header(&prefix, size, Some(self.page_size))
            .map_err(|e| e.in_file(path))?
            .header;
        header.db_time = header.db_time.max(self.db_time);
        header.last_object_id = header.last_object_id.max(self.last_object_id);
        if let Some(at) = self.detached_at {
            let lgpos = crate::log::format::to_lgpos(at);
            header.state = JET_dbstateCleanShutdown;
            header.consistent_position = lgpos;
            header.detach_position = lgpos;
        }
        write_header_pages(&*self.file, self.page_size, &header)
    }
}

/// `pages` in an order where every page comes after the pages that copied
/// lines from it (`copied_to`), then by number: by the length of the chain
/// of copies waiting on each. A cycle (which no log this engine writes
/// holds) is cut where it is met. Iterative: a damaged log's chains may be
/// as long as the database, deeper than a thread's stack.
fn copies_first(mut pages: Vec<u32>, copied_to: &HashMap<u32, Vec<u32>>) -> Vec<u32> {
    let mut levels: HashMap<u32, usize> = HashMap::new();
    let mut visiting: HashSet<u32> = HashSet::new();
    for &start in &pages {
        // Each entry: a page and how many of its targets were looked at.
        let mut stack: Vec<(u32, usize)> = vec![(start, 0)];
        while let Some(&mut (page, ref mut next)) = stack.last_mut() {
            if levels.contains_key(&page) {
                stack.pop();
                continue;
            }
            visiting.insert(page);
            let targets = copied_to.get(&page).map_or(&[][..], Vec::as_slice);
            if let Some(&target) = targets.get(*next) {
                *next += 1;
                if !levels.contains_key(&target) && !visiting.contains(&target) {
                    stack.push((target, 0));
                }
                continue;
            }
            // Every target is done (one still being visited closes a cycle
            // and counts as level 0).
            let level = targets
                .iter()
                .map(|t| levels.get(t).map_or(1, |level| level + 1))
                .max()
                .unwrap_or(0);
            levels.insert(page, level);
            visiting.remove(&page);
            stack.pop();
        }
    }
    pages.sort_unstable_by_key(|page| (levels.get(page).copied().unwrap_or(0), *page));
    pages
}

/// The database time in a page's header (bytes 8..16).
fn time_of_page(bytes: &[u8]) -> u64 {
    bytes
        .get(8..16)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// The double-write file's pages, by the file they belong to.
#[derive(Default)]
struct DoubleWriteCopies(Copies);

impl DoubleWriteCopies {
    /// The copies of the database at `path` (the same file under another
    /// spelling of its path included).
    fn of(&self, path: &Path) -> &[(u32, Vec<u8>)] {
        if let Some(copies) = self.0.get(path) {
            return copies;
        }
        let canonical = std::fs::canonicalize(path).ok();
        self.0
            .iter()
            .find(|(p, _)| canonical.is_some() && std::fs::canonicalize(p).ok() == canonical)
            .map_or(&[], |(_, copies)| copies.as_slice())
    }
}

/// Puts back each page of `copies` whose bytes in `file` fail their check
/// (a write the crash cut short) or are older than the copy (a write of
/// the batch that never happened), and syncs; a sound page as new as its
/// copy is left alone. Returns how many were put back.
fn repair_torn_pages(file: &OsFile, page_size: usize, copies: &[(u32, Vec<u8>)]) -> Result<u64> {
    let mut repaired = 0;
    for (page, copy) in copies {
        if copy.len() != page_size {
            continue;
        }
        let offset = (u64::from(*page) + 1) * page_size as u64;
        let mut in_place = vec![0u8; page_size];
        let read = file.read_at_most(&mut in_place, offset)?;
        // Sound and as new as the copy: written whole. (Sound but older:
        // the batch's write of it never happened; the copy completes the
        // batch, whose pages must reach the disk together, see
        // `BufferCache::write_order`.)
        if read == page_size
            && verify_database_page(&mut in_place, *page, false).is_ok()
            && time_of_page(&in_place) >= time_of_page(copy)
        {
            continue;
        }
        file.write_at(copy, offset)?;
        repaired += 1;
    }
    if repaired > 0 {
        file.sync_data()?;
    }
    Ok(repaired)
}

/// The log files recovery reads, in order: (generation, path, current).
fn files_to_read(
    names: &LogNames,
    checkpoint: Option<&Checkpoint>,
) -> Result<Vec<(u32, PathBuf, bool)>> {
    let archived = names.archived()?;
    let current = names.current();
    let current_generation = if current.exists() {
        Some(read_generation(&current)?)
    } else {
        None
    };
    let start = match checkpoint {
        Some(c) => generation_of(c.position),
        None => match (archived.first(), current_generation) {
            (Some(&first), _) => first,
            (None, Some(g)) => g,
            (None, None) => return Ok(Vec::new()),
        },
    };
    let last_archived = archived.iter().copied().filter(|&g| g >= start).max();
    let end = match (current_generation, last_archived) {
        (Some(g), _) => g,
        (None, Some(g)) => g,
        (None, None) => {
            return Err(Error::new(JET_errMissingLogFile)
                .with_file(names.generation(start))
                .with_detail(format!("the checkpoint's generation {start:X} is missing")))
        }
    };
    let mut files = Vec::new();
    for generation in start..=end {
        if Some(generation) == current_generation {
            files.push((generation, current.clone(), true));
        } else if archived.binary_search(&generation).is_ok() {
            files.push((generation, names.generation(generation), false));
        } else {
            return Err(Error::new(JET_errMissingLogFile)
                .with_file(names.generation(generation))
                .with_detail(format!("log generation {generation:X} is missing")));
        }
    }
    Ok(files)
}

/// The redo pass. `None` when there is no log at all (a new instance).
/// With `apply` false nothing is written: the caller only learns whether
/// replay is needed (JET_paramRecovery off).
pub(crate) fn redo(
    names: &LogNames,
    apply: bool,
    restore_map: &[(PathBuf, PathBuf)],
) -> Result<Option<Redone>> {
    let mapped = |path: &Path| -> PathBuf {
        restore_map
            .iter()
            .find(|(from, _)| from == path)
            .map_or_else(|| path.to_path_buf(), |(_, to)| to.clone())
    };
    let checkpoint = Checkpoint::read(&names.checkpoint())?;
    let files = files_to_read(names, checkpoint.as_ref())?;
    let Some(&(last_generation, _, _)) = files.last() else {
        return Ok(None);
    };
    let start = checkpoint.as_ref().map_or(0, |c| c.position);
    let mut signature = checkpoint.as_ref().map(|c| c.signature);
    let mut databases: BTreeMap<u32, PathBuf> = checkpoint
        .as_ref()
        .map(|c| c.databases.iter().map(|(n, p)| (*n, mapped(p))).collect())
        .unwrap_or_default();
    let mut open: BTreeMap<LoggedTransaction, OpenTransaction> = BTreeMap::new();
    let mut to_finish: BTreeMap<LoggedTransaction, OpenTransaction> = BTreeMap::new();
    let mut pending: HashMap<u32, Vec<Unit>> = HashMap::new();
    let mut redo_files: HashMap<PathBuf, RedoFile> = HashMap::new();
    let mut units_redone = 0;
    let mut pages_repaired = 0;
    // The pages the last batch of writes before the crash copied there
    // (soft recovery only: a restore's files are a backup's copies).
    let copies = if apply && restore_map.is_empty() {
        DoubleWriteCopies(read_batch(&names.double_write())?)
    } else {
        DoubleWriteCopies::default()
    };
    let mut missing: HashMap<PathBuf, Error> = HashMap::new();
    for (generation, path, current) in &files {
        let expected = if *current { None } else { Some(*generation) };
        let contents = read_log_file(path, expected, signature.as_ref(), *current)?;
        signature.get_or_insert(contents.header.signature);
        let signature = contents.header.signature;
        for at in &contents.records {
            if at.start < start {
                continue;
            }
            match &at.record {
                LogRecord::Start { .. }
                | LogRecord::BackupStart { .. }
                | LogRecord::BackupLogsEnd { .. } => {}
                LogRecord::Attach { database, path } => {
                    let path = mapped(path);
                    if let Some(file) = redo_files.get_mut(&path) {
                        file.detached_at = None;
                    }
                    databases.insert(*database, path);
                }
                LogRecord::Detach { database } => {
                    let Some(path) = databases.remove(database) else {
                        continue;
                    };
                    // The file is consistent here: its header says so at
                    // the end unless the log attaches it again. A file redo
                    // has not touched is left alone (it may belong to
                    // another instance by now), except in a restore, whose
                    // files are the backup's dirty copies.
                    let restoring = !restore_map.is_empty();
                    if apply && !missing.contains_key(&path) {
                        if !redo_files.contains_key(&path) && restoring {
                            match RedoFile::open(&path, &signature, &copies) {
                                Ok((file, repaired)) => {
                                    pages_repaired += repaired;
                                    redo_files.insert(path.clone(), file);
                                }
                                Err(e) if e.code() == JET_errFileNotFound => continue,
                                Err(e) => return Err(e),
                            }
                        }
                        if let Some(file) = redo_files.get_mut(&path) {
                            file.detached_at = Some(at.end);
                        }
                    }
                }
                LogRecord::Commit { transaction } => {
                    if let Some(ended) = open.remove(transaction) {
                        if ended.schema.iter().any(|s| {
                            matches!(
                                s.change,
                                SchemaChange::DeleteTable { .. } | SchemaChange::DeleteIndex { .. }
                            )
                        }) {
                            to_finish.insert(*transaction, ended);
                        }
                    }
                }
                LogRecord::Rollback { transaction } => {
                    open.remove(transaction);
                }
                LogRecord::Schema {
                    transaction,
                    database,
                    after_nodes,
                    change,
                } => {
                    let Some(path) = databases.get(database).cloned() else {
                        return Err(Error::new(JET_errLogFileCorrupt).with_detail(format!(
                            "the DDL at {} names database {database} which is not attached",
                            display(at.start)
                        )));
                    };
                    let change: SchemaChange = serde_json::from_slice(change).map_err(|e| {
                        Error::new(JET_errLogFileCorrupt).with_detail(format!(
                            "the DDL at {} cannot be read: {e}",
                            display(at.start)
                        ))
                    })?;
                    let entry = open.entry(*transaction).or_default();
                    entry.id = *transaction;
                    entry.schema.push(LoggedSchema {
                        path,
                        after_nodes: *after_nodes,
                        change,
                    });
                }
                LogRecord::SchemaUndone {
                    transaction,
                    remaining,
                } => {
                    if let Some(entry) = open.get_mut(transaction) {
                        entry.schema.truncate(*remaining as usize);
                    }
                }
                LogRecord::SchemaFinished { transaction } => {
                    to_finish.remove(transaction);
                }
                LogRecord::Unit(unit) => {
                    let parts = pending.entry(unit.database).or_default();
                    parts.push(unit.clone());
                    if unit.continued {
                        continue;
                    }
                    let parts = pending.remove(&unit.database).unwrap_or_default();
                    let Some(path) = databases.get(&unit.database).cloned() else {
                        return Err(Error::new(JET_errLogFileCorrupt).with_detail(format!(
                            "the unit at {} names database {} which is not attached",
                            display(at.start),
                            unit.database
                        )));
                    };
                    if apply && !missing.contains_key(&path) {
                        if !redo_files.contains_key(&path) {
                            match RedoFile::open(&path, &signature, &copies) {
                                Ok((file, repaired)) => {
                                    pages_repaired += repaired;
                                    redo_files.insert(path.clone(), file);
                                }
                                // Gone since: fine if it was detached (clean)
                                // before the log ends; checked below.
                                Err(e) if e.code() == JET_errFileNotFound => {
                                    missing.insert(path.clone(), e);
                                    continue;
                                }
                                Err(e) => return Err(e),
                            }
                        }
                        let file = redo_files.get_mut(&path).expect("inserted above");
                        for part in &parts {
                            file.apply(part, &path)?;
                        }
                    }
                    units_redone += 1;
                    if unit.transaction != 0 {
                        let entry = open.entry(unit.transaction).or_default();
                        entry.id = unit.transaction;
                        if let Some(keep) = unit.undo_to {
                            entry.changes.truncate(keep as usize);
                        }
                        entry
                            .changes
                            .extend(unit.nodes.iter().map(|n| (path.clone(), n.clone())));
                    }
                }
            }
        }
        if *current && apply {
            seal_log_file(path, &contents)?;
        }
    }
    for path in databases.values() {
        if let Some(error) = missing.remove(path) {
            return Err(error);
        }
    }
    if !redo_files.is_empty() {
        // Every torn page is whole again and synced: the file's copies
        // are no longer needed, and it now protects redo's own writes.
        let double_write = DoubleWrite::create(&names.double_write())?;
        for (path, file) in redo_files {
            file.finish(&path, &double_write)?;
        }
        double_write.clear()?;
    }
    Ok(Some(Redone {
        signature: signature.unwrap_or_default(),
        next_generation: last_generation + 1,
        attached: databases.into_values().collect(),
        open: open
            .into_values()
            .filter(|t| !t.changes.is_empty() || !t.schema.is_empty())
            .collect(),
        to_finish: to_finish.into_values().collect(),
        units_redone,
        pages_repaired,
    }))
}

/// After redo: the current file becomes a full generation, so that the
/// new log starts with an empty current file.
pub(crate) fn archive_current(names: &LogNames) -> Result<()> {
    let current = names.current();
    if !current.exists() {
        return Ok(());
    }
    let generation = read_generation(&current)?;
    std::fs::rename(&current, names.generation(generation))
        .map_err(|e| crate::storage::io::jet_error_from_io(&e).with_file(&current))?;
    crate::log::files::sync_directory(&names.log_directory)
}

/// Logged DDL steps as a rollback takes them, on the databases attached.
fn schema_steps(
    logged: &[LoggedSchema],
    attached: &HashMap<PathBuf, Arc<Database>>,
) -> Vec<SchemaStep> {
    logged
        .iter()
        .filter_map(|s| {
            Some(SchemaStep {
                level: 1,
                after_nodes: s.after_nodes as usize,
                database: attached.get(&s.path)?.id(),
                change: s.change.clone(),
            })
        })
        .collect()
}

/// The undo pass of recovery: attaches the databases the log had
/// attached, rolls back every transaction that never ended (logging each
/// step), and detaches them clean.
pub(crate) fn finish_recovery(
    inner: &Arc<InstanceInner>,
    redone: Redone,
) -> Result<RecoveryReport> {
    let mut report = RecoveryReport {
        units_redone: redone.units_redone,
        pages_repaired: redone.pages_repaired,
        transactions_rolled_back: redone.open.len(),
        databases: Vec::new(),
    };
    let mut paths = redone.attached.clone();
    for transaction in redone.open.iter().chain(&redone.to_finish) {
        paths.extend(transaction.changes.iter().map(|(p, _)| p.clone()));
        paths.extend(transaction.schema.iter().map(|s| s.path.clone()));
    }
    paths.sort();
    paths.dedup();
    let mut attached = HashMap::new();
    for path in paths {
        let database = Database::attach(
            inner.cache.clone(),
            &path,
            false,
            inner.log.clone(),
            true,
            inner.options.database_file_hook.as_ref(),
        )?;
        lock(&inner.databases).insert(path.clone(), database.clone());
        attached.insert(path, database);
    }
    for transaction in redone.open {
        let id = inner.versions.begin();
        let mut state = TransactionState {
            owner: crate::instance::transaction_state::Owner::Thread(
                crate::instance::session_core::thread_token(),
            ),
            id,
            level: 1,
            read_only: false,
            undo: Vec::new(),
            cursors: vec![Vec::new()],
            schema: Vec::new(),
            ddl_databases: Vec::new(),
            log_id: transaction.id,
            recovered: true,
        };
        state.schema = schema_steps(&transaction.schema, &attached);
        for (path, node) in transaction.changes {
            let Some(database) = attached.get(&path) else {
                continue;
            };
            let key = node.node.in_database(database.id());
            let tree = TreeInfo {
                tree: Tree {
                    root: node.root,
                    object_id: node.object,
                },
                non_unique: node.non_unique,
                density: node.density,
            };
            inner
                .versions
                .record(&state.id, key.clone(), tree, node.change);
            state.undo.push(UndoRecord {
                level: 1,
                node: key,
            });
        }
        roll_back_levels(inner, &mut state, 1)?;
        inner.versions.end_rolled_back(&state.id);
        if let Some(log) = &inner.log {
            log.rolled_back(transaction.id)?;
        }
    }
    // Committed deletions a crash may have interrupted.
    for transaction in &redone.to_finish {
        let steps = schema_steps(&transaction.schema, &attached);
        finish_schema_steps(inner, &steps)?;
        if let Some(log) = &inner.log {
            log.schema_finished(transaction.id)?;
        }
    }
    settle(inner)?;
    let databases = std::mem::take(&mut *lock(&inner.databases));
    for (path, database) in databases {
        database.detach()?;
        report.databases.push(path);
    }
    Ok(report)
}

/// Recovers what the log holds (the redo pass) and starts the log that
/// this run writes. With JET_paramRecovery off, no log is written, and
/// logs that still hold changes the databases lack make initialisation
/// fail.
pub(crate) fn start_log(
    options: &InstanceOptions,
) -> Result<(Option<Arc<InstanceLog>>, Option<Redone>)> {
    let names = options.log_names()?;
    let log = &options.log;
    if !log.recovery {
        if let Some(redone) = redo(&names, false, &log.restore_map)? {
            if !redone.attached.is_empty() || !redone.open.is_empty() {
                return Err(Error::new(JET_errDatabaseDirtyShutdown).with_detail(
                    "the transaction logs hold changes the databases lack, and \
                     JET_paramRecovery is off",
                ));
            }
        }
        return Ok((None, None));
    }
    if !(64..=32768).contains(&log.log_file_size_kib) {
        return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
            "JET_paramLogFileSize {} KiB (64 to 32768)",
            log.log_file_size_kib
        )));
    }
    if log.log_buffers == 0 {
        return Err(Error::new(JET_errInvalidParameter).with_detail("JET_paramLogBuffers 0"));
    }
    let redone = redo(&names, true, &log.restore_map)?;
    if redone.is_some() {
        archive_current(&names)?;
    }
    let (signature, generation) = match &redone {
        Some(r) => (r.signature, r.next_generation),
        None => (new_signature(), 1),
    };
    let config = LogConfig {
        names,
        file_size: u64::from(log.log_file_size_kib) * 1024,
        buffer_bytes: log.log_buffers as usize * 512,
        file_hook: None,
    };
    let writer = Arc::new(LogWriter::start(config, signature, generation)?);
    Ok((
        Some(Arc::new(InstanceLog::new(writer, log.clone()))),
        redone,
    ))
}

#[cfg(test)]
mod write_order_tests {
    use super::*;

    /// A chain of copies (page 7 gave lines to 5, which gave lines to 9)
    /// is written from its newest page back, after the pages nothing waits
    /// on; a page giving to two others comes after both.
    #[test]
    fn sources_come_after_every_page_that_copied_from_them() {
        let copied_to: HashMap<u32, Vec<u32>> = [(7, vec![5]), (5, vec![9]), (3, vec![9, 4])]
            .into_iter()
            .collect();
        let order = copies_first(vec![3, 4, 5, 7, 9, 11], &copied_to);
        let at = |page: u32| order.iter().position(|&p| p == page).unwrap();
        assert!(at(9) < at(5) && at(5) < at(7), "{order:?}");
        assert!(at(9) < at(3) && at(4) < at(3), "{order:?}");
        assert_eq!(order.len(), 6);
    }

    /// A chain far deeper than any stack (a damaged log can name one) is
    /// ordered without recursing: newest first.
    #[test]
    fn a_chain_longer_than_a_stack_is_ordered_newest_first() {
        let length = 200_000u32;
        let copied_to: HashMap<u32, Vec<u32>> =
            (0..length - 1).map(|page| (page, vec![page + 1])).collect();
        let order = copies_first((0..length).collect(), &copied_to);
        assert_eq!(order, (0..length).rev().collect::<Vec<_>>());
    }

    /// A cycle (a damaged log) still gives every page once.
    #[test]
    fn a_cycle_of_copies_ends() {
        let copied_to: HashMap<u32, Vec<u32>> = [(1, vec![2]), (2, vec![3]), (3, vec![1])]
            .into_iter()
            .collect();
        let mut order = copies_first(vec![3, 1, 2], &copied_to);
        order.sort_unstable();
        assert_eq!(order, vec![1, 2, 3]);
    }
}
