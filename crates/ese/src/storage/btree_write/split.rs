//! Growing a tree (ESE: bt split): an overflowing page's nodes divided
//! over it and new pages (dense for ascending loads, by bytes otherwise),
//! with separators posted to the parent, and a root that overflows moving
//! its nodes into new children.

use super::*;
use ese_format::page_edit::PageMut;

impl TreeWriter<'_> {
    /// Splits page `number`, whose nodes would be `items`, into two or more
    /// pages and posts the new separators to its parent (splitting upward
    /// as needed).
    pub(super) fn split(
        &mut self,
        number: u32,
        mut path: BranchPath,
        items: Vec<Item<'_>>,
        appending: bool,
        change: Change,
    ) -> Result<()> {
        let (flags, previous, next) = {
            let page = self.cache.read(self.id(number))?;
            let header = *Page::parse_trusted(page.bytes(), number)?.header();
            (header.flags, header.previous_page, header.next_page)
        };
        let leaf = flags.is_leaf();
        // A node is never larger than an empty non-root page holds, so a
        // page that overflows holds at least two, except a root, whose
        // space header leaves less room: a root with one node that does not
        // fit becomes a branch over one leaf.
        let cuts = match items.len() {
            0 => Vec::new(),
            1 if flags.is_root() => Vec::new(),
            1 => {
                return Err(Error::new(JET_errInternalError)
                    .with_page(number)
                    .with_detail("a page to split holds a single node"))
            }
            _ => self.partition(&items, appending && next == 0),
        };
        let groups: Vec<&[Item]> = {
            let mut groups = Vec::with_capacity(cuts.len() + 1);
            let mut start = 0;
            for &cut in &cuts {
                groups.push(&items[start..cut]);
                start = cut;
            }
            groups.push(&items[start..]);
            groups
        };
        // The separator above each boundary. Between leaves it is the
        // right group's first entry (key, and data in a non-unique tree).
        // Between branch pages it is the left group's last key: as ESE
        // keeps them, a branch page's last node carries the key its parent
        // separates it by (empty only down the right edge).
        let separators: Vec<Vec<u8>> = groups
            .windows(2)
            .map(|pair| {
                if leaf {
                    let first = &pair[1][0];
                    let last = &pair[0][pair[0].len() - 1];
                    shortest_separator(
                        &self.search_key(&last.key, &last.data),
                        &self.search_key(&first.key, &first.data),
                    )
                } else {
                    pair[0].last().map(|i| i.key.to_vec()).unwrap_or_default()
                }
            })
            .collect();

        if flags.is_root() {
            // The root keeps its page number: its nodes move into new
            // children and it becomes (or stays) a branch over them.
            let mut pages = Vec::with_capacity(groups.len());
            for _ in 0..groups.len() {
                pages.push(self.allocator.allocate()?);
            }
            // Read after allocating, which may change the root's space
            // header (its bitmap, or a conversion to multiple extents).
            let root_header = self.root_header()?;
            let child_flags =
                PageFlags((flags.0 & !(PageFlags::ROOT)) | if leaf { PageFlags::LEAF } else { 0 });
            for (i, group) in groups.iter().enumerate() {
                let left = if i == 0 { 0 } else { pages[i - 1] };
                let right = pages.get(i + 1).copied().unwrap_or(0);
                let line0 = self.line0_for(group);
                self.rebuild_page(pages[i], true, child_flags, &line0, group, left, right)?;
            }
            let mut branch: Vec<Item> = separators
                .into_iter()
                .zip(&pages)
                .map(|(key, page)| Item {
                    key: ItemKey::from_vec(key),
                    data: page.to_le_bytes().to_vec().into(),
                    flags: 0,
                })
                .collect();
            branch.push(Item {
                key: ItemKey::new(),
                data: pages[pages.len() - 1].to_le_bytes().to_vec().into(),
                flags: 0,
            });
            let root_flags = PageFlags(
                (flags.0 & !(PageFlags::LEAF | PageFlags::PARENT_OF_LEAF))
                    | PageFlags::ROOT
                    | if leaf { PageFlags::PARENT_OF_LEAF } else { 0 },
            );
            return self.rebuild_page(number, false, root_flags, &root_header, &branch, 0, 0);
        }

        // The page keeps the first group; new pages to its right take the
        // others.
        let mut pages = vec![number];
        for _ in 1..groups.len() {
            pages.push(self.allocator.allocate()?);
        }
        // The new pages first: they may copy their nodes from this page as
        // it stands, before it gives them up.
        let copyable = self.copyable_nodes(number, &items, change)?;
        for i in (1..groups.len()).chain([0]) {
            let group = groups[i];
            let left = if i == 0 { previous } else { pages[i - 1] };
            let right = pages.get(i + 1).copied().unwrap_or(next);
            if i == 0 && self.keep_in_place(number, &items, group, right, copyable.as_ref())? {
                continue;
            }
            if i > 0 {
                if let Some(copyable) = &copyable {
                    let start = groups[..i].iter().map(|g| g.len()).sum::<usize>();
                    let new_page = NewPage {
                        number: pages[i],
                        flags,
                        left,
                        right,
                    };
                    if self.fill_by_copy(copyable, &new_page, group, start)? {
                        continue;
                    }
                }
            }
            let line0 = self.line0_for(group);
            self.rebuild_page(pages[i], i > 0, flags, &line0, group, left, right)?;
        }
        if next != 0 {
            self.set_previous(next, pages[pages.len() - 1])?;
        }
        // In the parent, the node that pointed to `number` now points to the
        // last new page, and nodes for the pages before it, keyed by their
        // separators, go before it.
        let parent = path
            .pop()
            .ok_or_else(|| Error::new(JET_errBadParentPageLink).with_page(number))?;
        // A split in two adds one separator: in place when the parent has
        // room, as ESE does, rather than rebuilding the parent whole.
        if let ([separator], [left, right]) = (separators.as_slice(), pages.as_slice()) {
            if self.insert_separator_in_place(parent, *left, *right, separator)? {
                return Ok(());
            }
        }
        let parent_bytes = self.cache.read(self.id(parent.page))?.snapshot();
        let (mut parent_items, _) = read_items_in(&parent_bytes, parent.page)?;
        if parent.index >= parent_items.len() {
            return Err(Error::new(JET_errBadParentPageLink)
                .with_page(parent.page)
                .with_detail(format!("no node {} to follow", parent.index)));
        }
        parent_items[parent.index].data = pages[pages.len() - 1].to_le_bytes().to_vec().into();
        let added = separators.len();
        for (offset, (key, page)) in separators.into_iter().zip(&pages).enumerate() {
            parent_items.insert(
                parent.index + offset,
                Item {
                    key: ItemKey::from_vec(key),
                    data: page.to_le_bytes().to_vec().into(),
                    flags: 0,
                },
            );
        }
        let (parent_flags, parent_previous, parent_next, parent_line0) = {
            let page = self.cache.read(self.id(parent.page))?;
            let parsed = Page::parse_trusted(page.bytes(), parent.page)?;
            let header = *parsed.header();
            (
                header.flags,
                header.previous_page,
                header.next_page,
                parsed.line(0).unwrap_or(&[]).to_vec(),
            )
        };
        let root = parent_flags.is_root();
        if self.page_bytes_needed(&parent_items, root, parent_line0.len()) <= self.page_capacity() {
            let header = if root {
                parent_line0.clone()
            } else {
                self.line0_for(&parent_items)
            };
            return self.rebuild_page(
                parent.page,
                false,
                parent_flags,
                &header,
                &parent_items,
                parent_previous,
                parent_next,
            );
        }
        let appending_parent = parent.index + added + 1 == parent_items.len();
        self.split(
            parent.page,
            path,
            parent_items,
            appending_parent,
            Change::Other,
        )
    }

    /// Where each of `items` (the nodes page `number` would hold) sits on
    /// the page now, when `items` are its nodes with one inserted or
    /// replaced (`change` says which when the caller knows, else the nodes
    /// are compared); see [`Copyable`].
    pub(super) fn copyable_nodes(
        &self,
        number: u32,
        items: &[Item],
        change: Change,
    ) -> Result<Option<Copyable>> {
        let change = match change {
            Change::Other => {
                let (current, _) = {
                    let page = self.cache.read(self.id(number))?;
                    read_items(page.bytes(), number)?
                };
                let Some(plan) = plan_kept_page(&current, items) else {
                    return Ok(None);
                };
                // `items` must be `current` with at most one node inserted
                // or replaced, and nothing dropped (the whole page).
                let inserted = matches!(plan.change, Some((_, KeptChange::Insert)));
                if plan.kept + usize::from(inserted) != items.len()
                    || current.len() + usize::from(inserted) != items.len()
                {
                    return Ok(None);
                }
                match plan.change {
                    Some((at, KeptChange::Insert)) => Change::Insert(at),
                    Some((at, KeptChange::Replace)) => Change::Replace(at),
                    None => Change::Other,
                }
            }
            known => known,
        };
        let copyable = self.copyable_page(number, change)?;
        Ok(copyable.filter(|c| c.places.len() == items.len()))
    }

    /// Page `number` as it stands, with one node inserted or replaced at
    /// an index (`Change::Other`: none), as its nodes' places; see
    /// [`Copyable`]. None when the index is out of the page's range.
    pub(super) fn copyable_page(&self, number: u32, change: Change) -> Result<Option<Copyable>> {
        let copy_from = self.cache.unedited_in_unit(self.id(number))
            && self.cache.may_copy_from(self.id(number));
        let bytes = self.cache.read(self.id(number))?.snapshot();
        let (current_nodes, common) = {
            let page = Page::parse_trusted(&bytes, number)?;
            let common = if page.header().flags.is_root() {
                Vec::new()
            } else {
                page.line(0).unwrap_or(&[]).to_vec()
            };
            (node_count(&page), common)
        };
        let (count, changed_at) = match change {
            Change::Insert(at) if at <= current_nodes => (current_nodes + 1, Some(at)),
            Change::Replace(at) if at < current_nodes => (current_nodes, Some(at)),
            Change::Other => (current_nodes, None),
            Change::Insert(_) | Change::Replace(_) => return Ok(None),
        };
        let inserted = matches!(change, Change::Insert(_));
        let places = (0..count)
            .map(|j| match changed_at {
                Some(at) if j == at => None,
                Some(at) if inserted && j > at => Some(j - 1),
                _ => Some(j),
            })
            .collect();
        Ok(Some(Copyable {
            source: number,
            copy_from,
            bytes,
            common,
            places,
            current_nodes,
            changed_at,
        }))
    }

    /// Fills the new page `page` with `group` (items `start..` of the
    /// split page's) by copying their lines from the split page as they
    /// are, under its common key (only a node new to the split is encoded
    /// anew): the log records which lines, not their bytes. False when it
    /// does not fit: the caller then rebuilds the page, which starts it
    /// afresh, so that what was filled before the refusal does not matter
    /// (no trial on a scratch copy first, which cost a second fill on
    /// every split for a refusal that hardly ever comes).
    fn fill_by_copy(
        &mut self,
        copyable: &Copyable,
        page: &NewPage,
        group: &[Item],
        start: usize,
    ) -> Result<bool> {
        if !copyable.copy_from
            || !self
                .cache
                .may_copy_into(self.id(copyable.source), self.id(page.number))
        {
            return Ok(false);
        }
        let fill = |mut edit: PageMut<'_>| -> Result<()> {
            edit.set_external_header(&copyable.common)?;
            if page.flags.is_leaf() {
                edit.set_links(page.left, page.right);
            }
            let mut index = 0;
            while index < group.len() {
                match copyable.places[start + index] {
                    Some(first) => {
                        let mut count = 1;
                        while index + count < group.len()
                            && copyable.places[start + index + count] == Some(first + count)
                        {
                            count += 1;
                        }
                        edit.copy_lines(&copyable.bytes, copyable.source, first + 1, count)?;
                        index += count;
                    }
                    None => {
                        let item = &group[index];
                        let line = encode_node(item, &copyable.common);
                        let at = edit.line_count();
                        edit.insert_line(at, &line, node_flags(item, &copyable.common))?;
                        index += 1;
                    }
                }
            }
            Ok(())
        };
        let mut new = self.cache.new_page(self.id(page.number))?;
        let filled = new
            .init(self.tree.object_id, page.flags, self.db_time)
            .and_then(fill);
        if filled.is_err() {
            return Ok(false);
        }
        new.mark_dirty(self.position);
        Ok(true)
    }

    /// Makes page `number` hold `group` (the nodes a split leaves it, the
    /// first of `items`) by editing it rather than rebuilding it: the nodes
    /// that moved right are deleted and the one node the split was for is
    /// inserted or replaced, under the page's common key as it stands. The
    /// log then records a few small edits instead of the page's whole
    /// content. `copyable` (the page as the split found it) spares reading
    /// its nodes again. Returns false when the group is not the page's
    /// nodes so changed or the edits do not fit: the caller then rebuilds
    /// the page from the split's nodes (borrowed from a snapshot, not from
    /// the page), starting it afresh, so edits refused half way leave
    /// nothing behind (and need no trial on a scratch copy first).
    fn keep_in_place(
        &mut self,
        number: u32,
        items: &[Item],
        group: &[Item],
        next: u32,
        copyable: Option<&Copyable>,
    ) -> Result<bool> {
        let mut page = self.cache.write(self.id(number))?;
        let known = copyable.filter(|c| page.bytes().as_ptr() == c.bytes.as_ptr());
        let planned = match known {
            Some(_) => None,
            None => {
                let (current, common) = read_items(page.bytes(), number)?;
                let Some(plan) = plan_kept_page(&current, group) else {
                    return Ok(false);
                };
                Some((current, common, plan))
            }
        };
        let edits = |mut edit: PageMut<'_>| -> Result<()> {
            match (known, &planned) {
                (Some(copyable), _) => {
                    let new = copyable.changed_at.map(|at| &items[at]);
                    copyable.keep_only(&mut edit, 0..group.len(), new)?;
                    let header = edit.header();
                    if header.flags.is_leaf() {
                        edit.set_links(header.previous_page, next);
                    }
                    Ok(())
                }
                (None, Some((current, common, plan))) => {
                    apply_kept_page(edit, plan, current, group, common, next)
                }
                (None, None) => Err(Error::new(JET_errInternalError)
                    .with_page(number)
                    .with_detail("a kept page with neither its nodes nor a plan")),
            }
        };
        if page.edit().and_then(edits).is_err() {
            return Ok(false);
        }
        page.edit()?.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(true)
    }

    /// Where to cut `items` into pages: when appending to the rightmost
    /// page, after what the density allows; otherwise in the middle by
    /// bytes when both halves fit, else as many pages as needed, each
    /// filled in order. Returns the cut points (at least one).
    pub(super) fn partition(&self, items: &[Item], appending: bool) -> Vec<usize> {
        let sizes: Vec<usize> = items
            .iter()
            .map(|i| line_size(i.key.len(), i.data.len(), 0) + TAG_SIZE)
            .collect();
        // Room for nodes on a non-root page, its line 0 tag aside.
        let capacity = self.page_capacity() - TAG_SIZE;
        let total: usize = sizes.iter().sum();
        let fits = |range: &[usize]| range.iter().sum::<usize>() <= capacity;
        let target = if appending {
            capacity * self.density as usize / 100
        } else {
            total / 2
        };
        let mut running = 0;
        let mut cut = 1;
        for (index, size) in sizes.iter().enumerate() {
            if running + size > target && index > 0 {
                break;
            }
            running += size;
            cut = index + 1;
        }
        let cut = cut.clamp(1, items.len() - 1);
        if fits(&sizes[..cut]) && fits(&sizes[cut..]) {
            return vec![cut];
        }
        // Fill pages left to right (a large node may need a page of its own).
        let mut cuts = Vec::new();
        let mut running = 0;
        for (index, size) in sizes.iter().enumerate() {
            if running + size > capacity && index > 0 {
                cuts.push(index);
                running = 0;
            }
            running += size;
        }
        if cuts.is_empty() {
            cuts.push(cut);
        }
        cuts
    }
}

