//! `esentutl export`: tables as JSON lines or CSV, streamed row by row.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use ese::catalog::{Catalog, TableDef};
use ese::codes::*;
use ese::database_file::DatabaseFile;
use ese::export::{export_jsonl, value_to_json};
use ese::table::{ColumnValue, TableReader};
use ese::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per row: {"table": NAME, "values": {...}}.
    Jsonl,
    /// One CSV file per table, with a header row.
    Csv,
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    ese::io::jet_error_from_io(&error).with_file(path)
}

pub fn run(path: &Path, table: Option<&str>, format: Format, output: Option<&Path>) -> Result<()> {
    let database = crate::open_database(path)?;
    let catalog = Catalog::load(&database)?;
    if catalog.from_shadow {
        eprintln!("WARNING: the catalog is damaged; exporting with its shadow copy.");
    }
    match format {
        Format::Jsonl => {
            let mut sink: Box<dyn Write> = match output {
                Some(file) => Box::new(BufWriter::new(
                    File::create(file).map_err(|e| io_error(file, e))?,
                )),
                None => Box::new(BufWriter::new(crate::StdoutSink)),
            };
            export_jsonl(&database, &catalog, table, &mut sink)?;
            sink.flush()
                .map_err(|e| io_error(output.unwrap_or(Path::new("-")), e))?;
        }
        Format::Csv => {
            let directory = output.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            std::fs::create_dir_all(&directory).map_err(|e| io_error(&directory, e))?;
            let mut matched = false;
            for table_def in &catalog.tables {
                if table.is_some_and(|name| !table_def.name.eq_ignore_ascii_case(name)) {
                    continue;
                }
                matched = true;
                let file = directory.join(format!("{}.csv", table_def.name));
                let rows = export_csv(&database, table_def, &file)?;
                eprintln!("{}: {rows} rows -> {}", table_def.name, file.display());
            }
            if let Some(name) = table.filter(|_| !matched) {
                return Err(Error::new(JET_errObjectNotFound)
                    .with_detail(format!("no table named {name:?}")));
            }
        }
    }
    Ok(())
}

/// A column value as CSV text: the JSON form without quotes for strings,
/// and multi-valued columns as a JSON array.
fn csv_field(value: &ColumnValue) -> String {
    match value {
        ColumnValue::Single(v) => match value_to_json(v) {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        },
        ColumnValue::Multi(values) => {
            serde_json::Value::Array(values.iter().map(value_to_json).collect()).to_string()
        }
    }
}

fn export_csv(database: &DatabaseFile, table: &TableDef, file: &Path) -> Result<u64> {
    let csv_error = |e: csv::Error| {
        Error::new(JET_errDiskIO)
            .with_file(file)
            .with_detail(e.to_string())
    };
    let mut writer = csv::Writer::from_path(file).map_err(csv_error)?;
    let columns: Vec<_> = table.columns.iter().filter(|c| !c.is_deleted()).collect();
    writer
        .write_record(columns.iter().map(|c| c.name.as_str()))
        .map_err(csv_error)?;
    let reader = TableReader::new(database, table);
    let mut count = 0;
    let mut fields = vec![String::new(); columns.len()];
    for row in reader.rows() {
        let row = row?;
        fields.iter_mut().for_each(String::clear);
        for (id, value) in &row.values {
            if let Ok(position) = columns.binary_search_by_key(id, |c| c.id) {
                fields[position] = csv_field(value);
            }
        }
        writer.write_record(&fields).map_err(csv_error)?;
        count += 1;
    }
    writer.flush().map_err(|e| io_error(file, e))?;
    Ok(count)
}
