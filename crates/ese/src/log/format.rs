//! The bytes of a log file (the format is this engine's own; docs/LOG-FORMAT.md
//! is its specification): a header block, then data blocks of 512 bytes,
//! each with a CRC-32C-style checksum (CRC-32, IEEE polynomial), the file's
//! generation, its own index and the sequence number of the flush that
//! wrote it, so that a block from another file, another place or a torn
//! write is recognised.
//!
//! Decoders here are total: any bytes give a value or `None`, never a panic.

/// Every block is this long; the header block too.
pub const BLOCK_SIZE: usize = 512;
/// Bytes of a data block before its payload.
pub const BLOCK_HEADER_SIZE: usize = 20;
/// Payload bytes of a data block.
pub const BLOCK_PAYLOAD: usize = BLOCK_SIZE - BLOCK_HEADER_SIZE;
/// The file header's magic.
pub const FILE_MAGIC: &[u8; 8] = b"ESERSLOG";
/// The format version this engine writes. Version 1 logged every changed
/// page as bytes (whole or as ranges); version 2 logged the line edits of
/// pages; version 3 writes a unit's integers as varints; version 4 adds
/// one page edit, lines copied before a page's own (see
/// docs/LOG-FORMAT.md).
pub const FORMAT_VERSION: u32 = 4;
/// The oldest format version this engine replays: version 3 is version 4
/// without its one new edit. A log of any other version is refused, never
/// replayed as this one.
pub const OLDEST_READ_VERSION: u32 = 3;

/// Why a block is not a log file header this engine reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderFault {
    /// Not a header at all, or a damaged one.
    Damaged(&'static str),
    /// A sound header of another format version.
    Version(u32),
}

impl std::fmt::Display for HeaderFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderFault::Damaged(why) => f.write_str(why),
            HeaderFault::Version(version) => write!(
                f,
                "the log is in format version {version}; this engine reads versions \
                 {OLDEST_READ_VERSION} to {FORMAT_VERSION} only (replay it with the engine \
                 that wrote it)"
            ),
        }
    }
}

/// Block flag: the last block the file will ever hold (the writer moved on
/// to the next generation after it).
pub const BLOCK_LAST: u16 = 0x0001;
/// Block flag, with [`BLOCK_LAST`]: written by recovery after a torn flush;
/// a record cut short before it belongs to that flush and is dropped.
pub const BLOCK_SEALED: u16 = 0x0002;

/// The log's identity, shared by every file of one log sequence and recorded
/// in each database's header (ESE's JET_SIGNATURE: a random number, the
/// creation time and the computer's name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LogSignature {
    pub random: u32,
    /// ESE's LOGTIME bytes.
    pub created: [u8; 8],
    pub computer: [u8; 16],
}

impl LogSignature {
    pub const SIZE: usize = 28;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.random.to_le_bytes());
        out.extend_from_slice(&self.created);
        out.extend_from_slice(&self.computer);
    }

    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let bytes = bytes.get(..Self::SIZE)?;
        Some(LogSignature {
            random: u32::from_le_bytes(bytes[0..4].try_into().ok()?),
            created: bytes[4..12].try_into().ok()?,
            computer: bytes[12..28].try_into().ok()?,
        })
    }

    /// As ESE's header type.
    pub fn to_header(self) -> ese_format::header::Signature {
        ese_format::header::Signature {
            random: self.random,
            created: ese_format::header::LogTime(self.created),
            computer_name: self.computer,
        }
    }

    pub fn from_header(signature: &ese_format::header::Signature) -> Self {
        LogSignature {
            random: signature.random,
            created: signature.created.0,
            computer: signature.computer_name,
        }
    }
}

/// The header block of a log file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileHeader {
    pub generation: u32,
    pub signature: LogSignature,
    /// The file's size in bytes (JET_paramLogFileSize when it was made).
    pub file_size: u64,
    /// Seconds since the Unix epoch when the generation began.
    pub created_unix: u64,
}

