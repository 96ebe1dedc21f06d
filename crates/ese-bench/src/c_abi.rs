//! The C ABI's own cost, this engine alone: the same random point reads
//! (JetMakeKey, JetSeek, JetRetrieveColumn of a 150-byte value) through
//! the Rust API and through libesent's exported functions, on one thread
//! and on several, over the same table.
//!
//! The exported functions are called here from Rust through the `esent`
//! crate, which runs exactly the code a C program's call runs (the handle
//! lookups, the boundary that turns results into JET_ERR values and keeps
//! panics out of C); what it leaves out is the C compiler's side of the
//! call, a plain function call.

use std::ffi::c_void;
use std::time::{Duration, Instant};

use ese::api::grbit::*;
use ese::api::*;
use ese::format::constants::*;

use crate::data::Rng;
use crate::report::{Figure, Report};
use crate::{check, BenchResult, Config, EngineKind};

const SUITE: &str = "C ABI (this engine alone)";
const VALUE_SIZE: usize = 150;

/// The workload names, for the report and the smoke test.
pub fn workload_names(config: &Config) -> Vec<String> {
    let mut names = Vec::new();
    for threads in std::iter::once(1).chain(config.reader_threads.iter().copied()) {
        names.push(format!("point reads, Rust API, {threads} thread(s)"));
        names.push(format!("point reads, C ABI, {threads} thread(s)"));
    }
    names
}

pub fn run(
    config: &Config,
    report: &mut Report,
    progress: &mut dyn FnMut(&str),
) -> BenchResult<()> {
    let dir = config.dir.join("ese-c-abi");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let jet = Jet::global();
    let handle = jet.create_instance(Some("ese-bench-c-abi"))?;
    let system = format!("{}/", dir.display());
    jet.set_system_parameter(Some(handle), params::JET_paramSystemPath, 0, Some(&system))?;
    jet.set_system_parameter(Some(handle), params::JET_paramLogFilePath, 0, Some(&system))?;
    jet.set_system_parameter(
        Some(handle),
        params::JET_paramCacheSizeMax,
        (config.cache_bytes / 8192) as u64,
        None,
    )?;
    jet.init(Some(handle))?;
    let outcome = measure(config, report, progress, handle, &dir);
    let ended = jet.term(Some(handle));
    let _ = std::fs::remove_dir_all(&dir);
    outcome.and(ended.map_err(Into::into))
}

fn measure(
    config: &Config,
    report: &mut Report,
    progress: &mut dyn FnMut(&str),
    handle: JetInstance,
    dir: &std::path::Path,
) -> BenchResult<()> {
    let path = dir.join("c-abi.edb");
    let records = config.records;
    let value_column;
    progress(&format!("C ABI: loading {records} records"));
    {
        let session = Jet::global().begin_session(Some(handle))?;
        let dbid = session.create_database(&path, 0)?;
        let mut create = TableCreate {
            name: "kv".into(),
            columns: vec![
                ColumnCreate::new("Key", JET_coltypLong, JET_bitColumnNotNULL),
                ColumnCreate::new("Value", JET_coltypBinary, 0),
            ],
            indexes: vec![IndexCreate::new("ByKey", "+Key\0\0", JET_bitIndexPrimary)],
            ..Default::default()
        };
        let mut cursor = session.create_table_column_index(dbid, &mut create)?;
        let key_column = create.columns[0].column_id;
        value_column = create.columns[1].column_id;
        let mut rng = Rng::new(config.seed);
        let mut value = [0u8; VALUE_SIZE];
        for chunk in (0..records as i32).collect::<Vec<_>>().chunks(10_000) {
            session.begin_transaction()?;
            for &key in chunk {
                rng.fill(&mut value);
                cursor.prepare_update(JET_prepInsert)?;
                cursor.set_column(key_column, Some(&key.to_le_bytes()), 0, None)?;
                cursor.set_column(value_column, Some(&value), 0, None)?;
                cursor.update()?;
            }
            session.commit_transaction(JET_bitCommitLazyFlush)?;
        }
        drop(cursor);
        session.close_database(dbid, 0)?;
        session.end()?;
    }
    let reads = records.clamp(1, 500_000);
    for threads in std::iter::once(1).chain(config.reader_threads.iter().copied()) {
        // Each figure is the best of five runs, the two ways interleaved,
        // so that neither gets the warmer cache.
        let mut rust = Duration::MAX;
        let mut c = Duration::MAX;
        for round in 0..5 {
            progress(&format!(
                "C ABI: {reads} point reads on {threads} thread(s), round {}",
                round + 1
            ));
            rust = rust.min(timed(threads, |t| {
                rust_reads(
                    handle,
                    &path,
                    value_column,
                    config.seed ^ t as u64,
                    reads / threads,
                    records,
                )
            })?);
            c = c.min(timed(threads, |t| {
                c_reads(
                    handle,
                    &path,
                    value_column,
                    config.seed ^ t as u64,
                    reads / threads,
                    records,
                )
            })?);
        }
        report.record(
            SUITE,
            &format!("point reads, Rust API, {threads} thread(s)"),
            EngineKind::Ese,
            Figure::Time(rust),
        );
        report.record(
            SUITE,
            &format!("point reads, C ABI, {threads} thread(s)"),
            EngineKind::Ese,
            Figure::Time(c),
        );
    }
    Ok(())
}

