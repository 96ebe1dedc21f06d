//! Space as ESE stores it: each object's SPACE_HEADER, its single extent
//! and availability bitmap or its owned- and available-extent trees, the
//! split buffers, and the validity of every extent node.

use ese_format::page::{Page, PageFlags};

use crate::codes::*;

use super::catalog::{Fdp, Kind};
use super::walk::{Role, Walk};
use super::{error, range_text, Checker, Extent, POOL_GENERAL};

use ese_format::space::{
    pool, space_flags, ExtentNode, SpaceHeader, BITMAP_PAGES as SMALL_SPACE_AVAIL_MOST,
    MAX_PAGE_NUMBER as PGNO_SYS_MAX, SPLIT_BUFFER_SIZE,
};

const SPH_MULTIPLE_EXTENT: u32 = space_flags::MULTIPLE_EXTENT;
const SPH_NON_UNIQUE: u32 = space_flags::NON_UNIQUE;
pub(super) const POOL_SHELVED: u8 = pool::SHELVED;

impl<'s> Checker<'s> {
    // ----------------------------------------------------------------
    // Space

    pub(super) fn check_space(&mut self) {
        for index in 0..self.fdps.len() {
            if let Some(parent) = self.fdps[index].parent {
                if self.fdps[parent].exempt {
                    self.fdps[index].exempt = true;
                }
            }
            self.check_fdp_space(index);
            if !self.fdps[index].space_ok {
                self.space_complete = false;
            }
        }
        for (page, fdp, role) in std::mem::take(&mut self.deferred) {
            let name = match role {
                Role::OwnedExtents => format!("{} (owned extents)", self.fdps[fdp].name),
                _ => format!("{} (available extents)", self.fdps[fdp].name),
            };
            self.check_usage(page, fdp, &name);
        }
    }

