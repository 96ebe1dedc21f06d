//! `elect_header` on arbitrary file prefixes.
//!
//! Input layout: one byte choosing the expected page size, one layout byte,
//! eight bytes of file size, then the bytes the prefix is made from. A random
//! page almost never has a valid checksum, so the layout byte can build the
//! two header pages and stamp their checksums to reach the election proper:
//!
//! - bits 0-2: page size of the built pages (one of the five, modulo 5);
//! - bit 3: the shadow page is a copy of the primary;
//! - bit 4: write the magic, format version and page size into both pages;
//! - bit 5: stamp the primary's checksum; bit 6: stamp the shadow's;
//! - bit 7: build the prefix as above (otherwise the bytes are the prefix).

#![no_main]

use ese_format::checksum::{check_page, set_page_checksum, ChecksumOutcome, PageKind, PAGE_SIZES};
use ese_format::constants::{DATABASE_MAGIC, FORMAT_VERSION};
use ese_format::header::{DatabaseHeader, MAGIC_OFFSET, PAGE_SIZE_OFFSET};
use ese_format::header_election::{elect_header, ShadowStatus, ELECTION_PREFIX};
use ese_format_fuzz::{fit_page, page_size_from, Input};
use libfuzzer_sys::fuzz_target;

fn put_u32(page: &mut [u8], offset: usize, value: u32) {
    page[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
}

fn build_prefix(layout: u8, body: &[u8]) -> Vec<u8> {
    let size = page_size_from(layout & 0x07);
    let (mut primary, mut shadow) = if layout & 0x08 != 0 {
        let page = fit_page(body, size, false);
        (page.clone(), page)
    } else {
        let (first, second) = body.split_at(body.len() / 2);
        (fit_page(first, size, false), fit_page(second, size, false))
    };
    for page in [&mut primary, &mut shadow] {
        if layout & 0x10 != 0 {
            put_u32(page, MAGIC_OFFSET, DATABASE_MAGIC);
            put_u32(page, MAGIC_OFFSET + 4, FORMAT_VERSION);
            put_u32(page, PAGE_SIZE_OFFSET, size as u32);
        }
    }
    if layout & 0x20 != 0 {
        set_page_checksum(&mut primary, PageKind::DatabaseHeader, 0).expect("valid page size");
    }
    if layout & 0x40 != 0 {
        set_page_checksum(&mut shadow, PageKind::DatabaseHeader, 0).expect("valid page size");
    }
    primary.extend_from_slice(&shadow);
    primary
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let expected_selector = input.u8();
    let layout = input.u8();
    let file_size = input.u64();
    let body = input.rest();

    let expected_page_size = match expected_selector % 8 {
        i @ 0..=4 => Some(PAGE_SIZES[usize::from(i)]),
        5 => None,
        6 => Some(0),
        _ => Some(usize::from(expected_selector)),
    };
    let prefix = if layout & 0x80 != 0 {
        build_prefix(layout, body)
    } else {
        body.to_vec()
    };

    let elected = match elect_header(&prefix, file_size, expected_page_size) {
        Ok(elected) => elected,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };

    // What an elected header promises.
    let page_size = elected.page_size;
    assert!(
        PAGE_SIZES.contains(&page_size),
        "elected page size {page_size}"
    );
    if let Some(expected) = expected_page_size {
        assert_eq!(expected, page_size, "page size mismatch not refused");
    }
    let index = match elected.status {
        ShadowStatus::PrimaryBad => 1,
        ShadowStatus::BothGood | ShadowStatus::ShadowBad => 0,
    };
    let usable = &prefix[..prefix.len().min(ELECTION_PREFIX)];
    let page = usable
        .get(index * page_size..(index + 1) * page_size)
        .expect("the elected copy lies inside the prefix");
    assert_eq!(
        check_page(page, PageKind::DatabaseHeader, 0),
        Ok(ChecksumOutcome::Valid),
        "the elected copy does not verify"
    );
    assert_eq!(
        DatabaseHeader::decode(page).as_ref().ok(),
        Some(&elected.header),
        "the elected header is not the elected copy's"
    );
    assert!(
        elected.header.validate().is_ok(),
        "an invalid header was elected"
    );
    assert_eq!(elected.header.effective_page_size(), page_size);
    if elected.status == ShadowStatus::BothGood {
        assert_eq!(
            usable.get(..page_size),
            usable.get(page_size..2 * page_size),
            "both copies called good but they differ"
        );
    }
});
