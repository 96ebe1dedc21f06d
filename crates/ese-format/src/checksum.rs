//! Page checksums of ESE database files, bit-exact with the engine.
//!
//! Every page starts with a checksum that also binds the page to its page
//! number, so a read that returns the right bytes from the wrong place fails
//! verification. Three encodings exist on disk:
//!
//! * **Legacy XOR** (format revisions before 0x620.0x0b, and every database
//!   header page): the XOR of all 32-bit little-endian words after the first,
//!   seeded with `0x89abcdef`, stored in the first 4 bytes. A data page keeps
//!   its page number in the next 4 bytes, and that is compared as part of the
//!   checksum; header pages have no page number.
//! * **ECC + XOR** (data pages whose flags carry `0x2000`): a 64-bit value
//!   whose low half is the XOR of the words after the first 8 bytes, mixed
//!   with the page number, and whose high half is a Hsiao-style error code
//!   that names the position of any single flipped bit, so it can be repaired.
//! * **Extended ECC** (16 and 32 KiB data pages, always ECC): the page is cut
//!   into four blocks (4 KiB blocks for 16 KiB pages, 8 KiB blocks for 32 KiB
//!   pages, for compatibility with older engines) and each block gets its own
//!   ECC + XOR value. The first block's value sits in the usual place; the
//!   other three follow the 40-byte page header, inside the first block, so
//!   the first block's code also protects them.
//!
//! Everything here is a pure function of the bytes: no I/O, no allocation,
//! and no input can make it panic.
//!
//! Cross-reference to Microsoft's source: `ChecksumOldFormat`,
//! `ChecksumNewFormat`, `ComputePageChecksum`, `ChecksumAndPossiblyFixPage`,
//! `TryFixPage` and `SetPageChecksum` in `checksum.cxx` / `checksumu.cxx`.

use std::fmt;

/// What a page holds; ESE mixes this into the checksum so a header can't pass
/// as a data page.
///
/// Only data pages carry a page number or the ECC flag: a header page is
/// always checked with the legacy 32-bit XOR and its page number is ignored.
/// When scanning a file the way `eseutil /k` does, the first two pages are
/// headers (page number 0); file page `k >= 2` is data page `k - 1`; an
/// all-zero page is uninitialized rather than corrupt (see
/// [`is_uninitialized_page`]); and a last page whose 32-bit words 1, 2, 3 and
/// 6 are zero is a trailer, checked like a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    DatabaseHeader,
    DatabasePage,
}

/// Up to four 64-bit checksums (2/4/8 KiB pages use one; 16/32 KiB pages one
/// per block), or a legacy 32-bit XOR in the low half of the first.
///
/// For a legacy data page the first value is `pgno << 32 | xor`, matching the
/// 8 bytes stored on the page. Unused slots are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PageChecksum(pub [u64; 4]);

/// Why a checksum could not be computed at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumError {
    /// The buffer is not a page: only the sizes in [`PAGE_SIZES`] are.
    UnsupportedPageSize(usize),
}

impl fmt::Display for ChecksumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChecksumError::UnsupportedPageSize(len) => write!(
                f,
                "unsupported page size {len} bytes (ESE pages are 2, 4, 8, 16 or 32 KiB)"
            ),
        }
    }
}

impl std::error::Error for ChecksumError {}

/// The result of verifying one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChecksumOutcome {
    Valid,
    /// A single flipped bit was found by ECC; `bit` is its offset in bits from
    /// the page start (bit `b` is `1 << (b % 8)` of byte `b / 8`); `fixed`
    /// tells whether the buffer was repaired.
    ///
    /// On 16/32 KiB pages each block is repaired independently, as ESE does,
    /// so up to one bit per block may have been flipped back; `bit` is the
    /// first of them. This outcome is only reported when the repair makes the
    /// page verify.
    Correctable {
        bit: usize,
        fixed: bool,
    },
    /// The checksum stored on the page (`expected`, ESE's name) differs from
    /// the one computed from its contents (`actual`) and ECC cannot repair it.
    Mismatch {
        expected: PageChecksum,
        actual: PageChecksum,
    },
}

