//! Changing B+trees (ESE: bt insert/replace/delete, split, merge): nodes in
//! ESE's layout with prefix-compressed keys, over pages held in the buffer
//! cache.
//!
//! - Each tree keeps its root page for life; a root that overflows moves
//!   its nodes into new children and becomes (or stays) a branch.
//! - A leaf or branch that overflows splits. When the insert lands at the
//!   end of the rightmost page (an ascending load) the old page keeps what
//!   fits in the table's density and the rest moves right, so sequential
//!   loads leave pages dense; otherwise the split is in the middle by bytes.
//! - Every non-root page keeps as its common key (line 0) the node key
//!   that saves the most bytes, and each node borrows what it shares with
//!   it when that is more than two bytes, as ESE compresses keys.
//! - Separators between leaves are as short as they can be: the shortest
//!   prefix of the right page's first key above the left page's last.
//! - A branch node's key is the first key of the child to its right; the
//!   last node of a branch page has an empty key, meaning "the rest" (the
//!   layout the read path in [`crate::storage::btree`] expects).
//! - A delete that empties a page releases it; a leaf left less than a
//!   quarter full is merged into its left sibling under the same parent
//!   when the two fit in one page.
//! - Nodes can be flagged deleted or versioned without being removed: a
//!   writer given a [`NodeVersioning`] (the version store, for a session
//!   in a transaction) flags the nodes it changes versioned, only flags the
//!   ones it deletes, and reports each change with its before-image.
//! - A tree whose root carries the non-unique flag (a secondary index that
//!   allows duplicate keys) orders its entries by key, then data (the
//!   primary key), as ESE's CmpKeyData does; its branch separators are key
//!   and data concatenated, so a descent compares against both.
//!
//! One writer per tree at a time: the caller holds the [`TreeWriter`]
//! mutably. Readers through the cache see each page consistently (pages
//! are latched) but a walk concurrent with a split may see the tree between
//! two pages' changes; the version store and cursor re-seeks will close
//! that gap.

use std::cmp::Ordering;

use ese_format::constants::max_key_size;
use ese_format::node::{node, node_count};
use ese_format::page::TAG_SIZE;
use ese_format::page::{tag_flags, Page, PageFlags};
use ese_format::page_edit::{PageMut, NO_ROOM};

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::cache::{BufferCache, DatabaseId, LogPosition, PageId};
use crate::{Error, Result};

mod compact;
mod versioned;
pub use compact::CompactStep;
pub use versioned::{add_to_field, Access, NodeChange, NodeVersioning, VersionedNode};

