//! Finding an entry's leaf without a descent, when the writer already
//! knows a leaf that must be it (ESE keeps a cursor's page latched between
//! calls and checks it before it seeks again; SQLite's cursor hint does the
//! same for appends).
//!
//! Two kinds of change land in a leaf known in advance: a run of inserts
//! in key order (an ascending primary key, a long value's chunks, an index
//! over a sequential column), which lands in the leaf the previous insert
//! landed in, and a change at a cursor's record (a delete or replace after
//! a seek), whose leaf the cursor holds. A hint that is wrong costs a page
//! look-up before the descent, so a leaf is trusted as a hint only when
//! the last two changes of the tree landed in it, or when a cursor stands
//! there: random keys, which land in a new leaf nearly every time, never
//! pay for it.
//!
//! The leaf is used only when its own contents prove that a descent would
//! end there: a live leaf of this very tree (object id and kind, not
//! released) that holds the entry, or whose nodes bracket it, or that ends
//! the tree on the side the entry passes. Separators partition the keys
//! between leaves, so no other leaf can hold such an entry, whatever
//! happened to the tree since the hint was taken (splits, merges, pages
//! released and reused).

use ese_format::node::node_count;
use ese_format::page::{Page, PageFlags};

use super::{BranchPath, Located, TreeWriter};
use crate::codes::*;
use crate::{Error, Result};

/// The leaf a tree's last change landed in, offered to its next change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeafHint {
    pub leaf: u32,
    /// Looked at before descending (see the module notes).
    pub trusted: bool,
}

impl LeafHint {
    /// The leaf a cursor stands in: the change it makes is at its record.
    pub fn at_cursor(leaf: u32) -> Self {
        LeafHint {
            leaf,
            trusted: true,
        }
    }
}

/// The page flags that tell a tree's kind: a page of another kind (a space
/// tree page of the same object) is never a hint's leaf.
const KIND: u32 =
    PageFlags::INDEX | PageFlags::LONG_VALUE | PageFlags::SPACE_TREE | PageFlags::NON_UNIQUE_KEYS;

pub(super) fn kind_of(flags: PageFlags) -> u32 {
    flags.0 & KIND
}

/// The branch pages down to a leaf: known from the descent that found
/// it, or, for a leaf found through a hint, to be found by descending
/// for the entry (key, data), when a split, move or merge needs them
/// (most changes need none: nothing is built for them).
#[derive(Debug)]
pub(super) enum PathDown<'e> {
    Known(BranchPath),
    ThroughEntry { key: &'e [u8], data: &'e [u8] },
}

impl TreeWriter<'_> {
    /// The hint this writer's next change will consider, and the one its
    /// last change leaves for the tree's next writer.
    pub fn leaf_hint(&self) -> Option<LeafHint> {
        self.hint.get()
    }

    pub fn set_leaf_hint(&mut self, hint: Option<LeafHint>) {
        self.hint.set(hint);
    }

    /// Notes the leaf a descent ended in: trusted next time when the last
    /// change ended there too.
    pub(super) fn note_descent(&self, leaf: u32) {
        let trusted = self.hint.get().is_some_and(|h| h.leaf == leaf);
        self.hint.set(Some(LeafHint { leaf, trusted }));
    }

    /// The entry's place in the hinted leaf, when that leaf is certainly
    /// where it is or would go (see the module notes); `None` sends the
    /// caller down from the root. A page that cannot be read or parsed is
    /// no hint: the descent meets it, or not, on its own path.
    pub(super) fn locate_by_hint<'e>(
        &self,
        key: &'e [u8],
        data: &'e [u8],
    ) -> Result<Option<Located<'e>>> {
        let Some(hint) = self.hint.get().filter(|h| h.trusted) else {
            return Ok(None);
        };
        let leaf = hint.leaf;
        let Ok(page) = self.cache.read(self.id(leaf)) else {
            return Ok(None);
        };
        let Ok(parsed) = Page::parse_trusted(page.bytes(), leaf) else {
            return Ok(None);
        };
        let header = *parsed.header();
        let live_leaf = header.object_id == self.tree.object_id
            && header.flags.is_leaf()
            && !header.flags.is_empty()
            && kind_of(header.flags) == self.kind;
        let count = node_count(&parsed);
        if !live_leaf || count == 0 {
            self.hint.set(None);
            return Ok(None);
        }
        let (position, node) = self.find_node_in_page(page.bytes(), leaf, key, data)?;
        let after_first = position > 0 || header.previous_page == 0;
        let before_last = position < count || header.next_page == 0;
        if node.is_none() && !(after_first && before_last) {
            // Another leaf's entry: the descent decides whether this one
            // stays trusted.
            return Ok(None);
        }
        Ok(Some(Located {
            leaf,
            path: PathDown::ThroughEntry { key, data },
            position,
            node,
        }))
    }

    /// The branch pages down to `leaf`, descending for them when the leaf
    /// was found through a hint.
    pub(super) fn path_down(&self, leaf: u32, path: PathDown<'_>) -> Result<BranchPath> {
        let (found, steps) = match path {
            PathDown::Known(steps) => return Ok(steps),
            PathDown::ThroughEntry { key, data } if self.non_unique => {
                self.descend(&self.search_key(key, data))?
            }
            PathDown::ThroughEntry { key, .. } => self.descend(key)?,
        };
        if found != leaf {
            // The leaf's nodes bracket the key, so the separators above
            // must lead to it: they do not, and the tree is damaged.
            return Err(Error::new(JET_errBadParentPageLink)
                .with_page(leaf)
                .with_detail(format!(
                    "the key's leaf holds it, but a descent leads to page {found}"
                )));
        }
        Ok(steps)
    }
}
