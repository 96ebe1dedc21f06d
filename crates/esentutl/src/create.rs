//! `esentutl create`: a new, empty database laid out as Windows' ESE lays
//! one out (`ese::create::create_database`). Without a log, the database
//! is created and immediately detached cleanly (state Clean Shutdown).

use std::path::Path;

/// Creates `file` with `page_size`-byte pages.
pub fn run(file: &Path, page_size: usize) -> ese::Result<()> {
    ese::create::create_database(file, page_size)?;
    crate::say!(
        "Created database {} ({page_size}-byte pages, {} bytes).",
        file.display(),
        (u64::from(ese::create::NEW_DATABASE_PAGES) + 2) * page_size as u64
    );
    Ok(())
}
