use super::*;
use crate::constants::PAGE_SIZES;
use crate::page::tag_flags;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::cell::Cell;

const PAGE_NUMBER: u32 = 7;

fn leaf() -> PageFlags {
    PageFlags(PageFlags::LEAF)
}

fn data_area(page_size: usize) -> usize {
    page_size - header_size(page_size)
}

/// `len` bytes that differ from line to line (`seed`) and along the line.
fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| seed.wrapping_add((i as u8).wrapping_mul(37)))
        .collect()
}

/// The bytes a line holds once written: on large pages the top three bits
/// of the first u16 of every line but tag 0 are its flags.
fn stored(page_size: usize, index: usize, data: &[u8], flags: u8) -> Vec<u8> {
    let mut out = data.to_vec();
    if !is_small_page(page_size) && index != 0 && out.len() >= 2 {
        out[1] = (out[1] & 0x1f) | (flags << 5);
    }
    out
}

fn lines_of(page: &PageMut<'_>) -> Vec<(Vec<u8>, u8)> {
    (0..page.line_count())
        .map(|i| {
            let (bytes, flags) = page.line(i).unwrap();
            (bytes.to_vec(), flags)
        })
        .collect()
}

fn offsets_of(page: &PageMut<'_>) -> Vec<usize> {
    (0..page.line_count())
        .map(|i| page.place(i).offset)
        .collect()
}

/// The invariants ESE keeps on every page, checked from the raw bytes.
fn check_layout(page: &PageMut<'_>) {
    let parsed = Page::parse(page.as_bytes(), page.page_number()).expect("the page parses");
    let header = parsed.header();
    let area = data_area(page.page_size());
    let count = header.tag_count();
    let line_bytes: usize = parsed.tags().map(|t| usize::from(t.size)).sum();
    assert_eq!(
        usize::from(header.free_bytes),
        area - line_bytes - TAG_SIZE * count
    );
    let end = parsed
        .tags()
        .map(|t| usize::from(t.offset) + usize::from(t.size))
        .max()
        .unwrap_or(0);
    assert!(usize::from(header.first_free_offset) >= end);
    assert!(usize::from(header.first_free_offset) + TAG_SIZE * count <= area);
}

#[test]
fn a_new_page_is_empty_but_for_its_external_header() {
    for page_size in PAGE_SIZES {
        let mut buffer = vec![0xa5u8; page_size];
        let page = PageMut::init(&mut buffer, PAGE_NUMBER, 9, leaf(), 1234).unwrap();
        assert_eq!(page.line_count(), 1);
        assert_eq!(page.reserved_line_count(), 1);
        assert_eq!(page.line(0), Some((&[][..], 0)));
        assert_eq!(page.free_bytes(), data_area(page_size) - TAG_SIZE);
        assert_eq!(page.contiguous_free_bytes(), page.free_bytes());
        assert_eq!(page.first_free_offset(), 0);
        // ESE's CbPageDataMax: 4048 on a 4 KiB page.
        assert_eq!(page.max_line_size(), data_area(page_size) - 8);
        let header = page.header();
        assert_eq!(header.tag_state, 1, "legacy tag state, as Windows writes");
        assert_eq!(header.db_time, 1234);
        assert_eq!(header.object_id, 9);
        assert_eq!(
            header.flags,
            PageFlags(PageFlags::LEAF | PageFlags::NEW_RECORD_FORMAT)
        );
        assert_eq!(
            header.extended.map(|e| e.page_number),
            (!is_small_page(page_size)).then_some(PAGE_NUMBER)
        );
        check_layout(&page);
    }
    assert_eq!(
        PageMut::init(&mut vec![0; 4096], 1, 1, leaf(), 0)
            .unwrap()
            .max_line_size(),
        4048
    );
}

#[test]
fn init_refuses_what_is_not_a_page() {
    for size in [0, 100, 4095, 12288, 65536] {
        let error = PageMut::init(&mut vec![0; size], 1, 1, leaf(), 0).unwrap_err();
        assert_eq!(error.code(), JET_errInvalidParameter, "{size}");
    }
    let error =
        PageMut::init(&mut vec![0; 4096], 1, 1, PageFlags(PageFlags::PRE_INIT), 0).unwrap_err();
    assert_eq!(error.code(), JET_errInvalidParameter);
}

#[test]
fn the_largest_line_fills_an_empty_page_exactly() {
    for page_size in PAGE_SIZES {
        let mut buffer = vec![0u8; page_size];
        let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
        let max = page.max_line_size();
        assert!(page.can_insert(max));
        assert!(!page.can_insert(max + 1));
        let error = page.insert_line(1, &bytes(max + 1, 1), 0).unwrap_err();
        assert_eq!(error.code(), NO_ROOM);
        page.insert_line(1, &bytes(max, 1), 0).unwrap();
        assert_eq!(page.free_bytes(), 0);
        assert_eq!(page.contiguous_free_bytes(), 0);
        assert!(!page.can_insert(0));
        check_layout(&page);
    }
}

#[test]
fn inserts_append_data_and_shift_later_tags() {
    let mut buffer = vec![0u8; 4096];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    page.insert_line(1, b"bbbb", 0).unwrap();
    page.insert_line(1, b"aaaaaa", tag_flags::VERSIONED)
        .unwrap();
    page.insert_line(3, b"cc", 0).unwrap();
    assert_eq!(
        lines_of(&page),
        vec![
            (vec![], 0),
            (b"aaaaaa".to_vec(), tag_flags::VERSIONED),
            (b"bbbb".to_vec(), 0),
            (b"cc".to_vec(), 0)
        ]
    );
    // Data goes where the used area ends, whatever the line's index.
    assert_eq!(offsets_of(&page), vec![0, 4, 0, 10]);
    assert_eq!(page.first_free_offset(), 12);
    assert_eq!(page.free_bytes(), 4056 - 12 - 16);
    check_layout(&page);
}

#[test]
fn deletes_leave_gaps_and_only_the_last_line_gives_back_contiguous_space() {
    let mut buffer = vec![0u8; 4096];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    for (i, len) in [10, 20, 30].into_iter().enumerate() {
        page.insert_line(i + 1, &bytes(len, i as u8), 0).unwrap();
    }
    assert_eq!(page.first_free_offset(), 60);
    page.delete_line(2).unwrap();
    // The middle line's bytes are free but not contiguous.
    assert_eq!(page.first_free_offset(), 60);
    assert_eq!(page.free_bytes(), 4056 - 40 - 12);
    assert_eq!(page.contiguous_free_bytes(), 4056 - 60 - 12);
    page.delete_line(2).unwrap();
    // The last line ended the used area: only its own bytes come back (ESE
    // does not look for the gap below it).
    assert_eq!(page.first_free_offset(), 30);
    check_layout(&page);
    page.delete_line(1).unwrap();
    // Nothing left but an empty external header: the data area restarts.
    assert_eq!(page.first_free_offset(), 0);
    assert_eq!(page.free_bytes(), 4056 - 4);
    check_layout(&page);
}

