//! The writer and the reader together: what is written reads back, a
//! torn tail is the end of the log, damage to durable data is an error.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::format::*;
use super::reader::{parse_log_file, read_log_file, seal_log_file};
use super::*;
use crate::codes::*;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path = std::env::temp_dir().join(format!("ese-log-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(dir: &Path, file_size: u64) -> LogConfig {
    LogConfig {
        names: LogNames::new(dir, dir, "edb", true).unwrap(),
        file_size,
        buffer_bytes: 64 * 1024,
        file_hook: None,
    }
}

fn signature() -> LogSignature {
    LogSignature {
        random: 0xfeed,
        created: [1; 8],
        computer: [2; 16],
    }
}

fn commit(n: u64) -> LogRecord {
    LogRecord::Commit { transaction: n }
}

fn unit(n: u64, bytes: usize) -> LogRecord {
    LogRecord::Unit(Unit {
        database: 1,
        db_time: n,
        transaction: n,
        pages: vec![PageChange::Image {
            page: n as u32,
            bytes: vec![n as u8; bytes].into(),
        }],
        ..Unit::default()
    })
}

#[test]
fn records_read_back_in_order_with_their_positions() {
    let dir = Dir::new("order");
    let config = config(&dir.0, 64 * 1024);
    let writer = LogWriter::start(config.clone(), signature(), 1).unwrap();
    let mut written = Vec::new();
    for n in 0..40 {
        let record = if n % 3 == 0 { unit(n, 700) } else { commit(n) };
        let (start, end) = writer.append(&record).unwrap();
        written.push((start, end, record));
    }
    writer.flush_all().unwrap();
    let contents =
        read_log_file(&config.names.current(), Some(1), Some(&signature()), true).unwrap();
    assert!(matches!(
        contents.records[0].record,
        LogRecord::Start { .. }
    ));
    let read: Vec<_> = contents.records[1..]
        .iter()
        .map(|r| (r.start, r.end, r.record.clone()))
        .collect();
    assert_eq!(read.len(), written.len());
    for (r, w) in read.iter().zip(&written) {
        assert_eq!((r.0, r.1), (w.0, w.1), "positions");
        assert!(r.2 == w.2, "record at {}", display(w.0));
    }
    assert!(!contents.closed);
}

#[test]
fn a_full_file_becomes_a_generation_and_the_next_one_continues() {
    let dir = Dir::new("switch");
    let config = config(&dir.0, 16 * 1024);
    let writer = LogWriter::start(config.clone(), signature(), 1).unwrap();
    for n in 0..100 {
        writer.append(&unit(n, 1000)).unwrap();
    }
    writer.flush_all().unwrap();
    let generation = writer.generation();
    assert!(
        generation > 5,
        "100 KB of records in 16 KiB files: {generation}"
    );
    assert_eq!(
        config.names.archived().unwrap(),
        (1..generation).collect::<Vec<_>>()
    );
    // The next file is prepared in the background: it appears soon.
    let asked = std::time::Instant::now();
    while !config.names.temporary().exists() && asked.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(
        config.names.temporary().exists(),
        "the next file is prepared"
    );
    assert!(config.names.reserve(1).exists() && config.names.reserve(2).exists());
    let mut units = Vec::new();
    for g in 1..=generation {
        let (path, current) = if g == generation {
            (config.names.current(), true)
        } else {
            (config.names.generation(g), false)
        };
        let contents = read_log_file(&path, Some(g), Some(&signature()), current).unwrap();
        assert_eq!(contents.closed, !current, "generation {g}");
        for r in contents.records {
            assert_eq!(generation_of(r.start), g);
            if let LogRecord::Unit(u) = r.record {
                units.push(u.db_time);
            }
        }
    }
    assert_eq!(units, (0..100).collect::<Vec<_>>());
}

#[test]
fn a_torn_newest_flush_ends_the_log_and_damage_before_it_is_corruption() {
    let dir = Dir::new("torn");
    let config = config(&dir.0, 64 * 1024);
    let writer = LogWriter::start(config.clone(), signature(), 1).unwrap();
    writer.append(&unit(1, 600)).unwrap();
    writer.flush_all().unwrap();
    let (_, second_end) = writer.append(&unit(2, 1500)).unwrap();
    writer.flush_through(second_end).unwrap();
    drop(writer);
    let path = config.names.current();
    let bytes = std::fs::read(&path).unwrap();
    let intact = parse_log_file(&path, &bytes, Some(1), None, true).unwrap();
    assert_eq!(intact.records.len(), 3);
    // The second unit's flush spans blocks from `first` on; tear its
    // second block: the log ends after the first unit.
    let first = offset_of(intact.records[2].start) / BLOCK_SIZE as u32;
    let mut torn = bytes.clone();
    torn[(first as usize + 1) * BLOCK_SIZE + 100] ^= 0xff;
    let read = parse_log_file(&path, &torn, Some(1), None, true).unwrap();
    assert_eq!(read.records.len(), 2, "the cut record is dropped");
    // The same damage in the first unit's flush, with the second flush
    // intact behind it: durable data was damaged.
    let mut damaged = bytes.clone();
    let early = offset_of(intact.records[1].start) as usize / BLOCK_SIZE;
    damaged[early * BLOCK_SIZE + 30] ^= 0x01;
    assert_eq!(
        parse_log_file(&path, &damaged, Some(1), None, true)
            .unwrap_err()
            .code(),
        JET_errLogFileCorrupt
    );
    // A full generation must be whole.
    assert_eq!(
        parse_log_file(&path, &torn, Some(1), None, false)
            .unwrap_err()
            .code(),
        JET_errLogFileCorrupt
    );
    // Sealed, the torn file reads as a closed generation.
    std::fs::write(&path, &torn).unwrap();
    seal_log_file(&path, &read).unwrap();
    let sealed = read_log_file(&path, Some(1), None, false).unwrap();
    assert!(sealed.closed);
    assert_eq!(sealed.records.len(), 2);
}

#[test]
fn a_file_of_another_sequence_or_generation_is_refused() {
    let dir = Dir::new("identity");
    let config = config(&dir.0, 64 * 1024);
    let writer = LogWriter::start(config.clone(), signature(), 7).unwrap();
    writer.flush_all().unwrap();
    let path = config.names.current();
    let other = LogSignature {
        random: 1,
        ..signature()
    };
    assert_eq!(
        read_log_file(&path, Some(7), Some(&other), true)
            .unwrap_err()
            .code(),
        JET_errBadLogSignature
    );
    assert_eq!(
        read_log_file(&path, Some(8), None, true)
            .unwrap_err()
            .code(),
        JET_errLogGenerationMismatch
    );
    assert_eq!(
        read_log_file(&dir.0.join("edb00001.log"), Some(1), None, false)
            .unwrap_err()
            .code(),
        JET_errMissingLogFile
    );
}

/// A log file whose data syncs take a millisecond, as a disk's do: on a
/// file system where a sync costs nothing (tmpfs), each leader would be
/// done before anyone else had appended, and there would be nothing to
/// share.
#[derive(Debug)]
struct SlowSync(Arc<dyn crate::storage::io::FileIo>);

impl crate::storage::io::FileIo for SlowSync {
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn len(&self) -> crate::Result<u64> {
        self.0.len()
    }
    fn read_at(&self, buffer: &mut [u8], offset: u64) -> crate::Result<()> {
        self.0.read_at(buffer, offset)
    }
    fn write_at(&self, data: &[u8], offset: u64) -> crate::Result<()> {
        self.0.write_at(data, offset)
    }
    fn sync_data(&self) -> crate::Result<()> {
        std::thread::sleep(std::time::Duration::from_millis(1));
        self.0.sync_data()
    }
    fn set_len(&self, len: u64) -> crate::Result<()> {
        self.0.set_len(len)
    }
}

fn slow_sync_writer(dir: &Dir) -> Arc<LogWriter> {
    let mut config = config(&dir.0, 1024 * 1024);
    config.file_hook = Some(LogFileHook(Arc::new(
        |file: Arc<dyn crate::storage::io::FileIo>| -> Arc<dyn crate::storage::io::FileIo> {
            Arc::new(SlowSync(file))
        },
    )));
    Arc::new(LogWriter::start(config, signature(), 1).unwrap())
}

#[test]
fn concurrent_committers_share_syncs() {
    let dir = Dir::new("group");
    let writer = slow_sync_writer(&dir);
    let syncs = commit_in_loops(&writer, 8, 50, LogWriter::flush_through);
    eprintln!("400 commits on 8 threads took {syncs} syncs");
    // Every waiting committer wakes when a sync ends, and the next sync
    // takes all they appended: 87 to 93 syncs here, where committers
    // queueing on the write lock one by one (the writer before) took 157
    // to 162 with the same 1 ms syncs.
    assert!(syncs <= 130, "too few commits share a sync: {syncs} syncs");
}

/// `threads` threads each append and make durable with `flush` `each`
/// commit records, one at a time; returns the syncs they took.
fn commit_in_loops(
    writer: &Arc<LogWriter>,
    threads: u64,
    each: u64,
    flush: fn(&LogWriter, LogPosition) -> crate::Result<()>,
) -> u64 {
    let before = writer.syncs();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let writer = writer.clone();
            std::thread::spawn(move || {
                for n in 0..each {
                    let (_, end) = writer.append(&commit(t * 1000 + n)).unwrap();
                    flush(&writer, end).unwrap();
                    assert!(writer.durable() >= end);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    writer.syncs() - before
}

#[test]
fn a_lone_committer_never_waits_for_others() {
    let dir = Dir::new("lone");
    let writer = slow_sync_writer(&dir);
    let syncs = commit_in_loops(&writer, 1, 30, LogWriter::flush_commit);
    assert_eq!(syncs, 30, "one sync per commit");
    assert_eq!(
        writer.gatherings_expired(),
        0,
        "a lone committer waited for others who never came"
    );
}

#[test]
fn a_failed_log_write_fails_the_log_for_good_and_keeps_what_was_durable() {
    use crate::storage::io::faulty::{faulty_wrapper, Fault, FaultPlan};
    let dir = Dir::new("fail");
    let plan = FaultPlan::new(Vec::new());
    let mut config = config(&dir.0, 64 * 1024);
    config.file_hook = Some(LogFileHook(faulty_wrapper(plan.clone())));
    let writer = LogWriter::start(config.clone(), signature(), 1).unwrap();
    let (_, durable) = writer.append(&commit(1)).unwrap();
    writer.flush_through(durable).unwrap();
    // The next write of the file fails.
    plan.lock().reset(vec![Fault::WriteError { nth: 0 }]);
    let (_, end) = writer.append(&commit(2)).unwrap();
    assert_eq!(
        writer.flush_through(end).unwrap_err().code(),
        JET_errLogWriteFail
    );
    // For good: the device may be back, the log is not.
    assert_eq!(
        writer.append(&commit(3)).unwrap_err().code(),
        JET_errLogWriteFail
    );
    assert_eq!(writer.flush_all().unwrap_err().code(), JET_errLogWriteFail);
    drop(writer);
    let contents = read_log_file(&config.names.current(), Some(1), None, true).unwrap();
    let commits: Vec<_> = contents
        .records
        .iter()
        .filter_map(|r| match r.record {
            LogRecord::Commit { transaction } => Some(transaction),
            _ => None,
        })
        .collect();
    assert_eq!(
        commits,
        vec![1],
        "what was durable stays, nothing after the failure"
    );
}
