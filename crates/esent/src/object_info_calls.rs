//! JetGetTableInfo (a cursor's table), JetGetObjectInfo (a table by name,
//! or the JET_OBJECTLIST of every table) and JetGetDatabaseInfo.
//!
//! The sizes and errors are ESENT's, level by level (its checks differ:
//! some levels want at least the value's size, some exactly it, and an
//! unknown JetGetTableInfo level is `JET_errFeatureNotAvailable` where the
//! others say `JET_errInvalidParameter`). Names are never cut: a buffer
//! too small for one is `JET_errBufferTooSmall`, its size counted in
//! bytes in both forms. JET_DbInfoMisc fills the JET_DBINFOMISC version
//! whose size cbMax is, from the database header. Not offered yet
//! (`JET_errFeatureNotAvailable`): the space levels that need the space
//! trees' totals (JET_TblInfoSpaceOwned, JET_TblInfoSpaceAvailable,
//! JET_DbInfoSpaceAvailable).
//! Statistics: cRecord is counted, cPage is the table's initial size (ESENT
//! reports what JetComputeStats last stored, which this engine does not
//! keep).

use std::ffi::{c_char, c_void};

use ese::api::grbit::*;
use ese::api::{DbId, TableInfo};
use ese::codes::*;
use ese::format::header::{
    backup_type, BackupInfo, DatabaseHeader, LogPosition, LogTime, Signature,
};
use ese::{Error, Result};

use crate::boundary::*;
use crate::column_info_calls::{give, LCID_DEFAULT};
use crate::handles;
use crate::list_table::{ListTable, Row};
use crate::types::*;

