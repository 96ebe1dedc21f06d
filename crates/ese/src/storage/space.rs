//! Space management as ESE stores it (ESE: space): every tree root (FDP)
//! owns pages, either one small extent described by the availability
//! bitmap of its space header, or any number of extents listed in its
//! owned-extent (OE) tree, with the free ones in its available-extent (AE)
//! tree. Pages flow down a hierarchy: the database root (page 1) owns the
//! file, tables take extents from it, indexes and long-value trees from
//! their table.
//!
//! The rules, from ESE's `space.cxx` (names in parentheses):
//!
//! - A page request takes the first free page: the lowest set bit of a
//!   single-extent bitmap (`ErrSPISmallGetPage`), or the first page of the
//!   first available extent (`ErrSPIAEGetAnyPage`); an extent left empty
//!   loses its node.
//! - A single-extent object that cannot satisfy a request converts to
//!   multiple extents (`ErrSPIConvertToMultipleExtent`): it takes an extent
//!   of `max(request, minimum + 2)` pages from its parent, whose first two
//!   pages become the OE and AE roots; the OE then lists the primary and
//!   the new extent, the AE the free bitmap pages (in runs) and the rest of
//!   the new extent.
//! - A multiple-extent object with no available page gets a secondary
//!   extent from its parent (`ErrSPIGetSe`). For a page request it is
//!   `max(request, 4)` when the object is small (a version-1 header with a
//!   primary extent under 16 pages, a root that is a leaf or a parent of
//!   fewer than 16 leaves, and at most 16 pages owned), otherwise
//!   `max(request, primary / 4 or the last allocation, 16)`; at least the
//!   last allocation (no space hints: growth 0 %); the header then records
//!   the size (version 2, `ErrSPIImproveLastAlloc`). A request passed up
//!   by a child is passed through unchanged.
//! - A parent hands out extents from its own AE only when it is the
//!   database root or one of the base system objects (catalog, its
//!   indexes, its shadow: `FCATBaseSystemFDP`), first fit, from the low
//!   end; otherwise it first gets a secondary extent from its own parent
//!   and hands that down (`ErrSPIGetExt`). The whole extent goes when less
//!   would remain than `cpgSmallGrow` (4, database root) or the page
//!   fragment (8, others), except for a new object's extent cut from the
//!   first 128 pages of a database smaller than 254 pages
//!   (`FSPIAllocateAllAvail`).
//! - The database root grows the file (`ErrSPIGetFsSe`): by
//!   `max(request, extension size, primary / 4)` rounded up to the
//!   extension size (JET_paramDbExtensionSize, 256 pages by default), with
//!   the file's end aligned to the extension size; the new extent goes into
//!   the root's OE and AE.
//! - A freed page goes back to the bitmap, or to the AE, merged with an
//!   available extent ending just before it or starting just after it
//!   when that extent lies in the same owned extent (never across owned
//!   extents: `ErrSPIAEFreeExt`).
//! - A new object (`ErrSPGetExt` with `fSPNewFDP`, `ErrSPCreate`) gets
//!   `max(pages, 1)` pages from its parent, single extent unless asked
//!   otherwise, with the bitmap marking all but the root free.
//!
//! # Pages for the space trees themselves
//!
//! Inserting into an OE or AE tree may split it. As ESE does, those pages
//! come from the tree's split buffer (line 0 of the space-tree root: two
//! extents reserved for the tree, owned by the object, neither in use nor
//! available), filled before the change when it holds fewer pages than a
//! split can take (`ErrSPIReserveSPBufPagesForSpaceTree`: 2 for a root
//! leaf with less than 100 bytes free, 3 for a parent of leaves, one more
//! per further level, twice that for the OE tree). Where ESE refills from
//! the parent, this module refills from the object's own available space
//! (shrinking an available extent needs no page, so it cannot recurse),
//! and when there is none, carves the refill from the front of the new
//! secondary extent before that extent is entered in the trees. Pages a
//! space tree gives back (merges) return to its split buffer, or else to
//! the available extents once the operation is over. The state on disk is
//! always what ESE and the structure checker accept: every page owned by
//! one object and either in use, available or in a split buffer.
//!
//! # Not done
//!
//! Space hints, the continuous and shelved pools, page-placement hints
//! (ESE prefers a page after the one splitting), the asynchronous
//! pre-extension of the file by a further extension, freeing whole
//! extents back to the parent, and logging.

use std::sync::Arc;

use ese_format::page::{Page, PageFlags};
use ese_format::page_edit::PageMut;
use ese_format::space::{
    pool, space_flags, ExtentNode, SpaceHeader, BITMAP_PAGES, SPLIT_BUFFER_SIZE,
};

use crate::codes::*;
use crate::storage::attach::AttachedDatabase;
use crate::storage::btree::Tree;
use crate::storage::btree_write::{PageAllocator, TreeWriter};
use crate::storage::cache::{BufferCache, CachedDatabase, DatabaseId, PageId};
use crate::storage::io::{FileIo, OsFile};
use crate::{Error, Result};

