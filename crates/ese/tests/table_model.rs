//! Model-based test of a table with several secondary indexes: random
//! inserts, replaces, deletes, seeks and index-range scans, each checked
//! against a model of the rows and of what every index must hold, in
//! order; the structure checker passes afterwards.
//!
//! The indexes: the primary key (Id), a unique index that ignores NULLs
//! (Code), a descending non-unique one (-B), a multi-valued one (Tags) and
//! a conditional one (+B where Opt is not NULL). Payloads up to 3,000
//! bytes go into the long-value tree and back. Seeded: the seed is
//! printed, ESE_TEST_SEED replays it.

use std::collections::BTreeMap;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::{scratch_dir, test_seed, SeededRng};

#[derive(Clone, Debug, PartialEq)]
struct Row {
    code: Option<String>,
    b: Option<i16>,
    tags: Vec<String>,
    opt: Option<i32>,
    payload: Option<Vec<u8>>,
}

struct Columns {
    id: u32,
    code: u32,
    b: u32,
    tags: u32,
    opt: u32,
    payload: u32,
}

const WORDS: [&str; 6] = ["ALPHA", "BETA", "GAMMA", "DELTA", "EPS", "ZETA"];

fn random_row(rng: &mut SeededRng) -> Row {
    let pick = |rng: &mut SeededRng, n: u64| rng.next_u64() % n;
    Row {
        code: (pick(rng, 4) != 0).then(|| format!("C{:03}", pick(rng, 60))),
        b: (pick(rng, 5) != 0).then(|| pick(rng, 20) as i16 - 10),
        tags: {
            let mut tags: Vec<String> = Vec::new();
            for _ in 0..pick(rng, 4) {
                let word = WORDS[pick(rng, WORDS.len() as u64) as usize].to_string();
                if !tags.contains(&word) {
                    tags.push(word);
                }
            }
            tags
        },
        opt: (pick(rng, 3) == 0).then(|| pick(rng, 1000) as i32),
        payload: (pick(rng, 2) == 0).then(|| {
            let len = match pick(rng, 3) {
                0 => pick(rng, 40),
                1 => 900 + pick(rng, 300),
                _ => 2000 + pick(rng, 1000),
            } as usize;
            let seed = pick(rng, 256) as u8;
            (0..len).map(|i| seed.wrapping_add(i as u8)).collect()
        }),
    }
}

fn write_row(cursor: &mut Cursor, c: &Columns, row: &Row) {
    let set = |cursor: &mut Cursor, column: u32, value: Option<&[u8]>| {
        cursor.set_column(column, value, 0, None).unwrap();
    };
    set(cursor, c.code, row.code.as_deref().map(str::as_bytes));
    set(
        cursor,
        c.b,
        row.b.map(i16::to_le_bytes).as_ref().map(|b| &b[..]),
    );
    // Replace every tag: remove the old values first.
    while cursor
        .retrieve_column(c.tags, &mut [], JET_bitRetrieveCopy, None)
        .unwrap()
        .warning
        != JET_wrnColumnNull
    {
        let first = SetInfo {
            ib_long_value: 0,
            itag_sequence: 1,
        };
        cursor.set_column(c.tags, None, 0, Some(first)).unwrap();
    }
    for tag in &row.tags {
        let add = SetInfo {
            ib_long_value: 0,
            itag_sequence: 0,
        };
        cursor
            .set_column(c.tags, Some(tag.as_bytes()), 0, Some(add))
            .unwrap();
    }
    set(
        cursor,
        c.opt,
        row.opt.map(i32::to_le_bytes).as_ref().map(|b| &b[..]),
    );
    // A zero-length payload is a value, not NULL (JET_bitSetZeroLength).
    cursor
        .set_column(
            c.payload,
            row.payload.as_deref(),
            JET_bitSetZeroLength,
            None,
        )
        .unwrap();
}

fn read_row(cursor: &mut Cursor, c: &Columns) -> (i32, Row) {
    let get = |cursor: &mut Cursor, column: u32| cursor.retrieve(column, 0).unwrap();
    let id = i32::from_le_bytes(get(cursor, c.id).unwrap().try_into().unwrap());
    let mut tags = Vec::new();
    let mut requests = [RetrieveColumn {
        column_id: c.tags,
        itag_sequence: 0,
        ..Default::default()
    }];
    cursor.retrieve_columns(&mut requests).unwrap();
    for n in 1..=requests[0].itag_sequence {
        let mut one = [RetrieveColumn {
            column_id: c.tags,
            itag_sequence: n,
            buffer_size: 64,
            ..Default::default()
        }];
        cursor.retrieve_columns(&mut one).unwrap();
        tags.push(String::from_utf8(one[0].data.clone()).unwrap());
    }
    let row = Row {
        code: get(cursor, c.code).map(|b| String::from_utf8(b).unwrap()),
        b: get(cursor, c.b).map(|b| i16::from_le_bytes(b.try_into().unwrap())),
        tags,
        opt: get(cursor, c.opt).map(|b| i32::from_le_bytes(b.try_into().unwrap())),
        payload: get(cursor, c.payload),
    };
    (id, row)
}

