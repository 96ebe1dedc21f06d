//! Transactions and the version store through the ISAM API: the documented
//! errors of JetBeginTransaction / JetCommitTransaction / JetRollback,
//! rollback of every kind of record change (byte-identical query results
//! afterwards, structure checker clean), save points, snapshot isolation
//! between sessions, write conflicts, read-only transactions, cursors
//! closed by a rollback, version store exhaustion and cleanup.

mod common;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::scratch_dir;

struct Fixture {
    _dir: ese_testkit::TempDir,
    path: std::path::PathBuf,
    instance: Instance,
    session: Session,
    dbid: DbId,
}

/// Column ids of the `accounts` table.
#[derive(Clone, Copy)]
struct Columns {
    id: u32,
    name: u32,
    balance: u32,
    note: u32,
}

fn fixture() -> (Fixture, Columns) {
    let dir = scratch_dir();
    let path = dir.path().join("trx.edb");
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    // Id (primary), Name (unique secondary), Balance (non-unique
    // secondary), Note (a long value).
    let mut create = TableCreate {
        name: "accounts".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Name", JET_coltypText, 0),
            ColumnCreate::new("Balance", JET_coltypLong, 0),
            ColumnCreate::new("Note", JET_coltypLongBinary, 0),
        ],
        indexes: vec![
            IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new("ByName", "+Name\0\0", JET_bitIndexUnique),
            IndexCreate::new("ByBalance", "+Balance\0\0", 0),
        ],
        ..Default::default()
    };
    let cursor = session
        .create_table_column_index(dbid, &mut create)
        .unwrap();
    drop(cursor);
    let c = Columns {
        id: create.columns[0].column_id,
        name: create.columns[1].column_id,
        balance: create.columns[2].column_id,
        note: create.columns[3].column_id,
    };
    (
        Fixture {
            _dir: dir,
            path,
            instance,
            session,
            dbid,
        },
        c,
    )
}

fn open(f: &Fixture, session: &Session) -> Cursor {
    let dbid = if std::ptr::eq(session, &f.session) {
        f.dbid
    } else {
        session.open_database(&f.path, 0).unwrap()
    };
    session.open_table(dbid, "accounts", 0).unwrap()
}

fn insert(cursor: &mut Cursor, c: Columns, id: i32, name: &str, balance: i32) -> Result<(), i32> {
    cursor
        .prepare_update(JET_prepInsert)
        .map_err(|e| e.code())?;
    cursor
        .set_column(c.id, Some(&id.to_le_bytes()), 0, None)
        .map_err(|e| e.code())?;
    cursor
        .set_column(c.name, Some(name.as_bytes()), 0, None)
        .map_err(|e| e.code())?;
    cursor
        .set_column(c.balance, Some(&balance.to_le_bytes()), 0, None)
        .map_err(|e| e.code())?;
    cursor.update().map(|_| ()).map_err(|e| e.code())
}

fn seek_id(cursor: &mut Cursor, id: i32) -> bool {
    cursor.set_current_index(None, 0).unwrap();
    cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).is_ok()
}

/// Sets column `column` of record `id` (JetPrepareUpdate replace).
fn set(cursor: &mut Cursor, id: i32, column: u32, value: &[u8]) -> Result<(), i32> {
    assert!(seek_id(cursor, id), "record {id} is not there");
    cursor
        .prepare_update(JET_prepReplace)
        .map_err(|e| e.code())?;
    cursor
        .set_column(column, Some(value), 0, None)
        .map_err(|e| e.code())?;
    cursor.update().map(|_| ()).map_err(|e| {
        let _ = cursor.prepare_update(JET_prepCancel);
        e.code()
    })
}

fn balance(cursor: &mut Cursor, c: Columns, id: i32) -> Option<i32> {
    if !seek_id(cursor, id) {
        return None;
    }
    let bytes = cursor.retrieve(c.balance, 0).unwrap()?;
    Some(i32::from_le_bytes(bytes[..4].try_into().unwrap()))
}

/// (index, id, name, balance, note)
type Row = (String, i32, Vec<u8>, i32, Option<Vec<u8>>);

/// Every row as the cursor's session sees it, through each index in
/// turn: (index, id, name, balance, note) in index order.
fn dump(cursor: &mut Cursor, c: Columns) -> Vec<Row> {
    let mut rows = Vec::new();
    for index in ["ById", "ByName", "ByBalance"] {
        cursor.set_current_index(Some(index), 0).unwrap();
        let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
        while more {
            let id = cursor.retrieve(c.id, 0).unwrap().unwrap();
            rows.push((
                index.to_string(),
                i32::from_le_bytes(id[..4].try_into().unwrap()),
                cursor.retrieve(c.name, 0).unwrap().unwrap_or_default(),
                cursor
                    .retrieve(c.balance, 0)
                    .unwrap()
                    .map_or(0, |b| i32::from_le_bytes(b[..4].try_into().unwrap())),
                cursor.retrieve(c.note, 0).unwrap(),
            ));
            more = cursor.move_(JET_MoveNext, 0).is_ok();
        }
    }
    cursor.set_current_index(None, 0).unwrap();
    rows
}

/// Ends the instance, then checks every page and every B+tree of the file.
fn check_clean(f: Fixture) -> ese::structure_check::StructureReport {
    let path = f.path.clone();
    drop(f.session);
    f.instance.term().unwrap();
    let report = ese::integrity::check_database(&path).unwrap();
    assert!(report.is_clean(), "{report:?}");
    common::assert_structure_clean(&path)
}

