//! How the writer lays nodes out on a page (ESE: the node layer's key
//! compression, and bt's choice of a page's prefix and of separators):
//! node lines encoded against the page's common key, the common key that
//! saves the most bytes, and the shortest separator between two leaves.

use std::borrow::Cow;

use ese_format::node::{node, node_count};
use ese_format::page::TAG_SIZE;
use ese_format::page::{tag_flags, Page};

use crate::codes::*;
use crate::{Error, Result};

/// One node as the writer handles it: its data borrowed from the page it
/// was read from (a split reads a whole page of nodes, most of which it
/// copies as stored lines, not through these), or owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Item<'a> {
    pub(super) key: ItemKey,
    pub(super) data: Cow<'a, [u8]>,
    pub(super) flags: u8,
}

/// A node's whole key, inline up to a length most keys stay under: a split
/// reads every node of the page, and a heap allocation per key was a fifth
/// of its cost.
pub(super) type ItemKey = smallvec::SmallVec<[u8; 64]>;

/// The whole key of node `n`.
pub(super) fn item_key(n: &ese_format::node::Node<'_>) -> ItemKey {
    let mut key = ItemKey::with_capacity(n.key_len());
    key.extend_from_slice(n.prefix);
    key.extend_from_slice(n.suffix);
    key
}

/// Whether `edits` succeed on a scratch copy of `page`: edits are tried
/// before they are made for real, since one refused half way would leave a
/// page changed. The copy reuses one buffer per thread (a trial per split
/// otherwise costs an 8 KiB allocation).
pub(super) fn succeeds_on_copy(page: &[u8], edits: impl FnOnce(&mut [u8]) -> Result<()>) -> bool {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            buffer.extend_from_slice(page);
            edits(&mut buffer).is_ok()
        }
        // A trial within a trial: a buffer of its own.
        Err(_) => edits(&mut page.to_vec()).is_ok(),
    })
}

/// The child page a branch node's data names.
pub(super) fn child_of(data: &[u8]) -> Result<u32> {
    let bytes: [u8; 4] = data
        .get(..4)
        .and_then(|d| d.try_into().ok())
        .ok_or_else(|| {
            Error::new(JET_errBadParentPageLink).with_detail("a branch node without a child page")
        })?;
    Ok(u32::from_le_bytes(bytes))
}

/// The most data an entry with a `key_len`-byte key may carry in a tree
/// of `page_size`-byte pages: a node as large as an empty page holds
/// (ESE: CbNDNodeMost; a split gives such a node a page of its own).
pub fn max_entry_data(page_size: usize, key_len: usize) -> usize {
    let data_area = page_size - ese_format::page::header_size(page_size);
    (data_area - 2 * TAG_SIZE).saturating_sub(2 + key_len)
}

/// Bytes a node line needs with `shared` bytes of its key borrowed from the
/// common key (compression applies above two shared bytes, as in ESE).
pub(super) fn line_size(key_len: usize, data_len: usize, shared: usize) -> usize {
    if shared > 2 {
        4 + key_len - shared + data_len
    } else {
        2 + key_len + data_len
    }
}

pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The common key the nodes of a page being edited are encoded against:
/// its line 0, or none on a root (whose line 0 is its space header).
pub(super) fn edited_common_key(edit: &ese_format::page_edit::PageMut<'_>) -> Vec<u8> {
    if edit.header().flags.is_root() {
        Vec::new()
    } else {
        edit.line(0).map(|(l, _)| l.to_vec()).unwrap_or_default()
    }
}

/// Encodes a node line against `common` (the page's common key).
pub(super) fn encode_node(item: &Item, common: &[u8]) -> Vec<u8> {
    let mut line = Vec::new();
    encode_line_into(
        &mut line,
        &item.key,
        &item.data,
        common_prefix(&item.key, common),
    );
    line
}

