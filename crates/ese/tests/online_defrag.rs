//! Online defragmentation (JetDefragment): it compacts a table after many
//! deletes (the file's pages in use before and after, counted by the
//! structure checker), keeps every record, runs while other sessions
//! update the table, and stops within a bounded time when JetStopService
//! is called.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::scratch_dir;

/// Bytes of the text column: records of about 300 bytes, some 25 a page.
const NOTE_LEN: usize = 280;

#[derive(Clone, Copy)]
struct Columns {
    id: u32,
    note: u32,
}

fn create_table(session: &Session, dbid: DbId) -> Columns {
    common::create_keyed_table(
        session,
        dbid,
        "items",
        "Id",
        &[("Note", JET_coltypLongText)],
        &["Note"],
    );
    columns(session, dbid)
}

fn columns(session: &Session, dbid: DbId) -> Columns {
    let mut cursor = session.open_table(dbid, "items", 0).unwrap();
    let id = cursor.get_table_column_info("Id").unwrap().column_id;
    let note = cursor.get_table_column_info("Note").unwrap().column_id;
    Columns { id, note }
}

fn note(id: i32, version: u32) -> Vec<u8> {
    let mut text = format!("{id:08}-{version:04}-").into_bytes();
    text.resize(NOTE_LEN, b'a' + (id % 26) as u8);
    text
}

fn insert(cursor: &mut Cursor, c: Columns, id: i32, version: u32) -> ese::Result<()> {
    cursor.prepare_update(JET_prepInsert)?;
    cursor.set_column(c.id, Some(&id.to_le_bytes()), 0, None)?;
    cursor.set_column(c.note, Some(&note(id, version)), 0, None)?;
    cursor.update().map(|_| ())
}

fn seek(cursor: &mut Cursor, id: i32) -> bool {
    cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).is_ok()
}

/// Every record in primary key order: (id, note).
fn records(session: &Session, dbid: DbId, c: Columns) -> Vec<(i32, Vec<u8>)> {
    let mut cursor = session.open_table(dbid, "items", 0).unwrap();
    let mut rows = Vec::new();
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        let id = cursor.retrieve(c.id, 0).unwrap().unwrap();
        let id = i32::from_le_bytes(id[..4].try_into().unwrap());
        rows.push((id, cursor.retrieve(c.note, 0).unwrap().unwrap()));
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    rows
}

/// Compares two record lists, naming the first difference.
fn same_records(found: &[(i32, Vec<u8>)], expected: &[(i32, Vec<u8>)]) {
    if let Some(i) = (0..found.len().min(expected.len())).find(|&i| found[i] != expected[i]) {
        panic!(
            "record {i}: found id {} ({:?}), expected id {} ({:?})",
            found[i].0,
            String::from_utf8_lossy(&found[i].1[..16]),
            expected[i].0,
            String::from_utf8_lossy(&expected[i].1[..16]),
        );
    }
    assert_eq!(found.len(), expected.len(), "record count");
}

/// Records through the secondary index, which must hold the same set.
fn count_by_note(session: &Session, dbid: DbId) -> usize {
    let mut cursor = session.open_table(dbid, "items", 0).unwrap();
    cursor.set_current_index(Some("ByNote"), 0).unwrap();
    let mut count = 0;
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        count += 1;
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    count
}

/// Pages of the file in use by some tree, after checking every page and
/// tree.
fn pages_in_use(path: &Path) -> (u64, u64) {
    let report = common::assert_structure_clean(path);
    assert!(report.space.accounted);
    assert_eq!(report.space.leaked, 0, "{:?}", report.space);
    (report.space.in_use, report.space.available)
}

struct Setup {
    _dir: ese_testkit::TempDir,
    system: PathBuf,
    path: PathBuf,
}

/// A database with `rows` records of which two in three were then
/// deleted: most leaves are left a third full, too full for a delete's
/// own merge (under a quarter) and ready for defragmentation.
fn thinned_database(rows: i32) -> Setup {
    thinned_database_deleting(rows, |id| id % 3 != 0)
}

/// A database with `rows` records of which those `delete` picks were then
/// deleted.
fn thinned_database_deleting(rows: i32, delete: fn(i32) -> bool) -> Setup {
    let dir = scratch_dir();
    let system = dir.path().join("system");
    let path = dir.path().join("defrag.edb");
    let instance = Instance::init(&system).unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    let c = create_table(&session, dbid);
    let mut cursor = session.open_table(dbid, "items", 0).unwrap();
    for batch in (0..rows).collect::<Vec<_>>().chunks(500) {
        session.begin_transaction().unwrap();
        for &id in batch {
            insert(&mut cursor, c, id, 0).unwrap();
        }
        session.commit_transaction(0).unwrap();
    }
    for batch in (0..rows).collect::<Vec<_>>().chunks(500) {
        session.begin_transaction().unwrap();
        for &id in batch.iter().filter(|&&id| delete(id)) {
            assert!(seek(&mut cursor, id));
            cursor.delete().unwrap();
        }
        session.commit_transaction(0).unwrap();
    }
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    Setup {
        _dir: dir,
        system,
        path,
    }
}

