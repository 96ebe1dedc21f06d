//! Windows sort keys for Unicode text (what `LCMapStringEx(locale,
//! LCMAP_SORTKEY | flags, ...)` returns), and the normalized key segment ESE
//! builds from them for a Unicode (code page 1200) text column.
//!
//! ESE orders Unicode text in an index by the bytes of the Windows sort key
//! of the value, so an engine that must seek in, or write to, an index that
//! Windows built has to reproduce those bytes exactly.
//!
//! # The sort key
//!
//! Every UTF-16 code unit is looked up on its own in the sorting weight
//! table; an entry holds four bytes: script member (SM), alphabetic weight
//! (AW), diacritic weight (DW) and case weight (CW). The key is five
//! sections:
//!
//! ```text
//! primary 01 diacritics 01 cases 01 extra 01 special 00
//! ```
//!
//! - primary: `SM AW` per sorting character (three bytes `SM AW DW` for the
//!   private use area, whose script members are 0xA9..=0xAF);
//! - diacritics: one DW per sorting character; a non-spacing mark (SM 1)
//!   adds its DW to the previous one instead of making its own; the trailing
//!   run of values <= 2 is dropped; the section is empty under
//!   NORM_IGNORENONSPACE;
//! - cases: one CW per sorting character, masked by the flags (IGNORECASE
//!   clears bits 3-4, IGNOREKANATYPE bit 5, IGNOREWIDTH bit 0), trailing
//!   values <= 2 dropped; the section is left out entirely when both
//!   NORM_IGNORECASE and NORM_IGNOREWIDTH are given;
//! - extra: East Asian (kana) weights, empty for every character this
//!   module knows;
//! - special: word-sort weights of punctuation, see below.
//!
//! Characters with SM 0 are ignored; SM 2 marks an expansion (a ligature
//! such as `æ` weighs exactly as `ae`); symbols (SM 7..=12) and, under
//! SORT_STRINGSORT, punctuation (SM 6) weigh like letters; NORM_IGNORESYMBOLS
//! drops both. A surrogate pair is not combined: each half is weighed by the
//! table like any other unit (`🦊` U+1F98A is D83E DD8A, primary `B0 40 B6
//! 86`, diacritics `3F 3F`), so unpaired surrogates need no special case.
//! With LCMAP_BYTEREV the bytes of every pair of the result are swapped.
//!
//! # Sources
//!
//! - The algorithm: \[MS-UCODEREF\] 3.1.5.2.4 (GetWindowsSortKey pseudocode:
//!   section order, separators, trimming of DW and CW, the case masks, the
//!   case section left out under IGNORECASE + IGNOREWIDTH, nonspace marks,
//!   expansions, 3-byte private-use weights on Windows 7 and later), checked
//!   against the description of Wine's kernelbase sort-key generation and
//!   against Microsoft's own NT `nlstest` expectations (`"Th"` and the
//!   string-sort `"co-op"` below).
//! - The weights: Microsoft's published "Windows 10 Sorting Weight Table"
//!   (default table, SORTKEY\DEFAULT), read through the Apache-2.0 copy
//!   shipped by dissect.esedb (`sorting_table.py`) and re-encoded here for
//!   the ranges listed under Coverage; the surrogate and private-use ranges
//!   of that table are regular and are computed, not tabulated. That table
//!   is NLS sort version 0x0006020F with the default sort GUID
//!   {00000001-57EE-1E5C-00B4-D0000BB1E11E}, the version index.edb's catalog
//!   records for its Unicode indexes ([`NLS_VERSION`], [`DEFAULT_SORT_ID`]).
//! - The expansions of Latin ligatures (Æ→AE, Þ→TH, ß→ss, Ĳ→IJ, Œ→OE, Ǆ→DŽ,
//!   Ǉ→LJ, Ǌ→NJ, Ǣ→ĀĒ, Ǳ→DZ, Ǽ→ÁÉ and their other cases) are the characters
//!   the published table leaves out of SORTKEY\DEFAULT in those blocks,
//!   mapped as Windows expands those ligatures.
//! - ESE's side (prefix byte, input and output limits): `fldnorm.cxx`
//!   (ErrFLDNormalizeTextSegment, ErrRECIIRetrieveKey, ErrIsamMakeKey) and
//!   `norm.cxx` (ErrNORMMapString) of Microsoft's ESE sources.
//! - Verified byte for byte against the two Unicode index keys stored in the
//!   test corpus' index.edb (see the tests).
//!
//! # Coverage, and what is refused
//!
//! Weights are known for U+0000..=U+04FF (ASCII, Latin-1, Latin Extended-A
//! and -B, IPA, spacing modifiers, combining diacritics, Greek, Cyrillic),
//! U+2000..=U+20CF (general punctuation, super- and subscripts, currency),
//! U+E000..=U+F8FF (private use), U+FF00..=U+FF5F (full-width ASCII) and
//! every surrogate code unit. Code units the published table leaves out
//! that cannot be expansions (unassigned code points, format controls such
//! as U+200D, NUL, the soft hyphen) are ignorable, as Windows treats every
//! unit missing from its table that does not expand.
//!
//! Refused, never guessed (a wrong key would silently break seeks and the
//! index order Windows expects):
//! - any code unit outside those ranges, and 23 inside them that the table
//!   leaves out without saying whether they expand or are ignored (e.g.
//!   U+0238, U+0374, U+037E, U+2000, U+20BF): `JET_errUnicodeTranslationFail`;
//! - punctuation (SM 6: `'`, `-`, control characters, dashes...) in the
//!   default word sort, i.e. without SORT_STRINGSORT or NORM_IGNORESYMBOLS:
//!   Windows moves it to the special section, whose encoding differs between
//!   descriptions (NT's `80 0F 06 82` for "co-op", position first; Wine's
//!   Windows 10 emulation writes a decreasing position, then AW and
//!   CW | DW << 3) and is not in our verified corpus:
//!   `JET_errUnicodeTranslationFail`;
//! - SM 12 symbols under NORM_IGNORESYMBOLS (Windows 8 and later no longer
//!   class them as symbols; whether they are dropped is unverified):
//!   `JET_errUnicodeTranslationFail`;
//! - flags valid for ESE but not implemented (LINGUISTIC_IGNOREDIACRITIC,
//!   SORT_DIGITSASNUMBERS) and locales other than English and the invariant
//!   locale: `JET_errUnicodeNormalizationNotSupported`;
//! - flags without LCMAP_SORTKEY, or outside what ESE accepts with it:
//!   `JET_errInvalidLCMapStringFlags`.
//!
//! \[MS-UCODEREF\] is Microsoft's open specification "Windows Protocols
//! Unicode Reference".

use crate::codes::*;
use crate::error::{Error, Result};

/// LCMapString flags, with the values of winnls.h.
pub mod flags {
    pub const NORM_IGNORECASE: u32 = 0x0000_0001;
    pub const NORM_IGNORENONSPACE: u32 = 0x0000_0002;
    pub const NORM_IGNORESYMBOLS: u32 = 0x0000_0004;
    pub const SORT_DIGITSASNUMBERS: u32 = 0x0000_0008;
    pub const LINGUISTIC_IGNORECASE: u32 = 0x0000_0010;
    pub const LINGUISTIC_IGNOREDIACRITIC: u32 = 0x0000_0020;
    pub const LCMAP_UPPERCASE: u32 = 0x0000_0200;
    pub const LCMAP_SORTKEY: u32 = 0x0000_0400;
    pub const LCMAP_BYTEREV: u32 = 0x0000_0800;
    pub const SORT_STRINGSORT: u32 = 0x0000_1000;
    pub const NORM_IGNOREKANATYPE: u32 = 0x0001_0000;
    pub const NORM_IGNOREWIDTH: u32 = 0x0002_0000;
    pub const NORM_LINGUISTIC_CASING: u32 = 0x0800_0000;
    /// ESE's default for Unicode indexes (dwLCMapFlagsDefault): sort key,
    /// ignoring case, kana type and width.
    pub const ESE_DEFAULT: u32 =
        LCMAP_SORTKEY | NORM_IGNORECASE | NORM_IGNOREKANATYPE | NORM_IGNOREWIDTH;
    /// Every flag ESE accepts beside LCMAP_SORTKEY (ErrNORMCheckLCMapFlags).
    pub const ESE_VALID_WITH_SORTKEY: u32 = LCMAP_BYTEREV
        | NORM_IGNORECASE
        | NORM_IGNORENONSPACE
        | NORM_IGNORESYMBOLS
        | LINGUISTIC_IGNORECASE
        | LINGUISTIC_IGNOREDIACRITIC
        | SORT_DIGITSASNUMBERS
        | NORM_IGNOREKANATYPE
        | NORM_IGNOREWIDTH
        | NORM_LINGUISTIC_CASING
        | SORT_STRINGSORT;
}

