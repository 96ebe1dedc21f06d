//! Data definition (ESE: JetCreateTable, JetCreateTableColumnIndex,
//! JetAddColumn): column checks and placement, and the table's catalog rows
//! and tree. What the calls take (JET_TABLECREATE, JET_COLUMNCREATE,
//! JET_INDEXCREATE) is in `definitions.rs`, indexes in `schema_index.rs`,
//! changes and removals in `schema_change.rs`.

use ese_format::constants::*;
use ese_format::record::{FIRST_TAGGED_COLUMN, FIRST_VARIABLE_COLUMN, LAST_COLUMN_ID};

use crate::catalog::create::CatalogRow;
use crate::catalog::{column_flags, row_type, table_flags, ColumnDef, TableDef};
use crate::codes::*;
use crate::database::Database;
use crate::ddl::definitions::*;
use crate::ddl::rows::{table_named, write_rows};
use crate::ddl::schema_index::{add_index, check_indexes, inherit_indexes};
use crate::grbit::*;
use crate::record::values::fixed_type_size;
use crate::record::values::is_long_type;
use crate::{Error, Result};

/// What placing new columns needs to know of a table's columns, gathered
/// once so that adding many columns costs time per column, not per pair.
pub struct ColumnPlanner {
    names: std::collections::HashSet<String>,
    /// The last fixed column of the table's own: (id, offset, size).
    last_fixed: Option<(u32, u32, u32)>,
    last_variable: Option<u32>,
    last_tagged: Option<u32>,
    has_autoincrement: bool,
    has_version: bool,
}

impl ColumnPlanner {
    pub fn new(existing: &[ColumnDef]) -> Self {
        let mut planner = ColumnPlanner {
            names: std::collections::HashSet::new(),
            last_fixed: None,
            last_variable: None,
            last_tagged: None,
            has_autoincrement: false,
            has_version: false,
        };
        for column in existing {
            planner.add(column);
        }
        planner
    }

    fn add(&mut self, column: &ColumnDef) {
        // A deleted column keeps its id and its place in the record: new
        // columns come after it, but its name is free again.
        if !column.is_deleted() {
            self.names.insert(column.name.to_ascii_lowercase());
        }
        self.has_autoincrement |= column.flags & column_flags::AUTOINCREMENT != 0;
        self.has_version |= column.flags & column_flags::VERSION != 0;
        // A derived table's own fixed and variable columns come after its
        // template's; its own tagged columns count from 256 again.
        if column.from_template && column.id >= FIRST_TAGGED_COLUMN {
            return;
        }
        if column.id < FIRST_VARIABLE_COLUMN {
            if self.last_fixed.is_none_or(|(id, _, _)| column.id > id) {
                let offset = u32::from(column.record_offset.unwrap_or(4));
                self.last_fixed = Some((column.id, offset, column.max_size));
            }
        } else if column.id < FIRST_TAGGED_COLUMN {
            self.last_variable = Some(self.last_variable.map_or(column.id, |l| l.max(column.id)));
        } else {
            self.last_tagged = Some(self.last_tagged.map_or(column.id, |l| l.max(column.id)));
        }
    }

    /// Checks and places one more column, and counts it as existing.
    pub fn plan(&mut self, create: &ColumnCreate) -> Result<ColumnDef> {
        let column = plan_column(self, create)?;
        self.add(&column);
        Ok(column)
    }
}

