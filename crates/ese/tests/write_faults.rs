//! Faults under a B+tree workload: an I/O error on a write or a sync, a
//! full disk and a damaged page surface as their JET errors from the tree
//! operations, nothing panics, and every page written before the fault
//! still verifies.

use std::sync::Arc;

use ese::btree::Tree;
use ese::btree_write::{GrowingAllocator, TreeWriter};
use ese::cache::BufferCache;
use ese::codes::*;
use ese::create::create_database;
use ese::format::checksum::{check_page, ChecksumOutcome, PageKind};
use ese::io::faulty::{Fault, FaultPlan, FaultyFile};
use ese::io::{FileIo, OpenMode, OsFile};

const PAGE: usize = 4096;
const ROOT: u32 = 300;

/// Every written database page of the file verifies, except `skip`.
fn written_pages_verify(path: &std::path::Path, skip: &[u32]) -> usize {
    let bytes = std::fs::read(path).unwrap();
    let mut checked = 0;
    for (index, page) in bytes.chunks_exact(PAGE).enumerate().skip(2) {
        let number = index as u32 - 1;
        if page.iter().all(|&b| b == 0) || skip.contains(&number) {
            continue;
        }
        assert_eq!(
            check_page(page, PageKind::DatabasePage, number),
            Ok(ChecksumOutcome::Valid),
            "page {number}"
        );
        checked += 1;
    }
    checked
}

/// Inserts until an operation fails, returning its error (or None).
fn load_until_error(
    cache: &BufferCache,
    allocator: &mut GrowingAllocator,
    count: u32,
) -> Option<ese::Error> {
    let mut writer =
        match TreeWriter::create(cache, 1, Tree::new(ROOT, 50), 0, 90, &[0; 16], allocator) {
            Ok(writer) => writer,
            Err(error) => return Some(error),
        };
    for n in 0..count {
        if let Err(error) = writer.insert(&n.to_be_bytes(), &[n as u8; 300]) {
            return Some(error);
        }
    }
    cache.flush(1).err()
}

fn setup(
    faults: Vec<Fault>,
) -> (
    ese_testkit::TempDir,
    std::path::PathBuf,
    Arc<BufferCache>,
    Arc<parking_lot::Mutex<FaultPlan>>,
) {
    let dir = ese_testkit::scratch_dir();
    let path = dir.path().join("faults.edb");
    create_database(&path, PAGE).unwrap();
    let plan = FaultPlan::new(faults);
    let file: Arc<dyn FileIo> = Arc::new(FaultyFile::new(
        Box::new(OsFile::open(&path, OpenMode::ReadWrite).unwrap()),
        plan.clone(),
    ));
    // Eight frames: a load of 2,000 entries evicts (and writes) constantly.
    let cache = BufferCache::new(2, 8).unwrap();
    assert_eq!(cache.attach(file, PAGE), 1);
    (dir, path, cache, plan)
}

#[test]
fn a_write_error_during_eviction_is_disk_io() {
    let (_dir, path, cache, plan) = setup(vec![Fault::WriteError { nth: 40 }]);
    let error = load_until_error(&cache, &mut GrowingAllocator::new(ROOT + 1), 2000)
        .expect("the fault fires");
    assert_eq!(error.code(), JET_errDiskIO, "{error}");
    assert_eq!(plan.lock().fired.len(), 1);
    assert!(written_pages_verify(&path, &[]) > 30);
}

#[test]
fn a_sync_error_is_disk_io() {
    let (_dir, path, cache, _plan) = setup(vec![Fault::SyncError { nth: 0 }]);
    let error = load_until_error(&cache, &mut GrowingAllocator::new(ROOT + 1), 300)
        .expect("the fault fires");
    assert_eq!(error.code(), JET_errDiskIO, "{error}");
    assert!(written_pages_verify(&path, &[]) > 10);
}

#[test]
fn a_full_disk_is_disk_full() {
    // The new database holds 256 pages (1 MiB); the disk has room for 40 more.
    let (_dir, path, cache, _plan) = setup(vec![Fault::DiskFull {
        capacity: (256 + 40) * PAGE as u64,
    }]);
    let error = load_until_error(&cache, &mut GrowingAllocator::new(ROOT + 1), 5000)
        .expect("the disk fills");
    assert_eq!(error.code(), JET_errDiskFull, "{error}");
    assert!(written_pages_verify(&path, &[]) > 20);
}

#[test]
fn a_page_damaged_on_disk_reads_as_read_verify_failure() {
    let (_dir, path, cache, plan) = setup(vec![]);
    assert!(load_until_error(&cache, &mut GrowingAllocator::new(ROOT + 1), 1000).is_none());
    // Damage a leaf of the tree behind the cache's back, then read it again
    // through a cold cache.
    let warm = ese::cache::CachedDatabase::new(cache.clone(), 1, 2000);
    let victim = Tree::new(ROOT, 50)
        .entries(&warm)
        .nth(500)
        .unwrap()
        .unwrap()
        .page;
    {
        let file = OsFile::open(&path, OpenMode::ReadOnly).unwrap();
        let mut page = vec![0u8; PAGE];
        file.read_at(&mut page, (u64::from(victim) + 1) * PAGE as u64)
            .unwrap();
        drop(file);
        // (Not a whole 64-bit word of ones: that flips every column of both
        // halves and every row an even number of times, which ESE's XOR and
        // ECC cannot see.)
        page[1000..1003].iter_mut().for_each(|b| *b ^= 0x5a);
        let mut bytes = std::fs::read(&path).unwrap();
        let at = (victim as usize + 1) * PAGE;
        bytes[at..at + PAGE].copy_from_slice(&page);
        std::fs::write(&path, bytes).unwrap();
    }
    // A cold cache reads it from disk.
    let cold = BufferCache::new(2, 8).unwrap();
    let database = cold.attach(
        Arc::new(OsFile::open(&path, OpenMode::ReadOnly).unwrap()),
        PAGE,
    );
    let pages = ese::cache::CachedDatabase::new(cold, database, 2000);
    let error = Tree::new(ROOT, 50)
        .entries(&pages)
        .find_map(|e| e.err())
        .expect("the walk reaches the damaged page");
    assert_eq!(error.code(), JET_errReadVerifyFailure, "{error}");
    assert!(
        error.to_string().contains(&format!("page {victim}")),
        "{error}"
    );
    assert!(plan.lock().fired.is_empty());
    assert!(written_pages_verify(&path, &[victim]) > 50);
}
