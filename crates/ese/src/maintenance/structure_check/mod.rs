//! The structural (logical) check behind `esentutl check`, run after the
//! page-by-page checksum pass of [`crate::maintenance::integrity`].
//!
//! Where the page pass asks "is every page intact?", this one asks "do the
//! pages form the database they claim to?": every B+tree is walked from its
//! root, every space tree is read, and every page of the file is accounted
//! for. The rules are those of ESE's own checker (`esentutl /g`, the
//! integrity half of `dev/ese/src/ese/repair.cxx`: `ErrREPAIRCheckTree`,
//! `ErrREPAIRCheckInternal`, `ErrREPAIRCheckLeaf`, `RECCHECKSPACE*`,
//! `ErrREPAIRCheckSpace`) together with the node and extent validity rules
//! of the engine itself (`CPAGE::ErrCheckPage`, `CSPExtentInfo::
//! ErrCheckCorrupted` in `space.cxx`, `ErrBTContainsPage` in `bt.cxx`).
//! Where ESE's checker reports everything as `JET_errDatabaseCorrupted`,
//! a finding carries the more precise code the engine uses at run time for
//! the same condition.
//!
//! # What is checked
//!
//! Trees: the database root (page 1, object 1) and its owned/available
//! extent trees (pages 2 and 3), the catalog MSysObjects (page 4, object 2)
//! with its Name and RootObjects indexes (pages 7 and 10), its shadow
//! MSysObjectsShadow (page 24, object 3), and every table, secondary index
//! and long-value tree the catalog lists, each with its space trees.
//! For every tree page:
//!
//! | rule | code |
//! |---|---|
//! | the page is inside the file, reached once (no cycle, no page shared by two trees) | -338 `JET_errBadParentPageLink` |
//! | it belongs to the tree's object | -338 (-1220 `JET_errCatalogCorrupted` for a root the catalog names) |
//! | root flag exactly on the root; leaf and parent-of-leaf flags agree with the children; all leaves at one depth; no empty or pre-initialised page; no empty non-root page | -338 |
//! | index / long-value / space-tree / non-unique flags are those of the tree | -1206 `JET_errDatabaseCorrupted` |
//! | leaves are chained both ways, the chain starts and ends with 0; branch pages have no sibling links (ESE links leaves only) | -327 `JET_errBadPageLink` |
//! | nodes decode, a compressed node borrows at most the page's common key (line 0) and never exactly one byte, keys fit `2 * JET_cbKeyMost`, leaf nodes have a key and data, branch nodes exactly a 4-byte child and no deleted or versioned flag | -358 `JET_errNodeCorrupted` |
//! | keys strictly ascend within a page and along the leaf chain (key then data in non-unique indexes) | -1206 |
//! | the last key of a branch page is empty on the right edge of the tree, else equal to the parent's separator; every key under a separator is below it and at least the previous separator (compared with key + data, as ESE does) | -338 |
//! | the page's database time is not above the header's (clean databases) | -344 `JET_errDbTimeCorrupted` |
//!
//! Space: see "Space as ESE stores it" below. Extent nodes must be well
//! formed (`CSPExtentInfo::ErrCheckCorrupted`), ascending and disjoint
//! within a tree (-343 `JET_errSPOwnExtCorrupted` / -341
//! `JET_errSPAvailExtCorrupted`). Ownership is hierarchical, as in ESE
//! (`ErrREPAIRInsertOERunIntoTT`, `ErrREPAIRInsertAERunIntoTT`): the
//! database root owns the file, an object's owned extents must be owned by
//! its parent and not available there (-343), its available extents and
//! split buffers must be its own (-341), and every page a tree uses must be
//! owned by the tree's object and not available (-343 / -341). Finally
//! every page up to the root's last owned page must be in use, available or
//! reserved (split buffers, shelved pages); anything else is leaked (-348
//! `JET_errDatabaseLeakInSpace`, one finding per run of pages, as eseutil's
//! space dump counts leaks per object).
//!
//! Catalog: both copies are read; an unreadable copy, a copy that differs
//! from the other, an object whose root is outside the file, shared by two
//! objects or belonging to another object, duplicate object ids and system
//! objects away from their fixed places are -1220.
//!
//! Header: the page size agrees with the pages, the state is a known one,
//! and the last object id is at least every object id in use (-1206).
//!
//! # What is information, not damage
//!
//! Nodes flagged deleted or versioned in leaves (ESE's checker counts them;
//! cleanup removes them later), a database not cleanly shut down, and file
//! pages after the root's last owned page (ESE warns "database file is too
//! big" and grows into them) are reported as notes.
//!
//! # Not checked here
//!
//! Record contents, long-value reference counts and index entries against
//! their records (ESE's `RECCHECKTABLE`, `ErrREPAIRCompareLVRefcounts`)
//! belong to the record, long-value and index layers; column and index
//! definitions are checked only as far as [`Catalog::load_from`] refuses
//! impossible rows. Pages outside every tree are not read (their checksums
//! and times are the page pass's, as is a file that is not whole pages).
//!
//! # Space as ESE stores it
//!
//! (From `space.hxx`, `_space.hxx`, `space.cxx`, `fcb.hxx` and
//! `node.cxx`; the corpus agrees wherever it has the case: it has no
//! pools, no filled split buffers and no extended root headers.)
//!
//! Every tree root (ESE: FDP) keeps a 16-byte SPACE_HEADER as line 0:
//! u32 `cpgPrimary` (after the v2 flag, the size of the last allocation),
//! u32 `pgnoParent` (the parent FDP's root page, 0 for the database root),
//! u32 flags (0x1 multiple extents, 0x2 non-unique keys, 0x4 v2), then a
//! u32 that is either the availability bitmap (single extent) or `pgnoOE`.
//! A root whose line 0 is longer starts with a byte of field flags (bit 0:
//! space header present, bit 1: an 8-byte auto-increment value).
//!
//! - Single extent: the object owns `cpgPrimary` pages from its root on;
//!   bit `i` of the bitmap marks page `root + 1 + i` available, and pages
//!   past `root + 32` are all available. Small tables, indexes and
//!   long-value trees (MSysObjids at page 29, MSysLocales at 30, every
//!   index of index.edb) stay in this form.
//! - Multiple extents: the owned-extent tree is rooted at `pgnoOE` and the
//!   available-extent tree at `pgnoOE + 1` (database root: pages 2 and 3;
//!   MSysObjects: 5 and 6). Their pages carry the space-tree flag 0x20 and
//!   the object's id (and index or long-value flag). Their roots' line 0
//!   is a 16-byte split buffer (two u32 last page, i32 count pairs, zero
//!   in the corpus). Leaf keys are the extent's last page, big-endian; the
//!   data is the page count (i32). Available extents of pools other than
//!   the general one have a 5-byte key: `0x80 | pool`, then the page (pool
//!   1 continuous, 2 shelved: single pages beyond the end of the file that
//!   the root still owns). Nodes flagged deleted are ignored (the corpus
//!   has one in most available-extent trees).
//! - Ownership nests: tables and both catalog copies take their extents
//!   from the database root; indexes and long-value trees from their
//!   table (MSysObjects' Name index owns pages 7-9 and 15-18 of
//!   MSysObjects' 4-23, which lists only 19-23 as available). The root
//!   owns pages 1 to its last owned extent; the file may be longer
//!   (large.edb: 766 pages, 510 owned).
//!
//! Work is bounded: each page is read at most once per walk and once in all,
//! trees are at most [`MAX_DEPTH`] deep, extents claim at most a few times
//! the file's pages in all, and memory is five bytes per page plus one
//! page's keys per tree level.
//!
//! [`Catalog::load_from`]: crate::catalog::Catalog::load_from

