//! Crash recovery with real processes: a child process (this test binary,
//! run again with `ESE_CRASH_CHILD` set) runs random transactions on
//! several threads and prints each commit as it returns; the parent kills
//! it with SIGKILL at a random moment, initialises an instance on the same
//! files (soft recovery), and checks each thread's rows against a model
//! replayed from the same seed:
//!
//! - durable commits: the rows are exactly the model after the commits
//!   reported, or after one more (a commit whose record was durable when
//!   the child died before printing it);
//! - lazy commits (JET_bitCommitLazyFlush): the model after some prefix of
//!   the commits, never a part of one;
//!
//! and the structural checker finds the database clean.
//!
//! `ESE_CRASH_ITERATIONS` sets how many kills each test makes (a few by
//! default; thousands for a soak run); `ESE_CRASH_DEPTH_KIB` gives the
//! children a shallow checkpoint depth, so that kills also land among the
//! checkpoint's page writes.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::{scratch_dir, test_seed, SeededRng};

const THREADS: u64 = 3;
const TABLE: &str = "items";

/// A thread's rows: key -> (value, long value length).
type Rows = BTreeMap<i32, (i32, usize)>;

/// What a thread's committed transactions leave: its rows in the shared
/// table and the tables of its own it created (DDL inside transactions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct State {
    rows: Rows,
    tables: std::collections::BTreeSet<String>,
}

/// One change of a transaction.
#[derive(Clone, Debug)]
enum Change {
    Insert { key: i32, value: i32, blob: usize },
    Replace { key: i32, value: i32 },
    SetBlob { key: i32, blob: usize },
    Delete { key: i32 },
    CreateTable { name: String },
    DeleteTable { name: String },
}

/// A thread's transactions, generated from the seed and the rows as the
/// committed transactions left them (so the parent can replay them).
struct Workload {
    rng: SeededRng,
    thread: u64,
    next_key: i32,
    next_table: u32,
    state: State,
}

impl Workload {
    fn new(seed: u64, thread: u64) -> Self {
        Workload {
            rng: SeededRng::new(seed ^ (thread.wrapping_mul(0x9e37_79b9_7f4a_7c15))),
            thread,
            next_key: 0,
            next_table: 0,
            state: State::default(),
        }
    }

    fn key(&mut self) -> i32 {
        self.next_key += 1;
        (self.thread as i32) * 1_000_000 + self.next_key
    }

    /// The next transaction: its changes, and whether it commits.
    fn next(&mut self) -> (Vec<Change>, bool) {
        let count = 1 + self.rng.below(4);
        let mut state = self.state.clone();
        let mut changes = Vec::new();
        for _ in 0..count {
            if self.rng.below(16) == 0 {
                let change = match state.tables.iter().next() {
                    Some(name) if self.rng.below(2) == 0 => {
                        Change::DeleteTable { name: name.clone() }
                    }
                    _ => {
                        self.next_table += 1;
                        Change::CreateTable {
                            name: format!("x{}_{}", self.thread, self.next_table),
                        }
                    }
                };
                apply(&mut state, &change);
                changes.push(change);
                continue;
            }
            let existing: Vec<i32> = state.rows.keys().copied().collect();
            let pick = self.rng.below(10);
            let change = if existing.is_empty() || pick < 4 {
                let blob = if self.rng.below(4) == 0 {
                    self.rng.below(20_000)
                } else {
                    0
                };
                Change::Insert {
                    key: self.key(),
                    value: self.rng.below(1000) as i32,
                    blob,
                }
            } else {
                let key = existing[self.rng.below(existing.len())];
                match pick {
                    4..=6 => Change::Replace {
                        key,
                        value: self.rng.below(1000) as i32,
                    },
                    7 => Change::SetBlob {
                        key,
                        blob: self.rng.below(12_000),
                    },
                    _ => Change::Delete { key },
                }
            };
            apply(&mut state, &change);
            changes.push(change);
        }
        let commits = self.rng.below(8) != 0;
        if commits {
            self.state = state;
        }
        (changes, commits)
    }
}

fn apply(state: &mut State, change: &Change) {
    let rows = &mut state.rows;
    match change {
        Change::CreateTable { name } => {
            state.tables.insert(name.clone());
            return;
        }
        Change::DeleteTable { name } => {
            state.tables.remove(name);
            return;
        }
        _ => {}
    }
    match *change {
        Change::Insert { key, value, blob } => {
            rows.insert(key, (value, blob));
        }
        Change::Replace { key, value } => {
            if let Some(row) = rows.get_mut(&key) {
                row.0 = value;
            }
        }
        Change::SetBlob { key, blob } => {
            if let Some(row) = rows.get_mut(&key) {
                row.1 = blob;
            }
        }
        Change::Delete { key } => {
            rows.remove(&key);
        }
        Change::CreateTable { .. } | Change::DeleteTable { .. } => {}
    }
}

