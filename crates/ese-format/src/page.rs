//! Database pages (ESE: CPAGE): the page header, the page flags and the tag
//! array that locates each line (node) in the page.
//!
//! A page is a header, then line data growing upward, then free space, then
//! the tag array growing downward from the end of the page: tag 0 is the last
//! four bytes of the page, tag 1 the four before it, and so on. Tag 0 always
//! holds the page's external header (the tree's root or sibling data).
//!
//! Pages of 4 and 8 KiB ("small pages") use a 40-byte header and keep three
//! flag bits in each tag; pages of 16 and 32 KiB use an 80-byte header with
//! three more block checksums and the page number, and keep the flag bits in
//! the first two bytes of each line instead, since their tags need 15 bits
//! for offsets.

use crate::bytes::{u16_at, LeReader, LeWriter};
use crate::codes::*;
use crate::constants::is_valid_page_size;
use crate::error::{Error, Result};

/// Size of the header of a 2, 4 or 8 KiB page (ESE: PGHDR).
pub const SMALL_HEADER_SIZE: usize = 40;
/// Size of the header of a 16 or 32 KiB page (ESE: PGHDR2).
pub const LARGE_HEADER_SIZE: usize = 80;
/// Size of one tag.
pub const TAG_SIZE: usize = 4;

/// Whether a page of this size uses the small layout (ESE: FIsSmallPage).
#[inline]
pub fn is_small_page(page_size: usize) -> bool {
    page_size <= 8192
}

/// The header size for a page size.
#[inline]
pub fn header_size(page_size: usize) -> usize {
    if is_small_page(page_size) {
        SMALL_HEADER_SIZE
    } else {
        LARGE_HEADER_SIZE
    }
}

/// Page flag bits (ESE: CPAGE::fPage*).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PageFlags(pub u32);

impl PageFlags {
    pub const ROOT: u32 = 0x0001;
    pub const LEAF: u32 = 0x0002;
    pub const PARENT_OF_LEAF: u32 = 0x0004;
    pub const EMPTY: u32 = 0x0008;
    pub const REPAIR: u32 = 0x0010;
    pub const SPACE_TREE: u32 = 0x0020;
    pub const INDEX: u32 = 0x0040;
    pub const LONG_VALUE: u32 = 0x0080;
    /// Obsolete streaming-file space flags, never set by modern ESE.
    pub const SLV_AVAIL: u32 = 0x0100;
    pub const SLV_OWNER_MAP: u32 = 0x0200;
    pub const NON_UNIQUE_KEYS: u32 = 0x0400;
    pub const NEW_RECORD_FORMAT: u32 = 0x0800;
    /// The page carries the ECC + XOR checksum rather than the legacy XOR.
    pub const NEW_CHECKSUM_FORMAT: u32 = 0x2000;
    pub const SCRUBBED: u32 = 0x4000;
    /// Two bits naming the flush "colour" the page was last written with.
    pub const FLUSH_TYPE_MASK: u32 = 0x18000;
    pub const PRE_INIT: u32 = 0x20000;
    pub const FDP_DELETE: u32 = 0x40000;

    pub fn contains(self, bits: u32) -> bool {
        self.0 & bits == bits
    }
    pub fn is_root(self) -> bool {
        self.contains(Self::ROOT)
    }
    pub fn is_leaf(self) -> bool {
        self.contains(Self::LEAF)
    }
    pub fn is_parent_of_leaf(self) -> bool {
        self.contains(Self::PARENT_OF_LEAF)
    }
    pub fn is_empty(self) -> bool {
        self.contains(Self::EMPTY)
    }
    pub fn is_space_tree(self) -> bool {
        self.contains(Self::SPACE_TREE)
    }
    pub fn is_index(self) -> bool {
        self.contains(Self::INDEX)
    }
    pub fn is_long_value(self) -> bool {
        self.contains(Self::LONG_VALUE)
    }
    pub fn has_new_checksum(self) -> bool {
        self.contains(Self::NEW_CHECKSUM_FORMAT)
    }
    pub fn flush_type(self) -> u32 {
        (self.0 & Self::FLUSH_TYPE_MASK) >> 15
    }

