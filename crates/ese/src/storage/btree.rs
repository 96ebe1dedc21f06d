//! Reading B+trees (ESE: bt): walking a tree in key order and seeking a key.
//!
//! Every table, index, long-value store and space tree is a B+tree whose
//! root page is known from the catalog. Branch pages hold nodes whose data is
//! a child page number; each node's key separates its child from the next
//! one (every key in the child is below it, and it is the first key of the
//! next child), and the last node's key is empty, standing for "everything
//! greater". Leaf pages hold the entries and are chained left to right.
//!
//! The walk trusts nothing it reads: every page must belong to the tree's
//! object, be at the level expected, and link back to its left neighbour;
//! a walk never visits more pages than the file holds, so a cycle of links
//! ends in an error instead of a hang.

use std::cmp::Ordering;

use ese_format::node::{node, node_count, partition_nodes, KeyProbe};
use ese_format::page::{Page, PageFlags, PageHeader};

use crate::codes::*;
use crate::storage::page_source::{PageBytes, PageSource};
use crate::{Error, Result};

mod leaf;
pub use leaf::Leaf;

/// Deepest tree accepted: ESE trees stay far shallower (a 4 KiB-page tree
/// of depth 10 would index more keys than any file can hold).
const MAX_DEPTH: usize = 16;

/// One leaf entry, copied out of its page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub key: Vec<u8>,
    pub data: Vec<u8>,
    /// The leaf page it was read from.
    pub page: u32,
    /// It belongs to a non-unique tree, where the data (the primary key)
    /// is part of the entry's identity and order.
    pub non_unique: bool,
}

impl Entry {
    /// The entry's place in its tree's order: key, then data in a
    /// non-unique tree.
    pub fn position(&self) -> (&[u8], &[u8]) {
        if self.non_unique {
            (&self.key, &self.data)
        } else {
            (&self.key, &[])
        }
    }
}

/// A B+tree identified by its root page and owning object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tree {
    pub root: u32,
    /// The object id every page of the tree carries (ESE: objidFDP).
    pub object_id: u32,
}

fn bad_link(page: u32, detail: String) -> Error {
    Error::new(JET_errBadPageLink)
        .with_page(page)
        .with_detail(detail)
}

/// Reads page `number` of `tree`, checking that it belongs to the tree.
fn read_tree_page(source: &dyn PageSource, tree: Tree, number: u32) -> Result<PageBytes> {
    read_tree_page_parsed(source, tree, number).map(|(bytes, _)| bytes)
}

/// [`read_tree_page`] with the page's header as it decoded it (a descent
/// reads the header of each page once, not once per check).
fn read_tree_page_parsed(
    source: &dyn PageSource,
    tree: Tree,
    number: u32,
) -> Result<(PageBytes, PageHeader)> {
    if number == 0 || number > source.last_page() {
        return Err(bad_link(
            number,
            format!(
                "a link of tree {} points to page {number}, outside the file's pages 1 to {}",
                tree.object_id,
                source.last_page()
            ),
        ));
    }
    let bytes = source.read_page(number)?;
    let header = *Page::parse_trusted(&bytes, number)?.header();
    if header.object_id != tree.object_id {
        return Err(Error::new(JET_errBadParentPageLink)
            .with_page(number)
            .with_detail(format!(
                "the page belongs to object {}, but was reached from tree {}",
                header.object_id, tree.object_id
            )));
    }
    Ok((bytes, header))
}

impl Tree {
    pub fn new(root: u32, object_id: u32) -> Self {
        Tree { root, object_id }
    }

