//! Compressed column values: the schemes ESE uses to shrink the values of
//! long columns, and their decoders and encoders.
//!
//! ESE compresses a value of a `JET_coltypLongText` or `JET_coltypLongBinary`
//! column when the column was created with `JET_bitColumnCompressed` (or the
//! update passes `JET_bitSetCompressed`). What it compresses is the unit it
//! stores: a value kept in the record (only the first value of a
//! multi-valued column can be compressed), or each chunk of a separated long
//! value on its own. The stored bytes then start with one byte whose top five
//! bits name the scheme; the low three bits belong to the scheme, and only
//! the 7-bit packings use them.
//!
//! | first byte | scheme (ESE name) | what follows the first byte |
//! |---|---|---|
//! | `0x08..=0x0F` | 7-bit ASCII (`COMPRESS_7BITASCII`) | the bytes, 7 bits each, packed least significant bit first; the first byte's low 3 bits are the number of bits used in the last byte, minus one |
//! | `0x10..=0x17` | 7-bit Unicode (`COMPRESS_7BITUNICODE`) | the same packing of the low 7 bits of each UTF-16 code unit |
//! | `0x18` | XPRESS (`COMPRESS_XPRESS`) | `u16` uncompressed size, then one XPRESS stream (the LZ77 form without Huffman coding) |
//! | `0x20` | scrub (`COMPRESS_SCRUB`) | fill bytes: ESE wiped an orphaned long-value chunk, no data remains |
//! | `0x28` | XPRESS9 (`COMPRESS_XPRESS9`) | `u32` CRC-32 of the plain data, then an XPRESS9 stream |
//! | `0x30` | XPRESS10 (`COMPRESS_XPRESS10`) | `u16` size, `u32` CRC of the plain data, `u64` Corsica CRC-64 of the compressed data, then an XPRESS10 stream |
//! | `0x38` | LZ4 (`COMPRESS_LZ4`) | `u16` size, then one LZ4 block |
//!
//! All integers are little-endian. Scheme number 0 means "not compressed"
//! and never appears in a stored compressed value.
//!
//! What ESE writes: for a compressed column it asks for 7-bit and XPRESS.
//! Values of at least `JET_paramMinDataForXpress` bytes (1024 by default)
//! are tried with XPRESS first, and XPRESS is kept when it beats what 7-bit
//! Unicode could reach; otherwise a value whose bytes are all below 0x80 is
//! 7-bit packed when that makes it smaller. Databases whose format enables
//! `JET_efvLz4Compression` (9420) or `JET_efvXpress10Compression` (9340) may
//! get LZ4 or XPRESS10 chunks instead of XPRESS; XPRESS9 is not in ESENT.
//!
//! This module decodes 7-bit ASCII, 7-bit Unicode, XPRESS and LZ4, and
//! reports XPRESS9, XPRESS10 and scrubbed values as `JET_errDecompressionFailed`
//! naming the scheme. Decoding is total and bounded: the size-prefixed schemes
//! cannot claim more than 64 KiB, and a 7-bit value decodes to at most 16/7 of
//! its length, so no input allocates more than that.
//!
//! Cross-reference to Microsoft's source: `CDataCompressor` in
//! `compression.cxx` (`ErrDecompress7BitAscii_`, `ErrDecompress7BitUnicode_`,
//! `ErrDecompressXpress_`, `ErrDecompressLz4_`, `ErrCompress`,
//! `Calculate7BitCompressionScheme_`), and `XpressDecode` in `_xpress/`
//! built with `CODING_ALG` 1 (`CODING_DIRECT2`).

use crate::codes::JET_errDecompressionFailed;
use crate::error::{Error, Result};

/// How a stored value was compressed, named by the top five bits of its
/// first byte (ESE: `COMPRESSION_SCHEME`, persisted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompressionScheme {
    /// Bytes below 0x80 packed 7 bits each (ESE: `COMPRESS_7BITASCII`).
    SevenBitAscii,
    /// UTF-16 code units below 0x80 packed 7 bits each
    /// (ESE: `COMPRESS_7BITUNICODE`).
    SevenBitUnicode,
    /// XPRESS LZ77 with a 16-bit size prefix (ESE: `COMPRESS_XPRESS`).
    Xpress,
    /// Data wiped by ESE; not a compression (ESE: `COMPRESS_SCRUB`).
    Scrub,
    /// XPRESS9 with a CRC-32 prefix (ESE: `COMPRESS_XPRESS9`).
    Xpress9,
    /// XPRESS10, the Corsica hardware format (ESE: `COMPRESS_XPRESS10`).
    Xpress10,
    /// One LZ4 block with a 16-bit size prefix (ESE: `COMPRESS_LZ4`).
    Lz4,
}