    /// Names of the set bits, for display (`Root|Leaf|NewChecksum`).
    pub fn names(self) -> String {
        const NAMES: [(u32, &str); 16] = [
            (PageFlags::ROOT, "Root"),
            (PageFlags::LEAF, "Leaf"),
            (PageFlags::PARENT_OF_LEAF, "ParentOfLeaf"),
            (PageFlags::EMPTY, "Empty"),
            (PageFlags::REPAIR, "Repair"),
            (PageFlags::SPACE_TREE, "SpaceTree"),
            (PageFlags::INDEX, "Index"),
            (PageFlags::LONG_VALUE, "LongValue"),
            (PageFlags::SLV_AVAIL, "SLVAvail"),
            (PageFlags::SLV_OWNER_MAP, "SLVOwnerMap"),
            (PageFlags::NON_UNIQUE_KEYS, "NonUniqueKeys"),
            (PageFlags::NEW_RECORD_FORMAT, "NewRecordFormat"),
            (PageFlags::NEW_CHECKSUM_FORMAT, "NewChecksumFormat"),
            (PageFlags::SCRUBBED, "Scrubbed"),
            (PageFlags::PRE_INIT, "PreInit"),
            (PageFlags::FDP_DELETE, "FDPDelete"),
        ];
        let mut parts: Vec<String> = NAMES
            .iter()
            .filter(|(bit, _)| self.0 & bit != 0)
            .map(|(_, name)| (*name).to_string())
            .collect();
        if self.flush_type() != 0 {
            parts.push(format!("FlushType{}", self.flush_type()));
        }
        let known = NAMES
            .iter()
            .fold(Self::FLUSH_TYPE_MASK, |acc, (bit, _)| acc | bit);
        if self.0 & !known != 0 {
            parts.push(format!("0x{:x}", self.0 & !known));
        }
        parts.join("|")
    }
}

impl std::fmt::Debug for PageFlags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageFlags(0x{:x} {})", self.0, self.names())
    }
}

/// The part of the header that only 16 and 32 KiB pages have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtendedHeader {
    /// Checksums of the second, third and fourth 4 KiB block.
    pub block_checksums: [u64; 3],
    /// The page's own number, so a misdirected read is caught.
    pub page_number: u32,
    pub reserved: [u8; 12],
}

/// A page header in either layout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageHeader {
    /// The raw checksum field (bytes 0..8): a legacy page keeps its XOR in
    /// the low half and its page number in the high half.
    pub checksum: u64,
    /// The database time of the page's last modification.
    pub db_time: u64,
    /// Left and right siblings at the same tree level (0 = none).
    pub previous_page: u32,
    pub next_page: u32,
    /// The object id of the tree the page belongs to (ESE: objidFDP).
    pub object_id: u32,
    /// Free bytes in the page, and the part of them a rollback may reclaim.
    pub free_bytes: u16,
    pub uncommitted_free_bytes: u16,
    /// Offset (after the header) of the first byte never used by a line.
    pub first_free_offset: u16,
    /// Tag count (low 12 bits) and reserved-tag count (next 3 bits), raw.
    pub tag_state: u16,
    pub flags: PageFlags,
    /// Present exactly for 16 and 32 KiB pages.
    pub extended: Option<ExtendedHeader>,
}

impl PageHeader {
    /// The number of tags in use (ESE: itagMicFree).
    #[inline]
    pub fn tag_count(&self) -> usize {
        usize::from(self.tag_state & 0x0fff)
    }

    /// Tags kept in reserve at the front of the array (ESE: ctagReserved);
    /// pages written before this field existed hold 0 and mean 1.
    pub fn reserved_tag_count(&self) -> usize {
        usize::from((self.tag_state & 0x7000) >> 12).max(1)
    }

