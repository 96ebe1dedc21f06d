//! The integrity check and the read-only opener on the Windows-written
//! corpus: every page valid, page counts and header values as documented.

use ese::codes::*;
use ese::database_file::{DatabaseFile, PageReadOutcome};
use ese::format::constants::JET_dbstateCleanShutdown;
use ese::format::header_election::ShadowStatus;
use ese::integrity::check_database;

#[test]
fn every_corpus_database_checks_clean() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for (name, page_size) in ese_testkit::CORPUS_DATABASES {
        let path = dir.join(name);
        let report = check_database(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.is_clean(), "{name}: {:?}", report.bad_pages);
        assert!(report.correctable_pages.is_empty(), "{name}");
        assert_eq!(report.page_size, page_size, "{name}");
        let file_len = std::fs::metadata(&path).unwrap().len();
        assert_eq!(report.file_pages, file_len / page_size as u64, "{name}");
        // Every page is accounted for: valid or never written.
        assert_eq!(
            report.valid_pages + report.uninitialized_pages,
            report.file_pages,
            "{name}"
        );
    }
}

#[test]
fn large_edb_has_768_pages_of_32_kib() {
    // The acceptance figure: 768 pages, the two header pages included.
    let Some(path) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let report = check_database(&path).unwrap();
    assert_eq!(report.page_size, 32768);
    assert_eq!(report.file_pages, 768);
    assert!(report.is_clean());
}

#[test]
fn opener_reads_header_values_and_verified_pages() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for (name, page_size) in ese_testkit::CORPUS_DATABASES {
        let database = DatabaseFile::open(dir.join(name)).unwrap();
        assert_eq!(database.page_size(), page_size);
        assert_eq!(database.shadow_status(), ShadowStatus::BothGood);
        let header = database.header();
        assert_eq!((header.format_version, header.format_revision), (0x620, 20));
        assert_eq!(header.state, JET_dbstateCleanShutdown);
        // Page 1 is the root of the database's own space tree in every ESE
        // database (ESE: pgnoSystemRoot), owned by object 1.
        let mut page = vec![0u8; page_size];
        assert_eq!(
            database.read_page_into(1, &mut page).unwrap(),
            PageReadOutcome::Valid
        );
        let parsed = ese::format::page::Page::parse(&page, 1).unwrap();
        assert_eq!(parsed.header().object_id, 1, "{name}");
        assert!(parsed.header().flags.is_root(), "{name}");
        // Beyond the file's end, and page 0, which does not exist.
        let beyond = database.database_page_count() + 1;
        assert_eq!(
            database
                .read_page_into(beyond, &mut page)
                .unwrap_err()
                .code(),
            JET_errFileIOBeyondEOF
        );
        assert_eq!(
            database.read_page_into(0, &mut page).unwrap_err().code(),
            JET_errFileIOBeyondEOF
        );
    }
}

#[test]
fn never_written_pages_read_as_not_initialized() {
    let Some(path) = ese_testkit::corpus_file("basic.edb") else {
        return;
    };
    let database = DatabaseFile::open(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let page_size = database.page_size();
    // The last page of the corpus files is never written (all zero).
    let last = database.database_page_count();
    let offset = (last as usize + 1) * page_size;
    assert!(bytes[offset..offset + page_size].iter().all(|&b| b == 0));
    let mut page = vec![0u8; page_size];
    let error = database.read_page_into(last, &mut page).unwrap_err();
    assert_eq!(error.code(), JET_errPageNotInitialized);
}
