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

mod extents;
mod split_buffer;

use split_buffer::{SplitBuffer, SplitBufferAllocator};

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
        // Checked when the cache read it; this runs at every allocation.
        let page = self.cache.read(self.id(fdp))?;
        let parsed = Page::parse_trusted(page.bytes(), fdp)?;
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

    // ----------------------------------------------------------------
    // New trees

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
