//! Writing the log (ESE: LOG's buffer and write path): records are appended
//! to a buffer in memory, written in whole new blocks (a block once written
//! is never written again, so a torn write can only damage the newest
//! flush) and made durable by one data sync for everyone waiting: a
//! committer that finds another's sync under way waits for it and usually
//! finds its own records durable after it (group commit).
//!
//! When the current file (`edb.log`) is full, its last block is flagged as
//! such, it is synced and renamed to its generation (`edb0000A.log`), and
//! the file prepared ahead (`edbtmp.log`) becomes the next generation; the
//! one after that is prepared at once. When no new file can be made (a full
//! disk), a reserve file takes its place.
//!
//! A failed write or sync makes the log unusable (`JET_errLogWriteFail` for
//! every later call), as ESE takes its instance down: pages changed in
//! memory but not logged then never reach the database file.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::files::{sync_directory, LogNames};
use super::format::*;
use super::record::LogRecord;
use crate::codes::*;
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::{Error, Result};

/// How a log is written (the instance's log parameters).
#[derive(Clone, Debug)]
pub struct LogConfig {
    pub names: LogNames,
    /// JET_paramLogFileSize, in bytes.
    pub file_size: u64,
    /// JET_paramLogBuffers, in bytes: appended records beyond it are
    /// written out (not yet synced) by the appender.
    pub buffer_bytes: usize,
    /// For tests: wraps each generation's file once opened (with
    /// `io::faulty::FaultyFile`, to inject faults).
    pub file_hook: Option<LogFileHook>,
}

/// See [`LogConfig::file_hook`].
#[derive(Clone)]
pub struct LogFileHook(pub Arc<crate::storage::io::FileWrapper>);

impl std::fmt::Debug for LogFileHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogFileHook")
    }
}

impl LogConfig {
    /// Data blocks in one file.
    fn data_blocks(&self) -> u32 {
        (self.file_size / BLOCK_SIZE as u64).saturating_sub(1) as u32
    }

    /// The largest record a file can hold (one block is kept for the
    /// closing block).
    pub fn largest_record(&self) -> usize {
        (self.data_blocks().saturating_sub(1) as usize) * BLOCK_PAYLOAD
    }
}

struct State {
    generation: u32,
    file: Arc<dyn FileIo>,
    /// The block where the pending bytes will be written.
    next_block: u32,
    /// Appended payload not yet written.
    pending: Vec<u8>,
    /// Set when the log was stopped on request: appends get this error.
    sealed: Option<Error>,
    /// The sequence number of the next write.
    flush: u32,
    /// The end of the newest appended record.
    end: LogPosition,
}

impl State {
    fn position_at(&self, pending_index: usize) -> LogPosition {
        let block = self.next_block as usize + pending_index / BLOCK_PAYLOAD;
        let within = pending_index % BLOCK_PAYLOAD;
        position(
            self.generation,
            (block * BLOCK_SIZE + BLOCK_HEADER_SIZE + within) as u32,
        )
    }
}

