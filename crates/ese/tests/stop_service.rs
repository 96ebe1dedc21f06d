//! JetStopServiceInstance / JetStopServiceInstance2 and JetTerm2 through
//! the Rust API, one test per sentence of their documentation
//! (jetstopservice*-function.md, jetterm2-function.md): what a stop
//! prepares (defragmentation stopped, version cleanup started, the cache
//! flushed), the calls refused afterwards and the ones still allowed,
//! sessions on other threads, resume, bad option bits changing nothing,
//! and each way of terminating.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::scratch_dir;

struct Fixture {
    _dir: ese_testkit::TempDir,
    system: PathBuf,
    path: PathBuf,
    instance: Instance,
    session: Session,
    dbid: DbId,
    id: u32,
    value: u32,
}

fn fixture() -> Fixture {
    fixture_with(|system| Instance::init(system).unwrap())
}

/// The fixture on an instance `start` makes in the system directory.
fn fixture_with(start: impl FnOnce(&Path) -> Instance) -> Fixture {
    let dir = scratch_dir();
    let system = dir.path().join("system");
    let path = dir.path().join("stop.edb");
    let instance = start(&system);
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    let columns = common::create_keyed_table(
        &session,
        dbid,
        "rows",
        "Id",
        &[("Value", JET_coltypLong)],
        &[],
    );
    Fixture {
        _dir: dir,
        system,
        path,
        instance,
        session,
        dbid,
        id: columns[0],
        value: columns[1],
    }
}

fn insert(cursor: &mut Cursor, f: &Fixture, id: i32, value: i32) -> ese::Result<()> {
    insert_with(cursor, f.id, f.value, id, value)
}

fn insert_with(
    cursor: &mut Cursor,
    id_column: u32,
    value_column: u32,
    id: i32,
    value: i32,
) -> ese::Result<()> {
    cursor.prepare_update(JET_prepInsert)?;
    cursor.set_column(id_column, Some(&id.to_le_bytes()), 0, None)?;
    cursor.set_column(value_column, Some(&value.to_le_bytes()), 0, None)?;
    cursor.update().map(|_| ())
}

/// The ids in the table, in order, read by a new instance.
fn ids_after_restart(system: &Path, path: &Path) -> Vec<i32> {
    let instance = Instance::init(system).unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(path, 0).unwrap();
    let dbid = session.open_database(path, 0).unwrap();
    let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
    let column = cursor.get_table_column_info("Id").unwrap().column_id;
    let mut ids = Vec::new();
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        let bytes = cursor.retrieve(column, 0).unwrap().unwrap();
        ids.push(i32::from_le_bytes(bytes[..4].try_into().unwrap()));
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    ids
}

fn header_state(path: &Path) -> u32 {
    ese::database_file::DatabaseFile::open(path)
        .unwrap()
        .header()
        .state
}

fn code<T: std::fmt::Debug>(result: ese::Result<T>) -> i32 {
    result.unwrap_err().code()
}

const STOPPED: i32 = JET_errClientRequestToStopJetService;

