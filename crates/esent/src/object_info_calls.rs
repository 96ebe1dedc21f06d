//! JetGetTableInfo (a cursor's table), JetGetObjectInfo (a table by name,
//! or the JET_OBJECTLIST of every table) and JetGetDatabaseInfo.
//!
//! The sizes and errors are ESENT's, level by level (its checks differ:
//! some levels want at least the value's size, some exactly it, and an
//! unknown JetGetTableInfo level is `JET_errFeatureNotAvailable` where the
//! others say `JET_errInvalidParameter`). Names are never cut: a buffer
//! too small for one is `JET_errBufferTooSmall`, its size counted in
//! bytes in both forms. Not offered yet (`JET_errFeatureNotAvailable`):
//! the space levels that need the space trees' totals
//! (JET_TblInfoSpaceOwned, JET_TblInfoSpaceAvailable,
//! JET_DbInfoSpaceAvailable) and JET_DbInfoMisc (JET_DBINFOMISC).
//! Statistics: cRecord is counted, cPage is the table's initial size (ESENT
//! reports what JetComputeStats last stored, which this engine does not
//! keep).

use std::ffi::{c_char, c_void};

use ese::api::grbit::*;
use ese::api::{DbId, TableInfo};
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::column_info_calls::give;
use crate::handles;
use crate::list_table::{ListTable, Row};
use crate::types::*;

/// ESE's deepest save point (levelUserMost), JET_DbInfoTransactions.
const TRANSACTION_LEVELS: u32 = 7;
/// The database format version JET_DbInfoVersion reports (ESE's
/// ulDAEVersionMax).
const DATABASE_VERSION: u32 = 0x620;
const LCID_DEFAULT: u32 = 0x409;

fn object_info(info: &TableInfo, updatable: bool, stats: bool) -> JET_OBJECTINFO {
    JET_OBJECTINFO {
        cbStruct: std::mem::size_of::<JET_OBJECTINFO>() as ULONG,
        objtyp: JET_objtypTable,
        dtCreate: 0.0,
        dtUpdate: 0.0,
        grbit: JET_bitTableInfoBookmark
            | JET_bitTableInfoRollback
            | if updatable {
                JET_bitTableInfoUpdatable
            } else {
                0
            },
        flags: info.flags,
        cRecord: if stats {
            u32::try_from(info.records).unwrap_or(u32::MAX)
        } else {
            0
        },
        cPage: if stats { info.pages } else { 0 },
    }
}

/// Writes a name into the caller's buffer, NUL-terminated, in the form's
/// characters; `JET_errBufferTooSmall` when it does not fit whole.
///
/// # Safety
/// `out` is NULL or `cbMax` writable bytes.
unsafe fn give_name<F: Form>(out: *mut c_void, cbMax: ULONG, name: &str) -> Result<()> {
    let bytes = F::encode(name);
    if bytes.len() > cbMax as usize {
        return Err(Error::new(JET_errBufferTooSmall).with_detail(format!(
            "the name needs {} bytes, cbMax is {cbMax}",
            bytes.len()
        )));
    }
    if out.is_null() {
        return Err(null("pvResult"));
    }
    // SAFETY: `bytes.len()` <= cbMax writable bytes (caller's contract).
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.cast::<u8>(), bytes.len()) };
    Ok(())
}

/// Writes a 4-byte value where the level wants exactly 4 bytes.
///
/// # Safety
/// As for [`give`].
unsafe fn give_exact(out: *mut c_void, cbMax: ULONG, value: u32) -> Result<()> {
    if cbMax != 4 {
        return Err(Error::new(JET_errInvalidBufferSize)
            .with_detail(format!("the level's value is 4 bytes, cbMax is {cbMax}")));
    }
    // SAFETY: forwarded contract.
    unsafe { give(out, cbMax, value, "the value") }
}

