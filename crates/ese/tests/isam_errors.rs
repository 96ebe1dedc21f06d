//! The documented errors of the ISAM API for bad arguments and bad
//! states, each reached the way a caller would reach it.

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::scratch_dir;

struct Fixture {
    _dir: ese_testkit::TempDir,
    session: Session,
    dbid: DbId,
    cursor: Cursor,
    /// Id (Long, primary), Name (Text NOT NULL, unique), Small (Text 10
    /// bytes max), Flag (Bit), Blob (LongBinary 100 bytes max), Tags
    /// (multi-valued).
    columns: [u32; 6],
}

fn fixture() -> Fixture {
    let dir = scratch_dir();
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session
        .create_database(dir.path().join("errors.edb"), 0)
        .unwrap();
    let mut create = TableCreate {
        name: "t".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Name", JET_coltypText, JET_bitColumnNotNULL),
            ColumnCreate {
                max_size: 10,
                ..ColumnCreate::new("Small", JET_coltypText, 0)
            },
            ColumnCreate::new("Flag", JET_coltypBit, 0),
            ColumnCreate {
                max_size: 100,
                ..ColumnCreate::new("Blob", JET_coltypLongBinary, 0)
            },
            ColumnCreate::new("Tags", JET_coltypText, JET_bitColumnMultiValued),
        ],
        indexes: vec![
            IndexCreate::new("Primary", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new("ByName", "+Name\0\0", JET_bitIndexUnique),
        ],
        ..Default::default()
    };
    let cursor = session
        .create_table_column_index(dbid, &mut create)
        .unwrap();
    let columns = [0, 1, 2, 3, 4, 5].map(|i| create.columns[i].column_id);
    Fixture {
        _dir: dir,
        session,
        dbid,
        cursor,
        columns,
    }
}

fn insert(f: &mut Fixture, id: i32, name: &str) -> ese::Result<Vec<u8>> {
    let c = &mut f.cursor;
    c.prepare_update(JET_prepInsert)?;
    c.set_column(f.columns[0], Some(&id.to_le_bytes()), 0, None)?;
    c.set_column(f.columns[1], Some(name.as_bytes()), 0, None)?;
    c.update()
}

fn code<T: std::fmt::Debug>(result: ese::Result<T>) -> i32 {
    result.expect_err("the call must fail").code()
}

#[test]
fn unknown_columns_are_column_not_found() {
    let mut f = fixture();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    assert_eq!(
        code(f.cursor.set_column(9999, Some(b"x"), 0, None)),
        JET_errColumnNotFound
    );
    assert_eq!(
        code(f.cursor.set_column(0, Some(b"x"), 0, None)),
        JET_errBadColumnId
    );
    assert_eq!(
        code(f.cursor.get_table_column_info("Nope")),
        JET_errColumnNotFound
    );
    assert_eq!(
        code(f.session.get_column_info(f.dbid, "t", "Nope")),
        JET_errColumnNotFound
    );
    let mut buffer = [0u8; 4];
    assert_eq!(
        code(
            f.cursor
                .retrieve_column(9999, &mut buffer, JET_bitRetrieveCopy, None)
        ),
        JET_errColumnNotFound
    );
    // A key column that does not exist.
    assert_eq!(
        code(
            f.cursor
                .create_index(&[IndexCreate::new("Bad", "+Nope\0\0", 0)])
        ),
        JET_errColumnNotFound
    );
    // Unknown tables and indexes.
    assert_eq!(
        code(f.session.open_table(f.dbid, "missing", 0)),
        JET_errObjectNotFound
    );
    assert_eq!(
        code(f.cursor.set_current_index(Some("missing"), 0)),
        JET_errIndexNotFound
    );
}

#[test]
fn fixed_columns_take_exactly_their_size() {
    let mut f = fixture();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    assert_eq!(
        code(f.cursor.set_column(f.columns[0], Some(&[1, 2]), 0, None)),
        JET_errInvalidBufferSize
    );
    assert_eq!(
        code(f.cursor.set_column(f.columns[3], Some(&[1, 0]), 0, None)),
        JET_errInvalidBufferSize
    );
    // JetMakeKey checks too.
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(
        code(f.cursor.make_key(&[1, 2, 3], JET_bitNewKey)),
        JET_errInvalidBufferSize
    );
}