/// The log being written.
pub struct LogWriter {
    config: LogConfig,
    signature: LogSignature,
    /// Held by whoever writes blocks or changes files.
    flushing: Mutex<()>,
    /// Whether a committer is syncing for everyone (group commit: the
    /// others wait in `waiting` rather than queueing on `flushing`, so that
    /// all of them wake when the sync ends and the next sync takes every
    /// record appended meanwhile).
    syncing: AtomicBool,
    /// The committers waiting for the current sync to end. Each is
    /// unparked on its own when it ends, so that they run again at once
    /// and in parallel (a condition variable hands its waiters the mutex
    /// one after another: on this machine's virtual CPUs the fourth of
    /// four committers woke some 80 us after the first).
    waiting: Mutex<Vec<std::thread::Thread>>,
    state: Mutex<State>,
    /// The buffer blocks are encoded into for a write (used by the holder
    /// of `flushing`; kept between writes).
    blocks: Mutex<Vec<u8>>,
    durable: AtomicU64,
    failure: Mutex<Option<Error>>,
    syncs: AtomicU64,
    /// Bytes of blocks written to the log's files (headers included).
    written: AtomicU64,
    /// How the leader of a commit's sync waits for the other committers.
    gathering: Gathering,
    /// The preparation of the next generation's file, under way in the
    /// background (JET_paramLogFileCreateAsynch).
    preparing: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// The longest a commit's sync is held back for the other committers.
const MOST_GATHERING: Duration = Duration::from_micros(500);

/// Group commit's gathering. A committer whose record was appended while
/// a sync ran waits for that sync, then for its own: with N threads
/// committing in a loop, a sync would carry about N/2 commits, since the
/// committers it released are still making their next transaction when
/// the next sync starts. So the leader of a commit's sync first waits, a
/// bounded time, until as many committers have arrived since the last
/// sync began as that sync carried: they are usually a few microseconds of
/// work away, against a sync of a hundred or more.
#[derive(Default)]
struct Gathering {
    /// Committers that found their record not durable yet (monotonic).
    arrived: AtomicU64,
    /// `arrived` when the last sync began.
    at_last_sync: AtomicU64,
    /// Committers the last sync carried (arrivals during the sync before).
    last_carried: AtomicU64,
    /// How long the last sync took, in nanoseconds.
    last_sync_nanos: AtomicU64,
    /// Gatherings that ended at their time limit, not with everyone back.
    expired: AtomicU64,
}

impl Gathering {
    /// Waits until the committers the last sync carried are back, or for
    /// as long as the last sync took (at most [`MOST_GATHERING`]); then
    /// notes the sync about to begin. A lone committer never waits: the
    /// last sync carried one, itself, and it is back.
    fn gather(&self) {
        self.gather_at_most(MOST_GATHERING)
    }

    fn gather_at_most(&self, most: Duration) {
        let since = self.at_last_sync.load(Ordering::Acquire);
        let expected = self.last_carried.load(Ordering::Relaxed);
        let arrived = || self.arrived.load(Ordering::Acquire) - since;
        if arrived() < expected {
            let limit =
                Duration::from_nanos(self.last_sync_nanos.load(Ordering::Relaxed)).min(most);
            let start = Instant::now();
            // Yielding, not parking: the wait is shorter than a wake-up
            // through the scheduler is worth, and the committers it waits
            // for need the CPU.
            while arrived() < expected {
                if start.elapsed() >= limit {
                    self.expired.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                std::thread::yield_now();
            }
        }
        let now = self.arrived.load(Ordering::Acquire);
        self.last_carried.store(now - since, Ordering::Relaxed);
        self.at_last_sync.store(now, Ordering::Release);
    }
}

/// The leader's turn: when it ends (normally or not) the waiting
/// committers are woken to look at `durable` again.
struct Leading<'a>(&'a LogWriter);

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        self.0.syncing.store(false, Ordering::Release);
        // Taken after `syncing` is cleared: a committer that registers
        // later sees it clear and does not park.
        let mut waiting = std::mem::take(&mut *self.0.waiting.lock());
        for thread in waiting.drain(..) {
            thread.unpark();
        }
        let mut list = self.0.waiting.lock();
        if list.capacity() == 0 {
            *list = waiting;
        }
    }
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn write_fail(error: Error) -> Error {
    Error::new(JET_errLogWriteFail).with_detail(format!("writing the log: {error}"))
}

