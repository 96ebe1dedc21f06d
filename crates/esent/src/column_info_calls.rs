//! JetGetTableColumnInfo (a cursor's table) and JetGetColumnInfo (a table
//! by name): one column as a JET_COLUMNDEF or JET_COLUMNBASE, by name or by
//! column id, or every column as a JET_COLUMNLIST (see `list_table`).
//!
//! As ESENT: the info level's high bits are JET_ColInfoGrbit* options; a
//! result buffer smaller than the level's structure is
//! `JET_errBufferTooSmall`; an unknown level `JET_errInvalidParameter`;
//! JET_ColInfoSysTabCursor `JET_errFeatureNotAvailable`. wCountry is 1,
//! langid the instance's default (0x409), cp 1252 or 1200 for text columns
//! and 0 for others, wCollate 0.

use std::ffi::{c_char, c_void};

use ese::api::grbit::*;
use ese::api::{ColumnInfo, DbId};
use ese::codes::*;
use ese::format::constants::{JET_coltypLongText, JET_coltypText};
use ese::{Error, Result};

use crate::boundary::*;
use crate::handles;
use crate::list_table::{ListTable, Row};
use crate::types::*;

const GRBITS: u32 = JET_ColInfoGrbitNonDerivedColumnsOnly
    | JET_ColInfoGrbitMinimalInfo
    | JET_ColInfoGrbitSortByColumnid
    | 0x1000_0000; // JET_ColInfoGrbitCompacting: internal, accepted
pub(crate) const COUNTRY_DEFAULT: u16 = 1;
/// The only locale the engine sorts text by (en-US), as ESENT reports an
/// instance's default: a LANGID, and the LCID it comes from.
pub(crate) const LANGID_DEFAULT: u16 = 0x409;
pub(crate) const LCID_DEFAULT: u32 = 0x409;

/// A column's code page as ESENT reports it: its own for text, else 0.
pub(crate) fn code_page(column: &ColumnInfo) -> u16 {
    if column.coltyp == JET_coltypText || column.coltyp == JET_coltypLongText {
        match column.code_page {
            1200 => 1200,
            _ => 1252,
        }
    } else {
        0
    }
}

/// Writes `value` into the caller's result buffer of `cbMax` bytes.
///
/// # Safety
/// `out` is NULL or `cbMax` writable bytes.
pub(crate) unsafe fn give<T>(out: *mut c_void, cbMax: ULONG, value: T, what: &str) -> Result<()> {
    if (cbMax as usize) < std::mem::size_of::<T>() {
        return Err(Error::new(JET_errBufferTooSmall).with_detail(format!(
            "{what} needs {} bytes, cbMax is {cbMax}",
            std::mem::size_of::<T>()
        )));
    }
    // SAFETY: forwarded contract; the size is checked above.
    unsafe { put(out.cast::<T>(), value, "pvResult") }
}

/// A single-column level reached without a column (the list levels take
/// none; `named` gives `All` only to them).
fn no_single_column() -> Error {
    Error::new(JET_errColumnNotFound).with_detail("no column named")
}

/// Which column a call names: by name, or by id for the ByColid levels.
enum Named {
    Name(String),
    Id(u32),
    All,
}

/// The level, split from its option bits, and what it asks for.
enum Level {
    Definition,
    Base,
    List { grbit: u32 },
}

fn level(info_level: u32) -> Result<(Level, bool)> {
    let grbit = info_level & GRBITS;
    match info_level & !GRBITS {
        JET_ColInfo => Ok((Level::Definition, false)),
        JET_ColInfoByColid => Ok((Level::Definition, true)),
        JET_ColInfoBase => Ok((Level::Base, false)),
        JET_ColInfoBaseByColid => Ok((Level::Base, true)),
        JET_ColInfoList | JET_ColInfoListCompact => Ok((Level::List { grbit }, false)),
        JET_ColInfoListSortColumnid => Ok((
            Level::List {
                grbit: grbit | JET_ColInfoGrbitSortByColumnid,
            },
            false,
        )),
        JET_ColInfoSysTabCursor => Err(Error::new(JET_errFeatureNotAvailable)),
        other => Err(Error::new(JET_errInvalidParameter)
            .with_detail(format!("no column info level {other}"))),
    }
}

