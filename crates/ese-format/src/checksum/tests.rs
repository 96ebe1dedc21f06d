//! Tests of the page checksums: ESE's known answers, the corpus, repair.
use super::*;

const FLAG: usize = NEW_FORMAT_FLAG_BIT;

fn flip(page: &mut [u8], bit: usize) {
    page[bit / 8] ^= 1 << (bit % 8);
}

fn stamped(mut page: Vec<u8>, kind: PageKind, pgno: u32) -> Vec<u8> {
    set_page_checksum(&mut page, kind, pgno).unwrap();
    assert_eq!(check_page(&page, kind, pgno), Ok(ChecksumOutcome::Valid));
    page
}

/// Deterministic pseudo-random bytes (xorshift64*), no external crates.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn page(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Asserts that flipping `bit` of a valid new-format page is detected,
/// reported without modifying in read-only mode, and repaired exactly.
fn assert_bit_repairable(original: &[u8], pgno: u32, bit: usize) {
    let mut page = original.to_vec();
    flip(&mut page, bit);
    let corrupt = page.clone();
    let kind = PageKind::DatabasePage;
    assert_eq!(
        check_page(&page, kind, pgno),
        Ok(ChecksumOutcome::Correctable { bit, fixed: false }),
        "bit {bit} of a {} byte page",
        page.len()
    );
    assert_eq!(
        verify_page(&mut page, kind, pgno, false),
        Ok(ChecksumOutcome::Correctable { bit, fixed: false })
    );
    assert_eq!(page, corrupt);
    assert_eq!(
        verify_page(&mut page, kind, pgno, true),
        Ok(ChecksumOutcome::Correctable { bit, fixed: true })
    );
    assert!(page == original, "bit {bit} not restored");
}

/// Asserts that the corruption is detected and nothing is touched.
fn assert_mismatch(page: &[u8], kind: PageKind, pgno: u32, what: &str) {
    let mut copy = page.to_vec();
    let outcome = check_page(page, kind, pgno).unwrap();
    assert!(
        matches!(outcome, ChecksumOutcome::Mismatch { .. }),
        "{what}: {outcome:?}"
    );
    assert_eq!(verify_page(&mut copy, kind, pgno, true), Ok(outcome));
    assert!(copy == page, "{what}: page modified");
}

// ---- Known answers from ESE's own unit test (checksum_test.cxx) ----

#[test]
fn known_answer_small_pages() {
    // KnownPageUnitTest: bytes 0..4095 count up, the rest of 8 KiB is zero.
    let mut page = vec![0u8; 8192];
    for (i, b) in page.iter_mut().take(4096).enumerate() {
        *b = i as u8;
    }
    set_page_checksum(&mut page, PageKind::DatabasePage, 9876).unwrap();
    let sum = PageChecksum([0x0000_0000_0404_2290, 0, 0, 0]);
    assert_eq!(
        stored_checksum(&page, PageKind::DatabasePage, 9876),
        Ok(sum)
    );
    assert_eq!(
        expected_checksum(&page, PageKind::DatabasePage, 9876),
        Ok(sum)
    );
    assert_eq!(
        check_page(&page, PageKind::DatabasePage, 9876),
        Ok(ChecksumOutcome::Valid)
    );

    // A legacy data page stores its page number next to the XOR.
    page[0..4].copy_from_slice(&0x8912_3456u32.to_le_bytes());
    page[4..8].copy_from_slice(&0x1234_5678u32.to_le_bytes());
    assert_eq!(
        stored_checksum(&page, PageKind::DatabasePage, 0),
        Ok(PageChecksum([0x1234_5678_8912_3456, 0, 0, 0]))
    );

    set_page_checksum(&mut page, PageKind::DatabaseHeader, 0).unwrap();
    let header = PageChecksum([0x9f9b_9f93, 0, 0, 0]);
    assert_eq!(
        stored_checksum(&page, PageKind::DatabaseHeader, 0),
        Ok(header)
    );
    assert_eq!(
        expected_checksum(&page, PageKind::DatabaseHeader, 0),
        Ok(header)
    );
    assert_eq!(
        &page[4..8],
        &0x1234_5678u32.to_le_bytes(),
        "header stamp writes 4 bytes"
    );
}