    /// Decodes the header of a page of `page_size` bytes from the start of
    /// `bytes`.
    pub fn decode(bytes: &[u8], page_size: usize) -> Result<Self> {
        let needed = header_size(page_size);
        if bytes.len() < needed {
            return Err(Error::new(JET_errPageNotInitialized)
                .with_operation("decoding a page header")
                .with_detail(format!(
                    "{} bytes given, the header needs {needed}",
                    bytes.len()
                )));
        }
        let mut r = LeReader::new(bytes);
        let mut header = PageHeader {
            checksum: r.u64(),
            db_time: r.u64(),
            previous_page: r.u32(),
            next_page: r.u32(),
            object_id: r.u32(),
            free_bytes: r.u16(),
            uncommitted_free_bytes: r.u16(),
            first_free_offset: r.u16(),
            tag_state: r.u16(),
            flags: PageFlags(r.u32()),
            extended: None,
        };
        if !is_small_page(page_size) {
            header.extended = Some(ExtendedHeader {
                block_checksums: [r.u64(), r.u64(), r.u64()],
                page_number: r.u32(),
                reserved: r.array(),
            });
        }
        debug_assert_eq!(r.position(), needed);
        Ok(header)
    }

    /// Writes the header into the start of `page`. The extended part is
    /// written when present; the layout must match the page size.
    pub fn encode(&self, page: &mut [u8]) -> Result<()> {
        let needed = if self.extended.is_some() {
            LARGE_HEADER_SIZE
        } else {
            SMALL_HEADER_SIZE
        };
        if page.len() < needed || is_small_page(page.len()) == self.extended.is_some() {
            return Err(Error::new(JET_errInvalidParameter)
                .with_operation("encoding a page header")
                .with_detail(format!(
                    "a {}-byte header does not fit a page of {} bytes",
                    needed,
                    page.len()
                )));
        }
        let mut w = LeWriter::new(page);
        w.u64(self.checksum);
        w.u64(self.db_time);
        w.u32(self.previous_page);
        w.u32(self.next_page);
        w.u32(self.object_id);
        w.u16(self.free_bytes);
        w.u16(self.uncommitted_free_bytes);
        w.u16(self.first_free_offset);
        w.u16(self.tag_state);
        w.u32(self.flags.0);
        if let Some(extended) = &self.extended {
            for checksum in extended.block_checksums {
                w.u64(checksum);
            }
            w.u32(extended.page_number);
            w.bytes(&extended.reserved);
        }
        debug_assert!(!w.overrun());
        Ok(())
    }
}

/// Flag bits of a line (ESE: fNDVersion, fNDDeleted, fNDCompressed).
pub mod tag_flags {
    /// The node has versions in the version store.
    pub const VERSIONED: u8 = 0x1;
    /// The node is deleted but kept until no transaction can see it.
    pub const DELETED: u8 = 0x2;
    /// The node's key shares a prefix with the page's common key.
    pub const COMPRESSED: u8 = 0x4;
}

/// One entry of the tag array: where a line is and its flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tag {
    /// Offset of the line from the end of the page header.
    pub offset: u16,
    /// Length of the line in bytes.
    pub size: u16,
    /// [`tag_flags`] bits, wherever the layout keeps them.
    pub flags: u8,
    /// Bits of the two tag words that ESE neither reads nor clears (the top
    /// bits of the size word, and of the offset word on large pages). They
    /// are kept so that a page decoded and encoded again is unchanged; new
    /// tags leave them zero.
    pub stale_size_bits: u16,
    pub stale_offset_bits: u16,
}

impl Tag {
    /// The two raw 16-bit words of a tag as stored: the size word first,
    /// then the offset word.
    #[inline]
    pub fn raw(page: &[u8], index: usize) -> Option<(u16, u16)> {
        let position = page
            .len()
            .checked_sub((index.checked_add(1)?).checked_mul(TAG_SIZE)?)?;
        Some((u16_at(page, position)?, u16_at(page, position + 2)?))
    }
}

/// A page whose header and tag array have been checked for consistency:
/// every line lies inside the data area, so reading lines cannot go astray.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    bytes: &'a [u8],
    header: PageHeader,
}

