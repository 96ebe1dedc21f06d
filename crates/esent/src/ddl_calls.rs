//! Schema changes by name: JetDeleteTable, JetRenameTable,
//! JetDeleteColumn(2), JetRenameColumn, JetDeleteIndex, and
//! JetGetCurrentIndex.

use std::ffi::c_char;

use ese::api::DbId;
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles::{self, with_cursor};
use crate::types::*;

fn delete_table(sesid: JET_SESID, dbid: JET_DBID, szTableName: Option<String>) -> Result<i32> {
    handles::session(sesid)?
        .session
        .delete_table(DbId(dbid), &required(szTableName, "szTableName")?)
        .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteTableA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
) -> JET_ERR {
    call("JetDeleteTable", || {
        // SAFETY: the caller's string (crate contract).
        let szTableName = unsafe { a_text(szTableName)? };
        delete_table(sesid, dbid, szTableName)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteTableW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
) -> JET_ERR {
    call("JetDeleteTable", || {
        // SAFETY: the caller's string (crate contract).
        let szTableName = unsafe { w_text(szTableName)? };
        delete_table(sesid, dbid, szTableName)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteTable(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetDeleteTableA(sesid, dbid, szTableName) }
}

fn rename_table(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szName: Option<String>,
    szNameNew: Option<String>,
) -> Result<i32> {
    handles::session(sesid)?
        .session
        .rename_table(
            DbId(dbid),
            &required(szName, "szName")?,
            &required(szNameNew, "szNameNew")?,
        )
        .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetRenameTableA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szName: *const c_char,
    szNameNew: *const c_char,
) -> JET_ERR {
    call("JetRenameTable", || {
        // SAFETY: the caller's string (crate contract).
        let szName = unsafe { a_text(szName)? };
        // SAFETY: the caller's string (crate contract).
        let szNameNew = unsafe { a_text(szNameNew)? };
        rename_table(sesid, dbid, szName, szNameNew)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRenameTableW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szName: *const WCHAR,
    szNameNew: *const WCHAR,
) -> JET_ERR {
    call("JetRenameTable", || {
        // SAFETY: the caller's string (crate contract).
        let szName = unsafe { w_text(szName)? };
        // SAFETY: the caller's string (crate contract).
        let szNameNew = unsafe { w_text(szNameNew)? };
        rename_table(sesid, dbid, szName, szNameNew)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRenameTable(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szName: *const c_char,
    szNameNew: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetRenameTableA(sesid, dbid, szName, szNameNew) }
}

fn delete_column(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: Option<String>,
) -> Result<i32> {
    with_cursor(sesid, tableid, |c| {
        c.delete_column(&required(szColumnName, "szColumnName")?)
    })
    .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteColumnA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
) -> JET_ERR {
    call("JetDeleteColumn", || {
        // SAFETY: the caller's string (crate contract).
        let szColumnName = unsafe { a_text(szColumnName)? };
        delete_column(sesid, tableid, szColumnName)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteColumnW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const WCHAR,
) -> JET_ERR {
    call("JetDeleteColumn", || {
        // SAFETY: the caller's string (crate contract).
        let szColumnName = unsafe { w_text(szColumnName)? };
        delete_column(sesid, tableid, szColumnName)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetDeleteColumnA(sesid, tableid, szColumnName) }
}

fn delete_index(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: Option<String>,
) -> Result<i32> {
    with_cursor(sesid, tableid, |c| {
        c.delete_index(&required(szIndexName, "szIndexName")?)
    })
    .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteIndexA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
) -> JET_ERR {
    call("JetDeleteIndex", || {
        // SAFETY: the caller's string (crate contract).
        let szIndexName = unsafe { a_text(szIndexName)? };
        delete_index(sesid, tableid, szIndexName)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteIndexW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const WCHAR,
) -> JET_ERR {
    call("JetDeleteIndex", || {
        // SAFETY: the caller's string (crate contract).
        let szIndexName = unsafe { w_text(szIndexName)? };
        delete_index(sesid, tableid, szIndexName)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteIndex(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetDeleteIndexA(sesid, tableid, szIndexName) }
}

fn delete_column2(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: Option<String>,
    grbit: JET_GRBIT,
) -> Result<i32> {
    if grbit != 0 {
        // JET_bitDeleteColumnIgnoreTemplateColumns is about derived
        // tables' inherited columns, which a derived table cannot delete
        // here anyway; anything else is unknown.
        if grbit & !0x1 != 0 {
            return Err(Error::new(JET_errInvalidGrbit));
        }
    }
    with_cursor(sesid, tableid, |c| {
        c.delete_column(&required(szColumnName, "szColumnName")?)
    })
    .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteColumn2A(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDeleteColumn2", || {
        // SAFETY: the caller's string (crate contract).
        let szColumnName = unsafe { a_text(szColumnName)? };
        delete_column2(sesid, tableid, szColumnName, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteColumn2W(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const WCHAR,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDeleteColumn2", || {
        // SAFETY: the caller's string (crate contract).
        let szColumnName = unsafe { w_text(szColumnName)? };
        delete_column2(sesid, tableid, szColumnName, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDeleteColumn2(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetDeleteColumn2A(sesid, tableid, szColumnName, grbit) }
}

fn rename_column(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szName: Option<String>,
    szNameNew: Option<String>,
    grbit: JET_GRBIT,
) -> Result<i32> {
    if grbit != 0 {
        return Err(Error::new(JET_errInvalidGrbit));
    }
    let (old, new) = (
        required(szName, "szName")?,
        required(szNameNew, "szNameNew")?,
    );
    with_cursor(sesid, tableid, |c| c.rename_column(&old, &new)).map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetRenameColumnA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szName: *const c_char,
    szNameNew: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetRenameColumn", || {
        // SAFETY: the caller's string (crate contract).
        let szName = unsafe { a_text(szName)? };
        // SAFETY: the caller's string (crate contract).
        let szNameNew = unsafe { a_text(szNameNew)? };
        rename_column(sesid, tableid, szName, szNameNew, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRenameColumnW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szName: *const WCHAR,
    szNameNew: *const WCHAR,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetRenameColumn", || {
        // SAFETY: the caller's string (crate contract).
        let szName = unsafe { w_text(szName)? };
        // SAFETY: the caller's string (crate contract).
        let szNameNew = unsafe { w_text(szNameNew)? };
        rename_column(sesid, tableid, szName, szNameNew, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRenameColumn(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szName: *const c_char,
    szNameNew: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetRenameColumnA(sesid, tableid, szName, szNameNew, grbit) }
}

fn get_current_index(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    out: &mut [u8],
    wide: bool,
) -> Result<i32> {
    let name = with_cursor(sesid, tableid, |c| Ok(c.current_index()))?;
    if out.is_empty() {
        return Err(null("szIndexName"));
    }
    Ok(if wide {
        write_w(&name, out)
    } else {
        write_a(&name, out)
    })
}

/// JetGetCurrentIndex: the current index's name ("" for the clustered
/// order of a table without a primary index), NUL-terminated;
/// `JET_wrnBufferTruncated` when it is cut.
#[no_mangle]
pub unsafe extern "C" fn JetGetCurrentIndexA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *mut c_char,
    cbIndexName: ULONG,
) -> JET_ERR {
    call("JetGetCurrentIndex", || {
        // SAFETY: the caller's buffer of cbIndexName bytes (crate contract).
        let out = unsafe { buffer(szIndexName.cast(), cbIndexName) };
        get_current_index(sesid, tableid, out, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetCurrentIndexW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *mut WCHAR,
    cbIndexName: ULONG,
) -> JET_ERR {
    call("JetGetCurrentIndex", || {
        // SAFETY: the caller's buffer of cbIndexName bytes (crate contract).
        let out = unsafe { buffer(szIndexName.cast(), cbIndexName) };
        get_current_index(sesid, tableid, out, true)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetCurrentIndex(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *mut c_char,
    cbIndexName: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetCurrentIndexA(sesid, tableid, szIndexName, cbIndexName) }
}
