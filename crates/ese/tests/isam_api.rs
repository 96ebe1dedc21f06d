//! The ISAM API end to end: create a database and a table with indexes,
//! insert, scan, seek, replace, delete, and read the file back with the
//! independent read path and the structure checker.

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

fn fixture() -> Fixture {
    let dir = scratch_dir();
    let path = dir.path().join("api.edb");
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    Fixture {
        _dir: dir,
        path,
        instance,
        session,
        dbid,
    }
}

/// A table: Id (autoincrement, primary), Name (Unicode text, secondary
/// unique), Age (Long, secondary, descending), Tags (multi-valued, tagged).
fn people(f: &Fixture) -> (Cursor, [u32; 4]) {
    let mut create = TableCreate {
        name: "people".into(),
        columns: vec![
            ColumnCreate::new(
                "Id",
                JET_coltypLong,
                JET_bitColumnAutoincrement | JET_bitColumnNotNULL,
            ),
            ColumnCreate {
                code_page: 1200,
                ..ColumnCreate::new("Name", JET_coltypText, 0)
            },
            ColumnCreate::new("Age", JET_coltypLong, 0),
            ColumnCreate::new("Tags", JET_coltypText, JET_bitColumnMultiValued),
        ],
        indexes: vec![
            IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new("ByName", "+Name\0\0", JET_bitIndexUnique),
            IndexCreate::new("ByAge", "-Age\0\0", 0),
            IndexCreate::new("ByTag", "+Tags\0\0", JET_bitIndexIgnoreAnyNull),
        ],
        ..Default::default()
    };
    let cursor = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    let ids = [0, 1, 2, 3].map(|i| create.columns[i].column_id);
    (cursor, ids)
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn insert(cursor: &mut Cursor, ids: &[u32; 4], name: &str, age: i32, tags: &[&str]) -> Vec<u8> {
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(ids[1], Some(&utf16(name)), 0, None)
        .unwrap();
    cursor
        .set_column(ids[2], Some(&age.to_le_bytes()), 0, None)
        .unwrap();
    for tag in tags {
        cursor
            .set_column(
                ids[3],
                Some(tag.as_bytes()),
                0,
                Some(SetInfo {
                    ib_long_value: 0,
                    itag_sequence: 0,
                }),
            )
            .unwrap();
    }
    cursor.update().unwrap()
}

fn long_of(cursor: &mut Cursor, column: u32) -> i32 {
    let bytes = cursor.retrieve(column, 0).unwrap().unwrap();
    i32::from_le_bytes(bytes.try_into().unwrap())
}

#[test]
fn insert_scan_seek_replace_delete() {
    let f = fixture();
    let (mut cursor, ids) = people(&f);
    let names = ["carol", "alice", "dave", "bob", "erin"];
    for (i, name) in names.iter().enumerate() {
        insert(&mut cursor, &ids, name, 20 + i as i32 * 5, &["x", name]);
    }
    // Primary order: autoincrement 1..=5 in insertion order.
    cursor.move_(JET_MoveFirst, 0).unwrap();
    let mut seen = Vec::new();
    loop {
        seen.push(long_of(&mut cursor, ids[0]));
        if cursor.move_(JET_MoveNext, 0).is_err() {
            break;
        }
    }
    assert_eq!(seen, [1, 2, 3, 4, 5]);

    // Secondary, descending by age.
    cursor.set_current_index(Some("ByAge"), 0).unwrap();
    let mut ages = Vec::new();
    loop {
        ages.push(long_of(&mut cursor, ids[2]));
        if cursor.move_(JET_MoveNext, 0).is_err() {
            break;
        }
    }
    assert_eq!(ages, [40, 35, 30, 25, 20]);

    // Seek by name.
    cursor.set_current_index(Some("ByName"), 0).unwrap();
    cursor.make_key(&utf16("dave"), JET_bitNewKey).unwrap();
    assert_eq!(cursor.seek(JET_bitSeekEQ).unwrap(), 0);
    assert_eq!(long_of(&mut cursor, ids[2]), 30);
    cursor.make_key(&utf16("zed"), JET_bitNewKey).unwrap();
    assert_eq!(
        cursor.seek(JET_bitSeekEQ).unwrap_err().code(),
        JET_errRecordNotFound
    );

    // Unique violation leaves nothing behind.
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(ids[1], Some(&utf16("alice")), 0, None)
        .unwrap();
    assert_eq!(cursor.update().unwrap_err().code(), JET_errKeyDuplicate);
    cursor.prepare_update(JET_prepCancel).unwrap();
    // Counted from the current entry: the failed seek for "zed" left the
    // cursor where "zed" would be, after the last; then from "dave".
    assert_eq!(cursor.index_record_count(0).unwrap(), 0);
    cursor.make_key(&utf16("dave"), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).unwrap();
    assert_eq!(cursor.index_record_count(0).unwrap(), 2);
    cursor.move_(JET_MoveFirst, 0).unwrap();
    assert_eq!(cursor.index_record_count(0).unwrap(), 5);
    assert_eq!(cursor.index_record_count(3).unwrap(), 3);

    // Multi-valued index: one entry per tag.
    cursor.set_current_index(Some("ByTag"), 0).unwrap();
    assert_eq!(cursor.index_record_count(0).unwrap(), 10);
    cursor.make_key(b"x", JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ | JET_bitSetIndexRange).unwrap();
    assert_eq!(cursor.index_record_count(0).unwrap(), 5);

    // Replace an age; the descending index follows.
    cursor.set_current_index(Some("ByName"), 0).unwrap();
    cursor.make_key(&utf16("alice"), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).unwrap();
    cursor.prepare_update(JET_prepReplace).unwrap();
    cursor
        .set_column(ids[2], Some(&99i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    cursor.set_current_index(Some("ByAge"), 0).unwrap();
    assert_eq!(long_of(&mut cursor, ids[2]), 99);

    // Delete the oldest; moving on reaches the next.
    cursor.delete().unwrap();
    assert_eq!(
        cursor.retrieve(ids[2], 0).unwrap_err().code(),
        JET_errRecordDeleted
    );
    cursor.move_(JET_MoveNext, 0).unwrap();
    assert_eq!(long_of(&mut cursor, ids[2]), 40);
    assert_eq!(cursor.index_record_count(0).unwrap(), 4);

    drop(cursor);
    drop(f.session);
    f.instance.term().unwrap();
    let report = ese::integrity::check_database(&f.path).unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[test]
fn columns_indexes_and_tables_can_be_renamed_and_deleted() {
    let f = fixture();
    let (mut cursor, ids) = people(&f);
    for (i, name) in ["ann", "ben", "cid"].iter().enumerate() {
        insert(&mut cursor, &ids, name, 30 + i as i32, &["t"]);
    }
    // Deleting an indexed column is refused; after its index goes, not.
    assert_eq!(
        cursor.delete_column("Age").unwrap_err().code(),
        JET_errColumnInUse
    );
    cursor.delete_index("ByAge").unwrap();
    assert_eq!(
        cursor
            .set_current_index(Some("ByAge"), 0)
            .unwrap_err()
            .code(),
        JET_errIndexNotFound
    );
    assert_eq!(
        cursor.delete_index("ById").unwrap_err().code(),
        JET_errIndexMustStay
    );
    cursor.delete_column("Age").unwrap();
    assert_eq!(
        cursor.get_table_column_info("Age").unwrap_err().code(),
        JET_errColumnNotFound
    );
    // The records are still whole without it, and the name can be taken
    // again by a new column, which starts out NULL in every record.
    let age = cursor
        .add_column(&ColumnCreate::new("Age", JET_coltypLong, 0))
        .unwrap();
    assert_ne!(age, ids[2]);
    cursor.set_current_index(Some("ByName"), 0).unwrap();
    cursor.make_key(&utf16("ben"), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).unwrap();
    assert_eq!(cursor.retrieve(age, 0).unwrap(), None);
    assert_eq!(cursor.retrieve(ids[1], 0).unwrap(), Some(utf16("ben")));

    // Renames.
    cursor.rename_column("Name", "FullName").unwrap();
    assert_eq!(
        cursor.get_table_column_info("FullName").unwrap().column_id,
        ids[1]
    );
    assert_eq!(
        cursor.rename_column("Tags", "FullName").unwrap_err().code(),
        JET_errColumnDuplicate
    );
    drop(cursor);
    f.session.rename_table(f.dbid, "people", "persons").unwrap();
    assert_eq!(
        f.session
            .open_table(f.dbid, "people", 0)
            .unwrap_err()
            .code(),
        JET_errObjectNotFound
    );
    let mut cursor = f.session.open_table(f.dbid, "persons", 0).unwrap();
    assert_eq!(cursor.index_record_count(0).unwrap(), 3);

    // A table in use cannot be deleted; then it can, and its name is free.
    assert_eq!(
        f.session
            .delete_table(f.dbid, "persons")
            .unwrap_err()
            .code(),
        JET_errTableInUse
    );
    cursor.close();
    f.session.delete_table(f.dbid, "persons").unwrap();
    assert_eq!(
        f.session
            .open_table(f.dbid, "persons", 0)
            .unwrap_err()
            .code(),
        JET_errObjectNotFound
    );
    assert_eq!(
        f.session
            .delete_table(f.dbid, "MSysObjects")
            .unwrap_err()
            .code(),
        JET_errCannotDeleteSystemTable
    );
    let (cursor, _) = people(&f);
    drop(cursor);
    drop(f.session);
    f.instance.term().unwrap();
    // Every page the deleted index and table held went back to its parent:
    // the structure checker finds no leak and no stray owner.
    let report = ese::integrity::check_database(&f.path).unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[test]
fn derived_tables_inherit_columns_and_indexes_from_their_template() {
    let f = fixture();
    let mut template = TableCreate {
        name: "template".into(),
        grbit: JET_bitTableCreateTemplateTable,
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnAutoincrement),
            ColumnCreate::new("Name", JET_coltypText, 0),
            ColumnCreate::new("Tags", JET_coltypText, JET_bitColumnMultiValued),
            ColumnCreate {
                default_value: Some(7i32.to_le_bytes().to_vec()),
                ..ColumnCreate::new("Level", JET_coltypLong, 0)
            },
        ],
        indexes: vec![
            IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new("ByName", "+Name\0\0", 0),
        ],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut template)
        .unwrap();
    // A template's columns carry the template bit in their ids.
    let [id, name, tags, level] = [0, 1, 2, 3].map(|i| template.columns[i].column_id);
    assert!([id, name, tags, level].iter().all(|c| c & 0x8000_0000 != 0));
    // Its DDL is fixed, and it cannot be deleted.
    assert_eq!(
        cursor
            .add_column(&ColumnCreate::new("B", JET_coltypLong, 0))
            .unwrap_err()
            .code(),
        JET_errFixedDDL
    );
    drop(cursor);
    assert_eq!(
        f.session
            .delete_table(f.dbid, "template")
            .unwrap_err()
            .code(),
        JET_errCannotDeleteTemplateTable
    );

    let mut derived = TableCreate {
        name: "derived".into(),
        template_table: Some("template".into()),
        columns: vec![
            ColumnCreate::new("Extra", JET_coltypLong, 0),
            // The derived table's own first tagged column: number 256, as
            // the template's Tags.
            ColumnCreate::new("Note", JET_coltypText, JET_bitColumnTagged),
        ],
        indexes: vec![IndexCreate::new("ByExtra", "-Extra\0\0", 0)],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut derived)
        .unwrap();
    let [extra, note] = [0, 1].map(|i| derived.columns[i].column_id);
    assert_eq!(
        note & 0xffff,
        tags & 0xffff,
        "both tagged columns are number 256"
    );
    assert_eq!(
        cursor.get_table_column_info("Name").unwrap().column_id,
        name,
        "the template's columns are found through the derived table"
    );
    for (n, who) in ["bo", "al", "cy"].iter().enumerate() {
        cursor.prepare_update(JET_prepInsert).unwrap();
        cursor
            .set_column(name, Some(who.as_bytes()), 0, None)
            .unwrap();
        let add = SetInfo {
            ib_long_value: 0,
            itag_sequence: 0,
        };
        cursor.set_column(tags, Some(b"t1"), 0, Some(add)).unwrap();
        cursor.set_column(tags, Some(b"t2"), 0, Some(add)).unwrap();
        cursor
            .set_column(extra, Some(&(n as i32 * 10).to_le_bytes()), 0, None)
            .unwrap();
        cursor
            .set_column(note, Some(format!("note {who}").as_bytes()), 0, None)
            .unwrap();
        cursor.update().unwrap();
    }
    // Inherited primary (autoincrement from 1) and secondary indexes, and
    // the table's own descending one.
    let walk = |cursor: &mut Cursor, index: &str, column: u32| {
        cursor.set_current_index(Some(index), 0).unwrap();
        let mut seen = Vec::new();
        if cursor.move_(JET_MoveFirst, 0).is_ok() {
            loop {
                seen.push(cursor.retrieve(column, 0).unwrap().unwrap());
                if cursor.move_(JET_MoveNext, 0).is_err() {
                    break;
                }
            }
        }
        seen
    };
    assert_eq!(
        walk(&mut cursor, "ById", id),
        [1, 2, 3].map(|i: i32| i.to_le_bytes().to_vec())
    );
    assert_eq!(
        walk(&mut cursor, "ByName", name),
        [b"al".to_vec(), b"bo".to_vec(), b"cy".to_vec()]
    );
    assert_eq!(
        walk(&mut cursor, "ByExtra", extra),
        [20, 10, 0].map(|i: i32| i.to_le_bytes().to_vec())
    );
    // The two columns numbered 256 hold their own values; the template's
    // default applies.
    cursor.set_current_index(Some("ByName"), 0).unwrap();
    cursor.make_key(b"bo", JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).unwrap();
    assert_eq!(cursor.retrieve(note, 0).unwrap().unwrap(), b"note bo");
    let mut count = [RetrieveColumn {
        column_id: tags,
        itag_sequence: 0,
        ..Default::default()
    }];
    cursor.retrieve_columns(&mut count).unwrap();
    assert_eq!(count[0].itag_sequence, 2);
    assert_eq!(
        cursor.retrieve(level, 0).unwrap().unwrap(),
        7i32.to_le_bytes()
    );
    // A derived table takes its primary index from the template.
    let mut second = TableCreate {
        name: "second".into(),
        template_table: Some("template".into()),
        indexes: vec![IndexCreate::new("P", "+Extra\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    assert_eq!(
        f.session
            .create_table_column_index(f.dbid, &mut second)
            .unwrap_err()
            .code(),
        JET_errIndexHasPrimary
    );
    drop(cursor);
    drop(f.session);
    f.instance.term().unwrap();
    let report = ese::integrity::check_database(&f.path).unwrap();
    assert!(report.is_clean(), "{report:?}");
    // The read path (independent of the API's record code) sees the same.
    let file = ese::database_file::DatabaseFile::open(&f.path).unwrap();
    let catalog = ese::catalog::Catalog::load(&file).unwrap();
    let table = catalog.table("derived").unwrap();
    let mut out = Vec::new();
    ese::export::export_table_jsonl(&file, table, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["values"],
        serde_json::json!({"Id": 1, "Name": "bo", "Tags": ["t1", "t2"], "Level": 7, "Extra": 0, "Note": "note bo"})
    );
}

#[test]
fn counters_version_and_escrow_columns() {
    let f = fixture();
    let mut create = TableCreate {
        name: "counters".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLongLong, JET_bitColumnAutoincrement),
            ColumnCreate::new("Version", JET_coltypLong, JET_bitColumnVersion),
            ColumnCreate {
                default_value: Some(10i32.to_le_bytes().to_vec()),
                ..ColumnCreate::new("Stock", JET_coltypLong, JET_bitColumnEscrowUpdate)
            },
            ColumnCreate::new("Note", JET_coltypText, 0),
        ],
        indexes: vec![IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    let [id, version, stock, note] = [0, 1, 2, 3].map(|i| create.columns[i].column_id);
    for _ in 0..3 {
        cursor.prepare_update(JET_prepInsert).unwrap();
        cursor.set_column(note, Some(b"n"), 0, None).unwrap();
        cursor.update().unwrap();
    }
    // A cancelled insert uses its number up, as in ESE.
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor.prepare_update(JET_prepCancel).unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    assert_eq!(
        cursor.retrieve(id, JET_bitRetrieveCopy).unwrap().unwrap(),
        5i64.to_le_bytes()
    );
    assert_eq!(
        cursor
            .set_column(id, Some(&9i64.to_le_bytes()), 0, None)
            .unwrap_err()
            .code(),
        JET_errInvalidColumnType
    );
    cursor.update().unwrap();
    cursor.move_(JET_MoveFirst, 0).unwrap();
    assert_eq!(cursor.retrieve(id, 0).unwrap().unwrap(), 1i64.to_le_bytes());
    // Version: 0 on insert, one more on every replace.
    assert_eq!(
        cursor.retrieve(version, 0).unwrap().unwrap(),
        0i32.to_le_bytes()
    );
    for expected in 1..=2i32 {
        cursor.prepare_update(JET_prepReplace).unwrap();
        cursor.update().unwrap();
        assert_eq!(
            cursor.retrieve(version, 0).unwrap().unwrap(),
            expected.to_le_bytes()
        );
    }
    // Escrow: the default, then deltas; the old value comes back.
    assert_eq!(
        cursor.retrieve(stock, 0).unwrap().unwrap(),
        10i32.to_le_bytes()
    );
    assert_eq!(
        cursor.escrow_update(stock, -3, 0).unwrap_err().code(),
        JET_errNotInTransaction
    );
    f.session.begin_transaction().unwrap();
    assert_eq!(cursor.escrow_update(stock, -3, 0).unwrap(), 10);
    assert_eq!(cursor.escrow_update(stock, 5, 0).unwrap(), 7);
    f.session.commit_transaction(0).unwrap();
    assert_eq!(
        cursor.retrieve(stock, 0).unwrap().unwrap(),
        12i32.to_le_bytes()
    );
    assert_eq!(
        cursor.escrow_update(note, 1, 0).unwrap_err().code(),
        JET_errInvalidOperation
    );
    // Only one autoincrement column per table.
    assert_eq!(
        cursor
            .add_column(&ColumnCreate::new(
                "Again",
                JET_coltypLong,
                JET_bitColumnAutoincrement
            ))
            .unwrap_err()
            .code(),
        JET_errColumnRedundant
    );
}

#[test]
fn long_values_are_appended_overwritten_resized_and_read_in_pieces() {
    let f = fixture();
    let mut create = TableCreate {
        name: "docs".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnAutoincrement),
            ColumnCreate::new("Body", JET_coltypLongBinary, 0),
            ColumnCreate::new("Packed", JET_coltypLongText, JET_bitColumnCompressed),
        ],
        indexes: vec![IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    let [body, packed] = [1, 2].map(|i| create.columns[i].column_id);
    // Long values stored apart from their records are written in a
    // transaction, as ESE requires.
    f.session.begin_transaction().unwrap();
    let first = SetInfo {
        ib_long_value: 0,
        itag_sequence: 1,
    };
    cursor.prepare_update(JET_prepInsert).unwrap();
    let block: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    cursor.set_column(body, Some(&block), 0, None).unwrap();
    cursor
        .set_column(body, Some(&block), JET_bitSetAppendLV, Some(first))
        .unwrap();
    let text = "compressible text ".repeat(500);
    cursor
        .set_column(packed, Some(text.as_bytes()), 0, None)
        .unwrap();
    let bookmark = cursor.update().unwrap();
    cursor.goto_bookmark(&bookmark).unwrap();
    let mut whole = block.clone();
    whole.extend_from_slice(&block);
    assert_eq!(cursor.retrieve(body, 0).unwrap().unwrap(), whole);
    assert_eq!(
        cursor.retrieve(packed, 0).unwrap().unwrap(),
        text.as_bytes()
    );
    // A piece from an offset, into a small buffer.
    let mut buffer = [0u8; 10];
    let got = cursor
        .retrieve_column(
            body,
            &mut buffer,
            0,
            Some(RetInfo {
                ib_long_value: 49_995,
                itag_sequence: 1,
            }),
        )
        .unwrap();
    assert_eq!(got.warning, JET_wrnBufferTruncated);
    assert_eq!(got.actual_size, 100_000 - 49_995);
    assert_eq!(buffer, whole[49_995..50_005]);
    // Pieces across chunk boundaries (8,110-byte chunks on 8 KiB pages),
    // plain and compressed, equal the whole value's bytes.
    for (column, value) in [(body, whole.clone()), (packed, text.as_bytes().to_vec())] {
        for offset in [
            0usize, 1, 8_109, 8_110, 8_111, 9_000, 16_219, 99_990, 99_999, 100_000, 150_000,
        ] {
            for length in [1usize, 10, 9_000, 20_000] {
                let mut piece = vec![0u8; length];
                let info = RetInfo {
                    ib_long_value: offset as u32,
                    itag_sequence: 1,
                };
                let got = cursor
                    .retrieve_column(column, &mut piece, 0, Some(info))
                    .unwrap();
                let start = offset.min(value.len());
                let expected = &value[start..(start + length).min(value.len())];
                assert_eq!(got.actual_size, value.len() - start, "{offset} {length}");
                assert_eq!(&piece[..expected.len()], expected, "{offset} {length}");
            }
        }
    }
    // Overwrite in the middle, then cut the value to 1,000 bytes.
    cursor.prepare_update(JET_prepReplace).unwrap();
    let at = SetInfo {
        ib_long_value: 100,
        itag_sequence: 1,
    };
    cursor
        .set_column(body, Some(&[0xEE; 5]), JET_bitSetOverwriteLV, Some(at))
        .unwrap();
    cursor
        .set_column(
            body,
            Some(&1000u32.to_le_bytes()),
            JET_bitSetSizeLV,
            Some(first),
        )
        .unwrap();
    cursor.update().unwrap();
    let value = cursor.retrieve(body, 0).unwrap().unwrap();
    assert_eq!(value.len(), 1000);
    assert_eq!(&value[100..105], &[0xEE; 5]);
    assert_eq!(value[..100], whole[..100]);
    // Zero-length is not NULL.
    cursor.prepare_update(JET_prepReplace).unwrap();
    cursor
        .set_column(body, Some(&[]), JET_bitSetZeroLength, None)
        .unwrap();
    cursor.update().unwrap();
    let mut empty = [0u8; 1];
    let got = cursor.retrieve_column(body, &mut empty, 0, None).unwrap();
    assert_eq!((got.actual_size, got.warning), (0, 0));
    cursor.prepare_update(JET_prepReplace).unwrap();
    cursor.set_column(body, None, 0, None).unwrap();
    cursor.update().unwrap();
    let got = cursor.retrieve_column(body, &mut empty, 0, None).unwrap();
    assert_eq!(got.warning, JET_wrnColumnNull);
    f.session.commit_transaction(0).unwrap();
    drop(cursor);
    drop(f.session);
    f.instance.term().unwrap();
    let report = ese::integrity::check_database(&f.path).unwrap();
    assert!(report.is_clean(), "{report:?}");
    // The replaced long values were released: the long-value tree holds
    // one value, Packed's, and no other root.
    let file = ese::database_file::DatabaseFile::open(&f.path).unwrap();
    let catalog = ese::catalog::Catalog::load(&file).unwrap();
    let tree = catalog.table("docs").unwrap().long_values.unwrap();
    let roots = tree
        .entries(&file)
        .filter(|e| e.as_ref().unwrap().key.len() == 4)
        .count();
    assert_eq!(roots, 1);
}

#[test]
fn tuple_indexes_find_records_by_substring() {
    let f = fixture();
    let mut create = TableCreate {
        name: "words".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnAutoincrement),
            ColumnCreate::new("Word", JET_coltypText, 0),
        ],
        indexes: vec![
            IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate {
                tuple_limits: Some(TupleLimits {
                    length_min: 2,
                    length_max: 2,
                    ..Default::default()
                }),
                ..IndexCreate::new("ByPair", "+Word\0\0", JET_bitIndexTupleLimits)
            },
        ],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    let word = create.columns[1].column_id;
    for text in ["abcab", "xbcx", "q"] {
        cursor.prepare_update(JET_prepInsert).unwrap();
        cursor
            .set_column(word, Some(text.as_bytes()), 0, None)
            .unwrap();
        cursor.update().unwrap();
    }
    cursor.set_current_index(Some("ByPair"), 0).unwrap();
    // "abcab": ab, bc, ca (ab once: a record's equal keys are one entry);
    // "xbcx": xb, bc, cx; "q" is too short for any tuple.
    assert_eq!(cursor.index_record_count(0).unwrap(), 6);
    cursor.make_key(b"bc", JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ | JET_bitSetIndexRange).unwrap();
    assert_eq!(cursor.index_record_count(0).unwrap(), 2);
    // Keys shorter than a tuple are refused; longer ones are cut.
    assert_eq!(
        cursor.make_key(b"b", JET_bitNewKey).unwrap_err().code(),
        JET_errIndexTuplesKeyTooSmall
    );
    cursor.make_key(b"cabxyz", JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).unwrap();
    assert_eq!(cursor.retrieve(word, 0).unwrap().unwrap(), b"abcab");
    // A tuple index is secondary, non-unique, over text or binary.
    let bad = |grbit, key: &str| IndexCreate::new("Bad", key, grbit | JET_bitIndexTuples);
    for (index, code) in [
        (
            bad(JET_bitIndexUnique, "+Word\0\0"),
            JET_errIndexTuplesNonUniqueOnly,
        ),
        (bad(0, "+Id\0\0"), JET_errIndexTuplesTextBinaryColumnsOnly),
        (
            IndexCreate {
                tuple_limits: Some(TupleLimits {
                    length_min: 5,
                    length_max: 3,
                    ..Default::default()
                }),
                ..IndexCreate::new("Bad", "+Word\0\0", JET_bitIndexTupleLimits)
            },
            JET_errIndexTuplesInvalidLimits,
        ),
    ] {
        assert_eq!(cursor.create_index(&[index]).unwrap_err().code(), code);
    }
    drop(cursor);
    drop(f.session);
    f.instance.term().unwrap();
    let report = ese::integrity::check_database(&f.path).unwrap();
    assert!(report.is_clean(), "{report:?}");
    // The catalog keeps the resolved limits: min, max, positions,
    // increment, start.
    let file = ese::database_file::DatabaseFile::open(&f.path).unwrap();
    let catalog = ese::catalog::Catalog::load(&file).unwrap();
    let index = catalog
        .table("words")
        .unwrap()
        .index_by_name("ByPair")
        .unwrap()
        .clone();
    assert_eq!(index.tuple_limits, Some(vec![2, 2, 32_767, 1, 0]));
}

#[test]
fn sessions_on_threads_insert_into_shared_and_own_tables() {
    let f = fixture();
    let shared = TableCreate {
        name: "shared".into(),
        columns: vec![
            ColumnCreate::new("Key", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Blob", JET_coltypLongBinary, 0),
        ],
        indexes: vec![IndexCreate::new("ByKey", "+Key\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    drop(
        f.session
            .create_table_column_index(f.dbid, &mut shared.clone())
            .unwrap(),
    );
    let threads = 4;
    let per_thread = 300;
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        // A reader scanning the shared table while the writers fill it:
        // every scan sees keys in order and never an error.
        let reader = {
            let instance = f.instance.clone();
            let path = f.path.clone();
            let done = &done;
            scope.spawn(move || {
                let session = instance.begin_session().unwrap();
                let dbid = session.open_database(&path, 0).unwrap();
                let mut cursor = session.open_table(dbid, "shared", 0).unwrap();
                let mut scans = 0;
                while !done.load(std::sync::atomic::Ordering::Acquire) || scans == 0 {
                    let mut last = None;
                    if cursor.move_(JET_MoveFirst, 0).is_ok() {
                        loop {
                            let bytes = cursor.retrieve(1, 0).unwrap().unwrap();
                            let key = i32::from_le_bytes(bytes.try_into().unwrap());
                            assert!(last.is_none_or(|l| l < key), "scan out of order");
                            last = Some(key);
                            match cursor.move_(JET_MoveNext, 0) {
                                Ok(()) => {}
                                Err(e) if e.code() == JET_errNoCurrentRecord => break,
                                Err(e) => panic!("{e}"),
                            }
                        }
                    }
                    scans += 1;
                }
                scans
            })
        };
        let mut writers = Vec::new();
        for t in 0..threads {
            let instance = f.instance.clone();
            let path = f.path.clone();
            let shared = shared.clone();
            writers.push(scope.spawn(move || {
                let session = instance.begin_session().unwrap();
                let dbid = session.open_database(&path, 0).unwrap();
                let mut own = TableCreate {
                    name: format!("own{t}"),
                    ..shared.clone()
                };
                let mut mine = session.create_table_column_index(dbid, &mut own).unwrap();
                let mut common = session.open_table(dbid, "shared", 0).unwrap();
                for n in 0..per_thread {
                    let key = (t * 1000 + n) as i32;
                    // Every tenth value goes to the long-value tree.
                    // (A long value stored apart needs a transaction.)
                    let blob = vec![t as u8; if n % 10 == 0 { 5000 } else { 20 }];
                    session.begin_transaction().unwrap();
                    for cursor in [&mut mine, &mut common] {
                        cursor.prepare_update(JET_prepInsert).unwrap();
                        cursor
                            .set_column(1, Some(&key.to_le_bytes()), 0, None)
                            .unwrap();
                        cursor.set_column(256, Some(&blob), 0, None).unwrap();
                        cursor.update().unwrap();
                    }
                    session.commit_transaction(0).unwrap();
                }
            }));
        }
        for writer in writers {
            writer.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Release);
        assert!(reader.join().unwrap() > 0);
    });
    let mut common = f.session.open_table(f.dbid, "shared", 0).unwrap();
    assert_eq!(common.index_record_count(0).unwrap(), threads * per_thread);
    for t in 0..threads {
        let mut own = f.session.open_table(f.dbid, &format!("own{t}"), 0).unwrap();
        assert_eq!(own.index_record_count(0).unwrap(), per_thread);
        own.make_key(&((t * 1000) as i32).to_le_bytes(), JET_bitNewKey)
            .unwrap();
        own.seek(JET_bitSeekEQ).unwrap();
        assert_eq!(own.retrieve(256, 0).unwrap().unwrap(), vec![t as u8; 5000]);
    }
    drop(common);
    drop(f.session);
    f.instance.term().unwrap();
    let report = ese::integrity::check_database(&f.path).unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[test]
fn a_replace_of_a_record_changed_since_it_was_prepared_is_a_write_conflict() {
    let f = fixture();
    let (mut first, ids) = people(&f);
    insert(&mut first, &ids, "ann", 30, &[]);
    // The creator's cursor is exclusive: open the table again, shared.
    drop(first);
    let mut first = f.session.open_table(f.dbid, "people", 0).unwrap();
    let second_session = f.instance.begin_session().unwrap();
    let dbid = second_session.open_database(&f.path, 0).unwrap();
    let mut second = second_session.open_table(dbid, "people", 0).unwrap();
    for cursor in [&mut first, &mut second] {
        cursor.move_(JET_MoveFirst, 0).unwrap();
        cursor.prepare_update(JET_prepReplace).unwrap();
    }
    first
        .set_column(ids[2], Some(&31i32.to_le_bytes()), 0, None)
        .unwrap();
    first.update().unwrap();
    second
        .set_column(ids[2], Some(&40i32.to_le_bytes()), 0, None)
        .unwrap();
    assert_eq!(second.update().unwrap_err().code(), JET_errWriteConflict);
    // The first change stands; prepared again, the second one goes in.
    second.prepare_update(JET_prepCancel).unwrap();
    assert_eq!(
        second.retrieve(ids[2], 0).unwrap().unwrap(),
        31i32.to_le_bytes()
    );
    second.prepare_update(JET_prepReplace).unwrap();
    second
        .set_column(ids[2], Some(&40i32.to_le_bytes()), 0, None)
        .unwrap();
    second.update().unwrap();
    assert_eq!(
        first.retrieve(ids[2], 0).unwrap().unwrap(),
        40i32.to_le_bytes()
    );
}

#[test]
fn tables_opened_denying_access_lock_out_other_sessions() {
    let f = fixture();
    let (creator, _) = people(&f);
    let other = f.instance.begin_session().unwrap();
    let dbid = other.open_database(&f.path, 0).unwrap();
    // A new table is its creator's alone until that cursor closes.
    assert_eq!(
        other.open_table(dbid, "people", 0).unwrap_err().code(),
        JET_errTableLocked
    );
    drop(creator);
    // Deny read: nobody else opens it; the same session may.
    let exclusive = f
        .session
        .open_table(f.dbid, "people", JET_bitTableDenyRead)
        .unwrap();
    assert_eq!(
        other.open_table(dbid, "people", 0).unwrap_err().code(),
        JET_errTableLocked
    );
    drop(f.session.open_table(f.dbid, "people", 0).unwrap());
    drop(exclusive);
    // Deny write: others may read, not write.
    let guarded = f
        .session
        .open_table(f.dbid, "people", JET_bitTableDenyWrite)
        .unwrap();
    drop(
        other
            .open_table(dbid, "people", JET_bitTableReadOnly)
            .unwrap(),
    );
    assert_eq!(
        other.open_table(dbid, "people", 0).unwrap_err().code(),
        JET_errTableLocked
    );
    drop(guarded);
    // Denying what another session already has is the table in use.
    let reader = other.open_table(dbid, "people", 0).unwrap();
    assert_eq!(
        f.session
            .open_table(f.dbid, "people", JET_bitTableDenyWrite)
            .unwrap_err()
            .code(),
        JET_errTableInUse
    );
    drop(reader);
    // JET_bitTablePermitDDL goes with JET_bitTableDenyRead, and lets a
    // fixed-DDL table take a new column.
    let mut fixed = TableCreate {
        name: "fixed".into(),
        grbit: JET_bitTableCreateFixedDDL,
        columns: vec![ColumnCreate::new("A", JET_coltypLong, 0)],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut fixed)
        .unwrap();
    let b = ColumnCreate::new("B", JET_coltypLong, 0);
    assert_eq!(cursor.add_column(&b).unwrap_err().code(), JET_errFixedDDL);
    drop(cursor);
    assert_eq!(
        f.session
            .open_table(f.dbid, "fixed", JET_bitTablePermitDDL)
            .unwrap_err()
            .code(),
        JET_errInvalidGrbit
    );
    let mut cursor = f
        .session
        .open_table(
            f.dbid,
            "fixed",
            JET_bitTablePermitDDL | JET_bitTableDenyRead,
        )
        .unwrap();
    cursor.add_column(&b).unwrap();
}

/// Session::flush_database (the durable commit until the log exists):
/// afterwards the file itself holds every change, so a copy of it taken
/// while the database is still attached (what a crash would leave) reads
/// back every record through the read path, without the instance.
#[test]
fn flushed_changes_are_in_the_file_while_still_attached() {
    let f = fixture();
    let (mut cursor, ids) = people(&f);
    for n in 0..300 {
        insert(&mut cursor, &ids, &format!("person {n:03}"), n, &["t"]);
    }
    f.session.flush_database(f.dbid).unwrap();
    let copy = f.path.with_file_name("copy.edb");
    std::fs::copy(&f.path, &copy).unwrap();
    let file = ese::database_file::DatabaseFile::open(&copy).unwrap();
    let catalog = ese::catalog::Catalog::load(&file).unwrap();
    let table = catalog.table("people").unwrap();
    let mut out = Vec::new();
    ese::export::export_table_jsonl(&file, table, &mut out).unwrap();
    let names: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            row["values"]["Name"].as_str().unwrap().to_string()
        })
        .collect();
    let expected: Vec<String> = (0..300).map(|n| format!("person {n:03}")).collect();
    assert_eq!(names, expected);
    // A read-only database has nothing to flush.
    drop(cursor);
    f.session.close_database(f.dbid, 0).unwrap();
    f.session.detach_database(Some(&f.path)).unwrap();
    f.session
        .attach_database(&f.path, JET_bitDbReadOnly)
        .unwrap();
    let dbid = f.session.open_database(&f.path, 0).unwrap();
    f.session.flush_database(dbid).unwrap();
}

/// Fixed and variable columns are read straight from the stored record;
/// what they read must not depend on the index the cursor is on, on what
/// was read before, or on whether the column existed when the record was
/// written (JetRetrieveColumn: NULL is JET_wrnColumnNull, a column added
/// later reads as its default unless JET_bitRetrieveIgnoreDefault, the
/// offset and the buffer size cut the value).
#[test]
fn fixed_and_variable_columns_read_alike_from_every_index() {
    let f = fixture();
    let mut create = TableCreate {
        name: "things".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Count", JET_coltypLong, 0),
            ColumnCreate::new("Name", JET_coltypText, 0),
            ColumnCreate::new("Tags", JET_coltypText, JET_bitColumnTagged),
        ],
        indexes: vec![
            IndexCreate::new("ById", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new("ByName", "-Name\0\0", 0),
        ],
        ..Default::default()
    };
    let mut cursor = f
        .session
        .create_table_column_index(f.dbid, &mut create)
        .unwrap();
    let [id, count, name, tags] = [0, 1, 2, 3].map(|i| create.columns[i].column_id);
    // Row 1 sets everything; row 2 leaves Count NULL and Name unset.
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(id, Some(&1i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor
        .set_column(count, Some(&41i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.set_column(name, Some(b"alpha"), 0, None).unwrap();
    cursor.set_column(tags, Some(b"t"), 0, None).unwrap();
    cursor.update().unwrap();
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(id, Some(&2i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    // A fixed column with a default, added after both rows were written.
    let level = cursor
        .add_column(&ColumnCreate {
            default_value: Some(9i16.to_le_bytes().to_vec()),
            ..ColumnCreate::new("Level", JET_coltypShort, 0)
        })
        .unwrap();

    // (Id, Count, Name) as written.
    type Row<'a> = (i32, Option<&'a [u8]>, Option<&'a [u8]>);
    let rows: [Row; 2] = [
        (1, Some(&41i32.to_le_bytes()), Some(b"alpha")),
        (2, None, None),
    ];
    for index in ["ById", "ByName"] {
        for &(row, count_value, name_value) in &rows {
            cursor.set_current_index(Some("ById"), 0).unwrap();
            cursor.make_key(&row.to_le_bytes(), JET_bitNewKey).unwrap();
            cursor.seek(JET_bitSeekEQ).unwrap();
            if index == "ByName" {
                // Onto the same record through the secondary index.
                cursor.set_current_index(Some("ByName"), 0).unwrap();
                cursor.move_(JET_MoveFirst, 0).unwrap();
                let (key, bookmark) = loop {
                    let here = cursor.retrieve(id, 0).unwrap().unwrap();
                    if here == row.to_le_bytes() {
                        break cursor.get_secondary_index_bookmark().unwrap();
                    }
                    cursor.move_(JET_MoveNext, 0).unwrap();
                };
                cursor
                    .goto_secondary_index_bookmark(&key, &bookmark)
                    .unwrap();
            }
            let what = format!("row {row} on {index}");
            // Read the later columns first, then the earlier ones: the
            // order of reads must not matter.
            assert_eq!(
                cursor.retrieve(level, 0).unwrap().as_deref(),
                Some(&9i16.to_le_bytes()[..]),
                "{what}: a column added later reads as its default"
            );
            assert_eq!(
                cursor
                    .retrieve(level, JET_bitRetrieveIgnoreDefault)
                    .unwrap(),
                None,
                "{what}: unless the default is ignored"
            );
            assert_eq!(
                cursor.retrieve(name, 0).unwrap().as_deref(),
                name_value,
                "{what}"
            );
            assert_eq!(
                cursor.retrieve(count, 0).unwrap().as_deref(),
                count_value,
                "{what}"
            );
            assert_eq!(
                cursor.retrieve(id, 0).unwrap().as_deref(),
                Some(&row.to_le_bytes()[..]),
                "{what}"
            );
            let mut buffer = [0u8; 3];
            let got = cursor
                .retrieve_column(
                    name,
                    &mut buffer,
                    0,
                    Some(RetInfo {
                        ib_long_value: 1,
                        itag_sequence: 1,
                    }),
                )
                .unwrap();
            match name_value {
                Some(_) => {
                    assert_eq!((got.actual_size, got.warning), (4, JET_wrnBufferTruncated));
                    assert_eq!(&buffer, b"lph", "{what}: from offset 1, cut to the buffer");
                }
                None => assert_eq!((got.actual_size, got.warning), (0, JET_wrnColumnNull)),
            }
            // A second value of a single-valued column does not exist.
            let second = cursor
                .retrieve_column(
                    count,
                    &mut buffer,
                    0,
                    Some(RetInfo {
                        ib_long_value: 0,
                        itag_sequence: 2,
                    }),
                )
                .unwrap();
            assert_eq!(second.warning, JET_wrnColumnNull, "{what}");
        }
    }
}