/// Reads the name argument: a string, or (ByColid) a JET_COLUMNID.
///
/// # Safety
/// `name` is NULL, a NUL-terminated string of the form, or (by id) a
/// readable JET_COLUMNID.
unsafe fn named<F: Form>(name: *const F::Char, by_id: bool, list: bool) -> Result<Named> {
    if by_id {
        // SAFETY: the caller's JET_COLUMNID (the ByColid levels' contract).
        let id = unsafe { get(name.cast::<JET_COLUMNID>(), "the JET_COLUMNID")? };
        return Ok(Named::Id(id));
    }
    // SAFETY: forwarded contract.
    let text = unsafe { F::text(name)? }.unwrap_or_default();
    Ok(match (list, text.is_empty()) {
        (true, _) => Named::All,
        (false, true) => {
            return Err(Error::new(JET_errColumnNotFound).with_detail("no column name"))
        }
        (false, false) => Named::Name(text),
    })
}

fn definition(column: &ColumnInfo, updatable: bool) -> JET_COLUMNDEF {
    JET_COLUMNDEF {
        cbStruct: std::mem::size_of::<JET_COLUMNDEF>() as ULONG,
        columnid: column.column_id,
        coltyp: column.coltyp,
        wCountry: COUNTRY_DEFAULT,
        langid: LANGID_DEFAULT,
        cp: code_page(column),
        wCollate: 0,
        cbMax: column.max_size,
        grbit: column.grbit | if updatable { JET_bitColumnUpdatable } else { 0 },
    }
}

fn base<F: Form>(column: &ColumnInfo, table: &str, updatable: bool) -> JET_COLUMNBASE<F::Char> {
    let def = definition(column, updatable);
    JET_COLUMNBASE {
        cbStruct: std::mem::size_of::<JET_COLUMNBASE<F::Char>>() as ULONG,
        columnid: def.columnid,
        coltyp: def.coltyp,
        wCountry: def.wCountry,
        langid: def.langid,
        cp: def.cp,
        wFiller: 0,
        cbMax: def.cbMax,
        grbit: def.grbit,
        szBaseTableName: F::fill(table),
        szBaseColumnName: F::fill(&column.name),
    }
}