    /// Follows branch pages down to a leaf, choosing at each level the
    /// child given by `choose` (which gets the page and returns a node index).
    fn descend(
        &self,
        source: &dyn PageSource,
        mut choose: impl FnMut(&Page<'_>) -> Result<usize>,
    ) -> Result<(u32, PageBytes, PageHeader)> {
        let mut number = self.root;
        let (mut bytes, mut header) = read_tree_page_parsed(source, *self, number)?;
        if !header.flags.is_root() {
            return Err(bad_link(
                number,
                format!(
                    "the root of tree {} is not flagged as a root",
                    self.object_id
                ),
            ));
        }
        for _ in 0..MAX_DEPTH {
            let page = Page::with_checked_header(&bytes, header);
            if page.header().flags.is_leaf() {
                return Ok((number, bytes.clone(), header));
            }
            if node_count(&page) == 0 {
                return Err(Error::new(JET_errBadEmptyPage)
                    .with_page(number)
                    .with_detail("a branch page holds no nodes"));
            }
            let index = choose(&page)?;
            let child = node(&page, index)
                .and_then(|n| n.child_page())
                .map_err(|e| e.with_page(number))?;
            let (next, next_header) = read_tree_page_parsed(source, *self, child)?;
            if next_header.flags.is_root() {
                return Err(bad_link(
                    child,
                    format!("page {number} links down to a root page"),
                ));
            }
            number = child;
            bytes = next;
            header = next_header;
        }
        Err(bad_link(
            number,
            format!(
                "tree {} is deeper than {MAX_DEPTH} levels: its links form a cycle",
                self.object_id
            ),
        ))
    }

    /// An iterator over every live entry in key order.
    pub fn entries<'s>(&self, source: &'s dyn PageSource) -> Entries<'s> {
        Entries {
            source,
            tree: *self,
            state: State::Start,
            pages_visited: 0,
            last_key: None,
        }
    }

    /// Positions on the first entry whose key is `>= key`; the iterator then
    /// continues in key order from there.
    pub fn seek<'s>(&self, source: &'s dyn PageSource, key: &[u8]) -> Result<Entries<'s>> {
        let (number, bytes, _) = self.descend(source, |page| child_for(page, key))?;
        let mut state = leaf_state(source, *self, &bytes, number)?;
        if let State::InLeaf {
            entries, position, ..
        } = &mut state
        {
            *position = entries.partition_point(|entry| entry.key.as_slice() < key);
        }
        Ok(Entries {
            source,
            tree: *self,
            state,
            pages_visited: 1,
            last_key: None,
        })
    }
}

impl Tree {
    /// Descends to the leaf holding (or that would hold) the entry (key,
    /// data), comparing separators with key and data concatenated as a
    /// non-unique tree stores them. Returns the leaf and the index of its
    /// first entry at or after (key, data) (data counts only in non-unique
    /// trees), which may be one past its last entry.
    pub fn leaf_for(
        &self,
        source: &dyn PageSource,
        key: &[u8],
        data: &[u8],
    ) -> Result<(Leaf, usize)> {
        let probe = separator_probe(key, data);
        let (number, bytes, header) = self.descend(source, |page| child_for(page, &probe))?;
        let leaf = Leaf::read(source, *self, &bytes, header, number)?;
        let position = leaf.position_of(key, data)?;
        Ok((leaf, position))
    }

    /// The data of the entry whose key is exactly `key` (a unique tree's
    /// point lookup), found by binary search in its leaf without copying
    /// the leaf out; `None` when there is none (or it is flagged deleted).
    pub fn get(&self, source: &dyn PageSource, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let mut data = Vec::new();
        Ok(self.get_into(source, key, &mut data)?.then_some(data))
    }

    /// [`Tree::get`] into `data` (replacing what it held), whose buffer a
    /// caller reading record after record keeps: false when the key is
    /// not there.
    pub fn get_into(
        &self,
        source: &dyn PageSource,
        key: &[u8],
        data: &mut Vec<u8>,
    ) -> Result<bool> {
        let (number, bytes, header) = self.descend(source, |page| child_for(page, key))?;
        let page = Page::with_checked_header(&bytes, header);
        let count = node_count(&page);
        let probe = KeyProbe::new(&page, key);
        let at = partition_nodes(&page, count, |n| probe.compare(n) == Ordering::Less)
            .map_err(|e| e.with_page(number))?;
        if at == count {
            return Ok(false);
        }
        let n = node(&page, at).map_err(|e| e.with_page(number))?;
        if n.compare_key(key) != Ordering::Equal {
            return Ok(false);
        }
        data.clear();
        if n.is_versioned() && source.node_view().is_some() {
            let non_unique = page.header().flags.contains(PageFlags::NON_UNIQUE_KEYS);
            return Ok(
                match visible_data(source, *self, non_unique, &n, || key.to_vec()) {
                    Some(visible) => {
                        data.extend_from_slice(&visible);
                        true
                    }
                    None => false,
                },
            );
        }
        if n.is_deleted() {
            return Ok(false);
        }
        data.extend_from_slice(n.data);
        Ok(true)
    }

