//! Preparing an instance for termination (ESE: JetStopService,
//! JetStopServiceInstance, JetStopServiceInstance2), and the instance
//! state every API call checks (`service_state.rs`; the gate itself is
//! `session_core.rs`).
//!
//! A full stop (`JET_bitStopServiceAll`, the legacy calls) pauses online
//! defragmentation, starts a version store cleanup, drops the checkpoint
//! depth to zero so the checkpoint thread writes every dirty page, and
//! from then on refuses every call but the ones that let sessions wind
//! down (JetRollback, JetCloseTable, JetEndSession, JetCloseDatabase,
//! JetDetachDatabase, JetResetSessionContext) with
//! `JET_errClientRequestToStopJetService`. It does not terminate: JetTerm
//! afterwards finds little left to do. The partial stops
//! (`JET_bitStopServiceBackgroundUserTasks`, `JET_bitStopServiceQuiesceCaches`)
//! refuse nothing and can be resumed with `JET_bitStopServiceResume`; a
//! full stop cannot. `JET_bitStopServiceStopAndEmitLog`, on its own, stops
//! the log: what it holds is made durable in a complete generation and
//! later updates fail (`JET_errLogWriteFail`), while databases still
//! detach cleanly.

use std::sync::atomic::Ordering;

use crate::codes::*;
use crate::grbit::check_grbit;
use crate::grbit::*;
use crate::instance::lifecycle::Instance;
use crate::{Error, Result};

/// The option bits JetStopServiceInstance2 accepts.
const STOP_SERVICE_BITS: u32 = JET_bitStopServiceStopAndEmitLog
    | JET_bitStopServiceBackgroundUserTasks
    | JET_bitStopServiceQuiesceCaches
    | JET_bitStopServiceResume;

impl Instance {
    /// JetStopServiceInstance2 (JetStopServiceInstance is
    /// `JET_bitStopServiceAll`, 0). See the module's description. Checked
    /// whole before anything changes: a call that fails leaves the
    /// instance as it was.
    pub fn stop_service(&self, grbit: u32) -> Result<()> {
        check_grbit(grbit, STOP_SERVICE_BITS, "JetStopServiceInstance2")?;
        let inner = &self.inner;
        let service = &inner.service;
        service.check_not_terminated()?;
        let resume = grbit & JET_bitStopServiceResume != 0;
        let parts =
            grbit & (JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceQuiesceCaches);
        if grbit & JET_bitStopServiceStopAndEmitLog != 0 {
            // Stands alone: no more logging, the last of it made durable.
            if grbit != JET_bitStopServiceStopAndEmitLog {
                return Err(Error::new(JET_errInvalidGrbit).with_detail(
                    "JET_bitStopServiceStopAndEmitLog is not combined with other bits",
                ));
            }
            if let Some(log) = &inner.log {
                log.stop_and_emit()?;
            }
            return Ok(());
        }
        if resume {
            if service.is_stopped() {
                return Err(
                    Error::new(JET_errClientRequestToStopJetService).with_detail(
                        "a full JetStopService cannot be resumed; the instance can only terminate",
                    ),
                );
            }
            // Resume with no part named resumes both.
            let parts = if parts == 0 {
                JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceQuiesceCaches
            } else {
                parts
            };
            if parts & JET_bitStopServiceBackgroundUserTasks != 0 {
                service.background_paused.store(false, Ordering::Release);
                inner.defrag.wake();
            }
            if parts & JET_bitStopServiceQuiesceCaches != 0 {
                service.quiescing.store(false, Ordering::Release);
            }
            return Ok(());
        }
        if parts == 0 {
            // JET_bitStopServiceAll: everything below, and calls are
            // refused.
            if service.is_stopped() {
                return Ok(());
            }
            service.background_paused.store(true, Ordering::Release);
            service.quiescing.store(true, Ordering::Release);
            service.stopped.store(true, Ordering::Release);
            inner.defrag.wake();
            inner.cleanup.signal();
            inner.checkpoints.nudge();
            return Ok(());
        }
        if parts & JET_bitStopServiceBackgroundUserTasks != 0 {
            service.background_paused.store(true, Ordering::Release);
            inner.defrag.wake();
        }
        if parts & JET_bitStopServiceQuiesceCaches != 0 {
            service.quiescing.store(true, Ordering::Release);
            inner.checkpoints.nudge();
        }
        Ok(())
    }

    /// JetStopServiceInstance: a full stop.
    pub fn stop_service_instance(&self) -> Result<()> {
        self.stop_service(JET_bitStopServiceAll)
    }
}
