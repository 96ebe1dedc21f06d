//! The B+tree writer against a BTreeMap model: random sequences of insert,
//! replace, delete, seek and scan for every page size, through a cache of a
//! few dozen pages so that eviction and re-reading happen constantly; keys
//! and values from tiny to the largest allowed. The seed is printed; set
//! ESE_BTREE_DEEP=1 to check the whole tree's separators before every step.

use std::collections::BTreeMap;
use std::sync::Arc;

use ese::btree::Tree;
use ese::btree_write::{GrowingAllocator, LeafHint, TreeWriter};
use ese::cache::{BufferCache, CachedDatabase};
use ese::codes::*;
use ese::io::{FileIo, OpenMode, OsFile};
use ese::page_source::PageSource;
use ese_testkit::{test_seed, SeededRng};

const ROOT: u32 = 1;
const OBJECT: u32 = 5;

struct Setup {
    _dir: ese_testkit::TempDir,
    cache: Arc<BufferCache>,
    database: u32,
    file: Arc<dyn FileIo>,
}

fn setup(page_size: usize, frames: usize) -> Setup {
    let dir = ese_testkit::scratch_dir();
    let file: Arc<dyn FileIo> =
        Arc::new(OsFile::open(dir.path().join("tree.edb"), OpenMode::CreateNew).unwrap());
    let cache = BufferCache::new(2, frames).unwrap();
    let database = cache.attach(file.clone(), page_size);
    Setup {
        _dir: dir,
        cache,
        database,
        file,
    }
}

fn source(setup: &Setup, allocator: &GrowingAllocator) -> CachedDatabase {
    CachedDatabase::new(
        setup.cache.clone(),
        setup.database,
        allocator.high_water().max(ROOT),
    )
}

/// A new tree (a root leaf with a 16-byte space header) written at the
/// given density.
fn create_tree<'a>(
    setup: &'a Setup,
    allocator: &'a mut GrowingAllocator,
    tree: Tree,
    density: u32,
) -> TreeWriter<'a> {
    TreeWriter::create(
        &setup.cache,
        setup.database,
        tree,
        0,
        density,
        &[0; 16],
        allocator,
    )
    .unwrap()
}

/// A key of `len` bytes whose order follows `n` (big-endian prefix).
fn key(n: u32, len: usize) -> Vec<u8> {
    let mut key = n.to_be_bytes().to_vec();
    key.resize(len.max(4), (n % 251) as u8);
    key
}

fn check_against_model(
    setup: &Setup,
    allocator: &GrowingAllocator,
    model: &BTreeMap<Vec<u8>, Vec<u8>>,
    rng: &mut SeededRng,
) {
    let pages = source(setup, allocator);
    let tree = Tree::new(ROOT, OBJECT);
    let entries: Vec<_> = tree.entries(&pages).collect::<Result<_, _>>().unwrap();
    assert_eq!(entries.len(), model.len(), "entry count");
    for (entry, (k, v)) in entries.iter().zip(model) {
        assert_eq!(&entry.key, k);
        assert_eq!(&entry.data, v);
    }
    // Backwards: the same entries in reverse (first, last, next, previous).
    let backwards: Vec<_> = tree
        .entries_rev(&pages)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(backwards.len(), model.len(), "reverse entry count");
    for (entry, (k, v)) in backwards.iter().zip(model.iter().rev()) {
        assert_eq!((&entry.key, &entry.data), (k, v));
    }
    // Seeks for present keys and for keys between them.
    for _ in 0..20 {
        if model.is_empty() {
            break;
        }
        let at = rng.below(model.len());
        let (k, v) = model.iter().nth(at).unwrap();
        let found = tree.seek(&pages, k).unwrap().next().unwrap().unwrap();
        assert_eq!((&found.key, &found.data), (k, v));
        let mut between = k.clone();
        between.push(0);
        let next = tree
            .seek(&pages, &between)
            .unwrap()
            .next()
            .transpose()
            .unwrap();
        let expected = model.range(between.clone()..).next();
        assert_eq!(
            next.map(|e| (e.key, e.data)),
            expected.map(|(k, v)| (k.clone(), v.clone()))
        );
        // Moving back from the key, and from just above it.
        let back: Vec<_> = tree
            .seek_rev(&pages, k, true)
            .unwrap()
            .take(3)
            .map(|e| e.unwrap().key)
            .collect();
        let expected_back: Vec<_> = model
            .range(..=k.clone())
            .rev()
            .take(3)
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(back, expected_back);
        let strictly: Vec<_> = tree
            .seek_rev(&pages, k, false)
            .unwrap()
            .take(2)
            .map(|e| e.unwrap().key)
            .collect();
        let expected_strictly: Vec<_> = model
            .range(..k.clone())
            .rev()
            .take(2)
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(strictly, expected_strictly);
    }
}

