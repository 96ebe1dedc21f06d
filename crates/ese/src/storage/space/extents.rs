//! Getting space for a tree (ESE: space's extent requests): an extent from
//! the parent's available space, a secondary extent sized as ESE sizes it,
//! the file grown by the extension size when the database has none left, a
//! single-extent tree converted to owned and available extent trees, and a
//! new tree's first extent.

use super::*;

impl SpaceManager {
    /// `count` pages (at least `min`) from the tree rooted at `parent` for
    /// a child; `new_object` when they will make a new tree (ESE:
    /// ErrSPIGetExt). Returns (first page, count).
    pub(super) fn get_extent(
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
    pub(super) fn allocate_all(
        &self,
        parent: u32,
        extent: &Extent,
        request: u32,
        new_object: bool,
    ) -> bool {
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
    pub(super) fn add_secondary_extent(
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
    pub(super) fn secondary_size(
        &self,
        _fdp: u32,
        root: &Root,
        oe: Tree,
        request: u32,
    ) -> Result<u32> {
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
    pub(super) fn grow_file(&mut self, request: u32, min: u32) -> Result<(u32, u32)> {
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
    pub(super) fn convert_to_multiple_extent(
        &mut self,
        fdp: u32,
        request: u32,
        min: u32,
    ) -> Result<()> {
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
}
