//! The part of a session the instance holds ([`SessionCore`]: its open
//! transaction and its call slot, so that JetTerm can wait for its calls
//! and roll its transaction back), the session's context
//! (JetSetSessionContext), and the gate each call on a session passes
//! (ESE: APICALL_SESID and the session's count of calls inside the API;
//! `Session::enter_as` in `session.rs` uses it).
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

use crate::instance::transaction_state::{Owner, TransactionState};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::sync::Mutex;
use std::thread::ThreadId;

/// Which thread has a call running on a session, and how deep.
#[derive(Debug, Default)]
pub(crate) struct CallSlot {
    /// The running call's thread token; 0 when none runs.
    pub(crate) thread: AtomicU64,
    /// Calls nested on that thread; only that thread changes it.
    pub(crate) depth: AtomicU32,
}

impl CallSlot {
    /// One call deeper, by the thread holding the slot (the only one that
    /// changes the depth).
    pub(crate) fn enter_again(&self) {
        let depth = self.depth.load(Ordering::Relaxed) + 1;
        self.depth.store(depth, Ordering::Relaxed);
    }

    /// No call runs on the session.
    pub(crate) fn is_idle(&self) -> bool {
        self.thread.load(Ordering::SeqCst) == 0
    }
}

/// A number for the calling thread, never 0, unique among live and past
/// threads of the process (std's `ThreadId` has no stable integer form).
pub(crate) fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static TOKEN: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    TOKEN.with(|t| *t)
}

/// A call running on a session; the session is free again when it drops.
#[must_use]
pub(crate) struct SessionCall {
    pub(crate) session: Arc<SessionCore>,
}

impl Drop for SessionCall {
    fn drop(&mut self) {
        let slot = &self.session.call;
        // Only the thread holding the slot changes the depth: a plain
        // load and store, not a locked read-modify-write, on every call.
        let depth = slot.depth.load(Ordering::Relaxed) - 1;
        slot.depth.store(depth, Ordering::Relaxed);
        if depth == 0 {
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
    core.call.enter_again();
    SessionCall {
        session: core.clone(),
    }
}

/// The part of a session JetTerm reaches through the instance's session
/// map: its transaction and the call running on it. It outlives the
/// session's handles until the session has wound down, so that JetTerm
/// never misses a transaction whose session is being dropped.
pub(crate) struct SessionCore {
    pub(crate) id: u64,
    /// The open transaction, if any.
    pub(crate) transaction: Mutex<Option<TransactionState>>,
    /// The call running on the session, if any (see the gate above).
    pub(crate) call: CallSlot,
    /// Bumped when the session's transaction ends: its reads move from the
    /// transaction's snapshot to the present.
    pub(crate) view_epoch: AtomicU64,
    /// The owner of the transaction the session began last, for the
    /// owner check of every call without taking two locks (see
    /// [`OwnerHint`]).
    pub(crate) owner_hint: AtomicU64,
}

/// What [`SessionCore::owner_hint`] holds: set by each outermost
/// JetBeginTransaction (the only place a session's transaction is made),
/// never cleared. A call by the thread it names, with no context set on
/// the session, passes the owner check at once: either that thread's
/// transaction is open, or none is and the check passes anyway. Any other
/// value but `NEVER_BEGAN` sends the check to the transaction itself.
pub(crate) struct OwnerHint;

impl OwnerHint {
    /// No transaction was ever begun on the session, so none is open.
    pub(crate) const NEVER_BEGAN: u64 = 0;
    /// The last transaction belongs to a context (thread tokens are never
    /// this).
    pub(crate) const CONTEXT: u64 = u64::MAX;

    pub(crate) fn of(owner: Owner) -> u64 {
        match owner {
            Owner::Thread(token) => token,
            Owner::Context(_) => Self::CONTEXT,
        }
    }
}

/// A session's context (JetSetSessionContext's ulContext) and the thread
/// that set it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SessionContext {
    pub(crate) value: usize,
    pub(crate) thread: ThreadId,
}