/// The JET_COLUMNLIST's table: one row per column, sorted by name
/// (case-insensitively), or by column id with JET_ColInfoGrbitSortByColumnid
/// (as a signed Long, so a template's columns come first); with
/// JET_ColInfoGrbitMinimalInfo only the order, name and id are set; with
/// JET_ColInfoGrbitNonDerivedColumnsOnly a derived table's inherited
/// columns are left out. The name column is also the definition name.
fn column_list<F: Form>(
    mut columns: Vec<ColumnInfo>,
    table: &str,
    grbit: u32,
) -> (ListTable, JET_COLUMNLIST) {
    if grbit & JET_ColInfoGrbitNonDerivedColumnsOnly != 0 {
        columns.retain(|c| c.table_name == table);
    }
    let by_id = grbit & JET_ColInfoGrbitSortByColumnid != 0;
    if by_id {
        columns.sort_by_key(|c| c.column_id as i32);
    } else {
        columns.sort_by_cached_key(|c| c.name.to_lowercase());
    }
    let minimal = grbit & JET_ColInfoGrbitMinimalInfo != 0;
    let rows = columns
        .iter()
        .map(|c| {
            let order = by_id.then(|| c.column_id.to_le_bytes().to_vec());
            let row = Row::default()
                .bytes(order)
                .bytes(Some(F::column_text(&c.name)))
                .long(c.column_id);
            if minimal {
                return row
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .bytes(None)
                    .0;
            }
            row.long(c.coltyp)
                .short(COUNTRY_DEFAULT)
                .short(LANGID_DEFAULT)
                .short(code_page(c))
                .short(0)
                .long(c.max_size)
                .long(c.grbit)
                .bytes(c.default_value.clone().filter(|v| !v.is_empty()))
                .bytes(Some(F::column_text(table)))
                .bytes(Some(F::column_text(&c.name)))
                .0
        })
        .collect::<Vec<_>>();
    let list = ListTable::new(13, rows);
    let shape = JET_COLUMNLIST {
        cbStruct: std::mem::size_of::<JET_COLUMNLIST>() as ULONG,
        tableid: 0,
        cRecord: list.len() as ULONG,
        columnidPresentationOrder: 1,
        columnidcolumnname: 2,
        columnidcolumnid: 3,
        columnidcoltyp: 4,
        columnidCountry: 5,
        columnidLangid: 6,
        columnidCp: 7,
        columnidCollate: 8,
        columnidcbMax: 9,
        columnidgrbit: 10,
        columnidDefault: 11,
        columnidBaseTableName: 12,
        columnidBaseColumnName: 13,
        columnidDefinitionName: 2,
    };
    (list, shape)
}

/// Where the columns come from: the cursor's table or a table by name.
trait Columns {
    fn one(&mut self, named: &Named) -> Result<ColumnInfo>;
    fn all(&mut self) -> Result<Vec<ColumnInfo>>;
    fn table_name(&mut self) -> Result<String>;
    /// JET_bitColumnUpdatable is reported through a cursor only.
    fn updatable(&self) -> bool;
}

struct OfCursor<'a>(&'a mut ese::api::Cursor);

impl Columns for OfCursor<'_> {
    fn one(&mut self, named: &Named) -> Result<ColumnInfo> {
        match named {
            Named::Name(name) => self.0.get_table_column_info(name),
            Named::Id(id) => self.0.get_table_column_info_by_id(*id),
            Named::All => Err(no_single_column()),
        }
    }
    fn all(&mut self) -> Result<Vec<ColumnInfo>> {
        self.0.get_table_columns()
    }
    fn table_name(&mut self) -> Result<String> {
        Ok(self.0.get_table_info_no_stats()?.name)
    }
    fn updatable(&self) -> bool {
        true
    }
}

struct OfTable<'a> {
    session: &'a ese::api::Session,
    dbid: DbId,
    table: String,
}

impl Columns for OfTable<'_> {
    fn one(&mut self, named: &Named) -> Result<ColumnInfo> {
        match named {
            Named::Name(name) => self.session.get_column_info(self.dbid, &self.table, name),
            Named::Id(id) => self
                .session
                .get_column_info_by_id(self.dbid, &self.table, *id),
            Named::All => Err(no_single_column()),
        }
    }
    fn all(&mut self) -> Result<Vec<ColumnInfo>> {
        self.session.get_columns(self.dbid, &self.table)
    }
    fn table_name(&mut self) -> Result<String> {
        Ok(self.table.clone())
    }
    fn updatable(&self) -> bool {
        false
    }
}