#[test]
fn an_insert_reorganizes_only_when_the_contiguous_space_is_short() {
    let mut buffer = vec![0u8; 4096];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    for i in 0..4 {
        page.insert_line(i + 1, &bytes(900, i as u8), i as u8)
            .unwrap();
    }
    // Lines of 900 at 0, 900, 1800, 2700; 3600 used, 4056 - 3600 - 20 free.
    page.delete_line(2).unwrap();
    assert_eq!(page.contiguous_free_bytes(), 4056 - 3600 - 16);
    let before = offsets_of(&page);
    page.insert_line(2, &bytes(400, 9), 0).unwrap();
    let mut expected = before.clone();
    expected.insert(2, 3600);
    assert_eq!(
        offsets_of(&page),
        expected,
        "room at the end: nothing moves"
    );
    check_layout(&page);

    // 936 free bytes now, 36 of them contiguous: a 600-byte line needs
    // the gap, so the page is compacted first, in offset order.
    let lines = lines_of(&page);
    assert!(page.can_insert(600));
    page.insert_line(1, &bytes(600, 10), 0).unwrap();
    let mut expected_lines = lines.clone();
    expected_lines.insert(1, (bytes(600, 10), 0));
    assert_eq!(lines_of(&page), expected_lines);
    // By offset the lines were 1 (0), 3 (1800), 4 (2700), 2 (3600); they
    // keep that order, closed up, and the new line follows them.
    assert_eq!(offsets_of(&page), vec![0, 3100, 0, 2700, 900, 1800]);
    assert_eq!(page.first_free_offset(), 3700);
    check_layout(&page);
}

#[test]
fn replace_shrinks_and_grows_in_place_or_moves_the_line() {
    let mut buffer = vec![0u8; 4096];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    for i in 0..3 {
        page.insert_line(i + 1, &bytes(100, i as u8), 0).unwrap();
    }
    // Shrinking a middle line keeps its place and leaves a gap.
    page.replace_line(2, &bytes(40, 20), tag_flags::DELETED)
        .unwrap();
    assert_eq!(offsets_of(&page), vec![0, 0, 100, 200]);
    assert_eq!(page.first_free_offset(), 300);
    assert_eq!(
        page.line(2).unwrap(),
        (&bytes(40, 20)[..], tag_flags::DELETED)
    );
    // Growing the last line in the used area: in place.
    page.replace_line(3, &bytes(150, 21), 0).unwrap();
    assert_eq!(offsets_of(&page), vec![0, 0, 100, 200]);
    assert_eq!(page.first_free_offset(), 350);
    // Shrinking the last line pulls the first free offset back.
    page.replace_line(3, &bytes(50, 22), 0).unwrap();
    assert_eq!(page.first_free_offset(), 250);
    // Growing a middle line: it moves to the end.
    page.replace_line(1, &bytes(120, 23), 0).unwrap();
    assert_eq!(offsets_of(&page), vec![0, 250, 100, 200]);
    assert_eq!(page.first_free_offset(), 370);
    assert_eq!(page.free_bytes(), 4056 - 16 - 120 - 40 - 50);
    check_layout(&page);

    // Growing when only the gaps hold the room: compaction, then the line
    // goes last. Free: 3830; contiguous 4056 - 16 - 370 = 3670.
    let wanted = 3830 + 40;
    page.replace_line(2, &bytes(wanted, 24), 0).unwrap();
    assert_eq!(page.free_bytes(), 0);
    // The emptied line 2 sorted first (offset 0), then 3 (200), 1 (250).
    assert_eq!(offsets_of(&page), vec![0, 50, 170, 0]);
    assert_eq!(page.line(2).unwrap().0, &bytes(wanted, 24)[..]);
    assert_eq!(page.line(1).unwrap().0, &bytes(120, 23)[..]);
    assert_eq!(page.line(3).unwrap().0, &bytes(50, 22)[..]);
    check_layout(&page);
    let error = page.replace_line(3, &bytes(51, 0), 0).unwrap_err();
    assert_eq!(error.code(), NO_ROOM);
}