impl<'a> Page<'a> {
    /// Parses and checks a whole page. `page_number` is used for context in
    /// errors and, on 16/32 KiB pages, compared with the stored number.
    pub fn parse(bytes: &'a [u8], page_number: u32) -> Result<Self> {
        let page = Self::parse_header(bytes, page_number)?;
        page.check_lines(page_number)?;
        Ok(page)
    }

    /// Parses a page checking its header and tag array but not every
    /// line's place: for the B+tree paths that visit pages many times per
    /// operation (ESE trusts its cached pages likewise). Reading a line
    /// never strays outside the page whatever the tags say, so a damaged
    /// page gives wrong lines or errors, never a fault; the strict
    /// [`Page::parse`] is what integrity checks and first reads use.
    pub fn parse_trusted(bytes: &'a [u8], page_number: u32) -> Result<Self> {
        Self::parse_header(bytes, page_number)
    }

    /// The page again from bytes whose header `parse_trusted` already
    /// decoded and checked (`header` must come from these very bytes): for
    /// a holder of an immutable page snapshot that reads its nodes many
    /// times, without decoding the header at every read.
    #[inline]
    pub fn with_checked_header(bytes: &'a [u8], header: PageHeader) -> Self {
        Page { bytes, header }
    }

    fn parse_header(bytes: &'a [u8], page_number: u32) -> Result<Self> {
        let page_size = bytes.len();
        let corrupt = |detail: String| {
            Error::new(JET_errPageTagCorrupted)
                .with_operation("checking the page layout")
                .with_page(page_number)
                .with_detail(detail)
        };
        if !is_valid_page_size(page_size) {
            return Err(Error::new(JET_errInvalidParameter)
                .with_page(page_number)
                .with_detail(format!("{page_size} bytes is not a page size")));
        }
        let header = PageHeader::decode(bytes, page_size)?;
        if let Some(extended) = &header.extended {
            if extended.page_number != page_number {
                return Err(Error::new(JET_errReadPgnoVerifyFailure)
                    .with_page(page_number)
                    .with_detail(format!("the page says it is page {}", extended.page_number)));
            }
        }
        let header_bytes = header_size(page_size);
        let tag_count = header.tag_count();
        let tag_bytes = tag_count * TAG_SIZE;
        let data_area = page_size
            .checked_sub(header_bytes + tag_bytes)
            .ok_or_else(|| corrupt(format!("{tag_count} tags do not fit the page")))?;
        if usize::from(header.first_free_offset) > data_area {
            return Err(corrupt(format!(
                "first free offset {} is beyond the data area of {data_area} bytes",
                header.first_free_offset
            )));
        }
        if usize::from(header.free_bytes) > data_area + tag_bytes {
            return Err(corrupt(format!(
                "{} free bytes claimed in a page with {} bytes of data area",
                header.free_bytes,
                data_area + tag_bytes
            )));
        }
        Ok(Page { bytes, header })
    }

    /// Every tag's line lies inside the used data area.
    fn check_lines(&self, page_number: u32) -> Result<()> {
        let corrupt = |detail: String| {
            Error::new(JET_errPageTagCorrupted)
                .with_operation("checking the page layout")
                .with_page(page_number)
                .with_detail(detail)
        };
        let header = self.header;
        let page = *self;
        for index in 0..header.tag_count() {
            let tag = page.tag_unchecked(index);
            // ESE never reads an empty reserved line (the external header
            // when it has no bytes), so its offset may be stale.
            if tag.size == 0 && index < header.reserved_tag_count() {
                continue;
            }
            let end = usize::from(tag.offset) + usize::from(tag.size);
            if end > usize::from(header.first_free_offset) {
                return Err(corrupt(format!(
                    "tag {index} covers bytes {}..{end}, beyond the used area ending at {}",
                    tag.offset, header.first_free_offset
                )));
            }
        }
        Ok(())
    }

