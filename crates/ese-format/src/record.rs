//! Records (ESE: REC, TAGFLD): the column values of one table row.
//!
//! A record is a leaf node's data in a table's clustered tree:
//!
//! - a 4-byte header: the last fixed column id present, the last variable
//!   column id present (127 for none), and where the fixed area ends;
//! - fixed columns at offsets the catalog gives, then a bitmap with one
//!   bit per fixed column present (set = NULL);
//! - one u16 per variable column present, the end offset of its data in
//!   the variable area (bit 15 = NULL), then that data;
//! - the tagged area: an array of (column id, offset) pairs, then the
//!   values. On small pages a value may start with a header byte saying how
//!   it is stored (long value, compressed, separated, multi-valued); on
//!   large pages every value does.
//!
//! This module finds each column's stored bytes; it knows nothing of the
//! schema beyond what the caller passes in, and interprets values no
//! further than their storage form.

use std::borrow::Cow;

use crate::bytes::u16_at;
use crate::codes::*;
use crate::error::{Error, Result};

/// Column ids 1..=127 are fixed, 128..=255 variable, 256 and up tagged.
pub const FIRST_VARIABLE_COLUMN: u32 = 128;
pub const FIRST_TAGGED_COLUMN: u32 = 256;
/// The highest column id ESE allows (JET_ccolMost).
pub const LAST_COLUMN_ID: u32 = 0xfee0;
const HEADER_SIZE: usize = 4;

/// Bits of the header byte that may open a tagged value (ESE: TAGFLD_HEADER).
pub mod value_flags {
    /// The column is a long-value column (LongText or LongBinary).
    pub const LONG_VALUE: u8 = 0x01;
    /// The value (or the first of several) is compressed.
    pub const COMPRESSED: u8 = 0x02;
    /// The value is a long-value id; the bytes live in the long-value tree.
    pub const SEPARATED: u8 = 0x04;
    /// The value holds several values.
    pub const MULTI_VALUES: u8 = 0x08;
    /// With `MULTI_VALUES`: exactly two values, the first one's length in a
    /// byte.
    pub const TWO_VALUES: u8 = 0x10;
    /// Large pages: the column was explicitly set to NULL.
    pub const NULL: u8 = 0x20;
    /// The long value is encrypted.
    pub const ENCRYPTED: u8 = 0x40;
}

/// What a fixed or variable column holds in one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored<'a> {
    /// Explicitly NULL: no default applies.
    Null,
    /// Beyond the last column the record stores: its default, if any, applies.
    Absent,
    Value(&'a [u8]),
}

/// One value of a tagged column as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredValue<'a> {
    pub bytes: &'a [u8],
    /// The bytes are compressed (see `compression`).
    pub compressed: bool,
    /// The bytes are a long-value id, little-endian, 4 or 8 bytes.
    pub separated: bool,
}

/// One entry of the tagged area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaggedField<'a> {
    pub column_id: u32,
    /// The column belongs to the template of a derived table.
    pub derived: bool,
    /// [`value_flags`] bits (0 when the value has no header byte).
    pub flags: u8,
    /// The value opens with a header byte (always on large pages; on small
    /// pages only when ESE needed one).
    pub has_header: bool,
    /// The stored bytes after the header byte.
    pub body: &'a [u8],
}

impl<'a> TaggedField<'a> {
    pub fn is_null(&self) -> bool {
        self.flags & value_flags::NULL != 0
    }

