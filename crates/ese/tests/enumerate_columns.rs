//! JetEnumerateColumns against JetRetrieveColumn: for random rows of tables
//! with fixed, variable and tagged columns, defaults, multi-valued columns,
//! a deleted column, a column added after the rows, and a table derived from
//! a template, enumerating gives exactly what retrieving every column one
//! value at a time gives, in column order.

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::{scratch_dir, test_seed, SeededRng};

/// The columns a test table defines: (id, tagged).
struct Columns(Vec<(u32, bool)>);

/// Every value of a column as JetRetrieveColumn reads it, one itagSequence
/// after the other (defaults included unless `ignore_default`).
fn retrieved(cursor: &mut Cursor, column: u32, ignore_default: bool) -> Vec<Vec<u8>> {
    let grbit = if ignore_default {
        JET_bitRetrieveIgnoreDefault
    } else {
        0
    };
    let mut values = Vec::new();
    for itag_sequence in 1.. {
        let mut buffer = [0u8; 64];
        let info = RetInfo {
            ib_long_value: 0,
            itag_sequence,
        };
        let got = cursor
            .retrieve_column(column, &mut buffer, grbit, Some(info))
            .unwrap();
        if got.warning == JET_wrnColumnNull {
            break;
        }
        assert!(got.actual_size <= buffer.len(), "test values are short");
        values.push(buffer[..got.actual_size].to_vec());
    }
    values
}

/// JetEnumerateColumns' answer as the retrievals give it: every column with
/// a value, the template's column before the table's own of the same
/// number.
fn expected(
    cursor: &mut Cursor,
    columns: &Columns,
    tagged_only: bool,
    ignore_default: bool,
) -> Vec<(u32, Vec<Vec<u8>>)> {
    let mut ids: Vec<u32> = columns
        .0
        .iter()
        .filter(|(_, tagged)| *tagged || !tagged_only)
        .map(|(id, _)| *id)
        .collect();
    ids.sort_by_key(|id| (id & 0x7fff_ffff, id & 0x8000_0000 == 0));
    ids.into_iter()
        .map(|id| (id, retrieved(cursor, id, ignore_default)))
        .filter(|(_, values)| !values.is_empty())
        .collect()
}

fn enumerated(cursor: &mut Cursor, grbit: u32) -> Vec<(u32, Vec<Vec<u8>>)> {
    cursor
        .enumerate_columns(grbit)
        .unwrap()
        .into_iter()
        .map(|c| (c.column_id, c.values))
        .collect()
}

/// Every row of the table, under each combination of the two grbits that
/// choose what is enumerated.
fn check_every_row(cursor: &mut Cursor, columns: &Columns) -> usize {
    let mut rows = 0;
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        for tagged_only in [false, true] {
            for ignore_default in [false, true] {
                let grbit = if tagged_only {
                    JET_bitEnumerateTaggedOnly
                } else {
                    0
                } | if ignore_default {
                    JET_bitEnumerateIgnoreDefault
                } else {
                    0
                };
                let want = expected(cursor, columns, tagged_only, ignore_default);
                let got = enumerated(cursor, grbit);
                assert_eq!(got, want, "row {rows}, grbit {grbit:#x}");
            }
        }
        rows += 1;
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    rows
}

/// Inserts `count` rows setting a random subset of `settable` columns (a
/// multi-valued one gets one to three values), keyed 1, 2, ... from
/// `first_key`.
fn insert_rows(
    cursor: &mut Cursor,
    rng: &mut SeededRng,
    key: u32,
    settable: &[(u32, bool)],
    first_key: i32,
    count: i32,
) {
    for n in 0..count {
        cursor.prepare_update(JET_prepInsert).unwrap();
        cursor
            .set_column(key, Some(&(first_key + n).to_le_bytes()), 0, None)
            .unwrap();
        for &(column, multi) in settable {
            if rng.below(3) != 0 {
                continue;
            }
            let values = if multi { 1 + rng.below(3) } else { 1 };
            for _ in 0..values {
                let value = (rng.next_u64() as i32 | 1).to_le_bytes();
                let add = SetInfo {
                    ib_long_value: 0,
                    itag_sequence: 0,
                };
                cursor
                    .set_column(column, Some(&value), 0, multi.then_some(add))
                    .unwrap();
            }
        }
        cursor.update().unwrap();
    }
}

/// A new database in a scratch directory, with its instance and a session.
fn new_database(name: &str) -> (ese_testkit::TempDir, Instance, Session, DbId) {
    let dir = scratch_dir();
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(dir.path().join(name), 0).unwrap();
    (dir, instance, session, dbid)
}

