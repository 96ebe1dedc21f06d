//! B+tree nodes as stored in page lines (ESE: node layer, KEYDATAFLAGS).
//!
//! Line 0 of every page is its external header. Every other line is a node:
//! a key, stored as a suffix that may share a prefix with the page's common
//! key, followed by the node's data. A leaf node's data is the record (or
//! index entry, or long-value chunk); a branch node's data is the number of
//! the child page holding keys up to the node's key.
//!
//! Layout of a node line:
//! - when the line's compressed flag is set: a u16 giving how many leading
//!   bytes of the page's common key (the external header line) start this
//!   node's key;
//! - a u16 giving the length of the key suffix stored here;
//! - the suffix;
//! - the data.
//!
//! The top three bits of the two length words are masked off: on 16 and
//! 32 KiB pages the line's flags live there.

use crate::bytes::u16_at;
use crate::codes::*;
use crate::error::{Error, Result};
use crate::page::{tag_flags, Page};

/// Mask of the meaningful bits in a key-length word (ESE: usNDCbKeyMask).
pub const KEY_LENGTH_MASK: u16 = 0x1fff;
/// Bytes of the split buffer that opens a space-tree root's external header
/// before its common key (ESE: SPLIT_BUFFER, two extents of two u32s).
pub const SPLIT_BUFFER_SIZE: usize = 16;

/// One node of a page, borrowed from the page's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node<'a> {
    /// The leading bytes of the key, shared with the page's common key.
    pub prefix: &'a [u8],
    /// The rest of the key, stored in the node.
    pub suffix: &'a [u8],
    pub data: &'a [u8],
    /// [`tag_flags`] bits of the line.
    pub flags: u8,
}

impl<'a> Node<'a> {
    /// The full key length.
    #[inline]
    pub fn key_len(&self) -> usize {
        self.prefix.len() + self.suffix.len()
    }

    /// Appends the full key to `out` (cleared first).
    pub fn key_into(&self, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(self.prefix);
        out.extend_from_slice(self.suffix);
    }

    /// The full key as a new vector.
    pub fn key(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.key_len());
        self.key_into(&mut key);
        key
    }

    /// Whether the node is flagged deleted (kept only for older snapshots).
    pub fn is_deleted(&self) -> bool {
        self.flags & tag_flags::DELETED != 0
    }

    pub fn is_versioned(&self) -> bool {
        self.flags & tag_flags::VERSIONED != 0
    }

    /// Compares this node's key with `key` without assembling it.
    ///
    /// Eight bytes at a time, then byte by byte, rather than a slice
    /// comparison: keys are short, and the call to `memcmp` a slice
    /// comparison makes for each node was a sixth of a B+tree insert's
    /// time in the profile.
    #[inline]
    pub fn compare_key(&self, key: &[u8]) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let shared = self.prefix.len().min(key.len());
        let order = compare_equal_lengths(&self.prefix[..shared], &key[..shared]);
        if order != Ordering::Equal {
            return order;
        }
        if shared < self.prefix.len() {
            // The key sought ends inside this node's prefix.
            return Ordering::Greater;
        }
        compare_suffix(self.suffix, &key[shared..])
    }

    /// A branch node's child page number (its data's first four bytes).
    #[inline]
    pub fn child_page(&self) -> Result<u32> {
        match self.data.get(..4) {
            Some(bytes) => Ok(u32::from_le_bytes(bytes.try_into().unwrap_or([0; 4]))),
            None => Err(Error::new(JET_errNodeCorrupted).with_detail(format!(
                "a branch node holds {} data bytes, a child page number needs 4",
                self.data.len()
            ))),
        }
    }
}

/// The common key every compressed node of `page` may borrow from.
#[inline]
pub fn common_key<'a>(page: &Page<'a>) -> &'a [u8] {
    let Some(external) = page.line(0) else {
        return &[];
    };
    let flags = page.header().flags;
    if !flags.is_root() {
        external
    } else if flags.is_space_tree() {
        external.get(SPLIT_BUFFER_SIZE..).unwrap_or(&[])
    } else {
        // A tree root's external header is its space header, not a key.
        &[]
    }
}

