//! Transactions under concurrency: sessions on their own threads moving
//! amounts between accounts (the total never changes in any snapshot),
//! and random interleavings of sessions checked against a model of
//! snapshot isolation.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use ese::api::grbit::*;
use ese::api::*;
use ese::codes::*;
use ese::format::constants::*;
use ese_testkit::{scratch_dir, test_seed, SeededRng};
use proptest::prelude::*;

/// A database with table `accounts`: Id (Long, primary), Balance (Long,
/// non-unique secondary index). Returns the column ids (Id, Balance).
fn create(instance: &Instance, path: &std::path::Path) -> (u32, u32) {
    let session = instance.begin_session().unwrap();
    let dbid = session.create_database(path, 0).unwrap();
    let columns = common::create_keyed_table(
        &session,
        dbid,
        "accounts",
        "Id",
        &[("Balance", JET_coltypLong)],
        &["Balance"],
    );
    session.close_database(dbid, 0).unwrap();
    (columns[0], columns[1])
}

fn open(session: &Session, path: &std::path::Path) -> Cursor {
    let dbid = session.open_database(path, 0).unwrap();
    session.open_table(dbid, "accounts", 0).unwrap()
}

fn long(bytes: Option<Vec<u8>>) -> i32 {
    i32::from_le_bytes(bytes.unwrap()[..4].try_into().unwrap())
}

fn seek(cursor: &mut Cursor, id: i32) -> bool {
    cursor.make_key(&id.to_le_bytes(), JET_bitNewKey).unwrap();
    cursor.seek(JET_bitSeekEQ).is_ok()
}

