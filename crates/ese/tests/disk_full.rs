//! A database whose disk fills up under committed transactions (the
//! fault-injecting io layer's `DiskFull`, counted on the database file the
//! cache writes and grows): the first update or commit that needs the space
//! fails with the documented error, never a panic, later updates are
//! refused the same way, and after a restart on a disk with room every
//! commit that returned is there, whole, and nothing else but possibly the
//! transaction whose commit failed.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese::io::faulty::{faulty_wrapper, Fault, FaultPlan};
use ese_testkit::scratch_dir;

const ROWS_PER_COMMIT: i32 = 10;

fn table(session: &Session, dbid: DbId) -> (u32, u32) {
    let columns = common::create_keyed_table(
        session,
        dbid,
        "rows",
        "Id",
        &[("Data", JET_coltypLongBinary)],
        &[],
    );
    (columns[0], columns[1])
}

fn data(id: i32) -> Vec<u8> {
    vec![(id % 253) as u8; 1500 + (id % 5) as usize * 300]
}

/// One transaction of rows `batch * 10 ..`.
fn commit_batch(session: &Session, dbid: DbId, columns: (u32, u32), batch: i32) -> ese::Result<()> {
    let mut cursor = session.open_table(dbid, "rows", 0)?;
    session.begin_transaction()?;
    let inserted = (0..ROWS_PER_COMMIT).try_for_each(|i| {
        let id = batch * ROWS_PER_COMMIT + i;
        cursor.prepare_update(JET_prepInsert)?;
        cursor.set_column(columns.0, Some(&id.to_le_bytes()), 0, None)?;
        cursor.set_column(columns.1, Some(&data(id)), 0, None)?;
        cursor.update().map(|_| ())
    });
    match inserted {
        Ok(()) => session.commit_transaction(0),
        Err(e) => {
            let _ = session.rollback(JET_bitRollbackAll);
            Err(e)
        }
    }
}

fn ids(instance: &Instance, path: &Path) -> BTreeSet<i32> {
    let session = instance.begin_session().unwrap();
    session.attach_database(path, 0).unwrap();
    let dbid = session.open_database(path, 0).unwrap();
    let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
    let id_column = cursor.get_table_column_info("Id").unwrap().column_id;
    let data_column = cursor.get_table_column_info("Data").unwrap().column_id;
    let mut found = BTreeSet::new();
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        let bytes = cursor.retrieve(id_column, 0).unwrap().unwrap();
        let id = i32::from_le_bytes(bytes[..4].try_into().unwrap());
        assert_eq!(cursor.retrieve(data_column, 0).unwrap().unwrap(), data(id));
        found.insert(id);
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    found
}

#[test]
fn a_full_disk_refuses_updates_with_its_error_and_every_commit_survives() {
    let dir = scratch_dir();
    let system = dir.path().join("system");
    let path = dir.path().join("full.edb");
    // Room for 3 MiB of database file; a small cache, so that pages are
    // written (and the file grown) while the transactions run.
    let options = InstanceOptions {
        database_file_hook: Some(DatabaseFileHook(faulty_wrapper(FaultPlan::new(vec![
            Fault::DiskFull { capacity: 3 << 20 },
        ])))),
        cache_max_pages: 96,
        ..InstanceOptions::new(&system)
    };
    let instance = Instance::new(options).unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    let columns = table(&session, dbid);
    let mut committed = Vec::new();
    let mut failure = None;
    for batch in 0..2_000 {
        match commit_batch(&session, dbid, columns, batch) {
            Ok(()) => committed.push(batch),
            Err(e) => {
                failure = Some((batch, e));
                break;
            }
        }
    }
    let (failed_batch, error) = failure.expect("3 MiB of disk never filled");
    println!(
        "{} transactions committed, then batch {failed_batch}: {error}",
        committed.len()
    );
    assert!(
        [JET_errDiskFull, JET_errLogWriteFail].contains(&error.code()),
        "{error}"
    );
    assert!(committed.len() > 10, "the disk filled at once");
    // Later updates are refused too, with a JET error.
    let again = commit_batch(&session, dbid, columns, failed_batch + 1).unwrap_err();
    assert!(
        [JET_errDiskFull, JET_errLogWriteFail].contains(&again.code()),
        "{again}"
    );
    drop(session);
    // The files cannot all be written: the shutdown may fail.
    let _ = instance.term();
    // A restart with room recovers every commit that returned.
    let instance = Instance::init(&system).unwrap();
    let found = ids(&instance, &path);
    instance.term().unwrap();
    let expected: BTreeSet<i32> = committed
        .iter()
        .flat_map(|&b| b * ROWS_PER_COMMIT..(b + 1) * ROWS_PER_COMMIT)
        .collect();
    let failed: BTreeSet<i32> =
        (failed_batch * ROWS_PER_COMMIT..(failed_batch + 1) * ROWS_PER_COMMIT).collect();
    let extra: BTreeSet<i32> = found.difference(&expected).copied().collect();
    assert!(
        expected.is_subset(&found),
        "a commit that returned was lost"
    );
    assert!(
        extra.is_empty() || extra == failed,
        "rows beyond the commits: {extra:?}"
    );
    common::assert_clean_shutdown_and_structure(&path);
}
