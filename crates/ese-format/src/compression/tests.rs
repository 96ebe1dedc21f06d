//! Tests of the column compression codecs: known answers, real values
//! written by Windows, round trips, truncations and random input.

use super::*;
use ese_testkit::{test_seed, SeededRng};

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn expect_failure(stored: &[u8]) -> String {
    let error = decompress(stored).expect_err("must not decode");
    assert_eq!(error.code(), JET_errDecompressionFailed);
    error
        .context()
        .and_then(|context| context.detail.clone())
        .expect("a detail says why")
}

// ---- scheme identification ------------------------------------------

#[test]
fn leading_byte_names_the_scheme_in_its_top_five_bits() {
    for scheme in CompressionScheme::ALL {
        for low in 0..8 {
            let byte = scheme.leading_byte() | low;
            assert_eq!(CompressionScheme::from_leading_byte(byte), Some(scheme));
            assert_eq!(scheme_of(&[byte]), Ok(scheme));
        }
    }
    assert_eq!(CompressionScheme::Xpress.leading_byte(), 0x18);
    assert_eq!(CompressionScheme::Scrub.leading_byte(), 0x20);
    assert_eq!(CompressionScheme::Xpress9.leading_byte(), 0x28);
    assert_eq!(CompressionScheme::Xpress10.leading_byte(), 0x30);
    assert_eq!(CompressionScheme::Lz4.leading_byte(), 0x38);
    for byte in (0x00..0x08).chain(0x40..=0xff) {
        let error = scheme_of(&[byte]).unwrap_err();
        assert_eq!(error.code(), JET_errDecompressionFailed);
    }
    assert_eq!(
        scheme_of(&[]).unwrap_err().code(),
        JET_errDecompressionFailed
    );
}

#[test]
fn unsupported_schemes_fail_naming_the_scheme() {
    let xpress9 = [0x28, 1, 2, 3, 4, 5, 6, 7, 8];
    assert!(expect_failure(&xpress9).contains("XPRESS9"));
    let mut xpress10 = vec![0x30, 0x40, 0x00];
    xpress10.extend_from_slice(&[0; 20]);
    assert!(expect_failure(&xpress10).contains("XPRESS10"));
    assert_eq!(uncompressed_len(&xpress10), Ok(0x40));
    assert!(uncompressed_len(&xpress9).is_err());
    let scrub = [0x20, 0x6c, 0x6c, 0x6c];
    assert!(expect_failure(&scrub).contains("scrub"));
    assert!(uncompressed_len(&scrub).is_err());
    assert!(expect_failure(&[0x00, 1, 2]).contains("not compressed"));
    assert!(expect_failure(&[0x48, 1, 2]).contains("scheme 9"));
    // An XPRESS10 value too short for its 15-byte header.
    assert!(uncompressed_len(&[0x30, 0x40, 0x00, 1]).is_err());
}

// ---- 7-bit: known answers ---------------------------------------------

#[test]
fn seven_bit_ascii_known_answer() {
    // "Simple ASCII text": 17 characters, 119 bits, so 15 bytes with 7
    // bits used in the last: header (1 << 3) | (7 - 1) = 0x0e. The bytes
    // are the characters' 7-bit codes laid least significant bit first.
    let stored = hex("0e d3741bce2e8382d3613209a297f174");
    assert_eq!(decompress(&stored).unwrap(), b"Simple ASCII text");
    assert_eq!(uncompressed_len(&stored), Ok(17));
    assert_eq!(compress_7bit_ascii(b"Simple ASCII text").unwrap(), stored);
    assert_eq!(scheme_of(&stored), Ok(CompressionScheme::SevenBitAscii));
}

#[test]
fn seven_bit_ascii_matches_the_example_in_ese_source() {
    // ESE's packer comment works "01234567" through to these 7 bytes; 56
    // bits fill the last byte, so the header is 0x08 | 7.
    let stored = hex("0f b0986c46abd96e");
    assert_eq!(decompress(&stored).unwrap(), b"01234567");
    assert_eq!(compress_7bit_ascii(b"01234567").unwrap(), stored);
    // ESE's unit test: 16 characters pack into 15 bytes, 3 are not worth it.
    let packed = compress(b"1234567890ABCDEF", &CompressOptions::ESE_DEFAULT).unwrap();
    assert_eq!(packed.len(), 15);
    assert_eq!(decompress(&packed).unwrap(), b"1234567890ABCDEF");
    assert_eq!(compress(b"foo", &CompressOptions::ESE_DEFAULT), None);
}