/// The page sizes ESE has ever written, in bytes.
pub use crate::constants::PAGE_SIZES;

/// Seed of the legacy XOR checksum.
const LEGACY_SEED: u32 = 0x89ab_cdef;

/// Bit offset, from the page start, of the "new checksum format" page flag
/// (`fPageNewChecksumFormat`, 0x2000 of the 32-bit flags at byte 36). It is
/// the only bit in the first block that ECC must never flip: flipping it
/// would change which algorithm judges the page.
const NEW_FORMAT_FLAG_BIT: usize = 36 * 8 + 13;

/// Byte offset of the three extra block checksums of 16/32 KiB pages, right
/// after the 40-byte small-page header (`PGHDR2::rgChecksum`).
const EXTRA_CHECKSUMS_OFFSET: usize = 40;

/// Largest page that is covered by a single ECC block.
const LARGEST_SMALL_PAGE: usize = 8192;

const MAX_BLOCKS: usize = 4;

/// `COLUMNS_WITH_INDEX_BIT[i]` selects the columns (bits of a 32-bit row)
/// whose index has bit `i` set.
const COLUMNS_WITH_INDEX_BIT: [u32; 5] = [
    0xaaaa_aaaa,
    0xcccc_cccc,
    0xf0f0_f0f0,
    0xff00_ff00,
    0xffff_0000,
];

/// The checksum ESE would store on this page, computed from its contents.
///
/// The new-format flag is read from the page itself, so a page whose flag was
/// flipped is judged by the other algorithm, exactly as ESE does.
///
/// # Errors
///
/// [`ChecksumError::UnsupportedPageSize`] unless `page.len()` is one of
/// [`PAGE_SIZES`].
pub fn expected_checksum(
    page: &[u8],
    kind: PageKind,
    pgno: u32,
) -> Result<PageChecksum, ChecksumError> {
    check_size(page)?;
    Ok(computed(page, kind, pgno, Pristine))
}

/// The checksum recorded on the page.
///
/// The page number plays no part in reading it; the parameter exists so that
/// every function of this module takes the same arguments. For 16/32 KiB data
/// pages all four slots are read whatever the flags say, as ESE does (a legacy
/// page of that size therefore verifies only if the extra slots are zero).
///
/// # Errors
///
/// [`ChecksumError::UnsupportedPageSize`] unless `page.len()` is one of
/// [`PAGE_SIZES`].
pub fn stored_checksum(
    page: &[u8],
    kind: PageKind,
    _pgno: u32,
) -> Result<PageChecksum, ChecksumError> {
    check_size(page)?;
    Ok(stored(page, kind, Pristine))
}

/// Verifies; when `correct` is true and ECC locates a single flipped bit,
/// flips it back in `page`.
///
/// A mismatch leaves the page untouched.
///
/// # Errors
///
/// [`ChecksumError::UnsupportedPageSize`] unless `page.len()` is one of
/// [`PAGE_SIZES`].
pub fn verify_page(
    page: &mut [u8],
    kind: PageKind,
    pgno: u32,
    correct: bool,
) -> Result<ChecksumOutcome, ChecksumError> {
    check_size(page)?;
    let outcome = judge(page, kind, pgno);
    if let (true, Judgement::Repairable(repair)) = (correct, &outcome) {
        for bit in repair.flips.bits() {
            if let Some(byte) = page.get_mut(bit / 8) {
                *byte ^= 1 << (bit % 8);
            }
        }
    }
    Ok(outcome.into_outcome(correct))
}