impl CompressionScheme {
    /// Every scheme ESE defines, by number.
    pub const ALL: [CompressionScheme; 7] = [
        CompressionScheme::SevenBitAscii,
        CompressionScheme::SevenBitUnicode,
        CompressionScheme::Xpress,
        CompressionScheme::Scrub,
        CompressionScheme::Xpress9,
        CompressionScheme::Xpress10,
        CompressionScheme::Lz4,
    ];

    /// The persisted scheme number: the first byte's top five bits.
    pub const fn id(self) -> u8 {
        match self {
            CompressionScheme::SevenBitAscii => 1,
            CompressionScheme::SevenBitUnicode => 2,
            CompressionScheme::Xpress => 3,
            CompressionScheme::Scrub => 4,
            CompressionScheme::Xpress9 => 5,
            CompressionScheme::Xpress10 => 6,
            CompressionScheme::Lz4 => 7,
        }
    }

    /// The scheme with this number, if ESE defines one (0 is "none").
    pub const fn from_id(id: u8) -> Option<Self> {
        match id {
            1 => Some(CompressionScheme::SevenBitAscii),
            2 => Some(CompressionScheme::SevenBitUnicode),
            3 => Some(CompressionScheme::Xpress),
            4 => Some(CompressionScheme::Scrub),
            5 => Some(CompressionScheme::Xpress9),
            6 => Some(CompressionScheme::Xpress10),
            7 => Some(CompressionScheme::Lz4),
            _ => None,
        }
    }

    /// The scheme a stored value's first byte names.
    pub const fn from_leading_byte(byte: u8) -> Option<Self> {
        Self::from_id(byte >> 3)
    }

    /// The first byte ESE writes for this scheme, low bits clear (the 7-bit
    /// schemes fill them with the bits used in the last byte).
    pub const fn leading_byte(self) -> u8 {
        self.id() << 3
    }

    /// A readable name, used in error details.
    pub const fn name(self) -> &'static str {
        match self {
            CompressionScheme::SevenBitAscii => "7-bit ASCII",
            CompressionScheme::SevenBitUnicode => "7-bit Unicode",
            CompressionScheme::Xpress => "XPRESS",
            CompressionScheme::Scrub => "scrub",
            CompressionScheme::Xpress9 => "XPRESS9",
            CompressionScheme::Xpress10 => "XPRESS10 (Corsica)",
            CompressionScheme::Lz4 => "LZ4",
        }
    }

    /// Whether [`decompress`] can decode values of this scheme.
    pub const fn is_decodable(self) -> bool {
        matches!(
            self,
            CompressionScheme::SevenBitAscii
                | CompressionScheme::SevenBitUnicode
                | CompressionScheme::Xpress
                | CompressionScheme::Lz4
        )
    }

    /// Bytes before the compressed stream: the first byte plus the scheme's
    /// fixed header (ESE: `Xpress9Header`, `Xpress10Header`, `Lz4Header`).
    const fn header_len(self) -> usize {
        match self {
            CompressionScheme::SevenBitAscii
            | CompressionScheme::SevenBitUnicode
            | CompressionScheme::Scrub => 1,
            CompressionScheme::Xpress | CompressionScheme::Lz4 => 3,
            CompressionScheme::Xpress9 => 5,
            CompressionScheme::Xpress10 => 15,
        }
    }
}

/// The largest uncompressed size the size-prefixed schemes (XPRESS, LZ4,
/// XPRESS10) can record: their size field is 16 bits, and ESE compresses
/// with them only data that fits it.
pub const MAX_SIZED_UNCOMPRESSED_LEN: usize = u16::MAX as usize;

/// Smallest sizes the XPRESS decoder ESE ships accepts: a stream shorter
/// than 8 bytes, or one that claims 8 bytes or less of output, is rejected
/// (XPRESS: `MIN_SIZE` of the direct coding). ESE only tries XPRESS on
/// values of `JET_paramMinDataForXpress` bytes or more, far above this.
const XPRESS_MIN_LEN: usize = 8;

/// XPRESS back-references reach at most 2^13 bytes back: the match token
/// keeps 13 bits of distance and 3 of length.
const XPRESS_MAX_DISTANCE: usize = 1 << 13;

/// An XPRESS length escape of 16 bits must exceed what the shorter escapes
/// can say (7 + 15 + 255 - 1 more than the minimum); the shipped decoder
/// rejects anything less, so this one does too.
const XPRESS_MIN_WIDE_LENGTH: usize = 7 + 15 + 255;