/// A new instance on the setup's database, attached and opened.
fn open(setup: &Setup) -> (Instance, Session, DbId) {
    let instance = Instance::init(&setup.system).unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(&setup.path, 0).unwrap();
    let dbid = session.open_database(&setup.path, 0).unwrap();
    (instance, session, dbid)
}

fn wait_until_done(session: &Session, dbid: DbId, limit: Duration) -> DefragProgress {
    let started = Instant::now();
    loop {
        let progress = session.defragment_progress(dbid).unwrap();
        if !progress.running {
            return progress;
        }
        assert!(
            started.elapsed() < limit,
            "defragmentation still running after {limit:?}: {progress:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn defragmentation_frees_the_pages_deletes_left_thin_and_keeps_every_record() {
    let rows = 12_000;
    let setup = thinned_database(rows);
    let (in_use_before, available_before) = pages_in_use(&setup.path);

    let (instance, session, dbid) = open(&setup);
    let c = columns(&session, dbid);
    let before = records(&session, dbid, c);
    assert_eq!(before.len(), (rows as usize).div_ceil(3));
    assert_eq!(count_by_note(&session, dbid), before.len());

    let started = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    assert_eq!(started.warning, 0);
    let progress = wait_until_done(&session, dbid, Duration::from_secs(120));
    assert_eq!(progress.error, None);
    assert!(progress.passes >= 1, "{progress:?}");
    let stats = instance.statistics();
    assert_eq!(stats.defrag_pages_freed, progress.pages_freed);
    assert!(stats.defrag_passes >= 1);

    // Every record still there, through both indexes.
    same_records(&records(&session, dbid, c), &before);
    assert_eq!(count_by_note(&session, dbid), before.len());
    // Stopping a task that ended is "not running".
    let stopped = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStop)
        .unwrap();
    assert_eq!(stopped.warning, JET_wrnDefragNotRunning);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();

    let (in_use_after, available_after) = pages_in_use(&setup.path);
    println!(
        "pages in use {in_use_before} -> {in_use_after}, available {available_before} -> \
         {available_after}, freed {}",
        progress.pages_freed
    );
    // Pairs of leaves a third full merge: the table's leaves roughly
    // halve, and each page freed is available again.
    assert!(progress.pages_freed > 0);
    assert_eq!(in_use_before - in_use_after, progress.pages_freed);
    assert_eq!(available_after - available_before, progress.pages_freed);
    assert!(
        in_use_after * 10 < in_use_before * 7,
        "{in_use_before} -> {in_use_after}"
    );
}

#[test]
fn batch_start_twice_warns_and_batch_stop_reports_the_passes() {
    let setup = thinned_database(6_000);
    let (instance, session, dbid) = open(&setup);
    // Paused, so that the task is surely still there for the second call.
    instance
        .stop_service(JET_bitStopServiceBackgroundUserTasks)
        .unwrap();
    let first = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    assert_eq!(first.warning, 0);
    let second = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    assert_eq!(second.warning, JET_wrnDefragAlreadyRunning);
    // Paused: nothing freed.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(session.defragment_progress(dbid).unwrap().pages_freed, 0);
    let stopped = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStop)
        .unwrap();
    assert_eq!(stopped.warning, 0);
    assert_eq!(stopped.passes, 0);
    assert!(!session.defragment_progress(dbid).unwrap().running);

    // Bad arguments change nothing.
    let both = JET_bitDefragmentBatchStart | JET_bitDefragmentBatchStop;
    let error = session.defragment(dbid, None, 0, 0, both).unwrap_err();
    assert_eq!(error.code(), JET_errInvalidGrbit);
    let error = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart | 0x1000)
        .unwrap_err();
    assert_eq!(error.code(), JET_errInvalidGrbit);
    let error = session
        .defragment(dbid, Some("nothing"), 0, 0, JET_bitDefragmentBatchStart)
        .unwrap_err();
    assert_eq!(error.code(), JET_errObjectNotFound);
    let error = session
        .defragment(DbId(7), None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap_err();
    assert_eq!(error.code(), JET_errInvalidDatabaseId);
    assert!(!session.defragment_progress(dbid).unwrap().running);

    // Resumed and bounded to one pass over one table.
    instance
        .stop_service(JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceResume)
        .unwrap();
    // Space trees only: nothing to merge here (see JetDefragment's
    // notes), so one empty pass, although the table's leaves are thin.
    session
        .defragment(
            dbid,
            None,
            0,
            0,
            JET_bitDefragmentBatchStart | JET_bitDefragmentAvailSpaceTreesOnly,
        )
        .unwrap();
    let progress = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert_eq!((progress.passes, progress.pages_freed), (1, 0));
    session
        .defragment(dbid, Some("items"), 1, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    let progress = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert_eq!(progress.passes, 1);
    assert!(progress.pages_freed > 0);
    drop(session);
    instance.term().unwrap();
    pages_in_use(&setup.path);
}

#[test]
fn defragmentation_runs_while_sessions_update_the_table() {
    let setup = thinned_database(9_000);
    let (instance, session, dbid) = open(&setup);
    let c = columns(&session, dbid);
    // The model: every id a multiple of 3 below 9000 at version 0.
    let mut model: std::collections::BTreeMap<i32, Vec<u8>> = (0..9_000)
        .filter(|id| id % 3 == 0)
        .map(|id| (id, note(id, 0)))
        .collect();
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    // Two writers on their own key ranges: inserts of new ids, replaces
    // and deletes of old ones, in transactions, while the task merges.
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let instance = instance.clone();
            let path = setup.path.clone();
            std::thread::spawn(move || {
                let session = instance.begin_session().unwrap();
                let dbid = session.open_database(&path, 0).unwrap();
                let mut cursor = session.open_table(dbid, "items", 0).unwrap();
                let mut changes = Vec::new();
                let freed_at_start = instance.statistics().defrag_pages_freed;
                // Until the task ends (at least 5 rounds, at most 200).
                for round in 0..200u32 {
                    if round >= 5 && !session.defragment_progress(dbid).unwrap().running {
                        break;
                    }
                    session.begin_transaction().unwrap();
                    for k in 0..20 {
                        // Writer w owns the old ids 3 * (2j + w).
                        let j = (round as i32 * 20 + k) % 1_500;
                        let old = 3 * (2 * j + w);
                        if seek(&mut cursor, old) {
                            if k % 2 == 0 {
                                cursor.delete().unwrap();
                                changes.push((old, None));
                            } else {
                                cursor.prepare_update(JET_prepReplace).unwrap();
                                let value = note(old, round + 1);
                                cursor.set_column(c.note, Some(&value), 0, None).unwrap();
                                cursor.update().unwrap();
                                changes.push((old, Some(value)));
                            }
                        }
                        let new = 10_000 + w * 100_000 + round as i32 * 20 + k;
                        insert(&mut cursor, c, new, round).unwrap();
                        changes.push((new, Some(note(new, round))));
                    }
                    session.commit_transaction(0).unwrap();
                }
                let freed_meanwhile = instance.statistics().defrag_pages_freed - freed_at_start;
                (changes, freed_meanwhile)
            })
        })
        .collect();
    let mut overlapped = false;
    for writer in writers {
        let (changes, freed_meanwhile) = writer.join().unwrap();
        // The task merged pages while this writer was updating.
        overlapped |= freed_meanwhile > 0;
        for (id, value) in changes {
            match value {
                Some(value) => model.insert(id, value),
                None => model.remove(&id),
            };
        }
    }
    assert!(overlapped, "the writers never ran while pages were merged");
    let progress = wait_until_done(&session, dbid, Duration::from_secs(120));
    assert_eq!(progress.error, None);
    assert!(progress.pages_freed > 0, "{progress:?}");
    let expected: Vec<(i32, Vec<u8>)> = model.into_iter().collect();
    same_records(&records(&session, dbid, c), &expected);
    assert_eq!(count_by_note(&session, dbid), expected.len());
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();
    pages_in_use(&setup.path);
}

