//! A record's column values while an update is prepared (ESE: the copy
//! buffer), and their encoding into ESE's record layout.
//!
//! Values are held in their logical form: uncompressed, long values whole.
//! Encoding chooses the stored form as ESE does: fixed columns at their
//! catalog offsets (text padded with spaces, binary with zeros), variable
//! columns in id order, tagged columns sorted by id with a header byte
//! where ESE writes one (long-value types, several values, compression).
//!
//! Which long values go to the long-value tree is decided by the update
//! path (`cursor/update.rs`); this module encodes a value it was told is
//! separated as its 4-byte LID.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use smallvec::SmallVec;

use ese_format::compression::{compress, decompress, CompressOptions};
use ese_format::constants::*;
use ese_format::record::{
    encode_record, value_flags, Record, RecordParts, Stored, TaggedField, FIRST_TAGGED_COLUMN,
    FIRST_VARIABLE_COLUMN,
};

use crate::catalog::{column_flags, ColumnDef, Placement, TableDef, TEMPLATE_COLUMN_BIT};
use crate::codes::*;
use crate::storage::long_value::read_long_value;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

/// A column's values in a record being built: inline for the single
/// value nearly every column holds.
pub type ColumnValues = SmallVec<[Vec<u8>; 1]>;

/// The column values of one record, by column id. A column mapped to no
/// values was set to NULL explicitly; an absent column was never set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordValues {
    /// Sorted by column id: a record sets few columns, and a sorted list
    /// costs one allocation where a map costs one per column.
    columns: Vec<(u32, ColumnValues)>,
    /// The long-value ids of the values the stored record kept separated,
    /// by (column id, value index): an unchanged value keeps its LID.
    pub lids: BTreeMap<(u32, usize), u32>,
    /// Separated values not read yet (decoded for reading only): their
    /// place holds an empty value until [`RecordValues::value`] reads it.
    lazy: BTreeSet<(u32, usize)>,
    /// Buffers of values set before, for the next record's values: a
    /// cursor inserting row after row copies each value into one of them
    /// instead of a new allocation (see [`RecordValues::recycled`]).
    spare: SpareBuffers,
}

/// Emptied value buffers kept for reuse. Not part of the values: equal
/// whatever they hold, and not cloned.
#[derive(Default)]
struct SpareBuffers(Vec<Vec<u8>>);

impl SpareBuffers {
    /// At most this many kept, and at most `MAX_KEPT_BYTES` of room in all
    /// (a record's worth: every open cursor holds its own; a long value's
    /// buffer is not worth holding on to).
    const MAX_KEPT: usize = 64;
    const MAX_KEPT_BYTES: usize = 16 * 1024;
}

impl Clone for SpareBuffers {
    fn clone(&self) -> Self {
        SpareBuffers(Vec::new())
    }
}

impl PartialEq for SpareBuffers {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for SpareBuffers {}

impl std::fmt::Debug for SpareBuffers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} spare buffers", self.0.len())
    }
}

/// Which values are stored separated, by (column id, value index), and
/// under which LID.
pub type Separated = BTreeMap<(u32, usize), u32>;

/// True for the column types whose values may be long.
pub fn is_long_type(coltyp: u32) -> bool {
    matches!(coltyp, JET_coltypLongText | JET_coltypLongBinary)
}

/// True for text and binary types (variable-size values).
pub fn is_variable_type(coltyp: u32) -> bool {
    matches!(
        coltyp,
        JET_coltypText | JET_coltypLongText | JET_coltypBinary | JET_coltypLongBinary
    )
}

impl RecordValues {
    pub fn new() -> Self {
        Self::default()
    }

    /// The values of a column: `None` when never set, an empty slice when
    /// set to NULL.
    pub fn get(&self, column_id: u32) -> Option<&[Vec<u8>]> {
        self.position(column_id)
            .ok()
            .map(|at| self.columns[at].1.as_slice())
    }

    fn position(&self, column_id: u32) -> std::result::Result<usize, usize> {
        // Columns are mostly set in id order: the last one is checked first.
        match self.columns.last() {
            Some((last, _)) if *last < column_id => Err(self.columns.len()),
            _ => self.columns.binary_search_by_key(&column_id, |(id, _)| *id),
        }
    }

