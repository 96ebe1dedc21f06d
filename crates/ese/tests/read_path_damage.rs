//! Damage in what the read path decodes (catalog rows, records, long
//! values, header state) gives errors or the documented fallback, never a
//! panic, a hang or wrong data passed off as good.

use std::fs;

use ese::catalog::Catalog;
use ese::codes::*;
use ese::database_file::DatabaseFile;
use ese::export::export_jsonl;
use ese::format::checksum::{set_page_checksum, PageKind};
use ese::format::constants::JET_dbstateDirtyShutdown;
use ese::page_source::{InMemoryDatabase, PageSource};
use ese_testkit::{test_seed, SeededRng};

fn corpus_bytes(name: &str) -> Option<Vec<u8>> {
    Some(fs::read(ese_testkit::corpus_file(name)?).unwrap())
}

/// Re-stamps the checksum of database page `number` in an image.
fn restamp(image: &mut [u8], page_size: usize, number: u32) {
    let start = (number as usize + 1) * page_size;
    set_page_checksum(
        &mut image[start..start + page_size],
        PageKind::DatabasePage,
        number,
    )
    .unwrap();
}

fn export_all(image: Vec<u8>, table: Option<&str>) -> ese::Result<String> {
    let db = InMemoryDatabase::new(image)?;
    let catalog = Catalog::load(&db)?;
    let mut out = Vec::new();
    export_jsonl(&db, &catalog, table, &mut out)?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn a_damaged_catalog_page_falls_back_to_the_shadow_copy() {
    let Some(mut image) = corpus_bytes("basic.edb") else {
        return;
    };
    let pristine = export_all(image.clone(), Some("basic")).unwrap();
    // Page 4 is the catalog root; damage it outright.
    image[5 * 4096 + 300] ^= 0xff;
    let db = InMemoryDatabase::new(image.clone()).unwrap();
    let catalog = Catalog::load(&db).unwrap();
    assert!(catalog.from_shadow);
    assert_eq!(export_all(image.clone(), Some("basic")).unwrap(), pristine);
    // The catalog table itself cannot be exported from its damaged tree.
    let error = export_all(image, Some("MSysObjects")).unwrap_err();
    assert_eq!(error.code(), JET_errReadVerifyFailure, "{error}");
}

#[test]
fn both_catalog_copies_damaged_is_an_error() {
    let Some(mut image) = corpus_bytes("basic.edb") else {
        return;
    };
    image[5 * 4096 + 300] ^= 0xff;
    image[25 * 4096 + 300] ^= 0xff;
    let db = InMemoryDatabase::new(image).unwrap();
    let error = Catalog::load(&db).unwrap_err();
    assert_eq!(error.code(), JET_errReadVerifyFailure);
    assert!(error.to_string().contains("page 4"), "{error}");
}

/// The leaf pages of a table's tree in an image (pages of its object with
/// the leaf flag).
fn leaf_pages_of(image: &[u8], page_size: usize, object_id: u32) -> Vec<u32> {
    let db = InMemoryDatabase::new(image.to_vec()).unwrap();
    (1..=db.last_page())
        .filter(|&n| {
            db.read_page(n).ok().is_some_and(|bytes| {
                let page = ese::format::page::Page::parse(&bytes, n).unwrap();
                page.header().object_id == object_id && page.header().flags.is_leaf()
            })
        })
        .inspect(|_| assert!(page_size > 0))
        .collect()
}

#[test]
fn mutated_records_and_catalog_rows_give_errors_not_panics() {
    let mut rng = SeededRng::new(test_seed("mutated_records_and_catalog_rows"));
    for name in ["basic.edb", "multi.edb", "text.edb"] {
        let Some(image) = corpus_bytes(name) else {
            return;
        };
        // The user table (object 8), its long values, and the catalog (2).
        let mut targets = leaf_pages_of(&image, 4096, 8);
        targets.extend(leaf_pages_of(&image, 4096, 2));
        let mut outcomes = [0usize; 2];
        for _ in 0..150 {
            let mut copy = image.clone();
            let page = targets[rng.below(targets.len())];
            let start = (page as usize + 1) * 4096;
            for _ in 0..1 + rng.below(4) {
                // Hit the line area rather than the page header, so that
                // records and nodes are what gets damaged.
                let at = start + 40 + rng.below(4096 - 40);
                copy[at] = rng.next_u64() as u8;
            }
            restamp(&mut copy, 4096, page);
            match export_all(copy, None) {
                Ok(_) => outcomes[0] += 1,
                Err(error) => {
                    assert!(error.code() < 0);
                    outcomes[1] += 1;
                }
            }
        }
        println!(
            "{name}: {} exports still succeeded, {} failed with an error",
            outcomes[0], outcomes[1]
        );
    }
}

#[test]
fn a_long_value_root_with_a_wrong_size_is_lv_corrupted() {
    let Some(mut image) = corpus_bytes("binary.edb") else {
        return;
    };
    // binary.edb's long-value tree (page 32) holds the root of LID 1:
    // key 00000001, data = refcount 1, size 1033 (0x409).
    let page_start = 33 * 4096;
    let page = &image[page_start..page_start + 4096];
    let needle = [0x01, 0, 0, 0, 0x09, 0x04, 0, 0];
    let position = page
        .windows(8)
        .position(|w| w == needle)
        .expect("the root of long value 1 is on page 32");
    image[page_start + position + 4] = 0x0a; // size 1034: one byte too many
    restamp(&mut image, 4096, 32);
    let error = export_all(image, Some("binary")).unwrap_err();
    assert_eq!(error.code(), JET_errLVCorrupted, "{error}");
}

#[test]
fn a_dirty_database_opens_with_a_warning() {
    let Some(source) = ese_testkit::corpus_file("default.edb") else {
        return;
    };
    let scratch = ese_testkit::scratch_dir();
    let path = ese_testkit::scratch_copy(&source, scratch.path());
    let mut bytes = fs::read(&path).unwrap();
    for copy in 0..2 {
        let page = &mut bytes[copy * 4096..(copy + 1) * 4096];
        page[52..56].copy_from_slice(&JET_dbstateDirtyShutdown.to_le_bytes());
        set_page_checksum(page, PageKind::DatabaseHeader, 0).unwrap();
    }
    fs::write(&path, &bytes).unwrap();
    let db = DatabaseFile::open(&path).unwrap();
    let warnings = db.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, JET_errDatabaseDirtyShutdown);
    // Its pages are still read.
    let catalog = Catalog::load(&db).unwrap();
    let mut out = Vec::new();
    assert_eq!(
        export_jsonl(&db, &catalog, Some("default"), &mut out).unwrap(),
        1
    );
    // A clean database has nothing to warn about.
    assert!(DatabaseFile::open(&source).unwrap().warnings().is_empty());
}