/// A column definition checked and placed: the catalog's form of a
/// JET_COLUMNCREATE, given the columns the table already has.
fn plan_column(existing: &ColumnPlanner, create: &ColumnCreate) -> Result<ColumnDef> {
    check_name(&create.name)?;
    if existing.names.contains(&create.name.to_ascii_lowercase()) {
        return Err(Error::new(JET_errColumnDuplicate).with_detail(create.name.clone()));
    }
    let coltyp = create.coltyp;
    let grbit = create.grbit;
    let invalid = |code: i32, detail: &str| {
        Err(Error::new(code).with_detail(format!("column {:?}: {detail}", create.name)))
    };
    if coltyp == JET_coltypNil || coltyp >= JET_coltypMax {
        return invalid(JET_errInvalidColumnType, "unknown column type");
    }
    let known = JET_bitColumnFixed
        | JET_bitColumnTagged
        | JET_bitColumnNotNULL
        | JET_bitColumnVersion
        | JET_bitColumnAutoincrement
        | JET_bitColumnMultiValued
        | JET_bitColumnEscrowUpdate
        | JET_bitColumnUnversioned
        | JET_bitColumnMaybeNull
        | JET_bitColumnFinalize
        | JET_bitColumnUserDefinedDefault
        | JET_bitColumnDeleteOnZero
        | JET_bitColumnCompressed;
    if grbit & !known != 0 {
        return invalid(JET_errInvalidGrbit, "unknown JET_bitColumn options");
    }
    if grbit & JET_bitColumnFixed != 0 && grbit & JET_bitColumnTagged != 0 {
        return invalid(JET_errInvalidParameter, "both fixed and tagged");
    }
    let long = is_long_type(coltyp);
    if long && grbit & JET_bitColumnFixed != 0 {
        return invalid(JET_errInvalidParameter, "a long column cannot be fixed");
    }
    if grbit & JET_bitColumnUserDefinedDefault != 0 {
        return invalid(
            JET_errInvalidGrbit,
            "user-defined defaults need callbacks, which this engine does not run",
        );
    }
    let counter = JET_bitColumnAutoincrement | JET_bitColumnVersion | JET_bitColumnEscrowUpdate;
    if (grbit & counter).count_ones() > 1 {
        return invalid(
            JET_errInvalidParameter,
            "autoincrement, version and escrow update exclude each other",
        );
    }
    let tagged_wanted = grbit & (JET_bitColumnTagged | JET_bitColumnMultiValued) != 0 || long;
    if grbit & JET_bitColumnAutoincrement != 0 {
        if !matches!(
            coltyp,
            JET_coltypLong | JET_coltypCurrency | JET_coltypLongLong
        ) {
            return invalid(
                JET_errInvalidColumnType,
                "an autoincrement column must be Long, Currency or LongLong",
            );
        }
        if tagged_wanted {
            return invalid(
                JET_errCannotBeTagged,
                "an autoincrement column cannot be tagged",
            );
        }
        if existing.has_autoincrement {
            return invalid(
                JET_errColumnRedundant,
                "the table has an autoincrement column",
            );
        }
    }
    if grbit & (JET_bitColumnVersion | JET_bitColumnEscrowUpdate) != 0 {
        if coltyp != JET_coltypLong {
            return invalid(
                JET_errInvalidColumnType,
                "version and escrow columns are Long",
            );
        }
        if tagged_wanted {
            return invalid(
                JET_errCannotBeTagged,
                "version and escrow columns cannot be tagged",
            );
        }
    }
    if grbit & JET_bitColumnVersion != 0 && existing.has_version {
        return invalid(JET_errColumnRedundant, "the table has a version column");
    }
    if grbit & JET_bitColumnEscrowUpdate != 0 && create.default_value.is_none() {
        return invalid(
            JET_errInvalidParameter,
            "an escrow update column needs a default",
        );
    }
    if grbit & JET_bitColumnCompressed != 0 && !long {
        return invalid(
            JET_errColumnCannotBeCompressed,
            "only LongText and LongBinary columns can be compressed",
        );
    }
    let fixed_size = fixed_type_size(coltyp);
    let max_size = match fixed_size {
        Some(size) => size,
        None if long => create.max_size,
        None => {
            if create.max_size > 255 {
                return invalid(
                    JET_errInvalidParameter,
                    "Text and Binary columns hold at most 255 bytes (use LongText / LongBinary)",
                );
            }
            if create.max_size == 0 {
                255
            } else {
                create.max_size
            }
        }
    };
    let code_page = if matches!(coltyp, JET_coltypText | JET_coltypLongText) {
        match create.code_page {
            0 | 1252 => 1252,
            1200 => 1200,
            20127 => 20127,
            other => {
                return Err(Error::new(JET_errInvalidCodePage)
                    .with_detail(format!("column {:?}: code page {other}", create.name)))
            }
        }
    } else {
        0
    };
    if let Some(default) = &create.default_value {
        if let Some(size) = fixed_size {
            if default.len() != size as usize {
                return invalid(JET_errInvalidBufferSize, "the default value's size");
            }
        } else if max_size != 0 && default.len() > max_size as usize {
            return invalid(JET_errDefaultValueTooBig, "the default value is too long");
        }
    }
    // Placement: fixed-size types are fixed unless tagged; text and binary
    // are variable unless fixed or tagged; long types are tagged.
    let placement_fixed =
        !tagged_wanted && (fixed_size.is_some() || grbit & JET_bitColumnFixed != 0);
    let placement_tagged = tagged_wanted;
    let (id, record_offset) = if placement_fixed {
        let last = existing.last_fixed;
        let id = last.map_or(1, |(id, _, _)| id + 1);
        if id >= FIRST_VARIABLE_COLUMN {
            return Err(Error::new(JET_errTooManyColumns)
                .with_detail("a table holds at most 127 fixed columns"));
        }
        let offset = last.map_or(4, |(_, offset, size)| offset + size);
        if offset + max_size > u32::from(u16::MAX) {
            return Err(
                Error::new(JET_errRecordTooBig).with_detail("the fixed columns exceed a record")
            );
        }
        (id, Some(offset as u16))
    } else if placement_tagged {
        let id = existing
            .last_tagged
            .map_or(FIRST_TAGGED_COLUMN, |id| id + 1);
        if id > LAST_COLUMN_ID {
            return Err(Error::new(JET_errTooManyColumns));
        }
        (id, None)
    } else {
        let id = existing
            .last_variable
            .map_or(FIRST_VARIABLE_COLUMN, |id| id + 1);
        if id >= FIRST_TAGGED_COLUMN {
            return Err(Error::new(JET_errTooManyColumns)
                .with_detail("a table holds at most 128 variable columns"));
        }
        (id, None)
    };
    let mut flags = 0;
    for (bit, flag) in [
        (JET_bitColumnNotNULL, column_flags::NOT_NULL),
        (JET_bitColumnVersion, column_flags::VERSION),
        (JET_bitColumnAutoincrement, column_flags::AUTOINCREMENT),
        (JET_bitColumnMultiValued, column_flags::MULTI_VALUED),
        (JET_bitColumnEscrowUpdate, column_flags::ESCROW_UPDATE),
        (JET_bitColumnFinalize, column_flags::FINALIZE),
        (JET_bitColumnDeleteOnZero, column_flags::DELETE_ON_ZERO),
        (JET_bitColumnCompressed, column_flags::COMPRESSED),
    ] {
        if grbit & bit != 0 {
            flags |= flag;
        }
    }
    if create.default_value.is_some() {
        flags |= column_flags::DEFAULT_VALUE;
    }
    Ok(ColumnDef {
        id,
        name: create.name.clone(),
        coltyp,
        max_size,
        flags,
        code_page,
        record_offset,
        default_value: create.default_value.clone(),
        from_template: false,
    })
}