/// JET_paramDbExtensionSize's default (ESE: cpageDbExtensionDefault).
pub const DEFAULT_EXTENSION_PAGES: u32 = 256;
/// Owned pages below which an object counts as small (ESE: cpgSmallFDP).
pub const SMALL_FDP_PAGES: u32 = 16;
/// The least a small object grows by (ESE: cpgSmallGrow).
pub const SMALL_GROW_PAGES: u32 = 4;
/// The least a large object grows by (ESE: cpageSEDefault).
pub const SECONDARY_EXTENT_DEFAULT: u32 = 16;
/// Divider of the primary extent giving a secondary one (ESE: cSecFrac).
pub const SECONDARY_FRACTION: u32 = 4;
/// Pages a conversion adds for the OE and AE roots (ESE:
/// cpgMultipleExtentConvert).
pub const CONVERT_EXTRA_PAGES: u32 = 2;
/// JET_paramPageFragment's default.
pub const PAGE_FRAGMENT: u32 = 8;
/// A database below this many pages keeps new objects' extents exact in
/// its first 128 pages (ESE: cpgSmallDbSpaceSize, pgnoSmallDbSpaceStart).
pub const SMALL_DATABASE_PAGES: u32 = 254;
pub const SMALL_DATABASE_SPACE_START: u32 = 128;
/// Pages of a multiple-extent object's primary extent at least (root, OE,
/// AE: ESE cpgMultipleExtentMin).
pub const MULTIPLE_EXTENT_MIN: u32 = 3;

/// The database root's page and object id.
pub const ROOT_PAGE: u32 = 1;
const FLUSH_TYPE_1: u32 = 0x8000;
/// Roots of the objects that carve their children's extents from their own
/// available space (ESE: FCATBaseSystemFDP).
const BASE_SYSTEM_ROOTS: [u32; 5] = [1, 4, 7, 10, 24];

/// An extent: `count` pages ending at `last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    pub last: u32,
    pub count: u32,
}

impl Extent {
    pub fn first(&self) -> u32 {
        self.last + 1 - self.count
    }
}

/// The two reserved extents at line 0 of a space-tree root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct SplitBuffer {
    slots: [(u32, u32); 2],
}

impl SplitBuffer {
    fn decode(line: &[u8]) -> SplitBuffer {
        if line.len() != SPLIT_BUFFER_SIZE {
            return SplitBuffer::default();
        }
        let word = |i: usize| u32::from_le_bytes([line[i], line[i + 1], line[i + 2], line[i + 3]]);
        SplitBuffer {
            slots: [(word(0), word(4)), (word(8), word(12))],
        }
    }

    fn encode(&self) -> [u8; SPLIT_BUFFER_SIZE] {
        let mut out = [0u8; SPLIT_BUFFER_SIZE];
        for (i, (last, count)) in self.slots.iter().enumerate() {
            let (last, count) = if *count == 0 { (0, 0) } else { (*last, *count) };
            out[i * 8..i * 8 + 4].copy_from_slice(&last.to_le_bytes());
            out[i * 8 + 4..i * 8 + 8].copy_from_slice(&count.to_le_bytes());
        }
        out
    }

    fn total(&self) -> u32 {
        self.slots.iter().map(|s| s.1).sum()
    }

    /// How many contiguous pages to add so that the buffer holds `need`:
    /// with both slots in use, the smaller one's pages go back when new
    /// ones arrive (see `add_to_split_buffer`), so the new run must make
    /// up the need beside the larger slot alone. Adding the result in one
    /// run always reaches `need`, however fragmented the free space is.
    fn shortfall(&self, need: u32) -> u32 {
        if self.total() >= need {
            0
        } else if self.slots.iter().any(|s| s.1 == 0) {
            need - self.total()
        } else {
            need - self.slots.iter().map(|s| s.1).max().unwrap_or(0)
        }
    }
}

/// Hands a space tree's split buffer out to its [`TreeWriter`]; pages the
/// tree gives back that the buffer cannot hold wait in `overflow`.
struct SplitBufferAllocator {
    buffer: SplitBuffer,
    overflow: Vec<u32>,
}

impl PageAllocator for SplitBufferAllocator {
    fn allocate(&mut self) -> Result<u32> {
        for slot in self.buffer.slots.iter_mut() {
            if slot.1 > 0 {
                let page = slot.0 + 1 - slot.1;
                slot.1 -= 1;
                return Ok(page);
            }
        }
        Err(Error::new(JET_errSPAvailExtCorrupted)
            .with_detail("a space tree split found its split buffer empty"))
    }

    fn release(&mut self, page: u32) -> Result<()> {
        for slot in self.buffer.slots.iter_mut() {
            if slot.1 > 0 && page == slot.0 + 1 {
                *slot = (page, slot.1 + 1);
                return Ok(());
            }
            if slot.1 > 0 && page + slot.1 == slot.0 {
                slot.1 += 1;
                return Ok(());
            }
        }
        if let Some(slot) = self.buffer.slots.iter_mut().find(|s| s.1 == 0) {
            *slot = (page, 1);
            return Ok(());
        }
        self.overflow.push(page);
        Ok(())
    }
}

/// A change to one extent tree.
enum TreeChange {
    Insert(Extent),
    Replace(Extent),
    Delete(u32),
}

/// What a tree root says about its space.
#[derive(Clone, Copy, Debug)]
struct Root {
    header: SpaceHeader,
    object_id: u32,
    /// Index / long-value bits its trees' pages carry.
    kind_flags: u32,
    flags: PageFlags,
    lines: usize,
}

/// Space management for one attached database.
pub struct SpaceManager {
    cache: Arc<BufferCache>,
    database: DatabaseId,
    page_size: usize,
    extension_pages: u32,
    /// The database file, for growing it.
    file: Arc<OsFile>,
    /// Database pages the file holds.
    file_pages: u32,
    db_time: u64,
    last_object_id: u32,
    /// Pages space trees gave back, to free once the operation is over.
    deferred: Vec<(u32, u32)>,
    in_operation: bool,
}

impl std::fmt::Debug for SpaceManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpaceManager")
            .field("file_pages", &self.file_pages)
            .field("extension_pages", &self.extension_pages)
            .field("last_object_id", &self.last_object_id)
            .finish()
    }
}