#[test]
fn known_answer_large_pages() {
    let pgno = 0x9876_5431;
    let kind = PageKind::DatabasePage;
    let mut page: Vec<u8> = (0..32768usize).map(|i| (i + i / 13) as u8).collect();

    // 32 KiB: four 8 KiB blocks.
    set_page_checksum(&mut page, kind, pgno).unwrap();
    let sum32 = PageChecksum([
        0xf9ce_0631_47b6_b865,
        0x69af_69af_cdd5_90e4,
        0x7709_88f6_2ea1_a9e2,
        0x7cb7_7cb7_7b83_9a0e,
    ]);
    assert_eq!(expected_checksum(&page, kind, pgno), Ok(sum32));
    assert_eq!(stored_checksum(&page, kind, pgno), Ok(sum32));
    let good = page.clone();

    // One bit in each block, the first one inside block 1's stored sum:
    // all four are repaired, the first is reported.
    let bits = [8 * 40 + 1, 8 * 8192 + 2, 8 * 16384 + 3, 8 * 24576 + 4];
    for &b in &bits {
        flip(&mut page, b);
    }
    assert_eq!(
        verify_page(&mut page, kind, pgno, true),
        Ok(ChecksumOutcome::Correctable {
            bit: bits[0],
            fixed: true
        })
    );
    assert!(page == good);

    // Without repair, each remaining bad block is reported in turn.
    for &b in &bits {
        flip(&mut page, b);
    }
    for &b in &bits {
        assert_eq!(
            verify_page(&mut page, kind, pgno, false),
            Ok(ChecksumOutcome::Correctable {
                bit: b,
                fixed: false
            })
        );
        flip(&mut page, b);
    }
    assert_eq!(check_page(&page, kind, pgno), Ok(ChecksumOutcome::Valid));

    // 16 KiB, stamped over the first half of the 32 KiB page: 4 KiB blocks.
    let mut half = page[..16384].to_vec();
    set_page_checksum(&mut half, kind, pgno).unwrap();
    let sum16 = PageChecksum([
        0x7b80_7b80_651e_03fc,
        0x7c34_7c34_bc66_a14b,
        0x6c7e_6c7e_cb3a_6c94,
        0x05d1_05d1_9e99_a841,
    ]);
    assert_eq!(expected_checksum(&half, kind, pgno), Ok(sum16));
    let good16 = half.clone();
    let bits16 = [8 * 40 + 1, 8 * 4096 + 2, 8 * 8192 + 3, 8 * 12288 + 4];
    for &b in &bits16 {
        flip(&mut half, b);
    }
    assert_eq!(
        verify_page(&mut half, kind, pgno, true),
        Ok(ChecksumOutcome::Correctable {
            bit: bits16[0],
            fixed: true
        })
    );
    assert!(half == good16);

    // 28 KiB "dehydrated" page (three 8 KiB blocks and a 4 KiB one). Not a
    // public page size, but it pins down the block layout rule.
    page[..16384].copy_from_slice(&half);
    let mut dehydrated = page[..28672].to_vec();
    stamp(&mut dehydrated, kind, pgno);
    let sum28 = PageChecksum([
        0xf9d8_0627_e9c2_387e,
        0x69af_69af_cdd5_90e4,
        0x7709_88f6_2ea1_a9e2,
        0x1f31_1f31_b671_7993,
    ]);
    assert_eq!(computed(&dehydrated, kind, pgno, Pristine), sum28);
    assert_eq!(stored(&dehydrated, kind, Pristine), sum28);
    let good28 = dehydrated.clone();
    for &b in &bits {
        flip(&mut dehydrated, b);
    }
    match judge(&dehydrated, kind, pgno) {
        Judgement::Repairable(repair) => {
            assert_eq!(repair.first_bit, bits[0]);
            assert_eq!(repair.flips.bits().collect::<Vec<_>>(), bits);
            for b in repair.flips.bits() {
                flip(&mut dehydrated, b);
            }
        }
        _ => panic!("28 KiB page should be repairable"),
    }
    assert!(dehydrated == good28);
}