    /// Reads an object's space header and space, and records its pages.
    fn check_fdp_space(&mut self, index: usize) {
        let fdp = self.fdps[index].clone();
        let name = fdp.name.as_str();
        let bytes = match self.source.read_page(fdp.root) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.find(Some(name), e.in_page(fdp.root));
                self.fdps[index].skipped = true;
                return;
            }
        };
        let page = match Page::parse(&bytes, fdp.root) {
            Ok(page) => page,
            Err(e) => {
                self.find(Some(name), e.in_page(fdp.root));
                self.fdps[index].skipped = true;
                return;
            }
        };
        let h = *page.header();
        if h.object_id != fdp.object_id {
            let code = if fdp.kind == Kind::DatabaseRoot {
                JET_errBadParentPageLink
            } else {
                JET_errCatalogCorrupted
            };
            self.find(
                Some(name),
                error(
                    code,
                    fdp.root,
                    format!(
                        "page {} should be the root of object {}, but belongs to object {}",
                        fdp.root, fdp.object_id, h.object_id
                    ),
                ),
            );
            self.fdps[index].skipped = true;
            return;
        }
        if h.flags.contains(PageFlags::FDP_DELETE) {
            self.note(
                Some(name),
                Some(fdp.root),
                "the object is being deleted (its root is flagged FDPDelete): its pages are \
                 not checked, as in ESE",
            );
            self.fdps[index].skipped = true;
            self.fdps[index].exempt = true;
        }
        let exempt = self.fdps[index].exempt;
        let Some(sph) = space_header(&page) else {
            let size = page.line(0).map_or(0, <[u8]>::len);
            self.find(
                Some(name),
                error(
                    JET_errDatabaseCorrupted,
                    fdp.root,
                    format!("the root's external header ({size} bytes) holds no space header"),
                ),
            );
            return;
        };
        let parent_object = fdp.parent.map(|p| self.fdps[p].object_id);
        let expected_parent = fdp.parent.map_or(0, |p| self.fdps[p].root);
        if sph.parent_page != expected_parent {
            self.find(
                Some(name),
                error(
                    JET_errDatabaseCorrupted,
                    fdp.root,
                    format!(
                        "the space header names page {} as the parent, expected {}",
                        sph.parent_page, expected_parent
                    ),
                ),
            );
        }
        if (sph.flags & SPH_NON_UNIQUE != 0) == fdp.unique {
            self.find(
                Some(name),
                error(
                    JET_errDatabaseCorrupted,
                    fdp.root,
                    format!(
                        "the space header says the keys are {}, the catalog says {}",
                        if fdp.unique { "non-unique" } else { "unique" },
                        if fdp.unique { "unique" } else { "non-unique" }
                    ),
                ),
            );
        }

        let mut owned: Vec<Extent> = Vec::new();
        let mut available: Vec<Extent> = Vec::new();
        let mut split_buffers: Vec<Extent> = Vec::new();
        let mut complete = true;
        let mut owned_complete = true;
        if sph.flags & SPH_MULTIPLE_EXTENT != 0 {
            let oe = sph.last_word;
            let ae = oe.wrapping_add(1);
            let problem = if oe == 0 {
                Some("the space header's owned-extent root is page 0".to_string())
            } else if oe == fdp.root || ae == fdp.root {
                Some(format!(
                    "the space trees (pages {oe} and {ae}) include the object's own root"
                ))
            } else if oe >= self.last_page {
                Some(format!(
                    "the space trees (pages {oe} and {ae}) lie outside the file's pages 1 to {}",
                    self.last_page
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                self.find(
                    Some(name),
                    error(JET_errSPOwnExtCorrupted, fdp.root, problem),
                );
                return;
            }
            for (role, root) in [(Role::OwnedExtents, oe), (Role::AvailableExtents, ae)] {
                let mut walk = Walk::new(&fdp, index, role);
                self.walk_tree(&mut walk, root);
                complete &= walk.complete;
                match role {
                    Role::OwnedExtents => {
                        owned_complete = walk.complete;
                        owned = std::mem::take(&mut walk.extents);
                    }
                    _ => available = std::mem::take(&mut walk.extents),
                }
                if let Some(buffers) = self.split_buffers(&walk, root) {
                    split_buffers.extend(buffers);
                }
            }
        } else {
            let cpg = sph.primary_pages;
            let last = fdp.root.checked_add(cpg.wrapping_sub(1));
            match last {
                Some(last) if cpg > 0 && last < PGNO_SYS_MAX => {
                    owned.push(Extent {
                        first: fdp.root,
                        last,
                        pool: POOL_GENERAL,
                        page: fdp.root,
                    });
                    available = self.bitmap_pages(&fdp, cpg, sph.last_word);
                }
                _ => {
                    self.find(
                        Some(name),
                        error(
                            JET_errSPOwnExtCorrupted,
                            fdp.root,
                            format!("a single extent of {cpg} pages starting at the root"),
                        ),
                    );
                    return;
                }
            }
        }

        if index == 0 {
            self.root_last_owned = owned.iter().map(|e| e.last).max().unwrap_or(0);
            let mut shelved: Vec<(u32, u32)> = available
                .iter()
                .filter(|e| e.pool == POOL_SHELVED)
                .map(|e| (e.first, e.last))
                .collect();
            shelved.sort_unstable();
            // Merged into disjoint runs, so that lookups can bisect.
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(shelved.len());
            for (first, last) in shelved {
                match merged.last_mut() {
                    Some(run) if first <= run.1.saturating_add(1) => run.1 = run.1.max(last),
                    _ => merged.push((first, last)),
                }
            }
            self.shelved = merged;
        }
        let expected_owner = match (fdp.parent, parent_object) {
            (Some(p), Some(object)) if self.fdps[p].space_ok => Some(object),
            (None, _) => Some(0),
            _ => None,
        };
        let owned_name = format!("{name} (owned extents)");
        for extent in &owned {
            self.claim_owned(&owned_name, fdp.object_id, expected_owner, *extent, exempt);
        }
        for extent in &split_buffers {
            self.claim_split_buffer(&owned_name, fdp.object_id, parent_object, *extent);
        }
        let available_name = format!("{name} (available extents)");
        for extent in &available {
            self.claim_available(&available_name, index, *extent, owned_complete);
        }
        self.fdps[index].space_ok = complete && self.claim_budget > 0;
    }

    /// The available pages of a single-extent object's bitmap: bit `i`
    /// stands for page `root + 1 + i`; pages past the 32 the map covers
    /// are all available (space.cxx: ErrSPGetSpaceCategory).
    fn bitmap_pages(&mut self, fdp: &Fdp, cpg: u32, bitmap: u32) -> Vec<Extent> {
        let mut pages = Vec::new();
        let covered = (cpg - 1).min(SMALL_SPACE_AVAIL_MOST);
        for bit in 0..SMALL_SPACE_AVAIL_MOST {
            if bitmap & (1 << bit) == 0 {
                continue;
            }
            let page = fdp.root + 1 + bit;
            if bit >= covered {
                self.find(
                    Some(&format!("{} (available extents)", fdp.name)),
                    error(
                        JET_errSPAvailExtCorrupted,
                        fdp.root,
                        format!(
                            "the availability bitmap marks page {page} available, beyond \
                             the object's single extent of {cpg} pages"
                        ),
                    ),
                );
                continue;
            }
            pages.push(Extent {
                first: page,
                last: page,
                pool: POOL_GENERAL,
                page: fdp.root,
            });
        }
        if cpg - 1 > SMALL_SPACE_AVAIL_MOST {
            pages.push(Extent {
                first: fdp.root + 1 + SMALL_SPACE_AVAIL_MOST,
                last: fdp.root + cpg - 1,
                pool: POOL_GENERAL,
                page: fdp.root,
            });
        }
        pages
    }

    /// The split buffers in line 0 of a space-tree root: two (last page,
    /// count) pairs, or nothing (fcb.hxx: SPLIT_BUFFER).
    fn split_buffers(&mut self, walk: &Walk, root: u32) -> Option<Vec<Extent>> {
        let bytes = self.source.read_page(root).ok()?;
        let page = Page::parse(&bytes, root).ok()?;
        if page.header().object_id != walk.object_id {
            return None;
        }
        let line = page.line(0).unwrap_or(&[]);
        if line.is_empty() {
            return Some(Vec::new());
        }
        if line.len() != SPLIT_BUFFER_SIZE {
            self.find(
                Some(&walk.name),
                error(
                    walk.space_code(),
                    root,
                    format!(
                        "the split buffer is {} bytes, ESE writes {SPLIT_BUFFER_SIZE} or none",
                        line.len()
                    ),
                ),
            );
            return None;
        }
        let word = |i: usize| u32::from_le_bytes([line[i], line[i + 1], line[i + 2], line[i + 3]]);
        let mut out = Vec::new();
        for (last, cpg) in [(word(0), word(4) as i32), (word(8), word(12) as i32)] {
            if cpg == 0 {
                continue;
            }
            if cpg < 0 || last == 0 || last >= PGNO_SYS_MAX || cpg as u32 > last {
                self.find(
                    Some(&walk.name),
                    error(
                        walk.space_code(),
                        root,
                        format!("a split buffer of {cpg} pages ending at page {last}"),
                    ),
                );
                continue;
            }
            out.push(Extent {
                first: last - cpg as u32 + 1,
                last,
                pool: POOL_GENERAL,
                page: root,
            });
        }
        Some(out)
    }

    /// A malformed extent node: the object's space is not known for sure.
    fn space_error(&mut self, walk: &mut Walk, pgno: u32, index: usize, detail: String) {
        walk.complete = false;
        let code = walk.space_code();
        self.find(
            Some(&walk.name),
            error(code, pgno, format!("node {index}: {detail}")),
        );
    }

    /// Validates one extent node of a space tree and records the extent
    /// (space.cxx: CSPExtentInfo::ErrCheckCorrupted; repair.cxx:
    /// RECCHECKSPACE).
    pub(super) fn space_node(
        &mut self,
        walk: &mut Walk,
        pgno: u32,
        index: usize,
        key: &[u8],
        data: &[u8],
    ) {
        let available = walk.role == Role::AvailableExtents;
        let (pool, last, cpg) = match ExtentNode::decode(key, data, available) {
            Ok(node) => (node.pool, node.last, node.count),
            Err(e) => {
                let detail = e
                    .context()
                    .and_then(|c| c.detail.clone())
                    .unwrap_or_default();
                self.space_error(walk, pgno, index, detail);
                return;
            }
        };
        let first_limit = if available { 1 } else { 0 };
        let valid = if available {
            (4..PGNO_SYS_MAX).contains(&last)
                && cpg >= 0
                && (cpg as u32) < PGNO_SYS_MAX
                && i64::from(last) - i64::from(cpg) >= first_limit
                && (pool != POOL_SHELVED || cpg == 1)
        } else {
            (1..PGNO_SYS_MAX).contains(&last)
                && cpg > 0
                && i64::from(last) - i64::from(cpg) >= first_limit
        };
        if !valid {
            self.space_error(
                walk,
                pgno,
                index,
                format!("an impossible extent of {cpg} pages ending at page {last}"),
            );
            return;
        }
        let cpg = cpg as u32;
        if pool == walk.last_pool {
            if last <= walk.last_pgno {
                self.space_error(
                    walk,
                    pgno,
                    index,
                    format!(
                        "the extent ending at page {last} follows one ending at page {}",
                        walk.last_pgno
                    ),
                );
                return;
            }
            if cpg > last - walk.last_pgno {
                self.space_error(
                    walk,
                    pgno,
                    index,
                    format!(
                        "the extent {} overlaps the previous one, which ends at page {}",
                        range_text(last - cpg + 1, last),
                        walk.last_pgno
                    ),
                );
                walk.last_pgno = last;
                return;
            }
        }
        walk.last_pool = pool;
        walk.last_pgno = last;
        if cpg > 0 {
            walk.extents.push(Extent {
                first: last - cpg + 1,
                last,
                pool,
                page: pgno,
            });
        }
    }
}

/// The SPACE_HEADER in line 0 of a tree root: the line alone when it is 16
/// bytes, else after a byte of field flags whose bit 0 says it is present
/// (node.cxx: NDGetPtrExternalHeader).
fn space_header(page: &Page<'_>) -> Option<SpaceHeader> {
    SpaceHeader::decode(page.line(0)?).ok()
}