#[test]
fn flags_live_in_the_tag_on_small_pages_and_in_the_line_on_large_ones() {
    let mut small = vec![0u8; 4096];
    let mut page = PageMut::init(&mut small, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    page.insert_line(1, &[0xff, 0xff, 1], tag_flags::COMPRESSED)
        .unwrap();
    assert_eq!(page.line(1).unwrap(), (&[0xff, 0xff, 1][..], 4));
    let (_, offset_word) = page.tag_words(1);
    assert_eq!(offset_word >> 13, 4);
    page.set_line_flags(1, tag_flags::DELETED).unwrap();
    assert_eq!(page.line(1).unwrap(), (&[0xff, 0xff, 1][..], 2));
    // A one-byte line is fine on a small page.
    page.insert_line(2, &[7], tag_flags::VERSIONED).unwrap();
    assert_eq!(page.line(2).unwrap(), (&[7][..], 1));

    let mut large = vec![0u8; 16384];
    let mut page = PageMut::init(&mut large, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    page.insert_line(1, &[0xff, 0xff, 1], tag_flags::COMPRESSED)
        .unwrap();
    // The caller's top three bits are replaced by the flags.
    assert_eq!(page.line(1).unwrap(), (&[0xff, 0x9f, 1][..], 4));
    page.set_line_flags(1, 0).unwrap();
    assert_eq!(page.line(1).unwrap(), (&[0xff, 0x1f, 1][..], 0));
    assert_eq!(page.tag_words(1).1 >> 13, 0, "no flags in large tags");
    // Tag 0 is stored verbatim and never has flags.
    page.set_external_header(&[0xff, 0xff]).unwrap();
    assert_eq!(page.line(0).unwrap(), (&[0xff, 0xff][..], 0));
    // A line too short to carry its flags word is refused.
    let error = page.insert_line(2, &[1], 0).unwrap_err();
    assert_eq!(error.code(), JET_errInvalidParameter);
    check_layout(&page);
}

#[test]
fn bad_arguments_are_refused_and_leave_the_page_unchanged() {
    for page_size in PAGE_SIZES {
        let mut buffer = vec![0u8; page_size];
        let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
        page.insert_line(1, b"line", 0).unwrap();
        let pristine = page.as_bytes().to_vec();
        let code = |result: Result<()>| result.unwrap_err().code();
        assert_eq!(code(page.insert_line(3, b"x", 0)), JET_errBadLineCount);
        assert_eq!(code(page.insert_line(0, b"xy", 0)), JET_errInvalidParameter);
        assert_eq!(code(page.insert_line(1, b"xy", 8)), JET_errInvalidParameter);
        assert_eq!(code(page.insert_line(1, b"", 0)), JET_errInvalidParameter);
        assert_eq!(code(page.replace_line(2, b"xy", 0)), JET_errBadLineCount);
        assert_eq!(code(page.replace_line(1, b"", 0)), JET_errInvalidParameter);
        assert_eq!(
            code(page.replace_line(0, b"xy", 1)),
            JET_errInvalidParameter
        );
        assert_eq!(code(page.delete_line(0)), JET_errInvalidParameter);
        assert_eq!(code(page.delete_line(2)), JET_errBadLineCount);
        assert_eq!(code(page.delete_line(usize::MAX)), JET_errBadLineCount);
        assert_eq!(code(page.set_line_flags(5, 0)), JET_errBadLineCount);
        assert_eq!(code(page.set_line_flags(0, 2)), JET_errInvalidParameter);
        let too_big = vec![0u8; page_size];
        assert_eq!(code(page.insert_line(1, &too_big, 0)), NO_ROOM);
        assert_eq!(code(page.replace_line(1, &too_big, 0)), NO_ROOM);
        assert_eq!(code(page.set_external_header(&too_big)), NO_ROOM);
        assert_eq!(
            code(page.set_uncommitted_free_bytes(page.free_bytes() + 1)),
            JET_errInvalidParameter
        );
        assert_eq!(page.as_bytes(), &pristine[..]);
        assert!(!page.can_replace(9, 1));
    }
}

#[test]
fn the_tag_array_may_not_crowd_out_the_lines() {
    // 1-byte lines: space for 811 on a 4 KiB page, but ESE's page check
    // wants 4 bytes of data area per line past the tags, which stops the
    // page at (4056 + 3) / 8 = 507 tags.
    let mut buffer = vec![0u8; 4096];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    let mut count = 1;
    while page.can_insert(1) {
        page.insert_line(count, &[count as u8], 0).unwrap();
        count += 1;
    }
    assert_eq!(page.line_count(), 507);
    assert!(page.available_bytes() > 5);
    let error = page.insert_line(1, &[0], 0).unwrap_err();
    assert_eq!(error.code(), NO_ROOM);
    check_layout(&page);
    // A 32 KiB page stops below the 12-bit count: (32688 + 3) / 8 = 4086.
    let mut buffer = vec![0u8; 32768];
    let page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    assert_eq!(page.max_tags(), 4086);
}

#[test]
fn uncommitted_free_bytes_are_not_available_to_edits() {
    let mut buffer = vec![0u8; 4096];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    page.insert_line(1, &bytes(100, 1), 0).unwrap();
    let free = page.free_bytes();
    page.set_uncommitted_free_bytes(free - 50).unwrap();
    assert_eq!(page.available_bytes(), 50);
    assert!(page.can_insert(46));
    assert!(!page.can_insert(47));
    assert_eq!(
        page.insert_line(2, &bytes(47, 2), 0).unwrap_err().code(),
        NO_ROOM
    );
    assert!(page.can_replace(1, 150));
    assert!(!page.can_replace(1, 151));
    page.insert_line(2, &bytes(46, 2), 0).unwrap();
    assert_eq!(page.available_bytes(), 0);
    assert_eq!(page.header().uncommitted_free_bytes as usize, free - 50);
    // Deleting frees bytes; the uncommitted count is the version store's.
    page.delete_line(1).unwrap();
    assert_eq!(page.available_bytes(), 104);
    check_layout(&page);
}

/// A page in ESE's newer form: two reserved tags, stored in the tag state.
fn page_with_two_reserved_tags(buffer: &mut [u8]) {
    let mut page = PageMut::init(buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    page.insert_line(1, b"reserved", 0).unwrap();
    page.insert_line(2, b"first node", 0).unwrap();
    page.set_u16_at(TAG_STATE_AT, (2 << 12) | 3);
}

#[test]
fn pages_with_more_reserved_tags_keep_them_and_their_tag_state_form() {
    let mut buffer = vec![0u8; 8192];
    page_with_two_reserved_tags(&mut buffer);
    let mut page = PageMut::open(&mut buffer, PAGE_NUMBER).unwrap();
    assert_eq!(page.reserved_line_count(), 2);
    assert_eq!(page.max_line_size(), 8152 - 12);
    assert_eq!(
        page.insert_line(1, b"xy", 0).unwrap_err().code(),
        JET_errInvalidParameter
    );
    assert_eq!(
        page.delete_line(1).unwrap_err().code(),
        JET_errInvalidParameter
    );
    page.replace_line(1, b"reserved, longer", 0).unwrap();
    page.insert_line(2, b"new", 0).unwrap();
    assert_eq!(page.header().tag_state, (2 << 12) | 4);
    page.delete_line(3).unwrap();
    assert_eq!(page.header().tag_state, (2 << 12) | 3);
    assert_eq!(page.line(1).unwrap().0, b"reserved, longer");
    assert_eq!(page.line(2).unwrap().0, b"new");
    check_layout(&page);

    // A legacy page stays legacy; its unused top bit is cleared as ESE does.
    let mut buffer = vec![0u8; 8192];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
    page.insert_line(1, b"node", 0).unwrap();
    page.set_u16_at(TAG_STATE_AT, 0x8002);
    let mut page = PageMut::open(&mut buffer, PAGE_NUMBER).unwrap();
    assert_eq!(page.reserved_line_count(), 1);
    page.insert_line(2, b"more", 0).unwrap();
    assert_eq!(page.header().tag_state, 3);
}

#[test]
fn open_refuses_pages_editing_could_not_keep_consistent() {
    let fresh = || {
        let mut buffer = vec![0u8; 4096];
        let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 1, leaf(), 0).unwrap();
        page.insert_line(1, b"first", 0).unwrap();
        page.insert_line(2, b"second", 0).unwrap();
        buffer
    };
    let code = |buffer: &mut Vec<u8>| PageMut::open(buffer, PAGE_NUMBER).unwrap_err().code();
    assert!(PageMut::open(&mut fresh(), PAGE_NUMBER).is_ok());

    let mut buffer = fresh();
    buffer[FREE_BYTES_AT] ^= 1;
    assert_eq!(code(&mut buffer), JET_errPageTagCorrupted, "free bytes");

    let mut buffer = fresh();
    buffer[UNCOMMITTED_AT..UNCOMMITTED_AT + 2].copy_from_slice(&5000u16.to_le_bytes());
    assert_eq!(code(&mut buffer), JET_errPageTagCorrupted, "uncommitted");

    let mut buffer = fresh();
    // Line 2 starts inside line 1.
    let at = 4096 - 3 * TAG_SIZE + 2;
    buffer[at..at + 2].copy_from_slice(&2u16.to_le_bytes());
    assert_eq!(code(&mut buffer), JET_errPageTagCorrupted, "overlap");

    let mut buffer = fresh();
    // Line 1 empty, its bytes counted free.
    let at = 4096 - 2 * TAG_SIZE;
    buffer[at..at + 2].copy_from_slice(&0u16.to_le_bytes());
    let free = u16::from_le_bytes([buffer[FREE_BYTES_AT], buffer[FREE_BYTES_AT + 1]]) + 5;
    buffer[FREE_BYTES_AT..FREE_BYTES_AT + 2].copy_from_slice(&free.to_le_bytes());
    assert_eq!(code(&mut buffer), JET_errPageTagCorrupted, "empty line");

    let mut buffer = fresh();
    buffer[TAG_STATE_AT..TAG_STATE_AT + 2].copy_from_slice(&((3u16 << 12) | 2).to_le_bytes());
    assert_eq!(
        code(&mut buffer),
        JET_errPageTagCorrupted,
        "reserved > count"
    );

    let mut buffer = fresh();
    buffer[TAG_STATE_AT..TAG_STATE_AT + 2].copy_from_slice(&0u16.to_le_bytes());
    assert_eq!(code(&mut buffer), JET_errPageNotInitialized, "no tags");

    assert_eq!(
        PageMut::open(&mut vec![0u8; 4000], 1).unwrap_err().code(),
        JET_errInvalidParameter
    );
}

// ---- property test against a model ----

#[derive(Clone, Debug)]
enum Op {
    Insert {
        at: prop::sample::Index,
        len: usize,
        seed: u8,
        flags: u8,
    },
    Replace {
        at: prop::sample::Index,
        len: usize,
        seed: u8,
        flags: u8,
    },
    Delete {
        at: prop::sample::Index,
    },
    SetExternalHeader {
        len: usize,
        seed: u8,
    },
    SetFlags {
        at: prop::sample::Index,
        flags: u8,
    },
    SetUncommitted {
        per_mille: usize,
    },
    Reorganize,
}

/// Line lengths scaled to the page: tiny, small, large (a few fill the
/// page) and any (mostly too big).
fn length(page_size: usize) -> impl Strategy<Value = usize> {
    prop_oneof![
        2 => 0usize..8,
        4 => 0..page_size / 20,
        3 => 0..page_size / 4,
        1 => 0..page_size + 100,
    ]
}

fn flags() -> impl Strategy<Value = u8> {
    prop_oneof![8 => 0u8..8, 1 => 8u8..=255]
}

fn op(page_size: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (any::<prop::sample::Index>(), length(page_size), any::<u8>(), flags())
            .prop_map(|(at, len, seed, flags)| Op::Insert { at, len, seed, flags }),
        4 => (any::<prop::sample::Index>(), length(page_size), any::<u8>(), flags())
            .prop_map(|(at, len, seed, flags)| Op::Replace { at, len, seed, flags }),
        5 => any::<prop::sample::Index>().prop_map(|at| Op::Delete { at }),
        1 => (0usize..300, any::<u8>()).prop_map(|(len, seed)| Op::SetExternalHeader { len, seed }),
        1 => (any::<prop::sample::Index>(), flags()).prop_map(|(at, flags)| Op::SetFlags { at, flags }),
        1 => (0usize..1100).prop_map(|per_mille| Op::SetUncommitted { per_mille }),
        1 => Just(Op::Reorganize),
    ]
}

/// What the page should hold: each line as stored, with its flags, and the
/// uncommitted free bytes.
struct Model {
    page_size: usize,
    lines: Vec<(Vec<u8>, u8)>,
    uncommitted: usize,
}

impl Model {
    fn small(&self) -> bool {
        is_small_page(self.page_size)
    }
    fn free(&self) -> usize {
        data_area(self.page_size)
            - self.lines.iter().map(|(l, _)| l.len()).sum::<usize>()
            - TAG_SIZE * self.lines.len()
    }
    fn available(&self) -> usize {
        self.free() - self.uncommitted
    }
    fn min_len(&self, index: usize) -> usize {
        match (index, self.small()) {
            (0, _) => 0,
            (_, true) => 1,
            (_, false) => 2,
        }
    }
    fn max_tags(&self) -> usize {
        ((data_area(self.page_size) + 3) / 8).min(0xfff)
    }
}

fn check_model(page: &PageMut<'_>, model: &Model) -> std::result::Result<(), TestCaseError> {
    let parsed = Page::parse(page.as_bytes(), PAGE_NUMBER)
        .map_err(|e| TestCaseError::fail(format!("the page does not parse: {e}")))?;
    let header = parsed.header();
    let count = model.lines.len();
    prop_assert_eq!(page.line_count(), count);
    prop_assert_eq!(header.tag_state as usize, count, "legacy tag state");
    for (index, (bytes, flags)) in model.lines.iter().enumerate() {
        let (line, line_flags) = page.line(index).unwrap();
        prop_assert_eq!(line, &bytes[..], "line {}", index);
        prop_assert_eq!(line_flags, *flags, "flags of line {}", index);
        // The reader agrees (it reports tag 0's raw bits on large pages).
        prop_assert_eq!(parsed.line(index).unwrap(), &bytes[..]);
        if index > 0 || model.small() {
            prop_assert_eq!(parsed.tag(index).unwrap().flags, *flags);
        }
    }
    let area = data_area(model.page_size);
    prop_assert_eq!(usize::from(header.free_bytes), model.free());
    prop_assert_eq!(
        usize::from(header.uncommitted_free_bytes),
        model.uncommitted
    );
    let first_free = usize::from(header.first_free_offset);
    prop_assert_eq!(
        page.contiguous_free_bytes(),
        area - TAG_SIZE * count - first_free
    );
    let mut used: Vec<(usize, usize)> = parsed
        .tags()
        .filter(|t| t.size > 0)
        .map(|t| (usize::from(t.offset), usize::from(t.size)))
        .collect();
    used.sort_unstable();
    for pair in used.windows(2) {
        prop_assert!(pair[0].0 + pair[0].1 <= pair[1].0, "lines overlap");
    }
    let end = used.last().map_or(0, |&(o, s)| o + s);
    prop_assert!(first_free >= end);
    Ok(())
}

/// How often the interesting cases came up, so that a generator that
/// stopped reaching them is noticed.
#[derive(Default)]
struct Coverage {
    inserts: Cell<usize>,
    inserts_refused_for_room: Cell<usize>,
    inserts_after_reorganizing: Cell<usize>,
    replaces_moving_the_line: Cell<usize>,
    deletes: Cell<usize>,
}

fn bump(counter: &Cell<usize>) {
    counter.set(counter.get() + 1);
}

/// Applies one operation to page and model; the page must fail exactly
/// when the model says it should, and then stay unchanged.
fn step(
    page: &mut PageMut<'_>,
    model: &mut Model,
    op: &Op,
    coverage: &Coverage,
) -> std::result::Result<(), TestCaseError> {
    let before = page.as_bytes().to_vec();
    let count = model.lines.len();
    let page_size = model.page_size;
    let (result, expected_ok) = match op {
        Op::Insert {
            at,
            len,
            seed,
            flags,
        } => {
            // 0 (reserved) and count + 1 (beyond) are both wrong.
            let index = at.index(count + 2);
            let data = bytes(*len, *seed);
            let valid = (1..=count).contains(&index) && *flags <= 7 && *len >= model.min_len(index);
            let fits = len + TAG_SIZE <= model.available() && count < model.max_tags();
            prop_assert_eq!(page.can_insert(*len), fits);
            let contiguous = page.contiguous_free_bytes();
            let result = page.insert_line(index, &data, *flags);
            if valid && !fits {
                bump(&coverage.inserts_refused_for_room);
            }
            if valid && fits {
                bump(&coverage.inserts);
                if contiguous < len + TAG_SIZE {
                    bump(&coverage.inserts_after_reorganizing);
                }
                model
                    .lines
                    .insert(index, (stored(page_size, index, &data, *flags), *flags));
            }
            (result, valid && fits)
        }
        Op::Replace {
            at,
            len,
            seed,
            flags,
        } => {
            let index = at.index(count + 1);
            let data = bytes(*len, *seed);
            let valid = index < count
                && *flags <= 7
                && (index > 0 || *flags == 0)
                && *len >= model.min_len(index);
            let fits = index < count
                && len.saturating_sub(model.lines[index].0.len()) <= model.available();
            prop_assert_eq!(page.can_replace(index, *len), fits);
            let old_offset = (index < count).then(|| page.place(index).offset);
            let result = page.replace_line(index, &data, *flags);
            if valid && fits {
                model.lines[index] = (stored(page_size, index, &data, *flags), *flags);
                if *len > 0 && old_offset != Some(page.place(index).offset) {
                    bump(&coverage.replaces_moving_the_line);
                }
            }
            (result, valid && fits)
        }
        Op::Delete { at } => {
            let index = at.index(count + 1);
            let valid = (1..count).contains(&index);
            let result = page.delete_line(index);
            if valid {
                bump(&coverage.deletes);
                model.lines.remove(index);
                // A delete that leaves only an empty external header
                // restarts the data area.
                if model.lines.len() == 1 && model.lines[0].0.is_empty() {
                    prop_assert_eq!(page.first_free_offset(), 0);
                }
            }
            (result, valid)
        }
        Op::SetExternalHeader { len, seed } => {
            let data = bytes(*len, *seed);
            let fits = len.saturating_sub(model.lines[0].0.len()) <= model.available();
            let result = page.set_external_header(&data);
            if fits {
                model.lines[0] = (data, 0);
            }
            (result, fits)
        }
        Op::SetFlags { at, flags } => {
            let index = at.index(count + 1);
            let valid = index < count && *flags <= 7 && (index > 0 || *flags == 0);
            let result = page.set_line_flags(index, *flags);
            if valid {
                let data = model.lines[index].0.clone();
                model.lines[index] = (stored(page_size, index, &data, *flags), *flags);
            }
            (result, valid)
        }
        Op::SetUncommitted { per_mille } => {
            let value = model.free() * per_mille / 1000;
            let result = page.set_uncommitted_free_bytes(value);
            let valid = value <= model.free();
            if valid {
                model.uncommitted = value;
            }
            (result, valid)
        }
        Op::Reorganize => {
            page.reorganize();
            prop_assert_eq!(page.contiguous_free_bytes(), page.free_bytes());
            (Ok(()), true)
        }
    };
    match result {
        Ok(()) => prop_assert!(expected_ok, "{:?} succeeded where the model refuses it", op),
        Err(error) => {
            prop_assert!(!expected_ok, "{:?} failed: {}", op, error);
            prop_assert_eq!(
                page.as_bytes(),
                &before[..],
                "a failed edit changed the page"
            );
        }
    }
    check_model(page, model)
}

fn runner(seed: u64, page_size: usize, cases: u32) -> TestRunner {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(page_size as u64).to_le_bytes());
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &key),
    )
}

