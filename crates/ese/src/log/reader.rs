//! Reading the log back (ESE: the log reader of recovery and of
//! `esentutl /ml`): a file's header is checked against the generation and
//! signature expected, its blocks are read in order and their payloads
//! joined into records.
//!
//! Where the valid blocks stop decides what the file is:
//! - a full generation must end with its closing block; anything missing
//!   or damaged before it is `JET_errLogFileCorrupt`;
//! - the current file ends at its first block that is not valid. When no
//!   valid block of a later flush follows, that is where the newest flush
//!   was torn (or nothing was written yet) and the log simply ends there;
//!   a valid block of a later flush behind it means damage to data that had
//!   been durable: `JET_errLogFileCorrupt`. A record cut short at the end of
//!   the current file belongs to the torn flush and is dropped.

use std::path::Path;

use super::format::*;
use super::record::LogRecord;
use crate::codes::*;
use crate::storage::io::{FileIo, OpenMode, OsFile};
use crate::{Error, Result};

/// A record and where it lies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordAt {
    pub start: LogPosition,
    pub end: LogPosition,
    pub record: LogRecord,
}

/// What reading one file found.
#[derive(Debug)]
pub struct LogFileContents {
    pub header: FileHeader,
    pub records: Vec<RecordAt>,
    /// The file ends with its closing block.
    pub closed: bool,
    /// The first block after the valid ones (where writing would resume).
    pub end_block: u32,
    /// The flush sequence of the last valid block.
    pub last_flush: u32,
}

fn corrupt(path: &Path, detail: String) -> Error {
    Error::new(JET_errLogFileCorrupt)
        .with_file(path)
        .with_detail(detail)
}

/// A header this engine does not read: JET_errBadLogVersion for a sound
/// header of another format version, JET_errLogFileCorrupt otherwise.
fn header_error(path: &Path, fault: HeaderFault) -> Error {
    match fault {
        HeaderFault::Version(_) => Error::new(JET_errBadLogVersion)
            .with_file(path)
            .with_detail(fault.to_string()),
        HeaderFault::Damaged(_) => corrupt(path, fault.to_string()),
    }
}

/// The generation a log file's header names (the header alone is read).
pub fn read_generation(path: &Path) -> Result<u32> {
    let file = OsFile::open(path, OpenMode::ReadOnly)?;
    let mut block = vec![0u8; BLOCK_SIZE];
    let read = file.read_at_most(&mut block, 0)?;
    FileHeader::decode(&block[..read])
        .map(|header| header.generation)
        .map_err(|fault| header_error(path, fault))
}

/// Reads the log file at `path`. `expected`: the generation it must be
/// (a full generation's name says it); `signature`: the log sequence it
/// must belong to; `current`: it is the file being written (may end torn).
pub fn read_log_file(
    path: &Path,
    expected: Option<u32>,
    signature: Option<&LogSignature>,
    current: bool,
) -> Result<LogFileContents> {
    let file = OsFile::open(path, OpenMode::ReadOnly).map_err(|e| {
        if e.code() == JET_errFileNotFound {
            Error::new(JET_errMissingLogFile)
                .with_file(path)
                .with_detail("a log file recovery needs is missing")
        } else {
            e
        }
    })?;
    let length = file.len()?;
    let mut bytes = vec![0u8; length as usize];
    file.read_at(&mut bytes, 0)?;
    parse_log_file(path, &bytes, expected, signature, current)
}

