//! JetEnumerateColumns and JetGetRecordSize: what a record holds, in one
//! call.
//!
//! JetEnumerateColumns returns its arrays in memory from the program's
//! realloc-compatible allocator, as ESENT does: the JET_ENUMCOLUMN array,
//! each column's JET_ENUMCOLUMNVALUE array, and each value's data are
//! separate blocks the program frees through the same allocator (a value
//! of 0 bytes has no block: its `pvData` is NULL). On failure every block
//! already allocated is freed and the outputs are 0 and NULL.

use std::collections::HashMap;
use std::ffi::c_void;

use ese::api::grbit::*;
use ese::api::{ColumnInfo, Cursor};
use ese::catalog::TEMPLATE_COLUMN_BIT;
use ese::codes::*;
use ese::format::constants::{JET_coltypLongBinary, JET_coltypLongText};
use ese::format::record::LAST_COLUMN_ID;
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles::with_cursor;
use crate::types::*;

/// The columns asked for: each id with the value numbers wanted (`None`:
/// all of them).
type Request = Vec<(u32, Option<Vec<u32>>)>;

/// One value as JetEnumerateColumns reports it: its number, its status
/// and its bytes (none for a status without data).
struct Value {
    itag: u32,
    err: i32,
    size: u32,
    data: Option<Vec<u8>>,
}

/// One column: its id, its status and its values.
struct Column {
    id: u32,
    err: i32,
    values: Vec<Value>,
}

/// The allocations made so far, freed again unless the call succeeds.
struct Allocator {
    realloc: unsafe extern "C" fn(*mut c_void, *mut c_void, ULONG) -> *mut c_void,
    context: *mut c_void,
    blocks: Vec<*mut c_void>,
}

impl Allocator {
    /// A new block of `len` (> 0) bytes from the program's allocator.
    fn reserve(&mut self, len: usize) -> Result<*mut c_void> {
        let size = ULONG::try_from(len).map_err(|_| Error::new(JET_errOutOfMemory))?;
        // SAFETY: the program's realloc, called as realloc is.
        let block = unsafe { (self.realloc)(self.context, std::ptr::null_mut(), size) };
        if block.is_null() {
            return Err(Error::new(JET_errOutOfMemory)
                .with_detail("the JET_PFNREALLOC callback returned NULL"));
        }
        self.blocks.push(block);
        Ok(block)
    }

    /// A block holding `bytes` (none for no bytes: NULL).
    fn allocate(&mut self, bytes: &[u8]) -> Result<*mut c_void> {
        allocate_array(self, bytes)
    }

    fn free_all(&mut self) {
        for block in self.blocks.drain(..) {
            // SAFETY: a block this allocator got from the same callback.
            unsafe { (self.realloc)(self.context, block, 0) };
        }
    }
}

/// A block holding a copy of `items` (C structures) byte for byte. The
/// copy is untyped, so the structures' padding is carried as it is and
/// never read as bytes.
fn allocate_array<T: Copy>(alloc: &mut Allocator, items: &[T]) -> Result<*mut c_void> {
    let len = std::mem::size_of_val(items);
    if len == 0 {
        return Ok(std::ptr::null_mut());
    }
    let block = alloc.reserve(len)?;
    // SAFETY: `block` is a fresh block of `len` bytes; `items` is `len`
    // bytes; they do not overlap.
    unsafe { std::ptr::copy_nonoverlapping(items.as_ptr().cast::<u8>(), block.cast::<u8>(), len) };
    Ok(block)
}

/// Every value of every column the record has (the Rust API's
/// enumeration), by column id.
fn all_values(cursor: &mut Cursor, grbit: u32) -> Result<Vec<(u32, Vec<Vec<u8>>)>> {
    let engine_bits =
        grbit & (JET_bitEnumerateCopy | JET_bitEnumerateIgnoreDefault | JET_bitEnumerateTaggedOnly);
    Ok(cursor
        .enumerate_columns(engine_bits)?
        .into_iter()
        .map(|c| (c.column_id, c.values))
        .collect())
}

