//! The log as the API exposes it: JET_bitForceNewLog, circular logging,
//! the checkpoint moving with the background flush, the file names.

mod common;

use std::time::{Duration, Instant};

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese_testkit::scratch_dir;

fn table(session: &Session, path: &std::path::Path) -> (DbId, Cursor, u32) {
    let dbid = session.create_database(path, 0).unwrap();
    let columns = common::create_keyed_table(session, dbid, "t", "K", &[], &[]);
    let cursor = session.open_table(dbid, "t", 0).unwrap();
    (dbid, cursor, columns[0])
}

fn insert(session: &Session, cursor: &mut Cursor, column: u32, key: i32) {
    session.begin_transaction().unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(column, Some(&key.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    session.commit_transaction(0).unwrap();
}

fn current_generation(options: &InstanceOptions) -> u32 {
    let names = options.log_names().unwrap();
    ese::log::read_log_file(&names.current(), None, None, true)
        .unwrap()
        .header
        .generation
}

/// Small log files (64 KiB), circular logging, a shallow checkpoint.
fn small_circular_log(dir: &std::path::Path) -> InstanceOptions {
    let mut options = InstanceOptions::new(dir.join("system"));
    options.log.log_file_size_kib = 64;
    options.log.circular_log = true;
    options.log.checkpoint_depth_max = 256 * 1024;
    options
}

/// Waits (up to 20 s) for the checkpoint thread to leave at most 8 full
/// generations.
fn wait_for_generations_deleted(options: &InstanceOptions, what: &str) {
    let names = options.log_names().unwrap();
    let started = Instant::now();
    loop {
        let kept = names.archived().unwrap().len();
        if kept <= 8 {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{kept} {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn force_new_log_starts_a_generation_inside_and_outside_a_transaction() {
    let dir = scratch_dir();
    let options = InstanceOptions::new(dir.path().join("system"));
    let instance = Instance::new(options.clone()).unwrap();
    let session = instance.begin_session().unwrap();
    let (_, mut cursor, column) = table(&session, &dir.path().join("a.edb"));
    let first = current_generation(&options);
    session.commit_transaction(JET_bitForceNewLog).unwrap();
    assert_eq!(current_generation(&options), first + 1);
    session.begin_transaction().unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(column, Some(&7i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    session.commit_transaction(JET_bitForceNewLog).unwrap();
    assert_eq!(current_generation(&options), first + 2);
    let names = options.log_names().unwrap();
    assert!(names.generation(first).exists() && names.generation(first + 1).exists());
    assert_eq!(
        session
            .commit_transaction(JET_bitForceNewLog | JET_bitCommitLazyFlush)
            .unwrap_err()
            .code(),
        JET_errInvalidGrbit
    );
    // The commit made with it is in the log: a crash-free restart keeps it,
    // and lazy commits with a short durability window work.
    session.begin_transaction().unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(column, Some(&8i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    session
        .commit_transaction2(JET_bitCommitLazyFlush, 10)
        .unwrap();
}

#[test]
fn circular_logging_deletes_generations_behind_the_checkpoint() {
    let dir = scratch_dir();
    let options = small_circular_log(dir.path());
    let instance = Instance::new(options.clone()).unwrap();
    let session = instance.begin_session().unwrap();
    let (_, mut cursor, column) = table(&session, &dir.path().join("c.edb"));
    for key in 0..3000 {
        insert(&session, &mut cursor, column, key);
    }
    let generations = current_generation(&options);
    assert!(
        generations > 10,
        "3,000 commits in 64 KiB files: {generations}"
    );
    // The checkpoint thread writes the pages that hold the checkpoint
    // back, moves it, and deletes what lies wholly behind it.
    wait_for_generations_deleted(&options, "generations still kept");
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    // Without circular logging every generation stays (for backups).
    let dir = scratch_dir();
    let mut options = InstanceOptions::new(dir.path().join("system"));
    options.log.log_file_size_kib = 64;
    let instance = Instance::new(options.clone()).unwrap();
    let session = instance.begin_session().unwrap();
    let (_, mut cursor, column) = table(&session, &dir.path().join("c.edb"));
    for key in 0..1000 {
        insert(&session, &mut cursor, column, key);
    }
    let generations = current_generation(&options);
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    let names = options.log_names().unwrap();
    assert_eq!(
        names.archived().unwrap(),
        (1..generations).collect::<Vec<_>>()
    );
}

#[test]
fn an_explicit_checkpoint_writes_the_pages_and_drops_every_generation_behind_it() {
    let dir = scratch_dir();
    let mut options = small_circular_log(dir.path());
    // Deep enough that the checkpoint thread leaves the pages alone.
    options.log.checkpoint_depth_max = 64 * 1024 * 1024;
    let instance = Instance::new(options.clone()).unwrap();
    let session = instance.begin_session().unwrap();
    let (_, mut cursor, column) = table(&session, &dir.path().join("k.edb"));
    for key in 0..1500 {
        insert(&session, &mut cursor, column, key);
    }
    let names = options.log_names().unwrap();
    let current = current_generation(&options);
    assert!(
        names.archived().unwrap().len() > 4,
        "the pages hold the generations"
    );
    instance.checkpoint().unwrap();
    // Every change is in the database file now: the checkpoint is in the
    // current generation and nothing before it is kept.
    assert_eq!(names.archived().unwrap(), Vec::<u32>::new());
    assert_eq!(current_generation(&options), current);
    // What was committed is all there after a restart.
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    let instance = Instance::new(options).unwrap();
    let session = instance.begin_session().unwrap();
    let path = dir.path().join("k.edb");
    session.attach_database(&path, 0).unwrap();
    let dbid = session.open_database(&path, 0).unwrap();
    let mut cursor = session.open_table(dbid, "t", 0).unwrap();
    assert_eq!(cursor.index_record_count(u32::MAX).unwrap(), 1500);
}

#[test]
fn generations_a_checkpoint_pass_left_behind_go_at_the_next_pass() {
    let dir = scratch_dir();
    let mut options = small_circular_log(dir.path());
    options.log.checkpoint_depth_max = 64 * 1024 * 1024;
    let instance = Instance::new(options.clone()).unwrap();
    let session = instance.begin_session().unwrap();
    let (_, mut cursor, column) = table(&session, &dir.path().join("r.edb"));
    for key in 0..1500 {
        insert(&session, &mut cursor, column, key);
    }
    instance.checkpoint().unwrap();
    let names = options.log_names().unwrap();
    assert_eq!(names.archived().unwrap(), Vec::<u32>::new());
    // Generations behind the checkpoint that a pass did not delete (two
    // passes at once, the thread's and an explicit one, each stopped where
    // the other had been): the checkpoint has not moved since, and the
    // next pass deletes them all the same.
    let current = current_generation(&options);
    for behind in [current - 3, current - 1] {
        std::fs::write(names.generation(behind), b"left behind").unwrap();
    }
    instance.checkpoint().unwrap();
    assert_eq!(names.archived().unwrap(), Vec::<u32>::new());
}

#[test]
fn modern_file_names_and_a_separate_log_directory() {
    let dir = scratch_dir();
    let mut options = InstanceOptions::new(dir.path().join("system"));
    options.log.legacy_file_names = false;
    options.log.base_name = "abc".into();
    options.log.log_path = Some(dir.path().join("logs"));
    let instance = Instance::new(options.clone()).unwrap();
    let session = instance.begin_session().unwrap();
    let (_, mut cursor, column) = table(&session, &dir.path().join("n.edb"));
    insert(&session, &mut cursor, column, 1);
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    assert!(dir.path().join("logs/abc.jtx").exists());
    assert!(dir.path().join("logs/abcRES00001.jrs").exists());
    assert!(dir.path().join("system/abc.jcp").exists());
    assert!(!dir.path().join("system/edb.log").exists());
    // The same options find and reopen them.
    let instance = Instance::new(options.clone()).unwrap();
    assert_eq!(instance.recovery_report().unwrap().units_redone, 0);
    instance.term().unwrap();
    let mut bad = options;
    bad.log.base_name = "toolong".into();
    assert_eq!(
        Instance::new(bad).unwrap_err().code(),
        JET_errInvalidParameter
    );
    let mut bad = InstanceOptions::new(dir.path().join("system2"));
    bad.log.log_file_size_kib = 16;
    assert_eq!(
        Instance::new(bad).unwrap_err().code(),
        JET_errInvalidParameter
    );
}

#[test]
fn a_transaction_ended_with_its_session_does_not_hold_the_checkpoint() {
    let dir = scratch_dir();
    let options = small_circular_log(dir.path());
    let instance = Instance::new(options.clone()).unwrap();
    let path = dir.path().join("s.edb");
    {
        let session = instance.begin_session().unwrap();
        let (dbid, mut cursor, column) = table(&session, &path);
        session.begin_transaction().unwrap();
        cursor.prepare_update(JET_prepInsert).unwrap();
        cursor
            .set_column(column, Some(&(-1i32).to_le_bytes()), 0, None)
            .unwrap();
        cursor.update().unwrap();
        drop(cursor);
        session.close_database(dbid, 0).unwrap();
        // JetEndSession with the transaction open rolls it back.
    }
    let session = instance.begin_session().unwrap();
    let dbid = session.open_database(&path, 0).unwrap();
    let mut cursor = session.open_table(dbid, "t", 0).unwrap();
    let column = cursor.get_table_column_info("K").unwrap().column_id;
    for key in 0..3000 {
        insert(&session, &mut cursor, column, key);
    }
    wait_for_generations_deleted(&options, "generations held by the ended transaction");
}

/// A log written in another format version (this engine's version 1 logged
/// page bytes where version 2 logs line edits) is refused with
/// JET_errBadLogVersion when the instance starts on it, whether or not it
/// needs replay; it is never replayed as the current format. Version 3 is
/// version 4 without its one new page edit: it is replayed.
#[test]
fn a_log_of_another_format_version_is_bad_log_version() {
    for (version, refused) in [(1u32, true), (2, true), (3, false), (5, true)] {
        for needs_replay in [false, true] {
            let dir = scratch_dir();
            let options = InstanceOptions::new(dir.path().join("system"));
            let path = dir.path().join("a.edb");
            {
                let instance = Instance::new(options.clone()).unwrap();
                let session = instance.begin_session().unwrap();
                let (_, mut cursor, column) = table(&session, &path);
                for key in 0..50 {
                    insert(&session, &mut cursor, column, key);
                }
                drop(cursor);
                // The files as a crash would leave them now: the commits
                // in the log, the database dirty.
                let snapshot = dir.path().join("snapshot");
                copy_dir(dir.path(), &snapshot);
                session.end().unwrap();
                instance.term().unwrap();
                if needs_replay {
                    copy_dir(&snapshot, dir.path());
                }
            }
            let names = options.log_names().unwrap();
            let log = names.current();
            let mut bytes = std::fs::read(&log).unwrap();
            // The version in the header (bytes 12..16), its checksum made
            // whole again (CRC-32 of bytes 4..512 in bytes 0..4), so that
            // only the version differs.
            bytes[12..16].copy_from_slice(&version.to_le_bytes());
            let sum = crc32(&bytes[4..512]);
            bytes[0..4].copy_from_slice(&sum.to_le_bytes());
            std::fs::write(&log, &bytes).unwrap();
            match Instance::new(options.clone()) {
                Err(error) => {
                    assert!(refused, "version {version}: {error}");
                    assert_eq!(error.code(), JET_errBadLogVersion, "{error}");
                    assert!(
                        error.to_string().contains(&format!("version {version}")),
                        "{error}"
                    );
                }
                Ok(instance) => {
                    assert!(
                        !refused,
                        "an instance started on a log of format version {version}"
                    );
                    let session = instance.begin_session().unwrap();
                    session.attach_database(&path, 0).unwrap();
                    let dbid = session.open_database(&path, 0).unwrap();
                    let mut cursor = session.open_table(dbid, "t", 0).unwrap();
                    assert_eq!(
                        cursor.index_record_count(0).unwrap(),
                        50,
                        "version {version}, replayed: {needs_replay}"
                    );
                }
            }
        }
    }
}

/// Copies the files of `from` and of its `system` folder into `to` (the
/// same layout), replacing what is there.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for sub in ["", "system"] {
        std::fs::create_dir_all(to.join(sub)).unwrap();
        for entry in std::fs::read_dir(from.join(sub)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), to.join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
}

/// CRC-32 (IEEE), bit by bit: the log's checksum, computed independently of
/// the engine's own code.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
