//! Walking the B+trees of the Windows-written corpus, and refusing damaged
//! links with errors instead of loops.

use std::fs;
use std::path::Path;

use ese::btree::{Entry, Tree};
use ese::codes::*;
use ese::database_file::DatabaseFile;
use ese::format::checksum::{set_page_checksum, PageKind};
use ese::format::page::Page;
use ese::page_source::PageSource;

/// The catalog, MSysObjects: rooted at page 4, object 2, in every database.
const CATALOG: Tree = Tree {
    root: 4,
    object_id: 2,
};

fn all_entries(db: &DatabaseFile, tree: Tree) -> ese::Result<Vec<Entry>> {
    tree.entries(db).collect()
}

#[test]
fn catalog_entries_come_in_strictly_ascending_key_order() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for (name, _) in ese_testkit::CORPUS_DATABASES {
        let db = DatabaseFile::open(dir.join(name)).unwrap();
        let entries = all_entries(&db, CATALOG).unwrap();
        // At least the four system tables with their columns and indexes.
        assert!(entries.len() > 40, "{name}: {} catalog rows", entries.len());
        for pair in entries.windows(2) {
            assert!(pair[0].key < pair[1].key, "{name}: keys out of order");
        }
    }
}

#[test]
fn large_catalog_spans_many_leaves_and_seeks_land_on_keys() {
    let Some(path) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let db = DatabaseFile::open(&path).unwrap();
    let entries = all_entries(&db, CATALOG).unwrap();
    // 64,994 column rows of table `large` alone.
    assert!(entries.len() > 64_994, "{}", entries.len());
    let leaves: std::collections::BTreeSet<u32> = entries.iter().map(|e| e.page).collect();
    assert!(leaves.len() > 10, "{} leaves", leaves.len());

    for index in [0, 1, 777, entries.len() / 2, entries.len() - 1] {
        let wanted = &entries[index];
        let found = CATALOG
            .seek(&db, &wanted.key)
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(&found, wanted, "seek to entry {index}");
        // A key just below lands on the same entry; just above, on the next.
        let mut below = wanted.key.clone();
        *below.last_mut().unwrap() = below.last().unwrap().wrapping_sub(1);
        if below < wanted.key && (index == 0 || entries[index - 1].key < below) {
            let found = CATALOG.seek(&db, &below).unwrap().next().unwrap().unwrap();
            assert_eq!(&found, wanted);
        }
        let mut above = wanted.key.clone();
        above.push(0);
        let next = CATALOG
            .seek(&db, &above)
            .unwrap()
            .next()
            .transpose()
            .unwrap();
        assert_eq!(next.as_ref(), entries.get(index + 1));
    }
    // Seeking past the last key finds nothing.
    assert!(CATALOG.seek(&db, &[0xff; 40]).unwrap().next().is_none());
}

/// Rewrites one page of a scratch copy with `change`, keeping its checksum
/// valid so that only the link damage is seen.
fn rewrite_page(path: &Path, page_size: usize, number: u32, change: impl FnOnce(&mut [u8])) {
    let mut bytes = fs::read(path).unwrap();
    let start = (number as usize + 1) * page_size;
    let page = &mut bytes[start..start + page_size];
    change(page);
    set_page_checksum(page, PageKind::DatabasePage, number).unwrap();
    fs::write(path, bytes).unwrap();
}

/// The catalog's leaf pages of large.edb, left to right.
fn catalog_leaves(db: &DatabaseFile) -> Vec<u32> {
    let mut leaves: Vec<u32> = Vec::new();
    for entry in CATALOG.entries(db) {
        let page = entry.unwrap().page;
        if leaves.last() != Some(&page) {
            leaves.push(page);
        }
    }
    leaves
}

