//! The buffer cache (ESE: bf): a bounded set of page frames shared by every
//! thread and every attached database.
//!
//! - A frame is pinned while a writer holds it (or while a read waits for
//!   it), and only unpinned frames are evicted; its bytes sit behind a
//!   shared/exclusive latch. A read takes the bytes as an immutable
//!   snapshot and holds nothing: a page in the map that no writer holds is
//!   read under the map's lock alone (`Resident` keeps the latch and the
//!   access history beside the frame, so the frame itself is not visited).
//! - Every page read from disk is verified (checksum, page number); a
//!   single flipped bit is repaired in memory as ESE does.
//! - A modified page is dirty; the frame remembers the oldest and newest
//!   log positions that dirtied it, so that a checkpoint can tell how far
//!   the log is needed, and so that the page is written only after the log
//!   is durable up to its newest change (the [`WriteAheadGate`]).
//! - Writing a page back stamps a fresh checksum on a copy of it.
//! - Eviction is LRU-2 (as ESE's cache uses LRU-K): the victim is the
//!   unpinned frame whose second most recent access is oldest, so a single
//!   scan through many pages does not push out pages used twice. Accesses
//!   close together count once (ESE's correlation interval), and the
//!   victim is chosen from a random sample of 32 frames (all of them in a
//!   small cache), so an access costs no reordering of a shared structure.
//! - A frame's bytes are an `Arc` snapshot: the read path takes them
//!   without copying, a writer copies only while a snapshot is held.
//! - A flush visits the pages dirtied since the last one, not every frame.
//!
//! - Logged changes come in units (see [`BufferCache::begin_unit`]): the
//!   pages a unit touches stay pinned and unwritable until the unit's log
//!   record exists; the unit's end hands the log each changed page as its
//!   line edits (see `units`).
//! - Dirty pages are written in batches: through the double-write file
//!   when redo would need their bytes on disk whole (`needs_base`), and a
//!   page that gave lines to a split's new page only after that page was
//!   written and synced (`copied_to`, `write_order`), and that page after
//!   the pages that copied from it in turn (chains of at most
//!   [`BufferCache::copy_chain_limit`] copies, which grows with the cache
//!   up to [`MAX_COPY_CHAIN`]).
//!
//! Simplification for now: a miss that must write back a dirty victim does
//! that I/O while holding the cache's map lock.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

use ese_format::checksum::{set_page_checksum, PageKind};
use ese_format::page::PageFlags;
use ese_format::page_edit::{journal_zeroed, PageMut};
use parking_lot::{ArcRwLockWriteGuard, Mutex, RawRwLock, RwLock};

use crate::codes::*;

mod diff;
mod dirty;
mod units;
use crate::storage::double_write::{DoubleWrite, PageToWrite, BATCH_PAGES};
use crate::storage::io::FileIo;
use crate::storage::page_source::{verify_database_page, NodeView, PageBytes, PageSource};
use crate::{Error, Result};
pub use diff::diff_ranges;
// The hot lookups (cached pages, versioned nodes) hash with foldhash:
// std's SipHash cost more than the rest of a lookup on these short keys.
use dirty::DirtyIndex;
use foldhash::HashMap as FastMap;
use units::Capture;
pub use units::UnitPage;

/// The longest chain of unwritten copies a split, or a leaf giving nodes
/// to a neighbour, may extend (see `Frame::copy_depth`), in the largest
/// caches. A bulk load in one transaction has no page written until it
/// commits (the checkpoint waits for the transaction), so every leaf it
/// touches stays in some chain: at 4, chains were full after 300,000
/// random inserts and their new pages were logged whole (10 % more log at
/// a million inserts). Each level costs the write-back of a chain one
/// sync, and a chain's pages leave the cache only together, newest first:
/// see [`BufferCache::copy_chain_limit`] for smaller caches.
pub const MAX_COPY_CHAIN: u8 = 64;

/// The chain limit of the smallest caches.
const MIN_COPY_CHAIN: u8 = 4;

/// Frames a cache has per level of copy chain it allows: 64 levels from a
/// cache of 1 GiB of 8 KiB pages on. A cache of 64 frames with chains of
/// 16 spent minutes writing and syncing chains to evict anything at all.
const FRAMES_PER_CHAIN_LEVEL: usize = 2048;

/// How many dirty pages an eviction that meets one writes at once.
const EVICTION_BATCH: usize = 64;

/// Which attached database a page belongs to.
pub type DatabaseId = u32;

/// A position in the transaction log, ordered. (The log issue gives it its
/// final shape; the cache only compares them.)
pub type LogPosition = u64;

/// A page of an attached database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId {
    pub database: DatabaseId,
    pub page: u32,
}

/// Asked before a dirty page is written: the log must be durable up to the
/// page's newest change first (the write-ahead rule).
pub trait WriteAheadGate: Send + Sync {
    fn make_durable_through(&self, position: LogPosition) -> Result<()>;
}

/// Counters for tests and monitoring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
    pub pages_written: u64,
    /// Pages that copied lines from a page whose own copied lines were not
    /// written yet (chains of copies, see `Frame::copy_depth`).
    pub chained_copies: u64,
    /// Pages that copied lines from another page, chained or not.
    pub page_copies: u64,
    /// Leaves that gave nodes to a neighbour instead of splitting.
    pub redistributions: u64,
    pub resident: usize,
    pub dirty: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct Dirty {
    oldest: LogPosition,
    newest: LogPosition,
}