impl SpaceManager {
    /// JET_paramDbExtensionSize changed: the file grows by `pages` from
    /// now on (at least one).
    pub fn set_extension_pages(&mut self, pages: u32) {
        self.extension_pages = pages.max(1);
    }

    /// Manages `attached`'s space; the file grows by `extension_pages`
    /// (JET_paramDbExtensionSize) at a time. Before detaching, hand the
    /// manager's [`Self::last_object_id`] and [`Self::db_time`] to
    /// [`AttachedDatabase::record_progress`] so the header says them.
    pub fn new(attached: &AttachedDatabase, extension_pages: u32) -> Result<Self> {
        if attached.is_read_only() {
            return Err(Error::new(JET_errDatabaseFileReadOnly)
                .with_detail("space cannot change in a database attached read-only"));
        }
        if extension_pages == 0 {
            return Err(
                Error::new(JET_errInvalidParameter).with_detail("an extension size of 0 pages")
            );
        }
        let file = attached.file();
        let length = file.len()?;
        let page_size = attached.page_size();
        let file_pages = u32::try_from((length / page_size as u64).saturating_sub(2))
            .map_err(|_| Error::new(JET_errFileIOBeyondEOF))?;
        Ok(SpaceManager {
            cache: attached.cache().clone(),
            database: attached.id(),
            page_size,
            extension_pages,
            file,
            file_pages,
            db_time: attached.header().db_time,
            last_object_id: attached.header().last_object_id,
            deferred: Vec::new(),
            in_operation: false,
        })
    }

    /// The database time stamped on the last page changed (the header must
    /// record at least this at detach).
    pub fn db_time(&self) -> u64 {
        self.db_time
    }

    /// The highest object id handed out.
    pub fn last_object_id(&self) -> u32 {
        self.last_object_id
    }

    /// Database pages in the file.
    pub fn file_pages(&self) -> u32 {
        self.file_pages
    }

    pub fn page_size(&self) -> usize {
        self.page_size
    }

    /// The next database time.
    pub fn tick(&mut self) -> u64 {
        self.db_time += 1;
        self.db_time
    }

