//! `PageHeader::decode`, `Page::parse`, node decoding and `encode_tag`.
//!
//! Input layout: a control byte, four bytes of page number, eight bytes of
//! tag index and five bytes of tag (offset, size, flags) for an arbitrary
//! `encode_tag` call, then the page body. Control bits:
//!
//! - bits 0-2: page size (one of the five, modulo 5); the body is cut or
//!   zero-padded to it;
//! - bit 3: put the second half of a short body at the end of the page, where
//!   the tag array is;
//! - bit 4: parse with the page number stored in a 16/32 KiB page's header
//!   instead of the one from the input.
//!
//! The tag index covers all of `usize`: an index beyond the page must be an
//! error, never a panic or a write elsewhere.

#![no_main]

use ese_format::page::{encode_tag, header_size, is_small_page, Page, PageHeader, Tag};
use ese_format_fuzz::{fit_page, page_size_from, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let control = input.u8();
    let claimed_number = input.u32();
    let edit_index = usize::try_from(input.u64()).unwrap_or(usize::MAX);
    let edit_tag = Tag {
        offset: input.u16(),
        size: input.u16(),
        flags: input.u8(),
        ..Tag::default()
    };
    let body = input.rest();
    let size = page_size_from(control & 0x07);

    // The header decoder takes any slice, short ones included.
    if let Err(error) = PageHeader::decode(body, size) {
        assert!(body.len() < header_size(size));
        let _ = error.to_string();
    }

    let bytes = fit_page(body, size, control & 0x08 != 0);
    let header = PageHeader::decode(&bytes, size).expect("a whole page has a header");
    assert_eq!(header.extended.is_some(), !is_small_page(size));
    let _ = (header.tag_count(), header.reserved_tag_count());
    let _ = format!("{:?} {}", header.flags, header.flags.names());

    // The header encodes back to the same bytes.
    let mut copy = bytes.clone();
    header
        .encode(&mut copy)
        .expect("a decoded header encodes into its page");
    assert_eq!(
        copy, bytes,
        "PageHeader encode(decode(page)) changed the page"
    );

    let page_number = match (control & 0x10 != 0, &header.extended) {
        (true, Some(extended)) => extended.page_number,
        _ => claimed_number,
    };
    let page = match Page::parse(&bytes, page_number) {
        Ok(page) => page,
        Err(error) => {
            let _ = error.to_string();
            // An arbitrary tag write on an unparsable page must not panic.
            let _ = encode_tag(&mut copy, edit_index, edit_tag);
            return;
        }
    };
    assert_eq!(page.header(), &header);
    assert_eq!(page.page_size(), size);
    assert_eq!(page.is_small(), is_small_page(size));
    assert!(std::ptr::eq(page.bytes(), bytes.as_slice()));

    // Every tag and line of a parsed page is readable.
    let tags: Vec<Tag> = page.tags().collect();
    assert_eq!(tags.len(), page.tag_count());
    for (index, tag) in tags.iter().enumerate() {
        assert_eq!(page.tag(index), Some(*tag));
        assert!(tag.flags <= 0x7, "tag {index}: flags {:#x}", tag.flags);
        let line = page
            .line(index)
            .unwrap_or_else(|| panic!("tag {index} ({tag:?}) has no line"));
        assert_eq!(line.len(), usize::from(tag.size));
    }
    assert_eq!(page.tag(tags.len()), None);
    assert_eq!(page.line(tags.len()), None);

    // Every node decodes or is reported corrupted; a decoded node's parts
    // lie within its line and the page's common key.
    let common = ese_format::node::common_key(&page);
    for index in 0..ese_format::node::node_count(&page) {
        if let Ok(node) = ese_format::node::node(&page, index) {
            let line = page.line(index + 1).expect("a node has its line");
            assert!(node.suffix.len() + node.data.len() <= line.len());
            assert!(node.prefix.len() <= common.len());
            let _ = (node.key(), node.child_page(), node.compare_key(b"key"));
        }
    }

    // Writing every tag back as it was read succeeds and leaves the page
    // byte for byte as it was.
    for (index, tag) in tags.iter().enumerate() {
        if let Err(error) = encode_tag(&mut copy, index, *tag) {
            panic!("re-encoding tag {index} ({tag:?}) failed: {error}");
        }
    }
    assert!(
        copy == bytes,
        "re-encoding the tags as read changed the page"
    );

    // An arbitrary tag write never panics; when it lands on a tag in use and
    // the page still parses, that tag reads back as written.
    if encode_tag(&mut copy, edit_index, edit_tag).is_ok() {
        if let Ok(edited) = Page::parse(&copy, page_number) {
            if edit_index < edited.tag_count() {
                assert_eq!(edited.tag(edit_index), Some(edit_tag));
            }
        }
    }
});
