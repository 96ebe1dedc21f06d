//! Long values (ESE: lv): column values too large for the record, kept in
//! the table's long-value tree and referenced from the record by an id.
//!
//! The tree holds, for each long-value id (LID), a root node keyed by the
//! LID in big-endian order whose data is the reference count and the total
//! size, followed by chunk nodes keyed by the LID and the chunk's byte
//! offset (big-endian), whose data is the chunk. A chunk stored shorter
//! than the bytes it covers is compressed; ESE keeps no other mark of it.

use std::borrow::Cow;

use ese_format::compression::decompress;

use crate::codes::*;
use crate::storage::btree::{Leaf, Tree};
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
    let size = value_size(source, tree, lid, &key)?;
    // Grow with the data actually found rather than trusting the size.
    let mut value = Vec::with_capacity(size.min(1 << 20) as usize);
    let mut first = key.clone();
    first.extend_from_slice(&0u32.to_be_bytes());
    walk_chunks(
        source,
        tree,
        &key,
        &first,
        size,
        u64::MAX,
        |offset, end, data| {
            if offset != value.len() as u64 || offset >= size {
                return Err(corrupt(
                    lid,
                    format!(
                        "a chunk at offset {offset} where {} was expected",
                        value.len()
                    ),
                ));
            }
            append_chunk(&mut value, lid, offset, end, data)
        },
    )?;
    if value.len() as u64 != size {
        return Err(corrupt(
            lid,
            format!("its chunks hold {} of its {size} bytes", value.len()),
        ));
    }
    Ok(value)
}

/// The size a long value's root gives, after checking the root.
fn value_size(source: &dyn PageSource, tree: Tree, lid: u64, key: &[u8]) -> Result<u64> {
    let root = tree.get(source, key)?.ok_or_else(|| {
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
    Ok(size)
}

/// Calls `take(offset, end, data)` for each chunk of the long value keyed
/// `key` from the one keyed `first` on, in order, until a chunk starts at
/// or past `stop`: `end` is where the next chunk starts (the value's
/// `size` for the last). The chunks are read in place in their leaves, not
/// copied out.
fn walk_chunks(
    source: &dyn PageSource,
    tree: Tree,
    key: &[u8],
    first: &[u8],
    size: u64,
    stop: u64,
    mut take: impl FnMut(u64, u64, &[u8]) -> Result<()>,
) -> Result<()> {
    let (mut leaf, mut index) = tree.leaf_for(source, first, &[])?;
    // The chunk seen last, whose end the next one gives.
    let mut pending: Option<(u64, Leaf, usize)> = None;
    let mut hops = 0u32;
    loop {
        if index >= leaf.len() {
            if leaf.next() == 0 {
                break;
            }
            hops += 1;
            if hops > source.last_page() {
                return Err(Error::new(JET_errBadPageLink)
                    .with_detail("the long-value tree's leaves link in a cycle"));
            }
            leaf = tree.neighbour_leaf(source, leaf.number, leaf.next(), true)?;
            index = 0;
            continue;
        }
        let chunk_key = leaf.key(index)?;
        if chunk_key.len() != key.len() + 4 || !chunk_key.starts_with(key) {
            break;
        }
        let offset = u64::from(u32::from_be_bytes(
            chunk_key[key.len()..].try_into().unwrap_or([0; 4]),
        ));
        if let Some((previous, previous_leaf, at)) = pending.take() {
            take(previous, offset, previous_leaf.data(at)?)?;
        }
        if offset >= stop {
            return Ok(());
        }
        pending = Some((offset, leaf.clone(), index));
        index += 1;
    }
    if let Some((previous, previous_leaf, at)) = pending {
        take(previous, size, previous_leaf.data(at)?)?;
    }
    Ok(())
}

/// Appends the chunk covering `offset..end`, decompressing it when it is
/// stored shorter than that.
fn append_chunk(value: &mut Vec<u8>, lid: u64, offset: u64, end: u64, data: &[u8]) -> Result<()> {
    let covered = end.saturating_sub(offset);
    if (data.len() as u64) < covered {
        let plain = decompress(data)
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
        value.extend_from_slice(data);
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
    let mut out = Vec::new();
    let size = read_piece(source, tree, stored_id, offset, max_len, |wanted, bytes| {
        if out.capacity() == 0 {
            out.reserve_exact(wanted);
        }
        out.extend_from_slice(bytes);
    })?;
    Ok((size, out))
}

/// [`read_long_value_part`] into `buffer` (as much of the piece as it
/// holds), copied from the pages straight into it. Returns the value's
/// whole size and the bytes written.
pub fn read_long_value_into(
    source: &dyn PageSource,
    tree: Tree,
    stored_id: &[u8],
    offset: u64,
    buffer: &mut [u8],
) -> Result<(u64, usize)> {
    let mut written = 0;
    let size = read_piece(source, tree, stored_id, offset, buffer.len(), |_, bytes| {
        buffer[written..written + bytes.len()].copy_from_slice(bytes);
        written += bytes.len();
    })?;
    Ok((size, written))
}

/// Walks the chunks holding bytes `offset..offset + max_len` of a long
/// value, giving `take` the piece's length and its bytes in order (never
/// more than that length in all). Returns the value's whole size.
fn read_piece(
    source: &dyn PageSource,
    tree: Tree,
    stored_id: &[u8],
    offset: u64,
    max_len: usize,
    mut take: impl FnMut(usize, &[u8]),
) -> Result<u64> {
    let (lid, key) = root_key(stored_id)?;
    let size = value_size(source, tree, lid, &key)?;
    if offset >= size || max_len == 0 {
        return Ok(size);
    }
    let end = size.min(offset.saturating_add(max_len as u64));
    // The chunk holding `offset`: the last key at or below (LID, offset).
    let mut probe = key.clone();
    probe.extend_from_slice(&(offset.min(u64::from(u32::MAX)) as u32).to_be_bytes());
    let start = tree
        .last_before(source, &probe, true)?
        .filter(|e| e.key.len() == key.len() + 4 && e.key.starts_with(&key))
        .ok_or_else(|| corrupt(lid, format!("no chunk holds byte {offset}")))?;
    let wanted = (end - offset) as usize;
    let mut taken = 0usize;
    walk_chunks(
        source,
        tree,
        &key,
        &start.key,
        size,
        end,
        |chunk_offset, chunk_end, data| {
            // A chunk stored plain is copied from its page straight to the
            // reader; only a compressed one is expanded first.
            let plain: Cow<[u8]> = if data.len() as u64 == chunk_end.saturating_sub(chunk_offset) {
                Cow::Borrowed(data)
            } else {
                let mut plain = Vec::new();
                append_chunk(&mut plain, lid, chunk_offset, chunk_end, data)?;
                Cow::Owned(plain)
            };
            let from = offset.saturating_sub(chunk_offset) as usize;
            let to = end.min(chunk_end).saturating_sub(chunk_offset) as usize;
            if from < to && to <= plain.len() && taken + (to - from) <= wanted {
                take(wanted, &plain[from..to]);
                taken += to - from;
            }
            Ok(())
        },
    )?;
    if taken != wanted {
        return Err(corrupt(
            lid,
            format!("its chunks hold {taken} of the {wanted} bytes asked for at {offset}"),
        ));
    }
    Ok(size)
}
