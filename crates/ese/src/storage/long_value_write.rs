//! Writing long values (ESE: lv): a value too large for its record goes to
//! the table's long-value tree, cut into chunks, and the record keeps its
//! 4-byte id (LID).
//!
//! As ESE writes them (format 0x620 revision 20):
//!
//! - the root node is keyed by the LID (4 bytes, big-endian) and holds the
//!   reference count and the uncompressed size (two little-endian u32);
//! - chunk nodes are keyed by the LID and the chunk's offset (both 4 bytes,
//!   big-endian); every chunk but the last is exactly the chunk size, which
//!   depends on the page size (or the table's LVChunkMax);
//! - a chunk of a compressed column is compressed on its own and kept so
//!   only when shorter (a reader knows it by its short length);
//! - a new LID is one more than the highest in the tree (the first is 1);
//!   ESE keeps the counter in memory only, and so do we.
//!
//! References: a record points at a long value once; a value whose count
//! falls to zero loses its root and chunks.

use ese_format::compression::{compress, CompressOptions};
use std::borrow::Cow;

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::btree_write::TreeWriter;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

/// The highest LID a 4-byte id may take (ESE: lid32MaxAllowed).
pub const MAX_LID: u32 = 0x7fff_ff00;
/// Values above this many bytes are separated unless the table says
/// otherwise (ESE: cbLVIntrinsicMost).
pub const DEFAULT_SEPARATE_THRESHOLD: usize = 1023;

/// Bytes per chunk for a page size (ESE: JET_paramLVChunkSizeMost), or the
/// table's LVChunkMax.
pub fn chunk_size(page_size: usize, lv_chunk_max: Option<u32>) -> usize {
    if let Some(max) = lv_chunk_max.filter(|m| *m > 0) {
        return max as usize;
    }
    match page_size {
        16384 => 4050,
        32768 => 8150,
        // Smaller pages: the page less its header and the chunk overhead.
        size => size - 82,
    }
}

fn root_key(lid: u32) -> [u8; 4] {
    lid.to_be_bytes()
}

fn chunk_key(lid: u32, offset: u32) -> [u8; 8] {
    let mut key = [0; 8];
    key[..4].copy_from_slice(&lid.to_be_bytes());
    key[4..].copy_from_slice(&offset.to_be_bytes());
    key
}

/// The LID after the highest one in `tree` (1 for an empty tree).
pub fn next_lid(source: &dyn PageSource, tree: Tree) -> Result<u32> {
    let last = tree.entries_rev(source)?.next().transpose()?;
    let highest = match last {
        Some(entry) => u32::from_be_bytes(
            entry
                .key
                .get(..4)
                .and_then(|k| k.try_into().ok())
                .ok_or_else(|| {
                    Error::new(JET_errLVCorrupted).with_detail("a long-value key under 4 bytes")
                })?,
        ),
        None => 0,
    };
    if highest >= MAX_LID {
        return Err(Error::new(JET_errOutOfLongValueIDs));
    }
    Ok(highest + 1)
}

/// Writes a new long value `lid` holding `data`, with one reference.
pub fn write_long_value(
    writer: &mut TreeWriter<'_>,
    lid: u32,
    data: &[u8],
    chunk: usize,
    compressed: bool,
) -> Result<()> {
    let size = u32::try_from(data.len())
        .ok()
        .filter(|s| u64::from(*s) <= crate::storage::long_value::MAX_LONG_VALUE_SIZE)
        .ok_or_else(|| Error::new(JET_errColumnTooBig).with_detail("a long value over 2 GiB"))?;
    let mut root = Vec::with_capacity(8);
    root.extend_from_slice(&1u32.to_le_bytes());
    root.extend_from_slice(&size.to_le_bytes());
    // The first chunk goes in before the root, as ESE writes them: when
    // that insert splits the rightmost leaf, the root then lands beside
    // its first chunk on the new page.
    let mut root_written = false;
    for (index, part) in data.chunks(chunk.max(1)).enumerate() {
        let offset = (index * chunk) as u32;
        let stored = if compressed {
            compress(part, &CompressOptions::ESE_DEFAULT)
                .filter(|c| c.len() < part.len())
                .map_or(Cow::Borrowed(part), Cow::Owned)
        } else {
            Cow::Borrowed(part)
        };
        writer.insert(&chunk_key(lid, offset), &stored)?;
        if !root_written {
            writer.insert(&root_key(lid), &root)?;
            root_written = true;
        }
        writer.bound_unit()?;
    }
    if !root_written {
        writer.insert(&root_key(lid), &root)?;
    }
    Ok(())
}

/// Drops one reference to long value `lid`; the last one removes it.
pub fn release_long_value(
    source: &dyn PageSource,
    writer: &mut TreeWriter<'_>,
    tree: Tree,
    lid: u32,
) -> Result<()> {
    let key = root_key(lid);
    let root = tree
        .seek(source, &key)?
        .next()
        .transpose()?
        .filter(|e| e.key == key)
        .ok_or_else(|| {
            Error::new(JET_errLVCorrupted)
                .with_detail(format!("long value {lid:#x} has no root to release"))
        })?;
    if root.data.len() < 8 {
        return Err(Error::new(JET_errLVCorrupted)
            .with_detail(format!("long value {lid:#x}: a short root")));
    }
    let references = u32::from_le_bytes(root.data[..4].try_into().unwrap_or([0; 4]));
    if references > 1 {
        let mut data = root.data.clone();
        data[..4].copy_from_slice(&(references - 1).to_le_bytes());
        return writer.replace(&key, &data);
    }
    // Collect the chunk keys first: the walk reads pages the deletes change.
    let mut chunks = Vec::new();
    for entry in tree.seek(source, &key)? {
        let entry = entry?;
        if !entry.key.starts_with(&key) {
            break;
        }
        if entry.key.len() == 8 {
            chunks.push(entry.key);
        }
    }
    writer.delete(&key)?;
    for chunk in chunks {
        writer.delete(&chunk)?;
    }
    Ok(())
}