use flags::*;

/// The NLS sort version whose weights this module carries (Windows 10,
/// RS4 and later). ESE stores it per index (catalog column Version, twice)
/// and treats 0x0006020D..=0x0006020F as equal (FNORMNLSVersionEquals).
pub const NLS_VERSION: u32 = 0x0006_020F;

/// The default sort GUID {00000001-57EE-1E5C-00B4-D0000BB1E11E} in the
/// byte order the catalog stores it (column SortID).
pub const DEFAULT_SORT_ID: [u8; 16] = [
    0x01, 0x00, 0x00, 0x00, 0xee, 0x57, 0x5c, 0x1e, 0x00, 0xb4, 0xd0, 0x00, 0x0b, 0xb1, 0xe1, 0x1e,
];

/// Separator between the sections of a sort key.
pub const SECTION_SEPARATOR: u8 = 0x01;
/// Last byte of a sort key.
pub const TERMINATOR: u8 = 0x00;

// Script members with a meaning of their own.
const SM_UNSORTABLE: u8 = 0;
const SM_NONSPACE_MARK: u8 = 1;
const SM_EXPANSION: u8 = 2;
const SM_PUNCTUATION: u8 = 6;
const SM_SYMBOL_FIRST: u8 = 7;
const SM_SYMBOL_6: u8 = 12;
const SM_HEBREW: u8 = 40;
const SM_ARABIC: u8 = 41;
const SM_PUA_FIRST: u8 = 0xa9;
const SM_PUA_LAST: u8 = 0xaf;

/// Lowest DW and CW; trailing runs of them are dropped.
const MIN_WEIGHT: u8 = 2;

// Case masks (MS-UCODEREF CASE_UPPER_MASK, CASE_KANA_MASK, CASE_WIDTH_MASK).
const CASE_UPPER_MASK: u8 = 0xe7;
const CASE_KANA_MASK: u8 = 0xdf;
const CASE_WIDTH_MASK: u8 = 0xfe;

/// The four weights of one table entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Weights {
    script: u8,
    primary: u8,
    diacritic: u8,
    case: u8,
}

/// What the table says about one code unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Weighted(Weights),
    /// Ignored by sorting.
    Unsortable,
    /// Weighs as these two characters (both weighted, neither expanding).
    Expansion(u16, u16),
    /// Not covered: refused.
    Unknown,
}

/// Table value of a code unit left out of the published table without
/// being known as ignorable or as an expansion.
const UNKNOWN: u32 = u32::MAX;

fn decode_entry(value: u32) -> Entry {
    if value == UNKNOWN {
        return Entry::Unknown;
    }
    let [script, primary, diacritic, case] = value.to_be_bytes();
    match script {
        SM_UNSORTABLE => Entry::Unsortable,
        SM_EXPANSION => match EXPANSIONS.get(usize::from(primary)) {
            Some(&(_, first, second)) => Entry::Expansion(first, second),
            None => Entry::Unknown,
        },
        _ => Entry::Weighted(Weights {
            script,
            primary,
            diacritic,
            case,
        }),
    }
}

/// The weights of one UTF-16 code unit.
fn lookup(unit: u16) -> Entry {
    let at = |table: &[u32], first: u16| decode_entry(table[usize::from(unit - first)]);
    match unit {
        0x0000..=0x04ff => at(&BLOCK_0000, 0x0000),
        0x2000..=0x20cf => at(&BLOCK_2000, 0x2000),
        0xff00..=0xff5f => at(&BLOCK_FF00, 0xff00),
        0xe000..=0xf8ff => private_use(unit),
        0xd800..=0xdfff => surrogate(unit),
        _ => Entry::Unknown,
    }
}

/// U+E000..=U+F8FF: weights count up in (SM, AW, DW) order, DW in steps of
/// 65 (2, 67, 132, 197), AW over 2..=255, SM from 0xA9 to 0xAF.
fn private_use(unit: u16) -> Entry {
    let n = u32::from(unit - 0xe000);
    let step = n / 4;
    Entry::Weighted(Weights {
        script: (u32::from(SM_PUA_FIRST) + step / 254) as u8,
        primary: (2 + step % 254) as u8,
        diacritic: (2 + 65 * (n % 4)) as u8,
        case: 2,
    })
}

/// Surrogate code units, each weighed alone:
/// - high D800..=D83F (planes 1): SM 0xB0, AW 2.., DW = CW = 0x3F;
/// - high D840..=D87F (plane 2): SM 0xFE, AW 2.., DW = CW = 0x3E;
/// - high D880..=DB7F (planes 3-14): ignorable;
/// - high DB80..=DBFF (planes 15-16, private use): SM 0xFF, AW 2.., DW = CW = 0x3E;
/// - low DC00..=DFFF: consecutive (SM, AW) from (0xB4, 0xF8), AW over
///   2..=255, DW = CW = 0x3F.
fn surrogate(unit: u16) -> Entry {
    let weighted = |script: u8, primary: u16, other: u8| {
        Entry::Weighted(Weights {
            script,
            primary: primary as u8,
            diacritic: other,
            case: other,
        })
    };
    match unit {
        0xd800..=0xd83f => weighted(0xb0, 2 + (unit - 0xd800), 0x3f),
        0xd840..=0xd87f => weighted(0xfe, 2 + (unit - 0xd840), 0x3e),
        0xd880..=0xdb7f => Entry::Unsortable,
        0xdb80..=0xdbff => weighted(0xff, 2 + (unit - 0xdb80), 0x3e),
        _ => {
            let n = (unit - 0xdc00) + (0xf8 - 2);
            weighted(0xb4 + (n / 254) as u8, 2 + n % 254, 0x3f)
        }
    }
}

/// Locales whose sort is the default table with no exceptions: the
/// invariant locale ("") and English ("en", "en-US", "en-GB", ...).
/// Alternate sorts ("xx-YY_sort") are not.
fn locale_uses_default_table(locale: &str) -> bool {
    if locale.is_empty() {
        return true;
    }
    let lower = locale.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("en") else {
        return false;
    };
    rest.is_empty()
        || (rest.starts_with('-')
            && rest.len() > 1
            && rest[1..]
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric())))
}

/// Checks flags and locale before any text is looked at.
fn check_request(lcmap_flags: u32, locale: &str) -> Result<()> {
    if lcmap_flags & LCMAP_SORTKEY == 0
        || lcmap_flags & !(LCMAP_SORTKEY | ESE_VALID_WITH_SORTKEY) != 0
    {
        return Err(Error::new(JET_errInvalidLCMapStringFlags).with_detail(format!(
            "LCMapString flags {lcmap_flags:#010x}: a sort key needs LCMAP_SORTKEY and only the flags ESE accepts with it"
        )));
    }
    let unsupported = lcmap_flags & (LINGUISTIC_IGNOREDIACRITIC | SORT_DIGITSASNUMBERS);
    if unsupported != 0 {
        return Err(Error::new(JET_errUnicodeNormalizationNotSupported).with_detail(format!(
            "LCMapString flags {unsupported:#x} (LINGUISTIC_IGNOREDIACRITIC / SORT_DIGITSASNUMBERS) are not implemented"
        )));
    }
    if !locale_uses_default_table(locale) {
        return Err(Error::new(JET_errUnicodeNormalizationNotSupported).with_detail(format!(
            "locale {locale:?}: only English and invariant sorts (the default table) are implemented"
        )));
    }
    Ok(())
}

/// The sections of a sort key while it is being built.
#[derive(Default)]
struct Sections {
    primary: Vec<u8>,
    diacritics: Vec<u8>,
    cases: Vec<u8>,
}