/// The balance of `id` as the session sees it, or None.
fn read(cursor: &mut Cursor, balance: u32, id: i32) -> ese::Result<Option<i32>> {
    cursor.make_key(&id.to_le_bytes(), JET_bitNewKey)?;
    match cursor.seek(JET_bitSeekEQ) {
        Ok(_) => Ok(Some(long(cursor.retrieve(balance, 0)?))),
        Err(e) if e.code() == JET_errRecordNotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn write(cursor: &mut Cursor, balance: u32, id: i32, value: i32) -> ese::Result<()> {
    assert!(seek(cursor, id));
    cursor.prepare_update(JET_prepReplace)?;
    cursor.set_column(balance, Some(&value.to_le_bytes()), 0, None)?;
    let outcome = cursor.update().map(|_| ());
    if outcome.is_err() {
        cursor.prepare_update(JET_prepCancel)?;
    }
    outcome
}

/// Every (id, balance) in primary-key order, and the sum of balances read
/// through the secondary index, which must agree.
fn scan(cursor: &mut Cursor, id_column: u32, balance: u32) -> (Vec<(i32, i32)>, i64) {
    let mut rows = Vec::new();
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        rows.push((
            long(cursor.retrieve(id_column, 0).unwrap()),
            long(cursor.retrieve(balance, 0).unwrap()),
        ));
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    cursor.set_current_index(Some("ByBalance"), 0).unwrap();
    let mut by_index = 0i64;
    let mut more = cursor.move_(JET_MoveFirst, 0).is_ok();
    while more {
        by_index += i64::from(long(cursor.retrieve(balance, 0).unwrap()));
        more = cursor.move_(JET_MoveNext, 0).is_ok();
    }
    cursor.set_current_index(None, 0).unwrap();
    (rows, by_index)
}

const ACCOUNTS: i32 = 8;
const START: i32 = 1000;

#[test]
fn concurrent_transfers_keep_the_total_in_every_snapshot() {
    let seed = test_seed("concurrent_transfers_keep_the_total_in_every_snapshot");
    let dir = scratch_dir();
    let path = dir.path().join("bank.edb");
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let (id_column, balance) = create(&instance, &path);
    {
        let session = instance.begin_session().unwrap();
        let mut cursor = open(&session, &path);
        for id in 1..=ACCOUNTS {
            cursor.prepare_update(JET_prepInsert).unwrap();
            cursor
                .set_column(id_column, Some(&id.to_le_bytes()), 0, None)
                .unwrap();
            cursor
                .set_column(balance, Some(&START.to_le_bytes()), 0, None)
                .unwrap();
            cursor.update().unwrap();
        }
    }
    let total = i64::from(ACCOUNTS * START);
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let conflicts = Arc::new(AtomicU64::new(0));
    let rollbacks = Arc::new(AtomicU64::new(0));
    let snapshots = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for worker in 0..3u64 {
        let (instance, path) = (instance.clone(), path.clone());
        let (commits, conflicts, rollbacks) =
            (commits.clone(), conflicts.clone(), rollbacks.clone());
        workers.push(std::thread::spawn(move || {
            let mut rng = SeededRng::new(seed ^ (worker + 1).wrapping_mul(0x9e37_79b9));
            let session = instance.begin_session().unwrap();
            let mut cursor = open(&session, &path);
            let mut done = 0;
            while done < 300 {
                let from = 1 + rng.below(ACCOUNTS as usize) as i32;
                let to = 1 + rng.below(ACCOUNTS as usize) as i32;
                if from == to {
                    continue;
                }
                let amount = 1 + rng.below(50) as i32;
                session.begin_transaction().unwrap();
                let outcome = (|| -> ese::Result<()> {
                    let a = read(&mut cursor, balance, from)?.unwrap();
                    let b = read(&mut cursor, balance, to)?.unwrap();
                    write(&mut cursor, balance, from, a - amount)?;
                    // Reads are repeatable inside the transaction (and
                    // show its own change).
                    assert_eq!(read(&mut cursor, balance, to)?.unwrap(), b);
                    assert_eq!(read(&mut cursor, balance, from)?.unwrap(), a - amount);
                    write(&mut cursor, balance, to, b + amount)
                })();
                match outcome {
                    Ok(()) if rng.below(5) == 0 => {
                        session.rollback(0).unwrap();
                        rollbacks.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(()) => {
                        session.commit_transaction(0).unwrap();
                        commits.fetch_add(1, Ordering::Relaxed);
                        done += 1;
                    }
                    Err(e) => {
                        assert_eq!(e.code(), JET_errWriteConflict, "{e}");
                        // The transaction is still usable: roll it back
                        // and retry after a pause.
                        session.rollback(0).unwrap();
                        conflicts.fetch_add(1, Ordering::Relaxed);
                        std::thread::yield_now();
                    }
                }
            }
        }));
    }
    // A reader takes snapshots while the transfers run.
    let auditor = {
        let (instance, path, stop, snapshots) = (
            instance.clone(),
            path.clone(),
            stop.clone(),
            snapshots.clone(),
        );
        std::thread::spawn(move || {
            let session = instance.begin_session().unwrap();
            let mut cursor = open(&session, &path);
            while !stop.load(Ordering::Acquire) {
                session.begin_transaction().unwrap();
                let (rows, by_index) = scan(&mut cursor, id_column, balance);
                let sum: i64 = rows.iter().map(|(_, b)| i64::from(*b)).sum();
                assert_eq!(rows.len(), ACCOUNTS as usize);
                assert_eq!(sum, total, "a snapshot saw a partial transfer: {rows:?}");
                assert_eq!(by_index, total, "the index disagrees with the records");
                // Repeatable within the snapshot.
                assert_eq!(scan(&mut cursor, id_column, balance).0, rows);
                session.commit_transaction(0).unwrap();
                snapshots.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for worker in workers {
        worker.join().unwrap();
    }
    stop.store(true, Ordering::Release);
    auditor.join().unwrap();
    let session = instance.begin_session().unwrap();
    let mut cursor = open(&session, &path);
    let (rows, by_index) = scan(&mut cursor, id_column, balance);
    let sum: i64 = rows.iter().map(|(_, b)| i64::from(*b)).sum();
    println!(
        "commits {}, deliberate rollbacks {}, write conflicts {}, snapshots {}",
        commits.load(Ordering::Relaxed),
        rollbacks.load(Ordering::Relaxed),
        conflicts.load(Ordering::Relaxed),
        snapshots.load(Ordering::Relaxed)
    );
    assert_eq!((sum, by_index), (total, total));
    assert_eq!(commits.load(Ordering::Relaxed), 900);
    assert!(snapshots.load(Ordering::Relaxed) > 0);
    drop((cursor, session));
    instance.clean_versions().unwrap();
    assert_eq!(instance.version_stats().versions, 0);
    instance.term().unwrap();
    common::assert_structure_clean(&path);
}

/// One step of the model test.
#[derive(Clone, Debug)]
enum Step {
    Begin(usize),
    Commit(usize),
    Rollback(usize),
    Read(usize, i32),
    Scan(usize),
    Write(usize, i32, i32),
    Insert(usize, i32, i32),
    Delete(usize, i32),
}

const SESSIONS: usize = 3;
const KEYS: i32 = 5;

fn step() -> impl Strategy<Value = Step> {
    let s = 0..SESSIONS;
    let k = 1..=KEYS;
    prop_oneof![
        2 => s.clone().prop_map(Step::Begin),
        1 => s.clone().prop_map(Step::Commit),
        1 => s.clone().prop_map(Step::Rollback),
        2 => (s.clone(), k.clone()).prop_map(|(s, k)| Step::Read(s, k)),
        1 => s.clone().prop_map(Step::Scan),
        3 => (s.clone(), k.clone(), 0..100i32).prop_map(|(s, k, v)| Step::Write(s, k, v)),
        2 => (s.clone(), k.clone(), 0..100i32).prop_map(|(s, k, v)| Step::Insert(s, k, v)),
        1 => (s, k).prop_map(|(s, k)| Step::Delete(s, k)),
    ]
}

/// Snapshot isolation, modelled: the committed state with each key's
/// last commit time, and per session its open transaction (begin time,
/// snapshot, own writes).
#[derive(Default)]
struct Model {
    committed: BTreeMap<i32, i32>,
    last_commit: BTreeMap<i32, u64>,
    /// The session holding an uncommitted change to a key.
    owner: BTreeMap<i32, usize>,
    clock: u64,
    open: [Option<Open>; SESSIONS],
}

#[derive(Clone)]
struct Open {
    begin: u64,
    snapshot: BTreeMap<i32, i32>,
    /// Own changes: Some(value) or None for a delete.
    writes: BTreeMap<i32, Option<i32>>,
}

impl Model {
    fn visible(&self, s: usize, key: i32) -> Option<i32> {
        match &self.open[s] {
            Some(open) => match open.writes.get(&key) {
                Some(own) => *own,
                None => open.snapshot.get(&key).copied(),
            },
            None => self.committed.get(&key).copied(),
        }
    }

    fn view(&self, s: usize) -> Vec<(i32, i32)> {
        (1..=KEYS)
            .filter_map(|k| self.visible(s, k).map(|v| (k, v)))
            .collect()
    }

    /// Would a change by `s` to `key` conflict?
    fn conflicts(&self, s: usize, key: i32) -> bool {
        if self.owner.get(&key).is_some_and(|o| *o != s) {
            return true;
        }
        match &self.open[s] {
            Some(open) => self.last_commit.get(&key).is_some_and(|c| *c > open.begin),
            None => false,
        }
    }

    /// Applies a change: into the transaction, or committed at once.
    fn change(&mut self, s: usize, key: i32, value: Option<i32>) {
        match &mut self.open[s] {
            Some(open) => {
                open.writes.insert(key, value);
                self.owner.insert(key, s);
            }
            None => {
                self.clock += 1;
                self.apply(key, value);
            }
        }
    }

    fn apply(&mut self, key: i32, value: Option<i32>) {
        match value {
            Some(v) => self.committed.insert(key, v),
            None => self.committed.remove(&key),
        };
        self.last_commit.insert(key, self.clock);
    }

    fn end(&mut self, s: usize, commit: bool) {
        let Some(open) = self.open[s].take() else {
            return;
        };
        self.owner.retain(|_, o| *o != s);
        if commit && !open.writes.is_empty() {
            self.clock += 1;
            for (key, value) in open.writes {
                self.apply(key, value);
            }
        }
    }
}

fn run_model(steps: &[Step]) -> std::result::Result<(), TestCaseError> {
    let dir = scratch_dir();
    let path = dir.path().join("model.edb");
    let instance = Instance::init(dir.path().join("system")).unwrap();
    let (id_column, balance) = create(&instance, &path);
    let sessions: Vec<Session> = (0..SESSIONS)
        .map(|_| instance.begin_session().unwrap())
        .collect();
    let mut cursors: Vec<Cursor> = sessions.iter().map(|s| open(s, &path)).collect();
    let mut model = Model::default();
    for (at, step) in steps.iter().enumerate() {
        let context = format!("step {at}: {step:?}");
        match *step {
            Step::Begin(s) => {
                if model.open[s].is_none() {
                    sessions[s].begin_transaction().unwrap();
                    model.open[s] = Some(Open {
                        begin: model.clock,
                        snapshot: model.committed.clone(),
                        writes: BTreeMap::new(),
                    });
                }
            }
            Step::Commit(s) => {
                if model.open[s].is_some() {
                    sessions[s].commit_transaction(0).unwrap();
                    model.end(s, true);
                }
            }
            Step::Rollback(s) => {
                if model.open[s].is_some() {
                    sessions[s].rollback(0).unwrap();
                    model.end(s, false);
                }
            }
            Step::Read(s, key) => {
                let got = read(&mut cursors[s], balance, key).unwrap();
                prop_assert_eq!(got, model.visible(s, key), "{}", context);
            }
            Step::Scan(s) => {
                let (rows, by_index) = scan(&mut cursors[s], id_column, balance);
                let expected = model.view(s);
                let sum: i64 = expected.iter().map(|(_, v)| i64::from(*v)).sum();
                prop_assert_eq!(&rows, &expected, "{}", context);
                prop_assert_eq!(by_index, sum, "{}", context);
            }
            Step::Write(s, key, value) => {
                if model.visible(s, key).is_none() {
                    continue;
                }
                let outcome = write(&mut cursors[s], balance, key, value);
                if model.conflicts(s, key) {
                    prop_assert_eq!(
                        outcome.map_err(|e| e.code()),
                        Err(JET_errWriteConflict),
                        "{}",
                        context
                    );
                } else {
                    prop_assert!(outcome.is_ok(), "{}: {:?}", context, outcome);
                    model.change(s, key, Some(value));
                }
            }
            Step::Delete(s, key) => {
                if model.visible(s, key).is_none() {
                    continue;
                }
                prop_assert!(seek(&mut cursors[s], key), "{}", context);
                let outcome = cursors[s].delete();
                if model.conflicts(s, key) {
                    prop_assert_eq!(
                        outcome.map_err(|e| e.code()),
                        Err(JET_errWriteConflict),
                        "{}",
                        context
                    );
                } else {
                    prop_assert!(outcome.is_ok(), "{}: {:?}", context, outcome);
                    model.change(s, key, None);
                }
            }
            Step::Insert(s, key, value) => {
                let cursor = &mut cursors[s];
                cursor.prepare_update(JET_prepInsert).unwrap();
                cursor
                    .set_column(id_column, Some(&key.to_le_bytes()), 0, None)
                    .unwrap();
                cursor
                    .set_column(balance, Some(&value.to_le_bytes()), 0, None)
                    .unwrap();
                let outcome = cursor.update();
                // Visible to the session, or held by another
                // transaction's change: a duplicate key, as ESE says.
                if model.visible(s, key).is_some() || model.conflicts(s, key) {
                    cursor.prepare_update(JET_prepCancel).unwrap();
                    prop_assert_eq!(
                        outcome.map(|_| ()).map_err(|e| e.code()),
                        Err(JET_errKeyDuplicate),
                        "{}",
                        context
                    );
                } else {
                    prop_assert!(outcome.is_ok(), "{}: {:?}", context, outcome);
                    model.change(s, key, Some(value));
                }
            }
        }
    }
    for (s, session) in sessions.iter().enumerate() {
        if model.open[s].is_some() {
            session.rollback(JET_bitRollbackAll).unwrap();
            model.end(s, false);
        }
    }
    let (rows, _) = scan(&mut cursors[0], id_column, balance);
    prop_assert_eq!(rows, model.view(0));
    drop(cursors);
    drop(sessions);
    instance.clean_versions().unwrap();
    prop_assert_eq!(instance.version_stats().versions, 0);
    instance.term().unwrap();
    let file = ese::database_file::DatabaseFile::open(&path).unwrap();
    let report = ese::structure_check::check_structure(&file, file.header()).unwrap();
    prop_assert!(report.is_clean(), "{:?}", report.findings);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn interleaved_sessions_match_a_model_of_snapshot_isolation(
        steps in proptest::collection::vec(step(), 1..80)
    ) {
        run_model(&steps)?;
    }
}