    /// The values the field holds, in stored order (none when NULL).
    pub fn values(&self) -> Result<Vec<StoredValue<'a>>> {
        let corrupt = |detail: String| {
            Error::new(JET_errDatabaseCorrupted)
                .with_detail(format!("tagged column {}: {detail}", self.column_id))
        };
        if self.is_null() {
            return Ok(Vec::new());
        }
        let flags = self.flags;
        let compressed = flags & value_flags::COMPRESSED != 0;
        if flags & value_flags::MULTI_VALUES == 0 {
            return Ok(vec![StoredValue {
                bytes: self.body,
                compressed,
                separated: flags & value_flags::SEPARATED != 0,
            }]);
        }
        if flags & value_flags::TWO_VALUES != 0 {
            let (&first_len, rest) = self
                .body
                .split_first()
                .ok_or_else(|| corrupt("a two-value field without its length byte".into()))?;
            let first_len = usize::from(first_len);
            if first_len > rest.len() {
                return Err(corrupt(format!(
                    "the first of two values claims {first_len} of {} bytes",
                    rest.len()
                )));
            }
            let (first, second) = rest.split_at(first_len);
            return Ok(vec![
                StoredValue {
                    bytes: first,
                    compressed,
                    separated: false,
                },
                StoredValue {
                    bytes: second,
                    compressed: false,
                    separated: false,
                },
            ]);
        }
        // General form: u16 offsets (bit 15 = that value is separated),
        // relative to the first offset; the first offset gives the count.
        let first = u16_at(self.body, 0)
            .ok_or_else(|| corrupt("a multi-value field without its offsets".into()))?;
        let table_len = usize::from(first & 0x7fff);
        if table_len == 0 || table_len % 2 != 0 || table_len > self.body.len() {
            return Err(corrupt(format!(
                "an offset table of {table_len} bytes in a {}-byte field",
                self.body.len()
            )));
        }
        let count = table_len / 2;
        let mut values = Vec::with_capacity(count);
        for index in 0..count {
            let word = u16_at(self.body, index * 2).unwrap_or(0);
            let start = usize::from(word & 0x7fff);
            let end = if index + 1 < count {
                usize::from(u16_at(self.body, (index + 1) * 2).unwrap_or(0) & 0x7fff)
            } else {
                self.body.len()
            };
            let bytes = self
                .body
                .get(start..end)
                .filter(|_| start >= table_len)
                .ok_or_else(|| {
                    corrupt(format!(
                        "value {index} spans bytes {start}..{end} of a {}-byte field",
                        self.body.len()
                    ))
                })?;
            values.push(StoredValue {
                bytes,
                // Only the first value of a multi-valued column is ever
                // compressed (ESE compresses the first and stores the rest).
                compressed: compressed && index == 0,
                separated: word & 0x8000 != 0,
            });
        }
        Ok(values)
    }
}

/// A record, checked so that every part lies inside its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    bytes: &'a [u8],
    last_fixed: u32,
    last_variable: u32,
    fixed_end: usize,
    variable_data_start: usize,
    tagged_start: usize,
    small_page: bool,
}

fn corrupt(detail: String) -> Error {
    Error::new(JET_errDatabaseCorrupted).with_detail(detail)
}

impl<'a> Record<'a> {
    /// Parses a record stored in a database of `page_size`-byte pages.
    pub fn parse(bytes: &'a [u8], page_size: usize) -> Result<Self> {
        if bytes.len() < HEADER_SIZE {
            return Err(corrupt(format!(
                "a record of {} bytes has no header",
                bytes.len()
            )));
        }
        let last_fixed = u32::from(bytes[0]);
        let last_variable = u32::from(bytes[1]);
        let fixed_end = usize::from(u16_at(bytes, 2).unwrap_or(0));
        if last_fixed >= FIRST_VARIABLE_COLUMN
            || !(FIRST_VARIABLE_COLUMN - 1..FIRST_TAGGED_COLUMN).contains(&last_variable)
        {
            return Err(corrupt(format!(
                "impossible last column ids: fixed {last_fixed}, variable {last_variable}"
            )));
        }
        let bitmap = (last_fixed as usize).div_ceil(8);
        if fixed_end < HEADER_SIZE + bitmap || fixed_end > bytes.len() {
            return Err(corrupt(format!(
                "the fixed area ends at {fixed_end} in a {}-byte record",
                bytes.len()
            )));
        }
        let variable_count = (last_variable + 1 - FIRST_VARIABLE_COLUMN) as usize;
        let variable_data_start = fixed_end + 2 * variable_count;
        if variable_data_start > bytes.len() {
            return Err(corrupt(format!(
                "{variable_count} variable offsets overrun a {}-byte record",
                bytes.len()
            )));
        }
        let mut record = Record {
            bytes,
            last_fixed,
            last_variable,
            fixed_end,
            variable_data_start,
            tagged_start: variable_data_start,
            small_page: page_size <= 8192,
        };
        if variable_count > 0 {
            let last_end = record.variable_end(variable_count - 1);
            record.tagged_start = variable_data_start + last_end;
            if record.tagged_start > bytes.len() {
                return Err(corrupt(format!(
                    "variable data ends at {} in a {}-byte record",
                    record.tagged_start,
                    bytes.len()
                )));
            }
        }
        Ok(record)
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The highest fixed column id stored (0 for none).
    pub fn last_fixed_column(&self) -> u32 {
        self.last_fixed
    }

    /// The highest variable column id stored (127 for none).
    pub fn last_variable_column(&self) -> u32 {
        self.last_variable
    }

    /// Fixed column `column_id`, stored at `offset` for `size` bytes (both
    /// from the catalog).
    pub fn fixed(&self, column_id: u32, offset: usize, size: usize) -> Result<Stored<'a>> {
        if column_id == 0 || column_id >= FIRST_VARIABLE_COLUMN {
            return Err(Error::new(JET_errBadColumnId)
                .with_detail(format!("{column_id} is not a fixed column id")));
        }
        if column_id > self.last_fixed {
            return Ok(Stored::Absent);
        }
        let bitmap_start = self.fixed_end - (self.last_fixed as usize).div_ceil(8);
        let bit = (column_id - 1) as usize;
        if self.bytes[bitmap_start + bit / 8] & (1 << (bit % 8)) != 0 {
            return Ok(Stored::Null);
        }
        let end = offset
            .checked_add(size)
            .filter(|&end| offset >= HEADER_SIZE && end <= bitmap_start);
        match end {
            Some(end) => Ok(Stored::Value(&self.bytes[offset..end])),
            None => Err(corrupt(format!(
                "fixed column {column_id} at {offset}+{size} lies outside the fixed area ending at {bitmap_start}"
            ))),
        }
    }