/// Appends a character that sorts like a letter (letters, digits, symbols,
/// string-sort punctuation, surrogates, private use).
fn append_normal(sections: &mut Sections, weights: Weights, lcmap_flags: u32, case_mask: u8) {
    sections.primary.push(weights.script);
    sections.primary.push(weights.primary);
    let mut case = weights.case & case_mask;
    if (SM_PUA_FIRST..=SM_PUA_LAST).contains(&weights.script) {
        // Windows 7 and later: a third primary byte instead of a DW.
        sections.primary.push(weights.diacritic);
        sections.cases.push(case);
        return;
    }
    if lcmap_flags & LINGUISTIC_IGNORECASE != 0
        && weights.script <= SM_ARABIC
        && weights.script != SM_HEBREW
    {
        case = MIN_WEIGHT;
    }
    sections.diacritics.push(weights.diacritic);
    sections.cases.push(case);
}

fn refuse(unit: u16, position: usize, why: &str) -> Error {
    Error::new(JET_errUnicodeTranslationFail)
        .with_detail(format!("code unit U+{unit:04X} at {position}: {why}"))
}

/// Adds the weights of one code unit.
fn append_unit(
    sections: &mut Sections,
    unit: u16,
    position: usize,
    lcmap_flags: u32,
    case_mask: u8,
) -> Result<()> {
    let weights = match lookup(unit) {
        Entry::Unsortable => return Ok(()),
        Entry::Unknown => return Err(refuse(unit, position, "no sort weight known for it")),
        Entry::Expansion(first, second) => {
            for part in [first, second] {
                match lookup(part) {
                    Entry::Weighted(weights) => {
                        append_normal(sections, weights, lcmap_flags, case_mask)
                    }
                    _ => return Err(refuse(unit, position, "expansion table inconsistent")),
                }
            }
            return Ok(());
        }
        Entry::Weighted(weights) => weights,
    };
    let ignore_symbols = lcmap_flags & NORM_IGNORESYMBOLS != 0;
    match weights.script {
        SM_NONSPACE_MARK => {
            if lcmap_flags & NORM_IGNORENONSPACE == 0 {
                match sections.diacritics.last_mut() {
                    Some(last) => *last = last.wrapping_add(weights.diacritic),
                    None => sections.diacritics.push(weights.diacritic),
                }
            }
        }
        SM_PUNCTUATION => {
            if ignore_symbols {
                return Ok(());
            }
            if lcmap_flags & SORT_STRINGSORT == 0 {
                return Err(refuse(
                    unit,
                    position,
                    "word-sort punctuation goes to the special section, whose Windows 10 encoding is not verified \
                     (use SORT_STRINGSORT or NORM_IGNORESYMBOLS)",
                ));
            }
            append_normal(sections, weights, lcmap_flags, case_mask);
        }
        SM_SYMBOL_6 if ignore_symbols => {
            return Err(refuse(
                unit,
                position,
                "whether NORM_IGNORESYMBOLS drops script member 12 on Windows 10 is not verified",
            ));
        }
        SM_SYMBOL_FIRST..=SM_SYMBOL_6 if ignore_symbols => {}
        // Kana, Jamo and CJK Extension A need the extra sections; no such
        // character is in the table, but never weigh one as a letter.
        3..=5 => {
            return Err(refuse(
                unit,
                position,
                "East Asian special weights are not implemented",
            ))
        }
        _ => append_normal(sections, weights, lcmap_flags, case_mask),
    }
    Ok(())
}

/// Drops the trailing run of weights that are at most [`MIN_WEIGHT`].
fn trim_minimum(weights: &mut Vec<u8>) {
    while weights.last().is_some_and(|&w| w <= MIN_WEIGHT) {
        weights.pop();
    }
}

/// The sort key Windows' `LCMapStringEx(locale, lcmap_flags, text, len)`
/// returns for `text` (UTF-16 code units, no terminator needed), including
/// its closing 0x00: `primary 01 diacritics 01 cases 01 extra 01 special
/// 00`. Empty text gives `01 01 01 01 00`, the key of ignorable text.
///
/// `lcmap_flags` must contain LCMAP_SORTKEY; see the module documentation
/// for the flags, locales and characters that are refused.
pub fn sort_key(text: &[u16], lcmap_flags: u32, locale: &str) -> Result<Vec<u8>> {
    check_request(lcmap_flags, locale)?;
    let mut case_mask = 0xff;
    if lcmap_flags & NORM_IGNORECASE != 0 {
        case_mask &= CASE_UPPER_MASK;
    }
    if lcmap_flags & NORM_IGNOREKANATYPE != 0 {
        case_mask &= CASE_KANA_MASK;
    }
    if lcmap_flags & NORM_IGNOREWIDTH != 0 {
        case_mask &= CASE_WIDTH_MASK;
    }

    let mut sections = Sections::default();
    for (position, &unit) in text.iter().enumerate() {
        append_unit(&mut sections, unit, position, lcmap_flags, case_mask)?;
    }
    trim_minimum(&mut sections.diacritics);
    trim_minimum(&mut sections.cases);

    let mut key = Vec::with_capacity(
        sections.primary.len() + sections.diacritics.len() + sections.cases.len() + 5,
    );
    key.extend_from_slice(&sections.primary);
    key.push(SECTION_SEPARATOR);
    if lcmap_flags & NORM_IGNORENONSPACE == 0 {
        key.extend_from_slice(&sections.diacritics);
    }
    key.push(SECTION_SEPARATOR);
    let omit_cases = lcmap_flags & NORM_IGNORECASE != 0 && lcmap_flags & NORM_IGNOREWIDTH != 0;
    if !omit_cases {
        key.extend_from_slice(&sections.cases);
    }
    key.push(SECTION_SEPARATOR);
    // No extra (kana) weights: no character producing them is accepted.
    key.push(SECTION_SEPARATOR);
    // No special weights: word-sort punctuation is refused above.
    key.push(TERMINATOR);

    if lcmap_flags & LCMAP_BYTEREV != 0 {
        for pair in key.chunks_exact_mut(2) {
            pair.swap(0, 1);
        }
    }
    Ok(key)
}

/// Whether the weight table covers `unit` (the other refusals of
/// [`sort_key`] depend on the flags and the neighbours).
pub fn is_covered(unit: u16) -> bool {
    lookup(unit) != Entry::Unknown
}

// ---------------------------------------------------------------------------
// ESE's normalized segment for Unicode text
// ---------------------------------------------------------------------------

/// Prefix byte of a segment holding data (ESE: bPrefixData).
pub const PREFIX_DATA: u8 = 0x7f;
/// The key size of indexes from before larger keys existed
/// (JET_cbKeyMost_OLD). Such indexes keep ESE's old source limits.
pub const LEGACY_KEY_MOST: usize = 255;

/// The room ESE gives one text segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentLimits {
    /// The index's key size (cbKeyMost).
    pub key_most: usize,
    /// Bytes of the key still free where this segment starts, its prefix
    /// byte included (cbKeyAvail; `key_most` for the first segment).
    pub key_avail: usize,
    /// The index's segment limit (cbVarSegMac), equal to `key_most` when
    /// the index sets none.
    pub var_seg_mac: usize,
}

impl SegmentLimits {
    /// The first segment of an index without a segment limit.
    pub fn first_segment(key_most: usize) -> Self {
        SegmentLimits {
            key_most,
            key_avail: key_most,
            var_seg_mac: key_most,
        }
    }

    /// cbVarSegMac as ESE uses it: one past the key size when unset.
    fn effective_var_seg_mac(&self) -> usize {
        if self.var_seg_mac == self.key_most {
            self.key_most + 1
        } else {
            self.var_seg_mac
        }
    }

    /// Most bytes of sort key the segment may hold after its prefix byte.
    pub fn max_data_len(&self) -> usize {
        self.key_avail
            .min(self.effective_var_seg_mac())
            .saturating_sub(1)
    }
}

/// A normalized text segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSegment {
    /// The segment as stored in the key: 0x7F, then the sort key, cut to
    /// the room the limits give (which may cut off its terminator too).
    pub bytes: Vec<u8>,
    /// The sort key did not fit for lack of key space (ESE's
    /// wrnFLDKeyTooBig, which sets the key's "truncated" state). A cut
    /// made on purpose by a segment limit does not count.
    pub truncated: bool,
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect()
}