/// One cached page. Laid out by hand, on a cache line of its own: what a
/// pin and a write touch (the id, the bytes' lock, the pin count, the
/// flags, the unit's journal) comes first and fills the first line, so a
/// page written once more costs one miss there instead of one per field
/// scattered over the struct's four lines.
#[derive(Debug)]
#[repr(C, align(64))]
struct Frame {
    id: PageId,
    /// The page's bytes: readers of the B+tree path take a snapshot (a
    /// clone of the inner `Arc`, no copy); a writer changes them in place
    /// unless a snapshot is still held, in which case it gets its own copy
    /// first (copy on write), so a snapshot never changes under its holder.
    bytes: Arc<RwLock<PageBytes>>,
    pins: AtomicUsize,
    /// False until the page's bytes have been read and verified.
    loaded: AtomicBool,
    /// The page passed `PageMut::open`'s checks and has changed only
    /// through `PageMut` since (see [`PageWrite::edit`]).
    edit_checked: AtomicBool,
    /// Touched by a unit whose log record does not exist yet: not to be
    /// written.
    in_unit: AtomicBool,
    /// Since the page was last written, the log has changed it only as
    /// edits of the bytes on disk (no image, no rebuild from nothing
    /// first): redo needs those bytes whole, so its next write goes
    /// through the double-write file. Cleared when it is written.
    needs_base: AtomicBool,
    /// How long the chain of unwritten copies ending at this page is: 0
    /// when no lines were copied into it since it was last written, else
    /// at least one more than any of its sources'. Along every unwritten
    /// copy the copying page's depth is above its source's, so chains
    /// never close a cycle (see `may_copy_into`). A split may copy from a
    /// page whose own copy is not written yet (a random insert splits a
    /// page again long before the checkpoint writes it), up to
    /// [`BufferCache::copy_chain_limit`]; past that its new pages are logged whole, so
    /// that no chain grows without bound (each level costs a sync, and a
    /// chain whose newest page is in a unit holds all the others).
    copy_depth: AtomicU8,
    /// In a unit: the journal of the page's edits since the unit took it
    /// (`PageMut`'s, which the log records instead of the bytes they
    /// moved); `None` once any change was made some other way. A
    /// [`PageWrite`] holds it while the page is latched.
    unit_journal: Mutex<Option<Vec<u8>>>,
    dirty: Mutex<Option<Dirty>>,
    /// In a unit whose first change of the page was made other than by
    /// line edits: the bytes before it, for the log's changed ranges. Not
    /// kept otherwise, so that a unit's first edit of a page does not copy
    /// it (the before-image would share the bytes the edit changes).
    unit_raw_before: Mutex<Option<PageBytes>>,
    /// The cache's list of pages made dirty since the last flush, which
    /// this frame joins when it becomes dirty (so that a flush visits the
    /// dirty pages, not every frame).
    dirtied: Arc<Mutex<Vec<PageId>>>,
    /// The cache's dirty pages by oldest change, which the frame is in
    /// while it is dirty (see `dirty.rs`).
    dirty_index: DirtyIndex,
    /// Where the frame is in `State::slots`.
    slot: AtomicUsize,
    /// Pages that copied lines from this one (a split's new pages), with
    /// their `writes` when they did: until each has been written since,
    /// redo may rebuild it from this page's older bytes, so this page is
    /// written only after them.
    copied_to: Mutex<Vec<(Arc<Frame>, u64)>>,
    /// How many times the page was written.
    writes: AtomicU64,
}

// The fields a write touches share the frame's first cache line.
const _: () = assert!(
    std::mem::offset_of!(Frame, unit_journal) + std::mem::size_of::<Mutex<Option<Vec<u8>>>>() <= 64
);

struct Database {
    file: Arc<dyn FileIo>,
    page_size: usize,
    capture: Mutex<Option<Capture>>,
    /// The last unit's capture, emptied, for the next unit to fill without
    /// allocating its lists again.
    spare_capture: Mutex<Capture>,
    /// Every change must belong to a unit (the database is logged).
    logged: AtomicBool,
}

/// A frame as the cache's map holds it: with its latch and bytes at hand,
/// so that a read which finds the page need not visit the frame itself
/// (one dependent cache miss less on every page access), and with its
/// access history, kept under the map's lock.
struct Resident {
    frame: Arc<Frame>,
    /// The frame's `bytes`.
    bytes: Arc<RwLock<PageBytes>>,
    /// The page's bytes as they are, for a read that finds them here
    /// without visiting the lock in `bytes` (a cache miss of its own on a
    /// page not read lately). A reader sets it when it reads the bytes
    /// unlatched; whoever latches the page for writing clears it after
    /// the latch is held and before changing anything (cleared before,
    /// a reader could publish the bytes the writer is about to replace).
    published: Option<PageBytes>,
    /// Logical times of the last two accesses, most recent first.
    history: [u64; 2],
}

struct State {
    frames: FastMap<PageId, Resident>,
    /// (second most recent access, most recent access, page) of every frame.
    /// Every frame, for sampling eviction candidates.
    slots: Vec<Arc<Frame>>,
    /// State of the sampling's random numbers (xorshift).
    sampler: u64,
    /// Logical time of page accesses (for LRU-2).
    clock: u64,
    hits: u64,
}

/// The buffer cache.
pub struct BufferCache {
    state: Mutex<State>,
    /// Pages made dirty since the last flush (see `Frame::dirtied`); may
    /// name pages already written back or evicted.
    dirtied: Arc<Mutex<Vec<PageId>>>,
    /// Every dirty page by its oldest change (see `dirty.rs`).
    dirty_index: DirtyIndex,
    databases: RwLock<FastMap<DatabaseId, Arc<Database>>>,
    next_database: AtomicUsize,
    max_pages: AtomicUsize,
    min_pages: AtomicUsize,
    gate: RwLock<Option<Arc<dyn WriteAheadGate>>>,
    /// Held shared while a unit's record is appended and its pages marked
    /// dirty; the checkpoint holds it alone while it reads the log's end
    /// and the oldest dirty page, so no unit falls between the two.
    unit_gate: RwLock<()>,
    /// Full streaming backups under way: while there is one, no page copies
    /// lines from another (see [`BufferCache::hold_copies`]).
    copies_held: AtomicUsize,
    /// Where the pages of logged databases are copied before they are
    /// written in place (torn-page protection; see `double_write`). While
    /// it is set, a unit logs the edits of a page that was clean instead of
    /// its whole image.
    double_write: RwLock<Option<Arc<DoubleWrite>>>,
    misses: AtomicU64,
    evictions: AtomicU64,
    chained_copies: AtomicU64,
    page_copies: AtomicU64,
    redistributions: AtomicU64,
    pages_written: AtomicU64,
}