#[test]
fn stop_service_stops_defragmentation_within_a_bounded_time() {
    let setup = thinned_database(12_000);
    let (instance, session, dbid) = open(&setup);
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    // Let it begin, then stop the service.
    let started = Instant::now();
    while instance.statistics().defrag_pages_freed == 0
        && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    instance.stop_service_instance().unwrap();
    // A step in progress finishes; none starts after it.
    std::thread::sleep(Duration::from_millis(100));
    let frozen = instance.statistics().defrag_pages_freed;
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(instance.statistics().defrag_pages_freed, frozen);
    // JetDefragment itself is refused now.
    let error = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap_err();
    assert_eq!(error.code(), JET_errClientRequestToStopJetService);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    let term_started = Instant::now();
    instance.term().unwrap();
    println!(
        "JetTerm after JetStopService took {:?}",
        term_started.elapsed()
    );
    pages_in_use(&setup.path);
    let _ = setup._dir.path();
}

#[test]
fn the_enable_online_defrag_parameter_and_the_documented_refusals() {
    let setup = thinned_database(6_000);
    // JET_paramEnableOnlineDefrag = JET_OnlineDefragDisable: a task starts
    // and ends with nothing done.
    let instance = Instance::new(InstanceOptions {
        online_defrag: ese::api::params::JET_OnlineDefragDisable as u32,
        ..InstanceOptions::new(&setup.system)
    })
    .unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(&setup.path, 0).unwrap();
    let dbid = session.open_database(&setup.path, 0).unwrap();
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    let progress = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert_eq!((progress.passes, progress.pages_freed), (1, 0));
    // A read-only transaction may not start one; JET_bitDefragmentBTree
    // takes no table name.
    session
        .begin_transaction2(JET_bitTransactionReadOnly)
        .unwrap();
    let error = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap_err();
    assert_eq!(error.code(), JET_errTransReadOnly);
    session.rollback(0).unwrap();
    let error = session
        .defragment(
            dbid,
            Some("items"),
            0,
            0,
            JET_bitDefragmentBatchStart | JET_bitDefragmentBTree,
        )
        .unwrap_err();
    assert_eq!(error.code(), JET_errInvalidParameter);
    // Enabled for databases at run time, the next task merges.
    instance
        .apply_parameter(
            ese::api::params::JET_paramEnableOnlineDefrag,
            &ese::api::params::ParamValue::Integer(ese::api::params::JET_OnlineDefragDatabases),
        )
        .unwrap();
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    let progress = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert!(progress.pages_freed > 0, "{progress:?}");
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();

    // A database attached read-only cannot be defragmented.
    let instance = Instance::init(&setup.system).unwrap();
    let session = instance.begin_session().unwrap();
    session
        .attach_database(&setup.path, JET_bitDbReadOnly)
        .unwrap();
    let dbid = session.open_database(&setup.path, 0).unwrap();
    let error = session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap_err();
    assert_eq!(error.code(), JET_errDatabaseFileReadOnly);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();
}

