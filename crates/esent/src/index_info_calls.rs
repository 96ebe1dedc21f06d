//! JetGetTableIndexInfo (a cursor's table) and JetGetIndexInfo (a table by
//! name): an index's density, locale, key sizes, the number of indexes,
//! or the JET_INDEXLIST of one index or all (see `list_table`).
//!
//! As ESENT: a result buffer smaller than the level's value is
//! `JET_errBufferTooSmall`, an unknown level `JET_errInvalidParameter`, the
//! obsolete ones `JET_errFeatureNotAvailable`; a NULL or empty index name
//! is every index for the lists. JET_IdxInfoIndexId, JET_IdxInfoCreateIndex
//! (2, 3) and JET_IdxInfoLocaleName are not offered yet
//! (`JET_errFeatureNotAvailable`). The list's statistics: cEntry is
//! counted; cKey and cPage are ESENT's computed statistics, which this
//! engine does not keep (no JetComputeStats), so cKey is cEntry for a
//! unique index and 0 otherwise, cPage 0.

use std::ffi::{c_char, c_void};

use ese::api::grbit::*;
use ese::api::{ColumnInfo, DbId, IndexInfo};
use ese::codes::*;
use ese::{Error, Result};

use crate::boundary::*;
use crate::column_info_calls::{code_page, give, COUNTRY_DEFAULT, LANGID_DEFAULT, LCID_DEFAULT};
use crate::handles;
use crate::list_table::{ListTable, Row};
use crate::types::*;

/// ESE's key size before JET_paramKeyMost (JET_cbKeyMost_OLD).
const KEY_MOST_OLD: u16 = 255;

/// Where the indexes come from: the cursor's table or a table by name.
trait Indexes {
    fn indexes(&mut self, name: Option<&str>) -> Result<Vec<IndexInfo>>;
    fn columns(&mut self) -> Result<Vec<ColumnInfo>>;
}

struct OfCursor<'a>(&'a mut ese::api::Cursor);

impl Indexes for OfCursor<'_> {
    fn indexes(&mut self, name: Option<&str>) -> Result<Vec<IndexInfo>> {
        self.0.get_table_index_info(name)
    }
    fn columns(&mut self) -> Result<Vec<ColumnInfo>> {
        self.0.get_table_columns()
    }
}

struct OfTable<'a> {
    session: &'a ese::api::Session,
    dbid: DbId,
    table: String,
}

impl Indexes for OfTable<'_> {
    fn indexes(&mut self, name: Option<&str>) -> Result<Vec<IndexInfo>> {
        self.session.get_index_info(self.dbid, &self.table, name)
    }
    fn columns(&mut self) -> Result<Vec<ColumnInfo>> {
        self.session.get_columns(self.dbid, &self.table)
    }
}

/// The JET_INDEXLIST's table: a row per key column of each index, sorted
/// by index name (case-insensitively), then key column number (from 0).
fn index_list<F: Form>(mut indexes: Vec<IndexInfo>, columns: &[ColumnInfo]) -> ListTable {
    indexes.sort_by_cached_key(|i| i.name.to_lowercase());
    let mut rows = Vec::new();
    for index in &indexes {
        let unique = index.grbit & (JET_bitIndexUnique | JET_bitIndexPrimary) != 0;
        let keys = if unique { index.entries } else { 0 };
        for (i, segment) in index.segments.iter().enumerate() {
            let column = columns.iter().find(|c| c.column_id == segment.column_id);
            rows.push(
                Row::default()
                    .bytes(Some(F::column_text(&index.name)))
                    .long(index.grbit & !JET_bitIndexUnicode)
                    .long(u32::try_from(keys).unwrap_or(u32::MAX))
                    .long(u32::try_from(index.entries).unwrap_or(u32::MAX))
                    .long(0)
                    .long(index.segments.len() as u32)
                    .long(i as u32)
                    .long(segment.column_id)
                    .long(column.map_or(0, |c| c.coltyp))
                    .short(COUNTRY_DEFAULT)
                    .short(LANGID_DEFAULT)
                    .short(column.map_or(0, code_page))
                    .short(0)
                    .long(if segment.descending {
                        JET_bitKeyDescending
                    } else {
                        0
                    })
                    .bytes(Some(F::column_text(&segment.column_name)))
                    .long(index.lcmap_flags)
                    .0,
            );
        }
    }
    ListTable::new(16, rows)
}

