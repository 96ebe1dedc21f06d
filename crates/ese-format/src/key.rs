//! Normalized keys (ESE: fldnorm): the byte strings B+trees are ordered by.
//!
//! Each index segment becomes a prefix byte (0x7F data, 0x40 zero-length
//! text or binary, 0x00 NULL or 0xC0 when NULLs sort high) followed by a
//! form of the value whose byte order is the value order: big-endian
//! integers with the sign bit flipped, floats with the sign bit flipped (or
//! every bit, when negative), GUIDs in string order, binary in 8-byte
//! chunks each closed by a marker, ANSI text upper-cased in the C locale and
//! NUL-terminated, Unicode text as a Windows sort key. A descending segment
//! has every byte inverted. The whole key stops at the index's key size.

use crate::codes::*;
use crate::constants::*;
use crate::error::{Error, Result};

const PREFIX_NULL: u8 = 0x00;
const PREFIX_ZERO_LENGTH: u8 = 0x40;
const PREFIX_NULL_HIGH: u8 = 0xc0;
const PREFIX_DATA: u8 = 0x7f;
/// Binary values are cut into chunks of 8 bytes, each followed by a byte
/// (9 when more follow, else the count of real bytes in the chunk).
const BINARY_CHUNK: usize = 8;
const BINARY_CHUNK_NORMALIZED: usize = 9;
/// Indexes created when keys were limited to 255 bytes normalize at most
/// 256 bytes of text (ESE: JET_cbKeyMost_OLD).
const LEGACY_KEY_MOST: usize = 255;

/// How one segment's column is typed and ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentSpec {
    pub coltyp: u32,
    pub code_page: u32,
    pub descending: bool,
    /// The column is a fixed column (binary is then copied, not chunked).
    pub fixed_column: bool,
}

/// The index-wide settings that shape its keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// Longest key in bytes (ESE: cbKeyMost).
    pub key_most: usize,
    /// Longest variable segment in bytes; `None` when not limited.
    pub var_seg_mac: Option<usize>,
    pub sort_nulls_high: bool,
    /// GUIDs ordered as .NET compares them.
    pub dotnet_guid: bool,
    /// LCMapString flags and locale for Unicode text.
    pub lcmap_flags: u32,
    pub locale: std::borrow::Cow<'static, str>,
}

/// A segment's value as the application passes it to JetMakeKey: the
/// column's bytes in little-endian form, or NULL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyValue<'a> {
    Null,
    /// A zero-length text or binary value (JET_bitKeyDataZeroLength).
    ZeroLength,
    Data(&'a [u8]),
}

/// Builds the normalized key of `values` for the segments of an index.
pub fn normalize_key(
    spec: &KeySpec,
    segments: &[SegmentSpec],
    values: &[KeyValue<'_>],
) -> Result<Vec<u8>> {
    if segments.len() != values.len() {
        return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
            "{} values for an index of {} segments",
            values.len(),
            segments.len()
        )));
    }
    let mut key = Vec::with_capacity(spec.key_most.min(2000));
    for (segment, value) in segments.iter().zip(values) {
        let available = spec.key_most.saturating_sub(key.len());
        if available == 0 {
            break;
        }
        let start = key.len();
        normalize_segment(&mut key, spec, segment, *value, available)?;
        debug_assert!(key.len() - start <= available);
        if segment.descending {
            for byte in &mut key[start..] {
                *byte ^= 0xff;
            }
        }
    }
    Ok(key)
}

