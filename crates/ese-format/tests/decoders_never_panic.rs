//! Property tests: every decoder is total. Random bytes, and corpus pages
//! with random mutations, give a value or an error, never a panic; and
//! what decodes, encodes back to the same bytes.
//!
//! The seed is printed; rerun with `ESE_TEST_SEED=<seed>` to replay.

use ese_format::checksum::{check_page, set_page_checksum, verify_page, ChecksumOutcome, PageKind};
use ese_format::header::{DatabaseHeader, HEADER_SIZE};
use ese_format::header_election::elect_header;
use ese_format::page::{encode_tag, Page, PageHeader};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner(test_name: &str, cases: u32) -> TestRunner {
    let seed = ese_testkit::test_seed(test_name);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

const PAGE_SIZES: [usize; 5] = [2048, 4096, 8192, 16384, 32768];

/// Exercises every page decoder on one buffer; panics only on a broken
/// invariant, which is what the property tests look for.
fn exercise_page(bytes: &[u8], page_number: u32) {
    let _ = PageHeader::decode(bytes, bytes.len());
    if let Ok(page) = Page::parse(bytes, page_number) {
        for index in 0..page.tag_count() {
            let tag = page.tag(index).expect("index below the count");
            let line = page.line(index).expect("a checked tag has its line");
            assert_eq!(line.len(), usize::from(tag.size));
        }
        let mut copy = bytes.to_vec();
        page.header()
            .encode(&mut copy)
            .expect("a decoded header encodes");
        assert_eq!(copy, bytes, "header round trip");
        for (index, tag) in page.tags().enumerate() {
            encode_tag(&mut copy, index, tag).expect("a decoded tag encodes");
        }
        assert_eq!(copy, bytes, "tag round trip");
    }
    for kind in [PageKind::DatabasePage, PageKind::DatabaseHeader] {
        let _ = check_page(bytes, kind, page_number);
        let mut copy = bytes.to_vec();
        if let Ok(ChecksumOutcome::Correctable { fixed: true, .. }) =
            verify_page(&mut copy, kind, page_number, true)
        {
            assert_eq!(
                check_page(&copy, kind, page_number),
                Ok(ChecksumOutcome::Valid),
                "a repaired page verifies"
            );
        }
        if set_page_checksum(&mut copy, kind, page_number).is_ok() {
            assert_eq!(
                check_page(&copy, kind, page_number),
                Ok(ChecksumOutcome::Valid)
            );
        }
    }
}

fn exercise_header(bytes: &[u8]) {
    if let Ok(header) = DatabaseHeader::decode(bytes) {
        let _ = header.validate();
        let mut copy = vec![0u8; HEADER_SIZE];
        header.encode(&mut copy).expect("a decoded header encodes");
        assert_eq!(copy, bytes[..HEADER_SIZE], "header round trip");
    }
    let _ = elect_header(bytes, bytes.len() as u64, None);
    let _ = elect_header(bytes, bytes.len() as u64, Some(4096));
}

#[test]
fn random_bytes_never_panic_a_decoder() {
    let mut runner = runner("random_bytes_never_panic_a_decoder", 256);
    let strategy = (
        0usize..5,
        proptest::collection::vec(any::<u8>(), 0..1024),
        any::<u32>(),
    );
    runner
        .run(&strategy, |(size_index, seed_bytes, page_number)| {
            // A page of a real size, filled by repeating the random bytes,
            // and the raw random bytes themselves (any length).
            let size = PAGE_SIZES[size_index];
            let page: Vec<u8> = if seed_bytes.is_empty() {
                vec![0; size]
            } else {
                seed_bytes.iter().copied().cycle().take(size).collect()
            };
            exercise_page(&page, page_number);
            exercise_page(&seed_bytes, page_number);
            exercise_header(&page);
            exercise_header(&seed_bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_corpus_pages_never_panic_a_decoder() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    let files: Vec<(usize, Vec<u8>)> = ese_testkit::CORPUS_DATABASES
        .iter()
        .map(|&(name, size)| (size, std::fs::read(dir.join(name)).expect(name)))
        .collect();
    let mut runner = runner("mutated_corpus_pages_never_panic_a_decoder", 512);
    let strategy = (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        any::<bool>(),
    );
    runner
        .run(
            &strategy,
            |(file_pick, page_pick, mutations, fix_checksum)| {
                let (size, bytes) = &files[file_pick.index(files.len())];
                let count = bytes.len() / size;
                let index = page_pick.index(count);
                let mut page = bytes[index * size..(index + 1) * size].to_vec();
                for (position, value) in &mutations {
                    let at = position.index(page.len());
                    page[at] = *value;
                }
                let page_number = (index as u32).saturating_sub(1);
                let kind = if index < 2 {
                    PageKind::DatabaseHeader
                } else {
                    PageKind::DatabasePage
                };
                // With a fresh checksum the mutation reaches the layout checks
                // instead of stopping at checksum verification.
                if fix_checksum {
                    let _ = set_page_checksum(&mut page, kind, page_number);
                }
                exercise_page(&page, page_number);
                exercise_header(&page);
                // A damaged header in front of a real file's remaining bytes.
                let mut file = page.clone();
                file.extend_from_slice(
                    &bytes[(index + 1) * size..bytes.len().min((index + 2) * size)],
                );
                let _ = elect_header(&file, file.len() as u64, None);
                Ok(())
            },
        )
        .unwrap();
}
