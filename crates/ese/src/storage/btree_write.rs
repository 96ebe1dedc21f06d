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

use std::borrow::Cow;
use std::cmp::Ordering;

use ese_format::constants::max_key_size;
use ese_format::node::{node, node_count, partition_nodes, KeyProbe, Node};
use ese_format::page::TAG_SIZE;
use ese_format::page::{tag_flags, Page, PageFlags};
use ese_format::page_edit::NO_ROOM;

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::cache::{BufferCache, DatabaseId, LogPosition, PageId, PageRead};
use crate::{Error, Result};

mod compact;
mod hint;
mod layout;
mod merge;
mod redistribute;
mod split;
mod versioned;

pub use compact::CompactStep;
pub use hint::LeafHint;
use hint::PathDown;
pub use layout::max_entry_data;
use layout::*;
use split::Change;
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

/// What a tree's root says of all its pages, fixed for the tree's life:
/// whether its keys may repeat, and its kind flags (index, long values,
/// space tree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeShape {
    pub non_unique: bool,
    kind: u32,
}

/// A node found on a page: its flags (compression excluded) and data.
type FoundNode = (u8, Vec<u8>);

/// An entry's place in its tree (see `TreeWriter::locate`).
struct Located<'e> {
    leaf: u32,
    path: PathDown<'e>,
    position: usize,
    node: Option<FoundNode>,
}

/// What a leaf is left with after a node's removal.
struct LeafLeft {
    flags: PageFlags,
    previous: u32,
    next: u32,
    nodes: usize,
    bytes_used: usize,
}

/// A step of the path from the root down: a branch page and the node
/// followed in it.
#[derive(Clone, Copy, Debug)]
struct Step {
    page: u32,
    index: usize,
}