#[test]
fn transaction_calls_give_their_documented_errors() {
    let (f, _) = fixture();
    let s = &f.session;
    assert_eq!(
        s.commit_transaction(0).unwrap_err().code(),
        JET_errNotInTransaction
    );
    assert_eq!(s.rollback(0).unwrap_err().code(), JET_errNotInTransaction);
    // Flushing earlier commits is allowed outside a transaction.
    s.commit_transaction(JET_bitWaitLastLevel0Commit).unwrap();
    s.commit_transaction(JET_bitWaitAllLevel0Commit).unwrap();
    for level in 1..=MAX_TRANSACTION_LEVELS {
        s.begin_transaction().unwrap();
        assert_eq!(s.transaction_level(), level);
    }
    assert_eq!(MAX_TRANSACTION_LEVELS, 7);
    assert_eq!(
        s.begin_transaction().unwrap_err().code(),
        JET_errTransTooDeep
    );
    assert_eq!(s.transaction_level(), 7, "a failed begin changes nothing");
    assert_eq!(
        s.commit_transaction(JET_bitWaitLastLevel0Commit | JET_bitCommitLazyFlush)
            .unwrap_err()
            .code(),
        JET_errInvalidGrbit
    );
    assert_eq!(
        s.commit_transaction(0x4).unwrap_err().code(),
        JET_errInvalidGrbit
    );
    assert_eq!(s.rollback(0x2).unwrap_err().code(), JET_errInvalidGrbit);
    assert_eq!(s.transaction_level(), 7, "a refused commit changes nothing");
    s.commit_transaction(JET_bitCommitLazyFlush).unwrap();
    assert_eq!(s.transaction_level(), 6);
    s.rollback(0).unwrap();
    assert_eq!(s.transaction_level(), 5);
    s.rollback(JET_bitRollbackAll).unwrap();
    assert_eq!(s.transaction_level(), 0);
    let _ = check_clean(f);
}

#[test]
fn rollback_restores_identical_results_for_every_record_change() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    for id in 1..=50 {
        insert(&mut cursor, c, id, &format!("name{id:03}"), id * 10).unwrap();
    }
    f.session.begin_transaction().unwrap();
    set(&mut cursor, 7, c.note, &vec![7u8; 5000]).unwrap();
    f.session.commit_transaction(0).unwrap();
    let before = dump(&mut cursor, c);
    f.session.begin_transaction().unwrap();
    // Inserts (one with a long value), replaces that move index entries
    // (and replace a long value), deletes (one with a long value).
    insert(&mut cursor, c, 100, "new", 5).unwrap();
    set(&mut cursor, 100, c.note, &vec![1u8; 9000]).unwrap();
    set(&mut cursor, 3, c.name, b"renamed").unwrap();
    set(&mut cursor, 4, c.balance, &999i32.to_le_bytes()).unwrap();
    set(&mut cursor, 7, c.note, &vec![8u8; 3000]).unwrap();
    for id in [10, 11, 12, 7] {
        assert!(seek_id(&mut cursor, id));
        cursor.delete().unwrap();
    }
    let during = dump(&mut cursor, c);
    assert_ne!(during, before);
    assert!(during.iter().any(|r| r.1 == 100));
    f.session.rollback(0).unwrap();
    assert_eq!(dump(&mut cursor, c), before);
    // What the rollback left is a working table: the same changes again,
    // committed this time.
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, c, 100, "new", 5).unwrap();
    assert!(seek_id(&mut cursor, 10));
    cursor.delete().unwrap();
    f.session.commit_transaction(0).unwrap();
    let after = dump(&mut cursor, c);
    assert!(after.iter().any(|r| r.1 == 100));
    assert!(!after.iter().any(|r| r.1 == 10));
    drop(cursor);
    f.instance.clean_versions().unwrap();
    assert_eq!(f.instance.version_stats().versions, 0);
    let _ = check_clean(f);
}

#[test]
fn a_save_point_rolls_back_alone_and_an_inner_commit_joins_the_outer_level() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    let s = &f.session;
    s.begin_transaction().unwrap();
    insert(&mut cursor, c, 1, "a", 1).unwrap();
    s.begin_transaction().unwrap();
    insert(&mut cursor, c, 2, "b", 2).unwrap();
    set(&mut cursor, 1, c.balance, &10i32.to_le_bytes()).unwrap();
    s.rollback(0).unwrap();
    assert_eq!(balance(&mut cursor, c, 1), Some(1));
    assert_eq!(balance(&mut cursor, c, 2), None);
    s.begin_transaction().unwrap();
    insert(&mut cursor, c, 3, "c", 3).unwrap();
    s.commit_transaction(0).unwrap();
    assert_eq!(s.transaction_level(), 1);
    // The inner commit only merged level 2 into level 1: rolling back
    // level 1 undoes it too.
    s.rollback(0).unwrap();
    assert_eq!(balance(&mut cursor, c, 1), None);
    assert_eq!(balance(&mut cursor, c, 3), None);
    assert!(dump(&mut cursor, c).is_empty());
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn a_transaction_reads_the_database_as_of_its_begin() {
    let (f, c) = fixture();
    let other = f.instance.begin_session().unwrap();
    let mut mine = open(&f, &f.session);
    let mut theirs = open(&f, &other);
    for id in 1..=5 {
        insert(&mut theirs, c, id, &format!("n{id}"), 100).unwrap();
    }
    f.session.begin_transaction().unwrap();
    let snapshot = dump(&mut mine, c);
    // Another session, outside any transaction: a replace, an insert and a
    // delete, each committed at once.
    set(&mut theirs, 1, c.balance, &200i32.to_le_bytes()).unwrap();
    insert(&mut theirs, c, 6, "n6", 100).unwrap();
    assert!(seek_id(&mut theirs, 2));
    theirs.delete().unwrap();
    // And in a transaction of its own, committed.
    other.begin_transaction().unwrap();
    set(&mut theirs, 3, c.name, b"renamed").unwrap();
    other.commit_transaction(0).unwrap();
    assert_eq!(balance(&mut theirs, c, 1), Some(200));
    assert_eq!(balance(&mut theirs, c, 2), None);
    // This transaction still reads what it read at its begin, through
    // every index, repeatably.
    assert_eq!(dump(&mut mine, c), snapshot);
    assert_eq!(balance(&mut mine, c, 1), Some(100));
    assert_eq!(balance(&mut mine, c, 2), Some(100));
    assert_eq!(balance(&mut mine, c, 6), None);
    assert_eq!(dump(&mut mine, c), snapshot);
    // Its own change is visible to it.
    set(&mut mine, 4, c.balance, &1i32.to_le_bytes()).unwrap();
    assert_eq!(balance(&mut mine, c, 4), Some(1));
    assert_eq!(balance(&mut theirs, c, 4), Some(100), "not committed yet");
    f.session.commit_transaction(0).unwrap();
    // After the commit, both see everything.
    assert_eq!(dump(&mut mine, c), dump(&mut theirs, c));
    assert_eq!(balance(&mut mine, c, 1), Some(200));
    assert_eq!(balance(&mut theirs, c, 4), Some(1));
    drop((mine, theirs, other));
    let _ = check_clean(f);
}