    /// The first live entry at or after (key, data) (data counts only in
    /// non-unique trees), copying out that entry alone: what a seek needs
    /// when it will not step through the leaf.
    pub fn first_at_or_after(
        &self,
        source: &dyn PageSource,
        key: &[u8],
        data: &[u8],
    ) -> Result<Option<Entry>> {
        let probe = separator_probe(key, data);
        let (mut number, mut bytes, mut header) =
            self.descend(source, |page| child_for(page, &probe))?;
        let mut first = true;
        for _ in 0..=source.last_page() {
            let page = Page::with_checked_header(&bytes, header);
            let non_unique = page.header().flags.contains(PageFlags::NON_UNIQUE_KEYS);
            let count = node_count(&page);
            let mut low = 0;
            if first {
                let probe = KeyProbe::new(&page, key);
                low = partition_nodes(&page, count, |n| {
                    let order = probe.compare(n).then_with(|| {
                        if non_unique {
                            n.data.cmp(data)
                        } else {
                            Ordering::Equal
                        }
                    });
                    order == Ordering::Less
                })
                .map_err(|e| e.with_page(number))?;
                first = false;
            }
            for index in low..count {
                let n = node(&page, index).map_err(|e| e.with_page(number))?;
                if let Some(data) = visible_data(source, *self, non_unique, &n, || n.key()) {
                    return Ok(Some(Entry {
                        key: n.key(),
                        data,
                        page: number,
                        non_unique,
                    }));
                }
            }
            let next = page.header().next_page;
            if next == 0 {
                return Ok(None);
            }
            let (next_bytes, next_header) = read_tree_page_parsed(source, *self, next)?;
            if next_header.previous_page != number {
                return Err(bad_link(
                    next,
                    format!("leaf {number} links to page {next}, which does not link back"),
                ));
            }
            number = next;
            bytes = next_bytes;
            header = next_header;
        }
        Err(bad_link(
            number,
            "the leaf chain visits more pages than the file holds: a cycle".into(),
        ))
    }

    /// The leftmost leaf.
    pub fn first_leaf(&self, source: &dyn PageSource) -> Result<Leaf> {
        let (number, bytes, header) = self.descend(source, |_| Ok(0))?;
        Leaf::read(source, *self, &bytes, header, number)
    }

    /// The rightmost leaf.
    pub fn last_leaf(&self, source: &dyn PageSource) -> Result<Leaf> {
        let (number, bytes, header) = self.descend(source, |page| Ok(node_count(page) - 1))?;
        Leaf::read(source, *self, &bytes, header, number)
    }

    /// Leaf `number`, reached by a link from leaf `from` in the direction
    /// given by `rightwards`; checked to belong to the tree and to link back.
    pub fn neighbour_leaf(
        &self,
        source: &dyn PageSource,
        from: u32,
        number: u32,
        rightwards: bool,
    ) -> Result<Leaf> {
        let (bytes, header) = read_tree_page_parsed(source, *self, number)?;
        let leaf = Leaf::read(source, *self, &bytes, header, number)?;
        let back = if rightwards {
            leaf.previous()
        } else {
            leaf.next()
        };
        if back != from || !leaf.is_leaf_page() {
            return Err(bad_link(
                number,
                format!("leaf {from} links to page {number}, which does not link back to it"),
            ));
        }
        Ok(leaf)
    }

    /// Leaf `number` of this tree read directly (a cursor that knows
    /// where its entry is, and that nothing changed since, needs no
    /// descent). `JET_errBadParentPageLink` if it is not a leaf of this
    /// tree.
    pub fn read_leaf(&self, source: &dyn PageSource, number: u32) -> Result<Leaf> {
        let (bytes, header) = read_tree_page_parsed(source, *self, number)?;
        let leaf = Leaf::read(source, *self, &bytes, header, number)?;
        if !leaf.is_leaf_page() {
            return Err(Error::new(JET_errBadParentPageLink)
                .with_page(number)
                .with_detail("expected a leaf page"));
        }
        Ok(leaf)
    }
}