/// The primary keys an index walk must meet, in order.
fn expected_order(model: &BTreeMap<i32, Row>, index: &str) -> Vec<i32> {
    let mut entries: Vec<(Vec<u8>, i32)> = Vec::new();
    for (id, row) in model {
        match index {
            "Primary" => entries.push((Vec::new(), *id)),
            "ByCode" => {
                if let Some(code) = &row.code {
                    entries.push((code.as_bytes().to_vec(), *id));
                }
            }
            // Descending, NULL last: order by the inverted value.
            "ByB" => {
                let key = match row.b {
                    Some(b) => {
                        let v = (0x7fffi32 - i32::from(b)) as u16;
                        vec![0, (v >> 8) as u8, v as u8]
                    }
                    None => vec![1],
                };
                entries.push((key, *id));
            }
            "ByTag" => {
                for tag in &row.tags {
                    entries.push((tag.as_bytes().to_vec(), *id));
                }
            }
            "ByOpt" => {
                if row.opt.is_some() {
                    let key = match row.b {
                        None => vec![0],
                        Some(b) => {
                            let v = (i32::from(b) + 0x8000) as u16;
                            vec![1, (v >> 8) as u8, v as u8]
                        }
                    };
                    entries.push((key, *id));
                }
            }
            _ => unreachable!(),
        }
    }
    entries.sort();
    entries.into_iter().map(|(_, id)| id).collect()
}

fn walk(cursor: &mut Cursor, c: &Columns, index: &str) -> Vec<i32> {
    cursor
        .set_current_index(Some(index), JET_bitNoMove)
        .unwrap();
    let mut ids = Vec::new();
    if cursor.move_(JET_MoveFirst, 0).is_err() {
        return ids;
    }
    loop {
        ids.push(read_row(cursor, c).0);
        match cursor.move_(JET_MoveNext, 0) {
            Ok(()) => {}
            Err(e) if e.code() == JET_errNoCurrentRecord => break,
            Err(e) => panic!("{e}"),
        }
    }
    ids
}