#[test]
fn enumerating_a_wide_table_gives_what_retrieving_every_column_gives() {
    let mut rng = SeededRng::new(test_seed("enumerate wide table"));
    let (_dir, _instance, session, dbid) = new_database("wide.edb");
    let mut definitions = vec![
        ColumnCreate::new("Key", JET_coltypLong, JET_bitColumnNotNULL),
        ColumnCreate::new("Fixed", JET_coltypLong, 0).with_default(&5i32.to_le_bytes()),
        ColumnCreate::new("Plain", JET_coltypLong, 0),
        ColumnCreate::new("Var", JET_coltypBinary, 0).with_default(b"vd"),
    ];
    for n in 0..120i32 {
        let grbit = if n == 7 {
            JET_bitColumnTagged | JET_bitColumnMultiValued
        } else {
            JET_bitColumnTagged
        };
        let column = ColumnCreate::new(&format!("T{n}"), JET_coltypLong, grbit);
        definitions.push(if n % 9 == 4 {
            column.with_default(&(1000i32 + n).to_le_bytes())
        } else {
            column
        });
    }
    let mut create = TableCreate {
        name: "wide".into(),
        columns: definitions,
        indexes: vec![IndexCreate::new("ByKey", "+Key\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    let mut cursor = session
        .create_table_column_index(dbid, &mut create)
        .unwrap();
    let key = create.columns[0].column_id;
    let settable: Vec<(u32, bool)> = create.columns[1..]
        .iter()
        .map(|c| (c.column_id, c.grbit & JET_bitColumnMultiValued != 0))
        .collect();
    insert_rows(&mut cursor, &mut rng, key, &settable, 1, 60);

    let mut columns = Columns(
        create
            .columns
            .iter()
            .map(|c| (c.column_id, c.grbit & JET_bitColumnTagged != 0))
            .collect(),
    );
    assert_eq!(check_every_row(&mut cursor, &columns), 60);

    // A deleted column (one with a default) is no longer enumerated; a
    // column added after the rows reads as its default in all of them.
    drop(cursor);
    let mut cursor = session.open_table(dbid, "wide", 0).unwrap();
    cursor.delete_column("T13").unwrap();
    let deleted = create.columns[4 + 13].column_id;
    columns.0.retain(|(id, _)| *id != deleted);
    let added = cursor
        .add_column(
            &ColumnCreate::new("Late", JET_coltypLong, JET_bitColumnTagged)
                .with_default(&77i32.to_le_bytes()),
        )
        .unwrap();
    columns.0.push((added, true));
    drop(cursor);
    let mut cursor = session.open_table(dbid, "wide", 0).unwrap();
    assert_eq!(check_every_row(&mut cursor, &columns), 60);
    cursor.move_(JET_MoveFirst, 0).unwrap();
    let late = enumerated(&mut cursor, JET_bitEnumerateTaggedOnly);
    assert!(
        late.contains(&(added, vec![77i32.to_le_bytes().to_vec()])),
        "the added column's default is enumerated"
    );
    assert!(late.iter().all(|(id, _)| *id != deleted));
}

#[test]
fn enumerating_a_derived_table_orders_template_columns_first() {
    let mut rng = SeededRng::new(test_seed("enumerate derived table"));
    let (_dir, _instance, session, dbid) = new_database("derived.edb");
    let mut template = TableCreate {
        name: "template".into(),
        grbit: JET_bitTableCreateTemplateTable,
        columns: vec![
            ColumnCreate::new("Key", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Level", JET_coltypLong, 0).with_default(&7i32.to_le_bytes()),
            ColumnCreate::new(
                "Tags",
                JET_coltypLong,
                JET_bitColumnTagged | JET_bitColumnMultiValued,
            ),
            ColumnCreate::new("Mark", JET_coltypLong, JET_bitColumnTagged)
                .with_default(&9i32.to_le_bytes()),
        ],
        indexes: vec![IndexCreate::new("ByKey", "+Key\0\0", JET_bitIndexPrimary)],
        ..Default::default()
    };
    drop(
        session
            .create_table_column_index(dbid, &mut template)
            .unwrap(),
    );
    let mut derived = TableCreate {
        name: "derived".into(),
        template_table: Some("template".into()),
        columns: vec![
            ColumnCreate::new("Extra", JET_coltypLong, 0),
            ColumnCreate::new("Note", JET_coltypLong, JET_bitColumnTagged)
                .with_default(&3i32.to_le_bytes()),
            ColumnCreate::new("Other", JET_coltypLong, JET_bitColumnTagged),
        ],
        ..Default::default()
    };
    let mut cursor = session
        .create_table_column_index(dbid, &mut derived)
        .unwrap();
    let all: Vec<&ColumnCreate> = template.columns.iter().chain(&derived.columns).collect();
    let settable: Vec<(u32, bool)> = all[1..]
        .iter()
        .map(|c| (c.column_id, c.grbit & JET_bitColumnMultiValued != 0))
        .collect();
    insert_rows(&mut cursor, &mut rng, all[0].column_id, &settable, 1, 40);
    let columns = Columns(
        all.iter()
            .map(|c| (c.column_id, c.grbit & JET_bitColumnTagged != 0))
            .collect(),
    );
    assert_eq!(check_every_row(&mut cursor, &columns), 40);
    // The template's tagged column and the derived table's first own one
    // share number 256: both are enumerated, the template's first.
    let tags = template.columns[2].column_id;
    cursor.prepare_update(JET_prepInsert).unwrap();
    cursor
        .set_column(all[0].column_id, Some(&0i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor
        .set_column(tags, Some(&1i32.to_le_bytes()), 0, None)
        .unwrap();
    cursor.update().unwrap();
    cursor.move_(JET_MoveFirst, 0).unwrap();
    let ids: Vec<u32> = enumerated(&mut cursor, JET_bitEnumerateTaggedOnly)
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| id & 0xffff == 256)
        .collect();
    assert_eq!(ids, [tags, derived.columns[1].column_id]);
    assert_eq!(check_every_row(&mut cursor, &columns), 41);
}
