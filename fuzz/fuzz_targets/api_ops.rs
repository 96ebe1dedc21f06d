//! The ISAM API driven by arbitrary calls: a table with a unique, a
//! descending, a multi-valued and a conditional index and a long-value
//! column, then a stream of inserts, replaces, deletes, seeks, key
//! building, moves, index changes and column reads with arbitrary bytes,
//! options and column ids. Any JET error is an acceptable answer; a panic
//! or a hang is not, and the database must pass the structure checker at
//! the end.
//!
//! Input layout: one byte per call picks it; the bytes that follow give its
//! arguments (column, option bits, a length and that many data bytes).

#![no_main]

use ese::api::grbit::*;
use ese::api::*;
use ese::format::constants::*;
use ese_format_fuzz::Input;
use libfuzzer_sys::fuzz_target;

const GRBITS: [u32; 8] = [
    0,
    JET_bitNewKey,
    JET_bitNewKey | JET_bitFullColumnEndLimit,
    JET_bitNewKey | JET_bitPartialColumnStartLimit,
    JET_bitSetAppendLV,
    JET_bitSetZeroLength,
    JET_bitSetUniqueMultiValues,
    0xffff_ffff,
];

fn bytes(input: &mut Input<'_>) -> Vec<u8> {
    let length = usize::from(input.u8() % 40) * if input.u8() % 8 == 0 { 100 } else { 1 };
    (0..length).map(|_| input.u8()).collect()
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let dir = std::env::temp_dir().join(format!("ese-fuzz-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("fuzz.edb");
    {
        let instance = Instance::new(InstanceOptions {
            page_size: 4096,
            ..InstanceOptions::new(dir.join("system"))
        })
        .unwrap();
        let session = instance.begin_session().unwrap();
        let dbid = session.create_database(&path, 0).unwrap();
        let mut create = TableCreate {
            name: "t".into(),
            columns: vec![
                ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnAutoincrement),
                ColumnCreate::new("Code", JET_coltypText, 0),
                ColumnCreate::new("B", JET_coltypShort, 0),
                ColumnCreate::new("Tags", JET_coltypBinary, JET_bitColumnMultiValued),
                ColumnCreate::new("Opt", JET_coltypLong, JET_bitColumnTagged),
                ColumnCreate::new("Blob", JET_coltypLongBinary, JET_bitColumnCompressed),
            ],
            indexes: vec![
                IndexCreate::new("P", "+Id\0\0", JET_bitIndexPrimary),
                IndexCreate::new("U", "+Code\0\0", JET_bitIndexUnique | JET_bitIndexIgnoreNull),
                IndexCreate::new("D", "-B\0+Code\0\0", 0),
                IndexCreate::new("M", "+Tags\0\0", JET_bitIndexIgnoreAnyNull),
                IndexCreate {
                    conditional_columns: vec![ConditionalColumn {
                        name: "Opt".into(),
                        grbit: JET_bitIndexColumnMustBeNonNull,
                    }],
                    ..IndexCreate::new("C", "+B\0\0", 0)
                },
            ],
            ..Default::default()
        };
        let mut cursor = session.create_table_column_index(dbid, &mut create).unwrap();
        let ids: Vec<u32> = create.columns.iter().map(|c| c.column_id).collect();
        let indexes = [None, Some("U"), Some("D"), Some("M"), Some("C"), Some("nope")];
        for _ in 0..200 {
            if input.is_empty() {
                break;
            }
            let column = match input.u8() % 8 {
                n @ 0..=5 => ids[n as usize],
                6 => 0,
                _ => input.u32(),
            };
            let grbit = GRBITS[usize::from(input.u8() % 8)];
            let _ = match input.u8() % 12 {
                0 => cursor.prepare_update(JET_prepInsert),
                1 => cursor.prepare_update(JET_prepReplace),
                2 => cursor.prepare_update(JET_prepCancel),
                3 => {
                    let data = bytes(&mut input);
                    let info = SetInfo {
                        ib_long_value: u32::from(input.u16()),
                        itag_sequence: u32::from(input.u8() % 4),
                    };
                    cursor.set_column(column, Some(&data), grbit, Some(info)).map(|_| ())
                }
                4 => cursor.update().map(|_| ()),
                5 => cursor.delete(),
                6 => {
                    let data = bytes(&mut input);
                    cursor.make_key(&data, grbit)
                }
                7 => cursor.seek(1 << (input.u8() % 5)).map(|_| ()),
                8 => cursor.move_(i32::from(input.u8() as i8), 0),
                9 => cursor.set_current_index(indexes[usize::from(input.u8() % 6)], 0),
                10 => {
                    let mut buffer = vec![0u8; usize::from(input.u8())];
                    let info = RetInfo {
                        ib_long_value: u32::from(input.u16()),
                        itag_sequence: 1 + u32::from(input.u8() % 3),
                    };
                    cursor.retrieve_column(column, &mut buffer, grbit & 0x3f, Some(info)).map(|_| ())
                }
                _ => cursor.set_index_range(grbit & 0xf).map(|_| ()),
            };
        }
        drop(cursor);
        drop(session);
        instance.term().unwrap();
    }
    let report = ese::integrity::check_database(&path).unwrap();
    assert!(report.is_clean(), "{report:?}");
    let _ = std::fs::remove_dir_all(&dir);
});