/// A dirty page ready to be written: checksummed, its log durable.
struct Prepared {
    frame: Arc<Frame>,
    newest: LogPosition,
    bytes: Vec<u8>,
    database: Arc<Database>,
    needs_base: bool,
}

fn parameter_error(detail: String) -> Error {
    Error::new(JET_errInvalidParameter).with_detail(detail)
}

impl BufferCache {
    /// A cache of at most `max_pages` frames (JET_paramCacheSizeMax) that
    /// never shrinks below `min_pages` (JET_paramCacheSizeMin).
    pub fn new(min_pages: usize, max_pages: usize) -> Result<Arc<Self>> {
        if max_pages < 2 || min_pages > max_pages {
            return Err(parameter_error(format!(
                "cache size {min_pages}..{max_pages} pages: the maximum must be at least 2 and the minimum no larger"
            )));
        }
        Ok(Arc::new(BufferCache {
            dirtied: Arc::new(Mutex::new(Vec::new())),
            dirty_index: DirtyIndex::default(),
            state: Mutex::new(State {
                frames: FastMap::default(),
                slots: Vec::new(),
                sampler: 0x9e37_79b9_7f4a_7c15,
                clock: 0,
                hits: 0,
            }),
            databases: RwLock::new(FastMap::default()),
            next_database: AtomicUsize::new(1),
            max_pages: AtomicUsize::new(max_pages),
            min_pages: AtomicUsize::new(min_pages),
            gate: RwLock::new(None),
            unit_gate: RwLock::new(()),
            copies_held: AtomicUsize::new(0),
            double_write: RwLock::new(None),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            chained_copies: AtomicU64::new(0),
            page_copies: AtomicU64::new(0),
            redistributions: AtomicU64::new(0),
            pages_written: AtomicU64::new(0),
        }))
    }

    /// Installs the log's write-ahead gate.
    pub fn set_write_ahead_gate(&self, gate: Arc<dyn WriteAheadGate>) {
        *self.gate.write() = Some(gate);
    }

    /// Installs (or removes) the double-write file the pages of logged
    /// databases go through; returns the one it replaces.
    pub fn set_double_write(&self, file: Option<Arc<DoubleWrite>>) -> Option<Arc<DoubleWrite>> {
        std::mem::replace(&mut *self.double_write.write(), file)
    }

    /// Whether a torn write of `database`'s pages is repaired from the
    /// double-write file (so the log need not hold their images).
    fn torn_writes_covered(&self, database: &Database) -> bool {
        database.logged.load(Ordering::Acquire) && self.double_write.read().is_some()
    }

    /// Changes the bounds at once (JET_paramCacheSizeMax / Min are dynamic):
    /// a smaller maximum evicts unpinned frames down to it.
    pub fn set_size_bounds(&self, min_pages: usize, max_pages: usize) -> Result<()> {
        if max_pages < 2 || min_pages > max_pages {
            return Err(parameter_error(format!(
                "cache size {min_pages}..{max_pages} pages"
            )));
        }
        self.min_pages.store(min_pages, Ordering::SeqCst);
        self.max_pages.store(max_pages, Ordering::SeqCst);
        let mut state = self.state.lock();
        while state.frames.len() > max_pages {
            if !self.evict_one(&mut state)? {
                break;
            }
        }
        Ok(())
    }

    /// How long a chain of unwritten copies may grow in this cache: from
    /// [`MIN_COPY_CHAIN`] to [`MAX_COPY_CHAIN`] with its size, so that
    /// chains stay a small part of the frames.
    pub fn copy_chain_limit(&self) -> u8 {
        (self.max_pages() / FRAMES_PER_CHAIN_LEVEL)
            .clamp(usize::from(MIN_COPY_CHAIN), usize::from(MAX_COPY_CHAIN)) as u8
    }

    pub fn max_pages(&self) -> usize {
        self.max_pages.load(Ordering::SeqCst)
    }

    pub fn min_pages(&self) -> usize {
        self.min_pages.load(Ordering::SeqCst)
    }

    /// Registers a database file whose pages this cache will hold.
    pub fn attach(&self, file: Arc<dyn FileIo>, page_size: usize) -> DatabaseId {
        let id = self.next_database.fetch_add(1, Ordering::SeqCst) as DatabaseId;
        self.databases.write().insert(
            id,
            Arc::new(Database {
                file,
                page_size,
                capture: Mutex::new(None),
                spare_capture: Mutex::new(Capture::default()),
                logged: AtomicBool::new(false),
            }),
        );
        id
    }

    /// Writes the database's dirty pages, syncs its file and forgets it.
    pub fn detach(&self, database: DatabaseId) -> Result<()> {
        self.flush(database)?;
        self.discard(database)
    }

    /// Forgets the database's pages without writing them (the file is
    /// being closed dirty; the log holds the changes).
    pub fn discard(&self, database: DatabaseId) -> Result<()> {
        let mut state = self.state.lock();
        let ids: Vec<PageId> = state
            .frames
            .keys()
            .filter(|id| id.database == database)
            .copied()
            .collect();
        if let Some(busy) = ids
            .iter()
            .find(|id| state.frames[id].frame.pins.load(Ordering::SeqCst) > 0)
        {
            return Err(Error::new(JET_errTooManyActiveUsers)
                .with_detail(format!("page {} is still in use", busy.page)));
        }
        for id in ids {
            Self::forget(&mut state, id);
        }
        drop(state);
        if let Some(removed) = self.databases.write().remove(&database) {
            if let Some(double_write) = self.double_write.read().clone() {
                double_write.release(&removed.file)?;
            }
        }
        Ok(())
    }

