//! Creating a table with its columns and indexes in one call, and several
//! indexes at once: JetCreateTableColumnIndex (JET_TABLECREATE,
//! JET_COLUMNCREATE, JET_INDEXCREATE, JET_CONDITIONALCOLUMN,
//! JET_UNICODEINDEX, JET_TUPLELIMITS) and JetCreateIndex2.
//!
//! The A and W forms differ only in their strings, so the structures are
//! generic over the character type and read through [`Form`].

use std::ffi::{c_char, c_void};

use ese::api::grbit::{JET_bitIndexTupleLimits, JET_bitIndexUnicode};
use ese::api::{ColumnCreate, ConditionalColumn, DbId, IndexCreate, TableCreate, TupleLimits};
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles::{self, with_cursor};
use crate::types::*;

fn bad_size(what: &str, given: u32) -> Error {
    Error::new(JET_errInvalidParameter)
        .with_detail(format!("{what}: cbStruct {given} is not its size"))
}

/// The `count` structures at `first` (of `cbStruct` bytes each, as ESENT
/// steps through them).
///
/// # Safety
/// `first` is NULL (with `count` 0) or `count` structures of the caller.
unsafe fn each<'a, T>(first: *mut T, count: u32, what: &str) -> Result<Vec<&'a mut T>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if first.is_null() {
        return Err(null(what));
    }
    // SAFETY: `count` structures by the caller's contract.
    Ok(
        unsafe { std::slice::from_raw_parts_mut(first, count as usize) }
            .iter_mut()
            .collect(),
    )
}

/// The locale an lcid names. Sort keys are computed for en-US, so only its
/// lcid (and 0, the default) are taken.
fn locale(lcid: u32) -> Result<Option<String>> {
    match lcid {
        0 => Ok(None),
        0x409 => Ok(Some("en-US".into())),
        other => Err(Error::new(JET_errInvalidLanguageId)
            .with_detail(format!("lcid {other:#x}: text keys are en-US (0x409) here"))),
    }
}

/// One JET_COLUMNCREATE as the Rust API takes it.
///
/// # Safety
/// The structure's pointers are as ESENT documents them.
unsafe fn column<F: Form>(c: &JET_COLUMNCREATE<F::Char>) -> Result<ColumnCreate> {
    if c.cbStruct as usize != std::mem::size_of::<JET_COLUMNCREATE<F::Char>>() {
        return Err(bad_size("JET_COLUMNCREATE", c.cbStruct));
    }
    // SAFETY: the structure's pointers (crate contract).
    let (name, default) = unsafe {
        (
            required(F::text(c.szColumnName)?, "szColumnName")?,
            bytes(c.pvDefault, c.cbDefault, "pvDefault")?,
        )
    };
    Ok(ColumnCreate {
        name,
        coltyp: c.coltyp,
        max_size: c.cbMax,
        grbit: c.grbit,
        default_value: (!default.is_empty()).then(|| default.to_vec()),
        code_page: c.cp,
        column_id: 0,
    })
}

/// The JET_INDEXCREATE at `at`, copied, and its size: the current
/// structure or the one before Windows Vista, which ends before
/// cbKeyMost. Only `cbStruct` bytes of the caller's memory are read.
///
/// # Safety
/// `at` is NULL or points to a JET_INDEXCREATE of `cbStruct` bytes.
unsafe fn read_index<C>(at: *const u8) -> Result<(JET_INDEXCREATE<C>, usize)> {
    // SAFETY: the structure begins with its cbStruct (crate contract).
    let size = unsafe { get(at.cast::<ULONG>(), "pindexcreate")? } as usize;
    let full = std::mem::size_of::<JET_INDEXCREATE<C>>();
    let old = std::mem::offset_of!(JET_INDEXCREATE<C>, cbKeyMost).next_multiple_of(8);
    if size != full && size != old {
        return Err(bad_size("JET_INDEXCREATE", size as u32));
    }
    // SAFETY: every field is an integer or a raw pointer, for which zero
    // is a valid value.
    let mut copy: JET_INDEXCREATE<C> = unsafe { std::mem::zeroed() };
    // SAFETY: `size` bytes are the caller's structure and at most the
    // copy's size.
    unsafe {
        std::ptr::copy_nonoverlapping(
            at,
            (&mut copy as *mut JET_INDEXCREATE<C>).cast::<u8>(),
            size,
        )
    };
    Ok((copy, size))
}