/// Where new pages come from and freed ones go (the space layer).
pub trait PageAllocator {
    /// A page number for a new page of the tree.
    fn allocate(&mut self) -> Result<u32>;
    /// A page the tree no longer uses.
    fn release(&mut self, page: u32) -> Result<()>;
    /// Between two whole tree operations of one long update: logs the
    /// pages changed so far as a part of the update's unit, so that they
    /// need not stay pinned in the cache (see `TreeWriter::bound_unit`).
    /// Nothing to do where there is no log.
    fn end_unit_part(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The error for a change to an entry the tree does not hold.
pub(crate) fn no_entry() -> Error {
    Error::new(JET_errRecordNotFound).with_detail("no entry has the key")
}

/// The simplest allocator: pages past the end of the file, reusing freed
/// ones first. Stands in for the space trees where a test needs pages.
#[derive(Debug, Default)]
pub struct GrowingAllocator {
    next: u32,
    free: Vec<u32>,
}

impl GrowingAllocator {
    /// Hands out pages from `first` upward.
    pub fn new(first: u32) -> Self {
        GrowingAllocator {
            next: first,
            free: Vec::new(),
        }
    }

    /// The highest page number handed out so far.
    pub fn high_water(&self) -> u32 {
        self.next.saturating_sub(1)
    }
}

impl PageAllocator for GrowingAllocator {
    fn allocate(&mut self) -> Result<u32> {
        if let Some(page) = self.free.pop() {
            return Ok(page);
        }
        let page = self.next;
        self.next = self.next.checked_add(1).ok_or_else(|| {
            Error::new(JET_errOutOfDatabaseSpace).with_detail("the page numbers are exhausted")
        })?;
        Ok(page)
    }

    fn release(&mut self, page: u32) -> Result<()> {
        self.free.push(page);
        Ok(())
    }
}

/// A node found on a page: its flags (compression excluded) and data.
type FoundNode = (u8, Vec<u8>);

/// An entry's place in its tree (see `TreeWriter::locate`).
struct Located {
    leaf: u32,
    path: Vec<Step>,
    position: usize,
    node: Option<FoundNode>,
}

/// One node as the writer handles it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    key: Vec<u8>,
    data: Vec<u8>,
    flags: u8,
}

/// The child page a branch node's data names.
fn child_of(data: &[u8]) -> Result<u32> {
    let bytes: [u8; 4] = data
        .get(..4)
        .and_then(|d| d.try_into().ok())
        .ok_or_else(|| {
            Error::new(JET_errBadParentPageLink).with_detail("a branch node without a child page")
        })?;
    Ok(u32::from_le_bytes(bytes))
}

/// The most data an entry with a `key_len`-byte key may carry in a tree
/// of `page_size`-byte pages: a node as large as an empty page holds
/// (ESE: CbNDNodeMost; a split gives such a node a page of its own).
pub fn max_entry_data(page_size: usize, key_len: usize) -> usize {
    let data_area = page_size - ese_format::page::header_size(page_size);
    (data_area - 2 * TAG_SIZE).saturating_sub(2 + key_len)
}

/// Bytes a node line needs with `shared` bytes of its key borrowed from the
/// common key (compression applies above two shared bytes, as in ESE).
fn line_size(key_len: usize, data_len: usize, shared: usize) -> usize {
    if shared > 2 {
        4 + key_len - shared + data_len
    } else {
        2 + key_len + data_len
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Encodes a node line against `common` (the page's common key).
fn encode_node(item: &Item, common: &[u8]) -> Vec<u8> {
    let shared = common_prefix(&item.key, common);
    let mut line = Vec::with_capacity(line_size(item.key.len(), item.data.len(), shared));
    if shared > 2 {
        line.extend_from_slice(&(shared as u16).to_le_bytes());
        line.extend_from_slice(&((item.key.len() - shared) as u16).to_le_bytes());
        line.extend_from_slice(&item.key[shared..]);
    } else {
        line.extend_from_slice(&(item.key.len() as u16).to_le_bytes());
        line.extend_from_slice(&item.key);
    }
    line.extend_from_slice(&item.data);
    line
}

fn node_flags(item: &Item, common: &[u8]) -> u8 {
    let compressed = common_prefix(&item.key, common) > 2;
    (item.flags & !tag_flags::COMPRESSED) | if compressed { tag_flags::COMPRESSED } else { 0 }
}

/// The nodes of a page, decoded.
fn read_items(bytes: &[u8], number: u32) -> Result<(Vec<Item>, Vec<u8>)> {
    let page = Page::parse_trusted(bytes, number)?;
    let common = if page.header().flags.is_root() {
        Vec::new()
    } else {
        page.line(0).unwrap_or(&[]).to_vec()
    };
    let mut items = Vec::with_capacity(node_count(&page));
    for index in 0..node_count(&page) {
        let n = node(&page, index).map_err(|e| e.in_page(number))?;
        items.push(Item {
            key: n.key(),
            data: n.data.to_vec(),
            flags: n.flags & !tag_flags::COMPRESSED,
        });
    }
    Ok((items, common))
}

/// A step of the path from the root down: a branch page and the node
/// followed in it.
#[derive(Clone, Copy, Debug)]
struct Step {
    page: u32,
    index: usize,
}

/// Writes one B+tree.
pub struct TreeWriter<'a> {
    cache: &'a BufferCache,
    database: DatabaseId,
    tree: Tree,
    page_size: usize,
    /// Percentage of a page an ascending load fills before moving on.
    density: u32,
    allocator: &'a mut dyn PageAllocator,
    /// The database time stamped on changed pages.
    db_time: u64,
    /// The log position recorded for dirtied pages (the log issue supplies
    /// real ones).
    position: LogPosition,
    /// Entries are identified by key and data (see the module notes).
    non_unique: bool,
    /// The version store's view of this writer's transaction, when its
    /// changes are versioned (see `versioned.rs`).
    versioning: Option<&'a mut dyn NodeVersioning>,
}

impl<'a> TreeWriter<'a> {
    /// Writes an existing tree. New pages take the flags of the page they
    /// split from, so a tree's kind (index, long values) carries over.
    pub fn new(
        cache: &'a BufferCache,
        database: DatabaseId,
        tree: Tree,
        density: u32,
        allocator: &'a mut dyn PageAllocator,
    ) -> Result<Self> {
        if !(20..=100).contains(&density) {
            return Err(
                Error::new(JET_errDensityInvalid).with_detail(format!("density {density}%"))
            );
        }
        let page_size = cache.page_size(database)?;
        Ok(TreeWriter {
            cache,
            database,
            tree,
            page_size,
            density,
            allocator,
            db_time: 1,
            position: 1,
            non_unique: false,
            versioning: None,
        })
    }

    /// Writes an existing tree, learning from its root whether its keys
    /// are unique.
    /// Called between whole operations (the tree is consistent): when the
    /// unit under way holds more than a quarter of the cache, its pages so
    /// far are logged as a part (the allocator knows how), so that an
    /// update larger than the cache (a long value of many chunks, an index
    /// built over a large table) does not run out of frames.
    pub fn bound_unit(&mut self) -> Result<()> {
        if self.cache.unit_pages(self.database) > self.cache.max_pages() / 4 {
            self.allocator.end_unit_part()?;
        }
        Ok(())
    }

    pub fn open(
        cache: &'a BufferCache,
        database: DatabaseId,
        tree: Tree,
        density: u32,
        allocator: &'a mut dyn PageAllocator,
    ) -> Result<Self> {
        let mut writer = Self::new(cache, database, tree, density, allocator)?;
        let page = cache.read(writer.id(tree.root))?;
        let parsed = Page::parse_trusted(page.bytes(), tree.root)?;
        writer.non_unique = parsed.header().flags.contains(PageFlags::NON_UNIQUE_KEYS);
        Ok(writer)
    }

    /// What a descent compares separators with: the key, and in a
    /// non-unique tree the data after it.
    fn search_key(&self, key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut search = key.to_vec();
        if self.non_unique {
            search.extend_from_slice(data);
        }
        search
    }

    /// Creates a tree: an empty root leaf at `root` whose line 0 holds
    /// `root_header` (the space header) and whose pages carry `tree_flags`
    /// (index, long values, ...), then writes it.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        cache: &'a BufferCache,
        database: DatabaseId,
        tree: Tree,
        tree_flags: u32,
        density: u32,
        root_header: &[u8],
        allocator: &'a mut dyn PageAllocator,
    ) -> Result<Self> {
        let mut writer = Self::new(cache, database, tree, density, allocator)?;
        writer.non_unique = tree_flags & PageFlags::NON_UNIQUE_KEYS != 0;
        let flags = PageFlags(PageFlags::ROOT | PageFlags::LEAF | tree_flags);
        writer.rebuild_page(tree.root, true, flags, root_header, &[], 0, 0)?;
        Ok(writer)
    }

    pub fn tree(&self) -> Tree {
        self.tree
    }

    /// Sets the database time and log position stamped from now on.
    pub fn set_time(&mut self, db_time: u64, position: LogPosition) {
        self.db_time = db_time;
        self.position = position;
    }

    fn id(&self, page: u32) -> PageId {
        PageId {
            database: self.database,
            page,
        }
    }

    /// The largest node line a page can hold, leaving room for one more, so
    /// that any split has two non-empty halves.
    /// The largest node line: what an empty non-root page holds besides
    /// its line 0 tag (ESE: CbNDNodeMost).
    fn max_line(&self) -> usize {
        let data_area = self.page_size - ese_format::page::header_size(self.page_size);
        data_area - 2 * TAG_SIZE
    }

    fn check_entry(&self, key: &[u8], data_len: usize) -> Result<()> {
        let key_most = max_key_size(self.page_size);
        if key.is_empty() || key.len() > key_most {
            return Err(Error::new(JET_errKeyTooBig).with_detail(format!(
                "a key of {} bytes (1 to {key_most} allowed)",
                key.len()
            )));
        }
        if line_size(key.len(), data_len, 0) > self.max_line() {
            return Err(Error::new(JET_errRecordTooBig).with_detail(format!(
                "a {}-byte key with {data_len} bytes of data does not fit a {}-byte page",
                key.len(),
                self.page_size
            )));
        }
        Ok(())
    }

    /// Descends to the leaf that holds (or would hold) `key`.
    fn descend(&self, key: &[u8]) -> Result<(u32, Vec<Step>)> {
        let mut path = Vec::new();
        let mut number = self.tree.root;
        for _ in 0..16 {
            let page = self.cache.read(self.id(number))?;
            let parsed = Page::parse_trusted(page.bytes(), number)?;
            if parsed.header().object_id != self.tree.object_id {
                return Err(Error::new(JET_errBadParentPageLink).with_page(number));
            }
            if parsed.header().flags.is_leaf() {
                return Ok((number, path));
            }
            let count = node_count(&parsed);
            if count == 0 {
                return Err(Error::new(JET_errBadEmptyPage).with_page(number));
            }
            // The first node whose key is greater than the key sought.
            let (mut low, mut high) = (0, count - 1);
            while low < high {
                let middle = (low + high) / 2;
                if node(&parsed, middle)?.compare_key(key) != Ordering::Greater {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            let child = node(&parsed, low)?.child_page()?;
            path.push(Step {
                page: number,
                index: low,
            });
            number = child;
        }
        Err(Error::new(JET_errBadPageLink).with_detail("the tree is deeper than 16 levels"))
    }

    /// Inserts a new entry; an existing key is `JET_errKeyDuplicate`. A
    /// node flagged deleted under the same key takes the entry (ESE's flag
    /// insert); under a version store the change is versioned.
    pub fn insert(&mut self, key: &[u8], data: &[u8]) -> Result<()> {
        self.check_entry(key, data.len())?;
        let Located {
            leaf,
            path,
            position,
            node: existing,
        } = self.locate(key, data)?;
        let order = self.order_of(data).to_vec();
        // ESE reports an insert that meets another transaction's version
        // as a duplicate key, not as a write conflict.
        let before_len = existing.as_ref().map_or(0, |(_, d)| d.len());
        self.check_version(key, &order, before_len).map_err(|e| {
            if e.code() == JET_errWriteConflict {
                Error::new(JET_errKeyDuplicate)
                    .with_detail("another transaction holds a version of the key")
            } else {
                e
            }
        })?;
        let flags = self.new_node_flags();
        if let Some((old_flags, before)) = existing {
            if old_flags & tag_flags::DELETED == 0 {
                return Err(
                    Error::new(JET_errKeyDuplicate).with_detail("the key is already in the tree")
                );
            }
            self.rewrite_at(leaf, path, position, key, data, flags)?;
            self.record_version(key, &order, NodeChange::Reinsert { before });
            return Ok(());
        }
        let item = Item {
            key: key.to_vec(),
            data: data.to_vec(),
            flags,
        };
        // The common case: the node fits the page as it stands.
        if !self.try_insert_in_place(leaf, position, &item)? {
            let (mut items, _) = {
                let page = self.cache.read(self.id(leaf))?;
                read_items(page.bytes(), leaf)?
            };
            let appending = position == items.len();
            items.insert(position, item);
            self.split(leaf, path, items, appending)?;
        }
        self.record_version(key, &order, NodeChange::Insert);
        Ok(())
    }

    /// Where the entry (key, data) is or would go among the nodes of page
    /// `number`, found without copying them out; and whether it is there.
    fn find_in_page(
        &self,
        bytes: &[u8],
        number: u32,
        key: &[u8],
        data: &[u8],
    ) -> Result<(usize, bool)> {
        let page = Page::parse_trusted(bytes, number)?;
        let count = node_count(&page);
        let order = |index: usize| -> Result<Ordering> {
            let n = node(&page, index).map_err(|e| e.in_page(number))?;
            let by_key = n.compare_key(key);
            Ok(if self.non_unique {
                by_key.then_with(|| n.data.cmp(data))
            } else {
                by_key
            })
        };
        let (mut low, mut high) = (0, count);
        while low < high {
            let middle = (low + high) / 2;
            if order(middle)? == Ordering::Less {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        let exists = low < count && order(low)? == Ordering::Equal;
        Ok((low, exists))
    }

    /// Where the entry (key, data) is or would go: its leaf, the path down
    /// to it and its position there, with the node when it is there
    /// (flagged deleted or not).
    fn locate(&self, key: &[u8], data: &[u8]) -> Result<Located> {
        let (leaf, path) = self.descend(&self.search_key(key, data))?;
        let (position, node) = {
            let page = self.cache.read(self.id(leaf))?;
            self.find_node_in_page(page.bytes(), leaf, key, data)?
        };
        Ok(Located {
            leaf,
            path,
            position,
            node,
        })
    }

    /// [`Self::find_in_page`], with the node's flags (compression
    /// excluded) and data when it is there, deleted or not.
    fn find_node_in_page(
        &self,
        bytes: &[u8],
        number: u32,
        key: &[u8],
        data: &[u8],
    ) -> Result<(usize, Option<FoundNode>)> {
        let (position, exists) = self.find_in_page(bytes, number, key, data)?;
        if !exists {
            return Ok((position, None));
        }
        let page = Page::parse_trusted(bytes, number)?;
        let n = node(&page, position).map_err(|e| e.in_page(number))?;
        Ok((
            position,
            Some((n.flags & !tag_flags::COMPRESSED, n.data.to_vec())),
        ))
    }

    fn try_insert_in_place(&mut self, number: u32, position: usize, item: &Item) -> Result<bool> {
        let mut page = self.cache.write(self.id(number))?;
        let mut edit = page.edit()?;
        let root = edit.header().flags.is_root();
        let common = if root {
            Vec::new()
        } else {
            edit.line(0).map(|(l, _)| l.to_vec()).unwrap_or_default()
        };
        let line = encode_node(item, &common);
        if !edit.can_insert(line.len()) {
            return Ok(false);
        }
        edit.insert_line(position + 1, &line, node_flags(item, &common))?;
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(true)
    }

    /// Replaces the data of an existing entry; a missing key is
    /// `JET_errRecordNotFound`. Not for non-unique trees, whose data is
    /// part of an entry's identity (delete and insert instead).
    pub fn replace(&mut self, key: &[u8], data: &[u8]) -> Result<()> {
        if self.non_unique {
            return Err(Error::new(JET_errInternalError)
                .with_detail("a replace in a non-unique tree (its data identifies the entry)"));
        }
        self.check_entry(key, data.len())?;
        let Located {
            leaf,
            path,
            position,
            node: existing,
        } = self.locate(key, &[])?;
        if let Some((_, before)) = &existing {
            self.check_version(key, &[], before.len())?;
        }
        let Some((flags, before)) = existing.filter(|(f, _)| f & tag_flags::DELETED == 0) else {
            return Err(no_entry());
        };
        let flags = flags | self.new_node_flags();
        self.rewrite_at(leaf, path, position, key, data, flags)?;
        self.record_version(key, &[], NodeChange::Replace { before });
        Ok(())
    }

    /// Rewrites the node at `position` of `leaf` with `data` and `flags`
    /// (deleted / versioned; compression is recomputed), splitting the page
    /// when the grown node no longer fits. In a non-unique tree the data
    /// is the entry's identity and only the flags change.
    fn rewrite_at(
        &mut self,
        leaf: u32,
        path: Vec<Step>,
        position: usize,
        key: &[u8],
        data: &[u8],
        flags: u8,
    ) -> Result<()> {
        let flags = flags & (tag_flags::DELETED | tag_flags::VERSIONED);
        if self.non_unique {
            return self.set_flags_at(leaf, position, flags);
        }
        let item = Item {
            key: key.to_vec(),
            data: data.to_vec(),
            flags,
        };
        {
            let mut page = self.cache.write(self.id(leaf))?;
            let mut edit = page.edit()?;
            // Only the page's common key is needed to encode the node.
            let common = if edit.header().flags.is_root() {
                Vec::new()
            } else {
                edit.line(0).map(|(l, _)| l.to_vec()).unwrap_or_default()
            };
            let line = encode_node(&item, &common);
            if edit.can_replace(position + 1, line.len()) {
                edit.replace_line(position + 1, &line, node_flags(&item, &common))?;
                edit.set_db_time(self.db_time);
                page.mark_dirty(self.position);
                return Ok(());
            }
        }
        // The grown node no longer fits: split the page around it, as an
        // insert would, so the entry is never absent from the tree.
        let (mut items, _) = {
            let page = self.cache.read(self.id(leaf))?;
            read_items(page.bytes(), leaf)?
        };
        items[position] = item;
        self.split(leaf, path, items, false)
    }

    /// Sets the deleted / versioned flags of the node at `position` of
    /// `leaf`, keeping its compression flag.
    fn set_flags_at(&mut self, leaf: u32, position: usize, flags: u8) -> Result<()> {
        let flags = flags & (tag_flags::DELETED | tag_flags::VERSIONED);
        let mut page = self.cache.write(self.id(leaf))?;
        let compressed = {
            let parsed = Page::parse_trusted(page.bytes(), leaf)?;
            node(&parsed, position).map_err(|e| e.in_page(leaf))?.flags & tag_flags::COMPRESSED
        };
        let mut edit = page.edit()?;
        edit.set_line_flags(position + 1, flags | compressed)?;
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(())
    }

    /// Sets or clears the deleted / versioned flags of an entry's node
    /// without removing it (for the version store).
    pub fn set_entry_flags(&mut self, key: &[u8], flags: u8) -> Result<()> {
        self.set_entry_flags_at(key, &[], flags)
    }

    /// [`Self::set_entry_flags`] for the entry (key, data) of a non-unique
    /// tree (`data` is ignored in a unique one).
    pub fn set_entry_flags_at(&mut self, key: &[u8], data: &[u8], flags: u8) -> Result<()> {
        let Located {
            leaf,
            position,
            node,
            ..
        } = self.locate(key, data)?;
        if node.is_none() {
            return Err(Error::new(JET_errRecordNotFound));
        }
        self.set_flags_at(leaf, position, flags)
    }

    /// Removes an entry; a missing key is `JET_errRecordNotFound`.
    pub fn delete(&mut self, key: &[u8]) -> Result<()> {
        self.delete_entry(key, &[])
    }

    /// Removes the entry (key, data) of a non-unique tree (`data` is
    /// ignored in a unique one); a missing entry, or one flagged deleted,
    /// is `JET_errRecordNotFound`. Under a version store the node is only
    /// flagged deleted (and versioned): the version store's cleanup
    /// removes it once no transaction can see it.
    pub fn delete_entry(&mut self, key: &[u8], data: &[u8]) -> Result<()> {
        let Located {
            leaf,
            path,
            position,
            node: existing,
        } = self.locate(key, data)?;
        let order = self.order_of(data).to_vec();
        if existing.is_some() {
            // Another transaction's change (even its delete) is a write
            // conflict before it is a missing entry.
            self.check_version(key, &order, 0)?;
        }
        if existing.is_none_or(|(f, _)| f & tag_flags::DELETED != 0) {
            return Err(no_entry());
        }
        if self.versioning.is_some() {
            self.set_flags_at(leaf, position, tag_flags::DELETED | tag_flags::VERSIONED)?;
            self.record_version(key, &order, NodeChange::Delete);
            return Ok(());
        }
        self.purge_at(leaf, path, position)
    }

    /// Removes the entry (key, data) whatever its flags (the version
    /// store's rollback of an insert and cleanup of a delete); a missing
    /// entry is `JET_errRecordNotFound`.
    pub fn purge(&mut self, key: &[u8], data: &[u8]) -> Result<()> {
        let Located {
            leaf,
            path,
            position,
            node,
        } = self.locate(key, data)?;
        if node.is_none() {
            return Err(no_entry());
        }
        self.purge_at(leaf, path, position)
    }

    /// Puts back an entry's data (`Some`, unique trees) and flags: the
    /// version store's rollback of a replace, delete or flag insert.
    pub fn restore(
        &mut self,
        key: &[u8],
        data: &[u8],
        before: Option<&[u8]>,
        flags: u8,
    ) -> Result<()> {
        let Located {
            leaf,
            path,
            position,
            node,
        } = self.locate(key, data)?;
        if node.is_none() {
            return Err(no_entry());
        }
        match before {
            Some(before) if !self.non_unique => {
                self.rewrite_at(leaf, path, position, key, before, flags)
            }
            _ => self.set_flags_at(leaf, position, flags),
        }
    }

    /// Removes the node at `position` of `leaf`, releasing or merging the
    /// page when that leaves it empty or light.
    fn purge_at(&mut self, leaf: u32, path: Vec<Step>, position: usize) -> Result<()> {
        // Deleted in place; the page's entries are read out only when it
        // is left light enough to merge.
        let (flags, previous, next, nodes_left, bytes_used) = {
            let mut page = self.cache.write(self.id(leaf))?;
            let mut edit = page.edit()?;
            edit.delete_line(position + 1)?;
            edit.set_db_time(self.db_time);
            let header = edit.header();
            let left = edit.line_count().saturating_sub(1);
            let used = self.page_capacity().saturating_sub(edit.free_bytes());
            page.mark_dirty(self.position);
            (
                header.flags,
                header.previous_page,
                header.next_page,
                left,
                used,
            )
        };
        if flags.is_root() {
            return Ok(());
        }
        if nodes_left == 0 {
            return self.remove_page(leaf, &path, previous, next);
        }
        // Merging is for pages left under a quarter full: one still over
        // half full could get there only with a far better common key than
        // its own, so it is left as it is and its entries are not read out.
        if bytes_used * 2 > self.page_capacity() {
            return Ok(());
        }
        let (items, _) = {
            let page = self.cache.read(self.id(leaf))?;
            read_items(page.bytes(), leaf)?
        };
        self.maybe_merge(leaf, path, &items, previous, next)
    }

    /// Bytes the items would take in a fresh page, with compression.
    fn page_bytes_needed(&self, items: &[Item], root: bool, root_header_len: usize) -> usize {
        let common = if root { Vec::new() } else { common_key(items) };
        let header = if root { root_header_len } else { common.len() };
        header
            + TAG_SIZE
            + items
                .iter()
                .map(|i| {
                    line_size(i.key.len(), i.data.len(), common_prefix(&i.key, &common)) + TAG_SIZE
                })
                .sum::<usize>()
    }

    fn page_capacity(&self) -> usize {
        self.page_size - ese_format::page::header_size(self.page_size)
    }

    /// Merges a leaf that fell under a quarter full into its left sibling
    /// when both share a parent and fit one page.
    fn maybe_merge(
        &mut self,
        leaf: u32,
        path: Vec<Step>,
        items: &[Item],
        previous: u32,
        next: u32,
    ) -> Result<()> {
        let Some(parent) = path.last().copied() else {
            return Ok(());
        };
        if previous == 0 || parent.index == 0 {
            return Ok(());
        }
        if self.page_bytes_needed(items, false, 0) * 4 > self.page_capacity() {
            return Ok(());
        }
        // Leave a little room so the merged page does not split at once.
        self.absorb_right(previous, leaf, &path, items, next, self.page_capacity() / 8)?;
        Ok(())
    }

    /// Moves every node of leaf `right` (whose nodes are `right_items`,
    /// reached by `right_path`, followed by `right_next`) to the end of its
    /// left sibling `left`, which the node before `right`'s in their parent
    /// points to, then unlinks and releases `right`: when the nodes fit
    /// with `spare` bytes left. False, with nothing changed, when not.
    fn absorb_right(
        &mut self,
        left: u32,
        right: u32,
        right_path: &[Step],
        right_items: &[Item],
        right_next: u32,
        spare: usize,
    ) -> Result<bool> {
        let Some(parent) = right_path.last().copied() else {
            return Ok(false);
        };
        let (left_items, left_previous, left_flags) = {
            let page = self.cache.read(self.id(left))?;
            let parsed = Page::parse_trusted(page.bytes(), left)?;
            let header = *parsed.header();
            (
                read_items(page.bytes(), left)?.0,
                header.previous_page,
                header.flags,
            )
        };
        let mut merged = left_items;
        merged.extend(right_items.iter().cloned());
        if self.page_bytes_needed(&merged, false, 0) + spare > self.page_capacity() {
            return Ok(false);
        }
        self.rebuild_page(
            left,
            false,
            left_flags,
            &self.line0_for(&merged),
            &merged,
            left_previous,
            right_next,
        )?;
        if right_next != 0 {
            self.set_previous(right_next, left)?;
        }
        // The parent's node for `right` goes; the node before it (which
        // pointed to `left`) takes over its key.
        self.remove_branch_node(
            parent.page,
            parent.index,
            &right_path[..right_path.len() - 1],
            true,
        )?;
        self.release_page(right)?;
        Ok(true)
    }

    /// In branch page `parent.page`, the node at `parent.index` (which
    /// pointed to a page just split in two) now points to `right`, and a
    /// node (`separator`, `left`) goes before it: both edited in place,
    /// the page keeping its common key. False, with nothing changed, when
    /// the new node does not fit.
    fn insert_separator_in_place(
        &mut self,
        parent: Step,
        left: u32,
        right: u32,
        separator: &[u8],
    ) -> Result<bool> {
        let mut page = self.cache.write(self.id(parent.page))?;
        let mut edit = page.edit()?;
        let root = edit.header().flags.is_root();
        let common = if root {
            Vec::new()
        } else {
            edit.line(0).map(|(l, _)| l.to_vec()).unwrap_or_default()
        };
        let moved = {
            let view = edit.as_page()?;
            let n = node(&view, parent.index).map_err(|e| e.in_page(parent.page))?;
            if n.child_page()? != left {
                return Err(Error::new(JET_errBadParentPageLink)
                    .with_page(parent.page)
                    .with_detail(format!(
                        "node {} does not point to the page split",
                        parent.index
                    )));
            }
            Item {
                key: n.key(),
                data: right.to_le_bytes().to_vec(),
                flags: n.flags & !tag_flags::COMPRESSED,
            }
        };
        let added = Item {
            key: separator.to_vec(),
            data: left.to_le_bytes().to_vec(),
            flags: 0,
        };
        let added_line = encode_node(&added, &common);
        if !edit.can_insert(added_line.len()) {
            return Ok(false);
        }
        // Same key, same data length: the node keeps its size.
        edit.replace_line(
            parent.index + 1,
            &encode_node(&moved, &common),
            node_flags(&moved, &common),
        )?;
        edit.insert_line(parent.index + 1, &added_line, node_flags(&added, &common))?;
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(true)
    }

    /// Unlinks an empty non-root page and removes its parent's node.
    fn remove_page(&mut self, number: u32, path: &[Step], previous: u32, next: u32) -> Result<()> {
        if previous != 0 {
            self.set_next(previous, next)?;
        }
        if next != 0 {
            self.set_previous(next, previous)?;
        }
        let parent = *path
            .last()
            .ok_or_else(|| Error::new(JET_errBadParentPageLink).with_page(number))?;
        self.remove_branch_node(parent.page, parent.index, &path[..path.len() - 1], false)?;
        self.release_page(number)
    }

    /// Removes node `index` of branch page `number`. With `into_left`, the
    /// child of the node before takes the removed node's key (the child was
    /// merged into its left sibling); otherwise the removed child is simply
    /// gone and, if it was last, the node before becomes last.
    fn remove_branch_node(
        &mut self,
        number: u32,
        index: usize,
        path: &[Step],
        into_left: bool,
    ) -> Result<()> {
        let (mut items, _common, flags, previous, next) = {
            let page = self.cache.read(self.id(number))?;
            let parsed = Page::parse_trusted(page.bytes(), number)?;
            let header = *parsed.header();
            let (items, common) = read_items(page.bytes(), number)?;
            (
                items,
                common,
                header.flags,
                header.previous_page,
                header.next_page,
            )
        };
        if index >= items.len() {
            // The path was taken through this page: a node that is gone
            // means the page changed under the writer or is damaged.
            return Err(Error::new(JET_errBadParentPageLink)
                .with_page(number)
                .with_detail(format!("no node {index} to remove")));
        }
        let removed = items.remove(index);
        if into_left {
            // The left neighbour now covers the removed child's keys too.
            if let Some(left) = index.checked_sub(1).and_then(|i| items.get_mut(i)) {
                left.key = removed.key.clone();
            }
        } else if index == items.len() {
            // The removed node was last: its predecessor becomes the last,
            // taking the page's upper bound (the parent's separator, or
            // empty on the right edge).
            if let Some(last) = items.last_mut() {
                last.key = removed.key.clone();
            }
        }
        // On the right edge the predecessor's subtree becomes the edge:
        // its last nodes, down to the leaves, must have empty keys too.
        let new_edge = (!into_left && index == items.len() && removed.key.is_empty())
            .then(|| items.last().map(|last| child_of(&last.data)))
            .flatten()
            .transpose()?;
        let root = flags.is_root();
        if items.is_empty() && !root {
            return self.remove_page(number, path, previous, next);
        }
        if items.is_empty() {
            // An empty root becomes an empty leaf again.
            let header = self.root_header()?;
            let leaf_flags = PageFlags((flags.0 & !(PageFlags::PARENT_OF_LEAF)) | PageFlags::LEAF);
            return self.rebuild_page(number, true, leaf_flags, &header, &[], 0, 0);
        }
        let header = if root {
            self.root_header()?
        } else {
            self.line0_for(&items)
        };
        self.rebuild_page(number, root, flags, &header, &items, previous, next)?;
        if let Some(child) = new_edge {
            self.clear_right_edge(child)?;
        }
        Ok(())
    }

    /// Gives the last node of `number` and of each branch page down its
    /// last children an empty key: the subtree has become the tree's right
    /// edge, where the last node of every branch page means "the rest".
    fn clear_right_edge(&mut self, mut number: u32) -> Result<()> {
        for _ in 0..16 {
            let (mut items, flags, previous, next) = {
                let page = self.cache.read(self.id(number))?;
                let parsed = Page::parse_trusted(page.bytes(), number)?;
                let header = *parsed.header();
                if header.flags.is_leaf() {
                    return Ok(());
                }
                let (items, _) = read_items(page.bytes(), number)?;
                (items, header.flags, header.previous_page, header.next_page)
            };
            let Some(last) = items.last_mut() else {
                return Ok(());
            };
            let child = child_of(&last.data)?;
            if !last.key.is_empty() {
                last.key.clear();
                let header = self.line0_for(&items);
                self.rebuild_page(number, false, flags, &header, &items, previous, next)?;
            }
            number = child;
        }
        Err(Error::new(JET_errBadParentPageLink)
            .with_page(number)
            .with_detail("the tree is deeper than any B+tree can be"))
    }

    /// Marks a page the tree no longer uses as empty (so a cursor that
    /// still stands on it knows to find its place again) and gives it back.
    fn release_page(&mut self, number: u32) -> Result<()> {
        let kind = {
            let page = self.cache.read(self.id(number))?;
            Page::parse_trusted(page.bytes(), number)?.header().flags.0
                & (PageFlags::INDEX
                    | PageFlags::LONG_VALUE
                    | PageFlags::SPACE_TREE
                    | PageFlags::NON_UNIQUE_KEYS)
        };
        self.rebuild_page(
            number,
            false,
            PageFlags(kind | PageFlags::EMPTY | PageFlags::LEAF),
            &[],
            &[],
            0,
            0,
        )?;
        self.allocator.release(number)
    }

    fn root_header(&self) -> Result<Vec<u8>> {
        let page = self.cache.read(self.id(self.tree.root))?;
        Ok(Page::parse_trusted(page.bytes(), self.tree.root)?
            .line(0)
            .unwrap_or(&[])
            .to_vec())
    }

    fn set_next(&mut self, number: u32, next: u32) -> Result<()> {
        let mut page = self.cache.write(self.id(number))?;
        let mut edit = page.edit()?;
        let previous = edit.header().previous_page;
        edit.set_links(previous, next);
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(())
    }

    fn set_previous(&mut self, number: u32, previous: u32) -> Result<()> {
        let mut page = self.cache.write(self.id(number))?;
        let mut edit = page.edit()?;
        let next = edit.header().next_page;
        edit.set_links(previous, next);
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(())
    }

    /// Writes a page from scratch: header, line 0, then the items.
    #[allow(clippy::too_many_arguments)]
    fn rebuild_page(
        &mut self,
        number: u32,
        fresh: bool,
        flags: PageFlags,
        line0: &[u8],
        items: &[Item],
        previous: u32,
        next: u32,
    ) -> Result<()> {
        let mut page = if fresh {
            self.cache.new_page(self.id(number))?
        } else {
            self.cache.write(self.id(number))?
        };
        let mut edit = PageMut::init(
            page.bytes_mut(),
            number,
            self.tree.object_id,
            flags,
            self.db_time,
        )?;
        edit.set_external_header(line0)?;
        // Only leaves are chained; ESE keeps branch pages unlinked.
        if flags.is_leaf() {
            edit.set_links(previous, next);
        }
        let common: &[u8] = if flags.is_root() { &[] } else { line0 };
        for (index, item) in items.iter().enumerate() {
            let line = encode_node(item, common);
            edit.insert_line(index + 1, &line, node_flags(item, common))
                .map_err(|e| {
                    if e.code() == NO_ROOM {
                        Error::new(JET_errInternalError)
                            .with_page(number)
                            .with_detail("a split computed a page that does not fit")
                    } else {
                        e
                    }
                })?;
        }
        page.mark_dirty(self.position);
        Ok(())
    }

    /// The line 0 a non-root page of `items` gets: their common key when
    /// the page fits with it (compression can cost two bytes on a page of
    /// one node), else none.
    fn line0_for(&self, items: &[Item]) -> Vec<u8> {
        if self.page_bytes_needed(items, false, 0) <= self.page_capacity() {
            common_key(items)
        } else {
            Vec::new()
        }
    }

    /// Splits page `number`, whose nodes would be `items`, into two or more
    /// pages and posts the new separators to its parent (splitting upward
    /// as needed).
    fn split(
        &mut self,
        number: u32,
        mut path: Vec<Step>,
        items: Vec<Item>,
        appending: bool,
    ) -> Result<()> {
        let (flags, previous, next) = {
            let page = self.cache.read(self.id(number))?;
            let header = *Page::parse_trusted(page.bytes(), number)?.header();
            (header.flags, header.previous_page, header.next_page)
        };
        let leaf = flags.is_leaf();
        // A node is never larger than an empty non-root page holds, so a
        // page that overflows holds at least two, except a root, whose
        // space header leaves less room: a root with one node that does not
        // fit becomes a branch over one leaf.
        let cuts = match items.len() {
            0 => Vec::new(),
            1 if flags.is_root() => Vec::new(),
            1 => {
                return Err(Error::new(JET_errInternalError)
                    .with_page(number)
                    .with_detail("a page to split holds a single node"))
            }
            _ => self.partition(&items, appending && next == 0),
        };
        let groups: Vec<&[Item]> = {
            let mut groups = Vec::with_capacity(cuts.len() + 1);
            let mut start = 0;
            for &cut in &cuts {
                groups.push(&items[start..cut]);
                start = cut;
            }
            groups.push(&items[start..]);
            groups
        };
        // The separator above each boundary. Between leaves it is the
        // right group's first entry (key, and data in a non-unique tree).
        // Between branch pages it is the left group's last key: as ESE
        // keeps them, a branch page's last node carries the key its parent
        // separates it by (empty only down the right edge).
        let separators: Vec<Vec<u8>> = groups
            .windows(2)
            .map(|pair| {
                if leaf {
                    let first = &pair[1][0];
                    let last = &pair[0][pair[0].len() - 1];
                    shortest_separator(
                        &self.search_key(&last.key, &last.data),
                        &self.search_key(&first.key, &first.data),
                    )
                } else {
                    pair[0].last().map(|i| i.key.clone()).unwrap_or_default()
                }
            })
            .collect();

        if flags.is_root() {
            // The root keeps its page number: its nodes move into new
            // children and it becomes (or stays) a branch over them.
            let mut pages = Vec::with_capacity(groups.len());
            for _ in 0..groups.len() {
                pages.push(self.allocator.allocate()?);
            }
            // Read after allocating, which may change the root's space
            // header (its bitmap, or a conversion to multiple extents).
            let root_header = self.root_header()?;
            let child_flags =
                PageFlags((flags.0 & !(PageFlags::ROOT)) | if leaf { PageFlags::LEAF } else { 0 });
            for (i, group) in groups.iter().enumerate() {
                let left = if i == 0 { 0 } else { pages[i - 1] };
                let right = pages.get(i + 1).copied().unwrap_or(0);
                let line0 = self.line0_for(group);
                self.rebuild_page(pages[i], true, child_flags, &line0, group, left, right)?;
            }
            let mut branch: Vec<Item> = separators
                .into_iter()
                .zip(&pages)
                .map(|(key, page)| Item {
                    key,
                    data: page.to_le_bytes().to_vec(),
                    flags: 0,
                })
                .collect();
            branch.push(Item {
                key: Vec::new(),
                data: pages[pages.len() - 1].to_le_bytes().to_vec(),
                flags: 0,
            });
            let root_flags = PageFlags(
                (flags.0 & !(PageFlags::LEAF | PageFlags::PARENT_OF_LEAF))
                    | PageFlags::ROOT
                    | if leaf { PageFlags::PARENT_OF_LEAF } else { 0 },
            );
            return self.rebuild_page(number, false, root_flags, &root_header, &branch, 0, 0);
        }

        // The page keeps the first group; new pages to its right take the
        // others.
        let mut pages = vec![number];
        for _ in 1..groups.len() {
            pages.push(self.allocator.allocate()?);
        }
        for (i, group) in groups.iter().enumerate() {
            let left = if i == 0 { previous } else { pages[i - 1] };
            let right = pages.get(i + 1).copied().unwrap_or(next);
            let line0 = self.line0_for(group);
            self.rebuild_page(pages[i], i > 0, flags, &line0, group, left, right)?;
        }
        if next != 0 {
            self.set_previous(next, pages[pages.len() - 1])?;
        }
        // In the parent, the node that pointed to `number` now points to the
        // last new page, and nodes for the pages before it, keyed by their
        // separators, go before it.
        let parent = path
            .pop()
            .ok_or_else(|| Error::new(JET_errBadParentPageLink).with_page(number))?;
        // A split in two adds one separator: in place when the parent has
        // room, as ESE does, rather than rebuilding the parent whole.
        if let ([separator], [left, right]) = (separators.as_slice(), pages.as_slice()) {
            if self.insert_separator_in_place(parent, *left, *right, separator)? {
                return Ok(());
            }
        }
        let (mut parent_items, _) = {
            let page = self.cache.read(self.id(parent.page))?;
            read_items(page.bytes(), parent.page)?
        };
        if parent.index >= parent_items.len() {
            return Err(Error::new(JET_errBadParentPageLink)
                .with_page(parent.page)
                .with_detail(format!("no node {} to follow", parent.index)));
        }
        parent_items[parent.index].data = pages[pages.len() - 1].to_le_bytes().to_vec();
        let added = separators.len();
        for (offset, (key, page)) in separators.into_iter().zip(&pages).enumerate() {
            parent_items.insert(
                parent.index + offset,
                Item {
                    key,
                    data: page.to_le_bytes().to_vec(),
                    flags: 0,
                },
            );
        }
        let (parent_flags, parent_previous, parent_next, parent_line0) = {
            let page = self.cache.read(self.id(parent.page))?;
            let parsed = Page::parse_trusted(page.bytes(), parent.page)?;
            let header = *parsed.header();
            (
                header.flags,
                header.previous_page,
                header.next_page,
                parsed.line(0).unwrap_or(&[]).to_vec(),
            )
        };
        let root = parent_flags.is_root();
        if self.page_bytes_needed(&parent_items, root, parent_line0.len()) <= self.page_capacity() {
            let header = if root {
                parent_line0.clone()
            } else {
                self.line0_for(&parent_items)
            };
            return self.rebuild_page(
                parent.page,
                false,
                parent_flags,
                &header,
                &parent_items,
                parent_previous,
                parent_next,
            );
        }
        let appending_parent = parent.index + added + 1 == parent_items.len();
        self.split(parent.page, path, parent_items, appending_parent)
    }

    /// Where to cut `items` into pages: when appending to the rightmost
    /// page, after what the density allows; otherwise in the middle by
    /// bytes when both halves fit, else as many pages as needed, each
    /// filled in order. Returns the cut points (at least one).
    fn partition(&self, items: &[Item], appending: bool) -> Vec<usize> {
        let sizes: Vec<usize> = items
            .iter()
            .map(|i| line_size(i.key.len(), i.data.len(), 0) + TAG_SIZE)
            .collect();
        // Room for nodes on a non-root page, its line 0 tag aside.
        let capacity = self.page_capacity() - TAG_SIZE;
        let total: usize = sizes.iter().sum();
        let fits = |range: &[usize]| range.iter().sum::<usize>() <= capacity;
        let target = if appending {
            capacity * self.density as usize / 100
        } else {
            total / 2
        };
        let mut running = 0;
        let mut cut = 1;
        for (index, size) in sizes.iter().enumerate() {
            if running + size > target && index > 0 {
                break;
            }
            running += size;
            cut = index + 1;
        }
        let cut = cut.clamp(1, items.len() - 1);
        if fits(&sizes[..cut]) && fits(&sizes[cut..]) {
            return vec![cut];
        }
        // Fill pages left to right (a large node may need a page of its own).
        let mut cuts = Vec::new();
        let mut running = 0;
        for (index, size) in sizes.iter().enumerate() {
            if running + size > capacity && index > 0 {
                cuts.push(index);
                running = 0;
            }
            running += size;
        }
        if cuts.is_empty() {
            cuts.push(cut);
        }
        cuts
    }
}

/// The common key of a non-root page (ESE: the page prefix): the key of
/// the node that saves the most bytes when every node borrows what it
/// shares with it (compression applies above two shared bytes), the first
/// such node on a tie; none when no node shares more than two bytes. The
/// key's own length in line 0 is not counted against it: Windows takes an
/// LV's first chunk key over its root key, and gives a page holding one
/// node that node's key.
/// Windows' pages hold a whole node key there, and some readers
/// (libesedb 20181229) rebuild keys correctly only for nodes whose key
/// that prefix covers.
fn common_key(items: &[Item]) -> Vec<u8> {
    let keys: Vec<&[u8]> = items
        .iter()
        .map(|i| i.key.as_slice())
        .filter(|k| !k.is_empty())
        .collect();
    best_common_key(&keys).map_or_else(Vec::new, |index| keys[index].to_vec())
}

/// Bytes a node saves when `shared` bytes of its key come from the page's
/// common key (a compressed node spends two bytes on the count).
fn prefix_gain(shared: usize) -> usize {
    shared.saturating_sub(2)
}

/// Which of the (sorted) keys, taken as the page's common key, saves the
/// most bytes over all the keys (the first such key; None when none saves
/// anything). What key i shares with key j is the least of what the
/// neighbours between them share, so with `gain[k]` the saving between
/// neighbours k and k+1, key i saves the sum over j of the least gain on
/// the way from i to j. Those sums for every i come from one pass each
/// way with a stack of smaller gains: linear in the keys, where trying
/// each key against the others was quadratic (a branch page of a long
/// value's chunks, whose keys all share the value's id, took most of the
/// time of writing it).
fn best_common_key(keys: &[&[u8]]) -> Option<usize> {
    if keys.is_empty() {
        return None;
    }
    let gain: Vec<usize> = keys
        .windows(2)
        .map(|w| prefix_gain(common_prefix(w[0], w[1])))
        .collect();
    let to_the_right = sums_of_least_gains(&gain);
    let reversed: Vec<usize> = gain.iter().rev().copied().collect();
    let to_the_left = sums_of_least_gains(&reversed);
    let last = keys.len() - 1;
    let mut best: Option<(usize, usize)> = None;
    for (index, key) in keys.iter().enumerate() {
        let saved = prefix_gain(key.len()) + to_the_right[index] + to_the_left[last - index];
        if best.is_none_or(|(most, _)| saved > most) {
            best = Some((saved, index));
        }
    }
    best.filter(|(saved, _)| *saved > 0).map(|(_, index)| index)
}

/// For each key i (of `gain.len() + 1` keys), the sum over the keys j
/// after it of the least of `gain[i..j]`.
fn sums_of_least_gains(gain: &[usize]) -> Vec<usize> {
    let mut sums = vec![0usize; gain.len() + 1];
    // Indexes of gains still waiting for a smaller one to their right,
    // smallest on top.
    let mut smaller: Vec<usize> = Vec::new();
    for i in (0..gain.len()).rev() {
        while smaller.last().is_some_and(|&top| gain[top] >= gain[i]) {
            smaller.pop();
        }
        sums[i] = match smaller.last() {
            // Up to key `next` the least gain is gain[i]; beyond it the
            // least gains are those key `next` sees.
            Some(&next) => gain[i] * (next - i) + sums[next],
            None => gain[i] * (gain.len() - i),
        };
        smaller.push(i);
    }
    sums
}

/// The shortest separator between two leaves (ESE keeps separators short):
/// the shortest prefix of the right page's first key that is above the
/// left page's last key.
fn shortest_separator(left_last: &[u8], right_first: &[u8]) -> Vec<u8> {
    for length in 1..right_first.len() {
        if &right_first[..length] > left_last {
            return right_first[..length].to_vec();
        }
    }
    right_first.to_vec()
}

#[cfg(test)]
mod common_key_tests {
    use super::*;

    /// The definition: every key tried against every other.
    fn by_definition(keys: &[&[u8]]) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, candidate) in keys.iter().enumerate() {
            let saved: usize = keys
                .iter()
                .map(|key| {
                    if std::ptr::eq(key, candidate) {
                        prefix_gain(candidate.len())
                    } else {
                        prefix_gain(common_prefix(candidate, key))
                    }
                })
                .sum();
            if best.is_none_or(|(most, _)| saved > most) {
                best = Some((saved, i));
            }
        }
        best.filter(|(saved, _)| *saved > 0).map(|(_, i)| i)
    }

    #[test]
    fn the_linear_choice_equals_the_definition() {
        let seed = 0x0c0f_fee5_u64;
        println!("seed {seed:#x}");
        let mut state = seed;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for round in 0..2_000 {
            let count = 1 + next(40) as usize;
            let alphabet = 1 + next(4);
            let mut keys: Vec<Vec<u8>> = (0..count)
                .map(|_| {
                    let len = 1 + next(12) as usize;
                    (0..len).map(|_| next(alphabet) as u8).collect()
                })
                .collect();
            keys.sort();
            let refs: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
            let fast = best_common_key(&refs).map(|i| refs[i]);
            let slow = by_definition(&refs).map(|i| refs[i]);
            assert_eq!(fast, slow, "round {round}: {keys:?}");
        }
    }
}
