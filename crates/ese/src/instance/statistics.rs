//! What a running instance's background work has done, for callers and
//! tests to watch (ESE publishes the same as performance counters).

use std::sync::atomic::Ordering;

use crate::instance::lifecycle::Instance;

/// A snapshot of an instance's background work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceStatistics {
    /// Version store cleanup passes (by the cleanup thread, by ending
    /// transactions, by JetStopService and JetTerm).
    pub version_cleanup_passes: u64,
    /// Versioned nodes those passes dealt with.
    pub version_nodes_cleaned: u64,
    /// Versions the store holds now.
    pub versions_held: usize,
    /// Times the checkpoint moved and was written.
    pub checkpoints_written: u64,
    /// Dirty pages the checkpoint maintenance wrote so the checkpoint
    /// could move.
    pub pages_written_for_checkpoint: u64,
    /// Dirty pages in the cache now.
    pub dirty_pages: usize,
    /// The checkpoint and the log's end (log positions; 0 without a log),
    /// and the log bytes recovery would replay between them.
    pub checkpoint: u64,
    pub log_end: u64,
    pub checkpoint_depth: u64,
    /// Bytes of log written since the instance started (its blocks,
    /// headers included): what the workloads log.
    pub log_bytes_written: u64,
    /// JET_paramCheckpointDepthMax as the checkpoint thread applies it
    /// now (0 while JetStopService quiesces the cache).
    pub checkpoint_depth_target: u64,
    /// New pages of splits that copied their lines from a page whose own
    /// copied lines were not written yet (the buffer cache then writes the
    /// newest copy of such a chain first).
    pub chained_page_copies: u64,
    /// Pages that copied lines from another page (a split's new pages, a
    /// neighbour taking nodes), chained or not; none while a full
    /// streaming backup runs.
    pub page_copies: u64,
    /// Full leaves that gave nodes to a neighbour under the same parent
    /// instead of splitting (see `storage::btree_write::redistribute`).
    pub leaf_redistributions: u64,
    /// Pages online defragmentation freed, and its completed passes.
    pub defrag_pages_freed: u64,
    pub defrag_passes: u64,
}

impl Instance {
    /// The instance's background work so far.
    pub fn statistics(&self) -> InstanceStatistics {
        let inner = &self.inner;
        let counters = &inner.counters;
        let cache = inner.cache.stats();
        let (checkpoint, log_end, depth) = match &inner.log {
            Some(log) => {
                let checkpoint = log.checkpoint();
                let end = log.writer.end();
                (checkpoint, end, log.distance(checkpoint, end))
            }
            None => (0, 0, 0),
        };
        InstanceStatistics {
            version_cleanup_passes: counters.cleanup_passes.load(Ordering::Relaxed),
            version_nodes_cleaned: counters.cleanup_nodes.load(Ordering::Relaxed),
            versions_held: inner.versions.stats().versions,
            checkpoints_written: counters.checkpoints_written.load(Ordering::Relaxed),
            pages_written_for_checkpoint: counters.checkpoint_pages.load(Ordering::Relaxed),
            dirty_pages: cache.dirty,
            checkpoint,
            log_end,
            log_bytes_written: inner
                .log
                .as_ref()
                .map_or(0, |log| log.writer.bytes_written()),
            checkpoint_depth: depth,
            checkpoint_depth_target: inner.checkpoint_depth_target(),
            chained_page_copies: cache.chained_copies,
            page_copies: cache.page_copies,
            leaf_redistributions: cache.redistributions,
            defrag_pages_freed: counters.defrag_pages.load(Ordering::Relaxed),
            defrag_passes: counters.defrag_passes.load(Ordering::Relaxed),
        }
    }
}
