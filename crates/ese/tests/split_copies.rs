//! Splits log their new pages as copies of the split page's lines, and a
//! page filled by such a copy may itself be split (and copied from) before
//! anything was written: a chain of copies. Recovery redoes a copy from
//! its source's bytes as they were, so each page of a chain may reach the
//! disk only after the pages that copied from it. A full leaf that gives
//! nodes to a neighbour copies them the same way, into a page that holds
//! lines of its own. These tests cut a flush off after every possible
//! number of page writes (the device gone from then on, as at a power cut)
//! and recover what the disk holds.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use ese::api::grbit::*;
use ese::api::*;
use ese::format::constants::*;
use ese::io::faulty::{faulty_wrapper, Fault, FaultPlan};
use ese_testkit::{scratch_dir, test_seed, SeededRng};

const TABLE: &str = "rows";

type Rows = BTreeMap<i32, Vec<u8>>;

fn options(dir: &Path, plan: Option<Arc<parking_lot::Mutex<FaultPlan>>>) -> InstanceOptions {
    InstanceOptions {
        database_file_hook: plan.map(|plan| DatabaseFileHook(faulty_wrapper(plan))),
        ..InstanceOptions::new(dir.join("system"))
    }
}

/// Inserts `count` rows with random keys (so that pages split anywhere,
/// again and again) and 180-byte values, in durable transactions of 20.
fn insert_random_rows(instance: &Instance, path: &Path, seed: u64, count: usize) -> Rows {
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(path, 0).unwrap();
    let ids = common::create_keyed_table(
        &session,
        dbid,
        TABLE,
        "Key",
        &[("Value", JET_coltypBinary)],
        &[],
    );
    let mut cursor = session.open_table(dbid, TABLE, 0).unwrap();
    let mut rng = SeededRng::new(seed);
    let mut rows = Rows::new();
    while rows.len() < count {
        session.begin_transaction().unwrap();
        for _ in 0..20 {
            let key = rng.below(1 << 30) as i32;
            if rows.contains_key(&key) {
                continue;
            }
            let value: Vec<u8> = (0..180).map(|_| rng.below(256) as u8).collect();
            cursor.prepare_update(JET_prepInsert).unwrap();
            cursor
                .set_column(ids[0], Some(&key.to_le_bytes()), 0, None)
                .unwrap();
            cursor.set_column(ids[1], Some(&value), 0, None).unwrap();
            cursor.update().unwrap();
            rows.insert(key, value);
        }
        session.commit_transaction(0).unwrap();
    }
    rows
}

fn read_rows(instance: &Instance, path: &Path) -> Rows {
    let session = instance.begin_session().unwrap();
    session.attach_database(path, 0).unwrap();
    let dbid = session.open_database(path, 0).unwrap();
    let key = session
        .get_column_info(dbid, TABLE, "Key")
        .unwrap()
        .column_id;
    let value = session
        .get_column_info(dbid, TABLE, "Value")
        .unwrap()
        .column_id;
    let mut cursor = session.open_table(dbid, TABLE, 0).unwrap();
    let mut rows = Rows::new();
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        let k = cursor.retrieve(key, 0).unwrap().unwrap();
        let v = cursor.retrieve(value, 0).unwrap().unwrap_or_default();
        rows.insert(i32::from_le_bytes(k[..4].try_into().unwrap()), v);
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    drop(cursor);
    session.close_database(dbid, 0).unwrap();
    rows
}

/// Loads the rows, then flushes the database with the device gone after
/// `writes_kept` page writes (`None`: no fault), and ends the instance
/// (which fails when the device is gone, leaving the database dirty as a
/// crash would). Returns the rows, the chained copies and the moves to
/// neighbours the load made, and the page writes the flush attempted.
fn load_then_flush(dir: &Path, seed: u64, writes_kept: Option<u64>) -> (Rows, u64, u64, u64) {
    let plan = FaultPlan::new(Vec::new());
    let instance = Instance::new(options(dir, Some(plan.clone()))).unwrap();
    let path = dir.join("chains.edb");
    let rows = insert_random_rows(&instance, &path, seed, 3000);
    let chained = instance.statistics().chained_page_copies;
    let moves = instance.statistics().leaf_redistributions;
    plan.lock().reset(match writes_kept {
        Some(from) => vec![Fault::Unplugged { from }],
        None => Vec::new(),
    });
    let session = instance.begin_session().unwrap();
    let dbid = session.open_database(&path, 0).unwrap();
    let flushed = session.flush_database(dbid);
    assert_eq!(flushed.is_ok(), writes_kept.is_none(), "{flushed:?}");
    let writes = plan.lock().writes();
    session.close_database(dbid, 0).unwrap();
    drop(session);
    let _ = instance.term();
    (rows, chained, moves, writes)
}

#[test]
fn a_flush_of_chained_split_copies_cut_off_anywhere_recovers_every_commit() {
    let seed = test_seed("a_flush_of_chained_split_copies_cut_off_anywhere_recovers_every_commit");
    flush_cut_off_anywhere_recovers_every_commit(seed);
}

/// A seed whose load logs a page rebuilt from nothing (edits that begin by
/// initializing it) before a unit that copies lines into it from a page
/// the flush writes later: redo once rebuilt the page although the disk
/// held it newer, and then could not redo the copy from the newer source
/// (`JET_errLogOperationInconsistentWithDatabase`, the database left
/// unrecoverable). A logged image is now kept from the same mistake.
#[test]
fn redo_keeps_a_page_newer_than_its_rebuild_from_nothing() {
    flush_cut_off_anywhere_recovers_every_commit(1_796_557_719_929_458_890);
}

fn flush_cut_off_anywhere_recovers_every_commit(seed: u64) {
    // Once whole: how many page writes the flush makes.
    let whole = scratch_dir();
    let (_, chained, moves, writes) = load_then_flush(whole.path(), seed, None);
    assert!(
        chained > 10,
        "the load made {chained} chained copies: it must exercise chains"
    );
    assert!(
        moves > 10,
        "the load moved nodes to neighbours {moves} times: it must exercise those copies"
    );
    assert!(writes > 50, "the flush wrote only {writes} pages");
    eprintln!(
        "seed {seed}: {chained} chained copies, {moves} moves to neighbours, \
         {writes} page writes in the flush"
    );
    // Then cut off after every k-th write (all of them with
    // ESE_SPLIT_COPY_CUTS=all), and once just before the last.
    let step = if std::env::var("ESE_SPLIT_COPY_CUTS").is_ok_and(|v| v == "all") {
        1
    } else {
        (writes / 12).max(1)
    };
    let cuts: Vec<u64> = (0..writes)
        .step_by(step as usize)
        .chain([writes - 1])
        .collect();
    for kept in cuts {
        let dir = scratch_dir();
        let (expected, _, _, _) = load_then_flush(dir.path(), seed, Some(kept));
        let path = dir.path().join("chains.edb");
        let state = ese::database_file::DatabaseFile::open(&path)
            .unwrap()
            .header()
            .state;
        assert_eq!(state, JET_dbstateDirtyShutdown, "cut after {kept} writes");
        let instance = Instance::new(options(dir.path(), None)).unwrap();
        let rows = read_rows(&instance, &path);
        instance.term().unwrap();
        assert_eq!(
            rows.len(),
            expected.len(),
            "rows after a cut after {kept} of {writes} writes"
        );
        assert!(
            rows == expected,
            "row values after a cut after {kept} writes"
        );
        common::assert_clean_shutdown_and_structure(&path);
    }
}
