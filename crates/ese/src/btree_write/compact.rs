//! Online defragmentation's work on one B+tree (ESE: OLD's merges): walk
//! the leaves left to right and, wherever a leaf's right neighbour under
//! the same parent fits into it whole, move its nodes in and release it.
//!
//! One step merges at most one pair, so that the caller can take and
//! release the database's write lock around each step and sessions keep
//! working in between. The walk resumes from an entry, not a page number:
//! between two steps other writers may split, merge or free pages, and the
//! entry is found again by a descent. A merge leaves an eighth of the page
//! free, as a delete's merge does, so that the next insert does not split
//! the page at once. Nodes keep their flags (deleted, versioned): the
//! version store names nodes by key, not by page.

use super::{read_items, TreeWriter};
use crate::Result;
use ese_format::page::Page;

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompactStep {
    /// The leaf after the one holding the position was merged into it and
    /// page `freed` released; the next step starts from the same position.
    Merged { freed: u32 },
    /// Nothing to merge there; the next step starts from this entry (the
    /// first of the next leaf: its key and data).
    Next { key: Vec<u8>, data: Vec<u8> },
    /// The walk reached the last leaf.
    Done,
}

impl TreeWriter<'_> {
    /// One step of the walk from the leaf holding entry `from` (`None`:
    /// the first leaf). See the module's description.
    pub fn compact_step(&mut self, from: Option<(&[u8], &[u8])>) -> Result<CompactStep> {
        let search = match from {
            Some((key, data)) => self.search_key(key, data),
            None => Vec::new(),
        };
        let (left, left_path) = self.descend(&search)?;
        let (left_is_root, right) = {
            let page = self.cache.read(self.id(left))?;
            let header = *Page::parse_trusted(page.bytes(), left)?.header();
            (header.flags.is_root(), header.next_page)
        };
        if left_is_root || right == 0 {
            return Ok(CompactStep::Done);
        }
        let (right_items, right_previous, right_next) = {
            let page = self.cache.read(self.id(right))?;
            let header = *Page::parse_trusted(page.bytes(), right)?.header();
            (
                read_items(page.bytes(), right)?.0,
                header.previous_page,
                header.next_page,
            )
        };
        let Some(first) = right_items.first() else {
            // An empty leaf is released by the delete that empties it;
            // none should be linked, and there is no entry to resume from.
            return Ok(CompactStep::Done);
        };
        let next = CompactStep::Next {
            key: first.key.clone(),
            data: first.data.clone(),
        };
        if right_previous != left {
            return Ok(next);
        }
        let (found, right_path) = self.descend(&self.search_key(&first.key, &first.data))?;
        // Only siblings under one parent merge: the node before the right
        // leaf's in the parent must be the left leaf's.
        let same_parent = match (left_path.last(), right_path.last()) {
            (Some(l), Some(r)) => l.page == r.page && r.index == l.index + 1,
            _ => false,
        };
        if found != right || !same_parent {
            return Ok(next);
        }
        let spare = self.page_capacity() / 8;
        if self.absorb_right(left, right, &right_path, &right_items, right_next, spare)? {
            Ok(CompactStep::Merged { freed: right })
        } else {
            Ok(next)
        }
    }
}