mod btree;
mod catalog;
mod ownership;
mod space;
mod walk;

use std::collections::HashMap;
use std::fmt;

use ese_format::constants::{is_valid_page_size, JET_dbstateCleanShutdown};
use ese_format::header::DatabaseHeader;

use crate::codes::*;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

use catalog::Fdp;
use walk::Role;

/// The general pool of a space tree (the only one `walk` needs; the
/// space checks read the others).
const POOL_GENERAL: u8 = ese_format::space::pool::GENERAL;

/// A run of pages `first..=last` (empty when `first > last`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Extent {
    first: u32,
    last: u32,
    pool: u8,
    /// The page the extent was read from.
    page: u32,
}

/// Deepest tree walked (ESE trees of any real size stay below 6 levels).
pub const MAX_DEPTH: usize = 16;

/// Findings recorded before the rest are only counted.
pub const MAX_FINDINGS: usize = 10_000;

/// Per-page state bits.
const AVAILABLE: u8 = 0x01;
const RESERVED: u8 = 0x02;
const VISITED: u8 = 0x04;
const EXEMPT: u8 = 0x08;

/// One problem found, with the tree it was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The JET error ESE would report, with the page and an explanation.
    pub error: Error,
    /// The tree (`table`, `table/index`, `table/long values`, with
    /// ` (owned extents)` or ` (available extents)` for space trees).
    pub tree: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.tree {
            Some(tree) => write!(f, "{tree}: {}", self.error),
            None => write!(f, "{}", self.error),
        }
    }
}

/// Information that is not damage (deleted nodes awaiting cleanup, a
/// database not shut down cleanly, file pages past the owned space).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub tree: Option<String>,
    pub page: Option<u32>,
    pub detail: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(tree) = &self.tree {
            write!(f, "{tree}: ")?;
        }
        if let Some(page) = self.page {
            write!(f, "page {page}: ")?;
        }
        f.write_str(&self.detail)
    }
}