fn set_u32(page: &mut [u8], offset: usize, value: u32) {
    page[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
}

#[test]
fn a_leaf_chain_cycle_is_an_error_not_a_hang() {
    let Some(source) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let scratch = ese_testkit::scratch_dir();
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    let leaves = catalog_leaves(&DatabaseFile::open(&path).unwrap());
    // The fifth leaf links right back to the second, which keeps its own
    // left link: the back-link check or the page budget must stop the walk.
    rewrite_page(&path, 32768, leaves[4], |page| set_u32(page, 20, leaves[1]));
    let db = DatabaseFile::open(&path).unwrap();
    let error = all_entries(&db, CATALOG).unwrap_err();
    assert_eq!(error.code(), JET_errBadPageLink, "{error}");
}

#[test]
fn a_wrong_left_link_is_a_bad_page_link() {
    let Some(source) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let scratch = ese_testkit::scratch_dir();
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    let leaves = catalog_leaves(&DatabaseFile::open(&path).unwrap());
    rewrite_page(&path, 32768, leaves[3], |page| set_u32(page, 16, leaves[0]));
    let db = DatabaseFile::open(&path).unwrap();
    let error = all_entries(&db, CATALOG).unwrap_err();
    assert_eq!(error.code(), JET_errBadPageLink, "{error}");
    assert!(
        error.to_string().contains(&format!("page {}", leaves[3])),
        "{error}"
    );
}

#[test]
fn a_link_outside_the_file_or_into_another_tree_is_refused() {
    let Some(source) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let scratch = ese_testkit::scratch_dir();
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    let leaves = catalog_leaves(&DatabaseFile::open(&path).unwrap());
    rewrite_page(&path, 32768, leaves[2], |page| set_u32(page, 20, 1_000_000));
    let db = DatabaseFile::open(&path).unwrap();
    assert_eq!(
        all_entries(&db, CATALOG).unwrap_err().code(),
        JET_errBadPageLink
    );

    // Page 1 is the database's space tree root (object 1), not a catalog leaf.
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    rewrite_page(&path, 32768, leaves[2], |page| set_u32(page, 20, 1));
    let db = DatabaseFile::open(&path).unwrap();
    assert_eq!(
        all_entries(&db, CATALOG).unwrap_err().code(),
        JET_errBadParentPageLink
    );
}

#[test]
fn a_damaged_page_in_the_walk_names_its_page() {
    let Some(source) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let scratch = ese_testkit::scratch_dir();
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    let leaves = catalog_leaves(&DatabaseFile::open(&path).unwrap());
    let mut bytes = fs::read(&path).unwrap();
    bytes[(leaves[6] as usize + 1) * 32768 + 5000] ^= 0xff;
    fs::write(&path, bytes).unwrap();
    let db = DatabaseFile::open(&path).unwrap();
    let error = all_entries(&db, CATALOG).unwrap_err();
    assert_eq!(error.code(), JET_errReadVerifyFailure);
    assert!(
        error.to_string().contains(&format!("page {}", leaves[6])),
        "{error}"
    );
}

#[test]
fn a_root_that_is_not_a_root_is_refused() {
    let Some(path) = ese_testkit::corpus_file("basic.edb") else {
        return;
    };
    let db = DatabaseFile::open(&path).unwrap();
    // Find a written non-root page of the catalog's object.
    let leaf = (5..db.last_page()).find(|&n| {
        db.read_page(n).ok().is_some_and(|bytes| {
            let page = Page::parse(&bytes, n).unwrap();
            page.header().object_id == 2 && !page.header().flags.is_root()
        })
    });
    if let Some(leaf) = leaf {
        let error = all_entries(&db, Tree::new(leaf, 2)).unwrap_err();
        assert_eq!(error.code(), JET_errBadPageLink);
    }
    let error = all_entries(&db, Tree::new(4, 99)).unwrap_err();
    assert_eq!(error.code(), JET_errBadParentPageLink);
}

/// A cursor's leaf reads its nodes from the page when asked instead of
/// copying them all out: every leaf of every corpus catalog, read that way,
/// holds exactly the entries the walk copies out of it, in order, and its
/// binary searches land where the copied entries say.
#[test]
fn a_leaf_read_node_by_node_holds_what_the_walk_copies_out() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    let mut leaves_checked = 0;
    for (name, _) in ese_testkit::CORPUS_DATABASES {
        let db = DatabaseFile::open(dir.join(name)).unwrap();
        let entries = all_entries(&db, CATALOG).unwrap();
        let mut start = 0;
        while start < entries.len() {
            let page = entries[start].page;
            let end = start + entries[start..].partition_point(|e| e.page == page);
            let walked = &entries[start..end];
            let leaf = CATALOG.read_leaf(&db, page).unwrap();
            assert_eq!(leaf.number, page);
            assert_eq!(leaf.len(), walked.len(), "{name}: leaf {page}");
            for (index, wanted) in walked.iter().enumerate() {
                assert_eq!(&leaf.entry(index).unwrap(), wanted, "{name}: leaf {page}");
                assert_eq!(leaf.data(index).unwrap(), wanted.data.as_slice());
                assert!(leaf.key_is(index, &wanted.key).unwrap());
                assert_eq!(
                    leaf.find(&wanted.key, &wanted.data).unwrap(),
                    Some(index),
                    "{name}: leaf {page} entry {index}"
                );
                // A key just past this one comes before the next entry.
                let mut above = wanted.key.clone();
                above.push(0);
                assert_eq!(leaf.position_of(&above, &[]).unwrap(), index + 1);
                let (found, at) = CATALOG.leaf_for(&db, &wanted.key, &[]).unwrap();
                assert_eq!((found.number, at), (page, index), "{name}: seek");
            }
            // Past the last entry, and a (key, data) the leaf lacks.
            assert!(leaf.entry(leaf.len()).is_err());
            let last = walked.last().unwrap();
            let mut other_data = last.data.clone();
            other_data.push(1);
            assert_eq!(leaf.find(&last.key, &other_data).unwrap(), None);
            leaves_checked += 1;
            start = end;
        }
    }
    assert!(leaves_checked > 20, "{leaves_checked} leaves");
}