    /// End offset (in the variable data area) of variable column slot `index`.
    fn variable_end(&self, index: usize) -> usize {
        usize::from(u16_at(self.bytes, self.fixed_end + 2 * index).unwrap_or(0) & 0x7fff)
    }

    /// Variable column `column_id`.
    pub fn variable(&self, column_id: u32) -> Result<Stored<'a>> {
        if !(FIRST_VARIABLE_COLUMN..FIRST_TAGGED_COLUMN).contains(&column_id) {
            return Err(Error::new(JET_errBadColumnId)
                .with_detail(format!("{column_id} is not a variable column id")));
        }
        if column_id > self.last_variable {
            return Ok(Stored::Absent);
        }
        let index = (column_id - FIRST_VARIABLE_COLUMN) as usize;
        let word = u16_at(self.bytes, self.fixed_end + 2 * index).unwrap_or(0);
        if word & 0x8000 != 0 {
            return Ok(Stored::Null);
        }
        let start = if index == 0 {
            0
        } else {
            self.variable_end(index - 1)
        };
        let end = usize::from(word & 0x7fff);
        let absolute = self.variable_data_start;
        match self.bytes.get(absolute + start..absolute + end) {
            Some(value) if start <= end && absolute + end <= self.tagged_start => {
                Ok(Stored::Value(value))
            }
            _ => Err(corrupt(format!(
                "variable column {column_id} spans {start}..{end} of the variable area"
            ))),
        }
    }

    /// The tagged area's entries in stored order.
    pub fn tagged(&self) -> Result<Vec<TaggedField<'a>>> {
        let area = &self.bytes[self.tagged_start..];
        if area.is_empty() {
            return Ok(Vec::new());
        }
        let (offset_mask, null_bit, header_bit) = if self.small_page {
            (0x1fffu16, 0x2000u16, 0x4000u16)
        } else {
            (0x7fff, 0, 0)
        };
        let first =
            u16_at(area, 2).ok_or_else(|| corrupt("a tagged area of under 4 bytes".into()))?;
        let array_len = usize::from(first & offset_mask);
        if array_len == 0 || array_len % 4 != 0 || array_len > area.len() {
            return Err(corrupt(format!(
                "a tagged array of {array_len} bytes in a {}-byte tagged area",
                area.len()
            )));
        }
        let count = array_len / 4;
        let mut fields = Vec::with_capacity(count);
        let mut previous_id = 0u32;
        for index in 0..count {
            let id = u32::from(u16_at(area, index * 4).unwrap_or(0));
            let word = u16_at(area, index * 4 + 2).unwrap_or(0);
            let start = usize::from(word & offset_mask);
            let end = if index + 1 < count {
                usize::from(u16_at(area, index * 4 + 6).unwrap_or(0) & offset_mask)
            } else {
                area.len()
            };
            if !(FIRST_TAGGED_COLUMN..=LAST_COLUMN_ID).contains(&id) {
                return Err(corrupt(format!("tagged entry {index} names column {id}")));
            }
            let derived = word & 0x8000 != 0;
            // Entries are sorted: template (derived) columns first, then by id.
            let order_key = id | if derived { 0 } else { 0x1_0000 };
            if order_key <= previous_id {
                return Err(corrupt(format!(
                    "tagged entry {index} (column {id}) is out of order"
                )));
            }
            previous_id = order_key;
            let raw = area
                .get(start..end)
                .filter(|_| start >= array_len)
                .ok_or_else(|| {
                    corrupt(format!(
                        "tagged column {id} spans {start}..{end} of a {}-byte tagged area",
                        area.len()
                    ))
                })?;
            let (flags, body, has_header) = if self.small_page {
                if word & null_bit != 0 {
                    (value_flags::NULL, &raw[..0], false)
                } else if word & header_bit != 0 {
                    match raw.split_first() {
                        Some((&flags, body)) => (flags, body, true),
                        None => {
                            return Err(corrupt(format!(
                                "tagged column {id} lacks its header byte"
                            )))
                        }
                    }
                } else {
                    (0, raw, false)
                }
            } else {
                match raw.split_first() {
                    Some((&flags, body)) => (flags, body, true),
                    None => {
                        return Err(corrupt(format!("tagged column {id} lacks its header byte")))
                    }
                }
            };
            fields.push(TaggedField {
                column_id: id,
                derived,
                flags,
                has_header,
                body,
            });
        }
        Ok(fields)
    }
}