impl LogWriter {
    /// Starts writing generation `generation` of the log sequence
    /// `signature` in a new current file (there must be none), with its
    /// first record `Start`.
    pub fn start(config: LogConfig, signature: LogSignature, generation: u32) -> Result<Self> {
        if config.data_blocks() < 16 {
            return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                "a log file of {} bytes is too small",
                config.file_size
            )));
        }
        std::fs::create_dir_all(&config.names.log_directory).map_err(|e| {
            crate::storage::io::jet_error_from_io(&e).with_file(&config.names.log_directory)
        })?;
        if config.names.current().exists() {
            return Err(Error::new(JET_errInvalidParameter)
                .with_file(config.names.current())
                .with_detail("the current log file exists: recovery must archive it first"));
        }
        let file = new_generation_file(&config, &signature, generation)?;
        let writer = LogWriter {
            state: Mutex::new(State {
                generation,
                file,
                next_block: 1,
                pending: Vec::new(),
                sealed: None,
                flush: 1,
                end: position(generation, (BLOCK_SIZE + BLOCK_HEADER_SIZE) as u32),
            }),
            blocks: Mutex::new(Vec::new()),
            durable: AtomicU64::new(0),
            failure: Mutex::new(None),
            flushing: Mutex::new(()),
            syncing: AtomicBool::new(false),
            waiting: Mutex::new(Vec::new()),
            syncs: AtomicU64::new(0),
            written: AtomicU64::new(0),
            gathering: Gathering::default(),
            preparing: Mutex::new(None),
            config,
            signature,
        };
        writer.prepare_next_in_background();
        for n in 1..=2 {
            prepare_reserve(&writer.config, n);
        }
        writer.append(&LogRecord::Start {
            unix_seconds: unix_seconds(),
        })?;
        let end = writer.end();
        writer.flush_through(end)?;
        Ok(writer)
    }

    pub fn signature(&self) -> LogSignature {
        self.signature
    }

    pub fn config(&self) -> &LogConfig {
        &self.config
    }

    /// The end of the newest appended record.
    pub fn end(&self) -> LogPosition {
        self.state.lock().end
    }

    /// The log is durable up to here.
    pub fn durable(&self) -> LogPosition {
        self.durable.load(Ordering::Acquire)
    }

    /// The generation being written.
    pub fn generation(&self) -> u32 {
        self.state.lock().generation
    }

    /// How many data syncs the log has made (for tests of group commit).
    pub fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    /// Bytes of log blocks written so far (block headers included): the
    /// log's volume, for measuring what a workload logs.
    pub fn bytes_written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// `JET_errLogWriteFail` once the log has failed.
    pub fn check_failure(&self) -> Result<()> {
        match &*self.failure.lock() {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    /// Makes the log fail for good: changes were made that it could not
    /// record (so nothing more may be logged after them).
    pub fn poison(&self, error: &Error) {
        let _ = self.fail(error.clone());
    }

    fn fail(&self, error: Error) -> Error {
        let error = write_fail(error);
        self.failure.lock().get_or_insert_with(|| error.clone());
        error
    }

    /// Appends a record; returns where it starts and ends. It is durable
    /// once [`Self::flush_through`] its end returns.
    pub fn append(&self, record: &LogRecord) -> Result<(LogPosition, LogPosition)> {
        loop {
            self.check_failure()?;
            let mut state = self.state.lock();
            if let Some(error) = &state.sealed {
                return Err(error.clone());
            }
            // Encoded straight into the buffer the next write takes (a
            // record made apart and copied in was one more copy of every
            // page image it carries, in a buffer grown afresh each time).
            let at = state.pending.len();
            record.encode(&mut state.pending);
            let length = state.pending.len() - at;
            if length > self.config.largest_record() {
                state.pending.truncate(at);
                return Err(Error::new(JET_errLogBufferTooSmall).with_detail(format!(
                    "a log record of {length} bytes does not fit a log file"
                )));
            }
            let blocks = state.pending.len().div_ceil(BLOCK_PAYLOAD) as u32;
            if state.next_block + blocks < self.config.data_blocks() {
                let start = state.position_at(at);
                let end = state.position_at(state.pending.len());
                state.end = end;
                let over = state.pending.len() >= self.config.buffer_bytes;
                drop(state);
                if over {
                    let _flushing = self.flushing.lock();
                    self.write_pending(false, false)?;
                }
                return Ok((start, end));
            }
            // It does not fit this generation: taken back, and encoded
            // again once the log has moved on.
            state.pending.truncate(at);
            drop(state);
            let _flushing = self.flushing.lock();
            let state = self.state.lock();
            let blocks = (state.pending.len() + length).div_ceil(BLOCK_PAYLOAD) as u32;
            if state.next_block + blocks < self.config.data_blocks() {
                continue;
            }
            drop(state);
            self.switch_generation()?;
        }
    }

    /// Makes the log durable through `position` (at once if it is). One
    /// caller at a time leads: it writes and syncs everything appended so
    /// far; the others wait for its sync to end, all woken together, and
    /// return if it covered them, else one of them leads the next sync,
    /// which covers every record appended during this one.
    pub fn flush_through(&self, position: LogPosition) -> Result<()> {
        self.flush_until(position, false)
    }

    /// [`Self::flush_through`] for a durable commit: the leader of the
    /// sync first gives the other committers a moment to join it (see
    /// [`Gathering`]).
    pub fn flush_commit(&self, position: LogPosition) -> Result<()> {
        self.flush_until(position, true)
    }

    fn flush_until(&self, position: LogPosition, commit: bool) -> Result<()> {
        if self.durable() >= position {
            return Ok(());
        }
        if commit {
            self.gathering.arrived.fetch_add(1, Ordering::AcqRel);
        }
        if position > self.end() {
            // No sync could ever cover it: an error, not a wait forever.
            return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                "log position {position:#x} is beyond the log's end"
            )));
        }
        loop {
            // Durable first: a record made durable before another thread's
            // write failed was committed, and is reported so.
            if self.durable() >= position {
                return Ok(());
            }
            self.check_failure()?;
            if self
                .syncing
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                let _leading = Leading(self);
                if commit {
                    self.gathering.gather();
                }
                let _flushing = self.flushing.lock();
                self.write_pending(true, false)?;
                continue;
            }
            // Registered before looking at `syncing` again: the leader
            // clears it before it takes the list (see `Leading`). Parked
            // once per registration, as the list is taken at each sync's
            // end; a spurious wake-up only registers again.
            self.waiting.lock().push(std::thread::current());
            if self.syncing.load(Ordering::Acquire) && self.durable() < position {
                std::thread::park();
            }
        }
    }

    /// Commit syncs whose leader stopped waiting for the others at the
    /// time limit (see [`Gathering`]).
    #[cfg(test)]
    pub fn gatherings_expired(&self) -> u64 {
        self.gathering.expired.load(Ordering::Relaxed)
    }

    /// Makes everything appended durable.
    pub fn flush_all(&self) -> Result<()> {
        let end = self.end();
        self.flush_through(end)
    }

    /// Writes the pending bytes in new blocks (the caller holds
    /// `flushing`), the last flagged when `last`; syncs when `sync`.
    fn write_pending(&self, sync: bool, last: bool) -> Result<()> {
        self.check_failure()?;
        // Both buffers keep their capacity from one write to the next:
        // grown afresh each time, their pages were faulted in and zeroed
        // again at every write (a load of 1 MiB long values ran a quarter
        // to a third faster once they were kept).
        let mut blocks = std::mem::take(&mut *self.blocks.lock());
        blocks.clear();
        let (file, first, end) = {
            let mut state = self.state.lock();
            let mut pending = std::mem::take(&mut state.pending);
            let chunks: Vec<&[u8]> = if pending.is_empty() {
                if last {
                    vec![&[][..]]
                } else {
                    Vec::new()
                }
            } else {
                pending.chunks(BLOCK_PAYLOAD).collect()
            };
            let count = chunks.len();
            for (i, chunk) in chunks.into_iter().enumerate() {
                let header = BlockHeader {
                    generation: state.generation,
                    index: state.next_block + i as u32,
                    flush: state.flush,
                    used: chunk.len() as u16,
                    flags: if last && i + 1 == count {
                        BLOCK_LAST
                    } else {
                        0
                    },
                };
                encode_block(&header, chunk, &mut blocks);
            }
            let first = state.next_block;
            if count > 0 {
                state.next_block += count as u32;
                state.flush = state.flush.wrapping_add(1);
            }
            // Nothing was appended meanwhile: the state stayed locked.
            pending.clear();
            state.pending = pending;
            (state.file.clone(), first, state.end)
        };
        if !blocks.is_empty() {
            let written = file
                .write_at(&blocks, u64::from(first) * BLOCK_SIZE as u64)
                .map_err(|e| self.fail(e));
            if written.is_ok() {
                self.written
                    .fetch_add(blocks.len() as u64, Ordering::Relaxed);
            }
            *self.blocks.lock() = blocks;
            written?;
        }
        if sync {
            let start = Instant::now();
            file.sync_data().map_err(|e| self.fail(e))?;
            let took = start.elapsed().as_nanos().min(u128::from(u64::MAX)) as u64;
            self.gathering
                .last_sync_nanos
                .store(took, Ordering::Relaxed);
            self.syncs.fetch_add(1, Ordering::Relaxed);
            self.durable.fetch_max(end, Ordering::AcqRel);
        }
        Ok(())
    }

    /// Closes the current generation and opens the next (the caller holds
    /// `flushing`).
    fn switch_generation(&self) -> Result<()> {
        self.write_pending(true, true)?;
        let generation = self.state.lock().generation;
        let names = &self.config.names;
        std::fs::rename(names.current(), names.generation(generation)).map_err(|e| {
            self.fail(crate::storage::io::jet_error_from_io(&e).with_file(names.current()))
        })?;
        let next = generation + 1;
        // The file prepared in the background, when it is ready.
        if let Some(preparing) = self.preparing.lock().take() {
            let _ = preparing.join();
        }
        let file =
            new_generation_file(&self.config, &self.signature, next).map_err(|e| self.fail(e))?;
        {
            let mut state = self.state.lock();
            state.generation = next;
            state.file = file;
            state.next_block = 1;
            state.end = position(next, (BLOCK_SIZE + BLOCK_HEADER_SIZE) as u32);
        }
        self.durable.fetch_max(position(next, 0), Ordering::AcqRel);
        self.prepare_next_in_background();
        Ok(())
    }

    /// Starts preparing the next generation's file on a thread of its own.
    fn prepare_next_in_background(&self) {
        let config = self.config.clone();
        let handle = std::thread::Builder::new()
            .name("ese-log-prepare".into())
            .spawn(move || prepare_next(&config));
        // Without a thread the switch makes the file itself.
        if let Ok(handle) = handle {
            *self.preparing.lock() = Some(handle);
        }
    }

    /// Closes the current generation now and continues in the next
    /// (JET_bitForceNewLog); everything appended is durable on return.
    pub fn start_new_generation(&self) -> Result<()> {
        let _flushing = self.flushing.lock();
        self.switch_generation()
    }

    /// Stops appending (later appends get `error`), then completes the
    /// current generation with everything appended so far, durably, and
    /// begins the next: the stopped log ends in a complete generation. No
    /// record can slip in between the stop and the flush (appends check
    /// the seal under the state lock the flush takes its bytes under).
    pub fn seal_and_complete(&self, error: Error) -> Result<()> {
        let _flushing = self.flushing.lock();
        self.state.lock().sealed.get_or_insert(error);
        self.switch_generation()
    }

    /// Closes the current file for good (JetTerm): everything appended is
    /// durable, and the current file ends with its closing block.
    pub fn close(&self) -> Result<()> {
        let _flushing = self.flushing.lock();
        if let Some(preparing) = self.preparing.lock().take() {
            let _ = preparing.join();
        }
        self.write_pending(true, false)
    }
}