/// How a page's nodes `current` become `group`: `kept` of them stay, and at
/// most one node of the group (at `at`) is new or changed.
struct KeptPage {
    kept: usize,
    change: Option<(usize, KeptChange)>,
}

enum KeptChange {
    Insert,
    Replace,
}

/// The edits that turn `current` into `group`, when `group` is a prefix of
/// `current` with at most one node inserted or replaced (what a split of a
/// page around one insert or one grown node leaves on the left).
fn plan_kept_page(current: &[Item], group: &[Item]) -> Option<KeptPage> {
    let same = |a: &Item, b: &Item| a.key == b.key && a.data == b.data && a.flags == b.flags;
    let prefix = current
        .iter()
        .zip(group)
        .take_while(|(a, b)| same(a, b))
        .count();
    if prefix == group.len() {
        return Some(KeptPage {
            kept: prefix,
            change: None,
        });
    }
    let tail = &group[prefix + 1..];
    let matches = |from: usize| {
        current.len() >= from + tail.len()
            && current[from..from + tail.len()]
                .iter()
                .zip(tail)
                .all(|(a, b)| same(a, b))
    };
    if matches(prefix) {
        Some(KeptPage {
            kept: prefix + tail.len(),
            change: Some((prefix, KeptChange::Insert)),
        })
    } else if prefix < current.len() && matches(prefix + 1) {
        Some(KeptPage {
            kept: prefix + 1 + tail.len(),
            change: Some((prefix, KeptChange::Replace)),
        })
    } else {
        None
    }
}