/// Both calls once their source is known. A list is given to the session
/// as a new table.
///
/// # Safety
/// `name` and `out` as the calls document them.
unsafe fn column_info<F: Form>(
    sesid: JET_SESID,
    source: &mut dyn Columns,
    name: *const F::Char,
    out: *mut c_void,
    cbMax: ULONG,
    info_level: u32,
) -> Result<i32> {
    let (level, by_id) = level(info_level)?;
    let size = match level {
        Level::Definition => std::mem::size_of::<JET_COLUMNDEF>(),
        Level::Base => std::mem::size_of::<JET_COLUMNBASE<F::Char>>(),
        Level::List { .. } => std::mem::size_of::<JET_COLUMNLIST>(),
    };
    if out.is_null() {
        return Err(null("pvResult"));
    }
    if (cbMax as usize) < size {
        return Err(Error::new(JET_errBufferTooSmall).with_detail(format!(
            "the level's structure needs {size} bytes, cbMax is {cbMax}"
        )));
    }
    let list = matches!(level, Level::List { .. });
    // SAFETY: forwarded contract.
    let named = unsafe { named::<F>(name, by_id, list)? };
    match level {
        Level::Definition => {
            let column = source.one(&named)?;
            // SAFETY: the caller's buffer (crate contract); size checked.
            unsafe {
                give(
                    out,
                    cbMax,
                    definition(&column, source.updatable()),
                    "JET_COLUMNDEF",
                )?
            };
        }
        Level::Base => {
            let column = source.one(&named)?;
            let table = source.table_name()?;
            let value = base::<F>(&column, &table, source.updatable());
            // SAFETY: as above.
            unsafe { give(out, cbMax, value, "JET_COLUMNBASE")? };
        }
        Level::List { grbit } => {
            let table = source.table_name()?;
            let (list, mut shape) = column_list::<F>(source.all()?, &table, grbit);
            shape.tableid = handles::add_list(sesid, list);
            // SAFETY: as above.
            unsafe { give(out, cbMax, shape, "JET_COLUMNLIST")? };
        }
    }
    Ok(0)
}

unsafe fn table_column_info<F: Form>(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    name: *const F::Char,
    out: *mut c_void,
    cbMax: ULONG,
    info_level: u32,
) -> Result<i32> {
    let table = handles::table(sesid, tableid)?;
    let mut cursor = table.cursor()?;
    // SAFETY: forwarded contract.
    unsafe {
        column_info::<F>(
            sesid,
            &mut OfCursor(&mut cursor),
            name,
            out,
            cbMax,
            info_level,
        )
    }
}

unsafe fn get_column_info<F: Form>(
    sesid: JET_SESID,
    dbid: JET_DBID,
    table: *const F::Char,
    name: *const F::Char,
    out: *mut c_void,
    cbMax: ULONG,
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
    unsafe { column_info::<F>(sesid, &mut source, name, out, cbMax, info_level) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableColumnInfoA(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetTableColumnInfo", || {
        // SAFETY: forwarded contract.
        unsafe { table_column_info::<A>(sesid, tableid, szColumnName, pvResult, cbMax, InfoLevel) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableColumnInfoW(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const WCHAR,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetTableColumnInfo", || {
        // SAFETY: forwarded contract.
        unsafe { table_column_info::<W>(sesid, tableid, szColumnName, pvResult, cbMax, InfoLevel) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTableColumnInfo(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    szColumnName: *const c_char,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetTableColumnInfoA(sesid, tableid, szColumnName, pvResult, cbMax, InfoLevel) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetColumnInfoA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pColumnNameOrId: *const c_char,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetColumnInfo", || {
        // SAFETY: forwarded contract.
        unsafe {
            get_column_info::<A>(
                sesid,
                dbid,
                szTableName,
                pColumnNameOrId,
                pvResult,
                cbMax,
                InfoLevel,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetColumnInfoW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
    pwColumnNameOrId: *const WCHAR,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    call("JetGetColumnInfo", || {
        // SAFETY: forwarded contract.
        unsafe {
            get_column_info::<W>(
                sesid,
                dbid,
                szTableName,
                pwColumnNameOrId,
                pvResult,
                cbMax,
                InfoLevel,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetColumnInfo(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pColumnNameOrId: *const c_char,
    pvResult: *mut c_void,
    cbMax: ULONG,
    InfoLevel: ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetGetColumnInfoA(
            sesid,
            dbid,
            szTableName,
            pColumnNameOrId,
            pvResult,
            cbMax,
            InfoLevel,
        )
    }
}