    fn database(&self, id: DatabaseId) -> Result<Arc<Database>> {
        self.databases.read().get(&id).cloned().ok_or_else(|| {
            Error::new(JET_errInvalidDatabaseId)
                .with_detail(format!("database {id} is not attached"))
        })
    }

    pub fn page_size(&self, database: DatabaseId) -> Result<usize> {
        Ok(self.database(database)?.page_size)
    }

    fn forget(state: &mut State, id: PageId) {
        if let Some(Resident { frame, .. }) = state.frames.remove(&id) {
            // A page forgotten dirty (discarded, or freed and taken anew)
            // holds no checkpoint back any more.
            let mut dirty = frame.dirty.lock();
            frame.set_dirty(&mut dirty, None);
            drop(dirty);
            let slot = frame.slot.load(Ordering::Relaxed);
            state.slots.swap_remove(slot);
            if let Some(moved) = state.slots.get(slot) {
                moved.slot.store(slot, Ordering::Relaxed);
            }
        }
    }

    /// Puts a new frame in the map, as accessed now.
    fn remember(&self, state: &mut State, frame: Arc<Frame>) {
        frame.slot.store(state.slots.len(), Ordering::Relaxed);
        let mut resident = Resident {
            bytes: frame.bytes.clone(),
            frame: frame.clone(),
            published: None,
            history: [0, 0],
        };
        self.touch(&mut resident, &mut state.clock);
        state.frames.insert(frame.id, resident);
        state.slots.push(frame);
    }

    /// Drops the page's published bytes (see [`Resident::published`]):
    /// called by a writer that holds the page's latch, before it changes
    /// the bytes.
    pub(super) fn unpublish(&self, id: PageId) {
        if let Some(resident) = self.state.lock().frames.get_mut(&id) {
            resident.published = None;
        }
    }

    /// Records an access. Accesses close together are one reference (ESE's
    /// correlation interval for LRU-K), so a page every operation uses, a
    /// tree's root say, keeps its second-last access and stays hot.
    /// `clock` is the map's (`State::clock`).
    fn touch(&self, resident: &mut Resident, clock: &mut u64) {
        let window = (self.max_pages() as u64 / 16).max(1);
        *clock += 1;
        let now = *clock;
        let last = resident.history[0];
        if last != 0 && now.saturating_sub(last) < window {
            return;
        }
        resident.history = [now, last];
    }

    /// Evicts an unpinned frame whose second-last access is the oldest
    /// among a random sample of frames (every frame when the cache is
    /// small): LRU-2 without an ordered structure to maintain on every
    /// access. False when every frame is pinned.
    fn evict_one(&self, state: &mut State) -> Result<bool> {
        const SAMPLE: usize = 32;
        let frames = &state.frames;
        let rank = |frame: &Frame| {
            frames
                .get(&frame.id)
                .map_or((0, 0), |r| (r.history[1], r.history[0]))
        };
        let unpinned = |frame: &&Arc<Frame>| frame.pins.load(Ordering::SeqCst) == 0;
        let count = state.slots.len();
        let mut victim: Option<Arc<Frame>> = if count <= SAMPLE {
            state
                .slots
                .iter()
                .filter(unpinned)
                .min_by_key(|f| rank(f))
                .cloned()
        } else {
            let mut best: Option<(Arc<Frame>, (u64, u64))> = None;
            for _ in 0..SAMPLE {
                state.sampler ^= state.sampler << 13;
                state.sampler ^= state.sampler >> 7;
                state.sampler ^= state.sampler << 17;
                let frame = &state.slots[(state.sampler % count as u64) as usize];
                if frame.pins.load(Ordering::SeqCst) != 0 {
                    continue;
                }
                let key = rank(frame);
                if best.as_ref().is_none_or(|(_, most)| key < *most) {
                    best = Some((frame.clone(), key));
                }
            }
            best.map(|(frame, _)| frame)
        };
        if victim.is_none() {
            // The sample was all pinned: any unpinned frame will do.
            victim = state.slots.iter().find(unpinned).cloned();
        }
        let Some(frame) = victim else {
            return Ok(false);
        };
        let id = frame.id;
        if frame.dirty.lock().is_some() {
            // Other cold dirty pages go with it: a batch through the
            // double-write file costs two syncs however many it holds.
            let mut batch = vec![frame.clone()];
            let count = state.slots.len();
            let start = (state.sampler % count as u64) as usize;
            for offset in 0..count.min(1024) {
                if batch.len() >= EVICTION_BATCH {
                    break;
                }
                let other = &state.slots[(start + offset) % count];
                if other.id != id
                    && other.pins.load(Ordering::SeqCst) == 0
                    && !other.in_unit.load(Ordering::Acquire)
                    && other.dirty.lock().is_some()
                {
                    batch.push(other.clone());
                }
            }
            self.write_frames(&batch)?;
            if frame.dirty.lock().is_some() {
                // Still dirty (its unit has not logged it yet): keep it.
                return Ok(true);
            }
        }
        Self::forget(state, id);
        self.evictions.fetch_add(1, Ordering::Relaxed);
        if self.dirtied.lock().len() > 2 * self.max_pages() + 64 {
            self.prune_dirtied(state);
        }
        Ok(true)
    }

    /// Writes dirty frames: the log first (durable through their newest
    /// change), then checksummed copies of the pages, through the
    /// double-write file for logged databases when there is one, in
    /// batches. Frames in a unit not logged yet, or clean, are skipped.
    fn write_frames(&self, frames: &[Arc<Frame>]) -> Result<()> {
        self.write_frames_below(frames, MAX_COPY_CHAIN)
    }

