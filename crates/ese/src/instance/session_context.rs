//! JetDupSession, JetSetSessionContext and JetResetSessionContext.
//!
//! A session's transaction belongs to the thread that began it: a call
//! from another thread while it is open is `JET_errSessionSharingViolation`
//! (ESE's check against sharing a session between threads). Setting a
//! context binds the session to the calling thread under an application's
//! value instead, and a transaction begun under a context belongs to the
//! context: another thread may carry it on once it has set the same
//! context (after the first thread reset it), as a thread pool serving one
//! client object does. The session cannot end while another thread has a
//! context set on it.

use crate::instance::session_core::{thread_token, OwnerHint, SessionContext};
use crate::instance::transaction_state::Owner;
use std::sync::atomic::Ordering;

use crate::codes::*;
use crate::instance::mutex::lock;
use crate::instance::session::{begin_session, Session};
use crate::{Error, Result};

fn sharing_violation() -> Error {
    Error::new(JET_errSessionSharingViolation)
        .with_detail("the session's transaction belongs to another thread (or context)")
}

impl Session {
    /// JetDupSession: a new session of the same instance (ESE's sessions
    /// carry no user identity to copy, so it shares nothing else: no open
    /// database, no transaction).
    pub fn dup_session(&self) -> Result<Session> {
        let _call = self.enter()?;
        begin_session(&self.inner.instance)
    }

    /// JetSetSessionContext: binds the session to the calling thread under
    /// `context`. `JET_errSessionContextAlreadySet` when a context is set;
    /// 0 and -1 are not contexts (`JET_errInvalidParameter`).
    pub fn set_session_context(&self, context: usize) -> Result<()> {
        self.inner.instance.service.check()?;
        if context == 0 || context == usize::MAX {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail("a session context must not be 0 or -1"));
        }
        let mut slot = lock(&self.inner.context);
        if slot.is_some() {
            return Err(Error::new(JET_errSessionContextAlreadySet));
        }
        *slot = Some(SessionContext {
            value: context,
            thread: std::thread::current().id(),
        });
        self.inner.context_set.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// JetResetSessionContext: only the thread that set the context may
    /// reset it (`JET_errSessionContextNotSetByThisThread` otherwise, and
    /// when none is set). Allowed after JetStopService.
    pub fn reset_session_context(&self) -> Result<()> {
        let mut slot = lock(&self.inner.context);
        match *slot {
            Some(context) if context.thread == std::thread::current().id() => {
                *slot = None;
                self.inner.context_set.store(false, Ordering::SeqCst);
                Ok(())
            }
            _ => Err(Error::new(JET_errSessionContextNotSetByThisThread)),
        }
    }

    /// The context set on the session, if any.
    pub fn session_context(&self) -> Option<usize> {
        lock(&self.inner.context).map(|c| c.value)
    }

    /// Who is calling: the context set on the session (by this thread,
    /// else `JET_errSessionSharingViolation`), or this thread.
    pub(crate) fn caller(&self) -> Result<Owner> {
        match *lock(&self.inner.context) {
            Some(context) if context.thread == std::thread::current().id() => {
                Ok(Owner::Context(context.value))
            }
            Some(_) => Err(sharing_violation()),
            None => Ok(Owner::Thread(thread_token())),
        }
    }

    /// The check of every call: a transaction open on the session belongs
    /// to its owner.
    pub(crate) fn check_owner(&self) -> Result<()> {
        // The short cut (see `OwnerHint`): two loads instead of two locks
        // and a look at the thread's identity.
        let hint = self.inner.core.owner_hint.load(Ordering::Relaxed);
        if hint == OwnerHint::NEVER_BEGAN
            || (hint == thread_token() && !self.inner.context_set.load(Ordering::SeqCst))
        {
            return Ok(());
        }
        let owner = lock(&self.inner.core.transaction).as_ref().map(|t| t.owner);
        match owner {
            Some(owner) if owner != self.caller()? => Err(sharing_violation()),
            _ => Ok(()),
        }
    }

    /// JetEndSession's check: `JET_errSessionInUse` while another thread
    /// has a context set on the session.
    pub(crate) fn check_can_end(&self) -> Result<()> {
        match *lock(&self.inner.context) {
            Some(context) if context.thread != std::thread::current().id() => {
                Err(Error::new(JET_errSessionInUse)
                    .with_detail("another thread has set a context on the session"))
            }
            _ => Ok(()),
        }
    }
}