    #[inline]
    pub fn header(&self) -> &PageHeader {
        &self.header
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    pub fn page_size(&self) -> usize {
        self.bytes.len()
    }

    #[inline]
    pub fn is_small(&self) -> bool {
        is_small_page(self.bytes.len())
    }

    #[inline]
    pub fn tag_count(&self) -> usize {
        self.header.tag_count()
    }

    /// Decodes tag `index`; the caller guarantees it is below the count and
    /// `parse` has checked that the array fits the page.
    #[inline]
    fn tag_unchecked(&self, index: usize) -> Tag {
        let (size_word, offset_word) = Tag::raw(self.bytes, index).unwrap_or((0, 0));
        if self.is_small() {
            Tag {
                offset: offset_word & 0x1fff,
                size: size_word & 0x1fff,
                flags: (offset_word >> 13) as u8,
                stale_size_bits: size_word & !0x1fff,
                stale_offset_bits: 0,
            }
        } else {
            let offset = offset_word & 0x7fff;
            let size = size_word & 0x7fff;
            // Large pages keep the flags in the top bits of the line's first
            // two bytes, present only when the line has two bytes. Tag 0,
            // the external header, has no flags: its bytes are data.
            let flags = if size >= 2 && index > 0 {
                let at = header_size(self.bytes.len()) + usize::from(offset);
                u16_at(self.bytes, at).map_or(0, |word| (word >> 13) as u8)
            } else {
                0
            };
            Tag {
                offset,
                size,
                flags,
                stale_size_bits: size_word & 0x8000,
                stale_offset_bits: offset_word & 0x8000,
            }
        }
    }

    /// Tag `index`, or `None` beyond the tag count.
    #[inline]
    pub fn tag(&self, index: usize) -> Option<Tag> {
        (index < self.tag_count()).then(|| self.tag_unchecked(index))
    }

    /// All tags in index order.
    pub fn tags(&self) -> impl Iterator<Item = Tag> + '_ {
        (0..self.tag_count()).map(|index| self.tag_unchecked(index))
    }

    /// The bytes of line `index` as stored (on large pages the first two
    /// bytes still carry the flag bits in their top three bits).
    #[inline]
    pub fn line(&self, index: usize) -> Option<&'a [u8]> {
        self.line_of(self.tag(index)?)
    }

    /// The bytes a tag of this page points at (for callers that already
    /// decoded the tag).
    #[inline]
    pub fn line_of(&self, tag: Tag) -> Option<&'a [u8]> {
        if tag.size == 0 {
            return Some(&[]);
        }
        let start = header_size(self.bytes.len()) + usize::from(tag.offset);
        self.bytes.get(start..start + usize::from(tag.size))
    }
}

