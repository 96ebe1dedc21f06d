//! Index seeks on the corpus's index.edb: for each of its 19 indexes, the
//! key built from the record's value must equal the key Windows stored,
//! and an equality seek must land on the record (corpus README).

use ese::catalog::Catalog;
use ese::database_file::DatabaseFile;
use ese::format::key::KeyValue;
use ese::index::{make_key, IndexReader, SeekMode};
use ese::table::{ColumnValue, TableReader};
use ese::value::Value;

const INDEXES: [&str; 19] = [
    "IxId",
    "IxBit",
    "IxUnsignedByte",
    "IxShort",
    "IxLong",
    "IxCurrenc",
    "IxIEEESingle",
    "IxIEEEDouble",
    "IxDateTime",
    "IxUnsignedLong",
    "IxLongLong",
    "IxGUID",
    "IxUnsignedShort",
    "IxBinary",
    "IxLongBinary",
    "IxASCII",
    "IxUnicode",
    "IxLongASCII",
    "IxLongUnicode",
];

#[test]
fn every_index_seek_lands_on_the_record() {
    let Some(path) = ese_testkit::corpus_file("index.edb") else {
        return;
    };
    let db = DatabaseFile::open(&path).unwrap();
    let catalog = Catalog::load(&db).unwrap();
    let table = catalog.table("index").unwrap();
    let names: Vec<&str> = table.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, INDEXES, "the indexes in catalog order");

    let row = TableReader::new(&db, table).rows().next().unwrap().unwrap();
    for index in &table.indexes {
        let values: Vec<Vec<u8>> = index
            .segments
            .iter()
            .map(|segment| {
                let column = table.column(segment.column_id).unwrap();
                let value = row
                    .values
                    .iter()
                    .find(|(id, _)| *id == column.id)
                    .map(|(_, v)| v);
                match value {
                    Some(ColumnValue::Single(v)) => v.to_bytes(column.code_page),
                    other => panic!("{}: column {} holds {other:?}", index.name, column.name),
                }
            })
            .collect();
        let key_values: Vec<KeyValue<'_>> = values.iter().map(|v| KeyValue::Data(v)).collect();
        let key =
            make_key(table, index, &key_values).unwrap_or_else(|e| panic!("{}: {e}", index.name));

        // The one entry Windows stored in this index.
        let tree = if index.is_primary() {
            table.tree()
        } else {
            index.tree()
        };
        let stored: Vec<_> = tree.entries(&db).collect::<Result<_, _>>().unwrap();
        assert_eq!(stored.len(), 1, "{}", index.name);
        assert_eq!(
            key, stored[0].key,
            "{}: our key differs from Windows'",
            index.name
        );

        let reader = IndexReader::new(&db, table, index);
        let found = reader
            .seek(&key, SeekMode::Equal)
            .unwrap_or_else(|e| panic!("{}: {e}", index.name));
        assert_eq!(found.primary_key, row.primary_key, "{}", index.name);
        assert!(
            found
                .values
                .contains(&(1, ColumnValue::Single(Value::Long(1)))),
            "{}",
            index.name
        );
    }
}

#[test]
fn range_seeks_on_the_catalog_name_index() {
    // MSysObjects' Name index (object 4, page 7) is unique over
    // (ObjidTable, Type, Name): many entries to seek among.
    let Some(path) = ese_testkit::corpus_file("large.edb") else {
        return;
    };
    let db = DatabaseFile::open(&path).unwrap();
    let catalog = Catalog::load(&db).unwrap();
    let table = catalog.table("MSysObjects").unwrap();
    let index = table.index_by_name("Name").unwrap();
    let reader = IndexReader::new(&db, table, index);
    let entries: Vec<_> = index.tree().entries(&db).collect::<Result<_, _>>().unwrap();
    assert!(entries.len() > 60_000);
    for position in [1, 17, entries.len() / 3, entries.len() - 2] {
        let key = &entries[position].key;
        let at = |mode| reader.seek_entry(key, mode).unwrap();
        assert_eq!(at(SeekMode::Equal).as_ref(), Some(&entries[position]));
        assert_eq!(
            at(SeekMode::GreaterOrEqual).as_ref(),
            Some(&entries[position])
        );
        assert_eq!(at(SeekMode::LessOrEqual).as_ref(), Some(&entries[position]));
        assert_eq!(at(SeekMode::Greater).as_ref(), Some(&entries[position + 1]));
        assert_eq!(at(SeekMode::Less).as_ref(), Some(&entries[position - 1]));
        // A key between two entries: equality fails, the ranges bracket it.
        let mut between = key.clone();
        between.push(0);
        assert!(between < entries[position + 1].key);
        let at = |mode| reader.seek_entry(&between, mode).unwrap();
        assert_eq!(at(SeekMode::Equal), None);
        assert_eq!(
            at(SeekMode::GreaterOrEqual).as_ref(),
            Some(&entries[position + 1])
        );
        assert_eq!(at(SeekMode::LessOrEqual).as_ref(), Some(&entries[position]));
    }
    assert_eq!(
        reader.seek_entry(&entries[0].key, SeekMode::Less).unwrap(),
        None
    );
    let last = &entries[entries.len() - 1].key;
    assert_eq!(reader.seek_entry(last, SeekMode::Greater).unwrap(), None);
    let error = reader.seek(&[0xff, 0xff], SeekMode::Equal).unwrap_err();
    assert_eq!(error.code(), ese::codes::JET_errRecordNotFound);
    // A seek lands on the row the entry points at.
    let row = reader.seek(&entries[5].key, SeekMode::Equal).unwrap();
    assert_eq!(row.primary_key, entries[5].data);
}