unsafe fn table_info<F: Form>(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    out: *mut c_void,
    cbMax: ULONG,
    info_level: u32,
) -> Result<i32> {
    let table = handles::table(sesid, tableid)?;
    if let Some(list) = table.list()? {
        // An info call's list answers JET_TblInfo only, with its count.
        if info_level != JET_TblInfo {
            return Err(Error::new(JET_errInvalidOperation)
                .with_detail("an info call's list answers JET_TblInfo only"));
        }
        if (cbMax as usize) < std::mem::size_of::<JET_OBJECTINFO>() {
            return Err(
                Error::new(JET_errInvalidParameter).with_detail("cbMax is below JET_OBJECTINFO")
            );
        }
        let info = JET_OBJECTINFO {
            cbStruct: std::mem::size_of::<JET_OBJECTINFO>() as ULONG,
            objtyp: JET_objtypTable,
            cRecord: list.len() as ULONG,
            ..Default::default()
        };
        // SAFETY: the caller's buffer (crate contract); size checked.
        unsafe { give(out, cbMax, info, "JET_OBJECTINFO")? };
        return Ok(0);
    }
    let mut cursor = table.cursor()?;
    match info_level {
        JET_TblInfo => {
            let info = cursor.get_table_info()?;
            let value = object_info(&info, cursor.is_updatable(), true);
            // SAFETY: the caller's buffer (crate contract).
            unsafe { give(out, cbMax, value, "JET_OBJECTINFO")? };
        }
        JET_TblInfoName => {
            let info = cursor.get_table_info()?;
            // SAFETY: as above.
            unsafe { give_name::<F>(out, cbMax, &info.name)? };
        }
        JET_TblInfoTemplateTableName => {
            // ESENT wants room for any name (JET_cbNameMost + 1) first.
            if cbMax <= 64 {
                return Err(Error::new(JET_errBufferTooSmall)
                    .with_detail("JET_TblInfoTemplateTableName needs more than 64 bytes"));
            }
            let info = cursor.get_table_info()?;
            let template = info.template_table.unwrap_or_default();
            // SAFETY: as above.
            unsafe { give_name::<F>(out, cbMax, &template)? };
        }
        JET_TblInfoDbid => {
            let dbid = cursor.get_table_dbid()?;
            // SAFETY: as above.
            unsafe { give(out, cbMax, dbid.0, "the JET_DBID")? };
        }
        JET_TblInfoSpaceAlloc => {
            let info = cursor.get_table_info()?;
            // SAFETY: as above.
            unsafe {
                give(
                    out,
                    cbMax,
                    [info.pages, info.density],
                    "the pages and density",
                )?
            };
        }
        JET_TblInfoSpaceOwned | JET_TblInfoSpaceAvailable => {
            return Err(Error::new(JET_errFeatureNotAvailable)
                .with_detail("the space trees' totals are not offered yet"));
        }
        other => {
            return Err(Error::new(JET_errFeatureNotAvailable)
                .with_detail(format!("table info level {other}")));
        }
    }
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableInfoA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetGetTableInfo", || unsafe {
        table_info::<A>(sesid, tableid, pvResult, cbMax, InfoLevel)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableInfoW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetGetTableInfo", || unsafe {
        table_info::<W>(sesid, tableid, pvResult, cbMax, InfoLevel)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableInfo(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetTableInfoA(sesid, tableid, pvResult, cbMax, InfoLevel) }
}

/// The JET_OBJECTLIST's table: a row per table of the catalog (system
/// tables too), sorted by name case-insensitively; none when `objtyp` is
/// neither JET_objtypNil nor JET_objtypTable.
fn object_list<F: Form>(
    mut tables: Vec<TableInfo>,
    objtyp: u32,
    updatable: bool,
    stats: bool,
) -> ListTable {
    if objtyp != JET_objtypNil && objtyp != JET_objtypTable {
        tables.clear();
    }
    tables.sort_by_cached_key(|t| t.name.to_lowercase());
    let rows = tables
        .iter()
        .map(|t| {
            let info = object_info(t, updatable, stats);
            Row::default()
                .bytes(Some(F::column_text("Tables")))
                .bytes(Some(F::column_text(&t.name)))
                .long(JET_objtypTable)
                .bytes(None)
                .bytes(None)
                .long(info.cRecord)
                .long(info.cPage)
                .long(info.grbit)
                .long(info.flags)
                .0
        })
        .collect();
    ListTable::new(9, rows)
}