    /// A [`PageAllocator`] for the tree rooted at `fdp`.
    pub fn allocator(&mut self, fdp: u32) -> FdpAllocator<'_> {
        FdpAllocator { space: self, fdp }
    }

    fn id(&self, page: u32) -> PageId {
        PageId {
            database: self.database,
            page,
        }
    }

    fn source(&self) -> CachedDatabase {
        CachedDatabase::new(self.cache.clone(), self.database, self.file_pages)
    }

    fn root(&self, fdp: u32) -> Result<Root> {
        let page = self.cache.read(self.id(fdp))?;
        let parsed = Page::parse(page.bytes(), fdp)?;
        let h = *parsed.header();
        if !h.flags.is_root() {
            return Err(Error::new(JET_errSPOwnExtCorrupted)
                .with_page(fdp)
                .with_detail("the page is not a tree root"));
        }
        let header = SpaceHeader::decode(parsed.line(0).unwrap_or(&[]))?;
        Ok(Root {
            header,
            object_id: h.object_id,
            kind_flags: h.flags.0 & (PageFlags::INDEX | PageFlags::LONG_VALUE),
            flags: h.flags,
            lines: ese_format::node::node_count(&parsed),
        })
    }

    /// Rewrites line 0 of `page`.
    fn set_line0(&mut self, page_number: u32, line: &[u8]) -> Result<()> {
        let db_time = self.tick();
        let mut page = self.cache.write(self.id(page_number))?;
        let mut edit = page.edit()?;
        edit.set_external_header(line)?;
        edit.set_db_time(db_time);
        page.mark_dirty(1);
        Ok(())
    }

    fn set_header(&mut self, fdp: u32, header: &SpaceHeader) -> Result<()> {
        self.set_line0(fdp, &header.encode())
    }

    fn split_buffer(&self, tree_root: u32) -> Result<SplitBuffer> {
        let page = self.cache.read(self.id(tree_root))?;
        let parsed = Page::parse(page.bytes(), tree_root)?;
        Ok(SplitBuffer::decode(parsed.line(0).unwrap_or(&[])))
    }

    /// The general-pool extents of an extent tree, in key order.
    fn extents(&self, tree: Tree, available: bool) -> Result<Vec<Extent>> {
        let source = self.source();
        let mut out = Vec::new();
        for entry in tree.entries(&source) {
            let entry = entry?;
            let node = ExtentNode::decode(&entry.key, &entry.data, available)?;
            if node.pool == pool::GENERAL && node.count > 0 {
                out.push(Extent {
                    last: node.last,
                    count: node.count as u32,
                });
            }
        }
        Ok(out)
    }

    /// The general-pool extent of `tree` with the lowest last page at or
    /// after `page` (empty extents skipped), found by a seek.
    fn extent_at_or_after(&self, tree: Tree, available: bool, page: u32) -> Result<Option<Extent>> {
        let source = self.source();
        let mut probe = key(page);
        loop {
            let Some(entry) = tree.first_at_or_after(&source, &probe, &[])? else {
                return Ok(None);
            };
            let node = ExtentNode::decode(&entry.key, &entry.data, available)?;
            if node.pool != pool::GENERAL {
                // The other pools' keys sort after every general one.
                return Ok(None);
            }
            if node.count > 0 {
                return Ok(Some(Extent {
                    last: node.last,
                    count: node.count as u32,
                }));
            }
            let Some(next) = node.last.checked_add(1) else {
                return Ok(None);
            };
            probe = key(next);
        }
    }

    fn trees(root: &Root) -> Result<(Tree, Tree)> {
        let (oe, ae) = root.header.extent_tree_roots().ok_or_else(|| {
            Error::new(JET_errInternalError)
                .with_detail("a single-extent object has no extent trees")
        })?;
        Ok((Tree::new(oe, root.object_id), Tree::new(ae, root.object_id)))
    }

    /// Pages a split of the space tree at `tree_root` can take (ESE:
    /// cpgMaxRootPageSplit, cpgMaxParentOfLeafRootSplit,
    /// cpgMaxSpaceTreeSplit).
    fn pages_for_split(&self, tree: Tree) -> Result<u32> {
        let page = self.cache.read(self.id(tree.root))?;
        let parsed = Page::parse(page.bytes(), tree.root)?;
        let flags = parsed.header().flags;
        if flags.is_leaf() {
            let mut copy = page.bytes().to_vec();
            let free = PageMut::open(&mut copy, tree.root)?.free_bytes();
            return Ok(if free < 100 { 2 } else { 0 });
        }
        if flags.contains(PageFlags::PARENT_OF_LEAF) {
            return Ok(3);
        }
        // One page per level below the root, and two for the root.
        let mut depth = 1;
        let source = self.source();
        let mut number = tree.root;
        loop {
            let bytes = source_page(&source, number)?;
            let parsed = Page::parse(&bytes, number)?;
            if parsed.header().flags.is_leaf() || depth > 16 {
                break;
            }
            let child = ese_format::node::node(&parsed, 0)?.child_page()?;
            number = child;
            depth += 1;
        }
        Ok((depth + 1).max(4))
    }

    /// Applies one change to an extent tree of `fdp`, reserving split pages
    /// first when the change may need them.
    fn change_tree(&mut self, fdp: u32, owned: bool, change: TreeChange) -> Result<()> {
        let root = self.root(fdp)?;
        let (oe, ae) = Self::trees(&root)?;
        let tree = if owned { oe } else { ae };
        if let TreeChange::Insert(_) = change {
            self.reserve(fdp, owned)?;
        }
        let mut allocator = SplitBufferAllocator {
            buffer: self.split_buffer(tree.root)?,
            overflow: Vec::new(),
        };
        let before = allocator.buffer;
        let db_time = self.tick();
        {
            let mut writer =
                TreeWriter::new(&self.cache, self.database, tree, 100, &mut allocator)?;
            writer.set_time(db_time, 1);
            match change {
                TreeChange::Insert(e) => {
                    writer.insert(&key(e.last), &(e.count as i32).to_le_bytes())
                }
                TreeChange::Replace(e) => {
                    writer.replace(&key(e.last), &(e.count as i32).to_le_bytes())
                }
                TreeChange::Delete(last) => writer.delete(&key(last)),
            }?;
        }
        // The writer may have rebuilt the root with the buffer it read
        // before taking pages: the buffer in memory is the truth.
        let current = self.split_buffer(tree.root)?;
        if current != allocator.buffer || before != allocator.buffer {
            self.set_line0(tree.root, &allocator.buffer.encode())?;
        }
        for page in allocator.overflow {
            self.deferred.push((fdp, page));
        }
        Ok(())
    }

    /// Makes sure the split buffer of `fdp`'s OE (`owned`) or AE tree holds
    /// the pages a split of that tree can take.
    fn reserve(&mut self, fdp: u32, owned: bool) -> Result<()> {
        for _ in 0..64 {
            let root = self.root(fdp)?;
            let (oe, ae) = Self::trees(&root)?;
            let tree = if owned { oe } else { ae };
            let need = self.pages_for_split(tree)? * if owned { 2 } else { 1 };
            let buffer = self.split_buffer(tree.root)?;
            let wanted = buffer.shortfall(need);
            if wanted == 0 {
                return Ok(());
            }
            // One contiguous run of the pages wanted: the buffer's two
            // slots cannot gather single pages of fragmented free space.
            let available = self.extents(ae, true)?;
            let Some(extent) = available.iter().find(|e| e.count >= wanted).copied() else {
                // Nothing large enough: a secondary extent arrives with the
                // split buffers already filled from its front.
                self.add_secondary_extent(fdp, wanted, wanted, false)?;
                continue;
            };
            let take = wanted.min(extent.count);
            let first = extent.first();
            if take == extent.count {
                self.change_tree(fdp, false, TreeChange::Delete(extent.last))?;
            } else {
                self.change_tree(
                    fdp,
                    false,
                    TreeChange::Replace(Extent {
                        last: extent.last,
                        count: extent.count - take,
                    }),
                )?;
            }
            self.add_to_split_buffer(fdp, tree.root, first, take)?;
        }
        Err(Error::new(JET_errInternalError).with_detail("split buffers could not be filled"))
    }

    /// Puts pages `first..first+count` (owned by `fdp`, in use by nothing)
    /// into the split buffer of the space tree rooted at `tree_root`.
    fn add_to_split_buffer(
        &mut self,
        fdp: u32,
        tree_root: u32,
        first: u32,
        count: u32,
    ) -> Result<()> {
        let mut buffer = self.split_buffer(tree_root)?;
        let last = first + count - 1;
        let slot = if let Some(i) = buffer
            .slots
            .iter()
            .position(|s| s.1 > 0 && s.0 + 1 == first)
        {
            buffer.slots[i] = (last, buffer.slots[i].1 + count);
            None
        } else if let Some(i) = buffer.slots.iter().position(|s| s.1 == 0) {
            Some(i)
        } else {
            // Both slots hold pages: the smaller one's go back to the
            // available extents.
            let i = if buffer.slots[0].1 <= buffer.slots[1].1 {
                0
            } else {
                1
            };
            let (old_last, old_count) = buffer.slots[i];
            for page in old_last + 1 - old_count..=old_last {
                self.deferred.push((fdp, page));
            }
            Some(i)
        };
        if let Some(i) = slot {
            buffer.slots[i] = (last, count);
        }
        self.set_line0(tree_root, &buffer.encode())
    }

    /// Runs `operation` as one top-level space operation: pages space trees
    /// gave back are freed once it is over.
    fn operation<T>(&mut self, operation: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.in_operation {
            return operation(self);
        }
        self.in_operation = true;
        let outcome = operation(self).and_then(|value| {
            while let Some((fdp, page)) = self.deferred.pop() {
                self.free_page_inner(fdp, page)?;
            }
            Ok(value)
        });
        self.deferred.clear();
        self.in_operation = false;
        outcome
    }

    // ----------------------------------------------------------------
    // Pages

    /// A page for the tree rooted at `fdp` (ESE: ErrSPGetPage).
    pub fn get_page(&mut self, fdp: u32) -> Result<u32> {
        self.operation(|s| s.get_page_inner(fdp))
    }

    fn get_page_inner(&mut self, fdp: u32) -> Result<u32> {
        let root = self.root(fdp)?;
        if !root.header.is_multiple_extent() {
            let mut header = root.header;
            let covered = root
                .header
                .primary_pages
                .saturating_sub(1)
                .min(BITMAP_PAGES);
            if let Some(bit) = (0..covered).find(|&b| header.last_word & (1 << b) != 0) {
                header.last_word &= !(1 << bit);
                self.set_header(fdp, &header)?;
                return Ok(fdp + 1 + bit);
            }
            self.convert_to_multiple_extent(fdp, 1, 1)?;
        }
        for _ in 0..8 {
            let root = self.root(fdp)?;
            let (_, ae) = Self::trees(&root)?;
            // The lowest available extent, by a seek rather than a walk.
            if let Some(extent) = self.extent_at_or_after(ae, true, 0)? {
                let page = extent.first();
                if extent.count == 1 {
                    self.change_tree(fdp, false, TreeChange::Delete(extent.last))?;
                } else {
                    self.change_tree(
                        fdp,
                        false,
                        TreeChange::Replace(Extent {
                            last: extent.last,
                            count: extent.count - 1,
                        }),
                    )?;
                }
                return Ok(page);
            }
            self.add_secondary_extent(fdp, 1, 1, true)?;
        }
        Err(Error::new(JET_errOutOfDatabaseSpace).with_page(fdp))
    }

    /// Gives every page the object rooted at `fdp` owns (its own tree, its
    /// space trees, and the objects that took pages from it) back to the
    /// object it took them from, `parent` (ESE: ErrSPFreeFDP). The pages
    /// go one by one, merging into the parent's available extents.
    pub fn free_tree(&mut self, parent: u32, fdp: u32) -> Result<()> {
        let owned = self.describe(fdp)?.owned;
        for extent in owned {
            for page in extent.first()..=extent.last {
                self.free_page(parent, page)?;
            }
        }
        Ok(())
    }

    /// Gives a page of the tree rooted at `fdp` back (ESE: ErrSPFreeExt).
    pub fn free_page(&mut self, fdp: u32, page: u32) -> Result<()> {
        self.operation(|s| s.free_page_inner(fdp, page))
    }

    fn free_page_inner(&mut self, fdp: u32, page: u32) -> Result<()> {
        let root = self.root(fdp)?;
        if !root.header.is_multiple_extent() {
            let mut header = root.header;
            let bit = page
                .checked_sub(fdp + 1)
                .filter(|&b| b < root.header.primary_pages.saturating_sub(1) && b < BITMAP_PAGES);
            if let Some(bit) = bit {
                header.last_word |= 1 << bit;
                return self.set_header(fdp, &header);
            }
            if page > fdp + BITMAP_PAGES && page < fdp + root.header.primary_pages {
                return Ok(()); // beyond the bitmap: always available
            }
            return Err(Error::new(JET_errSPOwnExtCorrupted)
                .with_page(page)
                .with_detail(format!(
                    "freeing a page the object at page {fdp} does not own"
                )));
        }
        let (oe, ae) = Self::trees(&root)?;
        let not_owned = || {
            Error::new(JET_errSPOwnExtCorrupted)
                .with_page(page)
                .with_detail(format!(
                    "freeing a page the object at page {fdp} does not own"
                ))
        };
        // Extents are keyed by their last page: the owned extent holding
        // the page, and an available one holding it or starting right after
        // it, are each the first extent ending at or after a page. Seeks,
        // not walks of the whole trees, so that freeing stays cheap however
        // fragmented the space is.
        let owned = self
            .extent_at_or_after(oe, false, page)?
            .filter(|e| e.first() <= page)
            .ok_or_else(not_owned)?;
        let after = self.extent_at_or_after(ae, true, page)?;
        if after.is_some_and(|e| e.first() <= page) {
            return Err(Error::new(JET_errSPAvailExtCorrupted)
                .with_page(page)
                .with_detail("freeing a page that is already available"));
        }
        let left = match page.checked_sub(1) {
            Some(before) if page > owned.first() => self
                .extent_at_or_after(ae, true, before)?
                .filter(|e| e.last == before),
            _ => None,
        };
        let right = after.filter(|e| page < owned.last && e.first() == page + 1);
        match (left, right) {
            (Some(l), Some(r)) => {
                self.change_tree(fdp, false, TreeChange::Delete(l.last))?;
                self.change_tree(
                    fdp,
                    false,
                    TreeChange::Replace(Extent {
                        last: r.last,
                        count: r.count + l.count + 1,
                    }),
                )
            }
            (None, Some(r)) => self.change_tree(
                fdp,
                false,
                TreeChange::Replace(Extent {
                    last: r.last,
                    count: r.count + 1,
                }),
            ),
            (Some(l), None) => {
                // Re-keyed on the new last page.
                self.change_tree(fdp, false, TreeChange::Delete(l.last))?;
                self.change_tree(
                    fdp,
                    false,
                    TreeChange::Insert(Extent {
                        last: page,
                        count: l.count + 1,
                    }),
                )
            }
            (None, None) => self.change_tree(
                fdp,
                false,
                TreeChange::Insert(Extent {
                    last: page,
                    count: 1,
                }),
            ),
        }
    }

    // ----------------------------------------------------------------
    // Extents

    /// `count` pages (at least `min`) from the tree rooted at `parent` for
    /// a child; `new_object` when they will make a new tree (ESE:
    /// ErrSPIGetExt). Returns (first page, count).
    fn get_extent(
        &mut self,
        parent: u32,
        request: u32,
        min: u32,
        new_object: bool,
    ) -> Result<(u32, u32)> {
        let root = self.root(parent)?;
        if !root.header.is_multiple_extent() {
            let mut header = root.header;
            let covered = header.primary_pages.saturating_sub(1).min(BITMAP_PAGES);
            if min <= BITMAP_PAGES {
                let mask = if min >= 32 {
                    u32::MAX
                } else {
                    (1u32 << min) - 1
                };
                let mut bit = 0;
                while bit + min <= covered {
                    if header.last_word & (mask << bit) == mask << bit {
                        header.last_word &= !(mask << bit);
                        self.set_header(parent, &header)?;
                        return Ok((parent + 1 + bit, min));
                    }
                    bit += 1;
                }
            }
            self.convert_to_multiple_extent(parent, request, min)?;
        }
        let root = self.root(parent)?;
        let (_, ae) = Self::trees(&root)?;
        let mut request = request.max(min);
        let found = if BASE_SYSTEM_ROOTS.contains(&parent) {
            self.extents(ae, true)?.into_iter().find(|e| e.count >= min)
        } else {
            None
        };
        let extent = match found {
            Some(e) => {
                request = request.min(e.count);
                e
            }
            None => {
                // A new extent can go wholly to refilling the space trees'
                // split buffers (a small request from a parent whose
                // buffers ran low): then nothing of it is available, nor
                // in the available-extent tree, and another is needed.
                let mut added = self.add_secondary_extent(parent, request, min, false)?;
                let mut tries = 1;
                while added.count < min.max(1) {
                    if tries == 16 {
                        return Err(Error::new(JET_errSPAvailExtCorrupted)
                            .with_page(parent)
                            .with_detail(
                                "sixteen new extents in a row went to the split buffers",
                            ));
                    }
                    added = self.add_secondary_extent(parent, request, min, false)?;
                    tries += 1;
                }
                request = request.min(added.count);
                added
            }
        };
        let first = extent.first();
        if self.allocate_all(parent, &extent, request, new_object) {
            request = extent.count;
            self.change_tree(parent, false, TreeChange::Delete(extent.last))?;
        } else {
            self.change_tree(
                parent,
                false,
                TreeChange::Replace(Extent {
                    last: extent.last,
                    count: extent.count - request,
                }),
            )?;
        }
        Ok((first, request))
    }

    /// Whether a request takes the whole available extent (ESE:
    /// FSPIAllocateAllAvail).
    fn allocate_all(&self, parent: u32, extent: &Extent, request: u32, new_object: bool) -> bool {
        if extent.count <= request {
            return true;
        }
        if parent == ROOT_PAGE {
            let mut all = true;
            if new_object
                && self.file_pages < SMALL_DATABASE_PAGES
                && extent.first() < SMALL_DATABASE_SPACE_START
            {
                all = false;
            }
            if extent.count >= request + SMALL_GROW_PAGES {
                all = false;
            }
            all
        } else {
            !(request < PAGE_FRAGMENT || extent.count >= request + PAGE_FRAGMENT)
        }
    }

    /// Gets a secondary extent for `fdp` from its parent (or, for the
    /// database root, by growing the file), enters it in `fdp`'s OE and AE
    /// trees and returns what is available of it (ESE: ErrSPIGetSe,
    /// ErrSPIGetFsSe, ErrSPIAddSecondaryExtent).
    fn add_secondary_extent(
        &mut self,
        fdp: u32,
        request: u32,
        min: u32,
        originating: bool,
    ) -> Result<Extent> {
        let root = self.root(fdp)?;
        let header = root.header;
        let (oe, ae) = Self::trees(&root)?;
        let (first, count) = if fdp == ROOT_PAGE {
            self.grow_file(request, min)?
        } else {
            let size = if originating {
                let size = self.secondary_size(fdp, &root, oe, request)?;
                // The primary extent (version 1) or the last allocation.
                let last_allocation = header.primary_pages;
                let size = size.max(last_allocation);
                if size != last_allocation {
                    let mut improved = header;
                    improved.flags |= space_flags::VERSION_2;
                    improved.primary_pages = size;
                    self.set_header(fdp, &improved)?;
                }
                size
            } else {
                request
            };
            self.get_extent(header.parent_page, size, min, false)?
        };
        let last = first + count - 1;
        // The split buffers are filled from the front of the new extent
        // before it is entered, so that entering it cannot run short.
        let mut next = first;
        for (tree, owned) in [(oe, true), (ae, false)] {
            let need = self.pages_for_split(tree)? * if owned { 2 } else { 1 };
            let buffer = self.split_buffer(tree.root)?;
            if buffer.total() < need {
                let take = buffer.shortfall(need).min(last + 1 - next);
                if take > 0 {
                    self.add_to_split_buffer(fdp, tree.root, next, take)?;
                    next += take;
                }
            }
        }
        self.change_tree(fdp, true, TreeChange::Insert(Extent { last, count }))?;
        let available = Extent {
            last,
            count: last + 1 - next,
        };
        if available.count > 0 {
            self.change_tree(fdp, false, TreeChange::Insert(available))?;
        }
        Ok(available)
    }

    /// The size of a secondary extent for a page request (ESE: ErrSPIGetSe
    /// with fSPOriginatingRequest).
    fn secondary_size(&self, _fdp: u32, root: &Root, oe: Tree, request: u32) -> Result<u32> {
        let header = root.header;
        let version_1 = header.flags & space_flags::VERSION_2 == 0;
        let mut small = false;
        if version_1
            && header.primary_pages < SMALL_FDP_PAGES
            && (root.flags.is_leaf()
                || (root.flags.contains(PageFlags::PARENT_OF_LEAF)
                    && root.lines < SMALL_FDP_PAGES as usize))
        {
            let owned: u32 = self.extents(oe, false)?.iter().map(|e| e.count).sum();
            small = owned <= SMALL_FDP_PAGES;
        }
        Ok(if small {
            request.max(SMALL_GROW_PAGES)
        } else {
            let least = if version_1 {
                header.primary_pages / SECONDARY_FRACTION
            } else {
                header.primary_pages
            };
            request.max(least.max(SECONDARY_EXTENT_DEFAULT))
        })
    }

    /// Grows the file for the database root (ESE: ErrSPIGetFsSe): returns
    /// the new extent (first page, count).
    fn grow_file(&mut self, request: u32, min: u32) -> Result<(u32, u32)> {
        let root = self.root(ROOT_PAGE)?;
        let (oe, _) = Self::trees(&root)?;
        let owned_last = self
            .extents(oe, false)?
            .iter()
            .map(|e| e.last)
            .max()
            .unwrap_or(0);
        let extension = self.extension_pages;
        let primary = root.header.primary_pages;
        let least = if root.header.flags & space_flags::VERSION_2 == 0 {
            primary / SECONDARY_FRACTION
        } else {
            0
        };
        let mut size = request.max(extension).max(least);
        size = size.div_ceil(extension) * extension;
        let overage = (owned_last + 2) % extension;
        if overage != 0 {
            if size > overage && size - overage >= min.max(1) {
                size -= overage;
            } else {
                size += extension - overage;
            }
        }
        let first = owned_last + 1;
        let last = owned_last
            .checked_add(size)
            .filter(|&l| l < ese_format::space::MAX_PAGE_NUMBER)
            .ok_or_else(|| Error::new(JET_errOutOfDatabaseSpace))?;
        if last > self.file_pages {
            let bytes = (u64::from(last) + 2) * self.page_size as u64;
            self.file.set_len(bytes)?;
            self.file_pages = last;
        }
        Ok((first, size))
    }

    /// Converts a single-extent object to multiple extents (ESE:
    /// ErrSPIConvertToMultipleExtent).
    fn convert_to_multiple_extent(&mut self, fdp: u32, request: u32, min: u32) -> Result<()> {
        let root = self.root(fdp)?;
        let header = root.header;
        let min = min + CONVERT_EXTRA_PAGES;
        let request = request.max(min).max(header.primary_pages);
        let (first, count) = self.get_extent(header.parent_page, request, min, false)?;
        let (oe_root, ae_root) = (first, first + 1);
        let mut owned = vec![
            Extent {
                last: fdp + header.primary_pages - 1,
                count: header.primary_pages,
            },
            Extent {
                last: first + count - 1,
                count,
            },
        ];
        owned.sort_by_key(|e| e.last);
        let mut available: Vec<Extent> = Vec::new();
        let covered = header.primary_pages.saturating_sub(1).min(BITMAP_PAGES);
        for bit in 0..covered {
            if header.last_word & (1 << bit) == 0 {
                continue;
            }
            let page = fdp + 1 + bit;
            match available.last_mut() {
                Some(run) if run.last + 1 == page => {
                    run.last = page;
                    run.count += 1;
                }
                _ => available.push(Extent {
                    last: page,
                    count: 1,
                }),
            }
        }
        if header.primary_pages > BITMAP_PAGES + 1 {
            available.push(Extent {
                last: fdp + header.primary_pages - 1,
                count: header.primary_pages - 1 - BITMAP_PAGES,
            });
        }
        if count > 2 {
            available.push(Extent {
                last: first + count - 1,
                count: count - 2,
            });
        }
        available.sort_by_key(|e| e.last);
        let tree_flags = root.kind_flags | PageFlags::SPACE_TREE | FLUSH_TYPE_1;
        for (page, extents) in [(oe_root, &owned), (ae_root, &available)] {
            let db_time = self.tick();
            let mut none = NoPages;
            let mut writer = TreeWriter::create(
                &self.cache,
                self.database,
                Tree::new(page, root.object_id),
                tree_flags,
                100,
                &SplitBuffer::default().encode(),
                &mut none,
            )?;
            writer.set_time(db_time, 1);
            for e in extents.iter() {
                writer.insert(&key(e.last), &(e.count as i32).to_le_bytes())?;
            }
        }
        let mut converted =
            SpaceHeader::multiple_extent(header.primary_pages, header.parent_page, oe_root);
        converted.flags |= header.flags & space_flags::NON_UNIQUE;
        self.set_header(fdp, &converted)
    }

    // ----------------------------------------------------------------
    // New trees

    /// Creates a new object's tree: `pages` pages (at least 1, or 3 with
    /// `multiple_extent`) from the tree rooted at `parent`, an empty root
    /// leaf carrying `tree_flags` (index, long values) with its space
    /// header, and a new object id (ESE: ErrSPGetExt with fSPNewFDP,
    /// ErrSPCreate). Returns (root page, object id, pages owned).
    pub fn create_tree(
        &mut self,
        parent: u32,
        pages: u32,
        tree_flags: u32,
        non_unique: bool,
        multiple_extent: bool,
    ) -> Result<(u32, u32, u32)> {
        self.operation(|s| {
            let min = if multiple_extent {
                MULTIPLE_EXTENT_MIN
            } else {
                1
            };
            let (first, count) = s.get_extent(parent, pages.max(min), min, true)?;
            s.last_object_id += 1;
            let object_id = s.last_object_id;
            let mut header = if multiple_extent {
                SpaceHeader::multiple_extent(count, parent, first + 1)
            } else {
                SpaceHeader::single_extent(count, parent)
            };
            if non_unique {
                header.flags |= space_flags::NON_UNIQUE;
            }
            let kind = tree_flags & (PageFlags::INDEX | PageFlags::LONG_VALUE);
            let flags = kind
                | FLUSH_TYPE_1
                | if non_unique {
                    PageFlags::NON_UNIQUE_KEYS
                } else {
                    0
                };
            let db_time = s.tick();
            {
                let mut none = NoPages;
                let mut writer = TreeWriter::create(
                    &s.cache,
                    s.database,
                    Tree::new(first, object_id),
                    flags,
                    100,
                    &header.encode(),
                    &mut none,
                )?;
                writer.set_time(db_time, 1);
            }
            if multiple_extent {
                let space_flags = kind | PageFlags::SPACE_TREE | FLUSH_TYPE_1;
                let last = first + count - 1;
                let trees = [
                    (first + 1, Some(Extent { last, count })),
                    (
                        first + 2,
                        (count > MULTIPLE_EXTENT_MIN).then_some(Extent {
                            last,
                            count: count - MULTIPLE_EXTENT_MIN,
                        }),
                    ),
                ];
                for (page, node) in trees {
                    let db_time = s.tick();
                    let mut none = NoPages;
                    let mut writer = TreeWriter::create(
                        &s.cache,
                        s.database,
                        Tree::new(page, object_id),
                        space_flags,
                        100,
                        &SplitBuffer::default().encode(),
                        &mut none,
                    )?;
                    writer.set_time(db_time, 1);
                    if let Some(e) = node {
                        writer.insert(&key(e.last), &(e.count as i32).to_le_bytes())?;
                    }
                }
            }
            Ok((first, object_id, count))
        })
    }

    // ----------------------------------------------------------------
    // Reports

    /// The owned and available extents of the object rooted at `fdp` (a
    /// single extent and the bitmap's free pages, one by one, for a small
    /// object).
    pub fn describe(&self, fdp: u32) -> Result<ObjectSpace> {
        let root = self.root(fdp)?;
        let header = root.header;
        if let Some((oe, ae)) = header.extent_tree_roots() {
            let owned = self.extents(Tree::new(oe, root.object_id), false)?;
            let available = self.extents(Tree::new(ae, root.object_id), true)?;
            return Ok(ObjectSpace {
                header,
                owned,
                available,
            });
        }
        let covered = header.primary_pages.saturating_sub(1).min(BITMAP_PAGES);
        let available = (0..covered)
            .filter(|b| header.last_word & (1 << b) != 0)
            .map(|b| Extent {
                last: fdp + 1 + b,
                count: 1,
            })
            .collect();
        Ok(ObjectSpace {
            header,
            owned: vec![Extent {
                last: fdp + header.primary_pages - 1,
                count: header.primary_pages,
            }],
            available,
        })
    }
}

