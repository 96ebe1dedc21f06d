//! Units (the log's view of the cache): while a database's write lock is
//! held, the cache remembers each page the holder takes for writing, with
//! the journal of its line edits (and its bytes before only when its first
//! change is made another way: an edited page changes in place, uncopied);
//! at the unit's end the changed pages are stamped with a new database time
//! and handed over as their edits (as changed byte ranges when something
//! changed one another way, and whole when that came after edits or the page
//! was clean with no double-write file to protect its next write), for the
//! log to record before any of them may reach the
//! disk. A page that copied lines from another is handed over first, and
//! its source remembers it (`copied_to`).

use super::*;
use ese_format::page_edit::{journal_sources, journal_starts_afresh};

/// The most entries a finished unit's lists keep room for.
const KEPT_CAPACITY: usize = 256;

/// A page a unit touched, with what it was before.
pub(super) struct Captured {
    pub(super) frame: Arc<Frame>,
    /// The bytes before the unit's first change, kept in debug builds
    /// only (for the replay check); `None` for a page the unit allocated.
    pub(super) debug_before: Option<PageBytes>,
    pub(super) was_clean: bool,
}

/// The pages of the unit under way on one database.
#[derive(Default)]
pub(super) struct Capture {
    pub(super) pages: Vec<Captured>,
    pub(super) index: FastMap<u32, usize>,
    /// Pages taken for writing so far (each time, not each page).
    pub(super) writes: u64,
    /// At the unit's end, the pages it changed (kept for the next unit's
    /// end, emptied).
    changed: Vec<Captured>,
    /// The list of changes handed to the log, back from it emptied.
    unit_pages: Vec<UnitPage>,
    /// Edit journals the log has written, emptied, for the pages of the
    /// next units (a row's insert edits a few pages: a journal each).
    journals: Vec<Vec<u8>>,
}

/// How many emptied journals a database keeps, and the largest kept.
const KEPT_JOURNALS: usize = 64;
const KEPT_JOURNAL_BYTES: usize = 16 * 1024;

/// What a unit changed in one page; the log records it as is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitPage {
    /// The whole page: it was clean before the unit (its last write may
    /// be torn by a crash, so redo must not depend on the bytes on disk)
    /// and the unit's edits read them.
    Image { page: u32, bytes: PageBytes },
    /// Changed byte ranges of a page already dirty, changed by other means
    /// than line edits.
    Ranges {
        page: u32,
        ranges: Vec<(u32, Vec<u8>)>,
    },
    /// The page's line edits ([`ese_format::page_edit::replay`]): for a
    /// page already dirty, or one the edits rebuild from nothing.
    Edits { page: u32, journal: Vec<u8> },
}

impl UnitPage {
    pub fn page(&self) -> u32 {
        match self {
            UnitPage::Image { page, .. }
            | UnitPage::Ranges { page, .. }
            | UnitPage::Edits { page, .. } => *page,
        }
    }
}

impl BufferCache {
    /// From now on every change to `database` must be made in a unit (a
    /// page taken for writing outside one is `JET_errInternalError`).
    pub fn require_units(&self, database: DatabaseId) -> Result<()> {
        self.database(database)?
            .logged
            .store(true, Ordering::Release);
        Ok(())
    }

    /// Starts a unit of logged changes on `database`: until
    /// [`Self::end_unit`], every page taken for writing is remembered as it
    /// was and kept pinned. One unit at a time per database (its writer).
    pub fn begin_unit(&self, database: DatabaseId) -> Result<()> {
        let database = self.database(database)?;
        let mut capture = database.capture.lock();
        debug_assert!(capture.is_none(), "units do not nest");
        *capture = Some(std::mem::take(&mut *database.spare_capture.lock()));
        Ok(())
    }

