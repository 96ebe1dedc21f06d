//! The buffer cache on real files: verification, bounds, LRU-2 eviction,
//! dirty tracking and write-back, the write-ahead gate, injected faults,
//! and many threads reading through a cache far smaller than the data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ese::btree::Tree;
use ese::cache::{BufferCache, CachedDatabase, LogPosition, PageId, WriteAheadGate};
use ese::codes::*;
use ese::format::checksum::{check_page, ChecksumOutcome, PageKind};
use ese::io::faulty::{Fault, FaultPlan, FaultyFile};
use ese::io::{FileIo, OpenMode, OsFile};
use ese::page_source::PageSource;

const PAGE: usize = 4096;

/// A scratch directory, a file in it, and the plan of faults it injects.
type Faulty = (
    ese_testkit::TempDir,
    Arc<dyn FileIo>,
    Arc<parking_lot::Mutex<FaultPlan>>,
);

/// A scratch copy of a corpus database opened for writing through `faults`.
fn writable_copy(name: &str, faults: Vec<Fault>) -> Option<Faulty> {
    let source = ese_testkit::corpus_file(name)?;
    let scratch = ese_testkit::scratch_dir();
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    let plan = FaultPlan::new(faults);
    let file = OsFile::open(&path, OpenMode::ReadWrite).unwrap();
    let file: Arc<dyn FileIo> = Arc::new(FaultyFile::new(Box::new(file), plan.clone()));
    Some((scratch, file, plan))
}

fn id(page: u32) -> PageId {
    PageId { database: 1, page }
}

#[test]
fn reads_are_verified_and_bounded_and_scans_do_not_flush_hot_pages() {
    let Some((_dir, file, _plan)) = writable_copy("index.edb", vec![]) else {
        return;
    };
    let cache = BufferCache::new(2, 8).unwrap();
    let database = cache.attach(file.clone(), PAGE);
    assert_eq!(database, 1);
    // Page 4 (the catalog root) read twice: hot.
    for _ in 0..2 {
        let page = cache.read(id(4)).unwrap();
        assert_eq!(
            check_page(page.bytes(), PageKind::DatabasePage, 4),
            Ok(ChecksumOutcome::Valid)
        );
    }
    // A scan of 40 pages read once each must not push the hot page out.
    for page in 5..45 {
        let _ = cache.read(id(page));
        assert!(cache.stats().resident <= 8);
    }
    let before = cache.stats();
    let _hot = cache.read(id(4)).unwrap();
    assert_eq!(
        cache.stats().hits,
        before.hits + 1,
        "the twice-used page survived the scan"
    );
    // An unwritten page is reported, not cached.
    let error = cache.read(id(200)).err().unwrap();
    assert_eq!(error.code(), JET_errPageNotInitialized);
    // Shrinking the bounds evicts at once; a minimum above the maximum is refused.
    cache.set_size_bounds(2, 3).unwrap();
    assert!(cache.stats().resident <= 3);
    assert_eq!(
        cache.set_size_bounds(5, 4).unwrap_err().code(),
        JET_errInvalidParameter
    );
    assert!(BufferCache::new(10, 5).is_err());
}

#[test]
fn every_frame_pinned_is_out_of_buffers() {
    let Some((_dir, file, _plan)) = writable_copy("basic.edb", vec![]) else {
        return;
    };
    let cache = BufferCache::new(2, 2).unwrap();
    cache.attach(file, PAGE);
    // A read is a snapshot and pins nothing once it returns: three reads
    // held at once fit a cache of two frames.
    let reads = [1, 4, 5].map(|page| cache.read(id(page)).unwrap());
    assert!(cache.stats().resident <= 2);
    assert!(reads.iter().all(|read| read.bytes().len() == PAGE));
    // Pages latched for writing stay pinned.
    let _a = cache.write(id(1)).unwrap();
    let _b = cache.write(id(4)).unwrap();
    assert_eq!(cache.read(id(5)).err().unwrap().code(), JET_errOutOfBuffers);
}

struct RecordingGate {
    file: Arc<dyn FileIo>,
    highest: AtomicU64,
    /// The page's bytes on disk when the gate was asked: the write-ahead rule
    /// says the page is not yet written at that moment.
    seen_on_disk: parking_lot::Mutex<Vec<Vec<u8>>>,
}

impl WriteAheadGate for RecordingGate {
    fn make_durable_through(&self, position: LogPosition) -> ese::Result<()> {
        self.highest.fetch_max(position, Ordering::SeqCst);
        let mut page = vec![0u8; PAGE];
        self.file.read_at(&mut page, 5 * PAGE as u64)?;
        self.seen_on_disk.lock().push(page);
        Ok(())
    }
}

