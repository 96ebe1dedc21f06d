//! Sessions (ESE: the PIB; JetBeginSession, JetDupSession, JetEndSession):
//! the handle, how it is registered with its instance so that JetTerm
//! reaches it, how a call enters it, and how it winds down. The part the
//! instance holds (its transaction and call slot) is `session_core.rs`.

use crate::instance::session_core::thread_token;
use crate::instance::session_core::SessionCall;
use crate::instance::session_core::{OwnerHint, SessionCore};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::codes::*;
use crate::database::Database;
use crate::instance::cleanup::settle;
use crate::instance::inner::InstanceInner;
use crate::instance::mutex::lock;
use crate::instance::session_core::{hold_for_drop, Allowed};
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
        owner_hint: AtomicU64::new(OwnerHint::NEVER_BEGAN),
    });
    sessions.insert(core.id, core.clone());
    Ok(Session {
        inner: Arc::new(SessionInner {
            instance: instance.clone(),
            core,
            open: Mutex::new(Vec::new()),
            context: Mutex::new(None),
            context_set: AtomicBool::new(false),
        }),
    })
}

pub(crate) struct SessionInner {
    pub(crate) instance: Arc<InstanceInner>,
    pub(crate) core: Arc<SessionCore>,
    /// JetSetSessionContext's context and the thread that set it.
    pub(crate) context: Mutex<Option<crate::instance::session_core::SessionContext>>,
    /// Whether `context` holds one (changed under its lock), for the owner
    /// check's short cut.
    pub(crate) context_set: AtomicBool,
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
        slot.enter_again();
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
