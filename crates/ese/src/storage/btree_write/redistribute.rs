//! Making room in a full leaf without a split: some of its nodes move to a
//! neighbour under the same parent that has room, and the separator
//! between the two changes. ESE splits every full page; this engine first
//! evens the leaf out with its emptier neighbour (as SQLite's balance
//! does), because random inserts into pages split in halves leave them
//! about 70 % full and balanced neighbours about 85 %: a smaller file,
//! fewer pages to read.
//!
//! The moved nodes are copied as stored (a [`PageMut::copy_lines_at`] of
//! the leaf's lines before the unit), so the log records which lines moved,
//! not their bytes, and the neighbour is written before the leaf, as a
//! split's new pages are. A move that the chains of unwritten copies do not
//! allow (see `BufferCache::chain_after_copy`; moves take only half the
//! cache's chain limit, leaving the rest to splits) writes the moved nodes
//! anew, logging their bytes: when the leaf's lines cannot be copied at
//! all (its own chain is full: a split would log its new page whole), or
//! when the neighbour has an eighth of a page free or more; otherwise the
//! leaf splits by copying. A neighbour not in the cache is not read for a
//! move.

use super::split::Copyable;
use super::*;
use ese_format::page::PageHeader;
use ese_format::page_edit::PageMut;

/// Which neighbour takes nodes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    /// The previous leaf: it takes the first nodes, at its end.
    Left,
    /// The next leaf: it takes the last nodes, before its own.
    Right,
}

/// A neighbour that could take nodes, as its page stands.
struct Neighbour {
    side: Side,
    page: u32,
    /// The branch node (in the common parent) whose key separates the
    /// neighbour and the leaf: the left one's, or the leaf's own.
    separator_index: usize,
    /// Bytes an edit may use on the neighbour.
    room: usize,
    /// Nodes on the neighbour (line 0 aside).
    nodes: usize,
    /// The neighbour's common key.
    common: Vec<u8>,
    /// Whether the leaf's lines may be copied to it (see
    /// `BufferCache::may_copy_into`); if not, the moved nodes are written
    /// (and logged) anew.
    may_copy: bool,
}