#[test]
fn after_a_stop_every_call_but_the_wind_down_ones_is_refused() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    insert(&mut cursor, &f, 1, 10).unwrap();
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, &f, 2, 20).unwrap();
    let other = f.instance.begin_session().unwrap();
    let other_db = other.open_database(&f.path, 0).unwrap();

    f.instance.stop_service_instance().unwrap();

    // Refused: sessions, databases, tables, DDL, cursors, updates,
    // transactions, information, maintenance.
    assert_eq!(code(f.instance.begin_session()), STOPPED);
    assert_eq!(code(f.session.dup_session()), STOPPED);
    assert_eq!(code(f.session.set_session_context(7)), STOPPED);
    assert_eq!(code(f.session.begin_transaction()), STOPPED);
    assert_eq!(code(f.session.commit_transaction(0)), STOPPED);
    assert_eq!(code(f.session.open_database(&f.path, 0)), STOPPED);
    assert_eq!(code(f.session.attach_database(&f.path, 0)), STOPPED);
    let elsewhere = f.path.with_file_name("other.edb");
    assert_eq!(code(f.session.create_database(&elsewhere, 0)), STOPPED);
    assert!(!elsewhere.exists());
    assert_eq!(code(f.session.open_table(f.dbid, "rows", 0)), STOPPED);
    assert_eq!(
        code(f.session.create_table(f.dbid, "more", 0, 100)),
        STOPPED
    );
    assert_eq!(code(f.session.delete_table(f.dbid, "rows")), STOPPED);
    assert_eq!(
        code(f.session.rename_table(f.dbid, "rows", "renamed")),
        STOPPED
    );
    assert_eq!(code(f.session.table_names(f.dbid)), STOPPED);
    assert_eq!(code(f.session.get_database_info(f.dbid)), STOPPED);
    assert_eq!(
        code(f.session.get_column_info(f.dbid, "rows", "Id")),
        STOPPED
    );
    assert_eq!(
        code(f.session.get_index_info(f.dbid, "rows", None)),
        STOPPED
    );
    assert_eq!(
        code(
            f.session
                .defragment(f.dbid, None, 0, 0, JET_bitDefragmentBatchStart)
        ),
        STOPPED
    );
    assert_eq!(code(cursor.move_(JET_MoveFirst, 0)), STOPPED);
    assert_eq!(
        code(cursor.make_key(&1i32.to_le_bytes(), JET_bitNewKey)),
        STOPPED
    );
    assert_eq!(code(cursor.seek(JET_bitSeekEQ)), STOPPED);
    assert_eq!(code(cursor.retrieve(f.id, 0)), STOPPED);
    assert_eq!(code(cursor.retrieve_key(0)), STOPPED);
    assert_eq!(code(cursor.prepare_update(JET_prepInsert)), STOPPED);
    assert_eq!(
        code(cursor.set_column(f.id, Some(&[0; 4]), 0, None)),
        STOPPED
    );
    assert_eq!(code(cursor.update()), STOPPED);
    assert_eq!(code(cursor.delete()), STOPPED);
    assert_eq!(code(cursor.dup_cursor(0)), STOPPED);
    assert_eq!(code(cursor.set_current_index(None, 0)), STOPPED);
    assert_eq!(code(cursor.get_table_info()), STOPPED);
    assert_eq!(code(cursor.get_table_column_info("Id")), STOPPED);
    assert_eq!(code(cursor.get_record_size(false)), STOPPED);
    assert_eq!(code(cursor.get_lock(JET_bitReadLock)), STOPPED);
    assert_eq!(code(cursor.escrow_update(f.value, 1, 0)), STOPPED);
    assert_eq!(
        code(cursor.add_column(&ColumnCreate::new("New", JET_coltypLong, 0))),
        STOPPED
    );
    assert_eq!(code(cursor.delete_index("ById")), STOPPED);
    assert_eq!(code(cursor.rename_column("Id", "Key")), STOPPED);
    assert_eq!(code(cursor.delete_column("Value")), STOPPED);

    // Allowed: JetRollback, JetCloseTable, JetEndSession,
    // JetCloseDatabase, JetDetachDatabase, JetResetSessionContext.
    f.session.rollback(0).unwrap();
    cursor.close();
    assert_eq!(
        code(f.session.reset_session_context()),
        JET_errSessionContextNotSetByThisThread
    );
    f.session.close_database(f.dbid, 0).unwrap();
    other.close_database(other_db, 0).unwrap();
    other.end().unwrap();
    f.session.detach_database(Some(&f.path)).unwrap();
    assert_eq!(header_state(&f.path), JET_dbstateCleanShutdown);
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    session.end().unwrap();
    let started = Instant::now();
    instance.term().unwrap();
    println!("JetTerm after JetStopService: {:?}", started.elapsed());
    // Row 1 was committed; row 2 was rolled back.
    assert_eq!(ids_after_restart(&system, &path), vec![1]);
}