/// One record in three deleted leaves leaves over half full: no two fit in
/// one page, so whole merges free almost nothing
/// (JET_bitDefragmentNoPartialMerges shows it), while partial merges pack
/// them and then free pages.
#[test]
fn partial_merges_pack_half_full_leaves() {
    let setup = thinned_database_deleting(12_000, |id| id % 3 == 0);
    let (in_use_before, _) = pages_in_use(&setup.path);
    let (instance, session, dbid) = open(&setup);
    let c = columns(&session, dbid);
    let before = records(&session, dbid, c);
    session
        .defragment(
            dbid,
            None,
            0,
            0,
            JET_bitDefragmentBatchStart | JET_bitDefragmentNoPartialMerges,
        )
        .unwrap();
    let whole_only = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert_eq!(whole_only.partial_merges, 0);
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    let partial = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert_eq!(partial.error, None);
    assert!(partial.partial_merges > 0, "{partial:?}");
    same_records(&records(&session, dbid, c), &before);
    assert_eq!(count_by_note(&session, dbid), before.len());
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();
    let (in_use_after, _) = pages_in_use(&setup.path);
    println!(
        "half-full leaves: {in_use_before} pages in use; whole merges alone freed {}, \
         then partial merges ({}) and the merges they allowed freed {}; {in_use_after} in use",
        whole_only.pages_freed, partial.partial_merges, partial.pages_freed
    );
    // Most of the freeing needs the partial merges.
    assert!(
        partial.pages_freed > 2 * whole_only.pages_freed,
        "{whole_only:?} then {partial:?}"
    );
    assert!(
        in_use_after * 10 < in_use_before * 8,
        "{in_use_before} -> {in_use_after}"
    );
}

