//! The transaction suite, this engine alone (what it costs to use its
//! transactions, not a comparison): empty transactions, transactions of
//! one update, and point reads on two threads with and without a third
//! thread committing one-update transactions meanwhile.
//!
//! The table is the key-value suite's (24-byte keys, 150-byte values),
//! loaded with up to 100,000 records. Commits are not durable here: until
//! the log exists (issue 8) a commit makes changes visible, and durability
//! is a separate flush, which the key-value suite measures.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ese::api::grbit::*;
use ese::api::*;

use crate::data::{KeyValues, Rng, VALUE_SIZE};
use crate::report::{Figure, Report};
use crate::{check, engines, BenchResult, Config, EngineKind};

const SUITE: &str = "transactions (this engine alone)";

/// The workload names, for the report and the smoke test.
pub fn workload_names(config: &Config) -> [String; 5] {
    let (rows, transactions, reads) = sizes(config);
    [
        format!("{transactions} empty transactions"),
        format!("{transactions} transactions of one update ({rows} records)"),
        format!("{transactions} updates outside a transaction, for comparison"),
        format!("{reads} point reads on 2 threads, no writer"),
        format!("{reads} point reads on 2 threads while a third commits one-update transactions"),
    ]
}

/// (records loaded, transactions timed, point reads per figure)
fn sizes(config: &Config) -> (usize, usize, usize) {
    let rows = config.records.clamp(1, 100_000);
    (rows, rows, rows * 4)
}

struct Table {
    instance: Instance,
    path: std::path::PathBuf,
    value: u32,
}

fn create(config: &Config, data: &KeyValues, rows: usize) -> BenchResult<Table> {
    let dir = config.dir.join("ese-transactions");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let instance = engines::ese::instance(&dir, config.cache_bytes)?;
    let path = dir.join("txn.edb");
    let session = instance.begin_session()?;
    let dbid = session.create_database(&path, 0)?;
    let mut create = engines::ese::kv_table();
    let mut cursor = session.create_table_column_index(dbid, &mut create)?;
    let (key, value) = (create.columns[0].column_id, create.columns[1].column_id);
    for i in 0..rows {
        cursor.prepare_update(JET_prepInsert)?;
        cursor.set_column(key, Some(&data.keys[i]), 0, None)?;
        cursor.set_column(value, Some(&data.values[i]), 0, None)?;
        cursor.update()?;
    }
    Ok(Table {
        instance,
        path,
        value,
    })
}

fn open(table: &Table) -> BenchResult<(Session, Cursor)> {
    let session = table.instance.begin_session()?;
    let dbid = session.open_database(&table.path, 0)?;
    let cursor = session.open_table(dbid, "kv", 0)?;
    Ok((session, cursor))
}

fn seek(cursor: &mut Cursor, key: &[u8]) -> BenchResult<()> {
    check(engines::ese::seek_equal(cursor, key)?, || {
        "a loaded key is missing".into()
    })
}

/// Replaces the value of the record with `key` (JetUpdate's own implicit
/// transaction).
fn replace(cursor: &mut Cursor, table: &Table, key: &[u8], value: &[u8]) -> BenchResult<()> {
    seek(cursor, key)?;
    cursor.prepare_update(JET_prepReplace)?;
    cursor.set_column(table.value, Some(value), 0, None)?;
    cursor.update()?;
    Ok(())
}

/// One transaction replacing the value of the record with `key`.
fn update_one(
    session: &Session,
    cursor: &mut Cursor,
    table: &Table,
    key: &[u8],
    value: &[u8],
) -> BenchResult<()> {
    session.begin_transaction()?;
    replace(cursor, table, key, value)?;
    session.commit_transaction(JET_bitCommitLazyFlush)?;
    Ok(())
}

/// `reads` point reads split over two threads, each in random order;
/// checks every value's length.
fn two_readers(
    table: &Table,
    data: &KeyValues,
    rows: usize,
    reads: usize,
) -> BenchResult<Duration> {
    let started = Instant::now();
    std::thread::scope(|scope| -> BenchResult<()> {
        let mut handles = Vec::new();
        for thread in 0..2u64 {
            handles.push(scope.spawn(move || -> BenchResult<()> {
                let (_session, mut cursor) = open(table)?;
                let mut rng = Rng::new(0x7ead ^ thread);
                let mut out = vec![0u8; 256];
                for _ in 0..reads / 2 {
                    let i = rng.below(rows as u64) as usize;
                    seek(&mut cursor, &data.keys[i])?;
                    let got = cursor.retrieve_column(table.value, &mut out, 0, None)?;
                    check(got.actual_size == VALUE_SIZE, || {
                        format!("record {i} read back {} bytes", got.actual_size)
                    })?;
                }
                Ok(())
            }));
        }
        for handle in handles {
            handle.join().map_err(|_| "a reader thread panicked")??;
        }
        Ok(())
    })?;
    Ok(started.elapsed())
}

pub fn run(
    config: &Config,
    report: &mut Report,
    progress: &mut dyn FnMut(&str),
) -> BenchResult<()> {
    if !config.engines.contains(&EngineKind::Ese) {
        return Ok(());
    }
    let (rows, transactions, reads) = sizes(config);
    let names = workload_names(config);
    let data = KeyValues::generate(rows, config.seed);
    let table = create(config, &data, rows)?;
    let (session, mut cursor) = open(&table)?;
    let mut record = |name: &str, time: Duration, progress: &mut dyn FnMut(&str)| {
        progress(&format!("ese: {name}: {}", Figure::Time(time)));
        report.record(SUITE, name, EngineKind::Ese, Figure::Time(time));
    };

    let started = Instant::now();
    for _ in 0..transactions {
        session.begin_transaction()?;
        session.commit_transaction(JET_bitCommitLazyFlush)?;
    }
    record(&names[0], started.elapsed(), progress);

    let mut rng = Rng::new(config.seed ^ 0x71);
    let value = vec![0x5au8; VALUE_SIZE];
    let started = Instant::now();
    for _ in 0..transactions {
        let i = rng.below(rows as u64) as usize;
        update_one(&session, &mut cursor, &table, &data.keys[i], &value)?;
    }
    record(&names[1], started.elapsed(), progress);
    progress(&format!(
        "ese: version store after the commits: {:?}",
        table.instance.version_stats()
    ));

    let started = Instant::now();
    for _ in 0..transactions {
        let i = rng.below(rows as u64) as usize;
        replace(&mut cursor, &table, &data.keys[i], &value)?;
    }
    record(&names[2], started.elapsed(), progress);

    table.instance.clean_versions()?;
    let quiet = two_readers(&table, &data, rows, reads)?;
    record(&names[3], quiet, progress);

    let stop = AtomicBool::new(false);
    let commits = AtomicU64::new(0);
    let busy = std::thread::scope(|scope| -> BenchResult<Duration> {
        let writer = scope.spawn(|| -> BenchResult<()> {
            let mut rng = Rng::new(config.seed ^ 0x72);
            while !stop.load(Ordering::Acquire) {
                let i = rng.below(rows as u64) as usize;
                update_one(
                    &session,
                    &mut cursor,
                    &table,
                    &data.keys[i],
                    &data.values[i],
                )?;
                commits.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        });
        let time = two_readers(&table, &data, rows, reads);
        stop.store(true, Ordering::Release);
        writer.join().map_err(|_| "the writer thread panicked")??;
        time
    })?;
    record(&names[4], busy, progress);
    progress(&format!(
        "ese: the writer committed {} transactions during the reads",
        commits.load(Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(config.dir.join("ese-transactions"));
    Ok(())
}