    /// [`Self::write_frames`] for frames at most `chain` copies away from
    /// the end of their chains. The bound only guards the recursion: a
    /// chain is never longer (see `Frame::copy_depth`); a frame found
    /// deeper stays dirty rather than being written out of order.
    fn write_frames_below(&self, frames: &[Arc<Frame>], chain: u8) -> Result<()> {
        let (copies, rest) = self.write_order(frames);
        if chain == 0 && !copies.is_empty() {
            debug_assert!(false, "a chain of copies longer than MAX_COPY_CHAIN");
            return Ok(());
        }
        let newest = copies
            .iter()
            .chain(&rest)
            .filter(|f| !f.in_unit.load(Ordering::Acquire))
            .filter_map(|f| f.dirty.lock().as_ref().map(|d| d.newest))
            .max();
        let Some(newest) = newest else {
            return Ok(());
        };
        if let Some(gate) = self.gate.read().clone() {
            gate.make_durable_through(newest)?;
        }
        // Pages that copied lines from others are durable before any of
        // those others may overwrite the lines; their own copies before
        // them (a chain, at most `MAX_COPY_CHAIN` levels deep, and never a
        // cycle: depths rise along every unwritten copy, see
        // `may_copy_into`).
        if !copies.is_empty() {
            self.write_frames_below(&copies, chain - 1)?;
            let mut synced: Vec<DatabaseId> = Vec::new();
            for copy in &copies {
                if !synced.contains(&copy.id.database) {
                    self.database(copy.id.database)?.file.sync_data()?;
                    synced.push(copy.id.database);
                }
            }
        }
        // A page one of whose copies was not written after all (a unit
        // took it meanwhile) waits for the next time.
        let rest: Vec<Arc<Frame>> = rest
            .into_iter()
            .filter(|frame| {
                frame
                    .copied_to
                    .lock()
                    .iter()
                    .all(|(copy, writes)| copy.writes.load(Ordering::Acquire) != *writes)
            })
            .collect();
        self.write_batches(&rest)
    }

    fn write_batches(&self, frames: &[Arc<Frame>]) -> Result<()> {
        for chunk in frames.chunks(BATCH_PAGES) {
            let mut batch = Vec::with_capacity(chunk.len());
            for frame in chunk {
                if let Some(prepared) = self.prepare(frame)? {
                    batch.push(prepared);
                }
            }
            self.write_prepared(&batch)?;
            for frame in chunk {
                frame
                    .copied_to
                    .lock()
                    .retain(|(copy, writes)| copy.writes.load(Ordering::Acquire) == *writes);
            }
        }
        Ok(())
    }

    /// `frames` (each once), split in two: the pages that copied lines
    /// from one of them and were not written since (added when not among
    /// them), to be written and synced first, and the others. A page whose
    /// copy cannot be written yet (in a unit not logged yet) is left out:
    /// it stays dirty. (The copies may have copies of their own: the
    /// caller orders them the same way.)
    fn write_order(&self, frames: &[Arc<Frame>]) -> (Vec<Arc<Frame>>, Vec<Arc<Frame>>) {
        let mut seen =
            foldhash::HashSet::with_capacity_and_hasher(frames.len(), Default::default());
        let mut copies: Vec<Arc<Frame>> = Vec::new();
        let mut rest: Vec<Arc<Frame>> = Vec::with_capacity(frames.len());
        for frame in frames {
            if !seen.insert(frame.id) {
                continue;
            }
            let pending: Vec<Arc<Frame>> = frame
                .copied_to
                .lock()
                .iter()
                .filter(|(copy, writes)| copy.writes.load(Ordering::Acquire) == *writes)
                .map(|(copy, _)| copy.clone())
                .collect();
            if pending
                .iter()
                .any(|copy| copy.in_unit.load(Ordering::Acquire))
            {
                continue;
            }
            copies.extend(pending);
            rest.push(frame.clone());
        }
        let mut in_copies =
            foldhash::HashSet::with_capacity_and_hasher(copies.len(), Default::default());
        copies.retain(|copy| in_copies.insert(copy.id));
        rest.retain(|frame| !in_copies.contains(&frame.id));
        (copies, rest)
    }

    /// A frame's page ready to write, or `None` when it is clean or its
    /// unit's record does not exist yet (it stays dirty). The caller has
    /// made the log durable through its newest change.
    fn prepare(&self, frame: &Arc<Frame>) -> Result<Option<Prepared>> {
        if frame.in_unit.load(Ordering::Acquire) {
            return Ok(None);
        }
        let newest = match &*frame.dirty.lock() {
            Some(dirty) => dirty.newest,
            None => return Ok(None),
        };
        let database = self.database(frame.id.database)?;
        let mut bytes = frame.bytes.read().to_vec();
        set_page_checksum(&mut bytes, PageKind::DatabasePage, frame.id.page)
            .map_err(|e| Error::new(JET_errInvalidBufferSize).with_detail(e.to_string()))?;
        Ok(Some(Prepared {
            frame: frame.clone(),
            newest,
            bytes,
            database,
            needs_base: frame.needs_base.load(Ordering::Acquire),
        }))
    }