#[test]
fn values_beyond_a_column_limit_are_column_too_big() {
    let mut f = fixture();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    assert_eq!(
        code(
            f.cursor
                .set_column(f.columns[2], Some(&[b'a'; 11]), 0, None)
        ),
        JET_errColumnTooBig
    );
    f.cursor
        .set_column(f.columns[2], Some(&[b'a'; 10]), 0, None)
        .unwrap();
    assert_eq!(
        code(f.cursor.set_column(f.columns[4], Some(&[0; 101]), 0, None)),
        JET_errColumnTooBig
    );
    // Appending past the limit, too.
    f.cursor
        .set_column(f.columns[4], Some(&[0; 60]), 0, None)
        .unwrap();
    let info = SetInfo {
        ib_long_value: 0,
        itag_sequence: 1,
    };
    assert_eq!(
        code(
            f.cursor
                .set_column(f.columns[4], Some(&[0; 60]), JET_bitSetAppendLV, Some(info))
        ),
        JET_errColumnTooBig
    );
    // Text and binary columns hold at most 255 bytes.
    let mut too_wide = ColumnCreate::new("Wide", JET_coltypBinary, 0);
    too_wide.max_size = 256;
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(
        code(f.cursor.add_column(&too_wide)),
        JET_errInvalidParameter
    );
}

#[test]
fn null_into_not_null_is_null_invalid() {
    let mut f = fixture();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    // Setting NULL explicitly is refused at once...
    assert_eq!(
        code(f.cursor.set_column(f.columns[1], None, 0, None)),
        JET_errNullInvalid
    );
    // ... and leaving the column unset is refused at JetUpdate.
    f.cursor
        .set_column(f.columns[0], Some(&1i32.to_le_bytes()), 0, None)
        .unwrap();
    assert_eq!(code(f.cursor.update()), JET_errNullInvalid);
    // Nothing was written.
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(f.cursor.index_record_count(0).unwrap(), 0);
}

