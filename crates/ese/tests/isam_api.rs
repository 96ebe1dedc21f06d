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
    assert_eq!(cursor.index_record_count(0).unwrap(), 5);

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
