//! Online defragmentation's work on one B+tree (ESE: OLD's merges): walk
//! the leaves left to right and, wherever a leaf's right neighbour under
//! the same parent fits into it whole, move its nodes in and release it.
//!
//! Where the whole neighbour does not fit, a partial merge (unless the
//! caller asks for none) moves as many of its first nodes into the leaf as
//! fit, when that is at least an eighth of a page, and moves the
//! separator between the two in their parent: a walk then packs a run of
//! half-full leaves into full ones, freeing pages at the next full merges.
//!
//! One step merges at most one pair, so that the caller can take and
//! release the database's write lock around each step and sessions keep
//! working in between. The walk resumes from an entry, not a page number:
//! between two steps other writers may split, merge or free pages, and the
//! entry is found again by a descent. A merge leaves an eighth of the page
//! free, as a delete's merge does, so that the next insert does not split
//! the page at once. Nodes keep their flags (deleted, versioned): the
//! version store names nodes by key, not by page.

use super::{read_items, shortest_separator, Item, Step, TreeWriter};
use crate::Result;
use ese_format::page::Page;

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompactStep {
    /// The leaf after the one holding the position was merged into it and
    /// page `freed` released; the next step starts from the same position.
    Merged { freed: u32 },
    /// The first `moved` nodes of the next leaf were moved into the leaf
    /// holding the position; the next step starts from this entry (the
    /// first node left in the next leaf).
    PartlyMerged {
        moved: usize,
        key: Vec<u8>,
        data: Vec<u8>,
    },
    /// Nothing to merge there; the next step starts from this entry (the
    /// first of the next leaf: its key and data).
    Next { key: Vec<u8>, data: Vec<u8> },
    /// The walk reached the last leaf.
    Done,
}

impl TreeWriter<'_> {
    /// One step of the walk from the leaf holding entry `from` (`None`:
    /// the first leaf), with partial merges or not. See the module's
    /// description.
    pub fn compact_step(
        &mut self,
        from: Option<(&[u8], &[u8])>,
        partial: bool,
    ) -> Result<CompactStep> {
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
            key: first.key.to_vec(),
            data: first.data.to_vec(),
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
            return Ok(CompactStep::Merged { freed: right });
        }
        if partial {
            if let Some(step) = self.move_left(left, right, &right_path, &right_items, spare)? {
                return Ok(step);
            }
        }
        Ok(next)
    }

    /// The partial merge: moves the longest run of `right`'s first nodes
    /// that fits into `left` (with `spare` bytes left), when it is worth an
    /// eighth of a page, and gives their parent's node for `left` the new
    /// separator. `None`, with nothing changed, when it is not worth it or
    /// the parent cannot take the new separator.
    fn move_left(
        &mut self,
        left: u32,
        right: u32,
        right_path: &[Step],
        right_items: &[Item],
        spare: usize,
    ) -> Result<Option<CompactStep>> {
        let Some(parent) = right_path.last().copied() else {
            return Ok(None);
        };
        let capacity = self.page_capacity();
        let (left_items, left_header) = {
            let page = self.cache.read(self.id(left))?;
            let header = *Page::parse_trusted(page.bytes(), left)?.header();
            (read_items(page.bytes(), left)?.0, header)
        };
        let before = self.page_bytes_needed(&left_items, false, 0);
        // Grow the run while it fits (page sizes bound it: a few hundred
        // nodes at most, each tried once).
        let mut moved = 0;
        let mut merged = left_items;
        while moved + 1 < right_items.len() {
            merged.push(right_items[moved].clone());
            if self.page_bytes_needed(&merged, false, 0) + spare > capacity {
                merged.pop();
                break;
            }
            moved += 1;
        }
        if moved == 0
            || self
                .page_bytes_needed(&merged, false, 0)
                .saturating_sub(before)
                < capacity / 8
        {
            return Ok(None);
        }
        let remaining = &right_items[moved..];
        let (Some(last), Some(first)) = (merged.last(), remaining.first()) else {
            return Ok(None);
        };
        let separator = shortest_separator(
            &self.search_key(&last.key, &last.data),
            &self.search_key(&first.key, &first.data),
        );
        // The parent's node for `left` (just before `right`'s) carries the
        // separator between them.
        let (mut parent_items, parent_header, parent_line0) = {
            let page = self.cache.read(self.id(parent.page))?;
            let parsed = Page::parse_trusted(page.bytes(), parent.page)?;
            (
                read_items(page.bytes(), parent.page)?.0,
                *parsed.header(),
                parsed.line(0).unwrap_or(&[]).to_vec(),
            )
        };
        let Some(node) = parent
            .index
            .checked_sub(1)
            .and_then(|i| parent_items.get_mut(i))
        else {
            return Ok(None);
        };
        node.key = super::ItemKey::from_vec(separator);
        let root = parent_header.flags.is_root();
        if self.page_bytes_needed(&parent_items, root, parent_line0.len()) > capacity {
            return Ok(None);
        }
        let (right_flags, right_next) = {
            let page = self.cache.read(self.id(right))?;
            let header = *Page::parse_trusted(page.bytes(), right)?.header();
            (header.flags, header.next_page)
        };
        self.rebuild_page(
            left,
            false,
            left_header.flags,
            &self.line0_for(&merged),
            &merged,
            left_header.previous_page,
            right,
        )?;
        self.rebuild_page(
            right,
            false,
            right_flags,
            &self.line0_for(remaining),
            remaining,
            left,
            right_next,
        )?;
        let parent_line0 = if root {
            parent_line0
        } else {
            self.line0_for(&parent_items)
        };
        self.rebuild_page(
            parent.page,
            false,
            parent_header.flags,
            &parent_line0,
            &parent_items,
            parent_header.previous_page,
            parent_header.next_page,
        )?;
        Ok(Some(CompactStep::PartlyMerged {
            moved,
            key: first.key.to_vec(),
            data: first.data.to_vec(),
        }))
    }
}