/// Checks separators recursively: every key under a branch node lies in
/// [previous separator, separator). Returns the keys of the subtree.
fn subtree(
    pages: &CachedDatabase,
    number: u32,
    low: Option<&[u8]>,
    high: Option<&[u8]>,
    step: usize,
) -> Vec<Vec<u8>> {
    use ese::format::node::{node, node_count};
    use ese::format::page::Page;
    let bytes = pages.read_page(number).unwrap();
    let page = Page::parse(&bytes, number).unwrap();
    let mut keys = Vec::new();
    let count = node_count(&page);
    if page.header().flags.is_leaf() {
        for i in 0..count {
            let k = node(&page, i).unwrap().key();
            assert!(
                low.is_none_or(|l| k.as_slice() >= l),
                "step {step}: page {number} key {:02x?} below {:02x?}",
                &k[..4],
                &low.unwrap()[..4]
            );
            assert!(
                high.is_none_or(|h| k.as_slice() < h),
                "step {step}: page {number} key {:02x?} not below {:02x?}",
                &k[..4],
                &high.unwrap()[..4.min(high.unwrap().len())]
            );
            keys.push(k);
        }
        return keys;
    }
    let mut previous = low.map(|l| l.to_vec());
    for i in 0..count {
        let n = node(&page, i).unwrap();
        let k = n.key();
        let upper = if i + 1 == count {
            high.map(|h| h.to_vec())
        } else {
            Some(k.clone())
        };
        keys.extend(subtree(
            pages,
            n.child_page().unwrap(),
            previous.as_deref(),
            upper.as_deref(),
            step,
        ));
        previous = upper;
    }
    keys
}

fn writer_check(setup: &Setup, model: &BTreeMap<Vec<u8>, Vec<u8>>, step: usize) {
    let deep = CachedDatabase::new(setup.cache.clone(), setup.database, 100_000);
    subtree(&deep, ROOT, None, None, step);
    let pages = CachedDatabase::new(setup.cache.clone(), setup.database, 100_000);
    let tree = Tree::new(ROOT, OBJECT);
    let entries: Vec<_> = tree.entries(&pages).collect::<Result<_, _>>().unwrap();
    let keys: Vec<_> = entries.iter().map(|e| e.key.clone()).collect();
    let expected: Vec<_> = model.keys().cloned().collect();
    assert_eq!(keys.len(), expected.len(), "before step {step}: count");
    assert_eq!(keys, expected, "before step {step}: keys");
    for k in model.keys() {
        let found = tree.seek(&pages, k).unwrap().next().unwrap().unwrap();
        assert_eq!(&found.key, k, "before step {step}: seek {:02x?}", &k[..4]);
    }
}