#[test]
fn random_edits_match_a_model_on_every_page_size() {
    let seed = ese_testkit::test_seed("page_edit::random_edits_match_a_model_on_every_page_size");
    for page_size in PAGE_SIZES {
        let coverage = Coverage::default();
        runner(seed, page_size, 256)
            .run(&prop::collection::vec(op(page_size), 1..300), |ops| {
                let mut buffer = vec![0u8; page_size];
                let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 5, leaf(), 1).unwrap();
                let mut model = Model {
                    page_size,
                    lines: vec![(Vec::new(), 0)],
                    uncommitted: 0,
                };
                for op in &ops {
                    step(&mut page, &mut model, op, &coverage)?;
                }
                // Whatever the history, a reopened page edits the same way.
                let page = PageMut::open(&mut buffer, PAGE_NUMBER)
                    .map_err(|e| TestCaseError::fail(format!("reopen: {e}")))?;
                check_model(&page, &model)
            })
            .unwrap_or_else(|failure| panic!("{page_size}-byte pages: {failure}"));
        let counts = [
            coverage.inserts.get(),
            coverage.inserts_refused_for_room.get(),
            coverage.inserts_after_reorganizing.get(),
            coverage.replaces_moving_the_line.get(),
            coverage.deletes.get(),
        ];
        println!(
            "{page_size}: inserts {}, refused for room {}, after reorganizing {}, \
             replaces moving the line {}, deletes {}",
            counts[0], counts[1], counts[2], counts[3], counts[4]
        );
        assert!(counts.iter().all(|&n| n >= 10), "{page_size}: {counts:?}");
    }
}

