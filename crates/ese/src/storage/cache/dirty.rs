//! The dirty pages in the order of their oldest change, for the checkpoint
//! (ESE keeps its buffers on a list ordered by their oldest log position,
//! the checkpoint being the head of that list). Finding the oldest change
//! or the pages that hold the checkpoint back visited every frame of the
//! cache under the map's lock (a cache miss per frame: milliseconds on a
//! large cache, in which every reader and writer waited); the index makes
//! the first a look-up and the second a walk over the dirty pages alone.
//!
//! A frame's entry changes with its dirty state, under the frame's `dirty`
//! lock (taken before the index's, never after): the index holds
//! (oldest change, page) for exactly the frames that are dirty and in the
//! cache.

use std::collections::BTreeSet;

use super::*;

/// (oldest change, page) of every dirty frame in the cache.
pub(super) type DirtyIndex = Arc<Mutex<BTreeSet<(LogPosition, PageId)>>>;

impl Frame {
    /// Gives the frame the dirty state `new`; `slot` is its `dirty`, locked
    /// by the caller.
    pub(super) fn set_dirty(&self, slot: &mut Option<Dirty>, new: Option<Dirty>) {
        let before = slot.as_ref().map(|d| d.oldest);
        let after = new.as_ref().map(|d| d.oldest);
        *slot = new;
        if before != after {
            let mut index = self.dirty_index.lock();
            if let Some(oldest) = before {
                index.remove(&(oldest, self.id));
            }
            if let Some(oldest) = after {
                index.insert((oldest, self.id));
            }
        }
    }
}

impl BufferCache {
    /// The oldest log position any dirty page still needs (for checkpoints).
    pub fn oldest_dirty_position(&self) -> Option<LogPosition> {
        self.dirty_index.lock().first().map(|(oldest, _)| *oldest)
    }

    /// Writes the dirty pages whose oldest change `old` accepts (the
    /// checkpoint's pass); returns how many.
    pub fn write_old_pages(&self, old: impl Fn(LogPosition) -> bool) -> Result<usize> {
        let ids: Vec<PageId> = self
            .dirty_index
            .lock()
            .iter()
            .filter(|(oldest, _)| old(*oldest))
            .map(|(_, id)| *id)
            .collect();
        let frames: Vec<Arc<Frame>> = {
            let state = self.state.lock();
            ids.iter()
                .filter_map(|id| state.frames.get(id).map(|r| &r.frame))
                .filter(|f| f.dirty.lock().as_ref().is_some_and(|d| old(d.oldest)))
                .cloned()
                .collect()
        };
        self.write_frames(&frames)?;
        Ok(frames.len())
    }
}