fn run_sequence(page_size: usize, seed: u64, operations: usize) {
    let mut rng = SeededRng::new(seed);
    // A few dozen frames or fewer, so that pages leave and come back.
    let frames = 98_304 / page_size;
    let setup = setup(page_size, frames);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let max_key = ese::format::constants::max_key_size(page_size);
    let data_area = page_size - ese::format::page::header_size(page_size);
    let max_line = (data_area - 16) / 2;
    let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    // ESE_BTREE_DEEP=1 checks every separator and every key before each
    // step and prints each operation: slow, for hunting a failure's cause.
    let deep = std::env::var("ESE_BTREE_DEEP").is_ok_and(|v| v == "1");
    {
        let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 90);
        for step in 0..operations {
            // Mostly small entries, sometimes the largest allowed.
            let key_len = match rng.below(10) {
                0 => max_key,
                1..=2 => 4 + rng.below(200),
                _ => 4 + rng.below(12),
            };
            let n = rng.below(4000) as u32;
            let k = key(n, key_len);
            let room = max_line - 2 - k.len();
            let value_len = match rng.below(10) {
                0 => room,
                1 => 0,
                _ => rng.below(room.min(300)),
            };
            let value: Vec<u8> = (0..value_len).map(|i| (i as u8) ^ (n as u8)).collect();
            if deep {
                writer_check(&setup, &model, step);
            }
            // A trusted leaf hint at a page picked at random (a branch, a
            // leaf that does not hold the key, a released page, the root,
            // a page never allocated): the writer must see which ones prove
            // the entry's place, and find it the same either way.
            if rng.below(3) == 0 {
                let page = 1 + rng.below(128) as u32;
                writer.set_leaf_hint(Some(LeafHint::at_cursor(page)));
            }
            let operation = rng.below(10);
            if deep {
                eprintln!(
                    "step {step}: op {operation} key {:02x?} len {} value {}",
                    &k[..4],
                    k.len(),
                    value.len()
                );
            }
            match operation {
                0..=4 => {
                    let result = writer.insert(&k, &value);
                    match model.entry(k) {
                        std::collections::btree_map::Entry::Occupied(_) => {
                            assert_eq!(
                                result.unwrap_err().code(),
                                JET_errKeyDuplicate,
                                "step {step}"
                            );
                        }
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            result.unwrap_or_else(|e| panic!("step {step}: insert: {e}"));
                            slot.insert(value);
                        }
                    }
                }
                5..=6 => {
                    let existing = model.keys().nth(rng.below(model.len().max(1))).cloned();
                    let target = existing.unwrap_or(k);
                    let room = max_line - 2 - target.len();
                    let value = value[..value.len().min(room)].to_vec();
                    let result = writer.replace(&target, &value);
                    match model.get_mut(&target) {
                        Some(slot) => {
                            result.unwrap_or_else(|e| panic!("step {step}: replace: {e}"));
                            *slot = value;
                        }
                        None => assert_eq!(result.unwrap_err().code(), JET_errRecordNotFound),
                    }
                }
                _ => {
                    let existing = model.keys().nth(rng.below(model.len().max(1))).cloned();
                    let target = if rng.below(5) == 0 {
                        k
                    } else {
                        existing.unwrap_or(k)
                    };
                    let result = writer.delete(&target);
                    if model.remove(&target).is_some() {
                        result.unwrap_or_else(|e| panic!("step {step}: delete: {e}"));
                    } else {
                        assert_eq!(result.unwrap_err().code(), JET_errRecordNotFound);
                    }
                }
            }
        }
    }
    check_against_model(&setup, &allocator, &model, &mut rng);
    // Everything survives a flush and a cold cache.
    setup.cache.flush(setup.database).unwrap();
    let cold = BufferCache::new(2, 40).unwrap();
    let database = cold.attach(setup.file.clone(), page_size);
    let reopened = Setup {
        _dir: ese_testkit::scratch_dir(),
        cache: cold,
        database,
        file: setup.file.clone(),
    };
    check_against_model(&reopened, &allocator, &model, &mut rng);
    let stats = setup.cache.stats();
    assert!(
        stats.evictions > 0,
        "page size {page_size}: the cache never evicted: {stats:?}"
    );
}

#[test]
fn random_operations_match_a_model_at_every_page_size() {
    let seed = test_seed("random_operations_match_a_model_at_every_page_size");
    for (offset, page_size) in [4096usize, 8192, 16384, 32768].into_iter().enumerate() {
        run_sequence(page_size, seed.wrapping_add(offset as u64), 2000);
    }
}

#[test]
fn ascending_loads_fill_pages_to_the_density() {
    let setup = setup(4096, 64);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let count = 5000u32;
    {
        let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 100);
        for n in 0..count {
            writer.insert(&key(n, 16), &[7u8; 100]).unwrap();
        }
    }
    let pages = source(&setup, &allocator);
    let entries: Vec<_> = Tree::new(ROOT, OBJECT)
        .entries(&pages)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(entries.len(), count as usize);
    let leaves: std::collections::BTreeSet<u32> = entries.iter().map(|e| e.page).collect();
    // Each node takes 2 + 16 + 100 bytes plus a 4-byte tag (122 of 4056).
    let per_page = 4056 / 122;
    let ideal = (count as usize).div_ceil(per_page);
    println!(
        "{} leaves for {count} entries; {ideal} at full density",
        leaves.len()
    );
    assert!(
        leaves.len() <= ideal + ideal / 20,
        "{} leaves, ideal {ideal}",
        leaves.len()
    );
}