#[test]
fn a_table_with_several_indexes_follows_its_model() {
    let seed = test_seed("a_table_with_several_indexes_follows_its_model");
    let mut rng = SeededRng::new(seed);
    let dir = scratch_dir();
    let path = dir.path().join("model.edb");
    let instance = Instance::new(InstanceOptions {
        page_size: 4096,
        ..InstanceOptions::new(dir.path().join("system"))
    })
    .unwrap();
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(&path, 0).unwrap();
    let mut create = TableCreate {
        name: "model".into(),
        columns: vec![
            ColumnCreate::new("Id", JET_coltypLong, JET_bitColumnNotNULL),
            ColumnCreate::new("Code", JET_coltypText, 0),
            ColumnCreate::new("B", JET_coltypShort, 0),
            ColumnCreate::new("Tags", JET_coltypText, JET_bitColumnMultiValued),
            ColumnCreate::new("Opt", JET_coltypLong, JET_bitColumnTagged),
            ColumnCreate::new("Payload", JET_coltypLongBinary, 0),
        ],
        indexes: vec![
            IndexCreate::new("Primary", "+Id\0\0", JET_bitIndexPrimary),
            IndexCreate::new(
                "ByCode",
                "+Code\0\0",
                JET_bitIndexUnique | JET_bitIndexIgnoreNull,
            ),
            IndexCreate::new("ByB", "-B\0\0", 0),
            IndexCreate::new("ByTag", "+Tags\0\0", JET_bitIndexIgnoreAnyNull),
            IndexCreate {
                conditional_columns: vec![ConditionalColumn {
                    name: "Opt".into(),
                    grbit: JET_bitIndexColumnMustBeNonNull,
                }],
                ..IndexCreate::new("ByOpt", "+B\0\0", 0)
            },
        ],
        ..Default::default()
    };
    let mut cursor = session
        .create_table_column_index(dbid, &mut create)
        .unwrap();
    let ids: Vec<u32> = create.columns.iter().map(|c| c.column_id).collect();
    let c = Columns {
        id: ids[0],
        code: ids[1],
        b: ids[2],
        tags: ids[3],
        opt: ids[4],
        payload: ids[5],
    };
    let mut model: BTreeMap<i32, Row> = BTreeMap::new();
    let code_taken = |model: &BTreeMap<i32, Row>, code: &Option<String>, except: i32| {
        code.is_some() && model.iter().any(|(id, r)| *id != except && r.code == *code)
    };
    let steps = 400;
    // Each step in a transaction of its own: ESE writes a long value
    // stored apart from its record only inside one.
    for step in 0..steps {
        if step > 0 {
            session.commit_transaction(0).unwrap();
        }
        session.begin_transaction().unwrap();
        let context = format!("seed {seed}, step {step}");
        let id = (rng.next_u64() % 80) as i32;
        match rng.next_u64() % 10 {
            0..=3 => {
                let row = random_row(&mut rng);
                cursor.prepare_update(JET_prepInsert).unwrap();
                cursor
                    .set_column(c.id, Some(&id.to_le_bytes()), 0, None)
                    .unwrap();
                write_row(&mut cursor, &c, &row);
                let outcome = cursor.update();
                if model.contains_key(&id) || code_taken(&model, &row.code, id) {
                    assert_eq!(
                        outcome.unwrap_err().code(),
                        JET_errKeyDuplicate,
                        "{context}"
                    );
                    cursor.prepare_update(JET_prepCancel).unwrap();
                } else {
                    outcome.unwrap_or_else(|e| panic!("{context}: {e}"));
                    model.insert(id, row);
                }
            }
            4..=6 => {
                cursor.set_current_index(None, 0).unwrap();
                cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
                let found = cursor.seek(JET_bitSeekEQ);
                let Some(old) = model.get(&id).cloned() else {
                    assert_eq!(
                        found.unwrap_err().code(),
                        JET_errRecordNotFound,
                        "{context}"
                    );
                    continue;
                };
                found.unwrap();
                assert_eq!(read_row(&mut cursor, &c), (id, old.clone()), "{context}");
                let row = random_row(&mut rng);
                cursor.prepare_update(JET_prepReplace).unwrap();
                write_row(&mut cursor, &c, &row);
                let outcome = cursor.update();
                if code_taken(&model, &row.code, id) {
                    assert_eq!(
                        outcome.unwrap_err().code(),
                        JET_errKeyDuplicate,
                        "{context}"
                    );
                    cursor.prepare_update(JET_prepCancel).unwrap();
                } else {
                    outcome.unwrap_or_else(|e| panic!("{context}: {e}"));
                    model.insert(id, row);
                }
            }
            7..=8 => {
                cursor.set_current_index(None, 0).unwrap();
                cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
                match cursor.seek(JET_bitSeekEQ) {
                    Ok(_) => {
                        assert!(model.contains_key(&id), "{context}");
                        cursor.delete().unwrap();
                        model.remove(&id);
                    }
                    Err(e) => {
                        assert_eq!(e.code(), JET_errRecordNotFound, "{context}");
                        assert!(!model.contains_key(&id), "{context}");
                    }
                }
            }
            _ => {
                // A range scan on the descending index: B from 5 down to -3.
                cursor.set_current_index(Some("ByB"), 0).unwrap();
                cursor.make_key(&5i16.to_le_bytes(), JET_bitNewKey).unwrap();
                let mut got = Vec::new();
                if cursor.seek(JET_bitSeekGE).is_ok() {
                    cursor
                        .make_key(
                            &(-3i16).to_le_bytes(),
                            JET_bitNewKey | JET_bitFullColumnEndLimit,
                        )
                        .unwrap();
                    if cursor
                        .set_index_range(JET_bitRangeUpperLimit | JET_bitRangeInclusive)
                        .is_ok()
                    {
                        loop {
                            got.push(read_row(&mut cursor, &c).0);
                            if cursor.move_(JET_MoveNext, 0).is_err() {
                                break;
                            }
                        }
                    }
                }
                let wanted: Vec<i32> = expected_order(&model, "ByB")
                    .into_iter()
                    .filter(|id| model[id].b.is_some_and(|b| (-3..=5).contains(&b)))
                    .collect();
                assert_eq!(got, wanted, "{context}: range -3..=5 on ByB");
            }
        }
        if step % 20 == 19 || step == steps - 1 {
            for index in ["Primary", "ByCode", "ByB", "ByTag", "ByOpt"] {
                assert_eq!(
                    walk(&mut cursor, &c, index),
                    expected_order(&model, index),
                    "{context}: index {index}"
                );
            }
            cursor.set_current_index(None, 0).unwrap();
            if cursor.move_(JET_MoveFirst, 0).is_ok() {
                loop {
                    let (id, row) = read_row(&mut cursor, &c);
                    assert_eq!(Some(&row), model.get(&id), "{context}: row {id}");
                    if cursor.move_(JET_MoveNext, 0).is_err() {
                        break;
                    }
                }
            }
        }
    }
    session.commit_transaction(0).unwrap();
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    let report = ese::integrity::check_database(&path).unwrap();
    assert!(report.is_clean(), "seed {seed}: {report:?}");
}