#[test]
fn seven_bit_unicode_known_answer() {
    // From the format reference: a Windows Search catalog value "link"
    // in UTF-16, 4 characters = 28 bits, 4 used in the last byte.
    let stored = hex("13 ecb47b0d");
    assert_eq!(decompress(&stored).unwrap(), utf16("link"));
    assert_eq!(uncompressed_len(&stored), Ok(8));
    assert_eq!(compress_7bit_unicode(&utf16("link")).unwrap(), stored);
    // ESE's unit test: L"12" packs into 3 bytes, L"f" is not worth it.
    let packed = compress(&utf16("12"), &CompressOptions::ESE_DEFAULT).unwrap();
    assert_eq!(packed, hex("15 3119"));
    assert_eq!(decompress(&packed).unwrap(), utf16("12"));
    assert_eq!(compress(&utf16("f"), &CompressOptions::ESE_DEFAULT), None);
}

#[test]
fn seven_bit_rejects_inconsistent_bit_counts() {
    // 2 data bytes with 8 bits used: 16 bits is not whole characters.
    assert!(expect_failure(&[0x0f, 0x41, 0x41]).contains("16 bits"));
    // No data byte but only 3 bits used in the (absent) last byte.
    assert!(decompress(&[0x0a]).is_err());
    assert!(uncompressed_len(&[0x12]).is_err());
    // An empty packing is one header byte with a full last byte.
    assert_eq!(decompress(&[0x0f]).unwrap(), b"");
    assert_eq!(compress_7bit_ascii(b"").unwrap(), [0x0f]);
    assert_eq!(compress_7bit_unicode(b"").unwrap(), [0x17]);
}

#[test]
fn seven_bit_encoders_refuse_what_they_cannot_pack() {
    assert_eq!(compress_7bit_ascii(b"caf\xe9"), None);
    assert_eq!(compress_7bit_unicode(b"abc"), None);
    assert_eq!(compress_7bit_unicode(&utf16("caf\u{e9}")), None);
    assert_eq!(compress_7bit_unicode(&utf16("\u{141}")), None);
}

// ---- XPRESS: hand-built streams ---------------------------------------

#[test]
fn xpress_short_match_and_byte_length_escape() {
    // "abc" then a 27-byte match 3 back: length - 3 = 24 escapes through
    // 7 in the token and 15 in a fresh nibble byte to a byte of 2.
    // Flags 0,0,0,1 then ones: 0x1fffffff.
    let stored = hex("18 1e00 ffffff1f 616263 1700 0f 02");
    assert_eq!(decompress(&stored).unwrap(), b"abc".repeat(10));
    assert_eq!(uncompressed_len(&stored), Ok(30));
}

#[test]
fn xpress_matches_share_one_length_nibble_byte() {
    // 'a', match 12 (nibble 2), 'b', match 13 (nibble 3 in the high half
    // of the same byte, which therefore reads 0x32).
    let stored = hex("18 1b00 ffffff5f 61 0700 32 62 0700");
    let mut expected = b"a".repeat(13);
    expected.extend_from_slice(&b"b".repeat(14));
    assert_eq!(decompress(&stored).unwrap(), expected);
}

#[test]
fn xpress_sixteen_bit_length_escape() {
    // 'x' then a match of 300: nibble 15, byte 255, then 297 = 0x0129.
    let stored = hex("18 2d01 ffffff7f 78 0700 0f ff 2901");
    assert_eq!(decompress(&stored).unwrap(), b"x".repeat(301));
    // The 16-bit form must say more than the byte form could (277+).
    let short = hex("18 1d01 ffffff7f 78 0700 0f ff 1401");
    assert!(expect_failure(&short).contains("below 277"));
}

