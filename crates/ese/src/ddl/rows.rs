//! The catalog rows a schema change reads and writes, under the
//! database's write lock: a table's current definition, one stored row
//! found by its key, new rows inserted.

use crate::catalog::create::CatalogRow;
use crate::catalog::write::CatalogWriter;
use crate::catalog::{row_type, TableDef};
use crate::codes::*;
use crate::database::{Database, WriteGuard};
use crate::{Error, Result};

/// The current definition of the table named `name`.
pub fn table_named(database: &Database, name: &str) -> Result<TableDef> {
    database.schema().table(name).cloned().ok_or_else(|| {
        Error::new(JET_errObjectNotFound).with_detail(format!("no table named {name:?}"))
    })
}

pub(crate) fn write_rows(
    guard: &mut WriteGuard<'_>,
    database: &Database,
    rows: &[CatalogRow],
) -> Result<()> {
    let cache = database.cache().clone();
    let state = guard.state();
    let mut writer = CatalogWriter::new(&cache, database.id(), &mut state.space);
    for row in rows {
        writer.insert(row)?;
    }
    guard.changed();
    Ok(())
}

/// The stored catalog row (objid_table, type, id), in the form the
/// catalog writer takes.
pub(crate) fn stored_row(
    database: &Database,
    table_id: u32,
    kind: i16,
    id: u32,
) -> Result<CatalogRow> {
    let probe = CatalogRow {
        objid_table: table_id as i32,
        row_type: kind,
        id: id as i32,
        ..Default::default()
    };
    let key = crate::catalog::create::catalog_key(&probe)?;
    let pages = database.pages();
    let entry = crate::catalog::CATALOG_TREE
        .seek(&pages, &key)?
        .next()
        .transpose()?
        .filter(|e| e.key == key)
        .ok_or_else(|| {
            Error::new(JET_errCatalogCorrupted).with_detail(format!(
                "no catalog row of type {kind} for object {id} of table {table_id}"
            ))
        })?;
    let row = crate::catalog::CatalogRow::decode(&entry.data, database.page_size())?;
    Ok(CatalogRow {
        objid_table: row.table_id as i32,
        row_type: row.row_type,
        id: row.id as i32,
        coltyp_or_pgno_fdp: row.coltyp_or_page as i32,
        space_usage: row.space_usage as i32,
        flags: row.flags,
        pages_or_locale: row.pages_or_locale as i32,
        root_flag: row.root_flag,
        record_offset: row.record_offset.map(|o| o as i16),
        lcmap_flags: row.lcmap_flags,
        name: row.name,
        default_value: row.default_value,
        key_columns: None,
        locale_name: row.locale_name,
        key_most: row.key_most,
        lv_chunk_max: row.lv_chunk_max.map(|c| c as i32),
        template_table: row.template_or_callback.filter(|_| kind == row_type::TABLE),
        key_fields_raw: row.key_columns,
        var_seg_mac: row.var_seg_mac.map(|v| v.to_le_bytes().to_vec()),
        conditional_columns: row.conditional_columns,
        tuple_limits: row
            .tuple_limits
            .map(|limits| limits.iter().flat_map(|l| l.to_le_bytes()).collect()),
        version: row.version,
        sort_id: row.sort_id,
        separate_lv: row.separate_lv,
    })
}