/// [`read_log_file`] on the file's bytes.
pub fn parse_log_file(
    path: &Path,
    bytes: &[u8],
    expected: Option<u32>,
    signature: Option<&LogSignature>,
    current: bool,
) -> Result<LogFileContents> {
    let header = FileHeader::decode(bytes).map_err(|fault| header_error(path, fault))?;
    if let Some(generation) = expected {
        if header.generation != generation {
            return Err(Error::new(JET_errLogGenerationMismatch)
                .with_file(path)
                .with_detail(format!(
                    "the file holds generation {:X}, not {generation:X}",
                    header.generation
                )));
        }
    }
    if let Some(signature) = signature {
        if header.signature != *signature {
            return Err(Error::new(JET_errBadLogSignature)
                .with_file(path)
                .with_detail("the file belongs to another log sequence"));
        }
    }
    let block_count = (bytes.len() / BLOCK_SIZE) as u32;
    // Payload joined, with the stream index where each block begins.
    let mut stream = Vec::new();
    let mut starts: Vec<(usize, u32)> = Vec::new();
    let mut closed = false;
    let mut sealed = false;
    let mut last_flush = 0;
    let mut index = 1;
    while index < block_count {
        let at = index as usize * BLOCK_SIZE;
        let Some((block, payload)) =
            decode_block(&bytes[at..at + BLOCK_SIZE], header.generation, index)
        else {
            break;
        };
        starts.push((stream.len(), index));
        stream.extend_from_slice(payload);
        last_flush = block.flush;
        index += 1;
        if block.flags & BLOCK_LAST != 0 {
            closed = true;
            sealed = block.flags & BLOCK_SEALED != 0;
            break;
        }
    }
    let end_block = index;
    if !closed {
        if !current {
            return Err(corrupt(
                path,
                format!("block {end_block} is damaged or missing before the file's closing block"),
            ));
        }
        // Behind the first invalid block, a valid block of a later flush
        // than the torn one means durable data was damaged.
        for later in end_block + 1..block_count {
            let at = later as usize * BLOCK_SIZE;
            if let Some((block, _)) =
                decode_block(&bytes[at..at + BLOCK_SIZE], header.generation, later)
            {
                if block.flush.wrapping_sub(last_flush) as i32 > 1 {
                    return Err(corrupt(
                        path,
                        format!(
                            "block {end_block} is damaged but block {later} of a later flush is intact"
                        ),
                    ));
                }
            }
        }
    }
    let offset_of_index = |i: usize| -> u32 {
        let slot = starts.partition_point(|(start, _)| *start <= i) - 1;
        let (start, block) = starts[slot];
        block * BLOCK_SIZE as u32 + BLOCK_HEADER_SIZE as u32 + (i - start) as u32
    };
    // The end of the stream: in its last block, or the start of the next
    // when that block is full (as the writer counts).
    let end_offset = match starts.last() {
        Some(&(start, block)) if stream.len() - start < BLOCK_PAYLOAD => {
            block * BLOCK_SIZE as u32 + BLOCK_HEADER_SIZE as u32 + (stream.len() - start) as u32
        }
        _ => end_block * BLOCK_SIZE as u32 + BLOCK_HEADER_SIZE as u32,
    };
    let position_of = |i: usize| {
        if i >= stream.len() {
            position(header.generation, end_offset)
        } else {
            position(header.generation, offset_of_index(i))
        }
    };
    let mut records = Vec::new();
    let mut at = 0;
    while at < stream.len() {
        let Some(length) = stream.get(at..at + 4) else {
            if current || sealed {
                break;
            }
            return Err(corrupt(path, "a record is cut short".into()));
        };
        let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]) as usize;
        let Some(body) = stream.get(at + 4..at + 4 + length) else {
            if (current && !closed) || sealed {
                break;
            }
            return Err(corrupt(
                path,
                format!("the record at stream byte {at} is cut short"),
            ));
        };
        let record = LogRecord::decode(body).map_err(|m| {
            corrupt(
                path,
                format!("the record at {}: {}", display(position_of(at)), m.0),
            )
        })?;
        let end = at + 4 + length;
        records.push(RecordAt {
            start: position_of(at),
            end: position_of(end),
            record,
        });
        at = end;
    }
    Ok(LogFileContents {
        header,
        records,
        closed,
        end_block,
        last_flush,
    })
}

/// Closes a current file that ended torn: its closing block goes where the
/// valid blocks stop, flagged as a seal (a record cut short before it is
/// the torn flush's, dropped), so that the file reads as a complete
/// generation once it is renamed.
pub fn seal_log_file(path: &Path, contents: &LogFileContents) -> Result<()> {
    if contents.closed {
        return Ok(());
    }
    let file = OsFile::open(path, OpenMode::ReadWrite)?;
    if u64::from(contents.end_block + 1) * BLOCK_SIZE as u64 > file.len()? {
        return Err(corrupt(path, "no room left for the closing block".into()));
    }
    let mut block = Vec::new();
    encode_block(
        &BlockHeader {
            generation: contents.header.generation,
            index: contents.end_block,
            flush: contents.last_flush.wrapping_add(1),
            used: 0,
            flags: BLOCK_LAST | BLOCK_SEALED,
        },
        &[],
        &mut block,
    );
    file.write_at(&block, u64::from(contents.end_block) * BLOCK_SIZE as u64)?;
    file.sync_data()
}
