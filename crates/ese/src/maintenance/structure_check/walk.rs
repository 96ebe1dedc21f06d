//! The state of one tree walk and the walk itself: every page reached
//! once from its tree's root, with the checks that need no more than the
//! page's header; leaves and branch pages are then checked in
//! [`super::btree`].

use ese_format::page::{Page, PageFlags};

use crate::codes::*;

use super::catalog::Fdp;
use super::{error, Checker, Extent, POOL_GENERAL, VISITED};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Main,
    OwnedExtents,
    AvailableExtents,
}

/// How a child page looked to its parent.
#[derive(Clone, Copy)]
pub(super) struct Seen {
    pub(super) leaf: bool,
}

/// The state of one tree walk.
pub(super) struct Walk {
    fdp: usize,
    pub(super) role: Role,
    pub(super) name: String,
    pub(super) object_id: u32,
    expected_bits: u32,
    pub(super) non_unique: bool,
    check_non_unique_flag: bool,
    defer_usage: bool,
    pub(super) leaf_depth: Option<usize>,
    /// The previous leaf (0 = none), its right link and its last entry.
    pub(super) prev_leaf: u32,
    pub(super) prev_leaf_next: u32,
    pub(super) prev_leaf_last: Option<(Vec<u8>, Vec<u8>)>,
    /// Set when a subtree could not be walked: the next leaf's left link
    /// and first key cannot be compared with a leaf seen before it.
    pub(super) chain_unknown: bool,
    /// False when part of the tree could not be read.
    pub(super) complete: bool,
    pub(super) deleted: u64,
    pub(super) versioned: u64,
    pub(super) extents: Vec<Extent>,
    pub(super) last_pool: u8,
    pub(super) last_pgno: u32,
}

impl Walk {
    pub(super) fn new(fdp: &Fdp, index: usize, role: Role) -> Self {
        let (name, expected_bits) = match role {
            Role::Main => (fdp.name.clone(), fdp.kind.page_bits()),
            Role::OwnedExtents => (
                format!("{} (owned extents)", fdp.name),
                fdp.kind.page_bits() | PageFlags::SPACE_TREE,
            ),
            Role::AvailableExtents => (
                format!("{} (available extents)", fdp.name),
                fdp.kind.page_bits() | PageFlags::SPACE_TREE,
            ),
        };
        Walk {
            fdp: index,
            role,
            name,
            object_id: fdp.object_id,
            expected_bits,
            non_unique: role == Role::Main && !fdp.unique,
            check_non_unique_flag: role == Role::Main,
            defer_usage: role != Role::Main,
            leaf_depth: None,
            prev_leaf: 0,
            prev_leaf_next: 0,
            prev_leaf_last: None,
            chain_unknown: false,
            complete: true,
            deleted: 0,
            versioned: 0,
            extents: Vec::new(),
            last_pool: POOL_GENERAL,
            last_pgno: 0,
        }
    }

    pub(super) fn space_code(&self) -> i32 {
        if self.role == Role::AvailableExtents {
            JET_errSPAvailExtCorrupted
        } else {
            JET_errSPOwnExtCorrupted
        }
    }
}

impl<'s> Checker<'s> {
    // ----------------------------------------------------------------
    // B+trees

    pub(super) fn check_trees(&mut self) {
        for index in 0..self.fdps.len() {
            if self.fdps[index].skipped {
                continue;
            }
            let fdp = self.fdps[index].clone();
            let mut walk = Walk::new(&fdp, index, Role::Main);
            self.walk_tree(&mut walk, fdp.root);
        }
    }

    pub(super) fn walk_tree(&mut self, walk: &mut Walk, root: u32) {
        self.report.trees_checked += 1;
        self.visit(walk, root, 0, None, None, None);
        if walk.prev_leaf != 0 && walk.prev_leaf_next != 0 && !walk.chain_unknown {
            let e = error(
                JET_errBadPageLink,
                walk.prev_leaf,
                format!(
                    "the last leaf of the tree links right to page {}",
                    walk.prev_leaf_next
                ),
            );
            self.find(Some(&walk.name), e);
        }
        self.report.deleted_nodes += walk.deleted;
        self.report.versioned_nodes += walk.versioned;
        // Versioned flags are only counted: ESE leaves them on disk after a
        // clean shutdown (every corpus tree has them).
        if walk.deleted > 0 {
            let detail = format!(
                "{} leaf node(s) flagged deleted, awaiting ESE's cleanup (its own checker \
                 counts them; not damage)",
                walk.deleted
            );
            self.note(Some(&walk.name), Some(root), detail);
        }
    }