#[test]
fn ese_single_bit_cases() {
    // TestFixOnePage / TestFailToFixOnePage / TestCorruptOnePage, over
    // random page contents.
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..5 {
        let p8 = stamped(rng.page(8192), PageKind::DatabasePage, 9876);
        for bit in [100, 129, 3097, 8192 * 8 - 1] {
            assert_bit_repairable(&p8, 9876, bit);
        }
        let p4 = stamped(rng.page(4096), PageKind::DatabasePage, 9876);
        for bit in [64, 29000, 30009, 4096 * 8 - 1, (rng.below(4000) + 40) * 8] {
            assert_bit_repairable(&p4, 9876, bit);
        }
        let p32 = stamped(rng.page(32768), PageKind::DatabasePage, 9876);
        for _ in 0..16 {
            let bit = rng.below(32768 - 40) * 8 + 40 * 8 + rng.below(8);
            assert_bit_repairable(&p32, 9876, bit);
        }

        // Not repairable: the first block's own checksum and the flag.
        for (len, bit) in [(8192, 0), (8192, FLAG), (4096, 1), (4096, FLAG)] {
            let mut page = stamped(rng.page(len), PageKind::DatabasePage, 888_888);
            flip(&mut page, bit);
            assert_mismatch(&page, PageKind::DatabasePage, 888_888, "checksum/flag bit");
        }
        // Header pages have no ECC.
        for (len, bit) in [
            (8192, 100),
            (8192, 3097),
            (8192, FLAG),
            (8192, 65535),
            (4096, 29000),
            (4096, FLAG),
        ] {
            let mut page = stamped(rng.page(len), PageKind::DatabaseHeader, 0);
            flip(&mut page, bit);
            assert_mismatch(&page, PageKind::DatabaseHeader, 0, "header bit");
        }
        // Many bits of one word.
        for (len, kind) in [
            (8192, PageKind::DatabasePage),
            (8192, PageKind::DatabaseHeader),
            (4096, PageKind::DatabasePage),
            (4096, PageKind::DatabaseHeader),
        ] {
            let mut page = stamped(rng.page(len), kind, 1);
            let word = 365 * 4;
            let old = u32::from_le_bytes(page[word..word + 4].try_into().unwrap());
            let new = if len == 4096 { old ^ 0x0bad_f00d } else { !old };
            page[word..word + 4].copy_from_slice(&new.to_le_bytes());
            assert_mismatch(&page, kind, 1, "word corruption");
        }
    }
}

#[test]
fn every_size_every_probe_bit() {
    // ExtensiveKnownPageUnitTest: counting bytes, the first 46 bytes of the
    // header block and the first 8 of every other block, each bit flipped.
    for len in PAGE_SIZES {
        let mut page: Vec<u8> = (0..len).map(|i| i as u8).collect();
        set_page_checksum(&mut page, PageKind::DatabasePage, 1234).unwrap();
        let bl = block_len(len);
        let probes: Vec<usize> = (0..len / bl)
            .flat_map(|b| {
                let n = if b == 0 { 46 } else { 8 };
                (b * bl * 8..(b * bl + n) * 8).collect::<Vec<_>>()
            })
            .collect();
        for &bit in &probes {
            if bit < 64 || bit == FLAG {
                let mut bad = page.clone();
                flip(&mut bad, bit);
                assert_mismatch(&bad, PageKind::DatabasePage, 1234, "probe");
            } else {
                assert_bit_repairable(&page, 1234, bit);
            }
        }
        // Two probe bits: repairable only when both are repairable and in
        // different blocks (each block corrects one bit).
        for (i, &b1) in probes.iter().enumerate().step_by(7) {
            for &b2 in probes.iter().skip(i + 1).step_by(5) {
                let mut bad = page.clone();
                flip(&mut bad, b1);
                flip(&mut bad, b2);
                let fixable = |b: usize| b >= 64 && b != FLAG;
                if fixable(b1) && fixable(b2) && b1 / (bl * 8) != b2 / (bl * 8) {
                    assert_eq!(
                        verify_page(&mut bad, PageKind::DatabasePage, 1234, true),
                        Ok(ChecksumOutcome::Correctable {
                            bit: b1,
                            fixed: true
                        })
                    );
                    assert!(bad == page);
                } else {
                    assert_mismatch(&bad, PageKind::DatabasePage, 1234, "two bits");
                }
            }
        }
    }
}