/// The journal of any sequence of edits, made again on the bytes the page
/// had before them, gives the same bytes: from a fresh page (the journal
/// starts with the initialization, so the old bytes do not matter), and
/// from the middle of a history (an existing page, opened again).
#[test]
fn a_journal_replayed_on_the_old_bytes_makes_the_same_page() {
    let seed = ese_testkit::test_seed(
        "page_edit::a_journal_replayed_on_the_old_bytes_makes_the_same_page",
    );
    for page_size in PAGE_SIZES {
        let coverage = Coverage::default();
        runner(seed, page_size, 128)
            .run(
                &(prop::collection::vec(op(page_size), 1..200), 0usize..200),
                |(ops, split)| {
                    let split = split.min(ops.len());
                    let mut buffer = vec![0u8; page_size];
                    let mut whole = Vec::new();
                    let mut model = Model {
                        page_size,
                        lines: vec![(Vec::new(), 0)],
                        uncommitted: 0,
                    };
                    let mut middle = Vec::new();
                    let mut second_half = Vec::new();
                    {
                        let mut page = PageMut::init_journaled(
                            &mut buffer,
                            PAGE_NUMBER,
                            5,
                            leaf(),
                            1,
                            Some(&mut whole),
                        )
                        .unwrap();
                        for op in &ops[..split] {
                            step(&mut page, &mut model, op, &coverage)?;
                        }
                    }
                    middle.extend_from_slice(&buffer);
                    {
                        let mut page = PageMut::open(&mut buffer, PAGE_NUMBER)
                            .unwrap()
                            .with_journal(Some(&mut second_half));
                        for op in &ops[split..] {
                            step(&mut page, &mut model, op, &coverage)?;
                        }
                    }
                    // The whole history, on bytes that are not a page at all.
                    let mut fresh = vec![0xa5u8; page_size];
                    let mut whole_history = whole.clone();
                    whole_history.extend_from_slice(&second_half);
                    prop_assert!(journal_starts_afresh(&whole_history));
                    replay(&mut fresh, PAGE_NUMBER, &whole_history, false, &[])
                        .map_err(|e| TestCaseError::fail(format!("replay: {e}")))?;
                    prop_assert_eq!(&fresh, &buffer, "the whole journal");
                    // The second half, on the page as it was in the middle.
                    prop_assert!(second_half.is_empty() || !journal_starts_afresh(&second_half));
                    replay(&mut middle, PAGE_NUMBER, &second_half, false, &[])
                        .map_err(|e| TestCaseError::fail(format!("replay: {e}")))?;
                    prop_assert_eq!(&middle, &buffer, "the second half's journal");
                    Ok(())
                },
            )
            .unwrap_or_else(|failure| panic!("{page_size}-byte pages: {failure}"));
    }
}

