//! Online defragmentation (ESE: OLD, JetDefragment): a background task per
//! database walks its tables' B+trees (records, indexes, long values) and
//! merges each leaf into its left neighbour wherever the two fit in one
//! page, giving the freed pages back to the table's free space.
//!
//! Each merge is one step under the database's write lock (one logged
//! unit), so sessions keep reading and updating between steps, and the
//! task looks before every step whether it must stop
//! (JET_bitDefragmentBatchStop, JetTerm, a detach), pause
//! (JetStopService, `JET_bitStopServiceBackgroundUserTasks`, until
//! resumed) or end (its passes or seconds used up). A pass visits every
//! tree once; the task ends early when a whole pass freed nothing.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Instant;

use crate::codes::*;
use crate::database::Database;
use crate::database::DbId;
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::defrag_tasks::{DefragCallback, DefragProgress, Task, TaskControl};
use crate::instance::inner::InstanceInner;
use crate::instance::mutex::lock;
use crate::instance::params::{JET_OnlineDefragAllOBSOLETE, JET_OnlineDefragDatabases};
use crate::instance::session::Session;
use crate::storage::btree::Tree;
use crate::storage::btree_write::CompactStep;
use crate::storage::cache::DatabaseId;
use crate::{Error, Result};

/// What a call to JetDefragment returns: its warning and, for
/// `JET_bitDefragmentBatchStop`, what the stopped task did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Defragment {
    /// `JET_wrnDefragAlreadyRunning`, `JET_wrnDefragNotRunning` or 0.
    pub warning: i32,
    /// Passes completed (pcPasses on output).
    pub passes: u32,
    /// Seconds run (pcSeconds on output).
    pub seconds: u32,
}

/// What a task works on and for how long.
#[derive(Clone, Debug)]
struct Plan {
    database: DatabaseId,
    /// Only this table (JetDefragment's szTableName).
    table: Option<String>,
    /// Passes to make (0: until a pass frees nothing).
    passes: u32,
    /// Seconds to run at most (0: no limit).
    seconds: u32,
    /// JET_bitDefragmentAvailSpaceTreesOnly: only the space trees, whose
    /// pages this engine does not merge (their extents are merged as they
    /// are freed), so the task has nothing to visit.
    space_trees_only: bool,
    /// Not JET_bitDefragmentNoPartialMerges.
    partial_merges: bool,
    /// JET_paramEnableOnlineDefrag when the task started: without
    /// JET_OnlineDefragDatabases (or the obsolete "all" bit) the tables'
    /// trees are left alone.
    enabled: u32,
}

/// The option bits JetDefragment accepts.
const DEFRAGMENT_BITS: u32 = JET_bitDefragmentBatchStart
    | JET_bitDefragmentBatchStop
    | JET_bitDefragmentAvailSpaceTreesOnly
    | JET_bitDefragmentNoPartialMerges
    | JET_bitDefragmentBTree;

impl Session {
    /// JetDefragment: `JET_bitDefragmentBatchStart` starts the database's
    /// task in the background (`passes` and `seconds` bound it, 0 for no
    /// bound; `table` limits it to one table) and returns at once,
    /// `JET_wrnDefragAlreadyRunning` when it runs already;
    /// `JET_bitDefragmentBatchStop` stops it and reports what it did,
    /// `JET_wrnDefragNotRunning` when none runs. A leaf takes its whole
    /// neighbour when it fits, else (unless
    /// `JET_bitDefragmentNoPartialMerges`) its neighbour's first nodes;
    /// `JET_bitDefragmentAvailSpaceTreesOnly` limits the task to the space
    /// trees, whose pages are not merged here (their extents are merged
    /// when freed), so such a task ends after one empty pass, as does one
    /// started while JET_paramEnableOnlineDefrag leaves databases out
    /// (`JET_OnlineDefragDisable`, `JET_OnlineDefragSpaceTrees`). The table
    /// name is JetDefragment2's (JetDefragment's is unused); with
    /// `JET_bitDefragmentBTree` it must be absent. Without either batch bit
    /// the call runs nothing and reports the task's state. A read-only
    /// database is `JET_errDatabaseFileReadOnly`, a read-only transaction
    /// `JET_errTransReadOnly`.
    pub fn defragment(
        &self,
        dbid: DbId,
        table: Option<&str>,
        passes: u32,
        seconds: u32,
        grbit: u32,
    ) -> Result<Defragment> {
        self.defragment2(dbid, table, passes, seconds, None, grbit)
    }