impl Tree {
    /// The last entry whose key is below `key` (or equal to it, when
    /// `inclusive`), for seeks less-than and less-or-equal.
    pub fn last_before(
        &self,
        source: &dyn PageSource,
        key: &[u8],
        inclusive: bool,
    ) -> Result<Option<Entry>> {
        let fits = |entry: &Entry| match entry.key.as_slice().cmp(key) {
            Ordering::Less => true,
            Ordering::Equal => inclusive,
            Ordering::Greater => false,
        };
        let Some(landed) = self.seek(source, key)?.current_leaf() else {
            return Ok(None);
        };
        // Forward from the start of the leaf the seek lands on: equal keys
        // may continue on later leaves when separators reach into the data
        // of duplicates.
        let mut best: Option<Entry> = None;
        for entry in self.walk_from_leaf(source, landed)? {
            let entry = entry?;
            if !fits(&entry) {
                break;
            }
            best = Some(entry);
        }
        if best.is_some() {
            return Ok(best);
        }
        // Everything from the landing leaf on is too big: the answer is the
        // last fitting entry of some leaf to the left.
        let mut number = landed;
        for _ in 0..source.last_page() {
            let bytes = read_tree_page(source, *self, number)?;
            let previous = Page::parse_trusted(&bytes, number)?.header().previous_page;
            if previous == 0 {
                return Ok(None);
            }
            let left = read_tree_page(source, *self, previous)?;
            let left_page = Page::parse_trusted(&left, previous)?;
            if left_page.header().next_page != number || !left_page.header().flags.is_leaf() {
                return Err(bad_link(
                    number,
                    format!(
                        "page {number} links left to page {previous}, which does not link back"
                    ),
                ));
            }
            let (entries, _) = leaf_entries(source, *self, &left, previous)?;
            if let Some(entry) = entries.into_iter().rev().find(|e| fits(e)) {
                return Ok(Some(entry));
            }
            number = previous;
        }
        Err(bad_link(
            number,
            "the leaf chain visits more pages than the file holds: a cycle".into(),
        ))
    }

    /// Entries from the start of leaf `number` onwards.
    fn walk_from_leaf<'s>(&self, source: &'s dyn PageSource, number: u32) -> Result<Entries<'s>> {
        let bytes = read_tree_page(source, *self, number)?;
        Ok(Entries {
            source,
            tree: *self,
            state: leaf_state(source, *self, &bytes, number)?,
            pages_visited: 1,
            last_key: None,
        })
    }
}

/// What a descent compares separators with for the entry (key, data):
/// both concatenated, as a non-unique tree's separators hold them; the key
/// alone, not copied, when there is no data (a unique tree's seek).
fn separator_probe<'k>(key: &'k [u8], data: &[u8]) -> std::borrow::Cow<'k, [u8]> {
    if data.is_empty() {
        std::borrow::Cow::Borrowed(key)
    } else {
        let mut probe = Vec::with_capacity(key.len() + data.len());
        probe.extend_from_slice(key);
        probe.extend_from_slice(data);
        std::borrow::Cow::Owned(probe)
    }
}

/// The node of branch `page` to follow for `probe`: the first whose key is
/// greater (a separator is the first key of the child to its right; the
/// last node's empty key stands for everything greater).
fn child_for(page: &Page<'_>, probe: &[u8]) -> Result<usize> {
    let count = node_count(page);
    let probe = KeyProbe::new(page, probe);
    partition_nodes(page, count - 1, |n| probe.compare(n) != Ordering::Greater)
}

/// The data of node `n` of `tree` as the reader sees it, or `None` when it
/// does not exist for the reader: a node flagged deleted is gone, and one
/// flagged versioned is what the source's view of the version store says.
fn visible_data(
    source: &dyn PageSource,
    tree: Tree,
    non_unique: bool,
    n: &ese_format::node::Node<'_>,
    key: impl FnOnce() -> Vec<u8>,
) -> Option<Vec<u8>> {
    match source.node_view() {
        Some(view) if n.is_versioned() => {
            let order = if non_unique { n.data } else { &[] };
            view.resolve(tree.object_id, &key(), order, n.is_deleted(), n.data)
        }
        _ => (!n.is_deleted()).then(|| n.data.to_vec()),
    }
}

