//! Changing and removing definitions (ESE: JetDeleteColumn,
//! JetRenameColumn, JetDeleteIndex, JetDeleteTable, JetRenameTable): the
//! stored catalog rows replaced or removed, and the pages of a removed
//! index or table given back.

use ese_format::constants::*;

use crate::catalog::create::CatalogRow;
use crate::catalog::write::CatalogWriter;
use crate::catalog::{column_flags, index_flags, row_type, table_flags, ColumnDef, TableDef};
use crate::codes::*;
use crate::database::Database;
use crate::ddl::definitions::check_name;
use crate::ddl::rows::{stored_row, table_named};
use crate::{Error, Result};

/// `JET_errFixedDDL` for tables whose definition may not change.
fn check_ddl_allowed(table: &TableDef) -> Result<()> {
    if table.flags & table_flags::FIXED_DDL != 0 {
        return Err(Error::new(JET_errFixedDDL).with_detail(table.name.clone()));
    }
    Ok(())
}

/// JetDeleteColumn: the column's catalog row stays, typed Nil and renamed
/// out of the way, as ESE keeps deleted columns: records written before
/// still hold its bytes at its place, which no new column may take.
/// Returns the column's catalog row before and after (for a rollback).
pub fn delete_column(
    database: &Database,
    table_name: &str,
    column_name: &str,
) -> Result<(CatalogRow, CatalogRow)> {
    let table = table_named(database, table_name)?;
    let column = live_column(&table, column_name)?;
    if column.from_template {
        return Err(Error::new(JET_errFixedInheritedDDL)
            .with_detail(format!("{column_name:?} belongs to the template table")));
    }
    check_ddl_allowed(&table)?;
    let in_index = table.indexes.iter().any(|i| {
        i.segments.iter().any(|s| s.column_id == column.id)
            || i.conditions.iter().any(|c| c.column_id == column.id)
    });
    if in_index {
        return Err(Error::new(JET_errColumnInUse)
            .with_detail(format!("an index uses column {column_name:?}")));
    }
    let mut guard = database.write()?;
    let outcome = (|| {
        let old = stored_row(database, table.object_id, row_type::COLUMN, column.id)?;
        let new = deleted_column_row(&old, column.id);
        let cache = database.cache().clone();
        let state = guard.state();
        CatalogWriter::new(&cache, database.id(), &mut state.space).replace(&old, &new)?;
        Ok((old, new))
    })();
    guard.schema_changed()?;
    outcome
}

/// Column `name` of `table`, not deleted; else `JET_errColumnNotFound`.
fn live_column(table: &TableDef, name: &str) -> Result<ColumnDef> {
    table
        .column_by_name(name)
        .filter(|c| !c.is_deleted())
        .cloned()
        .ok_or_else(|| Error::new(JET_errColumnNotFound).with_detail(name.to_string()))
}

/// A column's catalog row as a deletion leaves it (ESE keeps the column id
/// taken: the row stays, renamed, typeless, without default).
fn deleted_column_row(old: &CatalogRow, column_id: u32) -> CatalogRow {
    let mut new = old.clone();
    new.coltyp_or_pgno_fdp = JET_coltypNil as i32;
    new.name = format!("$deleted${column_id}");
    new.default_value = None;
    new.flags &= !column_flags::DEFAULT_VALUE;
    new
}

/// The catalog rows of column `column_name` before and after
/// [`delete_column`] (for the log's record of the deletion, made before
/// it); `JET_errColumnNotFound` when there is no such column.
pub(crate) fn column_deletion_rows(
    database: &Database,
    table_name: &str,
    column_name: &str,
) -> Result<(CatalogRow, CatalogRow)> {
    let table = table_named(database, table_name)?;
    let column = live_column(&table, column_name)?;
    let old = stored_row(database, table.object_id, row_type::COLUMN, column.id)?;
    let new = deleted_column_row(&old, column.id);
    Ok((old, new))
}

/// Puts catalog row `original` back in place of `current` (the rollback of
/// a column deletion).
pub fn restore_row(database: &Database, current: &CatalogRow, original: &CatalogRow) -> Result<()> {
    let mut guard = database.write()?;
    let outcome = {
        let cache = database.cache().clone();
        let state = guard.state();
        CatalogWriter::new(&cache, database.id(), &mut state.space).replace(current, original)
    };
    guard.schema_changed()?;
    outcome
}

/// JetDeleteIndex: the catalog row goes and the index's pages return to
/// the table.
pub fn delete_index(database: &Database, table_name: &str, index_name: &str) -> Result<()> {
    let table = table_named(database, table_name)?;
    let index = table
        .index_by_name(index_name)
        .cloned()
        .ok_or_else(|| Error::new(JET_errIndexNotFound).with_detail(index_name.to_string()))?;
    if index.is_primary() {
        return Err(Error::new(JET_errIndexMustStay)
            .with_detail("the primary (clustered) index cannot be deleted"));
    }
    if index.flags & index_flags::TEMPLATE_INDEX != 0 || table.is_template() {
        return Err(Error::new(JET_errFixedInheritedDDL).with_detail(index_name.to_string()));
    }
    check_ddl_allowed(&table)?;
    let mut guard = database.write()?;
    let outcome = (|| {
        let row = stored_row(database, table.object_id, row_type::INDEX, index.object_id)?;
        let cache = database.cache().clone();
        let state = guard.state();
        CatalogWriter::new(&cache, database.id(), &mut state.space).delete(&row)?;
        state.space.free_tree(table.root_page, index.root_page)
    })();
    guard.schema_changed()?;
    outcome
}