#[test]
fn xpress_end_marker_may_need_a_fresh_flag_word() {
    // 31 literals and a match fill a whole flag word, so the end marker is
    // the top bit of one more word of ones.
    let literals = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcde";
    let mut stored = vec![0x18, 51, 0];
    stored.extend_from_slice(&1u32.to_le_bytes());
    stored.extend_from_slice(literals);
    stored.extend_from_slice(&hex("0700 0a")); // distance 1, length 20
    stored.extend_from_slice(&[0xff; 4]);
    let mut expected = literals.to_vec();
    expected.extend_from_slice(&b"e".repeat(20));
    assert_eq!(decompress(&stored).unwrap(), expected);
    // Without that word the stream has no end.
    assert!(expect_failure(&stored[..stored.len() - 4]).contains("flag word"));
    // A literal flag where the end marker belongs is an overrun.
    let mut overrun = stored.clone();
    let last = overrun.len() - 1;
    overrun[last] = 0x7f;
    assert!(expect_failure(&overrun).contains("literal after"));
}

#[test]
fn xpress_rejects_malformed_streams() {
    // A match reaching before the start: distance 2 after one byte.
    assert!(expect_failure(&hex("18 1400 ffffff7f 61 0d00 00000000")).contains("before the start"));
    // A match longer than the announced size.
    assert!(expect_failure(&hex("18 0c00 ffffff7f 61 0700 05")).contains("runs past"));
    // Stream as long as, or longer than, the size.
    assert!(expect_failure(&hex("18 0900 ffffffff 0000000000")).contains("as long as"));
    assert!(expect_failure(&hex("18 0900 ffffffff 000000000000")).contains("longer"));
    // Sizes the shipped decoder refuses: 8 or less, or a stream under 8.
    assert!(expect_failure(&hex("18 0800 ffffff7f 61 0200")).contains("minimum"));
    assert!(expect_failure(&hex("18 0a00 ffffff7f 61 0600")).contains("minimum"));
    // Header cut short.
    assert!(expect_failure(&[0x18, 0x10]).contains("header"));
    assert!(uncompressed_len(&[0x18]).is_err());
    // Zero size reads as an empty value, as in ESE.
    assert_eq!(decompress(&[0x18, 0, 0]).unwrap(), b"");
}

#[test]
fn hostile_sizes_stay_bounded() {
    // Claims 65535 bytes from a stream that cannot deliver them.
    let mut stored = vec![0x18, 0xff, 0xff];
    stored.extend_from_slice(&[0u8; 40]);
    assert!(decompress(&stored).is_err());
    // A real 65535-byte expansion is allowed: it is the format's limit.
    let big = vec![b'z'; MAX_SIZED_UNCOMPRESSED_LEN];
    let packed = compress_xpress(&big).unwrap();
    assert!(packed.len() < 32);
    assert_eq!(uncompressed_len(&packed), Ok(MAX_SIZED_UNCOMPRESSED_LEN));
    assert_eq!(decompress(&packed).unwrap(), big);
    assert_eq!(compress_xpress(&vec![b'z'; 65536]), None);
    // LZ4 likewise.
    let mut lz4 = vec![0x38, 0xff, 0xff, 0xff];
    lz4.extend_from_slice(&[0xff; 300]);
    assert!(decompress(&lz4).is_err());
}

// ---- LZ4 --------------------------------------------------------------

