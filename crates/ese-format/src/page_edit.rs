//! Editing the lines of a page in place (ESE: CPAGE Insert, Replace,
//! Delete, SetExternalHeader, ReorganizeData_): what the B+tree writer
//! builds on.
//!
//! [`PageMut`] works over the bytes of one page and keeps its header the way
//! ESE keeps it, so that a page edited here is one ESE would accept:
//!
//! - Line data grows upward from the end of the header, tags grow downward
//!   from the end of the page; line `i` is tag `i`. The first tags are
//!   reserved (ESE: ctagReserved, at least one): tag 0 is the page's
//!   external header. Reserved tags are never inserted or deleted here,
//!   only replaced.
//! - `free_bytes` (ESE: cbFree) is always the data area (page size minus
//!   header) minus the bytes of every line minus four bytes per tag. Bytes
//!   left between lines by a delete or a moved line still count as free.
//! - `first_free_offset` (ESE: ibMicFree) is where the next line is placed.
//!   It is at or beyond the end of the last line and drops only when the
//!   line ending exactly there shrinks or goes, so gaps can sit below it.
//!   The bytes between it and the tag array are the contiguous free space.
//! - `tag_state` holds the tag count (ESE: itagMicFree) in its low 12 bits
//!   and the reserved-tag count in the next 3. Pages written before that
//!   second field existed hold 0 there and mean one reserved tag; ESE keeps
//!   such a page in that legacy form when it changes the count, and so do
//!   we. Windows writes the legacy form (every corpus page has it), so
//!   [`PageMut::init`] does too.
//! - `uncommitted_free_bytes` (ESE: cbUncommittedFree) is free space that
//!   a rollback may take back; the version store manages it. ESE treats a
//!   page whose uncommitted bytes exceed its free bytes as corrupt, so an
//!   edit may only use `free - uncommitted` ([`PageMut::available_bytes`]).
//! - A page holds at most min(4095, (data area + 3) / 8) tags: besides the
//!   12-bit count, ESE's page check wants the data area left beside the tag
//!   array to give every line but the external header four bytes (its
//!   smallest node). So an insert can be refused with free bytes left.
//! - Non-reserved lines are never empty (ESE reports an empty one as
//!   corruption). An empty reserved line is kept at offset 0; ESE never
//!   reads that offset, but our reader wants it inside the used area.
//!
//! Placement follows ESE: a new or grown line goes at `first_free_offset`
//! when the contiguous free space holds it (and, for an insert, its tag);
//! otherwise the page is first reorganized, which slides every line down to
//! the start of the data area in offset order, closing all gaps. A line
//! that shrinks, or that ends at `first_free_offset` and has contiguous room
//! to grow, stays where it is. A delete never reorganizes.
//!
//! Line flags ([`crate::page::tag_flags`]) live in the top three bits of a
//! tag's offset word on pages up to 8 KiB, and in the top three bits of the
//! line's first little-endian u16 on 16 and 32 KiB pages. On those large
//! pages, therefore, a line (other than tag 0) needs two bytes, and the
//! top three bits of its first u16 are the flags: whatever the caller passes
//! there is replaced, as ESE does. Tag 0 of a large page is stored verbatim
//! and has no flags. Reserved tags carry no flags on any page.
//!
//! When a page cannot take an edit the error is [`NO_ROOM`]; the caller
//! (the B+tree) is expected to split, or to ask first with
//! [`PageMut::can_insert`] / [`PageMut::can_replace`], as ESE's B+tree
//! does before calling its page layer.

use crate::bytes::u16_at;
use crate::codes::*;
use crate::constants::is_valid_page_size;
use crate::error::{Error, Result};
use crate::page::{
    header_size, is_small_page, ExtendedHeader, Page, PageFlags, PageHeader, TAG_SIZE,
};

mod journal;
#[cfg(test)]
mod tests;

pub use journal::{journal_sources, journal_starts_afresh, journal_zeroed, replay};

/// The code of an edit refused because the page has no room for it.
///
/// ESE's page layer signals this internally as errPMOutOfPageSpace (-300),
/// a code outside the published header and so outside [`crate::codes`]; the
/// B+tree catches it and splits. Where ESE lets a shortage of page space
/// escape without splitting (setting a root field that no longer fits) it
/// reports JET_errRecordTooBig, so that is the published code used here.
pub const NO_ROOM: i32 = JET_errRecordTooBig;

/// The largest flag value a line can carry (three bits).
pub const MAX_LINE_FLAGS: u8 = 0x7;

/// The most tags the 12-bit count can express.
const TAG_COUNT_LIMIT: usize = 0x0fff;
const TAG_COUNT_MASK: u16 = 0x0fff;
const RESERVED_SHIFT: u32 = 12;
const RESERVED_MASK: u16 = 0x7000;

// Offsets of the header fields an edit changes.
const DB_TIME_AT: usize = 8;
const PREVIOUS_PAGE_AT: usize = 16;
const NEXT_PAGE_AT: usize = 20;
const FREE_BYTES_AT: usize = 28;
const UNCOMMITTED_AT: usize = 30;
const FIRST_FREE_AT: usize = 32;
const TAG_STATE_AT: usize = 34;
const FLAGS_AT: usize = 36;

/// Where a tag's line is: offset from the end of the header, and size.
#[derive(Clone, Copy, Debug)]
struct Place {
    offset: usize,
    size: usize,
}

