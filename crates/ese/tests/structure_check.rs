//! The structural check (`ese::structure_check`): every corpus database is
//! clean, and each kind of logical damage, made on an in-memory copy with
//! its checksums re-stamped, gives the finding ESE would report.

use std::ops::Range;

use ese::codes::*;
use ese::database_file::DatabaseFile;
use ese::format::checksum::{set_page_checksum, PageKind};
use ese::format::page::{encode_tag, PageFlags, PageHeader, Tag};
use ese::page_source::InMemoryDatabase;
use ese::structure_check::{check_structure, StructureReport};

/// A corpus database in memory, to damage.
struct Image {
    bytes: Vec<u8>,
    page_size: usize,
}

impl Image {
    fn load(name: &str) -> Option<Image> {
        let path = ese_testkit::corpus_file(name)?;
        let bytes = std::fs::read(path).expect("read corpus database");
        let page_size = InMemoryDatabase::new(bytes.clone())
            .expect("elect the header")
            .header()
            .page_size as usize;
        Some(Image { bytes, page_size })
    }

    fn page_range(&self, page: u32) -> Range<usize> {
        let start = (page as usize + 1) * self.page_size;
        start..start + self.page_size
    }

    fn page(&self, page: u32) -> &[u8] {
        &self.bytes[self.page_range(page)]
    }

    fn page_mut(&mut self, page: u32) -> &mut [u8] {
        let range = self.page_range(page);
        &mut self.bytes[range]
    }

    /// Where line `line` of a 4 KiB page lies within the page.
    fn line(&self, page: u32, line: usize) -> Range<usize> {
        assert_eq!(self.page_size, 4096, "the helpers read small-page tags");
        let bytes = self.page(page);
        let tag = self.page_size - 4 * (line + 1);
        let size = u16::from_le_bytes([bytes[tag], bytes[tag + 1]]) as usize & 0x1fff;
        let offset = u16::from_le_bytes([bytes[tag + 2], bytes[tag + 3]]) as usize & 0x1fff;
        40 + offset..40 + offset + size
    }

    fn u32_at(&self, page: u32, offset: usize) -> u32 {
        let bytes = self.page(page);
        u32::from_le_bytes(bytes[offset..offset + 4].try_into().unwrap())
    }

    fn set_u32(&mut self, page: u32, offset: usize, value: u32) {
        self.page_mut(page)[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
        self.restamp(page);
    }

    fn restamp(&mut self, page: u32) {
        set_page_checksum(self.page_mut(page), PageKind::DatabasePage, page)
            .expect("stamp the page checksum");
    }

    fn check(&self) -> StructureReport {
        let database = InMemoryDatabase::new(self.bytes.clone()).expect("open the image");
        check_structure(&database, database.header()).expect("the check runs")
    }
}

fn describe(report: &StructureReport) -> String {
    report.findings.iter().map(|f| format!("  {f}\n")).collect()
}

/// Asserts a finding with `code` on `page` (printing all of them).
fn expect_finding(report: &StructureReport, code: i32, page: u32) {
    print!("{}", describe(report));
    let found = report
        .findings
        .iter()
        .any(|f| f.error.code() == code && f.error.context().and_then(|c| c.page) == Some(page));
    assert!(
        found,
        "expected {} on page {page}; findings:\n{}",
        ese::Error::new(code).name(),
        describe(report)
    );
}

// Page header offsets (small pages).
const DB_TIME: usize = 8;
const PREVIOUS_PAGE: usize = 16;
const NEXT_PAGE: usize = 20;
const OBJECT_ID: usize = 24;
const FLAGS: usize = 36;

/// A node line: key length, key, data (no prefix compression).
fn node_line(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut line = (key.len() as u16).to_le_bytes().to_vec();
    line.extend_from_slice(key);
    line.extend_from_slice(data);
    line
}

impl Image {
    /// Replaces page `number` with a 4 KiB page of the given lines (line 0
    /// first), checksum stamped.
    fn build_page(
        &mut self,
        number: u32,
        object_id: u32,
        flags: u32,
        (previous_page, next_page): (u32, u32),
        lines: &[Vec<u8>],
    ) {
        let page = self.page_mut(number);
        page.fill(0);
        let mut offset = 0usize;
        for (index, line) in lines.iter().enumerate() {
            page[40 + offset..40 + offset + line.len()].copy_from_slice(line);
            let tag = Tag {
                offset: offset as u16,
                size: line.len() as u16,
                ..Default::default()
            };
            encode_tag(page, index, tag).unwrap();
            offset += line.len();
        }
        let header = PageHeader {
            db_time: 0x100,
            previous_page,
            next_page,
            object_id,
            free_bytes: (4096 - 40 - offset - 4 * lines.len()) as u16,
            first_free_offset: offset as u16,
            tag_state: lines.len() as u16,
            flags: PageFlags(flags | 0x2800),
            ..Default::default()
        };
        header.encode(page).unwrap();
        self.restamp(number);
    }