/// Three sessions on their own threads commit transactions until a stop
/// (`stop`) refuses their next call; each rolls back what it had open,
/// closes its cursor and database and ends; then `term` ends the
/// instance. Every commit a worker saw return must be there afterwards,
/// nothing else, and the database in clean shutdown.
fn stop_under_working_sessions(f: Fixture, stop: impl FnOnce(), term: impl FnOnce(Instance)) {
    let workers: Vec<_> = (0..3)
        .map(|w| {
            let instance = f.instance.clone();
            let path = f.path.clone();
            let (id_column, value_column) = (f.id, f.value);
            std::thread::spawn(move || {
                let session = instance.begin_session().unwrap();
                let dbid = session.open_database(&path, 0).unwrap();
                let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
                let mut committed = Vec::new();
                for n in 0.. {
                    let id = w * 1_000_000 + n;
                    let step = session.begin_transaction().and_then(|()| {
                        insert_with(&mut cursor, id_column, value_column, id, n)?;
                        insert_with(&mut cursor, id_column, value_column, id + 500_000, n)?;
                        session.commit_transaction(0)
                    });
                    match step {
                        Ok(()) => committed.push(id),
                        Err(e) => {
                            assert_eq!(e.code(), STOPPED, "{e}");
                            // Wind down: roll back what is open, close, end.
                            if session.transaction_level() > 0 {
                                session.rollback(JET_bitRollbackAll).unwrap();
                            }
                            cursor.close();
                            session.close_database(dbid, 0).unwrap();
                            session.end().unwrap();
                            return committed;
                        }
                    }
                }
                unreachable!()
            })
        })
        .collect();
    // Let them commit a while, then stop the service under them.
    std::thread::sleep(Duration::from_millis(300));
    stop();
    let mut committed: Vec<i32> = Vec::new();
    for worker in workers {
        let mine = worker.join().unwrap();
        assert!(
            !mine.is_empty(),
            "a worker committed nothing before the stop"
        );
        committed.extend(mine.iter().flat_map(|&id| [id, id + 500_000]));
    }
    committed.sort_unstable();
    let Fixture {
        session,
        instance,
        system,
        path,
        dbid,
        _dir,
        ..
    } = f;
    session.close_database(dbid, 0).unwrap();
    session.end().unwrap();
    term(instance);
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    // Every commit a worker saw return is there, and nothing else: a
    // transaction the stop interrupted left nothing.
    assert_eq!(ids_after_restart(&system, &path), committed);
}

#[test]
fn sessions_on_other_threads_are_stopped_roll_back_end_and_lose_no_commit() {
    let f = fixture();
    let instance = f.instance.clone();
    stop_under_working_sessions(
        f,
        move || instance.stop_service_instance().unwrap(),
        |instance| instance.term().unwrap(),
    );
}

/// The same through the JET registry: the legacy JetStopService on the
/// global instance of single-instance mode, then JetTerm(NULL).
#[test]
fn the_legacy_stop_service_winds_down_sessions_on_other_threads() {
    let jet = Arc::new(Jet::new());
    let f = fixture_with(|system| {
        let text = system.to_str().unwrap();
        jet.set_system_parameter(None, params::JET_paramSystemPath, 0, Some(text))
            .unwrap();
        jet.set_system_parameter(None, params::JET_paramLogFilePath, 0, Some(text))
            .unwrap();
        jet.set_system_parameter(None, params::JET_paramCreatePathIfNotExist, 1, None)
            .unwrap();
        jet.init(None).unwrap();
        jet.instance(None).unwrap()
    });
    let stopper = jet.clone();
    stop_under_working_sessions(
        f,
        move || stopper.stop_service().unwrap(),
        |instance| {
            drop(instance);
            jet.term(None).unwrap();
        },
    );
}

