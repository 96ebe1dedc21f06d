//! The key-value suite of redb's comparison, on every engine: bulk load,
//! individual durable commits (from one thread, then from several at
//! once: group commit), batched durable commits, random point
//! reads on 1, 2 and 4 threads, random range reads, deletion of half the
//! records, and the database file's size after the load and after the
//! deletions (with every file the engine keeps, once, after the
//! deletions).

use std::time::{Duration, Instant};

use crate::data::{KeyValues, Rng, VALUE_SIZE};
use crate::engines;
pub use crate::interface::{KvEngine, KvReader, KvWriter};
use crate::report::{Figure, Report};
use crate::{check, BenchResult, Config};

/// Entries each range read visits.
pub const RANGE_LENGTH: usize = 10;

/// The suite's workload names, in report order.
pub const BULK_LOAD: &str = "bulk load";
pub const SIZE_AFTER_LOAD: &str = "file size after the writes";
pub const RANGE_READS: &str = "random range reads (seek + 10)";
pub const REMOVALS: &str = "delete half the records (one durable commit)";
pub const SIZE_AFTER_REMOVALS: &str = "file size after the deletions";
/// Every file the engine keeps (log, WAL, locks), where the two sizes
/// above are the database file alone.
pub const FILES_AFTER_REMOVALS: &str = "all files after the deletions (log, WAL, locks)";
/// What the engine logged for the bulk load, and for the deletion with
/// its cleanup (up to the checkpoint after it), for engines that say.
pub const LOG_OF_LOAD: &str = "log written by the bulk load";
pub const LOG_OF_REMOVALS: &str = "log written by the deletion and its cleanup";

pub fn point_reads_name(threads: usize) -> String {
    if threads == 1 {
        "random point reads, 1 thread".into()
    } else {
        format!("random point reads, {threads} threads")
    }
}