#[test]
fn kernels_match_the_plain_definitions() {
    // Straightforward restatements of ESE's portable kernels, 32 bits and
    // one row at a time, against the 64-bit-at-a-time ones.
    fn legacy_plain(page: &[u8]) -> u32 {
        page.chunks_exact(4).skip(1).fold(LEGACY_SEED, |acc, c| {
            acc ^ u32::from_le_bytes(c.try_into().unwrap())
        })
    }
    fn ecc_plain(block: &[u8], header: bool, pgno: u32) -> u64 {
        let rows = (block.len() / 4) as u32;
        let (mut cols, mut p, mut q) = (0u32, 0u32, 0u32);
        for (i, c) in block.chunks_exact(4).enumerate() {
            let i = i as u32;
            let row = if header && i < 2 {
                0
            } else {
                u32::from_le_bytes(c.try_into().unwrap())
            };
            cols ^= row;
            if row.count_ones() % 2 == 1 {
                p ^= i;
                q ^= !i;
            }
        }
        let (mut r, mut s) = (0u32, 0u32);
        for j in 0..32 {
            if cols & (1 << j) != 0 {
                r ^= j;
                s ^= !j;
            }
        }
        let ecc = ((q & (rows - 1)) << 21) | ((s & 31) << 16) | ((p & (rows - 1)) << 5) | (r & 31);
        (u64::from(ecc) << 32) | u64::from(cols ^ pgno)
    }
    let mut rng = Rng(42);
    for len in PAGE_SIZES {
        for _ in 0..4 {
            let page = rng.page(len);
            let pgno = rng.next() as u32;
            assert_eq!(legacy_xor(&page, Pristine), legacy_plain(&page));
            for (i, (start, bl)) in blocks(len).enumerate() {
                assert_eq!(
                    ecc_block(&page, start, bl, i == 0, pgno, Pristine),
                    ecc_plain(&page[start..start + bl], i == 0, pgno)
                );
            }
        }
    }
}

// ---- Formats and page numbers ----

#[test]
fn legacy_pages() {
    let mut rng = Rng(7);
    for len in PAGE_SIZES {
        let mut page = rng.page(len);
        page[FLAG / 8] &= !(1 << (FLAG % 8));
        if is_large(len) {
            page[40..64].fill(0);
        }
        // The page number is part of the page (and of its XOR) before the
        // checksum is computed.
        let pgno: u32 = 77;
        page[4..8].copy_from_slice(&pgno.to_le_bytes());
        let sum = expected_checksum(&page, PageKind::DatabasePage, pgno).unwrap();
        assert_eq!(sum.0[0] >> 32, u64::from(pgno), "legacy sums carry pgno");
        page[0..8].copy_from_slice(&sum.0[0].to_le_bytes());
        assert_eq!(
            check_page(&page, PageKind::DatabasePage, pgno),
            Ok(ChecksumOutcome::Valid)
        );
        assert_mismatch(&page, PageKind::DatabasePage, pgno + 1, "legacy pgno");

        for _ in 0..64 {
            let mut bad = page.clone();
            let bit = rng.below(len * 8);
            flip(&mut bad, bit);
            assert_mismatch(&bad, PageKind::DatabasePage, pgno, "legacy bit");
        }

        // Writing converts to the new format, as ESE does.
        let mut written = page.clone();
        set_page_checksum(&mut written, PageKind::DatabasePage, pgno).unwrap();
        assert_ne!(written[FLAG / 8] & (1 << (FLAG % 8)), 0);
        assert_eq!(
            check_page(&written, PageKind::DatabasePage, pgno),
            Ok(ChecksumOutcome::Valid)
        );
    }
}

#[test]
fn wrong_page_number() {
    let mut rng = Rng(99);
    for len in PAGE_SIZES {
        let page = stamped(rng.page(len), PageKind::DatabasePage, 5000);
        for other in [0, 4999, 5001, 5000 ^ 0x8000_0000, u32::MAX] {
            assert_mismatch(&page, PageKind::DatabasePage, other, "pgno");
        }
        // Headers carry no page number.
        let header = stamped(rng.page(len), PageKind::DatabaseHeader, 0);
        assert_eq!(
            check_page(&header, PageKind::DatabaseHeader, 12),
            Ok(ChecksumOutcome::Valid)
        );
        // A data page does not pass as a header, nor the reverse.
        assert_mismatch(&page, PageKind::DatabaseHeader, 0, "data as header");
        assert_mismatch(&header, PageKind::DatabasePage, 1, "header as data");
    }
}

