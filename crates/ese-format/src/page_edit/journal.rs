//! The edits a [`PageMut`] made, as bytes that can be applied again (ESE
//! logs its page operations the same way: an insert, replace, delete or
//! flag change of one line, not the bytes it moved).
//!
//! Every edit is a deterministic function of the page's bytes and its
//! arguments, so the journal of a page, applied by [`replay`] to the bytes
//! the page had before, rebuilds exactly the bytes it had after: byte for
//! byte, free space and tag array included. That is what lets the log
//! record a line insert as the line (a few hundred bytes) instead of every
//! byte a reorganization or a tag shift moved. Setting the database time is
//! not journaled: the log's unit stamps its own time on every page it
//! changed, after the edits.
//!
//! Encoding: a sequence of `kind u8` followed by the kind's arguments,
//! integers little-endian.
//!
//! | kind | edit | arguments |
//! |---|---|---|
//! | 0 | the page's bytes all set to zero (a newly allocated page) | none |
//! | 1 | [`PageMut::init`] | object id u32, flags u32, database time u64 |
//! | 2 | [`PageMut::insert_line`] | index u16, flags u8, length u16, bytes |
//! | 3 | [`PageMut::replace_line`] | index u16, flags u8, length u16, bytes |
//! | 4 | [`PageMut::delete_line`] | index u16 |
//! | 5 | [`PageMut::set_line_flags`] | index u16, flags u8 |
//! | 6 | [`PageMut::reorganize`] | none |
//! | 7 | [`PageMut::set_flags`] | flags u32 |
//! | 8 | [`PageMut::set_links`] | previous u32, next u32 |
//! | 9 | [`PageMut::set_uncommitted_free_bytes`] | bytes u16 |
//! | 10 | [`PageMut::copy_lines`] | source page u32, first line u16, count u16 |
//! | 11 | [`PageMut::copy_lines_at`] | source page u32, first line u16, count u16, at u16 |
//!
//! A copy names another page: replaying it needs that page's bytes as they
//! were when the copy was made ([`journal_sources`] lists them).

use super::PageMut;
use crate::codes::*;
use crate::error::{Error, Result};
use crate::page::PageFlags;

pub(super) const ZERO: u8 = 0;
pub(super) const INIT: u8 = 1;
pub(super) const INSERT: u8 = 2;
pub(super) const REPLACE: u8 = 3;
pub(super) const DELETE: u8 = 4;
pub(super) const LINE_FLAGS: u8 = 5;
pub(super) const REORGANIZE: u8 = 6;
pub(super) const PAGE_FLAGS: u8 = 7;
pub(super) const LINKS: u8 = 8;
pub(super) const UNCOMMITTED: u8 = 9;
pub(super) const COPY: u8 = 10;
pub(super) const COPY_AT: u8 = 11;

/// Appends the journal entry of a zeroed page (a page number handed out
/// anew, whose old bytes mean nothing).
pub fn journal_zeroed(journal: &mut Vec<u8>) {
    journal.push(ZERO);
}

/// Whether a journal rebuilds its page without reading the bytes it had
/// before (it starts by zeroing or initializing it): such a page needs no
/// image of its old bytes to be redone, even after a torn write.
pub fn journal_starts_afresh(journal: &[u8]) -> bool {
    matches!(journal.first(), Some(&ZERO) | Some(&INIT))
}

/// The pages a journal copies lines from, in order (each once).
pub fn journal_sources(journal: &[u8]) -> Result<Vec<u32>> {
    let mut input = Input { bytes: journal };
    let mut sources = Vec::new();
    while let Some(kind) = input.u8() {
        match kind {
            ZERO | REORGANIZE => {}
            INIT => {
                input.take(16)?;
            }
            INSERT | REPLACE => {
                input.take(3)?;
                let length = input.u16()? as usize;
                input.take(length)?;
            }
            DELETE => {
                input.take(2)?;
            }
            LINE_FLAGS => {
                input.take(3)?;
            }
            PAGE_FLAGS => {
                input.take(4)?;
            }
            LINKS => {
                input.take(8)?;
            }
            UNCOMMITTED => {
                input.take(2)?;
            }
            COPY | COPY_AT => {
                let source = input.u32()?;
                input.take(if kind == COPY { 4 } else { 6 })?;
                if !sources.contains(&source) {
                    sources.push(source);
                }
            }
            other => {
                return Err(Error::new(JET_errLogFileCorrupt)
                    .with_detail(format!("page edit of unknown kind {other}")))
            }
        }
    }
    Ok(sources)
}