/// And in multi-instance mode: JetStopServiceInstance on a named instance
/// while another instance of the process keeps working.
#[test]
fn stop_service_instance_winds_down_one_instance_of_several() {
    let jet = Arc::new(Jet::new());
    let bystander_dir = scratch_dir();
    let bystander = jet.create_instance(Some("bystander")).unwrap();
    let text = bystander_dir.path().to_str().unwrap();
    jet.set_system_parameter(Some(bystander), params::JET_paramSystemPath, 0, Some(text))
        .unwrap();
    jet.set_system_parameter(Some(bystander), params::JET_paramLogFilePath, 0, Some(text))
        .unwrap();
    jet.init(Some(bystander)).unwrap();
    let handle = jet.create_instance(Some("stopped")).unwrap();
    let f = fixture_with(|system| {
        std::fs::create_dir_all(system).unwrap();
        let text = system.to_str().unwrap();
        jet.set_system_parameter(Some(handle), params::JET_paramSystemPath, 0, Some(text))
            .unwrap();
        jet.set_system_parameter(Some(handle), params::JET_paramLogFilePath, 0, Some(text))
            .unwrap();
        jet.init(Some(handle)).unwrap();
        jet.instance(Some(handle)).unwrap()
    });
    let stopper = jet.clone();
    stop_under_working_sessions(
        f,
        move || stopper.stop_service_instance(handle).unwrap(),
        |instance| {
            drop(instance);
            // The other instance was not stopped.
            let session = jet.begin_session(Some(bystander)).unwrap();
            session.begin_transaction().unwrap();
            session.commit_transaction(0).unwrap();
            drop(session);
            jet.term(Some(handle)).unwrap();
            jet.term(Some(bystander)).unwrap();
        },
    );
}

