//! Attaching and detaching: the header's clean/dirty state on disk, the
//! refusal of a dirty database, and of a second attach from another
//! process (a real one: this test binary run again).

mod common;

use std::sync::Arc;

use ese::attach::AttachedDatabase;
use ese::cache::BufferCache;
use ese::codes::*;
use ese::create::create_database;
use ese::database_file::DatabaseFile;
use ese::format::constants::*;
use ese::structure_check::check_structure;

fn new_database(page_size: usize) -> (ese_testkit::TempDir, std::path::PathBuf) {
    let dir = ese_testkit::scratch_dir();
    let path = dir.path().join("attach.edb");
    create_database(&path, page_size).unwrap();
    (dir, path)
}

fn state_on_disk(path: &std::path::Path) -> u32 {
    DatabaseFile::open(path).unwrap().header().state
}

#[test]
fn attach_marks_the_header_dirty_and_detach_marks_it_clean() {
    let (_dir, path) = new_database(8192);
    let cache = BufferCache::new(2, 64).unwrap();
    let attached = AttachedDatabase::attach(cache.clone(), &path, false).unwrap();
    assert_eq!(state_on_disk(&path), JET_dbstateDirtyShutdown);
    // The read path works through the attached database's cache.
    let pages = attached.pages().unwrap();
    let report = check_structure(&pages, attached.header()).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    attached.detach().unwrap();
    assert_eq!(state_on_disk(&path), JET_dbstateCleanShutdown);
    let reopened = DatabaseFile::open(&path).unwrap();
    assert!(reopened.warnings().is_empty());
    let report = check_structure(&reopened, reopened.header()).unwrap();
    assert!(report.findings.is_empty());
}

#[test]
fn a_database_left_dirty_is_refused_until_recovered() {
    let (_dir, path) = new_database(4096);
    // A crash: another process attaches and ends without detaching.
    let output = common::child_test("attach_probe_child", true)
        .env("ESE_ATTACH_PROBE", &path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("PROBE attached"));
    assert_eq!(state_on_disk(&path), JET_dbstateDirtyShutdown);
    let cache = BufferCache::new(2, 16).unwrap();
    let error = AttachedDatabase::attach(cache, &path, false).unwrap_err();
    assert_eq!(error.code(), JET_errDatabaseDirtyShutdown, "{error}");
    // It can still be read without an instance, with a warning.
    let opened = DatabaseFile::open(&path).unwrap();
    assert_eq!(opened.warnings()[0].code, JET_errDatabaseDirtyShutdown);
}

#[test]
fn a_read_only_attach_leaves_the_file_untouched() {
    let (_dir, path) = new_database(16384);
    let before = std::fs::read(&path).unwrap();
    let cache = BufferCache::new(2, 16).unwrap();
    let attached = AttachedDatabase::attach(cache, &path, true).unwrap();
    assert!(attached.is_read_only());
    attached.detach().unwrap();
    assert!(std::fs::read(&path).unwrap() == before);
}

/// Run by the test below in a second process: attach the database named by
/// ESE_ATTACH_PROBE and print the outcome.
#[test]
#[ignore = "a helper run by a_second_process_gets_database_in_use"]
fn attach_probe_child() {
    let Ok(path) = std::env::var("ESE_ATTACH_PROBE") else {
        return;
    };
    let cache = BufferCache::new(2, 16).unwrap();
    match AttachedDatabase::attach(cache, &path, false) {
        Ok(_) => println!("PROBE attached"),
        Err(error) => println!("PROBE error {}", error.code()),
    }
}

#[test]
fn a_second_process_gets_database_in_use() {
    let (_dir, path) = new_database(8192);
    let cache: Arc<BufferCache> = BufferCache::new(2, 16).unwrap();
    let attached = AttachedDatabase::attach(cache.clone(), &path, false).unwrap();
    // In this process, a second attach is refused too.
    let again =
        AttachedDatabase::attach(BufferCache::new(2, 16).unwrap(), &path, false).unwrap_err();
    assert_eq!(again.code(), JET_errDatabaseInUse);
    let output = common::child_test("attach_probe_child", true)
        .env("ESE_ATTACH_PROBE", &path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(&format!("PROBE error {JET_errDatabaseInUse}")),
        "the other process said: {text}"
    );
    attached.detach().unwrap();
    // Once detached, the other process may attach.
    let output = common::child_test("attach_probe_child", true)
        .env("ESE_ATTACH_PROBE", &path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("PROBE attached"));
}