    /// Ends the unit on `database`: stamps `db_time` on every page it
    /// changed and gives their changes to `log`, which writes the unit's
    /// record and returns where it starts and ends (or `None` when it wrote
    /// none: nothing changed). The pages are then dirty as of that record
    /// and may be written once the log is durable through its end. When
    /// `log` fails, the pages stay pinned and unwritable: the database file
    /// never sees a change the log lacks.
    pub fn end_unit(
        &self,
        database: DatabaseId,
        db_time: u64,
        log: impl FnOnce(&mut Vec<UnitPage>) -> Result<Option<(LogPosition, LogPosition)>>,
    ) -> Result<()> {
        let attached = self.database(database)?;
        let Some(mut capture) = attached.capture.lock().take() else {
            return Ok(());
        };
        // A page that was clean needs its whole image in the log only when
        // a torn write of it could not be repaired otherwise.
        let covered = self.torn_writes_covered(&attached);
        // What each page was before the unit (the bytes a copy of lines
        // from it read), for the debug build's replay check only.
        let befores: Vec<(u32, PageBytes)> = if cfg!(debug_assertions) {
            capture
                .pages
                .iter()
                .filter_map(|c| c.debug_before.clone().map(|b| (c.frame.id.page, b)))
                .collect()
        } else {
            Vec::new()
        };
        let mut copies: Vec<(Arc<Frame>, Vec<u32>)> = Vec::new();
        let mut changes = std::mem::take(&mut capture.unit_pages);
        changes.reserve(capture.pages.len());
        let mut changed = std::mem::take(&mut capture.changed);
        for captured in capture.pages.drain(..) {
            let mut guard = captured.frame.bytes.write();
            let journal = captured.frame.unit_journal.lock().take();
            let raw_before = captured.frame.unit_raw_before.lock().take();
            // An empty journal: the page was taken for writing but not
            // changed (a change other than by line edits drops the journal).
            if journal.as_ref().is_some_and(Vec::is_empty) {
                debug_assert!(
                    captured
                        .debug_before
                        .as_ref()
                        .is_none_or(|b| b[..] == guard[..]),
                    "page {} changed without a line edit in its journal",
                    captured.frame.id.page
                );
                drop(guard);
                captured.frame.in_unit.store(false, Ordering::Release);
                captured.frame.pins.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            // The database time below changes the bytes: readers must not
            // be handed the ones published before.
            self.unpublish(captured.frame.id);
            let bytes = Arc::make_mut(&mut *guard);
            if let Some(slot) = bytes.get_mut(8..16) {
                slot.copy_from_slice(&db_time.to_le_bytes());
            }
            let page = captured.frame.id.page;
            changes.push(match (journal, raw_before) {
                (Some(journal), _)
                    if covered || journal_starts_afresh(&journal) || !captured.was_clean =>
                {
                    let sources = journal_sources(&journal)?;
                    debug_assert_replays(
                        page,
                        captured.debug_before.as_deref(),
                        &journal,
                        db_time,
                        &guard,
                        &befores,
                    );
                    if !sources.is_empty() {
                        copies.push((captured.frame.clone(), sources));
                    }
                    if captured.was_clean && !journal_starts_afresh(&journal) {
                        // Redo will edit the bytes on disk (see `needs_base`).
                        captured.frame.needs_base.store(true, Ordering::Release);
                    }
                    UnitPage::Edits { page, journal }
                }
                (None, Some(before)) if !captured.was_clean => UnitPage::Ranges {
                    page,
                    ranges: diff_ranges(&before, &guard),
                },
                _ => UnitPage::Image {
                    page,
                    bytes: PageBytes::clone(&guard),
                },
            });
            drop(guard);
            changed.push(captured);
        }
        // A page that copied lines reads its sources as they were before
        // the unit: redo applies it before the sources' own edits, and the
        // sources are written only after it (`copied_to`).
        if !copies.is_empty() {
            self.page_copies
                .fetch_add(copies.len() as u64, Ordering::Relaxed);
            let copying =
                |change: &UnitPage| copies.iter().any(|(f, _)| f.id.page == change.page());
            changes.sort_by_key(|change| !copying(change));
            for (frame, sources) in &copies {
                let mut depth = 1u8;
                for source in sources {
                    let Some(from) = changed.iter().find(|c| c.frame.id.page == *source) else {
                        return Err(Error::new(JET_errInternalError).with_detail(format!(
                            "page {} copied lines from page {source}, which its unit did not change",
                            frame.id.page
                        )));
                    };
                    let writes = frame.writes.load(Ordering::Acquire);
                    from.frame.copied_to.lock().push((frame.clone(), writes));
                    let below = from.frame.copy_depth.load(Ordering::Acquire);
                    depth = depth.max(below.saturating_add(1));
                }
                if depth > 1 {
                    self.chained_copies.fetch_add(1, Ordering::Relaxed);
                }
                frame.copy_depth.fetch_max(depth, Ordering::AcqRel);
            }
        }
        capture.index.clear();
        capture.writes = 0;
        // A huge unit (an index build) does not leave its lists' room
        // behind for good.
        capture.pages.shrink_to(KEPT_CAPACITY);
        capture.index.shrink_to(KEPT_CAPACITY);
        *attached.spare_capture.lock() = capture;
        let _marking = self.unit_gate.read();
        let positions = log(&mut changes)?;
        for captured in changed.drain(..) {
            if let Some((start, end)) = positions {
                let frame = &captured.frame;
                let mut dirty = frame.dirty.lock();
                let now = match *dirty {
                    Some(d) if !captured.was_clean => Dirty {
                        oldest: d.oldest,
                        newest: d.newest.max(end),
                    },
                    Some(_) => Dirty {
                        oldest: start,
                        newest: end,
                    },
                    None => {
                        frame.dirtied.lock().push(frame.id);
                        Dirty {
                            oldest: start,
                            newest: end,
                        }
                    }
                };
                frame.set_dirty(&mut dirty, Some(now));
            }
            captured.frame.in_unit.store(false, Ordering::Release);
            captured.frame.pins.fetch_sub(1, Ordering::SeqCst);
        }
        changed.shrink_to(KEPT_CAPACITY);
        let mut spare = attached.spare_capture.lock();
        spare.changed = changed;
        for change in changes.drain(..) {
            if let UnitPage::Edits { mut journal, .. } = change {
                if spare.journals.len() < KEPT_JOURNALS && journal.capacity() <= KEPT_JOURNAL_BYTES
                {
                    journal.clear();
                    spare.journals.push(journal);
                }
            }
        }
        changes.shrink_to(KEPT_CAPACITY);
        spare.unit_pages = changes;
        Ok(())
    }

    /// How many times the unit under way on `database` has taken a page
    /// for writing: an operation that fails after this moved may have left
    /// its pages half changed.
    pub fn unit_writes(&self, database: DatabaseId) -> u64 {
        self.database(database)
            .ok()
            .and_then(|d| d.capture.lock().as_ref().map(|c| c.writes))
            .unwrap_or(0)
    }

    /// Pages the unit under way on `database` holds.
    pub fn unit_pages(&self, database: DatabaseId) -> usize {
        self.database(database)
            .ok()
            .and_then(|d| d.capture.lock().as_ref().map(|c| c.pages.len()))
            .unwrap_or(0)
    }

    /// Remembers `frame` (latched by the caller, whose bytes are `bytes`)
    /// in the unit under way on its database, if any.
    pub(super) fn capture(&self, frame: &Arc<Frame>, bytes: Option<&PageBytes>) -> Result<()> {
        let database = self.database(frame.id.database)?;
        let mut capture = database.capture.lock();
        let Some(capture) = capture.as_mut() else {
            if database.logged.load(Ordering::Acquire) {
                return Err(Error::new(JET_errInternalError).with_detail(format!(
                    "page {} taken for writing outside a logged unit",
                    frame.id.page
                )));
            }
            return Ok(());
        };
        capture.writes += 1;
        if capture.index.contains_key(&frame.id.page) {
            return Ok(());
        }
        frame.pins.fetch_add(1, Ordering::SeqCst);
        *frame.unit_journal.lock() = Some(capture.journals.pop().unwrap_or_default());
        // What a unit that never ended (its log record failed) kept is not
        // this unit's before-image.
        *frame.unit_raw_before.lock() = None;
        frame.in_unit.store(true, Ordering::Release);
        capture.index.insert(frame.id.page, capture.pages.len());
        capture.pages.push(Captured {
            frame: frame.clone(),
            debug_before: bytes.filter(|_| cfg!(debug_assertions)).cloned(),
            was_clean: frame.dirty.lock().is_none(),
        });
        Ok(())
    }

    /// Whether page `id` is as the unit under way on its database found it
    /// (not taken for writing yet, or taken without a change so far): a
    /// copy of its lines then reads what redo will have before the unit.
    pub fn unedited_in_unit(&self, id: PageId) -> bool {
        self.captured_frame(id).is_none_or(|frame| {
            frame
                .unit_journal
                .lock()
                .as_ref()
                .is_some_and(Vec::is_empty)
        })
    }

    /// Whether lines may be copied from page `id` (see `copy_depth`):
    /// not while it ends a chain of unwritten copies `copy_chain_limit`
    /// long.
    pub fn may_copy_from(&self, id: PageId) -> bool {
        if self.copies_held.load(Ordering::SeqCst) > 0 {
            return false;
        }
        let frame = self
            .captured_frame(id)
            .or_else(|| self.state.lock().frames.get(&id).map(|r| r.frame.clone()));
        let limit = self.copy_chain_limit();
        frame.is_none_or(|frame| frame.copy_depth.load(Ordering::Acquire) < limit)
    }

    /// Whether lines of page `source` may be copied into page `target`
    /// (a split's new page, or a neighbour taking nodes): always when no
    /// page that copied the target's own lines waits to be written; else
    /// only when the target's chain is already longer than the source's.
    /// Along every unwritten copy the copying page's `copy_depth` is above
    /// its source's, so a copy made under this rule never closes a cycle
    /// (the target would wait for itself) and never makes a chain longer
    /// than [`MAX_COPY_CHAIN`]: a target whose copies wait is not raised.
    pub fn may_copy_into(&self, source: PageId, target: PageId) -> bool {
        self.chain_after_copy(source, target).is_some()
    }

    /// How long the target's chain would be after a copy of lines from
    /// `source` into `target`, when [`Self::may_copy_into`] allows it.
    pub fn chain_after_copy(&self, source: PageId, target: PageId) -> Option<u8> {
        let frame_of = |id: PageId| {
            self.captured_frame(id)
                .or_else(|| self.state.lock().frames.get(&id).map(|r| r.frame.clone()))
        };
        let source_depth = frame_of(source).map_or(0, |f| f.copy_depth.load(Ordering::Acquire));
        let Some(target) = frame_of(target) else {
            return Some(source_depth.saturating_add(1));
        };
        let target_depth = target.copy_depth.load(Ordering::Acquire);
        let waits = target
            .copied_to
            .lock()
            .iter()
            .any(|(copy, writes)| copy.writes.load(Ordering::Acquire) == *writes);
        if !waits {
            Some(target_depth.max(source_depth.saturating_add(1)))
        } else if target_depth > source_depth {
            Some(target_depth)
        } else {
            None
        }
    }

    /// The frame the unit under way holds for `id`, if any.
    pub(super) fn captured_frame(&self, id: PageId) -> Option<Arc<Frame>> {
        let database = self.database(id.database).ok()?;
        let capture = database.capture.lock();
        let capture = capture.as_ref()?;
        capture
            .index
            .get(&id.page)
            .map(|&i| capture.pages[i].frame.clone())
    }
}

/// The journal the log is about to record for `page`, made again on the
/// bytes the page had before the unit (any bytes for a page it rebuilds),
/// with the unit's time stamped, must give the bytes it has now: redo
/// depends on it. Checked in debug builds, so every test that logs checks
/// it on every page it changes.
fn debug_assert_replays(
    page: u32,
    before: Option<&[u8]>,
    journal: &[u8],
    db_time: u64,
    after: &[u8],
    befores: &[(u32, PageBytes)],
) {
    if cfg!(debug_assertions) {
        let mut bytes = before.map_or_else(|| vec![0xa5; after.len()], <[u8]>::to_vec);
        let sources: Vec<(u32, &[u8])> = befores.iter().map(|(n, b)| (*n, &b[..])).collect();
        if let Err(error) =
            ese_format::page_edit::replay(&mut bytes, page, journal, false, &sources)
        {
            panic!("page {page}: its journal does not replay: {error}");
        }
        if let Some(slot) = bytes.get_mut(8..16) {
            slot.copy_from_slice(&db_time.to_le_bytes());
        }
        assert!(
            bytes == after,
            "page {page}: its journal replayed does not make the same bytes"
        );
    }
}