/// Read-only variant (never modifies): reports `Correctable { fixed: false }`
/// where ECC could repair.
///
/// # Errors
///
/// [`ChecksumError::UnsupportedPageSize`] unless `page.len()` is one of
/// [`PAGE_SIZES`].
pub fn check_page(
    page: &[u8],
    kind: PageKind,
    pgno: u32,
) -> Result<ChecksumOutcome, ChecksumError> {
    check_size(page)?;
    Ok(judge(page, kind, pgno).into_outcome(false))
}

/// Stamps the checksum as ESE does when it writes a page.
///
/// ESE writes every data page in the ECC format: it sets the page's
/// new-checksum-format flag before computing, so a legacy page comes out
/// converted. 16/32 KiB pages also get their three extra block checksums
/// written into the header, before the first block's checksum is computed
/// over them. A header page gets the legacy XOR in its first 4 bytes and
/// nothing else changes; its page number is ignored.
///
/// # Errors
///
/// [`ChecksumError::UnsupportedPageSize`] unless `page.len()` is one of
/// [`PAGE_SIZES`].
pub fn set_page_checksum(page: &mut [u8], kind: PageKind, pgno: u32) -> Result<(), ChecksumError> {
    check_size(page)?;
    stamp(page, kind, pgno);
    Ok(())
}

/// Whether the page was never written: every byte is zero. `eseutil /k`
/// counts such pages as uninitialized instead of checking them, since no
/// checksum could match.
#[must_use]
pub fn is_uninitialized_page(page: &[u8]) -> bool {
    page.iter().all(|&b| b == 0)
}

fn check_size(page: &[u8]) -> Result<(), ChecksumError> {
    if PAGE_SIZES.contains(&page.len()) {
        Ok(())
    } else {
        Err(ChecksumError::UnsupportedPageSize(page.len()))
    }
}

// ---------------------------------------------------------------------------
// Page geometry

/// Size of each ECC block. Pages up to 8 KiB are one block. Larger ones are
/// split in at most four: 16 KiB pages in 4 KiB blocks (ESE keeps this for
/// backward compatibility) and 32 KiB pages in 8 KiB blocks, the most the
/// ECC's 16-bit bit offset can address. Multiples of 4 KiB in between
/// (ESE's in-memory "dehydrated" pages) use the same rule and may end with a
/// 4 KiB block.
fn block_len(page_len: usize) -> usize {
    if page_len <= LARGEST_SMALL_PAGE {
        page_len
    } else if page_len <= 16384 {
        4096
    } else {
        8192
    }
}

fn is_large(page_len: usize) -> bool {
    page_len > LARGEST_SMALL_PAGE
}

/// `(start, len)` of each block, header block first.
fn blocks(page_len: usize) -> impl Iterator<Item = (usize, usize)> {
    let step = block_len(page_len).max(8);
    (0..page_len)
        .step_by(step)
        .map(move |start| (start, step.min(page_len - start)))
        .take(MAX_BLOCKS)
}

// ---------------------------------------------------------------------------
// Reading words, possibly through a proposed repair

/// A view of the page's 64-bit little-endian words. Repairs are judged through
/// a view with the candidate bits flipped, so the read-only path needs no
/// scratch copy of the page; the plain view compiles to a direct read.
trait View: Copy {
    fn word(self, index: usize, raw: u64) -> u64;
}

#[derive(Clone, Copy)]
struct Pristine;

impl View for Pristine {
    #[inline]
    fn word(self, _index: usize, raw: u64) -> u64 {
        raw
    }
}

/// Bit offsets (from the page start) to flip: at most one per block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Flips {
    bits: [usize; MAX_BLOCKS],
    count: usize,
}

impl Flips {
    fn push(&mut self, bit: usize) {
        if let Some(slot) = self.bits.get_mut(self.count) {
            *slot = bit;
            self.count += 1;
        }
    }

    fn bits(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().copied().take(self.count)
    }
}

impl View for &Flips {
    fn word(self, index: usize, raw: u64) -> u64 {
        // Bit b of the page is bit b % 64 of little-endian word b / 64.
        self.bits()
            .filter(|bit| bit / 64 == index)
            .fold(raw, |w, bit| w ^ (1u64 << (bit % 64)))
    }
}

