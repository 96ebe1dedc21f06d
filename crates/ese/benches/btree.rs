//! B+tree figures for docs/PERFORMANCE.md: sequential and random insert of
//! 16-byte keys with 100-byte values, random point seeks with the tree
//! cached and uncached, a full scan, and the page fill after a sequential
//! load. Run with `cargo bench -p ese --bench btree` (COUNT=n to change the
//! entry count, 1,000,000 by default).

use std::sync::Arc;
use std::time::Instant;

use ese::btree::Tree;
use ese::btree_write::{GrowingAllocator, TreeWriter};
use ese::cache::{BufferCache, CachedDatabase};
use ese::io::{FileIo, OpenMode, OsFile};

const PAGE: usize = 8192;
const ROOT: u32 = 1;
const OBJECT: u32 = 5;

fn key_of(n: u64) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&n.to_be_bytes());
    key[8..].copy_from_slice(&(n.wrapping_mul(0x9e37_79b9_7f4a_7c15)).to_le_bytes());
    key
}

/// A permutation of 0..count (multiplicative, deterministic).
fn shuffled(count: u64) -> Vec<u64> {
    let mut order: Vec<u64> = (0..count).collect();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
}

struct Loaded {
    _dir: ese_testkit::TempDir,
    file: Arc<dyn FileIo>,
    cache: Arc<BufferCache>,
    database: u32,
    allocator: GrowingAllocator,
}

fn load(count: u64, order: &[u64], frames: usize) -> (Loaded, f64) {
    let dir = ese_testkit::scratch_dir();
    let file: Arc<dyn FileIo> =
        Arc::new(OsFile::open(dir.path().join("bench.edb"), OpenMode::CreateNew).unwrap());
    let cache = BufferCache::new(2, frames).unwrap();
    let database = cache.attach(file.clone(), PAGE);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let value = [0x5au8; 100];
    let start = Instant::now();
    {
        let mut writer = TreeWriter::create(
            &cache,
            database,
            Tree::new(ROOT, OBJECT),
            0,
            100,
            &[0; 16],
            &mut allocator,
        )
        .unwrap();
        for &n in order {
            writer.insert(&key_of(n), &value).unwrap();
        }
    }
    cache.flush(database).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert!(order.len() as u64 == count);
    (
        Loaded {
            _dir: dir,
            file,
            cache,
            database,
            allocator,
        },
        seconds,
    )
}

fn main() {
    let count: u64 = std::env::var("COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000_000);
    let frames_all = 64 * 1024; // 512 MiB of 8 KiB pages: the whole tree fits
    println!("{count} entries, 16-byte keys, 100-byte values, {PAGE}-byte pages");

    let sequential: Vec<u64> = (0..count).collect();
    let (loaded, seconds) = load(count, &sequential, frames_all);
    let pages = loaded.allocator.high_water();
    let source = CachedDatabase::new(loaded.cache.clone(), loaded.database, pages);
    let leaves: std::collections::BTreeSet<u32> = Tree::new(ROOT, OBJECT)
        .entries(&source)
        .map(|e| e.unwrap().page)
        .collect();
    let node = 2 + 16 + 100 + 4;
    let capacity = (PAGE - 40 - 4) / node;
    println!(
        "sequential insert: {seconds:.2} s ({:.0} inserts/s); {} leaves, {:.1}% of ideal fill ({} nodes per page at most); file {} MiB",
        count as f64 / seconds,
        leaves.len(),
        100.0 * (count as f64 / capacity as f64) / leaves.len() as f64,
        capacity,
        loaded.file.len().unwrap() >> 20
    );

    let random = shuffled(count);
    let (random_loaded, seconds) = load(count, &random, frames_all);
    println!(
        "random insert: {seconds:.2} s ({:.0} inserts/s)",
        count as f64 / seconds
    );
    drop(random_loaded);

    // Seeks with the whole tree in the cache.
    let probes = &random[..(count as usize).min(200_000)];
    let tree = Tree::new(ROOT, OBJECT);
    let start = Instant::now();
    for &n in probes {
        let entry = tree
            .seek(&source, &key_of(n))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(entry.key, key_of(n));
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "random seek, cached: {:.2} µs per seek",
        seconds * 1e6 / probes.len() as f64
    );

    // Seeks through a cold cache of 64 frames (reads go to the OS).
    let cold = BufferCache::new(2, 64).unwrap();
    let cold_db = cold.attach(loaded.file.clone(), PAGE);
    let cold_source = CachedDatabase::new(cold, cold_db, pages);
    let start = Instant::now();
    for &n in &probes[..probes.len().min(50_000)] {
        let entry = tree
            .seek(&cold_source, &key_of(n))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(entry.key, key_of(n));
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "random seek, 64-frame cache: {:.2} µs per seek",
        seconds * 1e6 / probes.len().min(50_000) as f64
    );

    let start = Instant::now();
    let scanned = tree.entries(&source).count();
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(scanned as u64, count);
    println!(
        "full scan: {seconds:.2} s ({:.0} entries/s)",
        count as f64 / seconds
    );
}