#[test]
fn uncommitted_changes_are_invisible_and_a_rollback_never_shows() {
    let (f, c) = fixture();
    let other = f.instance.begin_session().unwrap();
    let mut mine = open(&f, &f.session);
    let mut theirs = open(&f, &other);
    insert(&mut mine, c, 1, "one", 50).unwrap();
    let before = dump(&mut theirs, c);
    f.session.begin_transaction().unwrap();
    set(&mut mine, 1, c.balance, &60i32.to_le_bytes()).unwrap();
    insert(&mut mine, c, 2, "two", 70).unwrap();
    assert_eq!(dump(&mut theirs, c), before);
    // Not even inside another transaction.
    other.begin_transaction().unwrap();
    assert_eq!(dump(&mut theirs, c), before);
    other.commit_transaction(0).unwrap();
    f.session.rollback(0).unwrap();
    assert_eq!(dump(&mut theirs, c), before);
    assert_eq!(dump(&mut mine, c), before);
    drop((mine, theirs, other));
    let _ = check_clean(f);
}

#[test]
fn the_first_writer_wins_and_the_loser_can_go_on() {
    let (f, c) = fixture();
    let other = f.instance.begin_session().unwrap();
    let mut mine = open(&f, &f.session);
    let mut theirs = open(&f, &other);
    for id in 1..=3 {
        insert(&mut mine, c, id, &format!("n{id}"), 0).unwrap();
    }
    f.session.begin_transaction().unwrap();
    other.begin_transaction().unwrap();
    set(&mut mine, 1, c.balance, &1i32.to_le_bytes()).unwrap();
    // Uncommitted by the other: a conflict on replace and on delete.
    assert_eq!(
        set(&mut theirs, 1, c.balance, &2i32.to_le_bytes()),
        Err(JET_errWriteConflict)
    );
    assert!(seek_id(&mut theirs, 1));
    assert_eq!(theirs.delete().unwrap_err().code(), JET_errWriteConflict);
    // The loser's transaction goes on with other records.
    set(&mut theirs, 2, c.balance, &2i32.to_le_bytes()).unwrap();
    f.session.commit_transaction(0).unwrap();
    // Committed after the loser began: still a conflict.
    assert_eq!(
        set(&mut theirs, 1, c.balance, &3i32.to_le_bytes()),
        Err(JET_errWriteConflict)
    );
    // An insert of a key another transaction holds is a duplicate (as
    // ESE reports it), here the unique Name of record 1 renamed by it.
    f.session.begin_transaction().unwrap();
    set(&mut mine, 3, c.name, b"taken").unwrap();
    assert_eq!(
        insert(&mut theirs, c, 9, "taken", 0),
        Err(JET_errKeyDuplicate)
    );
    f.session.rollback(0).unwrap();
    other.commit_transaction(0).unwrap();
    assert_eq!(balance(&mut mine, c, 1), Some(1));
    assert_eq!(balance(&mut mine, c, 2), Some(2));
    // A new transaction begins after the winner's commit: no conflict.
    other.begin_transaction().unwrap();
    set(&mut theirs, 1, c.balance, &4i32.to_le_bytes()).unwrap();
    other.commit_transaction(0).unwrap();
    assert_eq!(balance(&mut mine, c, 1), Some(4));
    drop((mine, theirs, other));
    let _ = check_clean(f);
}