/// JetDeleteTable: every catalog row of the table goes and its pages (its
/// indexes' and long values' included) return to the database.
pub fn delete_table(database: &Database, name: &str) -> Result<()> {
    delete_table_with(database, name, false)
}

/// [`delete_table`]; `ignore_cursors` for the rollback of a table created
/// in the transaction, whose cursors the rollback closed.
pub fn delete_table_with(database: &Database, name: &str, ignore_cursors: bool) -> Result<()> {
    let table = table_named(database, name)?;
    if table.flags & table_flags::SYSTEM != 0 || table.name.starts_with("MSys") {
        return Err(Error::new(JET_errCannotDeleteSystemTable).with_detail(name.to_string()));
    }
    if table.is_template() {
        return Err(Error::new(JET_errCannotDeleteTemplateTable).with_detail(name.to_string()));
    }
    if !ignore_cursors && database.cursors_on(table.object_id) > 0 {
        return Err(Error::new(JET_errTableInUse)
            .with_detail(format!("a cursor is open on table {name:?}")));
    }
    let mut guard = database.write()?;
    let outcome = (|| {
        let mut rows = vec![stored_row(
            database,
            table.object_id,
            row_type::TABLE,
            table.object_id,
        )?];
        for column in table.columns.iter().filter(|c| !c.from_template) {
            rows.push(stored_row(
                database,
                table.object_id,
                row_type::COLUMN,
                column.id,
            )?);
        }
        for index in &table.indexes {
            let id = if index.is_primary() {
                table.object_id
            } else {
                index.object_id
            };
            if let Ok(row) = stored_row(database, table.object_id, row_type::INDEX, id) {
                rows.push(row);
            }
        }
        if let Some(tree) = table.long_values {
            rows.push(stored_row(
                database,
                table.object_id,
                row_type::LONG_VALUE,
                tree.object_id,
            )?);
        }
        let cache = database.cache().clone();
        let state = guard.state();
        let mut writer = CatalogWriter::new(&cache, database.id(), &mut state.space);
        for row in rows.iter().rev() {
            writer.delete(row)?;
        }
        state
            .space
            .free_tree(crate::storage::space::ROOT_PAGE, table.root_page)?;
        state.autoincrement.remove(&table.object_id);
        state.sequential.remove(&table.object_id);
        state.long_value_ids.remove(&table.object_id);
        Ok(())
    })();
    guard.schema_changed()?;
    outcome
}

/// JetRenameTable.
pub fn rename_table(database: &Database, old_name: &str, new_name: &str) -> Result<()> {
    check_name(new_name)?;
    let table = table_named(database, old_name)?;
    if table.flags & table_flags::SYSTEM != 0 || table.name.starts_with("MSys") {
        return Err(
            Error::new(JET_errInvalidParameter).with_detail("system tables cannot be renamed")
        );
    }
    if table.is_template() {
        // Derived tables name their template: it keeps its name.
        return Err(
            Error::new(JET_errFixedDDL).with_detail(format!("{old_name:?} is a template table"))
        );
    }
    let schema = database.schema();
    if let Some(other) = schema.table(new_name) {
        if other.object_id != table.object_id {
            return Err(Error::new(JET_errTableDuplicate).with_detail(new_name.to_string()));
        }
    }
    rename_row(
        database,
        table.object_id,
        row_type::TABLE,
        table.object_id,
        new_name,
    )
}

/// Gives the catalog row (table, type, id) a new name.
fn rename_row(
    database: &Database,
    table_id: u32,
    kind: i16,
    id: u32,
    new_name: &str,
) -> Result<()> {
    let mut guard = database.write()?;
    let outcome = (|| {
        let old = stored_row(database, table_id, kind, id)?;
        let new = CatalogRow {
            name: new_name.to_string(),
            ..old.clone()
        };
        let cache = database.cache().clone();
        let state = guard.state();
        CatalogWriter::new(&cache, database.id(), &mut state.space).replace(&old, &new)
    })();
    guard.schema_changed()?;
    outcome
}

/// JetRenameColumn.
pub fn rename_column(
    database: &Database,
    table_name: &str,
    old_name: &str,
    new_name: &str,
) -> Result<()> {
    check_name(new_name)?;
    let table = table_named(database, table_name)?;
    let column = table
        .column_by_name(old_name)
        .filter(|c| !c.is_deleted())
        .cloned()
        .ok_or_else(|| Error::new(JET_errColumnNotFound).with_detail(old_name.to_string()))?;
    if column.from_template {
        return Err(Error::new(JET_errFixedInheritedDDL).with_detail(old_name.to_string()));
    }
    check_ddl_allowed(&table)?;
    if table
        .columns
        .iter()
        .any(|c| c.id != column.id && !c.is_deleted() && c.name.eq_ignore_ascii_case(new_name))
    {
        return Err(Error::new(JET_errColumnDuplicate).with_detail(new_name.to_string()));
    }
    rename_row(
        database,
        table.object_id,
        row_type::COLUMN,
        column.id,
        new_name,
    )
}