/// Defragmentation is logged like any update: with the device gone
/// (`Fault::Unplugged`) at different points of the run, so that the file
/// holds anything from none to some of the merged pages, recovery at the
/// next start brings the database to a consistent state with every record.
#[test]
fn a_crash_during_defragmentation_recovers_every_record() {
    use ese::io::faulty::{faulty_wrapper, Fault, FaultPlan};
    for from in [0u64, 40, 200] {
        let setup = thinned_database(9_000);
        let expected = {
            let (instance, session, dbid) = open(&setup);
            let rows = records(&session, dbid, columns(&session, dbid));
            session.close_database(dbid, 0).unwrap();
            drop(session);
            instance.term().unwrap();
            rows
        };
        let (in_use_before, _) = pages_in_use(&setup.path);
        let plan = FaultPlan::new(vec![Fault::Unplugged { from }]);
        // A small cache, so that merged pages are written (and fail) while
        // the task runs.
        let options = InstanceOptions {
            cache_max_pages: 64,
            database_file_hook: Some(DatabaseFileHook(faulty_wrapper(plan.clone()))),
            ..InstanceOptions::new(&setup.system)
        };
        {
            let instance = Instance::new(options).unwrap();
            let session = instance.begin_session().unwrap();
            session.attach_database(&setup.path, 0).unwrap();
            let dbid = session.open_database(&setup.path, 0).unwrap();
            session
                .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
                .unwrap();
            let progress = wait_until_done(&session, dbid, Duration::from_secs(60));
            println!("unplugged from write {from}: {progress:?}");
            session.close_database(dbid, 0).unwrap();
            drop(session);
            // The end cannot write the pages either: the database stays
            // dirty, as after a crash.
            assert!(instance.term().is_err());
        }
        let writes = plan.lock().writes();
        assert!(writes > from, "the device was never lost ({writes} writes)");
        let instance = Instance::init(&setup.system).unwrap();
        let report = instance.recovery_report().unwrap();
        assert!(report.units_redone > 0, "{report:?}");
        let session = instance.begin_session().unwrap();
        session.attach_database(&setup.path, 0).unwrap();
        let dbid = session.open_database(&setup.path, 0).unwrap();
        let c = columns(&session, dbid);
        same_records(&records(&session, dbid, c), &expected);
        assert_eq!(count_by_note(&session, dbid), expected.len());
        session.close_database(dbid, 0).unwrap();
        drop(session);
        instance.term().unwrap();
        let (in_use_after, _) = pages_in_use(&setup.path);
        println!("pages in use {in_use_before} -> {in_use_after} after recovery");
    }
}

/// JetDetachDatabase while the database's defragmentation runs stops the
/// task and detaches (the two once took their locks in opposite orders
/// and hung).
#[test]
fn detaching_a_database_under_defragmentation_stops_the_task() {
    let setup = thinned_database(12_000);
    let (instance, session, dbid) = open(&setup);
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        .unwrap();
    session.close_database(dbid, 0).unwrap();
    let (done, outcome) = std::sync::mpsc::channel();
    let detacher = session.clone();
    let path = setup.path.clone();
    std::thread::spawn(move || {
        let _ = done.send(detacher.detach_database(Some(&path)).map_err(|e| e.code()));
    });
    let detached = outcome
        .recv_timeout(Duration::from_secs(30))
        .expect("JetDetachDatabase hung while defragmentation ran");
    assert_eq!(detached, Ok(()));
    drop(session);
    instance.term().unwrap();
    pages_in_use(&setup.path);
}

#[test]
fn jet_defragment2_calls_back_when_the_task_ends_by_itself_and_not_when_stopped() {
    let setup = thinned_database(3_000);
    let (instance, session, dbid) = open(&setup);
    let (sender, completions) = std::sync::mpsc::channel::<DbId>();
    // Paused first, then stopped with BatchStop: no callback.
    instance
        .stop_service(JET_bitStopServiceBackgroundUserTasks)
        .unwrap();
    let sent = sender.clone();
    session
        .defragment2(
            dbid,
            None,
            0,
            0,
            Some(Box::new(move |d| sent.send(d).unwrap())),
            JET_bitDefragmentBatchStart,
        )
        .unwrap();
    session
        .defragment(dbid, None, 0, 0, JET_bitDefragmentBatchStop)
        .unwrap();
    instance
        .stop_service(JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceResume)
        .unwrap();
    // One pass, ending by itself: called once, with the database handle.
    session
        .defragment2(
            dbid,
            None,
            1,
            0,
            Some(Box::new(move |d| sender.send(d).unwrap())),
            JET_bitDefragmentBatchStart,
        )
        .unwrap();
    let called = completions.recv_timeout(Duration::from_secs(60)).unwrap();
    assert_eq!(called, dbid);
    let progress = wait_until_done(&session, dbid, Duration::from_secs(60));
    assert_eq!(progress.passes, 1);
    // The stopped task's callback was dropped unused: no second message,
    // and both senders are gone.
    assert!(matches!(
        completions.recv_timeout(Duration::from_millis(200)),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected)
    ));
    drop(session);
    instance.term().unwrap();
}