/// The number of nodes in a page (lines after the external header).
#[inline]
pub fn node_count(page: &Page<'_>) -> usize {
    page.tag_count().saturating_sub(1)
}

/// A node's own key bytes against what the key sought has left once the
/// bytes the node borrows are known equal: byte order, then length.
#[inline]
fn compare_suffix(suffix: &[u8], rest: &[u8]) -> std::cmp::Ordering {
    let shared = suffix.len().min(rest.len());
    match compare_equal_lengths(&suffix[..shared], &rest[..shared]) {
        std::cmp::Ordering::Equal => suffix.len().cmp(&rest.len()),
        order => order,
    }
}

/// Lexicographic order of two byte strings of the same length.
#[inline]
fn compare_equal_lengths(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let mut a_words = a.chunks_exact(8);
    let mut b_words = b.chunks_exact(8);
    for (x, y) in (&mut a_words).zip(&mut b_words) {
        let x = u64::from_be_bytes(x.try_into().unwrap_or_default());
        let y = u64::from_be_bytes(y.try_into().unwrap_or_default());
        if x != y {
            return x.cmp(&y);
        }
    }
    for (x, y) in a_words.remainder().iter().zip(b_words.remainder()) {
        if x != y {
            return x.cmp(y);
        }
    }
    std::cmp::Ordering::Equal
}

/// Decodes node `index` (0-based, i.e. line `index + 1`) of `page`.
#[inline]
pub fn node<'a>(page: &Page<'a>, index: usize) -> Result<Node<'a>> {
    decode_node(page, index, || common_key(page))
}

/// A key sought among one page's nodes, compared with the page's common
/// key once. A compressed node's key starts with bytes of the common key:
/// a node that borrows no more of it than the key sought shares with it
/// compares by its own bytes alone, and one that borrows more compares as
/// the common key does at the first byte the key sought differs (or
/// ends). Each probe of a search then skips the prefix, which in an index
/// of similar keys (addresses, names, dates) is most of the key.
#[derive(Clone, Copy, Debug)]
pub struct KeyProbe<'k> {
    key: &'k [u8],
    /// Leading bytes the key shares with the page's common key.
    shared: usize,
    /// How a node borrowing more than `shared` bytes compares with the key.
    beyond: std::cmp::Ordering,
}

impl<'k> KeyProbe<'k> {
    #[inline]
    pub fn new(page: &Page<'_>, key: &'k [u8]) -> Self {
        Self::with_common(common_key(page), key)
    }

    /// The probe for a page whose common key is `common`.
    #[inline]
    fn with_common(common: &[u8], key: &'k [u8]) -> Self {
        let shared = common.iter().zip(key).take_while(|(c, k)| c == k).count();
        // Only read when a node borrows more than `shared` bytes, so when
        // the common key goes on past them.
        let beyond = match (common.get(shared), key.get(shared)) {
            (Some(c), Some(k)) => c.cmp(k),
            _ => std::cmp::Ordering::Greater,
        };
        KeyProbe {
            key,
            shared,
            beyond,
        }
    }

    /// How the key of `node`, a node of the page, compares with the key
    /// sought (what [`Node::compare_key`] gives).
    #[inline]
    pub fn compare(&self, node: &Node<'_>) -> std::cmp::Ordering {
        let borrowed = node.prefix.len();
        if borrowed > self.shared {
            return self.beyond;
        }
        compare_suffix(node.suffix, &self.key[borrowed..])
    }
}