/// Random inserts into full leaves move nodes to a neighbour with room
/// before splitting: the tree holds what the model holds, its separators
/// bound their children, and its leaves are fuller than the ln 2 (about
/// 70 %) that splitting in halves leaves.
#[test]
fn random_inserts_even_out_full_leaves_with_their_neighbours() {
    let seed = test_seed("random_inserts_even_out_full_leaves_with_their_neighbours");
    let mut rng = SeededRng::new(seed);
    let setup = setup(4096, 4096);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let mut model = BTreeMap::new();
    let count = 6000;
    {
        let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 100);
        while model.len() < count {
            let k = key(rng.below(1 << 30) as u32, 16);
            if model.contains_key(&k) {
                continue;
            }
            let value = vec![(model.len() % 251) as u8; 100];
            writer.insert(&k, &value).unwrap();
            model.insert(k, value);
        }
    }
    writer_check(&setup, &model, count);
    check_against_model(&setup, &allocator, &model, &mut rng);
    let moves = setup.cache.stats().redistributions;
    let pages = source(&setup, &allocator);
    let entries: Vec<_> = Tree::new(ROOT, OBJECT)
        .entries(&pages)
        .collect::<Result<_, _>>()
        .unwrap();
    let leaves: std::collections::BTreeSet<u32> = entries.iter().map(|e| e.page).collect();
    // Each node takes 2 + 16 + 100 bytes plus a 4-byte tag (122 of 4056).
    let per_page = 4056 / 122;
    let fill = count as f64 / (leaves.len() * per_page) as f64;
    println!("{moves} moves, {} leaves, fill {fill:.3}", leaves.len());
    assert!(moves > 0, "no leaf gave nodes to a neighbour");
    assert!(fill > 0.78, "leaves {:.1} % full", fill * 100.0);
}

#[test]
fn pages_freed_by_deletes_are_reused() {
    let setup = setup(4096, 48);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let load = |writer: &mut TreeWriter<'_>| {
        for n in 0..3000u32 {
            writer
                .insert(&key(n.wrapping_mul(2654435761) % 100_000, 20), &[1u8; 60])
                .unwrap();
        }
    };
    {
        let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 90);
        load(&mut writer);
    }
    let high_after_first = allocator.high_water();
    {
        let mut writer = TreeWriter::new(
            &setup.cache,
            setup.database,
            Tree::new(ROOT, OBJECT),
            90,
            &mut allocator,
        )
        .unwrap();
        for n in 0..3000u32 {
            writer
                .delete(&key(n.wrapping_mul(2654435761) % 100_000, 20))
                .unwrap();
        }
        load(&mut writer);
    }
    // The second load needs about as many pages as the first, not exactly
    // as many: whether a full leaf gives nodes to a neighbour or splits
    // depends on which copies the cache still waits to write. Without the
    // freed pages it would take as many again past the first's.
    let grown = allocator.high_water() - high_after_first;
    assert!(
        grown * 10 <= high_after_first - ROOT,
        "the second load took {grown} pages past the {} of the first: it did not reuse the freed ones",
        high_after_first - ROOT
    );
    let pages = source(&setup, &allocator);
    assert_eq!(Tree::new(ROOT, OBJECT).entries(&pages).count(), 3000);
}

#[test]
fn oversized_keys_and_entries_are_refused() {
    let setup = setup(4096, 16);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 90);
    assert_eq!(
        writer.insert(&[1; 1001], b"").unwrap_err().code(),
        JET_errKeyTooBig
    );
    assert_eq!(
        writer.insert(&[], b"x").unwrap_err().code(),
        JET_errKeyTooBig
    );
    // The largest node an empty 4 KiB page holds: 4096 bytes less the
    // 40-byte header and two 4-byte tags (line 0 and the node), the node
    // being a 2-byte key length, the key and the data (ESE: CbNDNodeMost).
    assert_eq!(
        writer.insert(b"key", &[0; 4044]).unwrap_err().code(),
        JET_errRecordTooBig
    );
    writer.insert(b"big", &[7; 4043]).unwrap();
    writer.insert(b"small", b"x").unwrap();
    writer.insert(b"also", &[8; 4042]).unwrap();
    assert_eq!(
        TreeWriter::new(
            &setup.cache,
            setup.database,
            Tree::new(ROOT, OBJECT),
            5,
            &mut GrowingAllocator::new(9)
        )
        .err()
        .unwrap()
        .code(),
        JET_errDensityInvalid
    );
}