    /// basic.edb with MSysObjects rebuilt as a three-level tree: root 4 over
    /// branch pages 13 and 14, over leaves 19, 20 | 21, 22 (keys a1 a2 | b1
    /// b2 | c1 c2 | d1 d2), its available extent shrunk to page 23 to give
    /// it those pages. The records are not catalog rows, so the catalog is
    /// read from the shadow.
    fn three_level_catalog() -> Option<Image> {
        let mut image = Image::load("basic.edb")?;
        let space_header = image.page(4)[image.line(4, 0)].to_vec();
        let child = |page: u32| page.to_le_bytes().to_vec();
        let (root, branch, leaf) = (PageFlags::ROOT, PageFlags::PARENT_OF_LEAF, PageFlags::LEAF);
        image.build_page(
            4,
            2,
            root,
            (0, 0),
            &[
                space_header,
                node_line(b"c1", &child(13)),
                node_line(b"", &child(14)),
            ],
        );
        image.build_page(
            13,
            2,
            branch,
            (0, 0),
            &[
                vec![],
                node_line(b"b1", &child(19)),
                node_line(b"c1", &child(20)),
            ],
        );
        image.build_page(
            14,
            2,
            branch,
            (0, 0),
            &[
                vec![],
                node_line(b"d1", &child(21)),
                node_line(b"", &child(22)),
            ],
        );
        let leaves = [
            (19, b"a", 0, 20),
            (20, b"b", 19, 21),
            (21, b"c", 20, 22),
            (22, b"d", 21, 0),
        ];
        for (page, letter, previous, next) in leaves {
            let key = |digit: u8| [letter[0], digit];
            image.build_page(
                page,
                2,
                leaf,
                (previous, next),
                &[
                    vec![],
                    node_line(&key(b'1'), b"x"),
                    node_line(&key(b'2'), b"y"),
                ],
            );
        }
        let line = image.line(6, 1);
        assert_eq!(
            &image.page(6)[line.clone()],
            [4, 0, 0, 0, 0, 0x17, 5, 0, 0, 0]
        );
        image.page_mut(6)[line.start + 6] = 1;
        image.restamp(6);
        Some(image)
    }
}

/// The findings other than the catalog being unreadable (the rebuilt
/// MSysObjects holds no catalog rows).
fn structural(report: &StructureReport) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.error.code() != JET_errCatalogCorrupted)
        .map(|f| f.to_string())
        .collect()
}

#[test]
fn every_corpus_database_is_structurally_clean() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for (name, _) in ese_testkit::CORPUS_DATABASES {
        let database = DatabaseFile::open(dir.join(name)).unwrap();
        let started = std::time::Instant::now();
        let report = check_structure(&database, database.header()).unwrap();
        println!(
            "{name}: {} trees, {} pages visited, {:?}, {} deleted and {} versioned leaf nodes, {:?}",
            report.trees_checked,
            report.pages_visited,
            report.space,
            report.deleted_nodes,
            report.versioned_nodes,
            started.elapsed()
        );
        for note in &report.notes {
            println!("  note: {note}");
        }
        assert!(report.is_clean(), "{name}:\n{}", describe(&report));
        assert!(report.space.accounted, "{name}");
        assert_eq!(report.space.leaked, 0, "{name}");
        let pages = u64::from(database.database_page_count());
        assert_eq!(
            report.space.in_use
                + report.space.available
                + report.space.reserved
                + report.space.beyond_owned,
            pages,
            "{name}: every page is accounted for"
        );
        assert_eq!(report.pages_visited, report.space.in_use, "{name}");
    }
}