/// The long value of `key` at `length` bytes (derived, so it is checked).
fn blob(key: i32, length: usize) -> Vec<u8> {
    (0..length)
        .map(|i| (key as usize).wrapping_mul(31).wrapping_add(i) as u8)
        .collect()
}

struct Columns {
    key: u32,
    value: u32,
    blob: u32,
}

fn columns(cursor: &mut Cursor) -> Columns {
    let mut id = |name: &str| cursor.get_table_column_info(name).unwrap().column_id;
    Columns {
        key: id("Key"),
        value: id("Value"),
        blob: id("Blob"),
    }
}

fn create(instance: &Instance, path: &Path) {
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(path, 0).unwrap();
    common::create_keyed_table(
        &session,
        dbid,
        TABLE,
        "Key",
        &[("Value", JET_coltypLong), ("Blob", JET_coltypLongBinary)],
        &["Value"],
    );
    session.close_database(dbid, 0).unwrap();
    // The schema is made durable before the workload starts.
    session
        .commit_transaction(JET_bitWaitAllLevel0Commit)
        .unwrap();
}

fn seek(cursor: &mut Cursor, key: i32) -> bool {
    cursor.make_key(&key.to_le_bytes(), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).is_ok()
}

fn run_change(
    session: &Session,
    dbid: DbId,
    cursor: &mut Cursor,
    c: &Columns,
    change: &Change,
) -> ese::Result<()> {
    match change {
        Change::CreateTable { name } => {
            let mut create = TableCreate {
                name: name.clone(),
                columns: vec![ColumnCreate::new("C", JET_coltypLong, JET_bitColumnNotNULL)],
                indexes: vec![IndexCreate::new("ByC", "+C\0\0", JET_bitIndexPrimary)],
                ..Default::default()
            };
            drop(session.create_table_column_index(dbid, &mut create)?);
            return Ok(());
        }
        Change::DeleteTable { name } => return session.delete_table(dbid, name),
        _ => {}
    }
    match *change {
        Change::Insert {
            key,
            value,
            blob: length,
        } => {
            cursor.prepare_update(JET_prepInsert)?;
            cursor.set_column(c.key, Some(&key.to_le_bytes()), 0, None)?;
            cursor.set_column(c.value, Some(&value.to_le_bytes()), 0, None)?;
            if length > 0 {
                cursor.set_column(c.blob, Some(&blob(key, length)), 0, None)?;
            }
            cursor.update()?;
        }
        Change::Replace { key, value } => {
            assert!(seek(cursor, key), "row {key} to replace");
            cursor.prepare_update(JET_prepReplace)?;
            cursor.set_column(c.value, Some(&value.to_le_bytes()), 0, None)?;
            cursor.update()?;
        }
        Change::SetBlob { key, blob: length } => {
            assert!(seek(cursor, key), "row {key} to change");
            cursor.prepare_update(JET_prepReplace)?;
            let data = blob(key, length);
            cursor.set_column(c.blob, (length > 0).then_some(&data[..]), 0, None)?;
            cursor.update()?;
        }
        Change::Delete { key } => {
            assert!(seek(cursor, key), "row {key} to delete");
            cursor.delete()?;
        }
        Change::CreateTable { .. } | Change::DeleteTable { .. } => {}
    }
    Ok(())
}

/// A session with the table open, running a workload's transactions.
struct Runner {
    session: Session,
    dbid: DbId,
    cursor: Cursor,
    columns: Columns,
}

impl Runner {
    fn open(instance: &Instance, path: &Path) -> Runner {
        let session = instance.begin_session().unwrap();
        let dbid = session.open_database(path, 0).unwrap();
        let mut cursor = session.open_table(dbid, TABLE, 0).unwrap();
        let columns = columns(&mut cursor);
        Runner {
            session,
            dbid,
            cursor,
            columns,
        }
    }

    /// Runs the workload's next transaction, committing it with `grbit`
    /// or rolling it back as the workload says; true when it committed.
    fn step(&mut self, workload: &mut Workload, grbit: u32) -> Result<bool, String> {
        let (changes, commit) = workload.next();
        let session = &self.session;
        session.begin_transaction().unwrap();
        for change in &changes {
            run_change(session, self.dbid, &mut self.cursor, &self.columns, change)
                .map_err(|e| format!("{change:?}: {e}"))?;
        }
        if commit {
            session.commit_transaction(grbit).unwrap();
        } else {
            session.rollback(0).unwrap();
        }
        Ok(commit)
    }

