//! Tests of the Windows sort keys: the keys Windows stored in the corpus,
//! Microsoft's own test expectations, flags, ordering and refusals.

use super::*;

fn units(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn key(text: &str, lcmap_flags: u32) -> Vec<u8> {
    sort_key(&units(text), lcmap_flags, "en-US").unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks_exact(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

/// The leaf key of IxUnicode (index.edb, page 56): "Simple Unicode text 🦊".
const STORED_IX_UNICODE: &str = "7f \
    0e91 0e32 0e51 0e7e 0e48 0e21 0702 \
    0e9f 0e70 0e32 0e0a 0e7c 0e1a 0e21 0702 \
    0e99 0e21 0ea6 0e99 0702 b040 b686 01 \
    0202020202020202020202020202020202020202 3f3f 01 01 01 00";

/// The leaf key of IxLongUnicode (index.edb, page 58): "Long Unicode
/// text 🦊 " + 1024 × "a", 255 bytes: 0x7F and 254 primary bytes.
fn stored_ix_long_unicode() -> Vec<u8> {
    let mut stored = hex("7f 0e48 0e7c 0e70 0e25 0702 \
        0e9f 0e70 0e32 0e0a 0e7c 0e1a 0e21 0702 \
        0e99 0e21 0ea6 0e99 0702 b040 b686 0702");
    for _ in 0..106 {
        stored.extend_from_slice(&[0x0e, 0x02]);
    }
    stored
}

fn long_unicode_value() -> String {
    format!("Long Unicode text 🦊 {}", "a".repeat(1024))
}

#[test]
fn sort_key_of_ix_unicode_value_matches_windows() {
    let stored = hex(STORED_IX_UNICODE);
    assert_eq!(stored.len(), 72);
    assert_eq!(key("Simple Unicode text 🦊", ESE_DEFAULT), stored[1..]);
}

#[test]
fn ix_unicode_segment_matches_stored_key() {
    let stored = hex(STORED_IX_UNICODE);
    let limits = SegmentLimits::first_segment(255);
    let column = utf16le("Simple Unicode text 🦊");
    let segment = record_unicode_segment(&column, 0x30401, "en-US", &limits).unwrap();
    assert_eq!(
        segment,
        TextSegment {
            bytes: stored.clone(),
            truncated: false
        }
    );
    let seek = make_key_unicode_segment(&column, 0x30401, "en-US", &limits).unwrap();
    assert_eq!(seek.bytes, stored);
    assert_eq!(
        normalized_unicode_segment(&column, 0x30401, "en-US", 254).unwrap(),
        stored[1..]
    );
}

#[test]
fn ix_long_unicode_segment_matches_stored_key() {
    let stored = stored_ix_long_unicode();
    assert_eq!(stored.len(), 255);
    let limits = SegmentLimits::first_segment(255);
    let column = utf16le(&long_unicode_value());
    let segment = record_unicode_segment(&column, 0x30401, "en-US", &limits).unwrap();
    assert_eq!(segment.bytes, stored);
    assert!(segment.truncated);
    let seek = make_key_unicode_segment(&column, 0x30401, "en-US", &limits).unwrap();
    assert_eq!(seek.bytes, stored);
}

#[test]
fn legacy_index_reads_127_code_units_of_a_record() {
    // 127 'a' then 'b': the 'b' (unit 128) is past the 255 bytes ESE
    // reads, even though the key has room to show it is absent.
    let limits = SegmentLimits::first_segment(255);
    let mut text = "a".repeat(127);
    let base = record_unicode_segment(&utf16le(&text), 0x30401, "en-US", &limits).unwrap();
    text.push('b');
    let longer = record_unicode_segment(&utf16le(&text), 0x30401, "en-US", &limits).unwrap();
    assert_eq!(base, longer);
    // Only the primaries fit: 127 × 2 = 254 bytes after the prefix.
    assert_eq!(base.bytes.len(), 255);
}

#[test]
fn larger_keys_read_more_source_when_room_is_left() {
    // key_most 1000: the first 1000 bytes are 500 ignorable NULs, a
    // 6-byte segment with room to spare, so ESE reads twice as much.
    let limits = SegmentLimits::first_segment(1000);
    let mut text: Vec<u16> = vec![0; 600];
    text.push(u16::from(b'z'));
    let column: Vec<u8> = text.iter().flat_map(|u| u.to_le_bytes()).collect();
    let segment = record_unicode_segment(&column, 0x30401, "en-US", &limits).unwrap();
    assert_eq!(segment.bytes, hex("7f 0ea9 01 01 01 01 00"));
    assert!(!segment.truncated);
}

#[test]
fn segment_limit_cuts_without_warning() {
    let limits = SegmentLimits {
        key_most: 255,
        key_avail: 255,
        var_seg_mac: 8,
    };
    let segment = unicode_text_segment(&utf16le("abcdef"), 0x30401, "en-US", &limits).unwrap();
    assert_eq!(segment.bytes, hex("7f 0e02 0e09 0e0a 0e"));
    assert!(!segment.truncated);
    let tight = SegmentLimits {
        key_most: 255,
        key_avail: 4,
        var_seg_mac: 255,
    };
    let segment = unicode_text_segment(&utf16le("abcdef"), 0x30401, "en-US", &tight).unwrap();
    assert_eq!(segment.bytes, hex("7f 0e02 0e"));
    assert!(segment.truncated);
}

#[test]
fn nt_nlstest_expectations() {
    // Microsoft's NT nlstest: "Th" with no flags and with IGNORECASE.
    assert_eq!(key("Th", LCMAP_SORTKEY), hex("0e99 0e2c 01 01 12 01 01 00"));
    assert_eq!(
        key("Th", LCMAP_SORTKEY | NORM_IGNORECASE),
        hex("0e99 0e2c 01 01 01 01 00")
    );
    // String sort keeps the hyphen among the primaries.
    assert_eq!(
        key("co-op", LCMAP_SORTKEY | SORT_STRINGSORT),
        hex("0e0a 0e7c 0682 0e7c 0e7e 01 01 01 01 00")
    );
}

#[test]
fn case_is_ignored_under_ignorecase() {
    assert_eq!(key("ABC", ESE_DEFAULT), key("abc", ESE_DEFAULT));
    assert_eq!(
        key("ABC", LCMAP_SORTKEY | NORM_IGNORECASE),
        key("abc", LCMAP_SORTKEY | NORM_IGNORECASE)
    );
    let lower = key("abc", LCMAP_SORTKEY);
    let upper = key("ABC", LCMAP_SORTKEY);
    assert_ne!(lower, upper);
    assert!(lower < upper, "lower case sorts first at the case level");
    assert_eq!(upper, hex("0e02 0e09 0e0a 01 01 121212 01 01 00"));
}

#[test]
fn full_width_letters_fold_under_ignorewidth() {
    assert_eq!(key("ＡＢＣ", ESE_DEFAULT), key("abc", ESE_DEFAULT));
    assert_ne!(
        key("ＡＢＣ", LCMAP_SORTKEY | NORM_IGNORECASE),
        key("abc", LCMAP_SORTKEY | NORM_IGNORECASE)
    );
    assert_ne!(
        key("ＡＢＣ", LCMAP_SORTKEY | NORM_IGNOREWIDTH),
        key("abc", LCMAP_SORTKEY | NORM_IGNOREWIDTH)
    );
}

#[test]
fn ordering_of_letters_and_prefixes() {
    for flags in [LCMAP_SORTKEY, ESE_DEFAULT] {
        let ordered = ["a", "ab", "b", "c", "ca", "d", "z"];
        for pair in ordered.windows(2) {
            assert!(
                key(pair[0], flags) < key(pair[1], flags),
                "{pair:?} with {flags:#x}"
            );
        }
        assert!(key("1", flags) < key("a", flags), "digits before letters");
        assert!(key(" ", flags) < key("0", flags), "space before digits");
    }
}

#[test]
fn accents_sort_after_their_base_letter_at_the_diacritic_level() {
    for (base, accented, next) in [
        ("e", "é", "f"),
        ("a", "á", "b"),
        ("a", "ä", "b"),
        ("c", "č", "d"),
        ("o", "ő", "p"),
    ] {
        let (k_base, k_acc, k_next) = (
            key(base, ESE_DEFAULT),
            key(accented, ESE_DEFAULT),
            key(next, ESE_DEFAULT),
        );
        assert!(k_base < k_acc && k_acc < k_next, "{base} {accented} {next}");
        // Same primary: the difference is in the diacritic section.
        assert_eq!(k_base[..3], k_acc[..3]);
    }
    assert!(
        key("résumé", ESE_DEFAULT) < key("resumes", ESE_DEFAULT),
        "primary difference wins"
    );
    assert!(key("resume", ESE_DEFAULT) < key("résumé", ESE_DEFAULT));
    assert_eq!(key("é", ESE_DEFAULT), hex("0e21 01 0e 01 01 01 00"));
}

#[test]
fn combining_marks_add_to_the_previous_diacritic() {
    assert_eq!(key("e\u{301}", ESE_DEFAULT), key("é", ESE_DEFAULT));
    assert_eq!(key("A\u{308}", LCMAP_SORTKEY), key("Ä", LCMAP_SORTKEY));
    let ignoring = ESE_DEFAULT | NORM_IGNORENONSPACE;
    assert_eq!(key("é", ignoring), key("e", ignoring));
    assert_eq!(key("e\u{301}", ignoring), key("e", ignoring));
}

#[test]
fn ligatures_expand() {
    assert_eq!(key("æ", LCMAP_SORTKEY), key("ae", LCMAP_SORTKEY));
    assert_eq!(key("Æ", LCMAP_SORTKEY), key("AE", LCMAP_SORTKEY));
    assert_eq!(key("straße", ESE_DEFAULT), key("STRASSE", ESE_DEFAULT));
    assert_eq!(key("Œuvre", ESE_DEFAULT), key("oeuvre", ESE_DEFAULT));
    assert_eq!(key("ǅ", LCMAP_SORTKEY), key("Dž", LCMAP_SORTKEY));
}

#[test]
fn symbols_are_primary_unless_ignored() {
    assert_eq!(
        key("a$b", ESE_DEFAULT),
        hex("0e02 0721 0e09 01 01 01 01 00")
    );
    let ignoring = ESE_DEFAULT | NORM_IGNORESYMBOLS;
    assert_eq!(key("a$b", ignoring), key("ab", ignoring));
    assert_eq!(key("co-op", ignoring), key("coop", ignoring));
    assert_eq!(key("O'Brien", ignoring), key("obrien", ignoring));
}

#[test]
fn word_sort_punctuation_is_refused() {
    let error = sort_key(&units("co-op"), ESE_DEFAULT, "en-US").unwrap_err();
    assert_eq!(error.code(), JET_errUnicodeTranslationFail);
    let error = sort_key(&units("O'Brien"), ESE_DEFAULT, "en-US").unwrap_err();
    assert_eq!(error.code(), JET_errUnicodeTranslationFail);
}

#[test]
fn uncovered_characters_are_refused() {
    for text in [
        "中文", "\u{0238}", "\u{20bf}", "\u{3042}", "\u{ac00}", "\u{0600}",
    ] {
        let error = sort_key(&units(text), ESE_DEFAULT, "en-US").unwrap_err();
        assert_eq!(error.code(), JET_errUnicodeTranslationFail, "{text}");
    }
    assert!(is_covered(u16::from(b'a')));
    assert!(!is_covered(0x4e2d));
}

#[test]
fn ignorable_units_weigh_nothing() {
    assert_eq!(key("a\0b", ESE_DEFAULT), key("ab", ESE_DEFAULT));
    assert_eq!(key("co\u{ad}op", ESE_DEFAULT), key("coop", ESE_DEFAULT));
    assert_eq!(key("a\u{200d}b", ESE_DEFAULT), key("ab", ESE_DEFAULT));
    assert_eq!(
        sort_key(&[], ESE_DEFAULT, "en-US").unwrap(),
        hex("01 01 01 01 00")
    );
}

#[test]
fn surrogates_weigh_by_halves() {
    // Case weights of surrogates survive IGNORECASE alone (0x3F & 0xE7).
    assert_eq!(
        key("🦊", LCMAP_SORTKEY),
        hex("b040 b686 01 3f3f 01 3f3f 01 01 00")
    );
    assert_eq!(
        key("🦊", LCMAP_SORTKEY | NORM_IGNORECASE),
        hex("b040 b686 01 3f3f 01 2727 01 01 00")
    );
    assert_eq!(key("🦊", ESE_DEFAULT), hex("b040 b686 01 3f3f 01 01 01 00"));
    // U+10000 (D800 DC00) and the ends of the low range.
    assert_eq!(
        sort_key(&[0xd800, 0xdc00], ESE_DEFAULT, "").unwrap(),
        hex("b002 b4f8 01 3f3f 01 01 01 00")
    );
    assert_eq!(
        sort_key(&[0xdfff], ESE_DEFAULT, "").unwrap(),
        hex("b8ff 01 3f 01 01 01 00")
    );
    assert_eq!(
        sort_key(&[0xdc08], ESE_DEFAULT, "").unwrap(),
        hex("b502 01 3f 01 01 01 00")
    );
    // Planes 3 to 14: the high half is ignorable.
    assert_eq!(
        sort_key(&[0xd8c0, 0xdc00], ESE_DEFAULT, "").unwrap(),
        hex("b4f8 01 3f 01 01 01 00")
    );
    // Unpaired halves are weighed like paired ones.
    assert_eq!(
        sort_key(&[0xdd8a], ESE_DEFAULT, "").unwrap(),
        hex("b686 01 3f 01 01 01 00")
    );
}

#[test]
fn private_use_takes_three_primary_bytes() {
    assert_eq!(
        sort_key(&[0xe000], LCMAP_SORTKEY, "").unwrap(),
        hex("a90202 01 01 01 01 00")
    );
    assert_eq!(
        sort_key(&[0xe001], LCMAP_SORTKEY, "").unwrap(),
        hex("a90243 01 01 01 01 00")
    );
    assert_eq!(
        sort_key(&[0xf8ff], LCMAP_SORTKEY, "").unwrap(),
        hex("af4dc5 01 01 01 01 00")
    );
    assert!(
        sort_key(&[0xe0ff], LCMAP_SORTKEY, "").unwrap()
            < sort_key(&[0xe100], LCMAP_SORTKEY, "").unwrap()
    );
}

#[test]
fn byterev_swaps_pairs() {
    let plain = key("ab", LCMAP_SORTKEY);
    let swapped = key("ab", LCMAP_SORTKEY | LCMAP_BYTEREV);
    assert_eq!(plain, hex("0e02 0e09 01 01 01 01 00"));
    assert_eq!(swapped, hex("020e 090e 0101 0101 00"));
}

#[test]
fn linguistic_ignorecase_flattens_case() {
    let flags = LCMAP_SORTKEY | LINGUISTIC_IGNORECASE;
    assert_eq!(key("ABC", flags), key("abc", flags));
}

#[test]
fn flags_and_locales_are_checked() {
    let text = units("abc");
    let code = |flags: u32, locale: &str| sort_key(&text, flags, locale).unwrap_err().code();
    assert_eq!(
        code(NORM_IGNORECASE, "en-US"),
        JET_errInvalidLCMapStringFlags
    );
    assert_eq!(
        code(LCMAP_UPPERCASE, "en-US"),
        JET_errInvalidLCMapStringFlags
    );
    assert_eq!(
        code(LCMAP_SORTKEY | LCMAP_UPPERCASE, "en-US"),
        JET_errInvalidLCMapStringFlags
    );
    assert_eq!(
        code(LCMAP_SORTKEY | SORT_DIGITSASNUMBERS, "en-US"),
        JET_errUnicodeNormalizationNotSupported
    );
    assert_eq!(
        code(LCMAP_SORTKEY | LINGUISTIC_IGNOREDIACRITIC, "en-US"),
        JET_errUnicodeNormalizationNotSupported
    );
    assert_eq!(
        code(ESE_DEFAULT, "de-DE"),
        JET_errUnicodeNormalizationNotSupported
    );
    assert_eq!(
        code(ESE_DEFAULT, "en-US_x"),
        JET_errUnicodeNormalizationNotSupported
    );
    assert_eq!(
        code(ESE_DEFAULT, "english"),
        JET_errUnicodeNormalizationNotSupported
    );
    for locale in ["en-US", "EN-us", "en", "en-GB", "en-001", ""] {
        assert!(
            sort_key(&text, ESE_DEFAULT | NORM_LINGUISTIC_CASING, locale).is_ok(),
            "{locale}"
        );
    }
}

#[test]
fn segment_helpers_refuse_empty_and_roomless_input() {
    let limits = SegmentLimits::first_segment(255);
    assert_eq!(
        unicode_text_segment(&[0x41], ESE_DEFAULT, "en-US", &limits)
            .unwrap_err()
            .code(),
        JET_errUnicodeTranslationFail
    );
    assert_eq!(
        normalized_unicode_segment(&[], ESE_DEFAULT, "en-US", 10)
            .unwrap_err()
            .code(),
        JET_errUnicodeTranslationFail
    );
    let none = SegmentLimits {
        key_most: 255,
        key_avail: 0,
        var_seg_mac: 255,
    };
    assert_eq!(
        unicode_text_segment(&utf16le("a"), ESE_DEFAULT, "en-US", &none)
            .unwrap_err()
            .code(),
        JET_errInvalidParameter
    );
    // One byte of room: the prefix alone.
    let one = SegmentLimits {
        key_most: 255,
        key_avail: 1,
        var_seg_mac: 255,
    };
    let segment = unicode_text_segment(&utf16le("a"), ESE_DEFAULT, "en-US", &one).unwrap();
    assert_eq!(
        segment,
        TextSegment {
            bytes: vec![PREFIX_DATA],
            truncated: true
        }
    );
}

#[test]
fn table_blocks_are_consistent() {
    for (index, &(ch, first, second)) in EXPANSIONS.iter().enumerate() {
        assert_eq!(lookup(ch), Entry::Expansion(first, second), "U+{ch:04X}");
        assert_eq!(BLOCK_0000[usize::from(ch)] >> 16, (2 << 8) | index as u32);
        assert!(matches!(lookup(first), Entry::Weighted(_)));
        assert!(matches!(lookup(second), Entry::Weighted(_)));
    }
    // Spot checks against the published table.
    assert_eq!(
        lookup(u16::from(b'A')),
        Entry::Weighted(Weights {
            script: 0x0e,
            primary: 0x02,
            diacritic: 0x02,
            case: 0x12
        })
    );
    assert_eq!(
        lookup(u16::from(b' ')),
        Entry::Weighted(Weights {
            script: 0x07,
            primary: 0x02,
            diacritic: 0x02,
            case: 0x02
        })
    );
    assert_eq!(
        lookup(0x0301),
        Entry::Weighted(Weights {
            script: 0x01,
            primary: 0x00,
            diacritic: 0x0c,
            case: 0x00
        })
    );
    assert_eq!(lookup(0x00ad), Entry::Unsortable);
    assert_eq!(lookup(0x0374), Entry::Unknown);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_units(
            text in proptest::collection::vec(any::<u16>(), 0..64),
            flag_bits in any::<u32>(),
        ) {
            let _ = sort_key(&text, flag_bits, "en-US");
            let _ = sort_key(&text, ESE_DEFAULT, "en-US");
            let bytes: Vec<u8> = text.iter().flat_map(|u| u.to_le_bytes()).collect();
            let limits = SegmentLimits::first_segment(255);
            let _ = record_unicode_segment(&bytes, ESE_DEFAULT, "en-US", &limits);
        }

        #[test]
        fn surrogates_and_covered_text_always_produce_a_key(
            text in proptest::collection::vec(
                prop_oneof![0x20u16..0x27, 0x28u16..0x2d, 0x2eu16..0x7f, 0xc0u16..0x17f, 0xd800u16..0xe000],
                0..64,
            ),
        ) {
            let key = sort_key(&text, ESE_DEFAULT, "en-US").unwrap();
            prop_assert_eq!(key.last(), Some(&TERMINATOR));
            prop_assert_eq!(key.iter().filter(|&&b| b == SECTION_SEPARATOR).count() >= 4, true);
        }

        #[test]
        fn ignorecase_keys_agree_with_ascii_case_folding(text in "[a-zA-Z0-9 ]{0,40}") {
            prop_assert_eq!(key(&text, ESE_DEFAULT), key(&text.to_ascii_lowercase(), ESE_DEFAULT));
        }
    }
}