/// The `count` JET_INDEXCREATE structures from `first`, stepped through
/// by each one's cbStruct as ESENT does (an array may hold the older,
/// shorter structure): where each is, and what the Rust API takes.
///
/// # Safety
/// `first` is NULL (with `count` 0) or the caller's array.
unsafe fn index_array<F: Form>(first: *mut u8, count: u32) -> Result<Vec<(*mut u8, IndexCreate)>> {
    if count > 0 && first.is_null() {
        return Err(null("the JET_INDEXCREATE array"));
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut at = first;
    for _ in 0..count {
        // SAFETY: forwarded contract.
        let (copy, size) = unsafe { read_index::<F::Char>(at)? };
        // SAFETY: the copy's pointers are the caller's (crate contract).
        out.push((at, unsafe { index::<F>(&copy, size)? }));
        // SAFETY: the next structure follows this one (crate contract).
        at = unsafe { at.add(size) };
    }
    Ok(out)
}

/// Sets the `err` of the JET_INDEXCREATE at `at` (inside even the older,
/// shorter structure).
///
/// # Safety
/// `at` points to the caller's writable structure.
unsafe fn set_index_err<C>(at: *mut u8, err: JET_ERR) {
    let offset = std::mem::offset_of!(JET_INDEXCREATE<C>, err);
    // SAFETY: within the structure by the caller's contract.
    unsafe { at.add(offset).cast::<JET_ERR>().write_unaligned(err) };
}

/// One JET_INDEXCREATE (a copy of `size` bytes) as the Rust API takes it.
///
/// # Safety
/// The structure's pointers are as ESENT documents them.
unsafe fn index<F: Form>(i: &JET_INDEXCREATE<F::Char>, size: usize) -> Result<IndexCreate> {
    let full = std::mem::size_of::<JET_INDEXCREATE<F::Char>>();
    // SAFETY: the structure's pointers (crate contract).
    let (name, key) = unsafe {
        (
            required(F::text(i.szIndexName)?, "szIndexName")?,
            F::key(i.szKey, i.cbKey)?,
        )
    };
    let mut create = IndexCreate::new(&name, &key, i.grbit);
    create.density = i.ulDensity;
    if i.grbit & JET_bitIndexUnicode != 0 {
        let unicode = i.lcid_or_unicode as *const JET_UNICODEINDEX;
        // SAFETY: with JET_bitIndexUnicode the union is a pointer.
        let unicode = unsafe { get(unicode, "pidxunicode")? };
        create.locale = locale(unicode.lcid)?;
        create.lcmap_flags = unicode.dwMapFlags;
    } else {
        create.locale = locale(i.lcid_or_unicode as u32)?;
    }
    if i.grbit & JET_bitIndexTupleLimits != 0 {
        let limits = i.var_seg_or_tuple as *const JET_TUPLELIMITS;
        // SAFETY: with JET_bitIndexTupleLimits the union is a pointer.
        let limits = unsafe { get(limits, "ptuplelimits")? };
        create.tuple_limits = Some(TupleLimits {
            length_min: limits.chLengthMin,
            length_max: limits.chLengthMax,
            to_index_max: limits.chToIndexMax,
            increment: limits.cchIncrement,
            start: limits.ichStart,
        });
    } else {
        create.var_seg_mac = i.var_seg_or_tuple as u32;
    }
    // SAFETY: the caller's array (crate contract).
    let conditions = unsafe {
        each(
            i.rgconditionalcolumn,
            i.cConditionalColumn,
            "rgconditionalcolumn",
        )?
    };
    for condition in conditions {
        if condition.cbStruct as usize != std::mem::size_of::<JET_CONDITIONALCOLUMN<F::Char>>() {
            return Err(bad_size("JET_CONDITIONALCOLUMN", condition.cbStruct));
        }
        create.conditional_columns.push(ConditionalColumn {
            // SAFETY: the structure's string (crate contract).
            name: required(unsafe { F::text(condition.szColumnName)? }, "szColumnName")?,
            grbit: condition.grbit,
        });
    }
    if size == full {
        create.key_most = i.cbKeyMost;
    }
    Ok(create)
}

fn create_table_column_index<F: Form>(
    sesid: JET_SESID,
    dbid: JET_DBID,
    ptablecreate: *mut JET_TABLECREATE<F::Char>,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    if ptablecreate.is_null() {
        return Err(null("ptablecreate"));
    }
    // SAFETY: not NULL; the caller's structure (crate contract).
    let table = unsafe { &mut *ptablecreate };
    if table.cbStruct as usize != std::mem::size_of::<JET_TABLECREATE<F::Char>>() {
        return Err(bad_size("JET_TABLECREATE", table.cbStruct));
    }
    // SAFETY: the caller's arrays and strings (crate contract).
    let (name, template, mut columns, indexes) = unsafe {
        (
            required(F::text(table.szTableName)?, "szTableName")?,
            F::text(table.szTemplateTableName)?,
            each(table.rgcolumncreate, table.cColumns, "rgcolumncreate")?,
            index_array::<F>(table.rgindexcreate.cast(), table.cIndexes)?,
        )
    };
    let mut create = TableCreate {
        name,
        template_table: template,
        pages: table.ulPages,
        density: table.ulDensity,
        grbit: table.grbit,
        ..Default::default()
    };
    for c in &columns {
        // SAFETY: the structure's pointers (crate contract).
        create.columns.push(unsafe { column::<F>(c)? });
    }
    create.indexes = indexes.iter().map(|(_, i)| i.clone()).collect();
    let cursor = entry
        .session
        .create_table_column_index(DbId(dbid), &mut create)?;
    for (c, made) in columns.iter_mut().zip(&create.columns) {
        c.columnid = made.column_id;
        c.err = 0;
    }
    for (at, _) in &indexes {
        // SAFETY: the caller's writable structure (crate contract).
        unsafe { set_index_err::<F::Char>(*at, 0) };
    }
    table.tableid = handles::add_table(sesid, cursor);
    table.cCreated = create.created;
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateTableColumnIndexA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    ptablecreate: *mut JET_TABLECREATE<c_char>,
) -> JET_ERR {
    call("JetCreateTableColumnIndex", || {
        create_table_column_index::<A>(sesid, dbid, ptablecreate)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateTableColumnIndexW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    ptablecreate: *mut JET_TABLECREATE<u16>,
) -> JET_ERR {
    call("JetCreateTableColumnIndex", || {
        create_table_column_index::<W>(sesid, dbid, ptablecreate)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateTableColumnIndex(
    sesid: JET_SESID,
    dbid: JET_DBID,
    ptablecreate: *mut JET_TABLECREATE<c_char>,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateTableColumnIndexA(sesid, dbid, ptablecreate) }
}

fn create_index2<F: Form>(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pindexcreate: *mut c_void,
    count: ULONG,
) -> Result<i32> {
    handles::table(sesid, tableid)?;
    // SAFETY: the caller's array (crate contract).
    let items = unsafe { index_array::<F>(pindexcreate.cast(), count)? };
    let creates: Vec<IndexCreate> = items.iter().map(|(_, i)| i.clone()).collect();
    let outcome = with_cursor(sesid, tableid, |c| c.create_index(&creates));
    if outcome.is_ok() {
        for (at, _) in &items {
            // SAFETY: the caller's writable structure (crate contract).
            unsafe { set_index_err::<F::Char>(*at, 0) };
        }
    }
    outcome.map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateIndex2A(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pindexcreate: *mut JET_INDEXCREATE<c_char>,
    cIndexCreate: ULONG,
) -> JET_ERR {
    call("JetCreateIndex2", || {
        create_index2::<A>(sesid, tableid, pindexcreate.cast(), cIndexCreate)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateIndex2W(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pindexcreate: *mut JET_INDEXCREATE<u16>,
    cIndexCreate: ULONG,
) -> JET_ERR {
    call("JetCreateIndex2", || {
        create_index2::<W>(sesid, tableid, pindexcreate.cast(), cIndexCreate)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateIndex2(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pindexcreate: *mut JET_INDEXCREATE<c_char>,
    cIndexCreate: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateIndex2A(sesid, tableid, pindexcreate, cIndexCreate) }
}