/// Lines copied from another page arrive as stored there, flags included,
/// on every page size; the copy is journaled as naming its source, and
/// replays only with the source's bytes at hand.
#[test]
fn copied_lines_replay_from_their_source_page() {
    const SOURCE: u32 = 11;
    for page_size in PAGE_SIZES {
        let mut source = vec![0u8; page_size];
        let mut expected = Vec::new();
        {
            let mut page = PageMut::init(&mut source, SOURCE, 5, leaf(), 1).unwrap();
            for i in 0..12u8 {
                let line = bytes(10 + usize::from(i) * 7, i);
                let flags = i % 4;
                page.insert_line(usize::from(i) + 1, &line, flags).unwrap();
            }
            for index in 4..10 {
                let (line, flags) = page.line(index).unwrap();
                expected.push((line.to_vec(), flags));
            }
        }
        let mut target = vec![0u8; page_size];
        let mut journal = Vec::new();
        {
            let mut page =
                PageMut::init_journaled(&mut target, PAGE_NUMBER, 5, leaf(), 1, Some(&mut journal))
                    .unwrap();
            page.copy_lines(&source, SOURCE, 4, 6).unwrap();
            assert_eq!(lines_of(&page)[1..], expected[..], "{page_size}");
            // Past the source's lines, or over what the page holds.
            assert!(page.copy_lines(&source, SOURCE, 10, 5).is_err());
            let before = page.as_bytes().to_vec();
            let mut big = vec![0u8; page_size];
            {
                let mut filler = PageMut::init(&mut big, SOURCE, 5, leaf(), 1).unwrap();
                let room = filler.available_bytes() - TAG_SIZE;
                filler.insert_line(1, &bytes(room / 2, 1), 0).unwrap();
                filler
                    .insert_line(2, &bytes(room / 2 - TAG_SIZE, 2), 0)
                    .unwrap();
            }
            let error = page.copy_lines(&big, SOURCE, 1, 2).unwrap_err();
            assert_eq!(error.code(), NO_ROOM, "{page_size}");
            assert_eq!(
                page.as_bytes(),
                &before[..],
                "a refused copy changed the page"
            );
        }
        assert_eq!(journal_sources(&journal).unwrap(), vec![SOURCE]);
        let mut replayed = vec![0x5au8; page_size];
        replay(
            &mut replayed,
            PAGE_NUMBER,
            &journal,
            false,
            &[(SOURCE, &source)],
        )
        .unwrap();
        assert_eq!(replayed, target, "{page_size}");
        let error =
            replay(&mut vec![0u8; page_size], PAGE_NUMBER, &journal, false, &[]).unwrap_err();
        assert_eq!(error.code(), JET_errLogFileCorrupt);
    }
}

/// Lines copied into the middle of a page that holds lines already (a
/// sibling taking nodes before its own) sit in order before the page's
/// own, and the journal makes the same bytes again from the page before
/// and the source.
#[test]
fn lines_copied_before_a_pages_own_replay_in_their_place() {
    const SOURCE: u32 = 11;
    for page_size in PAGE_SIZES {
        let mut source = vec![0u8; page_size];
        {
            let mut page = PageMut::init(&mut source, SOURCE, 5, leaf(), 1).unwrap();
            for i in 0..8u8 {
                page.insert_line(usize::from(i) + 1, &bytes(20 + usize::from(i), i), i % 4)
                    .unwrap();
            }
        }
        let mut target = vec![0u8; page_size];
        {
            let mut page = PageMut::init(&mut target, PAGE_NUMBER, 5, leaf(), 1).unwrap();
            page.insert_line(1, &bytes(30, 100), 0).unwrap();
            page.insert_line(2, &bytes(31, 101), 1).unwrap();
        }
        let before = target.clone();
        let mut journal = Vec::new();
        {
            let mut page = PageMut::open(&mut target, PAGE_NUMBER)
                .unwrap()
                .with_journal(Some(&mut journal));
            // Source lines 6..9 go between the common line and the page's
            // own two lines.
            page.copy_lines_at(&source, SOURCE, 6, 3, 1).unwrap();
            let lines = lines_of(&page);
            let source_page = PageMut::open(&mut source.clone(), SOURCE)
                .map(|p| lines_of(&p))
                .unwrap();
            assert_eq!(lines.len(), 6, "{page_size}");
            assert_eq!(lines[1..4], source_page[6..9], "{page_size}");
            assert_eq!(
                lines[4].0,
                stored(page_size, 4, &bytes(30, 100), 0),
                "{page_size}"
            );
            assert_eq!(
                lines[5].0,
                stored(page_size, 5, &bytes(31, 101), 1),
                "{page_size}"
            );
            // Not into the reserved line 0, nor past the end.
            assert!(page.copy_lines_at(&source, SOURCE, 1, 1, 0).is_err());
            assert!(page.copy_lines_at(&source, SOURCE, 1, 1, 7).is_err());
        }
        assert_eq!(journal_sources(&journal).unwrap(), vec![SOURCE]);
        let mut replayed = before.clone();
        replay(
            &mut replayed,
            PAGE_NUMBER,
            &journal,
            false,
            &[(SOURCE, &source)],
        )
        .unwrap();
        assert_eq!(replayed, target, "{page_size}");
        // A journal cut inside the entry is a corrupt log.
        let error = replay(
            &mut before.clone(),
            PAGE_NUMBER,
            &journal[..journal.len() - 1],
            false,
            &[(SOURCE, &source)],
        )
        .unwrap_err();
        assert_eq!(error.code(), JET_errLogFileCorrupt);
    }
}

/// Lines copied into a page whose free space lies in holes (lines deleted
/// in its middle) are what inserting them one by one would give: the same
/// lines in the same order, one reorganization making the room, and a
/// journal that makes the same bytes again.
#[test]
fn lines_copied_into_a_page_with_holes_match_inserting_them_one_by_one() {
    const SOURCE: u32 = 11;
    for page_size in PAGE_SIZES {
        let mut source = vec![0u8; page_size];
        {
            let mut page = PageMut::init(&mut source, SOURCE, 5, leaf(), 1).unwrap();
            for i in 0..10u8 {
                let size = page_size / 50 + usize::from(i);
                page.insert_line(usize::from(i) + 1, &bytes(size, i), i % 4)
                    .unwrap();
            }
        }
        // A target nearly full of lines, then every other one deleted: the
        // room is there, but not after the used area.
        let mut target = vec![0u8; page_size];
        {
            let mut page = PageMut::init(&mut target, PAGE_NUMBER, 5, leaf(), 1).unwrap();
            // Lines as large as the page allows a hundred of (large pages
            // hold fewer lines than their bytes would).
            let size = page_size / 100;
            let mut i = 0u8;
            while page.can_insert(size + TAG_SIZE * 2) {
                page.insert_line(page.line_count(), &bytes(size, i), 0)
                    .unwrap();
                i = i.wrapping_add(1);
            }
            // The last line stays: it holds the end of the used area.
            let mut index = page.line_count() - 2;
            while index >= 1 {
                page.delete_line(index).unwrap();
                index = index.saturating_sub(2);
            }
        }
        let copied = 1..9;
        let needed: usize = {
            let page = PageMut::open(&mut source.clone(), SOURCE)
                .map(|p| lines_of(&p))
                .unwrap();
            page[copied.clone()]
                .iter()
                .map(|(l, _)| l.len() + TAG_SIZE)
                .sum()
        };
        let before = target.clone();
        let at = {
            let page = PageMut::open(&mut target, PAGE_NUMBER).unwrap();
            assert!(
                page.contiguous_free_bytes() < needed,
                "{page_size}: no hole to fill ({} contiguous, {needed} needed, {} lines)",
                page.contiguous_free_bytes(),
                page.line_count()
            );
            assert!(page.available_bytes() >= needed, "{page_size}");
            page.line_count() / 2
        };
        // One by one, on a copy.
        let mut one_by_one = before.clone();
        {
            let mut page = PageMut::open(&mut one_by_one, PAGE_NUMBER).unwrap();
            let from = PageMut::open(&mut source.clone(), SOURCE)
                .map(|p| lines_of(&p))
                .unwrap();
            for (offset, (line, flags)) in from[copied.clone()].iter().enumerate() {
                // The stored bytes carry the flags on large pages: the
                // insert puts them back as they were.
                page.insert_line(at + offset, line, *flags).unwrap();
            }
        }
        let mut journal = Vec::new();
        {
            let mut page = PageMut::open(&mut target, PAGE_NUMBER)
                .unwrap()
                .with_journal(Some(&mut journal));
            page.copy_lines_at(&source, SOURCE, copied.start, copied.len(), at)
                .unwrap();
            let expected = PageMut::open(&mut one_by_one, PAGE_NUMBER)
                .map(|p| lines_of(&p))
                .unwrap();
            assert_eq!(lines_of(&page), expected, "{page_size}");
            check_layout(&page);
        }
        let mut replayed = before.clone();
        replay(
            &mut replayed,
            PAGE_NUMBER,
            &journal,
            false,
            &[(SOURCE, &source)],
        )
        .unwrap();
        assert_eq!(replayed, target, "{page_size}");
    }
}