fn failed(detail: impl Into<String>) -> Error {
    Error::new(JET_errDecompressionFailed).with_detail(detail.into())
}

/// The scheme a stored compressed value uses.
///
/// Fails with `JET_errDecompressionFailed` on an empty value or a first
/// byte that names no scheme ESE defines.
pub fn scheme_of(stored: &[u8]) -> Result<CompressionScheme> {
    let Some(&first) = stored.first() else {
        return Err(failed("empty compressed value: no leading byte"));
    };
    CompressionScheme::from_leading_byte(first).ok_or_else(|| {
        if first >> 3 == 0 {
            failed(format!(
                "leading byte {first:#04x} names scheme 0, which means not compressed"
            ))
        } else {
            failed(format!(
                "leading byte {first:#04x} names compression scheme {}, which ESE does not define",
                first >> 3
            ))
        }
    })
}

/// The length the value has once decompressed, read from the header
/// without decompressing.
///
/// 7-bit values derive it from their length and the bit count in the first
/// byte; XPRESS, LZ4 and XPRESS10 store it. XPRESS9 keeps it only inside its
/// stream and scrubbed values have none, so both fail with
/// `JET_errDecompressionFailed`, as does a malformed header.
pub fn uncompressed_len(stored: &[u8]) -> Result<usize> {
    let scheme = scheme_of(stored)?;
    match scheme {
        CompressionScheme::SevenBitAscii => seven_bit_count(stored),
        CompressionScheme::SevenBitUnicode => Ok(seven_bit_count(stored)? * 2),
        CompressionScheme::Xpress | CompressionScheme::Lz4 | CompressionScheme::Xpress10 => {
            sized_header(stored, scheme).map(|(size, _)| size)
        }
        CompressionScheme::Xpress9 => Err(failed(
            "XPRESS9 value: ESE's header records only a checksum, not the uncompressed size",
        )),
        CompressionScheme::Scrub => Err(scrubbed()),
    }
}

/// Decompresses a stored value into the bytes of the column value.
///
/// Fails with `JET_errDecompressionFailed`, with a detail saying what is
/// wrong, when the value is malformed or uses a scheme this crate does not
/// decode (XPRESS9, XPRESS10) or holds no data (scrub).
pub fn decompress(stored: &[u8]) -> Result<Vec<u8>> {
    let scheme = scheme_of(stored)?;
    match scheme {
        CompressionScheme::SevenBitAscii => unpack_seven_bit(stored, false),
        CompressionScheme::SevenBitUnicode => unpack_seven_bit(stored, true),
        CompressionScheme::Xpress => {
            let (size, stream) = sized_header(stored, scheme)?;
            decode_xpress(stream, size)
        }
        CompressionScheme::Lz4 => {
            let (size, stream) = sized_header(stored, scheme)?;
            decode_lz4(stream, size)
        }
        CompressionScheme::Scrub => Err(scrubbed()),
        CompressionScheme::Xpress9 | CompressionScheme::Xpress10 => Err(failed(format!(
            "{} compression is not supported by this reader ({} bytes stored)",
            scheme.name(),
            stored.len()
        ))),
    }
}

fn scrubbed() -> Error {
    failed("scrubbed value (leading byte 0x20): ESE wiped this data, nothing can be recovered")
}

/// The uncompressed size of a size-prefixed scheme and the stream after
/// its header.
fn sized_header(stored: &[u8], scheme: CompressionScheme) -> Result<(usize, &[u8])> {
    let header_len = scheme.header_len();
    match (stored.get(1..3), stored.get(header_len..)) {
        (Some(&[low, high]), Some(stream)) => {
            Ok((usize::from(u16::from_le_bytes([low, high])), stream))
        }
        _ => Err(failed(format!(
            "{} value of {} bytes is shorter than its {header_len}-byte header",
            scheme.name(),
            stored.len()
        ))),
    }
}

// ---------------------------------------------------------------------------
// 7-bit packing
// ---------------------------------------------------------------------------
//
// The characters are laid end to end as 7-bit fields, the first in the
// lowest bits of the first data byte, continuing into the next byte's low
// bits: one little-endian bit stream. Since the stream does not say how many
// characters it holds, the first byte's low 3 bits give the bits used in the
// last byte (1 to 8, stored minus one), and the count follows from the
// length. ESE's packer produces exactly 7 bits per character, so a total
// that is not a multiple of 7 means the value is damaged; ESE's reader would
// drop the odd bits, this one reports them.