    /// The column's values, for changing them.
    pub fn entry(&mut self, column_id: u32) -> &mut ColumnValues {
        let at = match self.position(column_id) {
            Ok(at) => at,
            Err(at) => {
                self.columns.insert(at, (column_id, ColumnValues::new()));
                at
            }
        };
        &mut self.columns[at].1
    }

    /// These values emptied for another record, their buffers kept for
    /// [`RecordValues::copy_of`].
    pub fn recycled(mut self) -> Self {
        let spare = &mut self.spare.0;
        let mut room: usize = spare.iter().map(Vec::capacity).sum();
        for (_, values) in self.columns.drain(..) {
            for mut value in values {
                if spare.len() < SpareBuffers::MAX_KEPT
                    && room + value.capacity() <= SpareBuffers::MAX_KEPT_BYTES
                {
                    room += value.capacity();
                    value.clear();
                    spare.push(value);
                }
            }
        }
        self.lids.clear();
        self.lazy.clear();
        self
    }

    /// `bytes` in a buffer of its own, a spare one when there is one.
    pub fn copy_of(&mut self, bytes: &[u8]) -> Vec<u8> {
        match self.spare.0.pop() {
            Some(mut buffer) => {
                buffer.extend_from_slice(bytes);
                buffer
            }
            None => bytes.to_vec(),
        }
    }

    pub fn set(&mut self, column_id: u32, values: Vec<Vec<u8>>) {
        *self.entry(column_id) = ColumnValues::from_vec(values);
    }

    /// Sets a column to one value.
    pub fn set_one(&mut self, column_id: u32, value: Vec<u8>) {
        let values = self.entry(column_id);
        values.clear();
        values.push(value);
    }

    pub fn remove(&mut self, column_id: u32) {
        if let Ok(at) = self.position(column_id) {
            self.columns.remove(at);
        }
    }