/// Shapes the values of one column as the options ask: presence only,
/// long values capped at `cb_data_most`.
fn value(itag: u32, bytes: &[u8], coltyp: u32, cb_data_most: u32, grbit: u32) -> Value {
    if grbit & JET_bitEnumeratePresenceOnly != 0 {
        return Value {
            itag,
            err: JET_wrnColumnPresent,
            size: 0,
            data: None,
        };
    }
    let long = coltyp == JET_coltypLongText || coltyp == JET_coltypLongBinary;
    if long && bytes.len() > cb_data_most as usize {
        return Value {
            itag,
            err: JET_wrnColumnTruncated,
            size: cb_data_most,
            data: Some(bytes[..cb_data_most as usize].to_vec()),
        };
    }
    Value {
        itag,
        err: 0,
        size: bytes.len() as u32,
        data: Some(bytes.to_vec()),
    }
}

/// What to enumerate, worked out: the columns and their values, and the
/// first column error (JET_errBadColumnId / JET_errColumnNotFound) to
/// return with an otherwise complete answer.
fn collect(
    cursor: &mut Cursor,
    requested: Option<Request>,
    cb_data_most: u32,
    grbit: u32,
) -> Result<(Vec<Column>, i32)> {
    let columns: HashMap<u32, ColumnInfo> = cursor
        .get_table_columns()?
        .into_iter()
        .map(|c| (c.column_id, c))
        .collect();
    let coltyp = |id: u32| columns.get(&id).map_or(0, |c| c.coltyp);
    let values = all_values(cursor, grbit)?;
    let presence_only = grbit & JET_bitEnumeratePresenceOnly != 0;
    let Some(requested) = requested else {
        let out = values
            .into_iter()
            .map(|(id, list)| match presence_only {
                // Asked for all of a column's values: the column is
                // present, and no values come back.
                true => Column {
                    id,
                    err: JET_wrnColumnPresent,
                    values: Vec::new(),
                },
                false => Column {
                    id,
                    err: 0,
                    values: list
                        .iter()
                        .enumerate()
                        .map(|(i, v)| value(i as u32 + 1, v, coltyp(id), cb_data_most, grbit))
                        .collect(),
                },
            })
            .collect();
        return Ok((out, 0));
    };
    let by_id: HashMap<u32, Vec<Vec<u8>>> = values.into_iter().collect();
    let mut first_error = 0;
    let mut out = Vec::new();
    for (id, tags) in requested {
        let status = if id == 0 {
            Some(JET_wrnColumnSkipped)
        } else if id & !TEMPLATE_COLUMN_BIT > LAST_COLUMN_ID {
            Some(JET_errBadColumnId)
        } else if !columns.contains_key(&id) {
            Some(JET_errColumnNotFound)
        } else {
            None
        };
        if let Some(err) = status {
            if err < 0 && first_error == 0 {
                first_error = err;
            }
            out.push(Column {
                id,
                err,
                values: Vec::new(),
            });
            continue;
        }
        // Not in the record: with JET_bitEnumerateIgnoreDefault a column
        // that has a default reports it rather than NULL (ESE says
        // "default" for a column its record lacks; a column without a
        // default is NULL either way).
        let absent = match by_id.get(&id) {
            Some(list) => (list.as_slice(), false),
            None => (
                &[][..],
                grbit & JET_bitEnumerateIgnoreDefault != 0
                    && columns.get(&id).is_some_and(|c| c.default_value.is_some()),
            ),
        };
        let (list, defaulted) = absent;
        let Some(tags) = tags else {
            // All of the column's values: the column's status stands for
            // them when there are none, or with presence only.
            let (err, values) = if defaulted {
                (JET_wrnColumnDefault, Vec::new())
            } else if list.is_empty() {
                (JET_wrnColumnNull, Vec::new())
            } else if presence_only {
                (JET_wrnColumnPresent, Vec::new())
            } else {
                let values = list
                    .iter()
                    .enumerate()
                    .map(|(i, v)| value(i as u32 + 1, v, coltyp(id), cb_data_most, grbit))
                    .collect();
                (0, values)
            };
            out.push(Column { id, err, values });
            continue;
        };
        // The values asked for, one slot each, in the order asked.
        let values = tags
            .into_iter()
            .map(|itag| {
                let status = |err| Value {
                    itag,
                    err,
                    size: 0,
                    data: None,
                };
                match itag {
                    0 => status(JET_wrnColumnSkipped),
                    n => match list.get(n as usize - 1) {
                        Some(v) => value(n, v, coltyp(id), cb_data_most, grbit),
                        None if defaulted => status(JET_wrnColumnDefault),
                        None => status(JET_wrnColumnNull),
                    },
                }
            })
            .collect();
        out.push(Column { id, err: 0, values });
    }
    Ok((out, first_error))
}

