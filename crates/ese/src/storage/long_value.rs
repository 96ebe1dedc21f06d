//! Long values (ESE: lv): column values too large for the record, kept in
//! the table's long-value tree and referenced from the record by an id.
//!
//! The tree holds, for each long-value id (LID), a root node keyed by the
//! LID in big-endian order whose data is the reference count and the total
//! size, followed by chunk nodes keyed by the LID and the chunk's byte
//! offset (big-endian), whose data is the chunk. A chunk stored shorter
//! than the bytes it covers is compressed; ESE keeps no other mark of it.

use ese_format::compression::decompress;

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

/// The largest long value ESE stores (2 GiB - 1).
pub const MAX_LONG_VALUE_SIZE: u64 = 0x7fff_ffff;

fn corrupt(lid: u64, detail: String) -> Error {
    Error::new(JET_errLVCorrupted).with_detail(format!("long value {lid:#x}: {detail}"))
}

/// The tree key of a long value's root from its id as stored in a record
/// (little-endian, 4 or 8 bytes).
pub fn root_key(stored_id: &[u8]) -> Result<(u64, Vec<u8>)> {
    match stored_id.len() {
        4 => {
            let lid = u32::from_le_bytes(stored_id.try_into().unwrap_or([0; 4]));
            Ok((u64::from(lid), lid.to_be_bytes().to_vec()))
        }
        8 => {
            let lid = u64::from_le_bytes(stored_id.try_into().unwrap_or([0; 8]));
            Ok((lid, lid.to_be_bytes().to_vec()))
        }
        n => Err(Error::new(JET_errLVCorrupted)
            .with_detail(format!("a long-value id of {n} bytes (4 or 8 expected)"))),
    }
}

/// Reads the whole long value whose id a record stores as `stored_id`.
pub fn read_long_value(source: &dyn PageSource, tree: Tree, stored_id: &[u8]) -> Result<Vec<u8>> {
    let (lid, key) = root_key(stored_id)?;
    let mut entries = tree.seek(source, &key)?;
    let root = entries
        .next()
        .transpose()?
        .filter(|entry| entry.key == key)
        .ok_or_else(|| {
            corrupt(
                lid,
                "the record refers to it but the tree has no root for it".into(),
            )
        })?;
    if root.data.len() < 8 {
        return Err(corrupt(lid, format!("a root of {} bytes", root.data.len())));
    }
    let references = u32::from_le_bytes(root.data[0..4].try_into().unwrap_or([0; 4]));
    let size = u64::from(u32::from_le_bytes(
        root.data[4..8].try_into().unwrap_or([0; 4]),
    ));
    if references == 0 || size > MAX_LONG_VALUE_SIZE {
        return Err(corrupt(
            lid,
            format!("{references} references, {size} bytes"),
        ));
    }
    if root.data.get(8).is_some_and(|flags| flags & 1 != 0) {
        return Err(Error::new(JET_errColumnNoEncryptionKey)
            .with_detail(format!("long value {lid:#x} is encrypted")));
    }

    // Grow with the data actually found rather than trusting the size.
    let mut value = Vec::with_capacity(size.min(1 << 20) as usize);
    let mut pending: Option<(u64, Vec<u8>)> = None;
    for entry in entries {
        let entry = entry?;
        if entry.key.len() != key.len() + 4 || !entry.key.starts_with(&key) {
            break;
        }
        let offset_bytes: [u8; 4] = entry.key[key.len()..].try_into().unwrap_or([0; 4]);
        let offset = u64::from(u32::from_be_bytes(offset_bytes));
        if let Some((previous_offset, data)) = pending.take() {
            append_chunk(&mut value, lid, previous_offset, offset, data)?;
        }
        if offset != value.len() as u64 || offset >= size {
            return Err(corrupt(
                lid,
                format!(
                    "a chunk at offset {offset} where {} was expected",
                    value.len()
                ),
            ));
        }
        pending = Some((offset, entry.data));
    }
    if let Some((offset, data)) = pending {
        append_chunk(&mut value, lid, offset, size, data)?;
    }
    if value.len() as u64 != size {
        return Err(corrupt(
            lid,
            format!("its chunks hold {} of its {size} bytes", value.len()),
        ));
    }
    Ok(value)
}

