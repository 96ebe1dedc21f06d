//! Search keys (ESE: JetMakeKey): built one key column at a time from the
//! application's column data, finished with a wildcard limit when asked.
//!
//! The key is rebuilt from all the values given so far at every call, so
//! each segment is normalized with exactly the room ESE would leave it.
//! Limits, as ESE builds them: a start limit leaves the key as it is, an
//! end limit fills the key with 0xFF up to one byte past the index's key
//! size (so it sorts after every entry it prefixes);
//! a partial-column limit first cuts the current segment back to a prefix
//! (the terminator of ANSI text, the padding and length byte of the last
//! binary chunk, the sections after the primary weights of a Unicode sort
//! key).

use ese_format::constants::*;
use ese_format::key::{normalize_key, KeyValue};

use crate::catalog::{ColumnDef, IndexDef, KeyLayout, TableDef};
use crate::codes::*;
use crate::grbit::*;
use crate::record::values::fixed_type_size;
use crate::record::values::is_variable_type;
use crate::{Error, Result};

/// One key column's value as given to JetMakeKey.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Given {
    Null,
    ZeroLength,
    Data(Vec<u8>),
}

/// A search key under construction or complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchKey {
    values: Vec<Given>,
    /// The normalized key as it stands.
    pub bytes: Vec<u8>,
    /// No more columns may be added (all given, a limit, or a normalized
    /// key loaded).
    pub complete: bool,
    /// The key ends with a wildcard meant for the end of a range (0xFF
    /// appended).
    pub end_limit: bool,
}

impl SearchKey {
    /// A key loaded as is (JET_bitNormalizedKey).
    pub fn normalized(bytes: &[u8]) -> Self {
        SearchKey {
            values: Vec::new(),
            bytes: bytes.to_vec(),
            complete: true,
            end_limit: false,
        }
    }
}

/// What normalizing a key of an index needs from the catalog: the index's
/// key layout, found once per index and schema snapshot (a cursor keeps
/// it), not at every JetMakeKey.
pub type KeyShape = KeyLayout;

const LIMITS: u32 = JET_bitFullColumnStartLimit
    | JET_bitFullColumnEndLimit
    | JET_bitPartialColumnStartLimit
    | JET_bitPartialColumnEndLimit;