/// Deleting many lines at once leaves the page and the journal byte for
/// byte as deleting them one by one does: lines from the end of the used
/// area (the first free offset falls), from the middle, every line (the
/// page starts its data area afresh).
#[test]
fn deleting_lines_at_once_matches_deleting_them_one_by_one() {
    let seed = 0x5eed_0de1_u64;
    println!("seed {seed:#x}");
    let mut rng = ese_testkit::SeededRng::new(seed);
    for page_size in PAGE_SIZES {
        for round in 0..40 {
            let mut buffer = vec![0u8; page_size];
            {
                let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 5, leaf(), 1).unwrap();
                loop {
                    let len = 4 + rng.below(page_size / 40);
                    if !page.can_insert(len) {
                        break;
                    }
                    let at = 1 + rng.below(page.line_count());
                    page.insert_line(at, &bytes(len, round as u8), (rng.below(8) as u8) & 3)
                        .unwrap();
                    // Holes in the used area, now and then.
                    if rng.below(6) == 0 && page.line_count() > 2 {
                        page.delete_line(1 + rng.below(page.line_count() - 1))
                            .unwrap();
                    }
                }
            }
            let count = PageMut::open(&mut buffer.clone(), PAGE_NUMBER)
                .unwrap()
                .line_count();
            let gone: Vec<usize> = match round % 4 {
                // Every line.
                0 => (1..count).rev().collect(),
                // The last ones.
                1 => (count - (count - 1) / 2..count).rev().collect(),
                // The first ones.
                2 => (1..1 + (count - 1) / 2).rev().collect(),
                // Any.
                _ => (1..count).rev().filter(|_| rng.below(3) == 0).collect(),
            };
            let mut one_by_one = buffer.clone();
            let mut journal_one = Vec::new();
            {
                let mut page = PageMut::open(&mut one_by_one, PAGE_NUMBER)
                    .unwrap()
                    .with_journal(Some(&mut journal_one));
                for &index in &gone {
                    page.delete_line(index).unwrap();
                }
            }
            let mut at_once = buffer.clone();
            let mut journal_all = Vec::new();
            {
                let mut page = PageMut::open(&mut at_once, PAGE_NUMBER)
                    .unwrap()
                    .with_journal(Some(&mut journal_all));
                page.delete_lines(&gone).unwrap();
                check_layout(&page);
            }
            assert_eq!(at_once, one_by_one, "{page_size}, round {round}: {gone:?}");
            assert_eq!(journal_all, journal_one, "{page_size}, round {round}");
        }
    }
}

/// A list of lines to delete that is not strictly descending, names a
/// reserved line or one past the end is refused before anything changes.
#[test]
fn deleting_lines_refuses_a_bad_list_and_leaves_the_page() {
    let mut buffer = vec![0u8; 8192];
    let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 5, leaf(), 1).unwrap();
    for i in 1..6u8 {
        page.insert_line(usize::from(i), &bytes(10, i), 0).unwrap();
    }
    let before = page.as_bytes().to_vec();
    for bad in [&[3, 4][..], &[4, 4], &[6], &[3, 0], &[5, 2, 2]] {
        assert!(page.delete_lines(bad).is_err(), "{bad:?}");
        assert_eq!(page.as_bytes(), &before[..], "{bad:?} changed the page");
    }
}

#[test]
fn a_damaged_journal_is_a_corrupt_log_not_a_panic() {
    let mut buffer = vec![0u8; 8192];
    let mut journal = Vec::new();
    {
        let mut page =
            PageMut::init_journaled(&mut buffer, PAGE_NUMBER, 5, leaf(), 1, Some(&mut journal))
                .unwrap();
        page.insert_line(1, &bytes(40, 3), 0).unwrap();
    }
    // The initialization's entry is 17 bytes: kind, object id, flags, time.
    const INIT_ENTRY: usize = 17;
    for cut in 1..journal.len() {
        let mut target = vec![0u8; 8192];
        let result = replay(&mut target, PAGE_NUMBER, &journal[..cut], false, &[]);
        if cut == INIT_ENTRY {
            assert!(result.is_ok(), "a journal cut between two entries is whole");
        } else {
            assert_eq!(
                result.unwrap_err().code(),
                JET_errLogFileCorrupt,
                "cut at {cut}"
            );
        }
    }
    let mut unknown = journal.clone();
    unknown.push(0xee);
    let error = replay(&mut vec![0u8; 8192], PAGE_NUMBER, &unknown, false, &[]).unwrap_err();
    assert_eq!(error.code(), JET_errLogFileCorrupt);
}

// ---- real pages ----

/// Database page `number` of a corpus file (file page `number + 1`).
fn corpus_page(file: &[u8], page_size: usize, number: u32) -> Vec<u8> {
    let start = (number as usize + 1) * page_size;
    file[start..start + page_size].to_vec()
}

#[test]
fn a_real_page_takes_back_a_deleted_line() {
    let Some(path) = ese_testkit::corpus_file("basic.edb") else {
        return;
    };
    let file = std::fs::read(path).unwrap();
    // The catalog's root, database page 4, at file offset 5 * 4096.
    let mut buffer = corpus_page(&file, 4096, 4);
    let original = buffer.clone();
    let mut page = PageMut::open(&mut buffer, 4).unwrap();
    let lines = lines_of(&page);
    assert!(lines.len() >= 3, "the catalog root has lines");
    let index = lines.len() / 2;
    let (data, flags) = lines[index].clone();
    page.delete_line(index).unwrap();
    assert_eq!(page.line_count(), lines.len() - 1);
    page.insert_line(index, &data, flags).unwrap();
    assert_eq!(lines_of(&page), lines);
    check_layout(&page);
    // Only the line's place changed: header sizes are as Windows wrote them
    // unless the line moved to the end.
    let header = page.header();
    let windows = PageHeader::decode(&original, 4096).unwrap();
    assert_eq!(header.free_bytes, windows.free_bytes);
    assert_eq!(header.tag_state, windows.tag_state);
}

