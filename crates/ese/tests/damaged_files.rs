//! Damage tests on scratch copies of corpus databases: flipped bytes, single
//! flipped bits, damaged headers, truncated and foreign files. Each must be
//! reported with the documented JET error and never panic.

use std::fs;
use std::path::{Path, PathBuf};

use ese::codes::*;
use ese::database_file::{DatabaseFile, PageLocation, PageReadOutcome};
use ese::format::checksum::{set_page_checksum, PageKind};
use ese::format::constants::JET_filetypeLog;
use ese::format::header::{FILE_TYPE_OFFSET, PAGE_SIZE_OFFSET};
use ese::format::header_election::ShadowStatus;
use ese::integrity::check_database;
use ese_testkit::{scratch_copy, scratch_dir, test_seed, SeededRng};

/// A scratch copy of a corpus database, or `None` without the corpus.
fn copy_of(name: &str, dir: &Path) -> Option<PathBuf> {
    let source = ese_testkit::corpus_file(name)?;
    Some(scratch_copy(&source, dir))
}

fn edit(path: &Path, change: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = fs::read(path).unwrap();
    change(&mut bytes);
    fs::write(path, bytes).unwrap();
}

/// File indexes of the pages that hold data (not all zero).
fn written_pages(path: &Path, page_size: usize) -> Vec<u64> {
    let bytes = fs::read(path).unwrap();
    bytes
        .chunks_exact(page_size)
        .enumerate()
        .skip(2)
        .filter(|(_, page)| page.iter().any(|&b| b != 0))
        .map(|(index, _)| index as u64)
        .collect()
}

#[test]
fn a_damaged_byte_is_reported_on_exactly_its_page() {
    let scratch = scratch_dir();
    let mut rng = SeededRng::new(test_seed("a_damaged_byte_is_reported_on_exactly_its_page"));
    for (name, page_size) in [("basic.edb", 4096usize), ("large.edb", 32768)] {
        let Some(path) = copy_of(name, scratch.path()) else {
            return;
        };
        let pristine = fs::read(&path).unwrap();
        let pages = written_pages(&path, page_size);
        // Many positions: the checksum field, the header, the tag array at
        // the end, and random places in between, on random written pages.
        let mut positions = vec![0, 7, 8, 39, 40, 79, page_size / 2, page_size - 1];
        positions.extend((0..24).map(|_| rng.below(page_size)));
        for position in positions {
            let file_index = pages[rng.below(pages.len())];
            let at = file_index as usize * page_size + position;
            // XOR with a multi-bit pattern: no single-bit ECC repair applies.
            let pattern = [0xff, 0x5a, 0x81, 0x3c][rng.below(4)];
            fs::write(&path, &pristine).unwrap();
            edit(&path, |bytes| bytes[at] ^= pattern);

            let report = check_database(&path).unwrap();
            let expected = PageLocation::from_file_index(file_index).unwrap();
            assert_eq!(
                report.bad_pages.len(),
                1,
                "{name}: byte {position} of {expected} xor {pattern:#x}: {:?}",
                report.bad_pages
            );
            let bad = &report.bad_pages[0];
            assert_eq!(bad.location, expected, "{name}: byte {position}");
            assert_eq!(
                bad.error.code(),
                JET_errReadVerifyFailure,
                "{name}: {}",
                bad.error
            );
            assert!(!report.is_clean());
        }
    }
}

#[test]
fn a_single_flipped_bit_is_corrected_as_ese_would() {
    let scratch = scratch_dir();
    let mut rng = SeededRng::new(test_seed("a_single_flipped_bit_is_corrected_as_ese_would"));
    for (name, page_size) in [("text.edb", 4096usize), ("large.edb", 32768)] {
        let Some(path) = copy_of(name, scratch.path()) else {
            return;
        };
        let pristine = fs::read(&path).unwrap();
        let pages = written_pages(&path, page_size);
        for _ in 0..12 {
            let file_index = pages[rng.below(pages.len())];
            let page_number = file_index as u32 - 1;
            // Any bit after the stored checksum and outside the flags word
            // is one ESE's ECC repairs (its own tests list the exceptions).
            let bit = loop {
                let bit = 64 + rng.below(page_size * 8 - 64);
                if !(36 * 8..40 * 8).contains(&bit) {
                    break bit;
                }
            };
            fs::write(&path, &pristine).unwrap();
            let start = file_index as usize * page_size;
            edit(&path, |bytes| bytes[start + bit / 8] ^= 1 << (bit % 8));

            // The check reports it as correctable, not as damage.
            let report = check_database(&path).unwrap();
            assert!(report.is_clean(), "{name} page {page_number} bit {bit}");
            assert_eq!(
                report.correctable_pages,
                vec![(PageLocation::Database(page_number), bit)],
                "{name}"
            );
            // A read repairs the page in memory, byte for byte.
            let database = DatabaseFile::open(&path).unwrap();
            let mut page = vec![0u8; page_size];
            let outcome = database.read_page_into(page_number, &mut page).unwrap();
            assert_eq!(
                outcome,
                PageReadOutcome::SingleBitError { bit, fixed: true }
            );
            assert_eq!(page, pristine[start..start + page_size], "{name} bit {bit}");
            // The file itself is never modified by a read-only open.
            assert_ne!(fs::read(&path).unwrap(), pristine);
        }
    }
}

