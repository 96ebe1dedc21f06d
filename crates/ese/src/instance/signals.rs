//! The two background threads' doorbells: each thread sleeps on its
//! signal for a period, and is woken early (work waiting, a checkpoint
//! depth changed) or told to stop. The instance holds the signals; the
//! threads' work is `cleanup` and `checkpoint_thread`.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::instance::mutex::lock;

/// How often the cleanup thread looks at the store when nothing wakes it.
const CLEANUP_PERIOD: Duration = Duration::from_millis(500);

/// How often the checkpoint thread looks.
pub(crate) const CHECKPOINT_PERIOD: Duration = Duration::from_millis(250);

/// Wakes the cleanup thread, and stops it.
#[derive(Debug, Default)]
pub(crate) struct CleanupSignal {
    /// (work waiting, stop)
    pub(crate) state: Mutex<(bool, bool)>,
    pub(crate) wake: Condvar,
    /// Held by a cleanup pass: a caller that asks for one waits for the
    /// background pass in progress, whose batches it would not see.
    pub(crate) running: Mutex<()>,
}

impl CleanupSignal {
    pub fn signal(&self) {
        lock(&self.state).0 = true;
        self.wake.notify_one();
    }

    pub fn stop(&self) {
        lock(&self.state).1 = true;
        self.wake.notify_one();
    }

    /// Waits for a signal or the period; false once stopped.
    pub(crate) fn wait(&self) -> bool {
        let mut state = lock(&self.state);
        if !state.0 && !state.1 {
            state = self
                .wake
                .wait_timeout(state, CLEANUP_PERIOD)
                .map(|(s, _)| s)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
        state.0 = false;
        !state.1
    }
}

/// Wakes or stops the checkpoint thread.
#[derive(Default)]
pub(crate) struct CheckpointSignal {
    /// (stop, a look asked for)
    pub(crate) state: Mutex<(bool, bool)>,
    pub(crate) wake: Condvar,
}

impl CheckpointSignal {
    pub fn stop(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).0 = true;
        self.wake.notify_one();
    }

    /// Has the thread look now rather than at the end of its period (the
    /// checkpoint depth changed); a thread busy meanwhile looks again at
    /// once.
    pub fn nudge(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).1 = true;
        self.wake.notify_one();
    }

    /// Waits for the period or a nudge; false once stopped.
    pub(crate) fn wait(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if !state.0 && !state.1 {
            state = self
                .wake
                .wait_timeout(state, CHECKPOINT_PERIOD)
                .map(|(s, _)| s)
                .unwrap_or_else(|p| p.into_inner().0);
        }
        state.1 = false;
        !state.0
    }
}