    /// Every column with its values, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &[Vec<u8>])> {
        self.columns.iter().map(|(id, v)| (*id, v.as_slice()))
    }

    /// Decodes a stored record, expanding compressed and separated values.
    pub fn decode(source: &dyn PageSource, table: &TableDef, data: &[u8]) -> Result<Self> {
        Self::decode_with(source, table, data, true)
    }

    /// Decodes a stored record for reading: separated long values are read
    /// only when [`RecordValues::value`] asks for them.
    pub fn decode_for_reading(
        source: &dyn PageSource,
        table: &TableDef,
        data: &[u8],
    ) -> Result<Self> {
        Self::decode_with(source, table, data, false)
    }

    /// Value `index` of column `column_id`, reading a long value left
    /// unread; `None` when the column holds fewer values.
    pub fn value<'v>(
        &'v self,
        source: &dyn PageSource,
        table: &TableDef,
        column_id: u32,
        index: usize,
    ) -> Result<Option<Cow<'v, [u8]>>> {
        let Some(value) = self.get(column_id).and_then(|list| list.get(index)) else {
            return Ok(None);
        };
        if !self.lazy.contains(&(column_id, index)) {
            return Ok(Some(Cow::Borrowed(value)));
        }
        let lid = self.lids.get(&(column_id, index)).copied().unwrap_or(0);
        let tree = table.long_values.ok_or_else(|| {
            Error::new(JET_errLVCorrupted)
                .with_detail(format!("table {} has no long-value tree", table.name))
        })?;
        Ok(Some(Cow::Owned(read_long_value(
            source,
            tree,
            &lid.to_le_bytes(),
        )?)))
    }

    /// The long-value id of value `index` of column `column_id` when it is
    /// separated and not read yet.
    pub fn unread_lid(&self, column_id: u32, index: usize) -> Option<u32> {
        if self.lazy.contains(&(column_id, index)) {
            self.lids.get(&(column_id, index)).copied()
        } else {
            None
        }
    }

    fn decode_with(
        source: &dyn PageSource,
        table: &TableDef,
        data: &[u8],
        load_long_values: bool,
    ) -> Result<Self> {
        let record = Record::parse(data, source.page_size())?;
        let mut values = RecordValues::new();
        // Only the ids the record stores: the cost follows the record, not
        // the table's column count.
        let fixed = 1..=record.last_fixed_column();
        let variable = FIRST_VARIABLE_COLUMN..=record.last_variable_column();
        for id in fixed.chain(variable) {
            let Some(column) = table
                .column_by_stored(id, false)
                .or_else(|| table.column_by_stored(id, true))
                .filter(|c| !c.is_deleted())
            else {
                continue;
            };
            let key = table.column_id_of(column);
            let stored = match column.placement() {
                Placement::Fixed => {
                    let offset = usize::from(column.record_offset.ok_or_else(|| {
                        Error::new(JET_errCatalogCorrupted)
                            .with_detail(format!("fixed column {:?} has no offset", column.name))
                    })?);
                    record.fixed(id, offset, column.max_size as usize)?
                }
                Placement::Variable => record.variable(id)?,
                Placement::Tagged => continue,
            };
            match stored {
                Stored::Value(bytes) => values.set_one(key, bytes.to_vec()),
                Stored::Null => values.entry(key).clear(),
                Stored::Absent => {}
            }
        }
        for field in record.tagged()? {
            let Some(column) = table.column_by_stored(field.column_id, field.derived) else {
                continue;
            };
            let key = table.column_id_of(column);
            if column.is_deleted() {
                continue;
            }
            let mut list = ColumnValues::new();
            for (position, stored) in field.values()?.into_iter().enumerate() {
                if stored.separated {
                    if let Ok(lid) = <[u8; 4]>::try_from(stored.bytes) {
                        values.lids.insert((key, position), u32::from_le_bytes(lid));
                    }
                }
                let bytes = if stored.separated && !load_long_values && stored.bytes.len() == 4 {
                    values.lazy.insert((key, position));
                    Vec::new()
                } else if stored.separated {
                    let tree = table.long_values.ok_or_else(|| {
                        Error::new(JET_errLVCorrupted).with_detail(format!(
                            "column {:?} refers to a long value, but table {} has no long-value tree",
                            column.name, table.name
                        ))
                    })?;
                    read_long_value(source, tree, stored.bytes)?
                } else if stored.compressed {
                    decompress(stored.bytes)?
                } else {
                    stored.bytes.to_vec()
                };
                list.push(bytes);
            }
            *values.entry(key) = list;
        }
        Ok(values)
    }

    /// Encodes the values as a record of `table` for `page_size`-byte
    /// pages, the values in `separated` by their long-value ids.
    pub fn encode(
        &self,
        table: &TableDef,
        page_size: usize,
        separated: &Separated,
    ) -> Result<Vec<u8>> {
        // Keys are JET_COLUMNIDs: the stored id, with the template bit for
        // a template's columns. Fixed and variable ids of a template and its
        // derived table never overlap; tagged ones may.
        let stored = |id: u32| id & !TEMPLATE_COLUMN_BIT;
        let mut last_fixed = 0;
        let mut last_variable = FIRST_VARIABLE_COLUMN - 1;
        for (id, values) in &self.columns {
            if values.is_empty() {
                continue;
            }
            let id = stored(*id);
            if id < FIRST_VARIABLE_COLUMN {
                last_fixed = last_fixed.max(id);
            } else if id < FIRST_TAGGED_COLUMN {
                last_variable = last_variable.max(id);
            }
        }
        let any_column = |id: u32| {
            table
                .column_by_stored(id, false)
                .or_else(|| table.column_by_stored(id, true))
        };
        let value_of_column =
            |c: &ColumnDef| self.get(table.column_id_of(c)).and_then(|v| v.first());
        // Fixed columns: every defined column up to the last one set
        // (their bytes end where the last one's do).
        // The lists are inline for a typical record: an insert allocates
        // the record it encodes and nothing more.
        let mut fixed_data = FixedBytes::new();
        fixed_data.reserve(any_column(last_fixed).map_or(0, |c| {
            usize::from(c.record_offset.unwrap_or(4)).saturating_sub(4) + c.max_size as usize
        }));
        let mut fixed_null: SmallVec<[bool; 32]> = SmallVec::new();
        for id in 1..=last_fixed {
            let column = any_column(id);
            let (offset, size) = match column {
                Some(c) => (
                    usize::from(c.record_offset.unwrap_or(0)),
                    c.max_size as usize,
                ),
                None => (4 + fixed_data.len(), 0),
            };
            if offset < 4 || offset - 4 != fixed_data.len() {
                return Err(Error::new(JET_errCatalogCorrupted).with_detail(format!(
                    "fixed column {id} of table {} sits at offset {offset}, not {}",
                    table.name,
                    4 + fixed_data.len()
                )));
            }
            match (column, column.and_then(value_of_column)) {
                (Some(c), Some(value)) if !c.is_deleted() => {
                    push_padded(&mut fixed_data, c, value);
                    fixed_null.push(false);
                }
                _ => {
                    // ESE fills a NULL fixed column with '*'.
                    fixed_data.resize(fixed_data.len() + size, b'*');
                    fixed_null.push(true);
                }
            }
        }
        let mut variable: SmallVec<[Option<&[u8]>; 16]> = SmallVec::new();
        for id in FIRST_VARIABLE_COLUMN..=last_variable {
            variable.push(any_column(id).and_then(value_of_column).map(Vec::as_slice));
        }
        // Tagged: a template's columns in a derived table's record carry the
        // derived bit and come first, each group by id (ESE's TAGFLD order).
        let mut bodies: SmallVec<[TaggedBody<'_>; 16]> = SmallVec::new();
        for (id, values) in &self.columns {
            if stored(*id) < FIRST_TAGGED_COLUMN {
                continue;
            }
            let Some(column) = table.column(*id) else {
                continue;
            };
            let derived = table.is_derived() && column.from_template;
            if values.is_empty() {
                // An explicit NULL matters only where it hides a default.
                if column.flags & column_flags::DEFAULT_VALUE != 0 {
                    bodies.push((derived, column.id, value_flags::NULL, Cow::Borrowed(&[])));
                }
                continue;
            }
            let (flags, body) = tagged_body(*id, column, values, separated)?;
            bodies.push((derived, column.id, flags, body));
        }
        bodies.sort_by_key(|(derived, id, _, _)| (!*derived, *id));
        let tagged: SmallVec<[TaggedField<'_>; 16]> = bodies
            .iter()
            .map(|(derived, id, flags, body)| TaggedField {
                column_id: *id,
                derived: *derived,
                flags: *flags,
                has_header: *flags != 0,
                body,
            })
            .collect();
        encode_record(
            &RecordParts {
                last_fixed,
                fixed_data: &fixed_data,
                fixed_null: Cow::Borrowed(&fixed_null),
                variable: Cow::Borrowed(&variable),
                tagged: Cow::Borrowed(&tagged),
            },
            page_size,
        )
    }
}

/// A tagged column as it is encoded: (belongs to the template, id,
/// header flags, stored bytes).
type TaggedBody<'v> = (bool, u32, u8, Cow<'v, [u8]>);

