//! The instance's counters of background work, bumped by the tasks that
//! do it (cleanup, checkpoints, defragmentation) and read by
//! `Instance::statistics`.

use std::sync::atomic::{AtomicU64, Ordering};

/// The instance's counters, bumped by the background tasks.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) cleanup_passes: AtomicU64,
    pub(crate) cleanup_nodes: AtomicU64,
    pub(crate) checkpoints_written: AtomicU64,
    pub(crate) checkpoint_pages: AtomicU64,
    pub(crate) defrag_pages: AtomicU64,
    pub(crate) defrag_passes: AtomicU64,
}

impl Counters {
    pub(crate) fn add_cleanup_pass(&self, nodes: usize) {
        self.cleanup_passes.fetch_add(1, Ordering::Relaxed);
        self.cleanup_nodes
            .fetch_add(nodes as u64, Ordering::Relaxed);
    }

    pub(crate) fn add_checkpoint(&self) {
        self.checkpoints_written.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn add_checkpoint_pages(&self, pages: usize) {
        self.checkpoint_pages
            .fetch_add(pages as u64, Ordering::Relaxed);
    }

    pub(crate) fn add_defrag_page(&self) {
        self.defrag_pages.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn add_defrag_pass(&self) {
        self.defrag_passes.fetch_add(1, Ordering::Relaxed);
    }
}
