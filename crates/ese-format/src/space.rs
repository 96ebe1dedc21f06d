//! Space as ESE stores it (ESE: space, SPACE_HEADER, SPLIT_BUFFER): the
//! header on every tree root that says which pages the tree owns, and the
//! nodes of the owned- and available-extent trees.
//!
//! A tree root's line 0 is its space header: the size of its primary extent,
//! the root of the tree it takes pages from, flags, and a last word that is
//! either an availability bitmap (single-extent mode: the tree owns the
//! `primary_pages` pages from its root, and bit `i` set means page
//! `root + 1 + i` is free; pages beyond the 32 the bitmap covers are free)
//! or, in multiple-extent mode, the root of its owned-extent tree, whose
//! available-extent tree is rooted on the next page. Some roots carry an
//! extended header: one leading byte with bit 0 set, then the header.
//!
//! An extent-tree node's key is the extent's last page number, big-endian
//! (4 bytes); available extents in a pool other than the general one have
//! a fifth, leading byte `0x80 | pool`. Its data is the page count
//! (little-endian i32). Space-tree roots open with a 16-byte split buffer
//! instead of a space header.

use crate::codes::*;
use crate::error::{Error, Result};

/// Bytes of a space header and of a split buffer.
pub const SPACE_HEADER_SIZE: usize = 16;
pub const SPLIT_BUFFER_SIZE: usize = 16;
/// Pages of a single-extent tree the availability bitmap describes
/// (ESE: cpgSmallSpaceAvailMost).
pub const BITMAP_PAGES: u32 = 32;
/// The highest page number ESE allocates (ESE: pgnoSysMax).
pub const MAX_PAGE_NUMBER: u32 = 0x7fef_ffff;

/// Space header flag bits (ESE: fSPHMultipleExtent, fSPHNonUnique, v2).
pub mod space_flags {
    pub const MULTIPLE_EXTENT: u32 = 0x01;
    pub const NON_UNIQUE: u32 = 0x02;
    pub const VERSION_2: u32 = 0x04;
}

/// Available-extent pools (ESE: SpacePool).
pub mod pool {
    pub const GENERAL: u8 = 0;
    pub const CONTINUOUS: u8 = 1;
    pub const SHELVED: u8 = 2;
    pub const COUNT: u8 = 3;
}

/// A tree root's space header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SpaceHeader {
    /// Pages of the primary extent (ESE: cpgPrimary; the last extent
    /// allocated in the version-2 form).
    pub primary_pages: u32,
    /// The root of the tree this one takes pages from (0 for the database).
    pub parent_page: u32,
    /// [`space_flags`] bits.
    pub flags: u32,
    /// The availability bitmap (single extent) or the owned-extent root.
    pub last_word: u32,
}

impl SpaceHeader {
    /// A single-extent header owning `primary_pages` from the root, with
    /// every page but the root free.
    pub fn single_extent(primary_pages: u32, parent_page: u32) -> Self {
        let free = primary_pages.saturating_sub(1).min(BITMAP_PAGES);
        SpaceHeader {
            primary_pages,
            parent_page,
            flags: 0,
            last_word: if free == 32 {
                u32::MAX
            } else {
                (1u32 << free) - 1
            },
        }
    }

    /// A multiple-extent header whose extent trees are rooted at
    /// `owned_root` and `owned_root + 1`.
    pub fn multiple_extent(primary_pages: u32, parent_page: u32, owned_root: u32) -> Self {
        SpaceHeader {
            primary_pages,
            parent_page,
            flags: space_flags::MULTIPLE_EXTENT,
            last_word: owned_root,
        }
    }

    pub fn is_multiple_extent(&self) -> bool {
        self.flags & space_flags::MULTIPLE_EXTENT != 0
    }

    /// The owned- and available-extent tree roots, in multiple-extent mode.
    pub fn extent_tree_roots(&self) -> Option<(u32, u32)> {
        self.is_multiple_extent()
            .then(|| (self.last_word, self.last_word.wrapping_add(1)))
    }

    /// In single-extent mode, whether page `root + 1 + index` is free.
    pub fn bitmap_says_free(&self, index: u32) -> bool {
        index >= BITMAP_PAGES || self.last_word & (1 << index) != 0
    }

    /// Decodes a root's line 0 (plain or extended form).
    pub fn decode(line: &[u8]) -> Result<Self> {
        let bytes = if line.len() == SPACE_HEADER_SIZE {
            line
        } else if line.len() > SPACE_HEADER_SIZE && line[0] & 0x01 != 0 {
            &line[1..1 + SPACE_HEADER_SIZE]
        } else {
            return Err(Error::new(JET_errSPAvailExtCorrupted).with_detail(format!(
                "a root's line 0 of {} bytes is not a space header",
                line.len()
            )));
        };
        let word =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        Ok(SpaceHeader {
            primary_pages: word(0),
            parent_page: word(4),
            flags: word(8),
            last_word: word(12),
        })
    }