/// The bytes ESE stores after the 0x7F prefix for Unicode text
/// `text_utf16le_bytes` (an odd last byte is dropped): the whole sort key,
/// terminator included, cut to `max_len` bytes (ErrNORMMapString). This
/// applies no source limit; [`unicode_text_segment`] and the functions
/// after it add ESE's.
///
/// Text shorter than one code unit is refused as Windows refuses an empty
/// source (`JET_errUnicodeTranslationFail`); ESE stores empty text as a
/// zero-length segment and never gets here.
pub fn normalized_unicode_segment(
    text_utf16le_bytes: &[u8],
    lcmap_flags: u32,
    locale: &str,
    max_len: usize,
) -> Result<Vec<u8>> {
    let units = utf16_units(text_utf16le_bytes);
    if units.is_empty() {
        return Err(Error::new(JET_errUnicodeTranslationFail)
            .with_detail("Unicode text of less than one code unit cannot be normalized"));
    }
    let mut key = sort_key(&units, lcmap_flags, locale)?;
    key.truncate(max_len);
    Ok(key)
}

/// One Unicode text segment as ESE's ErrFLDNormalizeTextSegment builds it
/// from `field`, the column bytes handed to it: an odd last byte is
/// dropped; an index of the legacy key size ([`LEGACY_KEY_MOST`]) reads at
/// most 256 bytes; the sort key is cut to [`SegmentLimits::max_data_len`];
/// the prefix 0x7F goes first.
///
/// `field` must already carry the caller's own limit: [`record_unicode_segment`]
/// (index entries of records) and [`make_key_unicode_segment`] (JetMakeKey)
/// apply them.
pub fn unicode_text_segment(
    field: &[u8],
    lcmap_flags: u32,
    locale: &str,
    limits: &SegmentLimits,
) -> Result<TextSegment> {
    if limits.key_most == 0 || limits.key_avail == 0 || limits.var_seg_mac == 0 {
        return Err(Error::new(JET_errInvalidParameter)
            .with_detail(format!("no room for a key segment: {limits:?}")));
    }
    let mut source = &field[..field.len() / 2 * 2];
    if limits.key_most == LEGACY_KEY_MOST {
        source = &source[..source.len().min(256)];
    }
    let room = limits.max_data_len();
    let units = utf16_units(source);
    if units.is_empty() {
        return Err(Error::new(JET_errUnicodeTranslationFail)
            .with_detail("Unicode text of less than one code unit cannot be normalized"));
    }
    let key = sort_key(&units, lcmap_flags, locale)?;
    let too_big = key.len() > room;
    let kept = key.len().min(room);
    // A cut exactly at an explicit segment limit was asked for.
    let var_seg_mac = limits.effective_var_seg_mac();
    let truncated = too_big && (var_seg_mac > limits.key_most || kept < var_seg_mac - 1);
    let mut bytes = Vec::with_capacity(kept + 1);
    bytes.push(PREFIX_DATA);
    bytes.extend_from_slice(&key[..kept]);
    Ok(TextSegment { bytes, truncated })
}

/// Whether ESE, building a record's index key from `data_most` bytes of
/// source per column (ErrRECIIRetrieveKey), starts again with twice as
/// many after this segment: the column filled the source buffer, the
/// segment (`segment_len` bytes, prefix included) is under every limit, and
/// the index is not of the legacy key size. The restart covers the whole
/// key, every segment rebuilt from the larger source.
pub fn needs_more_data(
    field_len: usize,
    data_most: usize,
    segment_len: usize,
    limits: &SegmentLimits,
) -> bool {
    field_len == data_most
        && segment_len < limits.key_most
        && segment_len < limits.key_avail
        && segment_len < limits.var_seg_mac
        && limits.key_most != LEGACY_KEY_MOST
}

/// The segment of a record's index entry whose key has this one Unicode
/// text segment, from the whole column value: ESE reads `key_most` bytes
/// of the column, then twice as many while [`needs_more_data`] says so.
/// For an index of the legacy key size that is 255 bytes, so 127 code
/// units. (A key of several segments restarts all of them together; use
/// [`unicode_text_segment`] and [`needs_more_data`] for that.)
pub fn record_unicode_segment(
    column: &[u8],
    lcmap_flags: u32,
    locale: &str,
    limits: &SegmentLimits,
) -> Result<TextSegment> {
    let mut data_most = limits.key_most.max(1);
    loop {
        let field = &column[..column.len().min(data_most)];
        let segment = unicode_text_segment(field, lcmap_flags, locale, limits)?;
        if !needs_more_data(field.len(), data_most, segment.bytes.len(), limits) {
            return Ok(segment);
        }
        data_most = data_most.saturating_mul(2);
    }
}

/// The segment JetMakeKey builds from an application's Unicode value: for
/// an index of the legacy key size the value is first cut to 255 bytes
/// (ErrIsamMakeKey), otherwise it is used whole.
pub fn make_key_unicode_segment(
    value: &[u8],
    lcmap_flags: u32,
    locale: &str,
    limits: &SegmentLimits,
) -> Result<TextSegment> {
    let value = if limits.key_most == LEGACY_KEY_MOST {
        &value[..value.len().min(LEGACY_KEY_MOST)]
    } else {
        value
    };
    unicode_text_segment(value, lcmap_flags, locale, limits)
}

// ---------------------------------------------------------------------------
// Weight table
// ---------------------------------------------------------------------------
//
// Each entry is (SM << 24) | (AW << 16) | (DW << 8) | CW, from the Windows 10
// Sorting Weight Table (SORTKEY\DEFAULT). 0 is an ignorable unit; SM 2 is an
// expansion whose AW indexes EXPANSIONS; UNKNOWN is refused.

