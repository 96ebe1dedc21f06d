//! What JetStopService and JetTerm have done to an instance: the marks
//! every call checks (through the session's gate) and the background
//! tasks look at. The calls that set them are `service` and `term`.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::codes::*;
use crate::{Error, Result};

/// What JetStopService and JetTerm have done to an instance.
#[derive(Debug, Default)]
pub(crate) struct ServiceState {
    /// `JET_bitStopServiceAll`: most calls are refused.
    pub(crate) stopped: AtomicBool,
    /// `JET_bitStopServiceBackgroundUserTasks`: online defragmentation
    /// waits.
    pub(crate) background_paused: AtomicBool,
    /// `JET_bitStopServiceQuiesceCaches`: the checkpoint depth is zero.
    pub(crate) quiescing: AtomicBool,
    /// JetTerm has begun: every call is refused.
    pub(crate) terminated: AtomicBool,
}

impl ServiceState {
    /// The gate of every call JetStopService disallows.
    pub(crate) fn check(&self) -> Result<()> {
        if self.terminated.load(Ordering::SeqCst) {
            return Err(Error::new(JET_errTermInProgress)
                .with_detail("the instance was terminated (JetTerm)"));
        }
        if self.stopped.load(Ordering::Acquire) {
            return Err(Error::new(JET_errClientRequestToStopJetService)
                .with_detail("JetStopService was called on the instance"));
        }
        Ok(())
    }

    /// The gate of the calls that stay allowed after JetStopService
    /// (they let a session wind down), which only JetTerm closes.
    pub(crate) fn check_not_terminated(&self) -> Result<()> {
        if self.terminated.load(Ordering::SeqCst) {
            return Err(Error::new(JET_errTermInProgress)
                .with_detail("the instance was terminated (JetTerm)"));
        }
        Ok(())
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    /// Online defragmentation must not run (paused or stopped).
    pub(crate) fn background_paused(&self) -> bool {
        self.background_paused.load(Ordering::Acquire)
            || self.stopped.load(Ordering::Acquire)
            || self.terminated.load(Ordering::SeqCst)
    }

    /// The checkpoint thread writes every dirty page.
    pub(crate) fn quiescing(&self) -> bool {
        self.quiescing.load(Ordering::Acquire) || self.stopped.load(Ordering::Acquire)
    }

    pub(crate) fn is_terminated(&self) -> bool {
        self.terminated.load(Ordering::SeqCst)
    }

    /// Marks the instance terminated; false when it already was.
    pub(crate) fn terminate(&self) -> bool {
        !self.terminated.swap(true, Ordering::SeqCst)
    }
}