/// Characters in a 7-bit value: the bits the header accounts for, over 7.
fn seven_bit_count(stored: &[u8]) -> Result<usize> {
    let Some((&first, packed)) = stored.split_first() else {
        return Err(failed("empty compressed value: no leading byte"));
    };
    let used_in_last = usize::from(first & 0x07) + 1;
    let total_bits = packed
        .len()
        .checked_mul(8)
        .and_then(|bits| bits.checked_sub(8 - used_in_last))
        .ok_or_else(|| {
            failed(format!(
                "7-bit value of {} bytes cannot have {used_in_last} bits in its last byte",
                stored.len()
            ))
        })?;
    if !total_bits.is_multiple_of(7) {
        return Err(failed(format!(
            "7-bit value holds {total_bits} bits ({} bytes, {used_in_last} bits used in the last), \
             not a whole number of 7-bit characters",
            stored.len()
        )));
    }
    Ok(total_bits / 7)
}

fn unpack_seven_bit(stored: &[u8], unicode: bool) -> Result<Vec<u8>> {
    let count = seven_bit_count(stored)?;
    let width = if unicode { 2 } else { 1 };
    let mut out = Vec::with_capacity(count * width);
    let mut accumulator: u32 = 0;
    let mut bits = 0u32;
    for &byte in stored.iter().skip(1) {
        accumulator |= u32::from(byte) << bits;
        bits += 8;
        while bits >= 7 && out.len() < count * width {
            // Masked to 7 bits, so the narrowing keeps every bit.
            out.push((accumulator & 0x7f) as u8);
            if unicode {
                out.push(0);
            }
            accumulator >>= 7;
            bits -= 7;
        }
    }
    Ok(out)
}

/// Packs bytes that are all below 0x80 the way ESE's 7-bit ASCII scheme
/// does (ESE: `ErrCompress7BitAscii_`), or `None` if one is not.
///
/// This packs whatever it is given; ESE itself uses the scheme only when the
/// result is smaller than the input, which [`compress`] decides.
pub fn compress_7bit_ascii(data: &[u8]) -> Option<Vec<u8>> {
    if data.iter().any(|&byte| byte > 0x7f) {
        return None;
    }
    Some(pack_seven_bit(
        CompressionScheme::SevenBitAscii,
        data.iter().copied(),
    ))
}

/// Packs UTF-16LE text whose code units are all below 0x80 the way ESE's
/// 7-bit Unicode scheme does (ESE: `ErrCompress7BitUnicode_`), or `None`
/// if the length is odd or a code unit is 0x80 or more.
///
/// Like [`compress_7bit_ascii`] this packs regardless of gain.
pub fn compress_7bit_unicode(data: &[u8]) -> Option<Vec<u8>> {
    if !is_seven_bit_unicode(data) {
        return None;
    }
    Some(pack_seven_bit(
        CompressionScheme::SevenBitUnicode,
        data.chunks_exact(2).map(|unit| unit[0]),
    ))
}

fn is_seven_bit_unicode(data: &[u8]) -> bool {
    data.len().is_multiple_of(2)
        && data
            .chunks_exact(2)
            .all(|unit| unit[0] <= 0x7f && unit[1] == 0)
}

fn pack_seven_bit(
    scheme: CompressionScheme,
    characters: impl ExactSizeIterator<Item = u8>,
) -> Vec<u8> {
    let total_bits = characters.len() * 7;
    // An empty input leaves no data byte; ESE then records a full last byte,
    // which reads back as zero characters.
    let used_in_last = if total_bits == 0 {
        8
    } else {
        (total_bits - 1) % 8 + 1
    };
    let mut out = Vec::with_capacity(1 + total_bits.div_ceil(8));
    // used_in_last is 1..=8, so the low three bits hold it minus one.
    out.push(scheme.leading_byte() | (used_in_last - 1) as u8);
    let mut accumulator: u32 = 0;
    let mut bits = 0u32;
    for character in characters {
        accumulator |= u32::from(character & 0x7f) << bits;
        bits += 7;
        while bits >= 8 {
            out.push(accumulator as u8);
            accumulator >>= 8;
            bits -= 8;
        }
    }
    if bits > 0 {
        out.push(accumulator as u8);
    }
    out
}

/// Stored size of 7-bit ASCII packing of `len` bytes
/// (ESE: `CbCompressed7BitAscii_`).
fn seven_bit_ascii_len(len: usize) -> usize {
    (len * 7).div_ceil(8) + 1
}

/// Stored size of 7-bit Unicode packing of `len` bytes; an odd last byte is
/// ignored, as ESE's estimate does (ESE: `CbCompressed7BitUnicode_`).
fn seven_bit_unicode_len(len: usize) -> usize {
    (len / 2 * 7).div_ceil(8) + 1
}

