//! The structural (logical) check behind `esentutl check`, run after the
//! page-by-page checksum pass of [`crate::integrity`].
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

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use ese_format::constants::{
    database_state_name, is_valid_page_size, max_key_size, JET_dbstateCleanShutdown,
};
use ese_format::header::{db_flags, DatabaseHeader};
use ese_format::node::{node, node_count};
use ese_format::page::{Page, PageFlags};

use crate::catalog::{Catalog, TableDef, CATALOG_TREE, SHADOW_CATALOG_TREE};
use crate::codes::*;
use crate::page_source::PageSource;
use crate::{Error, Result};

/// Deepest tree walked (ESE trees of any real size stay below 6 levels).
pub const MAX_DEPTH: usize = 16;

/// Findings recorded before the rest are only counted.
pub const MAX_FINDINGS: usize = 10_000;

/// The highest page number ESE ever allocates (space.hxx: pgnoSysMax).
const PGNO_SYS_MAX: u32 = 0x7fef_ffff;

/// Pages of a single-extent object the availability bitmap describes
/// (_space.hxx: cpgSmallSpaceAvailMost); pages beyond are all available.
const SMALL_SPACE_AVAIL_MOST: u32 = 32;

/// Size of a SPACE_HEADER and of a SPLIT_BUFFER.
const SPACE_HEADER_SIZE: usize = 16;
const SPLIT_BUFFER_SIZE: usize = 16;

/// SPACE_HEADER flag bits (space.hxx: fSPHMultipleExtent, fSPHNonUnique).
const SPH_MULTIPLE_EXTENT: u32 = 0x01;
const SPH_NON_UNIQUE: u32 = 0x02;

/// Available-extent pools (_space.hxx: SpacePool).
const POOL_GENERAL: u8 = 0;
const POOL_SHELVED: u8 = 2;
const POOL_COUNT: u8 = 3;

/// The database root.
const ROOT_PAGE: u32 = 1;
const ROOT_OBJECT: u32 = 1;

/// The objects ESE creates at fixed places (cat.hxx): (object, root page,
/// parent object, name).
const SYSTEM_OBJECTS: [(u32, u32, u32, &str); 4] = [
    (2, 4, ROOT_OBJECT, "MSysObjects"),
    (4, 7, 2, "MSysObjects/Name"),
    (5, 10, 2, "MSysObjects/RootObjects"),
    (3, 24, ROOT_OBJECT, "MSysObjectsShadow"),
];

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    DatabaseRoot,
    Table,
    Index,
    LongValue,
}

impl Kind {
    /// The page flags every page of such a tree carries.
    fn page_bits(self) -> u32 {
        match self {
            Kind::Index => PageFlags::INDEX,
            Kind::LongValue => PageFlags::LONG_VALUE,
            Kind::DatabaseRoot | Kind::Table => 0,
        }
    }
}

/// A tree root with its own space (ESE: an FDP).
#[derive(Clone, Debug)]
struct Fdp {
    name: String,
    object_id: u32,
    root: u32,
    /// Index of the parent in `Checker::fdps` (none for the database root).
    parent: Option<usize>,
    kind: Kind,
    unique: bool,
    /// Not walked: its root is unreadable, foreign, or being deleted.
    skipped: bool,
    /// Its pages are not checked (the object is being deleted).
    exempt: bool,
    /// Its space was read, so its pages' ownership is known.
    space_ok: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Main,
    OwnedExtents,
    AvailableExtents,
}

/// A run of pages `first..=last` (empty when `first > last`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Extent {
    first: u32,
    last: u32,
    pool: u8,
    /// The page the extent was read from.
    page: u32,
}

/// The decoded SPACE_HEADER of a tree root.
#[derive(Clone, Copy, Debug)]
struct SpaceHeader {
    cpg_primary: u32,
    parent: u32,
    flags: u32,
    /// The availability bitmap (single extent) or the owned-extent root.
    last_word: u32,
}

/// How a child page looked to its parent.
#[derive(Clone, Copy)]
struct Seen {
    leaf: bool,
}

