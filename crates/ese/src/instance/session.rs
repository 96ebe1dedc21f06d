//! Sessions (ESE: the PIB; JetBeginSession, JetDupSession, JetEndSession):
//! what a session is made of, how it is registered with its instance so
//! that JetTerm reaches it, and how it winds down.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::codes::*;
use crate::database::Database;
use crate::instance::cleanup::settle;
use crate::instance::lifecycle::{lock, InstanceInner};
use crate::instance::session_call::{hold_for_drop, Allowed, CallSlot};
use crate::instance::transaction::{release_ddl_locks, roll_back_levels, TransactionState};
use crate::{Error, Result};

/// JetBeginSession and JetDupSession: a new session, within
/// JET_paramMaxSessions (`JET_errOutOfSessions`), counted and registered
/// under one hold of the session map so that racing calls cannot pass it.
pub(crate) fn begin_session(instance: &Arc<InstanceInner>) -> Result<Session> {
    let mut sessions = lock(&instance.sessions);
    if let Some(max) = instance.options.max_sessions {
        if sessions.len() >= max {
            return Err(Error::new(JET_errOutOfSessions)
                .with_detail(format!("JET_paramMaxSessions is {max}")));
        }
    }
    let core = Arc::new(SessionCore {
        id: instance.next_session.fetch_add(1, Ordering::Relaxed),
        transaction: Mutex::new(None),
        call: Default::default(),
        view_epoch: AtomicU64::new(0),
    });
    sessions.insert(core.id, core.clone());
    Ok(Session {
        inner: Arc::new(SessionInner {
            instance: instance.clone(),
            core,
            open: Mutex::new(Vec::new()),
            context: Mutex::new(None),
        }),
    })
}

/// The part of a session JetTerm reaches through the instance's session
/// map: its transaction and the call running on it. It outlives the
/// session's handles until the session has wound down, so that JetTerm
/// never misses a transaction whose session is being dropped.
pub(crate) struct SessionCore {
    pub(crate) id: u64,
    /// The open transaction, if any.
    pub(crate) transaction: Mutex<Option<TransactionState>>,
    /// The call running on the session, if any (see `session_call`).
    pub(crate) call: CallSlot,
    /// Bumped when the session's transaction ends: its reads move from the
    /// transaction's snapshot to the present.
    pub(crate) view_epoch: AtomicU64,
}

impl SessionCore {
    /// Rolls back the transaction left open, if any (JetEndSession, and
    /// JetTerm for every session). True when there was one.
    pub(crate) fn roll_back_open_transaction(&self, instance: &InstanceInner) -> bool {
        let open = lock(&self.transaction).take();
        let Some(mut state) = open else {
            return false;
        };
        let undone = roll_back_levels(instance, &mut state, 1);
        instance.versions.end_rolled_back(&state.id);
        if let (Some(log), Ok(())) = (&instance.log, undone) {
            // Or the log would keep it open, holding the checkpoint.
            let _ = log.rolled_back(state.log_id);
        }
        release_ddl_locks(instance, &state.ddl_databases, self.id);
        self.view_epoch.fetch_add(1, Ordering::AcqRel);
        true
    }
}

pub(crate) struct SessionInner {
    pub(crate) instance: Arc<InstanceInner>,
    pub(crate) core: Arc<SessionCore>,
    /// JetSetSessionContext's context and the thread that set it.
    pub(crate) context: Mutex<Option<crate::instance::session_context::SessionContext>>,
    /// Databases this session opened, by DbId (None once closed).
    pub(crate) open: Mutex<Vec<Option<Arc<Database>>>>,
}

impl Drop for SessionInner {
    /// The last handle is gone (JetEndSession, or a session dropped): the
    /// transaction left open is rolled back, as a call on the session so
    /// that JetTerm's wait covers it. Once JetTerm has begun the rollback
    /// is JetTerm's (the core stays in the map for it): done here it could
    /// run while JetTerm closes the databases.
    fn drop(&mut self) {
        let instance = &self.instance;
        let winding_down = hold_for_drop(&self.core);
        if !instance.service.is_terminated() {
            if self.core.roll_back_open_transaction(instance) {
                let _ = settle(instance);
            }
            lock(&instance.sessions).remove(&self.core.id);
        }
        drop(winding_down);
        for database in lock(&self.open).drain(..).flatten() {
            database
                .opened
                .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
        }
    }
}

/// A session (ESE: JET_SESID): the context of every call on databases and
/// tables. Cursors opened in a session keep it alive.
#[derive(Clone)]
pub struct Session {
    pub(crate) inner: Arc<SessionInner>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.inner.core.id)
            .finish()
    }
}

impl Session {
    /// JetEndSession: rolls back a transaction left open and closes what
    /// the session opened (when its last handle goes: cursors hold it).
    /// `JET_errSessionInUse` while another thread has a context set on
    /// it, `JET_errSessionSharingViolation` while another thread's call
    /// runs on it. Dropping the session does the same without the checks.
    /// Allowed after JetStopService; during JetTerm, which rolls back
    /// every session's transaction itself, it only lets the handle go.
    pub fn end(self) -> Result<()> {
        let call = self.enter_as(Allowed::Always)?;
        self.check_can_end()?;
        if self.inner.instance.service.is_terminated() {
            return Ok(());
        }
        if self
            .inner
            .core
            .roll_back_open_transaction(&self.inner.instance)
        {
            settle(&self.inner.instance)?;
        }
        drop(call);
        Ok(())
    }

    /// The session's number in its instance.
    pub(crate) fn id(&self) -> u64 {
        self.inner.core.id
    }
}