/// JetMakeKey on `key` (None: no key yet) for `index` of `table`, whose
/// [`KeyShape`] is `shape`.
pub fn make_key(
    table: &TableDef,
    index: &IndexDef,
    shape: &KeyShape,
    key: Option<SearchKey>,
    data: &[u8],
    grbit: u32,
) -> Result<SearchKey> {
    let known = JET_bitNewKey
        | JET_bitStrLimit
        | JET_bitSubStrLimit
        | JET_bitNormalizedKey
        | JET_bitKeyDataZeroLength
        | LIMITS;
    if grbit & !known != 0 {
        return Err(Error::new(JET_errInvalidGrbit).with_detail("JetMakeKey options"));
    }
    let spec = &shape.spec;
    if grbit & JET_bitNormalizedKey != 0 {
        if data.len() > spec.key_most + 1 {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail(format!("a normalized key of {} bytes", data.len())));
        }
        return Ok(SearchKey::normalized(data));
    }
    if (grbit & LIMITS).count_ones() > 1 {
        return Err(Error::new(JET_errInvalidGrbit)
            .with_detail("at most one of the column start and end limits"));
    }
    if grbit & LIMITS != 0 && grbit & (JET_bitStrLimit | JET_bitSubStrLimit) != 0 {
        return Err(Error::new(JET_errInvalidGrbit)
            .with_detail("JET_bitStrLimit / SubStrLimit cannot go with the column limits"));
    }
    let mut key = if grbit & JET_bitNewKey != 0 {
        SearchKey {
            values: Vec::new(),
            bytes: Vec::new(),
            complete: false,
            end_limit: false,
        }
    } else {
        key.ok_or_else(|| Error::new(JET_errKeyNotMade))?
    };
    if key.complete {
        return Err(Error::new(JET_errKeyIsMade));
    }
    let position = key.values.len();
    let segment = index
        .segments
        .get(position)
        .ok_or_else(|| Error::new(JET_errKeyIsMade))?;
    let column = table
        .column_by_stored(segment.column_id, segment.from_template)
        .ok_or_else(|| Error::new(JET_errColumnNotFound))?;
    let mut given = given_value(column, data, grbit)?;
    if let (0, Some(limits)) = (position, &index.tuple_limits) {
        // A tuple index's first column takes a substring: at least the
        // shortest tuple, cut to the longest (text only; binary as given).
        let text = matches!(column.coltyp, JET_coltypText | JET_coltypLongText);
        let unit = if text && column.code_page == 1200 {
            2
        } else {
            1
        };
        let min = limits.first().copied().unwrap_or(3) as usize * unit;
        let max = limits.get(1).copied().unwrap_or(10) as usize * unit;
        given = match given {
            Given::Data(bytes) if !text || bytes.len() >= min => Given::Data(if text {
                bytes[..bytes.len().min(max)].to_vec()
            } else {
                bytes
            }),
            _ => {
                return Err(
                    Error::new(JET_errIndexTuplesKeyTooSmall).with_detail(format!(
                        "a tuple index needs at least {} characters",
                        min / unit
                    )),
                )
            }
        };
    }
    let text = matches!(column.coltyp, JET_coltypText | JET_coltypLongText);
    let variable = is_variable_type(column.coltyp);
    // Map the deprecated limits onto the column limits they stand for.
    let mut limit = grbit & LIMITS;
    if grbit & JET_bitSubStrLimit != 0 && text {
        limit = JET_bitPartialColumnEndLimit;
    } else if grbit & JET_bitStrLimit != 0 {
        limit = JET_bitFullColumnEndLimit;
    }
    if limit & (JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit) != 0 && !variable {
        return Err(Error::new(JET_errInvalidGrbit)
            .with_detail("a partial column limit needs a text or variable binary key column"));
    }
    key.values.push(given);
    let segments = &shape.segments;
    let values: Vec<KeyValue<'_>> = key
        .values
        .iter()
        .map(|v| match v {
            Given::Null => KeyValue::Null,
            Given::ZeroLength => KeyValue::ZeroLength,
            Given::Data(bytes) => KeyValue::Data(bytes),
        })
        .collect();
    let before = if position == 0 {
        0
    } else {
        normalize_key(spec, &segments[..position], &values[..position])?.len()
    };
    let mut bytes = normalize_key(spec, &segments[..=position], &values)?;
    if limit & (JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit) != 0
        && matches!(key.values[position], Given::Data(_))
    {
        let descending = segment.descending;
        let mut part = bytes.split_off(before);
        if descending {
            part.iter_mut().for_each(|b| *b ^= 0xff);
        }
        cut_to_prefix(&mut part, column);
        if descending {
            part.iter_mut().for_each(|b| *b ^= 0xff);
        }
        bytes.extend_from_slice(&part);
    }
    key.complete = limit != 0 || key.values.len() == index.segments.len();
    key.end_limit = limit & (JET_bitFullColumnEndLimit | JET_bitPartialColumnEndLimit) != 0;
    if key.end_limit {
        // ESE fills the rest of the key, and one byte more, with 0xFF.
        let length = (spec.key_most + 1).max(bytes.len() + 1);
        bytes.resize(length, 0xff);
    }
    key.bytes = bytes;
    Ok(key)
}

/// Checks the size of column data for a key column.
fn given_value(column: &ColumnDef, data: &[u8], grbit: u32) -> Result<Given> {
    if data.is_empty() {
        return Ok(
            if grbit & JET_bitKeyDataZeroLength != 0 && is_variable_type(column.coltyp) {
                Given::ZeroLength
            } else {
                Given::Null
            },
        );
    }
    if let Some(size) = fixed_type_size(column.coltyp) {
        if data.len() != size as usize {
            return Err(Error::new(JET_errInvalidBufferSize).with_detail(format!(
                "{} bytes for key column {:?}, which holds {size}",
                data.len(),
                column.name
            )));
        }
    }
    Ok(Given::Data(data.to_vec()))
}

/// Cuts a normalized segment (prefix byte first, ascending form) back to
/// what every value starting with the given data shares.
fn cut_to_prefix(part: &mut Vec<u8>, column: &ColumnDef) {
    match column.coltyp {
        JET_coltypText | JET_coltypLongText if column.code_page == 1200 => {
            // The primary weights end at the first section separator.
            if let Some(end) = part.iter().skip(1).position(|&b| b == 0x01) {
                part.truncate(end + 1);
            }
        }
        JET_coltypText | JET_coltypLongText => {
            if part.last() == Some(&0) {
                part.pop();
            }
        }
        _ => {
            // Binary: 9-byte groups after the prefix byte; the last group's
            // final byte counts the real bytes in it.
            if part.len() >= 10 && (part.len() - 1).is_multiple_of(9) {
                let used = usize::from(*part.last().unwrap_or(&8)).min(8);
                let start = part.len() - 9;
                part.truncate(start + used);
            }
        }
    }
}