#[test]
fn every_corpus_page_opens_and_survives_edits() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    let seed = ese_testkit::test_seed("page_edit::every_corpus_page_opens_and_survives_edits");
    let mut rng = ese_testkit::SeededRng::new(seed);
    let mut edited = 0;
    for (name, page_size) in ese_testkit::CORPUS_DATABASES {
        let file = std::fs::read(dir.join(name)).unwrap();
        let pages = file.len() / page_size;
        for number in 1..(pages - 1) as u32 {
            let mut buffer = corpus_page(&file, page_size, number);
            if buffer.iter().all(|&b| b == 0) {
                continue;
            }
            let mut page = PageMut::open(&mut buffer, number)
                .unwrap_or_else(|e| panic!("{name} page {number}: {e}"));
            let lines = lines_of(&page);
            page.reorganize();
            assert_eq!(lines_of(&page), lines, "{name} page {number}");
            assert_eq!(page.contiguous_free_bytes(), page.free_bytes());
            check_layout(&page);
            if lines.len() > 1 {
                let index = 1 + rng.below(lines.len() - 1);
                let (data, flags) = lines[index].clone();
                page.delete_line(index).unwrap();
                page.insert_line(index, &data, flags).unwrap();
                // Replace with itself grown by a byte and back again.
                let mut longer = data.clone();
                longer.push(0xee);
                if page.can_replace(index, longer.len()) {
                    page.replace_line(index, &longer, flags).unwrap();
                    page.replace_line(index, &data, flags).unwrap();
                }
                assert_eq!(lines_of(&page), lines, "{name} page {number}");
                check_layout(&page);
                edited += 1;
            }
        }
    }
    assert!(edited > 100, "{edited} pages edited");
}

/// [`PageMut::delete_lines`] on pages as Windows wrote them gives the
/// bytes deleting the lines one by one gives.
#[test]
fn deleting_lines_at_once_on_real_pages_matches_one_by_one() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    let (mut compared, mut with_empty_lines) = (0, 0);
    for (name, page_size) in ese_testkit::CORPUS_DATABASES {
        let file = std::fs::read(dir.join(name)).unwrap();
        let pages = file.len() / page_size;
        for number in 1..(pages - 1) as u32 {
            let buffer = corpus_page(&file, page_size, number);
            if buffer.iter().all(|&b| b == 0) {
                continue;
            }
            let mut one_by_one = buffer.clone();
            let mut page = PageMut::open(&mut one_by_one, number).unwrap();
            let reserved = page.reserved_line_count();
            let count = page.line_count();
            if count <= reserved {
                continue;
            }
            if (reserved..count).any(|i| page.line(i).is_some_and(|(l, _)| l.is_empty())) {
                with_empty_lines += 1;
            }
            // Every other line, and the last ones.
            let gone: Vec<usize> = (reserved..count)
                .rev()
                .filter(|i| i % 2 == 0 || *i + 3 >= count)
                .collect();
            for &index in &gone {
                page.delete_line(index).unwrap();
            }
            let mut at_once = buffer.clone();
            PageMut::open(&mut at_once, number)
                .unwrap()
                .delete_lines(&gone)
                .unwrap();
            assert_eq!(at_once, one_by_one, "{name} page {number}");
            compared += 1;
        }
    }
    println!("{compared} pages compared, {with_empty_lines} with empty lines");
    assert!(compared > 100, "{compared} pages compared");
}

/// The free-byte sum ESE checks, recomputed from the tags.
fn accounting_holds(page: &PageMut<'_>) -> bool {
    let count = page.line_count();
    let line_bytes: usize = (0..count).map(|i| page.place(i).size).sum();
    page.free_bytes() + line_bytes + TAG_SIZE * count == data_area(page.page_size())
}

#[test]
fn damaged_pages_are_refused_or_stay_consistent_under_edits() {
    let seed = ese_testkit::test_seed("page_edit::damaged_pages_are_refused_or_stay_consistent");
    for page_size in PAGE_SIZES {
        let header = header_size(page_size);
        // Damage aimed at the fields editing relies on: the header's size
        // fields, the tag array, the first line bytes; and anywhere.
        let position = prop_oneof![
            FREE_BYTES_AT..header,
            page_size - 64..page_size,
            header..header + 64,
            0..page_size,
        ];
        let damage = prop::collection::vec((position, any::<u8>()), 1..4);
        let strategy = (
            prop::collection::vec(op(page_size), 1..60),
            damage,
            prop::collection::vec(op(page_size), 1..60),
        );
        runner(seed, page_size, 256)
            .run(&strategy, |(build, damage, edits)| {
                let mut buffer = vec![0u8; page_size];
                let mut page = PageMut::init(&mut buffer, PAGE_NUMBER, 5, leaf(), 1).unwrap();
                let mut model = Model {
                    page_size,
                    lines: vec![(Vec::new(), 0)],
                    uncommitted: 0,
                };
                let coverage = Coverage::default();
                for op in &build {
                    step(&mut page, &mut model, op, &coverage)?;
                }
                for &(at, value) in &damage {
                    buffer[at] = value;
                }
                let Ok(mut page) = PageMut::open(&mut buffer, PAGE_NUMBER) else {
                    return Ok(());
                };
                prop_assert!(accounting_holds(&page));
                for op in &edits {
                    let lines = lines_of(&page);
                    let _ = match op {
                        Op::Insert {
                            at,
                            len,
                            seed,
                            flags,
                        } => {
                            let index = at.index(page.line_count() + 2);
                            page.insert_line(index, &bytes(*len, *seed), *flags)
                        }
                        Op::Replace {
                            at,
                            len,
                            seed,
                            flags,
                        } => {
                            let index = at.index(page.line_count() + 1);
                            page.replace_line(index, &bytes(*len, *seed), *flags)
                        }
                        Op::Delete { at } => page.delete_line(at.index(page.line_count() + 1)),
                        Op::SetExternalHeader { len, seed } => {
                            page.set_external_header(&bytes(*len, *seed))
                        }
                        Op::SetFlags { at, flags } => {
                            page.set_line_flags(at.index(page.line_count() + 1), *flags)
                        }
                        Op::SetUncommitted { per_mille } => {
                            page.set_uncommitted_free_bytes(page.free_bytes() * per_mille / 1000)
                        }
                        Op::Reorganize => {
                            page.reorganize();
                            prop_assert_eq!(lines_of(&page), lines);
                            Ok(())
                        }
                    };
                    prop_assert!(
                        Page::parse(page.as_bytes(), PAGE_NUMBER).is_ok(),
                        "{:?} broke the page",
                        op
                    );
                    prop_assert!(accounting_holds(&page));
                }
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{page_size}-byte pages: {failure}"));
    }
}