/// Appends one segment (at most `available` bytes) to `key`.
fn normalize_segment(
    key: &mut Vec<u8>,
    spec: &KeySpec,
    segment: &SegmentSpec,
    value: KeyValue<'_>,
    available: usize,
) -> Result<()> {
    let is_variable_type = matches!(
        segment.coltyp,
        JET_coltypText | JET_coltypLongText | JET_coltypBinary | JET_coltypLongBinary
    );
    let bytes = match value {
        KeyValue::Data(bytes) if !bytes.is_empty() => bytes,
        KeyValue::ZeroLength if is_variable_type => {
            key.push(PREFIX_ZERO_LENGTH);
            return Ok(());
        }
        KeyValue::ZeroLength if !is_variable_type => {
            return Err(Error::new(JET_errInvalidBufferSize)
                .with_detail("only text and binary columns can be zero-length in a key"));
        }
        _ => {
            key.push(if spec.sort_nulls_high {
                PREFIX_NULL_HIGH
            } else {
                PREFIX_NULL
            });
            return Ok(());
        }
    };
    // A variable segment may be limited further than the whole key.
    let segment_limit = match spec.var_seg_mac {
        Some(limit) if limit < spec.key_most => available.min(limit),
        _ => available,
    };
    match segment.coltyp {
        JET_coltypText | JET_coltypLongText => {
            let start = key.len();
            key.push(PREFIX_DATA);
            let room = segment_limit - 1;
            if segment.code_page == 1200 {
                // Unicode text becomes a Windows sort key, with the source
                // limits ESE applies to values given to JetMakeKey.
                key.pop();
                let limits = crate::sort_key::SegmentLimits {
                    key_most: spec.key_most,
                    key_avail: available,
                    var_seg_mac: spec.var_seg_mac.unwrap_or(spec.key_most),
                };
                let text = crate::sort_key::make_key_unicode_segment(
                    bytes,
                    spec.lcmap_flags,
                    &spec.locale,
                    &limits,
                )?;
                key.extend_from_slice(&text.bytes);
            } else {
                let mut source = bytes;
                if spec.key_most == LEGACY_KEY_MOST {
                    source = &source[..source.len().min(256)];
                }
                normalize_ansi_text(key, source, room);
            }
            debug_assert!(key.len() - start <= segment_limit);
        }
        JET_coltypBinary | JET_coltypLongBinary => {
            normalize_binary(key, bytes, segment.fixed_column, segment_limit);
        }
        coltyp => {
            let start = key.len();
            key.push(PREFIX_DATA);
            normalize_fixed(key, coltyp, bytes, spec.dotnet_guid)?;
            key.truncate(start + (key.len() - start).min(available));
        }
    }
    Ok(())
}

/// ANSI text: upper-case a..z only (the C locale), stop at an embedded NUL,
/// end with a NUL. When the text does not fit, the last byte kept is
/// upper-cased by plain subtraction, whatever it is, as ESE has always done.
fn normalize_ansi_text(key: &mut Vec<u8>, text: &[u8], room: usize) {
    let upper = |b: u8| if b.is_ascii_lowercase() { b - 0x20 } else { b };
    let text = &text[..text.iter().position(|&b| b == 0).unwrap_or(text.len())];
    if room > text.len() {
        key.extend(text.iter().map(|&b| upper(b)));
        key.push(0);
    } else if room > 0 {
        let kept = room - 1;
        key.extend(text[..kept].iter().map(|&b| upper(b)));
        key.push(text[kept].wrapping_sub(b'a').wrapping_add(b'A'));
    }
}

/// Binary: a fixed column is copied as is; otherwise 8-byte chunks, each
/// followed by 9, the last one zero-padded and followed by its real length
/// (8 when it is full and the value ends there).
fn normalize_binary(key: &mut Vec<u8>, value: &[u8], fixed_column: bool, limit: usize) {
    key.push(PREFIX_DATA);
    if fixed_column {
        let take = value.len().min(limit - 1);
        key.extend_from_slice(&value[..take]);
        return;
    }
    let chunks = value.len().div_ceil(BINARY_CHUNK);
    let whole = chunks * BINARY_CHUNK_NORMALIZED + 1;
    let segment_len = whole.min(limit);
    let complete = segment_len == whole;
    let mut room = segment_len - 1;
    let mut rest = value;
    while room >= BINARY_CHUNK_NORMALIZED {
        if rest.len() <= BINARY_CHUNK {
            key.extend_from_slice(rest);
            if rest.len() == BINARY_CHUNK {
                key.push(if complete { 8 } else { 9 });
            } else {
                key.extend(std::iter::repeat_n(0, BINARY_CHUNK - rest.len()));
                key.push(rest.len() as u8);
            }
            rest = &[];
        } else {
            key.extend_from_slice(&rest[..BINARY_CHUNK]);
            key.push(BINARY_CHUNK_NORMALIZED as u8);
            rest = &rest[BINARY_CHUNK..];
        }
        room -= BINARY_CHUNK_NORMALIZED;
    }
    if room > 0 {
        let take = rest.len().min(room);
        key.extend_from_slice(&rest[..take]);
        key.extend(std::iter::repeat_n(0, room - take));
    }
}

