//! A file that fails on purpose: the engine's error paths are tested with
//! real files wrapped in a [`FaultyFile`] whose [`FaultPlan`] says which
//! operation goes wrong and how.

use std::path::Path;
use std::sync::Arc;

use parking_lot::Mutex;

use super::FileIo;
use crate::codes::*;
use crate::{Error, Result};

/// One fault to inject. Counts start at 0 when the plan is made (or reset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Read number `nth` fails with `JET_errDiskIO`.
    ReadError { nth: u64 },
    /// Write number `nth` fails with `JET_errDiskIO`, writing nothing.
    WriteError { nth: u64 },
    /// Sync number `nth` fails with `JET_errDiskIO`.
    SyncError { nth: u64 },
    /// Write number `nth` stores only its first `kept` bytes and fails.
    ShortWrite { nth: u64, kept: usize },
    /// Write number `nth` stores only its first `kept` bytes yet reports
    /// success, as a write torn by a power cut would look afterwards.
    TornWrite { nth: u64, kept: usize },
    /// The device holds `capacity` bytes: writing or growing the file past
    /// it fails with `JET_errDiskFull`.
    DiskFull { capacity: u64 },
    /// From write number `from` on, the device is gone (a power cut as the
    /// file sees it): every write, and every sync after it, fails with
    /// `JET_errDiskIO` and stores nothing.
    Unplugged { from: u64 },
}

/// The faults to inject and the operations seen so far.
#[derive(Debug, Default)]
pub struct FaultPlan {
    faults: Vec<Fault>,
    reads: u64,
    writes: u64,
    syncs: u64,
    /// Faults that have fired, in order.
    pub fired: Vec<Fault>,
}

impl FaultPlan {
    pub fn new(faults: Vec<Fault>) -> Arc<Mutex<FaultPlan>> {
        Arc::new(Mutex::new(FaultPlan {
            faults,
            ..Default::default()
        }))
    }

    /// Replaces the faults and restarts the counts.
    pub fn reset(&mut self, faults: Vec<Fault>) {
        *self = FaultPlan {
            faults,
            ..Default::default()
        };
    }

    pub fn reads(&self) -> u64 {
        self.reads
    }

    pub fn writes(&self) -> u64 {
        self.writes
    }

    pub fn syncs(&self) -> u64 {
        self.syncs
    }

    /// True once an `Unplugged` fault's write number is reached.
    fn unplugged(&self, write: u64) -> Option<Fault> {
        self.faults
            .iter()
            .find(|f| matches!(f, Fault::Unplugged { from } if write >= *from))
            .cloned()
    }

    fn capacity(&self) -> Option<u64> {
        self.faults.iter().find_map(|f| match f {
            Fault::DiskFull { capacity } => Some(*capacity),
            _ => None,
        })
    }
}

/// A file wrapper (for `InstanceOptions::database_file_hook` or the log's
/// `LogConfig::file_hook`) that puts every file it is given behind
/// `plan`.
pub fn faulty_wrapper(plan: Arc<Mutex<FaultPlan>>) -> Arc<super::FileWrapper> {
    Arc::new(move |file: Arc<dyn FileIo>| -> Arc<dyn FileIo> {
        Arc::new(FaultyFile::new(Box::new(file), plan.clone()))
    })
}

/// A [`FileIo`] that forwards to another and injects the planned faults.
#[derive(Debug)]
pub struct FaultyFile {
    inner: Box<dyn FileIo>,
    plan: Arc<Mutex<FaultPlan>>,
}

impl FaultyFile {
    pub fn new(inner: Box<dyn FileIo>, plan: Arc<Mutex<FaultPlan>>) -> Self {
        FaultyFile { inner, plan }
    }

    fn injected(&self, operation: &str, fault: &Fault) -> Error {
        Error::new(JET_errDiskIO)
            .with_operation(operation.to_string())
            .with_file(self.inner.path())
            .with_detail(format!("injected fault {fault:?}"))
    }

    fn disk_full(&self, end: u64, capacity: u64) -> Error {
        Error::new(JET_errDiskFull)
            .with_file(self.inner.path())
            .with_detail(format!(
                "injected: the file would reach {end} bytes on a {capacity}-byte disk"
            ))
    }
}

impl FileIo for FaultyFile {
    fn path(&self) -> &Path {
        self.inner.path()
    }

    fn len(&self) -> Result<u64> {
        self.inner.len()
    }

    fn read_at(&self, buffer: &mut [u8], offset: u64) -> Result<()> {
        let fault = {
            let mut plan = self.plan.lock();
            let n = plan.reads;
            plan.reads += 1;
            let fault = plan
                .faults
                .iter()
                .find(|f| matches!(f, Fault::ReadError { nth } if *nth == n))
                .cloned();
            if let Some(f) = &fault {
                plan.fired.push(f.clone());
            }
            fault
        };
        match fault {
            Some(f) => Err(self.injected("reading", &f)),
            None => self.inner.read_at(buffer, offset),
        }
    }

    fn write_at(&self, data: &[u8], offset: u64) -> Result<()> {
        let (fault, capacity) = {
            let mut plan = self.plan.lock();
            let n = plan.writes;
            plan.writes += 1;
            let fault = plan
                .faults
                .iter()
                .find(|f| match f {
                    Fault::WriteError { nth }
                    | Fault::ShortWrite { nth, .. }
                    | Fault::TornWrite { nth, .. } => *nth == n,
                    _ => false,
                })
                .cloned()
                .or_else(|| plan.unplugged(n));
            if let Some(f) = &fault {
                plan.fired.push(f.clone());
            }
            (fault, plan.capacity())
        };
        if let Some(capacity) = capacity {
            let end = offset + data.len() as u64;
            if end > capacity {
                return Err(self.disk_full(end, capacity));
            }
        }
        match fault {
            None => self.inner.write_at(data, offset),
            Some(f @ (Fault::WriteError { .. } | Fault::Unplugged { .. })) => {
                Err(self.injected("writing", &f))
            }
            Some(f @ Fault::ShortWrite { kept, .. }) => {
                self.inner.write_at(&data[..kept.min(data.len())], offset)?;
                Err(self.injected("writing", &f))
            }
            Some(Fault::TornWrite { kept, .. }) => {
                self.inner.write_at(&data[..kept.min(data.len())], offset)
            }
            Some(_) => self.inner.write_at(data, offset),
        }
    }

    fn sync_data(&self) -> Result<()> {
        let fault = {
            let mut plan = self.plan.lock();
            let n = plan.syncs;
            plan.syncs += 1;
            let written = plan.writes.saturating_sub(1);
            let fault = plan
                .faults
                .iter()
                .find(|f| matches!(f, Fault::SyncError { nth } if *nth == n))
                .cloned()
                .or_else(|| plan.unplugged(written));
            if let Some(f) = &fault {
                plan.fired.push(f.clone());
            }
            fault
        };
        match fault {
            Some(f) => Err(self.injected("syncing", &f)),
            None => self.inner.sync_data(),
        }
    }

    fn set_len(&self, len: u64) -> Result<()> {
        if let Some(capacity) = self.plan.lock().capacity() {
            if len > capacity {
                return Err(self.disk_full(len, capacity));
            }
        }
        self.inner.set_len(len)
    }
}