/// The state of one tree walk.
struct Walk {
    fdp: usize,
    role: Role,
    name: String,
    object_id: u32,
    expected_bits: u32,
    non_unique: bool,
    check_non_unique_flag: bool,
    defer_usage: bool,
    leaf_depth: Option<usize>,
    /// The previous leaf (0 = none), its right link and its last entry.
    prev_leaf: u32,
    prev_leaf_next: u32,
    prev_leaf_last: Option<(Vec<u8>, Vec<u8>)>,
    /// Set when a subtree could not be walked: the next leaf's left link
    /// and first key cannot be compared with a leaf seen before it.
    chain_unknown: bool,
    /// False when part of the tree could not be read.
    complete: bool,
    deleted: u64,
    versioned: u64,
    extents: Vec<Extent>,
    last_pool: u8,
    last_pgno: u32,
}

impl Walk {
    fn new(fdp: &Fdp, index: usize, role: Role) -> Self {
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

    fn space_code(&self) -> i32 {
        if self.role == Role::AvailableExtents {
            JET_errSPAvailExtCorrupted
        } else {
            JET_errSPOwnExtCorrupted
        }
    }
}

fn error(code: i32, page: u32, detail: impl Into<String>) -> Error {
    Error::new(code).with_page(page).with_detail(detail)
}

/// Compares `separator` with the concatenation `key + data`, as ESE's
/// CmpKeyWithKeyData does (shorter is smaller on a common prefix).
fn cmp_with_key_data(separator: &[u8], key: &[u8], data: &[u8]) -> Ordering {
    let split = separator.len().min(key.len());
    separator[..split]
        .cmp(&key[..split])
        .then_with(|| {
            let rest = &separator[split..];
            let data_split = rest.len().min(data.len());
            rest[..data_split].cmp(&data[..data_split])
        })
        .then_with(|| separator.len().cmp(&(key.len() + data.len())))
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

    // ----------------------------------------------------------------
    // Header

    fn check_header(&mut self) {
        let header = self.header;
        let declared = if header.page_size == 0 {
            4096
        } else {
            header.page_size as usize
        };
        if declared != self.source.page_size() {
            self.find(
                None,
                Error::new(JET_errPageSizeMismatch).with_detail(format!(
                    "the header declares {declared}-byte pages, the pages are {} bytes",
                    self.source.page_size()
                )),
            );
        }
        match database_state_name(header.state) {
            None => self.find(
                None,
                Error::new(JET_errDatabaseCorrupted).with_detail(format!(
                    "the header holds unknown database state {}",
                    header.state
                )),
            ),
            Some(name) if !self.clean => self.note(
                None,
                None,
                format!(
                    "the database is in state {} ({name}), not cleanly shut down: pages may \
                     lack changes its logs would complete, and page times may pass the header's",
                    header.state
                ),
            ),
            Some(_) => {}
        }
    }

    fn check_object_ids(&mut self) {
        let highest = self
            .fdps
            .iter()
            .map(|f| f.object_id)
            .max()
            .unwrap_or(ROOT_OBJECT);
        if highest > self.header.last_object_id {
            let name = self.object_name(highest);
            self.find(
                None,
                Error::new(JET_errDatabaseCorrupted).with_detail(format!(
                    "the header's last object id is {}, but {name} exists: new objects \
                     would reuse its id",
                    self.header.last_object_id
                )),
            );
        }
    }

    // ----------------------------------------------------------------
    // Catalog

    fn add_fdp(&mut self, fdp: Fdp) -> Option<usize> {
        let catalog = |detail: String| Error::new(JET_errCatalogCorrupted).with_detail(detail);
        if fdp.root == 0 || fdp.root > self.last_page {
            let e = catalog(format!(
                "the catalog places object {} at page {}, outside the file's pages 1 to {}",
                fdp.object_id, fdp.root, self.last_page
            ));
            self.find(Some(&fdp.name), e);
            return None;
        }
        if let Some(&other) = self.by_object.get(&fdp.object_id) {
            let e = catalog(format!(
                "object id {} is used by both {} and {}",
                fdp.object_id, self.fdps[other].name, fdp.name
            ))
            .with_page(fdp.root);
            self.find(Some(&fdp.name), e);
            return None;
        }
        if let Some(&other) = self.by_root.get(&fdp.root) {
            let e = catalog(format!(
                "page {} is the root of both {} and {}",
                fdp.root, self.fdps[other].name, fdp.name
            ))
            .with_page(fdp.root);
            let name = fdp.name.clone();
            self.find(Some(&name), e);
            return None;
        }
        let index = self.fdps.len();
        self.by_object.insert(fdp.object_id, index);
        self.by_root.insert(fdp.root, index);
        self.fdps.push(fdp);
        Some(index)
    }

    fn new_fdp(name: String, object_id: u32, root: u32, parent: usize, kind: Kind) -> Fdp {
        Fdp {
            name,
            object_id,
            root,
            parent: Some(parent),
            kind,
            unique: true,
            skipped: false,
            exempt: false,
            space_ok: false,
        }
    }

    fn load_objects(&mut self) {
        self.fdps.push(Fdp {
            name: "database root".into(),
            object_id: ROOT_OBJECT,
            root: ROOT_PAGE,
            parent: None,
            kind: Kind::DatabaseRoot,
            unique: true,
            skipped: false,
            exempt: false,
            space_ok: false,
        });
        self.by_object.insert(ROOT_OBJECT, 0);
        self.by_root.insert(ROOT_PAGE, 0);

        let shadowed = self.header.db_flags & db_flags::SHADOWING_DISABLED == 0;
        let source = self.source;
        let tables = match Catalog::load_from(source, CATALOG_TREE) {
            Ok(tables) => {
                let lists_shadow = tables
                    .iter()
                    .any(|t| t.object_id == SHADOW_CATALOG_TREE.object_id);
                if shadowed || lists_shadow {
                    match Catalog::load_from(source, SHADOW_CATALOG_TREE) {
                        Ok(shadow) => self.compare_catalogs(&tables, &shadow),
                        Err(e) => {
                            let page = e.context().and_then(|c| c.page).unwrap_or(24);
                            self.find(
                                Some("MSysObjectsShadow"),
                                error(
                                    JET_errCatalogCorrupted,
                                    page,
                                    format!("the shadow catalog cannot be read: {e}"),
                                ),
                            );
                        }
                    }
                }
                Some(tables)
            }
            Err(e) => {
                let page = e.context().and_then(|c| c.page).unwrap_or(4);
                self.find(
                    Some("MSysObjects"),
                    error(
                        JET_errCatalogCorrupted,
                        page,
                        format!("the catalog cannot be read: {e}"),
                    ),
                );
                if shadowed {
                    match Catalog::load_from(source, SHADOW_CATALOG_TREE) {
                        Ok(shadow) => {
                            self.note(
                                Some("MSysObjectsShadow"),
                                None,
                                "objects are taken from the shadow catalog",
                            );
                            Some(shadow)
                        }
                        Err(e) => {
                            let page = e.context().and_then(|c| c.page).unwrap_or(24);
                            self.find(
                                Some("MSysObjectsShadow"),
                                error(
                                    JET_errCatalogCorrupted,
                                    page,
                                    format!("the shadow catalog cannot be read either: {e}"),
                                ),
                            );
                            None
                        }
                    }
                } else {
                    None
                }
            }
        };
        if let Some(tables) = &tables {
            self.catalog_loaded = true;
            for table in tables {
                self.add_table(table);
            }
        } else {
            self.note(
                None,
                None,
                "without a catalog only the system trees are checked and pages are not \
                 accounted for",
            );
        }
        // The system objects live at fixed places whatever the catalog says.
        for (object_id, root, parent_object, name) in SYSTEM_OBJECTS {
            if object_id == SHADOW_CATALOG_TREE.object_id && !shadowed {
                continue;
            }
            match self.by_object.get(&object_id) {
                Some(&index) => {
                    if self.fdps[index].root != root {
                        let e = error(
                            JET_errCatalogCorrupted,
                            self.fdps[index].root,
                            format!(
                                "the catalog places {name} (object {object_id}) at page {}, \
                                 ESE always creates it at page {root}",
                                self.fdps[index].root
                            ),
                        );
                        self.find(Some(name), e);
                    }
                }
                None => {
                    if tables.is_some() {
                        let e = error(
                            JET_errCatalogCorrupted,
                            root,
                            format!("the catalog does not list {name} (object {object_id})"),
                        );
                        self.find(Some(name), e);
                    }
                    let Some(&parent) = self.by_object.get(&parent_object) else {
                        continue;
                    };
                    let kind = if parent_object == ROOT_OBJECT {
                        Kind::Table
                    } else {
                        Kind::Index
                    };
                    self.add_fdp(Self::new_fdp(name.into(), object_id, root, parent, kind));
                }
            }
        }
        // Parents come before their children: the order space is read in.
        let mut order: Vec<usize> = (0..self.fdps.len()).collect();
        order.sort_by_key(|&i| self.depth_of(i));
        if order.iter().enumerate().any(|(a, &b)| a != b) {
            let old = std::mem::take(&mut self.fdps);
            let remap: HashMap<usize, usize> = order
                .iter()
                .enumerate()
                .map(|(new, &old)| (old, new))
                .collect();
            self.fdps = order
                .iter()
                .map(|&i| {
                    let mut f = old[i].clone();
                    f.parent = f.parent.map(|p| remap[&p]);
                    f
                })
                .collect();
            self.by_object = self
                .fdps
                .iter()
                .enumerate()
                .map(|(i, f)| (f.object_id, i))
                .collect();
            self.by_root = self
                .fdps
                .iter()
                .enumerate()
                .map(|(i, f)| (f.root, i))
                .collect();
        }
    }

    fn depth_of(&self, mut index: usize) -> usize {
        let mut depth = 0;
        while let Some(parent) = self.fdps[index].parent {
            index = parent;
            depth += 1;
            if depth > self.fdps.len() {
                break;
            }
        }
        depth
    }

    fn add_table(&mut self, table: &TableDef) {
        let Some(t) = self.add_fdp(Self::new_fdp(
            table.name.clone(),
            table.object_id,
            table.root_page,
            0,
            Kind::Table,
        )) else {
            return;
        };
        if let Some(lv) = table.long_values {
            self.add_fdp(Self::new_fdp(
                format!("{}/long values", table.name),
                lv.object_id,
                lv.root,
                t,
                Kind::LongValue,
            ));
        }
        for index in &table.indexes {
            let name = format!("{}/{}", table.name, index.name);
            if index.root_page == table.root_page {
                if index.object_id != table.object_id {
                    let e = error(
                        JET_errCatalogCorrupted,
                        index.root_page,
                        format!(
                            "index {} shares the table's root page but claims object {}, \
                             the table is object {}",
                            index.name, index.object_id, table.object_id
                        ),
                    );
                    self.find(Some(&name), e);
                }
                continue;
            }
            let mut fdp = Self::new_fdp(name, index.object_id, index.root_page, t, Kind::Index);
            fdp.unique = index.is_unique();
            self.add_fdp(fdp);
        }
    }

    fn compare_catalogs(&mut self, primary: &[TableDef], shadow: &[TableDef]) {
        let objects = |tables: &[TableDef]| -> Vec<(u32, u32, String)> {
            let mut out = Vec::new();
            for t in tables {
                out.push((t.object_id, t.root_page, t.name.clone()));
                if let Some(lv) = t.long_values {
                    out.push((lv.object_id, lv.root, format!("{}/long values", t.name)));
                }
                for i in &t.indexes {
                    out.push((i.object_id, i.root_page, format!("{}/{}", t.name, i.name)));
                }
            }
            out.sort();
            out
        };
        let (a, b) = (objects(primary), objects(shadow));
        if a == b {
            return;
        }
        let difference = a
            .iter()
            .zip(&b)
            .find(|(x, y)| x != y)
            .map(|(x, y)| {
                format!(
                    "MSysObjects has {} (object {}, page {}) where the shadow has {} (object {}, page {})",
                    x.2, x.0, x.1, y.2, y.0, y.1
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "MSysObjects lists {} objects, the shadow {}",
                    a.len(),
                    b.len()
                )
            });
        self.find(
            Some("MSysObjectsShadow"),
            error(
                JET_errCatalogCorrupted,
                SHADOW_CATALOG_TREE.root,
                format!("the shadow catalog differs from the catalog: {difference}"),
            ),
        );
    }

    // ----------------------------------------------------------------
    // Space

    fn check_space(&mut self) {
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
        if sph.parent != expected_parent {
            self.find(
                Some(name),
                error(
                    JET_errDatabaseCorrupted,
                    fdp.root,
                    format!(
                        "the space header names page {} as the parent, expected {}",
                        sph.parent, expected_parent
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
            let cpg = sph.cpg_primary;
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

    fn claim_owned(
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

    fn claim_split_buffer(
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
    fn claim_available(&mut self, tree: &str, index: usize, extent: Extent, owner_known: bool) {
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
    fn check_usage(&mut self, page: u32, fdp: usize, tree: &str) {
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
    // B+trees

    fn check_trees(&mut self) {
        for index in 0..self.fdps.len() {
            if self.fdps[index].skipped {
                continue;
            }
            let fdp = self.fdps[index].clone();
            let mut walk = Walk::new(&fdp, index, Role::Main);
            self.walk_tree(&mut walk, fdp.root);
        }
    }

    fn walk_tree(&mut self, walk: &mut Walk, root: u32) {
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

    fn visit(
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

    fn node_error(&mut self, walk: &Walk, pgno: u32, index: usize, detail: impl Into<String>) {
        let detail = format!("node {index}: {}", detail.into());
        self.find(Some(&walk.name), error(JET_errNodeCorrupted, pgno, detail));
    }

    fn check_leaf(
        &mut self,
        walk: &mut Walk,
        pgno: u32,
        page: &Page<'_>,
        depth: usize,
        lower: Option<&[u8]>,
        upper: Option<&[u8]>,
    ) {
        let h = *page.header();
        match walk.leaf_depth {
            None => walk.leaf_depth = Some(depth),
            Some(d) if d != depth => {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    format!("a leaf at depth {depth}, while the tree's leaves are at depth {d}"),
                );
                self.find(Some(&walk.name), e);
            }
            Some(_) => {}
        }
        if walk.chain_unknown {
            // The leaves between the last one seen and this one were lost.
            walk.chain_unknown = false;
            walk.prev_leaf_last = None;
        } else {
            if h.previous_page != walk.prev_leaf {
                let detail = if walk.prev_leaf == 0 {
                    format!(
                        "the first leaf of the tree links left to page {}",
                        h.previous_page
                    )
                } else {
                    format!(
                        "the leaf links left to page {}, but the leaf before it is page {}",
                        h.previous_page, walk.prev_leaf
                    )
                };
                self.find(Some(&walk.name), error(JET_errBadPageLink, pgno, detail));
            }
            if walk.prev_leaf != 0 && walk.prev_leaf_next != pgno {
                let e = error(
                    JET_errBadPageLink,
                    walk.prev_leaf,
                    format!(
                        "the leaf links right to page {}, but the leaf after it is page {pgno}",
                        walk.prev_leaf_next
                    ),
                );
                self.find(Some(&walk.name), e);
            }
        }
        walk.prev_leaf = pgno;
        walk.prev_leaf_next = h.next_page;

        let count = node_count(page);
        if count == 0 && depth > 0 {
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                "an empty leaf page (not the root) is linked into the tree",
            );
            self.find(Some(&walk.name), e);
        }
        let key_most = 2 * max_key_size(page.page_size());
        let mut previous = walk.prev_leaf_last.take();
        let mut key = Vec::new();
        for index in 0..count {
            let n = match node(page, index) {
                Ok(n) => n,
                Err(e) => {
                    self.find(Some(&walk.name), e.in_page(pgno));
                    continue;
                }
            };
            if n.prefix.len() == 1 {
                self.node_error(
                    walk,
                    pgno,
                    index,
                    "a one-byte key prefix (ESE never compresses so little)",
                );
            }
            if n.key_len() > key_most {
                self.node_error(walk, pgno, index, format!("a key of {} bytes", n.key_len()));
            }
            if walk.role == Role::Main {
                if n.key_len() == 0 {
                    self.node_error(walk, pgno, index, "a leaf node without a key");
                }
                if n.data.is_empty() {
                    self.node_error(walk, pgno, index, "a leaf node without data");
                }
            }
            n.key_into(&mut key);
            if let Some((prev_key, prev_data)) = &previous {
                let order = if walk.non_unique {
                    (key.as_slice(), n.data).cmp(&(prev_key.as_slice(), prev_data.as_slice()))
                } else {
                    key.as_slice().cmp(prev_key.as_slice())
                };
                if order != Ordering::Greater {
                    let where_ = if index == 0 {
                        format!("the first key of the leaf is not above the last key of the leaf before it (page {})", h.previous_page)
                    } else {
                        format!("node {index} is not above node {}", index - 1)
                    };
                    let what = if order == Ordering::Equal {
                        "a duplicate key"
                    } else {
                        "keys out of order"
                    };
                    self.find(
                        Some(&walk.name),
                        error(JET_errDatabaseCorrupted, pgno, format!("{what}: {where_}")),
                    );
                }
            }
            if index == 0 {
                if let Some(lower) = lower {
                    if cmp_with_key_data(lower, &key, n.data) == Ordering::Greater {
                        let e = error(
                            JET_errBadParentPageLink,
                            pgno,
                            "the leaf's first key is below the separator that leads to it",
                        );
                        self.find(Some(&walk.name), e);
                    }
                }
            }
            if index + 1 == count {
                if let Some(upper) = upper {
                    if key.as_slice() >= upper {
                        let e = error(
                            JET_errBadParentPageLink,
                            pgno,
                            "the leaf's last key is not below the separator that leads to it",
                        );
                        self.find(Some(&walk.name), e);
                    }
                }
            }
            if n.is_deleted() {
                walk.deleted += 1;
            } else if walk.role != Role::Main {
                if n.is_versioned() {
                    let code = walk.space_code();
                    self.find(
                        Some(&walk.name),
                        error(
                            code,
                            pgno,
                            format!("node {index}: a versioned node in a space tree"),
                        ),
                    );
                }
                self.space_node(walk, pgno, index, &key, n.data);
            }
            if n.is_versioned() {
                walk.versioned += 1;
            }
            // Only non-unique trees compare data: keep it only for them.
            let data = if walk.non_unique { n.data } else { &[] };
            match &mut previous {
                Some((prev_key, prev_data)) => {
                    std::mem::swap(prev_key, &mut key);
                    prev_data.clear();
                    prev_data.extend_from_slice(data);
                }
                None => previous = Some((std::mem::take(&mut key), data.to_vec())),
            }
        }
        walk.prev_leaf_last = previous;
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
    fn space_node(&mut self, walk: &mut Walk, pgno: u32, index: usize, key: &[u8], data: &[u8]) {
        let available = walk.role == Role::AvailableExtents;
        let (pool, last) = match key.len() {
            4 if key[0] & 0x80 == 0 => (
                POOL_GENERAL,
                u32::from_be_bytes([key[0], key[1], key[2], key[3]]),
            ),
            5 if available && key[0] & 0x80 != 0 => (
                key[0] & 0x07,
                u32::from_be_bytes([key[1], key[2], key[3], key[4]]),
            ),
            _ => {
                self.space_error(
                    walk,
                    pgno,
                    index,
                    format!("a {}-byte key is not an extent key", key.len()),
                );
                return;
            }
        };
        if pool >= POOL_COUNT {
            self.space_error(walk, pgno, index, format!("unknown space pool {pool}"));
            return;
        }
        let Ok(bytes) = <[u8; 4]>::try_from(data) else {
            self.space_error(
                walk,
                pgno,
                index,
                format!("extent data of {} bytes, a page count takes 4", data.len()),
            );
            return;
        };
        let cpg = i32::from_le_bytes(bytes);
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

    fn check_branch(
        &mut self,
        walk: &mut Walk,
        pgno: u32,
        page: &Page<'_>,
        depth: usize,
        lower: Option<&[u8]>,
        upper: Option<&[u8]>,
    ) {
        let h = *page.header();
        if h.previous_page != 0 || h.next_page != 0 {
            let e = error(
                JET_errBadPageLink,
                pgno,
                format!(
                    "a branch page links to siblings (left {}, right {}); ESE links leaves only",
                    h.previous_page, h.next_page
                ),
            );
            self.find(Some(&walk.name), e);
        }
        let count = node_count(page);
        if count == 0 {
            walk.complete = false;
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                "a branch page holds no nodes",
            );
            self.find(Some(&walk.name), e);
            return;
        }
        if depth + 1 >= MAX_DEPTH {
            walk.complete = false;
            let e = error(
                JET_errBadParentPageLink,
                pgno,
                format!("the tree is deeper than {MAX_DEPTH} levels"),
            );
            self.find(Some(&walk.name), e);
            return;
        }
        let key_most = 2 * max_key_size(page.page_size());
        let mut children: Vec<(Vec<u8>, u32)> = Vec::with_capacity(count);
        for index in 0..count {
            let n = match node(page, index) {
                Ok(n) => n,
                Err(e) => {
                    walk.complete = false;
                    self.find(Some(&walk.name), e.in_page(pgno));
                    return;
                }
            };
            if n.is_deleted() || n.is_versioned() {
                self.node_error(
                    walk,
                    pgno,
                    index,
                    "a branch node flagged deleted or versioned",
                );
            }
            if n.prefix.len() == 1 {
                self.node_error(
                    walk,
                    pgno,
                    index,
                    "a one-byte key prefix (ESE never compresses so little)",
                );
            }
            if n.key_len() > key_most {
                self.node_error(walk, pgno, index, format!("a key of {} bytes", n.key_len()));
            }
            let Ok(child) = <[u8; 4]>::try_from(n.data) else {
                walk.complete = false;
                self.node_error(
                    walk,
                    pgno,
                    index,
                    format!(
                        "a branch node holds {} data bytes, not a 4-byte page number",
                        n.data.len()
                    ),
                );
                return;
            };
            children.push((n.key(), u32::from_le_bytes(child)));
        }
        for index in 0..count {
            let key = &children[index].0;
            if key.is_empty() && index + 1 != count {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    format!("node {index}: an empty key before the last node of a branch page"),
                );
                self.find(Some(&walk.name), e);
            }
            if index > 0 && !key.is_empty() && key <= &children[index - 1].0 {
                let e = error(
                    JET_errDatabaseCorrupted,
                    pgno,
                    format!(
                        "keys out of order: node {index} is not above node {}",
                        index - 1
                    ),
                );
                self.find(Some(&walk.name), e);
            }
        }
        let last_key = children[count - 1].0.as_slice();
        match upper {
            None if !last_key.is_empty() => {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the last node of a branch page on the tree's right edge has a key (it must be empty)",
                );
                self.find(Some(&walk.name), e);
            }
            Some(upper) if last_key != upper => {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the branch page's last key differs from the separator that leads to it",
                );
                self.find(Some(&walk.name), e);
            }
            _ => {}
        }
        if let Some(lower) = lower {
            let first = children[0].0.as_slice();
            if !first.is_empty() && first < lower {
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    "the branch page's first key is below the separator that leads to it",
                );
                self.find(Some(&walk.name), e);
            }
        }
        let parent_of_leaf = h.flags.is_parent_of_leaf();
        for index in 0..count {
            let child = children[index].1;
            let child_lower = if index == 0 {
                lower
            } else {
                Some(children[index - 1].0.as_slice())
            };
            let key = children[index].0.as_slice();
            let child_upper = if key.is_empty() { None } else { Some(key) };
            if child == pgno {
                walk.complete = false;
                let e = error(
                    JET_errBadParentPageLink,
                    pgno,
                    format!("node {index} links the page to itself"),
                );
                self.find(Some(&walk.name), e);
                continue;
            }
            let Some(seen) =
                self.visit(walk, child, depth + 1, Some(pgno), child_lower, child_upper)
            else {
                walk.chain_unknown = true;
                continue;
            };
            if parent_of_leaf != seen.leaf {
                let detail = if parent_of_leaf {
                    format!("the page is flagged parent-of-leaf, but its child page {child} is not a leaf")
                } else {
                    format!(
                        "child page {child} is a leaf, but the page is not flagged parent-of-leaf"
                    )
                };
                self.find(
                    Some(&walk.name),
                    error(JET_errBadParentPageLink, pgno, detail),
                );
            }
        }
    }

    // ----------------------------------------------------------------
    // Page accounting

    fn account_pages(&mut self) {
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

/// The SPACE_HEADER in line 0 of a tree root: the line alone when it is 16
/// bytes, else after a byte of field flags whose bit 0 says it is present
/// (node.cxx: NDGetPtrExternalHeader).
fn space_header(page: &Page<'_>) -> Option<SpaceHeader> {
    let line = page.line(0)?;
    let bytes = if line.len() == SPACE_HEADER_SIZE {
        line
    } else if line.len() > SPACE_HEADER_SIZE && line[0] & 0x01 != 0 {
        &line[1..1 + SPACE_HEADER_SIZE]
    } else {
        return None;
    };
    let word = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some(SpaceHeader {
        cpg_primary: word(0),
        parent: word(4),
        flags: word(8),
        last_word: word(12),
    })
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