#[test]
fn an_unknown_table_is_object_not_found() {
    let Some(image) = corpus_bytes("basic.edb") else {
        return;
    };
    let error = export_all(image, Some("nosuchtable")).unwrap_err();
    assert_eq!(error.code(), JET_errObjectNotFound);
}

/// Rewrites, in both catalog copies of an image, the row whose key is
/// `key`, with `change` applied to its record bytes.
fn patch_catalog_row(image: &mut [u8], key: &[u8], change: impl Fn(&mut [u8])) -> usize {
    use ese::btree::Tree;
    let mut patched = 0;
    for tree in [Tree::new(4, 2), Tree::new(24, 3)] {
        let db = InMemoryDatabase::new(image.to_vec()).unwrap();
        let entry = tree
            .entries(&db)
            .map(Result::unwrap)
            .find(|e| e.key == key)
            .expect("the row exists");
        let start = (entry.page as usize + 1) * 4096;
        let page = &mut image[start..start + 4096];
        let at = page
            .windows(entry.data.len())
            .position(|w| w == entry.data.as_slice())
            .expect("the record is on its page");
        change(&mut page[at..at + entry.data.len()]);
        restamp(image, 4096, entry.page);
        patched += 1;
    }
    patched
}

#[test]
fn a_catalog_row_with_an_impossible_column_type_is_catalog_corrupted() {
    let Some(mut image) = corpus_bytes("basic.edb") else {
        return;
    };
    // The row of column 2 (Bit) of table 8 (basic): key (8, 2, 2) in the
    // catalog's normalized form.
    let key = [0x7f, 0x80, 0, 0, 8, 0x7f, 0x80, 2, 0x7f, 0x80, 0, 0, 2];
    // ColtypOrPgnoFDP sits at record offset 14 (after the 4-byte header,
    // ObjidTable, Type and Id).
    let patched = patch_catalog_row(&mut image, &key, |record| {
        record[14..18].copy_from_slice(&99u32.to_le_bytes());
    });
    assert_eq!(patched, 2);
    let db = InMemoryDatabase::new(image).unwrap();
    let error = Catalog::load(&db).unwrap_err();
    assert_eq!(error.code(), JET_errCatalogCorrupted, "{error}");
    assert!(error.to_string().contains("type 99"), "{error}");
}

#[test]
fn a_catalog_row_whose_offsets_overrun_it_is_an_error() {
    let Some(mut image) = corpus_bytes("basic.edb") else {
        return;
    };
    let key = [0x7f, 0x80, 0, 0, 8, 0x7f, 0x80, 2, 0x7f, 0x80, 0, 0, 2];
    // The record header's end-of-fixed-data offset, pointed past the row.
    patch_catalog_row(&mut image, &key, |record| {
        record[2..4].copy_from_slice(&0x0fffu16.to_le_bytes());
    });
    let db = InMemoryDatabase::new(image).unwrap();
    let error = Catalog::load(&db).unwrap_err();
    assert_eq!(error.code(), JET_errCatalogCorrupted, "{error}");
}