/// Lays the answer out in the program's memory; the JET_ENUMCOLUMN array
/// is returned.
fn lay_out(
    columns: &[Column],
    all_values: &[bool],
    compress: bool,
    alloc: &mut Allocator,
) -> Result<*mut c_void> {
    let mut records = Vec::with_capacity(columns.len());
    for (column, &all) in columns.iter().zip(all_values) {
        let single = compress
            && all
            && column.err == 0
            && column.values.len() == 1
            && column.values[0].err == 0;
        if single {
            let only = &column.values[0];
            let data = alloc.allocate(only.data.as_deref().unwrap_or(&[]))?;
            records.push(JET_ENUMCOLUMN {
                columnid: column.id,
                err: JET_wrnColumnSingleValue,
                cEnumColumnValue: only.size,
                rgEnumColumnValue: data,
            });
            continue;
        }
        let mut values = Vec::with_capacity(column.values.len());
        for v in &column.values {
            let data = match &v.data {
                Some(bytes) => alloc.allocate(bytes)?,
                None => std::ptr::null_mut(),
            };
            values.push(JET_ENUMCOLUMNVALUE {
                itagSequence: v.itag,
                err: v.err,
                cbData: v.size,
                pvData: data,
            });
        }
        let array = allocate_array(alloc, &values)?;
        records.push(JET_ENUMCOLUMN {
            columnid: column.id,
            err: column.err,
            cEnumColumnValue: values.len() as ULONG,
            rgEnumColumnValue: array,
        });
    }
    allocate_array(alloc, &records)
}

/// The requested columns, read from the caller's JET_ENUMCOLUMNID array.
///
/// # Safety
/// `ids` is NULL (with `count` 0) or `count` readable entries, each with
/// `ctagSequence` readable numbers.
unsafe fn requested(ids: *const JET_ENUMCOLUMNID, count: ULONG) -> Result<Option<Request>> {
    if count == 0 {
        return Ok(None);
    }
    if ids.is_null() {
        return Err(null("rgEnumColumnId"));
    }
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count as usize {
        // SAFETY: within the caller's `count` entries.
        let entry = unsafe { ids.add(i).read_unaligned() };
        let tags = if entry.ctagSequence == 0 {
            None
        } else {
            if entry.rgtagSequence.is_null() {
                return Err(null("rgtagSequence"));
            }
            let read = |t: usize| {
                // SAFETY: `t` < `ctagSequence`, the count of readable
                // numbers at the non-null `rgtagSequence` (caller's contract).
                unsafe { entry.rgtagSequence.add(t).read_unaligned() }
            };
            Some((0..entry.ctagSequence as usize).map(read).collect())
        };
        out.push((entry.columnid, tags));
    }
    Ok(Some(out))
}

