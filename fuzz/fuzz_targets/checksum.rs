//! Page checksums: `expected_checksum`, `stored_checksum`, `check_page`,
//! `verify_page` and `set_page_checksum`, for both page kinds.
//!
//! Input layout: a control byte, four bytes of page number, four bytes of bit
//! position, then the page body. Control bits:
//!
//! - bits 0-2: page size (one of the five, modulo 5); the body is cut or
//!   zero-padded to it;
//! - bit 3: put the second half of a short body at the end of the page;
//! - bit 4: stamp a valid checksum first, so that ECC repair is reached;
//! - bit 5: then flip the bit at the given position (modulo the page's bits).

#![no_main]

use ese_format::checksum::{
    check_page, expected_checksum, is_uninitialized_page, set_page_checksum, stored_checksum,
    verify_page, ChecksumOutcome, PageKind, PAGE_SIZES,
};
use ese_format_fuzz::{fit_page, page_size_from, Input};
use libfuzzer_sys::fuzz_target;

fn exercise(kind: PageKind, control: u8, pgno: u32, flip: u32, body: &[u8]) {
    // Buffers that are not pages are refused by every function.
    let supported = PAGE_SIZES.contains(&body.len());
    assert_eq!(check_page(body, kind, pgno).is_ok(), supported);
    assert_eq!(expected_checksum(body, kind, pgno).is_ok(), supported);
    assert_eq!(stored_checksum(body, kind, pgno).is_ok(), supported);
    let mut raw = body.to_vec();
    assert_eq!(verify_page(&mut raw, kind, pgno, true).is_ok(), supported);
    assert_eq!(set_page_checksum(&mut raw, kind, pgno).is_ok(), supported);

    let size = page_size_from(control & 0x07);
    let mut page = fit_page(body, size, control & 0x08 != 0);
    let mut pristine = None;
    if control & 0x10 != 0 {
        set_page_checksum(&mut page, kind, pgno).expect("a page of a valid size");
        assert_eq!(check_page(&page, kind, pgno), Ok(ChecksumOutcome::Valid));
        if control & 0x20 != 0 {
            pristine = Some(page.clone());
            let bit = flip as usize % (size * 8);
            page[bit / 8] ^= 1 << (bit % 8);
        }
    }

    let expected = expected_checksum(&page, kind, pgno).expect("valid size");
    let stored = stored_checksum(&page, kind, pgno).expect("valid size");
    let outcome = check_page(&page, kind, pgno).expect("valid size");
    assert_eq!(
        outcome == ChecksumOutcome::Valid,
        expected == stored,
        "{outcome:?} with expected {expected:?} and stored {stored:?}"
    );
    let _ = is_uninitialized_page(&page);

    // Verifying without correction is check_page and leaves the page alone.
    let mut copy = page.clone();
    assert_eq!(verify_page(&mut copy, kind, pgno, false), Ok(outcome));
    assert_eq!(copy, page, "verify_page(correct = false) changed the page");

    // Verifying with correction repairs exactly what check_page announced.
    let mut repaired = page.clone();
    let corrected = verify_page(&mut repaired, kind, pgno, true).expect("valid size");
    match outcome {
        ChecksumOutcome::Valid | ChecksumOutcome::Mismatch { .. } => {
            assert_eq!(corrected, outcome);
            assert_eq!(repaired, page, "a page that was not correctable changed");
        }
        ChecksumOutcome::Correctable { bit, fixed: false } => {
            assert_eq!(corrected, ChecksumOutcome::Correctable { bit, fixed: true });
            assert!(bit < size * 8, "bit {bit} outside a {size}-byte page");
            assert_ne!(repaired, page, "a correctable page was not changed");
            assert_eq!(
                check_page(&repaired, kind, pgno),
                Ok(ChecksumOutcome::Valid),
                "the repaired page does not verify"
            );
            if let Some(pristine) = &pristine {
                assert!(
                    *pristine == repaired,
                    "a single flipped bit was repaired wrongly"
                );
            }
        }
        ChecksumOutcome::Correctable { fixed: true, .. } => {
            panic!("check_page claims to have fixed the page")
        }
    }

    // Whatever the page held, stamping makes it verify.
    let mut stamped = page.clone();
    set_page_checksum(&mut stamped, kind, pgno).expect("valid size");
    assert_eq!(
        check_page(&stamped, kind, pgno),
        Ok(ChecksumOutcome::Valid),
        "a freshly stamped page does not verify"
    );
    assert_eq!(
        stored_checksum(&stamped, kind, pgno),
        expected_checksum(&stamped, kind, pgno)
    );
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let control = input.u8();
    let pgno = input.u32();
    let flip = input.u32();
    let body = input.rest();
    for kind in [PageKind::DatabaseHeader, PageKind::DatabasePage] {
        exercise(kind, control, pgno, flip, body);
    }
});