#[test]
fn dirty_pages_track_log_positions_and_are_written_after_the_log() {
    let Some((_dir, file, _plan)) = writable_copy("basic.edb", vec![]) else {
        return;
    };
    let cache = BufferCache::new(2, 4).unwrap();
    cache.attach(file.clone(), PAGE);
    let gate = Arc::new(RecordingGate {
        file: file.clone(),
        highest: AtomicU64::new(0),
        seen_on_disk: parking_lot::Mutex::new(Vec::new()),
    });
    cache.set_write_ahead_gate(gate.clone());
    let mut original = vec![0u8; PAGE];
    file.read_at(&mut original, 5 * PAGE as u64).unwrap();

    {
        let mut page = cache.write(id(4)).unwrap();
        page.bytes_mut()[100] ^= 0xff; // a change (the page layout does not matter to the cache)
        page.mark_dirty(7);
        page.mark_dirty(5);
        page.mark_dirty(9);
    }
    assert_eq!(cache.oldest_dirty_position(), Some(5));
    assert_eq!(cache.stats().dirty, 1);
    cache.flush(1).unwrap();
    assert_eq!(cache.stats().dirty, 0);
    assert_eq!(cache.oldest_dirty_position(), None);
    assert_eq!(
        gate.highest.load(Ordering::SeqCst),
        9,
        "the log is made durable through the newest change"
    );
    assert_eq!(
        gate.seen_on_disk.lock()[0],
        original,
        "the page was not on disk before the log"
    );
    // On disk: the change, under a fresh valid checksum.
    let mut written = vec![0u8; PAGE];
    file.read_at(&mut written, 5 * PAGE as u64).unwrap();
    assert_eq!(written[100], original[100] ^ 0xff);
    assert_eq!(
        check_page(&written, PageKind::DatabasePage, 4),
        Ok(ChecksumOutcome::Valid)
    );

    // Eviction writes a dirty page back too.
    {
        let mut page = cache.write(id(5)).unwrap();
        page.mark_dirty(12);
    }
    for page in [1, 6, 7, 8, 9, 10] {
        let _ = cache.read(id(page));
    }
    assert!(cache.stats().pages_written >= 2);
    assert_eq!(gate.highest.load(Ordering::SeqCst), 12);
}

#[test]
fn injected_faults_surface_as_jet_errors_and_earlier_pages_still_verify() {
    let Some((_dir, file, plan)) = writable_copy("basic.edb", vec![]) else {
        return;
    };
    let cache = BufferCache::new(2, 16).unwrap();
    cache.attach(file.clone(), PAGE);
    // A page written before any fault.
    {
        let mut page = cache.write(id(4)).unwrap();
        page.bytes_mut()[200] ^= 1;
        page.mark_dirty(1);
    }
    cache.flush(1).unwrap();

    // A read error, then a write error and a sync error during a flush.
    plan.lock().reset(vec![Fault::ReadError { nth: 0 }]);
    assert_eq!(cache.read(id(5)).err().unwrap().code(), JET_errDiskIO);
    assert!(cache.read(id(5)).is_ok(), "a failed read is not cached");
    {
        let mut page = cache.write(id(5)).unwrap();
        page.mark_dirty(2);
    }
    plan.lock().reset(vec![Fault::WriteError { nth: 0 }]);
    assert_eq!(cache.flush(1).unwrap_err().code(), JET_errDiskIO);
    assert_eq!(
        cache.stats().dirty,
        1,
        "a page that failed to write stays dirty"
    );
    plan.lock().reset(vec![Fault::SyncError { nth: 0 }]);
    assert_eq!(cache.flush(1).unwrap_err().code(), JET_errDiskIO);
    // A full disk: a page beyond the device's capacity cannot be written.
    plan.lock()
        .reset(vec![Fault::DiskFull { capacity: 1 << 20 }]);
    {
        let mut page = cache.new_page(id(300)).unwrap();
        page.bytes_mut()[..8].copy_from_slice(&[1; 8]);
        page.mark_dirty(3);
    }
    assert_eq!(cache.flush(1).unwrap_err().code(), JET_errDiskFull);
    plan.lock().reset(vec![]);
    // The page written before the faults still verifies.
    let mut disk = vec![0u8; PAGE];
    file.read_at(&mut disk, 5 * PAGE as u64).unwrap();
    assert_eq!(
        check_page(&disk, PageKind::DatabasePage, 4),
        Ok(ChecksumOutcome::Valid)
    );

    // A torn write leaves a page that fails verification when read back.
    let cache = BufferCache::new(2, 4).unwrap();
    cache.attach(file.clone(), PAGE);
    {
        let mut page = cache.write(id(6)).unwrap();
        // A change beyond the first sector, which the torn write loses; of
        // many bits, so that ECC cannot repair the page either.
        page.bytes_mut()[3000..3004]
            .iter_mut()
            .for_each(|b| *b ^= 0xff);
        page.mark_dirty(4);
    }
    plan.lock()
        .reset(vec![Fault::TornWrite { nth: 0, kept: 512 }]);
    cache.flush(1).unwrap();
    let fresh = BufferCache::new(2, 4).unwrap();
    fresh.attach(file, PAGE);
    assert_eq!(
        fresh.read(id(6)).err().unwrap().code(),
        JET_errReadVerifyFailure
    );
}

