//! `esentutl schema`: tables, columns and indexes, readable.

use std::fmt::Write as _;
use std::path::Path;

use ese::catalog::{column_flags, index_flags, Catalog, Placement, TableDef};
use ese::Result;

pub fn run(path: &Path) -> Result<()> {
    let database = crate::open_database(path)?;
    let catalog = Catalog::load(&database)?;
    if catalog.from_shadow {
        crate::say!("WARNING: the catalog is damaged; this schema comes from its shadow copy.\n");
    }
    for table in &catalog.tables {
        crate::write_stdout(format_args!("{}", render_table(table)));
    }
    Ok(())
}

pub fn render_table(table: &TableDef) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Table {} (object {}, root page {}, density {}%{}{})",
        table.name,
        table.object_id,
        table.root_page,
        table.density,
        if table.flags != 0 {
            format!(", flags 0x{:08x}", table.flags)
        } else {
            String::new()
        },
        table
            .template_name
            .as_ref()
            .map(|t| format!(", template {t}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "  Columns:");
    for column in &table.columns {
        let placement = match column.placement() {
            Placement::Fixed => "fixed",
            Placement::Variable => "variable",
            Placement::Tagged => "tagged",
        };
        let mut notes: Vec<String> = column_flags::names(column.flags)
            .into_iter()
            .map(str::to_string)
            .collect();
        if column.code_page != 0 {
            notes.push(format!("code page {}", column.code_page));
        }
        if column.max_size != 0 {
            notes.push(format!("max {} bytes", column.max_size));
        }
        if let Some(default) = &column.default_value {
            notes.push(format!("default {} bytes", default.len()));
        }
        if column.from_template {
            notes.push("from template".into());
        }
        let _ = writeln!(
            out,
            "    {:>5} {:<32} {:<16} {:<8} {}",
            column.id,
            column.name,
            if column.is_deleted() {
                "(deleted)"
            } else {
                column.type_name()
            },
            placement,
            notes.join(", ")
        );
    }
    if !table.indexes.is_empty() {
        let _ = writeln!(out, "  Indexes:");
    }
    for index in &table.indexes {
        let segments: Vec<String> = index
            .segments
            .iter()
            .map(|s| {
                let name = table
                    .column(s.column_id)
                    .map_or_else(|| format!("#{}", s.column_id), |c| c.name.clone());
                format!("{}{name}", if s.descending { '-' } else { '+' })
            })
            .collect();
        let flags: Vec<&str> = index_flags::names(index.flags)
            .into_iter()
            .filter(|n| *n != "ExtendedSegments")
            .collect();
        let _ = writeln!(
            out,
            "    {:<32} {:<40} {} (object {}, root page {}, key most {}{})",
            index.name,
            segments.join(" "),
            flags.join("|"),
            index.object_id,
            index.root_page,
            index.key_most,
            index
                .locale_name
                .as_ref()
                .map(|l| format!(", locale {l}"))
                .unwrap_or_default()
        );
    }
    if let Some(tree) = table.long_values {
        let _ = writeln!(
            out,
            "  Long values: tree at page {} (object {})",
            tree.root, tree.object_id
        );
    }
    out.push('\n');
    out
}