/// Creates generation `generation` as the current file: from the prepared
/// file if there is one, else a new one, else a reserve file. The file is
/// made whole under the temporary name (header written, first block
/// cleared, synced) and only then renamed to the current name, the
/// directory synced: a crash at any moment leaves no current file or one
/// with its header, never a current file of zeros that recovery would
/// have to call corrupt.
fn new_generation_file(
    config: &LogConfig,
    signature: &LogSignature,
    generation: u32,
) -> Result<Arc<dyn FileIo>> {
    let names = &config.names;
    let current = names.current();
    let prepared = names.temporary();
    let ready = std::fs::metadata(&prepared).is_ok_and(|m| m.len() == config.file_size);
    if !ready {
        let _ = std::fs::remove_file(&prepared);
        if let Err(error) = create_zeroed(&prepared, config.file_size) {
            let _ = std::fs::remove_file(&prepared);
            // A full disk: a reserve file made at start-up takes over.
            let reserve = (1..=2)
                .map(|n| names.reserve(n))
                .find(|r| std::fs::rename(r, &prepared).is_ok());
            if reserve.is_none() {
                return Err(if error.code() == JET_errDiskFull {
                    Error::new(JET_errLogDiskFull).with_detail(error.to_string())
                } else {
                    error
                });
            }
        }
    }
    let file = OsFile::open(&prepared, OpenMode::ReadWrite)?;
    let header = FileHeader {
        generation,
        signature: *signature,
        file_size: config.file_size,
        created_unix: unix_seconds(),
    };
    file.write_at(&header.encode(), 0)?;
    // A reused file may hold blocks of an earlier generation; they carry
    // that generation and are ignored, but clear the first data block so
    // that an empty file reads as empty at once.
    file.write_at(&[0u8; BLOCK_SIZE], BLOCK_SIZE as u64)?;
    file.sync_data()?;
    std::fs::rename(&prepared, &current)
        .map_err(|e| crate::storage::io::jet_error_from_io(&e).with_file(&current))?;
    sync_directory(&names.log_directory)?;
    let file: Arc<dyn FileIo> = Arc::new(file);
    Ok(match &config.file_hook {
        Some(hook) => (hook.0)(file),
        None => file,
    })
}