/// Writes tag `index` into the tag array at the end of `page` in the
/// page's layout. On large pages the flags go into the line's first two
/// bytes, which must already be in place.
pub fn encode_tag(page: &mut [u8], index: usize, tag: Tag) -> Result<()> {
    let page_size = page.len();
    let small = is_small_page(page_size);
    let limit: u16 = if small { 0x1fff } else { 0x7fff };
    let invalid = |detail: String| {
        Error::new(JET_errInvalidParameter)
            .with_operation("encoding a tag")
            .with_detail(detail)
    };
    let stale_limit = if small { (0xe000, 0) } else { (0x8000, 0x8000) };
    if tag.offset > limit
        || tag.size > limit
        || tag.flags > 0x7
        || tag.stale_size_bits & !stale_limit.0 != 0
        || tag.stale_offset_bits & !stale_limit.1 != 0
    {
        return Err(invalid(format!("{tag:?} does not fit the tag layout")));
    }
    let position = index
        .checked_add(1)
        .and_then(|count| count.checked_mul(TAG_SIZE))
        .and_then(|bytes| page_size.checked_sub(bytes))
        .filter(|&p| p >= header_size(page_size))
        .ok_or_else(|| invalid(format!("tag {index} does not fit a {page_size}-byte page")))?;
    let size_word = tag.size | tag.stale_size_bits;
    if small {
        let offset_word = tag.offset | (u16::from(tag.flags) << 13);
        page[position..position + 2].copy_from_slice(&size_word.to_le_bytes());
        page[position + 2..position + 4].copy_from_slice(&offset_word.to_le_bytes());
    } else {
        let offset_word = tag.offset | tag.stale_offset_bits;
        page[position..position + 2].copy_from_slice(&size_word.to_le_bytes());
        page[position + 2..position + 4].copy_from_slice(&offset_word.to_le_bytes());
        if index == 0 {
            // The external header's bytes are data, never flags (as ESE's
            // TAG::SetFlags leaves tag 0 alone).
            if tag.flags != 0 {
                return Err(invalid(
                    "tag 0 (the external header) carries no flags".into(),
                ));
            }
        } else if tag.size >= 2 {
            let at = header_size(page_size) + usize::from(tag.offset);
            let word = u16_at(page, at)
                .ok_or_else(|| invalid(format!("line of tag {index} lies outside the page")))?;
            let word = (word & 0x1fff) | (u16::from(tag.flags) << 13);
            page[at..at + 2].copy_from_slice(&word.to_le_bytes());
        } else if tag.flags != 0 {
            return Err(invalid(format!(
                "tag {index}: a line under 2 bytes cannot carry flags"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with `lines` lines of the given sizes laid end to end.
    fn built_page(page_size: usize, page_number: u32, lines: &[u16]) -> Vec<u8> {
        let mut page = vec![0u8; page_size];
        let used: u16 = lines.iter().sum();
        let header = PageHeader {
            first_free_offset: used,
            tag_state: lines.len() as u16,
            flags: PageFlags(PageFlags::LEAF | PageFlags::NEW_CHECKSUM_FORMAT),
            extended: (!is_small_page(page_size)).then(|| ExtendedHeader {
                page_number,
                ..Default::default()
            }),
            ..Default::default()
        };
        header.encode(&mut page).unwrap();
        let mut offset = 0;
        for (index, &size) in lines.iter().enumerate() {
            let tag = Tag {
                offset,
                size,
                ..Default::default()
            };
            encode_tag(&mut page, index, tag).unwrap();
            offset += size;
        }
        page
    }

    #[test]
    fn a_consistent_page_parses() {
        for size in [4096, 8192, 16384, 32768] {
            let page = built_page(size, 7, &[0, 16, 100]);
            let parsed = Page::parse(&page, 7).unwrap();
            assert_eq!(parsed.tag_count(), 3);
            assert_eq!(parsed.line(2).unwrap().len(), 100);
            assert!(parsed.header().flags.is_leaf());
            assert_eq!(parsed.header().reserved_tag_count(), 1);
        }
    }

    #[test]
    fn a_line_beyond_the_used_area_is_a_corrupted_tag() {
        let mut page = built_page(4096, 7, &[10, 20]);
        // Shrink the used area under the second line.
        page[32..34].copy_from_slice(&25u16.to_le_bytes());
        let error = Page::parse(&page, 7).unwrap_err();
        assert_eq!(error.code(), JET_errPageTagCorrupted);
        assert!(error.to_string().contains("tag 1"), "{error}");
    }

    #[test]
    fn impossible_counts_are_corrupted_tags() {
        let mut page = built_page(4096, 7, &[10]);
        page[34..36].copy_from_slice(&0x0fffu16.to_le_bytes());
        assert_eq!(
            Page::parse(&page, 7).unwrap_err().code(),
            JET_errPageTagCorrupted
        );
        let mut page = built_page(4096, 7, &[10]);
        page[32..34].copy_from_slice(&5000u16.to_le_bytes());
        assert_eq!(
            Page::parse(&page, 7).unwrap_err().code(),
            JET_errPageTagCorrupted
        );
        let mut page = built_page(4096, 7, &[10]);
        page[28..30].copy_from_slice(&9000u16.to_le_bytes());
        assert_eq!(
            Page::parse(&page, 7).unwrap_err().code(),
            JET_errPageTagCorrupted
        );
    }

    #[test]
    fn an_empty_external_header_may_keep_a_stale_offset() {
        // ESE skips empty reserved lines in its page check; so do we.
        let mut page = built_page(4096, 7, &[0, 10]);
        let tag = Tag {
            offset: 3000,
            size: 0,
            ..Default::default()
        };
        encode_tag(&mut page, 0, tag).unwrap();
        let parsed = Page::parse(&page, 7).unwrap();
        assert_eq!(parsed.line(0), Some(&[][..]));
        // A non-reserved line out of place is still damage.
        let mut page = built_page(4096, 7, &[0, 10]);
        let stray = Tag {
            offset: 3000,
            size: 4,
            ..Default::default()
        };
        encode_tag(&mut page, 1, stray).unwrap();
        assert_eq!(
            Page::parse(&page, 7).unwrap_err().code(),
            JET_errPageTagCorrupted
        );
    }

    #[test]
    fn a_large_page_read_from_the_wrong_place_is_detected() {
        let page = built_page(32768, 7, &[10]);
        let error = Page::parse(&page, 8).unwrap_err();
        assert_eq!(error.code(), JET_errReadPgnoVerifyFailure);
    }

    #[test]
    fn a_buffer_that_is_not_a_page_is_refused() {
        for size in [0, 100, 4095, 12288, 65536] {
            let error = Page::parse(&vec![0u8; size], 1).unwrap_err();
            assert_eq!(error.code(), JET_errInvalidParameter, "{size}");
        }
    }

    #[test]
    fn tag_flags_live_in_the_tag_on_small_pages_and_in_the_line_on_large_ones() {
        // Line 1 (after an empty external header) is 4 bytes at offset 0.
        let tag = Tag {
            offset: 0,
            size: 4,
            flags: tag_flags::DELETED,
            ..Default::default()
        };
        let mut small = built_page(4096, 3, &[0, 4]);
        encode_tag(&mut small, 1, tag).unwrap();
        assert_eq!(&small[4090..4092], &(0x4000u16).to_le_bytes());
        assert_eq!(
            Page::parse(&small, 3).unwrap().tag(1).unwrap().flags,
            tag_flags::DELETED
        );

        let mut large = built_page(16384, 3, &[0, 4]);
        encode_tag(&mut large, 1, tag).unwrap();
        assert_eq!(&large[16378..16380], &[0, 0]);
        assert_eq!(
            &large[LARGE_HEADER_SIZE..LARGE_HEADER_SIZE + 2],
            &(0x4000u16).to_le_bytes()
        );
        assert_eq!(
            Page::parse(&large, 3).unwrap().tag(1).unwrap().flags,
            tag_flags::DELETED
        );
        // A line of one byte has no room for flags on a large page.
        let one = Tag {
            offset: 0,
            size: 1,
            flags: 1,
            ..Default::default()
        };
        assert!(encode_tag(&mut large, 1, one).is_err());
        // The external header (tag 0) is data: its top bits are not flags,
        // and it takes none.
        let mut header_page = built_page(16384, 3, &[4]);
        header_page[LARGE_HEADER_SIZE..LARGE_HEADER_SIZE + 2]
            .copy_from_slice(&0xe000u16.to_le_bytes());
        assert_eq!(
            Page::parse(&header_page, 3).unwrap().tag(0).unwrap().flags,
            0
        );
        let flagged = Tag { flags: 1, ..tag };
        assert!(encode_tag(&mut header_page, 0, flagged).is_err());
    }

    #[test]
    fn a_tag_index_beyond_the_page_is_refused_not_wrapped() {
        let mut page = built_page(4096, 3, &[4]);
        let pristine = page.clone();
        for index in [1014, 4096, usize::MAX / 4 + 5, usize::MAX] {
            let error = encode_tag(&mut page, index, Tag::default()).unwrap_err();
            assert_eq!(error.code(), JET_errInvalidParameter, "{index}");
        }
        assert_eq!(page, pristine);
    }

    #[test]
    fn flag_names_cover_known_and_unknown_bits() {
        let flags = PageFlags(0x2803 | 0x8000 | 0x8000_0000);
        assert_eq!(
            flags.names(),
            "Root|Leaf|NewRecordFormat|NewChecksumFormat|FlushType1|0x80000000"
        );
    }
}