// ---------------------------------------------------------------------------
// XPRESS
// ---------------------------------------------------------------------------
//
// ESE's XPRESS is the plain LZ77 coding ("direct2"), with no Huffman stage:
//
// * A 32-bit little-endian flag word precedes each group of 32 tokens; its
//   bits are read from the most significant down, 0 meaning a literal byte
//   and 1 a match.
// * A match is a 16-bit little-endian word: distance - 1 in the top 13 bits,
//   length - 3 in the low 3. The value 7 there escapes to a 4-bit extension
//   (two matches share one byte: the first uses its low half, the next
//   its high half); 15 there escapes to a byte; 255 there escapes to a 16-bit
//   field holding length - 3 outright.
// * The stream ends where the output is full and the next flag is 1. The
//   encoder pads the last flag word with ones, so when the tokens exactly
//   fill a flag word, one more word of ones follows.
//
// Bounds that the shipped decoder enforces, and this one with it: output of
// more than 8 and at most 65536 bytes, a stream of at least 8 bytes and no
// longer than its output, no match before the start, nothing past the size.
// Bytes after the end marker are ignored, as ESE ignores them.

/// Reads the little-endian bytes the XPRESS stream needs, failing with the
/// position instead of running past the end.
struct StreamReader<'a> {
    stream: &'a [u8],
    position: usize,
    scheme: &'static str,
}

impl<'a> StreamReader<'a> {
    fn new(stream: &'a [u8], scheme: &'static str) -> Self {
        StreamReader {
            stream,
            position: 0,
            scheme,
        }
    }

    fn take<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let end = self.position.saturating_add(N);
        match self.stream.get(self.position..end) {
            Some(bytes) => {
                let mut out = [0u8; N];
                out.copy_from_slice(bytes);
                self.position = end;
                Ok(out)
            }
            None => Err(failed(format!(
                "{}: stream of {} bytes ends inside a {what} at byte {}",
                self.scheme,
                self.stream.len(),
                self.position
            ))),
        }
    }

    fn byte(&mut self, what: &str) -> Result<u8> {
        self.take::<1>(what).map(|[byte]| byte)
    }

    fn u16(&mut self, what: &str) -> Result<u16> {
        self.take(what).map(u16::from_le_bytes)
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        self.take(what).map(u32::from_le_bytes)
    }

    fn is_at_end(&self) -> bool {
        self.position >= self.stream.len()
    }
}

/// Appends `length` bytes copied from `distance` bytes back, one at a time
/// in effect, so a copy that overlaps what it writes repeats the pattern.
/// The caller has checked `1 <= distance <= out.len()`.
fn copy_match(out: &mut Vec<u8>, distance: usize, length: usize) {
    let start = out.len() - distance;
    if distance >= length {
        out.extend_from_within(start..start + length);
    } else {
        for index in start..start + length {
            let byte = out[index];
            out.push(byte);
        }
    }
}