/// What [`SpaceManager::describe`] reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSpace {
    pub header: SpaceHeader,
    pub owned: Vec<Extent>,
    pub available: Vec<Extent>,
}

/// The allocator for one tree: pages from its object's space.
pub struct FdpAllocator<'a> {
    space: &'a mut SpaceManager,
    fdp: u32,
}

impl FdpAllocator<'_> {
    /// The space manager the pages come from.
    pub fn space(&mut self) -> &mut SpaceManager {
        self.space
    }
}

impl PageAllocator for FdpAllocator<'_> {
    fn allocate(&mut self) -> Result<u32> {
        self.space.get_page(self.fdp)
    }

    fn release(&mut self, page: u32) -> Result<()> {
        self.space.free_page(self.fdp, page)
    }
}

/// For trees that must not grow while being written.
struct NoPages;

impl PageAllocator for NoPages {
    fn allocate(&mut self) -> Result<u32> {
        Err(Error::new(JET_errInternalError).with_detail("a new space tree root overflowed"))
    }

    fn release(&mut self, page: u32) -> Result<()> {
        Err(Error::new(JET_errInternalError).with_page(page))
    }
}

fn key(last: u32) -> Vec<u8> {
    ExtentNode {
        last,
        count: 0,
        pool: pool::GENERAL,
    }
    .key()
}

fn source_page(
    source: &CachedDatabase,
    number: u32,
) -> Result<crate::storage::page_source::PageBytes> {
    use crate::storage::page_source::PageSource;
    source.read_page(number)
}