#[test]
fn two_flipped_bits_in_one_block_are_damage() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("basic.edb", scratch.path()) else {
        return;
    };
    let page_size = 4096;
    let file_index = written_pages(&path, page_size)[0];
    let start = file_index as usize * page_size;
    edit(&path, |bytes| {
        bytes[start + 100] ^= 0x01;
        bytes[start + 2000] ^= 0x10;
    });
    let report = check_database(&path).unwrap();
    assert_eq!(report.bad_pages.len(), 1);
    assert_eq!(report.bad_pages[0].error.code(), JET_errReadVerifyFailure);
    let database = DatabaseFile::open(&path).unwrap();
    let mut page = vec![0u8; page_size];
    let error = database
        .read_page_into(file_index as u32 - 1, &mut page)
        .unwrap_err();
    assert_eq!(error.code(), JET_errReadVerifyFailure);
    let shown = error.to_string();
    assert!(
        shown.starts_with("JET_errReadVerifyFailure (-1018): "),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("page {}", file_index - 1)),
        "{shown}"
    );
}

#[test]
fn a_damaged_primary_header_falls_back_to_the_shadow() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("multi.edb", scratch.path()) else {
        return;
    };
    edit(&path, |bytes| bytes[300] ^= 0xff);
    let database = DatabaseFile::open(&path).unwrap();
    assert_eq!(database.shadow_status(), ShadowStatus::PrimaryBad);
    assert_eq!(database.page_size(), 4096);
    let report = check_database(&path).unwrap();
    assert_eq!(report.bad_pages.len(), 1);
    assert_eq!(report.bad_pages[0].location, PageLocation::Header);
    assert_eq!(report.bad_pages[0].error.code(), JET_errReadVerifyFailure);
}

#[test]
fn a_damaged_shadow_header_is_reported() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("multi.edb", scratch.path()) else {
        return;
    };
    edit(&path, |bytes| bytes[4096 + 52] ^= 0x40);
    let database = DatabaseFile::open(&path).unwrap();
    assert_eq!(database.shadow_status(), ShadowStatus::ShadowBad);
    let report = check_database(&path).unwrap();
    assert_eq!(report.bad_pages.len(), 1);
    assert_eq!(report.bad_pages[0].location, PageLocation::ShadowHeader);
}

#[test]
fn both_headers_damaged_is_a_read_verify_failure() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("basic.edb", scratch.path()) else {
        return;
    };
    edit(&path, |bytes| {
        bytes[100] ^= 0xff;
        bytes[4096 + 100] ^= 0xff;
    });
    let error = DatabaseFile::open(&path).unwrap_err();
    assert_eq!(error.code(), JET_errReadVerifyFailure, "{error}");
    assert_eq!(
        check_database(&path).unwrap_err().code(),
        JET_errReadVerifyFailure
    );
}

#[test]
fn a_file_truncated_inside_a_page_is_reported() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("index.edb", scratch.path()) else {
        return;
    };
    let length = fs::metadata(&path).unwrap().len();
    let cut = length - 4096 * 10 - 1000;
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(cut)
        .unwrap();
    let report = check_database(&path).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.trailing_bytes, 4096 - 1000);
    let last = report.bad_pages.last().unwrap();
    assert_eq!(last.error.code(), JET_errFileIOBeyondEOF, "{}", last.error);
    assert_eq!(
        last.location,
        PageLocation::from_file_index(cut / 4096).unwrap()
    );
}

#[test]
fn a_file_truncated_inside_its_header_is_corrupted() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("basic.edb", scratch.path()) else {
        return;
    };
    for length in [1u64, 100, 700, 2048, 4095] {
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(length)
            .unwrap();
        let error = DatabaseFile::open(&path).unwrap_err();
        assert_eq!(
            error.code(),
            JET_errDatabaseCorrupted,
            "{length} bytes: {error}"
        );
    }
}