    /// The 16 bytes of the plain form.
    pub fn encode(&self) -> [u8; SPACE_HEADER_SIZE] {
        let mut out = [0u8; SPACE_HEADER_SIZE];
        out[0..4].copy_from_slice(&self.primary_pages.to_le_bytes());
        out[4..8].copy_from_slice(&self.parent_page.to_le_bytes());
        out[8..12].copy_from_slice(&self.flags.to_le_bytes());
        out[12..16].copy_from_slice(&self.last_word.to_le_bytes());
        out
    }
}

/// One node of an extent tree: pages `last - count + 1 ..= last` in `pool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtentNode {
    pub last: u32,
    pub count: i32,
    pub pool: u8,
}

impl ExtentNode {
    /// The first page of the extent (meaningless for an empty one).
    pub fn first(&self) -> u32 {
        self.last
            .wrapping_sub(self.count.max(0) as u32)
            .wrapping_add(1)
    }

    /// Decodes a node's key and data. Pool bytes are allowed only in
    /// available-extent trees (`available`).
    pub fn decode(key: &[u8], data: &[u8], available: bool) -> Result<Self> {
        let code = if available {
            JET_errSPAvailExtCorrupted
        } else {
            JET_errSPOwnExtCorrupted
        };
        let (pool, last) = match key.len() {
            4 if key[0] & 0x80 == 0 => (
                pool::GENERAL,
                u32::from_be_bytes([key[0], key[1], key[2], key[3]]),
            ),
            5 if available && key[0] & 0x80 != 0 => (
                key[0] & 0x07,
                u32::from_be_bytes([key[1], key[2], key[3], key[4]]),
            ),
            n => {
                return Err(
                    Error::new(code).with_detail(format!("a {n}-byte key is not an extent key"))
                )
            }
        };
        if pool >= pool::COUNT {
            return Err(Error::new(code).with_detail(format!("unknown space pool {pool}")));
        }
        let count = <[u8; 4]>::try_from(data)
            .map(i32::from_le_bytes)
            .map_err(|_| {
                Error::new(code).with_detail(format!(
                    "extent data of {} bytes, a page count takes 4",
                    data.len()
                ))
            })?;
        Ok(ExtentNode { last, count, pool })
    }

    /// The node's key.
    pub fn key(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(5);
        if self.pool != pool::GENERAL {
            key.push(0x80 | self.pool);
        }
        key.extend_from_slice(&self.last.to_be_bytes());
        key
    }

    /// The node's data.
    pub fn data(&self) -> [u8; 4] {
        self.count.to_le_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip_in_both_modes() {
        let single = SpaceHeader::single_extent(4, 1);
        assert!(!single.is_multiple_extent());
        // Pages root+1..root+3 free.
        assert_eq!(single.last_word, 0b111);
        assert!(single.bitmap_says_free(2) && !single.bitmap_says_free(3));
        assert!(single.bitmap_says_free(40));
        assert_eq!(SpaceHeader::decode(&single.encode()).unwrap(), single);
        let multi = SpaceHeader::multiple_extent(20, 1, 5);
        assert_eq!(multi.extent_tree_roots(), Some((5, 6)));
        assert_eq!(SpaceHeader::decode(&multi.encode()).unwrap(), multi);
        assert_eq!(SpaceHeader::single_extent(40, 1).last_word, u32::MAX);
        // The extended form: a flag byte first.
        let mut extended = vec![0x01];
        extended.extend_from_slice(&multi.encode());
        extended.extend_from_slice(&[0; 8]);
        assert_eq!(SpaceHeader::decode(&extended).unwrap(), multi);
        assert!(SpaceHeader::decode(&[0; 10]).is_err());
    }

    #[test]
    fn extent_nodes_round_trip_and_reject_the_impossible() {
        let node = ExtentNode {
            last: 254,
            count: 224,
            pool: pool::GENERAL,
        };
        assert_eq!(node.key(), vec![0, 0, 0, 254]);
        assert_eq!(node.first(), 31);
        assert_eq!(
            ExtentNode::decode(&node.key(), &node.data(), false).unwrap(),
            node
        );
        let shelved = ExtentNode {
            last: 900,
            count: 1,
            pool: pool::SHELVED,
        };
        assert_eq!(shelved.key()[0], 0x82);
        assert_eq!(
            ExtentNode::decode(&shelved.key(), &shelved.data(), true).unwrap(),
            shelved
        );
        assert_eq!(
            ExtentNode::decode(&shelved.key(), &shelved.data(), false)
                .unwrap_err()
                .code(),
            JET_errSPOwnExtCorrupted
        );
        assert!(ExtentNode::decode(&[0x87, 0, 0, 0, 1], &[1, 0, 0, 0], true).is_err());
        assert!(ExtentNode::decode(&[0, 0, 0, 1], &[1, 0], true).is_err());
    }
}
