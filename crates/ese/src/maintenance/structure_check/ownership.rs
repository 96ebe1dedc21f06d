//! Who owns each page: extents claimed against their parent's space,
//! available and reserved pages, pages in use checked against their
//! owner, and the final accounting that finds leaked pages.

use crate::codes::*;

use super::space::POOL_SHELVED;
use super::Extent;
use super::{error, range_text, Checker, SpaceSummary, AVAILABLE, EXEMPT, RESERVED, VISITED};

impl<'s> Checker<'s> {
    // ----------------------------------------------------------------
    // Ownership

    /// Pages of `range` beyond the file that are not shelved.
    fn unshelved_beyond(&self, first: u32, last: u32) -> u64 {
        let first = first.max(self.last_page.saturating_add(1));
        if first > last {
            return 0;
        }
        let total = u64::from(last - first) + 1;
        let start = self.shelved.partition_point(|&(_, b)| b < first);
        let shelved: u64 = self.shelved[start..]
            .iter()
            .take_while(|&&(a, _)| a <= last)
            .map(|&(a, b)| u64::from(b.min(last) - a.max(first)) + 1)
            .sum();
        total.saturating_sub(shelved)
    }

    /// The part of an extent inside the file, spending the claim budget.
    fn in_file(&mut self, extent: Extent) -> Option<(u32, u32)> {
        let last = extent.last.min(self.last_page);
        if extent.first > last || extent.first == 0 {
            return None;
        }
        let pages = u64::from(last - extent.first) + 1;
        if pages > self.claim_budget {
            if self.claim_budget > 0 {
                self.claim_budget = 0;
                self.find(
                    None,
                    error(
                        JET_errSPOwnExtCorrupted,
                        extent.page,
                        "the space trees claim far more pages than the file holds; \
                         the remaining extents are not applied",
                    ),
                );
            }
            return None;
        }
        self.claim_budget -= pages;
        Some((extent.first, last))
    }

    pub(super) fn claim_owned(
        &mut self,
        tree: &str,
        object_id: u32,
        expected_owner: Option<u32>,
        extent: Extent,
        exempt: bool,
    ) {
        let beyond = self.unshelved_beyond(extent.first, extent.last);
        if beyond > 0 {
            self.find(
                Some(tree),
                error(
                    JET_errSPOwnExtCorrupted,
                    extent.page,
                    format!(
                        "the owned extent {} reaches {beyond} pages beyond the end of the file \
                         (last page {})",
                        range_text(extent.first, extent.last),
                        self.last_page
                    ),
                ),
            );
        }
        let Some((first, last)) = self.in_file(extent) else {
            return;
        };
        let mut foreign: Option<(u32, u32, u64)> = None;
        let mut offered: Option<(u32, u64)> = None;
        for page in first..=last {
            let slot = page as usize;
            let current = self.owner[slot];
            if let Some(expected) = expected_owner {
                if current != expected {
                    let entry = foreign.get_or_insert((page, current, 0));
                    entry.2 += 1;
                }
            }
            if self.state[slot] & (AVAILABLE | RESERVED) != 0 {
                let entry = offered.get_or_insert((page, 0));
                entry.1 += 1;
            }
            self.owner[slot] = object_id;
            if exempt {
                self.state[slot] |= EXEMPT;
            }
        }
        if let Some((page, current, count)) = foreign {
            let expected = expected_owner.unwrap_or(0);
            let detail = if expected == 0 {
                format!(
                    "the database root's owned extent {} repeats {count} pages it already owns",
                    range_text(first, last)
                )
            } else {
                format!(
                    "the owned extent {} takes {count} pages its parent {} does not own; \
                     page {page} belongs to {}",
                    range_text(first, last),
                    self.object_name(expected),
                    self.object_name(current)
                )
            };
            self.find(Some(tree), error(JET_errSPOwnExtCorrupted, page, detail));
        }
        if let Some((page, count)) = offered {
            self.find(
                Some(tree),
                error(
                    JET_errSPOwnExtCorrupted,
                    page,
                    format!(
                        "the owned extent {} includes {count} pages that are available to \
                         another object",
                        range_text(first, last)
                    ),
                ),
            );
        }
    }

    pub(super) fn claim_split_buffer(
        &mut self,
        tree: &str,
        object_id: u32,
        parent_object: Option<u32>,
        extent: Extent,
    ) {
        let Some((first, last)) = self.in_file(extent) else {
            return;
        };
        for page in first..=last {
            let slot = page as usize;
            let current = self.owner[slot];
            if current != object_id && Some(current) != parent_object {
                let e = error(
                    JET_errSPOwnExtCorrupted,
                    page,
                    format!(
                        "split buffer page {page} belongs to {}",
                        self.object_name(current)
                    ),
                );
                self.find(Some(tree), e);
                continue;
            }
            if self.state[slot] & (AVAILABLE | RESERVED) != 0 {
                self.find(
                    Some(tree),
                    error(
                        JET_errSPAvailExtCorrupted,
                        page,
                        format!("split buffer page {page} is also available or reserved"),
                    ),
                );
                continue;
            }
            self.owner[slot] = object_id;
            self.state[slot] |= RESERVED;
        }
    }