pub fn run(
    config: &Config,
    report: &mut Report,
    progress: &mut dyn FnMut(&str),
) -> BenchResult<()> {
    let records = config.records;
    let extra = config.individual_writes * (1 + config.writer_threads.len())
        + config.batches * config.batch_size;
    let individual = format!(
        "individual writes ({} durable commits)",
        config.individual_writes
    );
    let batched = format!(
        "batch writes ({} × {}, durable)",
        config.batches, config.batch_size
    );
    let data = KeyValues::generate(records + extra, config.seed);
    let mut sorted: Vec<[u8; 24]> = data.keys.clone();
    sorted.sort_unstable();
    let mut rng = Rng::new(config.seed ^ 0x0bad_5eed);
    let mut read_order: Vec<usize> = (0..records).collect();
    rng.shuffle(&mut read_order);
    let range_reads = (records / 10).max(1);
    let range_starts: Vec<usize> = (0..range_reads)
        .map(|_| rng.below(data.len() as u64) as usize)
        .collect();

    for &kind in &config.engines {
        let dir = config.dir.join(format!("kv-{}", kind.name()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let engine = engines::open_kv(kind, &dir, config.cache_bytes)?;
        let name = kind.name();
        let mut record = |workload: &str, figure: Figure, progress: &mut dyn FnMut(&str)| {
            progress(&format!("{name}: {workload}: {figure}"));
            report.record("key-value", workload, kind, figure);
        };

        let logged = engine.log_bytes();
        let time = timed(|| engine.write(&data.pairs(0, records)))?;
        record(
            &format!("{BULK_LOAD} ({records} records)"),
            Figure::Time(time),
            progress,
        );
        if let (Some(before), Some(after)) = (logged, engine.log_bytes()) {
            record(LOG_OF_LOAD, Figure::Bytes(after - before), progress);
        }

        let mut next = records;
        let time = timed(|| {
            for _ in 0..config.individual_writes {
                engine.write(&data.pairs(next, next + 1))?;
                next += 1;
            }
            Ok(())
        })?;
        record(&individual, Figure::Time(time), progress);

        for &threads in &config.writer_threads {
            let each = config.individual_writes / threads.max(1);
            let first = next;
            let time = timed(|| concurrent_writes(engine.as_ref(), &data, first, threads, each))?;
            next += threads * each;
            record(
                &concurrent_writes_name(threads, each),
                Figure::Time(time),
                progress,
            );
        }

        let time = timed(|| {
            for _ in 0..config.batches {
                engine.write(&data.pairs(next, next + config.batch_size))?;
                next += config.batch_size;
            }
            Ok(())
        })?;
        record(&batched, Figure::Time(time), progress);
        // Sizes are measured after a checkpoint: the log (or WAL) the
        // engine keeps only until then is not part of the data's size.
        engine.checkpoint()?;
        record(
            SIZE_AFTER_LOAD,
            Figure::Bytes(engine.file_size()?),
            progress,
        );

        for threads in std::iter::once(1).chain(config.reader_threads.iter().copied()) {
            let time = timed(|| point_reads(engine.as_ref(), &data, &read_order, threads))?;
            record(&point_reads_name(threads), Figure::Time(time), progress);
        }

        let time = timed(|| {
            let mut reader = engine.reader()?;
            for &start in &range_starts {
                let from = &data.keys[start];
                let position = sorted.partition_point(|key| key < from);
                let expected = RANGE_LENGTH.min(sorted.len() - position);
                let (count, bytes) = reader.range(from, RANGE_LENGTH)?;
                check(count == expected && bytes == count * VALUE_SIZE, || {
                    format!("{name}: range read gave {count} entries, {bytes} bytes; expected {expected}")
                })?;
            }
            Ok(())
        })?;
        record(
            &format!("{RANGE_READS}, {range_reads} reads"),
            Figure::Time(time),
            progress,
        );

        let mut removals: Vec<&[u8]> = (0..records).step_by(2).map(|i| &data.keys[i][..]).collect();
        rng.shuffle(&mut removals);
        let logged = engine.log_bytes();
        let time = timed(|| {
            let removed = engine.remove(&removals)?;
            check(removed == removals.len(), || {
                format!("{name}: removed {removed} of {} keys", removals.len())
            })
        })?;
        record(REMOVALS, Figure::Time(time), progress);
        engine.checkpoint()?;
        if let (Some(before), Some(after)) = (logged, engine.log_bytes()) {
            record(LOG_OF_REMOVALS, Figure::Bytes(after - before), progress);
        }
        record(
            SIZE_AFTER_REMOVALS,
            Figure::Bytes(engine.file_size()?),
            progress,
        );
        record(
            FILES_AFTER_REMOVALS,
            Figure::Bytes(engine.files_size()?),
            progress,
        );

        // What was removed is gone and what was not is still there.
        let mut reader = engine.reader()?;
        let mut value = Vec::new();
        for i in (0..records).take(2_000) {
            let found = reader.get(&data.keys[i], &mut value)?;
            check(found == (i % 2 == 1), || {
                format!("{name}: key {i} found={found} after removing the even ones")
            })?;
        }
        drop(reader);
        drop(engine);
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// The workload of [`concurrent_writes`].
pub fn concurrent_writes_name(threads: usize, each: usize) -> String {
    format!("individual writes from {threads} threads ({threads} × {each} durable commits)")
}

/// `threads` threads each make `each` durable commits of one insert (keys
/// from `first` on, each thread its own), at the same time: with a writer
/// of their own where the engine gives one, else through the engine's
/// shared (serialised) write.
fn concurrent_writes(
    engine: &dyn KvEngine,
    data: &KeyValues,
    first: usize,
    threads: usize,
    each: usize,
) -> BenchResult<()> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> BenchResult<()> {
                    let start = first + t * each;
                    match engine.own_writer()? {
                        Some(mut writer) => {
                            for i in start..start + each {
                                writer.write(&data.pairs(i, i + 1))?;
                            }
                        }
                        None => {
                            for i in start..start + each {
                                engine.write(&data.pairs(i, i + 1))?;
                            }
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker.join().map_err(|_| "a writer thread panicked")??;
        }
        Ok(())
    })
}

/// Reads every key of `order` once, split among `threads` threads, and
/// checks each value.
fn point_reads(
    engine: &dyn KvEngine,
    data: &KeyValues,
    order: &[usize],
    threads: usize,
) -> BenchResult<()> {
    let shard = order.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = order
            .chunks(shard)
            .map(|keys| {
                scope.spawn(move || -> BenchResult<()> {
                    let mut reader = engine.reader()?;
                    let mut value = Vec::with_capacity(VALUE_SIZE);
                    for &i in keys {
                        let found = reader.get(&data.keys[i], &mut value)?;
                        check(found && value[..] == data.values[i][..], || {
                            format!("point read of key {i} found={found}, wrong or missing value")
                        })?;
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker
                .join()
                .map_err(|_| "a reader thread panicked".to_string())??;
        }
        Ok(())
    })
}

pub(crate) fn timed(work: impl FnOnce() -> BenchResult<()>) -> BenchResult<Duration> {
    let start = Instant::now();
    work()?;
    Ok(start.elapsed())
}
