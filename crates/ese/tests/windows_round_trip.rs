//! Round trip with Windows: each corpus database's user table is recreated
//! through the ISAM API in a new database (same columns, types, flags,
//! indexes and default values), its records inserted one by one; the new
//! database must then export exactly the corpus's expected rows for that
//! table, and pass the structure checker.
//!
//! The corpus is read through the same API (attached read-only), so the
//! test also exercises JetGetTableColumnInfo / JetGetTableIndexInfo and
//! JetEnumerateColumns on databases Windows wrote.

use std::path::Path;

use ese::api::grbit::*;
use ese::api::*;
use ese::catalog::Catalog;
use ese::database_file::DatabaseFile;
use ese::export::export_table_jsonl;
use serde_json::Value as Json;

/// The JET_TABLECREATE that reproduces `table` of the corpus database.
fn table_create(source: &mut Cursor) -> TableCreate {
    let info = source.get_table_info().unwrap();
    let columns: Vec<ColumnCreate> = source
        .get_table_columns()
        .unwrap()
        .into_iter()
        .map(|c| ColumnCreate {
            name: c.name,
            coltyp: c.coltyp,
            max_size: c.max_size,
            grbit: c.grbit,
            default_value: c.default_value,
            code_page: c.code_page,
            column_id: 0,
        })
        .collect();
    let indexes: Vec<IndexCreate> = source
        .get_table_index_info(None)
        .unwrap()
        .into_iter()
        .map(|i| {
            let key: String = i
                .segments
                .iter()
                .map(|s| {
                    format!(
                        "{}{}\0",
                        if s.descending { '-' } else { '+' },
                        s.column_name
                    )
                })
                .collect();
            IndexCreate {
                name: i.name,
                key: key + "\0",
                grbit: i.grbit,
                density: i.density,
                key_most: i.key_most,
                lcmap_flags: i.lcmap_flags,
                locale: i.locale,
                ..Default::default()
            }
        })
        .collect();
    TableCreate {
        name: info.name,
        pages: info.pages,
        density: info.density,
        columns,
        indexes,
        ..Default::default()
    }
}

fn expected_rows(dir: &Path, database: &str, table: &str) -> Vec<Json> {
    std::fs::read_to_string(dir.join("expected").join(format!("{database}.jsonl")))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Json>(l).unwrap())
        .filter(|row| row["table"] == table)
        .collect()
}

/// Recreates the user table of corpus database `name`; returns the rows
/// the new database exports and the rows expected.
fn round_trip(dir: &Path, name: &str) -> (Vec<Json>, Vec<Json>) {
    let scratch = ese_testkit::scratch_dir();
    let page_size = ese_testkit::CORPUS_DATABASES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, size)| *size)
        .unwrap();
    let instance = Instance::new(InstanceOptions {
        page_size,
        ..InstanceOptions::new(scratch.path().join("system"))
    })
    .unwrap();
    let session = instance.begin_session().unwrap();
    let corpus = dir.join(name);
    session.attach_database(&corpus, JET_bitDbReadOnly).unwrap();
    let source_db = session.open_database(&corpus, JET_bitDbReadOnly).unwrap();
    let table_name = session.table_names(source_db).unwrap().remove(0);
    let mut source = session
        .open_table(source_db, &table_name, JET_bitTableReadOnly)
        .unwrap();
    let mut create = table_create(&mut source);

    let path = scratch.path().join(name);
    let target_db = session.create_database(&path, 0).unwrap();
    let mut target = session
        .create_table_column_index(target_db, &mut create)
        .unwrap();
    let autoincrement: Vec<u32> = create
        .columns
        .iter()
        .filter(|c| c.grbit & JET_bitColumnAutoincrement != 0)
        .map(|c| c.column_id)
        .collect();
    // Column ids match: the columns are created in the corpus' id order.
    if source.move_(JET_MoveFirst, 0).is_ok() {
        loop {
            target.prepare_update(JET_prepInsert).unwrap();
            for column in source
                .enumerate_columns(JET_bitEnumerateIgnoreDefault)
                .unwrap()
            {
                if autoincrement.contains(&column.column_id) {
                    // Assigned again in insertion order.
                    assert_eq!(
                        target
                            .retrieve(column.column_id, JET_bitRetrieveCopy)
                            .unwrap(),
                        Some(column.values[0].clone()),
                        "{name}: autoincrement values follow insertion order"
                    );
                    continue;
                }
                for value in &column.values {
                    let info = SetInfo {
                        ib_long_value: 0,
                        itag_sequence: 0,
                    };
                    target
                        .set_column(
                            column.column_id,
                            Some(value),
                            JET_bitSetZeroLength,
                            Some(info),
                        )
                        .unwrap_or_else(|e| panic!("{name}: column {}: {e}", column.column_id));
                }
            }
            target
                .update()
                .unwrap_or_else(|e| panic!("{name}: insert: {e}"));
            if source.move_(JET_MoveNext, 0).is_err() {
                break;
            }
        }
    }
    drop((source, target));
    session.close_database(source_db, 0).unwrap();
    session.close_database(target_db, 0).unwrap();
    drop(session);
    instance.term().unwrap();

    let report = ese::integrity::check_database(&path).unwrap();
    assert!(report.is_clean(), "{name}: {report:?}");
    let file = DatabaseFile::open(&path).unwrap();
    let catalog = Catalog::load(&file).unwrap();
    let table = catalog.table(&table_name).unwrap();
    let mut out = Vec::new();
    export_table_jsonl(&file, table, &mut out).unwrap();
    let ours = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    (ours, expected_rows(dir, name, &table_name))
}

#[test]
fn corpus_tables_recreated_through_the_api_export_as_windows_wrote_them() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for name in [
        "basic.edb",
        "default.edb",
        "binary.edb",
        "text.edb",
        "multi.edb",
        "index.edb",
        "large.edb",
    ] {
        eprintln!("round trip: {name}");
        let (ours, expected) = round_trip(&dir, name);
        assert_eq!(ours.len(), expected.len(), "{name}: row count");
        for (index, (a, b)) in ours.iter().zip(&expected).enumerate() {
            assert!(
                ese_testkit::json_equal(a, b),
                "{name} row {index}:\nours     {a}\nexpected {b}"
            );
        }
    }
}
