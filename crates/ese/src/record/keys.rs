//! The index entries of a record (ESE: ErrRECIRetrieveKey and the index
//! update path): the keys a record gives each index, with ESE's rules for
//! NULL segments, conditional columns and multi-valued columns.

use ese_format::constants::*;
use ese_format::key::{normalize_key, KeySpec, KeyValue, SegmentSpec};
use smallvec::{smallvec, SmallVec};

use crate::catalog::{column_flags, index_flags, ColumnDef, IndexDef, TableDef};
use crate::codes::*;
use crate::record::values::RecordValues;
use crate::{Error, Result};

/// Per-segment lists of an index's key: inline up to this many segments
/// (ESE allows 16; most indexes have one to three).
type PerSegment<T> = SmallVec<[T; 8]>;

/// The keys of a record's entries in one index: inline for the one entry
/// nearly every record gives.
pub type Keys = SmallVec<[Vec<u8>; 1]>;

/// The values a segment's column gives: `None` for NULL.
fn column_values<'a>(
    table: &TableDef,
    column: &'a ColumnDef,
    values: &'a RecordValues,
) -> Vec<Option<&'a [u8]>> {
    match values.get(table.column_id_of(column)) {
        Some([]) => vec![None],
        Some(list) => list.iter().map(|v| Some(v.as_slice())).collect(),
        None => vec![default_of(column)],
    }
}

/// The first value a segment's column gives: `None` for NULL.
fn first_value<'a>(
    table: &TableDef,
    column: &'a ColumnDef,
    values: &'a RecordValues,
) -> Option<&'a [u8]> {
    match values.get(table.column_id_of(column)) {
        Some([]) => None,
        Some([first, ..]) => Some(first.as_slice()),
        None => default_of(column),
    }
}

/// A column's default value, for a record that never set it.
fn default_of(column: &ColumnDef) -> Option<&[u8]> {
    match &column.default_value {
        Some(default) if column.flags & column_flags::DEFAULT_VALUE != 0 => {
            Some(default.as_slice())
        }
        _ => None,
    }
}

/// What a record gives one index.
#[derive(Debug, PartialEq, Eq)]
pub enum IndexEntries {
    /// The keys of the record's entries (one, or one per value of a
    /// multi-valued column), sorted and without duplicates.
    Keys(Keys),
    /// The record is not in the index (NULLs the index ignores, or a
    /// conditional column that does not hold).
    None,
}

/// The keys `values` give `index` of `table`.
///
/// # Errors
///
/// `JET_errNullKeyDisallowed` when a segment is NULL and the index forbids
/// it (JET_bitIndexDisallowNull); `JET_errKeyTruncated` when a key is cut
/// and the index forbids that (JET_bitIndexDisallowTruncation).
pub fn index_entries(
    table: &TableDef,
    index: &IndexDef,
    values: &RecordValues,
) -> Result<IndexEntries> {
    for condition in &index.conditions {
        let Some(column) = table.column_by_stored(condition.column_id, condition.from_template)
        else {
            continue;
        };
        let is_null = first_value(table, column, values).is_none();
        if is_null != condition.must_be_null {
            return Ok(IndexEntries::None);
        }
    }
    let layout = table.key_layout(index)?;
    let columns: PerSegment<&ColumnDef> = layout
        .columns
        .iter()
        .map(|&at| {
            table.columns.get(at).ok_or_else(|| {
                Error::new(JET_errInternalError).with_detail(format!(
                    "index {}: a key layout past the columns",
                    index.name
                ))
            })
        })
        .collect::<Result<_>>()?;
    // The common case: one value (or none) per segment, no tuples: the
    // record gives at most one entry, built without the general path's
    // per-segment lists and combinations.
    if index.tuple_limits.is_none() {
        if let Some(firsts) = single_values(table, &columns, values) {
            if !passes_null_rules(index, &firsts)? {
                return Ok(IndexEntries::None);
            }
            let key = entry_key(&layout.spec, &layout.segments, index, &columns, &firsts)?;
            return Ok(IndexEntries::Keys(smallvec![key]));
        }
    }
    let mut per_segment: Vec<Vec<Option<&[u8]>>> = columns
        .iter()
        .map(|c| column_values(table, c, values))
        .collect();
    if let Some(limits) = &index.tuple_limits {
        // A tuple index: the first column's values become their substrings;
        // a value too short for one tuple gives no entry at all.
        let unit = if columns[0].code_page == 1200
            && matches!(columns[0].coltyp, JET_coltypText | JET_coltypLongText)
        {
            2
        } else {
            1
        };
        let tuples: Vec<Option<&[u8]>> = per_segment[0]
            .iter()
            .flatten()
            .flat_map(|value| tuples_of(value, limits, unit))
            .map(Some)
            .collect();
        if tuples.is_empty() {
            return Ok(IndexEntries::None);
        }
        per_segment[0] = tuples;
    }
    let firsts: Vec<Option<&[u8]>> = per_segment.iter().map(|v| v[0]).collect();
    if !passes_null_rules(index, &firsts)? {
        return Ok(IndexEntries::None);
    }
    // Which segments expand into one entry per value: the first
    // multi-valued one, or every one with a cross-product index.
    let multi = index.flags & index_flags::MULTI_VALUED != 0 || index.tuple_limits.is_some();
    let cross = index.flags & index_flags::CROSS_PRODUCT != 0;
    let mut expand = vec![false; columns.len()];
    if index.tuple_limits.is_some() {
        expand[0] = true;
    }
    if multi {
        for (i, column) in columns.iter().enumerate() {
            if expand[i] && !cross {
                break;
            }
            if column.is_multi_valued() && per_segment[i].len() > 1 {
                expand[i] = true;
                if !cross {
                    break;
                }
            }
        }
    }
    let (spec, segments) = (&layout.spec, &layout.segments);
    let mut combinations: Vec<Vec<Option<&[u8]>>> = vec![Vec::new()];
    for (i, values) in per_segment.iter().enumerate() {
        let choices: Vec<Option<&[u8]>> = if expand[i] {
            values.clone()
        } else {
            vec![values[0]]
        };
        let mut next = Vec::with_capacity(combinations.len() * choices.len());
        for prefix in &combinations {
            for choice in &choices {
                let mut combination = prefix.clone();
                combination.push(*choice);
                next.push(combination);
            }
        }
        combinations = next;
    }
    let mut keys = Keys::with_capacity(combinations.len());
    for combination in combinations {
        keys.push(entry_key(spec, segments, index, &columns, &combination)?);
    }
    keys.sort();
    keys.dedup();
    Ok(IndexEntries::Keys(keys))
}

