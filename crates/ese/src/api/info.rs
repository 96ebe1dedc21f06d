//! Schema and database information (ESE: JetGetTableColumnInfo,
//! JetGetColumnInfo, JetGetTableIndexInfo, JetGetIndexInfo,
//! JetGetTableInfo, JetGetObjectInfo, JetGetDatabaseInfo), from the schema
//! cache, with the catalog's flags turned back into JET_bit options.

use std::path::PathBuf;

use crate::catalog::{column_flags, index_flags, table_flags, ColumnDef, IndexDef, TableDef};
use crate::codes::*;
use crate::cursor::Cursor;
use crate::database::DbId;
use crate::grbit::*;
use crate::instance::session::Session;
use crate::{Error, Result};

/// JET_COLUMNDEF / JET_COLUMNBASE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnInfo {
    pub column_id: u32,
    pub name: String,
    pub coltyp: u32,
    pub code_page: u32,
    pub max_size: u32,
    /// JET_bitColumn* options.
    pub grbit: u32,
    pub default_value: Option<Vec<u8>>,
    /// The table the column is defined in (its template for inherited
    /// columns).
    pub table_name: String,
}

/// One key column of an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexSegmentInfo {
    pub column_id: u32,
    pub column_name: String,
    pub descending: bool,
}

/// What JetGetIndexInfo says of an index (the rows of its JET_INDEXLIST).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexInfo {
    pub name: String,
    /// JET_bitIndex* options.
    pub grbit: u32,
    pub segments: Vec<IndexSegmentInfo>,
    pub density: u32,
    pub key_most: u32,
    pub lcmap_flags: u32,
    pub locale: Option<String>,
    /// Entries in the index (JET_INDEXLIST's cEntry, counted).
    pub entries: u64,
}

/// JET_OBJECTINFO and the JET_TblInfo answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo {
    pub name: String,
    /// JET_bitObject* flags (template, derived, fixed DDL).
    pub flags: u32,
    pub template_table: Option<String>,
    pub records: u64,
    pub pages: u32,
    pub density: u32,
    pub columns: usize,
    pub indexes: usize,
}

/// JetGetDatabaseInfo's answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseInfo {
    pub path: PathBuf,
    pub page_size: usize,
    /// Database pages in the file (JET_DbInfoSpaceOwned).
    pub pages: u32,
    pub read_only: bool,
}

fn column_grbit(column: &ColumnDef) -> u32 {
    let mut grbit = match column.placement() {
        crate::catalog::Placement::Fixed => JET_bitColumnFixed,
        crate::catalog::Placement::Tagged => JET_bitColumnTagged,
        crate::catalog::Placement::Variable => 0,
    };
    for (flag, bit) in [
        (column_flags::NOT_NULL, JET_bitColumnNotNULL),
        (column_flags::VERSION, JET_bitColumnVersion),
        (column_flags::AUTOINCREMENT, JET_bitColumnAutoincrement),
        (column_flags::MULTI_VALUED, JET_bitColumnMultiValued),
        (column_flags::ESCROW_UPDATE, JET_bitColumnEscrowUpdate),
        (column_flags::FINALIZE, JET_bitColumnFinalize),
        (
            column_flags::USER_DEFINED_DEFAULT,
            JET_bitColumnUserDefinedDefault,
        ),
        (column_flags::DELETE_ON_ZERO, JET_bitColumnDeleteOnZero),
        (column_flags::COMPRESSED, JET_bitColumnCompressed),
    ] {
        if column.flags & flag != 0 {
            grbit |= bit;
        }
    }
    grbit
}

fn column_info(table: &TableDef, column: &ColumnDef) -> ColumnInfo {
    ColumnInfo {
        column_id: table.column_id_of(column),
        name: column.name.clone(),
        coltyp: column.coltyp,
        code_page: column.code_page,
        max_size: column.max_size,
        grbit: column_grbit(column),
        default_value: column.default_value.clone(),
        table_name: if column.from_template {
            table.template_name.clone().unwrap_or_default()
        } else {
            table.name.clone()
        },
    }
}