/// The one index a level names: an empty name names no index.
fn one(source: &mut dyn Indexes, name: Option<&str>) -> Result<IndexInfo> {
    let name = name.ok_or_else(|| Error::new(JET_errIndexNotFound).with_detail("no index name"))?;
    source
        .indexes(Some(name))?
        .pop()
        .ok_or_else(|| Error::new(JET_errIndexNotFound))
}

/// Both calls once their source is known.
///
/// # Safety
/// `name` and `out` as the calls document them.
unsafe fn index_info<F: Form>(
    sesid: JET_SESID,
    source: &mut dyn Indexes,
    name: *const F::Char,
    out: *mut c_void,
    cbResult: ULONG,
    info_level: u32,
) -> Result<i32> {
    // SAFETY: the caller's string (crate contract).
    let name = unsafe { F::text(name)? }.filter(|n| !n.is_empty());
    if out.is_null() {
        return Err(null("pvResult"));
    }
    let full = std::mem::size_of::<JET_INDEXLIST>();
    match info_level {
        JET_IdxInfo | JET_IdxInfoList => {
            // ESENT accepts a buffer 4 bytes short of the structure (its
            // allowance for the later columnidLCMapFlags member).
            if (cbResult as usize) < full - 4 {
                return Err(Error::new(JET_errBufferTooSmall)
                    .with_detail(format!("JET_INDEXLIST needs {} bytes", full - 4)));
            }
            let indexes = source.indexes(name.as_deref())?;
            let columns = source.columns()?;
            let list = index_list::<F>(indexes, &columns);
            let mut shape = JET_INDEXLIST {
                cbStruct: full as ULONG,
                tableid: 0,
                cRecord: list.len() as ULONG,
                columnidindexname: 1,
                columnidgrbitIndex: 2,
                columnidcKey: 3,
                columnidcEntry: 4,
                columnidcPage: 5,
                columnidcColumn: 6,
                columnidiColumn: 7,
                columnidcolumnid: 8,
                columnidcoltyp: 9,
                columnidCountry: 10,
                columnidLangid: 11,
                columnidCp: 12,
                columnidCollate: 13,
                columnidgrbitColumn: 14,
                columnidcolumnname: 15,
                columnidLCMapFlags: 16,
            };
            shape.tableid = handles::add_list(sesid, list);
            if (cbResult as usize) < full {
                // ESENT's rule: a buffer at least 4 bytes short of the
                // structure gets everything before columnidLCMapFlags,
                // which is left as it was.
                shape.cbStruct = (full - 4) as ULONG;
                let before = std::mem::offset_of!(JET_INDEXLIST, columnidLCMapFlags);
                // SAFETY: an untyped copy of the structure's first `before`
                // bytes into the caller's buffer of at least full - 4 >=
                // `before` bytes.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        (&shape as *const JET_INDEXLIST).cast::<u8>(),
                        out.cast::<u8>(),
                        before,
                    )
                };
            } else {
                // SAFETY: the caller's buffer (crate contract); size checked.
                unsafe { give(out, cbResult, shape, "JET_INDEXLIST")? };
            }
        }
        JET_IdxInfoSpaceAlloc => {
            let index = one(source, name.as_deref())?;
            // SAFETY: as above.
            unsafe { give(out, cbResult, index.density, "the density")? };
        }
        JET_IdxInfoLCID => {
            one(source, name.as_deref())?;
            if cbResult < 4 {
                // SAFETY: as above.
                unsafe { give(out, cbResult, LANGID_DEFAULT, "the LANGID")? };
            } else {
                // SAFETY: as above.
                unsafe { give(out, cbResult, LCID_DEFAULT, "the LCID")? };
            }
        }
        JET_IdxInfoCount => {
            let all = source.indexes(None)?;
            let secondary = all
                .iter()
                .filter(|i| i.grbit & JET_bitIndexPrimary == 0)
                .count();
            // SAFETY: as above.
            unsafe { give(out, cbResult, 1 + secondary as u32, "the index count")? };
        }
        JET_IdxInfoVarSegMac | JET_IdxInfoKeyMost => {
            let index = one(source, name.as_deref())?;
            let most = u16::try_from(index.key_most)
                .ok()
                .filter(|&k| k > 0)
                .unwrap_or(KEY_MOST_OLD);
            // SAFETY: as above.
            unsafe { give(out, cbResult, most, "the key size")? };
        }
        JET_IdxInfoSysTabCursor | JET_IdxInfoOLC | JET_IdxInfoResetOLC => {
            return Err(Error::new(JET_errFeatureNotAvailable));
        }
        JET_IdxInfoIndexId
        | JET_IdxInfoCreateIndex
        | JET_IdxInfoCreateIndex2
        | JET_IdxInfoCreateIndex3
        | JET_IdxInfoLocaleName => {
            return Err(Error::new(JET_errFeatureNotAvailable)
                .with_detail(format!("index info level {info_level} is not offered yet")));
        }
        other => {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail(format!("no index info level {other}")));
        }
    }
    Ok(0)
}