fn fixed_bytes<const N: usize>(coltyp: u32, bytes: &[u8]) -> Result<[u8; N]> {
    bytes
        .get(..N)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            Error::new(JET_errInvalidBufferSize).with_detail(format!(
                "a {} key value needs {N} bytes, {} given",
                column_type_name(coltyp).unwrap_or("?"),
                bytes.len()
            ))
        })
}

/// Fixed-size types: big-endian, ordered as unsigned byte strings.
fn normalize_fixed(key: &mut Vec<u8>, coltyp: u32, bytes: &[u8], dotnet_guid: bool) -> Result<()> {
    match coltyp {
        JET_coltypBit => key.push(if fixed_bytes::<1>(coltyp, bytes)?[0] == 0 {
            0x00
        } else {
            0xff
        }),
        JET_coltypUnsignedByte => key.push(fixed_bytes::<1>(coltyp, bytes)?[0]),
        JET_coltypShort => {
            let v = u16::from_le_bytes(fixed_bytes(coltyp, bytes)?);
            key.extend_from_slice(&(v ^ 0x8000).to_be_bytes());
        }
        JET_coltypUnsignedShort => {
            key.extend_from_slice(&u16::from_le_bytes(fixed_bytes(coltyp, bytes)?).to_be_bytes())
        }
        JET_coltypLong => {
            let v = u32::from_le_bytes(fixed_bytes(coltyp, bytes)?);
            key.extend_from_slice(&(v ^ 0x8000_0000).to_be_bytes());
        }
        JET_coltypUnsignedLong => {
            key.extend_from_slice(&u32::from_le_bytes(fixed_bytes(coltyp, bytes)?).to_be_bytes())
        }
        JET_coltypLongLong | JET_coltypCurrency => {
            let v = u64::from_le_bytes(fixed_bytes(coltyp, bytes)?);
            key.extend_from_slice(&(v ^ (1 << 63)).to_be_bytes());
        }
        JET_coltypUnsignedLongLong => {
            key.extend_from_slice(&u64::from_le_bytes(fixed_bytes(coltyp, bytes)?).to_be_bytes())
        }
        JET_coltypIEEESingle => {
            let v = u32::from_le_bytes(fixed_bytes(coltyp, bytes)?);
            let ordered = if v & 0x8000_0000 != 0 {
                !v
            } else {
                v ^ 0x8000_0000
            };
            key.extend_from_slice(&ordered.to_be_bytes());
        }
        JET_coltypIEEEDouble | JET_coltypDateTime => {
            let v = u64::from_le_bytes(fixed_bytes(coltyp, bytes)?);
            let ordered = if v & (1 << 63) != 0 {
                !v
            } else {
                v ^ (1 << 63)
            };
            key.extend_from_slice(&ordered.to_be_bytes());
        }
        JET_coltypGUID => {
            let g = fixed_bytes::<16>(coltyp, bytes)?;
            let order: [usize; 16] = if dotnet_guid {
                [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
            } else {
                [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3]
            };
            key.extend(order.iter().map(|&i| g[i]));
        }
        other => {
            return Err(Error::new(JET_errInvalidColumnType)
                .with_detail(format!("column type {other} cannot be part of a key")))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> KeySpec {
        KeySpec {
            key_most: 255,
            var_seg_mac: None,
            sort_nulls_high: false,
            dotnet_guid: false,
            lcmap_flags: 0x30401,
            locale: "en-US".into(),
        }
    }

    fn one(coltyp: u32, value: KeyValue<'_>) -> Vec<u8> {
        let segment = SegmentSpec {
            coltyp,
            code_page: 1252,
            descending: false,
            fixed_column: false,
        };
        normalize_key(&spec(), &[segment], &[value]).unwrap()
    }

    // Expected bytes are the keys Windows stored in the corpus's index.edb
    // (see docs/FORMAT.md), for the values of its one record.
    #[test]
    fn fixed_types_match_windows_keys() {
        assert_eq!(
            one(JET_coltypShort, KeyValue::Data(&(-1337i16).to_le_bytes())),
            [0x7f, 0x7a, 0xc7]
        );
        assert_eq!(
            one(
                JET_coltypLong,
                KeyValue::Data(&(-13371337i32).to_le_bytes())
            ),
            [0x7f, 0x7f, 0x33, 0xf8, 0x37]
        );
        assert_eq!(
            one(
                JET_coltypUnsignedShort,
                KeyValue::Data(&1337u16.to_le_bytes())
            ),
            [0x7f, 0x05, 0x39]
        );
        assert_eq!(
            one(JET_coltypIEEESingle, KeyValue::Data(&1.0f32.to_le_bytes())),
            [0x7f, 0xbf, 0x80, 0, 0]
        );
        assert_eq!(
            one(
                JET_coltypDateTime,
                KeyValue::Data(&36220.0f64.to_le_bytes())
            ),
            [0x7f, 0xc0, 0xe1, 0xaf, 0x80, 0, 0, 0, 0]
        );
        assert_eq!(one(JET_coltypBit, KeyValue::Data(&[0])), [0x7f, 0x00]);
        let guid = [
            0xf1, 0x0a, 0x36, 0x3f, 0x66, 0x67, 0xdc, 0x46, 0x9a, 0xf2, 0x0d, 0xac, 0xf2, 0x95,
            0xc2, 0xa1,
        ];
        assert_eq!(
            one(JET_coltypGUID, KeyValue::Data(&guid)),
            [
                0x7f, 0x0d, 0xac, 0xf2, 0x95, 0xc2, 0xa1, 0x9a, 0xf2, 0xdc, 0x46, 0x66, 0x67, 0xf1,
                0x0a, 0x36, 0x3f
            ]
        );
    }

    #[test]
    fn negative_floats_order_below_positive_ones() {
        let key = |v: f64| one(JET_coltypIEEEDouble, KeyValue::Data(&v.to_le_bytes()));
        let mut values = [-1e10, -2.5, -0.5, 0.0, 0.25, 3.0, 1e10];
        values.sort_by(|a, b| a.partial_cmp(b).unwrap());
        for pair in values.windows(2) {
            assert!(key(pair[0]) < key(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn binary_chunks_and_ansi_text() {
        assert_eq!(
            one(JET_coltypBinary, KeyValue::Data(b"test binary data")),
            b"\x7ftest bin\x09ary data\x08".to_vec()
        );
        assert_eq!(
            one(JET_coltypBinary, KeyValue::Data(b"abc")),
            b"\x7fabc\0\0\0\0\0\x03".to_vec()
        );
        assert_eq!(
            one(JET_coltypText, KeyValue::Data(b"Simple ASCII text")),
            b"\x7fSIMPLE ASCII TEXT\0".to_vec()
        );
        // Embedded NULs end ANSI text.
        assert_eq!(
            one(JET_coltypText, KeyValue::Data(b"ab\0cd")),
            b"\x7fAB\0".to_vec()
        );
    }

    #[test]
    fn nulls_zero_length_descending_and_truncation() {
        assert_eq!(one(JET_coltypLong, KeyValue::Null), [0x00]);
        assert_eq!(one(JET_coltypText, KeyValue::ZeroLength), [0x40]);
        assert_eq!(one(JET_coltypText, KeyValue::Data(b"")), [0x00]);
        let high = KeySpec {
            sort_nulls_high: true,
            ..spec()
        };
        let segment = SegmentSpec {
            coltyp: JET_coltypLong,
            code_page: 0,
            descending: true,
            fixed_column: true,
        };
        assert_eq!(
            normalize_key(&high, &[segment], &[KeyValue::Null]).unwrap(),
            [!0xc0]
        );
        assert_eq!(
            normalize_key(&spec(), &[segment], &[KeyValue::Data(&1i32.to_le_bytes())]).unwrap(),
            [!0x7f, !0x80, !0, !0, !1]
        );
        // A key of at most 5 bytes keeps the first 5 (the corpus's IxId).
        let short = KeySpec {
            key_most: 5,
            ..spec()
        };
        let two = [segment, segment];
        let key = normalize_key(
            &short,
            &two,
            &[KeyValue::Data(&[1, 0, 0, 0]), KeyValue::Data(&[2, 0, 0, 0])],
        )
        .unwrap();
        assert_eq!(key.len(), 5);
        let long = vec![b'a'; 600];
        let text = SegmentSpec {
            coltyp: JET_coltypText,
            code_page: 1252,
            descending: false,
            fixed_column: false,
        };
        let key = normalize_key(&spec(), &[text], &[KeyValue::Data(&long)]).unwrap();
        assert_eq!(key.len(), 255);
        assert_eq!(key[254], b'A');
        assert!(normalize_key(&spec(), &[text], &[]).is_err());
    }
}