/// U+0000..=U+04FF.
#[rustfmt::skip]
static BLOCK_0000: [u32; 1280] = [
    0x00000000, 0x06030202, 0x06040202, 0x06050202, 0x06060202, 0x06070202, 0x06080202, 0x06090202, // 0000
    0x060A0202, 0x07050202, 0x07060202, 0x07070202, 0x07080202, 0x07090202, 0x060B0202, 0x060C0202, // 0008
    0x060D0202, 0x060E0202, 0x060F0202, 0x06100202, 0x06110202, 0x06120202, 0x06130202, 0x06140202, // 0010
    0x06150202, 0x06160202, 0x06170202, 0x06180202, 0x06190202, 0x061A0202, 0x061B0202, 0x061C0202, // 0018
    0x07020202, 0x071C0202, 0x071D0202, 0x071F0202, 0x07210202, 0x07230202, 0x07250202, 0x06800202, // 0020
    0x07270202, 0x072A0202, 0x072D0202, 0x08030202, 0x072F0202, 0x06820202, 0x07330202, 0x07350202, // 0028
    0x0D030202, 0x0D1A0202, 0x0D1C0202, 0x0D1E0202, 0x0D200202, 0x0D220202, 0x0D240202, 0x0D260202, // 0030
    0x0D280202, 0x0D2A0202, 0x07370202, 0x073A0202, 0x080E0202, 0x08120202, 0x08140202, 0x073C0202, // 0038
    0x073E0202, 0x0E020212, 0x0E090212, 0x0E0A0212, 0x0E1A0212, 0x0E210212, 0x0E230212, 0x0E250212, // 0040
    0x0E2C0212, 0x0E320212, 0x0E350212, 0x0E360212, 0x0E480212, 0x0E510212, 0x0E700212, 0x0E7C0212, // 0048
    0x0E7E0212, 0x0E890212, 0x0E8A0212, 0x0E910212, 0x0E990212, 0x0E9F0212, 0x0EA20212, 0x0EA40212, // 0050
    0x0EA60212, 0x0EA70212, 0x0EA90212, 0x073F0202, 0x07410202, 0x07420202, 0x07430202, 0x07440202, // 0058
    0x07480202, 0x0E020202, 0x0E090202, 0x0E0A0202, 0x0E1A0202, 0x0E210202, 0x0E230202, 0x0E250202, // 0060
    0x0E2C0202, 0x0E320202, 0x0E350202, 0x0E360202, 0x0E480202, 0x0E510202, 0x0E700202, 0x0E7C0202, // 0068
    0x0E7E0202, 0x0E890202, 0x0E8A0202, 0x0E910202, 0x0E990202, 0x0E9F0202, 0x0EA20202, 0x0EA40202, // 0070
    0x0EA60202, 0x0EA70202, 0x0EA90202, 0x074A0202, 0x074C0202, 0x074E0202, 0x07500202, 0x061D0202, // 0078
    0x0CFA1D02, 0x0CFA1E02, 0x0CFA1F02, 0x0CFA2002, 0x0CFA2102, 0x0CFA2202, 0x0CFA2302, 0x0CFA2402, // 0080
    0x0CFA2502, 0x0CFA2602, 0x0CFA2702, 0x0CFA2802, 0x0CFA2902, 0x0CFA2A02, 0x0CFA2B02, 0x0CFA2C02, // 0088
    0x0CFA2D02, 0x0CFA2E02, 0x0CFA2F02, 0x0CFA3002, 0x0CFA3102, 0x0CFA3202, 0x0CFA3302, 0x0CFA3402, // 0090
    0x0CFA3502, 0x0CFA3602, 0x0CFA3702, 0x0CFA3802, 0x0CFA3902, 0x0CFA3A02, 0x0CFA3B02, 0x0CFA3C02, // 0098
    0x07040202, 0x07510202, 0x07970202, 0x07980202, 0x07990202, 0x079A0202, 0x07520202, 0x0A060202, // 00A0
    0x07530202, 0x0A070202, 0x0E02030E, 0x08180202, 0x0A080202, 0x00000000, 0x0A090202, 0x07540202, // 00A8
    0x0A0A0202, 0x08170202, 0x0D1C020E, 0x0D1E020E, 0x07550202, 0x0A0B0202, 0x0A0C0202, 0x0A0D0202, // 00B0
    0x07560202, 0x0D1A020E, 0x0E7C030E, 0x081A0202, 0x0D0D0202, 0x0D110202, 0x0D150202, 0x07570202, // 00B8
    0x0E020F12, 0x0E020E12, 0x0E021212, 0x0E021912, 0x0E021312, 0x0E021A12, 0x02000000, 0x0E0A1C12, // 00C0
    0x0E210F12, 0x0E210E12, 0x0E211212, 0x0E211312, 0x0E320F12, 0x0E320E12, 0x0E321212, 0x0E321312, // 00C8
    0x0E1A6812, 0x0E701912, 0x0E7C0F12, 0x0E7C0E12, 0x0E7C1212, 0x0E7C1912, 0x0E7C1312, 0x081C0202, // 00D0
    0x0E7C2112, 0x0E9F0F12, 0x0E9F0E12, 0x0E9F1212, 0x0E9F1312, 0x0EA70E12, 0x02010000, 0x02020000, // 00D8
    0x0E020F02, 0x0E020E02, 0x0E021202, 0x0E021902, 0x0E021302, 0x0E021A02, 0x02030000, 0x0E0A1C02, // 00E0
    0x0E210F02, 0x0E210E02, 0x0E211202, 0x0E211302, 0x0E320F02, 0x0E320E02, 0x0E321202, 0x0E321302, // 00E8
    0x0E1A6802, 0x0E701902, 0x0E7C0F02, 0x0E7C0E02, 0x0E7C1202, 0x0E7C1902, 0x0E7C1302, 0x081D0202, // 00F0
    0x0E7C2102, 0x0E9F0F02, 0x0E9F0E02, 0x0E9F1202, 0x0E9F1302, 0x0EA70E02, 0x02040000, 0x0EA71302, // 00F8
    0x0E021712, 0x0E021702, 0x0E021512, 0x0E021502, 0x0E021B12, 0x0E021B02, 0x0E0A0E12, 0x0E0A0E02, // 0100
    0x0E0A1212, 0x0E0A1202, 0x0E0A1012, 0x0E0A1002, 0x0E0A1412, 0x0E0A1402, 0x0E1A1412, 0x0E1A1402, // 0108
    0x0E1A1E12, 0x0E1A1E02, 0x0E211712, 0x0E211702, 0x0E211512, 0x0E211502, 0x0E211012, 0x0E211002, // 0110
    0x0E211B12, 0x0E211B02, 0x0E211412, 0x0E211402, 0x0E251212, 0x0E251202, 0x0E251512, 0x0E251502, // 0118
    0x0E251012, 0x0E251002, 0x0E251C12, 0x0E251C02, 0x0E2C1212, 0x0E2C1202, 0x0E2C1E12, 0x0E2C1E02, // 0120
    0x0E321912, 0x0E321902, 0x0E321712, 0x0E321702, 0x0E321512, 0x0E321502, 0x0E321B12, 0x0E321B02, // 0128
    0x0E321012, 0x0E320402, 0x02050000, 0x02060000, 0x0E351212, 0x0E351202, 0x0E361C12, 0x0E361C02, // 0130
    0x0E360402, 0x0E480E12, 0x0E480E02, 0x0E481C12, 0x0E481C02, 0x0E481412, 0x0E481402, 0x0E481112, // 0138
    0x0E481102, 0x0E481F12, 0x0E481F02, 0x0E700E12, 0x0E700E02, 0x0E701C12, 0x0E701C02, 0x0E701412, // 0140
    0x0E701402, 0x0E704802, 0x0E740212, 0x0E740202, 0x0E7C1712, 0x0E7C1702, 0x0E7C1512, 0x0E7C1502, // 0148
    0x0E7C1D12, 0x0E7C1D02, 0x02070000, 0x02080000, 0x0E8A0E12, 0x0E8A0E02, 0x0E8A1C12, 0x0E8A1C02, // 0150
    0x0E8A1412, 0x0E8A1402, 0x0E910E12, 0x0E910E02, 0x0E911212, 0x0E911202, 0x0E911C12, 0x0E911C02, // 0158
    0x0E911412, 0x0E911402, 0x0E991C12, 0x0E991C02, 0x0E991412, 0x0E991402, 0x0E9E1E12, 0x0E9E1E02, // 0160
    0x0E9F1912, 0x0E9F1902, 0x0E9F1712, 0x0E9F1702, 0x0E9F1512, 0x0E9F1502, 0x0E9F1A12, 0x0E9F1A02, // 0168
    0x0E9F1D12, 0x0E9F1D02, 0x0E9F1B12, 0x0E9F1B02, 0x0EA41212, 0x0EA41202, 0x0EA71212, 0x0EA71202, // 0170
    0x0EA71312, 0x0EA90E12, 0x0EA90E02, 0x0EA91012, 0x0EA91002, 0x0EA91412, 0x0EA91402, 0x0E960202, // 0178
    0x0E091E02, 0x0E094312, 0x0E096812, 0x0E096802, 0x0E098712, 0x0E098702, 0x0E0A7A12, 0x0E0A4312, // 0180
    0x0E0A4302, 0x0E1B0412, 0x0E1A4312, 0x0E1A2212, 0x0E1A2202, 0x0E1A7C02, 0x0E217D12, 0x0E217E12, // 0188
    0x0E220212, 0x0E234312, 0x0E234302, 0x0E254312, 0x0E257B12, 0x0E2D5902, 0x0E327B12, 0x0E321E12, // 0190
    0x0E364312, 0x0E364302, 0x0E481E02, 0x0E482002, 0x0E517B12, 0x0E704312, 0x0E704B02, 0x0E7C2012, // 0198
    0x0E7C5012, 0x0E7C5002, 0x0E7C7C12, 0x0E7C7C02, 0x0E7E4312, 0x0E7E4302, 0x0E8A021C, 0x0E918712, // 01A0
    0x0E918702, 0x0E917C12, 0x0E91AA02, 0x0E995702, 0x0E994312, 0x0E994302, 0x0E995912, 0x0E9F5012, // 01A8
    0x0E9F5002, 0x0E9F7B12, 0x0EA27B12, 0x0EA74312, 0x0EA74302, 0x0EA91E12, 0x0EA91E02, 0x0EAC0212, // 01B0
    0x0EAC7C12, 0x0EAC7C02, 0x0EAC7D02, 0x0D1C0202, 0x0D220212, 0x0D220202, 0x0EB30202, 0x0EA47B02, // 01B8
    0x081E0202, 0x081F0202, 0x08200202, 0x07580202, 0x02090000, 0x020A0000, 0x020B0000, 0x020C0000, // 01C0
    0x020D0000, 0x020E0000, 0x020F0000, 0x02100000, 0x02110000, 0x0E021412, 0x0E021402, 0x0E321412, // 01C8
    0x0E321402, 0x0E7C1412, 0x0E7C1402, 0x0E9F1412, 0x0E9F1402, 0x0E9F2812, 0x0E9F2802, 0x0E9F1F12, // 01D0
    0x0E9F1F02, 0x0E9F2512, 0x0E9F2502, 0x0E9F2012, 0x0E9F2002, 0x0E217D02, 0x0E022812, 0x0E022802, // 01D8
    0x0E022512, 0x0E022502, 0x02120000, 0x02130000, 0x0E251E12, 0x0E251E02, 0x0E251412, 0x0E251402, // 01E0
    0x0E361412, 0x0E361402, 0x0E7C1B12, 0x0E7C1B02, 0x0E7C3012, 0x0E7C3002, 0x0EAC1412, 0x0EAC1402, // 01E8
    0x0E351402, 0x02140000, 0x02150000, 0x02160000, 0x0E250E12, 0x0E250E02, 0x0E2D5912, 0x0EA47B12, // 01F0
    0x0E700F12, 0x0E700F02, 0x0E022612, 0x0E022602, 0x02170000, 0x02180000, 0x0E7C2D12, 0x0E7C2D02, // 01F8
    0x0E024412, 0x0E024402, 0x0E024612, 0x0E024602, 0x0E214412, 0x0E214402, 0x0E214612, 0x0E214602, // 0200
    0x0E324412, 0x0E324402, 0x0E324612, 0x0E324602, 0x0E7C4412, 0x0E7C4402, 0x0E7C4612, 0x0E7C4602, // 0208
    0x0E8A4412, 0x0E8A4402, 0x0E8A4612, 0x0E8A4602, 0x0E9F4412, 0x0E9F4402, 0x0E9F4612, 0x0E9F4602, // 0210
    0x0E915B12, 0x0E915B02, 0x0E995B12, 0x0E995B02, 0x0E229712, 0x0E229702, 0x0E2C1412, 0x0E2C1402, // 0218
    0x0E704B12, 0x0E1E0202, 0x0E7D0212, 0x0E7D0202, 0x0EA94312, 0x0EA94302, 0x0E021012, 0x0E021002, // 0220
    0x0E211C12, 0x0E211C02, 0x0E7C2812, 0x0E7C2802, 0x0E7C2E12, 0x0E7C2E02, 0x0E7C1012, 0x0E7C1002, // 0228
    0x0E7C2512, 0x0E7C2502, 0x0EA71712, 0x0EA71702, 0x0E4AC802, 0x0E72C802, 0x0E99C802, 0x0E350402, // 0230
    UNKNOWN, UNKNOWN, 0x0E021C12, 0x0E0A1E12, 0x0E0A1E02, 0x0E481E12, 0x0E996512, 0x0E915C02, // 0238
    0x0EA95C02, 0x0EB30312, 0x0EB30302, 0x0E091E12, 0x0E9F1E12, 0x0EA27C12, 0x0E211D12, 0x0E211D02, // 0240
    0x0E351D12, 0x0E351D02, 0x0E894512, 0x0E894502, 0x0E8A1D12, 0x0E8A1D02, 0x0EA71D12, 0x0EA71D02, // 0248
    0x0E027B02, 0x0E027C02, 0x0E027D02, 0x0E094302, 0x0E0A7A02, 0x0E0A7C02, 0x0E1B0402, 0x0E1A4302, // 0250
    0x0E218002, 0x0E217E02, 0x0E217F02, 0x0E220202, 0x0E228002, 0x0E228202, 0x0E228302, 0x0E351E02, // 0258
    0x0E254302, 0x0E257D02, 0x0E250216, 0x0E257B02, 0x0E257C02, 0x0E2C7C02, 0x0E2C4302, 0x0E314302, // 0260
    0x0E321E02, 0x0E327B02, 0x0E320216, 0x0E481902, 0x0E487B02, 0x0E485902, 0x0E487C02, 0x0E517B02, // 0268
    0x0E517C02, 0x0E514302, 0x0E704302, 0x0E705902, 0x0E700216, 0x0E7C2002, 0x0E7C7B16, 0x0E7C7E02, // 0270
    0x0E7E7B02, 0x0E8A7B02, 0x0E8A7C02, 0x0E8A7D02, 0x0E8A7E02, 0x0E8A4302, 0x0E8A7F02, 0x0E8A8002, // 0278
    0x0E8A0216, 0x0E8A8116, 0x0E914302, 0x0E917C02, 0x0E354302, 0x0E91A002, 0x0E919602, 0x0E997B02, // 0280
    0x0E995902, 0x0E9F1E02, 0x0E9F7B02, 0x0EA27B02, 0x0EA27C02, 0x0EA47C02, 0x0EA77B02, 0x0EA70216, // 0288
    0x0EA95902, 0x0EA97E02, 0x0EAC0202, 0x0EAC7E02, 0x0EB3030A, 0x0EB30402, 0x0EB30502, 0x0E0A8802, // 0290
    0x0EB40202, 0x0E090216, 0x0E228602, 0x0E254316, 0x0E2C0216, 0x0E357B02, 0x0E367B02, 0x0E480216, // 0298
    0x0E894302, 0x0EB30602, 0x0EB30B02, 0x0E1C0202, 0x0E1A7B02, 0x0E1D0202, 0x0E9D7B02, 0x0E997C02, // 02A0
    0x0E997D02, UNKNOWN, UNKNOWN, UNKNOWN, 0x0EB50202, 0x0EB60202, 0x0E2D6402, 0x0E2D6E02, // 02A8
    0x0E2C020A, 0x0E2C430A, 0x0E35020A, 0x0E8A020A, 0x0E8A7B0A, 0x0E8A7D0A, 0x0E8A811E, 0x0EA4020A, // 02B0
    0x0EA7020A, 0x01000C00, 0x01001900, 0x01004500, 0x01004600, 0x01004700, 0x01007700, 0x01007800, // 02B8
    0x01003F00, 0x01007900, 0x01007A00, 0x01007B00, 0x01007C00, 0x01007D00, 0x07430202, 0x07590202, // 02C0
    0x01004000, 0x072D0402, 0x07550302, 0x07480202, 0x01005A00, 0x01006200, 0x01007E00, 0x01007F00, // 02C8
    0x07DB0202, 0x01008100, 0x01008200, 0x01008300, 0x01005000, 0x01005100, 0x01005200, 0x01005300, // 02D0
    0x07590302, 0x075A0202, 0x075B0202, 0x075C0202, 0x075D0202, 0x075E0202, 0x01008400, 0x01003400, // 02D8
    0x0E257B0A, 0x0E48020A, 0x0E91020A, 0x0EA6020A, 0x01008500, 0x01008600, 0x01008700, 0x01008800, // 02E0
    0x01008900, 0x01008A00, 0x01003500, 0x01003600, 0x01003700, 0x01003800, 0x01003900, 0x01003A00, // 02E8
    0x01003B00, 0x01003C00, 0x01003D00, 0x0100F100, 0x0100F200, 0x0100F300, 0x0100F400, 0x0100F500, // 02F0
    0x0100F600, 0x0100F700, 0x0100F800, 0x0100F900, 0x0100FA00, 0x0100FB00, 0x0100FB00, 0x0100FC00, // 02F8
    0x01000D00, 0x01000C00, 0x01001000, 0x01001700, 0x01001500, 0x01003E00, 0x01001300, 0x01000E00, // 0300
    0x01001100, 0x01003F00, 0x01001800, 0x01001B00, 0x01001200, 0x01000300, 0x01004100, 0x01004200, // 0308
    0x01004300, 0x01004400, 0x01004500, 0x01004600, 0x01004700, 0x01004800, 0x01004900, 0x01004A00, // 0310
    0x01004B00, 0x01004C00, 0x01004D00, 0x01004E00, 0x01004F00, 0x01005000, 0x01005100, 0x01005200, // 0318
    0x01005300, 0x01005400, 0x01005500, 0x01005600, 0x01005700, 0x01005800, 0x01005900, 0x01001A00, // 0320
    0x01001900, 0x01005A00, 0x01005B00, 0x01005C00, 0x01005D00, 0x01005E00, 0x01005F00, 0x01006000, // 0328
    0x01006100, 0x01006200, 0x01006300, 0x01006400, 0x01006500, 0x01001C00, 0x01001C00, 0x01001D00, // 0330
    0x01001E00, 0x01006700, 0x01006800, 0x01006900, 0x01006A00, 0x01006B00, 0x01006C00, 0x01006D00, // 0338
    0x01000D00, 0x01000C00, 0x01008D00, 0x01004600, 0x01001D00, 0x01009000, 0x01007400, 0x01007500, // 0340
    0x01007600, 0x01005C00, 0x01005D00, 0x01005E00, 0x01005F00, 0x01006000, 0x01006100, UNKNOWN, // 0348
    0x01005400, 0x01005500, 0x01005600, 0x01005700, 0x01005800, 0x01005900, 0x01005A00, 0x01005B00, // 0350
    0x01001E00, 0x01001F00, 0x01002000, 0x01002100, 0x01002800, 0x01001400, 0x01001500, 0x01001500, // 0358
    0x01001700, 0x01004400, 0x01002700, 0x0E020302, 0x0E210302, 0x0E320302, 0x0E7C0302, 0x0E9F0302, // 0360
    0x0E0A0302, 0x0E1A0302, 0x0E2C0302, 0x0E510302, 0x0E8A0302, 0x0E990302, 0x0EA20302, 0x0EA60302, // 0368
    0x0F0D0212, 0x0F0D0202, 0x0F461B12, 0x0F461B02, UNKNOWN, 0x07600202, 0x0F43020A, 0x0F430202, // 0370
    0x00000000, 0x00000000, 0x07610202, 0x0F270202, 0x0F261002, 0x0F271002, UNKNOWN, UNKNOWN, // 0378
    0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x07630202, UNKNOWN, 0x0F020E12, UNKNOWN, // 0380
    0x0F0A0E12, 0x0F0E0E12, 0x0F120E12, 0x00000000, 0x0F200E12, 0x00000000, 0x0F2A0E12, 0x0F320E12, // 0388
    0x0F121F02, 0x0F020212, 0x0F040212, 0x0F060212, 0x0F080212, 0x0F0A0212, 0x0F0C0212, 0x0F0E0212, // 0390
    0x0F100212, 0x0F120212, 0x0F140212, 0x0F160212, 0x0F180212, 0x0F1C0212, 0x0F1E0212, 0x0F200212, // 0398
    0x0F220212, 0x0F240212, 0x00000000, 0x0F260212, 0x0F280212, 0x0F2A0212, 0x0F2C0212, 0x0F2E0212, // 03A0
    0x0F300212, 0x0F320212, 0x0F121312, 0x0F2A1312, 0x0F020E02, 0x0F0A0E02, 0x0F0E0E02, 0x0F120E02, // 03A8
    0x0F2A1F02, 0x0F020202, 0x0F040202, 0x0F060202, 0x0F080202, 0x0F0A0202, 0x0F0C0202, 0x0F0E0202, // 03B0
    0x0F100202, 0x0F120202, 0x0F140202, 0x0F160202, 0x0F180202, 0x0F1C0202, 0x0F1E0202, 0x0F200202, // 03B8
    0x0F220202, 0x0F240202, 0x0F26020A, 0x0F260202, 0x0F280202, 0x0F2A0202, 0x0F2C0202, 0x0F2E0202, // 03C0
    0x0F300202, 0x0F320202, 0x0F121302, 0x0F2A1302, 0x0F200E02, 0x0F2A0E02, 0x0F320E02, 0x0F450212, // 03C8
    0x0F040302, 0x0F100302, 0x0F2A1B12, 0x0F2A2712, 0x0F2A2C12, 0x0F2C0302, 0x0F220302, 0x0F450202, // 03D0
    0x0F441B12, 0x0F441B02, 0x0F400212, 0x0F400202, 0x0F420212, 0x0F420202, 0x0F440212, 0x0F440202, // 03D8
    0x0F460212, 0x0F460202, 0x0F480212, 0x0F480202, 0x0F4A0212, 0x0F4A0202, 0x0F4C0212, 0x0F4C0202, // 03E0
    0x0F4E0212, 0x0F4E0202, 0x0F500212, 0x0F500202, 0x0F520212, 0x0F520202, 0x0F540212, 0x0F540202, // 03E8
    0x0F140302, 0x0F240302, 0x0F260402, 0x0F430212, 0x0F100312, 0x0F0A0202, 0x08FA0202, 0x0F470212, // 03F0
    0x0F470202, 0x0F260412, 0x0F230212, 0x0F230202, 0x0F240412, 0x0F270212, 0x0F261012, 0x0F271012, // 03F8
    0x10140F12, 0x10141312, 0x10110212, 0x100A0E12, 0x10190212, 0x10200212, 0x10260212, 0x10261312, // 0400
    0x102C0212, 0x10340212, 0x10440212, 0x105D0212, 0x102E0E12, 0x10220F12, 0x10631512, 0x10810212, // 0408
    0x10020212, 0x10060212, 0x10080212, 0x100A0212, 0x100F0212, 0x10140212, 0x101B0212, 0x101E0212, // 0410
    0x10220212, 0x10221512, 0x102E0212, 0x10320212, 0x10380212, 0x103A0212, 0x10480212, 0x104F0212, // 0418
    0x10510212, 0x10530212, 0x10570212, 0x10630212, 0x106C0212, 0x106F0212, 0x10750212, 0x10780212, // 0420
    0x10840212, 0x10870212, 0x108A0212, 0x108D0212, 0x10960212, 0x109C0212, 0x10A20212, 0x10A50212, // 0428
    0x10020202, 0x10060202, 0x10080202, 0x100A0202, 0x100F0202, 0x10140202, 0x101B0202, 0x101E0202, // 0430
    0x10220202, 0x10221502, 0x102E0202, 0x10320202, 0x10380202, 0x103A0202, 0x10480202, 0x104F0202, // 0438
    0x10510202, 0x10530202, 0x10570202, 0x10630202, 0x106C0202, 0x106F0202, 0x10750202, 0x10780202, // 0440
    0x10840202, 0x10870202, 0x108A0202, 0x108D0202, 0x10960202, 0x109C0202, 0x10A20202, 0x10A50202, // 0448
    0x10140F02, 0x10141302, 0x10110202, 0x100A0E02, 0x10190202, 0x10200202, 0x10260202, 0x10261302, // 0450
    0x102C0202, 0x10340202, 0x10440202, 0x105D0202, 0x102E0E02, 0x10220F02, 0x10631502, 0x10810202, // 0458
    0x10AB0212, 0x10AB0202, 0x10AE0212, 0x10AE0202, 0x10B10212, 0x10B10202, 0x10B40212, 0x10B40202, // 0460
    0x10B70212, 0x10B70202, 0x10BA0212, 0x10BA0202, 0x10BD0212, 0x10BD0202, 0x10C00212, 0x10C00202, // 0468
    0x10C30212, 0x10C30202, 0x10C60212, 0x10C60202, 0x10C90212, 0x10C90202, 0x10C94412, 0x10C94402, // 0470
    0x10CF0212, 0x10CF0202, 0x10D20212, 0x10D20202, 0x10D50212, 0x10D50202, 0x10D80212, 0x10D80202, // 0478
    0x10DB0212, 0x10DB0202, 0x0D6E0202, 0x01009400, 0x01009500, 0x01009600, 0x01009700, 0x01009800, // 0480
    0x0D7D0202, 0x0D960202, 0x10240212, 0x10240202, 0x10990212, 0x10990202, 0x10DE0212, 0x10DE0202, // 0488
    0x100C0212, 0x100C0202, 0x100A1A12, 0x100A1A02, 0x100D0212, 0x100D0202, 0x101D0212, 0x101D0202, // 0490
    0x101E1A12, 0x101E1A02, 0x10300212, 0x10300202, 0x102E0912, 0x102E0902, 0x102E0412, 0x102E0402, // 0498
    0x102E0A12, 0x102E0A02, 0x103C0212, 0x103C0202, 0x103E0212, 0x103E0202, 0x104F0512, 0x104F0502, // 04A0
    0x104C0512, 0x104C0502, 0x10531A12, 0x10531A02, 0x105B0712, 0x105B0702, 0x10660212, 0x10660202, // 04A8
    0x10690212, 0x10690202, 0x10720212, 0x10720202, 0x10750412, 0x10750402, 0x10780712, 0x10780702, // 04B0
    0x10780912, 0x10780902, 0x10400212, 0x10400202, 0x10150512, 0x10150502, 0x10161712, 0x10161702, // 04B8
    0x104D0312, 0x101B1512, 0x101B1502, 0x102E0512, 0x102E0502, 0x10E10212, 0x10E10202, 0x10420212, // 04C0
    0x10420202, 0x10E40212, 0x10E40202, 0x107E0212, 0x107E0202, 0x10E70212, 0x10E70202, 0x104D0302, // 04C8
    0x10021512, 0x10021502, 0x10021312, 0x10021302, 0x10EA0212, 0x10EA0202, 0x10141512, 0x10141502, // 04D0
    0x10170212, 0x10170202, 0x10171312, 0x10171302, 0x101B1312, 0x101B1302, 0x101E1312, 0x101E1302, // 04D8
    0x10ED0212, 0x10ED0202, 0x10221712, 0x10221702, 0x10221312, 0x10221302, 0x10481312, 0x10481302, // 04E0
    0x104C0212, 0x104C0202, 0x104C1312, 0x104C1302, 0x109C1312, 0x109C1302, 0x10631712, 0x10631702, // 04E8
    0x10631312, 0x10631302, 0x10631D12, 0x10631D02, 0x10781312, 0x10781302, 0x100E0212, 0x100E0202, // 04F0
    0x108D1312, 0x108D1302, 0x100A3D12, 0x100A3D02, 0x106F1412, 0x106F1402, 0x106F2712, 0x106F2702, // 04F8
];