fn index_grbit(index: &IndexDef) -> u32 {
    let flags = index.flags;
    let mut grbit = 0;
    if flags & index_flags::UNIQUE != 0 {
        grbit |= JET_bitIndexUnique;
    }
    if flags & index_flags::PRIMARY != 0 {
        grbit |= JET_bitIndexPrimary;
    }
    if flags & index_flags::NO_NULL_SEGMENT != 0 {
        grbit |= JET_bitIndexDisallowNull;
    }
    if flags & index_flags::ALLOW_SOME_NULL == 0 {
        grbit |= JET_bitIndexIgnoreAnyNull;
    } else {
        if flags & index_flags::ALLOW_ALL_NULL == 0 {
            grbit |= JET_bitIndexIgnoreNull;
        }
        if flags & index_flags::ALLOW_FIRST_NULL == 0 {
            grbit |= JET_bitIndexIgnoreFirstNull;
        }
    }
    for (flag, bit) in [
        (index_flags::SORT_NULLS_HIGH, JET_bitIndexSortNullsHigh),
        (index_flags::LOCALE_SET, JET_bitIndexUnicode),
        (index_flags::CROSS_PRODUCT, JET_bitIndexCrossProduct),
        (
            index_flags::DISALLOW_TRUNCATION,
            JET_bitIndexDisallowTruncation,
        ),
        (index_flags::NESTED_TABLE, JET_bitIndexNestedTable),
        (index_flags::DOTNET_GUID, JET_bitIndexDotNetGuid),
    ] {
        if flags & flag != 0 {
            grbit |= bit;
        }
    }
    if index.tuple_limits.is_some() {
        grbit |= JET_bitIndexTuples;
    }
    grbit
}

fn index_info(
    cursor_or_session: &InfoSource<'_>,
    table: &TableDef,
    index: &IndexDef,
) -> Result<IndexInfo> {
    let tree = if index.is_primary() {
        table.tree()
    } else {
        index.tree()
    };
    let _access = cursor_or_session.database.read_access();
    let pages = cursor_or_session.database.pages();
    let mut entries = 0u64;
    for entry in tree.entries(&pages) {
        entry?;
        entries += 1;
    }
    Ok(IndexInfo {
        name: index.name.clone(),
        grbit: index_grbit(index),
        segments: index
            .segments
            .iter()
            .map(|s| {
                let column = table.column_by_stored(s.column_id, s.from_template);
                IndexSegmentInfo {
                    column_id: column.map_or(s.column_id, |c| table.column_id_of(c)),
                    column_name: column.map(|c| c.name.clone()).unwrap_or_default(),
                    descending: s.descending,
                }
            })
            .collect(),
        density: index.density,
        key_most: u32::from(index.key_most),
        lcmap_flags: index.lcmap_flags,
        locale: index.locale_name.clone(),
        entries,
    })
}

struct InfoSource<'a> {
    database: &'a crate::database::Database,
}

fn table_info(source: &InfoSource<'_>, table: &TableDef) -> Result<TableInfo> {
    let mut info = table_info_no_stats(table);
    let _access = source.database.read_access();
    let pages = source.database.pages();
    for entry in table.tree().entries(&pages) {
        entry?;
        info.records += 1;
    }
    Ok(info)
}

/// A table's description without its record count (JET_ObjInfoNoStats):
/// the catalog's flags (ESE's MSO_Flags, which are the JET_bitObject*
/// bits) and its initial pages.
fn table_info_no_stats(table: &TableDef) -> TableInfo {
    TableInfo {
        name: table.name.clone(),
        flags: table.flags
            & (table_flags::SYSTEM
                | table_flags::FIXED_DDL
                | table_flags::TEMPLATE
                | table_flags::DERIVED
                | table_flags::SYSTEM_DYNAMIC
                | table_flags::NO_FIXED_VAR_IN_DERIVED),
        template_table: table.template_name.clone(),
        records: 0,
        pages: table.initial_pages,
        density: table.density,
        columns: table.columns.iter().filter(|c| !c.is_deleted()).count(),
        indexes: table.indexes.len(),
    }
}