/// A file of `size` zero bytes, written: a data sync of a later write
/// into it then has no allocation to record (a file system that only
/// reserved the space makes each sync of new data commit metadata too,
/// doubling a commit's latency).
fn create_zeroed(path: &std::path::Path, size: u64) -> Result<()> {
    let file = OsFile::open(path, OpenMode::CreateNew)?;
    let chunk = vec![0u8; 1 << 20];
    let mut at = 0;
    while at < size {
        let n = chunk.len().min((size - at) as usize);
        file.write_at(&chunk[..n], at)?;
        at += n as u64;
    }
    file.sync_data()
}

/// A file of `size` bytes whose space is taken without writing it (the
/// reserve files, used only when the disk is full).
fn create_reserved(path: &std::path::Path, size: u64) -> Result<()> {
    let file = OsFile::open(path, OpenMode::CreateNew)?;
    file.allocate(size)?;
    file.sync_data()
}

/// Prepares the next generation's file ahead of need; a failure only means
/// the switch makes it itself.
fn prepare_next(config: &LogConfig) {
    let path = config.names.temporary();
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == config.file_size) {
        return;
    }
    let _ = std::fs::remove_file(&path);
    if create_zeroed(&path, config.file_size).is_err() {
        let _ = std::fs::remove_file(&path);
    }
}