/// Applies a [`KeptPage`] plan: the nodes past the kept ones go (last
/// first, so no tag moves), then the one new or changed node is written,
/// and a leaf's right sibling becomes `next`.
fn apply_kept_page(
    mut edit: PageMut<'_>,
    plan: &KeptPage,
    current: &[Item],
    group: &[Item],
    common: &[u8],
    next: u32,
) -> Result<()> {
    for index in (plan.kept..current.len()).rev() {
        edit.delete_line(index + 1)?;
    }
    if let Some((at, change)) = &plan.change {
        let item = &group[*at];
        let line = encode_node(item, common);
        let flags = node_flags(item, common);
        match change {
            KeptChange::Insert => edit.insert_line(at + 1, &line, flags)?,
            KeptChange::Replace => edit.replace_line(at + 1, &line, flags)?,
        }
    }
    // Only leaves are chained (see `rebuild_page`).
    let header = edit.header();
    if header.flags.is_leaf() {
        edit.set_links(header.previous_page, next);
    }
    Ok(())
}

/// A page about to split or give nodes to a neighbour, as other pages may
/// copy its lines: its bytes, common key, and for each node it would hold
/// its line there (`None` for the node new to it), and whether its lines
/// may be copied at all (it is unchanged in the unit under way and does
/// not end a chain of copies as long as the cache allows).
pub(super) struct Copyable {
    pub(super) source: u32,
    /// Whether lines may be copied from it at all (see `copyable_nodes`);
    /// if not, `places` still says which nodes it holds.
    pub(super) copy_from: bool,
    pub(super) bytes: crate::storage::page_source::PageBytes,
    pub(super) common: Vec<u8>,
    pub(super) places: Vec<Option<usize>>,
    /// How many nodes the page holds.
    pub(super) current_nodes: usize,
    /// Where the node new to the page (or replacing one) is.
    pub(super) changed_at: Option<usize>,
}