impl Place {
    fn end(self) -> usize {
        self.offset + self.size
    }
}

/// A page open for editing. Every method that returns `Ok` leaves a page
/// that [`Page::parse`] accepts, with its header consistent as described in
/// the module documentation; every method that returns an error leaves the
/// page unchanged.
#[derive(Debug)]
pub struct PageMut<'a> {
    bytes: &'a mut [u8],
    page_number: u32,
    small: bool,
    header_bytes: usize,
    /// Reserved tags at the front of the array (at least 1).
    reserved: usize,
    /// Whether the page stores the reserved-tag count in its tag state
    /// (ESE's newer form); if not it stays in the legacy form.
    stores_reserved: bool,
    /// Where each successful edit is appended, when someone keeps the
    /// page's journal (see [`replay`]).
    journal: Option<&'a mut Vec<u8>>,
}

impl<'a> PageMut<'a> {
    /// Turns `bytes` into an empty page: the header, one reserved tag (the
    /// external header) holding no bytes, and the rest free. As in ESE, the
    /// new-record-format flag is always set; a pre-initialized page has no
    /// tags, so that flag is refused.
    pub fn init(
        bytes: &'a mut [u8],
        page_number: u32,
        object_id: u32,
        flags: PageFlags,
        db_time: u64,
    ) -> Result<Self> {
        let page_size = bytes.len();
        if !is_valid_page_size(page_size) {
            return Err(Error::new(JET_errInvalidParameter)
                .with_operation("initializing a page")
                .with_page(page_number)
                .with_detail(format!("{page_size} bytes is not a page size")));
        }
        if flags.contains(PageFlags::PRE_INIT) {
            return Err(Error::new(JET_errInvalidParameter)
                .with_operation("initializing a page")
                .with_page(page_number)
                .with_detail("a page with an external header cannot be pre-initialized"));
        }
        let small = is_small_page(page_size);
        let header_bytes = header_size(page_size);
        bytes.fill(0);
        let header = PageHeader {
            db_time,
            object_id,
            // The data area less the one tag of the external header.
            free_bytes: to_u16(page_size - header_bytes - TAG_SIZE),
            tag_state: 1,
            flags: PageFlags(flags.0 | PageFlags::NEW_RECORD_FORMAT),
            extended: (!small).then(|| ExtendedHeader {
                page_number,
                ..Default::default()
            }),
            ..Default::default()
        };
        header.encode(bytes)?;
        // Tag 0 is all zero: offset 0, size 0, no flags.
        Ok(PageMut {
            bytes,
            page_number,
            small,
            header_bytes,
            reserved: 1,
            stores_reserved: false,
            journal: None,
        })
    }

    /// Opens an existing page. Besides what [`Page::parse`] checks, the page
    /// must hold what ESE's page check requires and what editing relies on:
    /// at least its reserved tags, no empty line outside them, no two lines
    /// overlapping, free bytes that account for every byte of the data area,
    /// uncommitted bytes within the free ones, and a tag array small enough
    /// to leave every line its minimum room. A page without tags (pre-
    /// initialized) has nothing to edit and is refused.
    pub fn open(bytes: &'a mut [u8], page_number: u32) -> Result<Self> {
        let (reserved, stores_reserved) = {
            let page = Page::parse(bytes, page_number)?;
            check_editable(&page, page_number)?
        };
        let page_size = bytes.len();
        Ok(PageMut {
            bytes,
            page_number,
            small: is_small_page(page_size),
            header_bytes: header_size(page_size),
            reserved,
            stores_reserved,
            journal: None,
        })
    }

    /// Opens a page that [`PageMut::open`] accepted before and that has
    /// been changed only through `PageMut` since: the edits keep every
    /// invariant `open` checks, so only the header is read again. The
    /// buffer cache decides when that holds (a frame remembers that its
    /// page was checked, and forgets on any other change).
    pub fn open_checked_before(bytes: &'a mut [u8], page_number: u32) -> Result<Self> {
        let (reserved, stores_reserved) = {
            let page = Page::parse_trusted(bytes, page_number)?;
            let header = page.header();
            let reserved = header.reserved_tag_count();
            if header.tag_count() < reserved.max(1) {
                return Err(Error::new(JET_errPageTagCorrupted)
                    .with_operation("opening a page for editing")
                    .with_page(page_number)
                    .with_detail("fewer tags than the reserved ones"));
            }
            (reserved, header.tag_state & RESERVED_MASK != 0)
        };
        let page_size = bytes.len();
        Ok(PageMut {
            bytes,
            page_number,
            small: is_small_page(page_size),
            header_bytes: header_size(page_size),
            reserved,
            stores_reserved,
            journal: None,
        })
    }

    /// From now on each successful edit is appended to `journal` (when
    /// given), so that [`replay`] can make it again on the page's old bytes.
    pub fn with_journal(mut self, journal: Option<&'a mut Vec<u8>>) -> Self {
        self.journal = journal;
        self
    }

    /// [`PageMut::init`], journaled (the initialization first) when
    /// `journal` is given.
    pub fn init_journaled(
        bytes: &'a mut [u8],
        page_number: u32,
        object_id: u32,
        flags: PageFlags,
        db_time: u64,
        journal: Option<&'a mut Vec<u8>>,
    ) -> Result<Self> {
        let page = Self::init(bytes, page_number, object_id, flags, db_time)?;
        Ok(page.with_journal(journal).journaled(|j| {
            j.push(journal::INIT);
            j.extend_from_slice(&object_id.to_le_bytes());
            j.extend_from_slice(&flags.0.to_le_bytes());
            j.extend_from_slice(&db_time.to_le_bytes());
        }))
    }

