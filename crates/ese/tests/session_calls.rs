//! One call at a time per session (ESE's JET_errSessionSharingViolation
//! when two threads use a session at once), and JetTerm waiting for the
//! calls already running before it rolls back what sessions left open.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::scratch_dir;

/// A database with a table `rows` (Id, a long integer key, and Data, a
/// long binary value), and the two column ids.
fn create_rows_table(session: &Session, path: &Path) -> (DbId, u32, u32) {
    let dbid = session.create_database(path, 0).unwrap();
    let columns = common::create_keyed_table(
        session,
        dbid,
        "rows",
        "Id",
        &[("Data", JET_coltypLongBinary)],
        &[],
    );
    (dbid, columns[0], columns[1])
}

fn insert(cursor: &mut Cursor, columns: (u32, u32), id: i32, data: &[u8]) -> ese::Result<()> {
    cursor.prepare_update(JET_prepInsert)?;
    cursor.set_column(columns.0, Some(&id.to_le_bytes()), 0, None)?;
    cursor.set_column(columns.1, Some(data), 0, None)?;
    cursor.update().map(|_| ())
}

/// The ids in the table, in order, and whether each row's data has the
/// length `len`, read by a new instance (which recovers first).
fn rows_after_restart(system: &Path, path: &Path, len: usize) -> Vec<i32> {
    let instance = Instance::init(system).unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(path, 0).unwrap();
    let dbid = session.open_database(path, 0).unwrap();
    let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
    let id_column = cursor.get_table_column_info("Id").unwrap().column_id;
    let data_column = cursor.get_table_column_info("Data").unwrap().column_id;
    let mut ids = Vec::new();
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        let bytes = cursor.retrieve(id_column, 0).unwrap().unwrap();
        let id = i32::from_le_bytes(bytes[..4].try_into().unwrap());
        let data = cursor.retrieve(data_column, 0).unwrap().unwrap();
        assert_eq!(data.len(), len, "row {id} has damaged data");
        ids.push(id);
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    ids
}

fn paths() -> (ese_testkit::TempDir, PathBuf, PathBuf) {
    let dir = scratch_dir();
    let system = dir.path().join("system");
    let path = dir.path().join("calls.edb");
    (dir, system, path)
}

#[test]
fn a_call_while_another_threads_call_runs_on_the_session_is_a_sharing_violation() {
    let (_dir, system, path) = paths();
    let instance = Instance::init(&system).unwrap();
    let session = instance.begin_session().unwrap();
    let (dbid, id, data) = create_rows_table(&session, &path);
    session.begin_transaction().unwrap();
    let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
    insert(&mut cursor, (id, data), 1, b"first").unwrap();
    // A long value of 16 MiB makes JetUpdate a call of some length.
    let big = vec![0x5a_u8; 16 << 20];
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(id, Some(&2_i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.set_column(data, Some(&big), 0, None).unwrap();
    let update_done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (session, update_done) = (session.clone(), update_done.clone());
        std::thread::spawn(move || {
            // (calls made, calls that found the session busy)
            let (mut calls, mut busy) = (0_u64, 0_u64);
            while !update_done.load(Ordering::Acquire) {
                // JetCloseDatabase on a handle never opened: between the
                // other thread's calls it is JET_errInvalidDatabaseId;
                // during one, the session is busy.
                let closed = session.close_database(DbId(999), 0).unwrap_err().code();
                assert!(
                    closed == JET_errSessionSharingViolation || closed == JET_errInvalidDatabaseId,
                    "JetCloseDatabase gave {closed}"
                );
                // JetRollback: the transaction is the other thread's, so
                // it is refused either way, and nothing is rolled back.
                let rolled = session.rollback(0).unwrap_err().code();
                assert_eq!(rolled, JET_errSessionSharingViolation);
                calls += 1;
                busy += u64::from(closed == JET_errSessionSharingViolation);
            }
            (calls, busy)
        })
    };
    // The watcher's call may hold the session at the moment JetUpdate
    // enters it; then JetUpdate is refused in turn and changes nothing.
    let mut refused = 0;
    loop {
        match cursor.update() {
            Err(e) if e.code() == JET_errSessionSharingViolation => refused += 1,
            other => {
                other.unwrap();
                break;
            }
        }
    }
    update_done.store(true, Ordering::Release);
    let (calls, busy) = watcher.join().unwrap();
    println!(
        "{busy} of {calls} calls found the session busy; JetUpdate was refused {refused} times"
    );
    assert!(busy > 0, "no call met the running JetUpdate");
    drop(cursor);
    session.commit_transaction(0).unwrap();
    drop(session);
    instance.term().unwrap();
    // Nothing was rolled back: both rows are there, whole.
    let instance = Instance::init(&system).unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(&path, 0).unwrap();
    let dbid = session.open_database(&path, 0).unwrap();
    let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
    cursor.move_(JET_MoveFirst, 0).unwrap();
    assert_eq!(cursor.retrieve(data, 0).unwrap().unwrap(), b"first");
    cursor.move_(JET_MoveNext, 0).unwrap();
    assert!(cursor.retrieve(data, 0).unwrap().unwrap() == big);
    assert!(cursor.move_(JET_MoveNext, 0).is_err());
}

/// Writers insert rows of 64 KiB (several long-value chunks each) in
/// transactions of three, committing every other one, until JetTerm stops
/// them. JetTerm must wait for the inserts in flight: before it did, it
/// could roll back a transaction whose update was running, the update
/// then finished outside any transaction and its row was written into a
/// clean database. After a restart exactly the committed rows are there.
#[test]
fn term_waits_for_calls_in_flight_and_keeps_only_committed_rows() {
    for round in 0..3 {
        let (_dir, system, path) = paths();
        let instance = Instance::init(&system).unwrap();
        let session = instance.begin_session().unwrap();
        let (dbid, id, data) = create_rows_table(&session, &path);
        session.close_database(dbid, 0).unwrap();
        let committed = Arc::new(Mutex::new(Vec::<i32>::new()));
        let writers: Vec<_> = (0..3)
            .map(|writer| {
                let session = instance.begin_session().unwrap();
                let (committed, path) = (committed.clone(), path.clone());
                std::thread::spawn(move || {
                    let value = vec![writer as u8; 64 << 10];
                    let dbid = session.open_database(&path, 0).unwrap();
                    let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
                    for batch in 0.. {
                        let ids: Vec<i32> =
                            (0..3).map(|i| writer * 1_000_000 + batch * 3 + i).collect();
                        let mut run = || -> ese::Result<()> {
                            session.begin_transaction()?;
                            for &row in &ids {
                                insert(&mut cursor, (id, data), row, &value)?;
                            }
                            if batch % 2 == 0 {
                                session.commit_transaction(0)?;
                                committed.lock().unwrap().extend(&ids);
                            } else {
                                session.rollback(0)?;
                            }
                            Ok(())
                        };
                        if let Err(e) = run() {
                            assert_eq!(e.code(), JET_errTermInProgress, "{e}");
                            return batch;
                        }
                    }
                    unreachable!()
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(60));
        instance.term().unwrap();
        let batches: Vec<i32> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        drop(session);
        let mut expected = std::mem::take(&mut *committed.lock().unwrap());
        expected.sort_unstable();
        println!(
            "round {round}: batches {batches:?}, {} rows committed",
            expected.len()
        );
        assert_eq!(rows_after_restart(&system, &path, 64 << 10), expected);
    }
}