    /// JetDefragment2: [`Session::defragment`] with a callback for the
    /// task's end (see [`DefragCallback`]); it is dropped unused when the
    /// call starts no task.
    pub fn defragment2(
        &self,
        dbid: DbId,
        table: Option<&str>,
        passes: u32,
        seconds: u32,
        callback: Option<DefragCallback>,
        grbit: u32,
    ) -> Result<Defragment> {
        let _call = self.enter()?;
        check_grbit(grbit, DEFRAGMENT_BITS, "JetDefragment")?;
        let start = grbit & JET_bitDefragmentBatchStart != 0;
        let stop = grbit & JET_bitDefragmentBatchStop != 0;
        if start && stop {
            return Err(Error::new(JET_errInvalidGrbit).with_detail(
                "JET_bitDefragmentBatchStart and JET_bitDefragmentBatchStop together",
            ));
        }
        if grbit & JET_bitDefragmentBTree != 0 && table.is_some() {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail("with JET_bitDefragmentBTree szTableName must be NULL"));
        }
        let database = self.database(dbid)?;
        let instance = &self.inner.instance;
        let tasks = &instance.defrag;
        let id = database.id();
        if stop {
            return Ok(match tasks.stop(id) {
                Some((progress, seconds)) => Defragment {
                    warning: 0,
                    passes: progress.passes,
                    seconds,
                },
                None => Defragment {
                    warning: JET_wrnDefragNotRunning,
                    ..Default::default()
                },
            });
        }
        if !start {
            return Ok(match tasks.progress(id) {
                Some((progress, seconds)) if progress.running => Defragment {
                    warning: JET_wrnDefragAlreadyRunning,
                    passes: progress.passes,
                    seconds,
                },
                _ => Defragment {
                    warning: JET_wrnDefragNotRunning,
                    ..Default::default()
                },
            });
        }
        if database.is_read_only() {
            return Err(Error::new(JET_errDatabaseFileReadOnly)
                .with_file(database.path())
                .with_detail("the database is attached read-only"));
        }
        self.check_updatable()?;
        if let Some(name) = table {
            if database.schema().table(name).is_none() {
                return Err(Error::new(JET_errObjectNotFound).with_detail(name.to_string()));
            }
        }
        let mut running = lock(&tasks.tasks);
        if let Some(task) = running.get(&id) {
            if lock(&task.control.progress).running {
                return Ok(Defragment {
                    warning: JET_wrnDefragAlreadyRunning,
                    ..Default::default()
                });
            }
        }
        // A task that ended on its own is replaced.
        if let Some(mut old) = running.remove(&id) {
            if let Some(thread) = old.thread.take() {
                let _ = thread.join();
            }
        }
        let plan = Plan {
            database: id,
            table: table.map(str::to_string),
            passes,
            seconds,
            space_trees_only: grbit & JET_bitDefragmentAvailSpaceTreesOnly != 0,
            partial_merges: grbit & JET_bitDefragmentNoPartialMerges == 0,
            enabled: instance.online_defrag.load(Ordering::Acquire),
        };
        let control = Arc::new(TaskControl::default());
        *lock(&control.completed) = callback.map(|c| (c, dbid));
        lock(&control.progress).running = true;
        *lock(&control.started) = Some(Instant::now());
        let weak = Arc::downgrade(instance);
        let thread = {
            let control = control.clone();
            std::thread::Builder::new()
                .name("ese-defragment".into())
                .spawn(move || run_task(weak, plan, &control))
                .map_err(|e| {
                    Error::new(JET_errOutOfThreads)
                        .with_detail(format!("starting online defragmentation: {e}"))
                })?
        };
        running.insert(
            id,
            Task {
                control,
                thread: Some(thread),
            },
        );
        Ok(Defragment::default())
    }

    /// The state of the database's online defragmentation (not a JET
    /// function: ESE reports it through performance counters).
    pub fn defragment_progress(&self, dbid: DbId) -> Result<DefragProgress> {
        let _call = self.enter()?;
        let database = self.database(dbid)?;
        Ok(self
            .inner
            .instance
            .defrag
            .progress(database.id())
            .map(|(p, _)| p)
            .unwrap_or_default())
    }
}