/// Writes one entry; `index` and lengths fit u16 on every page size.
pub(super) fn record_line(journal: &mut Vec<u8>, kind: u8, index: usize, flags: u8, data: &[u8]) {
    // A page's first edit in a unit: room for a few, not a growth from
    // nothing per byte written.
    if journal.capacity() == 0 {
        journal.reserve(256.max(6 + data.len()));
    }
    journal.push(kind);
    journal.extend_from_slice(&(index as u16).to_le_bytes());
    journal.push(flags);
    journal.extend_from_slice(&(data.len() as u16).to_le_bytes());
    journal.extend_from_slice(data);
}

/// Applies `journal` to `bytes`, the bytes of page `page_number` as they
/// were before the edits it records. A journal that does not parse is
/// `JET_errLogFileCorrupt`; an edit the page refuses (a page that is not
/// what the journal was made on) returns the page layer's error.
///
/// `layout_checked`: the page passed [`PageMut::open`]'s checks before and
/// has changed only through `PageMut` since (its replays included), so only
/// its header is read again; otherwise the first edit checks it in full.
/// `sources`: the bytes of the pages the journal copies from, as they were
/// before the edits (a copy from a page not given is
/// `JET_errLogFileCorrupt`).
pub fn replay(
    bytes: &mut [u8],
    page_number: u32,
    journal: &[u8],
    layout_checked: bool,
    sources: &[(u32, &[u8])],
) -> Result<()> {
    let mut input = Input { bytes: journal };
    let mut checked = layout_checked;
    while let Some(kind) = input.u8() {
        match kind {
            ZERO => {
                bytes.fill(0);
                checked = false;
            }
            INIT => {
                let object_id = input.u32()?;
                let flags = input.u32()?;
                let db_time = input.u64()?;
                PageMut::init(bytes, page_number, object_id, PageFlags(flags), db_time)?;
                checked = true;
            }
            _ => {
                let mut page = if checked {
                    PageMut::open_checked_before(bytes, page_number)?
                } else {
                    PageMut::open(bytes, page_number)?
                };
                checked = true;
                match kind {
                    INSERT | REPLACE => {
                        let index = input.u16()? as usize;
                        let flags = input.u8().ok_or_else(cut_short)?;
                        let length = input.u16()? as usize;
                        let data = input.take(length)?;
                        if kind == INSERT {
                            page.insert_line(index, data, flags)?;
                        } else {
                            page.replace_line(index, data, flags)?;
                        }
                    }
                    DELETE => page.delete_line(input.u16()? as usize)?,
                    LINE_FLAGS => {
                        let index = input.u16()? as usize;
                        let flags = input.u8().ok_or_else(cut_short)?;
                        page.set_line_flags(index, flags)?;
                    }
                    REORGANIZE => page.reorganize(),
                    PAGE_FLAGS => page.set_flags(PageFlags(input.u32()?)),
                    LINKS => {
                        let previous = input.u32()?;
                        let next = input.u32()?;
                        page.set_links(previous, next);
                    }
                    UNCOMMITTED => page.set_uncommitted_free_bytes(input.u16()? as usize)?,
                    COPY | COPY_AT => {
                        let source = input.u32()?;
                        let first = input.u16()? as usize;
                        let count = input.u16()? as usize;
                        let at = if kind == COPY {
                            page.line_count()
                        } else {
                            input.u16()? as usize
                        };
                        let Some((_, from)) = sources.iter().find(|(n, _)| *n == source) else {
                            return Err(Error::new(JET_errLogFileCorrupt)
                                .with_page(page_number)
                                .with_detail(format!(
                                    "a copy from page {source}, whose bytes redo does not have"
                                )));
                        };
                        page.copy_lines_at(from, source, first, count, at)?;
                    }
                    other => {
                        return Err(Error::new(JET_errLogFileCorrupt)
                            .with_page(page_number)
                            .with_detail(format!("page edit of unknown kind {other}")))
                    }
                }
            }
        }
    }
    Ok(())
}

fn cut_short() -> Error {
    Error::new(JET_errLogFileCorrupt).with_detail("a page edit is cut short")
}

struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    fn u8(&mut self) -> Option<u8> {
        let (&first, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(first)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(cut_short());
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}