impl TreeWriter<'_> {
    /// Before leaf `number` (reached by `path`, as `copyable` describes it)
    /// splits to take `new` (inserted, or replacing a node: `copyable`
    /// says where): moves nodes to the neighbour under the same parent with
    /// the most room, so that the two hold about as many bytes each. True
    /// when done; false, with nothing changed, when no neighbour can take
    /// enough for the rest to fit the leaf, or when the leaf is the last of
    /// an ascending load (which fills its pages in order instead).
    pub(super) fn redistribute(
        &mut self,
        number: u32,
        path: &[Step],
        copyable: &Copyable,
        new: &Item,
    ) -> Result<bool> {
        let Some(&parent) = path.last() else {
            return Ok(false);
        };
        let leaf = Page::parse_trusted(&copyable.bytes, number)?;
        let header = *leaf.header();
        let count = copyable.places.len();
        if !header.flags.is_leaf() || header.flags.is_root() || count < 2 {
            return Ok(false);
        }
        let appending = copyable.changed_at == Some(count - 1)
            && copyable.current_nodes < count
            && header.next_page == 0;
        if appending {
            return Ok(false);
        }
        let Some(neighbour) = self.roomiest_neighbour(number, parent, copyable, &header)? else {
            return Ok(false);
        };
        // Nodes written anew cost their bytes in the log: worth it where a
        // split would log its new pages whole too (the leaf's lines cannot
        // be copied at all), or where the neighbour has room for many
        // (its room would otherwise wait for a split of its own); else the
        // split copies its lines.
        if !neighbour.may_copy
            && copyable.copy_from
            && neighbour.room < self.page_capacity() / LOGGED_MOVE_ROOM_FRACTION
        {
            return Ok(false);
        }
        let new_line = encode_node(new, &copyable.common).len();
        let sizes: Vec<usize> = copyable
            .places
            .iter()
            .map(|place| {
                TAG_SIZE
                    + match place {
                        Some(node) => leaf
                            .tag(node + 1)
                            .and_then(|tag| leaf.line_of(tag))
                            .map_or(0, <[u8]>::len),
                        None => new_line,
                    }
            })
            .collect();
        let Some(moved) = self.nodes_to_move(&sizes, &neighbour, copyable.common.len()) else {
            return Ok(false);
        };
        let (moving, staying) = match neighbour.side {
            Side::Left => (0..moved, moved..count),
            Side::Right => (count - moved..count, 0..count - moved),
        };
        let separator = {
            let (left_last, right_first) = match neighbour.side {
                Side::Left => (moving.end - 1, staying.start),
                Side::Right => (staying.end - 1, moving.start),
            };
            shortest_separator(
                &self.search_key_at(&leaf, number, copyable, new, left_last)?,
                &self.search_key_at(&leaf, number, copyable, new, right_first)?,
            )
        };

        let at = match neighbour.side {
            Side::Left => neighbour.nodes + 1,
            Side::Right => 1,
        };
        // Which of the leaf's lines the neighbour can take as stored: all
        // under the same common key, else those not compressed against it.
        let copyable_lines: Vec<bool> = (0..copyable.current_nodes)
            .map(|node| {
                neighbour.may_copy
                    && (neighbour.common == copyable.common
                        || leaf
                            .tag(node + 1)
                            .is_some_and(|tag| tag.flags & tag_flags::COMPRESSED == 0))
            })
            .collect();
        let fill = |edit: PageMut<'_>| {
            give_nodes(
                edit,
                copyable,
                &copyable_lines,
                new,
                moving.clone(),
                at,
                &neighbour.common,
            )
        };
        let keep =
            |mut edit: PageMut<'_>| copyable.keep_only(&mut edit, staying.clone(), Some(new));
        // The separator's node points to the left one of the two pages.
        let left_child = match neighbour.side {
            Side::Left => neighbour.page,
            Side::Right => number,
        };
        let separate = |edit: PageMut<'_>| {
            set_separator(edit, neighbour.separator_index, &separator, left_child)
        };
        // The three pages change together or not at all. The new separator
        // may be longer than the old one and not fit the parent: that edit
        // is tried on a copy first (a small one). The moves are sized to
        // fit (`nodes_to_move`), so they are made for real at once, the
        // pages' bytes before them held: should one still be refused, the
        // pages changed get those bytes back and the leaf splits instead.
        // (Trying every edit on a copy first made each move twice.)
        let parent_bytes = self.cache.snapshot(self.id(parent.page))?;
        if !succeeds_on_copy(&parent_bytes, |trial| {
            separate(PageMut::open_checked_before(trial, parent.page)?)
        }) {
            return Ok(false);
        }
        // A snapshot held would make the parent's write below copy it.
        drop(parent_bytes);
        let neighbour_before = self.cache.snapshot(self.id(neighbour.page))?;
        // The neighbour first: it copies the leaf's lines as they were. The
        // leaf is left alone when all it gives is the node new to it.
        if self.edit_page(neighbour.page, fill).is_err() {
            self.restore_page(neighbour.page, &neighbour_before)?;
            return Ok(false);
        }
        let leaf_changes = copyable.places[staying.clone()].iter().flatten().count()
            != copyable.current_nodes
            || copyable.places[staying.clone()].contains(&None);
        if leaf_changes && self.edit_page(number, keep).is_err() {
            self.restore_page(neighbour.page, &neighbour_before)?;
            self.restore_page(number, &copyable.bytes)?;
            return Ok(false);
        }
        drop(neighbour_before);
        self.edit_page(parent.page, separate)?;
        self.cache.note_redistribution();
        Ok(true)
    }

    /// What a descent compares with for node `index` of the nodes the
    /// leaf would hold (`new` where `copyable` has no line).
    fn search_key_at(
        &self,
        leaf: &Page<'_>,
        number: u32,
        copyable: &Copyable,
        new: &Item,
        index: usize,
    ) -> Result<Vec<u8>> {
        Ok(match copyable.places[index] {
            Some(place) => {
                let n = node(leaf, place).map_err(|e| e.in_page(number))?;
                self.search_key(&n.key(), n.data)
            }
            None => self.search_key(&new.key, &new.data),
        })
    }

    /// Puts back `before`, the bytes page `number` had earlier in the unit
    /// under way (the unit then logs the page's bytes, not its edits).
    fn restore_page(&self, number: u32, before: &[u8]) -> Result<()> {
        let mut page = self.cache.write(self.id(number))?;
        page.bytes_mut().copy_from_slice(before);
        page.mark_dirty(self.position);
        Ok(())
    }

    /// Makes `change` on page `number` in the unit under way.
    fn edit_page(&self, number: u32, change: impl FnOnce(PageMut<'_>) -> Result<()>) -> Result<()> {
        let mut page = self.cache.write(self.id(number))?;
        change(page.edit()?)?;
        page.edit()?.set_db_time(self.db_time);
        page.mark_dirty(self.position);
        Ok(())
    }

    /// The neighbour of leaf `number` (whose header is `leaf`) under
    /// `parent` with the most room, when it has enough to be worth a move:
    /// one that can take copies of the leaf's lines first (see
    /// `Neighbour::may_copy`), a page of the same kind, already cached.
    fn roomiest_neighbour(
        &self,
        number: u32,
        parent: Step,
        copyable: &Copyable,
        leaf: &PageHeader,
    ) -> Result<Option<Neighbour>> {
        let (previous, next) = (leaf.previous_page, leaf.next_page);
        let candidates: Vec<(Side, u32, usize)> = {
            let page = self.cache.read(self.id(parent.page))?;
            let parsed = Page::parse_trusted(page.bytes(), parent.page)?;
            let count = node_count(&parsed);
            let child = |index: usize| -> Result<u32> {
                node(&parsed, index)
                    .map_err(|e| e.in_page(parent.page))?
                    .child_page()
            };
            if parent.index >= count || child(parent.index)? != number {
                return Err(Error::new(JET_errBadParentPageLink)
                    .with_page(parent.page)
                    .with_detail(format!("node {} does not point to the leaf", parent.index)));
            }
            let mut candidates = Vec::with_capacity(2);
            if previous != 0 && parent.index > 0 && child(parent.index - 1)? == previous {
                candidates.push((Side::Left, previous, parent.index - 1));
            }
            if next != 0 && parent.index + 1 < count && child(parent.index + 1)? == next {
                candidates.push((Side::Right, next, parent.index));
            }
            candidates
        };
        let leaf_flags = leaf.flags;
        let mut best: Option<Neighbour> = None;
        for (side, page_number, separator_index) in candidates {
            // Moving nodes is worth no read from disk: a split needs none.
            if !self.cache.is_resident(self.id(page_number)) {
                continue;
            }
            let page = self.cache.read(self.id(page_number))?;
            let parsed = Page::parse_trusted(page.bytes(), page_number)?;
            let header = parsed.header();
            if header.flags != leaf_flags {
                continue;
            }
            let room = usize::from(header.free_bytes)
                .saturating_sub(usize::from(header.uncommitted_free_bytes));
            if room < self.page_capacity() / MIN_ROOM_FRACTION {
                continue;
            }
            let nodes = node_count(&parsed);
            let common = parsed.line(0).unwrap_or(&[]).to_vec();
            drop(page);
            // Moves deepen chains of copies faster than splits do (they
            // are more frequent): they take half the cache's limit, so
            // that splits keep room to copy rather than log pages whole.
            let may_copy = copyable.copy_from
                && self
                    .cache
                    .chain_after_copy(self.id(number), self.id(page_number))
                    .is_some_and(|depth| depth <= self.cache.copy_chain_limit() / 2);
            // One that can take copies first, then the one with more room.
            if best
                .as_ref()
                .is_some_and(|b| (b.may_copy, b.room) >= (may_copy, room))
            {
                continue;
            }
            best = Some(Neighbour {
                side,
                page: page_number,
                separator_index,
                room,
                nodes,
                common,
                may_copy,
            });
        }
        Ok(best)
    }

    /// How many nodes (of sizes `sizes`, tags included) move to the
    /// neighbour: the fewest that let the rest fit the leaf (with its
    /// common key `common_len` bytes long), more while the neighbour stays
    /// no fuller than the leaf, never more than its room, never all. None
    /// when the rest cannot be made to fit.
    fn nodes_to_move(
        &self,
        sizes: &[usize],
        neighbour: &Neighbour,
        common_len: usize,
    ) -> Option<usize> {
        let capacity = self.page_capacity();
        let total: usize = sizes.iter().sum();
        let neighbour_used = capacity.saturating_sub(neighbour.room);
        let leaf_fixed = common_len + TAG_SIZE;
        let in_moving_order: Box<dyn Iterator<Item = &usize>> = match neighbour.side {
            Side::Left => Box::new(sizes.iter()),
            Side::Right => Box::new(sizes.iter().rev()),
        };
        let mut chosen = None;
        let mut moved_bytes = 0;
        for (count, size) in in_moving_order.enumerate().take(sizes.len() - 1) {
            moved_bytes += size;
            if moved_bytes > neighbour.room {
                break;
            }
            let leaf_used = leaf_fixed + total - moved_bytes;
            if leaf_used > capacity {
                continue;
            }
            if chosen.is_some() && neighbour_used + moved_bytes > leaf_used {
                break;
            }
            chosen = Some(count + 1);
        }
        chosen
    }
}