#[test]
fn corpus_trees_and_pages_are_all_reached() {
    let Some(image) = Image::load("large.edb") else {
        return;
    };
    let report = image.check();
    // Root, MSysObjects and its two indexes, the shadow and the table each
    // with both space trees; MSysObjids and MSysLocales in single extents.
    assert_eq!(report.trees_checked, 20);
    // Every written page of the file, and nothing else.
    let written = (1..=766u32)
        .filter(|&p| image.page(p).iter().any(|&b| b != 0))
        .count() as u64;
    assert_eq!(report.pages_visited, written);
    // The root owns pages 1-510 of 766; the file grew ahead of its space.
    assert_eq!(report.space.beyond_owned, 256);
    assert!(report.notes.iter().any(|n| n.page == Some(511)));
}

#[test]
fn swapped_keys_in_a_leaf_are_out_of_order() {
    let Some(mut image) = Image::load("index.edb") else {
        return;
    };
    // MSysObjids (page 29) is a one-page tree of 26 records: swap the tags
    // of its first two nodes.
    let page = 29;
    let bytes = image.page_mut(page);
    let (first, second) = (4096 - 8, 4096 - 12);
    let mut tag = [0u8; 4];
    tag.copy_from_slice(&bytes[first..first + 4]);
    bytes.copy_within(second..second + 4, first);
    bytes[second..second + 4].copy_from_slice(&tag);
    image.restamp(page);
    let report = image.check();
    expect_finding(&report, JET_errDatabaseCorrupted, page);
    assert!(report
        .findings
        .iter()
        .all(|f| f.tree.as_deref() == Some("MSysObjids")));
}

#[test]
fn a_separator_below_the_left_leaf_is_a_bad_parent_link() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // Page 4, MSysObjects' root, separates leaves 13 and 14 with the first
    // key of page 14 (7f80000003...). Make it 7f80000001..., below every
    // key of page 13.
    let line = image.line(4, 1);
    let key = line.start + 2;
    assert_eq!(image.page(4)[key..key + 5], [0x7f, 0x80, 0, 0, 0x03]);
    image.page_mut(4)[key + 4] = 0x01;
    image.restamp(4);
    let report = image.check();
    expect_finding(&report, JET_errBadParentPageLink, 13);
}

#[test]
fn a_wrong_sibling_link_is_a_bad_page_link() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // Leaf 14 follows leaf 13 in MSysObjects; make it point left to 12.
    assert_eq!(image.u32_at(14, PREVIOUS_PAGE), 13);
    image.set_u32(14, PREVIOUS_PAGE, 12);
    let report = image.check();
    expect_finding(&report, JET_errBadPageLink, 14);
}

#[test]
fn a_page_of_another_object_is_a_bad_parent_link() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    assert_eq!(image.u32_at(14, OBJECT_ID), 2);
    image.set_u32(14, OBJECT_ID, 6);
    let report = image.check();
    expect_finding(&report, JET_errBadParentPageLink, 14);
    // Nothing else reaches it, so MSysObjects' page is also unaccounted for.
    expect_finding(&report, JET_errDatabaseLeakInSpace, 14);
}

#[test]
fn a_single_extent_overlapping_the_next_table_is_reported() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // MSysLocales (page 30) owns one page; make it two, taking page 31,
    // the root of table `basic`.
    let header = image.line(30, 0);
    assert_eq!(header.len(), 16);
    assert_eq!(image.u32_at(30, header.start), 1);
    image.set_u32(30, header.start, 2);
    let report = image.check();
    expect_finding(&report, JET_errSPOwnExtCorrupted, 31);
}