#[test]
fn a_stop_starts_cleanup_and_flushes_the_cache_until_the_checkpoint_reaches_the_end() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    f.session.begin_transaction().unwrap();
    for id in 0..3_000 {
        insert(&mut cursor, &f, id, id).unwrap();
    }
    f.session.commit_transaction(0).unwrap();
    // Deletes leave versions for the cleanup while a reader holds them.
    let reader = f.instance.begin_session().unwrap();
    reader.begin_transaction().unwrap();
    f.session.begin_transaction().unwrap();
    for id in 0..1_000i32 {
        cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
        cursor.seek(JET_bitSeekEQ).unwrap();
        cursor.delete().unwrap();
    }
    f.session.commit_transaction(0).unwrap();
    reader.rollback(0).unwrap();
    let before = f.instance.statistics();
    assert!(before.dirty_pages > 0, "{before:?}");
    assert!(before.checkpoint < before.log_end, "{before:?}");
    assert_eq!(before.checkpoint_depth_target, 20 << 20);

    f.instance.stop_service_instance().unwrap();
    let stats = f.instance.statistics();
    assert_eq!(stats.checkpoint_depth_target, 0);
    // No new work arrives; the checkpoint thread writes every dirty page
    // and the checkpoint catches up with the log's end.
    let started = Instant::now();
    let caught_up = loop {
        let stats = f.instance.statistics();
        if stats.dirty_pages == 0 && stats.checkpoint == stats.log_end && stats.versions_held == 0 {
            break stats;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the cache never quiesced: {stats:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    println!(
        "quiesced in {:?}: {} pages written, {} cleanup passes",
        started.elapsed(),
        caught_up.pages_written_for_checkpoint - before.pages_written_for_checkpoint,
        caught_up.version_cleanup_passes - before.version_cleanup_passes
    );
    assert!(caught_up.pages_written_for_checkpoint > before.pages_written_for_checkpoint);
    assert!(caught_up.version_cleanup_passes > before.version_cleanup_passes);
    // A full stop cannot be resumed, and that failure changes nothing.
    assert_eq!(
        code(f.instance.stop_service(JET_bitStopServiceResume)),
        STOPPED
    );
    assert_eq!(code(f.session.begin_transaction()), STOPPED);
    // A second full stop is harmless.
    f.instance.stop_service_instance().unwrap();
    drop(cursor);
    drop(reader);
    let started = Instant::now();
    let Fixture {
        session, instance, ..
    } = f;
    drop(session);
    instance.term().unwrap();
    println!("JetTerm after the quiesce: {:?}", started.elapsed());
}

#[test]
fn partial_stops_refuse_nothing_and_resume() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    for id in 0..500 {
        insert(&mut cursor, &f, id, id).unwrap();
    }
    f.instance
        .stop_service(JET_bitStopServiceQuiesceCaches)
        .unwrap();
    assert_eq!(f.instance.statistics().checkpoint_depth_target, 0);
    // Calls still work while quiescing.
    insert(&mut cursor, &f, 1_000, 0).unwrap();
    let started = Instant::now();
    while f.instance.statistics().dirty_pages > 0 {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(10));
    }
    f.instance
        .stop_service(JET_bitStopServiceQuiesceCaches | JET_bitStopServiceResume)
        .unwrap();
    assert_eq!(f.instance.statistics().checkpoint_depth_target, 20 << 20);

    f.instance
        .stop_service(JET_bitStopServiceBackgroundUserTasks)
        .unwrap();
    insert(&mut cursor, &f, 1_001, 0).unwrap();
    // Resume with only the resume bit resumes everything.
    f.instance.stop_service(JET_bitStopServiceResume).unwrap();
    insert(&mut cursor, &f, 1_002, 0).unwrap();

    // Bad option bits: JET_errInvalidGrbit, and nothing changes.
    // (0x1 is reserved: ESE's internal mark of a full stop.)
    for grbit in [
        0x1,
        0x10,
        0x4000_0000,
        JET_bitStopServiceStopAndEmitLog | JET_bitStopServiceQuiesceCaches,
        JET_bitStopServiceStopAndEmitLog | JET_bitStopServiceResume,
    ] {
        assert_eq!(
            code(f.instance.stop_service(grbit)),
            JET_errInvalidGrbit,
            "{grbit:#x}"
        );
        assert_eq!(f.instance.statistics().checkpoint_depth_target, 20 << 20);
        insert(&mut cursor, &f, 2_000 + grbit as i32 % 1000, 0).unwrap();
    }

    // JET_bitStopServiceStopAndEmitLog: no more logging, what was logged
    // durable in a complete generation. Calls are not refused, but no
    // update can be logged; the instance still ends clean.
    let generation_before = f.instance.statistics().log_end >> 32;
    f.instance
        .stop_service(JET_bitStopServiceStopAndEmitLog)
        .unwrap();
    assert!(f.instance.statistics().log_end >> 32 > generation_before);
    f.session.begin_transaction().unwrap();
    assert_eq!(code(insert(&mut cursor, &f, 5_000, 0)), JET_errLogWriteFail);
    f.session.rollback(0).unwrap();
    drop(cursor);
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    drop(session);
    instance.term().unwrap();
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    // Every insert before the stop (500, three more, one per refused
    // grbit), none after.
    let ids = ids_after_restart(&system, &path);
    assert_eq!(ids.len(), 500 + 3 + 5);
    assert!(!ids.contains(&5_000));
}

#[test]
fn term_complete_refuses_while_a_transaction_is_open_and_changes_nothing() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, &f, 1, 1).unwrap();
    let instance = f.instance.clone();
    let error = instance.term2(JET_bitTermComplete).unwrap_err();
    assert_eq!(error.code(), JET_errTooManyActiveUsers);
    // Nothing changed: the transaction goes on and commits.
    insert(&mut cursor, &f, 2, 2).unwrap();
    f.session.commit_transaction(0).unwrap();
    assert_eq!(code(f.instance.clone().term2(0x40)), JET_errInvalidGrbit);
    insert(&mut cursor, &f, 3, 3).unwrap();
    drop(cursor);
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    instance.term2(JET_bitTermComplete).unwrap();
    // Sessions end with the instance: their calls are refused.
    assert_eq!(code(session.begin_transaction()), JET_errTermInProgress);
    drop(session);
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    assert_eq!(ids_after_restart(&system, &path), vec![1, 2, 3]);
}