/// The trees of `table` (or of every table): each once, with its density.
fn trees_of(instance: &InstanceInner, plan: &Plan) -> Vec<(u32, Tree, u32)> {
    let databases =
        plan.enabled & (JET_OnlineDefragDatabases | JET_OnlineDefragAllOBSOLETE) as u32 != 0;
    if plan.space_trees_only || !databases {
        return Vec::new();
    }
    let Some(database) = instance.database_by_id(plan.database) else {
        return Vec::new();
    };
    let schema = database.schema();
    let mut trees = Vec::new();
    for table in &schema.catalog.tables {
        if plan
            .table
            .as_deref()
            .is_some_and(|name| !table.name.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let mut seen = vec![table.root_page];
        trees.push((table.object_id, table.tree(), table.density));
        for index in &table.indexes {
            if !seen.contains(&index.root_page) {
                seen.push(index.root_page);
                trees.push((table.object_id, index.tree(), index.density));
            }
        }
        if let Some(lv) = table.long_values {
            trees.push((table.object_id, lv, 100));
        }
    }
    trees
}

/// Whether `tree` is still one of table `table`'s (DDL may have removed
/// it between two steps).
/// Uses the database the caller holds: looking it up again would take the
/// instance's database map while holding the write lock, the opposite
/// order of JetDetachDatabase.
fn still_there(database: &Database, table: u32, tree: Tree) -> bool {
    let schema = database.schema();
    let Some(def) = schema.table_by_id(table) else {
        return false;
    };
    def.root_page == tree.root
        || def.indexes.iter().any(|i| i.root_page == tree.root)
        || def.long_values.is_some_and(|lv| lv.root == tree.root)
}

fn run_task(instance: Weak<InstanceInner>, plan: Plan, control: &TaskControl) {
    let outcome = run_passes(&instance, &plan, control);
    let ended_by_itself = outcome.is_ok()
        && !control.stop.load(Ordering::Acquire)
        && instance
            .upgrade()
            .is_some_and(|inner| !inner.service.background_paused());
    {
        let mut progress = lock(&control.progress);
        progress.running = false;
        if let Err(error) = outcome {
            progress.error = Some(error.to_string());
        }
    }
    let callback = lock(&control.completed).take();
    if let (true, Some((callback, dbid))) = (ended_by_itself, callback) {
        callback(dbid);
    }
}

fn run_passes(instance: &Weak<InstanceInner>, plan: &Plan, control: &TaskControl) -> Result<()> {
    let started = Instant::now();
    let out_of_time = || plan.seconds > 0 && started.elapsed().as_secs() >= u64::from(plan.seconds);
    let mut pass = 0;
    loop {
        let trees = match instance.upgrade() {
            Some(inner) => trees_of(&inner, plan),
            None => return Ok(()),
        };
        let mut freed_in_pass = 0;
        for (table, tree, density) in trees {
            let mut from: Option<(Vec<u8>, Vec<u8>)> = None;
            loop {
                let Some(inner) = instance.upgrade() else {
                    return Ok(());
                };
                if !inner.defrag.wait_while_paused(&inner.service, control) || out_of_time() {
                    return Ok(());
                }
                let Some(database) = inner.database_by_id(plan.database) else {
                    return Ok(());
                };
                let step = {
                    let mut guard = database.write()?;
                    // Checked under the lock DDL takes too.
                    if !still_there(&database, table, tree) {
                        break;
                    }
                    let step =
                        database.with_tree_writer(guard.state(), tree, density, None, |w| {
                            w.compact_step(
                                from.as_ref().map(|(k, d)| (k.as_slice(), d.as_slice())),
                                plan.partial_merges,
                            )
                        })?;
                    if matches!(
                        step,
                        CompactStep::Merged { .. } | CompactStep::PartlyMerged { .. }
                    ) {
                        guard.changed();
                    }
                    step
                };
                match step {
                    CompactStep::Merged { .. } => {
                        freed_in_pass += 1;
                        lock(&control.progress).pages_freed += 1;
                        inner.counters.add_defrag_page();
                    }
                    CompactStep::PartlyMerged { key, data, .. } => {
                        lock(&control.progress).partial_merges += 1;
                        from = Some((key, data));
                    }
                    CompactStep::Next { key, data } => {
                        // A walk that does not move on (the entry leads
                        // back to the same leaf) leaves this tree.
                        if from.as_ref().is_some_and(|(k, d)| *k == key && *d == data) {
                            break;
                        }
                        from = Some((key, data));
                    }
                    CompactStep::Done => break,
                }
                drop(inner);
                // Let waiting sessions have the lock.
                std::thread::yield_now();
            }
        }
        pass += 1;
        lock(&control.progress).passes = pass;
        if let Some(inner) = instance.upgrade() {
            inner.counters.add_defrag_pass();
        }
        if freed_in_pass == 0 || (plan.passes > 0 && pass >= plan.passes) {
            return Ok(());
        }
    }
}
