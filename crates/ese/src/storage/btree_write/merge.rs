//! Shrinking a tree after deletes (ESE: bt merge): a leaf left less than a
//! quarter full merged into its left sibling under the same parent, pages
//! emptied by a delete released, and the branch nodes that named them
//! removed up the path.

use super::*;

impl TreeWriter<'_> {
    /// Merges a leaf that fell under a quarter full into its left sibling
    /// when both share a parent and fit one page.
    pub(super) fn maybe_merge(
        &mut self,
        leaf: u32,
        path: BranchPath,
        items: &[Item],
        previous: u32,
        next: u32,
    ) -> Result<()> {
        let Some(parent) = path.last().copied() else {
            return Ok(());
        };
        if previous == 0 || parent.index == 0 {
            return Ok(());
        }
        if self.page_bytes_needed(items, false, 0) * 4 > self.page_capacity() {
            return Ok(());
        }
        // Leave a little room so the merged page does not split at once.
        self.absorb_right(previous, leaf, &path, items, next, self.page_capacity() / 8)?;
        Ok(())
    }

    /// Moves every node of leaf `right` (whose nodes are `right_items`,
    /// reached by `right_path`, followed by `right_next`) to the end of its
    /// left sibling `left`, which the node before `right`'s in their parent
    /// points to, then unlinks and releases `right`: when the nodes fit
    /// with `spare` bytes left. False, with nothing changed, when not.
    pub(super) fn absorb_right(
        &mut self,
        left: u32,
        right: u32,
        right_path: &[Step],
        right_items: &[Item],
        right_next: u32,
        spare: usize,
    ) -> Result<bool> {
        let Some(parent) = right_path.last().copied() else {
            return Ok(false);
        };
        let (left_items, left_previous, left_flags) = {
            let page = self.cache.read(self.id(left))?;
            let parsed = Page::parse_trusted(page.bytes(), left)?;
            let header = *parsed.header();
            (
                read_items(page.bytes(), left)?.0,
                header.previous_page,
                header.flags,
            )
        };
        let mut merged = left_items;
        merged.extend(right_items.iter().cloned());
        if self.page_bytes_needed(&merged, false, 0) + spare > self.page_capacity() {
            return Ok(false);
        }
        self.rebuild_page(
            left,
            false,
            left_flags,
            &self.line0_for(&merged),
            &merged,
            left_previous,
            right_next,
        )?;
        if right_next != 0 {
            self.set_previous(right_next, left)?;
        }
        // The parent's node for `right` goes; the node before it (which
        // pointed to `left`) takes over its key.
        self.remove_branch_node(
            parent.page,
            parent.index,
            &right_path[..right_path.len() - 1],
            true,
        )?;
        self.release_page(right)?;
        Ok(true)
    }

    /// In branch page `parent.page`, the node at `parent.index` (which
    /// pointed to a page just split in two) now points to `right`, and a
    /// node (`separator`, `left`) goes before it: both edited in place,
    /// the page keeping its common key. False, with nothing changed, when
    /// the new node does not fit.
    pub(super) fn insert_separator_in_place(
        &mut self,
        parent: Step,
        left: u32,
        right: u32,
        separator: &[u8],
    ) -> Result<bool> {
        let mut page = self.cache.write(self.id(parent.page))?;
        let mut edit = page.edit()?;
        let common = edited_common_key(&edit);
        let moved = {
            let view = edit.as_page()?;
            let n = node(&view, parent.index).map_err(|e| e.in_page(parent.page))?;
            if n.child_page()? != left {
                return Err(Error::new(JET_errBadParentPageLink)
                    .with_page(parent.page)
                    .with_detail(format!(
                        "node {} does not point to the page split",
                        parent.index
                    )));
            }
            Item {
                key: item_key(&n),
                data: right.to_le_bytes().to_vec().into(),
                flags: n.flags & !tag_flags::COMPRESSED,
            }
        };
        let added = Item {
            key: ItemKey::from_slice(separator),
            data: left.to_le_bytes().to_vec().into(),
            flags: 0,
        };
        let added_line = encode_node(&added, &common);
        if !edit.can_insert(added_line.len()) {
            return Ok(false);
        }
        // Same key, same data length: the node keeps its size.
        edit.replace_line(
            parent.index + 1,
            &encode_node(&moved, &common),
            node_flags(&moved, &common),
        )?;
        edit.insert_line(parent.index + 1, &added_line, node_flags(&added, &common))?;
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(true)
    }

    /// Unlinks an empty non-root page and removes its parent's node.
    pub(super) fn remove_page(
        &mut self,
        number: u32,
        path: &[Step],
        previous: u32,
        next: u32,
    ) -> Result<()> {
        if previous != 0 {
            self.set_next(previous, next)?;
        }
        if next != 0 {
            self.set_previous(next, previous)?;
        }
        let parent = *path
            .last()
            .ok_or_else(|| Error::new(JET_errBadParentPageLink).with_page(number))?;
        self.remove_branch_node(parent.page, parent.index, &path[..path.len() - 1], false)?;
        self.release_page(number)
    }

    /// Removes node `index` of branch page `number`. With `into_left`, the
    /// child of the node before takes the removed node's key (the child was
    /// merged into its left sibling); otherwise the removed child is simply
    /// gone and, if it was last, the node before becomes last.
    pub(super) fn remove_branch_node(
        &mut self,
        number: u32,
        index: usize,
        path: &[Step],
        into_left: bool,
    ) -> Result<()> {
        if self.remove_branch_node_in_place(number, index, into_left)? {
            return Ok(());
        }
        let (mut items, _common, flags, previous, next) = {
            let page = self.cache.read(self.id(number))?;
            let parsed = Page::parse_trusted(page.bytes(), number)?;
            let header = *parsed.header();
            let (items, common) = read_items(page.bytes(), number)?;
            (
                items,
                common,
                header.flags,
                header.previous_page,
                header.next_page,
            )
        };
        if index >= items.len() {
            // The path was taken through this page: a node that is gone
            // means the page changed under the writer or is damaged.
            return Err(Error::new(JET_errBadParentPageLink)
                .with_page(number)
                .with_detail(format!("no node {index} to remove")));
        }
        let removed = items.remove(index);
        if into_left {
            // The left neighbour now covers the removed child's keys too.
            if let Some(left) = index.checked_sub(1).and_then(|i| items.get_mut(i)) {
                left.key = removed.key.clone();
            }
        } else if index == items.len() {
            // The removed node was last: its predecessor becomes the last,
            // taking the page's upper bound (the parent's separator, or
            // empty on the right edge).
            if let Some(last) = items.last_mut() {
                last.key = removed.key.clone();
            }
        }
        // On the right edge the predecessor's subtree becomes the edge:
        // its last nodes, down to the leaves, must have empty keys too.
        let new_edge = (!into_left && index == items.len() && removed.key.is_empty())
            .then(|| items.last().map(|last| child_of(&last.data)))
            .flatten()
            .transpose()?;
        let root = flags.is_root();
        if items.is_empty() && !root {
            return self.remove_page(number, path, previous, next);
        }
        if items.is_empty() {
            // An empty root becomes an empty leaf again.
            let header = self.root_header()?;
            let leaf_flags = PageFlags((flags.0 & !(PageFlags::PARENT_OF_LEAF)) | PageFlags::LEAF);
            return self.rebuild_page(number, true, leaf_flags, &header, &[], 0, 0);
        }
        let header = if root {
            self.root_header()?
        } else {
            self.line0_for(&items)
        };
        self.rebuild_page(number, root, flags, &header, &items, previous, next)?;
        if let Some(child) = new_edge {
            self.clear_right_edge(child)?;
        }
        Ok(())
    }

    /// [`Self::remove_branch_node`] by editing the page, as ESE deletes a
    /// node, rather than rebuilding it whole (a mass delete's merges
    /// rebuilt a parent of hundreds of nodes for each child released): the
    /// node's line goes, and the neighbour that takes over its key (the
    /// left one when merging into it, else the new last node) has its line
    /// replaced, under the page's common key as it stands. False, with the
    /// page unchanged, when the page would empty, the tree's right edge
    /// would move, or the replaced line might not fit: the caller then
    /// rebuilds the page.
    fn remove_branch_node_in_place(
        &mut self,
        number: u32,
        index: usize,
        into_left: bool,
    ) -> Result<bool> {
        let mut page = self.cache.write(self.id(number))?;
        let mut edit = page.edit()?;
        let common = edited_common_key(&edit);
        let taker = {
            let view = edit.as_page()?;
            let count = node_count(&view);
            if count < 2 || index >= count {
                return Ok(false);
            }
            let removed = node(&view, index).map_err(|e| e.in_page(number))?;
            let taker = if into_left {
                index.checked_sub(1)
            } else if index + 1 == count {
                if removed.key_len() == 0 {
                    // The right edge moves down the predecessor's subtree.
                    return Ok(false);
                }
                Some(index - 1)
            } else {
                None
            };
            match taker {
                Some(at) => {
                    let n = node(&view, at).map_err(|e| e.in_page(number))?;
                    let item = Item {
                        key: item_key(&removed),
                        data: n.data.to_vec().into(),
                        flags: n.flags & !tag_flags::COMPRESSED,
                    };
                    Some((at, item))
                }
                None => None,
            }
        };
        if let Some((at, item)) = &taker {
            // Checked before anything changes: the line freed by the delete
            // is not counted, so whatever passes here fits after it.
            let line = encode_node(item, &common);
            if !edit.can_replace(at + 1, line.len()) {
                return Ok(false);
            }
        }
        edit.delete_line(index + 1)?;
        if let Some((at, item)) = taker {
            // The taker sits before the removed node: its line keeps its index.
            edit.replace_line(
                at + 1,
                &encode_node(&item, &common),
                node_flags(&item, &common),
            )?;
        }
        edit.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(true)
    }

    /// Gives the last node of `number` and of each branch page down its
    /// last children an empty key: the subtree has become the tree's right
    /// edge, where the last node of every branch page means "the rest".
    pub(super) fn clear_right_edge(&mut self, mut number: u32) -> Result<()> {
        for _ in 0..16 {
            let (mut items, flags, previous, next) = {
                let page = self.cache.read(self.id(number))?;
                let parsed = Page::parse_trusted(page.bytes(), number)?;
                let header = *parsed.header();
                if header.flags.is_leaf() {
                    return Ok(());
                }
                let (items, _) = read_items(page.bytes(), number)?;
                (items, header.flags, header.previous_page, header.next_page)
            };
            let Some(last) = items.last_mut() else {
                return Ok(());
            };
            let child = child_of(&last.data)?;
            if !last.key.is_empty() {
                last.key.clear();
                let header = self.line0_for(&items);
                self.rebuild_page(number, false, flags, &header, &items, previous, next)?;
            }
            number = child;
        }
        Err(Error::new(JET_errBadParentPageLink)
            .with_page(number)
            .with_detail("the tree is deeper than any B+tree can be"))
    }

    /// Marks a page the tree no longer uses as empty (so a cursor that
    /// still stands on it knows to find its place again) and gives it back.
    pub(super) fn release_page(&mut self, number: u32) -> Result<()> {
        let kind = {
            let page = self.cache.read(self.id(number))?;
            Page::parse_trusted(page.bytes(), number)?.header().flags.0
                & (PageFlags::INDEX
                    | PageFlags::LONG_VALUE
                    | PageFlags::SPACE_TREE
                    | PageFlags::NON_UNIQUE_KEYS)
        };
        self.rebuild_page(
            number,
            false,
            PageFlags(kind | PageFlags::EMPTY | PageFlags::LEAF),
            &[],
            &[],
            0,
            0,
        )?;
        self.allocator.release(number)
    }
}