/// Decodes the live entries of a leaf page, in order, and its right link.
fn leaf_entries(
    source: &dyn PageSource,
    tree: Tree,
    bytes: &[u8],
    number: u32,
) -> Result<(Vec<Entry>, u32)> {
    let page = Page::parse_trusted(bytes, number)?;
    let non_unique = page.header().flags.contains(PageFlags::NON_UNIQUE_KEYS);
    let mut entries = Vec::with_capacity(node_count(&page));
    for index in 0..node_count(&page) {
        let n = node(&page, index).map_err(|e| e.with_page(number))?;
        let key = n.key();
        let Some(data) = visible_data(source, tree, non_unique, &n, || key.clone()) else {
            continue;
        };
        entries.push(Entry {
            key,
            data,
            page: number,
            non_unique,
        });
    }
    Ok((entries, page.header().next_page))
}

/// A walk's state on leaf `number` as it was read (see [`State::InLeaf`]).
fn leaf_state(source: &dyn PageSource, tree: Tree, bytes: &[u8], number: u32) -> Result<State> {
    let (entries, _) = leaf_entries(source, tree, bytes, number)?;
    let page = Page::parse_trusted(bytes, number)?;
    Ok(State::InLeaf {
        number,
        entries,
        position: 0,
        last_node: last_node_key(&page, number)?,
    })
}

/// The key of a leaf's last node, deleted or not (the largest key it
/// holds): what a walk compares to see whether nodes came in after the
/// entries it copied.
fn last_node_key(page: &Page, number: u32) -> Result<Option<Vec<u8>>> {
    match node_count(page) {
        0 => Ok(None),
        count => Ok(Some(
            node(page, count - 1)
                .map_err(|e| e.with_page(number))?
                .key(),
        )),
    }
}

enum State {
    Start,
    InLeaf {
        number: u32,
        entries: Vec<Entry>,
        position: usize,
        /// The leaf's last node key when `entries` were copied.
        last_node: Option<Vec<u8>>,
    },
    Done,
}

/// Entries of a tree in key order. Memory holds one leaf page's entries at a
/// time, however large the tree.
pub struct Entries<'s> {
    source: &'s dyn PageSource,
    tree: Tree,
    state: State,
    pages_visited: u64,
    /// The position (key, and data in a non-unique tree) last returned:
    /// the walk resumes after it, so a leaf that split or merged under it
    /// neither repeats nor skips entries.
    last_key: Option<(Vec<u8>, Vec<u8>)>,
}

