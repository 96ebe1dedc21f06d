//! The gate each call on a session passes (ESE: APICALL_SESID and the
//! session's count of calls inside the API).
//!
//! A session serves one call at a time: a call made while another
//! thread's call is running on the same session is
//! `JET_errSessionSharingViolation`, whatever the call (JetRollback and
//! JetEndSession included). This is what keeps a transaction whole: an
//! update in flight has the transaction's undo list in hand, and a
//! rollback from another thread at that moment would find nothing to undo.
//! A call may run inside another on its own thread (one public call built
//! from others).
//!
//! JetTerm marks the instance terminated, then waits until no session has
//! a call running before it rolls back what the sessions left open. A call
//! enters its session before it looks at the instance's state, and JetTerm
//! changes the state before it looks at the sessions (both sequentially
//! consistent), so a call either is seen by JetTerm's wait or sees the
//! termination and gives up.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use crate::codes::*;
use crate::instance::session::{Session, SessionCore};
use crate::{Error, Result};

/// Which thread has a call running on a session, and how deep.
#[derive(Debug, Default)]
pub(crate) struct CallSlot {
    /// The running call's thread token; 0 when none runs.
    thread: AtomicU64,
    /// Calls nested on that thread; only that thread changes it.
    depth: AtomicU32,
}

impl CallSlot {
    /// No call runs on the session.
    pub(crate) fn is_idle(&self) -> bool {
        self.thread.load(Ordering::SeqCst) == 0
    }
}

/// A number for the calling thread, never 0, unique among live and past
/// threads of the process (std's `ThreadId` has no stable integer form).
fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static TOKEN: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    TOKEN.with(|t| *t)
}

/// A call running on a session; the session is free again when it drops.
#[must_use]
pub(crate) struct SessionCall {
    session: Arc<SessionCore>,
}

impl Drop for SessionCall {
    fn drop(&mut self) {
        let slot = &self.session.call;
        if slot.depth.fetch_sub(1, Ordering::Relaxed) == 1 {
            slot.thread.store(0, Ordering::SeqCst);
        }
    }
}

/// Which checks of the instance's state a call passes after it entered
/// its session.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// Refused after JetStopService and during JetTerm.
    Running,
    /// Allowed after JetStopService (the calls that let a session wind
    /// down), refused during JetTerm; the transaction's owner is checked.
    WindingDown,
    /// Allowed at any time (JetEndSession, JetCloseDatabase: JetTerm ends
    /// sessions anyway), by any thread while no other's call runs.
    Always,
}

impl Session {
    /// Enters the session for a call: `JET_errSessionSharingViolation`
    /// while another thread's call runs on it; then the instance's state
    /// (see [`Allowed`]); then, but for `Always` calls, the transaction's
    /// owner.
    pub(crate) fn enter_as(&self, allowed: Allowed) -> Result<SessionCall> {
        let slot = &self.inner.core.call;
        let me = thread_token();
        match slot
            .thread
            .compare_exchange(0, me, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => {}
            Err(running) if running == me => {}
            Err(_) => {
                return Err(Error::new(JET_errSessionSharingViolation)
                    .with_detail("another thread's call is running on the session"))
            }
        }
        slot.depth.fetch_add(1, Ordering::Relaxed);
        let call = SessionCall {
            session: self.inner.core.clone(),
        };
        let service = &self.inner.instance.service;
        match allowed {
            Allowed::Running => {
                service.check()?;
                self.check_owner()?;
            }
            Allowed::WindingDown => {
                service.check_not_terminated()?;
                self.check_owner()?;
            }
            Allowed::Always => {}
        }
        Ok(call)
    }

    /// The gate of every call but the wind-down ones: the session free,
    /// JetStopService and JetTerm, then the thread (or context) that owns
    /// the session's transaction.
    pub(crate) fn enter(&self) -> Result<SessionCall> {
        self.enter_as(Allowed::Running)
    }
}

/// Marks the session's last wind-down (its handles all dropped) as a
/// call, for JetTerm's wait. No other call can run then: calls hold a
/// handle.
pub(crate) fn hold_for_drop(core: &Arc<SessionCore>) -> SessionCall {
    let me = thread_token();
    let entered = core
        .call
        .thread
        .compare_exchange(0, me, Ordering::SeqCst, Ordering::SeqCst);
    debug_assert!(entered.is_ok(), "a call runs on a session without a handle");
    core.call.depth.fetch_add(1, Ordering::Relaxed);
    SessionCall {
        session: core.clone(),
    }
}