/// U+2000..=U+20CF.
#[rustfmt::skip]
static BLOCK_2000: [u32; 208] = [
    UNKNOWN, UNKNOWN, 0x070C0202, 0x070D0202, 0x070E0202, 0x070F0202, 0x07100202, 0x07110202, // 2000
    0x07120202, 0x07130202, 0x07140202, 0x07150202, 0x00000000, 0x00000000, 0x00000000, 0x00000000, // 2008
    0x06840202, 0x06850202, 0x06880202, 0x06890202, 0x06900202, 0x06920202, 0x07770202, 0x07780202, // 2010
    0x07790202, 0x077A0202, 0x077B0202, 0x077C0202, 0x077D0202, 0x077E0202, 0x077F0202, 0x07800202, // 2018
    0x0B250202, 0x0B260202, 0x0B270202, 0x0B280202, UNKNOWN, 0x0A0F0202, 0x0A100202, 0x06860202, // 2020
    0x07170202, 0x07180202, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x07020A02, // 2028
    0x0B2C0C02, 0x0B2C0E02, 0x07810202, 0x07811402, 0x07812802, 0x07840202, 0x07811902, 0x07812D02, // 2030
    0x07870202, 0x07880202, 0x07890202, 0x0B2E0202, 0x071C1402, 0x078B0202, 0x078C0202, 0x078D0202, // 2038
    0x0B2F0202, 0x0B300202, 0x0B310202, 0x06870202, 0x08070202, 0x073F1C02, 0x07421C02, 0x073C6402, // 2040
    0x073CC802, 0x071CC802, 0x07870202, 0x07250202, 0x07240202, 0x071D0202, 0x071E0202, 0x07230202, // 2048
    0x07220202, 0x072D6402, 0x07210202, 0x07880202, 0x07200202, 0x071A1502, 0x071A1F02, 0x071F0202, // 2050
    0x071A2902, 0x071A3302, 0x071A3D02, 0x071A4702, 0x0C020202, 0x0C030202, 0x0C040202, 0x07020202, // 2058
    0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, // 2060
    0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, // 2068
    0x0D03020E, 0x0E32020E, 0x00000000, 0x00000000, 0x0D20020E, 0x0D22020E, 0x0D24020E, 0x0D26020E, // 2070
    0x0D28020E, 0x0D2A020E, 0x0803020E, 0x0683020E, 0x0812020E, 0x0727020E, 0x072A020E, 0x0E70020E, // 2078
    0x0D030204, 0x0D1A0204, 0x0D1C0204, 0x0D1E0204, 0x0D200204, 0x0D220204, 0x0D240204, 0x0D260204, // 2080
    0x0D280204, 0x0D2A0204, 0x08030204, 0x06830204, 0x08120204, 0x07270204, 0x072A0204, 0x00000000, // 2088
    0x0E020204, 0x0E210204, 0x0E7C0204, 0x0EA60204, 0x0E217E04, 0x0E2C020B, 0x0E36020B, 0x0E48020B, // 2090
    0x0E51020B, 0x0E70020F, 0x0E7E020B, 0x0E91020B, 0x0E99020B, 0x00000000, 0x00000000, 0x00000000, // 2098
    0x079D0202, 0x07AB0202, 0x07A80202, 0x079E0202, 0x079F0202, 0x07A00202, 0x07A10202, 0x07A20202, // 20A0
    0x07A30202, 0x07A40202, 0x07B60202, 0x07B70202, 0x07A90202, 0x07A00202, 0x07A70202, 0x07A50202, // 20A8
    0x07A60202, 0x079B0202, 0x07B20202, 0x07B30202, 0x07B40202, 0x07B50202, UNKNOWN, UNKNOWN, // 20B0
    UNKNOWN, 0x07BF0202, 0x07C00202, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, // 20B8
    UNKNOWN, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, // 20C0
    0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, // 20C8
];