/// A record's fixed columns as they are encoded: inline up to a size most
/// tables' fixed columns stay under.
type FixedBytes = SmallVec<[u8; 256]>;

/// Appends a fixed column's bytes at its full size: text padded with
/// spaces (in its code page), binary with zeros.
fn push_padded(out: &mut FixedBytes, column: &ColumnDef, value: &[u8]) {
    let size = column.max_size as usize;
    let start = out.len();
    out.extend_from_slice(&value[..value.len().min(size)]);
    if value.len() < size {
        if column.coltyp == JET_coltypText && column.code_page == 1200 {
            while out.len() - start + 2 <= size {
                out.extend_from_slice(&[0x20, 0]);
            }
            out.resize(start + size, 0);
        } else if column.coltyp == JET_coltypText {
            out.resize(start + size, 0x20);
        } else {
            out.resize(start + size, 0);
        }
    }
}

/// The stored form of a tagged column's values (`column_id` is its
/// JET_COLUMNID): (header flags, body).
fn tagged_body<'v>(
    column_id: u32,
    column: &ColumnDef,
    values: &'v [Vec<u8>],
    separated: &Separated,
) -> Result<(u8, Cow<'v, [u8]>)> {
    let mut flags = 0u8;
    if is_long_type(column.coltyp) {
        flags |= value_flags::LONG_VALUE;
    }
    let lid = |index: usize| {
        separated
            .get(&(column_id, index))
            .map(|l| l.to_le_bytes().to_vec())
    };
    if values.len() == 1 {
        if let Some(lid) = lid(0) {
            return Ok((flags | value_flags::SEPARATED, Cow::Owned(lid)));
        }
    }
    // ESE compresses only the first value of a column.
    let mut first: Cow<'v, [u8]> = match lid(0) {
        Some(lid) => Cow::Owned(lid),
        None => Cow::Borrowed(&values[0]),
    };
    if column.flags & column_flags::COMPRESSED != 0 && !separated.contains_key(&(column_id, 0)) {
        if let Some(compressed) = compress(&first, &CompressOptions::ESE_DEFAULT) {
            // ESE keeps an in-record result only when shorter and at least
            // four bytes long.
            if compressed.len() < first.len() && compressed.len() >= 4 {
                first = Cow::Owned(compressed);
                flags |= value_flags::COMPRESSED;
            }
        }
    }
    if values.len() == 1 {
        return Ok((flags, first));
    }
    flags |= value_flags::MULTI_VALUES;
    // The two-value form is for short columns only; a long-value column's
    // second value takes the offset table.
    if values.len() == 2
        && first.len() <= usize::from(u8::MAX)
        && !is_long_type(column.coltyp)
        && lid(1).is_none()
        && lid(0).is_none()
    {
        flags |= value_flags::TWO_VALUES;
        let mut body = Vec::with_capacity(1 + first.len() + values[1].len());
        body.push(first.len() as u8);
        body.extend_from_slice(&first);
        body.extend_from_slice(&values[1]);
        return Ok((flags, Cow::Owned(body)));
    }
    let table_len = values.len() * 2;
    let mut offsets = Vec::with_capacity(table_len);
    let mut data = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let offset = table_len + data.len();
        if offset > 0x7fff {
            return Err(Error::new(JET_errRecordTooBig).with_detail(format!(
                "the values of column {:?} exceed what a record holds",
                column.name
            )));
        }
        let stored = lid(index);
        let word = offset as u16 | if stored.is_some() { 0x8000 } else { 0 };
        offsets.extend_from_slice(&word.to_le_bytes());
        match (index, stored) {
            (0, _) => data.extend_from_slice(&first),
            (_, Some(lid)) => data.extend_from_slice(&lid),
            _ => data.extend_from_slice(value),
        }
    }
    offsets.extend_from_slice(&data);
    Ok((flags, Cow::Owned(offsets)))
}