fn decode_xpress(stream: &[u8], size: usize) -> Result<Vec<u8>> {
    // ESE asks for nothing when the size is zero and gets an empty value.
    if size == 0 {
        return Ok(Vec::new());
    }
    if stream.len() == size {
        // The XPRESS library's convention for "stored, not compressed"; ESE
        // never writes it (compression must save space) and its reader would
        // hand back an unfilled buffer, so there is nothing sound to return.
        return Err(failed(format!(
            "XPRESS stream as long as the {size} bytes it claims to hold"
        )));
    }
    if stream.len() > size {
        return Err(failed(format!(
            "XPRESS stream of {} bytes is longer than the {size} bytes it claims to hold",
            stream.len()
        )));
    }
    if size <= XPRESS_MIN_LEN || stream.len() < XPRESS_MIN_LEN {
        return Err(failed(format!(
            "XPRESS stream of {} bytes for {size} bytes is below the decoder's minimum of \
             {XPRESS_MIN_LEN}",
            stream.len()
        )));
    }

    let mut input = StreamReader::new(stream, "XPRESS");
    let mut out = Vec::with_capacity(size);
    // High half of the byte a previous match's length extension opened.
    let mut shared_nibble: Option<u8> = None;
    // Every pass consumes at least 4 bytes, and every flag consumes input or
    // returns, so the loops end within the input's length.
    loop {
        let flags = input.u32("flag word")?;
        for bit in (0..32).rev() {
            let is_match = (flags >> bit) & 1 == 1;
            if !is_match {
                if out.len() == size {
                    return Err(failed(format!(
                        "XPRESS: literal after the {size} bytes the header announces"
                    )));
                }
                out.push(input.byte("literal")?);
                continue;
            }
            if out.len() == size {
                return Ok(out);
            }
            let token = input.u16("match")?;
            let distance = usize::from(token >> 3) + 1;
            let mut extra = usize::from(token & 0x07);
            if extra == 7 {
                let nibble = match shared_nibble.take() {
                    Some(high) => high,
                    None => {
                        let byte = input.byte("match length")?;
                        shared_nibble = Some(byte >> 4);
                        byte & 0x0f
                    }
                };
                extra += usize::from(nibble);
                if nibble == 15 {
                    let byte = input.byte("match length")?;
                    if byte == 255 {
                        let wide = usize::from(input.u16("match length")?);
                        if wide < XPRESS_MIN_WIDE_LENGTH {
                            return Err(failed(format!(
                                "XPRESS: 16-bit match length {wide} is below \
                                 {XPRESS_MIN_WIDE_LENGTH} (at output byte {})",
                                out.len()
                            )));
                        }
                        extra = wide;
                    } else {
                        extra += usize::from(byte);
                    }
                }
            }
            let length = extra + 3;
            if distance > out.len() {
                return Err(failed(format!(
                    "XPRESS: match at output byte {} reaches {distance} bytes back, before the start",
                    out.len()
                )));
            }
            if length > size - out.len() {
                return Err(failed(format!(
                    "XPRESS: match of {length} bytes at output byte {} runs past the {size} bytes \
                     the header announces",
                    out.len()
                )));
            }
            copy_match(&mut out, distance, length);
        }
    }
}

/// Builds an XPRESS stream: tokens go out as they come, and each flag word
/// is reserved ahead of its 32 tokens and filled in when they are known.
struct XpressWriter {
    out: Vec<u8>,
    flag_slot: usize,
    flags: u32,
    flag_count: u32,
    nibble_slot: Option<usize>,
}

impl XpressWriter {
    fn new(prefix: &[u8], capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(prefix);
        let flag_slot = out.len();
        out.extend_from_slice(&[0; 4]);
        XpressWriter {
            out,
            flag_slot,
            flags: 0,
            flag_count: 0,
            nibble_slot: None,
        }
    }

    fn flag(&mut self, is_match: bool) {
        if is_match {
            self.flags |= 1 << (31 - self.flag_count);
        }
        self.flag_count += 1;
        if self.flag_count == 32 {
            self.store_flags();
            self.flag_slot = self.out.len();
            self.out.extend_from_slice(&[0; 4]);
            self.flags = 0;
            self.flag_count = 0;
        }
    }

    fn store_flags(&mut self) {
        if let Some(slot) = self.out.get_mut(self.flag_slot..self.flag_slot + 4) {
            slot.copy_from_slice(&self.flags.to_le_bytes());
        }
    }

    fn literal(&mut self, byte: u8) {
        self.out.push(byte);
        self.flag(false);
    }

    /// A match of `length >= 3` bytes from `distance` (1..=8192) back.
    fn matched(&mut self, distance: usize, length: usize) {
        let extra = length - 3;
        let base = ((distance - 1) << 3) as u16;
        if extra < 7 {
            self.out
                .extend_from_slice(&(base | extra as u16).to_le_bytes());
        } else {
            self.out.extend_from_slice(&(base | 7).to_le_bytes());
            let rest = extra - 7;
            let nibble = rest.min(15) as u8;
            match self.nibble_slot.take() {
                Some(slot) => {
                    if let Some(shared) = self.out.get_mut(slot) {
                        *shared |= nibble << 4;
                    }
                }
                None => {
                    self.nibble_slot = Some(self.out.len());
                    self.out.push(nibble);
                }
            }
            if rest >= 15 {
                let more = rest - 15;
                if more < 255 {
                    self.out.push(more as u8);
                } else {
                    self.out.push(255);
                    self.out.extend_from_slice(&(extra as u16).to_le_bytes());
                }
            }
        }
        self.flag(true);
    }

    /// Ends the stream: the rest of the current flag word becomes ones, the
    /// first of which is the end marker.
    fn finish(mut self) -> Vec<u8> {
        while self.flag_count < 32 {
            self.flags |= 1 << (31 - self.flag_count);
            self.flag_count += 1;
        }
        self.store_flags();
        self.out
    }
}

/// Finds earlier occurrences of the next bytes through chains of positions
/// that share a 3-byte hash.
struct MatchFinder<'a> {
    data: &'a [u8],
    head: Vec<u32>,
    previous: Vec<u32>,
}