/// The catalog row of a column.
fn column_row(table_id: u32, column: &ColumnDef) -> CatalogRow {
    CatalogRow {
        objid_table: table_id as i32,
        row_type: row_type::COLUMN,
        id: column.id as i32,
        coltyp_or_pgno_fdp: column.coltyp as i32,
        space_usage: column.max_size as i32,
        flags: column.flags,
        pages_or_locale: column.code_page as i32,
        record_offset: column.record_offset.map(|o| o as i16),
        name: column.name.clone(),
        default_value: column.default_value.clone(),
        ..Default::default()
    }
}

/// JetCreateTableColumnIndex: the table, its columns and its indexes.
pub fn create_table(database: &Database, create: &mut TableCreate) -> Result<()> {
    check_name(&create.name)?;
    let known = JET_bitTableCreateFixedDDL
        | JET_bitTableCreateTemplateTable
        | JET_bitTableCreateNoFixedVarColumnsInDerivedTables
        | JET_bitTableCreateImmutableStructure;
    if create.grbit & !known != 0 {
        return Err(Error::new(JET_errInvalidGrbit).with_detail("JetCreateTable options"));
    }
    let density = match create.density {
        0 => DEFAULT_DENSITY,
        d if (20..=100).contains(&d) => d,
        d => return Err(Error::new(JET_errDensityInvalid).with_detail(format!("{d}%"))),
    };
    let schema = database.schema();
    if schema.table(&create.name).is_some() {
        return Err(Error::new(JET_errTableDuplicate).with_detail(create.name.clone()));
    }
    let mut table_flags_value = 0;
    let template: Option<TableDef> = match &create.template_table {
        Some(name) => {
            let template = schema.table(name).ok_or_else(|| {
                Error::new(JET_errObjectNotFound).with_detail(format!("template table {name:?}"))
            })?;
            if !template.is_template() {
                return Err(Error::new(JET_errDDLNotInheritable)
                    .with_detail(format!("{name:?} is not a template table")));
            }
            if create.grbit & JET_bitTableCreateTemplateTable != 0 {
                return Err(Error::new(JET_errInvalidParameter)
                    .with_detail("a template table cannot derive from another"));
            }
            table_flags_value |= table_flags::DERIVED;
            Some(template.clone())
        }
        None => None,
    };
    if create.grbit & JET_bitTableCreateNoFixedVarColumnsInDerivedTables != 0 {
        // ESE refuses it too: never implemented there.
        return Err(Error::new(JET_errInvalidGrbit)
            .with_detail("JET_bitTableCreateNoFixedVarColumnsInDerivedTables is not supported"));
    }
    if create.grbit & JET_bitTableCreateTemplateTable != 0 {
        table_flags_value |= table_flags::TEMPLATE | table_flags::FIXED_DDL;
    }
    if create.grbit & JET_bitTableCreateFixedDDL != 0 {
        table_flags_value |= table_flags::FIXED_DDL;
    }
    let is_template = create.grbit & JET_bitTableCreateTemplateTable != 0;
    if let Some(template) = &template {
        let has_primary = template.primary_index().is_some();
        if has_primary
            && create
                .indexes
                .iter()
                .any(|i| i.grbit & JET_bitIndexPrimary != 0)
        {
            return Err(Error::new(JET_errIndexHasPrimary)
                .with_detail("the template table gives the derived table its primary index"));
        }
    }
    // Plan every column before writing anything.
    let mut columns: Vec<ColumnDef> = template
        .as_ref()
        .map(|t| {
            t.columns
                .iter()
                .map(|c| ColumnDef {
                    from_template: true,
                    ..c.clone()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut own = Vec::with_capacity(create.columns.len());
    let mut planner = ColumnPlanner::new(&columns);
    for column in &mut create.columns {
        let mut planned = planner.plan(column)?;
        if is_template {
            // ESE marks every column of a template table so (ESE:
            // ffieldTemplateColumnESE98); its column ids carry the template
            // bit.
            planned.flags |= column_flags::TEMPLATE_COLUMN_ESE98;
            column.column_id = planned.id | crate::catalog::TEMPLATE_COLUMN_BIT;
        } else {
            column.column_id = planned.id;
        }
        columns.push(planned.clone());
        own.push(planned);
    }
    // Every index is checked before anything is written: a refused
    // definition leaves nothing behind, as JetCreateTableColumnIndex does.
    let provisional = TableDef {
        object_id: 0,
        name: create.name.clone(),
        root_page: 0,
        density,
        initial_pages: create.pages,
        flags: table_flags_value,
        template_name: create.template_table.clone(),
        columns: columns.clone(),
        indexes: template
            .as_ref()
            .map(|t| t.indexes.clone())
            .unwrap_or_default(),
        long_values: None,
        lv_chunk_max: None,
        separate_lv_threshold: None,
        column_ids: Default::default(),
    };
    check_indexes(&provisional, &create.indexes, database.page_size())?;

    let mut guard = database.write()?;
    let pages = if create.pages == 0 { 1 } else { create.pages };
    let (root, object_id, _) = guard.state().space.create_tree(
        crate::storage::space::ROOT_PAGE,
        pages,
        0,
        false,
        false,
    )?;
    let mut table = TableDef {
        object_id,
        name: create.name.clone(),
        root_page: root,
        density,
        initial_pages: create.pages,
        flags: table_flags_value,
        template_name: create.template_table.clone(),
        columns: columns.clone(),
        indexes: Vec::new(),
        long_values: None,
        lv_chunk_max: None,
        separate_lv_threshold: None,
        column_ids: Default::default(),
    };
    let table_row = CatalogRow {
        objid_table: object_id as i32,
        row_type: row_type::TABLE,
        id: object_id as i32,
        coltyp_or_pgno_fdp: root as i32,
        space_usage: density as i32,
        flags: table_flags_value,
        pages_or_locale: create.pages as i32,
        root_flag: Some(true),
        name: create.name.clone(),
        template_table: create.template_table.clone(),
        ..Default::default()
    };
    let outcome = (|| -> Result<()> {
        write_rows(&mut guard, database, &[table_row])?;
        let rows: Vec<CatalogRow> = own.iter().map(|c| column_row(object_id, c)).collect();
        write_rows(&mut guard, database, &rows)?;
        create.created = 1 + own.len() as u32;
        if let Some(template) = &template {
            inherit_indexes(&mut guard, database, &mut table, template)?;
        }
        for index in &create.indexes {
            add_index(&mut guard, database, &mut table, index)?;
            create.created += 1;
        }
        Ok(())
    })();
    guard.schema_changed()?;
    drop(guard);
    if outcome.is_err() && database.schema().table(&create.name).is_some() {
        // A failure after the first write (a full disk, a damaged page):
        // take back what was written, as far as it goes.
        let _ = crate::ddl::schema_change::delete_table(database, &create.name);
    }
    outcome
}

/// JetAddColumn: returns the new column's id. `permit_ddl`: the cursor was
/// opened with JET_bitTablePermitDDL (a fixed-DDL table then takes new
/// columns; a template table only tagged ones).
pub fn add_column(
    database: &Database,
    table_name: &str,
    create: &ColumnCreate,
    permit_ddl: bool,
) -> Result<u32> {
    let table = table_named(database, table_name)?;
    if table.flags & table_flags::FIXED_DDL != 0 && !permit_ddl {
        return Err(Error::new(JET_errFixedDDL).with_detail(table.name.clone()));
    }
    let mut column = ColumnPlanner::new(&table.columns).plan(create)?;
    if table.is_template() {
        if column.placement() != crate::catalog::Placement::Tagged {
            // Derived tables number their own fixed and variable columns
            // after the template's: a template only ever gains tagged ones.
            return Err(Error::new(JET_errFixedDDL)
                .with_detail("a template table can only gain tagged columns"));
        }
        column.flags |= column_flags::TEMPLATE_COLUMN_ESE98;
    }
    if column.flags & column_flags::ESCROW_UPDATE != 0 {
        let pages = database.pages();
        if table.tree().entries(&pages).next().transpose()?.is_some() {
            return Err(Error::new(JET_errTableNotEmpty)
                .with_detail("an escrow update column can only be added to an empty table"));
        }
    }
    let mut guard = database.write()?;
    let outcome = write_rows(
        &mut guard,
        database,
        &[column_row(table.object_id, &column)],
    );
    guard.schema_changed()?;
    outcome.map(|()| table.column_id_of(&column))
}

/// JetCreateIndex (JetCreateIndex2 with several definitions).
pub fn create_indexes(
    database: &Database,
    table_name: &str,
    creates: &[IndexCreate],
    permit_ddl: bool,
) -> Result<()> {
    crate::ddl::schema_index::create_indexes(database, table_name, creates, permit_ddl)
}
