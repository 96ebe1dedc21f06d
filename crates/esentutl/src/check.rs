//! `esentutl check`: verify every page and summarise.

use std::path::Path;
use std::process::ExitCode;

use ese::integrity::{check_open_database, IntegrityReport};
use ese::Result;

/// Damaged pages listed before the rest are only counted (unless `--all`).
const LISTED_BAD_PAGES: usize = 50;

pub fn run(path: &Path, all: bool) -> Result<ExitCode> {
    let database = crate::open_database(path)?;
    println!("Checking database: {}", path.display());
    println!("Page size: {} bytes", database.page_size());
    let report = check_open_database(&database, |_, _| {})?;
    print!("{}", render(&report, all));
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn render(report: &IntegrityReport, all: bool) -> String {
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
    if report.is_clean() {
        out.push_str("\nIntegrity check successful.\n");
    } else {
        out.push_str("\nIntegrity check FAILED: the database is damaged.\n");
    }
    out
}