/// U+FF00..=U+FF5F.
#[rustfmt::skip]
static BLOCK_FF00: [u32; 96] = [
    0x00000000, 0x071C0203, 0x071D0203, 0x071F0203, 0x07210203, 0x07230203, 0x07250203, 0x06800203, // FF00
    0x07270203, 0x072A0203, 0x072D0203, 0x08030203, 0x072F0203, 0x06820203, 0x07330203, 0x07350203, // FF08
    0x0D030203, 0x0D1A0203, 0x0D1C0203, 0x0D1E0203, 0x0D200203, 0x0D220203, 0x0D240203, 0x0D260203, // FF10
    0x0D280203, 0x0D2A0203, 0x07370203, 0x073A0203, 0x080E0203, 0x08120203, 0x08140203, 0x073C0203, // FF18
    0x073E0203, 0x0E020213, 0x0E090213, 0x0E0A0213, 0x0E1A0213, 0x0E210213, 0x0E230213, 0x0E250213, // FF20
    0x0E2C0213, 0x0E320213, 0x0E350213, 0x0E360213, 0x0E480213, 0x0E510213, 0x0E700213, 0x0E7C0213, // FF28
    0x0E7E0213, 0x0E890213, 0x0E8A0213, 0x0E910213, 0x0E990213, 0x0E9F0213, 0x0EA20213, 0x0EA40213, // FF30
    0x0EA60213, 0x0EA70213, 0x0EA90213, 0x073F0203, 0x07410203, 0x07420203, 0x07430203, 0x07440203, // FF38
    0x07480203, 0x0E020203, 0x0E090203, 0x0E0A0203, 0x0E1A0203, 0x0E210203, 0x0E230203, 0x0E250203, // FF40
    0x0E2C0203, 0x0E320203, 0x0E350203, 0x0E360203, 0x0E480203, 0x0E510203, 0x0E700203, 0x0E7C0203, // FF48
    0x0E7E0203, 0x0E890203, 0x0E8A0203, 0x0E910203, 0x0E990203, 0x0E9F0203, 0x0EA20203, 0x0EA40203, // FF50
    0x0EA60203, 0x0EA70203, 0x0EA90203, 0x074A0203, 0x074C0203, 0x074E0203, 0x07500203, 0x070B4303, // FF58
];