impl<'a> MatchFinder<'a> {
    const HASH_BITS: u32 = 13;
    const NONE: u32 = u32::MAX;
    /// Candidates examined per position: enough for good matches on
    /// column-sized data while keeping the encoder linear in practice.
    const CHAIN_DEPTH: usize = 48;

    fn new(data: &'a [u8]) -> Self {
        MatchFinder {
            data,
            head: vec![Self::NONE; 1 << Self::HASH_BITS],
            previous: vec![Self::NONE; data.len()],
        }
    }

    fn hash(&self, position: usize) -> Option<usize> {
        let bytes = self.data.get(position..position + 3)?;
        let key = u32::from(bytes[0]) | u32::from(bytes[1]) << 8 | u32::from(bytes[2]) << 16;
        Some((key.wrapping_mul(0x9e37_79b1) >> (32 - Self::HASH_BITS)) as usize)
    }

    fn insert(&mut self, position: usize) {
        if let Some(hash) = self.hash(position) {
            self.previous[position] = self.head[hash];
            self.head[hash] = position as u32;
        }
    }

    /// The longest earlier match for `position`, at most `max_length` long,
    /// as (distance, length), if one of at least 3 bytes exists.
    fn longest(&self, position: usize, max_length: usize) -> Option<(usize, usize)> {
        let hash = self.hash(position)?;
        let wanted = self.data.get(position..position + max_length)?;
        let mut best: Option<(usize, usize)> = None;
        let mut candidate = self.head[hash];
        for _ in 0..Self::CHAIN_DEPTH {
            if candidate == Self::NONE {
                break;
            }
            let start = candidate as usize;
            let distance = position - start;
            if distance > XPRESS_MAX_DISTANCE {
                break;
            }
            let length = self.data[start..]
                .iter()
                .zip(wanted)
                .take_while(|(a, b)| a == b)
                .count();
            if length >= 3 && best.is_none_or(|(_, longest)| length > longest) {
                best = Some((distance, length));
                if length == max_length {
                    break;
                }
            }
            candidate = self.previous[start];
        }
        best
    }
}

/// Compresses with XPRESS into a stored value (first byte 0x18, 16-bit
/// size, stream), or `None` when ESE would not keep the result: input of 8
/// bytes or less or over 65535, or no saving (ESE: `ErrCompressXpress_`).
///
/// The stream decodes with ESE's decoder, but its bytes need not equal what
/// Windows writes for the same input: the XPRESS encoder there may pick
/// other matches.
pub fn compress_xpress(data: &[u8]) -> Option<Vec<u8>> {
    let size = u16::try_from(data.len()).ok()?;
    if data.len() <= XPRESS_MIN_LEN {
        return None;
    }
    let header = [
        CompressionScheme::Xpress.leading_byte(),
        size.to_le_bytes()[0],
        size.to_le_bytes()[1],
    ];
    let mut writer = XpressWriter::new(&header, data.len());
    let mut finder = MatchFinder::new(data);
    // Like ESE's encoder, start no match in the last 8 bytes; matches that
    // start earlier may run to the end.
    let match_limit = data.len() - XPRESS_MIN_LEN;
    let mut position = 0;
    while position < data.len() {
        let found = if position < match_limit {
            finder.longest(position, data.len() - position)
        } else {
            None
        };
        match found {
            Some((distance, length)) => {
                writer.matched(distance, length);
                for covered in position..position + length {
                    finder.insert(covered);
                }
                position += length;
            }
            None => {
                finder.insert(position);
                writer.literal(data[position]);
                position += 1;
            }
        }
        if writer.out.len() >= data.len() {
            return None;
        }
    }
    let stored = writer.finish();
    let stream_len = stored.len() - CompressionScheme::Xpress.header_len();
    (stored.len() < data.len() && stream_len >= XPRESS_MIN_LEN).then_some(stored)
}

// ---------------------------------------------------------------------------
// LZ4
// ---------------------------------------------------------------------------
//
// One LZ4 block (the block format, not the frame format): sequences of a
// token byte (literal count in the high 4 bits, match length - 4 in the low
// 4; 15 in either continues in following bytes, each added, until one is
// below 255), the literals, then a 16-bit little-endian distance (1 or more)
// and the match. The last sequence stops after its literals, at the end of
// the block. ESE stores the uncompressed size in its 3-byte header.

