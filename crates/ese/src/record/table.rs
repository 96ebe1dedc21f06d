//! Reading a table's rows: records decoded into typed column values, with
//! defaults, multi-valued columns and long values resolved.
//!
//! Decoding a record costs time per column the record holds, not per
//! column the table defines: fixed and variable columns stop at the last
//! one stored, tagged columns are visited as stored, and only columns that
//! have a default are checked for absence.

use std::collections::HashSet;

use ese_format::compression::decompress;
use ese_format::record::{Record, Stored, StoredValue};

use crate::catalog::{column_flags, ColumnDef, TableDef};
use crate::codes::*;
use crate::record::value::{decode_value, Value};
use crate::storage::btree::Entries;
use crate::storage::long_value::read_long_value;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

/// A column's value in one row.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnValue {
    Single(Value),
    /// The values of a multi-valued column, in stored order.
    Multi(Vec<Value>),
}

/// One row: its primary key (normalized, as stored) and its non-NULL
/// column values, each with its column id.
///
/// Known limit: in a derived table, a tagged column of its own and one of
/// its template can share an id (both count from 256); values are then
/// told apart by [`ColumnDef::from_template`] only while decoding, and a
/// consumer looking the id up may name the wrong one. No corpus database
/// has a derived table; keying values by column position is the fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub primary_key: Vec<u8>,
    pub values: Vec<(u32, ColumnValue)>,
}

/// Decodes rows of one table.
pub struct TableReader<'a> {
    source: &'a dyn PageSource,
    table: &'a TableDef,
    /// Indexes into `table.columns` of columns with a default value.
    defaulted: Vec<usize>,
}

impl<'a> TableReader<'a> {
    pub fn new(source: &'a dyn PageSource, table: &'a TableDef) -> Self {
        let defaulted = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                !c.is_deleted()
                    && c.flags & column_flags::DEFAULT_VALUE != 0
                    && c.default_value.is_some()
            })
            .map(|(i, _)| i)
            .collect();
        TableReader {
            source,
            table,
            defaulted,
        }
    }

    pub fn table(&self) -> &TableDef {
        self.table
    }

    /// Every row in primary-key order.
    pub fn rows(&self) -> Rows<'_, 'a> {
        Rows {
            reader: self,
            entries: self.table.tree().entries(self.source),
        }
    }

    /// The column defined with `id`, the template's when `from_template`.
    fn column(&self, id: u32, from_template: bool) -> Option<&'a ColumnDef> {
        let columns = &self.table.columns;
        let start = columns.partition_point(|c| c.id < id);
        columns[start..]
            .iter()
            .take_while(|c| c.id == id)
            .find(|c| c.from_template == from_template || !self.table.is_derived())
    }

    /// Decodes one record (a leaf entry of the table's tree).
    pub fn decode(&self, primary_key: Vec<u8>, data: &[u8]) -> Result<Row> {
        let record = Record::parse(data, self.source.page_size())?;
        let mut values: Vec<(u32, ColumnValue)> = Vec::new();
        // Columns the record mentions, NULL or not: their defaults never apply.
        let mut present: HashSet<(u32, bool)> = HashSet::new();
        let tracking = !self.defaulted.is_empty();

        for id in 1..=record.last_fixed_column() {
            let Some(column) = self.column(id, false).or_else(|| self.column(id, true)) else {
                continue;
            };
            if column.is_deleted() {
                continue;
            }
            let offset = usize::from(column.record_offset.ok_or_else(|| {
                Error::new(JET_errCatalogCorrupted).with_detail(format!(
                    "fixed column {:?} has no record offset",
                    column.name
                ))
            })?);
            let stored = record.fixed(id, offset, column.max_size as usize)?;
            self.take_stored(column, stored, &mut values, &mut present, tracking)?;
        }
        for id in 128..=record.last_variable_column() {
            let Some(column) = self.column(id, false).or_else(|| self.column(id, true)) else {
                continue;
            };
            if column.is_deleted() {
                continue;
            }
            let stored = record.variable(id)?;
            self.take_stored(column, stored, &mut values, &mut present, tracking)?;
        }
        for field in record.tagged()? {
            let Some(column) = self.column(field.column_id, field.derived) else {
                continue;
            };
            if tracking {
                present.insert((column.id, column.from_template));
            }
            if column.is_deleted() || field.is_null() {
                continue;
            }
            let mut decoded = Vec::new();
            for stored in field.values()? {
                let bytes = self.expand(column, stored)?;
                decoded.push(decode_value(column.coltyp, column.code_page, &bytes)?);
            }
            let value = if column.is_multi_valued() || decoded.len() > 1 {
                ColumnValue::Multi(decoded)
            } else {
                match decoded.pop() {
                    Some(single) => ColumnValue::Single(single),
                    None => continue,
                }
            };
            values.push((self.table.column_id_of(column), value));
        }

        for &index in &self.defaulted {
            let column = &self.table.columns[index];
            if present.contains(&(column.id, column.from_template)) {
                continue;
            }
            let Some(default) = &column.default_value else {
                continue;
            };
            let value = decode_value(column.coltyp, column.code_page, default)?;
            let value = if column.is_multi_valued() {
                ColumnValue::Multi(vec![value])
            } else {
                ColumnValue::Single(value)
            };
            values.push((self.table.column_id_of(column), value));
        }
        Ok(Row {
            primary_key,
            values,
        })
    }

    fn take_stored(
        &self,
        column: &ColumnDef,
        stored: Stored<'_>,
        values: &mut Vec<(u32, ColumnValue)>,
        present: &mut HashSet<(u32, bool)>,
        tracking: bool,
    ) -> Result<()> {
        match stored {
            Stored::Absent => {}
            Stored::Null => {
                if tracking {
                    present.insert((column.id, column.from_template));
                }
            }
            Stored::Value(bytes) => {
                if tracking {
                    present.insert((column.id, column.from_template));
                }
                let value = decode_value(column.coltyp, column.code_page, bytes)?;
                let value = if column.is_multi_valued() {
                    ColumnValue::Multi(vec![value])
                } else {
                    ColumnValue::Single(value)
                };
                values.push((self.table.column_id_of(column), value));
            }
        }
        Ok(())
    }

    /// The plain bytes of one stored value: decompressed, or read from the
    /// long-value tree when separated.
    fn expand(&self, column: &ColumnDef, stored: StoredValue<'_>) -> Result<Vec<u8>> {
        if stored.separated {
            let tree = self.table.long_values.ok_or_else(|| {
                Error::new(JET_errLVCorrupted).with_detail(format!(
                    "column {:?} of table {} refers to a long value, but the table has no long-value tree",
                    column.name, self.table.name
                ))
            })?;
            return read_long_value(self.source, tree, stored.bytes);
        }
        if stored.compressed {
            return decompress(stored.bytes).map_err(|e| {
                e.with_detail(format!(
                    "column {:?} of table {}",
                    column.name, self.table.name
                ))
            });
        }
        Ok(stored.bytes.to_vec())
    }
}

/// Rows of a table in primary-key order; one leaf page is held at a time.
pub struct Rows<'r, 'a> {
    reader: &'r TableReader<'a>,
    entries: Entries<'a>,
}

impl Iterator for Rows<'_, '_> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        let entry = match self.entries.next()? {
            Ok(entry) => entry,
            Err(error) => return Some(Err(error)),
        };
        let page = entry.page;
        Some(
            self.reader
                .decode(entry.key, &entry.data)
                .map_err(|e| e.in_page(page)),
        )
    }
}