    /// Runs transactions until `commits` of them committed.
    fn commit(&mut self, workload: &mut Workload, commits: u64, grbit: u32) {
        let mut done = 0;
        while done < commits {
            match self.step(workload, grbit) {
                Ok(committed) => done += u64::from(committed),
                Err(e) => panic!("after {done} commits, {e}"),
            }
        }
    }

    /// Closes the table and the database.
    fn close(self) -> Session {
        drop(self.cursor);
        self.session.close_database(self.dbid, 0).unwrap();
        self.session
    }
}

/// The child: runs the workload on every thread until killed, printing
/// "thread commits" after each commit returns.
fn child(dir: &Path, seed: u64, lazy: bool) {
    let mut options = InstanceOptions::new(dir.join("system"));
    if let Some(kib) = std::env::var("ESE_CRASH_LOG_KIB")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        options.log.log_file_size_kib = kib;
    }
    // "quiet": a fixed number of durable commits on one thread, then
    // nothing (the pages stay in the cache: the crash comes between the
    // log's flush and the pages' write).
    // ESE_CRASH_DEPTH_KIB: a shallow checkpoint depth, so that the
    // checkpoint thread writes pages all the time (through the
    // double-write file, split pages after their copies) and kills land
    // among page writes too.
    if let Some(kib) = std::env::var("ESE_CRASH_DEPTH_KIB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        options.log.checkpoint_depth_max = kib * 1024;
    }
    let quiet: Option<u64> = std::env::var("ESE_CRASH_QUIET")
        .ok()
        .and_then(|v| v.parse().ok());
    if quiet.is_some() {
        options.log.checkpoint_depth_max = 1 << 40;
    }
    let instance = Instance::new(options).unwrap();
    let path = dir.join("crash.edb");
    create(&instance, &path);
    println!("ready");
    if let Some(commits) = quiet {
        // ESE_CRASH_CHECKPOINT_AT: every dirty page written (through the
        // double-write file) after that many commits; the commits after it
        // change written pages again.
        let checkpoint_at: Option<u64> = std::env::var("ESE_CRASH_CHECKPOINT_AT")
            .ok()
            .and_then(|v| v.parse().ok());
        let mut runner = Runner::open(&instance, &path);
        let mut workload = Workload::new(seed, 0);
        let mut done = 0;
        while done < commits {
            if runner.step(&mut workload, 0).unwrap() {
                done += 1;
                println!("0 {done}");
                if checkpoint_at == Some(done) {
                    instance.checkpoint().unwrap();
                }
            }
        }
        println!("done");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let instance = instance.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                let mut runner = Runner::open(&instance, &path);
                let mut workload = Workload::new(seed, thread);
                let grbit = if lazy { JET_bitCommitLazyFlush } else { 0 };
                let mut commits = 0u64;
                loop {
                    if runner.step(&mut workload, grbit).unwrap() {
                        commits += 1;
                        println!("{thread} {commits}");
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }
}

/// Every row of the table, by thread.
fn read_rows(instance: &Instance, path: &Path) -> Vec<State> {
    let session = instance.begin_session().unwrap();
    session.attach_database(path, 0).unwrap();
    let dbid = session.open_database(path, 0).unwrap();
    let mut cursor = session.open_table(dbid, TABLE, 0).unwrap();
    let c = columns(&mut cursor);
    let mut rows = vec![State::default(); THREADS as usize];
    for name in session.table_names(dbid).unwrap() {
        if let Some(thread) = name
            .strip_prefix('x')
            .and_then(|rest| rest.split('_').next())
            .and_then(|t| t.parse::<usize>().ok())
        {
            rows[thread].tables.insert(name);
        }
    }
    let long = |b: Option<Vec<u8>>| i32::from_le_bytes(b.unwrap()[..4].try_into().unwrap());
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        let key = long(cursor.retrieve(c.key, 0).unwrap());
        let value = long(cursor.retrieve(c.value, 0).unwrap());
        let data = cursor.retrieve(c.blob, 0).unwrap().unwrap_or_default();
        assert_eq!(data, blob(key, data.len()), "long value of row {key}");
        rows[(key / 1_000_000) as usize]
            .rows
            .insert(key, (value, data.len()));
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    // The secondary index holds exactly the rows.
    cursor.set_current_index(Some("ByValue"), 0).unwrap();
    let mut count = 0;
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        count += 1;
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    let total: usize = rows.iter().map(|r| r.rows.len()).sum();
    assert_eq!(count, total, "entries of the secondary index");
    drop(cursor);
    session.close_database(dbid, 0).unwrap();
    rows
}

fn check_structure(path: &Path) {
    common::assert_clean_shutdown_and_structure(path);
}

fn iterations(default: usize) -> usize {
    std::env::var("ESE_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One kill: runs the child, kills it after `target` commits (plus a
/// moment), recovers and checks.
fn crash_once(seed: u64, lazy: bool, target: u64, linger_ms: u64) {
    crash_once_with(seed, lazy, target, linger_ms, &[]);
}

/// [`crash_once`] with more environment for the child.
fn crash_once_with(seed: u64, lazy: bool, target: u64, linger_ms: u64, env: &[(&str, &str)]) {
    let dir = scratch_dir();
    let mut command = common::child_test("crash_child_entry", false);
    command
        .env("ESE_CRASH_CHILD", dir.path())
        .env("ESE_CRASH_SEED", seed.to_string())
        .env("ESE_CRASH_LAZY", if lazy { "1" } else { "0" })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    // A reader thread takes every line the child prints until it dies; the
    // parent kills it once `target` commits were reported, and a moment.
    let (progress, commits_seen) = std::sync::mpsc::channel::<()>();
    let reader = std::thread::spawn(move || {
        let mut reported = vec![0u64; THREADS as usize];
        let mut ready = false;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // The test harness may put its own words before it on the line.
            if line.trim_end().ends_with("ready") {
                ready = true;
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(thread), Some(commits)) = (parts.next(), parts.next()) else {
                continue;
            };
            let (Ok(thread), Ok(commits)) = (thread.parse::<usize>(), commits.parse::<u64>())
            else {
                continue;
            };
            reported[thread] = commits;
            let _ = progress.send(());
        }
        (ready, reported)
    });
    for _ in 0..target {
        if commits_seen
            .recv_timeout(std::time::Duration::from_secs(60))
            .is_err()
        {
            break;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(linger_ms));
    child.kill().unwrap();
    child.wait().unwrap();
    let (ready, reported) = reader.join().unwrap();
    assert!(ready, "the child never became ready (seed {seed})");

    let instance = Instance::init(dir.path().join("system")).unwrap();
    let path = dir.path().join("crash.edb");
    let rows = read_rows(&instance, &path);
    instance.term().unwrap();
    for (thread, actual) in rows.iter().enumerate() {
        let mut workload = Workload::new(seed, thread as u64);
        let mut states = vec![workload.state.clone()];
        while (states.len() as u64) < reported[thread] + 2 {
            let (_, commits) = workload.next();
            if commits {
                states.push(workload.state.clone());
            }
        }
        let allowed: Vec<usize> = if lazy {
            (0..states.len()).collect()
        } else {
            vec![reported[thread] as usize, reported[thread] as usize + 1]
        };
        let matched = allowed.iter().find(|&&n| states[n] == *actual);
        if matched.is_none() {
            let expected = &states[reported[thread] as usize];
            for (key, row) in &actual.rows {
                if expected.rows.get(key) != Some(row) {
                    let want = expected.rows.get(key);
                    eprintln!("row {key}: found {row:?}, expected {want:?}");
                }
            }
            for (key, row) in &expected.rows {
                if !actual.rows.contains_key(key) {
                    eprintln!("row {key}: missing, expected {row:?}");
                }
            }
            eprintln!(
                "tables: found {:?}, expected {:?}",
                actual.tables, expected.tables
            );
        }
        assert!(
            matched.is_some(),
            "seed {seed}: thread {thread} reported {} commits, but its rows and tables match \
             none of the states after {allowed:?} commits ({} rows, tables {:?})",
            reported[thread],
            actual.rows.len(),
            actual.tables
        );
    }
    check_structure(&path);
}

#[test]
fn crash_child_entry() {
    // The child's entry point when run by the tests below; run on its own,
    // it checks that the workload's model replays: the same seed gives the
    // same transactions.
    if let Ok(dir) = std::env::var("ESE_CRASH_CHILD") {
        let seed = std::env::var("ESE_CRASH_SEED").unwrap().parse().unwrap();
        let lazy = std::env::var("ESE_CRASH_LAZY").is_ok_and(|v| v == "1");
        child(Path::new(&dir), seed, lazy);
        return;
    }
    let mut a = Workload::new(7, 1);
    let mut b = Workload::new(7, 1);
    for _ in 0..100 {
        let (x, cx) = a.next();
        let (y, cy) = b.next();
        assert_eq!(format!("{x:?}{cx}"), format!("{y:?}{cy}"));
    }
    assert_eq!(a.state, b.state);
}

#[test]
fn durable_commits_survive_sigkill() {
    let seed = test_seed("durable_commits_survive_sigkill");
    let mut rng = SeededRng::new(seed);
    for _ in 0..iterations(24) {
        let (target, linger) = (5 + rng.below(400) as u64, rng.below(30) as u64);
        crash_once(rng.next_u64(), false, target, linger);
    }
}

/// The same with a 64 KiB checkpoint depth: the checkpoint thread writes
/// pages all the time (double-write batches, split pages only after the
/// pages that copied their lines), so the kills land among page writes
/// too, and recovery meets pages written at every stage.
#[test]
fn durable_commits_survive_sigkill_among_page_writes() {
    let seed = test_seed("durable_commits_survive_sigkill_among_page_writes");
    let mut rng = SeededRng::new(seed);
    for _ in 0..iterations(12) {
        let (target, linger) = (5 + rng.below(400) as u64, rng.below(30) as u64);
        crash_once_with(
            rng.next_u64(),
            false,
            target,
            linger,
            &[("ESE_CRASH_DEPTH_KIB", "64")],
        );
    }
}

#[test]
fn lazy_commits_are_lost_whole_or_kept_whole() {
    let seed = test_seed("lazy_commits_are_lost_whole_or_kept_whole");
    let mut rng = SeededRng::new(seed);
    for _ in 0..iterations(12) {
        let (target, linger) = (5 + rng.below(400) as u64, rng.below(30) as u64);
        crash_once(rng.next_u64(), true, target, linger);
    }
}

#[test]
fn a_clean_shutdown_recovers_nothing_and_keeps_everything() {
    let dir = scratch_dir();
    let path = dir.path().join("clean.edb");
    let seed = 42;
    {
        let instance = Instance::init(dir.path().join("system")).unwrap();
        create(&instance, &path);
        let mut runner = Runner::open(&instance, &path);
        let mut workload = Workload::new(seed, 0);
        for _ in 0..50 {
            runner.step(&mut workload, 0).unwrap();
        }
        drop(runner.close());
        instance.term().unwrap();
        let expected = workload.state.clone();
        let instance = Instance::init(dir.path().join("system")).unwrap();
        let rows = read_rows(&instance, &path);
        assert_eq!(rows[0], expected);
        instance.term().unwrap();
    }
    check_structure(&path);
    let names = InstanceOptions::new(dir.path().join("system"))
        .log_names()
        .unwrap();
    assert!(names.current().exists(), "edb.log");
    assert!(names.checkpoint().exists(), "edb.chk");
    assert!(
        names.generation(1).exists(),
        "the first run's generation, archived"
    );
    let _ = JET_errSuccess;
}

/// Runs the child in "quiet" mode (`commits` durable commits on one
/// thread, then idle) and kills it once they are made. Extra environment
/// in `env`.
fn crash_quiet(dir: &Path, seed: u64, commits: u64, env: &[(&str, &str)]) {
    let mut command = common::child_test("crash_child_entry", false);
    command
        .env("ESE_CRASH_CHILD", dir)
        .env("ESE_CRASH_SEED", seed.to_string())
        .env("ESE_CRASH_QUIET", commits.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let done = lines
        .by_ref()
        .any(|line| line.is_ok_and(|l| l.trim_end().ends_with("done")));
    child.kill().unwrap();
    child.wait().unwrap();
    drop(lines);
    assert!(done, "the child did not finish its commits");
}

/// The rows the quiet child's `commits` commits leave.
fn quiet_rows(seed: u64, commits: u64) -> State {
    let mut workload = Workload::new(seed, 0);
    let mut made = 0;
    while made < commits {
        if workload.next().1 {
            made += 1;
        }
    }
    workload.state
}

fn system_names(dir: &Path) -> ese::log::LogNames {
    InstanceOptions::new(dir.join("system"))
        .log_names()
        .unwrap()
}

#[test]
fn a_crash_between_the_log_flush_and_the_page_writes_recovers_every_commit() {
    let dir = scratch_dir();
    let seed = 11;
    crash_quiet(dir.path(), seed, 60, &[]);
    let path = dir.path().join("crash.edb");
    let header = ese::database_file::DatabaseFile::open(&path).unwrap();
    assert_eq!(header.header().state, JET_dbstateDirtyShutdown);
    drop(header);
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let report = instance.recovery_report().unwrap();
    assert!(report.units_redone > 60, "{report:?}");
    let rows = read_rows(&instance, &path);
    instance.term().unwrap();
    assert_eq!(rows[0], quiet_rows(seed, 60));
    check_structure(&path);
}

/// A crash after a batch of page writes went through the double-write
/// file, with the commits after it in the log as edits of those pages.
/// Returns the crashed database and the pages of it the file holds.
fn crash_after_page_writes(dir: &Path, seed: u64, commits: u64) -> (PathBuf, Vec<(u32, Vec<u8>)>) {
    crash_quiet(
        dir,
        seed,
        commits,
        &[("ESE_CRASH_CHECKPOINT_AT", &(commits / 2).to_string())],
    );
    let path = dir.join("crash.edb");
    let batch = ese::double_write::read_batch(&system_names(dir).double_write()).unwrap();
    let copies = batch
        .into_iter()
        .find(|(p, _)| p.ends_with("crash.edb"))
        .map(|(_, copies)| copies)
        .unwrap_or_default();
    assert!(
        !copies.is_empty(),
        "the double-write file holds no page of the database"
    );
    (path, copies)
}

/// The second half of page `page` torn: what the disk held plus bytes
/// that were never the page's. (Not one repeated byte: the page checksum
/// is an XOR over words, which an even run of equal words over a zeroed
/// free area leaves unchanged.)
fn tear(path: &Path, page: u32) {
    let page_size = 8192;
    let mut bytes = std::fs::read(path).unwrap();
    let start = (page as usize + 1) * page_size;
    let mut rng = SeededRng::new(u64::from(page));
    for byte in &mut bytes[start + page_size / 2..start + page_size] {
        *byte = rng.next_u64() as u8;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn a_torn_page_write_is_repaired_from_the_double_write_file() {
    let dir = scratch_dir();
    let seed = 12;
    let commits = 40;
    let (path, copies) = crash_after_page_writes(dir.path(), seed, commits);
    // The log holds no whole image of the pages written: the copies are
    // what makes a torn write of them repairable.
    let names = system_names(dir.path());
    let contents = ese::log::read_log_file(&names.current(), None, None, true).unwrap();
    let images = contents
        .records
        .iter()
        .filter_map(|r| match &r.record {
            ese::log::LogRecord::Unit(unit) => Some(unit),
            _ => None,
        })
        .flat_map(|unit| &unit.pages)
        .filter(|change| matches!(change, ese::log::PageChange::Image { .. }))
        .count();
    assert_eq!(images, 0, "whole page images in the log");
    for &(page, _) in &copies {
        tear(&path, page);
    }
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let report = instance.recovery_report().expect("recovery ran");
    assert_eq!(report.pages_repaired, copies.len() as u64);
    let rows = read_rows(&instance, &path);
    instance.term().unwrap();
    assert_eq!(
        rows[0],
        quiet_rows(seed, commits),
        "after tearing {} pages",
        copies.len()
    );
    check_structure(&path);
}

#[test]
fn a_torn_page_without_a_whole_copy_is_an_error_not_a_wrong_database() {
    let dir = scratch_dir();
    let (path, copies) = crash_after_page_writes(dir.path(), 14, 40);
    // Pages the commits after the batch changed again, torn in place and
    // their copies damaged too: nothing holds them whole.
    let names = system_names(dir.path());
    let mut file = std::fs::read(names.double_write()).unwrap();
    let header_length = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
    for byte in file[header_length..].iter_mut().step_by(4096) {
        *byte ^= 0xff;
    }
    std::fs::write(names.double_write(), &file).unwrap();
    for &(page, _) in &copies {
        tear(&path, page);
    }
    let Err(error) = Instance::init(dir.path().join("system")) else {
        panic!("recovery went on over torn pages");
    };
    assert_eq!(
        error.code(),
        JET_errLogOperationInconsistentWithDatabase,
        "{error}"
    );
}

/// A crash that leaves several log generations (64 KiB files).
fn crash_with_generations(dir: &Path) -> Vec<u32> {
    crash_quiet(dir, 13, 150, &[("ESE_CRASH_LOG_KIB", "64")]);
    let archived = system_names(dir).archived().unwrap();
    assert!(archived.len() >= 3, "generations {archived:?}");
    archived
}

#[test]
fn a_missing_log_generation_is_missing_log_file() {
    let dir = scratch_dir();
    let archived = crash_with_generations(dir.path());
    std::fs::remove_file(system_names(dir.path()).generation(archived[1])).unwrap();
    let error = Instance::init(dir.path().join("system")).unwrap_err();
    assert_eq!(error.code(), JET_errMissingLogFile, "{error}");
}

#[test]
fn a_damaged_log_generation_is_log_file_corrupt() {
    let dir = scratch_dir();
    let archived = crash_with_generations(dir.path());
    let path = system_names(dir.path()).generation(archived[1]);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[4 * 512 + 100] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let error = Instance::init(dir.path().join("system")).unwrap_err();
    assert_eq!(error.code(), JET_errLogFileCorrupt, "{error}");
}

#[test]
fn a_dirty_database_without_its_logs_is_dirty_shutdown_on_attach() {
    let dir = scratch_dir();
    crash_quiet(dir.path(), 14, 10, &[]);
    let names = system_names(dir.path());
    for entry in std::fs::read_dir(dir.path().join("system")).unwrap() {
        let entry = entry.unwrap();
        std::fs::remove_file(entry.path()).unwrap();
    }
    assert!(!names.current().exists());
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let session = instance.begin_session().unwrap();
    let error = session
        .attach_database(dir.path().join("crash.edb"), 0)
        .unwrap_err();
    assert_eq!(error.code(), JET_errDatabaseDirtyShutdown, "{error}");
}

#[test]
fn recovery_off_refuses_logs_that_need_replay() {
    let dir = scratch_dir();
    crash_quiet(dir.path(), 15, 10, &[]);
    let mut options = InstanceOptions::new(dir.path().join("system"));
    options.log.recovery = false;
    let error = Instance::new(options.clone()).unwrap_err();
    assert_eq!(error.code(), JET_errDatabaseDirtyShutdown, "{error}");
    // With recovery on the same files recover, and then, clean, an
    // instance without recovery starts.
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let rows = read_rows(&instance, &dir.path().join("crash.edb"));
    instance.term().unwrap();
    assert_eq!(rows[0], quiet_rows(15, 10));
    Instance::new(options).unwrap().term().unwrap();
}

#[test]
fn an_update_larger_than_the_cache_is_logged_in_parts() {
    // A long value of 4 MiB (512 pages) in a cache of 128 pages: the
    // update cannot keep all its pages pinned until one log record.
    let dir = scratch_dir();
    let path = dir.path().join("big.edb");
    let options = InstanceOptions {
        cache_max_pages: 128,
        ..InstanceOptions::new(dir.path().join("system"))
    };
    let instance = Instance::new(options.clone()).unwrap();
    create(&instance, &path);
    let Runner {
        session,
        dbid,
        mut cursor,
        columns: c,
    } = Runner::open(&instance, &path);
    session.begin_transaction().unwrap();
    let change = Change::Insert {
        key: 7,
        value: 1,
        blob: 4 << 20,
    };
    run_change(&session, dbid, &mut cursor, &c, &change).unwrap();
    session.commit_transaction(0).unwrap();
    drop(cursor);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();
    let instance = Instance::new(options).unwrap();
    let rows = read_rows(&instance, &path);
    instance.term().unwrap();
    assert_eq!(rows[0].rows.get(&7), Some(&(1, 4 << 20)));
    check_structure(&path);
}

#[test]
fn an_index_built_over_a_table_larger_than_the_cache_is_logged_in_parts() {
    let dir = scratch_dir();
    let path = dir.path().join("index.edb");
    let options = InstanceOptions {
        cache_max_pages: 64,
        ..InstanceOptions::new(dir.path().join("system"))
    };
    let instance = Instance::new(options.clone()).unwrap();
    create(&instance, &path);
    let Runner {
        session,
        dbid,
        mut cursor,
        columns: c,
    } = Runner::open(&instance, &path);
    const ROWS: i32 = 100_000;
    for batch in 0..ROWS / 1000 {
        session.begin_transaction().unwrap();
        for key in batch * 1000..(batch + 1) * 1000 {
            let change = Change::Insert {
                key,
                value: key % 97,
                blob: 0,
            };
            run_change(&session, dbid, &mut cursor, &c, &change).unwrap();
        }
        session.commit_transaction(JET_bitCommitLazyFlush).unwrap();
    }
    session.begin_transaction().unwrap();
    cursor
        .create_index(&[IndexCreate::new("ByKeyDown", "-Key\0\0", 0)])
        .unwrap();
    session.commit_transaction(0).unwrap();
    drop(cursor);
    session.close_database(dbid, 0).unwrap();
    drop(session);
    instance.term().unwrap();
    let instance = Instance::new(options).unwrap();
    let session = instance.begin_session().unwrap();
    session.attach_database(&path, 0).unwrap();
    let dbid = session.open_database(&path, 0).unwrap();
    let mut cursor = session.open_table(dbid, TABLE, 0).unwrap();
    cursor.set_current_index(Some("ByKeyDown"), 0).unwrap();
    let mut count = 0;
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        count += 1;
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    assert_eq!(count, ROWS);
    drop(cursor);
    drop(session);
    instance.term().unwrap();
    check_structure(&path);
}

/// A regression found by this workload: after 17,037 commits of seed 5
/// (tables created and deleted in between), a long value's split asked
/// its table for a small extent, and the new secondary extent all went to
/// refilling the space trees' split buffers; the allocator then removed an
/// available extent that was never entered (`JET_errRecordNotFound`).
#[test]
fn a_long_workload_with_ddl_keeps_space_allocation_consistent() {
    let dir = scratch_dir();
    let path = dir.path().join("long.edb");
    let instance = Instance::init(dir.path().join("system")).unwrap();
    create(&instance, &path);
    let mut runner = Runner::open(&instance, &path);
    let mut workload = Workload::new(5, 0);
    runner.commit(&mut workload, 17_100, JET_bitCommitLazyFlush);
    let expected = workload.state.clone();
    drop(runner.close());
    instance.term().unwrap();
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let rows = read_rows(&instance, &path);
    instance.term().unwrap();
    assert_eq!(rows[0], expected);
    check_structure(&path);
}

/// An instance whose database file goes through the fault-injecting io
/// layer with `faults` (counted over the cache's writes of that file).
fn faulty_options(dir: &Path, faults: Vec<ese::io::faulty::Fault>) -> InstanceOptions {
    use ese::io::faulty::{faulty_wrapper, FaultPlan};
    InstanceOptions {
        database_file_hook: Some(DatabaseFileHook(faulty_wrapper(FaultPlan::new(faults)))),
        ..InstanceOptions::new(dir.join("system"))
    }
}

/// Runs `commits` committed transactions of the workload (seed `seed`,
/// durable commits), then `after` (with the session and database), then
/// ends the instance, which may fail.
fn run_workload_then(
    options: InstanceOptions,
    path: &Path,
    seed: u64,
    commits: u64,
    after: impl FnOnce(&Session, DbId),
) -> State {
    let instance = Instance::new(options).unwrap();
    create(&instance, path);
    let mut runner = Runner::open(&instance, path);
    let mut workload = Workload::new(seed, 0);
    runner.commit(&mut workload, commits, 0);
    let dbid = runner.dbid;
    drop(runner.cursor);
    after(&runner.session, dbid);
    drop(runner.session);
    // The database file refuses writes: its detach fails and leaves it
    // dirty, as a crash would.
    let _ = instance.term();
    workload.state
}

#[test]
fn fault_layer_no_page_reaches_the_file_yet_every_commit_recovers() {
    use ese::io::faulty::Fault;
    let dir = scratch_dir();
    let path = dir.path().join("unplugged.edb");
    let options = faulty_options(dir.path(), vec![Fault::Unplugged { from: 0 }]);
    let expected = run_workload_then(options, &path, 21, 80, |session, dbid| {
        // The pages cannot be written: the commits live in the log alone.
        let error = session.flush_database(dbid).unwrap_err();
        assert_eq!(error.code(), JET_errDiskIO);
    });
    let header = ese::database_file::DatabaseFile::open(&path).unwrap();
    assert_eq!(header.header().state, JET_dbstateDirtyShutdown);
    drop(header);
    let instance = Instance::init(dir.path().join("system")).unwrap();
    assert!(instance.recovery_report().unwrap().units_redone > 80);
    let rows = read_rows(&instance, &path);
    instance.term().unwrap();
    assert_eq!(rows[0], expected);
    check_structure(&path);
}

#[test]
fn fault_layer_a_torn_page_write_recovers_to_the_committed_state() {
    use ese::io::faulty::Fault;
    for torn in [0u64, 1, 3] {
        let dir = scratch_dir();
        let path = dir.path().join("torn.edb");
        // Write `torn` of the flush keeps only its first 2 KiB (the rest
        // of the page on disk is what was there before), then the device
        // is gone.
        let options = faulty_options(
            dir.path(),
            vec![
                Fault::TornWrite {
                    nth: torn,
                    kept: 2048,
                },
                Fault::Unplugged { from: torn + 1 },
            ],
        );
        let expected = run_workload_then(options, &path, 22, 60, |session, dbid| {
            assert!(session.flush_database(dbid).is_err());
        });
        let instance = Instance::init(dir.path().join("system")).unwrap();
        let rows = read_rows(&instance, &path);
        instance.term().unwrap();
        assert_eq!(rows[0], expected, "torn write {torn}");
        check_structure(&path);
    }
}