fn decode_lz4(stream: &[u8], size: usize) -> Result<Vec<u8>> {
    // ESE returns an empty value for a zero size without reading the block.
    if size == 0 {
        return Ok(Vec::new());
    }
    let mut input = StreamReader::new(stream, "LZ4");
    let mut out = Vec::with_capacity(size);
    // Every sequence consumes at least its token, so this ends.
    loop {
        let token = input.byte("sequence token")?;
        let literals = lz4_length(&mut input, usize::from(token >> 4), "literal count")?;
        if literals > size - out.len() {
            return Err(failed(format!(
                "LZ4: {literals} literals at output byte {} run past the {size} bytes the header \
                 announces",
                out.len()
            )));
        }
        let end = input.position.saturating_add(literals);
        let Some(bytes) = stream.get(input.position..end) else {
            return Err(failed(format!(
                "LZ4: block of {} bytes ends inside {literals} literals at byte {}",
                stream.len(),
                input.position
            )));
        };
        out.extend_from_slice(bytes);
        input.position = end;
        if input.is_at_end() {
            break;
        }
        let distance = usize::from(input.u16("match distance")?);
        let length =
            lz4_length(&mut input, usize::from(token & 0x0f), "match length")?.saturating_add(4);
        if distance == 0 || distance > out.len() {
            return Err(failed(format!(
                "LZ4: match at output byte {} reaches {distance} bytes back, outside the output",
                out.len()
            )));
        }
        if length > size - out.len() {
            return Err(failed(format!(
                "LZ4: match of {length} bytes at output byte {} runs past the {size} bytes the \
                 header announces",
                out.len()
            )));
        }
        copy_match(&mut out, distance, length);
    }
    if out.len() != size {
        return Err(failed(format!(
            "LZ4: block decodes to {} bytes, the header announces {size}",
            out.len()
        )));
    }
    Ok(out)
}

/// A 4-bit LZ4 length, continued by bytes while it reads 15 then 255s.
fn lz4_length(input: &mut StreamReader<'_>, nibble: usize, what: &str) -> Result<usize> {
    let mut length = nibble;
    if nibble == 15 {
        loop {
            let more = input.byte(what)?;
            // Saturating: a hostile run of 255s grows this by at most 255
            // per input byte, and any value past the size is rejected.
            length = length.saturating_add(usize::from(more));
            if more != 255 {
                break;
            }
        }
    }
    Ok(length)
}

// ---------------------------------------------------------------------------
// Choosing a scheme
// ---------------------------------------------------------------------------

/// Which schemes [`compress`] may use, as ESE's `CompressFlags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressOptions {
    /// Try the 7-bit packings (ESE: `compress7Bit`).
    pub seven_bit: bool,
    /// Try XPRESS (ESE: `compressXpress`).
    pub xpress: bool,
    /// Smallest value tried with XPRESS (ESE: `JET_paramMinDataForXpress`).
    pub min_xpress_len: usize,
}

impl CompressOptions {
    /// What ESE uses for a compressed column: 7-bit and XPRESS, XPRESS from
    /// 1024 bytes (the parameter's default).
    pub const ESE_DEFAULT: CompressOptions = CompressOptions {
        seven_bit: true,
        xpress: true,
        min_xpress_len: 1024,
    };
}

impl Default for CompressOptions {
    fn default() -> Self {
        Self::ESE_DEFAULT
    }
}

/// Compresses a value the way ESE chooses (ESE: `CDataCompressor::ErrCompress`),
/// or `None` when ESE would store it uncompressed.
///
/// XPRESS is tried first on values long enough and kept if it is no larger
/// than 7-bit Unicode packing could be; otherwise 7-bit Unicode is used when
/// every code unit is below 0x80 and packing saves space, then 7-bit ASCII
/// likewise (only when XPRESS did not succeed, since ASCII packing saves less
/// than XPRESS must already have), else the XPRESS result if any.
pub fn compress(data: &[u8], options: &CompressOptions) -> Option<Vec<u8>> {
    let mut xpress = None;
    if options.xpress && data.len() >= options.min_xpress_len {
        xpress = compress_xpress(data);
        if let Some(stored) = &xpress {
            if stored.len() <= seven_bit_unicode_len(data.len()) {
                return xpress;
            }
        }
    }
    if options.seven_bit && data.iter().all(|&byte| byte <= 0x7f) {
        if is_seven_bit_unicode(data) {
            // ESE does not fall back to ASCII packing when Unicode packing is
            // possible but does not pay; ASCII packing would be larger still.
            if seven_bit_unicode_len(data.len()) < data.len() {
                return compress_7bit_unicode(data);
            }
        } else if xpress.is_none() && seven_bit_ascii_len(data.len()) < data.len() {
            return compress_7bit_ascii(data);
        }
    }
    xpress
}

#[cfg(test)]
mod tests;