    pub(super) fn visit(
        &mut self,
        walk: &mut Walk,
        pgno: u32,
        depth: usize,
        parent: Option<u32>,
        lower: Option<&[u8]>,
        upper: Option<&[u8]>,
    ) -> Option<Seen> {
        if pgno == 0 || pgno > self.last_page {
            walk.complete = false;
            let e = error(
                JET_errBadParentPageLink,
                parent.unwrap_or(pgno),
                format!(
                    "a link to page {pgno}, outside the file's pages 1 to {}",
                    self.last_page
                ),
            );
            self.find(Some(&walk.name), e);
            return None;
        }
        let slot = pgno as usize;
        if self.state[slot] & VISITED != 0 {
            walk.complete = false;
            let from = parent.map_or("as a tree root".to_string(), |p| format!("from page {p}"));
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                format!("the page is reached a second time ({from}): a cycle, or a page shared by two trees"),
            );
            self.find(Some(&walk.name), e);
            return None;
        }
        self.state[slot] |= VISITED;
        self.report.pages_visited += 1;
        let bytes = match self.source.read_page(pgno) {
            Ok(bytes) => bytes,
            Err(e) => {
                walk.complete = false;
                self.find(Some(&walk.name), e.in_page(pgno));
                return None;
            }
        };
        let page = match Page::parse(&bytes, pgno) {
            Ok(page) => page,
            Err(e) => {
                walk.complete = false;
                self.find(Some(&walk.name), e.in_page(pgno));
                return None;
            }
        };
        let h = *page.header();
        if h.object_id != walk.object_id {
            // Not ours: leave it to the tree it belongs to.
            self.state[slot] &= !VISITED;
            self.report.pages_visited -= 1;
            walk.complete = false;
            let from = parent.map_or(String::new(), |p| format!(" (linked from page {p})"));
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                format!(
                    "the page belongs to object {}, not to the tree's object {}{from}",
                    h.object_id, walk.object_id
                ),
            );
            self.find(Some(&walk.name), e);
            return None;
        }
        if walk.defer_usage {
            self.deferred.push((pgno, walk.fdp, walk.role));
        } else {
            self.check_usage(pgno, walk.fdp, &walk.name);
        }
        if h.db_time > self.header.db_time {
            let e = error(
                JET_errDbTimeCorrupted,
                pgno,
                format!(
                    "the page's database time 0x{:x} is beyond the database's 0x{:x}",
                    h.db_time, self.header.db_time
                ),
            );
            if self.clean {
                self.find(Some(&walk.name), e);
            } else {
                self.note(Some(&walk.name), Some(pgno), e.to_string());
            }
        }
        let flags = h.flags;
        if depth == 0 && !flags.is_root() {
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                "the tree's root page is not flagged as a root",
            );
            self.find(Some(&walk.name), e);
        } else if depth > 0 && flags.is_root() {
            walk.complete = false;
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                format!(
                    "page {} links down to a page flagged as a tree root",
                    parent.unwrap_or(0)
                ),
            );
            self.find(Some(&walk.name), e);
            return None;
        }
        let kind_bits =
            flags.0 & (PageFlags::INDEX | PageFlags::LONG_VALUE | PageFlags::SPACE_TREE);
        if kind_bits != walk.expected_bits {
            let e = error(
                JET_errDatabaseCorrupted,
                pgno,
                format!(
                    "the page is flagged {}, the tree's pages are {}",
                    PageFlags(kind_bits).names_or_plain(),
                    PageFlags(walk.expected_bits).names_or_plain()
                ),
            );
            self.find(Some(&walk.name), e);
        }
        if walk.check_non_unique_flag
            && flags.contains(PageFlags::NON_UNIQUE_KEYS) != walk.non_unique
        {
            let e = error(
                JET_errDatabaseCorrupted,
                pgno,
                if walk.non_unique {
                    "the page of a non-unique index lacks the NonUniqueKeys flag"
                } else {
                    "the page is flagged NonUniqueKeys, but its tree's keys are unique"
                },
            );
            self.find(Some(&walk.name), e);
        }
        if flags.is_empty() || flags.contains(PageFlags::PRE_INIT) {
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                "an empty or pre-initialised page is linked into the tree",
            );
            self.find(Some(&walk.name), e);
        }
        if flags.is_leaf() {
            if flags.is_parent_of_leaf() {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the page is flagged both leaf and parent-of-leaf",
                );
                self.find(Some(&walk.name), e);
            }
            self.check_leaf(walk, pgno, &page, depth, lower, upper);
            Some(Seen { leaf: true })
        } else {
            self.check_branch(walk, pgno, &page, depth, lower, upper);
            Some(Seen { leaf: false })
        }
    }
}

trait FlagNames {
    fn names_or_plain(self) -> String;
}

impl FlagNames for PageFlags {
    fn names_or_plain(self) -> String {
        let names = self.names();
        if names.is_empty() {
            "plain (no index, long-value or space-tree flag)".into()
        } else {
            names
        }
    }
}
