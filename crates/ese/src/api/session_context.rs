//! JetDupSession, JetSetSessionContext and JetResetSessionContext.
//!
//! A session is used by one thread at a time. Setting a context binds the
//! session to the calling thread under an application's value, so that an
//! application that moves work between threads can hand the session on:
//! the thread that set the context must reset it before another sets its
//! own, and the session cannot end while a context is set.

use std::thread::ThreadId;

use super::instance::{begin_session, lock, Session};
use crate::codes::*;
use crate::{Error, Result};

/// A session's context (JetSetSessionContext's ulContext) and the thread
/// that set it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SessionContext {
    value: usize,
    thread: ThreadId,
}

impl Session {
    /// JetDupSession: a new session of the same instance (ESE's sessions
    /// carry no user identity to copy, so it shares nothing else: no open
    /// database, no transaction).
    pub fn dup_session(&self) -> Result<Session> {
        self.check_service()?;
        begin_session(&self.inner.instance)
    }

    /// JetSetSessionContext: binds the session to the calling thread under
    /// `context`. `JET_errSessionContextAlreadySet` when a context is set;
    /// 0 is not a context (`JET_errInvalidParameter`).
    pub fn set_session_context(&self, context: usize) -> Result<()> {
        self.check_service()?;
        if context == 0 {
            return Err(
                Error::new(JET_errInvalidParameter).with_detail("a session context must not be 0")
            );
        }
        let mut slot = lock(&self.inner.context);
        if slot.is_some() {
            return Err(Error::new(JET_errSessionContextAlreadySet));
        }
        *slot = Some(SessionContext {
            value: context,
            thread: std::thread::current().id(),
        });
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
                Ok(())
            }
            _ => Err(Error::new(JET_errSessionContextNotSetByThisThread)),
        }
    }

    /// The context set on the session, if any.
    pub fn session_context(&self) -> Option<usize> {
        lock(&self.inner.context).map(|c| c.value)
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