    /// Marks an available extent; `owner_known` is false when the object's
    /// owned extents could not all be read.
    pub(super) fn claim_available(
        &mut self,
        tree: &str,
        index: usize,
        extent: Extent,
        owner_known: bool,
    ) {
        let object_id = self.fdps[index].object_id;
        if extent.pool == POOL_SHELVED && index != 0 {
            self.find(
                Some(tree),
                error(
                    JET_errSPAvailExtCorrupted,
                    extent.page,
                    format!(
                        "shelved {} found outside the database root",
                        range_text(extent.first, extent.last)
                    ),
                ),
            );
            return;
        }
        if extent.pool != POOL_SHELVED {
            let beyond = self.unshelved_beyond(extent.first, extent.last);
            if beyond > 0 {
                self.find(
                    Some(tree),
                    error(
                        JET_errSPAvailExtCorrupted,
                        extent.page,
                        format!(
                            "the available extent {} reaches {beyond} pages beyond the end of \
                             the file (last page {})",
                            range_text(extent.first, extent.last),
                            self.last_page
                        ),
                    ),
                );
            }
        }
        let Some((first, last)) = self.in_file(extent) else {
            return;
        };
        let mut foreign: Option<(u32, u32, u64)> = None;
        let mut twice: Option<(u32, u64)> = None;
        let bit = if extent.pool == POOL_SHELVED {
            RESERVED
        } else {
            AVAILABLE
        };
        for page in first..=last {
            let slot = page as usize;
            let current = self.owner[slot];
            if current != object_id && owner_known {
                let entry = foreign.get_or_insert((page, current, 0));
                entry.2 += 1;
                continue;
            }
            if self.state[slot] & (AVAILABLE | RESERVED) != 0 {
                let entry = twice.get_or_insert((page, 0));
                entry.1 += 1;
                continue;
            }
            self.state[slot] |= bit;
        }
        if let Some((page, current, count)) = foreign {
            let detail = format!(
                "the available extent {} holds {count} pages the object does not own; \
                 page {page} belongs to {}",
                range_text(first, last),
                self.object_name(current)
            );
            self.find(Some(tree), error(JET_errSPAvailExtCorrupted, page, detail));
        }
        if let Some((page, count)) = twice {
            self.find(
                Some(tree),
                error(
                    JET_errSPAvailExtCorrupted,
                    page,
                    format!(
                        "the available extent {} repeats {count} pages already available or \
                         reserved",
                        range_text(first, last)
                    ),
                ),
            );
        }
    }

    /// A page in use by a tree of object `fdp` must be owned by it and not
    /// available.
    pub(super) fn check_usage(&mut self, page: u32, fdp: usize, tree: &str) {
        let slot = page as usize;
        if self.state[slot] & EXEMPT != 0 || !self.fdps[fdp].space_ok {
            return;
        }
        let object_id = self.fdps[fdp].object_id;
        let owner = self.owner[slot];
        if owner != object_id {
            let e = error(
                JET_errSPOwnExtCorrupted,
                page,
                format!(
                    "the page is in use by {tree}, but its owner is {}",
                    self.object_name(owner)
                ),
            );
            self.find(Some(tree), e);
        } else if self.state[slot] & AVAILABLE != 0 {
            self.find(
                Some(tree),
                error(
                    JET_errSPAvailExtCorrupted,
                    page,
                    "the page is in use, but its owner lists it as available",
                ),
            );
        } else if self.state[slot] & RESERVED != 0 {
            self.find(
                Some(tree),
                error(
                    JET_errSPAvailExtCorrupted,
                    page,
                    "the page is in use, but it is held in a split buffer or shelved",
                ),
            );
        }
    }

    // ----------------------------------------------------------------
    // Page accounting

    pub(super) fn account_pages(&mut self) {
        if !self.catalog_loaded || !self.space_complete {
            let why = if self.catalog_loaded {
                "some space could not be read"
            } else {
                "the catalog could not be read"
            };
            self.note(None, None, format!("pages are not accounted for: {why}"));
            return;
        }
        let mut summary = SpaceSummary {
            accounted: true,
            ..Default::default()
        };
        let root_last = self.root_last_owned.min(self.last_page);
        // Runs of leaked pages: (first, last, owner).
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        let mut beyond: Option<(u32, u32)> = None;
        for page in 1..=self.last_page {
            let slot = page as usize;
            let state = self.state[slot];
            let owner = self.owner[slot];
            if state & VISITED != 0 {
                summary.in_use += 1;
            } else if state & AVAILABLE != 0 {
                summary.available += 1;
            } else if state & RESERVED != 0 {
                summary.reserved += 1;
            } else if state & EXEMPT != 0 {
            } else if owner == 0 && page > root_last {
                summary.beyond_owned += 1;
                let run = beyond.get_or_insert((page, page));
                run.1 = page;
            } else {
                summary.leaked += 1;
                match runs.last_mut() {
                    Some(run) if run.1 + 1 == page && run.2 == owner => run.1 = page,
                    _ => runs.push((page, page, owner)),
                }
            }
        }
        for (first, last, owner) in runs {
            let (tree, detail) = match self.by_object.get(&owner) {
                Some(&index) if owner != 0 => (
                    Some(self.fdps[index].name.clone()),
                    format!(
                        "{} owned by {} {} neither in use nor available",
                        range_text(first, last),
                        self.object_name(owner),
                        if first == last { "is" } else { "are" }
                    ),
                ),
                _ => (
                    None,
                    format!(
                        "{} {} owned by no object, not even the database root",
                        range_text(first, last),
                        if first == last { "is" } else { "are" }
                    ),
                ),
            };
            self.find(
                tree.as_deref(),
                error(JET_errDatabaseLeakInSpace, first, detail),
            );
        }
        if let Some((first, last)) = beyond {
            let detail = format!(
                "{} after the root's last owned page {root_last} belong to no object (ESE \
                 warns that the file is bigger than its space, and grows into them)",
                range_text(first, last)
            );
            self.note(Some("database root"), Some(first), detail);
        }
        self.report.space = summary;
    }
}