unsafe fn table_index_info<F: Form>(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    name: *const F::Char,
    out: *mut c_void,
    cbResult: ULONG,
    info_level: u32,
) -> Result<i32> {
    let table = handles::table(sesid, tableid)?;
    let mut cursor = table.cursor()?;
    // SAFETY: forwarded contract.
    unsafe {
        index_info::<F>(
            sesid,
            &mut OfCursor(&mut cursor),
            name,
            out,
            cbResult,
            info_level,
        )
    }
}

unsafe fn get_index_info<F: Form>(
    sesid: JET_SESID,
    dbid: JET_DBID,
    table: *const F::Char,
    name: *const F::Char,
    out: *mut c_void,
    cbResult: ULONG,
    info_level: u32,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    // SAFETY: the caller's string (crate contract).
    let table = required(unsafe { F::text(table)? }, "szTableName")?;
    let mut source = OfTable {
        session: &entry.session,
        dbid: DbId(dbid),
        table,
    };
    // SAFETY: forwarded contract.
    unsafe { index_info::<F>(sesid, &mut source, name, out, cbResult, info_level) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableIndexInfoA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
    pvResult: *mut c_void,
    cbResult: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetTableIndexInfo", || {
        // SAFETY: forwarded contract.
        unsafe { table_index_info::<A>(sesid, tableid, szIndexName, pvResult, cbResult, InfoLevel) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableIndexInfoW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const WCHAR,
    pvResult: *mut c_void,
    cbResult: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetTableIndexInfo", || {
        // SAFETY: forwarded contract.
        unsafe { table_index_info::<W>(sesid, tableid, szIndexName, pvResult, cbResult, InfoLevel) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableIndexInfo(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szIndexName: *const c_char,
    pvResult: *mut c_void,
    cbResult: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetTableIndexInfoA(sesid, tableid, szIndexName, pvResult, cbResult, InfoLevel) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetIndexInfoA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    szIndexName: *const c_char,
    pvResult: *mut c_void,
    cbResult: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetIndexInfo", || {
        // SAFETY: forwarded contract.
        unsafe {
            get_index_info::<A>(
                sesid,
                dbid,
                szTableName,
                szIndexName,
                pvResult,
                cbResult,
                InfoLevel,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetIndexInfoW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
    szIndexName: *const WCHAR,
    pvResult: *mut c_void,
    cbResult: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetIndexInfo", || {
        // SAFETY: forwarded contract.
        unsafe {
            get_index_info::<W>(
                sesid,
                dbid,
                szTableName,
                szIndexName,
                pvResult,
                cbResult,
                InfoLevel,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetIndexInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    szIndexName: *const c_char,
    pvResult: *mut c_void,
    cbResult: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetGetIndexInfoA(
            sesid,
            dbid,
            szTableName,
            szIndexName,
            pvResult,
            cbResult,
            InfoLevel,
        )
    }
}