/// The first value of each segment's column, when none has more than one
/// (`None` otherwise): NULL, the value set, or the column's default.
fn single_values<'a>(
    table: &TableDef,
    columns: &[&'a ColumnDef],
    values: &'a RecordValues,
) -> Option<PerSegment<Option<&'a [u8]>>> {
    let mut firsts = PerSegment::new();
    for column in columns {
        firsts.push(match values.get(table.column_id_of(column)) {
            Some([]) => None,
            Some([value]) => Some(value.as_slice()),
            Some(_) => return None,
            None => default_of(column),
        });
    }
    Some(firsts)
}

/// ESE's rules for NULL segments, on each segment's first value: false
/// when the record gives the index no entry; `JET_errNullKeyDisallowed`
/// where the index forbids a NULL segment.
fn passes_null_rules(index: &IndexDef, firsts: &[Option<&[u8]>]) -> Result<bool> {
    let nulls = firsts.iter().filter(|v| v.is_none()).count();
    if nulls == 0 {
        return Ok(true);
    }
    if index.flags & index_flags::NO_NULL_SEGMENT != 0 {
        return Err(Error::new(JET_errNullKeyDisallowed).with_detail(format!(
            "index {} does not allow NULL key columns",
            index.name
        )));
    }
    let all = nulls == firsts.len();
    Ok(!((all && index.flags & index_flags::ALLOW_ALL_NULL == 0)
        || (firsts[0].is_none() && index.flags & index_flags::ALLOW_FIRST_NULL == 0)
        || index.flags & index_flags::ALLOW_SOME_NULL == 0))
}

/// The key of one entry, a value (or NULL) per segment;
/// `JET_errKeyTruncated` when the index forbids cutting it.
fn entry_key(
    spec: &KeySpec,
    segments: &[SegmentSpec],
    index: &IndexDef,
    columns: &[&ColumnDef],
    combination: &[Option<&[u8]>],
) -> Result<Vec<u8>> {
    let key_values: PerSegment<KeyValue<'_>> = combination
        .iter()
        .zip(columns)
        .map(|(v, column)| match v {
            None => KeyValue::Null,
            Some([]) if crate::record::values::is_variable_type(column.coltyp) => {
                KeyValue::ZeroLength
            }
            Some(bytes) => KeyValue::Data(bytes),
        })
        .collect();
    let key = normalize_key(spec, segments, &key_values)?;
    if index.flags & index_flags::DISALLOW_TRUNCATION != 0 && key.len() >= spec.key_most {
        let mut whole = spec.clone();
        whole.key_most = usize::MAX / 2;
        whole.var_seg_mac = None;
        if normalize_key(&whole, segments, &key_values)?.len() > spec.key_most {
            return Err(Error::new(JET_errKeyTruncated).with_detail(format!(
                "the key of index {} exceeds its {} bytes",
                index.name, spec.key_most
            )));
        }
    }
    Ok(key)
}

/// The substrings a tuple index takes from one value (ESE:
/// ErrRECIEnumerateKeys with ichOffset): from `start`, every `increment`
/// characters, for at most `to_index_max` positions, each as long as
/// `length_max` allows, stopping at the first shorter than `length_min`.
/// `unit` is the bytes per character (2 for Unicode text).
fn tuples_of<'a>(value: &'a [u8], limits: &[u32], unit: usize) -> Vec<&'a [u8]> {
    let get = |i: usize, default: u32| limits.get(i).copied().unwrap_or(default) as usize;
    let (min, max, positions) = (get(0, 3), get(1, 10), get(2, 32_767));
    let (increment, start) = (get(3, 1).max(1), get(4, 0));
    let mut tuples = Vec::new();
    for k in 0..positions {
        let offset = (start + k * increment) * unit;
        if offset >= value.len() {
            break;
        }
        let length = (value.len() - offset).min(max * unit);
        if length < min * unit {
            break;
        }
        tuples.push(&value[offset..offset + length]);
    }
    tuples
}