    /// Appends an edit to the journal, if one is kept.
    fn journaled(mut self, write: impl FnOnce(&mut Vec<u8>)) -> Self {
        self.record(write);
        self
    }

    fn record(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        if let Some(journal) = self.journal.as_deref_mut() {
            write(journal);
        }
    }

    /// The page's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes
    }

    /// The page as the reader sees it.
    pub fn as_page(&self) -> Result<Page<'_>> {
        Page::parse(self.bytes, self.page_number)
    }

    /// The decoded header.
    pub fn header(&self) -> PageHeader {
        PageHeader::decode(self.bytes, self.bytes.len()).unwrap_or_default()
    }

    pub fn page_number(&self) -> u32 {
        self.page_number
    }

    pub fn page_size(&self) -> usize {
        self.bytes.len()
    }

    /// Lines on the page, reserved ones (tag 0 and any others) included.
    pub fn line_count(&self) -> usize {
        usize::from(self.u16_at(TAG_STATE_AT) & TAG_COUNT_MASK)
    }

    /// Reserved lines at the front (ESE: ctagReserved); 1 unless the page
    /// says otherwise.
    pub fn reserved_line_count(&self) -> usize {
        self.reserved
    }

    /// Line `index` as stored, with its flags. On 16 and 32 KiB pages the top
    /// three bits of a line's first u16 are its flags (tag 0 excepted, which
    /// is reported verbatim with no flags).
    pub fn line(&self, index: usize) -> Option<(&[u8], u8)> {
        if index >= self.line_count() {
            return None;
        }
        let place = self.place(index);
        if place.size == 0 {
            // An empty line's offset means nothing (ESE leaves it stale).
            return Some((&[], self.line_flags(index)));
        }
        let start = self.header_bytes + place.offset;
        let bytes = self.bytes.get(start..start + place.size)?;
        Some((bytes, self.line_flags(index)))
    }

    /// Free bytes of the page as its header counts them (ESE: cbFree).
    pub fn free_bytes(&self) -> usize {
        usize::from(self.u16_at(FREE_BYTES_AT))
    }

    /// Free bytes a rollback may reclaim (ESE: cbUncommittedFree).
    pub fn uncommitted_free_bytes(&self) -> usize {
        usize::from(self.u16_at(UNCOMMITTED_AT))
    }

    /// What an edit may use: free bytes less uncommitted ones. An insert
    /// needs its data plus one tag ([`TAG_SIZE`]) of this.
    pub fn available_bytes(&self) -> usize {
        self.free_bytes()
            .saturating_sub(self.uncommitted_free_bytes())
    }

    /// Free bytes between the end of the used data area and the tag array:
    /// what an edit can use without reorganizing.
    pub fn contiguous_free_bytes(&self) -> usize {
        self.data_area()
            .saturating_sub(self.tag_array_bytes())
            .saturating_sub(self.first_free_offset())
    }

    /// Offset of the first byte after the used data area (ESE: ibMicFree).
    pub fn first_free_offset(&self) -> usize {
        usize::from(self.u16_at(FIRST_FREE_AT))
    }

    /// The largest line this page could hold with every non-reserved line
    /// gone and its reserved lines empty (ESE: CbPageDataMax).
    pub fn max_line_size(&self) -> usize {
        self.data_area()
            .saturating_sub(TAG_SIZE * (self.reserved + 1))
    }

    /// Whether [`Self::insert_line`] of `len` bytes would find room: the
    /// data and one more tag fit the available bytes, and one more tag still
    /// leaves ESE's minimum room per line.
    pub fn can_insert(&self, len: usize) -> bool {
        len.checked_add(TAG_SIZE)
            .is_some_and(|needed| needed <= self.available_bytes())
            && self.line_count() < self.max_tags()
    }

    /// Whether [`Self::replace_line`] of line `index` with `len` bytes would
    /// find room (false for a line that does not exist).
    pub fn can_replace(&self, index: usize, len: usize) -> bool {
        index < self.line_count()
            && len.saturating_sub(self.place(index).size) <= self.available_bytes()
    }

    /// Inserts a line at `index`; the lines from `index` on move up by one.
    /// `index` may be any position after the reserved lines, up to
    /// [`Self::line_count`] (appending). On 16 and 32 KiB pages the top
    /// three bits of the line's first u16 are replaced by `flags`.
    pub fn insert_line(&mut self, index: usize, data: &[u8], flags: u8) -> Result<()> {
        self.insert_line_unjournaled(index, data, flags)?;
        self.record(|j| journal::record_line(j, journal::INSERT, index, flags, data));
        Ok(())
    }

    /// Appends lines `first..first + count` of `source` (the bytes of page
    /// `source_page`, reserved lines excluded), with their flags, as they
    /// are stored there (a split moving nodes to a new page with the same
    /// common key: the lines need no re-encoding). All or nothing: when
    /// they do not all fit, the page is unchanged and the error is
    /// [`NO_ROOM`]. Journaled as one copy that names the source, so that
    /// replaying it needs the source's bytes as they were.
    pub fn copy_lines(
        &mut self,
        source: &[u8],
        source_page: u32,
        first: usize,
        count: usize,
    ) -> Result<()> {
        self.copy_lines_at(source, source_page, first, count, self.line_count())
    }

    /// [`Self::copy_lines`] with the copied lines inserted at line `at`
    /// (the lines from `at` on move up by `count`): a page taking nodes
    /// from its left sibling puts them before its own. An append is
    /// journaled as [`Self::copy_lines`] is.
    pub fn copy_lines_at(
        &mut self,
        source: &[u8],
        source_page: u32,
        first: usize,
        count: usize,
        at: usize,
    ) -> Result<()> {
        let operation = "copying lines";
        let from = Page::parse_trusted(source, source_page)?;
        let reserved = from.header().reserved_tag_count().max(1);
        if first < reserved || first + count > from.tag_count() {
            return Err(self.invalid(
                operation,
                format!(
                    "lines {first}..{} of page {source_page}, which has {} with {reserved} reserved",
                    first + count,
                    from.tag_count()
                ),
            ));
        }
        // An `at` past the end or among the reserved lines, or a line its
        // place refuses, is refused before anything changes.
        let appending = at == self.line_count();
        let mut lines = Vec::with_capacity(count);
        let mut bytes = 0;
        for index in first..first + count {
            let tag = from.tag(index).unwrap_or_default();
            let line = from.line_of(tag).unwrap_or(&[]);
            bytes += line.len() + TAG_SIZE;
            lines.push((line, tag.flags));
        }
        if bytes > self.available_bytes() || self.line_count() + count > self.max_tags() {
            return Err(self.no_room(
                operation,
                format!("{bytes} bytes of lines and tags do not fit"),
            ));
        }
        let existing = self.line_count();
        self.check_insert_position(operation, at)?;
        for (offset, &(line, flags)) in lines.iter().enumerate() {
            self.check_line(operation, at + offset, line.len(), flags)?;
        }
        // All at once: the lines inserting them one by one would give,
        // each at the end of the used area in order, after at most one
        // reorganization (one by one, it could come half way) and with one
        // move of the tags after `at` (one by one, each moved them again).
        self.make_contiguous(bytes);
        let page_size = self.page_size();
        let moved = (page_size - TAG_SIZE * existing)..(page_size - TAG_SIZE * at);
        self.bytes
            .copy_within(moved, page_size - TAG_SIZE * (existing + count));
        self.set_tag_count(existing + count);
        let mut offset = self.first_free_offset();
        for (i, (line, flags)) in lines.into_iter().enumerate() {
            // A new tag has no stale bits; `write_line` adds the flags.
            self.set_tag_words(at + i, to_u16(line.len()), to_u16(offset));
            self.write_line(at + i, offset, line, flags);
            offset += line.len();
        }
        self.set_first_free_offset(offset);
        self.set_free_bytes(self.free_bytes() - bytes);
        self.record(|j| {
            j.push(if appending {
                journal::COPY
            } else {
                journal::COPY_AT
            });
            j.extend_from_slice(&source_page.to_le_bytes());
            j.extend_from_slice(&(first as u16).to_le_bytes());
            j.extend_from_slice(&(count as u16).to_le_bytes());
            if !appending {
                j.extend_from_slice(&(at as u16).to_le_bytes());
            }
        });
        Ok(())
    }

    fn insert_line_unjournaled(&mut self, index: usize, data: &[u8], flags: u8) -> Result<()> {
        let operation = "inserting a line";
        let count = self.line_count();
        self.check_insert_position(operation, index)?;
        self.check_line(operation, index, data.len(), flags)?;
        if !self.can_insert(data.len()) {
            return Err(self.no_room(
                operation,
                if count >= self.max_tags() {
                    format!("the page already holds the most lines it can ({count})")
                } else {
                    format!(
                        "{} bytes and a tag do not fit the {} available",
                        data.len(),
                        self.available_bytes()
                    )
                },
            ));
        }

        self.make_contiguous(data.len() + TAG_SIZE);
        // Open a slot at `index` by moving tags index..count one slot down
        // in memory (tags grow toward the start of the page).
        let page_size = self.page_size();
        let from = (page_size - TAG_SIZE * count)..(page_size - TAG_SIZE * index);
        self.bytes
            .copy_within(from, page_size - TAG_SIZE * (count + 1));
        let offset = self.first_free_offset();
        // A new tag has no stale bits; `write_line` adds the flags.
        self.set_tag_words(index, to_u16(data.len()), to_u16(offset));
        self.set_tag_count(count + 1);
        self.write_line(index, offset, data, flags);
        self.set_first_free_offset(offset + data.len());
        self.set_free_bytes(self.free_bytes() - data.len() - TAG_SIZE);
        Ok(())
    }

    /// Replaces line `index` (reserved lines included, which take no
    /// flags). The line keeps its place when it shrinks or when it ends the
    /// used area with contiguous room to grow; otherwise it moves to the
    /// end of the used area, after a reorganization if needed.
    pub fn replace_line(&mut self, index: usize, data: &[u8], flags: u8) -> Result<()> {
        let operation = "replacing a line";
        if index >= self.line_count() {
            return Err(self.bad_line(operation, index));
        }
        self.check_line(operation, index, data.len(), flags)?;
        if !self.can_replace(index, data.len()) {
            return Err(self.no_room(
                operation,
                format!(
                    "growing line {index} from {} to {} bytes needs more than the {} available",
                    self.place(index).size,
                    data.len(),
                    self.available_bytes()
                ),
            ));
        }

        let old = self.place(index);
        let new_size = data.len();
        let ends_used_area = old.end() == self.first_free_offset();
        let grows_in_place =
            ends_used_area && new_size.saturating_sub(old.size) <= self.contiguous_free_bytes();
        let offset = if new_size <= old.size || grows_in_place {
            if ends_used_area {
                self.set_first_free_offset(old.offset + new_size);
            }
            self.set_free_bytes(self.free_bytes() + old.size - new_size);
            old.offset
        } else {
            // Give the old bytes back first, so that a reorganization
            // reclaims them too: the line is empty until it is rewritten.
            // (The first free offset stays: ESE leaves it, and the
            // reorganization recomputes it when it runs.)
            self.set_free_bytes(self.free_bytes() + old.size);
            self.set_place(index, 0, 0);
            self.clear_small_flags(index);
            self.make_contiguous(new_size);
            let offset = self.first_free_offset();
            self.set_first_free_offset(offset + new_size);
            self.set_free_bytes(self.free_bytes() - new_size);
            offset
        };
        self.set_place(index, offset, new_size);
        self.write_line(index, offset, data, flags);
        self.record(|j| journal::record_line(j, journal::REPLACE, index, flags, data));
        Ok(())
    }

    /// Deletes line `index` (not a reserved one); later lines move down by
    /// one. Its bytes become free where they are; only a line that ends the
    /// used area gives its bytes back to the contiguous free space.
    pub fn delete_line(&mut self, index: usize) -> Result<()> {
        let operation = "deleting a line";
        let count = self.line_count();
        if index >= count {
            return Err(self.bad_line(operation, index));
        }
        if index < self.reserved {
            return Err(self.invalid(
                operation,
                format!("line {index} is reserved and cannot be deleted"),
            ));
        }
        let old = self.place(index);
        if old.end() == self.first_free_offset() {
            self.set_first_free_offset(old.offset);
        }
        let free = self.free_bytes() + old.size + TAG_SIZE;
        self.set_free_bytes(free);
        // Close the slot: tags index+1..count move one slot up in memory.
        let page_size = self.page_size();
        let from = (page_size - TAG_SIZE * count)..(page_size - TAG_SIZE * (index + 1));
        self.bytes
            .copy_within(from, page_size - TAG_SIZE * (count - 1));
        self.set_tag_count(count - 1);
        // A page left with nothing but an empty external header starts its
        // data area afresh (ESE tests exactly this sum).
        if free + TAG_SIZE == self.data_area() {
            self.set_first_free_offset(0);
        }
        self.record(|j| {
            j.push(journal::DELETE);
            j.extend_from_slice(&(index as u16).to_le_bytes());
        });
        Ok(())
    }

    /// Deletes lines `descending` (line numbers, highest first), leaving
    /// the page and the journal exactly as [`Self::delete_line`] on each in
    /// turn would: a split or a move to a neighbour deletes a page's nodes
    /// by the hundred, and each delete alone read and wrote the header
    /// again and, whenever the used area shrank, looked at every line for
    /// empty ones to move. Refused, with the page unchanged, unless every
    /// line is below the one before it and not reserved.
    pub fn delete_lines(&mut self, descending: &[usize]) -> Result<()> {
        let operation = "deleting lines";
        let count = self.line_count();
        let mut above = count;
        for &index in descending {
            if index >= count {
                return Err(self.bad_line(operation, index));
            }
            if index >= above {
                return Err(self.invalid(
                    operation,
                    format!("line {index} is not below line {above}, deleted before it"),
                ));
            }
            if index < self.reserved {
                return Err(self.invalid(
                    operation,
                    format!("line {index} is reserved and cannot be deleted"),
                ));
            }
            above = index;
        }
        // Only reserved lines may be empty (`open` refuses a page with an
        // empty node line and no edit makes one), and they never move: the
        // empty lines `set_first_free_offset` moves to offset 0 at the end
        // are those it would have moved at each delete.
        let page_size = self.page_size();
        let area = self.data_area();
        let mut lines = count;
        let mut free = self.free_bytes();
        let mut first_free = self.first_free_offset();
        for &index in descending {
            let old = self.place(index);
            if old.end() == first_free {
                first_free = old.offset;
            }
            free += old.size + TAG_SIZE;
            // The tags below it in memory move up a slot, as one delete
            // moves them (the slot vacated keeps its old bytes).
            let from = (page_size - TAG_SIZE * lines)..(page_size - TAG_SIZE * (index + 1));
            self.bytes
                .copy_within(from, page_size - TAG_SIZE * (lines - 1));
            lines -= 1;
            if free + TAG_SIZE == area {
                first_free = 0;
            }
        }
        self.set_free_bytes(free);
        self.set_tag_count(lines);
        self.set_first_free_offset(first_free);
        self.record(|j| {
            for &index in descending {
                j.push(journal::DELETE);
                j.extend_from_slice(&(index as u16).to_le_bytes());
            }
        });
        Ok(())
    }

    /// Replaces the external header (line 0).
    pub fn set_external_header(&mut self, data: &[u8]) -> Result<()> {
        self.replace_line(0, data, 0)
    }

    /// Changes the flags of line `index` without touching its data (ESE:
    /// ReplaceFlags). Reserved lines take no flags.
    pub fn set_line_flags(&mut self, index: usize, flags: u8) -> Result<()> {
        let operation = "setting line flags";
        if index >= self.line_count() {
            return Err(self.bad_line(operation, index));
        }
        self.check_line(operation, index, self.place(index).size, flags)?;
        self.store_flags(index, flags);
        self.record(|j| {
            j.push(journal::LINE_FLAGS);
            j.extend_from_slice(&(index as u16).to_le_bytes());
            j.push(flags);
        });
        Ok(())
    }

    /// Compacts the data area (ESE: ReorganizeData_): every line slides down
    /// to the start of the data area, keeping the order of their offsets,
    /// so that all free space is contiguous. Lines, tags and flags keep
    /// their values; only offsets change.
    pub fn reorganize(&mut self) {
        self.reorganize_data();
        self.record(|j| j.push(journal::REORGANIZE));
    }

    /// [`Self::reorganize`] as a step of another edit (not journaled on
    /// its own: replaying that edit does it again).
    fn reorganize_data(&mut self) {
        let count = self.line_count();
        // (offset, line) packed in one word, sorted as numbers: offsets and
        // line numbers are below 2^16 on every page size.
        let mut order: Vec<u32> = (0..count)
            .map(|i| ((self.place(i).offset as u32) << 16) | i as u32)
            .collect();
        // Offsets are distinct for non-empty lines (checked at open and kept
        // since), so the order is ESE's; empty lines go to offset 0 (see
        // `set_place`), where ESE would give them their sorted position.
        // Every key is distinct: an unstable sort gives the same order.
        order.sort_unstable();
        // Lines that follow each other without a gap move together: a page
        // reorganizes after a few deletions, so a handful of moves do what
        // one move per line did. Each run moves left, to below where the
        // next run starts, so the runs move in order as lines would.
        let mut destination = 0;
        // (where the run starts, where it goes, its length)
        let mut run = (0, 0, 0);
        for index in order.into_iter().map(|key| (key & 0xffff) as usize) {
            let place = self.place(index);
            if place.size > 0 {
                if place.offset != run.0 + run.2 {
                    self.move_data(run);
                    run = (place.offset, destination, 0);
                }
                run.2 += place.size;
            }
            self.set_place(index, destination, place.size);
            destination += place.size;
        }
        self.move_data(run);
        self.set_first_free_offset(destination);
    }

    /// Moves `length` bytes of the data area from `source` to `destination`
    /// (offsets in the data area).
    fn move_data(&mut self, (source, destination, length): (usize, usize, usize)) {
        if length > 0 && source != destination {
            let source = self.header_bytes + source;
            self.bytes
                .copy_within(source..source + length, self.header_bytes + destination);
        }
    }

    /// Sets the page flags (ESE: SetFlags).
    pub fn set_flags(&mut self, flags: PageFlags) {
        self.set_u32_at(FLAGS_AT, flags.0);
        self.record(|j| {
            j.push(journal::PAGE_FLAGS);
            j.extend_from_slice(&flags.0.to_le_bytes());
        });
    }

    /// Sets the left and right siblings (0 = none).
    pub fn set_links(&mut self, previous: u32, next: u32) {
        self.set_u32_at(PREVIOUS_PAGE_AT, previous);
        self.set_u32_at(NEXT_PAGE_AT, next);
        self.record(|j| {
            j.push(journal::LINKS);
            j.extend_from_slice(&previous.to_le_bytes());
            j.extend_from_slice(&next.to_le_bytes());
        });
    }

    /// Sets the database time of the page's last change.
    pub fn set_db_time(&mut self, db_time: u64) {
        if let Some(slot) = self.bytes.get_mut(DB_TIME_AT..DB_TIME_AT + 8) {
            slot.copy_from_slice(&db_time.to_le_bytes());
        }
    }

    /// Sets the uncommitted free bytes (for the version store); they may not
    /// exceed the free bytes.
    pub fn set_uncommitted_free_bytes(&mut self, bytes: usize) -> Result<()> {
        if bytes > self.free_bytes() {
            return Err(self.invalid(
                "setting uncommitted free bytes",
                format!("{bytes} exceeds the {} free bytes", self.free_bytes()),
            ));
        }
        self.set_u16_at(UNCOMMITTED_AT, to_u16(bytes));
        self.record(|j| {
            j.push(journal::UNCOMMITTED);
            j.extend_from_slice(&(bytes as u16).to_le_bytes());
        });
        Ok(())
    }

    // ---- layout helpers ----

    fn data_area(&self) -> usize {
        self.bytes.len() - self.header_bytes
    }

    fn tag_array_bytes(&self) -> usize {
        self.line_count() * TAG_SIZE
    }

    /// The most tags a page may have. Besides the 12-bit count, ESE's page
    /// check requires the data area left by the tag array to give every
    /// line but the external header four bytes (its smallest node) with one
    /// byte to spare: `data_area - 4 * tags - 1 >= 4 * (tags - 1)`.
    fn max_tags(&self) -> usize {
        TAG_COUNT_LIMIT.min((self.data_area() + 3) / 8)
    }

    /// The shortest line allowed at `index`: reserved lines may be empty;
    /// other lines may not (ESE reports an empty one as corruption), and on
    /// large pages need two bytes to carry their flags.
    fn min_line_size(&self, index: usize) -> usize {
        if index < self.reserved {
            0
        } else if self.small {
            1
        } else {
            2
        }
    }

    fn tag_position(&self, index: usize) -> usize {
        self.bytes.len() - TAG_SIZE * (index + 1)
    }

    fn tag_words(&self, index: usize) -> (u16, u16) {
        let at = self.tag_position(index);
        (self.u16_at(at), self.u16_at(at + 2))
    }

    fn set_tag_words(&mut self, index: usize, size_word: u16, offset_word: u16) {
        let at = self.tag_position(index);
        self.set_u16_at(at, size_word);
        self.set_u16_at(at + 2, offset_word);
    }

    fn value_mask(&self) -> u16 {
        if self.small {
            0x1fff
        } else {
            0x7fff
        }
    }

    fn place(&self, index: usize) -> Place {
        let (size_word, offset_word) = self.tag_words(index);
        let mask = self.value_mask();
        Place {
            offset: usize::from(offset_word & mask),
            size: usize::from(size_word & mask),
        }
    }

    /// Moves a tag, keeping every bit of its words outside the values (the
    /// flags of small pages and the bits ESE never clears), as ESE's SetIb
    /// and SetCb do.
    ///
    /// An empty line is always put at offset 0. ESE leaves an emptied line's
    /// offset wherever it was and never reads it, but a later delete can
    /// pull the first free offset below it, and [`Page::parse`] (stricter
    /// than ESE there) refuses any line beyond the used area.
    fn set_place(&mut self, index: usize, offset: usize, size: usize) {
        let offset = if size == 0 { 0 } else { offset };
        let (size_word, offset_word) = self.tag_words(index);
        let mask = self.value_mask();
        self.set_tag_words(
            index,
            (size_word & !mask) | to_u16(size),
            (offset_word & !mask) | to_u16(offset),
        );
    }

    fn clear_small_flags(&mut self, index: usize) {
        if self.small {
            let (size_word, offset_word) = self.tag_words(index);
            self.set_tag_words(index, size_word, offset_word & 0x1fff);
        }
    }

    fn line_flags(&self, index: usize) -> u8 {
        let place = self.place(index);
        if self.small {
            (self.tag_words(index).1 >> 13) as u8
        } else if index != 0 && place.size >= 2 {
            (self.u16_at(self.header_bytes + place.offset) >> 13) as u8
        } else {
            0
        }
    }

    /// Copies a line's bytes into the place its tag already gives, then
    /// its flags (which, on large pages, overwrite bits of those bytes).
    fn write_line(&mut self, index: usize, offset: usize, data: &[u8], flags: u8) {
        let start = self.header_bytes + offset;
        if let Some(slot) = self.bytes.get_mut(start..start + data.len()) {
            slot.copy_from_slice(data);
        }
        self.store_flags(index, flags);
    }

    /// Writes a line's flags where the layout keeps them: the tag's offset
    /// word on small pages, the line's first u16 on large ones. Tag 0 of a
    /// large page is external-header data, never flags (ESE skips it too),
    /// and the callers have refused flags for lines too short to hold them.
    fn store_flags(&mut self, index: usize, flags: u8) {
        let bits = u16::from(flags) << 13;
        let place = self.place(index);
        if self.small {
            let (size_word, offset_word) = self.tag_words(index);
            self.set_tag_words(index, size_word, (offset_word & 0x1fff) | bits);
        } else if index != 0 && place.size >= 2 {
            let at = self.header_bytes + place.offset;
            let word = self.u16_at(at);
            self.set_u16_at(at, (word & 0x1fff) | bits);
        }
    }

    /// Reorganizes when the contiguous free space is under `needed`. The
    /// caller has checked that `needed` fits the free bytes, and after a
    /// reorganization all free bytes are contiguous.
    fn make_contiguous(&mut self, needed: usize) {
        if self.contiguous_free_bytes() < needed {
            self.reorganize_data();
        }
        debug_assert!(self.contiguous_free_bytes() >= needed);
    }

    fn set_tag_count(&mut self, count: usize) {
        // ESE writes the reserved count only on pages that already store it
        // (or when its newer format is enabled for the database); either way
        // the unused top bit is cleared.
        let state = if self.stores_reserved {
            (to_u16(self.reserved) << RESERVED_SHIFT) | to_u16(count)
        } else {
            to_u16(count)
        };
        self.set_u16_at(TAG_STATE_AT, state);
    }

    fn set_free_bytes(&mut self, free: usize) {
        self.set_u16_at(FREE_BYTES_AT, to_u16(free));
    }

    /// Sets the first free offset. When it drops, an empty line left above
    /// it (one ESE or an earlier edit emptied in place) is moved to offset 0,
    /// for the reason given at `set_place`.
    fn set_first_free_offset(&mut self, offset: usize) {
        if offset < self.first_free_offset() {
            for index in 0..self.line_count() {
                let place = self.place(index);
                if place.size == 0 && place.offset > offset {
                    self.set_place(index, 0, 0);
                }
            }
        }
        self.set_u16_at(FIRST_FREE_AT, to_u16(offset));
    }

    fn u16_at(&self, at: usize) -> u16 {
        u16_at(self.bytes, at).unwrap_or(0)
    }

    fn set_u16_at(&mut self, at: usize, value: u16) {
        if let Some(slot) = self.bytes.get_mut(at..at + 2) {
            slot.copy_from_slice(&value.to_le_bytes());
        }
    }

    fn set_u32_at(&mut self, at: usize, value: u32) {
        if let Some(slot) = self.bytes.get_mut(at..at + 4) {
            slot.copy_from_slice(&value.to_le_bytes());
        }
    }

    // ---- argument checks and errors ----

    /// Checks what every write of a line needs: flags in three bits, no
    /// flags on reserved lines, and the line's minimum size.
    /// Lines may be inserted at `index`: after the reserved lines, at most
    /// appended.
    fn check_insert_position(&self, operation: &str, index: usize) -> Result<()> {
        if index > self.line_count() {
            return Err(self.bad_line(operation, index));
        }
        if index < self.reserved {
            return Err(self.invalid(
                operation,
                format!(
                    "line {index} is reserved; lines are inserted after the first {}",
                    self.reserved
                ),
            ));
        }
        Ok(())
    }

    fn check_line(&self, operation: &str, index: usize, len: usize, flags: u8) -> Result<()> {
        if flags > MAX_LINE_FLAGS {
            return Err(self.invalid(
                operation,
                format!("flags 0x{flags:x} do not fit three bits"),
            ));
        }
        if index < self.reserved && flags != 0 {
            return Err(self.invalid(operation, format!("reserved line {index} takes no flags")));
        }
        let min = self.min_line_size(index);
        if len < min {
            return Err(self.invalid(
                operation,
                format!("line {index} needs at least {min} bytes on this page, {len} given"),
            ));
        }
        Ok(())
    }

    fn bad_line(&self, operation: &str, index: usize) -> Error {
        Error::new(JET_errBadLineCount)
            .with_operation(operation)
            .with_page(self.page_number)
            .with_detail(format!(
                "line {index} is beyond the page's {} lines",
                self.line_count()
            ))
    }

    fn invalid(&self, operation: &str, detail: String) -> Error {
        Error::new(JET_errInvalidParameter)
            .with_operation(operation)
            .with_page(self.page_number)
            .with_detail(detail)
    }

    fn no_room(&self, operation: &str, detail: String) -> Error {
        Error::new(NO_ROOM)
            .with_operation(operation)
            .with_page(self.page_number)
            .with_detail(detail)
    }
}