/// Expansions: (character, first, second).
#[rustfmt::skip]
static EXPANSIONS: [(u16, u16, u16); 25] = [
    (0x00C6, 0x0041, 0x0045),
    (0x00DE, 0x0054, 0x0048),
    (0x00DF, 0x0073, 0x0073),
    (0x00E6, 0x0061, 0x0065),
    (0x00FE, 0x0074, 0x0068),
    (0x0132, 0x0049, 0x004A),
    (0x0133, 0x0069, 0x006A),
    (0x0152, 0x004F, 0x0045),
    (0x0153, 0x006F, 0x0065),
    (0x01C4, 0x0044, 0x017D),
    (0x01C5, 0x0044, 0x017E),
    (0x01C6, 0x0064, 0x017E),
    (0x01C7, 0x004C, 0x004A),
    (0x01C8, 0x004C, 0x006A),
    (0x01C9, 0x006C, 0x006A),
    (0x01CA, 0x004E, 0x004A),
    (0x01CB, 0x004E, 0x006A),
    (0x01CC, 0x006E, 0x006A),
    (0x01E2, 0x0100, 0x0112),
    (0x01E3, 0x0101, 0x0113),
    (0x01F1, 0x0044, 0x005A),
    (0x01F2, 0x0044, 0x007A),
    (0x01F3, 0x0064, 0x007A),
    (0x01FC, 0x00C1, 0x00C9),
    (0x01FD, 0x00E1, 0x00E9),
];

#[cfg(test)]
mod tests;