#[test]
fn an_owned_extent_overlapping_another_tree_is_reported() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // MSysObjects owns pages 4-23 (one extent in its owned-extent tree,
    // page 5); stretch it to 4-24, into the shadow catalog's root.
    let line = image.line(5, 1);
    let bytes = &image.page(5)[line.clone()];
    assert_eq!(bytes, [4, 0, 0, 0, 0, 0x17, 20, 0, 0, 0]);
    let page = image.page_mut(5);
    page[line.start + 5] = 0x18;
    page[line.start + 6] = 21;
    image.restamp(5);
    let report = image.check();
    expect_finding(&report, JET_errSPOwnExtCorrupted, 24);
}

#[test]
fn a_page_dropped_from_the_available_extents_is_leaked() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // The root's available extent is pages 35-254 (220 pages, ending at
    // 254); make it 219 pages, so that page 35 is owned and unused.
    let line = image.line(3, 1);
    assert_eq!(
        &image.page(3)[line.clone()],
        [4, 0, 0, 0, 0, 0xfe, 220, 0, 0, 0]
    );
    image.page_mut(3)[line.start + 6] = 219;
    image.restamp(3);
    let report = image.check();
    expect_finding(&report, JET_errDatabaseLeakInSpace, 35);
    assert_eq!(report.space.leaked, 1);
    assert!(report
        .findings
        .iter()
        .all(|f| f.error.code() == JET_errDatabaseLeakInSpace));
}

#[test]
fn a_page_dropped_from_a_single_extent_bitmap_is_leaked() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // Table `basic` (page 31) owns pages 31-34 and uses only 31: its
    // bitmap marks 32, 33 and 34 available. Clear the bit of page 34.
    let header = image.line(31, 0);
    assert_eq!(image.u32_at(31, header.start + 12), 0x7);
    image.set_u32(31, header.start + 12, 0x3);
    let report = image.check();
    expect_finding(&report, JET_errDatabaseLeakInSpace, 34);
    let finding = &report.findings[0];
    assert_eq!(finding.tree.as_deref(), Some("basic"));
}

#[test]
fn an_available_extent_outside_the_owned_ones_is_reported() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // MSysObjects' available extent is pages 19-23 (page 6); move it to
    // 20-24, where page 24 belongs to the shadow catalog.
    let line = image.line(6, 1);
    assert_eq!(
        &image.page(6)[line.clone()],
        [4, 0, 0, 0, 0, 0x17, 5, 0, 0, 0]
    );
    image.page_mut(6)[line.start + 5] = 0x18;
    image.restamp(6);
    let report = image.check();
    expect_finding(&report, JET_errSPAvailExtCorrupted, 24);
}

#[test]
fn an_available_bitmap_bit_beyond_a_single_extent_is_reported() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    let header = image.line(31, 0);
    image.set_u32(31, header.start + 12, 0xf);
    let report = image.check();
    expect_finding(&report, JET_errSPAvailExtCorrupted, 31);
}

#[test]
fn a_page_newer_than_the_database_is_a_db_time_corruption() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    let time = u64::from_le_bytes(image.page(13)[DB_TIME..DB_TIME + 8].try_into().unwrap());
    image.page_mut(13)[DB_TIME..DB_TIME + 8].copy_from_slice(&(time + 0x1000).to_le_bytes());
    image.restamp(13);
    let report = image.check();
    expect_finding(&report, JET_errDbTimeCorrupted, 13);
}

#[test]
fn an_unreadable_catalog_still_checks_what_it_can() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // Break both catalog copies' roots: they now belong to object 99.
    image.set_u32(4, OBJECT_ID, 99);
    image.set_u32(24, OBJECT_ID, 99);
    let report = image.check();
    expect_finding(&report, JET_errCatalogCorrupted, 4);
    expect_finding(&report, JET_errCatalogCorrupted, 24);
    assert!(!report.space.accounted);
    // The database root and its space trees were still walked.
    assert!(report.trees_checked >= 3);
}