/// A neighbour is worth moving nodes to when it has at least this part of
/// a page free (a tenth: a few nodes of a typical record).
const MIN_ROOM_FRACTION: usize = 20;

/// A neighbour that cannot take copies of the leaf's lines takes them
/// written anew (logged with their bytes) when it has at least this part
/// of a page free. Measured on a million random 174-byte rows in one
/// transaction: never, 33,222 pages and 299.5 MB of log; from a quarter
/// of a page, 31,980 and 314.7; a fifth, 31,774 and 318.2; an eighth,
/// 31,252 and 329.3; always, 30,808 and 346.8 (the data is 174 MB). An
/// eighth keeps both the file (within 1.2x SQLite's) and the log (within
/// twice the data) inside the goals of docs/PERFORMANCE.md.
const LOGGED_MOVE_ROOM_FRACTION: usize = 8;

/// Puts nodes `moving` of those the leaf would hold on the neighbour at
/// line `at`: runs of the leaf's lines that `copyable_lines` allows copied
/// as stored, other nodes (`new`, or one that cannot be copied) encoded
/// under the neighbour's common key `common`.
fn give_nodes(
    mut edit: PageMut<'_>,
    copyable: &Copyable,
    copyable_lines: &[bool],
    new: &Item,
    moving: std::ops::Range<usize>,
    at: usize,
    common: &[u8],
) -> Result<()> {
    let copied = |index: usize| copyable.places[index].filter(|&node| copyable_lines[node]);
    let mut index = moving.start;
    let mut line = at;
    while index < moving.end {
        match copied(index) {
            Some(first) => {
                let mut count = 1;
                while index + count < moving.end && copied(index + count) == Some(first + count) {
                    count += 1;
                }
                edit.copy_lines_at(&copyable.bytes, copyable.source, first + 1, count, line)?;
                index += count;
                line += count;
            }
            None => {
                // A line that cannot be copied: its node decoded, or the
                // new one.
                let decoded;
                let item = match copyable.places[index] {
                    Some(place) => {
                        let page = Page::parse_trusted(&copyable.bytes, copyable.source)?;
                        let n = node(&page, place).map_err(|e| e.in_page(copyable.source))?;
                        decoded = Item {
                            key: item_key(&n),
                            data: Cow::Borrowed(n.data),
                            flags: n.flags & !tag_flags::COMPRESSED,
                        };
                        &decoded
                    }
                    None => new,
                };
                let encoded = encode_node(item, common);
                edit.insert_line(line, &encoded, node_flags(item, common))?;
                index += 1;
                line += 1;
            }
        }
    }
    Ok(())
}

/// Gives branch node `index` (which points to `child`) the key
/// `separator`, keeping its flags. The child is known (the neighbours were
/// found through these nodes), so the page is not parsed for it.
fn set_separator(mut edit: PageMut<'_>, index: usize, separator: &[u8], child: u32) -> Result<()> {
    let common = edited_common_key(&edit);
    let (_, flags) = edit.line(index + 1).ok_or_else(|| {
        Error::new(JET_errBadParentPageLink)
            .with_page(edit.page_number())
            .with_detail(format!("no node {index} to give a separator"))
    })?;
    let item = Item {
        key: ItemKey::from_slice(separator),
        data: child.to_le_bytes().to_vec().into(),
        flags: flags & !tag_flags::COMPRESSED,
    };
    edit.replace_line(
        index + 1,
        &encode_node(&item, &common),
        node_flags(&item, &common),
    )?;
    Ok(())
}
