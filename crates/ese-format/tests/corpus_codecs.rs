//! The header and page codecs against databases written by Windows' ESE:
//! decoding gives the values the corpus README documents, and encoding
//! what was decoded gives back the same bytes.

use ese_format::checksum::{check_page, set_page_checksum, ChecksumOutcome, PageKind};
use ese_format::constants::*;
use ese_format::header::{DatabaseHeader, HEADER_SIZE};
use ese_format::header_election::{elect_header, ShadowStatus};
use ese_format::page::{encode_tag, header_size, Page, PageHeader, Tag};

fn corpus() -> Option<Vec<(&'static str, usize, Vec<u8>)>> {
    let dir = ese_testkit::corpus_dir()?;
    Some(
        ese_testkit::CORPUS_DATABASES
            .iter()
            .map(|&(name, size)| (name, size, std::fs::read(dir.join(name)).expect(name)))
            .collect(),
    )
}

#[test]
fn headers_decode_to_documented_values() {
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        let header = DatabaseHeader::decode(&bytes[..*page_size]).expect(name);
        // The corpus README: format 0x620 revision 20, and the page sizes.
        assert_eq!(header.magic, DATABASE_MAGIC, "{name}");
        assert_eq!(header.format_version, 0x620, "{name}");
        assert_eq!(header.format_revision, 20, "{name}");
        assert_eq!(header.effective_page_size(), *page_size, "{name}");
        assert_eq!(header.file_type, JET_filetypeDatabase, "{name}");
        // Windows detached these databases cleanly: the state says so, and
        // the consistent position is the detach position, as a clean
        // detach records (libyal's format notes).
        assert_eq!(header.state, JET_dbstateCleanShutdown, "{name}");
        assert_eq!(header.consistent_position, header.detach_position, "{name}");
        assert!(header.consistent_position.generation > 0, "{name}");
        header.validate().expect(name);
    }
}

#[test]
fn header_encode_reproduces_the_page() {
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        let original = &bytes[..*page_size];
        let header = DatabaseHeader::decode(original).expect(name);
        let mut page = vec![0u8; *page_size];
        header.encode(&mut page).expect(name);
        assert_eq!(
            &page[..HEADER_SIZE],
            &original[..HEADER_SIZE],
            "{name}: fields"
        );
        assert!(
            original[HEADER_SIZE..].iter().all(|&b| b == 0),
            "{name}: padding"
        );
        // Stamping the checksum afresh gives the stored one back.
        page[..4].fill(0);
        set_page_checksum(&mut page, PageKind::DatabaseHeader, 0).expect(name);
        assert_eq!(page, original, "{name}: whole page");
    }
}

#[test]
fn election_finds_both_copies_in_the_corpus() {
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        let elected = elect_header(bytes, bytes.len() as u64, None).expect(name);
        assert_eq!(elected.page_size, *page_size, "{name}");
        assert_eq!(elected.status, ShadowStatus::BothGood, "{name}");
    }
}

/// Every initialized database page of every corpus file, with its number.
fn database_pages(page_size: usize, bytes: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    bytes
        .chunks_exact(page_size)
        .enumerate()
        .skip(2)
        .filter(|(_, page)| page.iter().any(|&b| b != 0))
        .map(|(index, page)| (index as u32 - 1, page))
}

#[test]
fn every_corpus_page_parses_and_its_header_and_tags_round_trip() {
    let Some(files) = corpus() else { return };
    let mut pages = 0;
    for (name, page_size, bytes) in &files {
        for (page_number, original) in database_pages(*page_size, bytes) {
            let page = Page::parse(original, page_number)
                .unwrap_or_else(|e| panic!("{name} page {page_number}: {e}"));
            let mut copy = vec![0u8; *page_size];
            page.header().encode(&mut copy).unwrap();
            assert_eq!(
                copy[..header_size(*page_size)],
                original[..header_size(*page_size)],
                "{name} page {page_number}: header"
            );
            // Lines first (large pages keep tag flags inside them), then tags.
            let data_start = header_size(*page_size);
            let used = data_start + usize::from(page.header().first_free_offset);
            copy[data_start..used].copy_from_slice(&original[data_start..used]);
            for (index, tag) in page.tags().enumerate() {
                encode_tag(&mut copy, index, tag).unwrap();
            }
            let tags_start = *page_size - page.tag_count() * 4;
            let first_difference = (tags_start..*page_size).find(|&i| copy[i] != original[i]);
            assert_eq!(
                first_difference, None,
                "{name} page {page_number}: tag array differs"
            );
            pages += 1;
        }
    }
    assert!(pages > 500, "only {pages} pages checked");
}

