//! Tables and cursors: JetCreateTable, JetOpenTable, JetCloseTable,
//! JetAddColumn, JetCreateIndex, JetSetCurrentIndex, JetMove, JetMakeKey,
//! JetSeek, JetSetIndexRange, JetGetBookmark, JetGotoBookmark,
//! JetPrepareUpdate, JetSetColumn, JetUpdate, JetDelete,
//! JetRetrieveColumn.

use std::ffi::{c_char, c_void};

use ese::api::{ColumnCreate, DbId, IndexCreate, RetInfo, SetInfo};
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles::{self, with_cursor};
use crate::types::*;

fn too_small(what: &str) -> Error {
    Error::new(JET_errInvalidParameter).with_detail(format!("{what}: cbStruct is too small"))
}

fn create_table(
    sesid: JET_SESID,
    dbid: JET_DBID,
    name: Option<String>,
    pages: ULONG,
    density: ULONG,
    ptableid: *mut JET_TABLEID,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    let name = required(name, "szTableName")?;
    if ptableid.is_null() {
        return Err(null("ptableid"));
    }
    let cursor = entry
        .session
        .create_table(DbId(dbid), &name, pages, density)?;
    let tableid = handles::add_table(sesid, cursor);
    // SAFETY: checked not NULL; writable by the caller's contract.
    unsafe { put(ptableid, tableid, "ptableid")? };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateTableA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    lPages: ULONG,
    lDensity: ULONG,
    ptableid: *mut JET_TABLEID,
) -> JET_ERR {
    call("JetCreateTable", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { a_text(szTableName)? };
        create_table(sesid, dbid, name, lPages, lDensity, ptableid)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateTableW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
    lPages: ULONG,
    lDensity: ULONG,
    ptableid: *mut JET_TABLEID,
) -> JET_ERR {
    call("JetCreateTable", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { w_text(szTableName)? };
        create_table(sesid, dbid, name, lPages, lDensity, ptableid)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateTable(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    lPages: ULONG,
    lDensity: ULONG,
    ptableid: *mut JET_TABLEID,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateTableA(sesid, dbid, szTableName, lPages, lDensity, ptableid) }
}

fn open_table(
    sesid: JET_SESID,
    dbid: JET_DBID,
    name: Option<String>,
    grbit: JET_GRBIT,
    ptableid: *mut JET_TABLEID,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    let name = required(name, "szTableName")?;
    if ptableid.is_null() {
        return Err(null("ptableid"));
    }
    let cursor = entry.session.open_table(DbId(dbid), &name, grbit)?;
    let tableid = handles::add_table(sesid, cursor);
    // SAFETY: checked not NULL; writable by the caller's contract.
    unsafe { put(ptableid, tableid, "ptableid")? };
    Ok(0)
}

/// JetOpenTable: `pvParameters` is obsolete in ESENT and not read.
#[no_mangle]
pub unsafe extern "C" fn JetOpenTableA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    _pvParameters: *const c_void,
    _cbParameters: ULONG,
    grbit: JET_GRBIT,
    ptableid: *mut JET_TABLEID,
) -> JET_ERR {
    call("JetOpenTable", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { a_text(szTableName)? };
        open_table(sesid, dbid, name, grbit, ptableid)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenTableW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
    _pvParameters: *const c_void,
    _cbParameters: ULONG,
    grbit: JET_GRBIT,
    ptableid: *mut JET_TABLEID,
) -> JET_ERR {
    call("JetOpenTable", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { w_text(szTableName)? };
        open_table(sesid, dbid, name, grbit, ptableid)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenTable(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pvParameters: *const c_void,
    cbParameters: ULONG,
    grbit: JET_GRBIT,
    ptableid: *mut JET_TABLEID,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetOpenTableA(
            sesid,
            dbid,
            szTableName,
            pvParameters,
            cbParameters,
            grbit,
            ptableid,
        )
    }
}

#[no_mangle]
pub extern "C" fn JetCloseTable(sesid: JET_SESID, tableid: JET_TABLEID) -> JET_ERR {
    call("JetCloseTable", || {
        handles::remove_table(sesid, tableid).map(|()| 0)
    })
}

fn add_column(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    name: Option<String>,
    pcolumndef: *const JET_COLUMNDEF,
    pvDefault: *const c_void,
    cbDefault: ULONG,
    pcolumnid: *mut JET_COLUMNID,
) -> Result<i32> {
    let table = handles::table(sesid, tableid)?;
    let name = required(name, "szColumnName")?;
    // SAFETY: the caller's structure (crate contract).
    let def = unsafe { get(pcolumndef, "pcolumndef")? };
    if (def.cbStruct as usize) < std::mem::size_of::<JET_COLUMNDEF>() {
        return Err(too_small("JET_COLUMNDEF"));
    }
    // SAFETY: the caller's cbDefault bytes (crate contract).
    let default = unsafe { bytes(pvDefault, cbDefault, "pvDefault")? };
    let create = ColumnCreate {
        name,
        coltyp: def.coltyp,
        max_size: def.cbMax,
        grbit: def.grbit,
        default_value: (!default.is_empty()).then(|| default.to_vec()),
        code_page: u32::from(def.cp),
        column_id: 0,
    };
    let column_id = table.cursor()?.add_column(&create)?;
    // SAFETY: NULL allowed (not wanted).
    unsafe { put_opt(pcolumnid, column_id) };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetAddColumnA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
    pcolumndef: *const JET_COLUMNDEF,
    pvDefault: *const c_void,
    cbDefault: ULONG,
    pcolumnid: *mut JET_COLUMNID,
) -> JET_ERR {
    call("JetAddColumn", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { a_text(szColumnName)? };
        add_column(
            sesid, tableid, name, pcolumndef, pvDefault, cbDefault, pcolumnid,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetAddColumnW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const WCHAR,
    pcolumndef: *const JET_COLUMNDEF,
    pvDefault: *const c_void,
    cbDefault: ULONG,
    pcolumnid: *mut JET_COLUMNID,
) -> JET_ERR {
    call("JetAddColumn", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { w_text(szColumnName)? };
        add_column(
            sesid, tableid, name, pcolumndef, pvDefault, cbDefault, pcolumnid,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetAddColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
    pcolumndef: *const JET_COLUMNDEF,
    pvDefault: *const c_void,
    cbDefault: ULONG,
    pcolumnid: *mut JET_COLUMNID,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetAddColumnA(
            sesid,
            tableid,
            szColumnName,
            pcolumndef,
            pvDefault,
            cbDefault,
            pcolumnid,
        )
    }
}

fn create_index(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    name: Option<String>,
    grbit: JET_GRBIT,
    key: String,
    density: ULONG,
) -> Result<i32> {
    let name = required(name, "szIndexName")?;
    let mut create = IndexCreate::new(&name, &key, grbit);
    create.density = density;
    with_cursor(sesid, tableid, |cursor| cursor.create_index(&[create])).map(|()| 0)
}

/// JetCreateIndex: `szKey` is `cbKey` bytes, its segments each ended by a
/// NUL and the list by a second one (`"+Name\0\0"`).
#[no_mangle]
pub unsafe extern "C" fn JetCreateIndexA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
    grbit: JET_GRBIT,
    szKey: *const c_char,
    cbKey: ULONG,
    lDensity: ULONG,
) -> JET_ERR {
    call("JetCreateIndex", || {
        // SAFETY: the caller's strings (crate contract).
        let (name, key) = unsafe { (a_text(szIndexName)?, a_key(szKey, cbKey)?) };
        create_index(sesid, tableid, name, grbit, key, lDensity)
    })
}

/// JetCreateIndexW: `cbKey` counts bytes, not characters, as in ESENT.
#[no_mangle]
pub unsafe extern "C" fn JetCreateIndexW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const WCHAR,
    grbit: JET_GRBIT,
    szKey: *const WCHAR,
    cbKey: ULONG,
    lDensity: ULONG,
) -> JET_ERR {
    call("JetCreateIndex", || {
        // SAFETY: the caller's strings (crate contract).
        let (name, key) = unsafe { (w_text(szIndexName)?, w_key(szKey, cbKey)?) };
        create_index(sesid, tableid, name, grbit, key, lDensity)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateIndex(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
    grbit: JET_GRBIT,
    szKey: *const c_char,
    cbKey: ULONG,
    lDensity: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateIndexA(sesid, tableid, szIndexName, grbit, szKey, cbKey, lDensity) }
}

fn set_current_index(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    name: Option<String>,
    grbit: JET_GRBIT,
) -> Result<i32> {
    with_cursor(sesid, tableid, |c| {
        c.set_current_index(name.as_deref(), grbit)
    })
    .map(|()| 0)
}

/// JetSetCurrentIndex: NULL or "" selects the primary index (or the
/// clustered order of a table without one).
#[no_mangle]
pub unsafe extern "C" fn JetSetCurrentIndexA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
) -> JET_ERR {
    call("JetSetCurrentIndex", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { a_text(szIndexName)? };
        set_current_index(sesid, tableid, name, 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetSetCurrentIndexW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const WCHAR,
) -> JET_ERR {
    call("JetSetCurrentIndex", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { w_text(szIndexName)? };
        set_current_index(sesid, tableid, name, 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetSetCurrentIndex(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetSetCurrentIndexA(sesid, tableid, szIndexName) }
}

/// JetSetCurrentIndex2: JET_bitMoveFirst (0) goes to the index's first
/// entry, JET_bitNoMove keeps the cursor on its record.
#[no_mangle]
pub unsafe extern "C" fn JetSetCurrentIndex2A(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetSetCurrentIndex2", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { a_text(szIndexName)? };
        set_current_index(sesid, tableid, name, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetSetCurrentIndex2W(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const WCHAR,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetSetCurrentIndex2", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { w_text(szIndexName)? };
        set_current_index(sesid, tableid, name, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetSetCurrentIndex2(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetSetCurrentIndex2A(sesid, tableid, szIndexName, grbit) }
}

#[no_mangle]
pub extern "C" fn JetMove(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    cRow: LONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetMove", || {
        let table = handles::table(sesid, tableid)?;
        if let Some(mut list) = table.list()? {
            return list.move_(cRow, grbit).map(|()| 0);
        }
        let mut cursor = table.cursor()?;
        cursor.move_(cRow, grbit).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetMakeKey(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvData: *const c_void,
    cbData: ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetMakeKey", || {
        // SAFETY: the caller's cbData bytes (crate contract).
        let data = unsafe { bytes(pvData, cbData, "pvData")? };
        with_cursor(sesid, tableid, |c| c.make_key(data, grbit)).map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetSeek(sesid: JET_SESID, tableid: JET_TABLEID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetSeek", || with_cursor(sesid, tableid, |c| c.seek(grbit)))
}

#[no_mangle]
pub extern "C" fn JetSetIndexRange(
    sesid: JET_SESID,
    tableidSrc: JET_TABLEID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetSetIndexRange", || {
        with_cursor(sesid, tableidSrc, |c| c.set_index_range(grbit)).map(|()| 0)
    })
}

/// JetGetBookmark: `JET_errBufferTooSmall` when the bookmark does not fit,
/// with as much of it as fits in the buffer and its size in `pcbActual`.
#[no_mangle]
pub unsafe extern "C" fn JetGetBookmark(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvBookmark: *mut c_void,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetBookmark", || {
        let bookmark = with_cursor(sesid, tableid, |c| c.get_bookmark())?;
        // SAFETY: the caller's buffer of cbMax bytes and optional
        // out-pointer (crate contract).
        let whole = unsafe {
            put_opt(pcbActual, bookmark.len() as ULONG);
            copy_out(&bookmark, buffer(pvBookmark, cbMax))
        };
        if !whole {
            return Err(Error::new(JET_errBufferTooSmall));
        }
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGotoBookmark(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvBookmark: *const c_void,
    cbBookmark: ULONG,
) -> JET_ERR {
    call("JetGotoBookmark", || {
        // SAFETY: the caller's cbBookmark bytes (crate contract).
        let bookmark = unsafe { bytes(pvBookmark, cbBookmark, "pvBookmark")? };
        with_cursor(sesid, tableid, |c| c.goto_bookmark(bookmark)).map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetPrepareUpdate(sesid: JET_SESID, tableid: JET_TABLEID, prep: ULONG) -> JET_ERR {
    call("JetPrepareUpdate", || {
        with_cursor(sesid, tableid, |c| c.prepare_update(prep)).map(|()| 0)
    })
}

/// JetSetColumn: `pvData` NULL or `cbData` 0 set the column NULL unless
/// `JET_bitSetZeroLength` asks for a zero-length value.
#[no_mangle]
pub unsafe extern "C" fn JetSetColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnid: JET_COLUMNID,
    pvData: *const c_void,
    cbData: ULONG,
    grbit: JET_GRBIT,
    psetinfo: *const JET_SETINFO,
) -> JET_ERR {
    call("JetSetColumn", || {
        // SAFETY: the caller's cbData bytes (crate contract).
        let data = unsafe { bytes(pvData, cbData, "pvData")? };
        let info = if psetinfo.is_null() {
            None
        } else {
            // SAFETY: not NULL; readable by the caller's contract.
            let given = unsafe { get(psetinfo, "psetinfo")? };
            if (given.cbStruct as usize) < std::mem::size_of::<JET_SETINFO>() {
                return Err(too_small("JET_SETINFO"));
            }
            Some(SetInfo {
                ib_long_value: given.ibLongValue,
                itag_sequence: given.itagSequence,
            })
        };
        let value = if pvData.is_null() && cbData == 0 {
            None
        } else {
            Some(data)
        };
        with_cursor(sesid, tableid, |c| {
            c.set_column(columnid, value, grbit, info)
        })
    })
}

/// JetUpdate. The bookmark of the record written goes to `pvBookmark`
/// when one is given; when it does not fit the record is written all the
/// same and the call returns `JET_wrnBufferTruncated` with the bookmark's
/// size in `pcbActual` (ESENT checks the size before an insert and fails
/// it with `JET_errBufferTooSmall`; see the crate's notes).
#[no_mangle]
pub unsafe extern "C" fn JetUpdate(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvBookmark: *mut c_void,
    cbBookmark: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetUpdate", || {
        let bookmark = with_cursor(sesid, tableid, |c| c.update())?;
        // SAFETY: the caller's buffer and optional out-pointer (crate
        // contract).
        let whole = unsafe {
            put_opt(pcbActual, bookmark.len() as ULONG);
            pvBookmark.is_null() || copy_out(&bookmark, buffer(pvBookmark, cbBookmark))
        };
        Ok(if whole { 0 } else { JET_wrnBufferTruncated })
    })
}

#[no_mangle]
pub extern "C" fn JetDelete(sesid: JET_SESID, tableid: JET_TABLEID) -> JET_ERR {
    call("JetDelete", || {
        with_cursor(sesid, tableid, |c| c.delete()).map(|()| 0)
    })
}

/// JetRetrieveColumn: as much of the value as fits in `pvData`, its whole
/// size in `pcbActual`, and `JET_wrnBufferTruncated` or
/// `JET_wrnColumnNull` as the Rust API reports them. A NULL `pvData` with
/// `cbData` 0 asks only the size.
#[no_mangle]
pub unsafe extern "C" fn JetRetrieveColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    columnid: JET_COLUMNID,
    pvData: *mut c_void,
    cbData: ULONG,
    pcbActual: *mut ULONG,
    grbit: JET_GRBIT,
    pretinfo: *mut JET_RETINFO,
) -> JET_ERR {
    call("JetRetrieveColumn", || {
        if pvData.is_null() && cbData != 0 {
            return Err(null("pvData"));
        }
        let info = if pretinfo.is_null() {
            None
        } else {
            // SAFETY: not NULL; readable by the caller's contract.
            let given = unsafe { get(pretinfo, "pretinfo")? };
            if (given.cbStruct as usize) < std::mem::size_of::<JET_RETINFO>() {
                return Err(too_small("JET_RETINFO"));
            }
            Some(RetInfo {
                ib_long_value: given.ibLongValue,
                itag_sequence: given.itagSequence,
            })
        };
        // SAFETY: the caller's buffer of cbData bytes (crate contract).
        let out = unsafe { buffer(pvData, cbData) };
        let table = handles::table(sesid, tableid)?;
        if let Some(list) = table.list()? {
            let (itag, ib) = info.map_or((1, 0), |i| (i.itag_sequence, i.ib_long_value));
            let (actual, warning) = match list.value(columnid, itag, ib)? {
                None => (0, JET_wrnColumnNull),
                Some(value) if copy_out(value, out) => (value.len(), 0),
                Some(value) => (value.len(), JET_wrnBufferTruncated),
            };
            // SAFETY: NULL allowed (not wanted).
            unsafe { put_opt(pcbActual, actual as ULONG) };
            return Ok(warning);
        }
        let retrieved = table
            .cursor()?
            .retrieve_column(columnid, out, grbit, info)?;
        // SAFETY: NULL allowed (not wanted).
        unsafe { put_opt(pcbActual, retrieved.actual_size as ULONG) };
        Ok(retrieved.warning)
    })
}