/// The first index in `0..end` whose node `before` rejects, `end` when it
/// accepts them all: a binary search over the page's nodes, `before`
/// accepting a prefix of them. The page's common key is looked up once for
/// the whole search, not at every step.
pub fn partition_nodes<'a>(
    page: &Page<'a>,
    end: usize,
    mut before: impl FnMut(&Node<'a>) -> bool,
) -> Result<usize> {
    let common = common_key(page);
    let (mut low, mut high) = (0, end);
    while low < high {
        let middle = (low + high) / 2;
        // A page not in the processor's caches costs a memory load per
        // probe, each waiting for the last. The two nodes the next step
        // may probe are loaded now, while this one's comparison waits, so
        // that their loads overlap it.
        if high - low > 4 {
            touch_node(page, (low + middle) / 2);
            touch_node(page, (middle + 1 + high) / 2);
        }
        if before(&decode_node(page, middle, || common)?) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Ok(low)
}

/// Loads node `index`'s tag and the first byte of its line, for nothing
/// but to have them in the cache when they are read (see
/// [`partition_nodes`]); `black_box` keeps the loads from being dropped.
#[inline]
fn touch_node(page: &Page<'_>, index: usize) {
    if let Some(line) = page.tag(index + 1).and_then(|tag| page.line_of(tag)) {
        std::hint::black_box(line.first().copied());
    }
}

fn decode_node<'a>(
    page: &Page<'a>,
    index: usize,
    common_key: impl FnOnce() -> &'a [u8],
) -> Result<Node<'a>> {
    let corrupt = |detail: String| Error::new(JET_errNodeCorrupted).with_detail(detail);
    let line_index = index + 1;
    let tag = page.tag(line_index).ok_or_else(|| {
        corrupt(format!(
            "node {index} is beyond the page's {} nodes",
            node_count(page)
        ))
    })?;
    let line = page
        .line_of(tag)
        .ok_or_else(|| corrupt(format!("line {line_index} lies outside the page")))?;
    let mut position = 0usize;
    let mut prefix: &[u8] = &[];
    if tag.flags & tag_flags::COMPRESSED != 0 {
        let length = u16_at(line, 0).ok_or_else(|| {
            corrupt(format!(
                "line {line_index} is too short for its prefix length"
            ))
        })?;
        let length = usize::from(length & KEY_LENGTH_MASK);
        let common = common_key();
        prefix = common.get(..length).ok_or_else(|| {
            corrupt(format!(
                "node {index} borrows {length} key bytes from a common key of {}",
                common.len()
            ))
        })?;
        position = 2;
    }
    let suffix_length = u16_at(line, position)
        .ok_or_else(|| corrupt(format!("line {line_index} is too short for its key length")))?;
    let suffix_length = usize::from(suffix_length & KEY_LENGTH_MASK);
    position += 2;
    let suffix = line
        .get(position..position + suffix_length)
        .ok_or_else(|| {
            corrupt(format!(
                "node {index}: a {suffix_length}-byte key suffix overruns its {}-byte line",
                line.len()
            ))
        })?;
    let data = &line[position + suffix_length..];
    Ok(Node {
        prefix,
        suffix,
        data,
        flags: tag.flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{encode_tag, PageFlags, PageHeader, Tag};

    /// A 4 KiB leaf page (not a root) whose lines are given raw, with flags.
    fn page_with_lines(lines: &[(&[u8], u8)]) -> Vec<u8> {
        let mut page = vec![0u8; 4096];
        let mut offset = 0usize;
        for (index, (bytes, flags)) in lines.iter().enumerate() {
            let start = 40 + offset;
            page[start..start + bytes.len()].copy_from_slice(bytes);
            let tag = Tag {
                offset: offset as u16,
                size: bytes.len() as u16,
                flags: *flags,
                ..Default::default()
            };
            encode_tag(&mut page, index, tag).unwrap();
            offset += bytes.len();
        }
        let header = PageHeader {
            first_free_offset: offset as u16,
            tag_state: lines.len() as u16,
            flags: PageFlags(PageFlags::LEAF),
            ..Default::default()
        };
        header.encode(&mut page).unwrap();
        page
    }

    #[test]
    fn plain_and_prefix_compressed_nodes() {
        let common: &[u8] = b"ABCDEF";
        let plain: &[u8] = &[3, 0, b'k', b'e', b'y', 1, 2, 3];
        let compressed: &[u8] = &[4, 0, 2, 0, b'x', b'y', 9];
        let bytes =
            page_with_lines(&[(common, 0), (plain, 0), (compressed, tag_flags::COMPRESSED)]);
        let page = Page::parse(&bytes, 5).unwrap();
        assert_eq!(node_count(&page), 2);
        let first = node(&page, 0).unwrap();
        assert_eq!(first.key(), b"key");
        assert_eq!(first.data, &[1, 2, 3]);
        let second = node(&page, 1).unwrap();
        assert_eq!(second.key(), b"ABCDxy");
        assert_eq!(second.data, &[9]);
        assert_eq!(second.compare_key(b"ABCDxy"), std::cmp::Ordering::Equal);
        assert_eq!(second.compare_key(b"ABCDxz"), std::cmp::Ordering::Less);
        assert_eq!(second.compare_key(b"ABC"), std::cmp::Ordering::Greater);
        assert_eq!(second.compare_key(b"ABCDxy\0"), std::cmp::Ordering::Less);
        assert!(node(&page, 2).is_err());
    }

    #[test]
    fn comparing_a_node_key_agrees_with_comparing_the_assembled_key() {
        // Every split of short keys over a two-letter alphabet into prefix
        // and suffix, lengths crossing the eight-byte word boundary.
        let keys: Vec<Vec<u8>> = (0..=11usize)
            .flat_map(|len| {
                (0..(1u32 << len.min(6))).map(move |bits| {
                    (0..len)
                        .map(|i| if bits >> (i % 6) & 1 == 1 { b'b' } else { b'a' })
                        .collect()
                })
            })
            .collect();
        let mut compared = 0;
        for stored in keys.iter().step_by(3) {
            for split in 0..=stored.len() {
                let n = Node {
                    prefix: &stored[..split],
                    suffix: &stored[split..],
                    data: &[],
                    flags: 0,
                };
                for sought in &keys {
                    assert_eq!(
                        n.compare_key(sought),
                        stored.as_slice().cmp(sought.as_slice()),
                        "{stored:?} split at {split} against {sought:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 100_000, "{compared}");
    }

    /// A key probe gives what comparing the node's assembled key gives,
    /// for every node a page with a given common key may hold (each prefix
    /// of the common key it may borrow, any suffix) and every key sought,
    /// including keys that end inside the common key or leave it early.
    #[test]
    fn a_key_probe_agrees_with_comparing_the_assembled_key() {
        let alphabet = |len: usize| -> Vec<Vec<u8>> {
            (0..(1u32 << len))
                .map(|bits| {
                    (0..len)
                        .map(|i| if bits >> i & 1 == 1 { b'b' } else { b'a' })
                        .collect()
                })
                .collect()
        };
        let short: Vec<Vec<u8>> = (0..=5).flat_map(alphabet).collect();
        let commons: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"abab".to_vec(),
            b"bbbbbbbbbb".to_vec(),
            b"aabbaabbab".to_vec(),
        ];
        let mut compared = 0;
        for common in &commons {
            for borrowed in 0..=common.len() {
                for suffix in short.iter().step_by(5) {
                    let stored: Vec<u8> = [&common[..borrowed], suffix].concat();
                    let n = Node {
                        prefix: &common[..borrowed],
                        suffix,
                        data: &[],
                        flags: 0,
                    };
                    let sought_keys = short
                        .iter()
                        .cloned()
                        .chain((0..=common.len()).map(|cut| common[..cut].to_vec()))
                        .chain(short.iter().map(|s| [common.as_slice(), s].concat()));
                    for sought in sought_keys {
                        let probe = KeyProbe::with_common(common, &sought);
                        assert_eq!(
                            probe.compare(&n),
                            stored.as_slice().cmp(sought.as_slice()),
                            "common {common:?}, node {:?}+{suffix:?}, sought {sought:?}",
                            &common[..borrowed]
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 50_000, "{compared}");
    }

    #[test]
    fn malformed_nodes_are_node_corrupted() {
        let common: &[u8] = b"AB";
        let too_long_suffix: &[u8] = &[9, 0, b'a'];
        let too_long_prefix: &[u8] = &[5, 0, 0, 0, 1];
        let bytes = page_with_lines(&[
            (common, 0),
            (too_long_suffix, 0),
            (too_long_prefix, tag_flags::COMPRESSED),
            (&[1], 0),
        ]);
        let page = Page::parse(&bytes, 5).unwrap();
        for index in 0..3 {
            assert_eq!(
                node(&page, index).unwrap_err().code(),
                JET_errNodeCorrupted,
                "{index}"
            );
        }
        let branch = Node {
            prefix: &[],
            suffix: &[],
            data: &[1, 2],
            flags: 0,
        };
        assert_eq!(
            branch.child_page().unwrap_err().code(),
            JET_errNodeCorrupted
        );
    }
}