    fn write_prepared(&self, batch: &[Prepared]) -> Result<()> {
        let double_write = self.double_write.read().clone();
        // A page redo can rebuild without its bytes on disk cannot be hurt
        // by a torn write of them: it goes straight in place.
        let (covered, direct): (Vec<&Prepared>, Vec<&Prepared>) = batch.iter().partition(|p| {
            double_write.is_some() && p.needs_base && p.database.logged.load(Ordering::Acquire)
        });
        if let Some(double_write) = &double_write {
            let pages: Vec<PageToWrite<'_>> = covered
                .iter()
                .map(|p| PageToWrite {
                    file: &p.database.file,
                    page: p.frame.id.page,
                    bytes: &p.bytes,
                })
                .collect();
            double_write.write(&pages)?;
        }
        for p in &direct {
            let offset = (u64::from(p.frame.id.page) + 1) * p.database.page_size as u64;
            p.database
                .file
                .write_at(&p.bytes, offset)
                .map_err(|e| e.in_page(p.frame.id.page))?;
        }
        for p in batch {
            // A change made after the copy was taken keeps the frame dirty.
            let mut dirty = p.frame.dirty.lock();
            if dirty.as_ref().is_some_and(|d| d.newest == p.newest)
                && !p.frame.in_unit.load(Ordering::Acquire)
            {
                p.frame.set_dirty(&mut dirty, None);
                p.frame.needs_base.store(false, Ordering::Release);
                p.frame.copy_depth.store(0, Ordering::Release);
                p.frame.writes.fetch_add(1, Ordering::AcqRel);
            }
            self.pages_written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Finds or loads a frame, pinned. `fresh` makes a zeroed frame for a
    /// newly allocated page instead of reading it.
    fn pin(&self, id: PageId, fresh: bool) -> Result<Arc<Frame>> {
        loop {
            let mut guard = self.state.lock();
            let state = &mut *guard;
            if let Some(resident) = state.frames.get_mut(&id) {
                let frame = resident.frame.clone();
                frame.pins.fetch_add(1, Ordering::SeqCst);
                self.touch(resident, &mut state.clock);
                state.hits += 1;
                drop(guard);
                if frame.loaded.load(Ordering::SeqCst) {
                    return Ok(frame);
                }
                // Wait for a load under way, then check it succeeded.
                drop(frame.bytes.read());
                if frame.loaded.load(Ordering::SeqCst) {
                    return Ok(frame);
                }
                frame.pins.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            let database = self.database(id.database)?;
            while state.frames.len() >= self.max_pages() {
                if !self.evict_one(state)? {
                    return Err(Error::new(JET_errOutOfBuffers).with_detail(format!(
                        "all {} cache frames are pinned",
                        state.frames.len()
                    )));
                }
            }
            let frame = Arc::new(Frame {
                id,
                bytes: Arc::new(RwLock::new(PageBytes::from(vec![0u8; database.page_size]))),
                pins: AtomicUsize::new(1),
                loaded: AtomicBool::new(false),
                dirty: Mutex::new(None),
                dirtied: self.dirtied.clone(),
                dirty_index: self.dirty_index.clone(),
                slot: AtomicUsize::new(0),
                edit_checked: AtomicBool::new(false),
                in_unit: AtomicBool::new(false),
                unit_journal: Mutex::new(None),
                unit_raw_before: Mutex::new(None),
                needs_base: AtomicBool::new(false),
                copied_to: Mutex::new(Vec::new()),
                copy_depth: AtomicU8::new(0),
                writes: AtomicU64::new(0),
            });
            // Latched before it is visible, so others wait for the load.
            let mut bytes = frame.bytes.write_arc();
            self.remember(state, frame.clone());
            drop(guard);
            self.misses.fetch_add(1, Ordering::Relaxed);
            let loaded = if fresh {
                Ok(())
            } else {
                let offset = (u64::from(id.page) + 1) * database.page_size as u64;
                let bytes = Arc::make_mut(&mut *bytes);
                database
                    .file
                    .read_at(bytes, offset)
                    .map_err(|e| e.in_page(id.page))
                    .and_then(|()| verify_database_page(bytes, id.page, true).map(|_| ()))
                    .map_err(|e| e.in_file(database.file.path()))
            };
            match loaded {
                Ok(()) => {
                    frame.loaded.store(true, Ordering::SeqCst);
                    drop(bytes);
                    return Ok(frame);
                }
                Err(error) => {
                    Self::forget(&mut self.state.lock(), id);
                    drop(bytes);
                    return Err(error);
                }
            }
        }
    }

    /// A page for reading, verified when it comes from disk: a snapshot
    /// (the only writer of a database's pages is the thread reading them
    /// here, which never holds a read across its own write of the page).
    pub fn read(&self, id: PageId) -> Result<PageRead> {
        Ok(PageRead {
            id,
            bytes: self.snapshot(id)?,
        })
    }

    /// The page's bytes as they are now, kept without a latch (no copy: a
    /// later change to the page copies it instead).
    pub fn snapshot(&self, id: PageId) -> Result<PageBytes> {
        {
            // The common case without pinning the frame: the page is here
            // and not latched for writing. (A frame enters the map latched
            // by its loader and leaves it before a failed load unlatches
            // it, so an unlatched frame in the map holds its page.)
            let mut guard = self.state.lock();
            let state = &mut *guard;
            if let Some(resident) = state.frames.get_mut(&id) {
                let bytes = match &resident.published {
                    Some(bytes) => Some(PageBytes::clone(bytes)),
                    None => {
                        let read = resident.bytes.try_read().map(|b| PageBytes::clone(&b));
                        resident.published.clone_from(&read);
                        read
                    }
                };
                if let Some(bytes) = bytes {
                    self.touch(resident, &mut state.clock);
                    state.hits += 1;
                    return Ok(bytes);
                }
            }
        }
        let frame = self.pin(id, false)?;
        let bytes = PageBytes::clone(&frame.bytes.read());
        frame.pins.fetch_sub(1, Ordering::SeqCst);
        Ok(bytes)
    }

    /// A page for modifying (exclusive latch); call
    /// [`PageWrite::mark_dirty`] after changing it.
    pub fn write(&self, id: PageId) -> Result<PageWrite> {
        let frame = self.pin(id, false)?;
        let guard = frame.bytes.write_arc();
        self.unpublish(id);
        self.capture(&frame, Some(&guard))?;
        Ok(PageWrite::latched(frame, guard))
    }

    /// A zeroed page for a newly allocated page number; never read from disk.
    pub fn new_page(&self, id: PageId) -> Result<PageWrite> {
        if let Some(frame) = self.captured_frame(id) {
            // Freed and allocated again within one unit: the unit already
            // holds the frame (and knows what it was before).
            if let Ok(database) = self.database(id.database) {
                if let Some(capture) = database.capture.lock().as_mut() {
                    capture.writes += 1;
                }
            }
            frame.pins.fetch_add(1, Ordering::SeqCst);
            let mut guard = frame.bytes.write_arc();
            self.unpublish(id);
            Arc::make_mut(&mut *guard).fill(0);
            frame.edit_checked.store(false, Ordering::Relaxed);
            let mut page = PageWrite::latched(frame, guard);
            if let Some(journal) = page.journal.as_mut() {
                journal_zeroed(journal);
            }
            return Ok(page);
        }
        {
            let mut state = self.state.lock();
            if let Some(frame) = state.frames.get(&id).map(|r| r.frame.clone()) {
                if frame.pins.load(Ordering::SeqCst) > 0 {
                    return Err(parameter_error(format!("page {} is in use", id.page)));
                }
                // The page's earlier life may be part of a copy not on disk
                // yet (lines copied into it, which another page waits on,
                // or out of it, which redo reads from its earlier bytes):
                // that state, and the copies, reach the disk first.
                let copying = frame.copy_depth.load(Ordering::Acquire) > 0
                    || !frame.copied_to.lock().is_empty();
                if copying && frame.dirty.lock().is_some() {
                    self.write_frames(std::slice::from_ref(&frame))?;
                    if frame.dirty.lock().is_some() {
                        // Pages that copied its lines cannot be written
                        // yet (the unit under way holds one of them): the
                        // frame takes the page's new life with its waits.
                        // Its next write comes after those copies (it
                        // keeps `copied_to`), and ends the wait of the
                        // pages it copied from (their redo is skipped on
                        // a page newer than the copy).
                        frame.pins.fetch_add(1, Ordering::SeqCst);
                        drop(state);
                        return self.renew_frame(frame);
                    }
                }
            }
            Self::forget(&mut state, id);
        }
        let frame = self.pin(id, true)?;
        self.renew_frame(frame)
    }

    /// `frame` (pinned by the caller) zeroed for its page's new life and
    /// taken for writing in the unit under way.
    fn renew_frame(&self, frame: Arc<Frame>) -> Result<PageWrite> {
        let mut guard = frame.bytes.write_arc();
        self.unpublish(frame.id);
        Arc::make_mut(&mut *guard).fill(0);
        frame.edit_checked.store(false, Ordering::Relaxed);
        self.capture(&frame, None)?;
        let mut page = PageWrite::latched(frame, guard);
        if let Some(journal) = page.journal.as_mut() {
            journal_zeroed(journal);
        }
        Ok(page)
    }

    /// Writes every dirty page of `database`, then syncs its file. Visits
    /// only the pages made dirty since the last flush.
    pub fn flush(&self, database: DatabaseId) -> Result<()> {
        let listed = {
            let mut dirtied = self.dirtied.lock();
            let (ours, others): (Vec<PageId>, Vec<PageId>) =
                dirtied.drain(..).partition(|id| id.database == database);
            *dirtied = others;
            ours
        };
        let dirty: Vec<Arc<Frame>> = {
            let state = self.state.lock();
            listed
                .iter()
                .filter_map(|id| state.frames.get(id).map(|r| &r.frame))
                .filter(|f| f.dirty.lock().is_some())
                .cloned()
                .collect()
        };
        for (number, chunk) in dirty.chunks(BATCH_PAGES).enumerate() {
            if let Err(error) = self.write_frames(chunk) {
                // The pages not written stay listed for the next flush.
                self.dirtied
                    .lock()
                    .extend(dirty[number * BATCH_PAGES..].iter().map(|f| f.id));
                return Err(error);
            }
            // Changed again while being written: still dirty, still listed.
            for frame in chunk {
                if frame.dirty.lock().is_some() {
                    self.dirtied.lock().push(frame.id);
                }
            }
        }
        self.database(database)?.file.sync_data()
    }

    /// Drops from the dirtied list the pages no longer dirty (written back
    /// by eviction), so that the list stays in proportion to the cache
    /// when nothing flushes. The list is never locked while a frame's
    /// dirty state is (`mark_dirty` takes them the other way round).
    fn prune_dirtied(&self, state: &State) {
        let listed = std::mem::take(&mut *self.dirtied.lock());
        let mut still: Vec<PageId> = listed
            .into_iter()
            .filter(|id| {
                state
                    .frames
                    .get(id)
                    .is_some_and(|r| r.frame.dirty.lock().is_some())
            })
            .collect();
        still.sort_unstable();
        still.dedup();
        self.dirtied.lock().extend(still);
    }

    /// Holds off units between appending their record and marking their
    /// pages dirty (see `unit_gate`).
    pub fn quiesce_units(&self) -> parking_lot::RwLockWriteGuard<'_, ()> {
        self.unit_gate.write()
    }

    /// Stops pages copying lines from other pages (splits and moves then
    /// log the nodes they place), until [`Self::release_copies`]. A copy
    /// is replayed from its source page as it was, which a crash leaves
    /// on disk (the copy is written first) but a streaming backup's copy of
    /// the file may not: it reads the pages one at a time while they
    /// change, and may take a copy's target from before the copy and its
    /// source from after a later change. The caller writes out the pages
    /// that hold copies already (see `begin_external_backup`).
    pub fn hold_copies(&self) {
        self.copies_held.fetch_add(1, Ordering::SeqCst);
    }

    /// Ends one [`Self::hold_copies`].
    pub fn release_copies(&self) {
        self.copies_held.fetch_sub(1, Ordering::SeqCst);
    }

    /// Syncs `database`'s file: every page written so far is durable.
    pub fn sync(&self, database: DatabaseId) -> Result<()> {
        self.database(database)?.file.sync_data()
    }

    /// Whether page `id` is in the cache now (reading it costs no I/O).
    pub fn is_resident(&self, id: PageId) -> bool {
        self.state.lock().frames.contains_key(&id)
    }

    /// Counts a leaf that gave nodes to a neighbour instead of splitting.
    pub fn note_redistribution(&self) {
        self.redistributions.fetch_add(1, Ordering::Relaxed);
    }

    pub fn stats(&self) -> CacheStats {
        let state = self.state.lock();
        CacheStats {
            hits: state.hits,
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            chained_copies: self.chained_copies.load(Ordering::Relaxed),
            page_copies: self.page_copies.load(Ordering::Relaxed),
            redistributions: self.redistributions.load(Ordering::Relaxed),
            pages_written: self.pages_written.load(Ordering::Relaxed),
            resident: state.frames.len(),
            dirty: state
                .frames
                .values()
                .filter(|r| r.frame.dirty.lock().is_some())
                .count(),
        }
    }
}

/// A page as it was when read (an immutable snapshot: a later change of
/// the page copies it instead).
pub struct PageRead {
    id: PageId,
    bytes: PageBytes,
}

impl PageRead {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The page's bytes, kept after this read is dropped (no copy).
    pub fn snapshot(&self) -> PageBytes {
        PageBytes::clone(&self.bytes)
    }

    pub fn id(&self) -> PageId {
        self.id
    }
}

/// A pinned page under an exclusive latch.
pub struct PageWrite {
    frame: Arc<Frame>,
    guard: ArcRwLockWriteGuard<RawRwLock, PageBytes>,
    /// The unit's journal of the page, taken from the frame while latched.
    journal: Option<Vec<u8>>,
}

impl PageWrite {
    fn latched(frame: Arc<Frame>, guard: ArcRwLockWriteGuard<RawRwLock, PageBytes>) -> Self {
        let journal = frame.unit_journal.lock().take();
        PageWrite {
            frame,
            guard,
            journal,
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.guard
    }

    /// The page's bytes to change as the caller likes (the page's layout
    /// is checked again at the next [`PageWrite::edit`], and the unit logs
    /// the page's bytes rather than its edits).
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.frame.edit_checked.store(false, Ordering::Relaxed);
        // The unit's first change of the page: keep what it was for the
        // log's ranges. After line edits that moment has passed, and the
        // unit logs the whole page instead.
        if self
            .journal
            .take()
            .is_some_and(|journal| journal.is_empty())
        {
            *self.frame.unit_raw_before.lock() = Some(PageBytes::clone(&self.guard));
        }
        Arc::make_mut(&mut *self.guard)
    }

    /// The page made empty (ESE: a new page's initialization) and opened
    /// for line edits.
    pub fn init(&mut self, object_id: u32, flags: PageFlags, db_time: u64) -> Result<PageMut<'_>> {
        let number = self.frame.id.page;
        let bytes = Arc::make_mut(&mut *self.guard);
        let edit = PageMut::init_journaled(
            bytes,
            number,
            object_id,
            flags,
            db_time,
            self.journal.as_mut(),
        )?;
        self.frame.edit_checked.store(true, Ordering::Relaxed);
        Ok(edit)
    }

    /// The page opened for line edits: its layout is checked in full
    /// (`PageMut::open`) the first time after it was read or changed by
    /// other means, and only its header after that, since `PageMut`'s
    /// edits keep what the check verifies.
    pub fn edit(&mut self) -> Result<PageMut<'_>> {
        let number = self.frame.id.page;
        let checked = self.frame.edit_checked.load(Ordering::Relaxed);
        let bytes = Arc::make_mut(&mut *self.guard);
        let journal = self.journal.as_mut();
        if checked {
            return Ok(PageMut::open_checked_before(bytes, number)?.with_journal(journal));
        }
        let edit = PageMut::open(bytes, number)?.with_journal(journal);
        self.frame.edit_checked.store(true, Ordering::Relaxed);
        Ok(edit)
    }