#[no_mangle]
pub unsafe extern "C" fn JetEnumerateColumns(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    cEnumColumnId: ULONG,
    rgEnumColumnId: *const JET_ENUMCOLUMNID,
    pcEnumColumn: *mut ULONG,
    prgEnumColumn: *mut *mut JET_ENUMCOLUMN,
    pfnRealloc: JET_PFNREALLOC,
    pvReallocContext: *mut c_void,
    cbDataMost: ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetEnumerateColumns", || {
        if pcEnumColumn.is_null() {
            return Err(null("pcEnumColumn"));
        }
        if prgEnumColumn.is_null() {
            return Err(null("prgEnumColumn"));
        }
        // SAFETY: both checked not NULL.
        unsafe {
            put(pcEnumColumn, 0, "pcEnumColumn")?;
            put(prgEnumColumn, std::ptr::null_mut(), "prgEnumColumn")?;
        }
        let realloc = pfnRealloc.ok_or_else(|| null("pfnRealloc"))?;
        let allowed = JET_bitEnumerateCopy
            | JET_bitEnumerateIgnoreDefault
            | JET_bitEnumeratePresenceOnly
            | JET_bitEnumerateTaggedOnly
            | JET_bitEnumerateCompressOutput
            | JET_bitEnumerateIgnoreUserDefinedDefault;
        if grbit & !allowed != 0 {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail(format!("JetEnumerateColumns: grbit {grbit:#x}")));
        }
        // SAFETY: the caller's array (crate contract).
        let asked = unsafe { requested(rgEnumColumnId, cEnumColumnId)? };
        if asked.is_some() && grbit & JET_bitEnumerateTaggedOnly != 0 {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail("JET_bitEnumerateTaggedOnly with a list of columns"));
        }
        let all: Vec<bool> = match &asked {
            None => Vec::new(),
            Some(list) => list.iter().map(|(_, tags)| tags.is_none()).collect(),
        };
        let (columns, first_error) = with_cursor(sesid, tableid, |cursor| {
            collect(cursor, asked, cbDataMost, grbit)
        })?;
        let all = if all.is_empty() {
            vec![true; columns.len()]
        } else {
            all
        };
        let mut alloc = Allocator {
            realloc,
            context: pvReallocContext,
            blocks: Vec::new(),
        };
        let array = match lay_out(
            &columns,
            &all,
            grbit & JET_bitEnumerateCompressOutput != 0,
            &mut alloc,
        ) {
            Ok(array) => array,
            Err(e) => {
                alloc.free_all();
                return Err(e);
            }
        };
        // SAFETY: both checked not NULL above.
        unsafe {
            put(pcEnumColumn, columns.len() as ULONG, "pcEnumColumn")?;
            put(prgEnumColumn, array.cast(), "prgEnumColumn")?;
        }
        if first_error < 0 {
            return Err(Error::new(first_error));
        }
        Ok(0)
    })
}

/// JetGetRecordSize: the current record's sizes, or the copy buffer's
/// (JET_bitRecordSizeInCopyBuffer), added to what `precsize` holds with
/// JET_bitRecordSizeRunningTotal; JET_bitRecordSizeLocal leaves out the
/// long values.
#[no_mangle]
pub unsafe extern "C" fn JetGetRecordSize(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    precsize: *mut JET_RECSIZE,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetGetRecordSize", || {
        let allowed =
            JET_bitRecordSizeInCopyBuffer | JET_bitRecordSizeRunningTotal | JET_bitRecordSizeLocal;
        if grbit & !allowed != 0 {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail(format!("JetGetRecordSize: grbit {grbit:#x}")));
        }
        // SAFETY: the caller's structure (crate contract).
        let before = unsafe { get(precsize, "precsize")? };
        let size = with_cursor(sesid, tableid, |cursor| {
            cursor.get_record_size(grbit & JET_bitRecordSizeInCopyBuffer != 0)
        })?;
        let mut add = JET_RECSIZE {
            cbData: size.data,
            cbLongValueData: size.long_value_data,
            cbOverhead: size.overhead,
            cbLongValueOverhead: 0,
            cNonTaggedColumns: size.non_tagged_columns,
            cTaggedColumns: size.tagged_columns,
            cLongValues: size.long_values,
            cMultiValues: size.multi_values,
        };
        if grbit & JET_bitRecordSizeLocal != 0 {
            add.cbLongValueData = 0;
            add.cbLongValueOverhead = 0;
            add.cLongValues = 0;
        }
        let total = if grbit & JET_bitRecordSizeRunningTotal != 0 {
            JET_RECSIZE {
                cbData: before.cbData.wrapping_add(add.cbData),
                cbLongValueData: before.cbLongValueData.wrapping_add(add.cbLongValueData),
                cbOverhead: before.cbOverhead.wrapping_add(add.cbOverhead),
                cbLongValueOverhead: before
                    .cbLongValueOverhead
                    .wrapping_add(add.cbLongValueOverhead),
                cNonTaggedColumns: before.cNonTaggedColumns.wrapping_add(add.cNonTaggedColumns),
                cTaggedColumns: before.cTaggedColumns.wrapping_add(add.cTaggedColumns),
                cLongValues: before.cLongValues.wrapping_add(add.cLongValues),
                cMultiValues: before.cMultiValues.wrapping_add(add.cMultiValues),
            }
        } else {
            add
        };
        // SAFETY: read above, so not NULL; writable by the caller's contract.
        unsafe { put(precsize, total, "precsize")? };
        Ok(0)
    })
}