/// The parts of a record, as [`Record::parts`] takes them apart and
/// [`encode_record`] puts them together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordParts<'a> {
    /// The last fixed column id stored (0 for none).
    pub last_fixed: u32,
    /// The fixed columns' bytes, from offset 4 to the null bitmap, laid out
    /// at the offsets the catalog gives (NULL columns' bytes included).
    pub fixed_data: &'a [u8],
    /// One flag per fixed column 1..=last_fixed: NULL.
    pub fixed_null: Cow<'a, [bool]>,
    /// One entry per variable column 128..=last stored: `None` for NULL.
    pub variable: Cow<'a, [Option<&'a [u8]>]>,
    /// Tagged values in stored order.
    pub tagged: Cow<'a, [TaggedField<'a>]>,
}

impl<'a> Record<'a> {
    /// Takes the record apart for re-encoding.
    pub fn parts(&self) -> Result<RecordParts<'a>> {
        let bitmap_start = self.fixed_end - (self.last_fixed as usize).div_ceil(8);
        let fixed_null = (0..self.last_fixed as usize)
            .map(|bit| self.bytes[bitmap_start + bit / 8] & (1 << (bit % 8)) != 0)
            .collect();
        let mut variable = Vec::new();
        for id in FIRST_VARIABLE_COLUMN..=self.last_variable {
            variable.push(match self.variable(id)? {
                Stored::Value(bytes) => Some(bytes),
                _ => None,
            });
        }
        Ok(RecordParts {
            last_fixed: self.last_fixed,
            fixed_data: &self.bytes[HEADER_SIZE..bitmap_start],
            fixed_null: Cow::Owned(fixed_null),
            variable: Cow::Owned(variable),
            tagged: Cow::Owned(self.tagged()?),
        })
    }
}