/// Encodes the line of node (`key`, `data`) into `line` (emptied first),
/// `shared` being what its key has in common with the page's common key.
pub(super) fn encode_line_into(line: &mut Vec<u8>, key: &[u8], data: &[u8], shared: usize) {
    line.clear();
    line.reserve(line_size(key.len(), data.len(), shared));
    if shared > 2 {
        line.extend_from_slice(&(shared as u16).to_le_bytes());
        line.extend_from_slice(&((key.len() - shared) as u16).to_le_bytes());
        line.extend_from_slice(&key[shared..]);
    } else {
        line.extend_from_slice(&(key.len() as u16).to_le_bytes());
        line.extend_from_slice(key);
    }
    line.extend_from_slice(data);
}

/// Runs `use_buffer` on a buffer kept by the thread for encoding lines (a
/// node inserted in place otherwise costs an allocation for its line).
pub(super) fn with_line_buffer<T>(use_buffer: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    thread_local! {
        static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LINE.with(|line| match line.try_borrow_mut() {
        Ok(mut buffer) => use_buffer(&mut buffer),
        Err(_) => use_buffer(&mut Vec::new()),
    })
}

pub(super) fn node_flags(item: &Item, common: &[u8]) -> u8 {
    line_flags(item.flags, common_prefix(&item.key, common))
}

/// A node's tag flags, its key sharing `shared` bytes with the common key
/// (compression applies above two, as in [`line_size`]).
pub(super) fn line_flags(flags: u8, shared: usize) -> u8 {
    (flags & !tag_flags::COMPRESSED) | if shared > 2 { tag_flags::COMPRESSED } else { 0 }
}

/// The nodes of a page, decoded, with their own copies of the data.
pub(super) fn read_items(bytes: &[u8], number: u32) -> Result<(Vec<Item<'static>>, Vec<u8>)> {
    let (items, common) = read_items_in(bytes, number)?;
    let owned = items
        .into_iter()
        .map(|item| Item {
            key: item.key,
            data: Cow::Owned(item.data.into_owned()),
            flags: item.flags,
        })
        .collect();
    Ok((owned, common))
}

/// The nodes of a page, decoded, their data borrowed from `bytes`.
pub(super) fn read_items_in(bytes: &[u8], number: u32) -> Result<(Vec<Item<'_>>, Vec<u8>)> {
    let page = Page::parse_trusted(bytes, number)?;
    let common = if page.header().flags.is_root() {
        Vec::new()
    } else {
        page.line(0).unwrap_or(&[]).to_vec()
    };
    let mut items = Vec::with_capacity(node_count(&page));
    for index in 0..node_count(&page) {
        let n = node(&page, index).map_err(|e| e.in_page(number))?;
        items.push(Item {
            key: item_key(&n),
            data: Cow::Borrowed(n.data),
            flags: n.flags & !tag_flags::COMPRESSED,
        });
    }
    Ok((items, common))
}

/// The common key of a non-root page (ESE: the page prefix): the key of
/// the node that saves the most bytes when every node borrows what it
/// shares with it (compression applies above two shared bytes), the first
/// such node on a tie; none when no node shares more than two bytes. The
/// key's own length in line 0 is not counted against it: Windows takes an
/// LV's first chunk key over its root key, and gives a page holding one
/// node that node's key.
/// Windows' pages hold a whole node key there, and some readers
/// (libesedb 20181229) rebuild keys correctly only for nodes whose key
/// that prefix covers.
pub(super) fn common_key(items: &[Item]) -> Vec<u8> {
    let keys: Vec<&[u8]> = items
        .iter()
        .map(|i| i.key.as_slice())
        .filter(|k| !k.is_empty())
        .collect();
    best_common_key(&keys).map_or_else(Vec::new, |index| keys[index].to_vec())
}

/// Bytes a node saves when `shared` bytes of its key come from the page's
/// common key (a compressed node spends two bytes on the count).
pub(super) fn prefix_gain(shared: usize) -> usize {
    shared.saturating_sub(2)
}

/// Which of the (sorted) keys, taken as the page's common key, saves the
/// most bytes over all the keys (the first such key; None when none saves
/// anything). What key i shares with key j is the least of what the
/// neighbours between them share, so with `gain[k]` the saving between
/// neighbours k and k+1, key i saves the sum over j of the least gain on
/// the way from i to j. Those sums for every i come from one pass each
/// way with a stack of smaller gains: linear in the keys, where trying
/// each key against the others was quadratic (a branch page of a long
/// value's chunks, whose keys all share the value's id, took most of the
/// time of writing it).
pub(super) fn best_common_key(keys: &[&[u8]]) -> Option<usize> {
    if keys.is_empty() {
        return None;
    }
    let gain: Vec<usize> = keys
        .windows(2)
        .map(|w| prefix_gain(common_prefix(w[0], w[1])))
        .collect();
    let to_the_right = sums_of_least_gains(&gain);
    let reversed: Vec<usize> = gain.iter().rev().copied().collect();
    let to_the_left = sums_of_least_gains(&reversed);
    let last = keys.len() - 1;
    let mut best: Option<(usize, usize)> = None;
    for (index, key) in keys.iter().enumerate() {
        let saved = prefix_gain(key.len()) + to_the_right[index] + to_the_left[last - index];
        if best.is_none_or(|(most, _)| saved > most) {
            best = Some((saved, index));
        }
    }
    best.filter(|(saved, _)| *saved > 0).map(|(_, index)| index)
}

/// For each key i (of `gain.len() + 1` keys), the sum over the keys j
/// after it of the least of `gain[i..j]`.
pub(super) fn sums_of_least_gains(gain: &[usize]) -> Vec<usize> {
    let mut sums = vec![0usize; gain.len() + 1];
    // Indexes of gains still waiting for a smaller one to their right,
    // smallest on top.
    let mut smaller: Vec<usize> = Vec::new();
    for i in (0..gain.len()).rev() {
        while smaller.last().is_some_and(|&top| gain[top] >= gain[i]) {
            smaller.pop();
        }
        sums[i] = match smaller.last() {
            // Up to key `next` the least gain is gain[i]; beyond it the
            // least gains are those key `next` sees.
            Some(&next) => gain[i] * (next - i) + sums[next],
            None => gain[i] * (gain.len() - i),
        };
        smaller.push(i);
    }
    sums
}

/// The shortest separator between two leaves (ESE keeps separators short):
/// the shortest prefix of the right page's first key that is above the
/// left page's last key.
pub(super) fn shortest_separator(left_last: &[u8], right_first: &[u8]) -> Vec<u8> {
    for length in 1..right_first.len() {
        if &right_first[..length] > left_last {
            return right_first[..length].to_vec();
        }
    }
    right_first.to_vec()
}

#[cfg(test)]
mod common_key_tests {
    use super::*;

    /// The definition: every key tried against every other.
    fn by_definition(keys: &[&[u8]]) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, candidate) in keys.iter().enumerate() {
            let saved: usize = keys
                .iter()
                .map(|key| {
                    if std::ptr::eq(key, candidate) {
                        prefix_gain(candidate.len())
                    } else {
                        prefix_gain(common_prefix(candidate, key))
                    }
                })
                .sum();
            if best.is_none_or(|(most, _)| saved > most) {
                best = Some((saved, i));
            }
        }
        best.filter(|(saved, _)| *saved > 0).map(|(_, i)| i)
    }

    #[test]
    fn the_linear_choice_equals_the_definition() {
        let seed = 0x0c0f_fee5_u64;
        println!("seed {seed:#x}");
        let mut state = seed;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for round in 0..2_000 {
            let count = 1 + next(40) as usize;
            let alphabet = 1 + next(4);
            let mut keys: Vec<Vec<u8>> = (0..count)
                .map(|_| {
                    let len = 1 + next(12) as usize;
                    (0..len).map(|_| next(alphabet) as u8).collect()
                })
                .collect();
            keys.sort();
            let refs: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
            let fast = best_common_key(&refs).map(|i| refs[i]);
            let slow = by_definition(&refs).map(|i| refs[i]);
            assert_eq!(fast, slow, "round {round}: {keys:?}");
        }
    }
}