impl Copyable {
    /// Leaves the page holding `items[staying]` (a range of the nodes it
    /// would hold): its nodes outside the range, and one replaced, deleted
    /// last first; then the node new to it inserted. The log records small
    /// edits, not the nodes that stay.
    pub(super) fn keep_only(
        &self,
        edit: &mut PageMut<'_>,
        staying: std::ops::Range<usize>,
        new: Option<&Item>,
    ) -> Result<()> {
        let mut kept = vec![false; self.current_nodes];
        for &place in self.places[staying.clone()].iter().flatten() {
            kept[place] = true;
        }
        let gone: Vec<usize> = (0..self.current_nodes)
            .rev()
            .filter(|&node| !kept[node])
            .map(|node| node + 1)
            .collect();
        edit.delete_lines(&gone)?;
        for index in staying.clone() {
            if self.places[index].is_none() {
                let item = new.ok_or_else(|| {
                    Error::new(JET_errInternalError)
                        .with_page(self.source)
                        .with_detail("a node new to the page, not given")
                })?;
                let line = encode_node(item, &self.common);
                edit.insert_line(
                    index - staying.start + 1,
                    &line,
                    node_flags(item, &self.common),
                )?;
            }
        }
        Ok(())
    }
}

/// How the nodes a split divides came from the page's own, when the caller
/// knows: one inserted at, or one replaced at, an index of the items.
#[derive(Clone, Copy, Debug)]
pub(super) enum Change {
    Insert(usize),
    Replace(usize),
    Other,
}

/// A new page of a split: its number, flags and leaf links.
struct NewPage {
    number: u32,
    flags: PageFlags,
    left: u32,
    right: u32,
}