impl Entries<'_> {
    /// The leaf page the walk stands on, if it stands on one.
    fn current_leaf(&self) -> Option<u32> {
        match self.state {
            State::InLeaf { number, .. } => Some(number),
            _ => None,
        }
    }

    fn advance(&mut self) -> Result<Option<Entry>> {
        loop {
            match &mut self.state {
                State::Done => return Ok(None),
                State::Start => {
                    let (number, bytes, _) = self.tree.descend(self.source, |_| Ok(0))?;
                    self.pages_visited = 1;
                    self.state = leaf_state(self.source, self.tree, &bytes, number)?;
                }
                State::InLeaf {
                    number,
                    entries,
                    position,
                    last_node,
                } => {
                    if let Some(entry) = entries.get_mut(*position) {
                        *position += 1;
                        if self.last_key.as_ref().is_some_and(|(key, data)| {
                            entry.position() <= (key.as_slice(), data.as_slice())
                        }) {
                            continue;
                        }
                        let entry = std::mem::take(entry);
                        let (key, data) = entry.position();
                        self.last_key = Some((key.to_vec(), data.to_vec()));
                        return Ok(Some(entry));
                    }
                    let current = *number;
                    let copied_last = std::mem::take(last_node);
                    // The leaf may have changed since its entries were
                    // copied: follow its link as it is now, and if the leaf
                    // is gone (emptied and released), find the place again
                    // from the root by the last key returned.
                    let right = match self.current_link(current)? {
                        Some((_, now_last)) if now_last != copied_last => {
                            // Its last node changed: entries may have come
                            // in after the copy's end (a merge moves the
                            // right neighbour's nodes into it, and leaves
                            // the link pointing past them). Read it again;
                            // what was returned already is skipped.
                            let bytes = read_tree_page(self.source, self.tree, current)?;
                            self.state = leaf_state(self.source, self.tree, &bytes, current)?;
                            continue;
                        }
                        Some((right, _)) => right,
                        None => {
                            let Some((last, _)) = self.last_key.clone() else {
                                self.state = State::Start;
                                continue;
                            };
                            let resumed = self.tree.seek(self.source, &last)?;
                            // The way down from the root must not lead back
                            // to the page just found dead: that is damage
                            // (an empty page inside the tree), not a change.
                            if resumed.current_leaf() == Some(current) {
                                return Err(Error::new(JET_errBadEmptyPage)
                                    .with_page(current)
                                    .with_detail(format!(
                                        "tree {} leads to page {current}, which is not a live leaf",
                                        self.tree.object_id
                                    )));
                            }
                            self.pages_visited += 1;
                            if self.pages_visited > u64::from(self.source.last_page()) {
                                return Err(bad_link(
                                    current,
                                    "the walk found its place again more often than the file has pages".into(),
                                ));
                            }
                            self.state = resumed.state;
                            continue;
                        }
                    };
                    self.state = match self.next_leaf(current, right)? {
                        None => State::Done,
                        Some((next_number, bytes)) => {
                            leaf_state(self.source, self.tree, &bytes, next_number)?
                        }
                    };
                }
            }
        }
    }

    /// The right link and the last node's key of leaf `current` as the
    /// page holds them now, or `None` when the page is no longer a live
    /// leaf of this tree.
    fn current_link(&self, current: u32) -> Result<Option<(u32, Option<Vec<u8>>)>> {
        let bytes = self.source.read_page(current)?;
        let page = Page::parse_trusted(&bytes, current)?;
        let header = page.header();
        let live = header.object_id == self.tree.object_id
            && header.flags.is_leaf()
            && !header.flags.is_empty();
        if !live {
            return Ok(None);
        }
        Ok(Some((header.next_page, last_node_key(&page, current)?)))
    }

    /// The leaf `next` to the right of `current`, checked to link back to it.
    fn next_leaf(&mut self, current: u32, next: u32) -> Result<Option<(u32, PageBytes)>> {
        if next == 0 {
            return Ok(None);
        }
        self.pages_visited += 1;
        if self.pages_visited > u64::from(self.source.last_page()) {
            return Err(bad_link(
                next,
                format!(
                    "the leaf chain of tree {} visits more pages than the file holds: a cycle",
                    self.tree.object_id
                ),
            ));
        }
        let next_bytes = read_tree_page(self.source, self.tree, next)?;
        let next_page = Page::parse_trusted(&next_bytes, next)?;
        if !next_page.header().flags.is_leaf() {
            return Err(bad_link(
                next,
                format!("leaf page {current} links right to a non-leaf page"),
            ));
        }
        if next_page.header().previous_page != current {
            return Err(bad_link(
                next,
                format!(
                    "page {current} links right to page {next}, which links left to {}",
                    next_page.header().previous_page
                ),
            ));
        }
        Ok(Some((next, next_bytes)))
    }
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.advance() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => None,
            Err(error) => {
                // After an error the walk stops: its position is unknown.
                self.state = State::Done;
                Some(Err(error))
            }
        }
    }
}