/// ESE's deepest save point (levelUserMost), JET_DbInfoTransactions.
const TRANSACTION_LEVELS: u32 = 7;
/// The database format version JET_DbInfoVersion reports (ESE's
/// ulDAEVersionMax).
const DATABASE_VERSION: u32 = 0x620;

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
            let info = cursor.get_table_info_no_stats()?;
            // SAFETY: as above.
            unsafe { give_name::<F>(out, cbMax, &info.name)? };
        }
        JET_TblInfoTemplateTableName => {
            // ESENT wants room for any name (JET_cbNameMost + 1) first.
            if cbMax <= 64 {
                return Err(Error::new(JET_errBufferTooSmall)
                    .with_detail("JET_TblInfoTemplateTableName needs more than 64 bytes"));
            }
            let info = cursor.get_table_info_no_stats()?;
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
            let info = cursor.get_table_info_no_stats()?;
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
            JET_DbInfoMisc => {
                if !DBINFOMISC_SIZES.contains(&(cbMax as usize)) {
                    return Err(Error::new(JET_errInvalidBufferSize).with_detail(format!(
                        "cbMax {cbMax} is not the size of a JET_DBINFOMISC version"
                    )));
                }
                let header = entry.session.get_database_header(DbId(dbid))?;
                let misc = database_misc(&header);
                // SAFETY: a plain C structure viewed as its bytes.
                let bytes = std::slice::from_raw_parts(
                    (&misc as *const JET_DBINFOMISC7).cast::<u8>(),
                    cbMax as usize,
                );
                if out.is_null() {
                    return Err(null("pvResult"));
                }
                // cbMax bytes: one of the versions, all within the
                // caller's buffer.
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.cast::<u8>(), bytes.len());
            }
            JET_DbInfoSpaceAvailable => {
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

fn logtime(time: &LogTime) -> JET_LOGTIME {
    JET_LOGTIME::from_bytes(time.0)
}

fn lgpos(position: &LogPosition) -> JET_LGPOS {
    JET_LGPOS {
        ib: position.byte_offset,
        isec: position.sector,
        lGeneration: position.generation,
    }
}

fn signature(signature: &Signature) -> JET_SIGNATURE {
    JET_SIGNATURE {
        ulRandom: signature.random,
        logtimeCreate: logtime(&signature.created),
        szComputerName: signature.computer_name,
    }
}

/// A backup's record, with ESE's fOSSnapshot bit (the first bit of the
/// time's second filler byte) set for a snapshot backup.
fn backup(info: &BackupInfo, kind: u32) -> JET_BKINFO {
    let mut mark = logtime(&info.mark_time);
    if kind == backup_type::OS_SNAPSHOT {
        mark.bFiller2 |= 1;
    } else {
        mark.bFiller2 &= !1;
    }
    JET_BKINFO {
        lgposMark: lgpos(&info.mark),
        logtimeMark: mark,
        genLow: info.generation_low,
        genHigh: info.generation_high,
    }
}

/// JET_DBINFOMISC7 from the database header, field by field as ESE's
/// UtilLoadDbinfomiscFromPdbfilehdr fills it (fUpgradeDb, which it leaves
/// alone, is 0).
fn database_misc(h: &DatabaseHeader) -> JET_DBINFOMISC7 {
    JET_DBINFOMISC7 {
        ulVersion: h.format_version,
        ulUpdate: h.format_revision,
        signDb: signature(&h.db_signature),
        dbstate: h.state,
        lgposConsistent: lgpos(&h.consistent_position),
        logtimeConsistent: logtime(&h.consistent_time),
        logtimeAttach: logtime(&h.attach_time),
        lgposAttach: lgpos(&h.attach_position),
        logtimeDetach: logtime(&h.detach_time),
        lgposDetach: lgpos(&h.detach_position),
        signLog: signature(&h.log_signature),
        bkinfoFullPrev: backup(&h.previous_full_backup, h.previous_full_backup_type),
        bkinfoIncPrev: backup(
            &h.previous_incremental_backup,
            h.previous_incremental_backup_type,
        ),
        bkinfoFullCur: backup(&h.current_full_backup, 0),
        fShadowingDisabled: u32::from(h.shadowing_disabled()),
        fUpgradeDb: 0,
        dwMajorVersion: h.os_major_version,
        dwMinorVersion: h.os_minor_version,
        dwBuildNumber: h.os_build_number,
        lSPNumber: h.os_service_pack,
        cbPageSize: h.effective_page_size() as ULONG,
        genMinRequired: h.min_required_generation as ULONG,
        genMaxRequired: h.max_required_generation as ULONG,
        logtimeGenMaxCreate: logtime(&h.max_required_generation_time),
        ulRepairCount: h.repair_count,
        logtimeRepair: logtime(&h.repair_time),
        ulRepairCountOld: h.repair_count_old,
        ulECCFixSuccess: h.ecc_fix_success_count,
        logtimeECCFixSuccess: logtime(&h.ecc_fix_success_time),
        ulECCFixSuccessOld: h.ecc_fix_success_count_old,
        ulECCFixFail: h.ecc_fix_fail_count,
        logtimeECCFixFail: logtime(&h.ecc_fix_fail_time),
        ulECCFixFailOld: h.ecc_fix_fail_count_old,
        ulBadChecksum: h.bad_checksum_count,
        logtimeBadChecksum: logtime(&h.bad_checksum_time),
        ulBadChecksumOld: h.bad_checksum_count_old,
        genCommitted: h.max_committed_generation as ULONG,
        bkinfoCopyPrev: backup(&h.previous_copy_backup, h.previous_copy_backup_type),
        bkinfoDiffPrev: backup(
            &h.previous_differential_backup,
            h.previous_differential_backup_type,
        ),
        ulIncrementalReseedCount: h.incremental_reseed_count,
        logtimeIncrementalReseed: logtime(&h.incremental_reseed_time),
        ulIncrementalReseedCountOld: h.incremental_reseed_count_old,
        ulPagePatchCount: h.page_patch_count,
        logtimePagePatch: logtime(&h.page_patch_time),
        ulPagePatchCountOld: h.page_patch_count_old,
        logtimeChecksumPrev: logtime(&h.db_scan_previous_time),
        logtimeChecksumStart: logtime(&h.db_scan_start_time),
        // The header holds the next page to check.
        cpgDatabaseChecked: h.db_scan_highest_continuous_page.saturating_sub(1),
        logtimeLastReAttach: logtime(&h.last_reattach_time),
        lgposLastReAttach: lgpos(&h.last_reattach_position),
    }
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
