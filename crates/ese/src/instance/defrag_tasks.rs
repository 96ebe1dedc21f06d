//! The instance's online-defragmentation tasks (ESE: the OLD tasks an
//! instance owns): one per database at most, with the controls JetTerm,
//! a detach, JetStopService and JetDefragment's BatchStop act through.
//! What a task does (its passes over the trees) is
//! `maintenance::defrag`; the instance holds only this registry, so that
//! it can stop and wake tasks without knowing how they work.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::database::DbId;
use crate::instance::mutex::lock;
use crate::instance::service_state::ServiceState;
use crate::storage::cache::DatabaseId;

/// How long a paused task sleeps between looks at the instance.
const PAUSE_POLL: Duration = Duration::from_millis(20);

/// A database's defragmentation task as the caller can watch it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefragProgress {
    /// The task is still running (or paused).
    pub running: bool,
    /// Whole passes over the database's trees.
    pub passes: u32,
    /// Leaves merged into their neighbours (each frees one page).
    pub pages_freed: u64,
    /// Partial merges: nodes moved into a leaf from its neighbour.
    pub partial_merges: u64,
    /// Why the task ended early, if it failed.
    pub error: Option<String>,
}

/// One database's task.
pub(crate) struct Task {
    pub(crate) control: Arc<TaskControl>,
    pub(crate) thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
pub(crate) struct TaskControl {
    pub(crate) stop: AtomicBool,
    pub(crate) started: Mutex<Option<Instant>>,
    pub(crate) progress: Mutex<DefragProgress>,
    /// JetDefragment2's callback (JET_cbtypOnlineDefragCompleted), with
    /// the handle the task was started for.
    pub(crate) completed: Mutex<Option<(DefragCallback, DbId)>>,
}

/// JetDefragment2's JET_CALLBACK: called once, on the task's thread, when
/// the task ends by itself (its passes done, its time up, or a pass that
/// freed nothing), not when BatchStop, JetStopService, JetTerm or a detach
/// ends it, nor after a failure. It gets the database handle the task was
/// started with.
pub type DefragCallback = Box<dyn FnOnce(DbId) + Send>;

/// The instance's defragmentation tasks, by database.
#[derive(Default)]
pub(crate) struct DefragTasks {
    pub(crate) tasks: Mutex<HashMap<DatabaseId, Task>>,
    /// Rung when a pause ends or a task must stop.
    bell: Condvar,
    bell_lock: Mutex<()>,
}

impl DefragTasks {
    /// Wakes paused tasks so that they look at the instance again.
    pub(crate) fn wake(&self) {
        let _held = lock(&self.bell_lock);
        self.bell.notify_all();
    }

    /// Stops every task and waits for it (JetTerm).
    pub(crate) fn stop_all(&self) {
        let tasks: Vec<Task> = lock(&self.tasks).drain().map(|(_, t)| t).collect();
        for task in &tasks {
            task.control.stop.store(true, Ordering::Release);
        }
        self.wake();
        for mut task in tasks {
            if let Some(thread) = task.thread.take() {
                let _ = thread.join();
            }
        }
    }

    /// Stops the task of `database` before it is detached (without
    /// reporting), and waits for it.
    pub(crate) fn stop_for_detach(&self, database: DatabaseId) {
        let _ = self.stop(database);
    }

    /// Stops the task of `database`, if one runs, and waits for it: what
    /// it did and how many seconds it ran.
    pub(crate) fn stop(&self, database: DatabaseId) -> Option<(DefragProgress, u32)> {
        let mut task = lock(&self.tasks).remove(&database)?;
        let was_running = lock(&task.control.progress).running;
        task.control.stop.store(true, Ordering::Release);
        self.wake();
        if let Some(thread) = task.thread.take() {
            let _ = thread.join();
        }
        let progress = lock(&task.control.progress).clone();
        was_running.then(|| (progress, elapsed_seconds(&task.control)))
    }

    pub(crate) fn progress(&self, database: DatabaseId) -> Option<(DefragProgress, u32)> {
        let tasks = lock(&self.tasks);
        let task = tasks.get(&database)?;
        let progress = lock(&task.control.progress).clone();
        let seconds = elapsed_seconds(&task.control);
        Some((progress, seconds))
    }

    /// Sleeps while background tasks are paused; false when the task
    /// must stop instead.
    pub(crate) fn wait_while_paused(&self, service: &ServiceState, control: &TaskControl) -> bool {
        loop {
            if control.stop.load(Ordering::Acquire) || service.is_terminated() {
                return false;
            }
            if !service.background_paused() {
                return true;
            }
            let held = lock(&self.bell_lock);
            let _ = self
                .bell
                .wait_timeout(held, PAUSE_POLL)
                .unwrap_or_else(|p| p.into_inner());
        }
    }
}

pub(crate) fn elapsed_seconds(control: &TaskControl) -> u32 {
    lock(&control.started)
        .map(|s| s.elapsed().as_secs().min(u64::from(u32::MAX)) as u32)
        .unwrap_or(0)
}