#[test]
fn term_rolls_back_the_transactions_sessions_left_open() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    insert(&mut cursor, &f, 1, 1).unwrap();
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, &f, 2, 2).unwrap();
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    // The session (and its cursor) outlive the instance's end.
    instance.term().unwrap();
    assert_eq!(code(cursor.move_(JET_MoveFirst, 0)), JET_errTermInProgress);
    assert_eq!(session.transaction_level(), 0);
    drop(cursor);
    drop(session);
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    assert_eq!(ids_after_restart(&system, &path), vec![1]);
}

#[test]
fn term_abrupt_skips_the_cleanup_but_shuts_down_clean() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    for id in 0..200 {
        insert(&mut cursor, &f, id, id).unwrap();
    }
    // A reader's transaction keeps the deletes' versions until the end.
    let reader = f.instance.begin_session().unwrap();
    reader.begin_transaction().unwrap();
    f.session.begin_transaction().unwrap();
    for id in 0..100i32 {
        cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
        cursor.seek(JET_bitSeekEQ).unwrap();
        cursor.delete().unwrap();
    }
    f.session.commit_transaction(0).unwrap();
    drop(cursor);
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    drop(session);
    instance.term2(JET_bitTermAbrupt).unwrap();
    drop(reader);
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    // The deleted nodes stay on the pages, flagged deleted: space, not
    // data, is lost.
    let report = common::assert_structure_clean(&path);
    assert_eq!(report.deleted_nodes, 100);
    assert_eq!(
        ids_after_restart(&system, &path),
        (100..200).collect::<Vec<_>>()
    );
}

#[test]
fn term_dirty_leaves_the_database_to_recovery_and_loses_no_commit() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    for id in 0..300 {
        insert(&mut cursor, &f, id, id).unwrap();
    }
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, &f, 1_000, 0).unwrap();
    drop(cursor);
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    // Success is reported as ESE reports it.
    assert_eq!(code(instance.term2(JET_bitTermDirty)), JET_errDirtyShutdown);
    drop(session);
    assert_eq!(header_state(&path), JET_dbstateDirtyShutdown);
    // Initialisation recovers it: the commits are there, the open
    // transaction is not, and the database ends clean.
    let instance = Instance::init(&system).unwrap();
    let report = instance.recovery_report().unwrap();
    assert!(report.units_redone > 0, "{report:?}");
    assert_eq!(header_state(&path), JET_dbstateCleanShutdown);
    instance.term().unwrap();
    assert_eq!(
        ids_after_restart(&system, &path),
        (0..300).collect::<Vec<_>>()
    );
}

#[test]
fn session_contexts_bind_a_session_to_the_thread_that_set_them() {
    let f = fixture();
    assert_eq!(
        code(f.session.set_session_context(0)),
        JET_errInvalidParameter
    );
    f.session.set_session_context(42).unwrap();
    assert_eq!(f.session.session_context(), Some(42));
    assert_eq!(
        code(f.session.set_session_context(43)),
        JET_errSessionContextAlreadySet
    );
    // Another thread can neither reset the context nor end the session.
    let session = f.session.clone();
    let (reset, end) = std::thread::spawn(move || {
        let reset = session.reset_session_context().map_err(|e| e.code());
        let end = session.clone().end().map_err(|e| e.code());
        (reset, end)
    })
    .join()
    .unwrap();
    assert_eq!(reset, Err(JET_errSessionContextNotSetByThisThread));
    assert_eq!(end, Err(JET_errSessionInUse));
    f.session.reset_session_context().unwrap();
    assert_eq!(f.session.session_context(), None);
    assert_eq!(
        code(f.session.reset_session_context()),
        JET_errSessionContextNotSetByThisThread
    );

    // A duplicate is a session of its own: its transaction is separate.
    let dup = f.session.dup_session().unwrap();
    let dup_db = dup.open_database(&f.path, 0).unwrap();
    let mut dup_cursor = dup.open_table(dup_db, "rows", 0).unwrap();
    dup.begin_transaction().unwrap();
    insert(&mut dup_cursor, &f, 5, 5).unwrap();
    assert_eq!(f.session.transaction_level(), 0);
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    assert!(
        cursor.move_(JET_MoveFirst, 0).is_err(),
        "the dup's insert is not committed"
    );
    dup.rollback(0).unwrap();
    drop(dup_cursor);
    dup.end().unwrap();
    drop(cursor);
    let Fixture {
        session, instance, ..
    } = f;
    drop(session);
    instance.term().unwrap();
}