pub fn crc(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

impl FileHeader {
    /// The header block: checksum, magic, version, then the fields.
    pub fn encode(&self) -> [u8; BLOCK_SIZE] {
        let mut body = Vec::with_capacity(BLOCK_SIZE);
        body.extend_from_slice(&[0; 4]);
        body.extend_from_slice(FILE_MAGIC);
        body.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        body.extend_from_slice(&(BLOCK_SIZE as u32).to_le_bytes());
        body.extend_from_slice(&self.generation.to_le_bytes());
        body.extend_from_slice(&self.file_size.to_le_bytes());
        body.extend_from_slice(&self.created_unix.to_le_bytes());
        self.signature.encode(&mut body);
        let mut block = [0u8; BLOCK_SIZE];
        block[..body.len()].copy_from_slice(&body);
        let sum = crc(&block[4..]);
        block[..4].copy_from_slice(&sum.to_le_bytes());
        block
    }

    /// The header, or why the block is not one.
    pub fn decode(block: &[u8]) -> Result<Self, HeaderFault> {
        use HeaderFault::Damaged;
        if block.len() < BLOCK_SIZE {
            return Err(Damaged("the file is shorter than its header"));
        }
        let block = &block[..BLOCK_SIZE];
        if &block[4..12] != FILE_MAGIC {
            return Err(Damaged("not a log file of this engine (bad magic)"));
        }
        let stored = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        if stored != crc(&block[4..]) {
            return Err(Damaged("the header's checksum does not match"));
        }
        let u32_at = |at: usize| {
            u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
        };
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&block[at..at + 8]);
            u64::from_le_bytes(b)
        };
        if !(OLDEST_READ_VERSION..=FORMAT_VERSION).contains(&u32_at(12)) {
            return Err(HeaderFault::Version(u32_at(12)));
        }
        if u32_at(16) as usize != BLOCK_SIZE {
            return Err(Damaged("an unknown block size"));
        }
        let signature = LogSignature::decode(&block[40..]).ok_or(Damaged("a short signature"))?;
        Ok(FileHeader {
            generation: u32_at(20),
            file_size: u64_at(24),
            created_unix: u64_at(32),
            signature,
        })
    }
}

/// The header of a data block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockHeader {
    pub generation: u32,
    /// The block's index in its file (the header block is 0).
    pub index: u32,
    /// Which flush of the log sequence wrote it (grows by one per flush).
    pub flush: u32,
    /// Payload bytes in use.
    pub used: u16,
    pub flags: u16,
}

/// Builds a data block around `payload` (at most [`BLOCK_PAYLOAD`] bytes).
pub fn encode_block(header: &BlockHeader, payload: &[u8], out: &mut Vec<u8>) {
    debug_assert!(payload.len() <= BLOCK_PAYLOAD);
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&header.generation.to_le_bytes());
    out.extend_from_slice(&header.index.to_le_bytes());
    out.extend_from_slice(&header.flush.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    out.extend_from_slice(&header.flags.to_le_bytes());
    out.extend_from_slice(payload);
    out.resize(start + BLOCK_SIZE, 0);
    let sum = crc(&out[start + 4..start + BLOCK_SIZE]);
    out[start..start + 4].copy_from_slice(&sum.to_le_bytes());
}

/// A data block's header and payload, when its checksum holds and it sits
/// where it claims (`generation`, `index`); `None` for anything else (never
/// written, torn, damaged or misplaced).
pub fn decode_block(block: &[u8], generation: u32, index: u32) -> Option<(BlockHeader, &[u8])> {
    let block = block.get(..BLOCK_SIZE)?;
    let stored = u32::from_le_bytes(block[0..4].try_into().ok()?);
    if stored != crc(&block[4..]) {
        return None;
    }
    let u32_at =
        |at: usize| u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]]);
    let header = BlockHeader {
        generation: u32_at(4),
        index: u32_at(8),
        flush: u32_at(12),
        used: u16::from_le_bytes([block[16], block[17]]),
        flags: u16::from_le_bytes([block[18], block[19]]),
    };
    if header.generation != generation
        || header.index != index
        || usize::from(header.used) > BLOCK_PAYLOAD
    {
        return None;
    }
    let payload = &block[BLOCK_HEADER_SIZE..BLOCK_HEADER_SIZE + usize::from(header.used)];
    Some((header, payload))
}

/// A position in the log (ESE's LGPOS): the generation in the high 32 bits,
/// the byte's offset in that file in the low 32 bits. Ordered like the log.
pub type LogPosition = u64;

pub fn position(generation: u32, offset: u32) -> LogPosition {
    (u64::from(generation) << 32) | u64::from(offset)
}