/// Makes reserve file `n` if it is missing.
fn prepare_reserve(config: &LogConfig, n: u32) {
    let path = config.names.reserve(n);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == config.file_size) {
        return;
    }
    let _ = std::fs::remove_file(&path);
    if create_reserved(&path, config.file_size).is_err() {
        let _ = std::fs::remove_file(&path);
    }
}

impl Drop for LogWriter {
    fn drop(&mut self) {
        if let Some(preparing) = self.preparing.get_mut().take() {
            let _ = preparing.join();
        }
    }
}

#[cfg(test)]
mod gathering_tests {
    use super::*;

    /// A gathering whose last sync took `sync` and carried `carried`
    /// committers, `arrived` of them back since.
    fn gathering(sync: Duration, carried: u64, arrived: u64) -> Gathering {
        let gathering = Gathering::default();
        gathering.at_last_sync.store(10, Ordering::Relaxed);
        gathering.arrived.store(10 + arrived, Ordering::Relaxed);
        gathering.last_carried.store(carried, Ordering::Relaxed);
        gathering
            .last_sync_nanos
            .store(sync.as_nanos() as u64, Ordering::Relaxed);
        gathering
    }

    #[test]
    fn everyone_back_means_no_wait_and_the_next_sync_expects_them_all() {
        let g = gathering(Duration::from_secs(10), 4, 4);
        let start = Instant::now();
        g.gather_at_most(Duration::from_secs(10));
        assert!(start.elapsed() < Duration::from_secs(5), "it waited");
        assert_eq!(g.expired.load(Ordering::Relaxed), 0);
        assert_eq!(g.last_carried.load(Ordering::Relaxed), 4);
        assert_eq!(g.at_last_sync.load(Ordering::Relaxed), 14);
    }

    #[test]
    fn a_committer_that_never_comes_back_costs_one_wait_of_the_last_sync() {
        let sync = Duration::from_millis(20);
        let g = gathering(sync, 4, 3);
        let start = Instant::now();
        g.gather_at_most(Duration::from_secs(10));
        assert!(start.elapsed() >= sync, "gave up before the time limit");
        assert_eq!(g.expired.load(Ordering::Relaxed), 1);
        // The next sync expects only the three that came.
        assert_eq!(g.last_carried.load(Ordering::Relaxed), 3);
        // The cap holds whatever the last sync took.
        let g = gathering(Duration::from_secs(3600), 2, 1);
        let start = Instant::now();
        g.gather_at_most(Duration::from_millis(20));
        assert!(
            start.elapsed() < Duration::from_secs(1800),
            "the cap was ignored"
        );
        assert_eq!(g.expired.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn the_leader_waits_for_a_committer_on_its_way() {
        let g = Arc::new(gathering(Duration::from_secs(60), 2, 1));
        let late = {
            let g = g.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(5));
                g.arrived.fetch_add(1, Ordering::AcqRel);
            })
        };
        g.gather_at_most(Duration::from_secs(60));
        late.join().unwrap();
        assert_eq!(g.expired.load(Ordering::Relaxed), 0, "it stopped waiting");
        assert_eq!(g.last_carried.load(Ordering::Relaxed), 2);
    }
}