#[test]
fn a_cursor_stays_valid_while_its_pages_split_and_merge() {
    let seed = test_seed("a_cursor_stays_valid_while_its_pages_split_and_merge");
    let mut rng = SeededRng::new(seed);
    let setup = setup(4096, 24);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let value = |n: u32| vec![(n % 200) as u8; 40 + (n % 60) as usize];
    let mut present: std::collections::BTreeSet<u32> = (0..3000).map(|n| n * 4).collect();
    {
        let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 90);
        for &n in &present {
            writer.insert(&key(n, 8), &value(n)).unwrap();
        }
    }
    let ever: std::collections::BTreeSet<u32> = (0..12_000).collect();
    let mut deleted_during_walk = std::collections::BTreeSet::new();
    let pages = CachedDatabase::new(setup.cache.clone(), setup.database, 1_000_000);
    let tree = Tree::new(ROOT, OBJECT);
    let mut cursor = tree.entries(&pages);
    let mut seen: Vec<u32> = Vec::new();
    loop {
        // Between steps, change the tree around the cursor: inserts that
        // split pages and runs of deletes that empty and merge them.
        {
            let mut writer =
                TreeWriter::new(&setup.cache, setup.database, tree, 90, &mut allocator).unwrap();
            for _ in 0..rng.below(6) {
                let n = rng.below(12_000) as u32;
                if rng.below(2) == 0 {
                    if present.insert(n) {
                        writer.insert(&key(n, 8), &value(n)).unwrap();
                    }
                } else {
                    let start = n - n % 64;
                    for m in start..start + 40 {
                        if present.remove(&m) {
                            writer.delete(&key(m, 8)).unwrap();
                            deleted_during_walk.insert(m);
                        }
                    }
                }
            }
        }
        match cursor.next() {
            None => break,
            Some(entry) => {
                let entry = entry.unwrap();
                let n = u32::from_be_bytes(entry.key[..4].try_into().unwrap());
                assert!(ever.contains(&n));
                assert!(
                    seen.last().is_none_or(|&last| last < n),
                    "keys repeat or go backwards: {n} after {:?}",
                    seen.last()
                );
                seen.push(n);
            }
        }
    }
    // Every entry present from start to end was seen exactly once.
    let seen: std::collections::BTreeSet<u32> = seen.into_iter().collect();
    for n in (0..3000).map(|n| n * 4) {
        if !deleted_during_walk.contains(&n) {
            assert!(seen.contains(&n), "entry {n} was skipped");
        }
    }
}

#[test]
fn deleted_and_versioned_flags_are_kept_on_nodes_and_deleted_ones_are_skipped() {
    use ese::format::page::tag_flags;
    let setup = setup(4096, 16);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    {
        let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 90);
        for n in 0..300u32 {
            writer.insert(&key(n, 8), b"value").unwrap();
        }
        writer
            .set_entry_flags(&key(10, 8), tag_flags::DELETED)
            .unwrap();
        writer
            .set_entry_flags(&key(11, 8), tag_flags::VERSIONED)
            .unwrap();
        assert_eq!(
            writer
                .set_entry_flags(&key(9999, 8), tag_flags::DELETED)
                .unwrap_err()
                .code(),
            JET_errRecordNotFound
        );
    }
    let pages = source(&setup, &allocator);
    let tree = Tree::new(ROOT, OBJECT);
    let keys: Vec<_> = tree.entries(&pages).map(|e| e.unwrap().key).collect();
    // The deleted node stays on its page (for a version store) but readers
    // skip it; the versioned one is read.
    assert_eq!(keys.len(), 299);
    assert!(!keys.contains(&key(10, 8)));
    assert!(keys.contains(&key(11, 8)));
    let backwards: Vec<_> = tree
        .entries_rev(&pages)
        .unwrap()
        .map(|e| e.unwrap().key)
        .collect();
    assert_eq!(backwards.len(), 299);
    {
        let mut writer =
            TreeWriter::new(&setup.cache, setup.database, tree, 90, &mut allocator).unwrap();
        writer.set_entry_flags(&key(10, 8), 0).unwrap();
    }
    assert_eq!(tree.entries(&pages).count(), 300);
}