unsafe fn get_object_info<F: Form>(
    sesid: JET_SESID,
    dbid: JET_DBID,
    objtyp: u32,
    container: *const F::Char,
    object: *const F::Char,
    out: *mut c_void,
    cbMax: ULONG,
    info_level: u32,
) -> Result<i32> {
    let size = match info_level {
        JET_ObjInfo | JET_ObjInfoNoStats => std::mem::size_of::<JET_OBJECTINFO>(),
        JET_ObjInfoList | JET_ObjInfoListNoStats => std::mem::size_of::<JET_OBJECTLIST>(),
        JET_ObjInfoSysTabCursor
        | JET_ObjInfoListACM
        | JET_ObjInfoSysTabReadOnly
        | JET_ObjInfoRulesLoaded => return Err(Error::new(JET_errFeatureNotAvailable)),
        other => {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail(format!("no object info level {other}")))
        }
    };
    if (cbMax as usize) < size {
        return Err(Error::new(JET_errBufferTooSmall).with_detail(format!(
            "the level's structure needs {size} bytes, cbMax is {cbMax}"
        )));
    }
    let entry = handles::session(sesid)?;
    // SAFETY: the caller's strings (crate contract).
    let (container, object) = unsafe { (F::text(container)?, F::text(object)?) };
    if let Some(container) = container.filter(|c| !c.is_empty()) {
        if !container.eq_ignore_ascii_case("Tables") {
            return Err(Error::new(JET_errObjectNotFound).with_detail(format!(
                "no container {container:?}: tables are in \"Tables\""
            )));
        }
    }
    let session = &entry.session;
    let updatable = !session.get_database_info(DbId(dbid))?.read_only;
    match info_level {
        JET_ObjInfo | JET_ObjInfoNoStats => {
            let name = object
                .filter(|o| !o.is_empty())
                .ok_or_else(|| Error::new(JET_errObjectNotFound).with_detail("no object name"))?;
            let info = session.get_object_info(DbId(dbid), &name)?;
            let value = object_info(&info, updatable, info_level == JET_ObjInfo);
            // SAFETY: the caller's buffer (crate contract); size checked.
            unsafe { give(out, cbMax, value, "JET_OBJECTINFO")? };
        }
        _ => {
            let stats = info_level == JET_ObjInfoList;
            let tables = session.get_object_list(DbId(dbid), stats)?;
            let list = object_list::<F>(tables, objtyp, updatable, stats);
            let shape = JET_OBJECTLIST {
                cbStruct: std::mem::size_of::<JET_OBJECTLIST>() as ULONG,
                tableid: 0,
                cRecord: list.len() as ULONG,
                columnidcontainername: 1,
                columnidobjectname: 2,
                columnidobjtyp: 3,
                columniddtCreate: 4,
                columniddtUpdate: 5,
                columnidcRecord: 6,
                columnidcPage: 7,
                columnidgrbit: 8,
                columnidflags: 9,
            };
            let shape = JET_OBJECTLIST {
                tableid: handles::add_list(sesid, list),
                ..shape
            };
            // SAFETY: as above.
            unsafe { give(out, cbMax, shape, "JET_OBJECTLIST")? };
        }
    }
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetObjectInfoA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    objtyp: u32,
    szContainerName: *const c_char,
    szObjectName: *const c_char,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetObjectInfo", || {
        // SAFETY: forwarded contract.
        unsafe {
            get_object_info::<A>(
                sesid,
                dbid,
                objtyp,
                szContainerName,
                szObjectName,
                pvResult,
                cbMax,
                InfoLevel,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetObjectInfoW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    objtyp: u32,
    szContainerName: *const WCHAR,
    szObjectName: *const WCHAR,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetObjectInfo", || {
        // SAFETY: forwarded contract.
        unsafe {
            get_object_info::<W>(
                sesid,
                dbid,
                objtyp,
                szContainerName,
                szObjectName,
                pvResult,
                cbMax,
                InfoLevel,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetObjectInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    objtyp: u32,
    szContainerName: *const c_char,
    szObjectName: *const c_char,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetGetObjectInfoA(
            sesid,
            dbid,
            objtyp,
            szContainerName,
            szObjectName,
            pvResult,
            cbMax,
            InfoLevel,
        )
    }
}

unsafe fn database_info<F: Form>(
    sesid: JET_SESID,
    dbid: JET_DBID,
    out: *mut c_void,
    cbMax: ULONG,
    info_level: u32,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    let info = entry.session.get_database_info(DbId(dbid))?;
    // ESENT ignores JET_DbInfoUseCachedResult (its answers are always so).
    let level = info_level & !0x4000_0000;
    // SAFETY (every arm): the caller's buffer of cbMax bytes (crate
    // contract); each helper checks the size it writes.
    unsafe {
        match level {
            JET_DbInfoFilename => give_name::<F>(out, cbMax, &info.path.to_string_lossy())?,
            JET_DbInfoConnect => give_name::<F>(out, cbMax, "")?,
            JET_DbInfoCountry => give_exact(out, cbMax, 1)?,
            JET_DbInfoLCID => give_exact(out, cbMax, LCID_DEFAULT)?,
            JET_DbInfoCp => give_exact(out, cbMax, 1252)?,
            JET_DbInfoCollate => give_exact(out, cbMax, 0)?,
            // Always 0: JET_bitDbExclusive (the session opened the
            // database exclusively) is not reported yet.
            JET_DbInfoOptions => give_exact(out, cbMax, 0)?,
            JET_DbInfoTransactions => give_exact(out, cbMax, TRANSACTION_LEVELS)?,
            JET_DbInfoVersion => give_exact(out, cbMax, DATABASE_VERSION)?,
            JET_DbInfoFilesize => give(out, cbMax, info.pages, "the file size in pages")?,
            JET_DbInfoSpaceOwned => give_exact(out, cbMax, info.pages)?,
            JET_DbInfoPageSize => {
                if cbMax != 4 {
                    return Err(Error::new(JET_errBufferTooSmall)
                        .with_detail("JET_DbInfoPageSize is 4 bytes"));
                }
                give(out, cbMax, info.page_size as u32, "the page size")?
            }
            JET_DbInfoSpaceAvailable | JET_DbInfoMisc => {
                return Err(Error::new(JET_errFeatureNotAvailable)
                    .with_detail(format!("database info level {level} is not offered yet")))
            }
            JET_DbInfoIsam => return Err(Error::new(JET_errFeatureNotAvailable)),
            other => {
                return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
                    "no database info level {other} (JetGetDatabaseInfo)"
                )))
            }
        }
    }
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetDatabaseInfoA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetGetDatabaseInfo", || unsafe {
        database_info::<A>(sesid, dbid, pvResult, cbMax, InfoLevel)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetDatabaseInfoW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    call("JetGetDatabaseInfo", || unsafe {
        database_info::<W>(sesid, dbid, pvResult, cbMax, InfoLevel)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetDatabaseInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetDatabaseInfoA(sesid, dbid, pvResult, cbMax, InfoLevel) }
}