pub fn generation_of(position: LogPosition) -> u32 {
    (position >> 32) as u32
}

pub fn offset_of(position: LogPosition) -> u32 {
    position as u32
}

/// The offset of the byte `payload_index` bytes into the payload stream of
/// a file (payloads of consecutive blocks, from block 1).
pub fn offset_in_file(payload_index: u64) -> u32 {
    let block = payload_index / BLOCK_PAYLOAD as u64 + 1;
    let within = payload_index % BLOCK_PAYLOAD as u64;
    (block * BLOCK_SIZE as u64 + BLOCK_HEADER_SIZE as u64 + within) as u32
}

/// As ESE's LGPOS (generation, 512-byte sector, byte in the sector), for
/// database headers and dumps.
pub fn to_lgpos(position: LogPosition) -> ese_format::header::LogPosition {
    let offset = offset_of(position);
    ese_format::header::LogPosition {
        generation: generation_of(position) as i32,
        sector: (offset / BLOCK_SIZE as u32).min(u32::from(u16::MAX)) as u16,
        byte_offset: (offset % BLOCK_SIZE as u32) as u16,
    }
}

pub fn from_lgpos(lgpos: &ese_format::header::LogPosition) -> LogPosition {
    position(
        lgpos.generation.max(0) as u32,
        u32::from(lgpos.sector) * BLOCK_SIZE as u32 + u32::from(lgpos.byte_offset),
    )
}

/// "generation:offset" in hexadecimal, as ESE prints an LGPOS.
pub fn display(position: LogPosition) -> String {
    let lgpos = to_lgpos(position);
    format!(
        "{:08X}:{:04X}:{:04X}",
        lgpos.generation, lgpos.sector, lgpos.byte_offset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_round_trips_and_rejects_a_flipped_bit_or_a_wrong_place() {
        let header = BlockHeader {
            generation: 7,
            index: 3,
            flush: 9,
            used: 5,
            flags: BLOCK_LAST,
        };
        let mut out = Vec::new();
        encode_block(&header, b"hello", &mut out);
        assert_eq!(out.len(), BLOCK_SIZE);
        let (decoded, payload) = decode_block(&out, 7, 3).unwrap();
        assert_eq!(decoded, header);
        assert_eq!(payload, b"hello");
        assert!(decode_block(&out, 8, 3).is_none(), "another generation");
        assert!(decode_block(&out, 7, 4).is_none(), "another place");
        for bit in [0usize, 40, 8 * 100, 8 * 511 + 7] {
            let mut damaged = out.clone();
            damaged[bit / 8] ^= 1 << (bit % 8);
            assert!(decode_block(&damaged, 7, 3).is_none(), "bit {bit}");
        }
        assert!(decode_block(&[0u8; BLOCK_SIZE], 0, 0).is_none(), "zeros");
    }

    #[test]
    fn a_file_header_round_trips_and_is_checked() {
        let header = FileHeader {
            generation: 0x1f,
            signature: LogSignature {
                random: 42,
                created: [1, 2, 3, 4, 5, 6, 7, 8],
                computer: *b"computer\0\0\0\0\0\0\0\0",
            },
            file_size: 5 << 20,
            created_unix: 1_700_000_000,
        };
        let block = header.encode();
        assert_eq!(FileHeader::decode(&block), Ok(header));
        let mut damaged = block;
        damaged[30] ^= 0x10;
        assert!(FileHeader::decode(&damaged).is_err());
        assert!(FileHeader::decode(&block[..100]).is_err());
    }

    #[test]
    fn positions_order_like_the_log_and_map_to_lgpos() {
        let a = position(1, offset_in_file(0));
        let b = position(1, offset_in_file(BLOCK_PAYLOAD as u64));
        let c = position(2, offset_in_file(0));
        assert!(a < b && b < c);
        assert_eq!(offset_of(a), (BLOCK_SIZE + BLOCK_HEADER_SIZE) as u32);
        assert_eq!(offset_of(b), (2 * BLOCK_SIZE + BLOCK_HEADER_SIZE) as u32);
        let lgpos = to_lgpos(b);
        assert_eq!(
            (lgpos.generation, lgpos.sector, lgpos.byte_offset),
            (1, 2, 20)
        );
        assert_eq!(from_lgpos(&lgpos), b);
    }
}