fn find_column<'t>(table: &'t TableDef, column: &str) -> Result<&'t ColumnDef> {
    table
        .column_by_name(column)
        .filter(|c| !c.is_deleted())
        .ok_or_else(|| Error::new(JET_errColumnNotFound).with_detail(format!("{column:?}")))
}

fn indexes_named<'t>(table: &'t TableDef, name: Option<&str>) -> Result<Vec<&'t IndexDef>> {
    match name.filter(|n| !n.is_empty()) {
        None => Ok(table.indexes.iter().collect()),
        Some(name) => table
            .index_by_name(name)
            .map(|i| vec![i])
            .ok_or_else(|| Error::new(JET_errIndexNotFound).with_detail(format!("{name:?}"))),
    }
}

impl Cursor {
    /// JetGetTableColumnInfo for one column, by name.
    pub fn get_table_column_info(&mut self, column: &str) -> Result<ColumnInfo> {
        let _call = self.session.enter()?;
        self.refresh()?;
        Ok(column_info(&self.table, find_column(&self.table, column)?))
    }

    /// JetGetTableColumnInfo by column id.
    pub fn get_table_column_info_by_id(&mut self, column_id: u32) -> Result<ColumnInfo> {
        let _call = self.session.enter()?;
        self.refresh()?;
        let column = self
            .table
            .column(column_id)
            .filter(|c| !c.is_deleted())
            .ok_or_else(|| Error::new(JET_errColumnNotFound))?;
        Ok(column_info(&self.table, column))
    }

    /// JetGetTableColumnInfo with JET_ColInfoList: every column.
    pub fn get_table_columns(&mut self) -> Result<Vec<ColumnInfo>> {
        let _call = self.session.enter()?;
        self.refresh()?;
        Ok(self
            .table
            .columns
            .iter()
            .filter(|c| !c.is_deleted())
            .map(|c| column_info(&self.table, c))
            .collect())
    }

    /// JetGetTableIndexInfo: one index by name, or every index (None).
    pub fn get_table_index_info(&mut self, index: Option<&str>) -> Result<Vec<IndexInfo>> {
        let _call = self.session.enter()?;
        self.refresh()?;
        let source = InfoSource {
            database: &self.database,
        };
        indexes_named(&self.table, index)?
            .into_iter()
            .map(|i| index_info(&source, &self.table, i))
            .collect()
    }

    /// [`Self::get_table_info`] without counting the records (`records`
    /// is 0): the name, flags, template and space hints, at no cost
    /// growing with the table.
    pub fn get_table_info_no_stats(&mut self) -> Result<TableInfo> {
        let _call = self.session.enter()?;
        self.refresh()?;
        Ok(table_info_no_stats(&self.table))
    }

    /// JetGetTableInfo with JET_TblInfoDbid: the handle of the cursor's
    /// database.
    pub fn get_table_dbid(&self) -> Result<DbId> {
        self.session.dbid_of(&self.database).ok_or_else(|| {
            Error::new(JET_errInvalidDatabaseId).with_detail("the database was closed")
        })
    }

    /// Whether updates through the cursor are allowed (JET_OBJECTINFO's
    /// JET_bitTableInfoUpdatable): not for a read-only cursor or database.
    pub fn is_updatable(&self) -> bool {
        !self.read_only && !self.database.is_read_only()
    }

    /// JetGetTableInfo (JET_TblInfo, JET_TblInfoName, ...).
    pub fn get_table_info(&mut self) -> Result<TableInfo> {
        let _call = self.session.enter()?;
        self.refresh()?;
        table_info(
            &InfoSource {
                database: &self.database,
            },
            &self.table,
        )
    }
}

impl Session {
    fn table_def(
        &self,
        dbid: DbId,
        table: &str,
    ) -> Result<(std::sync::Arc<crate::database::Database>, TableDef)> {
        let database = self.database(dbid)?;
        let def = database.schema().table(table).cloned().ok_or_else(|| {
            Error::new(JET_errObjectNotFound).with_detail(format!("no table named {table:?}"))
        })?;
        Ok((database, def))
    }