/// The size of values of a fixed-size type.
pub fn fixed_type_size(coltyp: u32) -> Option<u32> {
    Some(match coltyp {
        JET_coltypBit | JET_coltypUnsignedByte => 1,
        JET_coltypShort | JET_coltypUnsignedShort => 2,
        JET_coltypLong | JET_coltypIEEESingle | JET_coltypUnsignedLong => 4,
        JET_coltypCurrency
        | JET_coltypIEEEDouble
        | JET_coltypDateTime
        | JET_coltypLongLong
        | JET_coltypUnsignedLongLong => 8,
        JET_coltypGUID => 16,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recycled values are empty and equal to new ones; their buffers serve
    /// the next values (the same allocation comes back), up to a record's
    /// worth of room, never more.
    #[test]
    fn recycled_values_lend_their_buffers_to_the_next_record() {
        let mut values = RecordValues::new();
        let first = values.copy_of(&[7; 100]);
        let first_at = first.as_ptr();
        values.set_one(1, first);
        values.set(2, vec![vec![1; 10_000], vec![2; 10_000]]);
        values.lids.insert((2, 0), 9);
        let mut values = values.recycled();
        assert_eq!(values, RecordValues::new());
        assert_eq!(values.get(1), None);
        assert!(values.lids.is_empty());
        // 100 + 10,000 bytes kept; the second 10,000 would pass 16 KiB.
        assert_eq!(values.spare.0.len(), 2);
        let reused: Vec<Vec<u8>> = (0..2).map(|_| values.copy_of(b"x")).collect();
        assert!(
            reused.iter().any(|buffer| buffer.as_ptr() == first_at),
            "the 100-byte buffer came back"
        );
        assert!(reused.iter().all(|buffer| buffer == b"x"));
        // None left: a new allocation, with the bytes asked for.
        assert_eq!(values.copy_of(b"abc"), b"abc");
    }
}