/// The checks of [`PageMut::open`] beyond [`Page::parse`]; returns the
/// reserved-tag count and whether the page stores it.
fn check_editable(page: &Page<'_>, page_number: u32) -> Result<(usize, bool)> {
    let corrupt = |detail: String| {
        Error::new(JET_errPageTagCorrupted)
            .with_operation("opening a page for editing")
            .with_page(page_number)
            .with_detail(detail)
    };
    let header = page.header();
    let page_size = page.page_size();
    let data_area = page_size - header_size(page_size);
    let count = header.tag_count();
    if count == 0 {
        return Err(Error::new(JET_errPageNotInitialized)
            .with_operation("opening a page for editing")
            .with_page(page_number)
            .with_detail("the page has no tags, not even an external header"));
    }
    let stores_reserved = header.tag_state & RESERVED_MASK != 0;
    let reserved = header.reserved_tag_count();
    if count < reserved {
        return Err(corrupt(format!(
            "{count} tags, fewer than the {reserved} reserved"
        )));
    }
    if count > TAG_COUNT_LIMIT.min((data_area + 3) / 8) {
        return Err(corrupt(format!(
            "{count} tags leave too little room for their lines"
        )));
    }
    let small = page.is_small();
    // One bit per byte of the data area (at most 32 KiB): a line whose
    // bytes are already taken overlaps another. Linear in the page, with
    // no sorting, since every edit opens its page this way.
    let mut taken = [0u64; 32768 / 64];
    let mut line_bytes = 0usize;
    for (index, tag) in page.tags().enumerate() {
        let size = usize::from(tag.size);
        if index >= reserved && size < if small { 1 } else { 2 } {
            return Err(corrupt(format!("line {index} has only {size} bytes")));
        }
        line_bytes += size;
        if size == 0 {
            continue;
        }
        let start = usize::from(tag.offset);
        let end = start + size;
        if end > data_area {
            return Err(corrupt(format!("line {index} ends past the data area")));
        }
        let mut at = start;
        while at < end {
            let word = at / 64;
            let bit = at % 64;
            let span = (64 - bit).min(end - at);
            let mask = if span == 64 {
                u64::MAX
            } else {
                ((1u64 << span) - 1) << bit
            };
            if taken[word] & mask != 0 {
                return Err(corrupt(format!("line {index} overlaps another line")));
            }
            taken[word] |= mask;
            at += span;
        }
    }
    let accounted = line_bytes + usize::from(header.free_bytes) + count * TAG_SIZE;
    if accounted != data_area {
        return Err(corrupt(format!(
            "lines ({line_bytes} bytes), free bytes ({}) and tags ({count}) account for {accounted} bytes of a {data_area}-byte data area",
            header.free_bytes
        )));
    }
    if header.uncommitted_free_bytes > header.free_bytes {
        return Err(corrupt(format!(
            "{} uncommitted free bytes exceed the {} free",
            header.uncommitted_free_bytes, header.free_bytes
        )));
    }
    Ok((reserved, stores_reserved))
}

/// Narrows a value the page layout keeps below 2^15 to a header field.
fn to_u16(value: usize) -> u16 {
    debug_assert!(value <= usize::from(u16::MAX));
    value as u16
}