#[test]
fn many_threads_seek_and_scan_through_a_tiny_cache() {
    let Some((_dir, file, _plan)) = writable_copy("large.edb", vec![]) else {
        return;
    };
    let pages = (file.len().unwrap() / 32768 - 2) as u32;
    let cache = BufferCache::new(2, 24).unwrap();
    let database = cache.attach(file, 32768);
    let source = CachedDatabase::new(cache.clone(), database, pages);
    let catalog = Tree::new(4, 2);
    let expected: Vec<_> = catalog.entries(&source).collect::<Result<_, _>>().unwrap();
    let expected = Arc::new(expected);
    let seed = ese_testkit::test_seed("many_threads_seek_and_scan_through_a_tiny_cache");
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let source = source.clone();
            let expected = expected.clone();
            std::thread::spawn(move || {
                let mut rng = ese_testkit::SeededRng::new(seed + t);
                for _ in 0..40 {
                    let at = rng.below(expected.len());
                    let found = catalog
                        .seek(&source, &expected[at].key)
                        .unwrap()
                        .next()
                        .unwrap()
                        .unwrap();
                    assert_eq!(found, expected[at]);
                }
                // A full scan while the others evict.
                let count = catalog.entries(&source).count();
                assert_eq!(count, expected.len());
                assert_eq!(source.page_size(), 32768);
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let stats = cache.stats();
    assert!(
        stats.evictions > 100,
        "the cache evicted constantly: {stats:?}"
    );
    assert!(stats.resident <= 24);
}

/// A flush visits the pages changed since the last flush: pages written
/// back by eviction are not written again, a page changed again after
/// being written is, and every change is on disk afterwards.
#[test]
fn a_flush_writes_exactly_the_pages_still_dirty() {
    let Some((dir, file, _plan)) = writable_copy("index.edb", vec![]) else {
        return;
    };
    let cache = BufferCache::new(2, 4).unwrap();
    let database = cache.attach(file.clone(), PAGE);
    let stamp = |page: u32, value: u8| {
        let mut write = cache.write(PageId { database, page }).unwrap();
        // The cache checks only checksums and page numbers: any byte will do.
        write.bytes_mut()[PAGE - 1000] = value;
        write.mark_dirty(1);
    };
    // Sixteen pages the file holds (some of its pages were never written).
    let pages: Vec<u32> = (1..200)
        .filter(|&page| cache.read(PageId { database, page }).is_ok())
        .take(16)
        .collect();
    assert_eq!(pages.len(), 16);
    let last = pages[15];
    for &page in &pages {
        stamp(page, 0xa5);
    }
    // Four frames: all but the last few were written back on eviction.
    let written_by_eviction = cache.stats().pages_written;
    assert!(written_by_eviction >= 12, "{written_by_eviction}");
    let still_dirty = cache.stats().dirty as u64;
    cache.flush(database).unwrap();
    assert_eq!(
        cache.stats().pages_written,
        written_by_eviction + still_dirty
    );
    assert_eq!(cache.stats().dirty, 0);
    // Nothing changed since: a second flush writes nothing.
    cache.flush(database).unwrap();
    assert_eq!(
        cache.stats().pages_written,
        written_by_eviction + still_dirty
    );
    // One page changed again: exactly one write.
    stamp(last, 0x5a);
    cache.flush(database).unwrap();
    assert_eq!(
        cache.stats().pages_written,
        written_by_eviction + still_dirty + 1
    );
    // Every change is in the file.
    let reader = BufferCache::new(2, 8).unwrap();
    let path = dir.path().join("index.edb");
    let reopened: Arc<dyn FileIo> = Arc::new(OsFile::open(&path, OpenMode::ReadOnly).unwrap());
    let again = reader.attach(reopened, PAGE);
    for &page in &pages {
        let expected = if page == last { 0x5a } else { 0xa5 };
        let read = reader
            .read(PageId {
                database: again,
                page,
            })
            .unwrap();
        assert_eq!(read.bytes()[PAGE - 1000], expected, "page {page}");
    }
}

/// The checkpoint's view of the dirty pages (the oldest change any of them
/// still holds, and which of them hold a given position back) follows
/// every change of their state: changes at positions older and newer than
/// the page's, partial write-backs as a checkpoint pass makes them, and
/// flushes, against a model of which page is dirty since when. Seed
/// printed.
#[test]
fn the_oldest_dirty_change_follows_every_change_and_write_back() {
    let Some((_dir, file, _plan)) = writable_copy("index.edb", vec![]) else {
        return;
    };
    // Room for every page: no eviction writes one behind the model's back.
    let cache = BufferCache::new(2, 64).unwrap();
    let database = cache.attach(file.clone(), PAGE);
    let pages: Vec<u32> = (1..200)
        .filter(|&page| cache.read(PageId { database, page }).is_ok())
        .take(16)
        .collect();
    assert_eq!(pages.len(), 16);
    let mut rng = ese_testkit::SeededRng::new(ese_testkit::test_seed(
        "the_oldest_dirty_change_follows_every_change_and_write_back",
    ));
    let mut model: std::collections::BTreeMap<u32, LogPosition> = Default::default();
    let mut now: LogPosition = 1_000;
    for step in 0..3_000 {
        match rng.below(10) {
            0..=5 => {
                let page = pages[rng.below(pages.len())];
                // Mostly newer than anything so far, sometimes older than
                // the page's own oldest change.
                let position = now - rng.below(200) as LogPosition;
                now += 1;
                let mut write = cache.write(PageId { database, page }).unwrap();
                write.bytes_mut()[PAGE - 1000] = step as u8;
                write.mark_dirty(position);
                model
                    .entry(page)
                    .and_modify(|oldest| *oldest = (*oldest).min(position))
                    .or_insert(position);
            }
            6..=7 => {
                let threshold = now - rng.below(300) as LogPosition;
                let written = cache.write_old_pages(|oldest| oldest < threshold).unwrap();
                let before = model.len();
                model.retain(|_, oldest| *oldest >= threshold);
                assert_eq!(written, before - model.len(), "step {step}");
            }
            8 => {
                cache.flush(database).unwrap();
                model.clear();
            }
            _ => {
                let page = pages[rng.below(pages.len())];
                let _ = cache.read(PageId { database, page }).unwrap();
            }
        }
        assert_eq!(
            cache.oldest_dirty_position(),
            model.values().min().copied(),
            "step {step}"
        );
        assert_eq!(cache.stats().dirty, model.len(), "step {step}");
    }
}

/// A read hands out the page's bytes as they are after every write: the
/// bytes a read finds kept in the cache's map (published by an earlier
/// read) never outlive a write of the page. One thread writes a counter
/// into a page again and again while three read it: each reader sees the
/// counter never go back, and after the writer's last write every reader
/// sees its value.
#[test]
fn reads_see_every_write_and_never_go_back() {
    let Some((_dir, file, _plan)) = writable_copy("basic.edb", vec![]) else {
        return;
    };
    let cache = BufferCache::new(2, 16).unwrap();
    cache.attach(file, PAGE);
    let counter = |bytes: &[u8]| u64::from_le_bytes(bytes[200..208].try_into().unwrap());

    // One thread: read (which keeps the bytes in the map), write, read.
    // The counter starts from 0 (whatever the page held there before).
    let before = counter(cache.read(id(4)).unwrap().bytes());
    {
        let mut page = cache.write(id(4)).unwrap();
        page.bytes_mut()[200..208].copy_from_slice(&0u64.to_le_bytes());
    }
    let after = counter(cache.read(id(4)).unwrap().bytes());
    assert_eq!((before != 0, after), (true, 0), "the write is seen");

    const WRITES: u64 = 2000;
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let start = Arc::new(std::sync::Barrier::new(4));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let cache = cache.clone();
            let done = done.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                let mut last = 0;
                let mut reads = 0u64;
                start.wait();
                loop {
                    let seen = counter(cache.read(id(4)).unwrap().bytes());
                    assert!(seen >= last, "a read went back from {last} to {seen}");
                    last = seen;
                    reads += 1;
                    if done.load(Ordering::Acquire) {
                        break;
                    }
                }
                // The writer is done: the last value, whatever was kept.
                assert_eq!(counter(cache.read(id(4)).unwrap().bytes()), WRITES);
                reads
            })
        })
        .collect();
    start.wait();
    for value in 1..=WRITES {
        let mut page = cache.write(id(4)).unwrap();
        page.bytes_mut()[200..208].copy_from_slice(&value.to_le_bytes());
        drop(page);
        assert_eq!(counter(cache.read(id(4)).unwrap().bytes()), value);
    }
    done.store(true, Ordering::Release);
    for reader in readers {
        assert!(reader.join().unwrap() > 0);
    }
}