#[test]
fn a_file_with_only_the_primary_header_opens_and_fails_the_check() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("basic.edb", scratch.path()) else {
        return;
    };
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(4096)
        .unwrap();
    let database = DatabaseFile::open(&path).unwrap();
    assert_eq!(database.shadow_status(), ShadowStatus::ShadowBad);
    let report = check_database(&path).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.bad_pages[0].location, PageLocation::ShadowHeader);
    assert_eq!(report.bad_pages[0].error.code(), JET_errFileIOBeyondEOF);
}

#[test]
fn empty_zero_and_foreign_files_are_not_databases() {
    let scratch = scratch_dir();
    let cases: [(&str, Vec<u8>); 4] = [
        ("empty.edb", Vec::new()),
        ("zeros.edb", vec![0; 1 << 20]),
        (
            "text.txt",
            b"This is not a database, just text.\n".repeat(400),
        ),
        ("random.bin", {
            let mut rng = SeededRng::new(test_seed("empty_zero_and_foreign_files"));
            (0..70_000).map(|_| rng.next_u64() as u8).collect()
        }),
    ];
    for (name, bytes) in cases {
        let path = scratch.path().join(name);
        fs::write(&path, bytes).unwrap();
        let error = DatabaseFile::open(&path).unwrap_err();
        assert_eq!(error.code(), JET_errDatabaseCorrupted, "{name}: {error}");
        assert!(
            error.to_string().contains(name),
            "{name}: the file is named: {error}"
        );
    }
}

/// Rewrites the header copies of `path` with `change` and a fresh checksum,
/// as a tool that knew the format (but lied) would.
fn rewrite_headers(path: &Path, page_size: usize, change: impl Fn(&mut [u8])) {
    edit(path, |bytes| {
        for copy in 0..2 {
            let page = &mut bytes[copy * page_size..(copy + 1) * page_size];
            change(page);
            set_page_checksum(page, PageKind::DatabaseHeader, 0).unwrap();
        }
    });
}

#[test]
fn a_header_declaring_another_page_size_is_a_mismatch() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("default.edb", scratch.path()) else {
        return;
    };
    rewrite_headers(&path, 4096, |page| {
        page[PAGE_SIZE_OFFSET..PAGE_SIZE_OFFSET + 4].copy_from_slice(&8192u32.to_le_bytes());
    });
    let error = DatabaseFile::open(&path).unwrap_err();
    assert_eq!(error.code(), JET_errPageSizeMismatch, "{error}");
}

#[test]
fn an_engine_expecting_another_page_size_refuses_the_database() {
    let Some(path) = ese_testkit::corpus_file("basic.edb") else {
        return;
    };
    let error = DatabaseFile::open_with_page_size(&path, Some(8192)).unwrap_err();
    assert_eq!(error.code(), JET_errPageSizeMismatch, "{error}");
    assert!(DatabaseFile::open_with_page_size(&path, Some(4096)).is_ok());
}

#[test]
fn a_log_file_header_is_an_invalid_file_type() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("default.edb", scratch.path()) else {
        return;
    };
    rewrite_headers(&path, 4096, |page| {
        page[FILE_TYPE_OFFSET..FILE_TYPE_OFFSET + 4]
            .copy_from_slice(&JET_filetypeLog.to_le_bytes());
    });
    let error = DatabaseFile::open(&path).unwrap_err();
    assert_eq!(error.code(), JET_errFileInvalidType, "{error}");
}

#[test]
fn missing_files_and_directories_get_file_errors() {
    let scratch = scratch_dir();
    let missing = DatabaseFile::open(scratch.path().join("absent.edb")).unwrap_err();
    assert_eq!(missing.code(), JET_errFileNotFound);
    let directory = DatabaseFile::open(scratch.path()).unwrap_err();
    assert_eq!(directory.code(), JET_errFileInvalidType);
}

#[test]
fn a_well_checksummed_page_with_broken_tags_is_reported() {
    let scratch = scratch_dir();
    let Some(path) = copy_of("text.edb", scratch.path()) else {
        return;
    };
    let file_index = written_pages(&path, 4096)[3] as usize;
    let page_number = file_index as u32 - 1;
    edit(&path, |bytes| {
        let page = &mut bytes[file_index * 4096..(file_index + 1) * 4096];
        // Claim 4000 tags: the array cannot fit after the header.
        page[34..36].copy_from_slice(&4000u16.to_le_bytes());
        set_page_checksum(page, PageKind::DatabasePage, page_number).unwrap();
    });
    let report = check_database(&path).unwrap();
    assert_eq!(report.bad_pages.len(), 1);
    assert_eq!(
        report.bad_pages[0].location,
        PageLocation::Database(page_number)
    );
    assert_eq!(report.bad_pages[0].error.code(), JET_errPageTagCorrupted);
}
