//! Shutting an instance down (ESE: JetTerm, JetTerm2).
//!
//! Every way down first refuses new calls (`JET_errTermInProgress`), stops
//! online defragmentation, waits for the calls already running to return,
//! rolls back the transactions sessions left open
//! and stops the background threads. Then:
//!
//! - by default and with `JET_bitTermComplete`, the version store's
//!   cleanup finishes (the nodes committed deletes left flagged are
//!   removed), every database is detached (its pages written, its header
//!   marked clean) and the checkpoint moves to the log's end: the next
//!   start has nothing to recover. `JET_bitTermComplete` refuses, with
//!   `JET_errTooManyActiveUsers` and no change, while a session still has
//!   a transaction open;
//! - `JET_bitTermAbrupt` skips the cleanup (the flagged nodes stay: space,
//!   not data, is lost until they are reused) and is otherwise clean;
//! - `JET_bitTermDirty` writes nothing more to the databases: the log is
//!   made durable, the files are closed with their headers still dirty and
//!   the checkpoint stays where it was, so the next start recovers, as
//!   after a crash, with no committed change lost. It returns
//!   `JET_errDirtyShutdown` when it succeeds, as ESE does.
//!
//! A streaming backup in progress makes JetTerm fail with
//! `JET_errBackupInProgress`, changing nothing, unless `JET_bitTermStopBackup`
//! (or `JET_bitTermAbrupt`, as in ESE) is given: then the backup is stopped
//! as JetStopBackupInstance stops it. When detaching a database fails,
//! the instance is still shut down but its log stays needed (the
//! checkpoint does not move), as the documentation says of a failed
//! JetTerm: no different from a crash.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::codes::*;
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::inner::InstanceInner;
use crate::instance::lifecycle::Instance;
use crate::instance::mutex::lock;
use crate::instance::session_core::SessionCore;
use crate::{Error, Result};

const TERM_BITS: u32 =
    JET_bitTermComplete | JET_bitTermAbrupt | JET_bitTermStopBackup | JET_bitTermDirty;

impl Instance {
    /// JetTerm: [`Instance::term2`] with no option.
    pub fn term(self) -> Result<()> {
        self.term2(0)
    }

    /// JetTerm2. See the module's description.
    pub fn term2(self, grbit: u32) -> Result<()> {
        check_grbit(grbit, TERM_BITS, "JetTerm2")?;
        let inner = self.inner.clone();
        if inner.service.is_terminated() {
            return Err(Error::new(JET_errTermInProgress)
                .with_detail("the instance is already shutting down"));
        }
        let stop_backup = grbit & (JET_bitTermStopBackup | JET_bitTermAbrupt) != 0;
        if inner.backup.is_running() && !stop_backup {
            return Err(Error::new(JET_errBackupInProgress)
                .with_detail("a streaming backup is running (JET_bitTermStopBackup ends it)"));
        }
        if grbit & JET_bitTermComplete != 0 && open_transactions(&inner) > 0 {
            return Err(Error::new(JET_errTooManyActiveUsers)
                .with_detail("JET_bitTermComplete: sessions still have transactions open"));
        }
        if !inner.service.terminate() {
            return Err(Error::new(JET_errTermInProgress)
                .with_detail("the instance is already shutting down"));
        }
        // A backup still running gets JET_errBackupAbortByServer from now
        // on (a read in progress at its next page); it can still close
        // its files and end.
        inner.backup.stop();
        inner.defrag.stop_all();
        wait_for_calls(&inner);
        roll_back_sessions(&inner);
        let dirty = grbit & JET_bitTermDirty != 0;
        let abrupt = grbit & JET_bitTermAbrupt != 0;
        if !dirty && !abrupt {
            // Committed deletes finish on the pages before the files close.
            let _ = crate::instance::cleanup::clean_versions(&inner);
        }
        self.threads.stop();
        if dirty {
            return leave_dirty(&inner);
        }
        close_clean(&inner)
    }
}

/// Sessions with a transaction open.
fn open_transactions(inner: &InstanceInner) -> usize {
    sessions(inner)
        .iter()
        .filter(|s| lock(&s.transaction).is_some())
        .count()
}

/// Every session not yet wound down, those being dropped included.
fn sessions(inner: &InstanceInner) -> Vec<Arc<SessionCore>> {
    lock(&inner.sessions).values().cloned().collect()
}

/// Waits until no session has a call running (ESE's JetTerm waits the
/// same way): a call in flight may hold its transaction's undo list, and
/// no call can start now that the instance is marked terminated.
fn wait_for_calls(inner: &InstanceInner) {
    while sessions(inner).iter().any(|s| !s.call.is_idle()) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Rolls back every transaction left open (sessions end with the
/// instance; their later calls get `JET_errTermInProgress`).
fn roll_back_sessions(inner: &InstanceInner) {
    for session in sessions(inner) {
        session.roll_back_open_transaction(inner);
    }
}

/// Detaches every database cleanly and moves the checkpoint to the log's
/// end. Reports the first failure.
fn close_clean(inner: &InstanceInner) -> Result<()> {
    let databases = std::mem::take(&mut *lock(&inner.databases));
    let mut outcome = Ok(());
    for database in databases.into_values() {
        inner.versions.forget_database(database.id());
        if let Err(e) = database.detach() {
            if outcome.is_ok() {
                outcome = Err(e);
            }
        }
    }
    if let Some(log) = &inner.log {
        // The checkpoint moves to the end only when every database is
        // clean: after a failed detach (its pages not all written)
        // recovery must replay what the file lacks.
        let clean = outcome.is_ok() && !inner.unclean.load(Ordering::Acquire);
        if !clean {
            inner.unclean.store(true, Ordering::Release);
        }
        let closed = log.close().and_then(|()| {
            if clean {
                log.write_checkpoint(log.writer.end())?;
                // Every page is written and synced: no copy is needed.
                match inner.cache.set_double_write(None) {
                    Some(double_write) => double_write.clear(),
                    None => Ok(()),
                }
            } else {
                Ok(())
            }
        });
        if let Err(e) = closed {
            if outcome.is_ok() {
                outcome = Err(e);
            }
        }
    }
    outcome
}

/// JET_bitTermDirty: the log durable, the databases closed as they are.
/// Success is `JET_errDirtyShutdown`, as ESE reports it ("the instance was
/// shut down successfully but all the attached databases were left in a
/// dirty state").
fn leave_dirty(inner: &InstanceInner) -> Result<()> {
    inner.unclean.store(true, Ordering::Release);
    let mut outcome = match &inner.log {
        Some(log) => log.writer.flush_all().and_then(|()| log.close()),
        None => Ok(()),
    };
    let databases = std::mem::take(&mut *lock(&inner.databases));
    for database in databases.into_values() {
        inner.versions.forget_database(database.id());
        if let Err(e) = database.abandon() {
            if outcome.is_ok() {
                outcome = Err(e);
            }
        }
    }
    outcome.and(Err(Error::new(JET_errDirtyShutdown).with_detail(
        "JET_bitTermDirty: the databases were left for recovery at the next start",
    )))
}