#[test]
fn corpus_pages_have_the_structure_ese_gives_them() {
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        let mut roots = 0;
        for (page_number, original) in database_pages(*page_size, bytes) {
            let page = Page::parse(original, page_number).unwrap();
            let header = page.header();
            // Written by Windows 8 and later: every page carries the ECC
            // checksum and the record format flag.
            assert!(header.flags.has_new_checksum(), "{name} {page_number}");
            assert!(header.flags.contains(0x0800), "{name} {page_number}");
            // Every page belongs to a tree (object ids start at 1) and its
            // tag 0, the external header, exists.
            assert!(header.object_id >= 1, "{name} {page_number}");
            assert!(page.tag_count() >= 1, "{name} {page_number}");
            if let Some(extended) = header.extended {
                assert_eq!(extended.page_number, page_number, "{name}");
            }
            if header.flags.is_root() {
                roots += 1;
            }
        }
        // The catalog tree (MSysObjects) is rooted at page 4 of every ESE
        // database, so a root page must be there.
        let page_four = &bytes[5 * page_size..6 * page_size];
        let catalog = Page::parse(page_four, 4).unwrap();
        assert!(
            catalog.header().flags.is_root(),
            "{name}: page 4 is the catalog root"
        );
        assert_eq!(
            catalog.header().object_id,
            2,
            "{name}: the catalog is object 2"
        );
        assert!(roots >= 4, "{name}: {roots} roots");
    }
}

#[test]
fn tag_encoding_round_trips_on_built_pages() {
    for page_size in [4096usize, 32768] {
        let mut page = vec![0u8; page_size];
        let header = PageHeader {
            tag_state: 3,
            first_free_offset: 30,
            flags: ese_format::page::PageFlags(0x2802),
            extended: (page_size > 8192).then(|| ese_format::page::ExtendedHeader {
                page_number: 9,
                ..Default::default()
            }),
            ..Default::default()
        };
        header.encode(&mut page).unwrap();
        let tags = [
            Tag {
                offset: 0,
                size: 10,
                flags: 0,
                ..Default::default()
            },
            Tag {
                offset: 10,
                size: 12,
                flags: 2,
                ..Default::default()
            },
            Tag {
                offset: 22,
                size: 8,
                flags: 5,
                ..Default::default()
            },
        ];
        for (index, tag) in tags.iter().enumerate() {
            encode_tag(&mut page, index, *tag).unwrap();
        }
        set_page_checksum(&mut page, PageKind::DatabasePage, 9).unwrap();
        assert_eq!(
            check_page(&page, PageKind::DatabasePage, 9),
            Ok(ChecksumOutcome::Valid)
        );
        let parsed = Page::parse(&page, 9).unwrap();
        assert_eq!(parsed.tags().collect::<Vec<_>>(), tags);
        assert_eq!(parsed.line(1).map(<[u8]>::len), Some(12));
        assert_eq!(parsed.tag(3), None);
    }
}

#[test]
fn space_headers_of_the_corpus_decode_as_windows_wrote_them() {
    use ese_format::space::{ExtentNode, SpaceHeader};
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        let page_at = |n: usize| &bytes[(n + 1) * page_size..(n + 2) * page_size];
        // The database root (page 1) owns the file through extent trees at
        // pages 2 and 3 (docs/research/new-database-layout.md).
        let root = Page::parse(page_at(1), 1).unwrap();
        let header = SpaceHeader::decode(root.line(0).unwrap()).unwrap();
        assert_eq!(header.extent_tree_roots(), Some((2, 3)), "{name}");
        assert_eq!(header.parent_page, 0, "{name}");
        // Every node of the root's owned-extent tree decodes, and the last
        // extent ends inside the file.
        let owned = Page::parse(page_at(2), 2).unwrap();
        let mut last = 0;
        for index in 0..ese_format::node::node_count(&owned) {
            let node = ese_format::node::node(&owned, index).unwrap();
            let extent = ExtentNode::decode(&node.key(), node.data, false).unwrap();
            assert!(extent.count > 0, "{name}");
            last = extent.last;
        }
        assert!(
            last as usize <= bytes.len() / page_size - 2,
            "{name}: extent beyond the file"
        );
        // MSysObjids (page 29) has a single extent of one page under the root.
        let objids = Page::parse(page_at(29), 29).unwrap();
        let header = SpaceHeader::decode(objids.line(0).unwrap()).unwrap();
        assert!(!header.is_multiple_extent(), "{name}");
        assert_eq!((header.primary_pages, header.parent_page), (1, 1), "{name}");
        assert_eq!(
            SpaceHeader::decode(&header.encode()).unwrap(),
            header,
            "{name}"
        );
    }
}