/// The branch pages from the root down to a leaf: inline for any tree of
/// a realistic depth (a descent per change would allocate otherwise).
type BranchPath = smallvec::SmallVec<[Step; 6]>;

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
    /// The leaf the next change may find its entry in without a descent
    /// (see `hint.rs`).
    hint: std::cell::Cell<Option<LeafHint>>,
    /// The root's kind flags (index, long values, ...), which every page
    /// of the tree carries.
    kind: u32,
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
            hint: std::cell::Cell::new(None),
            kind: 0,
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
        let shape = {
            let page = cache.read(PageId {
                database,
                page: tree.root,
            })?;
            let flags = Page::parse_trusted(page.bytes(), tree.root)?.header().flags;
            TreeShape {
                non_unique: flags.contains(PageFlags::NON_UNIQUE_KEYS),
                kind: hint::kind_of(flags),
            }
        };
        Self::with_shape(cache, database, tree, density, allocator, shape)
    }

    /// [`Self::open`] for a tree whose shape the caller learned from an
    /// earlier writer (a tree keeps it for life), without reading its root.
    pub fn with_shape(
        cache: &'a BufferCache,
        database: DatabaseId,
        tree: Tree,
        density: u32,
        allocator: &'a mut dyn PageAllocator,
        shape: TreeShape,
    ) -> Result<Self> {
        let mut writer = Self::new(cache, database, tree, density, allocator)?;
        writer.non_unique = shape.non_unique;
        writer.kind = shape.kind;
        Ok(writer)
    }

    /// What every page of the tree says of its kind (see [`TreeShape`]).
    pub fn shape(&self) -> TreeShape {
        TreeShape {
            non_unique: self.non_unique,
            kind: self.kind,
        }
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
        writer.kind = hint::kind_of(flags);
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
    fn descend(&self, key: &[u8]) -> Result<(u32, BranchPath)> {
        self.descend_to_leaf(key)
            .map(|(number, path, _)| (number, path))
    }

    /// [`Self::descend`], with the leaf still latched for reading (so that
    /// a search in it does not look the page up again).
    fn descend_to_leaf(&self, key: &[u8]) -> Result<(u32, BranchPath, PageRead)> {
        let mut path = BranchPath::new();
        let mut number = self.tree.root;
        for _ in 0..16 {
            let page = self.cache.read(self.id(number))?;
            let parsed = Page::parse_trusted(page.bytes(), number)?;
            if parsed.header().object_id != self.tree.object_id {
                return Err(Error::new(JET_errBadParentPageLink).with_page(number));
            }
            if parsed.header().flags.is_leaf() {
                return Ok((number, path, page));
            }
            let count = node_count(&parsed);
            if count == 0 {
                return Err(Error::new(JET_errBadEmptyPage).with_page(number));
            }
            // The first node whose key is greater than the key sought.
            let probe = KeyProbe::new(&parsed, key);
            let low = partition_nodes(&parsed, count - 1, |n| {
                probe.compare(n) != Ordering::Greater
            })?;
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
        let order = self.order_of(data);
        // ESE reports an insert that meets another transaction's version
        // as a duplicate key, not as a write conflict.
        let before_len = existing.as_ref().map_or(0, |(_, d)| d.len());
        self.check_version(key, order, before_len).map_err(|e| {
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
            self.record_version(key, order, NodeChange::Reinsert { before });
            return Ok(());
        }
        // The common case: the node fits the page as it stands; else a
        // neighbour may have room, else the page splits.
        if !self.try_insert_in_place(leaf, position, key, data, flags)? {
            let item = Item {
                key: ItemKey::from_slice(key),
                data: Cow::Borrowed(data),
                flags,
            };
            let path = self.path_down(leaf, path)?;
            if !self.try_redistribute(leaf, &path, Change::Insert(position), &item)? {
                // The nodes borrow the page as it stands (the split copies
                // most of them as stored lines; the page's own edits then
                // work on a copy of it, as they would for the split's
                // snapshot anyway).
                let snapshot = self.cache.read(self.id(leaf))?.snapshot();
                let (mut items, _) = read_items_in(&snapshot, leaf)?;
                let appending = position == items.len();
                items.insert(position, item);
                self.split(leaf, path, items, appending, Change::Insert(position))?;
            }
        }
        self.record_version(key, order, NodeChange::Insert);
        Ok(())
    }

    /// Where the entry (key, data) is or would go: its leaf, the path down
    /// to it and its position there, with the node when it is there
    /// (flagged deleted or not).
    fn locate<'e>(&self, key: &'e [u8], data: &'e [u8]) -> Result<Located<'e>> {
        if let Some(located) = self.locate_by_hint(key, data)? {
            return Ok(located);
        }
        let (leaf, path, page) = if self.non_unique {
            // On the stack: a secondary index's entry is searched by its
            // key and the record's bookmark, on every insert.
            let mut search: smallvec::SmallVec<[u8; 256]> = smallvec::SmallVec::from_slice(key);
            search.extend_from_slice(data);
            self.descend_to_leaf(&search)?
        } else {
            self.descend_to_leaf(key)?
        };
        let (position, node) = self.find_node_in_page(page.bytes(), leaf, key, data)?;
        drop(page);
        self.note_descent(leaf);
        Ok(Located {
            leaf,
            path: PathDown::Known(path),
            position,
            node,
        })
    }

    /// Where the entry (key, data) is or would go among the nodes of page
    /// `number`, found without copying them out, with the node's flags
    /// (compression excluded) and data when it is there, deleted or not.
    fn find_node_in_page(
        &self,
        bytes: &[u8],
        number: u32,
        key: &[u8],
        data: &[u8],
    ) -> Result<(usize, Option<FoundNode>)> {
        let page = Page::parse_trusted(bytes, number)?;
        let count = node_count(&page);
        let probe = KeyProbe::new(&page, key);
        let order = |n: &Node<'_>| {
            let by_key = probe.compare(n);
            if self.non_unique {
                by_key.then_with(|| n.data.cmp(data))
            } else {
                by_key
            }
        };
        let position = partition_nodes(&page, count, |n| order(n) == Ordering::Less)
            .map_err(|e| e.in_page(number))?;
        if position == count {
            return Ok((position, None));
        }
        let n = node(&page, position).map_err(|e| e.in_page(number))?;
        if order(&n) != Ordering::Equal {
            return Ok((position, None));
        }
        Ok((
            position,
            Some((n.flags & !tag_flags::COMPRESSED, n.data.to_vec())),
        ))
    }

    fn try_insert_in_place(
        &mut self,
        number: u32,
        position: usize,
        key: &[u8],
        data: &[u8],
        flags: u8,
    ) -> Result<bool> {
        let mut page = self.cache.write(self.id(number))?;
        let mut edit = page.edit()?;
        let shared = if edit.header().flags.is_root() {
            0
        } else {
            edit.line(0)
                .map_or(0, |(common, _)| common_prefix(key, common))
        };
        if !edit.can_insert(line_size(key.len(), data.len(), shared)) {
            return Ok(false);
        }
        let flags = line_flags(flags, shared);
        with_line_buffer(|line| {
            encode_line_into(line, key, data, shared);
            edit.insert_line(position + 1, line, flags)
        })?;
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
        path: PathDown<'_>,
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
            key: ItemKey::from_slice(key),
            data: Cow::Borrowed(data),
            flags,
        };
        {
            let mut page = self.cache.write(self.id(leaf))?;
            let mut edit = page.edit()?;
            // Only the page's common key is needed to encode the node.
            let common = edited_common_key(&edit);
            let line = encode_node(&item, &common);
            if edit.can_replace(position + 1, line.len()) {
                edit.replace_line(position + 1, &line, node_flags(&item, &common))?;
                edit.set_db_time(self.db_time);
                page.mark_dirty(self.position);
                return Ok(());
            }
        }
        // The grown node no longer fits: make room as an insert would, so
        // the entry is never absent from the tree.
        let path = self.path_down(leaf, path)?;
        if self.try_redistribute(leaf, &path, Change::Replace(position), &item)? {
            return Ok(());
        }
        let snapshot = self.cache.read(self.id(leaf))?.snapshot();
        let (mut items, _) = read_items_in(&snapshot, leaf)?;
        items[position] = item;
        self.split(leaf, path, items, false, Change::Replace(position))
    }

    /// Makes room for `new` in full leaf `leaf` by moving nodes to a
    /// neighbour (see `redistribute`); false, with nothing changed, when
    /// the leaf must split instead.
    fn try_redistribute(
        &mut self,
        leaf: u32,
        path: &[Step],
        change: Change,
        new: &Item,
    ) -> Result<bool> {
        match self.copyable_page(leaf, change)? {
            Some(copyable) => self.redistribute(leaf, path, &copyable, new),
            None => Ok(false),
        }
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
    fn purge_at(&mut self, leaf: u32, path: PathDown<'_>, position: usize) -> Result<()> {
        let left = self.delete_in_leaf(leaf, position)?;
        if self.leaf_to_settle(leaf, &left)? {
            self.settle_leaf(leaf, path, left)?;
        }
        Ok(())
    }

    /// Deletes the node at `position` of `leaf` in place (the first half
    /// of [`Self::purge_at`]), saying what the page is left with.
    fn delete_in_leaf(&mut self, leaf: u32, position: usize) -> Result<LeafLeft> {
        let mut page = self.cache.write(self.id(leaf))?;
        let mut edit = page.edit()?;
        edit.delete_line(position + 1)?;
        edit.set_db_time(self.db_time);
        let header = edit.header();
        let left = LeafLeft {
            flags: header.flags,
            previous: header.previous_page,
            next: header.next_page,
            nodes: edit.line_count().saturating_sub(1),
            bytes_used: self.page_capacity().saturating_sub(edit.free_bytes()),
        };
        page.mark_dirty(self.position);
        Ok(left)
    }

    /// Whether a leaf left so needs no release or merge: the root, or a
    /// page still over half full (merging is for pages left under a
    /// quarter full: one over half full could get there only with a far
    /// better common key than its own, so its entries are not read out).
    fn leaf_stands(&self, left: &LeafLeft) -> bool {
        left.flags.is_root() || (left.nodes > 0 && left.bytes_used * 2 > self.page_capacity())
    }

    /// Whether leaf `number`, left so, has anything to settle: it is
    /// empty, or light enough that [`Self::maybe_merge`] might merge it
    /// (under a quarter full in a fresh page even if every key came whole
    /// from the common key: a bound found on the page's nodes as they lie,
    /// without reading them out).
    fn leaf_to_settle(&self, number: u32, left: &LeafLeft) -> Result<bool> {
        if self.leaf_stands(left) {
            return Ok(false);
        }
        if left.nodes == 0 {
            return Ok(true);
        }
        let page = self.cache.read(self.id(number))?;
        let parsed = Page::parse_trusted(page.bytes(), number)?;
        let mut least = TAG_SIZE;
        for index in 0..node_count(&parsed) {
            let n = node(&parsed, index).map_err(|e| e.in_page(number))?;
            let (key, data) = (n.key_len(), n.data.len());
            least += TAG_SIZE + line_size(key, data, 0).min(line_size(key, data, key));
        }
        let light = least * 4 <= self.page_capacity();
        if cfg!(debug_assertions) && !light {
            // The bound never hides a merge the nodes read out would allow.
            let (items, _) = read_items(page.bytes(), number)?;
            debug_assert!(self.page_bytes_needed(&items, false, 0) >= least);
        }
        Ok(light)
    }

    /// The second half of [`Self::purge_at`], for a leaf
    /// [`Self::leaf_to_settle`] accepted: releases the leaf when it was
    /// left empty, or merges it when light.
    fn settle_leaf(&mut self, leaf: u32, path: PathDown<'_>, left: LeafLeft) -> Result<()> {
        let path = self.path_down(leaf, path)?;
        if left.nodes == 0 {
            return self.remove_page(leaf, &path, left.previous, left.next);
        }
        // Light: its entries are read out only now, to merge.
        let (items, _) = {
            let page = self.cache.read(self.id(leaf))?;
            read_items(page.bytes(), leaf)?
        };
        self.maybe_merge(leaf, path, &items, left.previous, left.next)
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
        let mut edit = page.init(self.tree.object_id, flags, self.db_time)?;
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
}