#[test]
fn totality() {
    for len in [
        0, 1, 7, 8, 1024, 2047, 2049, 4095, 4097, 12288, 28672, 65536,
    ] {
        let mut page = vec![0xa5u8; len];
        let err = Err(ChecksumError::UnsupportedPageSize(len));
        assert_eq!(expected_checksum(&page, PageKind::DatabasePage, 1), err);
        assert_eq!(stored_checksum(&page, PageKind::DatabaseHeader, 1), err);
        assert_eq!(
            check_page(&page, PageKind::DatabasePage, 1),
            err.map(|_| ChecksumOutcome::Valid)
        );
        assert_eq!(
            verify_page(&mut page, PageKind::DatabasePage, 1, true),
            err.map(|_| ChecksumOutcome::Valid)
        );
        assert_eq!(
            set_page_checksum(&mut page, PageKind::DatabasePage, 1),
            err.map(|_| ())
        );
        assert!(page.iter().all(|&b| b == 0xa5));
    }
    assert!(ChecksumError::UnsupportedPageSize(3)
        .to_string()
        .contains('3'));

    // Internal helpers stay total on sizes the public API refuses.
    for len in [0, 3, 8, 12, 4100, 40000] {
        let mut page = vec![0xffu8; len];
        let _ = judge(&page, PageKind::DatabasePage, 3);
        stamp(&mut page, PageKind::DatabasePage, 3);
        stamp(&mut page, PageKind::DatabaseHeader, 3);
    }

    // Random pages, random flag states: never a panic, and a repair
    // always leaves a page that verifies.
    let mut rng = Rng(0xdead_beef);
    for _ in 0..200 {
        let len = PAGE_SIZES[rng.below(PAGE_SIZES.len())];
        let mut page = rng.page(len);
        let kind = if rng.next() & 1 == 0 {
            PageKind::DatabasePage
        } else {
            PageKind::DatabaseHeader
        };
        let pgno = rng.next() as u32;
        if rng.next() & 1 == 0 {
            set_page_checksum(&mut page, kind, pgno).unwrap();
            for _ in 0..rng.below(3) {
                let bit = rng.below(len * 8);
                flip(&mut page, bit);
            }
        }
        let read_only = check_page(&page, kind, pgno).unwrap();
        let before = page.clone();
        match verify_page(&mut page, kind, pgno, true).unwrap() {
            ChecksumOutcome::Correctable { bit, fixed: true } => {
                assert_eq!(
                    read_only,
                    ChecksumOutcome::Correctable { bit, fixed: false }
                );
                assert_eq!(check_page(&page, kind, pgno), Ok(ChecksumOutcome::Valid));
            }
            other => {
                assert_eq!(other, read_only);
                assert!(page == before);
            }
        }
    }
    assert!(is_uninitialized_page(&[0; 4096]));
    assert!(!is_uninitialized_page(&[0, 0, 1, 0]));
}

// ---- The Windows-written corpus ----

/// The corpus files as (name, page size, bytes), or None when absent.
fn corpus() -> Option<Vec<(&'static str, usize, Vec<u8>)>> {
    let dir = ese_testkit::corpus_dir()?;
    let files = ese_testkit::CORPUS_DATABASES
        .iter()
        .map(|&(name, expected_size)| {
            let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let page_size = u32::from_le_bytes(bytes[236..240].try_into().unwrap()) as usize;
            assert_eq!(page_size, expected_size, "{name}");
            assert_eq!(bytes.len() % page_size, 0, "{name}");
            (name, page_size, bytes)
        })
        .collect();
    Some(files)
}

/// How `eseutil /k` sees file page `index` of `count`: kind and pgno.
fn role(index: usize, count: usize, page: &[u8]) -> (PageKind, u32) {
    let dword = |i: usize| u32::from_le_bytes(page[4 * i..4 * i + 4].try_into().unwrap());
    let trailer = index + 1 == count && [1, 2, 3, 6].iter().all(|&i| dword(i) == 0);
    if index < 2 || trailer {
        (PageKind::DatabaseHeader, 0)
    } else {
        (PageKind::DatabasePage, index as u32 - 1)
    }
}

/// The initialized pages of a corpus file with their kind and pgno.
fn pages(page_size: usize, bytes: &[u8]) -> impl Iterator<Item = (&[u8], PageKind, u32)> {
    let count = bytes.len() / page_size;
    bytes
        .chunks_exact(page_size)
        .enumerate()
        .filter(|(_, page)| !is_uninitialized_page(page))
        .map(move |(i, page)| {
            let (kind, pgno) = role(i, count, page);
            (page, kind, pgno)
        })
}