    /// JetGetColumnInfo.
    pub fn get_column_info(&self, dbid: DbId, table: &str, column: &str) -> Result<ColumnInfo> {
        let _call = self.enter()?;
        let (_, def) = self.table_def(dbid, table)?;
        Ok(column_info(&def, find_column(&def, column)?))
    }

    /// JetGetColumnInfo with JET_ColInfoList: every column of `table`.
    pub fn get_columns(&self, dbid: DbId, table: &str) -> Result<Vec<ColumnInfo>> {
        let _call = self.enter()?;
        let (_, def) = self.table_def(dbid, table)?;
        Ok(def
            .columns
            .iter()
            .filter(|c| !c.is_deleted())
            .map(|c| column_info(&def, c))
            .collect())
    }

    /// JetGetColumnInfo by column id (JET_ColInfoByColid).
    pub fn get_column_info_by_id(
        &self,
        dbid: DbId,
        table: &str,
        column_id: u32,
    ) -> Result<ColumnInfo> {
        let _call = self.enter()?;
        let (_, def) = self.table_def(dbid, table)?;
        let column = def
            .column(column_id)
            .filter(|c| !c.is_deleted())
            .ok_or_else(|| Error::new(JET_errColumnNotFound))?;
        Ok(column_info(&def, column))
    }

    /// JetGetIndexInfo: one index by name, or every index (None).
    pub fn get_index_info(
        &self,
        dbid: DbId,
        table: &str,
        index: Option<&str>,
    ) -> Result<Vec<IndexInfo>> {
        let _call = self.enter()?;
        let (database, def) = self.table_def(dbid, table)?;
        let source = InfoSource {
            database: &database,
        };
        indexes_named(&def, index)?
            .into_iter()
            .map(|i| index_info(&source, &def, i))
            .collect()
    }

    /// JetGetObjectInfo for a table.
    pub fn get_object_info(&self, dbid: DbId, table: &str) -> Result<TableInfo> {
        let _call = self.enter()?;
        let (database, def) = self.table_def(dbid, table)?;
        table_info(
            &InfoSource {
                database: &database,
            },
            &def,
        )
    }

    /// JetGetObjectInfo's lists (JET_ObjInfoList, JET_ObjInfoListNoStats):
    /// every table of the catalog, system tables too, in catalog order;
    /// with `stats`, each one's records counted.
    pub fn get_object_list(&self, dbid: DbId, stats: bool) -> Result<Vec<TableInfo>> {
        let _call = self.enter()?;
        let database = self.database(dbid)?;
        let schema = database.schema();
        let source = InfoSource {
            database: &database,
        };
        schema
            .catalog
            .tables
            .iter()
            .map(|t| {
                if stats {
                    table_info(&source, t)
                } else {
                    Ok(table_info_no_stats(t))
                }
            })
            .collect()
    }

    /// JetGetObjectInfo with JET_ObjInfoListNoStats: every user table's
    /// name, in catalog order.
    pub fn table_names(&self, dbid: DbId) -> Result<Vec<String>> {
        let _call = self.enter()?;
        let database = self.database(dbid)?;
        Ok(database
            .schema()
            .catalog
            .tables
            .iter()
            .filter(|t| t.flags & table_flags::SYSTEM == 0 && !t.name.starts_with("MSys"))
            .map(|t| t.name.clone())
            .collect())
    }

    /// JetGetDatabaseInfo with JET_DbInfoMisc: the database's header as
    /// the instance keeps it (what it last wrote or will write).
    pub fn get_database_header(&self, dbid: DbId) -> Result<ese_format::header::DatabaseHeader> {
        let _call = self.enter()?;
        self.database(dbid)?.header().ok_or_else(|| {
            Error::new(JET_errDatabaseNotFound).with_detail("the database is detached")
        })
    }

    /// JetGetDatabaseInfo.
    pub fn get_database_info(&self, dbid: DbId) -> Result<DatabaseInfo> {
        let _call = self.enter()?;
        use crate::storage::page_source::PageSource;
        let database = self.database(dbid)?;
        Ok(DatabaseInfo {
            path: database.path().to_path_buf(),
            page_size: database.page_size(),
            pages: database.pages().last_page(),
            read_only: database.is_read_only(),
        })
    }
}