/// A block made by the reference `lz4` tool (-9) from
/// "Long LZ4 text " + 100 × "a" + " " + 12 × "bcd" + " end.".
fn lz4_sample() -> (Vec<u8>, Vec<u8>) {
    let mut plain = b"Long LZ4 text ".to_vec();
    plain.extend_from_slice(&b"a".repeat(100));
    plain.push(b' ');
    plain.extend_from_slice(&b"bcd".repeat(12));
    plain.extend_from_slice(b" end.");
    let stored = hex("38 9c00 ff004c6f6e67204c5a342074657874206101
         00504f206263640300 0e5020656e642e");
    (stored, plain)
}

#[test]
fn lz4_decodes_a_reference_block() {
    let (stored, plain) = lz4_sample();
    assert_eq!(uncompressed_len(&stored), Ok(plain.len()));
    assert_eq!(decompress(&stored).unwrap(), plain);
}

#[test]
fn lz4_rejects_malformed_blocks() {
    // Size disagrees with the block.
    assert!(expect_failure(&hex("38 0400 30616263")).contains("announces 4"));
    // Distance 0.
    assert!(expect_failure(&hex("38 0800 1061 0000 00")).contains("outside"));
    // Literals past the announced size.
    assert!(expect_failure(&hex("38 0200 30616263")).contains("run past"));
    assert_eq!(decompress(&hex("38 0300 30616263")).unwrap(), b"abc");
    assert_eq!(decompress(&[0x38, 0, 0]).unwrap(), b"");
}

// ---- real values written by Windows -----------------------------------

#[test]
fn windows_xpress_ascii_value() {
    // text.edb, table `text`, LongCompressedASCII: an LV chunk on page 43
    // at byte 3238 (a stale copy sits on page 32 at byte 3244).
    let stored =
        hex("181b040f0000004c6f6e6720636f6d707265737365642041534349492074657874206107000ffffc03");
    let mut expected = b"Long compressed ASCII text ".to_vec();
    expected.extend_from_slice(&b"a".repeat(1024));
    assert_eq!(uncompressed_len(&stored), Ok(1051));
    assert_eq!(decompress(&stored).unwrap(), expected);
    // Our encoder happens to pick the same tokens for this value.
    assert_eq!(
        compress(&expected, &CompressOptions::ESE_DEFAULT).unwrap(),
        stored
    );
}

#[test]
fn windows_xpress_unicode_value() {
    // text.edb, LongCompressedUnicode: page 43 at byte 3301.
    let stored = hex(
        "184008550410004c006f006e00670020006348006d0070007200650073080065006\
         4a80055e80069da00648800ffff0114200074280078280020003ed88add2000610f0\
         00ffffc07",
    );
    let mut expected = utf16("Long compressed Unicode text \u{1f98a} ");
    expected.extend_from_slice(&utf16(&"a".repeat(1024)));
    assert_eq!(uncompressed_len(&stored), Ok(2112));
    assert_eq!(decompress(&stored).unwrap(), expected);
}

#[test]
fn windows_xpress_binary_value_spans_two_flag_words() {
    // binary.edb, LongCompressedBinary: page 32 at byte 66.
    let stored = hex(
        "1809040000000074657374206c6f6e6720636f6d707265737365642062696e61727920\
         64617461ffffff3f206107000fffe403",
    );
    let mut expected = b"test long compressed binary data ".to_vec();
    expected.extend_from_slice(&b"a".repeat(1000));
    assert_eq!(decompress(&stored).unwrap(), expected);
    assert_eq!(
        compress(&expected, &CompressOptions::ESE_DEFAULT).unwrap(),
        stored
    );
}

#[test]
fn windows_seven_bit_ascii_value() {
    // multi.edb, record 2, first value of LongCompressedASCII, in the
    // record on data page 31 at byte 1519: 41 × "a" in 37 bytes.
    let stored = hex("0ee170381c0e87c3e170381c0e87c3e170381c0e87c3e170381c0e87c3e170381c0e87c361");
    assert_eq!(uncompressed_len(&stored), Ok(41));
    assert_eq!(decompress(&stored).unwrap(), b"a".repeat(41));
    assert_eq!(
        compress(&b"a".repeat(41), &CompressOptions::ESE_DEFAULT).unwrap(),
        stored
    );
}

// ---- the choice of scheme ---------------------------------------------

#[test]
fn compress_chooses_like_ese() {
    let options = CompressOptions::ESE_DEFAULT;
    // Short ASCII: 7-bit ASCII.
    let text = b"Max long compressed ASCII text that can be a bit longer ".repeat(5);
    let packed = compress(&text, &options).unwrap();
    assert_eq!(scheme_of(&packed), Ok(CompressionScheme::SevenBitAscii));
    // Short UTF-16 of ASCII characters: 7-bit Unicode.
    let packed = compress(&utf16("Tagged Unicode text"), &options).unwrap();
    assert_eq!(scheme_of(&packed), Ok(CompressionScheme::SevenBitUnicode));
    // Short text with a character above 0x7f: left alone.
    assert_eq!(compress(&utf16("Tiny c \u{1f98a}"), &options), None);
    // Long repetitive data: XPRESS.
    let long = b"0123456789".repeat(200);
    let packed = compress(&long, &options).unwrap();
    assert_eq!(scheme_of(&packed), Ok(CompressionScheme::Xpress));
    // Long UTF-16 ASCII text that XPRESS cannot shrink below what 7-bit
    // Unicode reaches: 7-bit Unicode wins.
    let mut rng = SeededRng::new(7);
    let noisy: String = (0..1500)
        .map(|_| char::from(b' ' + rng.below(95) as u8))
        .collect();
    let packed = compress(&utf16(&noisy), &options).unwrap();
    assert_eq!(scheme_of(&packed), Ok(CompressionScheme::SevenBitUnicode));
    // Long random ASCII bytes: XPRESS fails, 7-bit ASCII is used.
    let bytes: Vec<u8> = noisy.bytes().collect();
    let packed = compress(&bytes, &options).unwrap();
    assert_eq!(scheme_of(&packed), Ok(CompressionScheme::SevenBitAscii));
    // Random binary: nothing.
    let binary: Vec<u8> = (0..2000).map(|_| rng.next_u64() as u8).collect();
    assert_eq!(compress(&binary, &options), None);
    // Without XPRESS allowed, long data still gets 7-bit packing.
    let seven_only = CompressOptions {
        xpress: false,
        ..options
    };
    let packed = compress(&long, &seven_only).unwrap();
    assert_eq!(scheme_of(&packed), Ok(CompressionScheme::SevenBitAscii));
}

// ---- round trips and robustness ---------------------------------------

/// Data with the shapes column values have: text, runs, repeats, noise.
fn sample(rng: &mut SeededRng, max_len: usize) -> Vec<u8> {
    let len = rng.below(max_len + 1);
    let mut data = Vec::with_capacity(len);
    while data.len() < len {
        match rng.below(4) {
            0 => {
                let run = 1 + rng.below(400);
                let byte = b'a' + rng.below(3) as u8;
                data.extend(std::iter::repeat_n(byte, run));
            }
            1 if !data.is_empty() => {
                let distance = 1 + rng.below(data.len().min(9000));
                let length = 3 + rng.below(300);
                let start = data.len() - distance;
                for index in start..start + length {
                    let byte = data[index];
                    data.push(byte);
                }
            }
            2 => {
                let count = 1 + rng.below(40);
                data.extend((0..count).map(|_| b' ' + rng.below(95) as u8));
            }
            _ => {
                let count = 1 + rng.below(20);
                data.extend((0..count).map(|_| rng.next_u64() as u8));
            }
        }
    }
    data.truncate(len);
    data
}

#[test]
fn round_trips() {
    let seed = test_seed("compression::round_trips");
    let mut rng = SeededRng::new(seed);
    for case in 0..400 {
        let max_len = if case % 50 == 0 { 65535 } else { 5000 };
        let data = sample(&mut rng, max_len);
        if let Some(stored) = compress_xpress(&data) {
            assert!(stored.len() < data.len());
            assert_eq!(uncompressed_len(&stored), Ok(data.len()));
            assert_eq!(decompress(&stored).unwrap(), data, "XPRESS, seed {seed}");
        }
        if let Some(stored) = compress(&data, &CompressOptions::ESE_DEFAULT) {
            assert!(stored.len() < data.len());
            assert_eq!(uncompressed_len(&stored), Ok(data.len()));
            assert_eq!(decompress(&stored).unwrap(), data, "compress, seed {seed}");
        }
        let ascii: Vec<u8> = data.iter().map(|byte| byte & 0x7f).collect();
        let stored = compress_7bit_ascii(&ascii).unwrap();
        assert_eq!(
            decompress(&stored).unwrap(),
            ascii,
            "7-bit ASCII, seed {seed}"
        );
        let unicode: Vec<u8> = ascii.iter().flat_map(|&byte| [byte, 0]).collect();
        let stored = compress_7bit_unicode(&unicode).unwrap();
        assert_eq!(uncompressed_len(&stored), Ok(unicode.len()));
        assert_eq!(
            decompress(&stored).unwrap(),
            unicode,
            "7-bit Unicode, seed {seed}"
        );
    }
}

#[test]
fn xpress_compresses_well_enough() {
    // Long runs and repeats must collapse, as ESE's encoder makes them.
    let data = b"Some very long compressed ASCII text that has multiple values ".repeat(30);
    let stored = compress_xpress(&data).unwrap();
    assert!(stored.len() < 100, "{} bytes", stored.len());
    assert_eq!(decompress(&stored).unwrap(), data);
    // Distance limit: a repeat 9000 bytes back cannot be referenced.
    let mut rng = SeededRng::new(11);
    let block: Vec<u8> = (0..9000).map(|_| rng.next_u64() as u8).collect();
    let mut far = block.clone();
    far.extend_from_slice(&block);
    if let Some(stored) = compress_xpress(&far) {
        assert_eq!(decompress(&stored).unwrap(), far);
    }
}

#[test]
fn every_truncation_fails_cleanly() {
    let mut sized = vec![lz4_sample().0];
    sized.push(hex("18 1b00 ffffff5f 61 0700 32 62 0700"));
    sized.push(hex("18 2d01 ffffff7f 78 0700 0f ff 2901"));
    let mut rng = SeededRng::new(3);
    for _ in 0..20 {
        if let Some(stored) = compress_xpress(&sample(&mut rng, 3000)) {
            sized.push(stored);
        }
    }
    for stored in &sized {
        for cut in 0..stored.len() {
            let error = decompress(&stored[..cut]).expect_err("a cut value must not decode");
            assert_eq!(error.code(), JET_errDecompressionFailed);
        }
    }
    // 7-bit values carry no length of their own: a cut either fails or,
    // when it removes a multiple of 7 bytes, reads as a shorter prefix.
    let text = b"Some ASCII text that has multiple values, this is value 1";
    for stored in [
        compress_7bit_ascii(text).unwrap(),
        compress_7bit_unicode(&utf16(std::str::from_utf8(text).unwrap())).unwrap(),
    ] {
        let full = decompress(&stored).unwrap();
        for cut in 0..stored.len() {
            match decompress(&stored[..cut]) {
                Ok(prefix) => assert!(full.starts_with(&prefix)),
                Err(error) => assert_eq!(error.code(), JET_errDecompressionFailed),
            }
        }
    }
}

#[test]
fn random_and_mutated_inputs_never_panic() {
    let seed = test_seed("compression::random_and_mutated_inputs_never_panic");
    let mut rng = SeededRng::new(seed);
    let check = |stored: &[u8]| {
        let length = uncompressed_len(stored);
        if let Ok(plain) = decompress(stored) {
            if let Ok(length) = length {
                assert_eq!(plain.len(), length, "seed {seed}: {stored:02x?}");
            }
        }
    };
    let leading = [
        0x00, 0x0b, 0x0f, 0x12, 0x17, 0x18, 0x20, 0x28, 0x30, 0x38, 0x77,
    ];
    for _ in 0..20_000 {
        let len = rng.below(80);
        let mut stored: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        if let Some(first) = stored.first_mut() {
            *first = leading[rng.below(leading.len())];
        }
        if stored.len() >= 3 && rng.below(2) == 0 {
            // Keep the claimed size plausible so decoding gets going.
            let size = (len * (1 + rng.below(8))) as u16;
            stored[1..3].copy_from_slice(&size.to_le_bytes());
        }
        check(&stored);
    }
    let valid = [
        hex("181b040f0000004c6f6e6720636f6d707265737365642041534349492074657874206107000ffffc03"),
        hex("18 1b00 ffffff5f 61 0700 32 62 0700"),
        hex("18 2d01 ffffff7f 78 0700 0f ff 2901"),
        lz4_sample().0,
        compress_xpress(&b"Some very long text ".repeat(80)).unwrap(),
    ];
    for _ in 0..20_000 {
        let mut stored = valid[rng.below(valid.len())].clone();
        for _ in 0..1 + rng.below(3) {
            let index = rng.below(stored.len());
            stored[index] ^= 1 << rng.below(8);
        }
        check(&stored);
    }
}
