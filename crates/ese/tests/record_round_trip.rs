//! The record encoder against Windows' own bytes: every record of every
//! table of the corpus, taken apart and encoded again, is byte-identical.

use ese::catalog::Catalog;
use ese::database_file::DatabaseFile;
use ese::format::record::{encode_record, Record};

#[test]
fn every_corpus_record_re_encodes_byte_for_byte() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for (name, page_size) in ese_testkit::CORPUS_DATABASES {
        let db = DatabaseFile::open(dir.join(name)).unwrap();
        assert_eq!(db.page_size(), page_size);
        let catalog = Catalog::load(&db).unwrap();
        let mut records = 0;
        for table in &catalog.tables {
            for entry in table.tree().entries(&db) {
                let entry = entry.unwrap();
                let record = Record::parse(&entry.data, page_size).unwrap();
                let parts = record.parts().unwrap();
                let encoded = encode_record(&parts, page_size).unwrap();
                assert!(
                    encoded == entry.data,
                    "{name} table {} record at page {}: re-encoding changed it",
                    table.name,
                    entry.page
                );
                records += 1;
            }
        }
        assert!(records > 100, "{name}: {records} records");
    }
}

#[test]
fn the_encoder_refuses_impossible_parts() {
    use ese::format::record::{RecordParts, TaggedField};
    let parts = RecordParts {
        last_fixed: 2,
        fixed_data: &[1, 2, 3],
        fixed_null: vec![false].into(),
        variable: vec![].into(),
        tagged: vec![].into(),
    };
    assert!(
        encode_record(&parts, 4096).is_err(),
        "NULL flags must match the fixed count"
    );
    let parts = RecordParts {
        last_fixed: 0,
        fixed_data: &[],
        fixed_null: vec![].into(),
        variable: vec![].into(),
        tagged: vec![TaggedField {
            column_id: 12,
            derived: false,
            flags: 0,
            has_header: false,
            body: b"x",
        }]
        .into(),
    };
    assert!(
        encode_record(&parts, 4096).is_err(),
        "tagged ids start at 256"
    );
}