#[test]
fn duplicate_keys_are_key_duplicate_and_change_nothing() {
    let mut f = fixture();
    insert(&mut f, 1, "one").unwrap();
    // The same primary key.
    assert_eq!(code(insert(&mut f, 1, "uno")), JET_errKeyDuplicate);
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    // The same value in a unique secondary index.
    assert_eq!(code(insert(&mut f, 2, "one")), JET_errKeyDuplicate);
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(f.cursor.index_record_count(0).unwrap(), 1);
    f.cursor.set_current_index(Some("ByName"), 0).unwrap();
    assert_eq!(f.cursor.index_record_count(0).unwrap(), 1);
    // A replace that would collide.
    insert(&mut f, 2, "two").unwrap();
    f.cursor.set_current_index(None, 0).unwrap();
    f.cursor
        .make_key(&2i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    f.cursor.seek(JET_bitSeekEQ).unwrap();
    f.cursor.prepare_update(JET_prepReplace).unwrap();
    f.cursor
        .set_column(f.columns[1], Some(b"one"), 0, None)
        .unwrap();
    assert_eq!(code(f.cursor.update()), JET_errKeyDuplicate);
    // Changing the primary key by a replace is refused.
    f.cursor
        .set_column(f.columns[1], Some(b"two"), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[0], Some(&7i32.to_le_bytes()), 0, None)
        .unwrap();
    assert_eq!(code(f.cursor.update()), JET_errRecordPrimaryChanged);
    // A second primary index.
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(
        code(
            f.cursor
                .create_index(&[IndexCreate::new("P2", "+Name\0\0", JET_bitIndexPrimary)])
        ),
        JET_errIndexHasPrimary
    );
    // A unique index over duplicate values cannot be built.
    insert(&mut f, 3, "three").unwrap();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    f.cursor
        .set_column(f.columns[0], Some(&4i32.to_le_bytes()), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[1], Some(b"four"), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[2], Some(b"same"), 0, None)
        .unwrap();
    f.cursor.update().unwrap();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    f.cursor
        .set_column(f.columns[0], Some(&5i32.to_le_bytes()), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[1], Some(b"five"), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[2], Some(b"same"), 0, None)
        .unwrap();
    f.cursor.update().unwrap();
    assert_eq!(
        code(f.cursor.create_index(&[
            IndexCreate::new("First", "+Name\0\0", 0),
            IndexCreate::new("BySmall", "+Small\0\0", JET_bitIndexUnique),
        ])),
        JET_errKeyDuplicate
    );
    // All or nothing: the index made before the failing one is gone too.
    assert_eq!(
        code(f.cursor.set_current_index(Some("First"), 0)),
        JET_errIndexNotFound
    );
    assert_eq!(
        code(f.cursor.set_current_index(Some("BySmall"), 0)),
        JET_errIndexNotFound
    );
    // Duplicate names.
    assert_eq!(
        code(
            f.cursor
                .add_column(&ColumnCreate::new("name", JET_coltypLong, 0))
        ),
        JET_errColumnDuplicate
    );
    assert_eq!(
        code(
            f.cursor
                .create_index(&[IndexCreate::new("byname", "+Small\0\0", 0)])
        ),
        JET_errIndexDuplicate
    );
    assert_eq!(
        code(f.session.create_table(f.dbid, "T", 0, 0)),
        JET_errTableDuplicate
    );
}

#[test]
fn a_cursor_off_any_record_says_no_current_record() {
    let mut f = fixture();
    // An empty table.
    assert_eq!(
        code(f.cursor.move_(JET_MoveFirst, 0)),
        JET_errNoCurrentRecord
    );
    assert_eq!(
        code(f.cursor.move_(JET_MoveNext, 0)),
        JET_errNoCurrentRecord
    );
    assert_eq!(
        code(f.cursor.retrieve(f.columns[0], 0)),
        JET_errNoCurrentRecord
    );
    assert_eq!(code(f.cursor.get_bookmark()), JET_errNoCurrentRecord);
    assert_eq!(code(f.cursor.delete()), JET_errNoCurrentRecord);
    assert_eq!(
        code(f.cursor.prepare_update(JET_prepReplace)),
        JET_errNoCurrentRecord
    );
    assert_eq!(code(f.cursor.retrieve_key(0)), JET_errNoCurrentRecord);
    // Past the last record.
    insert(&mut f, 1, "one").unwrap();
    f.cursor.move_(JET_MoveFirst, 0).unwrap();
    assert_eq!(
        code(f.cursor.move_(JET_MoveNext, 0)),
        JET_errNoCurrentRecord
    );
    assert_eq!(
        code(f.cursor.retrieve(f.columns[0], 0)),
        JET_errNoCurrentRecord
    );
    // And back.
    f.cursor.move_(JET_MovePrevious, 0).unwrap();
    assert_eq!(f.cursor.retrieve(f.columns[1], 0).unwrap().unwrap(), b"one");
    // A deleted record.
    f.cursor.delete().unwrap();
    assert_eq!(
        code(f.cursor.retrieve(f.columns[0], 0)),
        JET_errRecordDeleted
    );
    // An index range with nothing left in it.
    insert(&mut f, 5, "five").unwrap();
    f.cursor.move_(JET_MoveFirst, 0).unwrap();
    f.cursor
        .make_key(&5i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    f.cursor
        .set_index_range(JET_bitRangeUpperLimit | JET_bitRangeInclusive)
        .unwrap();
    assert_eq!(
        code(f.cursor.move_(JET_MoveNext, 0)),
        JET_errNoCurrentRecord
    );
    f.cursor
        .make_key(&4i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    assert_eq!(
        code(
            f.cursor
                .set_index_range(JET_bitRangeUpperLimit | JET_bitRangeInclusive)
        ),
        JET_errNoCurrentRecord
    );
}

#[test]
fn seeks_that_find_nothing_are_record_not_found() {
    let mut f = fixture();
    assert_eq!(code(f.cursor.seek(JET_bitSeekEQ)), JET_errKeyNotMade);
    f.cursor
        .make_key(&1i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    assert_eq!(code(f.cursor.seek(JET_bitSeekEQ)), JET_errRecordNotFound);
    for id in [10, 20, 30] {
        insert(&mut f, id, &format!("n{id}")).unwrap();
    }
    for (mode, key, found) in [
        (JET_bitSeekEQ, 15, None::<i32>),
        (JET_bitSeekGE, 15, Some(20)),
        (JET_bitSeekGT, 30, None),
        (JET_bitSeekLE, 5, None),
        (JET_bitSeekLT, 10, None),
        (JET_bitSeekLE, 25, Some(20)),
        (JET_bitSeekLT, 20, Some(10)),
        (JET_bitSeekGT, 20, Some(30)),
    ] {
        f.cursor
            .make_key(&i32::to_le_bytes(key), JET_bitNewKey)
            .unwrap();
        match found {
            None => assert_eq!(
                code(f.cursor.seek(mode)),
                JET_errRecordNotFound,
                "{mode:#x} {key}"
            ),
            Some(id) => {
                let warning = f.cursor.seek(mode).unwrap();
                assert_eq!(warning, JET_wrnSeekNotEqual, "{mode:#x} {key}");
                let got = f.cursor.retrieve(f.columns[0], 0).unwrap().unwrap();
                assert_eq!(got, id.to_le_bytes(), "{mode:#x} {key}");
            }
        }
    }
    // A seek that finds nothing leaves the cursor where the entry would
    // have been: not on a record, but moves go on from there.
    f.cursor
        .make_key(&15i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    assert_eq!(code(f.cursor.seek(JET_bitSeekEQ)), JET_errRecordNotFound);
    assert_eq!(
        code(f.cursor.retrieve(f.columns[0], 0)),
        JET_errNoCurrentRecord
    );
    f.cursor.move_(JET_MoveNext, 0).unwrap();
    assert_eq!(
        f.cursor.retrieve(f.columns[0], 0).unwrap().unwrap(),
        20i32.to_le_bytes()
    );
    f.cursor
        .make_key(&15i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    assert_eq!(code(f.cursor.seek(JET_bitSeekEQ)), JET_errRecordNotFound);
    f.cursor.move_(JET_MovePrevious, 0).unwrap();
    assert_eq!(
        f.cursor.retrieve(f.columns[0], 0).unwrap().unwrap(),
        10i32.to_le_bytes()
    );
    // JET_bitCheckUniqueness: exactly one entry matches the key.
    f.cursor
        .make_key(&20i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    assert_eq!(
        f.cursor
            .seek(JET_bitSeekEQ | JET_bitCheckUniqueness)
            .unwrap(),
        JET_wrnUniqueKey
    );
    f.cursor.set_current_index(Some("ByName"), 0).unwrap();
    f.cursor
        .make_key(b"n2", JET_bitNewKey | JET_bitPartialColumnStartLimit)
        .unwrap();
    // "n20" and "n30" do not both start with "n2"; "n10" neither: unique.
    assert_eq!(
        f.cursor
            .seek(JET_bitSeekEQ | JET_bitCheckUniqueness)
            .unwrap(),
        JET_wrnUniqueKey
    );
    f.cursor
        .make_key(b"n", JET_bitNewKey | JET_bitPartialColumnStartLimit)
        .unwrap();
    // Three names start with "n": found, not unique.
    assert_eq!(
        f.cursor
            .seek(JET_bitSeekEQ | JET_bitCheckUniqueness)
            .unwrap(),
        0
    );
    f.cursor.set_current_index(None, 0).unwrap();

    // A bookmark of a deleted record.
    f.cursor
        .make_key(&20i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    f.cursor.seek(JET_bitSeekEQ).unwrap();
    let bookmark = f.cursor.get_bookmark().unwrap();
    f.cursor.delete().unwrap();
    assert_eq!(
        code(f.cursor.goto_bookmark(&bookmark)),
        JET_errRecordNotFound
    );
}

#[test]
fn invalid_option_bits_are_invalid_grbit() {
    let mut f = fixture();
    assert_eq!(
        code(f.cursor.move_(JET_MoveNext, 0x100)),
        JET_errInvalidGrbit
    );
    assert_eq!(
        code(f.cursor.seek(JET_bitSeekEQ | JET_bitSeekGE)),
        JET_errInvalidGrbit
    );
    assert_eq!(code(f.cursor.seek(0)), JET_errInvalidGrbit);
    assert_eq!(
        code(f.cursor.make_key(b"x", 0x8000_0000)),
        JET_errInvalidGrbit
    );
    assert_eq!(
        code(f.cursor.make_key(
            &1i32.to_le_bytes(),
            JET_bitNewKey | JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit
        )),
        JET_errInvalidGrbit
    );
    // A partial limit on a column that is not text or binary.
    assert_eq!(
        code(f.cursor.make_key(
            &1i32.to_le_bytes(),
            JET_bitNewKey | JET_bitPartialColumnEndLimit
        )),
        JET_errInvalidGrbit
    );
    assert_eq!(code(f.cursor.set_index_range(0x100)), JET_errInvalidGrbit);
    assert_eq!(
        code(f.cursor.retrieve(f.columns[0], 0x4000)),
        JET_errInvalidGrbit
    );
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    assert_eq!(
        code(
            f.cursor
                .set_column(f.columns[1], Some(b"x"), 0x4000_0000, None)
        ),
        JET_errInvalidGrbit
    );
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(
        code(f.session.open_table(f.dbid, "t", 0x4000_0000)),
        JET_errInvalidGrbit
    );
    assert_eq!(
        code(
            f.cursor
                .create_index(&[IndexCreate::new("X", "+Name\0\0", 0x8000_0000)])
        ),
        JET_errInvalidGrbit
    );
    assert_eq!(
        code(
            f.cursor
                .add_column(&ColumnCreate::new("X", JET_coltypLong, 0x4000_0000))
        ),
        JET_errInvalidGrbit
    );
    assert_eq!(
        code(f.cursor.set_current_index(None, 0x10)),
        JET_errInvalidGrbit
    );
    assert_eq!(code(f.cursor.enumerate_columns(0x8)), JET_errInvalidGrbit);
}

#[test]
fn updates_need_a_prepared_update_and_only_one() {
    let mut f = fixture();
    assert_eq!(
        code(f.cursor.set_column(f.columns[0], Some(&[0; 4]), 0, None)),
        JET_errUpdateNotPrepared
    );
    assert_eq!(code(f.cursor.update()), JET_errUpdateNotPrepared);
    assert_eq!(
        code(f.cursor.prepare_update(JET_prepCancel)),
        JET_errUpdateNotPrepared
    );
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    assert_eq!(
        code(f.cursor.prepare_update(JET_prepInsert)),
        JET_errAlreadyPrepared
    );
    assert_eq!(code(f.cursor.prepare_update(99)), JET_errInvalidParameter);
}

#[test]
fn keys_are_made_in_order_and_only_while_there_is_room() {
    let mut f = fixture();
    assert_eq!(
        code(f.cursor.make_key(&1i32.to_le_bytes(), 0)),
        JET_errKeyNotMade
    );
    f.cursor
        .make_key(&1i32.to_le_bytes(), JET_bitNewKey)
        .unwrap();
    // The primary index has one key column: the key is complete.
    assert_eq!(
        code(f.cursor.make_key(&1i32.to_le_bytes(), 0)),
        JET_errKeyIsMade
    );
    assert_eq!(
        code(f.cursor.set_index_range(JET_bitRangeRemove)),
        JET_errInvalidOperation
    );
}

#[test]
fn multi_values_can_be_kept_unique() {
    let mut f = fixture();
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    let add = SetInfo {
        ib_long_value: 0,
        itag_sequence: 0,
    };
    f.cursor
        .set_column(
            f.columns[5],
            Some(b"a"),
            JET_bitSetUniqueMultiValues,
            Some(add),
        )
        .unwrap();
    assert_eq!(
        code(f.cursor.set_column(
            f.columns[5],
            Some(b"a"),
            JET_bitSetUniqueMultiValues,
            Some(add)
        )),
        JET_errMultiValuedDuplicate
    );
    // Unique values with a long-value offset is an invalid combination.
    assert_eq!(
        code(f.cursor.set_column(
            f.columns[5],
            Some(b"b"),
            JET_bitSetUniqueMultiValues | JET_bitSetAppendLV,
            Some(add)
        )),
        JET_errInvalidGrbit
    );
    // Without the option, duplicates are kept.
    f.cursor
        .set_column(f.columns[5], Some(b"a"), 0, Some(add))
        .unwrap();
    let mut count = [RetrieveColumn {
        column_id: f.columns[5],
        grbit: JET_bitRetrieveCopy,
        itag_sequence: 0,
        ..Default::default()
    }];
    f.cursor.retrieve_columns(&mut count).unwrap();
    assert_eq!(count[0].itag_sequence, 2);
}

#[test]
fn databases_and_handles() {
    let dir = scratch_dir();
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let session = instance.begin_session().unwrap();
    let path = dir.path().join("db.edb");
    let dbid = session.create_database(&path, 0).unwrap();
    assert_eq!(
        code(session.create_database(&path, 0)),
        JET_errDatabaseDuplicate
    );
    assert_eq!(
        code(session.create_database(&path, 0x8000)),
        JET_errInvalidGrbit
    );
    // Attached already: a warning.
    assert_eq!(
        session.attach_database(&path, 0).unwrap(),
        JET_wrnDatabaseAttached
    );
    assert_eq!(
        code(session.attach_database(dir.path().join("none.edb"), 0)),
        JET_errFileNotFound
    );
    assert_eq!(
        code(session.open_database(dir.path().join("none.edb"), 0)),
        JET_errDatabaseNotFound
    );
    // Open databases cannot be detached.
    assert_eq!(
        code(session.detach_database(Some(&path))),
        JET_errDatabaseInUse
    );
    session.close_database(dbid, 0).unwrap();
    assert_eq!(
        code(session.close_database(dbid, 0)),
        JET_errInvalidDatabaseId
    );
    assert_eq!(
        code(session.open_table(dbid, "t", 0)),
        JET_errInvalidDatabaseId
    );
    session.detach_database(Some(&path)).unwrap();
    assert_eq!(
        code(session.detach_database(Some(&path))),
        JET_errDatabaseNotFound
    );
    // Attached read-only: no updates.
    session.attach_database(&path, JET_bitDbReadOnly).unwrap();
    let dbid = session.open_database(&path, 0).unwrap();
    assert_eq!(
        code(session.create_table(dbid, "t", 0, 0)),
        JET_errPermissionDenied
    );
    // Bad names.
    assert_eq!(code(TableName::check("")), JET_errInvalidName);
}

struct TableName;
impl TableName {
    fn check(name: &str) -> ese::Result<()> {
        let dir = scratch_dir();
        let instance = Instance::init(dir.path().join("s")).unwrap();
        let session = instance.begin_session().unwrap();
        let dbid = session
            .create_database(dir.path().join("n.edb"), 0)
            .unwrap();
        session.create_table(dbid, name, 0, 0).map(|_| ())
    }
}

#[test]
fn keys_are_cut_at_their_limit_unless_the_index_forbids_it() {
    let mut f = fixture();
    // 2,000 bytes is the most an 8 KiB page allows a key.
    let too_long = IndexCreate {
        key_most: 2001,
        ..IndexCreate::new("TooLong", "+Small\0\0", 0)
    };
    assert_eq!(
        code(f.cursor.create_index(&[too_long])),
        JET_errIndexInvalidDef
    );
    // Name keys cut at 6 bytes: the prefix byte and 5 characters, no room
    // for the terminator; a unique index then sees two names as one.
    let short = IndexCreate {
        key_most: 6,
        ..IndexCreate::new(
            "Short",
            "+Name\0\0",
            JET_bitIndexUnique | JET_bitIndexIgnoreNull,
        )
    };
    let strict = IndexCreate {
        key_most: 6,
        ..IndexCreate::new(
            "Strict",
            "+Small\0\0",
            JET_bitIndexDisallowTruncation | JET_bitIndexIgnoreNull,
        )
    };
    f.cursor.create_index(&[short, strict]).unwrap();
    insert(&mut f, 1, "abcdef").unwrap();
    assert_eq!(code(insert(&mut f, 2, "abcdeq")), JET_errKeyDuplicate);
    f.cursor.prepare_update(JET_prepCancel).unwrap();
    insert(&mut f, 3, "abcx").unwrap();
    // A value whose key would be cut is refused where the index says so.
    f.cursor.prepare_update(JET_prepInsert).unwrap();
    f.cursor
        .set_column(f.columns[0], Some(&4i32.to_le_bytes()), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[1], Some(b"z"), 0, None)
        .unwrap();
    f.cursor
        .set_column(f.columns[2], Some(b"0123456789"), 0, None)
        .unwrap();
    assert_eq!(code(f.cursor.update()), JET_errKeyTruncated);
    f.cursor
        .set_column(f.columns[2], Some(b"0123"), 0, None)
        .unwrap();
    f.cursor.update().unwrap();
}

#[test]
fn bad_definitions_get_their_documented_errors() {
    let f = fixture();
    let table = |columns: Vec<ColumnCreate>, indexes: Vec<IndexCreate>| TableCreate {
        name: "bad".into(),
        columns,
        indexes,
        ..Default::default()
    };
    let create = |mut t: TableCreate| {
        f.session
            .create_table_column_index(f.dbid, &mut t)
            .map(|_| ())
    };
    let long = |name: &str| ColumnCreate::new(name, JET_coltypLong, 0);
    for (definition, expected) in [
        // Table level.
        (
            TableCreate {
                density: 5,
                ..table(vec![], vec![])
            },
            JET_errDensityInvalid,
        ),
        (
            TableCreate {
                grbit: 0x100,
                ..table(vec![], vec![])
            },
            JET_errInvalidGrbit,
        ),
        (
            TableCreate {
                name: "a.b".into(),
                ..table(vec![], vec![])
            },
            JET_errInvalidName,
        ),
        (
            TableCreate {
                template_table: Some("t".into()),
                ..table(vec![], vec![])
            },
            JET_errDDLNotInheritable,
        ),
        (
            TableCreate {
                template_table: Some("none".into()),
                ..table(vec![], vec![])
            },
            JET_errObjectNotFound,
        ),
        // Columns.
        (
            table(vec![ColumnCreate::new("C", 0, 0)], vec![]),
            JET_errInvalidColumnType,
        ),
        (
            table(vec![ColumnCreate::new("C", 99, 0)], vec![]),
            JET_errInvalidColumnType,
        ),
        (
            table(vec![long("C"), long("c")], vec![]),
            JET_errColumnDuplicate,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypLongText,
                    JET_bitColumnFixed,
                )],
                vec![],
            ),
            JET_errInvalidParameter,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypLong,
                    JET_bitColumnFixed | JET_bitColumnTagged,
                )],
                vec![],
            ),
            JET_errInvalidParameter,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypText,
                    JET_bitColumnAutoincrement,
                )],
                vec![],
            ),
            JET_errInvalidColumnType,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypLong,
                    JET_bitColumnAutoincrement | JET_bitColumnTagged,
                )],
                vec![],
            ),
            JET_errCannotBeTagged,
        ),
        (
            table(
                vec![
                    ColumnCreate::new("A", JET_coltypLong, JET_bitColumnAutoincrement),
                    ColumnCreate::new("B", JET_coltypLong, JET_bitColumnAutoincrement),
                ],
                vec![],
            ),
            JET_errColumnRedundant,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypShort,
                    JET_bitColumnVersion,
                )],
                vec![],
            ),
            JET_errInvalidColumnType,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypLong,
                    JET_bitColumnEscrowUpdate,
                )],
                vec![],
            ),
            JET_errInvalidParameter,
        ),
        (
            table(
                vec![ColumnCreate::new(
                    "C",
                    JET_coltypText,
                    JET_bitColumnCompressed,
                )],
                vec![],
            ),
            JET_errColumnCannotBeCompressed,
        ),
        (
            table(
                vec![ColumnCreate {
                    code_page: 437,
                    ..ColumnCreate::new("C", JET_coltypText, 0)
                }],
                vec![],
            ),
            JET_errInvalidCodePage,
        ),
        (
            table(
                vec![ColumnCreate {
                    max_size: 4,
                    default_value: Some(b"toolong".to_vec()),
                    ..ColumnCreate::new("C", JET_coltypText, 0)
                }],
                vec![],
            ),
            JET_errDefaultValueTooBig,
        ),
        (
            table(
                vec![ColumnCreate {
                    default_value: Some(vec![1, 2]),
                    ..long("C")
                }],
                vec![],
            ),
            JET_errInvalidBufferSize,
        ),
        (
            table(
                vec![ColumnCreate::new("C", JET_coltypLong, 0x4000_0000)],
                vec![],
            ),
            JET_errInvalidGrbit,
        ),
        // Indexes.
        (
            table(vec![long("C")], vec![IndexCreate::new("I", "\0\0", 0)]),
            JET_errIndexInvalidDef,
        ),
        (
            table(
                vec![long("C")],
                vec![IndexCreate::new("I", "+C\0+C\0\0", 0)],
            ),
            JET_errIndexInvalidDef,
        ),
        (
            table(vec![long("C")], vec![IndexCreate::new("I", "+D\0\0", 0)]),
            JET_errColumnNotFound,
        ),
        (
            table(
                vec![long("C")],
                vec![
                    IndexCreate::new("I", "+C\0\0", 0),
                    IndexCreate::new("i", "+C\0\0", 0),
                ],
            ),
            JET_errIndexDuplicate,
        ),
        (
            table(
                vec![long("C"), long("D")],
                vec![
                    IndexCreate::new("P1", "+C\0\0", JET_bitIndexPrimary),
                    IndexCreate::new("P2", "+D\0\0", JET_bitIndexPrimary),
                ],
            ),
            JET_errIndexHasPrimary,
        ),
        (
            table(
                vec![long("C")],
                vec![IndexCreate::new(
                    "P",
                    "+C\0\0",
                    JET_bitIndexPrimary | JET_bitIndexIgnoreNull,
                )],
            ),
            JET_errInvalidGrbit,
        ),
        (
            table(
                vec![long("C")],
                vec![IndexCreate {
                    density: 10,
                    ..IndexCreate::new("I", "+C\0\0", 0)
                }],
            ),
            JET_errDensityInvalid,
        ),
        (
            table(
                vec![long("C")],
                vec![IndexCreate {
                    conditional_columns: vec![ConditionalColumn {
                        name: "Nope".into(),
                        grbit: JET_bitIndexColumnMustBeNull,
                    }],
                    ..IndexCreate::new("I", "+C\0\0", 0)
                }],
            ),
            JET_errColumnNotFound,
        ),
        (
            table(
                vec![long("C")],
                vec![IndexCreate {
                    conditional_columns: vec![ConditionalColumn {
                        name: "C".into(),
                        grbit: 0x10,
                    }],
                    ..IndexCreate::new("I", "+C\0\0", 0)
                }],
            ),
            JET_errInvalidGrbit,
        ),
        (
            table(
                vec![
                    ColumnCreate::new("E", JET_coltypLong, JET_bitColumnEscrowUpdate)
                        .with_default(&0i32.to_le_bytes()),
                ],
                vec![IndexCreate::new("I", "+E\0\0", 0)],
            ),
            JET_errCannotIndex,
        ),
    ] {
        let name = definition.name.clone();
        let outcome = create(definition);
        assert_eq!(
            outcome.map_err(|e| e.code()),
            Err(expected),
            "{name}: expected {expected}"
        );
        // Nothing of a refused definition stays behind.
        assert_eq!(
            f.session.open_table(f.dbid, "bad", 0).unwrap_err().code(),
            JET_errObjectNotFound
        );
    }
}