    pub fn id(&self) -> PageId {
        self.frame.id
    }

    /// Records that the page was changed by the log record at `position`.
    /// In a unit the unit's end does it, with the unit's record.
    pub fn mark_dirty(&mut self, position: LogPosition) {
        if self.frame.in_unit.load(Ordering::Acquire) {
            return;
        }
        let mut dirty = self.frame.dirty.lock();
        let now = match *dirty {
            Some(d) => Dirty {
                oldest: d.oldest.min(position),
                newest: d.newest.max(position),
            },
            None => {
                self.frame.dirtied.lock().push(self.frame.id);
                Dirty {
                    oldest: position,
                    newest: position,
                }
            }
        };
        self.frame.set_dirty(&mut dirty, Some(now));
    }
}

impl Drop for PageWrite {
    fn drop(&mut self) {
        if self.frame.in_unit.load(Ordering::Acquire) {
            *self.frame.unit_journal.lock() = self.journal.take();
        }
        self.frame.loaded.store(true, Ordering::SeqCst);
        self.frame.pins.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One attached database seen through the cache, as a [`PageSource`] for
/// the read path.
#[derive(Clone)]
pub struct CachedDatabase {
    cache: Arc<BufferCache>,
    database: DatabaseId,
    last_page: u32,
    /// The reader's snapshot of versioned nodes, if it reads through the
    /// version store.
    view: Option<Arc<dyn NodeView + Send + Sync>>,
}

impl CachedDatabase {
    pub fn new(cache: Arc<BufferCache>, database: DatabaseId, last_page: u32) -> Self {
        CachedDatabase {
            cache,
            database,
            last_page,
            view: None,
        }
    }

    /// The same pages, with versioned nodes resolved by `view`.
    pub fn with_view(mut self, view: Arc<dyn NodeView + Send + Sync>) -> Self {
        self.view = Some(view);
        self
    }

    pub fn cache(&self) -> &Arc<BufferCache> {
        &self.cache
    }

    pub fn database(&self) -> DatabaseId {
        self.database
    }
}

impl PageSource for CachedDatabase {
    fn page_size(&self) -> usize {
        self.cache.page_size(self.database).unwrap_or(0)
    }

    fn last_page(&self) -> u32 {
        self.last_page
    }

    fn read_page(&self, page_number: u32) -> Result<PageBytes> {
        if page_number == 0 || page_number > self.last_page {
            return Err(Error::new(JET_errFileIOBeyondEOF)
                .with_page(page_number)
                .with_detail(format!("the database holds pages 1 to {}", self.last_page)));
        }
        self.cache.snapshot(PageId {
            database: self.database,
            page: page_number,
        })
    }

    fn node_view(&self) -> Option<&dyn NodeView> {
        self.view.as_deref().map(|v| v as &dyn NodeView)
    }
}