/// The cleanup's batched removal: every entry flagged deleted among those
/// given goes (whole leaves emptied and merged on the way), the others
/// stay, whether the entries come in the tree's order (one descent per
/// leaf) or shuffled.
#[test]
fn purging_deleted_entries_in_order_removes_every_one_and_only_those() {
    use ese::format::page::tag_flags;
    let seed = test_seed("purging_deleted_entries_in_order_removes_every_one_and_only_those");
    let mut rng = SeededRng::new(seed);
    let setup = setup(4096, 64);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let tree = Tree::new(ROOT, OBJECT);
    let mut model = BTreeMap::new();
    let mut writer = create_tree(&setup, &mut allocator, tree, 90);
    let writer = &mut writer;
    for n in 0..3000u32 {
        writer.insert(&key(n, 24), b"the entry's data").unwrap();
        model.insert(key(n, 24), b"the entry's data".to_vec());
    }
    for shuffled in [false, true] {
        // Every other entry, a run that empties whole leaves, and some at
        // random; listed with entries that stay and keys never inserted.
        let mut flagged = Vec::new();
        let mut listed = Vec::new();
        for n in 0..3000u32 {
            let k = key(n, 24);
            if !model.contains_key(&k) {
                continue;
            }
            let run = if shuffled { 2000..2300 } else { 1000..1400 };
            if n % 2 == usize::from(shuffled) as u32 || run.contains(&n) || rng.below(10) == 0 {
                writer.set_entry_flags(&k, tag_flags::DELETED).unwrap();
                model.remove(&k);
                flagged.push(k.clone());
                listed.push(k);
            } else if rng.below(20) == 0 {
                listed.push(k);
            }
        }
        for n in 0..50u32 {
            listed.push(key(3000 + n * 7, 24));
        }
        listed.sort();
        if shuffled {
            for i in (1..listed.len()).rev() {
                listed.swap(i, rng.below(i + 1));
            }
        }
        let entries: Vec<(&[u8], &[u8])> = listed.iter().map(|k| (&k[..], &[][..])).collect();
        let purged = writer.purge_deleted_in_order(&entries).unwrap();
        assert_eq!(purged, flagged.len(), "shuffled: {shuffled}");
        for k in &flagged {
            assert_eq!(
                writer.set_entry_flags(k, 0).unwrap_err().code(),
                JET_errRecordNotFound,
                "a flagged entry is still on its page (shuffled: {shuffled})"
            );
        }
    }
    check_against_model(&setup, &allocator, &model, &mut rng);
}

/// A leaf hint names a page by number only: one that is a leaf of another
/// tree, whose keys bracket the entry, must not take it.
#[test]
fn a_leaf_hint_into_another_tree_is_not_followed() {
    let setup = setup(4096, 64);
    let (first, second) = (Tree::new(1, OBJECT), Tree::new(2, OBJECT + 1));
    let mut allocator = GrowingAllocator::new(3);
    let entry = |n: u32| (key(n, 12), n.to_le_bytes().repeat(10));
    {
        let mut writer = create_tree(&setup, &mut allocator, first, 90);
        for n in (0..3000).step_by(2) {
            let (k, v) = entry(n);
            writer.insert(&k, &v).unwrap();
        }
    }
    let first_pages = allocator.high_water();
    assert!(
        first_pages > 20,
        "the first tree took only {first_pages} pages"
    );
    {
        let mut writer = create_tree(&setup, &mut allocator, second, 90);
        for n in (1..3000).step_by(2) {
            // Each of the first tree's leaves in turn: their keys bracket
            // this one's.
            let page = 3 + n % (first_pages - 2);
            writer.set_leaf_hint(Some(LeafHint::at_cursor(page)));
            let (k, v) = entry(n);
            writer.insert(&k, &v).unwrap();
        }
    }
    let pages = CachedDatabase::new(setup.cache.clone(), setup.database, 100_000);
    for (tree, parity) in [(first, 0), (second, 1)] {
        let keys: Vec<_> = tree.entries(&pages).map(|e| e.unwrap().key).collect();
        let expected: Vec<_> = (0..3000)
            .filter(|n| n % 2 == parity)
            .map(|n| entry(n).0)
            .collect();
        assert_eq!(keys, expected, "tree {}", tree.object_id);
    }
}

/// A run of inserts in key order finds its leaf from the last insert's
/// (no descent), and gives it to the tree's next writer.
#[test]
fn ascending_inserts_keep_their_leaf_as_a_trusted_hint() {
    let setup = setup(4096, 64);
    let mut allocator = GrowingAllocator::new(ROOT + 1);
    let mut writer = create_tree(&setup, &mut allocator, Tree::new(ROOT, OBJECT), 90);
    for n in 0..2000u32 {
        writer.insert(&key(n, 12), &[7u8; 80]).unwrap();
    }
    let hint = writer.leaf_hint().expect("a hint after the inserts");
    assert!(hint.trusted, "{hint:?}");
    let pages = CachedDatabase::new(setup.cache.clone(), setup.database, 100_000);
    let tree = Tree::new(ROOT, OBJECT);
    // The hint is the rightmost leaf, where the last key went.
    assert_eq!(hint.leaf, tree.last_leaf(&pages).unwrap().number);
    assert_ne!(hint.leaf, ROOT, "the tree never split");
}
