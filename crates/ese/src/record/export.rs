//! Exporting tables as JSON lines, in the canonical form of the corpus
//! (`{"table": NAME, "values": {COLUMN: VALUE, ...}}`, NULL columns left
//! out), one row at a time so that memory stays flat.

use std::io::Write;

use serde_json::{Map, Number, Value as Json};

use crate::catalog::{Catalog, TableDef};
use crate::codes::*;
use crate::record::table::{ColumnValue, Row, TableReader};
use crate::record::value::Value;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

/// A value as JSON: integers as integers, floats as numbers, GUIDs as
/// strings, binary as lowercase hex, text as itself.
pub fn value_to_json(value: &Value) -> Json {
    match value {
        Value::Bit(b) => Json::Bool(*b),
        Value::UnsignedByte(v) => Json::from(*v),
        Value::Short(v) => Json::from(*v),
        Value::Long(v) => Json::from(*v),
        Value::Currency(v) | Value::LongLong(v) => Json::from(*v),
        Value::UnsignedLong(v) => Json::from(*v),
        Value::UnsignedLongLong(v) => Json::from(*v),
        Value::UnsignedShort(v) => Json::from(*v),
        Value::IEEESingle(v) => float(f64::from(*v)),
        Value::IEEEDouble(v) | Value::DateTime(v) => float(*v),
        Value::Guid(bytes) => Json::String(Value::guid_string(bytes)),
        Value::Binary(bytes) => Json::String(hex(bytes)),
        Value::Text(text) => Json::String(text.clone()),
    }
}

/// JSON has no NaN or infinity; those become strings rather than null so
/// that no stored value silently disappears.
fn float(v: f64) -> Json {
    Number::from_f64(v).map_or_else(|| Json::String(v.to_string()), Json::Number)
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// A row as the canonical JSON object.
pub fn row_to_json(table: &TableDef, row: &Row) -> Json {
    let mut values = Map::new();
    for (id, value) in &row.values {
        let Some(column) = table.column(*id) else {
            continue;
        };
        let json = match value {
            ColumnValue::Single(v) => value_to_json(v),
            ColumnValue::Multi(vs) => Json::Array(vs.iter().map(value_to_json).collect()),
        };
        values.insert(column.name.clone(), json);
    }
    let mut object = Map::new();
    object.insert("table".into(), Json::String(table.name.clone()));
    object.insert("values".into(), Json::Object(values));
    Json::Object(object)
}

/// Writes every row of `table` as one JSON line; returns the row count.
pub fn export_table_jsonl(
    source: &dyn PageSource,
    table: &TableDef,
    out: &mut dyn Write,
) -> Result<u64> {
    let reader = TableReader::new(source, table);
    let mut count = 0;
    for row in reader.rows() {
        let row = row.map_err(|e| e.with_operation(format!("exporting table {}", table.name)))?;
        let line = row_to_json(table, &row);
        serde_json::to_writer(&mut *out, &line).map_err(|e| write_error(&e.to_string()))?;
        out.write_all(b"\n")
            .map_err(|e| write_error(&e.to_string()))?;
        count += 1;
    }
    Ok(count)
}

/// Exports the named tables (all, in catalog order, when `only` is None).
pub fn export_jsonl(
    source: &dyn PageSource,
    catalog: &Catalog,
    only: Option<&str>,
    out: &mut dyn Write,
) -> Result<u64> {
    let mut total = 0;
    let mut matched = false;
    for table in &catalog.tables {
        if only.is_some_and(|name| !table.name.eq_ignore_ascii_case(name)) {
            continue;
        }
        matched = true;
        total += export_table_jsonl(source, table, out)?;
    }
    if let Some(name) = only.filter(|_| !matched) {
        return Err(
            Error::new(JET_errObjectNotFound).with_detail(format!("no table named {name:?}"))
        );
    }
    Ok(total)
}

fn write_error(detail: &str) -> Error {
    Error::new(JET_errDiskIO)
        .with_operation("writing the export")
        .with_detail(detail.to_string())
}