#[test]
fn bad_calls_on_cursors_get_their_documented_errors() {
    let mut f = fixture();
    insert(&mut f, 1, "one").unwrap();
    let c = &mut f.cursor;
    c.move_(JET_MoveFirst, 0).unwrap();
    // Retrieval.
    let first = RetInfo {
        ib_long_value: 0,
        itag_sequence: 0,
    };
    let mut buffer = [0u8; 8];
    assert_eq!(
        code(c.retrieve_column(f.columns[0], &mut buffer, 0, Some(first))),
        JET_errBadItagSequence
    );
    assert_eq!(
        code(c.retrieve(
            f.columns[0],
            JET_bitRetrieveFromIndex | JET_bitRetrieveFromPrimaryBookmark
        )),
        JET_errInvalidGrbit
    );
    // Positions and keys.
    assert_eq!(code(c.goto_position(3, 2)), JET_errInvalidParameter);
    assert_eq!(code(c.goto_position(1, 0)), JET_errInvalidParameter);
    assert_eq!(
        code(c.make_key(&[0; 3000], JET_bitNormalizedKey)),
        JET_errInvalidParameter
    );
    assert_eq!(code(c.goto_bookmark(&[])), JET_errInvalidBookmark);
    assert_eq!(
        code(c.get_secondary_index_bookmark()),
        JET_errNoCurrentIndex
    );
    assert_eq!(code(c.dup_cursor(1)), JET_errInvalidGrbit);
    // Long values: the size form takes 4 bytes; overwriting past the end
    // has no chunk to write into.
    c.prepare_update(JET_prepReplace).unwrap();
    let at = |ib| {
        Some(SetInfo {
            ib_long_value: ib,
            itag_sequence: 1,
        })
    };
    c.set_column(f.columns[4], Some(b"0123456789"), 0, None)
        .unwrap();
    assert_eq!(
        code(c.set_column(f.columns[4], Some(&[1, 2]), JET_bitSetSizeLV, at(0))),
        JET_errInvalidBufferSize
    );
    assert_eq!(
        code(c.set_column(f.columns[4], Some(b"x"), JET_bitSetOverwriteLV, at(50))),
        JET_errColumnNoChunk
    );
    c.prepare_update(JET_prepCancel).unwrap();
    // DDL through a cursor.
    assert_eq!(code(c.delete_column("Nope")), JET_errColumnNotFound);
    assert_eq!(code(c.delete_index("Nope")), JET_errIndexNotFound);
    assert_eq!(code(c.rename_column("Nope", "X")), JET_errColumnNotFound);
    assert_eq!(code(c.rename_column("Name", "")), JET_errInvalidName);
    assert_eq!(
        code(f.session.rename_table(f.dbid, "nope", "x")),
        JET_errObjectNotFound
    );
    assert_eq!(
        code(f.session.rename_table(f.dbid, "MSysObjects", "x")),
        JET_errInvalidParameter
    );
    assert_eq!(
        code(f.session.close_database(f.dbid, 4)),
        JET_errInvalidGrbit
    );
}