/// Runs `work` on `threads` threads at once and returns the wall time.
fn timed(threads: usize, work: impl Fn(usize) -> BenchResult<()> + Sync) -> BenchResult<Duration> {
    let start = Instant::now();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let work = &work;
                scope.spawn(move || work(t))
            })
            .collect();
        for handle in handles {
            handle.join().map_err(|_| "a reader thread panicked")??;
        }
        Ok::<(), crate::BenchError>(())
    })?;
    Ok(start.elapsed())
}

fn rust_reads(
    handle: JetInstance,
    path: &std::path::Path,
    value_column: u32,
    seed: u64,
    reads: usize,
    records: usize,
) -> BenchResult<()> {
    let session = Jet::global().begin_session(Some(handle))?;
    let dbid = session.open_database(path, 0)?;
    let mut cursor = session.open_table(dbid, "kv", JET_bitTableReadOnly)?;
    let mut rng = Rng::new(seed);
    let mut value = [0u8; VALUE_SIZE];
    for _ in 0..reads {
        let key = rng.below(records as u64) as i32;
        cursor.make_key(&key.to_le_bytes(), JET_bitNewKey)?;
        cursor.seek(JET_bitSeekEQ)?;
        let got = cursor.retrieve_column(value_column, &mut value, 0, None)?;
        check(got.actual_size == VALUE_SIZE, || {
            format!("key {key}: a short value")
        })?;
    }
    drop(cursor);
    session.end()?;
    Ok(())
}

// The C ABI's functions are unsafe to call by nature (raw pointers); each
// call below passes pointers to live locals.
#[allow(unsafe_code)]
fn c_reads(
    handle: JetInstance,
    path: &std::path::Path,
    value_column: u32,
    seed: u64,
    reads: usize,
    records: usize,
) -> BenchResult<()> {
    use esent::*;
    let fail = |what: &str, err: i32| -> crate::BenchError { format!("{what}: {err}").into() };
    let c_path = std::ffi::CString::new(path.to_string_lossy().as_bytes())?;
    let mut sesid = 0;
    let mut dbid = 0;
    let mut tableid = 0;
    // SAFETY: every pointer is to a live local of the right type, as the
    // C API's documentation asks.
    unsafe {
        let err = JetBeginSessionA(
            handle as usize,
            &mut sesid,
            std::ptr::null(),
            std::ptr::null(),
        );
        if err < 0 {
            return Err(fail("JetBeginSession", err));
        }
        let err = JetOpenDatabaseA(sesid, c_path.as_ptr(), std::ptr::null(), &mut dbid, 0);
        if err < 0 {
            return Err(fail("JetOpenDatabase", err));
        }
        let err = JetOpenTableA(
            sesid,
            dbid,
            c"kv".as_ptr(),
            std::ptr::null(),
            0,
            JET_bitTableReadOnly,
            &mut tableid,
        );
        if err < 0 {
            return Err(fail("JetOpenTable", err));
        }
        let mut rng = Rng::new(seed);
        let mut value = [0u8; VALUE_SIZE];
        for _ in 0..reads {
            let key = rng.below(records as u64) as i32;
            let err = JetMakeKey(
                sesid,
                tableid,
                (&key as *const i32).cast::<c_void>(),
                4,
                JET_bitNewKey,
            );
            if err < 0 {
                return Err(fail("JetMakeKey", err));
            }
            let err = JetSeek(sesid, tableid, JET_bitSeekEQ);
            if err < 0 {
                return Err(fail("JetSeek", err));
            }
            let mut actual = 0u32;
            let err = JetRetrieveColumn(
                sesid,
                tableid,
                value_column,
                value.as_mut_ptr().cast(),
                VALUE_SIZE as u32,
                &mut actual,
                0,
                std::ptr::null_mut(),
            );
            if err < 0 || actual as usize != VALUE_SIZE {
                return Err(fail("JetRetrieveColumn", err));
            }
        }
        JetCloseTable(sesid, tableid);
        JetEndSession(sesid, 0);
    }
    Ok(())
}
