//! One leaf page as a cursor holds it: a snapshot of the page and the list
//! of its nodes the reader sees, read node by node when asked.
//!
//! A cursor that seeks and then moves a few entries touches a handful of a
//! leaf's nodes; copying every node out when the leaf is reached (two
//! allocations per node, and a read of every line of the page) cost more
//! than the whole move. The snapshot is the cache's immutable copy of the
//! page (an `Arc`, no copy), so a node read later reads the page as it was
//! when the leaf was taken, like the copies did.

use std::cmp::Ordering;

use ese_format::node::{node, node_count, Node};
use ese_format::page::{tag_flags, Page, PageFlags, PageHeader};

use super::{visible_data, Entry, Tree};
use crate::codes::*;
use crate::storage::page_source::{PageBytes, PageSource};
use crate::{Error, Result};

/// One leaf page's live entries, for cursors that step through a tree
/// without descending from the root at every move.
#[derive(Clone, Debug, Default)]
pub struct Leaf {
    pub number: u32,
    bytes: PageBytes,
    header: PageHeader,
    non_unique: bool,
    /// The node index of each entry the reader sees, in key order.
    live: Vec<u16>,
    /// The data the reader sees of versioned nodes, by node index: another
    /// transaction's change it must not see, or a node flagged deleted
    /// that is still there for it.
    seen: Vec<(u16, Vec<u8>)>,
}

impl Leaf {
    /// Reads which nodes of leaf page `number` (`bytes`, whose `header`
    /// the caller decoded) the source's reader sees; only versioned nodes
    /// are decoded now.
    pub(super) fn read(
        source: &dyn PageSource,
        tree: Tree,
        bytes: &PageBytes,
        header: PageHeader,
        number: u32,
    ) -> Result<Leaf> {
        let page = Page::with_checked_header(bytes, header);
        let non_unique = header.flags.contains(PageFlags::NON_UNIQUE_KEYS);
        let count = node_count(&page);
        let mut live = Vec::with_capacity(count);
        let mut seen = Vec::new();
        let view = source.node_view();
        for index in 0..count {
            let flags = page.tag(index + 1).map_or(0, |tag| tag.flags);
            let versioned = flags & tag_flags::VERSIONED != 0 && view.is_some();
            if !versioned {
                if flags & tag_flags::DELETED == 0 {
                    live.push(node_index(index, number)?);
                }
                continue;
            }
            let n = node(&page, index).map_err(|e| e.with_page(number))?;
            if let Some(data) = visible_data(source, tree, non_unique, &n, || n.key()) {
                let index = node_index(index, number)?;
                live.push(index);
                if data != n.data {
                    seen.push((index, data));
                }
            }
        }
        Ok(Leaf {
            number,
            bytes: bytes.clone(),
            header,
            non_unique,
            live,
            seen,
        })
    }

    /// The leaf to the left (0: none).
    pub fn previous(&self) -> u32 {
        self.header.previous_page
    }

    /// The leaf to the right (0: none).
    pub fn next(&self) -> u32 {
        self.header.next_page
    }

    /// How many entries the reader sees in the leaf.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// The page is flagged a leaf (a page read by its number may not be).
    pub(super) fn is_leaf_page(&self) -> bool {
        self.header.flags.is_leaf()
    }

    /// The leaf belongs to a non-unique tree (an entry's data, the primary
    /// key, is part of its identity and order).
    pub fn non_unique(&self) -> bool {
        self.non_unique
    }

    fn node(&self, index: usize) -> Result<Node<'_>> {
        let Some(&at) = self.live.get(index) else {
            return Err(Error::new(JET_errInternalError).with_detail(format!(
                "entry {index} of a leaf holding {}",
                self.live.len()
            )));
        };
        let page = Page::with_checked_header(&self.bytes, self.header);
        node(&page, usize::from(at)).map_err(|e| e.with_page(self.number))
    }

    /// Entry `index`'s key.
    pub fn key(&self, index: usize) -> Result<Vec<u8>> {
        Ok(self.node(index)?.key())
    }

    /// Entry `index`'s key in two parts, borrowed: the bytes it shares with
    /// the page's common key, then its own.
    pub fn key_parts(&self, index: usize) -> Result<[&[u8]; 2]> {
        let node = self.node(index)?;
        Ok([node.prefix, node.suffix])
    }

    /// Entry `index`'s data as the reader sees it.
    pub fn data(&self, index: usize) -> Result<&[u8]> {
        if let Some(&at) = self.live.get(index) {
            // Read in node order, so sorted by node index.
            if let Ok(found) = self.seen.binary_search_by_key(&at, |(node, _)| *node) {
                return Ok(&self.seen[found].1);
            }
        }
        Ok(self.node(index)?.data)
    }

    /// Entry `index`'s key compared with `key`.
    pub fn compare_key(&self, index: usize, key: &[u8]) -> Result<Ordering> {
        Ok(self.node(index)?.compare_key(key))
    }

    /// Whether entry `index` has exactly this key.
    pub fn key_is(&self, index: usize, key: &[u8]) -> Result<bool> {
        Ok(self.compare_key(index, key)? == Ordering::Equal)
    }

    /// Whether entry `index` is (key, data): key and data both equal.
    pub fn holds(&self, index: usize, key: &[u8], data: &[u8]) -> Result<bool> {
        Ok(self.key_is(index, key)? && self.data(index)? == data)
    }

    /// Entry `index` copied out.
    pub fn entry(&self, index: usize) -> Result<Entry> {
        Ok(Entry {
            key: self.key(index)?,
            data: self.data(index)?.to_vec(),
            page: self.number,
            non_unique: self.non_unique,
        })
    }

    /// The index of the first entry at or after (key, data) in the tree's
    /// order (data counts only in a non-unique tree), by binary search;
    /// `len()` when every entry comes before.
    pub fn position_of(&self, key: &[u8], data: &[u8]) -> Result<usize> {
        let (mut low, mut high) = (0, self.live.len());
        while low < high {
            let middle = (low + high) / 2;
            let mut order = self.compare_key(middle, key)?;
            if order == Ordering::Equal && self.non_unique {
                order = self.data(middle)?.cmp(data);
            }
            if order == Ordering::Less {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        Ok(low)
    }

    /// The index of the entry (key, data) if the leaf holds it.
    pub fn find(&self, key: &[u8], data: &[u8]) -> Result<Option<usize>> {
        let at = self.position_of(key, data)?;
        Ok((at < self.len() && self.holds(at, key, data)?).then_some(at))
    }
}

fn node_index(index: usize, page: u32) -> Result<u16> {
    u16::try_from(index).map_err(|_| {
        Error::new(JET_errNodeCorrupted)
            .with_page(page)
            .with_detail(format!("node {index}: more nodes than a page holds"))
    })
}