/// Encodes a record for a database of `page_size`-byte pages. Small pages
/// get a value header byte only where a field says it has one; large pages
/// always do. The null bitmap's unused high bits are set, as ESE sets them.
pub fn encode_record(parts: &RecordParts<'_>, page_size: usize) -> Result<Vec<u8>> {
    let invalid = |detail: String| Error::new(JET_errInvalidParameter).with_detail(detail);
    let small = page_size <= 8192;
    if parts.last_fixed >= FIRST_VARIABLE_COLUMN
        || parts.fixed_null.len() != parts.last_fixed as usize
    {
        return Err(invalid(format!(
            "{} NULL flags for last fixed column {}",
            parts.fixed_null.len(),
            parts.last_fixed
        )));
    }
    if parts.variable.len() > (FIRST_TAGGED_COLUMN - FIRST_VARIABLE_COLUMN) as usize {
        return Err(invalid(format!(
            "{} variable columns",
            parts.variable.len()
        )));
    }
    // One buffer of the record's size, written in place (the variable
    // offsets and the tagged array are filled in as their values go in).
    let bitmap_len = (parts.last_fixed as usize).div_ceil(8);
    let variable_bytes: usize = parts.variable.iter().flatten().map(|v| v.len()).sum();
    let tagged_bytes: usize = parts
        .tagged
        .iter()
        .map(|f| {
            4 + 1
                + if small && f.is_null() {
                    0
                } else {
                    f.body.len()
                }
        })
        .sum();
    let mut out = Vec::with_capacity(
        HEADER_SIZE
            + parts.fixed_data.len()
            + bitmap_len
            + parts.variable.len() * 2
            + variable_bytes
            + tagged_bytes,
    );
    out.push(parts.last_fixed as u8);
    out.push((FIRST_VARIABLE_COLUMN - 1 + parts.variable.len() as u32) as u8);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(parts.fixed_data);
    let bitmap_at = out.len();
    // Bits past the last column read as NULL.
    out.resize(bitmap_at + bitmap_len, 0);
    for bit in 0..bitmap_len * 8 {
        if parts.fixed_null.get(bit).is_none_or(|null| *null) {
            out[bitmap_at + bit / 8] |= 1 << (bit % 8);
        }
    }
    let fixed_end =
        u16::try_from(out.len()).map_err(|_| invalid("a fixed area over 64 KiB".into()))?;
    out[2..4].copy_from_slice(&fixed_end.to_le_bytes());

    let offsets_at = out.len();
    out.resize(offsets_at + parts.variable.len() * 2, 0);
    let mut end = 0usize;
    for (at, value) in parts.variable.iter().enumerate() {
        let word = match value {
            Some(bytes) => {
                end += bytes.len();
                out.extend_from_slice(bytes);
                end as u16
            }
            None => (end as u16) | 0x8000,
        };
        if end > 0x7fff {
            return Err(invalid("variable data over 32 KiB".into()));
        }
        out[offsets_at + at * 2..offsets_at + at * 2 + 2].copy_from_slice(&word.to_le_bytes());
    }

    if !parts.tagged.is_empty() {
        let array_len = parts.tagged.len() * 4;
        let array_at = out.len();
        out.resize(array_at + array_len, 0);
        let values_at = out.len();
        let limit = if small { 0x1fff } else { 0x7fff };
        for (at, field) in parts.tagged.iter().enumerate() {
            if !(FIRST_TAGGED_COLUMN..=LAST_COLUMN_ID).contains(&field.column_id) {
                return Err(invalid(format!("tagged column id {}", field.column_id)));
            }
            let offset = array_len + (out.len() - values_at);
            if offset > limit {
                return Err(invalid(format!("tagged offset {offset} over {limit:#x}")));
            }
            let mut word = offset as u16;
            if field.derived {
                word |= 0x8000;
            }
            if small {
                if field.is_null() {
                    word |= 0x2000;
                } else if field.has_header {
                    word |= 0x4000;
                    out.push(field.flags);
                }
            } else {
                out.push(field.flags);
            }
            if !(small && field.is_null()) {
                out.extend_from_slice(field.body);
            }
            let entry = array_at + at * 4;
            out[entry..entry + 2].copy_from_slice(&(field.column_id as u16).to_le_bytes());
            out[entry + 2..entry + 4].copy_from_slice(&word.to_le_bytes());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small-page record: fixed columns 1 (4 bytes) and 2 (2 bytes, NULL),
    /// variable columns 128 ("ab") and 129 (NULL) and 130 (""), and the
    /// tagged area given.
    fn record(tagged: &[u8]) -> Vec<u8> {
        let mut r = vec![2, 130, 0, 0];
        r.extend_from_slice(&7u32.to_le_bytes()); // column 1 at offset 4
        r.extend_from_slice(&[0x2a, 0x2a]); // column 2 at offset 8, NULL
        r.push(0b1111_1110); // bitmap: bit 1 (column 2) NULL, unused bits set
        let fixed_end = r.len() as u16;
        r[2..4].copy_from_slice(&fixed_end.to_le_bytes());
        r.extend_from_slice(&2u16.to_le_bytes()); // 128 ends at 2
        r.extend_from_slice(&(2u16 | 0x8000).to_le_bytes()); // 129 NULL
        r.extend_from_slice(&2u16.to_le_bytes()); // 130 empty
        r.extend_from_slice(b"ab");
        r.extend_from_slice(tagged);
        r
    }

    #[test]
    fn fixed_variable_and_absent_columns() {
        let bytes = record(&[]);
        let r = Record::parse(&bytes, 4096).unwrap();
        assert_eq!(
            r.fixed(1, 4, 4).unwrap(),
            Stored::Value(&7u32.to_le_bytes())
        );
        assert_eq!(r.fixed(2, 8, 2).unwrap(), Stored::Null);
        assert_eq!(r.fixed(3, 10, 1).unwrap(), Stored::Absent);
        assert_eq!(r.variable(128).unwrap(), Stored::Value(b"ab"));
        assert_eq!(r.variable(129).unwrap(), Stored::Null);
        assert_eq!(r.variable(130).unwrap(), Stored::Value(b""));
        assert_eq!(r.variable(131).unwrap(), Stored::Absent);
        assert!(r.tagged().unwrap().is_empty());
        assert_eq!(r.fixed(128, 4, 4).unwrap_err().code(), JET_errBadColumnId);
        // A fixed column said to lie past the fixed area.
        assert_eq!(
            r.fixed(1, 8, 4).unwrap_err().code(),
            JET_errDatabaseCorrupted
        );
    }

    #[test]
    fn tagged_forms() {
        // Column 256: plain value "xy" (no header); column 257: header 0x18
        // two values [1], [2, 3]; column 258: general multi-values with the
        // second separated; column 259: NULL flag.
        let mut values = Vec::new();
        let mut entries = Vec::new();
        let array = 4 * 4;
        let mut push = |id: u16, flags: u16, value: &[u8], values: &mut Vec<u8>| {
            entries.extend_from_slice(&id.to_le_bytes());
            entries.extend_from_slice(&((array + values.len()) as u16 | flags).to_le_bytes());
            values.extend_from_slice(value);
        };
        push(256, 0, b"xy", &mut values);
        push(257, 0x4000, &[0x18, 1, 1, 2, 3], &mut values);
        push(
            258,
            0x4000,
            &[0x08, 4, 0, 5, 0x80, 9, 1, 0, 0, 0],
            &mut values,
        );
        push(259, 0x2000, &[], &mut values);
        let mut tagged = entries.clone();
        tagged.extend_from_slice(&values);
        let bytes = record(&tagged);
        let r = Record::parse(&bytes, 4096).unwrap();
        let fields = r.tagged().unwrap();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0].values().unwrap()[0].bytes, b"xy");
        let two = fields[1].values().unwrap();
        assert_eq!((two[0].bytes, two[1].bytes), (&[1u8][..], &[2u8, 3][..]));
        let multi = fields[2].values().unwrap();
        assert_eq!(multi.len(), 2);
        assert_eq!(multi[0].bytes, &[9]);
        assert!(multi[1].separated);
        assert_eq!(multi[1].bytes, &[1, 0, 0, 0]);
        assert!(fields[3].is_null());
        assert!(fields[3].values().unwrap().is_empty());
    }

    #[test]
    fn impossible_layouts_are_database_corrupted() {
        let corrupt = |bytes: &[u8]| Record::parse(bytes, 4096).map(|_| ()).unwrap_err().code();
        assert_eq!(corrupt(&[1, 2]), JET_errDatabaseCorrupted);
        // Fixed area ending past the record.
        assert_eq!(corrupt(&[0, 127, 200, 0]), JET_errDatabaseCorrupted);
        // Last fixed column id beyond the fixed range.
        assert_eq!(corrupt(&[200, 127, 4, 0]), JET_errDatabaseCorrupted);
        // Variable offsets past the record.
        let mut bytes = record(&[]);
        let at = bytes.len() - 4; // the last variable offset
        bytes[at..at + 2].copy_from_slice(&500u16.to_le_bytes());
        assert_eq!(corrupt(&bytes), JET_errDatabaseCorrupted);

        // A tagged array out of order, and one pointing past its area.
        let tagged = [1u8, 1, 8, 0, 0, 1, 8, 0, b'a'];
        let bytes = record(&tagged);
        let r = Record::parse(&bytes, 4096).unwrap();
        assert_eq!(r.tagged().unwrap_err().code(), JET_errDatabaseCorrupted);
        let tagged = [0u8, 1, 0x40, 0];
        let bytes = record(&tagged);
        let r = Record::parse(&bytes, 4096).unwrap();
        assert_eq!(r.tagged().unwrap_err().code(), JET_errDatabaseCorrupted);

        // Multi-value offsets past the field, two values longer than it.
        let field = TaggedField {
            column_id: 256,
            derived: false,
            flags: 0x08,
            has_header: true,
            body: &[6, 0, 1],
        };
        assert_eq!(field.values().unwrap_err().code(), JET_errDatabaseCorrupted);
        let field = TaggedField {
            column_id: 256,
            derived: false,
            flags: 0x18,
            has_header: true,
            body: &[5, 1],
        };
        assert_eq!(field.values().unwrap_err().code(), JET_errDatabaseCorrupted);
    }
}