/// Appends the chunk covering `offset..end`, decompressing it when it is
/// stored shorter than that.
fn append_chunk(value: &mut Vec<u8>, lid: u64, offset: u64, end: u64, data: Vec<u8>) -> Result<()> {
    let covered = end.saturating_sub(offset);
    if (data.len() as u64) < covered {
        let plain = decompress(&data)
            .map_err(|e| e.with_detail(format!("long value {lid:#x} at {offset}")))?;
        if plain.len() as u64 != covered {
            return Err(corrupt(
                lid,
                format!(
                    "the chunk at {offset} expands to {} bytes, not {covered}",
                    plain.len()
                ),
            ));
        }
        value.extend_from_slice(&plain);
    } else if data.len() as u64 == covered {
        value.extend_from_slice(&data);
    } else {
        return Err(corrupt(
            lid,
            format!(
                "the chunk at {offset} holds {} bytes for {covered}",
                data.len()
            ),
        ));
    }
    Ok(())
}

/// Reads at most `max_len` bytes of a long value from byte `offset`,
/// visiting only the chunks that hold them (a piece of a 2 GiB value costs
/// what the piece costs). Returns the value's whole size and the bytes.
pub fn read_long_value_part(
    source: &dyn PageSource,
    tree: Tree,
    stored_id: &[u8],
    offset: u64,
    max_len: usize,
) -> Result<(u64, Vec<u8>)> {
    let (lid, key) = root_key(stored_id)?;
    let root = tree.get(source, &key)?.ok_or_else(|| {
        corrupt(
            lid,
            "the record refers to it but the tree has no root for it".into(),
        )
    })?;
    if root.len() < 8 {
        return Err(corrupt(lid, format!("a root of {} bytes", root.len())));
    }
    let references = u32::from_le_bytes(root[0..4].try_into().unwrap_or([0; 4]));
    let size = u64::from(u32::from_le_bytes(root[4..8].try_into().unwrap_or([0; 4])));
    if references == 0 || size > MAX_LONG_VALUE_SIZE {
        return Err(corrupt(
            lid,
            format!("{references} references, {size} bytes"),
        ));
    }
    if root.get(8).is_some_and(|flags| flags & 1 != 0) {
        return Err(Error::new(JET_errColumnNoEncryptionKey)
            .with_detail(format!("long value {lid:#x} is encrypted")));
    }
    if offset >= size || max_len == 0 {
        return Ok((size, Vec::new()));
    }
    let end = size.min(offset.saturating_add(max_len as u64));
    // The chunk holding `offset`: the last key at or below (LID, offset).
    let mut probe = key.clone();
    probe.extend_from_slice(&(offset.min(u64::from(u32::MAX)) as u32).to_be_bytes());
    let start = tree
        .last_before(source, &probe, true)?
        .filter(|e| e.key.len() == key.len() + 4 && e.key.starts_with(&key))
        .ok_or_else(|| corrupt(lid, format!("no chunk holds byte {offset}")))?;
    let mut out = Vec::with_capacity((end - offset) as usize);
    let mut pending: Option<(u64, Vec<u8>)> = None;
    let take =
        |chunk_offset: u64, chunk_end: u64, data: Vec<u8>, out: &mut Vec<u8>| -> Result<()> {
            let mut plain = Vec::new();
            append_chunk(&mut plain, lid, chunk_offset, chunk_end, data)?;
            let from = offset.saturating_sub(chunk_offset) as usize;
            let to = (end.min(chunk_end) - chunk_offset) as usize;
            if from < to && to <= plain.len() {
                out.extend_from_slice(&plain[from..to]);
            }
            Ok(())
        };
    for entry in tree.seek(source, &start.key)? {
        let entry = entry?;
        if entry.key.len() != key.len() + 4 || !entry.key.starts_with(&key) {
            break;
        }
        let chunk_offset = u64::from(u32::from_be_bytes(
            entry.key[key.len()..].try_into().unwrap_or([0; 4]),
        ));
        if let Some((previous, data)) = pending.take() {
            take(previous, chunk_offset, data, &mut out)?;
        }
        if chunk_offset >= end {
            break;
        }
        pending = Some((chunk_offset, entry.data));
    }
    if let Some((previous, data)) = pending {
        take(previous, size, data, &mut out)?;
    }
    if out.len() as u64 != end - offset {
        return Err(corrupt(
            lid,
            format!(
                "its chunks hold {} of the {} bytes asked for at {offset}",
                out.len(),
                end - offset
            ),
        ));
    }
    Ok((size, out))
}