#[test]
fn corpus_pages_all_verify() {
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        let (mut data, mut headers) = (0, 0);
        for (page, kind, pgno) in pages(*page_size, bytes) {
            assert_eq!(
                check_page(page, kind, pgno),
                Ok(ChecksumOutcome::Valid),
                "{name} pgno {pgno} {kind:?}"
            );
            match kind {
                PageKind::DatabaseHeader => headers += 1,
                PageKind::DatabasePage => {
                    assert!(has_new_format(page, kind, Pristine), "{name} pgno {pgno}");
                    data += 1;
                }
            }
        }
        assert_eq!(headers, 2, "{name}");
        assert!(data > 0, "{name}");
        println!("{name}: {headers} header and {data} data pages verified");
    }
}

#[test]
fn corpus_pages_restamp_identically() {
    let Some(files) = corpus() else { return };
    for (name, page_size, bytes) in &files {
        for (page, kind, pgno) in pages(*page_size, bytes) {
            let mut copy = page.to_vec();
            match kind {
                PageKind::DatabaseHeader => copy[0..4].fill(0),
                PageKind::DatabasePage => {
                    copy[0..8].fill(0);
                    if is_large(copy.len()) {
                        copy[40..64].fill(0);
                    }
                }
            }
            set_page_checksum(&mut copy, kind, pgno).unwrap();
            assert!(copy == page, "{name} pgno {pgno} {kind:?}");
        }
    }
}

#[test]
fn corpus_single_and_double_bit_flips() {
    let Some(files) = corpus() else { return };
    let mut rng = Rng(2024);
    for (name, page_size, bytes) in &files {
        if !matches!(*name, "basic.edb" | "large.edb") {
            continue;
        }
        // The fullest data page of the file, and its first header.
        let (page, _, pgno) = pages(*page_size, bytes)
            .filter(|(_, kind, _)| *kind == PageKind::DatabasePage)
            .max_by_key(|(page, _, _)| page.iter().filter(|&&b| b != 0).count())
            .unwrap();
        let bl = block_len(*page_size);

        // Every bit of the first 64 bytes of each block (the stored
        // checksums, the flags, the extra checksums), plus a spread of
        // positions across the page and its last bit.
        let mut bits: Vec<usize> = (0..*page_size / bl)
            .flat_map(|b| b * bl * 8..(b * bl + 64) * 8)
            .collect();
        bits.extend((0..*page_size * 8).step_by(8 * 61 + 3));
        bits.push(*page_size * 8 - 1);
        for &bit in &bits {
            if bit < 64 || bit == FLAG {
                // The header block's own checksum and the format flag are
                // beyond ECC, as in ESE.
                let mut bad = page.to_vec();
                flip(&mut bad, bit);
                assert_mismatch(&bad, PageKind::DatabasePage, pgno, name);
            } else {
                assert_bit_repairable(page, pgno, bit);
            }
        }

        // Two bits in one block: never repairable.
        for _ in 0..200 {
            let block = rng.below(*page_size / bl);
            let b1 = block * bl * 8 + rng.below(bl * 8);
            let mut b2 = block * bl * 8 + rng.below(bl * 8);
            if b2 == b1 {
                b2 = block * bl * 8 + (b1 + 1) % (bl * 8);
            }
            let mut bad = page.to_vec();
            flip(&mut bad, b1);
            flip(&mut bad, b2);
            assert_mismatch(&bad, PageKind::DatabasePage, pgno, "two bits in a block");
        }
        // Two bits in different blocks of a large page: each block repairs
        // its own, as ESE does.
        if is_large(*page_size) {
            for _ in 0..50 {
                let b1 = 64 * 8 + rng.below(bl * 8 - 64 * 8);
                let b2 = bl * 8 * (1 + rng.below(*page_size / bl - 1)) + rng.below(bl * 8);
                let mut bad = page.to_vec();
                flip(&mut bad, b1);
                flip(&mut bad, b2);
                assert_eq!(
                    verify_page(&mut bad, PageKind::DatabasePage, pgno, true),
                    Ok(ChecksumOutcome::Correctable {
                        bit: b1,
                        fixed: true
                    })
                );
                assert!(bad == page);
            }
        }

        // Header pages have no ECC: every flip is a plain mismatch.
        let header = &bytes[..*page_size];
        for _ in 0..100 {
            let mut bad = header.to_vec();
            flip(&mut bad, rng.below(page_size * 8));
            assert_mismatch(&bad, PageKind::DatabaseHeader, 0, "header");
        }
        // The wrong page number never passes.
        assert_mismatch(page, PageKind::DatabasePage, pgno + 1, "pgno");
        assert_mismatch(page, PageKind::DatabasePage, pgno ^ 0x100, "pgno");
    }
}