#[test]
fn random_damage_never_panics() {
    let Some(pristine) = Image::load("multi.edb") else {
        return;
    };
    let seed = ese_testkit::test_seed("random_damage_never_panics");
    let mut rng = ese_testkit::SeededRng::new(seed);
    let written: Vec<u32> = (1..=254u32)
        .filter(|&p| pristine.page(p).iter().any(|&b| b != 0))
        .collect();
    for round in 0..300 {
        let mut image = Image {
            bytes: pristine.bytes.clone(),
            page_size: pristine.page_size,
        };
        for _ in 0..1 + rng.below(4) {
            let page = written[rng.below(written.len())];
            let bytes = image.page_mut(page);
            // Mostly the header, tags and first lines: where structure lives.
            let at = match rng.below(3) {
                0 => 8 + rng.below(32),
                1 => 4096 - 1 - rng.below(64),
                _ => 40 + rng.below(256),
            };
            bytes[at] ^= 1 << rng.below(8);
            image.restamp(page);
        }
        let database = InMemoryDatabase::new(image.bytes).unwrap();
        let report = check_structure(&database, database.header())
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(report.findings.len() <= ese::structure_check::MAX_FINDINGS);
    }
}

#[test]
fn a_three_level_tree_checks_clean() {
    let Some(image) = Image::three_level_catalog() else {
        return;
    };
    let report = image.check();
    print!("{}", describe(&report));
    assert_eq!(structural(&report), Vec::<String>::new());
    assert!(report.space.accounted);
    assert_eq!(report.space.leaked, 0);
    // The catalog rows were taken from the shadow.
    assert!(report
        .findings
        .iter()
        .any(|f| f.error.code() == JET_errCatalogCorrupted));
}

#[test]
fn a_key_below_a_grandparent_separator_is_found() {
    let Some(mut image) = Image::three_level_catalog() else {
        return;
    };
    // Leaf 21 is the first child of branch 14, itself right of the root's
    // separator c1: its keys must be at least c1. Make its first key a9
    // (ESE's own checker compares a leaf with its parent's separators only
    // and would miss this one).
    let line = image.line(21, 1);
    image.page_mut(21)[line.start + 2..line.start + 4].copy_from_slice(b"a9");
    image.restamp(21);
    let report = image.check();
    expect_finding(&report, JET_errBadParentPageLink, 21);
    // And the leaf chain is out of order there.
    expect_finding(&report, JET_errDatabaseCorrupted, 21);
}

#[test]
fn a_branch_page_whose_last_key_is_not_its_separator_is_found() {
    let Some(mut image) = Image::three_level_catalog() else {
        return;
    };
    // Branch 13's last key must equal the root's separator c1.
    let line = image.line(13, 2);
    image.page_mut(13)[line.start + 3] = b'0';
    image.restamp(13);
    let report = image.check();
    expect_finding(&report, JET_errBadParentPageLink, 13);
}

#[test]
fn a_branch_page_with_sibling_links_is_a_bad_page_link() {
    let Some(mut image) = Image::three_level_catalog() else {
        return;
    };
    image.set_u32(13, NEXT_PAGE, 14);
    image.set_u32(14, PREVIOUS_PAGE, 13);
    let report = image.check();
    expect_finding(&report, JET_errBadPageLink, 13);
    expect_finding(&report, JET_errBadPageLink, 14);
}

#[test]
fn a_wrong_parent_of_leaf_flag_is_found() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    let flags = image.u32_at(4, FLAGS);
    assert_ne!(flags & PageFlags::PARENT_OF_LEAF, 0);
    image.set_u32(4, FLAGS, flags & !PageFlags::PARENT_OF_LEAF);
    let report = image.check();
    expect_finding(&report, JET_errBadParentPageLink, 4);
}

#[test]
fn a_page_reached_twice_is_found_and_the_lost_one_leaked() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // Both nodes of MSysObjects' root now lead to leaf 14; 13 is lost.
    let line = image.line(4, 1);
    let data = line.end - 4;
    assert_eq!(image.u32_at(4, data), 13);
    image.set_u32(4, data, 14);
    let report = image.check();
    expect_finding(&report, JET_errBadParentPageLink, 14);
    expect_finding(&report, JET_errDatabaseLeakInSpace, 13);
}