fn le_u64(bytes: &[u8]) -> u64 {
    bytes.try_into().map_or(0, u64::from_le_bytes)
}

/// Word `index` of the page, or 0 past its end.
fn word_at<V: View>(page: &[u8], index: usize, view: V) -> u64 {
    let raw = index
        .checked_mul(8)
        .and_then(|start| page.get(start..start.checked_add(8)?))
        .map_or(0, le_u64);
    view.word(index, raw)
}

fn has_new_format<V: View>(page: &[u8], kind: PageKind, view: V) -> bool {
    kind == PageKind::DatabasePage
        && (word_at(page, NEW_FORMAT_FLAG_BIT / 64, view) >> (NEW_FORMAT_FLAG_BIT % 64)) & 1 == 1
}

// ---------------------------------------------------------------------------
// The two kernels

/// Legacy checksum: seed XOR every 32-bit word but the first (which holds the
/// checksum). Folding 64-bit words gives the same XOR with half the steps.
fn legacy_xor<V: View>(page: &[u8], view: V) -> u32 {
    let mut acc = page
        .chunks_exact(8)
        .enumerate()
        .fold(0u64, |acc, (i, chunk)| acc ^ view.word(i, le_u64(chunk)));
    // The first word went in once above; put it in again to cancel it out.
    acc ^= word_at(page, 0, view) & 0xffff_ffff;
    (acc as u32) ^ ((acc >> 32) as u32) ^ LEGACY_SEED
}

/// ECC + XOR checksum of one block.
///
/// The block is seen as a matrix of 32-bit rows. The XOR half is the parity of
/// each column, i.e. the XOR of all rows, mixed with `pgno`. The ECC half
/// holds, for the rows of odd parity, the XOR of their indices (`p`) and of
/// the complements of their indices (`q`); likewise for the columns of odd
/// parity (`r`, `s`). One flipped bit toggles the parity of exactly one row
/// and one column, so the stored and recomputed codes then differ by that
/// row's index in `p`, its complement in `q`, and the same for the column:
/// the difference spells the bit's position and `p ^ q`, `r ^ s` are all
/// ones. In the header block the first two rows (the checksum itself) count
/// as zero.
///
/// Layout of the ECC half, from the low bit: `r` (5 bits), `p`, `s` from
/// bit 16, `q` from bit 21; `p` and `q` keep log2(rows) bits.
fn ecc_block<V: View>(
    page: &[u8],
    start: usize,
    len: usize,
    header_block: bool,
    pgno: u32,
    view: V,
) -> u64 {
    let block = start
        .checked_add(len)
        .and_then(|end| page.get(start..end))
        .unwrap_or(&[]);
    let first_word = start / 8;

    let mut columns = 0u64;
    let mut p = 0u32;
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let w = if header_block && k == 0 {
            0
        } else {
            view.word(first_word + k, le_u64(chunk))
        };
        columns ^= w;

        // Parity of both 32-bit halves at once: fold each half onto its own
        // lowest bit (bit 0 and bit 32).
        let mut t = w ^ ((w >> 16) & 0x0000_ffff_0000_ffff);
        t ^= t >> 8;
        t ^= t >> 4;
        t ^= t >> 2;
        t ^= t >> 1;
        let low_odd = (t & 1) as u32;
        let high_odd = ((t >> 32) & 1) as u32;

        // Rows 2k (low half) and 2k+1 (high half): adding the indices of the
        // odd ones gives 2k if exactly one is odd, plus 1 if the high one is.
        let even_row = (k as u32) << 1;
        p ^= (even_row & 0u32.wrapping_sub(low_odd ^ high_odd)) ^ high_odd;
    }
    let columns = (columns as u32) ^ ((columns >> 32) as u32);

    // Column indices of the odd columns, XORed: bit i of the result is the
    // parity of the columns whose index has bit i set.
    let r = COLUMNS_WITH_INDEX_BIT
        .iter()
        .enumerate()
        .fold(0u32, |r, (i, mask)| {
            r | (((columns & mask).count_ones() & 1) << i)
        });

    // XORing complements instead of indices differs by all-ones once per odd
    // row (or column); the number of odd rows and odd columns both have the
    // parity of the whole block.
    let all_ones_if_odd = 0u32.wrapping_sub(columns.count_ones() & 1);
    let q = p ^ all_ones_if_odd;
    let s = r ^ all_ones_if_odd;

    let row_mask = ((len / 4) as u32).wrapping_sub(1);
    let ecc = ((q & row_mask) << 21) | ((s & 31) << 16) | ((p & row_mask) << 5) | (r & 31);
    (u64::from(ecc) << 32) | u64::from(columns ^ pgno)
}