/// Inside a transaction the unique index's own insert finds a taken key
/// (no lookup before the first change): the record's primary node and
/// the entries of the indexes before it are taken back, as outside one.
#[test]
fn an_insert_a_unique_index_refuses_leaves_no_trace_in_or_out_of_a_transaction() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    insert(&mut cursor, c, 1, "taken", 10).unwrap();
    let before = dump(&mut cursor, c);
    assert_eq!(before.len(), 3, "one row through each of the three indexes");
    // Out of a transaction: looked up before any change.
    assert_eq!(
        insert(&mut cursor, c, 2, "taken", 20),
        Err(JET_errKeyDuplicate)
    );
    cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(dump(&mut cursor, c), before);
    // In one, the taken key is met after the primary insert and the
    // entry of the non-unique index: both are undone, and the
    // transaction goes on.
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, c, 3, "fresh", 30).unwrap();
    let with_fresh = dump(&mut cursor, c);
    // With a long value too, written to the long-value tree before the
    // record: taken back with the rest.
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(c.id, Some(&4i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.set_column(c.name, Some(b"taken"), 0, None).unwrap();
    cursor
        .set_column(c.balance, Some(&40i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor
        .set_column(c.note, Some(&vec![7u8; 5000]), 0, None)
        .unwrap();
    assert_eq!(cursor.update().unwrap_err().code(), JET_errKeyDuplicate);
    cursor.prepare_update(JET_prepCancel).unwrap();
    assert!(!seek_id(&mut cursor, 4));
    assert_eq!(dump(&mut cursor, c), with_fresh);
    // A key this transaction itself inserted is taken too.
    assert_eq!(
        insert(&mut cursor, c, 5, "fresh", 50),
        Err(JET_errKeyDuplicate)
    );
    cursor.prepare_update(JET_prepCancel).unwrap();
    f.session.commit_transaction(0).unwrap();
    assert_eq!(dump(&mut cursor, c), with_fresh);
    assert_eq!(with_fresh.len(), 6);
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn a_read_only_transaction_refuses_every_change() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    insert(&mut cursor, c, 1, "one", 1).unwrap();
    f.session
        .begin_transaction2(JET_bitTransactionReadOnly)
        .unwrap();
    assert_eq!(
        insert(&mut cursor, c, 2, "two", 2),
        Err(JET_errTransReadOnly)
    );
    assert!(seek_id(&mut cursor, 1));
    assert_eq!(cursor.delete().unwrap_err().code(), JET_errTransReadOnly);
    let mut create = TableCreate {
        name: "more".into(),
        ..Default::default()
    };
    assert_eq!(
        f.session
            .create_table_column_index(f.dbid, &mut create)
            .unwrap_err()
            .code(),
        JET_errTransReadOnly
    );
    // Reads work; a nested begin does not lift the restriction.
    assert_eq!(balance(&mut cursor, c, 1), Some(1));
    f.session.begin_transaction().unwrap();
    assert_eq!(
        insert(&mut cursor, c, 2, "two", 2),
        Err(JET_errTransReadOnly)
    );
    f.session.commit_transaction(0).unwrap();
    f.session.commit_transaction(0).unwrap();
    insert(&mut cursor, c, 2, "two", 2).unwrap();
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn a_rollback_closes_cursors_and_cancels_updates_of_its_save_point() {
    let (f, c) = fixture();
    let mut outer = open(&f, &f.session);
    insert(&mut outer, c, 1, "one", 1).unwrap();
    f.session.begin_transaction().unwrap();
    let mut inner = open(&f, &f.session);
    assert_eq!(balance(&mut inner, c, 1), Some(1));
    assert!(seek_id(&mut outer, 1));
    outer.prepare_update(JET_prepReplace).unwrap();
    f.session.rollback(0).unwrap();
    assert_eq!(
        inner.move_(JET_MoveFirst, 0).unwrap_err().code(),
        JET_errInvalidTableId
    );
    // The cursor opened before the transaction stays open; the update it
    // prepared inside is gone.
    assert_eq!(outer.update().unwrap_err().code(), JET_errUpdateNotPrepared);
    assert_eq!(balance(&mut outer, c, 1), Some(1));
    drop((inner, outer));
    let _ = check_clean(f);
}

/// Every JetPrepareUpdate inside a transaction needs a flag its save
/// point's rollback sets. After hundreds of updates in a save point, its
/// rollback still closes the cursor opened in it and cancels the update
/// prepared in it, also when that cursor's previous update was prepared in
/// the outer save point and nothing was registered in the inner one
/// before (a registration that reused the previous flag there would leave
/// the inner update standing).
#[test]
fn a_rollback_after_many_updates_still_closes_and_cancels_what_its_save_point_opened() {
    let (f, c) = fixture();
    let mut outer = open(&f, &f.session);
    insert(&mut outer, c, 1, "one", 1).unwrap();
    f.session.begin_transaction().unwrap();
    // An update prepared and done in the outer save point.
    insert(&mut outer, c, 2, "two", 2).unwrap();
    f.session.begin_transaction().unwrap();
    // Prepared first in the inner save point, with nothing registered in
    // it yet: the flag of the outer update is the last one registered.
    assert!(seek_id(&mut outer, 1));
    outer.prepare_update(JET_prepReplace).unwrap();
    let mut inner = open(&f, &f.session);
    let mut writer = open(&f, &f.session);
    for id in 3..300 {
        insert(&mut writer, c, id, &format!("n{id}"), 1).unwrap();
    }
    f.session.rollback(0).unwrap();
    assert_eq!(
        inner.move_(JET_MoveFirst, 0).unwrap_err().code(),
        JET_errInvalidTableId
    );
    assert_eq!(outer.update().unwrap_err().code(), JET_errUpdateNotPrepared);
    assert_eq!(balance(&mut outer, c, 1), Some(1));
    assert_eq!(balance(&mut outer, c, 2), Some(2));
    assert_eq!(balance(&mut outer, c, 3), None);
    f.session.rollback(0).unwrap();
    assert_eq!(balance(&mut outer, c, 2), None);
    drop((inner, outer, writer));
    let _ = check_clean(f);
}

/// A cursor that prepares update after update in one save point reuses
/// its flag there (one per update would grow with the transaction): the
/// save point's rollback must still cancel the last update prepared, also
/// after an inner save point's commit moved its flags down, and a flag
/// raised by a rollback is never reused.
#[test]
fn updates_prepared_again_in_one_save_point_are_still_cancelled_by_its_rollback() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    f.session.begin_transaction().unwrap();
    for id in 1..50 {
        insert(&mut cursor, c, id, &format!("n{id}"), id).unwrap();
    }
    // An inner save point's update, committed into this one.
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, c, 50, "n50", 50).unwrap();
    f.session.commit_transaction(0).unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    f.session.rollback(0).unwrap();
    assert_eq!(
        cursor.update().unwrap_err().code(),
        JET_errUpdateNotPrepared
    );
    assert_eq!(balance(&mut cursor, c, 1), None);
    assert_eq!(balance(&mut cursor, c, 50), None);
    // The raised flag is not reused: the next transaction's update stands
    // until its own rollback.
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, c, 60, "n60", 60).unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    f.session.rollback(0).unwrap();
    assert_eq!(
        cursor.update().unwrap_err().code(),
        JET_errUpdateNotPrepared
    );
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, c, 70, "n70", 70).unwrap();
    f.session.commit_transaction(0).unwrap();
    assert_eq!(balance(&mut cursor, c, 70), Some(70));
    assert_eq!(balance(&mut cursor, c, 60), None);
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn a_full_version_store_refuses_the_change_and_the_rollback_still_works() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    for id in 1..=10 {
        insert(&mut cursor, c, id, &format!("n{id}"), id).unwrap();
    }
    let before = dump(&mut cursor, c);
    // One version page: 32 KiB.
    f.instance.set_max_version_pages(1);
    f.session.begin_transaction().unwrap();
    let mut failure = None;
    for id in 100..10_000 {
        if let Err(code) = insert(&mut cursor, c, id, &format!("n{id}"), id) {
            failure = Some((id, code));
            break;
        }
    }
    let (at, code) = failure.expect("the version store never filled");
    assert_eq!(code, JET_errVersionStoreOutOfMemory);
    assert!(at > 110, "the store filled after {} inserts", at - 100);
    let stats = f.instance.version_stats();
    assert!(stats.bytes <= stats.limit, "{stats:?}");
    // The failed insert left nothing behind; the rollback undoes the rest.
    let _ = cursor.prepare_update(JET_prepCancel);
    assert_eq!(balance(&mut cursor, c, at), None);
    f.session.rollback(0).unwrap();
    assert_eq!(dump(&mut cursor, c), before);
    // And the engine keeps working, in and out of transactions.
    f.instance.set_max_version_pages(64);
    f.session.begin_transaction().unwrap();
    insert(&mut cursor, c, 11, "n11", 11).unwrap();
    f.session.commit_transaction(0).unwrap();
    insert(&mut cursor, c, 12, "n12", 12).unwrap();
    assert_eq!(balance(&mut cursor, c, 12), Some(12));
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn cleanup_waits_for_the_oldest_transaction_then_removes_deleted_nodes() {
    let (f, c) = fixture();
    let reader = f.instance.begin_session().unwrap();
    let mut cursor = open(&f, &f.session);
    let mut old = open(&f, &reader);
    for id in 1..=20 {
        insert(&mut cursor, c, id, &format!("n{id}"), id).unwrap();
    }
    reader.begin_transaction().unwrap();
    let snapshot = dump(&mut old, c);
    f.session.begin_transaction().unwrap();
    for id in 1..=10 {
        assert!(seek_id(&mut cursor, id));
        cursor.delete().unwrap();
    }
    f.session.commit_transaction(0).unwrap();
    f.instance.clean_versions().unwrap();
    // The long-running reader holds the versions, and the counters say so.
    let stats = f.instance.version_stats();
    assert!(stats.versions >= 10, "{stats:?}");
    assert_eq!(stats.active_transactions, 1);
    assert!(stats.oldest_transaction_age > 0);
    assert_eq!(stats.cleanup_waiting, 1);
    assert_eq!(dump(&mut old, c), snapshot);
    reader.commit_transaction(0).unwrap();
    f.instance.clean_versions().unwrap();
    let stats = f.instance.version_stats();
    assert_eq!((stats.versions, stats.bytes), (0, 0), "{stats:?}");
    assert_eq!(stats.cleanup_waiting, 0);
    assert_eq!(dump(&mut old, c).len(), 30);
    drop((cursor, old, reader));
    // The deletes are gone from the pages, not only flagged.
    let report = check_clean(f);
    assert_eq!(report.deleted_nodes, 0);
}

/// A cleanup pass with thousands of nodes (more than half the store)
/// sweeps the store once instead of looking each node up: the same
/// outcome, checked here on that path. A reader holds the deletes' versions
/// first, then every deleted node is removed from the pages.
#[test]
fn the_cleanup_of_a_large_transaction_removes_every_node_it_deleted() {
    let (f, c) = fixture();
    let reader = f.instance.begin_session().unwrap();
    let mut cursor = open(&f, &f.session);
    let mut old = open(&f, &reader);
    f.session.begin_transaction().unwrap();
    for id in 1..=3000 {
        insert(&mut cursor, c, id, &format!("n{id}"), id % 7).unwrap();
    }
    f.session.commit_transaction(0).unwrap();
    f.instance.clean_versions().unwrap();
    assert_eq!(f.instance.version_stats().versions, 0);
    reader.begin_transaction().unwrap();
    let snapshot = dump(&mut old, c);
    assert_eq!(snapshot.len(), 9000);
    f.session.begin_transaction().unwrap();
    for id in (2..=3000).step_by(2) {
        assert!(seek_id(&mut cursor, id));
        cursor.delete().unwrap();
    }
    f.session.commit_transaction(0).unwrap();
    f.instance.clean_versions().unwrap();
    assert!(f.instance.version_stats().versions >= 4500);
    assert_eq!(dump(&mut old, c), snapshot);
    reader.commit_transaction(0).unwrap();
    f.instance.clean_versions().unwrap();
    let stats = f.instance.version_stats();
    assert_eq!((stats.versions, stats.bytes), (0, 0), "{stats:?}");
    let rows = dump(&mut cursor, c);
    assert_eq!(rows.len(), 4500);
    assert!(rows.iter().all(|(_, id, ..)| id % 2 == 1));
    drop((cursor, old, reader));
    let report = check_clean(f);
    assert_eq!(report.deleted_nodes, 0);
}

#[test]
fn read_locks_share_and_write_locks_exclude() {
    let (f, c) = fixture();
    let other = f.instance.begin_session().unwrap();
    let mut mine = open(&f, &f.session);
    let mut theirs = open(&f, &other);
    insert(&mut mine, c, 1, "one", 1).unwrap();
    insert(&mut mine, c, 2, "two", 2).unwrap();
    assert!(seek_id(&mut mine, 1));
    assert_eq!(
        mine.get_lock(JET_bitReadLock).unwrap_err().code(),
        JET_errNotInTransaction
    );
    f.session.begin_transaction().unwrap();
    for bad in [0, JET_bitReadLock | JET_bitWriteLock, 0x4] {
        assert_eq!(mine.get_lock(bad).unwrap_err().code(), JET_errInvalidGrbit);
    }
    other.begin_transaction().unwrap();
    // Read locks share; each blocks the other session's change.
    assert!(seek_id(&mut mine, 1));
    mine.get_lock(JET_bitReadLock).unwrap();
    assert!(seek_id(&mut theirs, 1));
    theirs.get_lock(JET_bitReadLock).unwrap();
    assert_eq!(
        set(&mut theirs, 1, c.balance, &5i32.to_le_bytes()),
        Err(JET_errWriteConflict)
    );
    assert_eq!(
        set(&mut mine, 1, c.balance, &5i32.to_le_bytes()),
        Err(JET_errWriteConflict)
    );
    // The rollback releases the other session's lock: the change goes.
    other.rollback(0).unwrap();
    set(&mut mine, 1, c.balance, &5i32.to_le_bytes()).unwrap();
    // A write lock excludes read locks, write locks and changes.
    assert!(seek_id(&mut mine, 2));
    mine.get_lock(JET_bitWriteLock).unwrap();
    other.begin_transaction().unwrap();
    assert!(seek_id(&mut theirs, 2));
    for grbit in [JET_bitReadLock, JET_bitWriteLock] {
        assert_eq!(
            theirs.get_lock(grbit).unwrap_err().code(),
            JET_errWriteConflict
        );
    }
    assert_eq!(
        set(&mut theirs, 2, c.balance, &7i32.to_le_bytes()),
        Err(JET_errWriteConflict)
    );
    other.rollback(0).unwrap();
    // A lock taken in a rolled-back save point is released with it.
    f.session.rollback(0).unwrap();
    assert_eq!(balance(&mut theirs, c, 1), Some(1));
    other.begin_transaction().unwrap();
    set(&mut theirs, 2, c.balance, &7i32.to_le_bytes()).unwrap();
    other.commit_transaction(0).unwrap();
    assert_eq!(balance(&mut mine, c, 2), Some(7));
    drop((mine, theirs, other));
    let _ = check_clean(f);
}

/// A `counters` table: Id (autoincrement, primary) and Count (escrow,
/// default 100).
fn counters(f: &Fixture) -> (u32, u32) {
    let mut create = TableCreate {
        name: "counters".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnAutoincrement),
            ColumnCreate {
                default_value: Some(100i32.to_le_bytes().to_vec()),
                ..ColumnCreate::new("Count", JET_coltypLong, JET_bitColumnEscrowUpdate)
            },
        ],
        indexes: vec![IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    drop(
        f.session
            .create_table_column_index(f.dbid, &mut create)
            .unwrap(),
    );
    (create.columns[0].column_id, create.columns[1].column_id)
}

fn count(cursor: &mut Cursor, column: u32) -> i32 {
    cursor.move_(JET_MoveFirst, 0).unwrap();
    let bytes = cursor.retrieve(column, 0).unwrap().unwrap();
    i32::from_le_bytes(bytes[..4].try_into().unwrap())
}

#[test]
fn escrow_updates_of_concurrent_transactions_add_up_without_conflicts() {
    let (f, _) = fixture();
    let (_, column) = counters(&f);
    let other = f.instance.begin_session().unwrap();
    let mut mine = f.session.open_table(f.dbid, "counters", 0).unwrap();
    let dbid = other.open_database(&f.path, 0).unwrap();
    let mut theirs = other.open_table(dbid, "counters", 0).unwrap();
    mine.prepare_update(JET_prepInsert).unwrap();
    mine.update().unwrap();
    let reader = f.instance.begin_session().unwrap();
    let dbid = reader.open_database(&f.path, 0).unwrap();
    let mut watcher = reader.open_table(dbid, "counters", 0).unwrap();
    reader.begin_transaction().unwrap();
    f.session.begin_transaction().unwrap();
    other.begin_transaction().unwrap();
    mine.move_(JET_MoveFirst, 0).unwrap();
    theirs.move_(JET_MoveFirst, 0).unwrap();
    // Both add to the same record: no write conflict.
    mine.escrow_update(column, 5, 0).unwrap();
    theirs.escrow_update(column, 7, 0).unwrap();
    mine.escrow_update(column, 1, 0).unwrap();
    // Each sees its own deltas, none of the other's uncommitted ones.
    assert_eq!(count(&mut mine, column), 106);
    assert_eq!(count(&mut theirs, column), 107);
    assert_eq!(count(&mut watcher, column), 100);
    // A replace of the record conflicts with the other's pending delta
    // (inside a transaction JET_prepReplace write-locks the record at
    // once, so the conflict shows there).
    theirs.move_(JET_MoveFirst, 0).unwrap();
    assert_eq!(
        theirs.prepare_update(JET_prepReplace).unwrap_err().code(),
        JET_errWriteConflict
    );
    // One rolls back, the other commits: only the committed deltas stay.
    f.session.rollback(0).unwrap();
    assert_eq!(count(&mut theirs, column), 107);
    other.commit_transaction(0).unwrap();
    assert_eq!(count(&mut mine, column), 107);
    // The snapshot begun before both still reads the old total.
    assert_eq!(count(&mut watcher, column), 100);
    reader.commit_transaction(0).unwrap();
    assert_eq!(count(&mut watcher, column), 107);
    drop((mine, theirs, watcher, other, reader));
    let _ = check_clean(f);
}

#[test]
fn autoincrement_values_are_not_given_back_by_a_rollback() {
    let (f, _) = fixture();
    let (id, _) = counters(&f);
    let mut cursor = f.session.open_table(f.dbid, "counters", 0).unwrap();
    let next = |cursor: &mut Cursor| -> i32 {
        cursor.prepare_update(JET_prepInsert).unwrap();
        let bytes = cursor.retrieve(id, JET_bitRetrieveCopy).unwrap().unwrap();
        cursor.update().unwrap();
        i32::from_le_bytes(bytes[..4].try_into().unwrap())
    };
    assert_eq!(next(&mut cursor), 1);
    f.session.begin_transaction().unwrap();
    assert_eq!(next(&mut cursor), 2);
    assert_eq!(next(&mut cursor), 3);
    f.session.rollback(0).unwrap();
    // As ESE documents: the numbers a rolled-back insert took stay used.
    assert_eq!(next(&mut cursor), 4);
    cursor.move_(JET_MoveFirst, 0).unwrap();
    let mut ids = Vec::new();
    loop {
        let bytes = cursor.retrieve(id, 0).unwrap().unwrap();
        ids.push(i32::from_le_bytes(bytes[..4].try_into().unwrap()));
        if cursor.move_(JET_MoveNext, 0).is_err() {
            break;
        }
    }
    assert_eq!(ids, [1, 4]);
    drop(cursor);
    let _ = check_clean(f);
}

/// Everything the session can learn about the database's schema and the
/// rows of `accounts` (when it can open it): table names, each table's
/// columns and indexes (with their entry counts), every row.
fn whole_state(f: &Fixture, c: Columns) -> String {
    let mut out = String::new();
    for name in f.session.table_names(f.dbid).unwrap() {
        let Ok(mut cursor) = f.session.open_table(f.dbid, &name, 0) else {
            out.push_str(&format!("{name}: cannot open\n"));
            continue;
        };
        out.push_str(&format!(
            "{name}: {:?}\n{:?}\n",
            cursor.get_table_columns().unwrap(),
            cursor.get_table_index_info(None).unwrap()
        ));
        if name == "accounts" {
            out.push_str(&format!("{:?}\n", dump(&mut cursor, c)));
        }
    }
    out
}

/// Before the transaction: a table `doomed` with rows, a column `Spare`
/// on `accounts`, and 20 accounts.
fn ddl_setup(f: &Fixture, c: Columns) -> Cursor {
    let mut cursor = open(f, &f.session);
    for id in 1..=20 {
        insert(&mut cursor, c, id, &format!("n{id:02}"), id % 4).unwrap();
    }
    cursor
        .add_column(&ColumnCreate::new("Spare", JET_coltypText, 0))
        .unwrap();
    let mut create = TableCreate {
        name: "doomed".into(),
        columns: vec![ColumnCreate::new("K", JET_coltypLong, 0)],
        indexes: vec![IndexCreate::new("ByK", "+K\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    let mut doomed = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    for k in 0..50i32 {
        doomed.prepare_update(JET_prepInsert).unwrap();
        doomed
            .set_column(create.columns[0].column_id, Some(&k.to_le_bytes()), 0, None)
            .unwrap();
        doomed.update().unwrap();
    }
    cursor
}

/// DDL of every kind inside the open transaction, with record changes
/// between them.
fn ddl_of_every_kind(f: &Fixture, c: Columns, cursor: &mut Cursor) {
    let mut create = TableCreate {
        name: "extra".into(),
        columns: vec![ColumnCreate::new("X", JET_coltypLong, 0)],
        indexes: vec![IndexCreate::new("ByX", "+X\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    let mut extra = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    for x in 0..30i32 {
        extra.prepare_update(JET_prepInsert).unwrap();
        extra
            .set_column(create.columns[0].column_id, Some(&x.to_le_bytes()), 0, None)
            .unwrap();
        extra.update().unwrap();
    }
    let added = cursor
        .add_column(&ColumnCreate::new("Extra", JET_coltypLong, 0))
        .unwrap();
    set(cursor, 5, added, &77i32.to_le_bytes()).unwrap();
    cursor
        .create_index(&[IndexCreate::new("ByExtra", "+Extra\0\0", 0)])
        .unwrap();
    insert(cursor, c, 100, "new", 1).unwrap();
    cursor.delete_column("Spare").unwrap();
    // Documented as refused inside a transaction.
    assert_eq!(
        cursor.rename_column("Name", "Label").unwrap_err().code(),
        JET_errInTransaction
    );
    assert_eq!(
        cursor
            .add_column(&ColumnCreate::new(
                "U",
                JET_coltypLong,
                JET_bitColumnUnversioned
            ))
            .unwrap_err()
            .code(),
        JET_errInTransaction
    );
    assert_eq!(
        cursor
            .create_index(&[IndexCreate::new("U", "+Id\0\0", JET_bitIndexUnversioned)])
            .unwrap_err()
            .code(),
        JET_errInTransaction
    );
    assert_eq!(
        f.session
            .create_database(f.path.with_extension("other"), 0)
            .unwrap_err()
            .code(),
        JET_errInTransaction
    );
    assert_eq!(
        f.session.detach_database(None).unwrap_err().code(),
        JET_errInTransaction
    );
    cursor.delete_index("ByBalance").unwrap();
    assert_eq!(
        cursor
            .set_current_index(Some("ByBalance"), 0)
            .unwrap_err()
            .code(),
        JET_errIndexNotFound
    );
    assert!(seek_id(cursor, 3));
    cursor.delete().unwrap();
    f.session.rename_table(f.dbid, "accounts", "accts").unwrap();
    f.session.delete_table(f.dbid, "doomed").unwrap();
    assert_eq!(
        f.session
            .open_table(f.dbid, "doomed", 0)
            .unwrap_err()
            .code(),
        JET_errObjectNotFound
    );
}

#[test]
fn ddl_in_a_rolled_back_transaction_leaves_identical_results() {
    let (f, c) = fixture();
    let mut cursor = ddl_setup(&f, c);
    let before = whole_state(&f, c);
    let other = f.instance.begin_session().unwrap();
    let other_db = other.open_database(&f.path, 0).unwrap();
    f.session.begin_transaction().unwrap();
    ddl_of_every_kind(&f, c, &mut cursor);
    // Other sessions do not see the new table and cannot open the ones
    // this transaction changed or deleted.
    assert_eq!(
        other.open_table(other_db, "extra", 0).unwrap_err().code(),
        JET_errObjectNotFound
    );
    for name in ["accts", "doomed"] {
        assert_eq!(
            other.open_table(other_db, name, 0).unwrap_err().code(),
            JET_errTableLocked,
            "{name}"
        );
    }
    f.session.rollback(0).unwrap();
    assert_eq!(whole_state(&f, c), before);
    // Everything is open to the other session again.
    for name in ["accounts", "doomed"] {
        drop(other.open_table(other_db, name, 0).unwrap());
    }
    assert_eq!(
        other.open_table(other_db, "extra", 0).unwrap_err().code(),
        JET_errObjectNotFound
    );
    drop((cursor, other));
    let _ = check_clean(f);
}

#[test]
fn ddl_in_a_committed_transaction_takes_effect_at_the_commit() {
    let (f, c) = fixture();
    let mut cursor = ddl_setup(&f, c);
    f.session.begin_transaction().unwrap();
    ddl_of_every_kind(&f, c, &mut cursor);
    f.session.commit_transaction(0).unwrap();
    let other = f.instance.begin_session().unwrap();
    let other_db = other.open_database(&f.path, 0).unwrap();
    let names = other.table_names(other_db).unwrap();
    assert!(names.contains(&"extra".to_string()), "{names:?}");
    assert!(names.contains(&"accts".to_string()), "{names:?}");
    assert!(!names.contains(&"doomed".to_string()), "{names:?}");
    let mut accts = other.open_table(other_db, "accts", 0).unwrap();
    let indexes: Vec<String> = accts
        .get_table_index_info(None)
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert!(indexes.contains(&"ByExtra".to_string()), "{indexes:?}");
    assert!(!indexes.contains(&"ByBalance".to_string()), "{indexes:?}");
    assert!(accts.get_table_column_info("Name").is_ok());
    assert_eq!(
        accts.get_table_column_info("Spare").unwrap_err().code(),
        JET_errColumnNotFound
    );
    assert_eq!(balance(&mut accts, c, 3), None);
    assert_eq!(balance(&mut accts, c, 100), Some(1));
    drop((cursor, accts, other));
    // The deleted table's and index's pages went back: the checker finds
    // no leak.
    let _ = check_clean(f);
}

#[test]
fn a_long_value_stored_apart_needs_a_transaction() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(c.id, Some(&1i32.to_le_bytes()), 0, None)
        .unwrap();
    // Small enough to stay in the record: no transaction needed.
    cursor
        .set_column(c.note, Some(&[1u8; 1000]), 0, None)
        .unwrap();
    // Stored apart (above 1,023 bytes, or asked for): ESE writes it to the
    // long-value tree at once, only inside a transaction.
    assert_eq!(
        cursor
            .set_column(c.note, Some(&[1u8; 1024]), 0, None)
            .unwrap_err()
            .code(),
        JET_errNotInTransaction
    );
    assert_eq!(
        cursor
            .set_column(c.note, Some(&[1u8; 10]), JET_bitSetSeparateLV, None)
            .unwrap_err()
            .code(),
        JET_errNotInTransaction
    );
    cursor.update().unwrap();
    f.session.begin_transaction3(42, 0).unwrap();
    set(&mut cursor, 1, c.note, &[2u8; 5000]).unwrap();
    let commit = f.session.commit_transaction2(0, 0).unwrap();
    assert!(commit > 0);
    assert!(seek_id(&mut cursor, 1));
    assert_eq!(
        cursor.retrieve(c.note, 0).unwrap().unwrap(),
        vec![2u8; 5000]
    );
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn an_escrow_update_without_rollback_stays_and_is_seen_at_once() {
    let (f, _) = fixture();
    let (_, column) = counters(&f);
    let mut cursor = f.session.open_table(f.dbid, "counters", 0).unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor.update().unwrap();
    let other = f.instance.begin_session().unwrap();
    let dbid = other.open_database(&f.path, 0).unwrap();
    let mut theirs = other.open_table(dbid, "counters", 0).unwrap();
    f.session.begin_transaction().unwrap();
    cursor.move_(JET_MoveFirst, 0).unwrap();
    cursor
        .escrow_update(column, 10, JET_bitEscrowNoRollback)
        .unwrap();
    cursor.escrow_update(column, 1, 0).unwrap();
    // Seen by the other session before any commit; the versioned delta
    // is not.
    assert_eq!(count(&mut theirs, column), 110);
    f.session.rollback(0).unwrap();
    assert_eq!(count(&mut theirs, column), 110);
    assert_eq!(count(&mut cursor, column), 110);
    drop((cursor, theirs, other));
    let _ = check_clean(f);
}

#[test]
fn the_version_store_limit_is_an_instance_option() {
    let dir = scratch_dir();
    let instance = Instance::new(InstanceOptions {
        max_version_pages: 3,
        ..InstanceOptions::new(dir.path().join("system"))
    })
    .unwrap();
    assert_eq!(instance.version_stats().limit, 3 * 32 * 1024);
}

#[test]
fn insert_copy_delete_original_works_inside_a_transaction() {
    let (f, c) = fixture();
    let mut cursor = open(&f, &f.session);
    insert(&mut cursor, c, 1, "one", 10).unwrap();
    f.session.begin_transaction().unwrap();
    assert!(seek_id(&mut cursor, 1));
    cursor
        .prepare_update(JET_prepInsertCopyDeleteOriginal)
        .unwrap();
    cursor
        .set_column(c.id, Some(&2i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.set_column(c.name, Some(b"two"), 0, None).unwrap();
    cursor.update().unwrap();
    assert_eq!(balance(&mut cursor, c, 1), None);
    assert_eq!(balance(&mut cursor, c, 2), Some(10));
    f.session.rollback(0).unwrap();
    assert_eq!(balance(&mut cursor, c, 1), Some(10));
    assert_eq!(balance(&mut cursor, c, 2), None);
    drop(cursor);
    let _ = check_clean(f);
}

#[test]
fn a_lock_on_a_record_deleted_since_is_refused_and_leaves_nothing_behind() {
    let (f, c) = fixture();
    let other = f.instance.begin_session().unwrap();
    let mut mine = open(&f, &f.session);
    let mut theirs = open(&f, &other);
    insert(&mut mine, c, 1, "one", 1).unwrap();
    assert!(seek_id(&mut theirs, 1));
    assert!(seek_id(&mut mine, 1));
    mine.delete().unwrap();
    other.begin_transaction().unwrap();
    assert_eq!(
        theirs.get_lock(JET_bitReadLock).unwrap_err().code(),
        JET_errRecordDeleted
    );
    other.rollback(0).unwrap();
    drop((mine, theirs, other));
    f.instance.clean_versions().unwrap();
    let report = check_clean(f);
    assert_eq!(report.deleted_nodes, 0);
}

#[test]
fn ending_a_session_in_a_transaction_undoes_its_ddl_and_frees_its_tables() {
    let (f, c) = fixture();
    drop(ddl_setup(&f, c));
    let other = f.instance.begin_session().unwrap();
    let other_db = other.open_database(&f.path, 0).unwrap();
    {
        let session = f.instance.begin_session().unwrap();
        let dbid = session.open_database(&f.path, 0).unwrap();
        session.begin_transaction().unwrap();
        let mut cursor = session.open_table(dbid, "accounts", 0).unwrap();
        cursor
            .add_column(&ColumnCreate::new("Temp", JET_coltypLong, 0))
            .unwrap();
        session.delete_table(dbid, "doomed").unwrap();
        // Outside a transaction, the other session must still wait.
        assert_eq!(
            other
                .rename_table(other_db, "accounts", "x")
                .unwrap_err()
                .code(),
            JET_errTableLocked
        );
        assert_eq!(
            other.delete_table(other_db, "doomed").unwrap_err().code(),
            JET_errTableLocked
        );
        drop(cursor);
        // JetEndSession with the transaction open.
    }
    let mut accounts = other.open_table(other_db, "accounts", 0).unwrap();
    assert_eq!(
        accounts.get_table_column_info("Temp").unwrap_err().code(),
        JET_errColumnNotFound
    );
    drop(other.open_table(other_db, "doomed", 0).unwrap());
    drop((accounts, other));
    let _ = check_clean(f);
}