#[test]
fn a_versioned_extent_node_is_found() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // The root's available-extent node: set the versioned bit (bit 13 of
    // the tag's offset word on small pages).
    let tag = 4096 - 8 + 2;
    image.page_mut(3)[tag + 1] |= 0x20;
    image.restamp(3);
    let report = image.check();
    expect_finding(&report, JET_errSPAvailExtCorrupted, 3);
}

#[test]
fn an_impossible_extent_is_found() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // The root's owned extent: 300 pages ending at page 254.
    let line = image.line(2, 1);
    image.page_mut(2)[line.start + 6..line.start + 10].copy_from_slice(&300u32.to_le_bytes());
    image.restamp(2);
    let report = image.check();
    expect_finding(&report, JET_errSPOwnExtCorrupted, 2);
}

/// basic.edb with the root owning pages 1-256 (two past the end of the
/// file) and `shelved` of them shelved in its available-extent tree.
fn root_owning_past_the_end(shelved: &[u32]) -> Option<Image> {
    let mut image = Image::load("basic.edb")?;
    // Owned: 256 pages ending at page 256.
    let line = image.line(2, 1);
    let page = image.page_mut(2);
    page[line.start + 2..line.start + 6].copy_from_slice(&256u32.to_be_bytes());
    page[line.start + 6..line.start + 10].copy_from_slice(&256u32.to_le_bytes());
    image.restamp(2);
    // Available: the general extent 35-254, then one 5-byte key per shelved
    // page (0x80 | pool 2, the page big-endian), one page each.
    let split_buffer = image.page(3)[image.line(3, 0)].to_vec();
    let mut lines = vec![
        split_buffer,
        node_line(&254u32.to_be_bytes(), &220u32.to_le_bytes()),
    ];
    for &page in shelved {
        let mut key = vec![0x82];
        key.extend_from_slice(&page.to_be_bytes());
        lines.push(node_line(&key, &1u32.to_le_bytes()));
    }
    let flags = PageFlags::ROOT | PageFlags::LEAF | PageFlags::SPACE_TREE;
    image.build_page(3, 1, flags, (0, 0), &lines);
    Some(image)
}

#[test]
fn shelved_pages_may_lie_past_the_end_of_the_file() {
    let Some(image) = root_owning_past_the_end(&[255, 256]) else {
        return;
    };
    let report = image.check();
    assert!(report.is_clean(), "{}", describe(&report));
    assert_eq!(report.space.leaked, 0);
}

#[test]
fn owned_pages_past_the_end_of_the_file_must_be_shelved() {
    let Some(image) = root_owning_past_the_end(&[256]) else {
        return;
    };
    let report = image.check();
    // Page 255 is owned, beyond the file, and not shelved.
    expect_finding(&report, JET_errSPOwnExtCorrupted, 2);
    assert_eq!(report.findings.len(), 1, "{}", describe(&report));
}

#[test]
fn a_prefix_longer_than_the_common_key_is_a_corrupted_node() {
    let Some(mut image) = Image::load("basic.edb") else {
        return;
    };
    // Leaf 13 of MSysObjects: find a prefix-compressed node (flag 0x4, bit
    // 15 of the tag's offset word) and make it borrow one byte more than
    // the page's common key (line 0) holds.
    let common = image.line(13, 0).len();
    let tag_count = u16::from_le_bytes([image.page(13)[34], image.page(13)[35]]) as usize & 0xfff;
    let line = (1..tag_count)
        .find(|&i| image.page(13)[4096 - 4 * (i + 1) + 3] & 0x80 != 0)
        .expect("a compressed node on page 13");
    let start = image.line(13, line).start;
    image.page_mut(13)[start..start + 2].copy_from_slice(&(common as u16 + 1).to_le_bytes());
    image.restamp(13);
    let report = image.check();
    expect_finding(&report, JET_errNodeCorrupted, 13);
}