impl Tree {
    /// The entries in descending key order, from the last.
    pub fn entries_rev<'s>(&self, source: &'s dyn PageSource) -> Result<EntriesRev<'s>> {
        let (number, bytes, _) = self.descend(source, |page| Ok(node_count(page) - 1))?;
        let (entries, _) = leaf_entries(source, *self, &bytes, number)?;
        let position = entries.len();
        Ok(EntriesRev {
            source,
            tree: *self,
            number: Some(number),
            entries,
            position,
            pages_visited: 1,
            last_key: None,
        })
    }

    /// The entries in descending key order, from the last one below `key`
    /// (or equal to it, when `inclusive`): JetMove(JET_MovePrevious) after
    /// a seek less-than or less-or-equal.
    pub fn seek_rev<'s>(
        &self,
        source: &'s dyn PageSource,
        key: &[u8],
        inclusive: bool,
    ) -> Result<EntriesRev<'s>> {
        let Some(start) = self.last_before(source, key, inclusive)? else {
            return Ok(EntriesRev {
                source,
                tree: *self,
                number: None,
                entries: Vec::new(),
                position: 0,
                pages_visited: 0,
                last_key: None,
            });
        };
        let bytes = read_tree_page(source, *self, start.page)?;
        let (entries, _) = leaf_entries(source, *self, &bytes, start.page)?;
        let position = entries.partition_point(|e| e.key <= start.key);
        Ok(EntriesRev {
            source,
            tree: *self,
            number: Some(start.page),
            entries,
            position,
            pages_visited: 1,
            last_key: None,
        })
    }
}

/// Entries of a tree in descending key order (JetMove previous). Like
/// [`Entries`], it remembers the last key returned, so it neither repeats
/// nor skips entries when pages split or merge under it.
pub struct EntriesRev<'s> {
    source: &'s dyn PageSource,
    tree: Tree,
    /// The leaf it stands on (None when done).
    number: Option<u32>,
    entries: Vec<Entry>,
    /// Entries below this index are still to come.
    position: usize,
    pages_visited: u64,
    /// The position last returned (see [`Entries`]).
    last_key: Option<(Vec<u8>, Vec<u8>)>,
}

impl EntriesRev<'_> {
    fn advance(&mut self) -> Result<Option<Entry>> {
        loop {
            let Some(current) = self.number else {
                return Ok(None);
            };
            if self.position > 0 {
                self.position -= 1;
                let entry = std::mem::take(&mut self.entries[self.position]);
                if self.last_key.as_ref().is_some_and(|(key, data)| {
                    entry.position() >= (key.as_slice(), data.as_slice())
                }) {
                    continue;
                }
                let (key, data) = entry.position();
                self.last_key = Some((key.to_vec(), data.to_vec()));
                return Ok(Some(entry));
            }
            // The leaf to the left, as the page links to it now.
            let bytes = self.source.read_page(current)?;
            let page = Page::parse_trusted(&bytes, current)?;
            let header = *page.header();
            let live = header.object_id == self.tree.object_id
                && header.flags.is_leaf()
                && !header.flags.is_empty();
            self.pages_visited += 1;
            if self.pages_visited > u64::from(self.source.last_page()) {
                return Err(bad_link(
                    current,
                    format!(
                        "the leaf chain of tree {} visits more pages than the file holds: a cycle",
                        self.tree.object_id
                    ),
                ));
            }
            if !live {
                // The page went away under the walk: find the place again.
                let Some((last, _)) = self.last_key.clone() else {
                    self.number = None;
                    return Ok(None);
                };
                // Inclusive: duplicates of the last key may still be due;
                // the position check above skips what was returned.
                let resumed = self.tree.seek_rev(self.source, &last, true)?;
                if resumed.number == Some(current) {
                    return Err(Error::new(JET_errBadEmptyPage)
                        .with_page(current)
                        .with_detail("the tree leads back to a page that is not a live leaf"));
                }
                self.number = resumed.number;
                self.entries = resumed.entries;
                self.position = resumed.position;
                continue;
            }
            let previous = header.previous_page;
            if previous == 0 {
                self.number = None;
                return Ok(None);
            }
            let left = read_tree_page(self.source, self.tree, previous)?;
            let left_page = Page::parse_trusted(&left, previous)?;
            if !left_page.header().flags.is_leaf() || left_page.header().next_page != current {
                return Err(bad_link(
                    previous,
                    format!(
                        "page {current} links left to page {previous}, which links right to {}",
                        left_page.header().next_page
                    ),
                ));
            }
            let (entries, _) = leaf_entries(self.source, self.tree, &left, previous)?;
            self.position = entries.len();
            self.entries = entries;
            self.number = Some(previous);
        }
    }
}

impl Iterator for EntriesRev<'_> {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.advance() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => None,
            Err(error) => {
                self.number = None;
                Some(Err(error))
            }
        }
    }
}
