//! `esentutl check`: verify every page, then the logical structure (every
//! B+tree, the space trees, the catalog), and summarise.

use std::path::Path;
use std::process::ExitCode;

use ese::integrity::{check_open_database, IntegrityReport};
use ese::structure_check::{check_structure, StructureReport};
use ese::Result;

/// Damaged pages (and structural findings) listed before the rest are only
/// counted (unless `--all`).
const LISTED_BAD_PAGES: usize = 50;

pub fn run(path: &Path, all: bool) -> Result<ExitCode> {
    let database = crate::open_database(path)?;
    crate::say!("Checking database: {}", path.display());
    crate::say!("Page size: {} bytes", database.page_size());
    let report = check_open_database(&database, |_, _| {})?;
    let structure = check_structure(&database, database.header())?;
    crate::write_stdout(format_args!("{}", render(&report, &structure, all)));
    Ok(if report.is_clean() && structure.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn render(report: &IntegrityReport, structure: &StructureReport, all: bool) -> String {
    let mut out = render_pages(report, all);
    out.push_str(&render_structure(structure, all));
    if report.is_clean() && structure.is_clean() {
        out.push_str("\nIntegrity check successful.\n");
    } else {
        out.push_str("\nIntegrity check FAILED: the database is damaged.\n");
    }
    out
}

/// The page pass: checksums and page layout.
fn render_pages(report: &IntegrityReport, all: bool) -> String {
    let mut out = String::new();
    let limit = if all { usize::MAX } else { LISTED_BAD_PAGES };
    for bad in report.bad_pages.iter().take(limit) {
        out.push_str(&format!("ERROR: {}: {}\n", bad.location, bad.error));
    }
    if report.bad_pages.len() > limit {
        out.push_str(&format!(
            "... and {} more damaged pages (use --all to list them)\n",
            report.bad_pages.len() - limit
        ));
    }
    for (location, bit) in &report.correctable_pages {
        out.push_str(&format!(
            "WARNING: {location}: checksum verification failed but the corruption (bit {bit}) can be corrected\n"
        ));
    }
    out.push_str(&format!("\n{} pages seen\n", report.file_pages));
    out.push_str(&format!("{} valid pages\n", report.valid_pages));
    out.push_str(&format!("{} bad pages\n", report.bad_pages.len()));
    out.push_str(&format!(
        "{} correctable pages\n",
        report.correctable_pages.len()
    ));
    out.push_str(&format!(
        "{} uninitialized pages\n",
        report.uninitialized_pages
    ));
    if let Some((db_time, page)) = report.highest_db_time {
        out.push_str(&format!("0x{db_time:x} highest dbtime (page {page})\n"));
    }
    out
}

/// The structural pass: B+trees, space trees, catalog.
fn render_structure(structure: &StructureReport, all: bool) -> String {
    let mut out = String::from("\nChecking the logical structure (B+trees, space, catalog)\n");
    let limit = if all { usize::MAX } else { LISTED_BAD_PAGES };
    for finding in structure.findings.iter().take(limit) {
        out.push_str(&format!("ERROR: {finding}\n"));
    }
    let unlisted =
        structure.findings.len().saturating_sub(limit) as u64 + structure.findings_not_recorded;
    if unlisted > 0 {
        out.push_str(&format!(
            "... and {unlisted} more structural findings (use --all to list them)\n"
        ));
    }
    for note in structure.notes.iter().take(limit) {
        out.push_str(&format!("NOTE: {note}\n"));
    }
    out.push_str(&format!("\n{} trees checked\n", structure.trees_checked));
    out.push_str(&format!("{} pages in trees\n", structure.pages_visited));
    let space = &structure.space;
    if space.accounted {
        out.push_str(&format!(
            "{} pages available, {} reserved, {} leaked, {} beyond the owned space\n",
            space.available, space.reserved, space.leaked, space.beyond_owned
        ));
    } else {
        out.push_str("pages not accounted for (see the notes)\n");
    }
    out.push_str(&format!(
        "{} deleted and {} versioned leaf nodes\n",
        structure.deleted_nodes, structure.versioned_nodes
    ));
    out.push_str(&format!(
        "{} structural findings\n",
        structure.findings.len() as u64 + structure.findings_not_recorded
    ));
    out
}