/// A transaction belongs to the thread that began it
/// (JET_errSessionSharingViolation from any other), unless it was begun
/// under a session context: then whichever thread sets that context next
/// carries it on (jetsetsessioncontext-function.md's thread pool).
#[test]
fn a_transaction_belongs_to_its_thread_or_to_its_session_context() {
    let f = fixture();
    let mut cursor = f.session.open_table(f.dbid, "rows", 0).unwrap();
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, &f, 1, 1).unwrap();
    // Another thread may not use the session meanwhile.
    let (session, dbid) = (f.session.clone(), f.dbid);
    let other = std::thread::spawn(move || {
        let table = session.open_table(dbid, "rows", 0).map(|_| ());
        let commit = session.commit_transaction(0);
        (table.map_err(|e| e.code()), commit.map_err(|e| e.code()))
    })
    .join()
    .unwrap();
    assert_eq!(
        other,
        (
            Err(JET_errSessionSharingViolation),
            Err(JET_errSessionSharingViolation)
        )
    );
    // A context set by the owning thread makes the caller the context,
    // which does not own a transaction begun without one.
    f.session.set_session_context(0x77).unwrap();
    assert_eq!(
        code(f.session.commit_transaction(0)),
        JET_errSessionSharingViolation
    );
    f.session.reset_session_context().unwrap();
    f.session.commit_transaction(0).unwrap();
    // Once it is committed any thread may use the session again (the
    // session still remembers which thread began its last transaction).
    let (session, dbid) = (f.session.clone(), f.dbid);
    let after = std::thread::spawn(move || {
        session.begin_transaction()?;
        session.open_table(dbid, "rows", 0).map(drop)?;
        session.commit_transaction(0)
    })
    .join()
    .unwrap();
    assert_eq!(after.map_err(|e| e.code()), Ok(()));

    // Under a context the transaction moves between threads.
    f.session.set_session_context(0x51).unwrap();
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, &f, 2, 2).unwrap();
    // While this thread holds the context, another is refused.
    let session = f.session.clone();
    let refused = std::thread::spawn(move || session.commit_transaction(0).map_err(|e| e.code()))
        .join()
        .unwrap();
    assert_eq!(refused, Err(JET_errSessionSharingViolation));
    f.session.reset_session_context().unwrap();
    let (session, dbid, id, value) = (f.session.clone(), f.dbid, f.id, f.value);
    std::thread::spawn(move || {
        // A different context is not the transaction's.
        session.set_session_context(0x52).unwrap();
        assert_eq!(
            session.commit_transaction(0).unwrap_err().code(),
            JET_errSessionSharingViolation
        );
        session.reset_session_context().unwrap();
        session.set_session_context(0x51).unwrap();
        let mut cursor = session.open_table(dbid, "rows", 0).unwrap();
        insert_with(&mut cursor, id, value, 3, 3).unwrap();
        drop(cursor);
        session.commit_transaction(0).unwrap();
        session.reset_session_context().unwrap();
    })
    .join()
    .unwrap();
    assert_eq!(f.session.transaction_level(), 0);
    assert_eq!(
        code(f.session.set_session_context(usize::MAX)),
        JET_errInvalidParameter
    );
    drop(cursor);
    let Fixture {
        session,
        instance,
        system,
        path,
        _dir,
        ..
    } = f;
    drop(session);
    instance.term().unwrap();
    assert_eq!(ids_after_restart(&system, &path), vec![1, 2, 3]);
}