/// Where the pages of the file went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpaceSummary {
    /// Whether every page was accounted for (this needs the catalog and
    /// every space tree readable).
    pub accounted: bool,
    /// Pages of some tree (B+tree or space tree).
    pub in_use: u64,
    /// Pages in available extents or single-extent bitmaps.
    pub available: u64,
    /// Pages in split buffers or shelved.
    pub reserved: u64,
    /// Owned pages neither in use, available nor reserved.
    pub leaked: u64,
    /// File pages after the database root's last owned page.
    pub beyond_owned: u64,
}

/// What the structural check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StructureReport {
    /// B+trees walked, space trees included.
    pub trees_checked: usize,
    /// Distinct pages read by the walks.
    pub pages_visited: u64,
    /// Damage, each with the JET error ESE would use.
    pub findings: Vec<Finding>,
    /// Findings beyond [`MAX_FINDINGS`], counted only.
    pub findings_not_recorded: u64,
    /// Information that is not damage.
    pub notes: Vec<Note>,
    /// Leaf nodes flagged deleted / versioned.
    pub deleted_nodes: u64,
    pub versioned_nodes: u64,
    pub space: SpaceSummary,
}

impl StructureReport {
    /// True when nothing is damaged.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty() && self.findings_not_recorded == 0
    }
}

/// Checks the structure of the database behind `source`, whose elected
/// header is `header`. Damage is reported in the result; the check fails
/// only when the pages cannot be interpreted at all (a page size ESE does
/// not define).
pub fn check_structure(
    source: &dyn PageSource,
    header: &DatabaseHeader,
) -> Result<StructureReport> {
    let page_size = source.page_size();
    if !is_valid_page_size(page_size) {
        return Err(Error::new(JET_errInvalidParameter)
            .with_detail(format!("{page_size} bytes is not a database page size")));
    }
    let mut checker = Checker::new(source, header);
    checker.check_header();
    checker.load_objects();
    checker.check_space();
    checker.check_trees();
    checker.account_pages();
    checker.check_object_ids();
    Ok(checker.report)
}

fn error(code: i32, page: u32, detail: impl Into<String>) -> Error {
    Error::new(code).with_page(page).with_detail(detail)
}

fn range_text(first: u32, last: u32) -> String {
    if first == last {
        format!("page {first}")
    } else {
        format!("pages {first} to {last} ({} pages)", last - first + 1)
    }
}

struct Checker<'s> {
    source: &'s dyn PageSource,
    header: &'s DatabaseHeader,
    last_page: u32,
    clean: bool,
    owner: Vec<u32>,
    state: Vec<u8>,
    fdps: Vec<Fdp>,
    by_object: HashMap<u32, usize>,
    by_root: HashMap<u32, usize>,
    report: StructureReport,
    /// Space-tree pages whose ownership is checked once all space is known.
    deferred: Vec<(u32, usize, Role)>,
    catalog_loaded: bool,
    space_complete: bool,
    /// The database root's last owned page.
    root_last_owned: u32,
    /// Shelved page runs of the database root, sorted.
    shelved: Vec<(u32, u32)>,
    /// Pages extents may still claim (bounds the work on absurd extents).
    claim_budget: u64,
}

impl<'s> Checker<'s> {
    fn new(source: &'s dyn PageSource, header: &'s DatabaseHeader) -> Self {
        let last_page = source.last_page();
        let slots = last_page as usize + 1;
        Checker {
            source,
            header,
            last_page,
            clean: header.state == JET_dbstateCleanShutdown,
            owner: vec![0; slots],
            state: vec![0; slots],
            fdps: Vec::new(),
            by_object: HashMap::new(),
            by_root: HashMap::new(),
            report: StructureReport::default(),
            deferred: Vec::new(),
            catalog_loaded: false,
            space_complete: true,
            root_last_owned: 0,
            shelved: Vec::new(),
            claim_budget: 8 * u64::from(last_page) + 4096,
        }
    }

    fn find(&mut self, tree: Option<&str>, error: Error) {
        if self.report.findings.len() >= MAX_FINDINGS {
            self.report.findings_not_recorded += 1;
            return;
        }
        self.report.findings.push(Finding {
            error,
            tree: tree.map(str::to_owned),
        });
    }

    fn note(&mut self, tree: Option<&str>, page: Option<u32>, detail: impl Into<String>) {
        if self.report.notes.len() < MAX_FINDINGS {
            self.report.notes.push(Note {
                tree: tree.map(str::to_owned),
                page,
                detail: detail.into(),
            });
        }
    }

    fn object_name(&self, object_id: u32) -> String {
        match self.by_object.get(&object_id) {
            Some(&index) => format!("{} (object {object_id})", self.fdps[index].name),
            None if object_id == 0 => "no object".to_string(),
            None => format!("object {object_id}"),
        }
    }
}