// ---------------------------------------------------------------------------
// Page-level checksums

fn stored<V: View>(page: &[u8], kind: PageKind, view: V) -> PageChecksum {
    let first = word_at(page, 0, view);
    match kind {
        PageKind::DatabaseHeader => PageChecksum([first & 0xffff_ffff, 0, 0, 0]),
        PageKind::DatabasePage if !is_large(page.len()) => PageChecksum([first, 0, 0, 0]),
        PageKind::DatabasePage => {
            let extra = |i: usize| word_at(page, EXTRA_CHECKSUMS_OFFSET / 8 + i, view);
            PageChecksum([first, extra(0), extra(1), extra(2)])
        }
    }
}

fn computed<V: View>(page: &[u8], kind: PageKind, pgno: u32, view: V) -> PageChecksum {
    match kind {
        PageKind::DatabaseHeader => PageChecksum([u64::from(legacy_xor(page, view)), 0, 0, 0]),
        PageKind::DatabasePage if !has_new_format(page, kind, view) => PageChecksum([
            (u64::from(pgno) << 32) | u64::from(legacy_xor(page, view)),
            0,
            0,
            0,
        ]),
        PageKind::DatabasePage => {
            let mut sums = [0u64; MAX_BLOCKS];
            for ((i, (start, len)), slot) in blocks(page.len()).enumerate().zip(sums.iter_mut()) {
                *slot = ecc_block(page, start, len, i == 0, pgno, view);
            }
            PageChecksum(sums)
        }
    }
}

fn stamp(page: &mut [u8], kind: PageKind, pgno: u32) {
    match kind {
        PageKind::DatabaseHeader => {
            let sum = legacy_xor(page, Pristine);
            if let Some(slot) = page.get_mut(0..4) {
                slot.copy_from_slice(&sum.to_le_bytes());
            }
        }
        PageKind::DatabasePage => {
            if let Some(byte) = page.get_mut(NEW_FORMAT_FLAG_BIT / 8) {
                *byte |= 1 << (NEW_FORMAT_FLAG_BIT % 8);
            }
            let sums = computed(page, kind, pgno, Pristine);
            if is_large(page.len()) {
                // The extra checksums live inside the header block, so they
                // must be in place before the header block is summed.
                for (i, sum) in sums.0.iter().skip(1).enumerate() {
                    let at = EXTRA_CHECKSUMS_OFFSET + 8 * i;
                    if let Some(slot) = page.get_mut(at..at + 8) {
                        slot.copy_from_slice(&sum.to_le_bytes());
                    }
                }
            }
            let first = ecc_block(page, 0, block_len(page.len()), true, pgno, Pristine);
            if let Some(slot) = page.get_mut(0..8) {
                slot.copy_from_slice(&first.to_le_bytes());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Verification and ECC repair

struct Repair {
    first_bit: usize,
    flips: Flips,
}

enum Judgement {
    Valid,
    Repairable(Repair),
    Mismatch(PageChecksum, PageChecksum),
}

impl Judgement {
    fn into_outcome(self, fixed: bool) -> ChecksumOutcome {
        match self {
            Judgement::Valid => ChecksumOutcome::Valid,
            Judgement::Repairable(repair) => ChecksumOutcome::Correctable {
                bit: repair.first_bit,
                fixed,
            },
            Judgement::Mismatch(expected, actual) => ChecksumOutcome::Mismatch { expected, actual },
        }
    }
}

fn judge(page: &[u8], kind: PageKind, pgno: u32) -> Judgement {
    let expected = stored(page, kind, Pristine);
    let actual = computed(page, kind, pgno, Pristine);
    if expected == actual {
        return Judgement::Valid;
    }
    // Only the ECC format can locate errors; legacy and header pages can't.
    if !has_new_format(page, kind, Pristine) {
        return Judgement::Mismatch(expected, actual);
    }
    match plan_repair(page.len(), expected, actual) {
        // ECC's verdict rests on the checksums alone; a pattern of several
        // flips can imitate a single one. Only call the page correctable if
        // the repaired page really verifies (ESE would otherwise flip the bit
        // and still fail the read).
        Some(repair)
            if stored(page, kind, &repair.flips) == computed(page, kind, pgno, &repair.flips) =>
        {
            Judgement::Repairable(repair)
        }
        _ => Judgement::Mismatch(expected, actual),
    }
}

/// ESE's repair rule: walk the blocks in order; every block whose checksums
/// differ must show a single-bit error, or the page is beyond repair.
fn plan_repair(
    page_len: usize,
    mut expected: PageChecksum,
    actual: PageChecksum,
) -> Option<Repair> {
    let mut flips = Flips::default();
    for (i, (start, len)) in blocks(page_len).enumerate() {
        let (stored_sum, computed_sum) = (*expected.0.get(i)?, *actual.0.get(i)?);
        if stored_sum == computed_sum {
            continue;
        }
        let bit_in_block = single_bit_error(len, stored_sum, computed_sum)?;
        if i == 0 && bit_in_block == NEW_FORMAT_FLAG_BIT {
            return None;
        }
        let bit = start.saturating_mul(8).saturating_add(bit_in_block);

        // A flip inside the extra checksums of a large page corrupts the
        // stored sum of a later block as well: correct our copy so that block
        // is judged against what was really written.
        let extra_bits = EXTRA_CHECKSUMS_OFFSET * 8..(EXTRA_CHECKSUMS_OFFSET + 24) * 8;
        if i == 0 && is_large(page_len) && extra_bits.contains(&bit) {
            let offset = bit - extra_bits.start;
            if let Some(sum) = expected.0.get_mut(1 + offset / 64) {
                *sum ^= 1 << (offset % 64);
            }
        }
        flips.push(bit);
    }
    let first_bit = flips.bits().next()?;
    Some(Repair { first_bit, flips })
}

/// If the difference between stored and computed checksums of a `len`-byte
/// block is the signature of one flipped bit, its offset in the block.
fn single_bit_error(len: usize, stored_sum: u64, computed_sum: u64) -> Option<usize> {
    let diff = stored_sum ^ computed_sum;
    let ecc_diff = (diff >> 32) as u32;
    let xor_diff = diff as u32;

    // The low 16 bits (p, r) and high 16 bits (q, s) must be complements over
    // the bits this block size uses: log2(len * 8) of them.
    let block_bits = len.checked_mul(8)?;
    let used = u32::try_from(block_bits).ok()?.wrapping_sub(1);
    if ((ecc_diff >> 16) ^ ecc_diff) & used != used {
        return None;
    }
    // An extra guard from ESE: a single flip changes exactly one column.
    if xor_diff.count_ones() != 1 {
        return None;
    }
    let bit = (ecc_diff & 0xffff) as usize;
    (bit < block_bits).then_some(bit)
}

#[cfg(test)]
mod tests;
